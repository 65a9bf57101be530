import type { GrantInput } from './consent.model';
import { grantProblems } from './consent.validation';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const DAY = 24 * 3600 * 1000;

const valid: GrantInput = {
  subjectPseudonym: `p1_${'a'.repeat(26)}`,
  givenBy: 'guardian',
  kind: 'consent',
  categories: ['welfare_benefit_status'],
  recipientRoles: ['school_counselling'],
  recipientUnits: [],
  purposes: ['case_coordination'],
  validFrom: NOW,
  validUntil: new Date(NOW.getTime() + 365 * DAY),
  evidenceReference: 'SWC-FORM-2026-000123',
};

type Row = [string, Partial<GrantInput>, string | undefined];

const rows: Row[] = [
  ['a valid consent', {}, undefined],
  ['a waiver naming a unit instead of a role', { kind: 'waiver', recipientRoles: [], recipientUnits: ['nantou-student-counselling-centre'] }, undefined],
  ['no valid_until (until withdrawn)', { validUntil: null }, undefined],
  ['valid_until exactly five years ahead', { validUntil: new Date('2031-11-23T09:00:00.000Z') }, undefined],
  ['valid_from defaulted', { validFrom: undefined }, undefined],
  ['a family pseudonym as subject', { subjectPseudonym: `f1_${'a'.repeat(26)}` }, 'subject_pseudonym'],
  ['a national ID number as subject', { subjectPseudonym: 'A123456789' }, 'subject_pseudonym'],
  ['an upper-case pseudonym', { subjectPseudonym: `p1_${'A'.repeat(26)}` }, 'subject_pseudonym'],
  ['a short pseudonym', { subjectPseudonym: `p1_${'a'.repeat(25)}` }, 'subject_pseudonym'],
  ['no giver', { givenBy: undefined }, 'given_by'],
  ['an unknown giver', { givenBy: 'neighbour' }, 'given_by'],
  ['no kind', { kind: undefined }, 'kind'],
  ['an unknown kind', { kind: 'UNRECOGNIZED' }, 'kind'],
  ['no category', { categories: [] }, 'scope.categories'],
  ['a category outside the vocabulary', { categories: ['welfare_benefit_status', 'shoe_size'] }, 'scope.categories[1]'],
  ['no purpose', { purposes: [] }, 'scope.purposes'],
  ['a purpose outside the vocabulary', { purposes: ['marketing'] }, 'scope.purposes[0]'],
  ['statistics as a purpose', { purposes: ['case_coordination', 'statistics'] }, 'scope.purposes[1]'],
  ['neither role nor unit', { recipientRoles: [], recipientUnits: [] }, 'scope.recipient_roles'],
  ['a role outside the vocabulary', { recipientRoles: ['journalist'] }, 'scope.recipient_roles[0]'],
  ['a unit that is not a unit id', { recipientUnits: ['王小明'] }, 'scope.recipient_units[0]'],
  ['valid_until before valid_from', { validUntil: new Date(NOW.getTime() - DAY) }, 'valid_until'],
  ['valid_until equal to valid_from', { validUntil: NOW }, 'valid_until'],
  ['valid_until more than five years ahead', { validUntil: new Date('2031-11-23T09:00:00.001Z') }, 'valid_until'],
  ['an invalid valid_from', { validFrom: new Date(Number.NaN) }, 'valid_from'],
  ['an empty evidence reference', { evidenceReference: '' }, 'evidence_reference'],
  ['a blank evidence reference', { evidenceReference: '   ' }, 'evidence_reference'],
  ['an evidence reference of 201 characters', { evidenceReference: 'x'.repeat(201) }, 'evidence_reference'],
  ['an evidence reference with a national ID number', { evidenceReference: 'form of A123456789' }, 'evidence_reference'],
  ['an evidence reference with a phone number', { evidenceReference: 'call 0912-345-678' }, 'evidence_reference'],
  ['an evidence reference with a name', { evidenceReference: '陳小明同意書' }, 'evidence_reference'],
  ['an evidence reference with narrative', { evidenceReference: '案主於家訪時口頭同意揭露' }, 'evidence_reference'],
];

describe('grantProblems', () => {
  it.each(rows)('%s', (_, change, field) => {
    const problems = grantProblems({ ...valid, ...change }, NOW);
    if (field === undefined) {
      expect(problems).toEqual([]);
    } else {
      expect(problems.map((p) => p.field)).toEqual([field]);
      expect(problems[0]?.description.length).toBeGreaterThan(0);
    }
  });

  it('accepts an evidence reference of exactly 200 characters', () => {
    expect(grantProblems({ ...valid, evidenceReference: 'x'.repeat(200) }, NOW)).toEqual([]);
  });

  it('lists every problem at once and never repeats the offending evidence text', () => {
    const problems = grantProblems(
      { ...valid, subjectPseudonym: 'x', givenBy: undefined, categories: [], purposes: ['statistics'], recipientRoles: [], evidenceReference: 'A123456789' },
      NOW,
    );
    expect(problems.map((p) => p.field)).toEqual(['subject_pseudonym', 'given_by', 'scope.categories', 'scope.purposes[0]', 'scope.recipient_roles', 'evidence_reference']);
    expect(JSON.stringify(problems)).not.toContain('A123456789');
  });
});
