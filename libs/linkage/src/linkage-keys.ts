/**
 * The linkage's secrets, all derived from the agency-wide `PseudonymKey` so that deploying
 * linkage adds no key to manage:
 *
 * - person pseudonyms of registered persons are `PseudonymKey.personPseudonym(nationalId)`,
 *   the same everywhere in weave;
 * - a linkage sub-key (the key's family pseudonym of a reserved reference, which no household
 *   reference can equal because it starts with NUL) keys (a) the pseudonyms of persons known
 *   only from reports and (b) the partial-form hashes of national ID numbers, which let the
 *   index recognise a number with one mistyped or two swapped digits without ever keeping the
 *   number itself.
 */
import { createHmac } from 'node:crypto';
import { PseudonymKey, base32, isValidNationalId, normaliseNationalId } from '@weave/identity';

/** Partial forms kept per person: 10 with one position masked, 8 with an adjacent pair unordered. */
export const PARTIAL_ID_FORMS = 18;

const SUBKEY_REFERENCE = '\u0000weave.linkage.subkey.v1';


const rotl = (x: number, b: number): number => (x << b) | (x >>> (32 - b));

/**
 * A 32-bit keyed PRF with the HalfSipHash-2-4 construction (64-bit key) over 32-bit words.
 * Used where an HMAC per value would be too slow (18 forms × a million persons); its outputs
 * are only ever compared with each other, never with another implementation.
 */
function halfSipHash(k0: number, k1: number, words: Uint32Array, count: number): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  // Rounds are written out (no closure): this runs 18 times per person indexed.
  for (let i = 0; i <= count; i++) {
    const m = i < count ? words[i] | 0 : (count * 4) << 24;
    v3 ^= m;
    for (let r = 0; r < 2; r++) {
      v0 = (v0 + v1) | 0; v1 = rotl(v1, 5); v1 ^= v0; v0 = rotl(v0, 16);
      v2 = (v2 + v3) | 0; v3 = rotl(v3, 8); v3 ^= v2;
      v0 = (v0 + v3) | 0; v3 = rotl(v3, 7); v3 ^= v0;
      v2 = (v2 + v1) | 0; v1 = rotl(v1, 13); v1 ^= v2; v2 = rotl(v2, 16);
    }
    v0 ^= m;
  }
  v2 ^= 0xff;
  for (let r = 0; r < 4; r++) {
    v0 = (v0 + v1) | 0; v1 = rotl(v1, 5); v1 ^= v0; v0 = rotl(v0, 16);
    v2 = (v2 + v3) | 0; v3 = rotl(v3, 8); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = rotl(v3, 7); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = rotl(v1, 13); v1 ^= v2; v2 = rotl(v2, 16);
  }
  return (v1 ^ v3) >>> 0;
}

/** Letter followed by nine digits: the shape that partial forms are computed for. */
const ID_SHAPE = /^[A-Z][0-9]{9}$/;

export class LinkageKeys {
  readonly pseudonyms: PseudonymKey;
  private readonly subKey: Buffer;
  private readonly sip0: number;
  private readonly sip1: number;
  private readonly words = new Uint32Array(4);
  private readonly codes = new Int32Array(10);

  constructor(pseudonyms: PseudonymKey) {
    this.pseudonyms = pseudonyms;
    this.subKey = Buffer.from(pseudonyms.familyPseudonym(SUBKEY_REFERENCE), 'utf8');
    const sip = createHmac('sha256', this.subKey).update('partial-national-id').digest();
    this.sip0 = sip.readUInt32LE(0);
    this.sip1 = sip.readUInt32LE(4);
  }

  /** The pseudonym of a valid national ID number; undefined for an invalid or missing one. */
  personPseudonym(nationalId: string | undefined): string | undefined {
    if (nationalId === undefined || !isValidNationalId(nationalId)) return undefined;
    return this.pseudonyms.personPseudonym(nationalId);
  }

  /**
   * The pseudonym of a person known only from a report (no valid national ID): deterministic
   * in the reference the caller gives (report id and position), same format as
   * `PERSON_PSEUDONYM`, so downstream services need not tell the two kinds apart.
   */
  reportedPersonPseudonym(reference: string): string {
    return `p1_${base32(createHmac('sha256', this.subKey).update(`report-person\u0000${reference}`).digest(), 26)}`;
  }

  /** The family pseudonym of a household reference (FAMILY_PSEUDONYM format). */
  familyPseudonym(householdReference: string): string {
    return this.pseudonyms.familyPseudonym(householdReference);
  }

  /**
   * Writes the 18 keyed partial-form hashes of a national ID number (valid or not) into
   * `out` at `offset`; returns false (writing nothing) when it does not have the shape of one.
   */
  partialIdHashes(nationalId: string | undefined, out: Uint32Array, offset: number): boolean {
    if (nationalId === undefined) return false;
    const id = normaliseNationalId(nationalId);
    if (!ID_SHAPE.test(id)) return false;
    const codes = this.codes;
    for (let i = 0; i < 10; i++) codes[i] = id.charCodeAt(i);
    const w = this.words;
    const pack = (form: number): void => {
      w[0] = codes[0] | (codes[1] << 8) | (codes[2] << 16) | (codes[3] << 24);
      w[1] = codes[4] | (codes[5] << 8) | (codes[6] << 16) | (codes[7] << 24);
      w[2] = codes[8] | (codes[9] << 8) | (form << 16);
    };
    for (let i = 0; i < 10; i++) {
      const saved = codes[i];
      codes[i] = 42; // '*'
      pack(i + 1);
      out[offset + i] = halfSipHash(this.sip0, this.sip1, w, 3);
      codes[i] = saved;
    }
    for (let i = 1; i < 9; i++) {
      const a = codes[i];
      const b = codes[i + 1];
      codes[i] = Math.min(a, b);
      codes[i + 1] = Math.max(a, b);
      pack(20 + i);
      out[offset + 10 + i - 1] = halfSipHash(this.sip0, this.sip1, w, 3);
      codes[i] = a;
      codes[i + 1] = b;
    }
    return true;
  }
}

export type PartialIdAgreement = 'one-character' | 'transposed' | 'none';

/**
 * How two numbers relate, from their partial-form hashes alone (the caller has already found
 * that the full numbers differ): one position different, two adjacent digits swapped, or neither.
 */
export function comparePartialIds(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number): PartialIdAgreement {
  for (let i = 0; i < 10; i++) if (a[aOffset + i] === b[bOffset + i]) return 'one-character';
  for (let i = 10; i < PARTIAL_ID_FORMS; i++) if (a[aOffset + i] === b[bOffset + i]) return 'transposed';
  return 'none';
}
