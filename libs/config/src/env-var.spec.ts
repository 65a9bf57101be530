import { ConfigError, defineServiceConfig, envVar, loadConfig } from './env-var';
import { kafkaVariables, postgresVariables, pseudonymVariables } from './groups';
import { gatewayConfig, serviceConfigs } from './services';
import { positiveInt } from './parsers';

const demo = defineServiceConfig('demo', {
  ...kafkaVariables('demo'),
  ...postgresVariables('demo'),
  ...pseudonymVariables(),
  batch: envVar({ name: 'BATCH_SIZE', description: 'batch size', defaultValue: '10', schema: positiveInt }),
});

const key = Buffer.alloc(32, 1).toString('base64');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(demo, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies defaults and parses values into typed config', () => {
    const config = loadConfig(demo, { WEAVE_PSEUDONYM_KEY: key, KAFKA_BROKERS: 'a:1, b:2' });
    expect(config.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(config.kafkaClientId).toBe('demo');
    expect(config.databaseSchema).toBe('demo');
    expect(config.batch).toBe(10);
    expect(config.pseudonymKey.length).toBe(32);
  });

  it('names every bad variable at once', () => {
    expect(problemsOf({ KAFKA_BROKERS: 'no-port', BATCH_SIZE: '-1', DATABASE_SCHEMA: 'Drop Table' })).toEqual([
      'KAFKA_BROKERS',
      'DATABASE_SCHEMA',
      'WEAVE_PSEUDONYM_KEY',
      'BATCH_SIZE',
    ]);
  });

  it('says what a required variable is for and shows bad non-secret values', () => {
    expect(() => loadConfig(demo, { KAFKA_BROKERS: 'oops' })).toThrow(
      /KAFKA_BROKERS: expected host:port\[,host:port\.\.\.\], got "oops"[\s\S]*WEAVE_PSEUDONYM_KEY: required: base64 HMAC key/,
    );
  });

  it('never echoes a secret value', () => {
    const secret = 'postgres-password-in-url';
    expect(() => loadConfig(demo, { WEAVE_PSEUDONYM_KEY: 'c2hvcnQ=', DATABASE_URL: secret })).toThrow(ConfigError);
    try {
      loadConfig(demo, { WEAVE_PSEUDONYM_KEY: 'c2hvcnQ=', DATABASE_URL: secret });
    } catch (err) {
      expect((err as Error).message).not.toContain(secret);
      expect((err as Error).message).not.toContain('c2hvcnQ=');
      expect((err as Error).message).toContain('(value hidden)');
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(gatewayConfig, { KAFKA_BROKERS: '' }).kafkaBrokers).toEqual(['127.0.0.1:9092']);
  });

  it('takes the Kafka TLS files all together or not at all', () => {
    expect(loadConfig(demo, { WEAVE_PSEUDONYM_KEY: key }).kafkaTlsCert).toBeUndefined();
    const all = { KAFKA_TLS_CA: '/pki/ca.crt', KAFKA_TLS_CERT: '/pki/svc.crt', KAFKA_TLS_KEY: '/pki/svc.key' };
    expect(loadConfig(demo, { WEAVE_PSEUDONYM_KEY: key, ...all })).toMatchObject({ kafkaTlsCa: '/pki/ca.crt', kafkaTlsCert: '/pki/svc.crt', kafkaTlsKey: '/pki/svc.key' });
    // A partial set is an error naming what is missing, never a silent fall back to plaintext.
    expect(problemsOf({ WEAVE_PSEUDONYM_KEY: key, KAFKA_TLS_CERT: '/pki/svc.crt' })).toEqual(['KAFKA_TLS_CA', 'KAFKA_TLS_KEY']);
    expect(() => loadConfig(demo, { WEAVE_PSEUDONYM_KEY: key, KAFKA_TLS_CA: '/pki/ca.crt', KAFKA_TLS_CERT: '/pki/svc.crt' })).toThrow(
      'KAFKA_TLS_KEY: Kafka mutual TLS needs KAFKA_TLS_CA, KAFKA_TLS_CERT, KAFKA_TLS_KEY together (or none of them); only KAFKA_TLS_CA, KAFKA_TLS_CERT set',
    );
  });

  it('refuses a variable declared twice in one service', () => {
    expect(() => defineServiceConfig('x', { ...kafkaVariables('x'), again: kafkaVariables('x').kafkaBrokers })).toThrow(
      'KAFKA_BROKERS declared twice',
    );
  });

  it('declares distinct default gRPC ports per service, so they run side by side', () => {
    const addrs = serviceConfigs.map((d) => d.variables['grpcListenAddr']?.defaultValue);
    expect(new Set(addrs).size).toBe(serviceConfigs.length);
  });
});
