/**
 * Weighted choice of households for events without keeping the households: one pass over the
 * skeletons groups household indexes into classes (income tier × structure × indigenous ×
 * rural × age flags), 6 bytes a household. An event picks a class by weight, then a household
 * uniformly inside it.
 */
import { ageOn } from './calendar';
import type { CountyConfig } from './geography';
import { HOUSEHOLD_STRUCTURES, type HouseholdSkeleton, type HouseholdStructure, type IncomeTier } from './population-types';
import type { Random } from './random';

// Math's functions as module constants: global lookups are slow inside Jest's vm sandbox.
const { floor, pow } = Math;

/** Somebody 0-17. */
export const HAS_CHILD = 1;
/** Somebody 12-17. */
export const HAS_TEEN = 2;
/** Somebody 6-17. */
export const HAS_SCHOOL_AGE = 4;
/** Somebody 10-29. */
export const HAS_YOUNG = 8;
/** Somebody 65 or older. */
export const HAS_ELDER = 16;
/** Head and spouse, both adults. */
export const HAS_COUPLE = 32;
/** Somebody 18-64. */
export const HAS_WORKING_AGE = 64;
/** Somebody 15-29. */
export const HAS_YOUTH = 128;

const TIERS: readonly IncomeTier[] = ['general', 'middle-low', 'low'];

export interface HouseholdClass {
  readonly tier: IncomeTier;
  readonly structure: HouseholdStructure;
  readonly indigenous: boolean;
  readonly rural: boolean;
  readonly flags: number;
  readonly count: number;
  readonly offset: number;
}

/** Age flags of a household on a day (people not yet born count for nothing). */
export function householdFlags(skeleton: HouseholdSkeleton, day: number): number {
  let flags = 0;
  let adultHeadOrSpouse = 0;
  for (const m of skeleton.members) {
    if (m.birthDay > day) continue;
    const age = ageOn(m.birthDay, day);
    if (age <= 17) flags |= HAS_CHILD;
    if (age >= 12 && age <= 17) flags |= HAS_TEEN;
    if (age >= 6 && age <= 17) flags |= HAS_SCHOOL_AGE;
    if (age >= 10 && age <= 29) flags |= HAS_YOUNG;
    if (age >= 65) flags |= HAS_ELDER;
    if (age >= 18 && age <= 64) flags |= HAS_WORKING_AGE;
    if (age >= 15 && age <= 29) flags |= HAS_YOUTH;
    if ((m.role === 'head' || m.role === 'spouse') && age >= 18) adultHeadOrSpouse++;
  }
  if (adultHeadOrSpouse >= 2) flags |= HAS_COUPLE;
  return flags;
}

export type ClassWeight = (c: HouseholdClass) => number;

export class ClassSampler {
  private readonly cumulative: Float64Array;
  private readonly classIds: Int32Array;
  readonly total: number;

  constructor(
    private readonly index: HouseholdIndex,
    weight: ClassWeight,
  ) {
    const ids: number[] = [];
    const sums: number[] = [];
    let total = 0;
    index.classes.forEach((c, i) => {
      const w = weight(c) * c.count;
      if (w > 0) {
        total += w;
        ids.push(i);
        sums.push(total);
      }
    });
    this.total = total;
    this.classIds = Int32Array.from(ids);
    this.cumulative = Float64Array.from(sums);
  }

  /** A household index, or -1 when no household qualifies. */
  sample(rng: Random): number {
    if (this.classIds.length === 0) return -1;
    const u = rng.float() * this.total;
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const cls = this.index.classes[this.classIds[lo]];
    return this.index.members[cls.offset + floor(rng.float() * cls.count)];
  }
}

export class HouseholdIndex {
  readonly classes: HouseholdClass[];
  /** Household indexes grouped by class. */
  readonly members: Uint32Array;
  /** Class of each household. */
  readonly classOf: Uint16Array;

  constructor(county: CountyConfig, householdCount: number, skeleton: (index: number) => HouseholdSkeleton, day: number) {
    const keyToClass = new Int32Array(TIERS.length * HOUSEHOLD_STRUCTURES.length * 4 * 256).fill(-1);
    const specs: { key: number; count: number }[] = [];
    this.classOf = new Uint16Array(householdCount);
    const rural = county.townships.map((t) => t.setting === 'rural');
    for (let h = 0; h < householdCount; h++) {
      const s = skeleton(h);
      const key =
        ((((TIERS.indexOf(s.incomeTier) * HOUSEHOLD_STRUCTURES.length + HOUSEHOLD_STRUCTURES.indexOf(s.structure)) * 2 +
          (s.indigenous ? 1 : 0)) *
          2 +
          (rural[s.township] ? 1 : 0)) <<
          8) |
        householdFlags(s, day);
      let id = keyToClass[key];
      if (id < 0) {
        id = specs.length;
        keyToClass[key] = id;
        specs.push({ key, count: 0 });
      }
      specs[id].count++;
      this.classOf[h] = id;
    }
    let offset = 0;
    this.classes = specs.map(({ key, count }) => {
      const flags = key & 0xff;
      let rest = key >>> 8;
      const isRural = (rest & 1) === 1;
      rest >>>= 1;
      const indigenous = (rest & 1) === 1;
      rest >>>= 1;
      const structure = HOUSEHOLD_STRUCTURES[rest % HOUSEHOLD_STRUCTURES.length];
      const tier = TIERS[floor(rest / HOUSEHOLD_STRUCTURES.length)];
      const c: HouseholdClass = { tier, structure, indigenous, rural: isRural, flags, count, offset };
      offset += count;
      return c;
    });
    this.members = new Uint32Array(householdCount);
    const fill = new Int32Array(this.classes.length);
    for (let h = 0; h < householdCount; h++) {
      const id = this.classOf[h];
      this.members[this.classes[id].offset + fill[id]++] = h;
    }
  }

  sampler(weight: ClassWeight): ClassSampler {
    return new ClassSampler(this, weight);
  }

  classOfHousehold(index: number): HouseholdClass {
    return this.classes[this.classOf[index]];
  }
}

const TIER_RISK: Readonly<Record<IncomeTier, number>> = { general: 1, 'middle-low': 3, low: 5 };
const STRUCTURE_RISK: Readonly<Record<HouseholdStructure, number>> = {
  single: 1,
  couple: 0.8,
  nuclear: 1,
  'single-parent': 2.5,
  'three-generation': 1.2,
  'skipped-generation': 3,
};

/** How much more likely than average a class is to come to the networks' attention. */
export function vulnerability(c: HouseholdClass): number {
  return TIER_RISK[c.tier] * STRUCTURE_RISK[c.structure] * (c.indigenous ? 2 : 1) * (c.rural ? 1.2 : 1);
}

/** Weight: households having every flag of `all` (and one of `any`, if given), vulnerability^alpha. */
export function riskWeight(all: number, alpha: number, any = 0): ClassWeight {
  return (c) => {
    if ((c.flags & all) !== all) return 0;
    if (any !== 0 && (c.flags & any) === 0) return 0;
    return pow(vulnerability(c), alpha);
  };
}
