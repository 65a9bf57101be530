/**
 * Taiwan national identification numbers (國民身分證統一編號) and resident certificate
 * numbers (居留證統一證號): one letter for the place of first registration, a digit for
 * sex or holder type, seven serial digits and a check digit.
 */

// Letter -> two-digit area code used by the checksum (I, O, W, X, Y, Z are out of order).
const AREA_CODES: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

const SHAPE = /^[A-Z][12789][0-9]{8}$/;

export function normaliseNationalId(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Check digit for the first nine characters (letter + eight digits). */
export function nationalIdCheckDigit(firstNine: string): number {
  const area = AREA_CODES[firstNine[0] ?? ''];
  if (area === undefined || !/^[0-9]{8}$/.test(firstNine.slice(1, 9))) {
    throw new Error('expected a letter followed by eight digits');
  }
  let sum = Math.floor(area / 10) + (area % 10) * 9;
  for (let i = 1; i <= 8; i++) {
    sum += Number(firstNine[i]) * (9 - i);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * True for a well-formed number with a correct check digit. The second character is 1/2
 * for citizens (sex) and 8/9 for the new-format resident certificate.
 */
export function isValidNationalId(raw: string): boolean {
  const id = normaliseNationalId(raw);
  if (!SHAPE.test(id)) return false;
  return nationalIdCheckDigit(id.slice(0, 9)) === Number(id[9]);
}
