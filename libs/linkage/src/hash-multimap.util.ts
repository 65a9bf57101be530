/**
 * A multimap from 32-bit key hashes to entry numbers in flat typed arrays: a million persons ×
 * five blocking keys cost about 12 bytes a key instead of a JavaScript Map's hundred. Distinct
 * keys whose hashes collide share a chain; the caller filters candidates by comparison anyway.
 */
export class HashMultimap {
  private heads: Int32Array;
  private hashes: Int32Array;
  private values: Int32Array;
  private next: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let buckets = 1024;
    while (buckets < expected * 1.5) buckets *= 2;
    this.heads = new Int32Array(buckets).fill(-1);
    this.mask = buckets - 1;
    this.hashes = new Int32Array(expected);
    this.values = new Int32Array(expected);
    this.next = new Int32Array(expected);
  }

  get size(): number {
    return this.count;
  }

  add(hash: number, value: number): void {
    if (this.count === this.values.length) this.growEntries();
    if (this.count > this.heads.length * 0.75) this.growBuckets();
    const slot = this.count++;
    const bucket = mix(hash) & this.mask;
    this.hashes[slot] = hash;
    this.values[slot] = value;
    this.next[slot] = this.heads[bucket];
    this.heads[bucket] = slot;
  }

  /** The first slot holding `hash`, or -1; continue with `nextSlot`. */
  firstSlot(hash: number): number {
    return this.skipTo(this.heads[mix(hash) & this.mask], hash);
  }

  nextSlot(slot: number, hash: number): number {
    return this.skipTo(this.next[slot], hash);
  }

  valueAt(slot: number): number {
    return this.values[slot];
  }

  /** How many values the key has (walks the chain). */
  countOf(hash: number, limit = Infinity): number {
    let n = 0;
    for (let s = this.firstSlot(hash); s >= 0 && n < limit; s = this.nextSlot(s, hash)) n++;
    return n;
  }

  private skipTo(slot: number, hash: number): number {
    let s = slot;
    while (s >= 0 && this.hashes[s] !== hash) s = this.next[s];
    return s;
  }

  private growEntries(): void {
    const capacity = Math.max(1024, this.values.length * 2);
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.values = grow(this.values);
    this.next = grow(this.next);
  }

  private growBuckets(): void {
    const buckets = this.heads.length * 2;
    this.heads = new Int32Array(buckets).fill(-1);
    this.mask = buckets - 1;
    // Re-thread every entry in insertion order so chains keep newest-first order.
    for (let slot = 0; slot < this.count; slot++) {
      const bucket = mix(this.hashes[slot]) & this.mask;
      this.next[slot] = this.heads[bucket];
      this.heads[bucket] = slot;
    }
  }
}

/** Spreads a hash's bits before masking (the low bits of FNV are weak). */
function mix(h: number): number {
  let x = h | 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a of a string with a one-character kind prefix, so different keys never share a space. */
export function keyHash(kind: number, value: string, extra = 0): number {
  let h = (0x811c9dc5 ^ kind) >>> 0;
  h = Math.imul(h, 0x01000193);
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  if (extra !== 0) {
    h ^= extra;
    h = Math.imul(h, 0x01000193);
    h ^= extra >>> 16;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
