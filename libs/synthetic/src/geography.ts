/**
 * Geography of a synthetic county: districts (one per social welfare centre) made of
 * townships (鄉鎮市) with their official 8-digit codes, populations, settings and roads.
 * `NANTOU` is the default; `scaleCounty` and `nationalScale` make bigger ones.
 */

export type Setting = 'urban' | 'suburban' | 'rural';

export interface TownshipSpec {
  /** Official 8-digit township code (county code + 3 digits), e.g. 10008010. */
  readonly code: string;
  /** 南投市 */
  readonly name: string;
  /** Nantou City */
  readonly romanised: string;
  readonly population: number;
  readonly setting: Setting;
  /** A mountain indigenous township (山地原住民鄉). */
  readonly indigenous: boolean;
  /** Share of households that are indigenous. */
  readonly indigenousShare: number;
  /** Number of villages (村 in 鄉, 里 in 市 and 鎮). */
  readonly villages: number;
  readonly roads: readonly string[];
  /** Police precinct (分局) id suffix, matching nantou-police-<precinct> in policies/directory.yaml. */
  readonly policePrecinct: string;
  /** Whose traditional names indigenous residents carry (default Bunun). */
  readonly indigenousNation?: 'atayal' | 'bunun';
}

export interface TownshipConfig extends TownshipSpec {
  /** Share of the county's population (population / county population). */
  readonly populationShare: number;
  readonly districtId: string;
  /** 村 or 里 */
  readonly villageSuffix: '村' | '里';
}

export interface DistrictSpec {
  /** Matches the unit ids nantou-swc-<id> in policies/directory.yaml. */
  readonly id: string;
  /** 南投區 */
  readonly name: string;
  readonly romanised: string;
  readonly townships: readonly TownshipSpec[];
}

export interface DistrictConfig extends DistrictSpec {
  readonly townships: readonly TownshipConfig[];
  /** Name of the district's social welfare centre (社福中心). */
  readonly welfareCentre: string;
}

export interface CountySpec {
  /** 5-digit county code, e.g. 10008. */
  readonly code: string;
  readonly name: string;
  readonly romanised: string;
  /** First letter of national ID numbers first registered here (南投縣: M). */
  readonly idLetter: string;
  /** Telephone area code (南投: 049). */
  readonly areaCode: string;
  readonly districts: readonly DistrictSpec[];
  /** Mean household size the population model calibrates to (Taiwan ≈ 2.6). */
  readonly meanHouseholdSize?: number;
  /** Share of adults whose national ID was first registered elsewhere (in-movers). */
  readonly inMoverShare?: number;
}

export interface CountyConfig extends CountySpec {
  readonly districts: readonly DistrictConfig[];
  readonly population: number;
  readonly meanHouseholdSize: number;
  readonly inMoverShare: number;
  /** Every township, in district order. */
  readonly townships: readonly TownshipConfig[];
}

const TOWNSHIP_CODE = /^[0-9]{8}$/;

/** Validates a county spec and fills in totals, shares and the township list. */
export function defineCounty(spec: CountySpec): CountyConfig {
  if (!/^[0-9]{5}$/.test(spec.code)) throw new Error(`county code ${spec.code}: expected 5 digits`);
  if (!/^[A-Z]$/.test(spec.idLetter)) throw new Error(`county ${spec.code}: idLetter must be one capital letter`);
  if (spec.districts.length === 0) throw new Error(`county ${spec.code}: no districts`);
  const population = spec.districts.reduce((sum, d) => sum + d.townships.reduce((s, t) => s + t.population, 0), 0);
  if (!(population > 0)) throw new Error(`county ${spec.code}: no population`);
  const seenCodes = new Set<string>();
  const seenDistricts = new Set<string>();
  const districts: DistrictConfig[] = spec.districts.map((d) => {
    if (seenDistricts.has(d.id)) throw new Error(`district ${d.id} defined twice`);
    seenDistricts.add(d.id);
    if (d.townships.length === 0) throw new Error(`district ${d.id}: no townships`);
    return {
      ...d,
      welfareCentre: `${d.name}社福中心`,
      townships: d.townships.map((t) => {
        if (!TOWNSHIP_CODE.test(t.code) || !t.code.startsWith(spec.code)) {
          throw new Error(`township ${t.name}: code ${t.code} is not 8 digits under county ${spec.code}`);
        }
        if (seenCodes.has(t.code)) throw new Error(`township code ${t.code} defined twice`);
        seenCodes.add(t.code);
        if (t.villages < 1 || t.roads.length === 0 || t.population < 0) {
          throw new Error(`township ${t.code}: needs villages, roads and a population`);
        }
        if (t.indigenousShare < 0 || t.indigenousShare > 1) throw new Error(`township ${t.code}: indigenousShare out of [0, 1]`);
        return {
          ...t,
          districtId: d.id,
          populationShare: t.population / population,
          villageSuffix: t.name.endsWith('鄉') ? '村' : '里',
        } satisfies TownshipConfig;
      }),
    };
  });
  return {
    ...spec,
    districts,
    population,
    meanHouseholdSize: spec.meanHouseholdSize ?? 2.6,
    inMoverShare: spec.inMoverShare ?? 0.22,
    townships: districts.flatMap((d) => d.townships),
  };
}

/**
 * Nantou County (南投縣, 10008) with the five social welfare centre districts of seed 004.
 * Populations are rounded recent household-registration figures (≈ 483,000 in all).
 */
export const NANTOU: CountyConfig = defineCounty({
  code: '10008',
  name: '南投縣',
  romanised: 'Nantou County',
  idLetter: 'M',
  areaCode: '049',
  meanHouseholdSize: 2.6,
  inMoverShare: 0.22,
  districts: [
    {
      id: 'nantou',
      name: '南投區',
      romanised: 'Nantou district',
      townships: [
        {
          code: '10008010', name: '南投市', romanised: 'Nantou City', population: 99_000, setting: 'urban',
          indigenous: false, indigenousShare: 0.01, villages: 34, policePrecinct: 'nantou',
          roads: ['中興路', '民族路', '復興路', '三和三路', '文昌街', '彰南路', '南崗三路', '建國路', '中山街', '光明一路'],
        },
        {
          code: '10008060', name: '名間鄉', romanised: 'Mingjian Township', population: 37_000, setting: 'rural',
          indigenous: false, indigenousShare: 0.005, villages: 23, policePrecinct: 'nantou',
          roads: ['彰南路', '員集路', '中正路', '名松路', '南雅街', '大庄路'],
        },
      ],
    },
    {
      id: 'caotun',
      name: '草屯區',
      romanised: 'Caotun district',
      townships: [
        {
          code: '10008030', name: '草屯鎮', romanised: 'Caotun Township', population: 95_000, setting: 'urban',
          indigenous: false, indigenousShare: 0.01, villages: 72, policePrecinct: 'caotun',
          roads: ['中正路', '太平路', '碧山路', '中山街', '虎山路', '博愛路', '和興街', '芬草路'],
        },
        {
          code: '10008080', name: '中寮鄉', romanised: 'Zhongliao Township', population: 14_000, setting: 'rural',
          indigenous: false, indigenousShare: 0.005, villages: 18, policePrecinct: 'nantou',
          roads: ['永平路', '中寮路', '復興路', '仙峰路', '和興路'],
        },
      ],
    },
    {
      id: 'puli',
      name: '埔里區',
      romanised: 'Puli district',
      townships: [
        {
          code: '10008020', name: '埔里鎮', romanised: 'Puli Township', population: 80_000, setting: 'urban',
          indigenous: false, indigenousShare: 0.03, villages: 33, policePrecinct: 'puli',
          roads: ['中山路', '南昌街', '西安路', '信義路', '中正路', '東榮路', '北環路', '仁愛路', '水頭路'],
        },
        {
          code: '10008100', name: '國姓鄉', romanised: 'Guoxing Township', population: 17_000, setting: 'rural',
          indigenous: false, indigenousShare: 0.02, villages: 13, policePrecinct: 'caotun',
          roads: ['中正路', '中興路', '國姓路', '石門路', '柑林路'],
        },
        {
          code: '10008130', name: '仁愛鄉', romanised: "Ren'ai Township", population: 15_000, setting: 'rural',
          indigenous: true, indigenousShare: 0.75, villages: 15, policePrecinct: 'puli', indigenousNation: 'atayal',
          roads: ['仁和路', '霧社街', '榮光巷', '中正路', '台14線'],
        },
      ],
    },
    {
      id: 'shuili',
      name: '水里區',
      romanised: 'Shuili district',
      townships: [
        {
          code: '10008110', name: '水里鄉', romanised: 'Shuili Township', population: 16_000, setting: 'rural',
          indigenous: false, indigenousShare: 0.03, villages: 19, policePrecinct: 'jiji',
          roads: ['民生路', '中山路', '民族路', '中正路', '博愛路', '車埕路'],
        },
        {
          code: '10008090', name: '魚池鄉', romanised: 'Yuchi Township', population: 15_000, setting: 'rural',
          indigenous: false, indigenousShare: 0.08, villages: 13, policePrecinct: 'puli',
          roads: ['中山路', '中正路', '魚池街', '名勝街', '香茶巷'],
        },
        {
          code: '10008050', name: '集集鎮', romanised: 'Jiji Township', population: 10_000, setting: 'suburban',
          indigenous: false, indigenousShare: 0.01, villages: 11, policePrecinct: 'jiji',
          roads: ['民生路', '成功路', '八張街', '中山路', '吳厝巷'],
        },
        {
          code: '10008120', name: '信義鄉', romanised: 'Xinyi Township', population: 16_000, setting: 'rural',
          indigenous: true, indigenousShare: 0.6, villages: 14, policePrecinct: 'jiji',
          roads: ['玉山路', '中正路', '東埔路', '自強巷', '新鄉路'],
        },
      ],
    },
    {
      id: 'zhulu',
      name: '竹鹿區',
      romanised: 'Zhushan–Lugu district',
      townships: [
        {
          code: '10008040', name: '竹山鎮', romanised: 'Zhushan Township', population: 52_000, setting: 'suburban',
          indigenous: false, indigenousShare: 0.01, villages: 28, policePrecinct: 'zhushan',
          roads: ['集山路', '下橫街', '雲林路', '前山路', '中正路', '大智路', '竹山路'],
        },
        {
          code: '10008070', name: '鹿谷鄉', romanised: 'Lugu Township', population: 17_000, setting: 'rural',
          indigenous: false, indigenousShare: 0.005, villages: 13, policePrecinct: 'zhushan',
          roads: ['中正路', '仁義路', '興產路', '秀峰路', '廣興巷'],
        },
      ],
    },
  ],
});

export interface ScaleOptions {
  /** Replaces the county's name (the code stays, so township codes stay valid). */
  readonly name?: string;
  readonly romanised?: string;
}

/**
 * The same county with every township's population multiplied so the total is
 * `targetPopulation`; village counts scale too (at least one), so density stays plausible.
 */
export function scaleCounty(county: CountyConfig, targetPopulation: number, options: ScaleOptions = {}): CountyConfig {
  if (!(targetPopulation > 0)) throw new RangeError('scaleCounty: target population must be positive');
  const factor = targetPopulation / county.population;
  return defineCounty({
    code: county.code,
    name: options.name ?? county.name,
    romanised: options.romanised ?? county.romanised,
    idLetter: county.idLetter,
    areaCode: county.areaCode,
    meanHouseholdSize: county.meanHouseholdSize,
    inMoverShare: county.inMoverShare,
    districts: county.districts.map((d) => ({
      id: d.id,
      name: d.name,
      romanised: d.romanised,
      townships: d.townships.map((t) => ({
        code: t.code,
        name: t.name,
        romanised: t.romanised,
        population: Math.round(t.population * factor),
        setting: t.setting,
        indigenous: t.indigenous,
        indigenousShare: t.indigenousShare,
        villages: Math.max(1, Math.round(t.villages * factor)),
        roads: t.roads,
        policePrecinct: t.policePrecinct,
        indigenousNation: t.indigenousNation,
      })),
    })),
  });
}

export function townshipByCode(county: CountyConfig, code: string): TownshipConfig | undefined {
  return county.townships.find((t) => t.code === code);
}

export function districtOf(county: CountyConfig, townshipCode: string): DistrictConfig | undefined {
  return county.districts.find((d) => d.townships.some((t) => t.code === townshipCode));
}

/**
 * The intake benchmark's national-scale setting: a county of `persons` people (Nantou scaled
 * up, so township codes and district ids stay valid) with `reportsPerYear` intake reports —
 * Taiwan's national reporting volume pointed at one synthetic population.
 */
export interface NationalScale {
  readonly county: CountyConfig;
  readonly reportsPerYear: number;
}

export function nationalScale(persons = 1_050_000, reportsPerYear = 320_000): NationalScale {
  return {
    county: scaleCounty(NANTOU, persons, { name: '全國規模模擬縣', romanised: 'national-scale synthetic county' }),
    reportsPerYear,
  };
}

/** ≥ 1,000,000 persons and ≥ 300,000 reports a year (see `nationalScale`). */
export const NATIONAL_SCALE: NationalScale = nationalScale();
