import { z } from 'zod';
import { envVar } from './env-var';
import {
  base64Key,
  hostPort,
  hostPortList,
  kafkaGroupId,
  logLevel,
  optionalPath,
  positiveInt,
  postgresUrl,
  redisUrl,
  sqlIdentifier,
} from './parsers';

/** Variable groups shared by services. Names are the same locally, in compose and in k8s. */

/** KAFKA_TLS_CA, KAFKA_TLS_CERT and KAFKA_TLS_KEY are set together or not at all. */
const KAFKA_TLS = 'Kafka mutual TLS';

export function kafkaVariables(clientId: string) {
  return {
    kafkaBrokers: envVar({
      name: 'KAFKA_BROKERS',
      description: 'Kafka bootstrap brokers, host:port[,host:port]',
      defaultValue: '127.0.0.1:9092',
      schema: hostPortList,
    }),
    kafkaClientId: envVar({
      name: 'KAFKA_CLIENT_ID',
      description: 'Kafka client id, shown in broker logs and quotas',
      defaultValue: clientId,
      schema: kafkaGroupId,
    }),
    kafkaTlsCa: envVar({
      name: 'KAFKA_TLS_CA',
      description: 'PEM CA bundle that Kafka broker certificates chain to; with KAFKA_TLS_CERT and KAFKA_TLS_KEY enables mutual TLS (all three or none; none is plaintext)',
      defaultValue: '',
      schema: optionalPath,
      allOrNone: KAFKA_TLS,
    }),
    kafkaTlsCert: envVar({
      name: 'KAFKA_TLS_CERT',
      description: 'PEM client certificate presented to Kafka; its common name is the principal (User:<CN>) the broker ACLs name',
      defaultValue: '',
      schema: optionalPath,
      allOrNone: KAFKA_TLS,
    }),
    kafkaTlsKey: envVar({
      name: 'KAFKA_TLS_KEY',
      description: 'PEM private key of KAFKA_TLS_CERT',
      defaultValue: '',
      schema: optionalPath,
      allOrNone: KAFKA_TLS,
    }),
  };
}

export function kafkaConsumerVariables(groupId: string) {
  return {
    kafkaConsumerGroup: envVar({
      name: 'KAFKA_CONSUMER_GROUP',
      description: 'Kafka consumer group id; its dead-letter topic is weave.dlq.<group>.v1',
      defaultValue: groupId,
      schema: kafkaGroupId,
    }),
    handlerMaxAttempts: envVar({
      name: 'HANDLER_MAX_ATTEMPTS',
      description: 'attempts per message before it is dead-lettered',
      defaultValue: '5',
      schema: positiveInt,
    }),
  };
}

export function postgresVariables(schema: string, poolSize = '10') {
  return {
    databasePoolSize: envVar({
      name: 'DATABASE_POOL_SIZE',
      description: 'most PostgreSQL connections this service opens',
      defaultValue: poolSize,
      schema: positiveInt,
    }),
    databaseUrl: envVar({
      name: 'DATABASE_URL',
      description: 'PostgreSQL connection URL',
      defaultValue: 'postgres://postgres@127.0.0.1:5432/weave',
      secret: true,
      schema: postgresUrl,
    }),
    databaseSchema: envVar({
      name: 'DATABASE_SCHEMA',
      description: 'PostgreSQL schema owned by this service',
      defaultValue: schema,
      schema: sqlIdentifier,
    }),
  };
}

export function redisVariables() {
  return {
    redisUrl: envVar({
      name: 'REDIS_URL',
      description: 'Redis URL (persistence with AOF expected)',
      defaultValue: 'redis://127.0.0.1:6379',
      secret: true,
      schema: redisUrl,
    }),
  };
}

export function grpcServerVariables(defaultAddr: string) {
  return {
    grpcListenAddr: envVar({
      name: 'GRPC_LISTEN_ADDR',
      description: 'address the gRPC server binds, host:port (port 0 picks a free one)',
      defaultValue: defaultAddr,
      schema: hostPort,
    }),
    grpcHealthListenAddr: envVar({
      name: 'GRPC_HEALTH_LISTEN_ADDR',
      description: 'optional plaintext address serving only grpc.health.v1 (for probes when the main port is mTLS)',
      defaultValue: '',
      schema: optionalPath,
    }),
    grpcTlsCert: envVar({
      name: 'GRPC_TLS_CERT',
      description: 'PEM server certificate; with GRPC_TLS_KEY and GRPC_TLS_CA enables mutual TLS',
      defaultValue: '',
      schema: optionalPath,
    }),
    grpcTlsKey: envVar({
      name: 'GRPC_TLS_KEY',
      description: 'PEM private key of GRPC_TLS_CERT',
      defaultValue: '',
      schema: optionalPath,
    }),
    grpcTlsCa: envVar({
      name: 'GRPC_TLS_CA',
      description: 'PEM CA bundle that client certificates must chain to',
      defaultValue: '',
      schema: optionalPath,
    }),
  };
}

export function telemetryVariables(serviceName: string) {
  return {
    otelServiceName: envVar({
      name: 'OTEL_SERVICE_NAME',
      description: 'service name on spans and logs',
      defaultValue: serviceName,
      schema: z.string().min(1),
    }),
    otelExporterOtlpEndpoint: envVar({
      name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      description: 'OTLP/HTTP collector endpoint; unset means no OTLP export',
      defaultValue: '',
      schema: optionalPath,
    }),
    otelTracesExporter: envVar({
      name: 'OTEL_TRACES_EXPORTER',
      description: 'comma list of otlp, console, none (default otlp when an endpoint is set)',
      defaultValue: '',
      schema: z.string(),
    }),
    tracesFile: envVar({
      name: 'WEAVE_TRACES_FILE',
      description: 'also write spans as JSON lines to this file (local stack)',
      defaultValue: '',
      schema: optionalPath,
    }),
    logLevel: envVar({
      name: 'LOG_LEVEL',
      description: 'pino log level',
      defaultValue: 'info',
      schema: logLevel,
    }),
  };
}

export function pseudonymVariables() {
  return {
    pseudonymKey: envVar({
      name: 'WEAVE_PSEUDONYM_KEY',
      description: 'base64 HMAC key (>= 32 bytes) that turns national ID numbers into pseudonyms',
      secret: true,
      schema: base64Key(32),
    }),
  };
}

export function shutdownVariables() {
  return {
    shutdownTimeoutMs: envVar({
      name: 'SHUTDOWN_TIMEOUT_MS',
      description: 'grace period for in-flight work on SIGTERM before the process exits',
      defaultValue: '10000',
      schema: positiveInt,
    }),
  };
}
