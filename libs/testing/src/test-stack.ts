import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { openPki } from './test-pki';

/** PEM files of a Kafka client identity (the shape of KafkaTlsFiles in @weave/bus). */
export interface KafkaTls {
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
}

export interface TestStack {
  readonly kafkaBrokers: string[];
  /**
   * The operator identity (`weave-operator`, a Kafka super user) when the broker speaks mutual
   * TLS, from KAFKA_TLS_* in .local/stack.env; undefined for a plaintext broker. Tests that
   * make their own topics and groups (`weave.test.*`) connect with it.
   */
  readonly kafkaSsl: KafkaTls | undefined;
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

/** Connection settings of the local stack, as the integration global setup resolved them. */
export function testStack(): TestStack {
  const ca = process.env['KAFKA_TLS_CA'];
  const cert = process.env['KAFKA_TLS_CERT'];
  const key = process.env['KAFKA_TLS_KEY'];
  if ((ca || cert || key) && !(ca && cert && key)) throw new Error('KAFKA_TLS_CA, KAFKA_TLS_CERT and KAFKA_TLS_KEY must be set together');
  return {
    kafkaBrokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    kafkaSsl: ca && cert && key ? { caPath: ca, certPath: cert, keyPath: key } : undefined,
    databaseUrl: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/weave',
    redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  };
}

/**
 * A service's own Kafka identity from the local stack's development PKI (the directory of the
 * operator's KAFKA_TLS_CA, i.e. .local/pki): certificate `<service>.crt` whose CN is the
 * service, so the broker applies that service's ACLs (deploy/local/kafka/acls.yaml), not the
 * operator's. Issued on first use. Undefined when the broker is plaintext.
 */
export function serviceKafkaTls(service: string): KafkaTls | undefined {
  const operator = testStack().kafkaSsl;
  if (!operator) return undefined;
  return openPki(dirname(operator.caPath), 'weave-local', 825).issue(service, { organisationalUnit: 'weave-service' });
}

/**
 * Environment for a service process (ServiceProcess): the brokers and, when the broker speaks
 * mutual TLS, the service's OWN certificate (never the operator's), so its ACLs are exercised.
 */
export function serviceKafkaEnv(service: string): Record<string, string> {
  const tls = serviceKafkaTls(service);
  return {
    KAFKA_BROKERS: testStack().kafkaBrokers.join(','),
    ...(tls ? { KAFKA_TLS_CA: tls.caPath, KAFKA_TLS_CERT: tls.certPath, KAFKA_TLS_KEY: tls.keyPath } : {}),
  };
}

/**
 * A name no other test run uses, so tests get their own topics, consumer groups and
 * database schemas and can run in parallel against one stack.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** As uniqueName, valid as a SQL identifier. */
export function uniqueSchema(prefix: string): string {
  return uniqueName(prefix).replace(/-/g, '_').toLowerCase();
}
