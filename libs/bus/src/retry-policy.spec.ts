import fc from 'fast-check';
import { backoffDelayMs, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };

describe('backoffDelayMs', () => {
  it('doubles from the initial delay without jitter at the midpoint', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(policy, a, () => 0.5))).toEqual([200, 400, 800, 1600]);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelayMs(policy, 30, () => 1)).toBe(5_000);
  });

  it('stays within ±20% of the capped exponential', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
        const delay = backoffDelayMs(policy, attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.min(policy.maxBackoffMs, Math.ceil(base * 1.2)));
      }),
    );
  });
});
