/**
 * The synthetic population of a county: households with a realistic structure and size, and
 * their members with names, valid national ID numbers, birth dates, phones and addresses.
 *
 * Every household is a pure function of (county, seed, asOf, index): `PopulationModel`
 * regenerates any household in O(1) without the others, `generateHouseholds` streams them all
 * without holding them, and `countyPopulation` keeps a small county in memory with indexes.
 */
import { nationalIdCheckDigit } from '@weave/identity';
import { MS_PER_DAY, ageOn, civilFromDays, isoDate, utcDay } from './calendar';
import type { CountyConfig, Setting, TownshipConfig } from './geography';
import {
  INDIGENOUS_SURNAMES,
  SURNAMES,
  givenName,
  indigenousTraditionalName,
  vietnameseName,
} from './names';
import {
  HOUSEHOLD_STRUCTURES,
  type Address,
  type Household,
  type HouseholdRole,
  type HouseholdSkeleton,
  type HouseholdStructure,
  type IncomeTier,
  type MemberSkeleton,
  type Person,
  type Sex,
} from './population-types';
import { Random, WeightedTable, mix32, type Seed } from './random';

// Math's functions as module constants: global lookups are slow inside Jest's vm sandbox.
const { floor, max, min, round, sqrt } = Math;

export * from './population-types';

/** Ages and statuses are as of this date unless `asOf` says otherwise. */
export const DEFAULT_AS_OF = new Date(Date.UTC(2025, 0, 1));
/** Slots per household for national ID serials; no structure produces more members. */
export const MAX_HOUSEHOLD_MEMBERS = 8;
const SERIAL_SPACE = 10_000_000;

export interface PopulationOptions {
  /** Reference date for ages (default 2025-01-01). */
  readonly asOf?: Date;
  /** Share of households with a low-income (低收入戶) status (default 1.5 %). */
  readonly lowIncomeShare?: number;
  /** Share of households with a middle-low-income (中低收入戶) status (default 1.5 %). */
  readonly middleLowIncomeShare?: number;
  /** Share of households that moved recently, so that their members have a previous address (default 12 %). */
  readonly movedShare?: number;
}

// Structure mix of an urban township (單人 28 %, 夫婦 22 %, 核心 29 %, 單親 10 %, 三代 9.5 %, 隔代 1.5 %);
// rural and indigenous townships shift it, and `single` is then rescaled county-wide so the
// mean household size hits the county's target.
const BASE_STRUCTURE: Readonly<Record<HouseholdStructure, number>> = {
  single: 0.28,
  couple: 0.22,
  nuclear: 0.29,
  'single-parent': 0.1,
  'three-generation': 0.095,
  'skipped-generation': 0.015,
};
const SETTING_STRUCTURE: Readonly<Record<Setting, Partial<Record<HouseholdStructure, number>>>> = {
  urban: {},
  suburban: { 'three-generation': 1.2, 'skipped-generation': 1.4 },
  rural: { single: 1.1, nuclear: 0.85, 'three-generation': 1.5, 'skipped-generation': 2 },
};
const INDIGENOUS_TOWNSHIP_STRUCTURE: Partial<Record<HouseholdStructure, number>> = {
  'single-parent': 1.5,
  'three-generation': 1.2,
  'skipped-generation': 3,
};

const NUCLEAR_CHILDREN = new WeightedTable<number>([[1, 0.38], [2, 0.45], [3, 0.14], [4, 0.03]]);
const SINGLE_PARENT_CHILDREN = new WeightedTable<number>([[1, 0.55], [2, 0.35], [3, 0.1]]);
const THREE_GENERATION_CHILDREN = new WeightedTable<number>([[1, 0.4], [2, 0.45], [3, 0.15]]);
const ELDERS = new WeightedTable<number>([[1, 0.55], [2, 0.45]]);
const SKIPPED_CHILDREN = new WeightedTable<number>([[1, 0.5], [2, 0.35], [3, 0.15]]);
const THREE_GENERATION_SPOUSE = 0.85;
const SINGLE_AGE_BANDS = new WeightedTable<readonly [number, number]>([
  [[20, 34], 0.2],
  [[35, 54], 0.25],
  [[55, 64], 0.2],
  [[65, 79], 0.23],
  [[80, 95], 0.12],
]);
const SINGLE_ELDERLY_SHARE = 0.35;

function meanOf(table: WeightedTable<number>): number {
  return table.entries().reduce((sum, [v, p]) => sum + v * p, 0);
}

/** Expected members of each structure (must agree with `PopulationModel.skeleton`). */
const MEAN_SIZE: Readonly<Record<HouseholdStructure, number>> = {
  single: 1,
  couple: 2,
  nuclear: 2 + meanOf(NUCLEAR_CHILDREN),
  'single-parent': 1 + meanOf(SINGLE_PARENT_CHILDREN),
  'three-generation': 1 + THREE_GENERATION_SPOUSE + meanOf(THREE_GENERATION_CHILDREN) + meanOf(ELDERS),
  'skipped-generation': meanOf(ELDERS) + meanOf(SKIPPED_CHILDREN),
};

// Income tier: a household's odds are the product of these factors, normalised county-wide.
const TIER_STRUCTURE: Readonly<Record<HouseholdStructure, number>> = {
  single: 1,
  couple: 0.6,
  nuclear: 0.6,
  'single-parent': 3,
  'three-generation': 0.9,
  'skipped-generation': 3.5,
};
const TIER_SINGLE_ELDERLY = 1.8;
const TIER_SETTING: Readonly<Record<Setting, number>> = { urban: 0.8, suburban: 1, rural: 1.4 };
const TIER_INDIGENOUS = 3.5;

/** Letters of first registration of in-movers, weighted toward Nantou's neighbours. */
const IN_MOVER_LETTERS: readonly (readonly [string, number])[] = [
  ['B', 30], ['N', 15], ['L', 6], ['P', 6], ['A', 8], ['F', 9], ['H', 5], ['E', 4], ['D', 4], ['K', 3], ['J', 2],
  ['C', 1], ['G', 1], ['I', 1], ['O', 1], ['Q', 1], ['R', 1], ['S', 1], ['T', 1], ['U', 1], ['V', 1], ['M', 4],
];

/** The household structures with their probabilities in one township. */
function structureWeights(town: TownshipConfig, singleFactor: number): Record<HouseholdStructure, number> {
  const out = {} as Record<HouseholdStructure, number>;
  for (const s of HOUSEHOLD_STRUCTURES) {
    let w = BASE_STRUCTURE[s] * (SETTING_STRUCTURE[town.setting][s] ?? 1);
    if (town.indigenous) w *= INDIGENOUS_TOWNSHIP_STRUCTURE[s] ?? 1;
    if (s === 'single') w *= singleFactor;
    out[s] = w;
  }
  const total = HOUSEHOLD_STRUCTURES.reduce((sum, s) => sum + out[s], 0);
  for (const s of HOUSEHOLD_STRUCTURES) out[s] /= total;
  return out;
}

function meanSize(weights: Record<HouseholdStructure, number>): number {
  return HOUSEHOLD_STRUCTURES.reduce((sum, s) => sum + weights[s] * MEAN_SIZE[s], 0);
}

/** Finds the factor on single-person households that gives the county its mean household size. */
function calibrateSingleFactor(county: CountyConfig): number {
  const meanFor = (f: number): number => {
    let persons = 0;
    let households = 0;
    for (const t of county.townships) {
      persons += t.population;
      households += t.population / meanSize(structureWeights(t, f));
    }
    return persons / households;
  };
  let lo = 0.01;
  let hi = 100;
  if (meanFor(lo) < county.meanHouseholdSize || meanFor(hi) > county.meanHouseholdSize) {
    throw new Error(`county ${county.code}: mean household size ${county.meanHouseholdSize} is out of reach`);
  }
  for (let i = 0; i < 60; i++) {
    const mid = sqrt(lo * hi);
    if (meanFor(mid) > county.meanHouseholdSize) lo = mid;
    else hi = mid;
  }
  return sqrt(lo * hi);
}

const POWERS_OF_TEN = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/** Zero-padded decimal of 0 <= n < 10^width (width <= 8). */
function pad(n: number, width: number): string {
  return String(POWERS_OF_TEN[width] + n).slice(1);
}

const VILLAGE_NAMES = [
  '中興', '光明', '仁和', '三和', '新興', '福興', '永興', '復興', '和平', '民生', '中山', '忠孝', '仁愛', '信義', '大同',
  '文化', '康壽', '平和', '內興', '新豐', '東光', '西安', '南昌', '北門', '東門', '西門', '南門', '北山', '中正', '玉峰',
  '茄苳', '龍泉', '鳳鳴', '崇文', '振興', '自強', '育英', '山腳', '坪頂', '頂城', '下城', '溪洲', '田寮', '社寮', '竹圍',
  '水尾', '烏溪', '清水', '林尾', '龍德', '敦和', '碧峰', '雙冬', '土城', '富寮', '新庄', '上林', '明湖', '延平', '營北',
  '營南', '軍功', '平林', '永和', '福山', '長福', '德興', '大成', '隆興', '廣福', '過溪', '桃米', '珠格', '枇杷', '蜈蚣',
  '大湳', '史港', '溪南', '東埔', '同富', '羅娜', '地利', '雙龍', '潭南', '人和', '明德', '自由', '神木', '望美', '久美',
  '互助', '新生', '精英', '春陽', '法治', '合作', '榮興', '力行', '發祥', '萬豐', '中原', '親愛', '南豐', '大安', '秀林',
  '鹿谷', '竹林', '初鄉', '清水溝', '瑞田', '永隆', '鳳凰', '竹豐', '內樹', '坪林', '德和', '雲林', '延山', '中和', '山崇',
];
const ORDINALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** The village names of a township: fixed by its code, whatever the seed. */
function villageNames(town: TownshipConfig): string[] {
  const order = Random.from(`villages:${town.code}`).shuffled(VILLAGE_NAMES);
  return Array.from({ length: town.villages }, (_, i) => {
    const round = floor(i / order.length);
    return `${order[i % order.length]}${ORDINALS[round % ORDINALS.length] ?? ''}${town.villageSuffix}`;
  });
}

export class PopulationModel {
  readonly county: CountyConfig;
  readonly seed: Seed;
  readonly asOf: Date;
  readonly asOfDay: number;
  readonly householdCount: number;
  /** Households of township i are [townshipStart[i], townshipStart[i + 1]). */
  readonly townshipStart: Int32Array;
  private readonly root: Random;
  private readonly structureTables: WeightedTable<HouseholdStructure>[];
  private readonly tierBase: Float64Array;
  private readonly lowShare: number;
  private readonly middleLowShare: number;
  private readonly movedShare: number;
  private readonly villages: string[][];
  private readonly feistelKeys: Uint32Array;
  private readonly inMoverLetters: WeightedTable<string>;

  constructor(county: CountyConfig, seed: Seed, options: PopulationOptions = {}) {
    this.county = county;
    this.seed = seed;
    this.asOf = options.asOf ?? DEFAULT_AS_OF;
    this.asOfDay = utcDay(this.asOf);
    this.lowShare = options.lowIncomeShare ?? 0.015;
    this.middleLowShare = options.middleLowIncomeShare ?? 0.015;
    this.movedShare = options.movedShare ?? 0.12;
    this.root = Random.from(seed).fork('population');
    const singleFactor = calibrateSingleFactor(county);
    const weights = county.townships.map((t) => structureWeights(t, singleFactor));
    this.structureTables = weights.map((w) => WeightedTable.fromRecord(w));
    this.townshipStart = new Int32Array(county.townships.length + 1);
    county.townships.forEach((t, i) => {
      this.townshipStart[i + 1] = this.townshipStart[i] + round(t.population / meanSize(weights[i]));
    });
    this.householdCount = this.townshipStart[county.townships.length];
    if (this.householdCount * MAX_HOUSEHOLD_MEMBERS > SERIAL_SPACE) {
      throw new Error(
        `county ${county.code}: ${this.householdCount} households exceed the ${SERIAL_SPACE / MAX_HOUSEHOLD_MEMBERS} a seed can number uniquely`,
      );
    }
    // Income tier odds: per township the setting × indigenous factor; the structure factor is
    // applied per household; one normaliser makes the county-wide share hit the target.
    const tierStructureMean = (w: Record<HouseholdStructure, number>): number =>
      HOUSEHOLD_STRUCTURES.reduce((sum, s) => {
        const f = s === 'single' ? SINGLE_ELDERLY_SHARE * TIER_SINGLE_ELDERLY + (1 - SINGLE_ELDERLY_SHARE) : TIER_STRUCTURE[s];
        return sum + w[s] * f;
      }, 0);
    this.tierBase = new Float64Array(county.townships.length * 2);
    let weighted = 0;
    county.townships.forEach((t, i) => {
      const setting = TIER_SETTING[t.setting];
      this.tierBase[2 * i] = setting;
      this.tierBase[2 * i + 1] = setting * TIER_INDIGENOUS;
      const households = this.townshipStart[i + 1] - this.townshipStart[i];
      weighted += households * tierStructureMean(weights[i]) * setting * (t.indigenousShare * TIER_INDIGENOUS + 1 - t.indigenousShare);
    });
    const normaliser = this.householdCount > 0 ? weighted / this.householdCount : 1;
    for (let i = 0; i < this.tierBase.length; i++) this.tierBase[i] /= normaliser;
    this.villages = county.townships.map(villageNames);
    const keys = this.root.fork('serials');
    this.feistelKeys = Uint32Array.from({ length: 4 }, () => keys.next());
    this.inMoverLetters = new WeightedTable(IN_MOVER_LETTERS.filter(([l]) => l !== county.idLetter));
  }

  /** Index into `county.townships` of a household. */
  townshipIndexOf(index: number): number {
    const starts = this.townshipStart;
    let lo = 0;
    let hi = starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  householdId(index: number): string {
    return `H${this.county.code}-${pad(index, 7)}`;
  }

  /** The index of a household id made by this model (undefined for anything else). */
  householdIndexOf(householdId: string): number | undefined {
    const prefix = `H${this.county.code}-`;
    if (!householdId.startsWith(prefix)) return undefined;
    const index = Number(householdId.slice(prefix.length, prefix.length + 7));
    return Number.isInteger(index) && index >= 0 && index < this.householdCount ? index : undefined;
  }

  /** Regenerates the person with this id (undefined when the id is not this model's). */
  person(personId: string): Person | undefined {
    const dash = personId.lastIndexOf('-');
    const index = this.householdIndexOf(personId.slice(0, dash));
    if (index === undefined) return undefined;
    return this.household(index).members.find((m) => m.personId === personId);
  }

  private birthDay(rng: Random, age: number): number {
    return this.asOfDay - floor((age + rng.float()) * 365.2425);
  }

  /** The household's structure, members' roles, sexes and birth days, income tier: no strings. */
  skeleton(index: number): HouseholdSkeleton {
    return this.skeletonFrom(index, this.root.fork(index));
  }

  private skeletonFrom(index: number, rng: Random): HouseholdSkeleton {
    if (!(index >= 0 && index < this.householdCount)) throw new RangeError(`household ${index} out of range`);
    const township = this.townshipIndexOf(index);
    const town = this.county.townships[township];
    const indigenous = rng.chance(town.indigenousShare);
    const structure = this.structureTables[township].sample(rng);
    const members: MemberSkeleton[] = [];
    const add = (role: HouseholdRole, sex: Sex, age: number, immigrant = false): void => {
      members.push({ role, sex, birthDay: this.birthDay(rng, max(0, min(100, age))), immigrant });
    };
    const addSpouse = (headSex: Sex, headAge: number): void => {
      const sex: Sex = headSex === 'M' ? 'F' : 'M';
      const age = max(20, round(headAge + rng.normal(headSex === 'M' ? -2.5 : 2.5, 3)));
      const immigrant = !indigenous && age < 65 && rng.chance(sex === 'F' ? 0.04 : 0.004);
      add('spouse', sex, age, immigrant);
    };
    const addChildren = (role: HouseholdRole, motherAge: number, count: number, earliest: number): void => {
      let age = motherAge - rng.int(earliest, max(earliest, min(36, motherAge)));
      for (let i = 0; i < count; i++) {
        add(role, rng.chance(0.515) ? 'M' : 'F', max(0, age));
        age -= rng.int(1, 4);
      }
    };
    switch (structure) {
      case 'single': {
        const [lo, hi] = SINGLE_AGE_BANDS.sample(rng);
        const age = rng.int(lo, hi);
        add('head', age >= 65 ? (rng.chance(0.6) ? 'F' : 'M') : rng.chance(0.55) ? 'M' : 'F', age);
        break;
      }
      case 'couple': {
        const u = rng.float();
        const age = u < 0.35 ? rng.int(24, 44) : u < 0.6 ? rng.int(45, 64) : rng.int(65, 90);
        const sex: Sex = rng.chance(0.8) ? 'M' : 'F';
        add('head', sex, age);
        addSpouse(sex, age);
        break;
      }
      case 'nuclear': {
        const sex: Sex = rng.chance(0.8) ? 'M' : 'F';
        const age = rng.int(27, 58);
        add('head', sex, age);
        addSpouse(sex, age);
        const motherAge = sex === 'F' ? age : ageOn(members[1].birthDay, this.asOfDay);
        addChildren('child', motherAge, NUCLEAR_CHILDREN.sample(rng), 22);
        break;
      }
      case 'single-parent': {
        const sex: Sex = rng.chance(0.75) ? 'F' : 'M';
        const age = rng.int(25, 58);
        add('head', sex, age);
        addChildren('child', age, SINGLE_PARENT_CHILDREN.sample(rng), 19);
        break;
      }
      case 'three-generation': {
        const sex: Sex = rng.chance(0.75) ? 'M' : 'F';
        const age = rng.int(28, 58);
        add('head', sex, age);
        const withSpouse = rng.chance(THREE_GENERATION_SPOUSE);
        if (withSpouse) addSpouse(sex, age);
        const motherAge = sex === 'M' && withSpouse ? ageOn(members[1].birthDay, this.asOfDay) : age;
        addChildren('child', motherAge, THREE_GENERATION_CHILDREN.sample(rng), 21);
        const elderAge = age + rng.int(24, 34);
        if (ELDERS.sample(rng) === 2) {
          add('grandparent', 'M', elderAge + 1);
          add('grandparent', 'F', elderAge - 2);
        } else {
          add('grandparent', rng.chance(0.65) ? 'F' : 'M', elderAge);
        }
        break;
      }
      case 'skipped-generation': {
        const age = rng.int(50, 80);
        if (ELDERS.sample(rng) === 2) {
          const sex: Sex = rng.chance(0.7) ? 'M' : 'F';
          add('head', sex, age);
          add('spouse', sex === 'M' ? 'F' : 'M', age + (sex === 'M' ? -2 : 2));
        } else {
          add('head', rng.chance(0.8) ? 'F' : 'M', age);
        }
        const count = SKIPPED_CHILDREN.sample(rng);
        for (let i = 0; i < count; i++) add('grandchild', rng.chance(0.515) ? 'M' : 'F', rng.int(0, 17));
        break;
      }
    }
    const singleElderly = structure === 'single' && ageOn(members[0].birthDay, this.asOfDay) >= 65;
    const odds =
      this.tierBase[2 * township + (indigenous ? 1 : 0)] * (singleElderly ? TIER_SINGLE_ELDERLY : TIER_STRUCTURE[structure]);
    const u = rng.float();
    const incomeTier: IncomeTier =
      u < this.lowShare * odds ? 'low' : u < (this.lowShare + this.middleLowShare) * odds ? 'middle-low' : 'general';
    const moved = rng.chance(this.movedShare);
    return { index, township, structure, incomeTier, indigenous, moved, members };
  }

  /** The household at `index`, with every member: a pure function of the model and the index. */
  household(index: number): Household {
    const rng = this.root.fork(index);
    return this.dress(this.skeletonFrom(index, rng), rng.fork('details'));
  }

  /** Every household in order, one at a time. */
  *households(): Generator<Household> {
    for (let i = 0; i < this.householdCount; i++) yield this.household(i);
  }

  private serial(slot: number): number {
    // A 4-round Feistel network on 24 bits, cycle-walked into [0, 10^7): a bijection, so
    // distinct slots get distinct serials without remembering any.
    let x = slot;
    do {
      let l = x >>> 12;
      let r = x & 0xfff;
      for (let round = 0; round < 4; round++) {
        const f = mix32(r ^ this.feistelKeys[round]) & 0xfff;
        const next = l ^ f;
        l = r;
        r = next;
      }
      x = (l << 12) | r;
    } while (x >= SERIAL_SPACE);
    return x;
  }

  private address(rng: Random, township: number): Address {
    const town = this.county.townships[township];
    const village = rng.pick(this.villages[township]);
    const neighbourhood = town.setting !== 'urban' && rng.chance(0.6) ? rng.int(1, 24) : undefined;
    const road = rng.pick(town.roads);
    const lane = rng.chance(0.3) ? rng.int(1, 300) : undefined;
    const alley = lane !== undefined && rng.chance(0.25) ? rng.int(1, 30) : undefined;
    const number = rng.int(1, 350);
    const floorOdds = town.setting === 'urban' ? 0.45 : town.setting === 'suburban' ? 0.2 : 0.05;
    const storey = rng.chance(floorOdds) ? rng.int(2, town.setting === 'urban' ? 15 : 5) : undefined;
    const text =
      `${this.county.name}${town.name}${village}${neighbourhood !== undefined ? `${neighbourhood}鄰` : ''}${road}` +
      `${lane !== undefined ? `${lane}巷` : ''}${alley !== undefined ? `${alley}弄` : ''}${number}號${storey !== undefined ? `${storey}樓` : ''}`;
    return { townshipCode: town.code, township: town.name, village, neighbourhood, road, lane, alley, number, floor: storey, text };
  }

  private dress(sk: HouseholdSkeleton, rng: Random): Household {
    const town = this.county.townships[sk.township];
    const householdId = this.householdId(sk.index);
    const address = this.address(rng, sk.township);
    let previousAddress: Address | undefined;
    if (sk.moved) {
      const from = rng.chance(0.6) ? sk.township : floor(rng.float() * this.county.townships.length);
      previousAddress = this.address(rng, from);
    }
    const familySurname = (): string => (sk.indigenous ? INDIGENOUS_SURNAMES.sample(rng) : SURNAMES.sample(rng));
    const members = sk.members;
    // Surnames: spouses keep their own; children take their father's (a single mother's
    // children mostly their absent father's); the head's father shares the head's surname.
    const surnames: string[] = new Array<string>(members.length);
    surnames[0] = familySurname();
    const spouse = members.findIndex((m) => m.role === 'spouse');
    if (spouse >= 0) surnames[spouse] = familySurname();
    const maleHeadOrSpouse = members[0].sex === 'M' ? 0 : spouse >= 0 && members[spouse].sex === 'M' ? spouse : -1;
    const fatherSurname = maleHeadOrSpouse >= 0 ? surnames[maleHeadOrSpouse] : rng.chance(0.75) ? familySurname() : surnames[0];
    for (let i = 1; i < members.length; i++) {
      const m = members[i];
      if (m.role === 'child' || m.role === 'grandchild') surnames[i] = fatherSurname;
      else if (m.role === 'grandparent') surnames[i] = m.sex === 'M' ? surnames[0] : familySurname();
    }
    const landline = rng.chance(0.35) ? `${this.county.areaCode}-2${pad(rng.int(0, 999_999), 6)}` : undefined;
    const nation = town.indigenousNation ?? 'bunun';
    const people: Person[] = members.map((m, i) => {
      const birthYear = civilFromDays(m.birthDay)[0];
      const age = ageOn(m.birthDay, this.asOfDay);
      let surname = surnames[i];
      let given: string;
      let traditionalName = false;
      if (m.immigrant) {
        const n = vietnameseName(rng, m.sex);
        surname = n.surname;
        given = n.given;
      } else if (sk.indigenous && rng.chance(0.2)) {
        traditionalName = true;
        surname = '';
        given = indigenousTraditionalName(rng, m.sex, nation);
      } else {
        given = givenName(rng, m.sex, birthYear);
      }
      let letter = this.county.idLetter;
      if (!m.immigrant && rng.chance(age >= 18 ? this.county.inMoverShare : 0.05)) letter = this.inMoverLetters.sample(rng);
      const kind = m.immigrant ? (m.sex === 'M' ? '8' : '9') : m.sex === 'M' ? '1' : '2';
      const firstNine = `${letter}${kind}${pad(this.serial(sk.index * MAX_HOUSEHOLD_MEMBERS + i), 7)}`;
      let phone: string | undefined;
      const u = rng.float();
      if (age >= 18 ? u < 0.68 : age >= 12 && u < 0.45) {
        phone = `09${pad(rng.int(0, 99), 2)}-${pad(rng.int(0, 999), 3)}-${pad(rng.int(0, 999), 3)}`;
      } else if (age >= 18 && u < 0.8) {
        phone = landline;
      }
      return {
        personId: `${householdId}-${i + 1}`,
        householdId,
        role: m.role,
        nationalId: `${firstNine}${nationalIdCheckDigit(firstNine)}`,
        name: surname + given,
        surname,
        givenName: given,
        sex: m.sex,
        birthDate: isoDate(m.birthDay),
        phone,
        indigenous: sk.indigenous && !m.immigrant,
        traditionalName,
        immigrant: m.immigrant,
        address,
        previousAddress,
      };
    });
    return {
      householdId,
      index: sk.index,
      townshipCode: town.code,
      districtId: town.districtId,
      structure: sk.structure,
      incomeTier: sk.incomeTier,
      indigenous: sk.indigenous,
      address,
      previousAddress,
      members: people,
    };
  }
}

/** Streams every household of the county (a million persons without a giant array). */
export function generateHouseholds(county: CountyConfig, seed: Seed, options: PopulationOptions = {}): Generator<Household> {
  return new PopulationModel(county, seed, options).households();
}

/** A whole (small) county in memory, with indexes. */
export interface CountyPopulation {
  readonly county: CountyConfig;
  readonly seed: Seed;
  readonly model: PopulationModel;
  readonly households: readonly Household[];
  readonly persons: readonly Person[];
  person(personId: string): Person | undefined;
  household(householdId: string): Household | undefined;
  personByNationalId(nationalId: string): Person | undefined;
  /** The household a person belongs to. */
  householdOf(personId: string): Household | undefined;
}

export function countyPopulation(county: CountyConfig, seed: Seed, options: PopulationOptions = {}): CountyPopulation {
  const model = new PopulationModel(county, seed, options);
  const households: Household[] = [];
  const persons: Person[] = [];
  const byPerson = new Map<string, Person>();
  const byHousehold = new Map<string, Household>();
  const byNationalId = new Map<string, Person>();
  for (const household of model.households()) {
    households.push(household);
    byHousehold.set(household.householdId, household);
    for (const p of household.members) {
      persons.push(p);
      byPerson.set(p.personId, p);
      byNationalId.set(p.nationalId, p);
    }
  }
  return {
    county,
    seed,
    model,
    households,
    persons,
    person: (id) => byPerson.get(id),
    household: (id) => byHousehold.get(id),
    personByNationalId: (id) => byNationalId.get(id.trim().toUpperCase()),
    householdOf: (id) => {
      const p = byPerson.get(id);
      return p === undefined ? undefined : byHousehold.get(p.householdId);
    },
  };
}

/** Whole years of age of a person on a date. */
export function ageAt(person: Pick<Person, 'birthDate'>, date: Date): number {
  const [y, m, d] = person.birthDate.split('-').map(Number);
  return ageOn(round(Date.UTC(y, m - 1, d) / MS_PER_DAY), utcDay(date));
}
