/**
 * The platform's first path, end to end on the real stack: the police adapter, the
 * gateway and the protection adapter run as separate processes; an incident submitted
 * over gRPC crosses police -> gateway -> protection in one trace, and malformed messages
 * on the way are dead-lettered without stopping the valid ones behind them.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import { EventBus, headerStrings } from '@weave/bus';
import {
  IncidentKind,
  PoliceAdapterServiceClient,
  SubjectRole,
  Topics,
  deadLetterTopic,
  encodeEnvelope,
  type RecordIncidentRequest,
  type RecordIncidentResponse,
} from '@weave/contracts';
import { fieldViolationsOf } from '@weave/runtime';
import {
  ServiceProcess,
  expectEventually,
  freePort,
  readSpans,
  serviceKafkaEnv,
  testStack,
  uniqueName,
  uniqueSchema,
  waitUntilServing,
} from '@weave/testing';
import type { KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import pino from 'pino';

const stack = testStack();
const workDir = mkdtempSync(join(tmpdir(), 'weave-e2e-'));
const tracesDir = join(workDir, 'traces');
// Consumer groups the services' ACLs allow (deploy/local/kafka/acls.yaml), unique per run.
const gatewayGroup = uniqueName('gateway-e2e');
const protectionGroup = uniqueName('adapter-protection-e2e');
const protectionSchema = uniqueSchema('e2e_protection');
const gatewaySchema = uniqueSchema('e2e_gateway');
// Valid national ID numbers (checksum-correct); they must never appear in logs or traces.
const PERPETRATOR_ID = 'A123456789';
const VICTIM_ID = 'F131104093';

let services: ServiceProcess[] = [];
let policeAddr = '';
let police: PoliceAdapterServiceClient;
let db: Client;
let bus: EventBus;

function record(request: RecordIncidentRequest): Promise<RecordIncidentResponse> {
  return new Promise((resolve, reject) => police.recordIncident(request, (err, res) => (err ? reject(err) : resolve(res))));
}

function incident(incidentId: string): RecordIncidentRequest {
  return {
    incidentId,
    kind: IncidentKind.INCIDENT_KIND_DOMESTIC_VIOLENCE,
    townshipCode: '10008010',
    parties: [
      { nationalId: PERPETRATOR_ID, role: SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR },
      { nationalId: VICTIM_ID, role: SubjectRole.SUBJECT_ROLE_VICTIM },
    ],
    precinctUnitId: 'nantou-puli-precinct',
    childrenPresent: true,
    weaponInvolved: false,
    occurredAt: new Date().toISOString(),
  };
}

async function receivedRow(eventId: string): Promise<{ trace_id: string; payload: Record<string, unknown>; recipient_unit: string } | undefined> {
  const { rows } = await db.query(`SELECT trace_id, payload, recipient_unit FROM ${protectionSchema}.received_events WHERE source_event_id = $1`, [eventId]);
  return rows[0];
}

beforeAll(async () => {
  const [gatewayPort, policePort, protectionPort] = [await freePort(), await freePort(), await freePort()];
  policeAddr = `127.0.0.1:${policePort}`;
  const common = {
    DATABASE_URL: stack.databaseUrl,
    REDIS_URL: stack.redisUrl,
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '10000',
  };
  const specs: { app: string; addr: string; env: Record<string, string> }[] = [
    { app: 'gateway', addr: `127.0.0.1:${gatewayPort}`, env: { KAFKA_CONSUMER_GROUP: gatewayGroup, GATEWAY_REGISTRY_CONSUMER_GROUP: uniqueName('gateway-e2e-registry'), DATABASE_SCHEMA: gatewaySchema } },
    {
      app: 'adapter-police',
      addr: policeAddr,
      env: { WEAVE_PSEUDONYM_KEY: Buffer.alloc(32, 9).toString('base64'), KAFKA_CLIENT_ID: uniqueName('e2e-police') },
    },
    { app: 'adapter-protection', addr: `127.0.0.1:${protectionPort}`, env: { KAFKA_CONSUMER_GROUP: protectionGroup, DATABASE_SCHEMA: protectionSchema } },
  ];
  services = specs.map((s) =>
    ServiceProcess.start({
      app: s.app,
      logFile: join(workDir, 'logs', `${s.app}.log`),
      // Each service connects to Kafka with its OWN certificate, so the broker enforces its ACLs.
      env: { ...common, ...serviceKafkaEnv(s.app), ...s.env, GRPC_LISTEN_ADDR: s.addr, WEAVE_TRACES_FILE: join(tracesDir, `${s.app}.jsonl`) },
    }),
  );
  await Promise.all(services.map((service, i) => waitUntilServing(service, specs[i]?.addr ?? '')));
  police = new PoliceAdapterServiceClient(policeAddr, credentials.createInsecure());
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  bus = new EventBus({ brokers: stack.kafkaBrokers, ssl: stack.kafkaSsl, clientId: uniqueName('e2e-probe') }, pino({ level: 'silent' }));
  await bus.connect();
}, 120_000);

afterAll(async () => {
  police?.close();
  await bus?.close();
  await db?.query(`DROP SCHEMA IF EXISTS ${protectionSchema} CASCADE`).catch(() => undefined);
  await db?.query(`DROP SCHEMA IF EXISTS ${gatewaySchema} CASCADE`).catch(() => undefined);
  await db?.end();
  await Promise.all(services.map((s) => s.stop()));
});

describe('first path: police -> gateway -> protection', () => {
  it('delivers an incident in one trace across the three services', async () => {
    const response = await record(incident(uniqueName('NT')));
    expect(response.duplicate).toBe(false);
    expect(response.traceId).toMatch(/^[0-9a-f]{32}$/);

    const row = await expectEventually(async () => {
      const found = await receivedRow(response.eventId);
      expect(found).toBeDefined();
      return found;
    }, { timeoutMs: 30_000 });
    expect(row?.trace_id).toBe(response.traceId);
    expect(row?.recipient_unit).toBe('nantou-protection-team');
    expect(JSON.stringify(row?.payload)).not.toMatch(new RegExp(`${PERPETRATOR_ID}|${VICTIM_ID}`));

    const spans = await expectEventually(() => {
      const ofTrace = readSpans(tracesDir).filter((s) => s.traceId === response.traceId);
      expect(new Set(ofTrace.map((s) => s.service))).toEqual(new Set(['adapter-police', 'gateway', 'adapter-protection']));
      expect(ofTrace.map((s) => s.name)).toEqual(
        expect.arrayContaining([
          'grpc.weave.police.v1.PoliceAdapterService/RecordIncident',
          `${Topics.PoliceIngress} publish`,
          `${Topics.PoliceIngress} process`,
          `${Topics.ProtectionEgress} publish`,
          `${Topics.ProtectionEgress} process`,
        ]),
      );
      return ofTrace;
    }, { timeoutMs: 20_000 });
    const byName = (name: string) => spans.find((s) => s.name === name);
    expect(byName(`${Topics.PoliceIngress} publish`)?.service).toBe('adapter-police');
    expect(byName(`${Topics.PoliceIngress} process`)?.service).toBe('gateway');
    expect(byName(`${Topics.ProtectionEgress} process`)?.service).toBe('adapter-protection');
    // Every hop's parent is the hop before it, starting from the gRPC server span.
    expect(byName(`${Topics.PoliceIngress} publish`)?.parentSpanId).toBe(byName('grpc.weave.police.v1.PoliceAdapterService/RecordIncident')?.spanId);
    expect(byName(`${Topics.PoliceIngress} process`)?.parentSpanId).toBe(byName(`${Topics.PoliceIngress} publish`)?.spanId);
    // Another gateway on the same broker (the gateway's integration test, running in parallel
    // with its own consumer group) may relay the same incident too, so the protection adapter
    // can process two copies: one of them is the child of this run's gateway's publish span.
    expect(spans.filter((s) => s.name === `${Topics.ProtectionEgress} process`).map((s) => s.parentSpanId)).toContain(byName(`${Topics.ProtectionEgress} publish`)?.spanId);
    // Redis and PostgreSQL calls are part of the same trace.
    expect(spans.some((s) => s.service === 'adapter-police' && String(s.attributes['db.system'] ?? '') === 'redis')).toBe(true);
    expect(spans.some((s) => s.service === 'adapter-protection' && String(s.attributes['db.system'] ?? '') === 'postgresql')).toBe(true);
  });

  it('answers a resubmission as a duplicate without publishing again', async () => {
    const request = incident(uniqueName('NT'));
    const first = await record(request);
    const second = await record(request);
    expect(second).toMatchObject({ eventId: first.eventId, duplicate: true });
  });

  it('rejects an invalid submission with field-level errors that do not echo values', async () => {
    const bad = { ...incident(''), townshipCode: 'Puli', parties: [{ nationalId: 'A123456788', role: SubjectRole.SUBJECT_ROLE_VICTIM }] };
    const err = await record(bad).then(
      () => undefined,
      (e: ServiceError) => e,
    );
    expect(err?.code).toBe(status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(err as ServiceError).map((v) => v.field)).toEqual(['incident_id', 'township_code', 'parties[0].national_id']);
    expect(err?.details).not.toContain('A123456788');
  });

  it('dead-letters malformed ingress messages with a reason while valid events keep flowing', async () => {
    const before = await record(incident(uniqueName('NT')));
    await bus.publisher.publishRaw(Topics.PoliceIngress, { key: 'poison', value: Buffer.from('this is not an envelope'), headers: {} });
    const envelopeWithBadPayload = {
      eventId: '00000000-0000-4000-8000-000000000001',
      eventType: 'police.incident.recorded.v1',
      schemaVersion: 1,
      source: { agency: 6, system: 'police-110', unitId: 'x' },
      occurredAt: new Date().toISOString(),
      recordedAt: new Date().toISOString(),
      subjects: [],
      dataCategories: [10],
      payloadType: 'weave.police.v1.IncidentRecorded',
      payload: Buffer.from([0xff, 0xff, 0xff]),
      correlationId: '',
      causationId: '',
    };
    await bus.publisher.publishRaw(Topics.PoliceIngress, { key: 'poison', value: encodeEnvelope(envelopeWithBadPayload), headers: {} });
    const after = await record(incident(uniqueName('NT')));

    await expectEventually(async () => {
      expect(await receivedRow(before.eventId)).toBeDefined();
      expect(await receivedRow(after.eventId)).toBeDefined();
    }, { timeoutMs: 30_000 });

    const dead: KafkaMessage[] = [];
    const consumer = bus.kafka.consumer({ groupId: uniqueName('e2e-dlq-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(gatewayGroup), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void dead.push(message) });
    try {
      await expectEventually(() => expect(dead.length).toBeGreaterThanOrEqual(2), { timeoutMs: 20_000 });
    } finally {
      await consumer.disconnect();
    }
    const failures = dead.map((m) => headerStrings(m.headers));
    expect(failures.map((h) => h['weave.dlq.failure'])).toEqual(expect.arrayContaining(['not-an-envelope', 'payload-undecodable']));
    for (const h of failures) {
      expect(h['weave.dlq.original_topic']).toBe(Topics.PoliceIngress);
      expect(h['weave.dlq.consumer_group']).toBe(gatewayGroup);
      expect(Number(h['weave.dlq.original_offset'])).toBeGreaterThanOrEqual(0);
    }
  });

  it('writes no national ID number to any log or trace file', () => {
    const files = [
      ...services.map((s) => s.logFile),
      ...readdirSync(tracesDir).map((f) => join(tracesDir, f)),
    ];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toContain(PERPETRATOR_ID);
      expect(text).not.toContain(VICTIM_ID);
    }
  });

  it('shuts every service down cleanly on SIGTERM', async () => {
    police.close(); // an open client keeps the server's grace period running
    const codes = await Promise.all(services.map((s) => s.stop()));
    expect(codes).toEqual([0, 0, 0]);
    for (const s of services) expect(s.logs()).toContain(`${s.app} stopped`);
  });
});
