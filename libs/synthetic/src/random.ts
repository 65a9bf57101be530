/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, 2018) seeded through
 * splitmix32. A stream is identified by a 64-bit key (two 32-bit words); `fork(label)` derives
 * a child key from the parent's key and the label only, never from the parent's position, so a
 * sub-stream is the same however many numbers the parent has drawn, and adding a new kind of
 * event (a new fork) changes nothing that already exists.
 */

// Math's functions as module constants: global lookups are slow inside Jest's vm sandbox.
const { abs, cos, exp, floor, imul, log, sqrt } = Math;
export type Seed = number | string;

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;

/** Chris Wellons' lowbias32 integer hash: a bijection on 32 bits with good avalanche. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a over UTF-16 code units, finished with mix32. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return mix32(h);
}

function hashLabel(label: string | number): number {
  if (typeof label === 'string') return hashString(label);
  if (!Number.isSafeInteger(label)) return hashString(String(label));
  const lo = label >>> 0;
  const hi = floor(label / TWO_POW_32) >>> 0;
  return mix32(lo ^ mix32(hi + 0x6a09e667));
}

function splitmix32(state: number): number {
  let z = state >>> 0;
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const GOLDEN = 0x9e3779b9;

/** ln(k!) — exact table for small k, Stirling series beyond. */
const LOG_FACTORIALS: number[] = [0];
for (let k = 1; k < 32; k++) LOG_FACTORIALS.push(LOG_FACTORIALS[k - 1] + log(k));
function logFactorial(k: number): number {
  if (k < LOG_FACTORIALS.length) return LOG_FACTORIALS[k];
  const x = k + 1;
  const x2 = x * x;
  return (x - 0.5) * log(x) - x + 0.5 * log(2 * Math.PI) + (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(
    /** The stream's key; forks derive from it. */
    private readonly k0: number,
    private readonly k1: number,
  ) {
    const a = k0 >>> 0;
    const b = k1 >>> 0;
    this.s0 = splitmix32(a + GOLDEN);
    this.s1 = splitmix32(a + 2 * GOLDEN);
    this.s2 = splitmix32(b + GOLDEN);
    this.s3 = splitmix32(b + 2 * GOLDEN);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A stream from a seed; numbers and strings are both accepted (`1` and `'1'` differ). */
  static from(seed: Seed): Random {
    if (typeof seed === 'number') {
      const h = hashLabel(seed);
      return new Random(mix32(h ^ 0x243f6a88), mix32(h + 0x13198a2e));
    }
    const h = hashString(seed);
    return new Random(mix32(h ^ 0x85a308d3), mix32(hashString(`${seed}\u0000`) ^ 0x03707344));
  }

  /** An independent deterministic sub-stream: a pure function of this stream's key and the label. */
  fork(label: string | number): Random {
    const h = hashLabel(label);
    const a = mix32(this.k0 ^ mix32(h ^ 0xa4093822));
    const b = mix32((this.k1 ^ mix32(h + 0x299f31d0)) + a);
    return new Random(a, b);
  }

  /** Next unsigned 32-bit integer. */
  next(): number {
    const s1 = this.s1;
    const m = imul(s1, 5);
    const result = imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.next() * INV_TWO_POW_32;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max < min`);
    return min + floor(this.float() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[floor(this.float() * items.length)];
  }

  /** One of the entries, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    if (!(total > 0)) throw new RangeError('weighted: weights must sum to more than 0');
    let u = this.float() * total;
    for (const [value, w] of entries) {
      u -= w;
      if (u < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** Normal deviate (Box–Muller; the second value of the pair is discarded). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * sqrt(-2 * log(u)) * cos(2 * Math.PI * v);
  }

  /** Exponential deviate with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -log(1 - this.float()) / rate;
  }

  /**
   * Poisson deviate: Knuth's product method below λ = 10, Hörmann's transformed rejection
   * (PTRS, 1993) above, so large means cost O(1).
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 10) {
      const limit = exp(-lambda);
      let k = 0;
      let p = this.float();
      while (p > limit) {
        k++;
        p *= this.float();
      }
      return k;
    }
    const slam = sqrt(lambda);
    const loglam = log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.float() - 0.5;
      const v = this.float();
      const us = 0.5 - abs(u);
      const k = floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (log(v) + log(invAlpha) - log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) {
        return k;
      }
    }
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = floor(this.float() * (i + 1));
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }
}

/** A weighted choice compiled once (cumulative weights, binary search) for hot paths. */
export class WeightedTable<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    const kept = entries.filter(([, w]) => w > 0);
    if (kept.length === 0) throw new RangeError('WeightedTable: no positive weight');
    this.values = kept.map(([v]) => v);
    this.cumulative = new Float64Array(kept.length);
    let sum = 0;
    kept.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  static fromRecord<K extends string>(record: Readonly<Record<K, number>>): WeightedTable<K> {
    return new WeightedTable(Object.entries(record) as [K, number][]);
  }

  sample(rng: Random): T {
    const u = rng.float() * this.total;
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }

  /** Probability of a value (0 when absent). */
  probability(value: T): number {
    const i = this.values.indexOf(value);
    if (i < 0) return 0;
    return (this.cumulative[i] - (i > 0 ? this.cumulative[i - 1] : 0)) / this.total;
  }

  /** The values with their probabilities. */
  entries(): [T, number][] {
    return this.values.map((v, i) => [v, (this.cumulative[i] - (i > 0 ? this.cumulative[i - 1] : 0)) / this.total]);
  }
}
