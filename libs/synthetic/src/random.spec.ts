import { Random, WeightedTable } from './random';

const draw = (rng: Random, n: number): number[] => Array.from({ length: n }, () => rng.next());

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('Random', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    expect(draw(Random.from(42), 100)).toEqual(draw(Random.from(42), 100));
    expect(draw(Random.from('nantou'), 100)).toEqual(draw(Random.from('nantou'), 100));
    expect(draw(Random.from(42), 100)).not.toEqual(draw(Random.from(43), 100));
    expect(draw(Random.from(1), 10)).not.toEqual(draw(Random.from('1'), 10));
  });

  it('is xoshiro128**: 32-bit outputs, no short cycle, roughly uniform bits', () => {
    const values = draw(Random.from(7), 100_000);
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(99_990);
    for (const bit of [0, 1, 15, 31]) {
      const ones = values.filter((v) => ((v >>> bit) & 1) === 1).length / values.length;
      expect(Math.abs(ones - 0.5)).toBeLessThan(0.01);
    }
  });

  it('forks are a pure function of the parent key and the label', () => {
    const a = Random.from(5);
    const before = draw(a.fork('reports'), 20);
    draw(a, 1000);
    expect(draw(a.fork('reports'), 20)).toEqual(before);
    expect(draw(Random.from(5).fork('reports').fork(3), 5)).toEqual(draw(Random.from(5).fork('reports').fork(3), 5));
    expect(draw(a.fork('reports'), 20)).not.toEqual(draw(a.fork('police'), 20));
    expect(draw(a.fork(1), 20)).not.toEqual(draw(a.fork('1'), 20));
    expect(draw(a.fork(2 ** 40), 5)).not.toEqual(draw(a.fork(2 ** 40 + 1), 5));
  });

  it('forking does not disturb the parent, and forks are uncorrelated', () => {
    const plain = Random.from(9);
    const forked = Random.from(9);
    forked.fork('x').next();
    expect(draw(forked, 50)).toEqual(draw(plain, 50));

    const x = Random.from(11).fork('a');
    const y = Random.from(11).fork('b');
    const n = 50_000;
    const xs = Array.from({ length: n }, () => x.float() - 0.5);
    const ys = Array.from({ length: n }, () => y.float() - 0.5);
    const correlation = xs.reduce((s, v, i) => s + v * ys[i], 0) / n / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(0.02);
  });

  it('distinct sibling forks (a million households) collide nowhere in their first outputs', () => {
    const root = Random.from(3).fork('population');
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(root.fork(i).next());
    // 200k 32-bit draws: birthday collisions expected ≈ 4.7; far more would mean correlated forks.
    expect(200_000 - seen.size).toBeLessThan(20);
  });

  it('int is inclusive and uniform; float is in [0, 1)', () => {
    const rng = Random.from(1);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(1, 6) - 1]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    for (let i = 0; i < 10_000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect(() => rng.int(2, 1)).toThrow(RangeError);
  });

  it('pick, weighted, chance and shuffled follow their probabilities', () => {
    const rng = Random.from(2);
    const picks = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const v = rng.pick(['a', 'b', 'c']);
      picks.set(v, (picks.get(v) ?? 0) + 1);
    }
    for (const n of picks.values()) expect(Math.abs(n - 10_000)).toBeLessThan(400);

    let heavy = 0;
    for (let i = 0; i < 40_000; i++) if (rng.weighted([['light', 1], ['heavy', 3]] as const) === 'heavy') heavy++;
    expect(Math.abs(heavy / 40_000 - 0.75)).toBeLessThan(0.01);

    let yes = 0;
    for (let i = 0; i < 40_000; i++) if (rng.chance(0.3)) yes++;
    expect(Math.abs(yes / 40_000 - 0.3)).toBeLessThan(0.01);

    const shuffled = rng.shuffled([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(() => rng.weighted([['x', 0]])).toThrow(RangeError);
  });

  it('normal has the asked mean and standard deviation', () => {
    const rng = Random.from(4);
    const { mean, variance } = meanAndVariance(Array.from({ length: 50_000 }, () => rng.normal(10, 3)));
    expect(Math.abs(mean - 10)).toBeLessThan(0.06);
    expect(Math.abs(Math.sqrt(variance) - 3)).toBeLessThan(0.06);
  });

  it.each([0.5, 4, 9.9, 10, 14.4, 822, 50_000])('poisson(%p) has mean and variance λ', (lambda) => {
    const rng = Random.from(`poisson ${lambda}`);
    const n = 40_000;
    const values = Array.from({ length: n }, () => rng.poisson(lambda));
    expect(values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    const { mean, variance } = meanAndVariance(values);
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.05);
  });

  it('poisson(0) and negative means give 0', () => {
    expect(Random.from(1).poisson(0)).toBe(0);
    expect(Random.from(1).poisson(-3)).toBe(0);
  });
});

describe('WeightedTable', () => {
  it('samples in proportion to the weights and reports probabilities', () => {
    const table = new WeightedTable([['a', 1], ['b', 0], ['c', 3]] as const);
    expect(table.probability('a')).toBeCloseTo(0.25);
    expect(table.probability('b')).toBe(0);
    expect(table.entries()).toEqual([['a', 0.25], ['c', 0.75]]);
    const rng = Random.from(8);
    let c = 0;
    for (let i = 0; i < 40_000; i++) if (table.sample(rng) === 'c') c++;
    expect(Math.abs(c / 40_000 - 0.75)).toBeLessThan(0.01);
    expect(() => new WeightedTable([['x', 0]])).toThrow(RangeError);
  });
});
