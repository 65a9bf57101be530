import { readFileSync } from 'node:fs';
import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from 'pino';

/**
 * PEM files of a Kafka client identity (mutual TLS): the broker maps the certificate's common
 * name to the principal `User:<CN>` that its ACLs name.
 */
export interface KafkaTlsFiles {
  /** CA bundle the broker's certificate must chain to. */
  readonly caPath: string;
  /** The client certificate presented to the broker. */
  readonly certPath: string;
  /** Its private key. */
  readonly keyPath: string;
}

export interface KafkaConnectionOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Mutual TLS; absent means plaintext (a broker without TLS, e.g. one of your own). */
  readonly ssl?: KafkaTlsFiles | undefined;
}

/**
 * The TLS files from configuration values (KAFKA_TLS_CA, KAFKA_TLS_CERT, KAFKA_TLS_KEY): all three
 * or none. A partial set is an error, never a silent downgrade to plaintext.
 */
export function kafkaTlsFiles(values: { readonly ca?: string | undefined; readonly cert?: string | undefined; readonly key?: string | undefined }): KafkaTlsFiles | undefined {
  const { ca, cert, key } = values;
  if (!ca && !cert && !key) return undefined;
  if (!ca || !cert || !key) throw new Error('KAFKA_TLS_CA, KAFKA_TLS_CERT and KAFKA_TLS_KEY must be set together');
  return { caPath: ca, certPath: cert, keyPath: key };
}

function tlsOptions(files: KafkaTlsFiles): ConnectionOptions {
  const read = (what: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read the Kafka TLS ${what} ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  // kafkajs names the broker host as the TLS server name, so the broker's certificate must hold
  // it (the local broker's has DNS:localhost and IP:127.0.0.1).
  return { ca: [read('CA', files.caPath)], cert: read('certificate', files.certPath), key: read('key', files.keyPath), rejectUnauthorized: true };
}

// kafkajs logs through pino so that its lines are JSON with trace ids like ours; its
// INFO level is chatty (every join and commit), so only warnings and errors pass.
function logCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      // kafkajs warns whenever an idempotent producer's retries are bounded. They are bounded
      // on purpose (a publish fails to its caller instead of hanging), and a retried publish
      // that duplicates a message keeps its event id, which every consumer deduplicates.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      const fields = { kafka: { namespace: extra.namespace, broker: extra['broker'], groupId: extra['groupId'], error: extra['error'] } };
      if (level === KafkaLogLevel.ERROR || level === KafkaLogLevel.NOTHING) logger.error(fields, `kafkajs: ${message}`);
      else if (level === KafkaLogLevel.WARN) logger.warn(fields, `kafkajs: ${message}`);
      else logger.debug(fields, `kafkajs: ${message}`);
    };
}

export function createKafka(options: KafkaConnectionOptions, logger: Logger): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...(options.ssl ? { ssl: tlsOptions(options.ssl) } : {}),
    logLevel: KafkaLogLevel.WARN,
    logCreator: logCreator(logger),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8 },
  });
}
