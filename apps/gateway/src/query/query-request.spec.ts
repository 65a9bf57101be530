import { DataCategory, ExceptionReason, LegalBasis, Purpose, QueryRequest } from '@weave/contracts';
import { loadPolicy } from '@weave/policy';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuery } from './query-request';

const policy = loadPolicy(readFileSync(join(__dirname, '../../../../policies/disclosure-policy.yaml'), 'utf8'));
const swc = { unitId: 'nantou-swc-puli', role: 'social_welfare_centre' as const };
const person = `p1_${'a'.repeat(26)}`;

function request(overrides: Partial<QueryRequest>): QueryRequest {
  return QueryRequest.fromPartial({ personPseudonym: person, purpose: Purpose.PURPOSE_CASE_COORDINATION, ...overrides });
}

function fields(overrides: Partial<QueryRequest>): string[] {
  return parseQuery(request(overrides), policy, swc).violations.map((v) => v.field);
}

describe('parseQuery', () => {
  it('accepts a person query and expands empty categories to all', () => {
    const { query, violations } = parseQuery(request({}), policy, swc);
    expect(violations).toEqual([]);
    expect(query?.subject).toEqual({ kind: 'person', pseudonym: person });
    expect(query?.categories).toHaveLength(13);
  });

  it('keeps asked categories once each', () => {
    const { query } = parseQuery(request({ categories: [DataCategory.DATA_CATEGORY_IDENTITY, DataCategory.DATA_CATEGORY_IDENTITY, DataCategory.DATA_CATEGORY_MENTAL_HEALTH] }), policy, swc);
    expect(query?.categories).toEqual(['identity', 'mental_health']);
  });

  it.each<[string, Partial<QueryRequest>, string[]]>([
    ['a national ID number instead of a pseudonym', { personPseudonym: 'A123456789' }, ['person_pseudonym']],
    ['no subject', { personPseudonym: undefined }, ['subject']],
    ['a malformed family pseudonym', { personPseudonym: undefined, familyPseudonym: 'f1_x' }, ['family_pseudonym']],
    ['no purpose', { purpose: Purpose.PURPOSE_UNSPECIFIED }, ['purpose']],
    ['an unspecified category', { categories: [DataCategory.DATA_CATEGORY_UNSPECIFIED] }, ['categories[0]']],
    ['a claim without a reason', { basisClaim: { basis: LegalBasis.LEGAL_BASIS_IMMINENT_DANGER, reason: ExceptionReason.EXCEPTION_REASON_UNSPECIFIED, justification: 'x'.repeat(30) } }, ['basis_claim.reason']],
    ['a claim with a short justification', { basisClaim: { basis: LegalBasis.LEGAL_BASIS_SUICIDE_RISK, reason: ExceptionReason.EXCEPTION_REASON_SUICIDE_ATTEMPT_OR_PLAN, justification: 'short' } }, ['basis_claim.justification']],
    ['consent claimed as an exception', { basisClaim: { basis: LegalBasis.LEGAL_BASIS_CONSENT, reason: ExceptionReason.EXCEPTION_REASON_WRITTEN_WAIVER_ON_FILE, justification: 'x'.repeat(30) } }, ['basis_claim.basis', 'basis_claim.reason']],
    ['break-glass for a purpose other than emergency', { breakGlass: { basis: LegalBasis.LEGAL_BASIS_IMMINENT_DANGER, reason: ExceptionReason.EXCEPTION_REASON_THREAT_OF_SERIOUS_HARM, justification: 'x'.repeat(30) } }, ['purpose']],
    ['break-glass under duty to warn', { purpose: Purpose.PURPOSE_EMERGENCY_RESPONSE, breakGlass: { basis: LegalBasis.LEGAL_BASIS_DUTY_TO_WARN, reason: ExceptionReason.EXCEPTION_REASON_THREAT_TO_IDENTIFIED_THIRD_PARTY, justification: 'x'.repeat(30) } }, ['break_glass.basis']],
    ['personal data in the reference', { requesterReference: 'case of A123456789' }, ['requester_reference']],
  ])('rejects %s', (_name, overrides, expected) => {
    expect(fields(overrides)).toEqual(expected);
  });

  it('never echoes a value in a violation', () => {
    const { violations } = parseQuery(request({ personPseudonym: 'A123456789', requesterReference: 'A123456789' }), policy, swc);
    expect(JSON.stringify(violations)).not.toContain('A123456789');
  });
});
