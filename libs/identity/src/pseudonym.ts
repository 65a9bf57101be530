import { createHmac } from 'node:crypto';
import { isValidNationalId, normaliseNationalId } from './national-id';

/**
 * A pseudonym is the keyed HMAC-SHA256 of a national ID number, base32-encoded and
 * truncated to 130 bits: stable across agencies that share the key, not reversible
 * without it, and never stored beside the number. Versioned by prefix so that a key
 * rotation can run both generations side by side.
 */
export const PERSON_PSEUDONYM = /^p1_[a-z2-7]{26}$/;
export const FAMILY_PSEUDONYM = /^f1_[a-z2-7]{26}$/;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const MIN_KEY_BYTES = 32;

/** Lower-case RFC 4648 base32 of the first `length` characters' worth of bytes (pseudonym bodies). */
export function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length === length) break;
  }
  return out;
}

export class PseudonymKey {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length < MIN_KEY_BYTES) {
      throw new Error(`pseudonym key must be at least ${MIN_KEY_BYTES} bytes`);
    }
    this.key = Buffer.from(key);
  }

  static fromBase64(value: string): PseudonymKey {
    return new PseudonymKey(Buffer.from(value, 'base64'));
  }

  private digest(domain: string, value: string): string {
    return base32(createHmac('sha256', this.key).update(`${domain}\u0000${value}`).digest(), 26);
  }

  /** Pseudonym of a person identified by national ID number; throws on an invalid number. */
  personPseudonym(nationalId: string): string {
    if (!isValidNationalId(nationalId)) {
      throw new Error('invalid national ID number');
    }
    return `p1_${this.digest('person', normaliseNationalId(nationalId))}`;
  }

  /** Pseudonym of a household, from an agency-scoped household reference. */
  familyPseudonym(householdRef: string): string {
    return `f1_${this.digest('family', householdRef)}`;
  }
}

export function isPersonPseudonym(value: string): boolean {
  return PERSON_PSEUDONYM.test(value);
}
