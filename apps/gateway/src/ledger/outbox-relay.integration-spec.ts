import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { EventBus } from '@weave/bus';
import {
  DataCategory,
  DisclosureKind,
  GatewayDisclosureRecordedEvent,
  LegalBasis,
  Outcome,
  Purpose,
  RecipientRole,
  SubjectRole,
  type DecodedEvent,
  type DisclosureRecorded,
} from '@weave/contracts';
import { expectEventually, sampleIncidentEnvelope, testStack, uniqueName, uniqueSchema } from '@weave/testing';
import pino from 'pino';
import { DisclosureLedger, type LedgerReceipt } from './disclosure-ledger';
import { ledgerEventId } from './ledger-event';
import { OutboxRelay, enqueueOutbox } from '@weave/runtime';
import { JUSTIFICATION, dropSchema, migrateTestSchema, sampleEntry, testPool } from './testing/ledger-fixtures';

// A tracer provider, so that publish spans exist and carry the recorded trace.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

/** Log lines, to see the relay's failures (and that they carry no personal data). */
const logLines: string[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  }),
);

const pool = testPool(uniqueName('outbox-test'), 6);
const schemas: string[] = [];
const relays: OutboxRelay[] = [];
const ledgers: DisclosureLedger[] = [];
let bus: EventBus;

beforeAll(async () => {
  bus = new EventBus({ brokers: testStack().kafkaBrokers, ssl: testStack().kafkaSsl, clientId: uniqueName('outbox-test') }, logger);
  await bus.connect();
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await Promise.all(ledgers.map((l) => l.close()));
  await bus.close();
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
  await provider.shutdown();
});

async function setUp(topic: string): Promise<{ schema: string; ledger: DisclosureLedger }> {
  const schema = uniqueSchema('outbox');
  schemas.push(schema);
  await migrateTestSchema(pool, schema);
  const ledger = new DisclosureLedger(pool, schema, logger, { eventTopic: topic });
  ledgers.push(ledger);
  return { schema, ledger };
}

function newRelay(schema: string, options: { idleMs?: number; batchSize?: number } = {}): OutboxRelay {
  const relay = new OutboxRelay(pool, schema, bus.publisher, logger, { idleMs: 50, initialBackoffMs: 100, maxBackoffMs: 1_000, ...options });
  relays.push(relay);
  relay.start();
  return relay;
}

async function collect(topic: string): Promise<DecodedEvent[]> {
  const received: DecodedEvent[] = [];
  const subscription = await bus.subscribe({ groupId: uniqueName('outbox-collector'), topics: [topic], handler: async (e) => void received.push(e) });
  await subscription.ready;
  return received;
}

async function outboxCount(schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.outbox`);
  return rows[0]?.n ?? -1;
}

describe('OutboxRelay on a real broker', () => {
  it('publishes each ledger entry as gateway.disclosure.recorded.v1, without the claim, and empties the outbox', async () => {
    const topic = `weave.test.${uniqueName('disclosures')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const { schema, ledger } = await setUp(topic);
    const received = await collect(topic);

    const withClaim = sampleEntry({
      kind: 'break_glass',
      breakGlass: true,
      outcome: 'permit',
      bases: ['imminent_danger'],
      purpose: 'emergency_response',
      categoriesReleased: ['dv_victim_whereabouts'],
      categoriesWithheld: [],
      claim: { basis: 'imminent_danger', reason: 'threat_of_serious_harm', justification: JUSTIFICATION },
    });
    const withoutSubject = sampleEntry({ kind: 'event_withheld', subjectPseudonym: '', requesterUnit: '', requesterRole: '', outcome: 'deny', traceId: '' });
    const others = Array.from({ length: 20 }, () => sampleEntry());
    const receipts = await Promise.all([withClaim, withoutSubject, ...others].map((e) => ledger.append(e)));
    expect(await outboxCount(schema)).toBe(22);
    newRelay(schema);

    await expectEventually(() => expect(new Set(received.map((e) => e.envelope.eventId)).size).toBe(22));
    await expectEventually(async () => expect(await outboxCount(schema)).toBe(0));

    const first = receipts[0] as LedgerReceipt;
    const event = received.find((e) => e.envelope.eventId === ledgerEventId(first.entryId));
    expect(event?.definition).toBe(GatewayDisclosureRecordedEvent);
    expect(event?.envelope.source).toEqual({ agency: 7, system: 'weave-gateway', unitId: 'gateway' });
    expect(event?.envelope.subjects).toEqual([{ pseudonym: withClaim.subjectPseudonym, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }]);
    expect(event?.payload).toEqual<DisclosureRecorded>({
      sequence: first.sequence,
      entryId: first.entryId,
      kind: DisclosureKind.DISCLOSURE_KIND_BREAK_GLASS,
      requesterUnit: withClaim.requesterUnit,
      requesterRole: RecipientRole.RECIPIENT_ROLE_SOCIAL_WELFARE_CENTRE,
      subjectPseudonym: withClaim.subjectPseudonym,
      purpose: Purpose.PURPOSE_EMERGENCY_RESPONSE,
      bases: [LegalBasis.LEGAL_BASIS_IMMINENT_DANGER],
      policyVersion: withClaim.policyVersion,
      consentsUsed: [{ consentId: 'c-1', version: 2 }],
      categoriesReleased: [DataCategory.DATA_CATEGORY_DV_VICTIM_WHEREABOUTS],
      categoriesWithheld: [],
      outcome: Outcome.OUTCOME_PERMIT,
      traceId: withClaim.traceId,
      recordedAt: first.recordedAt.toISOString(),
      entryHash: first.entryHash,
      previousHash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown as string,
      decisionId: withClaim.decisionId,
      sourceEventId: '',
      breakGlass: true,
    });
    // The justification (and the rest of the claim) stays in the ledger.
    expect(Buffer.from(JSON.stringify(received.map((e) => e.payload))).toString()).not.toContain(JUSTIFICATION);
    const stored = await pool.query<{ claim: { justification: string } }>(`SELECT claim FROM ${schema}.ledger WHERE entry_id = $1`, [first.entryId]);
    expect(stored.rows[0]?.claim.justification).toBe(JUSTIFICATION);
    // The event joins the trace the entry records.
    expect(event?.envelope.traceContext?.traceparent).toMatch(new RegExp(`^00-${withClaim.traceId}-[0-9a-f]{16}-01$`));
    const publishSpan = exporter.getFinishedSpans().find((s) => s.name === `${topic} publish` && s.attributes['messaging.message.id'] === event?.envelope.eventId);
    expect(publishSpan?.spanContext().traceId).toBe(withClaim.traceId);

    const anonymous = received.find((e) => e.envelope.eventId === ledgerEventId((receipts[1] as LedgerReceipt).entryId));
    expect(anonymous?.envelope.subjects).toEqual([]);
    expect((anonymous?.payload as DisclosureRecorded | undefined)?.kind).toBe(DisclosureKind.DISCLOSURE_KIND_EVENT_WITHHELD);
  });

  it('keeps the rows while publishing fails (a topic that does not exist) and publishes them once it works', async () => {
    const topic = `weave.test.${uniqueName('late-topic')}.v1`;
    const { schema, ledger } = await setUp(topic);
    const receipts = await Promise.all(Array.from({ length: 5 }, () => ledger.append(sampleEntry({ claim: { basis: 'duty_to_warn', reason: 'threat_to_identified_third_party', justification: JUSTIFICATION } }))));
    const failuresBefore = logLines.filter((l) => l.includes('batch not published')).length;
    newRelay(schema);

    await expectEventually(() => expect(logLines.filter((l) => l.includes('batch not published')).length).toBeGreaterThan(failuresBefore), { timeoutMs: 60_000 });
    expect(await outboxCount(schema)).toBe(5);

    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const received = await collect(topic);
    await expectEventually(() => expect(new Set(received.map((e) => e.envelope.eventId))).toEqual(new Set(receipts.map((r) => ledgerEventId(r.entryId)))), {
      timeoutMs: 60_000,
    });
    await expectEventually(async () => expect(await outboxCount(schema)).toBe(0));
    // What was logged about the failures names no person and no justification.
    const logged = logLines.join('');
    expect(logged).not.toContain(JUSTIFICATION);
    expect(logged).not.toMatch(/p1_[a-z2-7]{26}/);
  }, 150_000);

  it('lets several relays share one outbox (SKIP LOCKED) without publishing a row twice', async () => {
    const topic = `weave.test.${uniqueName('shared')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const { schema, ledger } = await setUp(topic);
    const received = await collect(topic);
    const relaysHere = [newRelay(schema, { batchSize: 10, idleMs: 10 }), newRelay(schema, { batchSize: 10, idleMs: 10 }), newRelay(schema, { batchSize: 10, idleMs: 10 })];
    const receipts = await Promise.all(Array.from({ length: 300 }, () => ledger.append(sampleEntry())));
    await expectEventually(() => expect(received).toHaveLength(300), { timeoutMs: 60_000 });
    expect(new Set(received.map((e) => e.envelope.eventId))).toEqual(new Set(receipts.map((r) => ledgerEventId(r.entryId))));
    expect(await outboxCount(schema)).toBe(0);
    await Promise.all(relaysHere.map((r) => r.stop()));
  });

  it('publishes what other components enqueue in their own transactions, only if they commit', async () => {
    const topic = `weave.test.${uniqueName('enqueued')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const { schema } = await setUp(topic);
    const received = await collect(topic);
    const committed = sampleIncidentEnvelope(1);
    const rolledBack = sampleIncidentEnvelope(2);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await enqueueOutbox(client, topic, rolledBack, 'k2', schema);
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query(`SET LOCAL search_path TO ${schema}`);
      await enqueueOutbox(client, topic, committed, 'k1');
      await client.query('COMMIT');
      await expect(enqueueOutbox(client, 'not a topic', committed, 'k1', schema)).rejects.toThrow('outbox: invalid topic name');
    } finally {
      client.release();
    }
    const relay = newRelay(schema);
    await expectEventually(() => expect(received.map((e) => e.envelope.eventId)).toEqual([committed.eventId]));
    await expectEventually(async () => expect(await outboxCount(schema)).toBe(0));
    await relay.stop();
    await relay.stop(); // idempotent
  });
});
