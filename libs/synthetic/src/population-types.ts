export type Sex = 'F' | 'M';

/** 單人, 夫婦, 核心 (父母與子女), 單親, 三代同堂, 隔代教養 (祖孫). */
export type HouseholdStructure =
  | 'single'
  | 'couple'
  | 'nuclear'
  | 'single-parent'
  | 'three-generation'
  | 'skipped-generation';

export const HOUSEHOLD_STRUCTURES: readonly HouseholdStructure[] = [
  'single',
  'couple',
  'nuclear',
  'single-parent',
  'three-generation',
  'skipped-generation',
];

/**
 * Position in the household: the head (戶長) and spouse; their children; in a three-generation
 * household the head's parents are `grandparent`; in a grandparent–grandchild household the
 * grandparent is the head and the children are `grandchild`.
 */
export type HouseholdRole = 'head' | 'spouse' | 'child' | 'grandparent' | 'grandchild';

/** 一般, 中低收入戶, 低收入戶. */
export type IncomeTier = 'general' | 'middle-low' | 'low';

export interface Address {
  readonly townshipCode: string;
  /** 南投市 */
  readonly township: string;
  /** 三和里 */
  readonly village: string;
  /** 鄰, in rural addresses */
  readonly neighbourhood?: number;
  readonly road: string;
  readonly lane?: number;
  readonly alley?: number;
  readonly number: number;
  readonly floor?: number;
  /** The whole address as written: 南投縣南投市三和里民族路123巷4號5樓. */
  readonly text: string;
}

export interface Person {
  /** Stable synthetic identity (the truth linkage is measured against); never shown to intake. */
  readonly personId: string;
  readonly householdId: string;
  readonly role: HouseholdRole;
  /** Valid national ID (or new-format resident certificate number for immigrant spouses). */
  readonly nationalId: string;
  /** Full registered name. */
  readonly name: string;
  /** Empty for an indigenous traditional name (傳統名). */
  readonly surname: string;
  readonly givenName: string;
  readonly sex: Sex;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly phone?: string;
  readonly indigenous: boolean;
  /** Registered under an indigenous traditional name (瓦旦‧巴尚). */
  readonly traditionalName: boolean;
  /** Immigrant spouse holding a resident certificate (second character 8 or 9). */
  readonly immigrant: boolean;
  readonly address: Address;
  /** Where the person lived before the household moved (a reporter may still know only this). */
  readonly previousAddress?: Address;
}

export interface Household {
  readonly householdId: string;
  /** Position in the county's household sequence; `PopulationModel.household(index)` regenerates it. */
  readonly index: number;
  readonly townshipCode: string;
  readonly districtId: string;
  readonly structure: HouseholdStructure;
  readonly incomeTier: IncomeTier;
  readonly indigenous: boolean;
  readonly address: Address;
  readonly previousAddress?: Address;
  /** Head first. */
  readonly members: readonly Person[];
}

/** The cheap part of a household (no strings): enough to decide whether it fits an event. */
export interface MemberSkeleton {
  readonly role: HouseholdRole;
  readonly sex: Sex;
  /** Days since 1970-01-01. */
  readonly birthDay: number;
  readonly immigrant: boolean;
}

export interface HouseholdSkeleton {
  readonly index: number;
  /** Index into `county.townships`. */
  readonly township: number;
  readonly structure: HouseholdStructure;
  readonly incomeTier: IncomeTier;
  readonly indigenous: boolean;
  readonly moved: boolean;
  readonly members: readonly MemberSkeleton[];
}
