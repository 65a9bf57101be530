import { PoliceIncidentRecordedEvent, decodeEvent, type DecodedEvent } from '@weave/contracts';
import { migrate, createPool } from '@weave/runtime';
import { testStack, uniqueSchema } from '@weave/testing';
import { sampleIncidentEnvelope } from '@weave/testing';
import { MIGRATIONS_DIR } from './adapter-protection.module';
import { ReceivedEventsRepository } from './received-events.repository';

const pool = createPool(testStack().databaseUrl, 'adapter-protection-test', 2);
const schema = uniqueSchema('protection');

beforeAll(() => migrate(pool, schema, MIGRATIONS_DIR));
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

describe('ReceivedEventsRepository', () => {
  it('records a disclosed event once, however often it is redelivered', async () => {
    const repository = new ReceivedEventsRepository(pool, schema);
    const event: DecodedEvent = decodeEvent(sampleIncidentEnvelope(7));
    expect(event.definition).toBe(PoliceIncidentRecordedEvent);
    expect(await repository.record(event, 'abc')).toBe(true);
    expect(await repository.record(event, 'abc')).toBe(false);
    expect(await repository.find(event.envelope.eventId)).toEqual({ eventId: event.envelope.eventId, sourceEventId: event.envelope.eventId, eventType: 'police.incident.recorded.v1', traceId: 'abc' });
    const { rows } = await pool.query(`SELECT payload, subjects, data_categories FROM ${schema}.received_events`);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ incidentId: 'TEST-7', kind: 'INCIDENT_KIND_FAMILY_DISPUTE' });
    expect(rows[0].data_categories).toEqual(['DATA_CATEGORY_POLICE_INCIDENT']);
  });
});
