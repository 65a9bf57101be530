import { DataCategory, IncidentKind, IncidentRecorded, PoliceIncidentRecordedEvent, SubjectRole, type EventDefinition } from '@weave/contracts';
import { minimisePayload } from './payload-minimiser';

const incident = IncidentRecorded.fromPartial({
  incidentId: 'NT-1',
  kind: IncidentKind.INCIDENT_KIND_DOMESTIC_VIOLENCE,
  townshipCode: '10008010',
  persons: [{ pseudonym: `p1_${'a'.repeat(26)}`, role: SubjectRole.SUBJECT_ROLE_VICTIM }],
  precinctUnitId: 'nantou-police-nantou',
  childrenPresent: true,
  occurredAt: '2026-11-20T10:00:00.000Z',
});

describe('minimisePayload', () => {
  it('keeps everything when the category is released', () => {
    const { payload, withheldFields } = minimisePayload(PoliceIncidentRecordedEvent, incident, new Set([DataCategory.DATA_CATEGORY_POLICE_INCIDENT]));
    expect(IncidentRecorded.decode(payload)).toEqual(incident);
    expect(withheldFields).toEqual([]);
  });

  it('clears every field of a withheld category and names them', () => {
    const { payload, withheldFields } = minimisePayload(PoliceIncidentRecordedEvent, incident, new Set());
    expect(IncidentRecorded.decode(payload)).toEqual(IncidentRecorded.fromPartial({}));
    expect(withheldFields).toEqual(['incident_id', 'kind', 'township_code', 'persons', 'precinct_unit_id', 'children_present', 'occurred_at']);
  });

  it('clears only the fields mapped to a withheld category', () => {
    const definition: EventDefinition<IncidentRecorded> = {
      ...PoliceIncidentRecordedEvent,
      fieldCategories: { townshipCode: DataCategory.DATA_CATEGORY_DV_VICTIM_WHEREABOUTS },
    };
    const { payload, withheldFields } = minimisePayload(definition, incident, new Set([DataCategory.DATA_CATEGORY_POLICE_INCIDENT]));
    const decoded = IncidentRecorded.decode(payload);
    expect(decoded.townshipCode).toBe('');
    expect(decoded.incidentId).toBe('NT-1');
    expect(withheldFields).toEqual(['township_code']);
  });
});
