import { NANTOU } from '@weave/synthetic';
import { parseDocument } from 'yaml';
import { DispatchRoutingError, loadDispatchRouting, loadDispatchRoutingFile, referencedUnits, unknownUnits } from './load-dispatch-routing';
import { SHIPPED_TABLE_PATH, directorySupervisors, shippedTableText } from './testing/dispatch-fixtures';

function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(shippedTableText());
  edit(doc);
  return doc.toString();
}

function problemsOf(text: string): string[] {
  try {
    loadDispatchRouting(text, 'test.yaml');
  } catch (err) {
    if (err instanceof DispatchRoutingError) return [...err.problems];
    throw err;
  }
  return [];
}

type Edit = (d: ReturnType<typeof parseDocument>) => void;

describe('loadDispatchRouting', () => {
  const table = loadDispatchRoutingFile(SHIPPED_TABLE_PATH);

  it('loads the shipped Nantou table', () => {
    expect(table.countyCode).toBe('10008');
    expect(table.districts.map((d) => [d.id, d.welfareCentre])).toEqual([
      ['nantou', 'nantou-swc-nantou'],
      ['caotun', 'nantou-swc-caotun'],
      ['puli', 'nantou-swc-puli'],
      ['shuili', 'nantou-swc-shuili'],
      ['zhulu', 'nantou-swc-zhulu'],
    ]);
    expect(table.townships.size).toBe(13);
    expect(table.deadlineMinutes).toEqual({ red: 60, orange: 240, yellow: 720, green: 1440 });
  });

  it('has exactly the synthetic county\'s districts, township codes and police precincts', () => {
    for (const d of NANTOU.districts) {
      for (const t of d.townships) {
        expect(table.townships.get(t.code)).toEqual({ code: t.code, name: t.name, districtId: d.id, welfareCentre: `nantou-swc-${d.id}`, policePrecinct: `nantou-police-${t.policePrecinct}` });
      }
    }
    expect([...table.townships.keys()].sort()).toEqual(NANTOU.townships.map((t) => t.code).sort());
  });

  it('names only units that policies/directory.yaml knows', () => {
    const known = new Set(directorySupervisors().keys());
    expect(unknownUnits(table, known)).toEqual([]);
    expect(referencedUnits(table)).toContain('nantou-juvenile-counselling-committee');
    expect(unknownUnits(table, new Set(['nantou-cmhc']))).toContain('nantou-protection-team');
  });

  it('says which file cannot be read', () => {
    expect(() => loadDispatchRoutingFile('/nonexistent.yaml')).toThrow(/cannot read file \(ENOENT\)/);
  });

  it.each([
    ['not YAML', 'routing: [unclosed', /not valid YAML/],
    ['a duplicated key', 'routing: weave-dispatch\nrouting: x\n', /not valid YAML/],
    ['an empty file', '', /^\/ must be object/],
  ])('refuses %s', (_name, text, problem) => {
    expect(problemsOf(text).join('\n')).toMatch(problem);
  });

  it.each<[string, Edit, RegExp]>([
    ['a deadline over 24 hours', (d) => d.setIn(['deadlines_hours', 'green'], 48), /\/deadlines_hours\/green must be <= 24/],
    ['a zero deadline', (d) => d.setIn(['deadlines_hours', 'red'], 0), /\/deadlines_hours\/red must be > 0/],
    ['a missing deadline', (d) => d.deleteIn(['deadlines_hours', 'yellow']), /\/deadlines_hours must have required property 'yellow'/],
    ['a graver light with a later deadline', (d) => d.setIn(['deadlines_hours', 'red'], 6), /deadlines_hours.red: 6 h is later than orange \(4 h\)/],
    ['red no sooner than green', (d) => { d.setIn(['deadlines_hours', 'red'], 24); d.setIn(['deadlines_hours', 'orange'], 24); d.setIn(['deadlines_hours', 'yellow'], 24); }, /deadlines_hours.red: must be sooner than green/],
    ['a graver light with a longer grace', (d) => d.setIn(['escalation', 'grace_minutes', 'red'], 90), /escalation.grace_minutes.red: 90 min is longer than orange \(60 min\)/],
    ['an unknown upper level', (d) => d.setIn(['escalation', 'upper_level'], 'president'), /escalation.upper_level names unknown role president/],
    ['a self-supervising unit', (d) => d.setIn(['escalation', 'supervisors'], { 'nantou-cmhc': 'nantou-cmhc' }), /escalation.supervisors.nantou-cmhc: a unit cannot supervise itself/],
    ['a bad county code', (d) => d.setIn(['county', 'code'], '8'), /\/county\/code must match pattern/],
    ['a township outside the county', (d) => d.setIn(['districts', 0, 'townships', 0, 'code'], '10009010'), /district nantou: township 10009010 \(南投市\) is not under county 10008/],
    ['a township in two districts', (d) => d.setIn(['districts', 1, 'townships', 0, 'code'], '10008010'), /district caotun: township 10008010 \(草屯鎮\) is already in a district/],
    ['a bad township code', (d) => d.setIn(['districts', 0, 'townships', 0, 'code'], '1000801'), /district nantou townships.0.code \(\/districts\/0\/townships\/0\/code\) must match pattern/],
    ['a district listed twice', (d) => d.setIn(['districts', 1, 'id'], 'nantou'), /district nantou: listed more than once/],
    ['one welfare centre for two districts', (d) => d.setIn(['districts', 1, 'welfare_centre'], 'nantou-swc-nantou'), /district caotun: welfare_centre nantou-swc-nantou already serves another district/],
    ['a district without townships', (d) => d.setIn(['districts', 0, 'townships'], []), /district nantou townships \(\/districts\/0\/townships\) must NOT have fewer than 1 items/],
    ['an unknown route target', (d) => d.setIn(['routes', 0, 'primary'], 'mayor'), /route R01-protection: primary names unknown role mayor/],
    ['an unknown secondary target', (d) => d.setIn(['secondary', 0, 'add'], 'mayor'), /secondary C01-employment-need: add names unknown role mayor/],
    ['an unknown category in a route', (d) => d.setIn(['routes', 0, 'when', 'category', 0], 'pets'), /route R01-protection when.category.0 .* must be equal to one of the allowed values/],
    ['an unknown school status', (d) => d.setIn(['routes', 2, 'when', 'school_status', 0], 'homeschool'), /route R11-juvenile-in-school when.school_status.0/],
    ['a needs condition on a primary route', (d) => d.setIn(['routes', 0, 'when', 'needs_any'], ['economic']), /route R01-protection when .* must NOT have additional properties: needs_any/],
    ['a duplicated route id', (d) => d.setIn(['routes', 1, 'id'], 'R01-protection'), /route R01-protection: id used more than once/],
    ['a route id reused by the lead-unit rule', (d) => d.setIn(['lead_unit', 'id'], 'R01-protection'), /route R01-protection: id used more than once/],
    ['a category with no route', (d) => d.deleteIn(['routes', 6]), /routes: no route for category mental-health-crisis \(school_status in-school, protection_concern false\)/],
    ['a juvenile school status with no route', (d) => d.deleteIn(['routes', 4]), /routes: no route for category juvenile-deviant-behaviour \(school_status unknown, protection_concern false\)/],
    ['a route that is never chosen', (d) => d.setIn(['routes', 2, 'when'], { category: ['child-protection'] }), /route R11-juvenile-in-school: never chosen/],
    ['a category in two merge groups', (d) => d.setIn(['incident_merge', 'category_groups', 'welfare'], ['vulnerable-family', 'suicide-risk']), /incident_merge.category_groups.welfare: suicide-risk is already in mental-health/],
    ['a category in no merge group', (d) => d.deleteIn(['incident_merge', 'category_groups', 'juvenile']), /incident_merge.category_groups: juvenile-deviant-behaviour is in no group/],
    ['a merge window over a week', (d) => d.setIn(['incident_merge', 'window_hours'], 200), /\/incident_merge\/window_hours must be <= 168/],
    ['an unknown unknown-township role', (d) => d.setIn(['unknown_township', 'unit'], 'nobody'), /unknown_township.unit names unknown role nobody/],
    ['a lead-unit status that is not a case', (d) => d.setIn(['lead_unit', 'family_case', 0], 'closed'), /\/lead_unit\/family_case\/0 must be equal to one of the allowed values/],
    ['an unknown key', (d) => d.set('colour', 'blue'), /must NOT have additional properties: colour/],
  ])('refuses %s', (_name, edit, problem) => {
    expect(problemsOf(edited(edit)).join('\n')).toMatch(problem);
  });
});
