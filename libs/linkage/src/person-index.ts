/**
 * The master person index (主索引) of the intake and dispatch centre: registry persons and
 * persons known only from reports, in memory, incremental. `link` finds a reported person's
 * candidates through blocking keys, scores them (person-comparison.ts) and decides.
 *
 * Privacy: the index never keeps a national ID number, only its pseudonym and 18 keyed
 * partial-form hashes (for mistyped numbers). Names, birth dates and addresses are kept
 * normalised, because linking without them is impossible; no error message carries them.
 */
import { normaliseAddress, type NormalisedAddress } from './address.util';
import { parseBirthDate } from './birth-date.util';
import { HashMultimap, keyHash } from './hash-multimap.util';
import { PARTIAL_ID_FORMS, type LinkageKeys } from './linkage-keys';
import { normaliseName, phoneticKey, type NormalisedName } from './name-normalisation.util';
import {
  WEIGHTS,
  preparePerson,
  scoreCandidate,
  type ComparisonContext,
  type FieldComparison,
  type NameFrequencies,
  type PersonFeatures,
  type PreparedPerson,
  type ReportedPersonInput,
} from './person-comparison';
import { normaliseSex, type SexCode } from './sex.util';

/** A person from the household registration snapshot (戶籍資料). */
export interface RegistryPerson {
  readonly nationalId: string;
  readonly name: string;
  /** ISO or ROC calendar. */
  readonly birthDate: string;
  readonly sex: 'F' | 'M';
  readonly address: string;
  /** Earlier addresses (moves), newest first. */
  readonly previousAddresses?: readonly string[];
  /** 8-digit township code (鄉鎮市區代碼). */
  readonly townshipCode: string;
  /** Registry household id (戶號). */
  readonly householdId: string;
}

/** Scores (bits) at which a reported person is linked automatically or queued for review. */
export interface LinkageThresholds {
  readonly autoLink: number;
  readonly review: number;
  /** The best candidate must beat the runner-up by this much to link automatically. */
  readonly ambiguityMargin?: number;
  /**
   * An ID match is not accepted as exact when the other fields score below this (name and
   * birth date both contradict it: a valid but mistyped number that hit someone else).
   */
  readonly exactIdVeto?: number;
}

/** Defaults tuned with `nx run linkage:quality` (see the README for the figures). */
export const DEFAULT_THRESHOLDS: Required<LinkageThresholds> = {
  autoLink: 17,
  review: 8,
  ambiguityMargin: 4,
  exactIdVeto: -12,
};

export type LinkOutcome = 'exact-id' | 'auto-link' | 'review' | 'new';

export interface LinkCandidate {
  readonly personPseudonym: string;
  readonly score: number;
  readonly fields: readonly FieldComparison[];
  readonly explanation: string;
}

export interface LinkDecision {
  readonly outcome: LinkOutcome;
  /** The linked person (exact-id, auto-link) or the new entry (new); absent for review. */
  readonly personPseudonym?: string;
  /** The best candidate's score (bits); 0 when there was none. */
  readonly score: number;
  /** Best first, at most `topK`. */
  readonly candidates: readonly LinkCandidate[];
  /** Why, in one phrase (no personal data). */
  readonly reason: string;
}

export interface LinkOptions {
  /** Where the reported person came from (report id and position): seeds a new entry's pseudonym. */
  readonly reference?: string;
  /** The report's date (ISO), for approximate ages; default today. */
  readonly on?: string;
  /** Add the person to the index when they match nobody (default true). */
  readonly addIfNew?: boolean;
}

export interface PersonIndexOptions {
  readonly thresholds?: LinkageThresholds;
  /** Expected number of persons (pre-sizes the arrays). */
  readonly expectedSize?: number;
  /** Candidates returned with explanations (default 3). */
  readonly topK?: number;
  /** A blocking key with more entries than this is not used for candidates (default 400). */
  readonly maxBlockSize?: number;
  /**
   * Name frequencies are computed against at least this many persons (default 100,000), so
   * that a small or freshly started index does not treat every name as common.
   */
  readonly frequencyFloor?: number;
}

/** A report: its persons are linked together, so that a confident link of one helps the others. */
export interface ReportToLink {
  readonly reportId: string;
  readonly townshipCode?: string;
  /** When the report arrived (ages are computed on that day). */
  readonly at?: Date;
  readonly persons: readonly ReportedPersonInput[];
}

// Blocking-key kinds (prefix of the hashed key).
const K_PSEUDONYM = 1;
const K_NAME = 2;
const K_SURNAME_BIRTH = 3;
const K_ADDRESS = 4;
const K_BIRTH = 5;

class IndexEntry implements PersonFeatures {
  constructor(
    readonly pseudonym: string,
    readonly name: NormalisedName | undefined,
    readonly birthDate: number,
    readonly sex: SexCode,
    public address: NormalisedAddress | undefined,
    public previousAddresses: NormalisedAddress[] | undefined,
    readonly townshipCode: string | undefined,
    readonly family: number,
    readonly nationalIdKnown: boolean,
  ) {}

  // On the prototype, not on each of a million instances.
  get birthDateRoc(): boolean {
    return false;
  }
}

const EMPTY: readonly LinkCandidate[] = [];

function dayValue(date: Date): number {
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

export class PersonIndex {
  readonly thresholds: Required<LinkageThresholds>;
  private readonly keys: LinkageKeys;
  private readonly topK: number;
  private readonly maxBlock: number;
  private readonly entries: IndexEntry[] = [];
  private readonly blocks: HashMultimap;
  private partials: Uint32Array;
  private seen: Int32Array;
  private stamp = 0;
  private readonly counters = { fuzzyLinks: 0, candidates: 0 };
  private readonly names = new Map<string, NormalisedName>();
  private readonly recentRaw: string[] = ['', '', '', '', '', '', '', ''];
  private readonly recentAddress: (NormalisedAddress | undefined)[] = new Array<NormalisedAddress | undefined>(8).fill(undefined);
  private recentCursor = 0;
  private readonly surnameCounts = new Map<string, number>();
  private readonly families = new Map<string, number>();
  private familyHead: Int32Array;
  private familyNext: Int32Array;
  private readonly frequencies: NameFrequencies & { reportedPhonetic: string; reportedCount: number };

  constructor(keys: LinkageKeys, options: PersonIndexOptions = {}) {
    this.keys = keys;
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
    if (this.thresholds.review > this.thresholds.autoLink) {
      throw new RangeError('linkage thresholds: review must not exceed autoLink');
    }
    this.topK = options.topK ?? 3;
    this.maxBlock = options.maxBlockSize ?? 400;
    const expected = Math.max(1024, options.expectedSize ?? 1024);
    this.blocks = new HashMultimap(expected * 5);
    this.partials = new Uint32Array(expected * PARTIAL_ID_FORMS);
    this.seen = new Int32Array(expected);
    this.familyHead = new Int32Array(Math.max(1024, expected >> 1)).fill(-1);
    this.familyNext = new Int32Array(expected).fill(-1);
    const blocks = this.blocks;
    const surnames = this.surnameCounts;
    const entries = this.entries;
    const floor = options.frequencyFloor ?? 100_000;
    this.frequencies = {
      reportedPhonetic: '',
      reportedCount: 0,
      get population(): number {
        return Math.max(floor, entries.length);
      },
      nameCount(canonical: string): number {
        if (canonical === this.reportedPhonetic) return this.reportedCount;
        return blocks.countOf(keyHash(K_NAME, canonical));
      },
      surnameCount(phoneticSurname: string): number {
        return surnames.get(phoneticSurname) ?? 0;
      },
    };
  }

  get size(): number {
    return this.entries.length;
  }

  /** Work done so far: links that needed candidates, and candidates scored (for tuning blocking). */
  get stats(): { readonly fuzzyLinks: number; readonly candidates: number } {
    return { ...this.counters };
  }

  /** Adds (or updates, when the pseudonym is known) a registry person; returns the pseudonym. */
  add(person: RegistryPerson): string {
    const pseudonym = this.keys.personPseudonym(person.nationalId);
    if (pseudonym === undefined) throw new Error('registry person has an invalid national ID number');
    const existing = this.entryOf(pseudonym);
    const address = this.internAddress(person.address);
    if (existing !== undefined) {
      const e = this.entries[existing];
      if (address !== undefined && e.address !== undefined && address.key !== e.address.key) {
        this.rememberAddress(e, e.address);
        e.address = address;
        this.blocks.add(keyHash(K_ADDRESS, address.key), existing);
      }
      return pseudonym;
    }
    const previous = (person.previousAddresses ?? [])
      .map((a) => this.internAddress(a))
      .filter((a): a is NormalisedAddress => a !== undefined);
    const entry = this.insert(
      pseudonym,
      this.internName(person.name),
      parseBirthDate(person.birthDate)?.value ?? 0,
      normaliseSex(person.sex),
      address,
      previous.length > 0 ? previous : undefined,
      person.townshipCode,
      person.householdId,
      true,
    );
    this.keys.partialIdHashes(person.nationalId, this.partials, entry * PARTIAL_ID_FORMS);
    return pseudonym;
  }

  /** The entry number of a pseudonym (stable for the index's life), or undefined. */
  entryOf(pseudonym: string): number | undefined {
    const h = keyHash(K_PSEUDONYM, pseudonym);
    for (let s = this.blocks.firstSlot(h); s >= 0; s = this.blocks.nextSlot(s, h)) {
      const e = this.blocks.valueAt(s);
      if (this.entries[e].pseudonym === pseudonym) return e;
    }
    return undefined;
  }

  /** The pseudonym of an entry number. */
  pseudonymOf(entry: number): string {
    const e = this.entries[entry];
    if (e === undefined) throw new RangeError('no such index entry');
    return e.pseudonym;
  }

  /** Links one reported person. */
  link(reported: ReportedPersonInput, options: LinkOptions = {}): LinkDecision {
    const on = options.on === undefined ? dayValue(new Date()) : (parseBirthDate(options.on)?.value ?? dayValue(new Date()));
    const prepared = this.prepareForLink(reported);
    return this.decide(prepared, on, options.reference, options.addIfNew ?? true, undefined);
  }

  /**
   * Links every person of a report. Persons who link confidently (exact ID or auto-link) make
   * their families' members candidates for the others, with the co-reported-household weight:
   * a neighbour's "陳先生" with no ID is far easier to place beside his identified wife.
   */
  linkReport(report: ReportToLink): LinkDecision[] {
    const on = dayValue(report.at ?? new Date());
    const prepared = report.persons.map((p) =>
      this.prepareForLink(p.townshipCode === undefined && report.townshipCode !== undefined ? { ...p, townshipCode: report.townshipCode } : p),
    );
    const decisions: (LinkDecision | undefined)[] = prepared.map((p, i) => {
      const d = this.decide(p, on, `${report.reportId}#${i}`, false, undefined);
      return d.outcome === 'exact-id' || d.outcome === 'auto-link' ? d : undefined;
    });
    const families = new Set<number>();
    for (const d of decisions) {
      const entry = d?.personPseudonym === undefined ? undefined : this.entryOf(d.personPseudonym);
      if (entry !== undefined && this.entries[entry].family >= 0) families.add(this.entries[entry].family);
    }
    return prepared.map((p, i) => decisions[i] ?? this.decide(p, on, `${report.reportId}#${i}`, true, families));
  }

  /** Partial-ID hashes only when the number given is not found as it is (rare, and 18 hashes). */
  private prepareForLink(input: ReportedPersonInput): PreparedPerson {
    const r = preparePerson(input, this.keys, false);
    if (!r.nationalIdGiven || (r.pseudonym !== undefined && this.entryOf(r.pseudonym) !== undefined)) return r;
    const partialIds = new Uint32Array(PARTIAL_ID_FORMS);
    return this.keys.partialIdHashes(input.nationalId, partialIds, 0) ? { ...r, partialIds } : r;
  }

  private decide(given: PreparedPerson, on: number, reference: string | undefined, addIfNew: boolean, families: ReadonlySet<number> | undefined): LinkDecision {
    const t = this.thresholds;
    const r = given;
    const ctx: { -readonly [K in keyof ComparisonContext]: ComparisonContext[K] } = {
      frequencies: this.frequencies,
      on,
      candidatePartialIds: this.partials,
      candidatePartialOffset: 0,
      coReportedHousehold: false,
    };
    // 1. A valid national ID number we know: the person, unless everything else contradicts it.
    if (r.pseudonym !== undefined) {
      const entry = this.entryOf(r.pseudonym);
      if (entry !== undefined) {
        const e = this.entries[entry];
        ctx.candidatePartialOffset = entry * PARTIAL_ID_FORMS;
        const candidate = this.explain(r, e, ctx);
        if (candidate.score - WEIGHTS.nationalId.exact <= t.exactIdVeto) {
          return { outcome: 'review', score: candidate.score, candidates: [candidate], reason: 'national ID matches but name and birth date contradict it' };
        }
        return { outcome: 'exact-id', personPseudonym: e.pseudonym, score: candidate.score, candidates: [candidate], reason: 'national ID matches' };
      }
    }
    const usable = r.nationalIdGiven || r.birthDate > 0 || r.address !== undefined || (r.name !== undefined && r.name.honorific === undefined);
    if (!usable) {
      return { outcome: 'review', score: 0, candidates: EMPTY, reason: 'no usable identifiers' };
    }
    // 2. Candidates from the blocking keys, scored without explanations.
    const stamp = ++this.stamp;
    let best = -1;
    let bestScore = -Infinity;
    let secondScore = -Infinity;
    const scored: number[] = [];
    const scores: number[] = [];
    const consider = (entry: number): void => {
      if (this.seen[entry] === stamp) return;
      this.seen[entry] = stamp;
      const e = this.entries[entry];
      ctx.candidatePartialOffset = entry * PARTIAL_ID_FORMS;
      ctx.coReportedHousehold = families !== undefined && e.family >= 0 && families.has(e.family);
      const score = scoreCandidate(r, e, ctx);
      this.counters.candidates++;
      scored.push(entry);
      scores.push(score);
      if (score > bestScore) {
        secondScore = bestScore;
        bestScore = score;
        best = entry;
      } else if (score > secondScore) {
        secondScore = score;
      }
    };
    const name = r.name;
    this.frequencies.reportedPhonetic = '';
    if (name !== undefined && name.honorific === undefined) {
      const h = keyHash(K_NAME, name.canonical);
      const count = this.blocks.countOf(h, this.maxBlock + 1);
      this.frequencies.reportedPhonetic = name.canonical;
      this.frequencies.reportedCount = count;
      if (count <= this.maxBlock) this.visit(h, consider);
    }
    if (r.birthDate > 0) {
      if (name !== undefined && name.surname !== '') this.visit(keyHash(K_SURNAME_BIRTH, phoneticKey(name.surname), r.birthDate), consider);
      else this.visit(keyHash(K_BIRTH, '', r.birthDate), consider);
    }
    if (r.address !== undefined) this.visit(keyHash(K_ADDRESS, r.address.key), consider);
    if (families !== undefined) {
      for (const f of families) for (let e = this.familyHead[f]; e >= 0; e = this.familyNext[e]) consider(e);
    }
    this.counters.fuzzyLinks++;
    // 3. Decide.
    let outcome: LinkOutcome;
    let reason: string;
    const margin = bestScore - secondScore;
    if (best >= 0 && bestScore >= t.autoLink && margin >= t.ambiguityMargin) {
      outcome = 'auto-link';
      reason = 'best candidate above the auto-link threshold and clear of the runner-up';
    } else if (best >= 0 && bestScore >= t.review) {
      outcome = 'review';
      reason = bestScore >= t.autoLink ? 'two or more candidates score alike' : 'best candidate between the review and auto-link thresholds';
    } else {
      outcome = 'new';
      reason = best >= 0 ? 'no candidate reaches the review threshold' : 'no candidates';
    }
    const candidates = this.topCandidates(r, scored, scores, ctx, families);
    if (outcome === 'auto-link') {
      return { outcome, personPseudonym: this.entries[best].pseudonym, score: bestScore, candidates, reason };
    }
    if (outcome === 'review') return { outcome, score: bestScore, candidates, reason };
    const score = best >= 0 ? bestScore : 0;
    if (!addIfNew) return { outcome, score, candidates, reason };
    const pseudonym = this.addReported(r, reference);
    return { outcome, personPseudonym: pseudonym, score, candidates, reason };
  }

  private topCandidates(r: PreparedPerson, scored: number[], scores: number[], ctx: ComparisonContext, families: ReadonlySet<number> | undefined): LinkCandidate[] {
    if (scored.length === 0) return [];
    const order = scored.map((_, i) => i).sort((a, b) => scores[b] - scores[a]).slice(0, this.topK);
    return order.map((i) => {
      const e = this.entries[scored[i]];
      return this.explain(r, e, {
        ...ctx,
        candidatePartialOffset: scored[i] * PARTIAL_ID_FORMS,
        coReportedHousehold: families !== undefined && e.family >= 0 && families.has(e.family),
      });
    });
  }

  private explain(r: PreparedPerson, e: IndexEntry, ctx: ComparisonContext): LinkCandidate {
    const fields: FieldComparison[] = [];
    const score = scoreCandidate(r, e, ctx, fields);
    return { personPseudonym: e.pseudonym, score, fields, explanation: fields.map((f) => f.explanation).join('; ') };
  }

  private visit(hash: number, consider: (entry: number) => void): void {
    let n = 0;
    for (let s = this.blocks.firstSlot(hash); s >= 0 && n < this.maxBlock; s = this.blocks.nextSlot(s, hash), n++) consider(this.blocks.valueAt(s));
  }

  /** A reported person who matched nobody becomes an entry of their own. */
  private addReported(r: PreparedPerson, reference: string | undefined): string {
    const pseudonym =
      r.pseudonym ??
      this.keys.reportedPersonPseudonym(
        reference ?? `${r.name?.canonical ?? ''}|${r.birthDate}|${r.sex}|${r.address?.key ?? ''}|${this.entries.length}`,
      );
    const name = r.name === undefined ? undefined : (this.names.get(r.name.canonical) ?? r.name);
    const entry = this.insert(pseudonym, name, r.birthDate, r.sex, r.address, undefined, r.townshipCode, undefined, r.pseudonym !== undefined);
    if (r.pseudonym !== undefined && r.partialIds !== undefined) this.partials.set(r.partialIds, entry * PARTIAL_ID_FORMS);
    return pseudonym;
  }

  private insert(
    pseudonym: string,
    name: NormalisedName | undefined,
    birthDate: number,
    sex: SexCode,
    address: NormalisedAddress | undefined,
    previous: NormalisedAddress[] | undefined,
    townshipCode: string | undefined,
    householdId: string | undefined,
    nationalIdKnown: boolean,
  ): number {
    const entry = this.entries.length;
    this.ensureCapacity(entry + 1);
    let family = -1;
    if (householdId !== undefined) {
      family = this.families.get(householdId) ?? -1;
      if (family < 0) {
        family = this.families.size;
        this.families.set(householdId, family);
        if (family >= this.familyHead.length) {
          const grown = new Int32Array(this.familyHead.length * 2).fill(-1);
          grown.set(this.familyHead);
          this.familyHead = grown;
        }
      }
      this.familyNext[entry] = this.familyHead[family];
      this.familyHead[family] = entry;
    }
    this.entries.push(new IndexEntry(pseudonym, name, birthDate, sex, address, previous, townshipCode, family, nationalIdKnown));
    const b = this.blocks;
    b.add(keyHash(K_PSEUDONYM, pseudonym), entry);
    if (name !== undefined) {
      if (name.honorific === undefined) b.add(keyHash(K_NAME, name.canonical), entry);
      if (name.surname !== '') {
        const surname = phoneticKey(name.surname);
        if (name.honorific === undefined) this.surnameCounts.set(surname, (this.surnameCounts.get(surname) ?? 0) + 1);
        if (birthDate > 0) b.add(keyHash(K_SURNAME_BIRTH, surname, birthDate), entry);
      } else if (birthDate > 0) {
        b.add(keyHash(K_BIRTH, '', birthDate), entry);
      }
    }
    if (address !== undefined) b.add(keyHash(K_ADDRESS, address.key), entry);
    if (previous !== undefined) for (const p of previous) b.add(keyHash(K_ADDRESS, p.key), entry);
    return entry;
  }

  private rememberAddress(e: IndexEntry, old: NormalisedAddress): void {
    e.previousAddresses = [old, ...(e.previousAddresses ?? []).filter((a) => a.key !== old.key)];
  }

  private ensureCapacity(n: number): void {
    if (n <= this.seen.length) return;
    const capacity = Math.max(n, this.seen.length * 2);
    const seen = new Int32Array(capacity);
    seen.set(this.seen);
    this.seen = seen;
    const partials = new Uint32Array(capacity * PARTIAL_ID_FORMS);
    partials.set(this.partials);
    this.partials = partials;
    const next = new Int32Array(capacity).fill(-1);
    next.set(this.familyNext);
    this.familyNext = next;
  }

  private internName(raw: string): NormalisedName | undefined {
    // Registry names are mostly already canonical: look the raw form up before normalising.
    const direct = this.names.get(raw);
    if (direct !== undefined) return direct;
    const n = normaliseName(raw);
    if (n === undefined) return undefined;
    const known = this.names.get(n.canonical);
    if (known !== undefined) return known;
    // The registry's spelling is the reference: no variants "mapped" on this side.
    const stored = n.variantsMapped.length === 0 ? n : { ...n, variantsMapped: [] };
    this.names.set(n.canonical, stored);
    return stored;
  }

  private internAddress(raw: string): NormalisedAddress | undefined {
    // Members of a household arrive together: remembering the last few addresses shares one
    // parsed object per dwelling without a map of every address text ever seen.
    for (let i = 0; i < this.recentRaw.length; i++) if (this.recentRaw[i] === raw) return this.recentAddress[i];
    const a = normaliseAddress(raw);
    const usable = a !== undefined && a.key !== '' ? a : undefined;
    this.recentCursor = (this.recentCursor + 1) % this.recentRaw.length;
    this.recentRaw[this.recentCursor] = raw;
    this.recentAddress[this.recentCursor] = usable;
    return usable;
  }
}
