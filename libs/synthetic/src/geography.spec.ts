import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { NANTOU, NATIONAL_SCALE, defineCounty, districtOf, nationalScale, scaleCounty, townshipByCode, type CountySpec } from './geography';

describe('NANTOU', () => {
  it('is Nantou County with its 13 townships in the five social welfare centre districts of seed 004', () => {
    expect(NANTOU.code).toBe('10008');
    expect(NANTOU.idLetter).toBe('M');
    const layout = Object.fromEntries(NANTOU.districts.map((d) => [d.id, d.townships.map((t) => `${t.name} ${t.code}`)]));
    expect(layout).toEqual({
      nantou: ['南投市 10008010', '名間鄉 10008060'],
      caotun: ['草屯鎮 10008030', '中寮鄉 10008080'],
      puli: ['埔里鎮 10008020', '國姓鄉 10008100', '仁愛鄉 10008130'],
      shuili: ['水里鄉 10008110', '魚池鄉 10008090', '集集鎮 10008050', '信義鄉 10008120'],
      zhulu: ['竹山鎮 10008040', '鹿谷鄉 10008070'],
    });
    expect(NANTOU.districts.map((d) => d.name)).toEqual(['南投區', '草屯區', '埔里區', '水里區', '竹鹿區']);
  });

  it('has about 480,000 people, shares summing to one, and the big towns where they are', () => {
    expect(NANTOU.population).toBeGreaterThan(470_000);
    expect(NANTOU.population).toBeLessThan(490_000);
    expect(NANTOU.townships.reduce((s, t) => s + t.populationShare, 0)).toBeCloseTo(1, 10);
    const biggest = [...NANTOU.townships].sort((a, b) => b.population - a.population).slice(0, 3).map((t) => t.name);
    expect(biggest).toEqual(['南投市', '草屯鎮', '埔里鎮']);
  });

  it('marks 仁愛 and 信義 as predominantly indigenous, and uses 村 in 鄉 and 里 in 市/鎮', () => {
    const indigenous = NANTOU.townships.filter((t) => t.indigenous).map((t) => t.name);
    expect(indigenous.sort()).toEqual(['仁愛鄉', '信義鄉']);
    for (const t of NANTOU.townships) {
      if (t.indigenous) expect(t.indigenousShare).toBeGreaterThan(0.5);
      else expect(t.indigenousShare).toBeLessThan(0.1);
      expect(t.villageSuffix).toBe(t.name.endsWith('鄉') ? '村' : '里');
      expect(t.roads.length).toBeGreaterThanOrEqual(3);
      expect(t.villages).toBeGreaterThan(0);
    }
  });

  it("agrees with policies/directory.yaml: a welfare centre per district, a precinct per township", () => {
    const directory = parse(readFileSync(join(__dirname, '../../../policies/directory.yaml'), 'utf8')) as {
      units: { id: string; district?: string }[];
    };
    const units = new Set(directory.units.map((u) => u.id));
    for (const d of NANTOU.districts) expect(units).toContain(`nantou-swc-${d.id}`);
    for (const t of NANTOU.townships) expect(units).toContain(`nantou-police-${t.policePrecinct}`);
  });

  it('finds townships and districts by code', () => {
    expect(townshipByCode(NANTOU, '10008130')?.name).toBe('仁愛鄉');
    expect(districtOf(NANTOU, '10008130')?.id).toBe('puli');
    expect(townshipByCode(NANTOU, '10008999')).toBeUndefined();
  });
});

describe('scaleCounty and national scale', () => {
  it('scales populations proportionally and keeps codes and districts', () => {
    const big = scaleCounty(NANTOU, 2_000_000);
    expect(Math.abs(big.population - 2_000_000)).toBeLessThan(20);
    expect(big.townships.map((t) => t.code)).toEqual(NANTOU.townships.map((t) => t.code));
    big.townships.forEach((t, i) => expect(t.populationShare).toBeCloseTo(NANTOU.townships[i].populationShare, 4));
    expect(big.townships[0].villages).toBeGreaterThan(NANTOU.townships[0].villages);
    const small = scaleCounty(NANTOU, 1_000);
    expect(small.townships.every((t) => t.villages >= 1)).toBe(true);
  });

  it('NATIONAL_SCALE has at least a million people and 300,000 reports a year', () => {
    expect(NATIONAL_SCALE.county.population).toBeGreaterThanOrEqual(1_000_000);
    expect(NATIONAL_SCALE.reportsPerYear).toBeGreaterThanOrEqual(300_000);
    expect(nationalScale(3_000_000, 400_000).county.population).toBeGreaterThanOrEqual(2_999_990);
  });
});

describe('defineCounty', () => {
  const spec: CountySpec = {
    code: '10099',
    name: '測試縣',
    romanised: 'Test County',
    idLetter: 'X',
    areaCode: '099',
    districts: [
      {
        id: 'one',
        name: '一區',
        romanised: 'One',
        townships: [
          {
            code: '10099010', name: '甲鄉', romanised: 'Jia', population: 1000, setting: 'rural', indigenous: false,
            indigenousShare: 0, villages: 3, roads: ['中正路'], policePrecinct: 'one',
          },
        ],
      },
    ],
  };

  it('fills in totals and defaults', () => {
    const county = defineCounty(spec);
    expect(county.population).toBe(1000);
    expect(county.meanHouseholdSize).toBe(2.6);
    expect(county.townships[0].districtId).toBe('one');
  });

  it.each<[string, CountySpec]>([
    ['a township code outside the county', { ...spec, districts: [{ ...spec.districts[0], townships: [{ ...spec.districts[0].townships[0], code: '10008010' }] }] }],
    ['a bad county code', { ...spec, code: '100' }],
    ['no districts', { ...spec, districts: [] }],
    ['a duplicated district', { ...spec, districts: [spec.districts[0], spec.districts[0]] }],
    ['an id letter that is not a letter', { ...spec, idLetter: '1' }],
  ])('rejects %s', (_why, bad) => {
    expect(() => defineCounty(bad)).toThrow();
  });
});
