import { isValidNationalId } from '@weave/identity';
import { NANTOU, scaleCounty } from './geography';
import { hasHomophone, hasVariant, homophoneOf, surnameOnly, variantOf } from './names';
import { NO_NOISE, describePerson, mistypeBirthDate, mistypeNationalId, resolveNoise, rocCalendarDate, transposeBirthDate } from './noise';
import { PopulationModel } from './population';
import { Random } from './random';

describe('identifier noise', () => {
  it('mistyped national IDs usually fail the checksum, but not always', () => {
    const rng = Random.from('typos');
    const model = new PopulationModel(scaleCounty(NANTOU, 5_000), 1);
    let valid = 0;
    let total = 0;
    for (let h = 0; h < 400; h++) {
      for (const p of model.household(h).members) {
        for (let k = 0; k < 10; k++) {
          const typo = mistypeNationalId(rng, p.nationalId);
          expect(typo).not.toBe(p.nationalId);
          expect(typo).toHaveLength(10);
          total++;
          if (isValidNationalId(typo)) valid++;
        }
      }
    }
    expect(valid / total).toBeGreaterThan(0.01);
    expect(valid / total).toBeLessThan(0.25);
  });

  it('transposes and mistypes birth dates, and writes ROC-calendar dates', () => {
    const rng = Random.from('dates');
    for (let i = 0; i < 200; i++) {
      const changed = transposeBirthDate(rng, '1985-03-12');
      expect(changed).not.toBe('1985-03-12');
      expect([...changed].sort().join('')).toBe([...'1985-03-12'].sort().join(''));
      expect(mistypeBirthDate(rng, '1985-03-12')).toMatch(/^19\d\d-\d\d-\d\d$/);
      expect(mistypeBirthDate(rng, '1985-03-12')).not.toBe('1985-03-12');
    }
    expect(transposeBirthDate(rng, '2000-00-00')).not.toBe('2000-00-00');
    const roc = new Set(Array.from({ length: 100 }, () => rocCalendarDate(rng, '1985-03-12')));
    expect([...roc].sort()).toEqual(['074/03/12', '74.03.12', '民國74年3月12日']);
  });

  it('swaps variant characters and homophones, and abbreviates names', () => {
    const rng = Random.from('names');
    expect(hasVariant('黃志明')).toBe(true);
    expect(variantOf(rng, '黃志明')).toBe('黄志明');
    expect(variantOf(rng, '林台生')).toBe('林臺生');
    expect(hasVariant('林志明')).toBe(false);
    expect(['・', '．', '·', ' ', '']).toContain(variantOf(rng, '瓦旦‧巴尚').slice(2, -2));
    expect(hasHomophone('林志明')).toBe(true);
    const homophones = new Set(Array.from({ length: 200 }, () => homophoneOf(rng, '林志明', 1)));
    expect(homophones.has('林智明') || homophones.has('林志銘')).toBe(true);
    for (const h of homophones) expect(h).not.toBe('林志明');
    expect(surnameOnly(rng, '陳', 'M', 40)).toBe('陳先生');
    expect(surnameOnly(rng, '陳', 'F', 8)).toBe('陳小妹');
  });

  it('with NO_NOISE a reporter gives exactly what the registry holds', () => {
    const model = new PopulationModel(scaleCounty(NANTOU, 5_000), 1);
    const person = model.household(3).members[0];
    const { reported, noise } = describePerson(Random.from(1), person, 'victim', 'public-online', NO_NOISE, 40);
    expect(noise).toEqual([]);
    expect(reported).toEqual({
      role: 'victim',
      name: person.name,
      nationalId: person.nationalId,
      birthDate: person.birthDate,
      approximateAge: undefined,
      sex: person.sex,
      address: person.address.text,
      phone: person.phone,
    });
  });

  it('merges partial profiles channel by channel', () => {
    const profile = resolveNoise({ missingNationalId: { police: 0.5 }, nationalIdTypo: 0.1 });
    expect(profile.missingNationalId.police).toBe(0.5);
    expect(profile.missingNationalId['public-online']).toBe(0.3);
    expect(profile.nationalIdTypo).toBe(0.1);
  });
});
