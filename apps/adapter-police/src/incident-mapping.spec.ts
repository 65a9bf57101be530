import { IncidentKind, PoliceIncidentRecordedEvent, SubjectRole, type RecordIncidentRequest } from '@weave/contracts';
import { PseudonymKey } from '@weave/identity';
import { incidentRequestViolations, toIncidentRecorded } from './incident-mapping';

const key = new PseudonymKey(Buffer.alloc(32, 3));

function request(overrides: Partial<RecordIncidentRequest> = {}): RecordIncidentRequest {
  return {
    incidentId: 'NT-110-000123',
    kind: IncidentKind.INCIDENT_KIND_DOMESTIC_VIOLENCE,
    townshipCode: '10008010',
    parties: [
      { nationalId: 'A123456789', role: SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR },
      { nationalId: 'F131104093', role: SubjectRole.SUBJECT_ROLE_VICTIM },
    ],
    precinctUnitId: 'nantou-puli-precinct',
    childrenPresent: true,
    weaponInvolved: false,
    occurredAt: '2026-11-20T13:05:00.000Z',
    ...overrides,
  };
}

describe('incidentRequestViolations', () => {
  it('accepts a complete incident', () => {
    expect(incidentRequestViolations(request())).toEqual([]);
  });

  it('names every bad field without echoing values', () => {
    const violations = incidentRequestViolations(
      request({
        incidentId: '',
        kind: IncidentKind.INCIDENT_KIND_UNSPECIFIED,
        townshipCode: 'Puli',
        occurredAt: undefined,
        parties: [{ nationalId: 'A123456788', role: SubjectRole.SUBJECT_ROLE_UNSPECIFIED }],
      }),
    );
    expect(violations.map((v) => v.field)).toEqual(['incident_id', 'kind', 'township_code', 'occurred_at', 'parties[0].national_id', 'parties[0].role']);
    expect(JSON.stringify(violations)).not.toContain('A123456788');
  });

  it('requires at least one and at most 50 parties', () => {
    expect(incidentRequestViolations(request({ parties: [] })).map((v) => v.field)).toEqual(['parties']);
    const many = Array.from({ length: 51 }, () => ({ nationalId: 'A123456789', role: SubjectRole.SUBJECT_ROLE_WITNESS }));
    expect(incidentRequestViolations(request({ parties: many })).map((v) => v.description)).toEqual(['at most 50 parties']);
  });
});

describe('toIncidentRecorded', () => {
  it('replaces national ID numbers with pseudonyms and yields a valid canonical event', () => {
    const event = toIncidentRecorded(request(), key);
    expect(event.persons).toEqual([
      { pseudonym: key.personPseudonym('A123456789'), role: SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR },
      { pseudonym: key.personPseudonym('F131104093'), role: SubjectRole.SUBJECT_ROLE_VICTIM },
    ]);
    expect(JSON.stringify(event)).not.toMatch(/A123456789|F131104093/);
    expect(PoliceIncidentRecordedEvent.validate(event)).toEqual([]);
  });
});
