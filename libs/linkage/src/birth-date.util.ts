/**
 * Birth dates as reporters write them: ISO (1985-03-12), slashes or dots, and the ROC
 * calendar (民國紀年) that forms and older reporters use: 074/03/12, 74.03.12, 民國74年3月12日.
 * Parsed to a compact integer yyyymmdd (0 = unknown) so the index can store and compare
 * millions of them cheaply.
 */
import { toHalfWidth } from './name-normalisation.util';

/** The ROC calendar's year 1 is 1912. */
export const ROC_YEAR_OFFSET = 1911;

export interface ParsedBirthDate {
  /** yyyymmdd */
  readonly value: number;
  readonly iso: string;
  /** The reporter wrote an ROC-calendar date. */
  readonly roc: boolean;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1880 || year > 2200) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= DAYS_IN_MONTH[month - 1];
}

export function toIso(value: number): string {
  const y = Math.floor(value / 10000);
  const m = Math.floor(value / 100) % 100;
  const d = value % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const WESTERN = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const ROC = /^(?:民國|民)?(\d{2,3})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const ROC_COMPACT = /^(\d{3})(\d{2})(\d{2})$/;

/**
 * Parses a birth date; undefined when it is missing or not a calendar date. A date that is not
 * a calendar date (1985-13-45) is treated as unknown rather than guessed at: the comparison
 * step handles near-misses between two valid dates.
 */
export function parseBirthDate(raw: string | undefined): ParsedBirthDate | undefined {
  if (raw === undefined) return undefined;
  const text = toHalfWidth(raw).replace(/\s+/g, '');
  if (text.length === 0) return undefined;
  let y: number;
  let m: number;
  let d: number;
  let roc = false;
  let match = WESTERN.exec(text) ?? COMPACT.exec(text);
  if (match !== null) {
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  } else {
    match = ROC.exec(text) ?? ROC_COMPACT.exec(text);
    if (match === null) return undefined;
    y = Number(match[1]) + ROC_YEAR_OFFSET;
    m = Number(match[2]);
    d = Number(match[3]);
    roc = true;
  }
  if (!isValidDate(y, m, d)) return undefined;
  const value = y * 10000 + m * 100 + d;
  return { value, iso: toIso(value), roc };
}

/** yyyymmdd → ISO; undefined for a missing or invalid date. */
export function normaliseBirthDate(raw: string | undefined): string | undefined {
  return parseBirthDate(raw)?.iso;
}

export type BirthDateAgreement = 'exact' | 'transposed' | 'month-day-swapped' | 'one-digit' | 'same-year' | 'disagree';

/**
 * How two valid dates relate: the same; two adjacent digits swapped (1985 → 1958, 03 → 30,
 * 12 → 21); month and day swapped; one digit different; or not related.
 */
export function compareBirthDates(a: number, b: number): BirthDateAgreement {
  if (a === b) return 'exact';
  const sa = String(a).padStart(8, '0');
  const sb = String(b).padStart(8, '0');
  let first = -1;
  let second = -1;
  let differing = 0;
  for (let i = 0; i < 8; i++) {
    if (sa.charCodeAt(i) !== sb.charCodeAt(i)) {
      differing++;
      if (first < 0) first = i;
      else second = i;
    }
  }
  if (differing === 1) return 'one-digit';
  if (differing === 2 && second === first + 1 && sa[first] === sb[second] && sa[second] === sb[first]) return 'transposed';
  if (sa.slice(0, 4) === sb.slice(0, 4) && sa.slice(4, 6) === sb.slice(6, 8) && sa.slice(6, 8) === sb.slice(4, 6)) {
    return 'month-day-swapped';
  }
  if (sa.slice(0, 4) === sb.slice(0, 4)) return 'same-year';
  return 'disagree';
}

/** Whole years of age on a day (yyyymmdd both). */
export function ageOn(birth: number, on: number): number {
  const years = Math.floor(on / 10000) - Math.floor(birth / 10000);
  return on % 10000 < birth % 10000 ? years - 1 : years;
}
