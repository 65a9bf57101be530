import { envVar, defineServiceConfig } from '../env-var';
import {
  grpcServerVariables,
  kafkaConsumerVariables,
  kafkaVariables,
  postgresVariables,
  shutdownVariables,
  telemetryVariables,
} from '../groups';
import { kafkaGroupId } from '../parsers';

export const adapterProtectionConfig = defineServiceConfig('adapter-protection', {
  ...kafkaVariables('adapter-protection'),
  ...kafkaConsumerVariables('adapter-protection'),
  ...postgresVariables('adapter_protection'),
  ...grpcServerVariables('127.0.0.1:50062'),
  ...telemetryVariables('adapter-protection'),
  ...shutdownVariables(),
  adapterUnitId: envVar({
    name: 'ADAPTER_UNIT_ID',
    description: 'agency unit this adapter receives for',
    defaultValue: 'nantou-protection',
    schema: kafkaGroupId,
  }),
});
