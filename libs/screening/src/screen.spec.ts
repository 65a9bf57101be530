import { NARRATIVE_TEMPLATES } from '@weave/synthetic';
import { narrativeIndicators, screen, type ScreeningInput } from './screen';
import { RISK_LIGHTS, SCREENING_CATEGORIES, type RiskLight, type ScreeningCategory } from './screening-vocabulary';
import { DAY, RECEIVED_AT, input, shippedRules } from './testing/screening-fixtures';

const rules = shippedRules();

interface FiringCase {
  readonly input: Partial<ScreeningInput>;
  readonly category: ScreeningCategory;
  readonly urgency: RiskLight;
}

const child = (age: number) => ({ role: 'child' as const, age });
const victim = (age: number) => ({ role: 'victim' as const, age });

/** One report per rule that makes it fire, with the decision it should lead to. */
const FIRING: Readonly<Record<string, FiringCase>> = {
  'S01-sexual-abuse-disclosed': { input: { reportedCategory: 'child-protection', indicators: ['sexual-abuse'], persons: [child(14)] }, category: 'sexual-assault', urgency: 'orange' },
  'S02-suicide-signs-in-other-report': { input: { reportedCategory: 'juvenile-deviant-behaviour', indicators: ['suicide-talk'] }, category: 'suicide-risk', urgency: 'orange' },
  'S03-child-harmed-in-welfare-report': { input: { indicators: ['injury'], persons: [child(9)] }, category: 'child-protection', urgency: 'yellow' },
  'S04-child-neglected-in-welfare-report': { input: { indicators: ['neglect'], persons: [child(9)] }, category: 'child-protection', urgency: 'yellow' },
  'S05-elder-harmed-in-welfare-report': { input: { indicators: ['injury'], persons: [victim(82)] }, category: 'elder-protection', urgency: 'yellow' },
  'S06-violence-in-welfare-report': { input: { indicators: ['strangulation'] }, category: 'adult-protection', urgency: 'red' },
  'S07-psychosis-in-welfare-report': { input: { indicators: ['psychosis'] }, category: 'mental-health-crisis', urgency: 'orange' },
  'L01-suicide-act': { input: { reportedCategory: 'suicide-risk', indicators: ['suicide-act'] }, category: 'suicide-risk', urgency: 'red' },
  'L02-suicide-talk': { input: { reportedCategory: 'adult-protection', indicators: ['suicide-talk'] }, category: 'adult-protection', urgency: 'orange' },
  'L03-suicide-talk-self-report': { input: { reportedCategory: 'suicide-risk', reporterType: 'self', indicators: ['suicide-talk'] }, category: 'suicide-risk', urgency: 'red' },
  'L04-weapon': { input: { reportedCategory: 'adult-protection', indicators: ['weapon'] }, category: 'adult-protection', urgency: 'red' },
  'L05-strangulation': { input: { reportedCategory: 'adult-protection', indicators: ['strangulation'] }, category: 'adult-protection', urgency: 'red' },
  'L06-threat-to-kill': { input: { reportedCategory: 'mental-health-crisis', indicators: ['threat-to-kill'] }, category: 'mental-health-crisis', urgency: 'red' },
  'L07-young-child-injured': { input: { reportedCategory: 'child-protection', indicators: ['injury'], persons: [child(3)] }, category: 'child-protection', urgency: 'red' },
  'L08-child-injury-seen-by-professional': { input: { reportedCategory: 'child-protection', channel: 'school', reporterType: 'teacher', responsibleReporter: true, indicators: ['injury'], persons: [child(9)] }, category: 'child-protection', urgency: 'orange' },
  'L09-young-child-left-alone': { input: { reportedCategory: 'child-protection', indicators: ['left-alone'], persons: [child(4)] }, category: 'child-protection', urgency: 'red' },
  'L10-child-afraid-to-go-home': { input: { reportedCategory: 'child-protection', indicators: ['afraid-to-go-home'], persons: [child(12)] }, category: 'child-protection', urgency: 'orange' },
  'L11-young-sexual-abuse-victim': { input: { reportedCategory: 'sexual-assault', persons: [victim(10)] }, category: 'sexual-assault', urgency: 'red' },
  'L12-child-without-food': { input: { reportedCategory: 'vulnerable-family', channel: 'convenience-store', reporterType: 'store-clerk', needs: [], indicators: ['no-food'], persons: [child(8)] }, category: 'vulnerable-family', urgency: 'orange' },
  'L13-elder-neglected': { input: { reportedCategory: 'elder-protection', indicators: ['no-food'], persons: [victim(80)] }, category: 'elder-protection', urgency: 'orange' },
  'L14-child-witnessed-violence': { input: { reportedCategory: 'adult-protection', indicators: ['child-witness'] }, category: 'adult-protection', urgency: 'orange' },
  'L15-substance-and-child': { input: { indicators: ['substance'], persons: [{ role: 'reported-person', age: 40 }, child(7)] }, category: 'vulnerable-family', urgency: 'yellow' },
  'L16-psychosis-crisis': { input: { reportedCategory: 'mental-health-crisis', indicators: ['psychosis'] }, category: 'mental-health-crisis', urgency: 'orange' },
  'L17-repeat-reports': {
    input: { priorReports: [{ at: RECEIVED_AT - 10 * DAY, category: 'vulnerable-family' }, { at: RECEIVED_AT - 40 * DAY, category: 'child-protection' }] },
    category: 'vulnerable-family',
    urgency: 'orange',
  },
  'L18-known-family-protection-report': { input: { reportedCategory: 'adult-protection', familyCase: 'long-term-care' }, category: 'adult-protection', urgency: 'orange' },
  'L19-job-seeker-in-need': { input: { channel: 'employment', reporterType: 'employment-counsellor', responsibleReporter: false }, category: 'vulnerable-family', urgency: 'green' },
  'L20-vulnerable-family-many-needs': { input: { needs: ['economic', 'housing'], indicators: ['no-food'] }, category: 'vulnerable-family', urgency: 'yellow' },
  'L21-juvenile-harmed-at-home': { input: { reportedCategory: 'juvenile-deviant-behaviour', indicators: ['afraid-to-go-home'], persons: [{ role: 'reported-person', age: 19 }] }, category: 'juvenile-deviant-behaviour', urgency: 'orange' },
};

describe('screen', () => {
  it('has a firing case for every rule in the shipped file, and none for a rule that is gone', () => {
    const ids = [...rules.categoriseRules, ...rules.urgencyRules].map((r) => r.id).sort();
    expect(Object.keys(FIRING).sort()).toEqual(ids);
  });

  it.each(Object.entries(FIRING))('fires %s', (id, c) => {
    const decision = screen(input(c.input), rules);
    expect(decision.firedRules.map((r) => r.id)).toContain(id);
    expect(decision.category).toBe(c.category);
    expect(decision.urgency).toBe(c.urgency);
    expect(decision.rulesVersion).toBe(rules.version);
    expect(decision.automatic).toEqual({ category: c.category, urgency: c.urgency });
    const fired = decision.firedRules.find((r) => r.id === id);
    expect(fired?.description.length).toBeGreaterThan(0);
    expect(Object.keys(fired?.effect ?? {}).length).toBeGreaterThan(0);
  });

  it('fires nothing on a plain report and gives the default light of each category', () => {
    for (const category of SCREENING_CATEGORIES) {
      const decision = screen(input({ reportedCategory: category }), rules);
      expect(decision.firedRules).toEqual([]);
      expect(decision.category).toBe(category);
      expect(decision.urgency).toBe(rules.defaultLight[category]);
      expect(decision.defaultLight).toBe(rules.defaultLight[category]);
    }
  });

  describe('light precedence', () => {
    it('takes the highest light of every fired rule', () => {
      const d = screen(input({ reportedCategory: 'adult-protection', indicators: ['child-witness', 'weapon', 'suicide-talk'] }), rules);
      expect(d.firedRules.map((r) => [r.id, r.effect.light])).toEqual([
        ['L02-suicide-talk', 'orange'],
        ['L04-weapon', 'red'],
        ['L14-child-witnessed-violence', 'orange'],
      ]);
      expect(d.urgency).toBe('red');
    });

    it('never goes below the category default (a fired yellow rule leaves an orange default)', () => {
      const d = screen(input({ reportedCategory: 'sexual-assault', indicators: ['substance'], persons: [victim(30), { role: 'reported-person', age: 4 }] }), rules);
      expect(d.firedRules.map((r) => r.id)).toEqual(['L15-substance-and-child']);
      expect(d.urgency).toBe('orange');
    });

    it('raises from the decided category, not the ticked one', () => {
      // vulnerable-family defaults green; re-categorised to child protection, L07 applies.
      const d = screen(input({ indicators: ['injury'], persons: [child(2)] }), rules);
      expect(d.category).toBe('child-protection');
      expect(d.firedRules.map((r) => r.id)).toEqual(['S03-child-harmed-in-welfare-report', 'L07-young-child-injured']);
      expect(d.urgency).toBe('red');
    });

    it('ranks red above orange above yellow above green', () => {
      expect(RISK_LIGHTS).toEqual(['red', 'orange', 'yellow', 'green']);
    });
  });

  describe('categorise', () => {
    it('applies only the first categorise rule that fires (sexual abuse before injury)', () => {
      const d = screen(input({ indicators: ['sexual-abuse', 'injury'], persons: [child(9)] }), rules);
      expect(d.category).toBe('sexual-assault');
      expect(d.firedRules.filter((r) => r.effect.category !== undefined).map((r) => r.id)).toEqual(['S01-sexual-abuse-disclosed']);
    });

    it('keeps the ticked category when no categorise rule fires', () => {
      const d = screen(input({ reportedCategory: 'child-protection', indicators: ['injury'], persons: [child(9)] }), rules);
      expect(d.category).toBe('child-protection');
      expect(d.reportedCategory).toBe('child-protection');
    });

    it('does not treat a child of unknown age as a child', () => {
      const d = screen(input({ indicators: ['injury'], persons: [{ role: 'child' }] }), rules);
      expect(d.category).toBe('vulnerable-family');
    });

    it('does not re-categorise a juvenile report on injury (dispatch uses the protection-concern flag)', () => {
      const d = screen(input({ reportedCategory: 'juvenile-deviant-behaviour', indicators: ['injury'], persons: [{ role: 'reported-person', age: 15 }] }), rules);
      expect(d.category).toBe('juvenile-deviant-behaviour');
      expect(d.flags).toEqual(['protection-concern']);
    });
  });

  describe('needs and prior reports', () => {
    it('adds needs found by rules to the ticked ones, sorted and without repeats', () => {
      const d = screen(input({ channel: 'employment', needs: ['unemployment', 'economic'] }), rules);
      expect(d.needs).toEqual(['economic', 'unemployment']);
    });

    it('counts only prior reports inside the window and before receipt', () => {
      const at = (days: number) => ({ at: RECEIVED_AT - days * DAY, category: 'vulnerable-family' as const });
      expect(screen(input({ priorReports: [at(1), at(91)] }), rules).urgency).toBe('green');
      expect(screen(input({ priorReports: [at(1), at(-1)] }), rules).urgency).toBe('green');
      expect(screen(input({ priorReports: [at(1), at(90)] }), rules).urgency).toBe('orange');
    });
  });
});

describe('narrativeIndicators', () => {
  it.each<[string, string[]]>([
    ['他說不想活了，想死', ['suicide-talk']],
    ['她說她不想死，只是很累', []],
    ['他說不想死，但昨天還說想死', ['suicide-talk']],
    ['昨晚在住處服用大量安眠藥', ['suicide-act']],
    ['酒後持菜刀恐嚇，並揚言殺了全家', ['weapon', 'threat-to-kill', 'substance']],
    ['遭 掐 脖 子', ['strangulation']],
    ['手臂骨折，醫師懷疑非意外', ['injury']],
    ['向老師透露遭猥褻', ['sexual-abuse']],
    ['三歲孩子獨自在家一整天', ['left-alone']],
    ['近兩週每日至門市領取愛心餐', ['no-food']],
    ['疑似疏忽照顧', ['neglect']],
    ['表示不敢回家', ['afraid-to-go-home']],
    ['現場有兒少目睹', ['child-witness']],
    ['已停藥兩個月，自述聽到有人要害他', ['psychosis']],
    ['家人疑似吸食Ｋ他命', ['substance']],
    ['家庭經濟陷困，積欠房租', []],
  ])('finds the indicators in %s', (text, expected) => {
    expect(narrativeIndicators(text, rules)).toEqual(expected);
  });

  it('returns only indicator ids, never any of the text', () => {
    const text = '王小明（身分證 M123456789）說想死，住南投市中興路1號，電話0912345678';
    const found = narrativeIndicators(text, rules);
    expect(found).toEqual(['suicide-talk']);
    const decision = screen(input({ indicators: found }), rules);
    const serialised = JSON.stringify(decision);
    for (const fragment of ['王小明', 'M123456789', '中興路', '0912345678', '想死']) expect(serialised).not.toContain(fragment);
  });

  it('finds the signal its category implies in the simulator\'s suicide and sexual-assault narratives', () => {
    for (const t of NARRATIVE_TEMPLATES['suicide-risk']) {
      const found = narrativeIndicators(t.text, rules);
      expect(found.some((i) => i === 'suicide-talk' || i === 'suicide-act')).toBe(true);
    }
    for (const t of NARRATIVE_TEMPLATES['sexual-assault']) expect(narrativeIndicators(t.text, rules)).toContain('sexual-abuse');
  });
});
