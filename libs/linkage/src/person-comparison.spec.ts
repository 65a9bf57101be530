import { PseudonymKey, nationalIdCheckDigit } from '@weave/identity';
import { LinkageKeys } from './linkage-keys';
import { WEIGHTS, compare, type Comparison } from './person-comparison';

const keys = new LinkageKeys(new PseudonymKey(Buffer.alloc(32, 3)));
const id = (nine: string): string => `${nine}${nationalIdCheckDigit(nine)}`;
const ID = id('M12345678');

const registered = {
  name: '陳志明',
  nationalId: ID,
  birthDate: '1985-03-12',
  sex: 'M',
  address: '南投縣南投市三和里民族路123巷4號',
  previousAddresses: ['南投縣草屯鎮山崇里中正路13號'],
};
const ON = '2025-01-01';
const cmp = (reported: Parameters<typeof compare>[0]): Comparison => compare(reported, registered, { keys, on: ON });
const field = (c: Comparison, name: string): { agreement: string; weight: number; explanation: string } | undefined =>
  c.fields.find((f) => f.field === name);

describe('compare', () => {
  const full = { name: '陳志明', birthDate: '1985-03-12', sex: 'M', address: '南投縣南投市三和里民族路123巷4號' };
  const baseline = cmp(full).score;

  it('scores full agreement high and explains every field', () => {
    const c = cmp({ ...full, nationalId: ID });
    expect(c.score).toBeGreaterThan(40);
    expect(c.fields.map((f) => f.field)).toEqual(['national-id', 'name', 'birth-date', 'sex', 'address']);
    expect(c.explanation).toContain('name: exact match');
    expect(c.explanation).toContain('(+');
  });

  it('national ID with one mistyped digit: partial-form agreement, checksum noted', () => {
    const typo = `${ID.slice(0, 5)}${(Number(ID[5]) + 1) % 10}${ID.slice(6)}`;
    const c = cmp({ ...full, nationalId: typo });
    expect(field(c, 'national-id')).toMatchObject({ agreement: 'one-character', weight: WEIGHTS.nationalId.oneCharacter });
    expect(c.score).toBeGreaterThan(baseline);
  });

  it('national ID with two adjacent digits swapped', () => {
    const nine = 'M12345678';
    const swapped = `${nine.slice(0, 3)}${nine[4]}${nine[3]}${nine.slice(5)}${ID[9]}`;
    expect(field(cmp({ ...full, nationalId: swapped }), 'national-id')?.agreement).toBe('transposed');
  });

  it('a different valid national ID counts strongly against', () => {
    const c = cmp({ ...full, nationalId: id('N28765432') });
    expect(field(c, 'national-id')).toMatchObject({ agreement: 'disagree', weight: WEIGHTS.nationalId.validDisagree });
  });

  it('national ID missing contributes nothing', () => {
    expect(field(cmp(full), 'national-id')).toBeUndefined();
  });

  it('name variant: matched through the standard form, explained', () => {
    const c = compare({ ...full, name: '陳台明' }, { ...registered, name: '陳臺明' }, { keys, on: ON });
    expect(field(c, 'name')?.agreement).toBe('variant');
    expect(field(c, 'name')?.explanation).toContain('台→臺');
  });

  it('name homophone: matched a little below exact', () => {
    const c = cmp({ ...full, name: '陳智明' });
    expect(field(c, 'name')?.agreement).toBe('homophone');
    expect(field(c, 'name')?.explanation).toContain('志→智');
    expect(c.score).toBeLessThan(baseline);
    expect(c.score).toBeGreaterThan(baseline - 3);
  });

  it('name with a missing character', () => {
    const c = cmp({ ...full, name: '陳明' });
    expect(field(c, 'name')).toMatchObject({ agreement: 'missing-character', weight: WEIGHTS.name.missingCharacter });
  });

  it('surname only with a fitting form of address; contradicted by sex or age', () => {
    expect(field(cmp({ ...full, name: '陳先生' }), 'name')?.agreement).toBe('surname-only');
    expect(field(cmp({ ...full, name: '陳小姐' }), 'name')?.agreement).toBe('surname-only-contradicted');
    expect(field(cmp({ ...full, name: '陳小弟' }), 'name')?.agreement).toBe('surname-only-contradicted');
    expect(field(cmp({ ...full, name: '林先生' }), 'name')?.agreement).toBe('disagree');
  });

  it('a sibling-like name (one character different) counts mildly against, a different name strongly', () => {
    expect(field(cmp({ ...full, name: '陳志豪' }), 'name')?.agreement).toBe('one-character-differs');
    expect(field(cmp({ ...full, name: '林美玉' }), 'name')?.weight).toBe(WEIGHTS.name.disagree);
  });

  it.each([
    ['1958-03-12', 'transposed'],
    ['1985-12-03', 'month-day-swapped'],
    ['1985-03-21', 'transposed'],
    ['1985-03-19', 'one-digit'],
    ['1985-07-04', 'same-year'],
    ['1972-01-01', 'disagree'],
    ['074/03/12', 'exact'],
    ['74.03.12', 'exact'],
    ['民國74年3月12日', 'exact'],
  ])('birth date %s: %s', (birthDate, agreement) => {
    expect(field(cmp({ ...full, birthDate }), 'birth-date')?.agreement).toBe(agreement);
  });

  it('explains a day/month transposition and an ROC date', () => {
    expect(field(cmp({ ...full, birthDate: '1985-12-03' }), 'birth-date')?.explanation).toBe('birth date: day/month transposed (+7.0)');
    expect(field(cmp({ ...full, birthDate: '074/03/12' }), 'birth-date')?.explanation).toContain('ROC calendar');
  });

  it('birth date missing: the approximate age counts if given', () => {
    const { birthDate: _omit, ...noDate } = full;
    expect(field(cmp(noDate), 'birth-date')).toBeUndefined();
    expect(field(cmp({ ...noDate, approximateAge: 41 }), 'birth-date')?.agreement).toBe('approximate-age-fits');
    expect(field(cmp({ ...noDate, approximateAge: 70 }), 'birth-date')?.agreement).toBe('approximate-age-off');
  });

  it('old address of the same person, same road, same and different township', () => {
    expect(field(cmp({ ...full, address: '南投縣草屯鎮山崇里中正路13號' }), 'address')).toMatchObject({
      agreement: 'old-address',
      explanation: `address: old address of the same person (+${WEIGHTS.address.previous.toFixed(1)})`,
    });
    expect(field(cmp({ ...full, address: '南投市民族路123巷8號' }), 'address')?.agreement).toBe('same-road');
    expect(field(cmp({ ...full, address: '南投市復興路1號' }), 'address')?.agreement).toBe('same-township');
    expect(field(cmp({ ...full, address: '埔里鎮中山路1號' }), 'address')?.agreement).toBe('different-township');
  });

  it('address missing contributes nothing; sex missing nothing; sex different counts against', () => {
    const { address: _a, sex: _s, ...bare } = full;
    const c = cmp(bare);
    expect(field(c, 'address')).toBeUndefined();
    expect(field(c, 'sex')).toBeUndefined();
    expect(field(cmp({ ...full, sex: 'F' }), 'sex')?.weight).toBe(WEIGHTS.sex.disagree);
  });

  it('works without keys (numbers compared only for equality, never echoed)', () => {
    const c = compare({ ...full, nationalId: ID }, registered);
    expect(field(c, 'national-id')?.agreement).toBe('exact');
    expect(c.explanation).not.toContain(ID);
  });
});
