import { NANTOU } from '@weave/synthetic';
import { SCREENING_CATEGORIES, type ScreeningCategory } from '@weave/screening';
import type { SchoolStatus } from './dispatch-routing-document';
import { route, type RouteInput } from './route';
import { shippedTable } from './testing/dispatch-fixtures';

const table = shippedTable();

function input(o: Partial<RouteInput> = {}): RouteInput {
  return { category: 'vulnerable-family', townshipCode: '10008010', needs: [], protectionConcern: false, ...o };
}

const ids = (d: ReturnType<typeof route>) => ({ primary: [d.primary.unitId, d.primary.ruleId], secondary: d.secondary.map((u) => [u.unitId, u.ruleId]) });

describe('route', () => {
  describe('every category in every township', () => {
    const expected: Readonly<Record<ScreeningCategory, (district: string) => [string, string]>> = {
      'child-protection': () => ['nantou-protection-team', 'R01-protection'],
      'adult-protection': () => ['nantou-protection-team', 'R01-protection'],
      'elder-protection': () => ['nantou-protection-team', 'R01-protection'],
      'sexual-assault': () => ['nantou-protection-team', 'R01-protection'],
      'vulnerable-family': (district) => [`nantou-swc-${district}`, 'R20-vulnerable-family'],
      'juvenile-deviant-behaviour': () => ['nantou-juvenile-counselling-committee', 'R13-juvenile-school-status-unknown'],
      'mental-health-crisis': () => ['nantou-cmhc', 'R30-mental-health'],
      'suicide-risk': () => ['nantou-cmhc', 'R30-mental-health'],
    };
    const cases = SCREENING_CATEGORIES.flatMap((c) => NANTOU.townships.map((t) => [c, t.code, t.name, t.districtId, t.policePrecinct] as const));
    it.each(cases)('%s in %s (%s)', (category, code, _name, district, precinct) => {
      const d = route(input({ category, townshipCode: code }), table);
      expect([d.primary.unitId, d.primary.ruleId]).toEqual(expected[category](district));
      expect(d.secondary).toEqual([]);
      expect(d.districtId).toBe(district);
      expect(d.policePrecinct).toBe(`nantou-police-${precinct}`);
      expect(d.tableVersion).toBe(table.version);
      expect(d.primary.why.length).toBeGreaterThan(0);
    });
  });

  describe('juvenile deviant behaviour (少年偏差行為)', () => {
    const jcc = 'nantou-juvenile-counselling-committee';
    const school = 'nantou-student-counselling-centre';
    const protection = 'nantou-protection-team';
    it.each<[string, SchoolStatus | undefined, boolean, string[], string[][]]>([
      ['in school → school counselling', 'in-school', false, [school, 'R11-juvenile-in-school'], []],
      ['not in school → juvenile counselling committee', 'not-in-school', false, [jcc, 'R12-juvenile-out-of-school'], []],
      ['dropped out → juvenile counselling committee', 'dropped-out', false, [jcc, 'R12-juvenile-out-of-school'], []],
      ['aged out → juvenile counselling committee', 'aged-out', false, [jcc, 'R12-juvenile-out-of-school'], []],
      ['unknown school status → juvenile counselling committee', 'unknown', false, [jcc, 'R13-juvenile-school-status-unknown'], []],
      ['school status not given → as unknown', undefined, false, [jcc, 'R13-juvenile-school-status-unknown'], []],
      ['protection concern, in school → protection team + school counselling', 'in-school', true, [protection, 'R10-juvenile-protection-concern'], [[school, 'C10-juvenile-protection-in-school']]],
      ['protection concern, dropped out → protection team + committee', 'dropped-out', true, [protection, 'R10-juvenile-protection-concern'], [[jcc, 'C11-juvenile-protection-out-of-school']]],
      ['protection concern, unknown → protection team + committee', 'unknown', true, [protection, 'R10-juvenile-protection-concern'], [[jcc, 'C11-juvenile-protection-out-of-school']]],
    ])('%s', (_name, schoolStatus, protectionConcern, primary, secondary) => {
      const d = route(input({ category: 'juvenile-deviant-behaviour', townshipCode: '10008020', protectionConcern, ...(schoolStatus && { schoolStatus }) }), table);
      expect(ids(d)).toEqual({ primary, secondary });
    });

    it('never defaults to social welfare', () => {
      for (const schoolStatus of ['in-school', 'not-in-school', 'dropped-out', 'aged-out', 'unknown'] as const) {
        for (const protectionConcern of [false, true]) {
          expect(route(input({ category: 'juvenile-deviant-behaviour', schoolStatus, protectionConcern }), table).primary.unitId).not.toMatch(/swc/);
        }
      }
    });

    it('adds the district welfare centre for family needs', () => {
      const d = route(input({ category: 'juvenile-deviant-behaviour', townshipCode: '10008040', schoolStatus: 'in-school', needs: ['economic'] }), table);
      expect(ids(d)).toEqual({ primary: [school, 'R11-juvenile-in-school'], secondary: [['nantou-swc-zhulu', 'C12-juvenile-family-needs']] });
    });
  });

  describe('collaborators', () => {
    it('adds the employment station for an unemployment need', () => {
      const d = route(input({ townshipCode: '10008110', needs: ['economic', 'unemployment'] }), table);
      expect(ids(d)).toEqual({ primary: ['nantou-swc-shuili', 'R20-vulnerable-family'], secondary: [['nantou-employment-station', 'C01-employment-need']] });
    });

    it('adds the district welfare centre to a protection report with family needs', () => {
      const d = route(input({ category: 'child-protection', townshipCode: '10008090', needs: ['economic'] }), table);
      expect(ids(d)).toEqual({ primary: ['nantou-protection-team', 'R01-protection'], secondary: [['nantou-swc-shuili', 'C20-protection-family-needs']] });
    });
  });

  describe('the family lead unit (一主責多協力)', () => {
    it.each(['opened', 'long-term-care'] as const)('takes a vulnerable-family report when the family case is %s', (status) => {
      const d = route(input({ townshipCode: '10008010', familyCase: { status, leadUnitId: 'nantou-swc-caotun' } }), table);
      // The family moved from Caotun; its lead stays, the new district's centre collaborates.
      expect(ids(d)).toEqual({ primary: ['nantou-swc-caotun', 'L01-family-lead-unit'], secondary: [['nantou-swc-nantou', 'R20-vulnerable-family']] });
    });

    it('takes a suicide-risk report and the mental health centre collaborates', () => {
      const d = route(input({ category: 'suicide-risk', familyCase: { status: 'opened', leadUnitId: 'nantou-swc-nantou' } }), table);
      expect(ids(d)).toEqual({ primary: ['nantou-swc-nantou', 'L01-family-lead-unit'], secondary: [['nantou-cmhc', 'R30-mental-health']] });
    });

    it('does not duplicate itself when the lead is the unit the category calls for', () => {
      const d = route(input({ familyCase: { status: 'opened', leadUnitId: 'nantou-swc-nantou' } }), table);
      expect(ids(d)).toEqual({ primary: ['nantou-swc-nantou', 'L01-family-lead-unit'], secondary: [] });
    });

    it.each(['child-protection', 'adult-protection', 'elder-protection', 'sexual-assault'] as const)('leaves %s with the protection team and collaborates', (category) => {
      const d = route(input({ category, familyCase: { status: 'long-term-care', leadUnitId: 'nantou-swc-nantou' } }), table);
      expect(ids(d)).toEqual({ primary: ['nantou-protection-team', 'R01-protection'], secondary: [['nantou-swc-nantou', 'L01-family-lead-unit']] });
    });

    it('routes a juvenile report to the lead unit, with the counselling channel collaborating', () => {
      const d = route(input({ category: 'juvenile-deviant-behaviour', schoolStatus: 'in-school', familyCase: { status: 'opened', leadUnitId: 'nantou-swc-puli' } }), table);
      expect(ids(d)).toEqual({ primary: ['nantou-swc-puli', 'L01-family-lead-unit'], secondary: [['nantou-student-counselling-centre', 'R11-juvenile-in-school']] });
    });
  });

  describe('unknown township', () => {
    it('sends a vulnerable-family report to the county bureau, saying why', () => {
      for (const townshipCode of [undefined, '10009010']) {
        const d = route(input({ townshipCode }), table);
        expect([d.primary.unitId, d.primary.ruleId]).toEqual(['nantou-social-affairs-bureau', 'R20-vulnerable-family+F01-unknown-township']);
        expect(d.primary.why).toMatch(/township is missing/);
        expect(d.districtId).toBeUndefined();
        expect(d.policePrecinct).toBeUndefined();
      }
    });

    it('still routes categories that need no district', () => {
      expect(route(input({ category: 'sexual-assault', townshipCode: undefined }), table).primary.unitId).toBe('nantou-protection-team');
    });
  });
});
