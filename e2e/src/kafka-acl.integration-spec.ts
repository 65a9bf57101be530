/**
 * The broker enforces who reads and writes what (deploy/local/kafka/acls.yaml), on the real
 * local broker with the services' real certificates from .local/pki: an adapter reads only its
 * own egress topic and writes only its own ingress topic, the gateway is the only reader of
 * ingress and writer of egress, and nobody gets in without a certificate from the development CA.
 */
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { createKafka } from '@weave/bus';
import { Topics, encodeEnvelope } from '@weave/contracts';
import { createTestPki, sampleIncidentEnvelope, serviceKafkaTls, testStack, uniqueName, type KafkaTls } from '@weave/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import pino from 'pino';

const stack = testStack();
const [host = '127.0.0.1', port = '9092'] = (stack.kafkaBrokers[0] ?? '').split(':');
const logger = pino({ level: 'silent' });

// Only a broker that speaks mutual TLS can tell principals apart. stack.sh starts ours so;
// an external plaintext broker (stack.env without KAFKA_TLS_*) enforces nothing to test.
const describeWithTls = stack.kafkaSsl ? describe : describe.skip;

const identity = (service: string): KafkaTls => {
  const tls = serviceKafkaTls(service);
  if (!tls) throw new Error('the local broker does not speak TLS');
  return tls;
};

const clients: { disconnect(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
});

function kafkaAs(service: string): Kafka {
  return createKafka({ brokers: stack.kafkaBrokers, clientId: uniqueName(`acl-${service}`), ssl: identity(service) }, logger);
}

/** kafkajs error types anywhere in an error (aggregates, causes), e.g. TOPIC_AUTHORIZATION_FAILED. */
function errorTypes(err: unknown): string[] {
  if (!(err instanceof Error)) return [];
  const e = err as Error & { type?: unknown; errors?: unknown; cause?: unknown; originalError?: unknown };
  return [
    ...(typeof e.type === 'string' ? [e.type] : []),
    ...(Array.isArray(e.errors) ? e.errors.flatMap(errorTypes) : []),
    ...errorTypes(e.cause),
    ...errorTypes(e.originalError),
  ];
}

async function producerOf(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  clients.push(producer);
  return producer;
}

/** Sends one valid envelope; resolves with its event id (the message key). */
async function send(producer: Producer, topic: string): Promise<string> {
  const envelope = sampleIncidentEnvelope(1);
  await producer.send({ topic, acks: -1, messages: [{ key: envelope.eventId, value: encodeEnvelope(envelope) }] });
  return envelope.eventId;
}

/** The error a send fails with (types), or [] when it succeeded. */
async function sendRefusal(kafka: Kafka, topic: string): Promise<string[]> {
  const producer = await producerOf(kafka);
  return send(producer, topic).then(
    () => [],
    (err: unknown) => errorTypes(err),
  );
}

/**
 * Reads `topic` from the beginning in a new group until the message keyed `key` arrives
 * (resolves 'read'), or the consumer fails (resolves with the error types).
 */
async function read(kafka: Kafka, topic: string, groupId: string, key?: string, timeoutMs = 30_000): Promise<'read' | string[]> {
  const consumer: Consumer = kafka.consumer({ groupId, retry: { retries: 0, restartOnFailure: async () => false } });
  clients.push(consumer);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<'read' | string[]>((resolve) => {
      const timer = setTimeout(() => resolve(['TIMEOUT']), timeoutMs);
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        resolve(errorTypes(payload.error));
      });
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (key === undefined || message.key?.toString() === key) {
              clearTimeout(timer);
              resolve('read');
            }
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          resolve(errorTypes(err));
        });
    });
  } catch (err) {
    return errorTypes(err);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** A raw TLS handshake followed by one read: resolves with the error the broker ends it with. */
function tlsRefusal(options: { cert?: Buffer; key?: Buffer; ca: Buffer }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port: Number(port), servername: 'localhost', ...options });
    const done = (why: string) => {
      socket.destroy();
      resolve(why);
    };
    socket.once('error', (err) => done(err.message));
    socket.once('secureConnect', () => {
      // TLS 1.3: the server judges the client certificate after the client's Finished, so a
      // refusal arrives as an alert on the first read. An accepted client gets no data (Kafka
      // waits for a request), so silence for 2 s means the broker let it in.
      setTimeout(() => done('ACCEPTED'), 2_000);
    });
    socket.once('close', () => done('closed'));
  });
}

/** kafkajs without retries, so a refused connection fails fast. */
function rawKafka(ssl: false | { ca: Buffer[]; cert?: Buffer; key?: Buffer }): Kafka {
  return new Kafka({ clientId: uniqueName('acl-anon'), brokers: stack.kafkaBrokers, ssl, connectionTimeout: 3_000, retry: { retries: 0 }, logLevel: logLevel.NOTHING });
}

async function adminRefusal(kafka: Kafka): Promise<string> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return 'ACCEPTED';
  } catch (err) {
    return err instanceof Error ? err.name : String(err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

describeWithTls('Kafka ACLs on the local broker (mutual TLS, principal = certificate CN)', () => {
  const otherEgress: string[] = [];

  beforeAll(async () => {
    // Every egress topic the broker has, as the operator sees them (one per directory system).
    const admin = createKafka({ brokers: stack.kafkaBrokers, clientId: uniqueName('acl-operator'), ssl: stack.kafkaSsl }, logger).admin();
    await admin.connect();
    otherEgress.push(...(await admin.listTopics()).filter((t) => t.startsWith('weave.egress.') && t !== Topics.ProtectionEgress).sort());
    await admin.disconnect();
    expect(otherEgress).toContain('weave.egress.police.v1');
  });

  it('lets the gateway write egress, and adapter-protection consume its own egress topic', async () => {
    const key = await send(await producerOf(kafkaAs('gateway')), Topics.ProtectionEgress);
    expect(await read(kafkaAs('adapter-protection'), Topics.ProtectionEgress, uniqueName('adapter-protection-acl'), key)).toBe('read');
  });

  it("refuses adapter-protection every other system's egress topic", async () => {
    const protection = kafkaAs('adapter-protection');
    for (const topic of otherEgress) {
      expect({ topic, result: await read(protection, topic, uniqueName('adapter-protection-acl'), undefined, 10_000) }).toEqual({
        topic,
        result: expect.arrayContaining(['TOPIC_AUTHORIZATION_FAILED']),
      });
    }
  });

  it("refuses adapter-protection writing another system's ingress topic, or any egress topic", async () => {
    const protection = kafkaAs('adapter-protection');
    expect(await sendRefusal(protection, Topics.PoliceIngress)).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(await sendRefusal(protection, Topics.ProtectionEgress)).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets adapter-police write its ingress topic but not read it; the gateway reads it', async () => {
    const police = kafkaAs('adapter-police');
    const key = await send(await producerOf(police), Topics.PoliceIngress);
    expect(await read(police, Topics.PoliceIngress, uniqueName('adapter-police-acl'), undefined, 10_000)).toEqual(expect.arrayContaining(['TOPIC_AUTHORIZATION_FAILED']));
    expect(await read(kafkaAs('gateway'), Topics.PoliceIngress, uniqueName('gateway-acl'), key)).toBe('read');
  });

  it("refuses a consumer group outside the principal's prefix, and topic creation outside its dead-letter prefix", async () => {
    // kafkajs reports a refused group as "Failed to find group coordinator"; the broker's
    // actual answer (GROUP_AUTHORIZATION_FAILED) is only in its debug log.
    const seen: string[] = [];
    const tls = identity('adapter-protection');
    const logged = new Kafka({
      clientId: uniqueName('acl-adapter-protection'),
      brokers: stack.kafkaBrokers,
      ssl: { ca: [readFileSync(tls.caPath)], cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) },
      retry: { retries: 0 },
      logLevel: logLevel.DEBUG,
      logCreator: () => ({ log }) => {
        const type = (log['error'] as { type?: unknown } | undefined)?.type;
        if (typeof type === 'string') seen.push(type);
      },
    });
    expect(await read(logged, Topics.ProtectionEgress, uniqueName('gateway-fanout-stolen'), undefined, 10_000)).not.toBe('read');
    expect(seen).toContain('GROUP_AUTHORIZATION_FAILED');

    const protection = kafkaAs('adapter-protection');
    const admin = protection.admin();
    await admin.connect();
    clients.push(admin);
    const created = (name: string) =>
      admin.createTopics({ topics: [{ topic: name, numPartitions: 1, replicationFactor: 1 }] }).then(
        () => 'created',
        (err: unknown) => errorTypes(err),
      );
    expect(await created(`weave.test.${uniqueName('acl')}.v1`)).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(await created(`weave.dlq.gateway-${uniqueName('acl')}.v1`)).toContain('TOPIC_AUTHORIZATION_FAILED');
    expect(await created(`weave.dlq.${uniqueName('adapter-protection-acl')}.v1`)).toBe('created');
  });

  it('refuses the gateway reading egress or writing ingress (it only relays one way)', async () => {
    const gateway = kafkaAs('gateway');
    expect(await read(gateway, Topics.ProtectionEgress, uniqueName('gateway-acl'), undefined, 10_000)).toEqual(expect.arrayContaining(['TOPIC_AUTHORIZATION_FAILED']));
    expect(await sendRefusal(gateway, Topics.PoliceIngress)).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets no client in without a certificate from the development CA', async () => {
    const ca = readFileSync(identity('adapter-protection').caPath);
    // plaintext: there is no plaintext listener
    expect(await adminRefusal(rawKafka(false))).not.toBe('ACCEPTED');
    // TLS without a client certificate
    expect(await tlsRefusal({ ca })).toMatch(/alert bad certificate|alert certificate required/); // Java: bad_certificate (42)
    expect(await adminRefusal(rawKafka({ ca: [ca] }))).not.toBe('ACCEPTED');
    // a certificate with a trusted-looking name from another CA
    const forged = createTestPki('weave-acl-forged').issue('adapter-protection');
    const forgedTls = { ca, cert: readFileSync(forged.certPath), key: readFileSync(forged.keyPath) };
    expect(await tlsRefusal(forgedTls)).toMatch(/alert certificate unknown|alert unknown ca|alert bad certificate/); // Java: certificate_unknown (46)
    expect(await adminRefusal(rawKafka({ ca: [ca], cert: forgedTls.cert, key: forgedTls.key }))).not.toBe('ACCEPTED');
    // the genuine certificate, for contrast
    const genuine = identity('adapter-protection');
    expect(await tlsRefusal({ ca, cert: readFileSync(genuine.certPath), key: readFileSync(genuine.keyPath) })).toBe('ACCEPTED');
  });
});
