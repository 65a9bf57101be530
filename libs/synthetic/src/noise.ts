/**
 * How reporters get identifiers wrong. Each reported person draws its noise independently;
 * the kinds applied are recorded in the report's truth so that linkage can be measured per
 * kind of error.
 */
import type { NoiseKind, ReportChannel, ReportedPerson, SubjectRoleName } from './event-types';
import { hasHomophone, hasVariant, homophoneOf, surnameOnly, variantOf } from './names';
import type { Person } from './population-types';
import type { Random } from './random';

export interface NoiseProfile {
  /** Probability the reporter gives no national ID number, by channel. */
  readonly missingNationalId: Readonly<Record<ReportChannel, number>>;
  /** Probability the reporter gives no birth date, by channel. */
  readonly missingBirthDate: Readonly<Record<ReportChannel, number>>;
  /** Multiplies both of the above for alleged perpetrators (capped at 0.95). */
  readonly perpetratorMissingFactor: number;
  /** One digit of the ID mistyped or two swapped, or the letter wrong; usually fails the checksum. */
  readonly nationalIdTypo: number;
  /** A variant character (臺/台, 峰/峯, 黃/黄 …; ‧/・ in traditional names), where the name has one. */
  readonly nameVariant: number;
  /** A homophone instead of the right character (志/智, 婷/庭 …), where the name has one. */
  readonly nameHomophone: number;
  /** A given-name character left out. */
  readonly nameMissingCharacter: number;
  /** Surname and a form of address only (陳先生), from the public and community channels. */
  readonly nameSurnameOnly: number;
  /** Two adjacent digits of the birth date swapped (or month and day). */
  readonly birthDateTransposed: number;
  /** One digit of the birth date wrong. */
  readonly birthDateMistyped: number;
  /** Birth date written in the ROC calendar (民國) instead of YYYY-MM-DD. */
  readonly birthDateRocCalendar: number;
  /** When the birth date is missing, the reporter estimates an age (±3 years). */
  readonly approximateAge: number;
  /** For a person who moved: the reporter gives the previous address. */
  readonly oldAddress: number;
  readonly missingAddress: number;
  readonly missingSex: number;
  /** For a person who has a phone: the reporter gives it. */
  readonly phoneGiven: number;
}

/** Defaults (see the README): public reports lack IDs 30 % of the time, police 5 %. */
export const DEFAULT_NOISE: NoiseProfile = {
  missingNationalId: {
    police: 0.05,
    school: 0.08,
    hospital: 0.12,
    'mental-health': 0.1,
    employment: 0.05,
    welfare: 0.06,
    'public-online': 0.3,
    'convenience-store': 0.7,
    'village-officer': 0.35,
    volunteer: 0.5,
  },
  missingBirthDate: {
    police: 0.05,
    school: 0.03,
    hospital: 0.08,
    'mental-health': 0.08,
    employment: 0.03,
    welfare: 0.05,
    'public-online': 0.45,
    'convenience-store': 0.85,
    'village-officer': 0.3,
    volunteer: 0.5,
  },
  perpetratorMissingFactor: 1.5,
  nationalIdTypo: 0.02,
  nameVariant: 0.05,
  nameHomophone: 0.03,
  nameMissingCharacter: 0.015,
  nameSurnameOnly: 0.08,
  birthDateTransposed: 0.02,
  birthDateMistyped: 0.015,
  birthDateRocCalendar: 0.1,
  approximateAge: 0.6,
  oldAddress: 0.3,
  missingAddress: 0.1,
  missingSex: 0.08,
  phoneGiven: 0.4,
};

const NONE_BY_CHANNEL: Record<ReportChannel, number> = {
  police: 0,
  school: 0,
  hospital: 0,
  'mental-health': 0,
  employment: 0,
  welfare: 0,
  'public-online': 0,
  'convenience-store': 0,
  'village-officer': 0,
  volunteer: 0,
};

/** Reporters who get everything right (for tests and for the simulators' own systems). */
export const NO_NOISE: NoiseProfile = {
  missingNationalId: NONE_BY_CHANNEL,
  missingBirthDate: NONE_BY_CHANNEL,
  perpetratorMissingFactor: 1,
  nationalIdTypo: 0,
  nameVariant: 0,
  nameHomophone: 0,
  nameMissingCharacter: 0,
  nameSurnameOnly: 0,
  birthDateTransposed: 0,
  birthDateMistyped: 0,
  birthDateRocCalendar: 0,
  approximateAge: 0,
  oldAddress: 0,
  missingAddress: 0,
  missingSex: 0,
  phoneGiven: 1,
};

/** Channels whose reporters do not know the family formally (surname-only names come from them). */
export const INFORMAL_CHANNELS: readonly ReportChannel[] = ['public-online', 'convenience-store', 'volunteer'];

/** A partial profile: any field, and any channel of the per-channel fields. */
export type NoiseOverrides = Partial<Omit<NoiseProfile, 'missingNationalId' | 'missingBirthDate'>> & {
  readonly missingNationalId?: Partial<Record<ReportChannel, number>>;
  readonly missingBirthDate?: Partial<Record<ReportChannel, number>>;
};

export function resolveNoise(partial: NoiseOverrides = {}): NoiseProfile {
  return {
    ...DEFAULT_NOISE,
    ...partial,
    missingNationalId: { ...DEFAULT_NOISE.missingNationalId, ...partial.missingNationalId },
    missingBirthDate: { ...DEFAULT_NOISE.missingBirthDate, ...partial.missingBirthDate },
  };
}

const KEYBOARD_NEIGHBOURS: Readonly<Record<string, string>> = {
  A: 'SQZ', B: 'VNG', C: 'XVD', D: 'SFE', E: 'WRD', F: 'DGR', G: 'FHT', H: 'GJY', I: 'UOK', J: 'HKU', K: 'JLI',
  L: 'KO', M: 'NJ', N: 'BMH', O: 'IPL', P: 'O', Q: 'WA', R: 'ETF', S: 'ADW', T: 'RYG', U: 'YIJ', V: 'CBF', W: 'QES',
  X: 'ZCS', Y: 'TUH', Z: 'XA',
};

/** A mistyped national ID: a digit substituted (70 %), two adjacent digits swapped (20 %) or the letter (10 %). */
export function mistypeNationalId(rng: Random, id: string): string {
  const chars = [...id];
  const u = rng.float();
  if (u < 0.1) {
    chars[0] = rng.pick([...(KEYBOARD_NEIGHBOURS[chars[0]] ?? 'A')]);
  } else if (u < 0.3) {
    const pairs: number[] = [];
    for (let i = 2; i < 9; i++) if (chars[i] !== chars[i + 1]) pairs.push(i);
    if (pairs.length > 0) {
      const i = rng.pick(pairs);
      [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
    } else {
      chars[9] = String((Number(chars[9]) + rng.int(1, 9)) % 10);
    }
  } else {
    const i = rng.int(2, 9);
    chars[i] = String((Number(chars[i]) + rng.int(1, 9)) % 10);
  }
  return chars.join('');
}

// Digit positions of YYYY-MM-DD that are swapped with their right neighbour (1985 → 1958, 03 → 30).
const DATE_SWAPS = [2, 5, 8];
const DATE_TYPO_POSITIONS = [2, 3, 5, 6, 8, 9];

export function transposeBirthDate(rng: Random, iso: string): string {
  const chars = [...iso];
  const options = DATE_SWAPS.filter((i) => chars[i] !== chars[i + 1]);
  const monthDay = iso.slice(5, 7) !== iso.slice(8, 10);
  const count = options.length + (monthDay ? 1 : 0);
  if (count === 0) return mistypeBirthDate(rng, iso);
  const choice = rng.int(0, count - 1);
  if (choice === options.length) return `${iso.slice(0, 4)}-${iso.slice(8, 10)}-${iso.slice(5, 7)}`;
  const i = options[choice];
  [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
  return chars.join('');
}

export function mistypeBirthDate(rng: Random, iso: string): string {
  const chars = [...iso];
  const i = rng.pick(DATE_TYPO_POSITIONS);
  chars[i] = String((Number(chars[i]) + rng.int(1, 9)) % 10);
  return chars.join('');
}

export function rocCalendarDate(rng: Random, iso: string): string {
  const roc = Number(iso.slice(0, 4)) - 1911;
  const mm = iso.slice(5, 7);
  const dd = iso.slice(8, 10);
  const u = rng.float();
  if (u < 0.4) return `${String(roc).padStart(3, '0')}/${mm}/${dd}`;
  if (u < 0.7) return `${roc}.${mm}.${dd}`;
  return `民國${roc}年${Number(mm)}月${Number(dd)}日`;
}

/**
 * The person as this reporter describes them, and the noise applied. `age` is the person's
 * age on the day of the report.
 */
export function describePerson(
  rng: Random,
  person: Person,
  role: SubjectRoleName,
  channel: ReportChannel,
  profile: NoiseProfile,
  age: number,
): { reported: ReportedPerson; noise: NoiseKind[] } {
  const noise: NoiseKind[] = [];
  const factor = role === 'alleged-perpetrator' ? profile.perpetratorMissingFactor : 1;

  // Name: at most one kind of name error.
  let name = person.name;
  const u = rng.float();
  let edge = profile.nameVariant;
  if (u < edge) {
    if (hasVariant(name)) {
      name = variantOf(rng, name);
      noise.push('name-variant');
    }
  } else if (u < (edge += profile.nameHomophone)) {
    if (!person.traditionalName && hasHomophone(name)) {
      const changed = homophoneOf(rng, name, person.surname.length);
      if (changed !== name) {
        name = changed;
        noise.push('name-homophone');
      }
    }
  } else if (u < (edge += profile.nameMissingCharacter)) {
    if (!person.traditionalName && person.givenName.length >= 2) {
      const drop = rng.int(0, person.givenName.length - 1);
      name = person.surname + person.givenName.slice(0, drop) + person.givenName.slice(drop + 1);
      noise.push('name-missing-character');
    }
  } else if (u < edge + profile.nameSurnameOnly) {
    if (!person.traditionalName && INFORMAL_CHANNELS.includes(channel)) {
      name = surnameOnly(rng, person.surname, person.sex, age);
      noise.push('name-surname-only');
    }
  }

  // National ID.
  let nationalId: string | undefined = person.nationalId;
  if (rng.chance(Math.min(0.95, profile.missingNationalId[channel] * factor))) {
    nationalId = undefined;
    noise.push('national-id-missing');
  } else if (rng.chance(profile.nationalIdTypo)) {
    nationalId = mistypeNationalId(rng, person.nationalId);
    noise.push('national-id-typo');
  }

  // Birth date.
  let birthDate: string | undefined = person.birthDate;
  let approximateAge: number | undefined;
  if (rng.chance(Math.min(0.95, profile.missingBirthDate[channel] * factor))) {
    birthDate = undefined;
    noise.push('birth-date-missing');
    if (rng.chance(profile.approximateAge)) approximateAge = Math.max(0, age + rng.int(-3, 3));
  } else {
    const v = rng.float();
    let e = profile.birthDateTransposed;
    if (v < e) {
      birthDate = transposeBirthDate(rng, person.birthDate);
      noise.push('birth-date-transposed');
    } else if (v < (e += profile.birthDateMistyped)) {
      birthDate = mistypeBirthDate(rng, person.birthDate);
      noise.push('birth-date-mistyped');
    } else if (v < e + profile.birthDateRocCalendar) {
      birthDate = rocCalendarDate(rng, person.birthDate);
      noise.push('birth-date-roc-calendar');
    }
  }

  // Address, sex, phone.
  let address: string | undefined = person.address.text;
  if (rng.chance(profile.missingAddress)) {
    address = undefined;
    noise.push('address-missing');
  } else if (person.previousAddress !== undefined && rng.chance(profile.oldAddress)) {
    address = person.previousAddress.text;
    noise.push('old-address');
  }
  let sex: Person['sex'] | undefined = person.sex;
  if (rng.chance(profile.missingSex)) {
    sex = undefined;
    noise.push('sex-missing');
  }
  const phone = person.phone !== undefined && rng.chance(profile.phoneGiven) ? person.phone : undefined;

  return { reported: { role, name, nationalId, birthDate, approximateAge, sex, address, phone }, noise };
}
