import { z } from 'zod';
import { defineServiceConfig, envVar } from '../env-var';
import {
  grpcServerVariables,
  kafkaConsumerVariables,
  kafkaVariables,
  postgresVariables,
  redisVariables,
  shutdownVariables,
  telemetryVariables,
} from '../groups';
import { hostPort, kafkaGroupId, optionalPath, positiveInt } from '../parsers';

/** "system=host:port,system=host:port": the data-holding adapters' Lookup endpoints. */
const dataHolders = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
  .refine((entries) => entries.every((e) => /^[a-z][a-z0-9-]*=/.test(e) && hostPort.safeParse(e.split('=')[1] ?? '').success), 'expected system=host:port[,system=host:port...]')
  .transform((entries) => Object.fromEntries(entries.map((e) => e.split('=') as [string, string])));

export const gatewayConfig = defineServiceConfig('gateway', {
  ...kafkaVariables('gateway'),
  ...kafkaConsumerVariables('gateway-fanout'),
  // Each Query holds one connection for its facts and shares a ledger flush; 20 keeps a
  // burst of concurrent queries from queueing for connections.
  ...postgresVariables('gateway', '20'),
  ...redisVariables(),
  ...grpcServerVariables('127.0.0.1:50051'),
  ...telemetryVariables('gateway'),
  ...shutdownVariables(),
  registryConsumerGroup: envVar({
    name: 'GATEWAY_REGISTRY_CONSUMER_GROUP',
    description: 'consumer group that keeps need-to-know from dispatch and case-membership events',
    defaultValue: 'gateway-registry',
    schema: kafkaGroupId,
  }),
  policyFile: envVar({
    name: 'GATEWAY_POLICY_FILE',
    description: 'disclosure policy (YAML); reloaded on change, a file failing validation is refused',
    defaultValue: 'policies/disclosure-policy.yaml',
    schema: z.string().min(1),
  }),
  directoryFile: envVar({
    name: 'GATEWAY_DIRECTORY_FILE',
    description: 'unit directory (YAML): units, roles, systems, supervisors, event subscriptions',
    defaultValue: 'policies/directory.yaml',
    schema: z.string().min(1),
  }),
  dataHolders: envVar({
    name: 'GATEWAY_DATA_HOLDERS',
    description: 'Lookup endpoints of data-holding adapters, system=host:port[,…]',
    defaultValue: '',
    schema: dataHolders,
  }),
  holderTimeoutMs: envVar({
    name: 'GATEWAY_HOLDER_TIMEOUT_MS',
    description: 'deadline of one Lookup call; a holder that misses it is reported unavailable',
    defaultValue: '2000',
    schema: positiveInt,
  }),
  queryRateLimit: envVar({
    name: 'GATEWAY_QUERY_RATE_LIMIT',
    description: 'queries one unit may make per minute (a unit fishing through many people is stopped)',
    defaultValue: '600',
    schema: positiveInt,
  }),
  clientTlsCert: envVar({
    name: 'GATEWAY_CLIENT_TLS_CERT',
    description: "PEM client certificate the gateway presents to data holders (CA: GRPC_TLS_CA)",
    defaultValue: '',
    schema: optionalPath,
  }),
  clientTlsKey: envVar({
    name: 'GATEWAY_CLIENT_TLS_KEY',
    description: 'PEM private key of GATEWAY_CLIENT_TLS_CERT',
    defaultValue: '',
    schema: optionalPath,
  }),
  ledgerMaxBatch: envVar({
    name: 'LEDGER_MAX_BATCH',
    description: 'most ledger entries committed in one transaction (group commit)',
    defaultValue: '256',
    schema: positiveInt,
  }),
});
