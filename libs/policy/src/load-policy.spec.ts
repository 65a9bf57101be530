import { parseDocument } from 'yaml';
import { PolicyValidationError, loadPolicy } from './load-policy';
import { shippedPolicyText } from './testing/policy-fixtures';

/** The shipped policy with one edit applied to its YAML tree. */
function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(shippedPolicyText());
  edit(doc);
  return doc.toString();
}

function problemsOf(text: string): string[] {
  try {
    loadPolicy(text, 'test.yaml');
  } catch (err) {
    if (err instanceof PolicyValidationError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('loadPolicy', () => {
  it('loads and compiles the shipped policy', () => {
    const policy = loadPolicy(shippedPolicyText());
    expect(policy.version).toBe('2026.11.1');
    expect(Object.keys(policy.categoryFields)).toHaveLength(13);
    expect(policy.rules.mental_health?.social_welfare_centre?.case_coordination?.map((r) => r.id)).toEqual([
      'R30-mental-health-consent',
      'R36-mental-health-waiver',
    ]);
    expect(policy.prohibitions.identity?.map((p) => p.id)).toEqual(['P03-statistics-aggregate-only']);
  });

  it('orders each rule list statutory first, then registry bases, then claimed exceptions', () => {
    const policy = loadPolicy(shippedPolicyText());
    const order = ['statutory_duty', 'consent', 'client_waiver'];
    for (const byRole of Object.values(policy.rules)) {
      for (const byPurpose of Object.values(byRole ?? {})) {
        for (const rules of Object.values(byPurpose ?? {})) {
          const ranks = (rules ?? []).map((r) => (order.includes(r.basis) ? order.indexOf(r.basis) : 3));
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        }
      }
    }
  });

  it.each([
    ['not YAML', 'policy: [unclosed', /not valid YAML/],
    ['a duplicated key', 'policy: weave-disclosure\npolicy: again\n', /not valid YAML/],
    ['an empty file', '', /\/ must be object/],
  ])('refuses %s', (_name, text, problem) => {
    expect(problemsOf(text).join('\n')).toMatch(problem);
  });

  it.each<[string, (d: ReturnType<typeof parseDocument>) => void, RegExp]>([
    ['an unknown category in a rule', (d) => d.setIn(['rules', 0, 'categories', 0], 'shoe_size'), /\/rules\/0\/categories\/0 \(R01-identity-involved\) must be equal to one of the allowed values/],
    ['an unknown recipient role', (d) => d.setIn(['rules', 0, 'recipients'], ['mayor']), /\(R01-identity-involved\)/],
    ['an unknown key in a rule', (d) => d.setIn(['rules', 2, 'fieldz'], {}), /\/rules\/2 \(R03-identity-infectious\) must NOT have additional properties: fieldz/],
    ['a rule id of the wrong form', (d) => d.setIn(['rules', 0, 'id'], 'rule-one'), /\/rules\/0\/id \(rule-one\) must match pattern/],
    ['a missing category definition', (d) => d.deleteIn(['categories', 'criminal_record']), /must have required property 'criminal_record'/],
    ['a malformed version', (d) => d.set('version', 'latest'), /\/version must match pattern/],
    ['a misspelled need_to_know', (d) => d.setIn(['rules', 0, 'need_to_know'], 'yes'), /\/rules\/0\/need_to_know \(R01-identity-involved\) must be equal to one of the allowed values \(required, not_required\)/],
  ])('refuses %s, saying where', (_name, edit, problem) => {
    expect(problemsOf(edited(edit)).join('\n')).toMatch(problem);
  });

  it.each<[string, (d: ReturnType<typeof parseDocument>) => void, string]>([
    ['a duplicated rule id', (d) => d.setIn(['rules', 1, 'id'], 'R01-identity-involved'), 'R01-identity-involved: id used more than once'],
    ['fields of a category the rule does not release', (d) => d.setIn(['rules', 0, 'fields'], { mental_health: ['diagnosis_group'] }), 'R01-identity-involved: fields given for mental_health, which the rule does not release'],
    ['a field the category does not have', (d) => d.setIn(['rules', 0, 'fields'], { identity: ['name'] }), 'R01-identity-involved: identity has no field name'],
    ['a claimed basis without reasons', (d) => d.deleteIn(['exceptions', 'reasons', 'infectious_disease']), 'R03-identity-infectious: basis infectious_disease has no reasons under exceptions.reasons'],
    ['a rule releasing for an aggregate-only purpose', (d) => d.setIn(['rules', 0, 'purposes'], ['statistics']), 'R01-identity-involved: releases for statistics, which P03-statistics-aggregate-only makes aggregate-only'],
    ['a category coarser than itself', (d) => d.setIn(['minimum_necessary', 0, 'coarser'], 'protection_case_details'), 'minimum_necessary: protection_case_details cannot be coarser than itself'],
    ['a rule that minimum necessary always overrides', (d) => d.setIn(['minimum_necessary', 0, 'sufficient_for'], ['intake_screening', 'risk_assessment', 'case_conference', 'case_coordination', 'emergency_response', 'statutory_report']), 'R21-protection-details-statutory: never releases protection_case_details'],
    ['a break-glass basis without reasons', (d) => d.deleteIn(['exceptions', 'reasons', 'suicide_risk']), 'break_glass: basis suicide_risk has no reasons under exceptions.reasons'],
  ])('refuses %s', (_name, edit, problem) => {
    expect(problemsOf(edited(edit))).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });

  it('reports every problem at once, with the source name', () => {
    const text = edited((d) => {
      d.setIn(['rules', 1, 'id'], 'R01-identity-involved');
      d.setIn(['rules', 0, 'fields'], { identity: ['name'] });
    });
    expect(() => loadPolicy(text, 'policies/next.yaml')).toThrow(/^policy policies\/next.yaml rejected:\n {2}- R01.*\n {2}- R01/);
  });
});
