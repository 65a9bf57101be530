import { decide } from './decide';
import { minimiseFields } from './minimise';
import { requestAndFacts, shippedPolicy } from './testing/policy-fixtures';

const policy = shippedPolicy();

function releaseFor(scenario: Parameters<typeof requestAndFacts>[0]) {
  const { request, facts } = requestAndFacts(scenario);
  const release = decide(policy, request, facts).releases[0];
  if (!release) throw new Error('expected a release');
  return release;
}

describe('minimiseFields', () => {
  const fields = [
    { name: 'case_type', value: 'child_abuse' },
    { name: 'alleged_perpetrator_pseudonym', value: 'p1_xxxxxxxxxxxxxxxxxxxxxxxxxx' },
    { name: 'risk_level', value: 'high' },
    { name: 'home_address', value: 'somewhere' },
  ];

  it('keeps the released fields and withholds the rest with the rule and a reason', () => {
    const release = releaseFor({ role: 'protection_team', purpose: 'risk_assessment', categories: ['protection_case_details'], involved: true });
    const { kept, withheld } = minimiseFields(policy, release, fields);
    expect(kept.map((f) => f.name)).toEqual(['case_type', 'risk_level']);
    expect(withheld.map((w) => [w.field, w.reason, w.ruleId])).toEqual([
      ['alleged_perpetrator_pseudonym', 'field_not_permitted', 'R21-protection-details-statutory'],
      ['home_address', 'field_not_permitted', 'R21-protection-details-statutory'],
    ]);
    expect(withheld[1]?.explanation).toBe('the policy defines no field home_address for protection case details');
    expect(JSON.stringify(withheld)).not.toContain('somewhere');
  });

  it('keeps everything a rule releases whole', () => {
    const release = releaseFor({ role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['identity'], involved: true });
    const identity = policy.categoryFields.identity.map((name) => ({ name, value: 1 }));
    expect(minimiseFields(policy, release, identity)).toEqual({ kept: identity, withheld: [] });
  });
});
