import fc from 'fast-check';
import { isValidNationalId, nationalIdCheckDigit } from './national-id';

describe('national ID numbers', () => {
  // Published examples of valid numbers (A123456789 is the textbook example).
  it.each(['A123456789', 'a123456789', 'F131104093', ' A123456789 '])('accepts %s', (id) => {
    expect(isValidNationalId(id)).toBe(true);
  });

  it.each([
    ['wrong check digit', 'A123456788'],
    ['sex digit 3', 'A323456789'],
    ['too short', 'A12345678'],
    ['too long', 'A1234567890'],
    ['digit first', '1123456789'],
    ['empty', ''],
  ])('rejects %s', (_why, id) => {
    expect(isValidNationalId(id)).toBe(false);
  });

  it('accepts exactly one check digit for every prefix', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
        fc.constantFrom('1', '2', '8', '9'),
        fc.stringMatching(/^[0-9]{7}$/),
        (letter, kind, serial) => {
          const firstNine = `${letter}${kind}${serial}`;
          const valid = [...'0123456789'].filter((d) => isValidNationalId(firstNine + d));
          expect(valid).toEqual([String(nationalIdCheckDigit(firstNine))]);
        },
      ),
    );
  });

  // The weights 8..1 share factors with 10, so the checksum misses some digit typos;
  // linkage must not rely on it. It does catch every typo of the check digit itself
  // and of the serial digits weighted 7, 3 and 1 (positions 2, 6 and 8).
  it('catches typos in the digits whose weight is prime to 10', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{7}$/), fc.constantFrom(2, 6, 8, 9), fc.integer({ min: 1, max: 9 }), (serial, pos, delta) => {
        const firstNine = `A1${serial}`;
        const digits = [...(firstNine + String(nationalIdCheckDigit(firstNine)))];
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        const typo = digits.join('');
        fc.pre(/^[A-Z][12]/.test(typo));
        expect(isValidNationalId(typo)).toBe(false);
      }),
    );
  });
});
