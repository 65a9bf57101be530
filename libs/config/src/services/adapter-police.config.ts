import { envVar, defineServiceConfig } from '../env-var';
import { grpcServerVariables, kafkaVariables, pseudonymVariables, redisVariables, shutdownVariables, telemetryVariables } from '../groups';
import { kafkaGroupId } from '../parsers';

export const adapterPoliceConfig = defineServiceConfig('adapter-police', {
  ...kafkaVariables('adapter-police'),
  ...redisVariables(),
  ...grpcServerVariables('127.0.0.1:50061'),
  ...telemetryVariables('adapter-police'),
  ...pseudonymVariables(),
  ...shutdownVariables(),
  adapterUnitId: envVar({
    name: 'ADAPTER_UNIT_ID',
    description: 'agency unit this adapter publishes as',
    defaultValue: 'nantou-police',
    schema: kafkaGroupId,
  }),
});
