import { parseDocument } from 'yaml';
import { ScreeningRulesError, loadScreeningRules, loadScreeningRulesFile } from './load-screening-rules';
import schema from './screening-rules.schema.json';
import {
  FAMILY_CASE_STATUSES,
  PERSON_ROLES,
  REPORTER_TYPES,
  REPORT_CHANNELS,
  RISK_LIGHTS,
  SCREENING_CATEGORIES,
  SCREENING_FLAGS,
  VULNERABLE_NEEDS,
} from './screening-vocabulary';
import { SHIPPED_RULES_PATH, shippedRulesText } from './testing/screening-fixtures';

function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(shippedRulesText());
  edit(doc);
  return doc.toString();
}

function problemsOf(text: string): string[] {
  try {
    loadScreeningRules(text, 'test.yaml');
  } catch (err) {
    if (err instanceof ScreeningRulesError) return [...err.problems];
    throw err;
  }
  return [];
}

/** Index of a rule in the shipped file, so edits survive reordering. */
function ruleIndex(id: string): number {
  const doc = parseDocument(shippedRulesText()).toJS() as { rules: { id: string }[] };
  const i = doc.rules.findIndex((r) => r.id === id);
  if (i < 0) throw new Error(`no rule ${id}`);
  return i;
}

describe('loadScreeningRules', () => {
  it('loads the shipped rules', () => {
    const rules = loadScreeningRulesFile(SHIPPED_RULES_PATH);
    expect(rules.version).toMatch(/^\d{4}\.\d{2}\.\d+$/);
    expect(rules.categoriseRules.length).toBeGreaterThan(0);
    expect(rules.urgencyRules.length).toBeGreaterThan(0);
    expect(rules.categoriseRules.every((r) => r.phase === 'categorise')).toBe(true);
    expect(Object.keys(rules.defaultLight).sort()).toEqual([...SCREENING_CATEGORIES].sort());
  });

  it('says which file cannot be read', () => {
    expect(() => loadScreeningRulesFile('/nonexistent/rules.yaml')).toThrow(/\/nonexistent\/rules.yaml rejected:\n {2}- cannot read file \(ENOENT\)/);
  });

  it('keeps the schema enums and the TypeScript vocabulary in step', () => {
    const d = schema.definitions;
    expect(d.category.enum).toEqual([...SCREENING_CATEGORIES]);
    expect(d.light.enum).toEqual([...RISK_LIGHTS]);
    expect(d.channel.enum).toEqual([...REPORT_CHANNELS]);
    expect(d.reporter_type.enum).toEqual([...REPORTER_TYPES]);
    expect(d.need.enum).toEqual([...VULNERABLE_NEEDS]);
    expect(d.role.enum).toEqual([...PERSON_ROLES]);
    expect(d.family_case.enum).toEqual([...FAMILY_CASE_STATUSES]);
    expect(d.flag.enum).toEqual([...SCREENING_FLAGS]);
  });

  it.each([
    ['not YAML', 'screening: [unclosed', /not valid YAML/],
    ['a duplicated key', 'screening: weave-screening\nscreening: again\n', /not valid YAML/],
    ['an empty file', '', /^\/ must be object/],
    ['another kind of file', 'policy: weave-disclosure\n', /must have required property 'screening'/],
  ])('refuses %s', (_name, text, problem) => {
    expect(problemsOf(text).join('\n')).toMatch(problem);
  });

  it.each<[string, (d: ReturnType<typeof parseDocument>) => void, RegExp]>([
    ['a bad version', (d) => d.set('version', 'v2'), /\/version must match pattern/],
    ['an impossible date', (d) => d.set('effective_from', '2026-13-45'), /effective_from: not a date/],
    ['a missing default light', (d) => d.deleteIn(['default_light', 'suicide-risk']), /\/default_light must have required property 'suicide-risk'/],
    ['an unknown light', (d) => d.setIn(['default_light', 'suicide-risk'], 'purple'), /\/default_light\/suicide-risk must be equal to one of the allowed values \(red, orange, yellow, green\)/],
    ['an unknown category in a default', (d) => d.setIn(['default_light', 'shoe-repair'], 'green'), /must NOT have additional properties: shoe-repair/],
    ['an indicator without keywords', (d) => d.setIn(['indicators', 'weapon', 'keywords'], []), /\/indicators\/weapon\/keywords must NOT have fewer than 1 items/],
    ['a repeated keyword', (d) => d.setIn(['indicators', 'weapon', 'keywords'], ['槍', '槍']), /\/indicators\/weapon\/keywords must NOT have duplicate items/],
    ['keywords equal after normalisation', (d) => d.setIn(['indicators', 'weapon', 'keywords'], ['ＡＢ', 'ab']), /indicator weapon: keywords repeat after normalisation/],
    ['an except phrase with no keyword in it', (d) => d.setIn(['indicators', 'suicide-talk', 'except'], ['很開心']), /indicator suicide-talk: except phrase "很開心" contains none of its keywords/],
    ['a bad indicator name', (d) => d.setIn(['indicators', 'Weapon!'], { description: 'x', keywords: ['x'] }), /property name must be valid|must match pattern/],
  ])('refuses %s', (_name, edit, problem) => {
    expect(problemsOf(edited(edit)).join('\n')).toMatch(problem);
  });

  it.each<[string, string, (d: ReturnType<typeof parseDocument>, i: number) => void, RegExp]>([
    ['an id of the wrong form', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'id'], 'weapon rule'), /rule weapon rule id \(\/rules\/\d+\/id\) must match pattern/],
    ['an unknown condition', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'when', 'colour'], 'red'), /rule L04-weapon when \(\/rules\/\d+\/when\) must NOT have additional properties: colour/],
    ['an unknown category', 'S03-child-harmed-in-welfare-report', (d, i) => d.setIn(['rules', i, 'when', 'category', 0], 'cat-rescue'), /rule S03-child-harmed-in-welfare-report when.category.0 .* must be equal to one of the allowed values/],
    ['an unknown light', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'then', 'light'], 'amber'), /rule L04-weapon then.light .* must be equal to one of the allowed values \(red, orange, yellow, green\)/],
    ['an unknown need', 'L12-child-without-food', (d, i) => d.setIn(['rules', i, 'then', 'add_needs', 0], 'yacht'), /rule L12-child-without-food then.add_needs.0/],
    ['an unknown channel', 'L19-job-seeker-in-need', (d, i) => d.setIn(['rules', i, 'when', 'channel', 0], 'carrier-pigeon'), /rule L19-job-seeker-in-need when.channel.0/],
    ['an unknown reporter type', 'L03-suicide-talk-self-report', (d, i) => d.setIn(['rules', i, 'when', 'reporter_type', 0], 'oracle'), /rule L03-suicide-talk-self-report when.reporter_type.0/],
    ['an unknown role', 'L07-young-child-injured', (d, i) => d.setIn(['rules', i, 'when', 'person', 'roles', 0], 'king'), /rule L07-young-child-injured when.person.roles.0/],
    ['an unknown family case status', 'L18-known-family-protection-report', (d, i) => d.setIn(['rules', i, 'when', 'family_case', 0], 'closed'), /rule L18-known-family-protection-report when.family_case.0/],
    ['an unknown flag', 'L21-juvenile-harmed-at-home', (d, i) => d.setIn(['rules', i, 'then', 'flags', 0], 'vip'), /rule L21-juvenile-harmed-at-home then.flags.0/],
    ['an unknown phase', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'phase'], 'later'), /rule L04-weapon phase .* must be equal to one of the allowed values \(categorise, urgency\)/],
    ['an empty when', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'when'], {}), /rule L04-weapon when .* must NOT have fewer than 1 properties/],
    ['an empty then', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'then'], {}), /rule L04-weapon then .* must NOT have fewer than 1 properties/],
    ['a missing description', 'L04-weapon', (d, i) => d.deleteIn(['rules', i, 'description']), /rule L04-weapon .* must have required property 'description'/],
    ['a negative age', 'L07-young-child-injured', (d, i) => d.setIn(['rules', i, 'when', 'person', 'age_max'], -1), /rule L07-young-child-injured when.person.age_max/],
    ['a duplicated id', 'L05-strangulation', (d, i) => d.setIn(['rules', i, 'id'], 'L04-weapon'), /rule L04-weapon: id used more than once/],
    ['an unknown indicator', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'when', 'indicators_any'], ['bazooka']), /rule L04-weapon: when.indicators_any names unknown indicator bazooka/],
    ['an unknown indicator in indicators_all', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'when', 'indicators_all'], ['weapon', 'bazooka']), /rule L04-weapon: when.indicators_all names unknown indicator bazooka/],
    ['an age range upside down', 'L07-young-child-injured', (d, i) => d.setIn(['rules', i, 'when', 'person', 'age_min'], 10), /rule L07-young-child-injured: when.person.age_min 10 is above age_max 5/],
    ['a categorise rule without a category effect', 'S06-violence-in-welfare-report', (d, i) => d.setIn(['rules', i, 'then'], { light: 'red' }), /rule S06-violence-in-welfare-report: then.category is required in phase categorise/],
    ['a categorise rule without a category condition', 'S06-violence-in-welfare-report', (d, i) => d.deleteIn(['rules', i, 'when', 'category']), /rule S06-violence-in-welfare-report: when.category is required in phase categorise/],
    ['a categorise rule that changes nothing', 'S06-violence-in-welfare-report', (d, i) => d.setIn(['rules', i, 'when', 'category'], ['adult-protection']), /rule S06-violence-in-welfare-report: then.category adult-protection is also in when.category/],
    ['an urgency rule that re-categorises', 'L04-weapon', (d, i) => d.setIn(['rules', i, 'then', 'category'], 'adult-protection'), /rule L04-weapon: then.category is only allowed in phase categorise/],
    ['an urgency rule below every default', 'L16-psychosis-crisis', (d, i) => d.setIn(['rules', i, 'then', 'light'], 'yellow'), /rule L16-psychosis-crisis: then.light yellow is never above the default light of mental-health-crisis/],
  ])('refuses a rule with %s, naming the rule and field', (_name, id, edit, problem) => {
    const i = ruleIndex(id);
    expect(problemsOf(edited((d) => edit(d, i))).join('\n')).toMatch(problem);
  });

  it('lists every problem at once', () => {
    const i = ruleIndex('L04-weapon');
    const j = ruleIndex('L05-strangulation');
    const problems = problemsOf(
      edited((d) => {
        d.setIn(['rules', i, 'when', 'indicators_any'], ['bazooka']);
        d.setIn(['rules', j, 'when', 'indicators_any'], ['trebuchet']);
      }),
    );
    expect(problems).toHaveLength(2);
  });
});
