import fc from 'fast-check';
import { Agency } from './generated/weave/common/v1/agency';
import { DataCategory } from './generated/weave/common/v1/data_category';
import { EventEnvelope, SubjectRole } from './generated/weave/common/v1/envelope';
import { IncidentKind, IncidentRecorded } from './generated/weave/police/v1/incident';
import { PoliceIncidentRecordedEvent } from './event-registry';
import { EnvelopeError, createEnvelope, decodeEnvelope, decodeEvent, encodeEnvelope, eventIdFor } from './envelope';

const victim = `p1_${'a'.repeat(26)}`;
const suspect = `p1_${'b'.repeat(26)}`;

function incident(overrides: Partial<IncidentRecorded> = {}): IncidentRecorded {
  return IncidentRecorded.fromPartial({
    incidentId: 'NT-110-2026-000123',
    kind: IncidentKind.INCIDENT_KIND_DOMESTIC_VIOLENCE,
    townshipCode: '10008010',
    persons: [
      { pseudonym: victim, role: SubjectRole.SUBJECT_ROLE_VICTIM },
      { pseudonym: suspect, role: SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR },
    ],
    precinctUnitId: 'nantou-puli-precinct',
    occurredAt: '2026-11-20T13:05:00.000Z',
    ...overrides,
  });
}

function envelopeFor(payload: IncidentRecorded): EventEnvelope {
  return createEnvelope({
    definition: PoliceIncidentRecordedEvent,
    payload,
    source: { agency: Agency.AGENCY_POLICE, system: 'police-110', unitId: 'nantou-puli-precinct' },
    subjects: payload.persons.map((p) => ({ pseudonym: p.pseudonym, role: p.role })),
    occurredAt: payload.occurredAt ?? '2026-11-20T13:05:00.000Z',
    now: new Date('2026-11-20T13:06:00.000Z'),
  });
}

function failureOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvelopeError) return err.failure;
    throw err;
  }
  return 'none';
}

describe('event envelope', () => {
  it('round-trips through Kafka bytes with its payload and labels', () => {
    const envelope = envelopeFor(incident());
    const decoded = decodeEvent(decodeEnvelope(encodeEnvelope(envelope)));
    expect(decoded.payload).toEqual(incident());
    expect(decoded.envelope.eventType).toBe('police.incident.recorded.v1');
    expect(decoded.envelope.dataCategories).toEqual([DataCategory.DATA_CATEGORY_POLICE_INCIDENT]);
    expect(decoded.envelope.correlationId).toBe(envelope.eventId);
    expect(decoded.envelope.recordedAt).toBe('2026-11-20T13:06:00.000Z');
  });

  it('refuses to build an envelope around an invalid payload', () => {
    expect(() => envelopeFor(incident({ incidentId: '', persons: [] }))).toThrow(
      'payload-invalid: incident_id: required; persons: at least one person',
    );
  });

  it.each([
    ['empty bytes', Buffer.alloc(0), 'not-an-envelope'],
    ['JSON text', Buffer.from('{"hello":"world"}'), 'not-an-envelope'],
    ['plain text', Buffer.from('not protobuf at all'), 'not-an-envelope'],
  ])('classifies %s as %s', (_name, bytes, expected) => {
    expect(failureOf(() => decodeEnvelope(bytes))).toBe(expected);
  });

  it('rejects an envelope whose event id is not a UUID', () => {
    const envelope = { ...envelopeFor(incident()), eventId: 'abc' };
    expect(failureOf(() => decodeEnvelope(encodeEnvelope(envelope)))).toBe('invalid-envelope');
  });

  it('rejects a raw national ID in place of a subject pseudonym', () => {
    const envelope = envelopeFor(incident());
    envelope.subjects[0] = { pseudonym: 'A123456789', role: SubjectRole.SUBJECT_ROLE_VICTIM };
    const err = (() => {
      try {
        decodeEnvelope(encodeEnvelope(envelope));
      } catch (e) {
        return e as EnvelopeError;
      }
      throw new Error('expected a failure');
    })();
    expect(err.problems).toContain('subjects[0].pseudonym: expected a pseudonym');
    expect(err.message).not.toContain('A123456789');
  });

  it('classifies unknown types, mismatched and undecodable payloads', () => {
    const base = envelopeFor(incident());
    expect(failureOf(() => decodeEvent({ ...base, eventType: 'police.incident.deleted.v1' }))).toBe('unknown-event-type');
    expect(failureOf(() => decodeEvent({ ...base, payloadType: 'weave.police.v1.Other' }))).toBe('payload-type-mismatch');
    expect(failureOf(() => decodeEvent({ ...base, payload: Buffer.from([0xff, 0xff, 0xff]) }))).toBe('payload-undecodable');
    expect(failureOf(() => decodeEvent({ ...base, payload: Buffer.alloc(0) }))).toBe('payload-invalid');
    expect(failureOf(() => decodeEvent({ ...base, dataCategories: [] }))).toBe('invalid-envelope');
  });

  it('never throws anything but an EnvelopeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          decodeEvent(decodeEnvelope(Buffer.from(bytes)));
        } catch (err) {
          expect(err).toBeInstanceOf(EnvelopeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('eventIdFor', () => {
  it('is a stable UUID per source and reference', () => {
    const id = eventIdFor('police-110', 'NT-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('police-110', 'NT-1')).toBe(id);
    expect(eventIdFor('police-110', 'NT-2')).not.toBe(id);
    expect(eventIdFor('police-other', 'NT-1')).not.toBe(id);
  });
});
