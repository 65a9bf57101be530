import { PERSON_PSEUDONYM, PseudonymKey, nationalIdCheckDigit } from '@weave/identity';
import { LinkageKeys } from './linkage-keys';
import { DEFAULT_THRESHOLDS, PersonIndex, type RegistryPerson } from './person-index';

const keys = new LinkageKeys(new PseudonymKey(Buffer.alloc(32, 9)));
const id = (nine: string): string => `${nine}${nationalIdCheckDigit(nine)}`;
const ON = '2025-01-01';

const father: RegistryPerson = {
  nationalId: id('M12345678'),
  name: '陳志明',
  birthDate: '1975-03-12',
  sex: 'M',
  address: '南投縣南投市三和里民族路123巷4號',
  previousAddresses: ['南投縣草屯鎮山崇里中正路13號'],
  townshipCode: '10008010',
  householdId: 'H1',
};
const mother: RegistryPerson = { ...father, nationalId: id('M22345679'), name: '林美玉', birthDate: '1977-08-01', sex: 'F', previousAddresses: undefined };
const son: RegistryPerson = { ...father, nationalId: id('M12345680'), name: '陳家豪', birthDate: '2008-05-20', previousAddresses: undefined };
const twin: RegistryPerson = { ...son, nationalId: id('M12345681'), name: '陳家偉' };
const stranger: RegistryPerson = {
  nationalId: id('B12399887'),
  name: '陳志明',
  birthDate: '1962-11-30',
  sex: 'M',
  address: '臺中市南屯區大業路12號',
  townshipCode: '66000080',
  householdId: 'H2',
};

function build(): PersonIndex {
  const index = new PersonIndex(keys);
  for (const p of [father, mother, son, twin, stranger]) index.add(p);
  return index;
}

describe('PersonIndex', () => {
  it('links a valid known national ID exactly, with an explanation', () => {
    const index = build();
    const d = index.link({ nationalId: father.nationalId, name: '陳志明' }, { on: ON });
    expect(d.outcome).toBe('exact-id');
    expect(d.personPseudonym).toBe(keys.personPseudonym(father.nationalId));
    expect(d.candidates[0].explanation).toContain('national ID: same number');
  });

  it('sends an ID match that everything else contradicts to review', () => {
    const d = build().link({ nationalId: father.nationalId, name: '王美華', birthDate: '1990-01-01', sex: 'F' }, { on: ON });
    expect(d.outcome).toBe('review');
    expect(d.personPseudonym).toBeUndefined();
  });

  it('auto-links name and birth date without an ID, and not to the namesake', () => {
    const d = build().link({ name: '陳志明', birthDate: '1975-03-12' }, { on: ON });
    expect(d.outcome).toBe('auto-link');
    expect(d.personPseudonym).toBe(keys.personPseudonym(father.nationalId));
    expect(d.candidates.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['variant and ROC date', { name: '陳志明', birthDate: '064/03/12', sex: 'M' }],
    ['homophone and address', { name: '陳智明', birthDate: '1975-03-12', address: '南投市民族路123巷4號' }],
    ['missing character', { name: '陳明', birthDate: '1975-03-12', address: '南投市民族路123巷4號' }],
    ['transposed birth date and address', { name: '陳志明', birthDate: '1975-12-03', address: '南投市民族路123巷4號' }],
    ['mistyped birth date and address', { name: '陳志明', birthDate: '1975-03-19', address: '南投市民族路123巷4號' }],
    ['old address, no birth date', { name: '陳志明', address: '南投縣草屯鎮山崇里中正路13號', sex: 'M' }],
    ['ID with one mistyped digit', { name: '陳志明', nationalId: `${father.nationalId.slice(0, 9)}${(Number(father.nationalId[9]) + 1) % 10}` }],
  ])('auto-links despite noise: %s', (_label, reported) => {
    const d = build().link(reported, { on: ON });
    expect(d.outcome).toBe('auto-link');
    expect(d.personPseudonym).toBe(keys.personPseudonym(father.nationalId));
  });

  it('does not auto-link between twins that differ only in one given-name character', () => {
    const d = build().link({ name: '陳家豪', birthDate: '2008-05-20', address: '南投市民族路123巷4號' }, { on: ON });
    expect(d.outcome).toBe('auto-link');
    expect(d.personPseudonym).toBe(keys.personPseudonym(son.nationalId));
    expect(d.candidates[1].score).toBeLessThan(d.candidates[0].score - DEFAULT_THRESHOLDS.ambiguityMargin);
  });

  it('sends two equally good candidates to review (ambiguity margin)', () => {
    const index = new PersonIndex(keys);
    index.add(son);
    index.add({ ...son, nationalId: id('M12345699'), householdId: 'H9' });
    const d = index.link({ name: '陳家豪', birthDate: '2008-05-20' }, { on: ON });
    expect(d.outcome).toBe('review');
    expect(d.reason).toContain('alike');
  });

  it('decides at the thresholds: auto-link at autoLink, review at review, new below', () => {
    const reported = { name: '陳志明', birthDate: '1975-03-12' };
    const score = build().link(reported, { on: ON, addIfNew: false }).score;
    const at = (autoLink: number, review: number): string => {
      const index = new PersonIndex(keys, { thresholds: { autoLink, review } });
      for (const p of [father, mother, son, twin, stranger]) index.add(p);
      return index.link(reported, { on: ON, addIfNew: false }).outcome;
    };
    expect(at(score, score)).toBe('auto-link');
    expect(at(score + 0.01, score)).toBe('review');
    expect(at(score + 0.02, score + 0.01)).toBe('new');
  });

  it('rejects thresholds with review above auto-link', () => {
    expect(() => new PersonIndex(keys, { thresholds: { autoLink: 5, review: 10 } })).toThrow('review must not exceed autoLink');
  });

  it('adds an unmatched person as a new entry with a deterministic pseudonym, found again next time', () => {
    const a = build();
    const reported = { name: '張雅婷', birthDate: '1999-09-09', address: '埔里鎮中山路1號' };
    const d = a.link(reported, { on: ON, reference: 'R-1#0' });
    expect(d.outcome).toBe('new');
    expect(d.personPseudonym).toMatch(PERSON_PSEUDONYM);
    expect(build().link(reported, { on: ON, reference: 'R-1#0' }).personPseudonym).toBe(d.personPseudonym);
    expect(a.link(reported, { on: ON, reference: 'R-2#0' })).toMatchObject({ outcome: 'auto-link', personPseudonym: d.personPseudonym });
  });

  it('uses the ID pseudonym for a new person with a valid unknown number', () => {
    const nationalId = id('N22223333');
    const index = build();
    expect(index.link({ name: '張雅婷', nationalId }, { on: ON }).personPseudonym).toBe(keys.personPseudonym(nationalId));
    expect(index.link({ nationalId }, { on: ON }).outcome).toBe('exact-id');
  });

  it('sends a person without usable identifiers to review and does not index them', () => {
    const index = build();
    const before = index.size;
    const d = index.link({ name: '陳先生', sex: 'M' }, { on: ON });
    expect(d).toMatchObject({ outcome: 'review', reason: 'no usable identifiers' });
    expect(index.size).toBe(before);
  });

  it('places a surname-only person beside a co-reported family member', () => {
    const index = build();
    const [wife, husband] = index.linkReport({
      reportId: 'R-7',
      at: new Date('2025-01-01T00:00:00Z'),
      persons: [{ name: '林美玉', nationalId: mother.nationalId }, { name: '陳先生', sex: 'M', approximateAge: 50, address: '南投市民族路123巷4號' }],
    });
    expect(wife.outcome).toBe('exact-id');
    expect(husband.personPseudonym).toBe(keys.personPseudonym(father.nationalId));
    expect(husband.candidates[0].explanation).toContain('household: reported together');
  });

  it('remembers the previous address when a registry update moves a person', () => {
    const index = build();
    index.add({ ...mother, address: '埔里鎮中山路88號' });
    const d = index.link({ name: '林美玉', address: '南投市民族路123巷4號', sex: 'F', birthDate: '1977-08-01' }, { on: ON });
    expect(d.outcome).toBe('auto-link');
    expect(d.candidates[0].explanation).toContain('old address');
  });

  it('never keeps a raw national ID number', () => {
    const index = build();
    index.link({ name: '張雅婷', nationalId: 'M123456789' }, { on: ON });
    const seen = new Set<unknown>();
    const found: string[] = [];
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object' || seen.has(v)) {
        if (typeof v === 'string' && /[A-Z][12]\d{8}/.test(v)) found.push('id-like string');
        return;
      }
      seen.add(v);
      const values = v instanceof Map ? [...v.keys(), ...v.values()] : Object.values(v as Record<string, unknown>);
      for (const x of values) walk(x);
    };
    walk(index);
    expect(found).toEqual([]);
  });

  it('throws without personal data for an invalid registry number', () => {
    expect(() => build().add({ ...father, nationalId: 'M123456788' })).toThrow(/^registry person has an invalid national ID number$/);
  });

  it('looks entries up by pseudonym', () => {
    const index = build();
    const p = index.add({ ...father });
    expect(index.pseudonymOf(index.entryOf(p) ?? -1)).toBe(p);
    expect(index.entryOf('p1_aaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeUndefined();
  });
});
