import {
  IncidentKind,
  SubjectRole,
  type FieldViolation,
  type IncidentRecorded,
  type RecordIncidentRequest,
} from '@weave/contracts';
import { isValidNationalId, type PseudonymKey } from '@weave/identity';

const TOWNSHIP_CODE = /^[0-9]{8}$/;
const INCIDENT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Field-level problems of an incident submitted by the police system; values never appear. */
export function incidentRequestViolations(request: RecordIncidentRequest): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const add = (field: string, description: string) => violations.push({ field, description });
  if (!INCIDENT_ID.test(request.incidentId)) add('incident_id', 'required: 1-64 letters, digits or dashes');
  if (request.kind === IncidentKind.INCIDENT_KIND_UNSPECIFIED || request.kind === IncidentKind.UNRECOGNIZED) {
    add('kind', 'required: an IncidentKind other than UNSPECIFIED');
  }
  if (!TOWNSHIP_CODE.test(request.townshipCode)) add('township_code', 'required: 8-digit township code');
  if (!request.precinctUnitId) add('precinct_unit_id', 'required');
  if (!request.occurredAt || Number.isNaN(Date.parse(request.occurredAt))) add('occurred_at', 'required: a timestamp');
  if (request.parties.length === 0) add('parties', 'at least one party');
  if (request.parties.length > 50) add('parties', 'at most 50 parties');
  request.parties.forEach((party, i) => {
    if (!isValidNationalId(party.nationalId)) add(`parties[${i}].national_id`, 'not a valid national ID number');
    if (party.role === SubjectRole.SUBJECT_ROLE_UNSPECIFIED || party.role === SubjectRole.UNRECOGNIZED) {
      add(`parties[${i}].role`, 'required');
    }
  });
  return violations;
}

/**
 * The canonical event for a valid request: national ID numbers become pseudonyms here,
 * at the police system's boundary, and go no further.
 */
export function toIncidentRecorded(request: RecordIncidentRequest, key: PseudonymKey): IncidentRecorded {
  return {
    incidentId: request.incidentId,
    kind: request.kind,
    townshipCode: request.townshipCode,
    persons: request.parties.map((p) => ({ pseudonym: key.personPseudonym(p.nationalId), role: p.role })),
    precinctUnitId: request.precinctUnitId,
    childrenPresent: request.childrenPresent,
    weaponInvolved: request.weaponInvolved,
    occurredAt: request.occurredAt,
  };
}
