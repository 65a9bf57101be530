import { NANTOU, scaleCounty } from '@weave/synthetic';
import { measureLinkage } from './cli/linkage-quality';

describe('linkage quality on a small synthetic county', () => {
  it.each([1, 2])('keeps precision ≥ 0.99 and recall ≥ 0.97 (seed %i)', (seed) => {
    const f = measureLinkage({
      county: scaleCounty(NANTOU, 20_000),
      seed,
      from: new Date('2024-01-01T00:00:00+08:00'),
      to: new Date('2024-07-01T00:00:00+08:00'),
      reportsPerYear: 1_600,
      holdOutEvery: 25,
    });
    expect(f.reportedPersons).toBeGreaterThan(1_000);
    expect(f.precision).toBeGreaterThanOrEqual(0.99);
    expect(f.recall).toBeGreaterThanOrEqual(0.97);
    expect(f.outsidersWronglyLinked / Math.max(1, f.outsiders)).toBeLessThanOrEqual(0.02);
    // Every noise kind is exercised and still mostly linked correctly.
    for (const kind of ['name-variant', 'name-homophone', 'birth-date-transposed', 'birth-date-roc-calendar', 'old-address', 'national-id-missing'] as const) {
      const t = f.byKind.get(kind);
      expect(t?.persons).toBeGreaterThan(0);
      expect(t?.wrong ?? 0).toBeLessThanOrEqual(Math.ceil((t?.persons ?? 0) * 0.02));
    }
  });
});
