/**
 * Dates without time zones for birth dates, and Taiwan local time (UTC+8, no daylight saving)
 * for simulated events: a simulated day runs from 00:00 to 24:00 in Taipei.
 */

// Math's functions as module constants: global lookups are slow inside Jest's vm sandbox.
const { floor } = Math;
export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_MINUTE = 60_000;
const TAIPEI_OFFSET_MS = 8 * MS_PER_HOUR;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month (1-12), day] of a day number (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const d = doy - floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** YYYY-MM-DD of a day number. */
export function isoDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;
}

/** Day number of YYYY-MM-DD (no validation beyond the shape). */
export function dayOfIsoDate(iso: string): number {
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

/** Whole years between a birth day and a day. */
export function ageOn(birthDay: number, day: number): number {
  const [by, bm, bd] = civilFromDays(birthDay);
  const [y, m, d] = civilFromDays(day);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The UTC day number of a Date (birth dates, `asOf`). */
export function utcDay(date: Date): number {
  return floor(date.getTime() / MS_PER_DAY);
}

/** The Taipei calendar day an instant falls on. */
export function taipeiDay(ms: number): number {
  return floor((ms + TAIPEI_OFFSET_MS) / MS_PER_DAY);
}

/** The instant a Taipei calendar day starts (00:00 local). */
export function taipeiDayStart(day: number): number {
  return day * MS_PER_DAY - TAIPEI_OFFSET_MS;
}

/** 0 = Sunday … 6 = Saturday, of a day number. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Local hour (0-23, fractional) of an instant in Taipei. */
export function taipeiHour(ms: number): number {
  return (((ms + TAIPEI_OFFSET_MS) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY / MS_PER_HOUR;
}

/** Local M月D日 of an instant, for narratives. */
export function taipeiMonthDay(ms: number): string {
  const [, m, d] = civilFromDays(taipeiDay(ms));
  return `${m}月${d}日`;
}

/** YYYYMMDD of the Taipei day, for readable references. */
export function taipeiCompactDate(ms: number): string {
  const [y, m, d] = civilFromDays(taipeiDay(ms));
  return `${y}${TWO_DIGITS[m]}${TWO_DIGITS[d]}`;
}
