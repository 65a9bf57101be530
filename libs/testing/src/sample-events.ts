import {
  Agency,
  IncidentKind,
  IncidentRecorded,
  PoliceIncidentRecordedEvent,
  SubjectRole,
  createEnvelope,
  type EventEnvelope,
} from '@weave/contracts';

/** A valid police incident envelope whose incident id carries a test sequence number. */
export function sampleIncidentEnvelope(sequence: number, pseudonymSeed = 'a'): EventEnvelope {
  const pseudonym = `p1_${pseudonymSeed.repeat(26).slice(0, 26)}`;
  const payload = IncidentRecorded.fromPartial({
    incidentId: `TEST-${sequence}`,
    kind: IncidentKind.INCIDENT_KIND_FAMILY_DISPUTE,
    townshipCode: '10008010',
    persons: [{ pseudonym, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }],
    precinctUnitId: 'test-precinct',
    occurredAt: '2026-11-20T10:00:00.000Z',
  });
  return createEnvelope({
    definition: PoliceIncidentRecordedEvent,
    payload,
    source: { agency: Agency.AGENCY_POLICE, system: 'police-test', unitId: 'test-precinct' },
    subjects: [{ pseudonym, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }],
    occurredAt: payload.occurredAt ?? '2026-11-20T10:00:00.000Z',
  });
}

export function incidentIdOf(payload: unknown): string {
  return (payload as IncidentRecorded).incidentId;
}
