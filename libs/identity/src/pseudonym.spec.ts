import { randomBytes } from 'node:crypto';
import { PERSON_PSEUDONYM, PseudonymKey, isPersonPseudonym } from './pseudonym';

describe('PseudonymKey', () => {
  const key = new PseudonymKey(Buffer.alloc(32, 7));

  it('is stable for the same number, case and whitespace aside', () => {
    expect(key.personPseudonym('A123456789')).toBe(key.personPseudonym(' a123456789'));
    expect(key.personPseudonym('A123456789')).toMatch(PERSON_PSEUDONYM);
  });

  it('differs between people and between keys', () => {
    const other = new PseudonymKey(randomBytes(32));
    expect(key.personPseudonym('A123456789')).not.toBe(key.personPseudonym('F131104093'));
    expect(key.personPseudonym('A123456789')).not.toBe(other.personPseudonym('A123456789'));
  });

  it('never contains the number it was made from', () => {
    const pseudonym = key.personPseudonym('A123456789');
    expect(pseudonym).not.toContain('123456789');
  });

  it('separates person and family domains', () => {
    expect(key.familyPseudonym('A123456789')).toMatch(/^f1_/);
    expect(key.familyPseudonym('A123456789').slice(3)).not.toBe(key.personPseudonym('A123456789').slice(3));
  });

  it('refuses invalid numbers and short keys', () => {
    expect(() => key.personPseudonym('A123456788')).toThrow('invalid national ID number');
    expect(() => new PseudonymKey(Buffer.alloc(16))).toThrow('at least 32 bytes');
  });

  it('recognises pseudonyms', () => {
    expect(isPersonPseudonym(key.personPseudonym('A123456789'))).toBe(true);
    expect(isPersonPseudonym('A123456789')).toBe(false);
  });
});
