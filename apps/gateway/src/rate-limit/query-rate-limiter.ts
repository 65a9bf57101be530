import type { Redis } from 'ioredis';

const INCREMENT_WITH_EXPIRY = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n";

export type RateDecision = 'allowed' | 'limited' | 'unavailable';

/**
 * Queries per unit per minute, counted in Redis so that every gateway instance shares the
 * count: a unit sweeping through many people (fishing) is stopped and the attempt recorded.
 * If Redis cannot answer, the answer is 'unavailable' and the gateway denies (fail closed).
 */
export class QueryRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly perMinute: number,
  ) {}

  async take(unitId: string, now: Date): Promise<RateDecision> {
    const window = Math.floor(now.getTime() / 60_000);
    const key = `gateway:query-rate:${unitId}:${window}`;
    try {
      // One round trip: count, and set the expiry when the window's key is new.
      const count = await this.redis.eval(INCREMENT_WITH_EXPIRY, 1, key, 120);
      return Number(count) > this.perMinute ? 'limited' : 'allowed';
    } catch {
      return 'unavailable';
    }
  }
}
