/**
 * Scored, explainable comparison of a reported person with a candidate, in the Fellegi–Sunter
 * style: every field contributes log2(m/u) bits, where m is the chance of what we see if the
 * two are the same person and u the chance if they are not. Agreement on a rare value counts
 * for more (name weights use the index's own name frequencies); a disagreement that reporters
 * commonly produce (a transposed birth date, a homophone) costs little or even counts as
 * evidence; a missing field contributes nothing.
 */
import { ageOn, compareBirthDates, parseBirthDate, toIso } from './birth-date.util';
import { normaliseAddress, type NormalisedAddress } from './address.util';
import { PARTIAL_ID_FORMS, comparePartialIds, type LinkageKeys } from './linkage-keys';
import { isOneCharacterShorter, normaliseName, positionsDiffering, type NormalisedName } from './name-normalisation.util';
import { normaliseSex, type SexCode } from './sex.util';

/** A person as a report gives them (every field optional, as reporters write them). */
export interface ReportedPersonInput {
  readonly name?: string;
  readonly nationalId?: string;
  /** ISO or ROC calendar. */
  readonly birthDate?: string;
  /** The reporter's estimate when they did not know the birth date. */
  readonly approximateAge?: number;
  readonly sex?: string;
  readonly address?: string;
  /** The township the report came from (8-digit code); used when the address is missing. */
  readonly townshipCode?: string;
}

/** A person normalised for comparison: what the index stores, and what a report becomes. */
export interface PersonFeatures {
  /** From a valid national ID number (or the index entry's own pseudonym). */
  readonly pseudonym?: string;
  readonly name?: NormalisedName;
  /** yyyymmdd, 0 unknown. */
  readonly birthDate: number;
  readonly birthDateRoc: boolean;
  readonly approximateAge?: number;
  readonly sex: SexCode;
  readonly address?: NormalisedAddress;
  /** Addresses the person lived at before (the index remembers them). */
  readonly previousAddresses?: readonly NormalisedAddress[];
  readonly townshipCode?: string;
  /** The candidate has a national ID number on record (false for persons known only from reports). */
  readonly nationalIdKnown?: boolean;
}

/** A reported person ready to compare: features plus what is known about the number given. */
export interface PreparedPerson extends PersonFeatures {
  /** A national ID number was given (valid or not). */
  readonly nationalIdGiven: boolean;
  readonly nationalIdValid: boolean;
  /** Keyed partial-form hashes of the number given (see `LinkageKeys.partialIdHashes`). */
  readonly partialIds?: Uint32Array;
}

export type ComparedField = 'national-id' | 'name' | 'birth-date' | 'sex' | 'address' | 'household';

export interface FieldComparison {
  readonly field: ComparedField;
  /** exact, variant, homophone, transposed, old-address, missing, … */
  readonly agreement: string;
  /** log2 likelihood ratio contributed (bits). */
  readonly weight: number;
  /** `name: variant match 台→臺 (+11.2)`. */
  readonly explanation: string;
}

export interface Comparison {
  readonly score: number;
  readonly fields: readonly FieldComparison[];
  /** The field explanations joined, for a reviewer. */
  readonly explanation: string;
}

/** How common names are, so that agreeing on 陳家豪 counts for less than on 歐陽叡翔. */
export interface NameFrequencies {
  readonly population: number;
  /** Persons with this canonical name. */
  nameCount(canonical: string): number;
  surnameCount(phoneticSurname: string): number;
}

/** Used without an index: a name shared by 10 in a million, a surname by 1 in 50. */
export const DEFAULT_NAME_FREQUENCIES: NameFrequencies = {
  population: 1_000_000,
  nameCount: () => 10,
  surnameCount: () => 20_000,
};

/**
 * The weights, in bits. Derived from the reporting noise rates observed by intake (about 2 %
 * transposed and 1.5 % mistyped birth dates, 2 % mistyped ID numbers) and the chance that two
 * different people agree by accident; tuned with the linkage-quality command.
 */
export const WEIGHTS = {
  nationalId: { exact: 25, oneCharacter: 10, transposed: 10, validDisagree: -14, invalidDisagree: -4 },
  name: {
    /** Agreement weight is log2(0.9 / frequency) - bias, clamped to [min, max]. */
    bias: 3,
    min: 4,
    max: 12,
    variantPenalty: 0.3,
    homophonePenalty: 2,
    missingCharacter: 7,
    surnameOnlyMax: 6,
    oneCharacterDiffers: -3,
    disagree: -9,
    honorificContradicts: -6,
  },
  birthDate: { exact: 12, transposed: 7, monthDaySwapped: 7, oneDigit: 4, sameYear: -5, disagree: -10, approximateClose: 2, approximateFar: -5 },
  sex: { agree: 1, disagree: -6 },
  address: { same: 7, previous: 6, sameRoad: 1.5, sameTownship: 0.5, differentTownship: -1.5, reportTownship: 0.5 },
  household: { coReported: 4 },
} as const;

const { log2, max, min, abs } = Math;
const clamp = (v: number, lo: number, hi: number): number => max(lo, min(hi, v));

/**
 * Normalises a reported person; `keys` adds the pseudonym and (unless `partialIdHashes` is
 * false: the index computes them only when the number is not found) the partial-ID hashes.
 */
export function preparePerson(input: ReportedPersonInput, keys?: LinkageKeys, partialIdHashes = true): PreparedPerson {
  const birth = parseBirthDate(input.birthDate);
  const id = input.nationalId?.trim();
  const nationalIdGiven = id !== undefined && id.length > 0;
  const pseudonym = keys !== undefined && nationalIdGiven ? keys.personPseudonym(id) : undefined;
  let partialIds: Uint32Array | undefined;
  if (keys !== undefined && nationalIdGiven && partialIdHashes) {
    partialIds = new Uint32Array(PARTIAL_ID_FORMS);
    if (!keys.partialIdHashes(id, partialIds, 0)) partialIds = undefined;
  }
  const address = normaliseAddress(input.address);
  return {
    pseudonym,
    name: normaliseName(input.name),
    birthDate: birth?.value ?? 0,
    birthDateRoc: birth?.roc ?? false,
    approximateAge: input.approximateAge,
    sex: normaliseSex(input.sex),
    address: address?.key === '' ? undefined : address,
    townshipCode: input.townshipCode,
    nationalIdGiven,
    nationalIdValid: pseudonym !== undefined || (nationalIdGiven && keys === undefined),
    partialIds,
  };
}

/** Everything a comparison needs besides the two persons. */
export interface ComparisonContext {
  readonly frequencies?: NameFrequencies;
  /** yyyymmdd of the report, for approximate ages and forms of address (default: today). */
  readonly on?: number;
  /** The candidate's partial-ID hashes (store and offset), when the index keeps them. */
  readonly candidatePartialIds?: Uint32Array;
  readonly candidatePartialOffset?: number;
  /** The candidate is in the family of a co-reported person who linked confidently. */
  readonly coReportedHousehold?: boolean;
}

function todayValue(): number {
  const d = new Date();
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

const fmt = (w: number): string => `${w >= 0 ? '+' : ''}${w.toFixed(1)}`;

/** The result of one field: set by the field functions to avoid allocating on the hot path. */
interface Scratch {
  weight: number;
  agreement: string;
  detail: string;
}

function nameWeight(r: NormalisedName, c: NormalisedName, freq: NameFrequencies, on: number, candidate: PersonFeatures, s: Scratch, explain: boolean): void {
  const W = WEIGHTS.name;
  if (r.honorific !== undefined) {
    // Surname and a form of address: the surname agrees or not; the form implies sex and age.
    if (r.phonetic !== (c.surname === '' ? '' : c.phonetic.slice(0, r.phonetic.length)) || c.surname.length !== r.canonical.length) {
      s.weight = W.disagree;
      s.agreement = 'disagree';
      if (explain) s.detail = 'surname differs';
      return;
    }
    const h = r.honorific;
    const sexLabel = candidate.sex === 1 ? 'F' : candidate.sex === 2 ? 'M' : undefined;
    const age = candidate.birthDate > 0 ? ageOn(candidate.birthDate, on) : undefined;
    if ((h.sex !== undefined && sexLabel !== undefined && h.sex !== sexLabel) || (age !== undefined && (age < h.minAge || age > h.maxAge))) {
      s.weight = W.honorificContradicts;
      s.agreement = 'surname-only-contradicted';
      if (explain) s.detail = `surname only, but ${h.suffix} does not fit the candidate's sex or age`;
      return;
    }
    const u = max(1, freq.surnameCount(r.phonetic)) / max(1, freq.population);
    s.weight = clamp(log2(0.9 / u), 0.5, W.surnameOnlyMax);
    s.agreement = 'surname-only';
    if (explain) s.detail = `surname only (${r.canonical}${h.suffix}), consistent with sex and age`;
    return;
  }
  const u = max(1, freq.nameCount(r.canonical)) / max(1, freq.population);
  const agree = clamp(log2(0.9 / u) - W.bias, W.min, W.max);
  if (r.canonical === c.canonical) {
    if (r.variantsMapped.length > 0) {
      s.weight = agree - W.variantPenalty;
      s.agreement = 'variant';
      if (explain) s.detail = `variant match ${r.variantsMapped.join(', ')}`;
    } else {
      s.weight = agree;
      s.agreement = 'exact';
      if (explain) s.detail = 'exact match';
    }
    return;
  }
  if (r.phonetic === c.phonetic) {
    s.weight = max(W.min, agree - W.homophonePenalty);
    s.agreement = 'homophone';
    if (explain) {
      const changed: string[] = [];
      for (let i = 0; i < r.canonical.length; i++) if (r.canonical[i] !== c.canonical[i]) changed.push(`${c.canonical[i]}→${r.canonical[i]}`);
      s.detail = `homophone match ${changed.join(', ')}`;
    }
    return;
  }
  if (isOneCharacterShorter(r.phonetic, c.phonetic) && r.surname === c.surname) {
    s.weight = W.missingCharacter;
    s.agreement = 'missing-character';
    if (explain) s.detail = 'one given-name character missing';
    return;
  }
  if (r.surname !== '' && r.surname === c.surname && positionsDiffering(r.phonetic, c.phonetic) === 1) {
    s.weight = W.oneCharacterDiffers;
    s.agreement = 'one-character-differs';
    if (explain) s.detail = 'one given-name character differs (could be a sibling)';
    return;
  }
  s.weight = W.disagree;
  s.agreement = 'disagree';
  if (explain) s.detail = 'names differ';
}

function birthDateWeight(r: PersonFeatures, c: PersonFeatures, on: number, s: Scratch, explain: boolean): boolean {
  const W = WEIGHTS.birthDate;
  if (r.birthDate > 0 && c.birthDate > 0) {
    const a = compareBirthDates(r.birthDate, c.birthDate);
    s.agreement = a;
    switch (a) {
      case 'exact':
        s.weight = W.exact;
        if (explain) s.detail = r.birthDateRoc ? `exact match (ROC calendar, = ${toIso(r.birthDate)})` : 'exact match';
        break;
      case 'transposed':
        s.weight = W.transposed;
        if (explain) s.detail = 'two adjacent digits transposed';
        break;
      case 'month-day-swapped':
        s.weight = W.monthDaySwapped;
        if (explain) s.detail = 'day/month transposed';
        break;
      case 'one-digit':
        s.weight = W.oneDigit;
        if (explain) s.detail = 'one digit differs';
        break;
      case 'same-year':
        s.weight = W.sameYear;
        if (explain) s.detail = 'same year, different day';
        break;
      case 'disagree':
        s.weight = W.disagree;
        if (explain) s.detail = 'differs';
        break;
    }
    return true;
  }
  if (r.approximateAge !== undefined && c.birthDate > 0) {
    const diff = abs(ageOn(c.birthDate, on) - r.approximateAge);
    s.weight = diff <= 3 ? W.approximateClose : diff <= 6 ? 0 : W.approximateFar;
    s.agreement = diff <= 3 ? 'approximate-age-fits' : diff <= 6 ? 'approximate-age-near' : 'approximate-age-off';
    if (explain) s.detail = `reporter's age estimate ${diff <= 3 ? 'fits' : 'is off by'} ${diff <= 3 ? '' : `${diff} years`}`.trim();
    return true;
  }
  return false;
}

function addressWeight(r: PersonFeatures, c: PersonFeatures, s: Scratch, explain: boolean): boolean {
  const W = WEIGHTS.address;
  const ra = r.address;
  if (ra === undefined) {
    if (r.townshipCode !== undefined && c.townshipCode !== undefined && r.townshipCode === c.townshipCode) {
      s.weight = W.reportTownship;
      s.agreement = 'report-township';
      if (explain) s.detail = 'no address; report came from the same township';
      return true;
    }
    return false;
  }
  const ca = c.address;
  if (ca !== undefined && ra.key === ca.key) {
    s.weight = W.same;
    s.agreement = 'same';
    if (explain) s.detail = 'same address';
    return true;
  }
  const previous = c.previousAddresses;
  if (previous !== undefined) {
    for (const p of previous) {
      if (p.key === ra.key) {
        s.weight = W.previous;
        s.agreement = 'old-address';
        if (explain) s.detail = 'old address of the same person';
        return true;
      }
    }
  }
  if (ca === undefined) return false;
  if (ra.roadKey === ca.roadKey && ra.road !== '') {
    s.weight = W.sameRoad;
    s.agreement = 'same-road';
    if (explain) s.detail = 'same road, different number';
    return true;
  }
  if (ra.township === '' || ca.township === '') return false;
  if (ra.township === ca.township) {
    s.weight = W.sameTownship;
    s.agreement = 'same-township';
    if (explain) s.detail = 'same township only';
  } else {
    s.weight = W.differentTownship;
    s.agreement = 'different-township';
    if (explain) s.detail = 'different township';
  }
  return true;
}

function nationalIdWeight(r: PreparedPerson, c: PersonFeatures, ctx: ComparisonContext, s: Scratch, explain: boolean): boolean {
  const W = WEIGHTS.nationalId;
  if (!r.nationalIdGiven) return false;
  if (r.pseudonym !== undefined && c.pseudonym !== undefined && r.pseudonym === c.pseudonym) {
    s.weight = W.exact;
    s.agreement = 'exact';
    if (explain) s.detail = 'same number';
    return true;
  }
  if (c.nationalIdKnown === false) return false;
  const store = ctx.candidatePartialIds;
  if (store === undefined || r.partialIds === undefined) {
    if (!r.nationalIdValid || c.pseudonym === undefined || c.nationalIdKnown !== true) return false;
    s.weight = W.validDisagree;
    s.agreement = 'disagree';
    if (explain) s.detail = 'different number';
    return true;
  }
  const partial = comparePartialIds(r.partialIds, 0, store, ctx.candidatePartialOffset ?? 0);
  if (partial === 'one-character') {
    s.weight = W.oneCharacter;
    s.agreement = 'one-character';
    if (explain) s.detail = `one character differs${r.nationalIdValid ? '' : ' (number given fails the check digit)'}`;
  } else if (partial === 'transposed') {
    s.weight = W.transposed;
    s.agreement = 'transposed';
    if (explain) s.detail = 'two adjacent digits transposed';
  } else if (r.nationalIdValid) {
    s.weight = W.validDisagree;
    s.agreement = 'disagree';
    if (explain) s.detail = 'different number';
  } else {
    s.weight = W.invalidDisagree;
    s.agreement = 'invalid-disagree';
    if (explain) s.detail = 'number given is invalid and not near the candidate\'s';
  }
  return true;
}

const scratch: Scratch = { weight: 0, agreement: '', detail: '' };

const FIELD_LABEL: Readonly<Record<ComparedField, string>> = {
  'national-id': 'national ID',
  name: 'name',
  'birth-date': 'birth date',
  sex: 'sex',
  address: 'address',
  household: 'household',
};

function pushField(fields: FieldComparison[], field: ComparedField): void {
  fields.push({
    field,
    agreement: scratch.agreement,
    weight: scratch.weight,
    explanation: `${FIELD_LABEL[field]}: ${scratch.detail} (${fmt(scratch.weight)})`,
  });
}

/**
 * The score alone (bits), without building explanations: the index's hot path. `ctx.on` must
 * be set by the caller.
 */
export function scoreCandidate(r: PreparedPerson, c: PersonFeatures, ctx: ComparisonContext, fields?: FieldComparison[]): number {
  const explain = fields !== undefined;
  const on = ctx.on ?? todayValue();
  const freq = ctx.frequencies ?? DEFAULT_NAME_FREQUENCIES;
  let score = 0;
  if (nationalIdWeight(r, c, ctx, scratch, explain)) {
    score += scratch.weight;
    if (explain) pushField(fields, 'national-id');
  }
  if (r.name !== undefined && c.name !== undefined) {
    nameWeight(r.name, c.name, freq, on, c, scratch, explain);
    score += scratch.weight;
    if (explain) pushField(fields, 'name');
  }
  if (birthDateWeight(r, c, on, scratch, explain)) {
    score += scratch.weight;
    if (explain) pushField(fields, 'birth-date');
  }
  if (r.sex !== 0 && c.sex !== 0) {
    const agree = r.sex === c.sex;
    scratch.weight = agree ? WEIGHTS.sex.agree : WEIGHTS.sex.disagree;
    scratch.agreement = agree ? 'exact' : 'disagree';
    scratch.detail = agree ? 'agrees' : 'differs';
    score += scratch.weight;
    if (explain) pushField(fields, 'sex');
  }
  if (addressWeight(r, c, scratch, explain)) {
    score += scratch.weight;
    if (explain) pushField(fields, 'address');
  }
  if (ctx.coReportedHousehold === true) {
    scratch.weight = WEIGHTS.household.coReported;
    scratch.agreement = 'co-reported';
    scratch.detail = 'reported together with a member of the same family';
    score += scratch.weight;
    if (explain) pushField(fields, 'household');
  }
  return score;
}

/** Compares a reported person with a candidate, with per-field weights and explanations. */
export function compareFeatures(reported: PreparedPerson, candidate: PersonFeatures, ctx: ComparisonContext = {}): Comparison {
  const fields: FieldComparison[] = [];
  const score = scoreCandidate(reported, candidate, ctx, fields);
  return { score, fields, explanation: fields.map((f) => f.explanation).join('; ') };
}

/**
 * Compares two persons as written (the reported one, and a candidate as a registry or another
 * report gives them). With `keys`, national ID numbers are compared through pseudonyms and
 * partial-form hashes, as the index does; without, only by whether both are valid and equal.
 */
export function compare(
  reported: ReportedPersonInput,
  candidate: ReportedPersonInput & { readonly previousAddresses?: readonly string[] },
  options: { readonly keys?: LinkageKeys; readonly frequencies?: NameFrequencies; readonly on?: string } = {},
): Comparison {
  const r = preparePerson(reported, options.keys);
  const c = preparePerson(candidate, options.keys);
  const previousAddresses = (candidate.previousAddresses ?? [])
    .map((a) => normaliseAddress(a))
    .filter((a): a is NormalisedAddress => a !== undefined && a.key !== '');
  const on = options.on === undefined ? undefined : parseBirthDate(options.on)?.value;
  let rr: PreparedPerson = r;
  let cc: PreparedPerson = { ...c, previousAddresses, nationalIdKnown: c.nationalIdGiven };
  if (options.keys === undefined && r.nationalIdGiven && c.nationalIdGiven) {
    // Without keys, compare the numbers directly but keep only a marker, never the number.
    const same = reported.nationalId?.trim().toUpperCase() === candidate.nationalId?.trim().toUpperCase();
    rr = { ...r, pseudonym: 'given' };
    cc = { ...cc, pseudonym: same ? 'given' : 'other', nationalIdKnown: c.nationalIdValid };
  }
  return compareFeatures(rr, cc, {
    frequencies: options.frequencies,
    on,
    candidatePartialIds: c.partialIds,
    candidatePartialOffset: 0,
  });
}
