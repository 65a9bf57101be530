/**
 * Simulated time: a deterministic stream, in time order, of intake reports and agency events
 * about the synthetic population.
 *
 * Days are simulated one at a time (Taipei local time). Each kind of event has its own forked
 * random stream per day, and each incident its own fork, so that leaving a kind out (e.g.
 * `reportStream`) or adding a new one does not change the others. Events that happen later
 * than the day that caused them (a second report, a case opened or closed) wait in a heap;
 * memory is the day's events plus those pending, never the whole stream.
 */
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  civilFromDays,
  taipeiCompactDate,
  taipeiDay,
  taipeiDayStart,
  taipeiHour,
  taipeiMonthDay,
  weekday,
} from './calendar';
import {
  EVENT_KINDS,
  REPORT_CATEGORIES,
  REPORT_CHANNELS,
  type AgencyPerson,
  type DisadvantagedGroup,
  type EducationEvent,
  type EventKind,
  type IntakeReport,
  type NoiseKind,
  type PoliceIncidentKind,
  type ProtectionCaseType,
  type ReportCategory,
  type ReportChannel,
  type ReportedPerson,
  type ReporterType,
  type SimulatedEvent,
  type SubjectRoleName,
  type VulnerableNeed,
  type WelfareScheme,
} from './event-types';
import type { CountyConfig, DistrictConfig, TownshipConfig } from './geography';
import {
  HAS_CHILD,
  HAS_COUPLE,
  HAS_ELDER,
  HAS_SCHOOL_AGE,
  HAS_TEEN,
  HAS_WORKING_AGE,
  HAS_YOUNG,
  HAS_YOUTH,
  HouseholdIndex,
  riskWeight,
  vulnerability,
  type ClassSampler,
} from './household-index';
import { needsPhrase, relationOf, writeNarrative } from './narratives';
import { describePerson, resolveNoise, type NoiseOverrides, type NoiseProfile } from './noise';
import { PopulationModel, type CountyPopulation, type PopulationOptions } from './population';
import type { Household, Person } from './population-types';
import { CHANNEL_MIX, policeIncidentsBehindReports, ratesFor, reportsPerIncident, suicideAttemptsBehindReports, type EventRates } from './rates';
import { Random, WeightedTable, type Seed } from './random';

/** A county and seed to regenerate the population from (no population held in memory). */
export interface PopulationSpec {
  readonly county: CountyConfig;
  readonly seed: Seed;
  readonly options?: PopulationOptions;
}

export type PopulationSource = CountyPopulation | PopulationModel | PopulationSpec;

export interface EventStreamOptions {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** Overrides of the county's default rates (Nantou's, scaled by population). */
  readonly rates?: Partial<EventRates>;
  readonly noise?: NoiseOverrides;
  /** Only these kinds (default: all). Leaving kinds out does not change the events of the others. */
  readonly kinds?: readonly EventKind[];
  /** Seed of the events; defaults to the population's seed. */
  readonly seed?: Seed;
}

const DAYS_PER_YEAR = 365.2425;
const WEEKDAYS_PER_YEAR = (DAYS_PER_YEAR * 5) / 7;

/** Hour-of-day weights (Taipei time). */
const EVENING = [3, 2, 2, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 8, 6, 4];
const DAYTIME = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 4, 5, 5, 5, 4, 5, 5, 5, 4, 3, 2, 2, 1.5, 1.5, 1, 1];
const HOURS_EVENING = new WeightedTable(EVENING.map((w, h) => [h, w] as const));
const HOURS_DAYTIME = new WeightedTable(DAYTIME.map((w, h) => [h, w] as const));
const CATEGORY_HOURS: Readonly<Record<ReportCategory, WeightedTable<number>>> = {
  'adult-protection': HOURS_EVENING,
  'child-protection': HOURS_DAYTIME,
  'elder-protection': HOURS_DAYTIME,
  'sexual-assault': HOURS_EVENING,
  'vulnerable-family': HOURS_DAYTIME,
  'juvenile-deviant-behaviour': HOURS_EVENING,
  'mental-health-crisis': HOURS_EVENING,
  'suicide-risk': HOURS_EVENING,
};

/** Flags a household must have for each category (any of `any`, all of `all`). */
const CATEGORY_FLAGS: Readonly<Record<ReportCategory, { all: number; any: number; alpha: number }>> = {
  'child-protection': { all: HAS_CHILD, any: 0, alpha: 1 },
  'adult-protection': { all: HAS_COUPLE, any: 0, alpha: 1 },
  'elder-protection': { all: HAS_ELDER, any: 0, alpha: 0.8 },
  'sexual-assault': { all: HAS_YOUNG, any: 0, alpha: 0.8 },
  'vulnerable-family': { all: HAS_WORKING_AGE, any: 0, alpha: 1.5 },
  'juvenile-deviant-behaviour': { all: HAS_TEEN, any: 0, alpha: 1 },
  'mental-health-crisis': { all: HAS_WORKING_AGE, any: 0, alpha: 0.7 },
  'suicide-risk': { all: 0, any: HAS_TEEN | HAS_WORKING_AGE | HAS_ELDER, alpha: 0.5 },
};

const REPORTERS: Readonly<Record<ReportChannel, readonly (readonly [ReporterType, number])[]>> = {
  police: [['police-officer', 1]],
  school: [['teacher', 0.55], ['school-counsellor', 0.45]],
  hospital: [['doctor', 0.3], ['nurse', 0.35], ['hospital-social-worker', 0.35]],
  'mental-health': [['mental-health-social-worker', 1]],
  employment: [['employment-counsellor', 1]],
  welfare: [['social-worker', 1]],
  'public-online': [['neighbour', 0.35], ['relative', 0.25], ['self', 0.15], ['anonymous', 0.25]],
  'convenience-store': [['store-clerk', 1]],
  'village-officer': [['village-officer', 1]],
  volunteer: [['volunteer', 1]],
};
const RESPONSIBLE: ReadonlySet<ReportChannel> = new Set<ReportChannel>([
  'police',
  'school',
  'hospital',
  'mental-health',
  'employment',
  'welfare',
  'village-officer',
]);
/** Channels that report only in office hours (weekdays 08:00-17:30). */
const OFFICE_CHANNELS: ReadonlySet<ReportChannel> = new Set<ReportChannel>(['school', 'welfare', 'employment', 'village-officer']);
/** First-report delay after the incident, in minutes [min, max]. */
const REPORT_DELAY: Readonly<Record<ReportChannel, readonly [number, number]>> = {
  police: [30, 360],
  school: [60, 1440],
  hospital: [60, 720],
  'mental-health': [60, 1440],
  employment: [1440, 4320],
  welfare: [1440, 4320],
  'public-online': [30, 4320],
  'convenience-store': [60, 2880],
  'village-officer': [1440, 4320],
  volunteer: [1440, 5760],
};

const CHANNEL_ENTRIES = {} as Record<ReportCategory, readonly (readonly [ReportChannel, number])[]>;
for (const c of REPORT_CATEGORIES) {
  CHANNEL_ENTRIES[c] = REPORT_CHANNELS.flatMap((channel) => {
    const w = CHANNEL_MIX[c][channel] ?? 0;
    return w > 0 ? [[channel, w] as const] : [];
  });
}

const PRECINCT_NAMES: Readonly<Record<string, string>> = {
  nantou: '南投分局',
  caotun: '草屯分局',
  puli: '埔里分局',
  zhushan: '竹山分局',
  jiji: '集集分局',
};
const HOSPITALS: Readonly<Record<string, readonly string[]>> = {
  nantou: ['衛生福利部南投醫院', '南投基督教醫院'],
  caotun: ['佑民醫院', '衛生福利部草屯療養院'],
  puli: ['埔里基督教醫院', '臺中榮民總醫院埔里分院'],
  shuili: ['衛生福利部南投醫院', '埔里基督教醫院'],
  zhulu: ['竹山秀傳醫院', '衛生福利部南投醫院'],
};
const STORES = ['7-ELEVEN', '全家便利商店', '萊爾富', 'OK超商'];

const POLICE_KIND_OF_CATEGORY: Readonly<Record<ReportCategory, PoliceIncidentKind>> = {
  'adult-protection': 'domestic-violence',
  'child-protection': 'child-abuse-suspected',
  'elder-protection': 'domestic-violence',
  'sexual-assault': 'sexual-assault',
  'vulnerable-family': 'family-dispute',
  'juvenile-deviant-behaviour': 'juvenile-deviant-behaviour',
  'mental-health-crisis': 'other',
  'suicide-risk': 'suicide-attempt',
};
const CASE_TYPE: Partial<Record<ReportCategory, ProtectionCaseType>> = {
  'child-protection': 'child',
  'adult-protection': 'adult',
  'elder-protection': 'elder',
  'sexual-assault': 'sexual-assault',
};

const BASE32 = 'abcdefghjkmnpqrstuvwxyz23456789';
function opaqueId(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[rng.int(0, BASE32.length - 1)];
  return out;
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

interface Party {
  readonly person: Person;
  readonly role: SubjectRoleName;
  readonly age: number;
}

/** YYYYMMDD as a number, of a YYYY-MM-DD string (no allocation). */
function dateKey(iso: string): number {
  let key = 0;
  for (let i = 0; i < 10; i++) {
    const c = iso.charCodeAt(i);
    if (c !== 45) key = key * 10 + (c - 48);
  }
  return key;
}

let lastDay = Number.NaN;
let lastDayKey = 0;

/** Whole years of age on a day, -1 for someone not yet born: ⌊(YYYYMMDD − YYYYMMDD) / 10⁴⌋. */
function ageOfPerson(person: Person, day: number): number {
  if (day !== lastDay) {
    const [y, m, d] = civilFromDays(day);
    lastDay = day;
    lastDayKey = y * 10_000 + m * 100 + d;
  }
  const birth = dateKey(person.birthDate);
  return birth > lastDayKey ? -1 : Math.floor((lastDayKey - birth) / 10_000);
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly event: SimulatedEvent;
}

/** Binary min-heap on (at, seq). */
class EventHeap {
  private readonly items: Pending[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Pending | undefined {
    return this.items[0];
  }

  push(item: Pending): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!EventHeap.less(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && EventHeap.less(a[l], a[m])) m = l;
        if (r < a.length && EventHeap.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }

  private static less(x: Pending, y: Pending): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

function resolveSource(source: PopulationSource): { model: PopulationModel; household: (index: number) => Household } {
  if (source instanceof PopulationModel) return { model: source, household: (i) => source.household(i) };
  if ('households' in source) return { model: source.model, household: (i) => source.households[i] };
  const model = new PopulationModel(source.county, source.seed, source.options);
  return { model, household: (i) => model.household(i) };
}

/** The simulation of one stream: state is the pending heap and a ring of recent incident families. */
class Simulation {
  private readonly model: PopulationModel;
  private readonly household: (index: number) => Household;
  private readonly county: CountyConfig;
  private readonly rates: EventRates;
  private readonly noise: NoiseProfile;
  private readonly kinds: ReadonlySet<EventKind>;
  private readonly root: Random;
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly index: HouseholdIndex;
  private readonly heap = new EventHeap();
  private seq = 0;
  private readonly categories: WeightedTable<ReportCategory>;
  private readonly categorySamplers: Record<ReportCategory, ClassSampler>;
  private readonly samplers: Record<
    'outsider' | 'welfare' | 'low' | 'middleLow' | 'singleParent' | 'police' | 'teen' | 'suicide' | 'mental' | 'school' | 'work' | 'disadvantaged' | 'youth',
    ClassSampler
  >;
  private readonly districtOf: Map<string, DistrictConfig>;
  private readonly townshipOf: Map<string, TownshipConfig>;
  // Recent incident families (ring buffer): household index and category.
  private readonly ringHouseholds: Int32Array;
  private readonly ringCategories: Uint8Array;
  private ringNext = 0;
  private ringSize = 0;

  constructor(source: PopulationSource, options: EventStreamOptions) {
    const resolved = resolveSource(source);
    this.model = resolved.model;
    this.household = resolved.household;
    this.county = this.model.county;
    this.rates = ratesFor(this.county, options.rates);
    this.noise = resolveNoise(options.noise);
    this.kinds = new Set(options.kinds ?? EVENT_KINDS);
    this.root = Random.from(options.seed ?? this.model.seed).fork('events');
    this.fromMs = options.from.getTime();
    this.toMs = options.to.getTime();
    if (!(this.toMs > this.fromMs)) throw new RangeError('eventStream: `to` must be after `from`');
    const fromDay = taipeiDay(this.fromMs);
    this.index = new HouseholdIndex(this.county, this.model.householdCount, (h) => this.model.skeleton(h), fromDay);
    this.categories = WeightedTable.fromRecord(this.rates.categoryMix);
    const samplers = {} as Record<ReportCategory, ClassSampler>;
    for (const c of REPORT_CATEGORIES) {
      const f = CATEGORY_FLAGS[c];
      const base = riskWeight(f.all, f.alpha, f.any);
      samplers[c] = this.index.sampler(c === 'vulnerable-family' ? (k) => base(k) * ((k.flags & HAS_CHILD) !== 0 ? 2 : 1) : base);
    }
    this.categorySamplers = samplers;
    const welfare = riskWeight(0, 1.5, HAS_WORKING_AGE | HAS_ELDER);
    this.samplers = {
      outsider: this.index.sampler(riskWeight(HAS_WORKING_AGE, 0.3)),
      welfare: this.index.sampler((k) => welfare(k) * ((k.flags & HAS_CHILD) !== 0 ? 2 : 1)),
      low: this.index.sampler((k) => (k.tier === 'low' ? 1 : 0)),
      middleLow: this.index.sampler((k) => (k.tier === 'middle-low' ? 1 : 0)),
      singleParent: this.index.sampler((k) => (k.structure === 'single-parent' || k.structure === 'skipped-generation' ? vulnerability(k) : 0)),
      police: this.index.sampler(riskWeight(0, 0.8, HAS_WORKING_AGE | HAS_ELDER)),
      teen: this.index.sampler(riskWeight(HAS_TEEN, 1)),
      suicide: this.index.sampler(riskWeight(0, 0.5, HAS_TEEN | HAS_WORKING_AGE | HAS_ELDER)),
      mental: this.index.sampler(riskWeight(HAS_WORKING_AGE, 0.7)),
      school: this.index.sampler(riskWeight(HAS_SCHOOL_AGE, 1)),
      work: this.index.sampler(riskWeight(HAS_WORKING_AGE, 0.3)),
      disadvantaged: this.index.sampler(riskWeight(HAS_WORKING_AGE, 1.2)),
      youth: this.index.sampler(riskWeight(HAS_YOUTH, 0.5)),
    };
    this.districtOf = new Map(this.county.districts.flatMap((d) => d.townships.map((t) => [t.code, d] as const)));
    this.townshipOf = new Map(this.county.townships.map((t) => [t.code, t] as const));
    const incidentsPerYear = this.rates.reportsPerYear / reportsPerIncident(this.rates);
    const ring = Math.max(32, Math.min(20_000, Math.round((incidentsPerYear * 60) / DAYS_PER_YEAR)));
    this.ringHouseholds = new Int32Array(ring);
    this.ringCategories = new Uint8Array(ring);
  }

  *run(): Generator<SimulatedEvent> {
    const firstDay = taipeiDay(this.fromMs);
    const lastDay = taipeiDay(this.toMs - 1);
    const r = this.rates;
    const incidents = r.reportsPerYear / reportsPerIncident(r);
    const police = Math.max(0, r.policeIncidentsPerYear - policeIncidentsBehindReports(r));
    const suicide = Math.max(0, r.suicideAttemptsPerYear - suicideAttemptsBehindReports(r));
    for (let day = firstDay; day <= lastDay; day++) {
      const workday = weekday(day) >= 1 && weekday(day) <= 5;
      const perDay = (perYear: number): number => perYear / DAYS_PER_YEAR;
      const perWorkday = (perYear: number): number => (workday ? perYear / WEEKDAYS_PER_YEAR : 0);
      this.incidents(day, perDay(incidents));
      if (this.kinds.has('police-incident')) this.policeIncidents(day, perDay(police));
      if (this.kinds.has('welfare-visit')) this.welfareVisits(day, perWorkday(r.welfareVisitsPerYear));
      if (this.kinds.has('welfare-assistance')) {
        this.welfareAssistance(day, 'granted', perWorkday(r.welfareAssistanceGrantedPerYear));
        this.welfareAssistance(day, 'ended', perWorkday(r.welfareAssistanceEndedPerYear));
      }
      if (this.kinds.has('mental-health')) {
        this.suicideAttempts(day, perDay(suicide));
        this.mentalHealthCases(day, perWorkday(r.mentalHealthCasesOpenedPerYear));
      }
      if (this.kinds.has('education')) {
        this.education(day, 'attendance-drop', perWorkday(r.attendanceDropsPerYear));
        this.education(day, 'dropout', perWorkday(r.dropoutsPerYear));
        this.education(day, 'counselling-tier-changed', perWorkday(r.counsellingTierChangesPerYear));
        this.education(day, 'student-of-concern', perWorkday(r.studentsOfConcernPerYear));
      }
      if (this.kinds.has('employment')) {
        this.employment(day, 'job-seeker-registered', perWorkday(r.jobSeekerRegistrationsPerYear));
        this.employment(day, 'disadvantaged-group-service', perWorkday(r.disadvantagedServicesPerYear));
        this.employment(day, 'youth-employment-service', perWorkday(r.youthEmploymentServicesPerYear));
      }
      const end = Math.min(taipeiDayStart(day + 1), this.toMs);
      for (let next = this.heap.peek(); next !== undefined && next.at < end; next = this.heap.peek()) {
        this.heap.pop();
        if (next.at >= this.fromMs) yield next.event;
      }
    }
  }

  private wants(kind: EventKind, at: number): boolean {
    return at < this.toMs && this.kinds.has(kind);
  }

  /** Queues an event (dropped when its kind is not wanted or it falls after `to`). */
  private emit(at: number, event: SimulatedEvent): void {
    if (!this.wants(event.kind, at)) return;
    this.heap.push({ at, seq: this.seq++, event });
  }

  // ---------------------------------------------------------------- choosing people

  private remember(household: number, category: ReportCategory): void {
    this.ringHouseholds[this.ringNext] = household;
    this.ringCategories[this.ringNext] = REPORT_CATEGORIES.indexOf(category);
    this.ringNext = (this.ringNext + 1) % this.ringHouseholds.length;
    this.ringSize = Math.min(this.ringSize + 1, this.ringHouseholds.length);
  }

  /** A recently reported family that fits (`categories` limits which incidents count), or -1. */
  private recentFamily(rng: Random, all: number, any: number, categories?: readonly ReportCategory[]): number {
    if (this.ringSize === 0) return -1;
    for (let attempt = 0; attempt < 4; attempt++) {
      const slot = rng.int(0, this.ringSize - 1);
      const h = this.ringHouseholds[slot];
      if (categories !== undefined && !categories.includes(REPORT_CATEGORIES[this.ringCategories[slot]])) continue;
      const flags = this.index.classOfHousehold(h).flags;
      if ((flags & all) === all && (any === 0 || (flags & any) !== 0)) return h;
    }
    return -1;
  }

  private outsider(rng: Random, exclude: string, sex: Person['sex'], minAge: number, maxAge: number, day: number): Party | undefined {
    for (let attempt = 0; attempt < 10; attempt++) {
      const h = this.samplers.outsider.sample(rng);
      if (h < 0) return undefined;
      const hh = this.household(h);
      if (hh.householdId === exclude) continue;
      const fits = hh.members
        .map((person) => ({ person, age: ageOfPerson(person, day) }))
        .filter((p) => p.person.sex === sex && p.age >= minAge && p.age <= maxAge);
      if (fits.length > 0) {
        const p = rng.pick(fits);
        return { person: p.person, role: 'alleged-perpetrator', age: p.age };
      }
    }
    return undefined;
  }

  /** The people of an incident of this category in this household, or undefined if it does not fit. */
  private parties(rng: Random, category: ReportCategory, hh: Household, day: number): Party[] | undefined {
    const aged = hh.members.map((person) => ({ person, age: ageOfPerson(person, day) }));
    const adults = aged.filter((p) => p.age >= 18);
    const minors = aged.filter((p) => p.age >= 0 && p.age <= 17 && (p.person.role === 'child' || p.person.role === 'grandchild'));
    const party = (p: { person: Person; age: number }, role: SubjectRoleName): Party => ({ person: p.person, role, age: p.age });
    const others = <T extends { person: Person }>(list: T[], ...not: { person: Person }[]): T[] =>
      list.filter((p) => !not.some((n) => n.person === p.person));
    switch (category) {
      case 'child-protection': {
        if (minors.length === 0) return undefined;
        const victim = rng.weighted(minors.map((m) => [m, m.age < 6 ? 1.5 : 1] as const));
        const carers = adults.filter((p) =>
          victim.person.role === 'child' ? p.person.role !== 'child' : p.person.role === 'head' || p.person.role === 'spouse',
        );
        if (carers.length === 0) return undefined;
        const perpetrator = rng.weighted(carers.map((c) => [c, c.person.role === 'grandparent' ? 0.3 : 1] as const));
        const out = [party(victim, 'victim'), party(perpetrator, 'alleged-perpetrator')];
        const caregivers = others(carers, perpetrator);
        if (caregivers.length > 0 && rng.chance(0.7)) out.push(party(rng.pick(caregivers), 'caregiver'));
        const siblings = others(minors, victim);
        if (siblings.length > 0 && rng.chance(0.3)) out.push(party(rng.pick(siblings), 'child'));
        return out;
      }
      case 'adult-protection': {
        const couple = adults.filter((p) => p.person.role === 'head' || p.person.role === 'spouse');
        if (couple.length < 2) return undefined;
        let victim: { person: Person; age: number };
        let perpetrator: Party | undefined;
        const adultChildren = adults.filter((p) => p.person.role === 'child');
        if (adultChildren.length > 0 && rng.chance(0.12)) {
          victim = rng.pick(couple);
          perpetrator = party(rng.pick(adultChildren), 'alleged-perpetrator');
        } else {
          const female = couple.find((p) => p.person.sex === 'F');
          const male = couple.find((p) => p.person.sex === 'M');
          victim = female !== undefined && male !== undefined ? (rng.chance(0.8) ? female : male) : rng.pick(couple);
          if (rng.chance(0.08)) {
            perpetrator = this.outsider(rng, hh.householdId, victim.person.sex === 'F' ? 'M' : 'F', 20, 64, day);
          }
          perpetrator ??= party(others(couple, victim)[0], 'alleged-perpetrator');
        }
        const out = [party(victim, 'victim'), perpetrator];
        for (const child of minors.slice(0, 2)) if (rng.chance(0.6)) out.push(party(child, 'child'));
        return out;
      }
      case 'elder-protection': {
        const elders = aged.filter((p) => p.age >= 65);
        if (elders.length === 0) return undefined;
        const victim = rng.pick(elders);
        const younger = others(adults, victim).filter((p) =>
          victim.person.role === 'grandparent' ? p.person.role === 'head' || p.person.role === 'spouse' : true,
        );
        const out = [party(victim, 'victim')];
        if (younger.length > 0) {
          const perpetrator = rng.pick(younger);
          out.push(party(perpetrator, 'alleged-perpetrator'));
          const carers = others(adults, victim, perpetrator);
          if (carers.length > 0 && rng.chance(0.5)) out.push(party(rng.pick(carers), 'caregiver'));
        }
        return out;
      }
      case 'sexual-assault': {
        const young = aged.filter((p) => p.age >= 10 && p.age <= 29);
        if (young.length === 0) return undefined;
        const victim = rng.weighted(young.map((p) => [p, (p.person.sex === 'F' ? 0.85 : 0.15) * (p.age < 18 ? 1.5 : 1)] as const));
        let perpetrator: Party | undefined;
        const inside = others(adults, victim).filter((p) => p.person.sex === 'M' && p.age >= victim.age + 5);
        if (inside.length > 0 && rng.chance(0.3)) perpetrator = party(rng.pick(inside), 'alleged-perpetrator');
        perpetrator ??= this.outsider(rng, hh.householdId, 'M', 16, 60, day);
        if (perpetrator === undefined) return undefined;
        const out = [party(victim, 'victim'), perpetrator];
        if (victim.age < 18) {
          const carers = others(adults, victim, perpetrator).filter((p) => p.person.role !== 'child');
          if (carers.length > 0 && rng.chance(0.8)) out.push(party(rng.pick(carers), 'caregiver'));
        }
        return out;
      }
      case 'vulnerable-family': {
        const head = aged[0];
        if (head.age < 18) return undefined;
        const out = [party(head, 'reported-person')];
        for (const child of minors.slice(0, 2)) out.push(party(child, 'child'));
        const carers = others(adults, head).filter((p) => p.person.role !== 'child');
        if (carers.length > 0 && rng.chance(0.3)) out.push(party(rng.pick(carers), 'caregiver'));
        return out;
      }
      case 'juvenile-deviant-behaviour': {
        const teens = minors.filter((p) => p.age >= 12);
        if (teens.length === 0) return undefined;
        const out = [party(rng.pick(teens), 'reported-person')];
        const carers = adults.filter((p) => p.person.role !== 'child' && p.person.role !== 'grandchild');
        if (carers.length > 0 && rng.chance(0.85)) out.push(party(rng.pick(carers), 'caregiver'));
        return out;
      }
      case 'mental-health-crisis': {
        const candidates = adults.filter((p) => p.age <= 64);
        if (candidates.length === 0) return undefined;
        const person = rng.pick(candidates);
        const out = [party(person, 'reported-person')];
        const carers = others(adults, person);
        if (carers.length > 0 && rng.chance(0.7)) out.push(party(rng.pick(carers), 'caregiver'));
        return out;
      }
      case 'suicide-risk': {
        const candidates = aged.filter((p) => p.age >= 12);
        if (candidates.length === 0) return undefined;
        const person = rng.weighted(candidates.map((p) => [p, p.age < 25 ? 1.2 : p.age >= 65 ? 1.1 : 1] as const));
        const out = [party(person, 'reported-person')];
        const carers = others(adults, person);
        if (carers.length > 0 && rng.chance(0.6)) out.push(party(rng.pick(carers), 'caregiver'));
        return out;
      }
    }
  }

  private agencyPerson(p: Party): AgencyPerson {
    const { personId, nationalId, name, birthDate, sex } = p.person;
    return { personId, nationalId, name, birthDate, sex, role: p.role };
  }

  private placeOf(hh: Household): { townshipCode: string; districtId: string } {
    return { townshipCode: hh.townshipCode, districtId: hh.districtId };
  }

  /** Moves an instant into office hours (weekdays 08:00-17:30), if it is not already. */
  private officeHours(rng: Random, at: number): number {
    const day = taipeiDay(at);
    const hour = taipeiHour(at);
    const wd = weekday(day);
    if (wd >= 1 && wd <= 5 && hour >= 8 && hour < 17.5) return at;
    let next = hour >= 17.5 || wd === 0 || wd === 6 ? day + 1 : day;
    while (weekday(next) === 0 || weekday(next) === 6) next++;
    return taipeiDayStart(next) + 8 * MS_PER_HOUR + rng.int(0, 240) * MS_PER_MINUTE;
  }

  private atHour(rng: Random, day: number, hours: WeightedTable<number>): number {
    return taipeiDayStart(day) + hours.sample(rng) * MS_PER_HOUR + rng.int(0, 3599) * 1000;
  }

  private officeTime(rng: Random, day: number): number {
    return taipeiDayStart(day) + 8 * MS_PER_HOUR + 30 * MS_PER_MINUTE + rng.int(0, 510 * 60 - 1) * 1000;
  }

  private school(hh: Household, age: number): string {
    const village = hh.address.village.slice(0, -1);
    const township = hh.address.township.slice(0, -1);
    if (age <= 11) return `${village}國小`;
    if (age <= 14) return `${township}國中`;
    return `${township}高中`;
  }

  private reporterUnit(rng: Random, channel: ReportChannel, hh: Household): string {
    const town = this.townshipOf.get(hh.townshipCode);
    const district = this.districtOf.get(hh.townshipCode);
    switch (channel) {
      case 'police':
        return PRECINCT_NAMES[town?.policePrecinct ?? ''] ?? `${hh.address.township}分局`;
      case 'school':
        return this.school(hh, rng.int(6, 17));
      case 'hospital':
        return rng.pick(HOSPITALS[hh.districtId] ?? [`${hh.address.township}衛生所`]);
      case 'mental-health':
        return `${this.county.name}社區心理衛生中心`;
      case 'employment':
        return `${this.county.name.slice(0, -1)}就業服務站`;
      case 'welfare':
        return district?.welfareCentre ?? `${this.county.name}社會處`;
      case 'public-online':
        return '關懷e起來';
      case 'convenience-store':
        return `${rng.pick(STORES)}${hh.address.road}門市`;
      case 'village-officer':
        return `${hh.address.township}${hh.address.village}辦公處`;
      case 'volunteer':
        return `${hh.address.village}社區關懷據點`;
    }
  }

  private needs(rng: Random, hh: Household, day: number): VulnerableNeed[] {
    const hasElder = hh.members.some((m) => ageOfPerson(m, day) >= 65);
    const hasChild = hh.members.some((m) => {
      const a = ageOfPerson(m, day);
      return a >= 0 && a <= 17;
    });
    const table = new WeightedTable<VulnerableNeed>([
      ['economic', hh.incomeTier === 'general' ? 3 : 8],
      ['unemployment', 2],
      ['care', hasElder ? 3 : 0.5],
      ['illness', 2],
      ['housing', 1.2],
      ['parenting', hasChild ? (hh.structure === 'single-parent' || hh.structure === 'skipped-generation' ? 3 : 1.5) : 0],
      ['child-development', hasChild ? 0.8 : 0],
      ['disability', 1],
      ['family-conflict', 1.5],
      ['substance-use', 0.8],
    ]);
    const count = rng.weighted([[1, 0.45], [2, 0.4], [3, 0.15]] as const);
    const out: VulnerableNeed[] = [];
    for (let i = 0; i < count * 3 && out.length < count; i++) {
      const need = table.sample(rng);
      if (!out.includes(need)) out.push(need);
    }
    return out;
  }

  // ---------------------------------------------------------------- incidents and reports

  private incidents(day: number, perDay: number): void {
    const stream = this.root.fork('incidents').fork(day);
    const count = stream.poisson(perDay);
    for (let i = 0; i < count; i++) this.incident(day, i, stream.fork(i));
  }

  private incident(day: number, i: number, rng: Random): void {
    const category = this.categories.sample(rng);
    const flags = CATEGORY_FLAGS[category];
    let household: Household | undefined;
    let parties: Party[] | undefined;
    for (let attempt = 0; attempt < 20 && parties === undefined; attempt++) {
      let h = rng.chance(this.rates.repeatFamilyShare) ? this.recentFamily(rng, flags.all, flags.any) : -1;
      if (h < 0) h = this.categorySamplers[category].sample(rng);
      if (h < 0) return;
      household = this.household(h);
      parties = this.parties(rng, category, household, day);
    }
    if (household === undefined || parties === undefined) return;
    this.remember(household.index, category);
    const hh = household;
    const at = this.atHour(rng, day, CATEGORY_HOURS[category]);
    const incidentId = `INC-${this.county.code}-${taipeiCompactDate(at)}-${pad(i, 4)}`;

    // Which channels report it, and when.
    const u = rng.float();
    const reports = u < this.rates.reportedThrice ? 3 : u < this.rates.reportedThrice + this.rates.reportedTwice ? 2 : 1;
    // Schools report pupils (and their families), stores the children who come in.
    const pupil = parties.some((p) => p.age >= 6 && p.age <= 24);
    const child = parties.some((p) => p.age >= 6 && p.age <= 17);
    const mix = CHANNEL_ENTRIES[category].filter(([c]) => (c !== 'school' || pupil) && (c !== 'convenience-store' || child));
    const channels: ReportChannel[] = [];
    const times: number[] = [];
    let previous = at;
    for (let r = 0; r < reports && r < mix.length; r++) {
      const channel = rng.weighted(channels.length === 0 ? mix : mix.filter(([c]) => !channels.includes(c)));
      const [lo, hi] = r === 0 ? REPORT_DELAY[channel] : [120, 7200];
      let time = previous + rng.int(lo, hi) * MS_PER_MINUTE;
      if (OFFICE_CHANNELS.has(channel)) time = this.officeHours(rng, time);
      channels.push(channel);
      times.push(time);
      previous = time;
    }

    if (this.kinds.has('report')) {
      channels.forEach((channel, r) => {
        this.emit(times[r], this.report(rng.fork(`report-${r}`), category, channel, at, times[r], hh, parties, incidentId, r + 1));
      });
    }
    this.derived(rng.fork('derived'), category, channels, times, at, hh, parties, incidentId, i);
  }

  private report(
    rng: Random,
    category: ReportCategory,
    channel: ReportChannel,
    incidentAt: number,
    at: number,
    hh: Household,
    parties: readonly Party[],
    incidentId: string,
    reportOfIncident: number,
  ): IntakeReport {
    const day = taipeiDay(at);
    const persons: ReportedPerson[] = [];
    const truth: { personId: string; noise: NoiseKind[] }[] = [];
    for (const p of parties) {
      const { reported, noise } = describePerson(rng, p.person, p.role, channel, this.noise, Math.max(0, ageOfPerson(p.person, day)));
      persons.push(reported);
      truth.push({ personId: p.person.personId, noise });
    }
    const needs = category === 'vulnerable-family' ? this.needs(rng, hh, day) : [];
    const main = parties.findIndex((p) => p.role === 'victim' || p.role === 'reported-person');
    const perpetrator = parties.findIndex((p) => p.role === 'alleged-perpetrator');
    const caregiver = parties.findIndex((p) => p.role === 'caregiver');
    const childVictim = category === 'child-protection' ? main : parties.findIndex((p) => p.role === 'child');
    const subject = main >= 0 ? parties[main] : parties[0];
    const relationTo = category === 'child-protection' && childVictim >= 0 ? parties[childVictim] : subject;
    const kids = hh.members.filter((m) => {
      const a = ageOfPerson(m, day);
      return a >= 0 && a <= 17;
    });
    const mainReported = main >= 0 ? persons[main] : persons[0];
    const narrative = writeNarrative(rng, category, channel, {
      V: mainReported?.name,
      VA: subject?.age,
      VS: subject?.person.sex,
      P: perpetrator >= 0 ? persons[perpetrator].name : undefined,
      PA: perpetrator >= 0 ? parties[perpetrator].age : undefined,
      PR: perpetrator >= 0 && relationTo !== undefined ? relationOf(relationTo.person, parties[perpetrator].person, relationTo.age, rng) : undefined,
      C: childVictim >= 0 ? persons[childVictim].name : undefined,
      CA: childVictim >= 0 ? parties[childVictim].age : undefined,
      G: caregiver >= 0 ? persons[caregiver].name : undefined,
      GR: caregiver >= 0 && subject !== undefined ? relationOf(subject.person, parties[caregiver].person, subject.age, rng) : undefined,
      ADDR: mainReported?.address ?? `${hh.address.township}${hh.address.village}`,
      TS: hh.address.township,
      DATE: taipeiMonthDay(incidentAt),
      PHONE: persons.find((p) => p.phone !== undefined)?.phone,
      ID: mainReported?.nationalId !== undefined && rng.chance(0.3) ? mainReported.nationalId : undefined,
      CN: kids.length,
      NEEDS: needsPhrase(needs.length > 0 ? needs : ['economic']),
      SCHOOL: this.school(hh, childVictim >= 0 ? parties[childVictim].age : (subject?.age ?? 12)),
    });
    return {
      kind: 'report',
      at: new Date(at),
      reportId: `RPT-${opaqueId(rng, 12)}`,
      channel,
      reporterType: rng.weighted(REPORTERS[channel]),
      responsibleReporter: RESPONSIBLE.has(channel),
      reporterUnit: this.reporterUnit(rng, channel, hh),
      category,
      needs,
      townshipCode: hh.townshipCode,
      persons,
      narrative,
      truth: { incidentId, householdId: hh.householdId, persons: truth, reportOfIncident },
    };
  }

  /** Agency events that follow from an incident: the police call, the protection case, the attempt record. */
  private derived(
    rng: Random,
    category: ReportCategory,
    channels: readonly ReportChannel[],
    times: readonly number[],
    at: number,
    hh: Household,
    parties: readonly Party[],
    incidentId: string,
    i: number,
  ): void {
    // Every draw happens whichever kinds are wanted, so that leaving one out changes no other;
    // only the building of unwanted events is skipped.
    const place = this.placeOf(hh);
    const wanted = this.kinds.has('police-incident') || this.kinds.has('protection-case') || this.kinds.has('mental-health');
    const persons = wanted ? parties.map((p) => this.agencyPerson(p)) : [];
    const truth = { householdId: hh.householdId, incidentId };
    const stamp = taipeiCompactDate(at);
    const policeReport = channels.indexOf('police');
    if (policeReport >= 0) {
      const when = Math.max(at, times[policeReport] - rng.int(20, 180) * MS_PER_MINUTE);
      const source = rng.weighted([['110-call', 0.75], ['patrol', 0.1], ['walk-in', 0.15]] as const);
      const weaponInvolved = category === 'adult-protection' && rng.chance(0.15);
      if (this.wants('police-incident', when)) {
        this.emit(when, {
          kind: 'police-incident',
          at: new Date(when),
          policeRef: `POL-${this.county.code}-${stamp}-R${pad(i, 4)}`,
          incidentKind: POLICE_KIND_OF_CATEGORY[category],
          source,
          precinct: this.townshipOf.get(hh.townshipCode)?.policePrecinct ?? hh.districtId,
          childrenPresent: parties.some((p) => p.age >= 0 && p.age <= 17),
          weaponInvolved,
          persons,
          truth,
          ...place,
        });
      }
    }
    const caseType = CASE_TYPE[category];
    if (caseType !== undefined && rng.chance(this.rates.protectionOpenRate)) {
      const opened = this.officeHours(rng, times[0] + rng.int(1, 7) * MS_PER_DAY);
      const coCase = rng.chance(this.rates.protectionCoCaseRate) ? this.officeHours(rng, opened + rng.int(7, 30) * MS_PER_DAY) : undefined;
      const partner = coCase === undefined ? undefined : rng.weighted([['welfare', 0.5], ['mental-health', 0.3], ['education', 0.2]] as const);
      const closed = this.officeHours(rng, opened + rng.int(90, 365) * MS_PER_DAY);
      if (this.wants('protection-case', opened)) {
        const base = { kind: 'protection-case' as const, caseRef: `PC-${this.county.code}-${stamp}-${pad(i, 4)}`, caseType, persons, truth, ...place };
        this.emit(opened, { ...base, action: 'opened', at: new Date(opened) });
        if (coCase !== undefined) this.emit(coCase, { ...base, action: 'co-case', partner, at: new Date(coCase) });
        this.emit(closed, { ...base, action: 'closed', at: new Date(closed) });
      }
    }
    if (category === 'suicide-risk' && rng.chance(this.rates.suicideAttemptRecordedRate)) {
      const when = at + rng.int(120, 1200) * MS_PER_MINUTE;
      if (this.wants('mental-health', when)) this.emit(when, {
        kind: 'mental-health',
        action: 'suicide-attempt-reported',
        at: new Date(when),
        caseRef: `MH-${this.county.code}-${stamp}-R${pad(i, 4)}`,
        persons: persons.filter((p) => p.role === 'reported-person'),
        truth,
        ...place,
      });
    }
  }

  // ---------------------------------------------------------------- agency streams

  /** Runs `count ~ Poisson(perDay)` draws of one stream for the day, each with its own fork. */
  private daily(stream: string, day: number, perDay: number, each: (rng: Random, i: number) => void): void {
    if (perDay <= 0) return;
    const rng = this.root.fork(stream).fork(day);
    const count = rng.poisson(perDay);
    for (let i = 0; i < count; i++) each(rng.fork(i), i);
  }

  /** A household from the sampler whose people fit `pick`, trying a few. */
  private find<T>(rng: Random, sampler: ClassSampler, pick: (hh: Household) => T | undefined): { hh: Household; found: T } | undefined {
    for (let attempt = 0; attempt < 12; attempt++) {
      const h = sampler.sample(rng);
      if (h < 0) return undefined;
      const hh = this.household(h);
      const found = pick(hh);
      if (found !== undefined) return { hh, found };
    }
    return undefined;
  }

  private aged(hh: Household, day: number, min: number, max: number): { person: Person; age: number }[] {
    return hh.members.map((person) => ({ person, age: ageOfPerson(person, day) })).filter((p) => p.age >= min && p.age <= max);
  }

  private policeIncidents(day: number, perDay: number): void {
    this.daily('police', day, perDay, (rng, i) => {
      const incidentKind = rng.weighted([
        ['family-dispute', 0.5],
        ['juvenile-deviant-behaviour', 0.2],
        ['missing-person', 0.12],
        ['other', 0.18],
      ] as const);
      const juvenile = incidentKind === 'juvenile-deviant-behaviour';
      const chosen = this.find(rng, juvenile ? this.samplers.teen : this.samplers.police, (hh) => {
        const main = juvenile ? this.aged(hh, day, 12, 17) : incidentKind === 'missing-person' ? this.aged(hh, day, 10, 100) : this.aged(hh, day, 18, 100);
        if (main.length === 0) return undefined;
        const subject = rng.pick(main);
        const out: Party[] = [{ ...subject, role: 'reported-person' }];
        const carers = this.aged(hh, day, 18, 100).filter((p) => p.person !== subject.person);
        if (carers.length > 0 && (juvenile || incidentKind === 'missing-person' || incidentKind === 'family-dispute')) {
          out.push({ ...rng.pick(carers), role: incidentKind === 'family-dispute' ? 'reported-person' : 'caregiver' });
        }
        return out;
      });
      if (chosen === undefined) return;
      const at = this.atHour(rng, day, HOURS_EVENING);
      const town = this.townshipOf.get(chosen.hh.townshipCode);
      this.emit(at, {
        kind: 'police-incident',
        at: new Date(at),
        policeRef: `POL-${this.county.code}-${taipeiCompactDate(at)}-P${pad(i, 4)}`,
        incidentKind,
        source: rng.weighted([['110-call', 0.7], ['patrol', 0.2], ['walk-in', 0.1]] as const),
        precinct: town?.policePrecinct ?? chosen.hh.districtId,
        childrenPresent: this.aged(chosen.hh, day, 0, 17).length > 0,
        weaponInvolved: incidentKind === 'family-dispute' && rng.chance(0.03),
        persons: chosen.found.map((p) => this.agencyPerson(p)),
        truth: { householdId: chosen.hh.householdId },
        ...this.placeOf(chosen.hh),
      });
    });
  }

  private welfareVisits(day: number, perDay: number): void {
    this.daily('welfare-visit', day, perDay, (rng, i) => {
      const pick = (hh: Household): Party[] | undefined => {
        const head = this.aged(hh, day, 18, 110).find((p) => p.person.role === 'head') ?? this.aged(hh, day, 18, 110)[0];
        if (head === undefined) return undefined;
        return [{ ...head, role: 'reported-person' }, ...this.aged(hh, day, 0, 17).slice(0, 2).map((c) => ({ ...c, role: 'child' as const }))];
      };
      let chosen: { hh: Household; found: Party[] } | undefined;
      if (rng.chance(this.rates.welfareVisitFollowUpShare)) {
        const h = this.recentFamily(rng, 0, 0, ['vulnerable-family', 'child-protection', 'elder-protection']);
        if (h >= 0) {
          const hh = this.household(h);
          const found = pick(hh);
          if (found !== undefined) chosen = { hh, found };
        }
      }
      chosen ??= this.find(rng, this.samplers.welfare, pick);
      if (chosen === undefined) return;
      const at = this.officeTime(rng, day);
      this.emit(at, {
        kind: 'welfare-visit',
        at: new Date(at),
        visitRef: `WV-${this.county.code}-${taipeiCompactDate(at)}-${pad(i, 4)}`,
        visitType: rng.weighted([['home-visit', 0.7], ['phone', 0.15], ['office', 0.1], ['co-visit', 0.05]] as const),
        needs: this.needs(rng, chosen.hh, day),
        persons: chosen.found.map((p) => this.agencyPerson(p)),
        truth: { householdId: chosen.hh.householdId },
        ...this.placeOf(chosen.hh),
      });
    });
  }

  private welfareAssistance(day: number, action: 'granted' | 'ended', perDay: number): void {
    this.daily(`welfare-assistance-${action}`, day, perDay, (rng, i) => {
      const scheme: WelfareScheme =
        action === 'granted'
          ? rng.weighted([['emergency-relief', 0.55], ['low-income', 0.2], ['middle-low-income', 0.15], ['special-circumstances-family', 0.1]] as const)
          : rng.weighted([['low-income', 0.55], ['middle-low-income', 0.45]] as const);
      const sampler =
        scheme === 'low-income'
          ? this.samplers.low
          : scheme === 'middle-low-income'
            ? this.samplers.middleLow
            : scheme === 'special-circumstances-family'
              ? this.samplers.singleParent
              : this.samplers.welfare;
      const chosen = this.find(rng, sampler, (hh) => {
        const head = this.aged(hh, day, 18, 110)[0];
        return head === undefined ? undefined : [{ ...head, role: 'reported-person' as const }];
      });
      if (chosen === undefined) return;
      const at = this.officeTime(rng, day);
      const amount =
        scheme === 'emergency-relief' ? rng.int(5, 30) * 1000 : scheme === 'low-income' ? 14_230 : scheme === 'middle-low-income' ? 0 : rng.int(3, 8) * 1000;
      this.emit(at, {
        kind: 'welfare-assistance',
        action,
        scheme,
        at: new Date(at),
        caseRef: `WA-${this.county.code}-${taipeiCompactDate(at)}-${action === 'granted' ? 'G' : 'E'}${pad(i, 4)}`,
        amount,
        persons: chosen.found.map((p) => this.agencyPerson(p)),
        truth: { householdId: chosen.hh.householdId },
        ...this.placeOf(chosen.hh),
      });
    });
  }

  private suicideAttempts(day: number, perDay: number): void {
    this.daily('suicide-attempt', day, perDay, (rng, i) => {
      const chosen = this.find(rng, this.samplers.suicide, (hh) => {
        const candidates = this.aged(hh, day, 12, 110);
        return candidates.length === 0 ? undefined : [{ ...rng.pick(candidates), role: 'reported-person' as const }];
      });
      if (chosen === undefined) return;
      const at = this.atHour(rng, day, HOURS_EVENING) + rng.int(120, 600) * MS_PER_MINUTE;
      this.emit(at, {
        kind: 'mental-health',
        action: 'suicide-attempt-reported',
        at: new Date(at),
        caseRef: `MH-${this.county.code}-${taipeiCompactDate(at)}-S${pad(i, 4)}`,
        persons: chosen.found.map((p) => this.agencyPerson(p)),
        truth: { householdId: chosen.hh.householdId },
        ...this.placeOf(chosen.hh),
      });
    });
  }

  private mentalHealthCases(day: number, perDay: number): void {
    this.daily('mental-health-case', day, perDay, (rng, i) => {
      const chosen = this.find(rng, this.samplers.mental, (hh) => {
        const candidates = this.aged(hh, day, 18, 64);
        if (candidates.length === 0) return undefined;
        const person = rng.pick(candidates);
        const out: Party[] = [{ ...person, role: 'reported-person' }];
        const carers = this.aged(hh, day, 18, 110).filter((p) => p.person !== person.person);
        if (carers.length > 0) out.push({ ...rng.pick(carers), role: 'caregiver' });
        return out;
      });
      if (chosen === undefined) return;
      const at = this.officeTime(rng, day);
      const caseRef = `MH-${this.county.code}-${taipeiCompactDate(at)}-C${pad(i, 4)}`;
      const base = {
        kind: 'mental-health' as const,
        caseRef,
        persons: chosen.found.map((p) => this.agencyPerson(p)),
        truth: { householdId: chosen.hh.householdId },
        ...this.placeOf(chosen.hh),
      };
      this.emit(at, { ...base, action: 'community-case-opened', at: new Date(at) });
      const closed = this.officeHours(rng, at + rng.int(60, 300) * MS_PER_DAY);
      this.emit(closed, { ...base, action: 'community-case-closed', at: new Date(closed) });
    });
  }

  private education(day: number, action: EducationEvent['action'], perDay: number): void {
    this.daily(`education-${action}`, day, perDay, (rng, i) => {
      const chosen = this.find(rng, this.samplers.school, (hh) => {
        const students = this.aged(hh, day, action === 'dropout' ? 12 : 6, 17);
        if (students.length === 0) return undefined;
        const student = rng.pick(students);
        const out: Party[] = [{ ...student, role: 'reported-person' }];
        const carers = this.aged(hh, day, 18, 110).filter((p) => p.person.role !== 'child' && p.person.role !== 'grandchild');
        if (carers.length > 0) out.push({ ...rng.pick(carers), role: 'caregiver' });
        return out;
      });
      if (chosen === undefined) return;
      const student = chosen.found[0];
      const at = this.officeTime(rng, day);
      type Tier = 1 | 2 | 3;
      const tiers: Record<EducationEvent['action'], readonly [Tier | undefined, Tier]> = {
        'attendance-drop': [1, 2],
        dropout: [2, 3],
        'counselling-tier-changed': rng.pick<readonly [Tier, Tier]>([[1, 2], [2, 3], [2, 1], [3, 2]]),
        'student-of-concern': [undefined, rng.chance(0.7) ? 2 : 3],
      };
      const [previousCounsellingTier, counsellingTier] = tiers[action];
      this.emit(at, {
        kind: 'education',
        action,
        at: new Date(at),
        studentRef: `ED-${this.county.code}-${taipeiCompactDate(at)}-${action.slice(0, 2).toUpperCase()}${pad(i, 4)}`,
        school: this.school(chosen.hh, student.age),
        grade: Math.min(12, Math.max(1, student.age - 5)),
        counsellingTier,
        previousCounsellingTier,
        persons: chosen.found.map((p) => this.agencyPerson(p)),
        truth: { householdId: chosen.hh.householdId },
        ...this.placeOf(chosen.hh),
      });
    });
  }

  private employment(day: number, action: 'job-seeker-registered' | 'disadvantaged-group-service' | 'youth-employment-service', perDay: number): void {
    const sampler =
      action === 'youth-employment-service' ? this.samplers.youth : action === 'disadvantaged-group-service' ? this.samplers.disadvantaged : this.samplers.work;
    const [min, max] = action === 'youth-employment-service' ? [15, 29] : [18, 64];
    this.daily(`employment-${action}`, day, perDay, (rng, i) => {
      const chosen = this.find(rng, sampler, (hh) => {
        const candidates = this.aged(hh, day, min, max);
        return candidates.length === 0 ? undefined : { ...rng.pick(candidates), role: 'reported-person' as const };
      });
      if (chosen === undefined) return;
      const p = chosen.found;
      let group: DisadvantagedGroup | undefined;
      if (action === 'youth-employment-service') group = 'youth';
      else if (action === 'disadvantaged-group-service') {
        const options: DisadvantagedGroup[] = [];
        if (p.person.immigrant) options.push('new-immigrant');
        if (p.person.indigenous) options.push('indigenous');
        if (chosen.hh.incomeTier !== 'general') options.push('low-income');
        if (chosen.hh.structure === 'single-parent' && p.person.role === 'head') options.push('single-parent');
        if (p.person.sex === 'F' && p.age >= 25 && p.age <= 50) options.push('second-career-women');
        if (p.age >= 45) options.push('middle-aged-elderly');
        if (p.age <= 29) options.push('youth');
        group = options.length > 0 ? rng.pick(options) : 'middle-aged-elderly';
      }
      const at = this.officeTime(rng, day);
      this.emit(at, {
        kind: 'employment',
        action,
        at: new Date(at),
        registrationRef: `EM-${this.county.code}-${taipeiCompactDate(at)}-${action.slice(0, 1).toUpperCase()}${pad(i, 4)}`,
        group,
        persons: [this.agencyPerson(p)],
        truth: { householdId: chosen.hh.householdId },
        ...this.placeOf(chosen.hh),
      });
    });
  }
}

/**
 * Every simulated event between `from` and `to`, in time order (ties in generation order).
 * Deterministic in (population, seed, from, to, rates, noise).
 */
export function eventStream(source: PopulationSource, options: EventStreamOptions): Generator<SimulatedEvent> {
  return new Simulation(source, options).run();
}

/** Only the intake reports (the same reports `eventStream` gives), without simulating agencies. */
export function* reportStream(source: PopulationSource, options: Omit<EventStreamOptions, 'kinds'>): Generator<IntakeReport> {
  for (const event of eventStream(source, { ...options, kinds: ['report'] })) {
    if (event.kind === 'report') yield event;
  }
}
