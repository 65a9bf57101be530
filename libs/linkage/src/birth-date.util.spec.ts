import { ageOn, compareBirthDates, normaliseBirthDate, parseBirthDate, toIso } from './birth-date.util';

describe('parseBirthDate', () => {
  it.each([
    ['1985-03-12', '1985-03-12', false],
    ['1985/3/12', '1985-03-12', false],
    ['1985.03.12', '1985-03-12', false],
    ['19850312', '1985-03-12', false],
    ['１９８５－０３－１２', '1985-03-12', false],
    ['1985年3月12日', '1985-03-12', false],
    ['074/03/12', '1985-03-12', true],
    ['74.03.12', '1985-03-12', true],
    ['74/3/12', '1985-03-12', true],
    ['民國74年3月12日', '1985-03-12', true],
    ['民國 74 年 3 月 12 日', '1985-03-12', true],
    ['0740312', '1985-03-12', true],
    ['100/02/28', '2011-02-28', true],
  ])('reads %s as %s (ROC %s)', (raw, iso, roc) => {
    expect(parseBirthDate(raw)).toEqual({ value: Number(iso.replace(/-/g, '')), iso, roc });
  });

  it.each([undefined, '', 'unknown', '1985-13-01', '1985-02-30', '2023-02-29', '約40歲'])('treats %s as unknown', (raw) => {
    expect(parseBirthDate(raw)).toBeUndefined();
  });

  it('accepts 29 February in a leap year', () => {
    expect(normaliseBirthDate('2024-02-29')).toBe('2024-02-29');
    expect(normaliseBirthDate('民國89年2月29日')).toBe('2000-02-29');
  });
});

describe('compareBirthDates', () => {
  it.each([
    [19850312, 19850312, 'exact'],
    [19850312, 19580312, 'transposed'],
    [19850312, 19850321, 'transposed'],
    [19850312, 19851203, 'month-day-swapped'],
    [19850312, 19850319, 'one-digit'],
    [19850312, 19860312, 'one-digit'],
    [19850312, 19850704, 'same-year'],
    [19850312, 19720101, 'disagree'],
  ])('%i vs %i: %s', (a, b, expected) => {
    expect(compareBirthDates(a, b)).toBe(expected);
  });
});

describe('ageOn and toIso', () => {
  it('counts whole years', () => {
    expect(ageOn(19850312, 20250311)).toBe(39);
    expect(ageOn(19850312, 20250312)).toBe(40);
    expect(toIso(20240229)).toBe('2024-02-29');
  });
});
