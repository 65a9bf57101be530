import { EventBus } from '@weave/bus';
import { Agency, IntakeReportDispatchedEvent, createEnvelope, type ReportDispatched } from '@weave/contracts';
import { expectEventually, testStack, uniqueName } from '@weave/testing';
import pino from 'pino';
import { DecisionFactsRepository } from './decision-facts.repository';
import { InvolvementRepository } from './involvement.repository';
import { registryEventsHandler } from './registry-events.handler';
import { child, dispatch, familyPseudonym, perpetrator, personPseudonym, testDatabase, victim, type TestDatabase } from './testing/registry-test-kit';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const NOW = new Date('2026-11-23T09:00:00.000Z');
const PROTECTION = 'nantou-protection-team';

let db: TestDatabase;
let bus: EventBus;

beforeAll(async () => {
  db = await testDatabase('registry_events');
  bus = new EventBus({ brokers: testStack().kafkaBrokers, ssl: testStack().kafkaSsl, clientId: uniqueName('registry-test') }, logger);
  await bus.connect();
});
afterAll(async () => {
  await bus.close();
  await db.drop();
});

function envelopeOf(payload: ReportDispatched) {
  return createEnvelope({
    definition: IntakeReportDispatchedEvent,
    payload,
    source: { agency: Agency.AGENCY_WEAVE, system: 'weave-intake', unitId: 'nantou-intake-centre' },
    subjects: payload.subjects,
    occurredAt: payload.dispatchedAt ?? NOW,
  });
}

describe('registry events on the real broker', () => {
  it('turns a published ReportDispatched into need-to-know, once however often it is delivered', async () => {
    const topic = `weave.test.${uniqueName('dispatches')}.v1`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const involvements = new InvolvementRepository(db.pool, db.schema);
    const facts = new DecisionFactsRepository(db.pool, db.schema);
    const subscription = await bus.subscribe({ groupId: uniqueName('registry-group'), topics: [topic], handler: registryEventsHandler(involvements) });
    await subscription.ready;

    const [mother, son, father] = [personPseudonym(), personPseudonym(), personPseudonym()];
    const family = familyPseudonym();
    const envelope = envelopeOf(dispatch(PROTECTION, [victim(mother), child(son), perpetrator(father)], { familyPseudonym: family }));
    await bus.publisher.publish(topic, envelope);
    await bus.publisher.publish(topic, envelope); // a duplicate, as a producer retry would send it

    const expected = [{ unitId: PROTECTION, kind: 'dispatched', validFrom: Date.parse('2026-11-20T08:00:00.000Z'), validUntil: Date.parse('2026-12-20T08:00:00.000Z') }];
    await expectEventually(async () => expect((await facts.load(PROTECTION, son, NOW)).facts.involvements).toEqual(expected));
    expect((await facts.load(PROTECTION, mother, NOW)).facts).toMatchObject({ involvements: expected, requesterServesAllegedPerpetrator: false });
    expect(await involvements.familyMembers(family)).toEqual([mother, son, father].sort());

    // A later event on the same partition is handled after the duplicate: then count rows.
    const marker = personPseudonym();
    await bus.publisher.publish(topic, envelopeOf(dispatch(PROTECTION, [child(marker)])));
    await expectEventually(async () => expect((await facts.load(PROTECTION, marker, NOW)).facts.involvements).toHaveLength(1));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${db.schema}.involvements WHERE source_event_id = $1`, [envelope.eventId]);
    expect(rows[0]).toEqual({ n: 3 });
  });
});
