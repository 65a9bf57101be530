import { Redis } from 'ioredis';
import { testStack, uniqueName } from '@weave/testing';
import { QueryRateLimiter } from './query-rate-limiter';

const redis = new Redis(testStack().redisUrl);
afterAll(() => redis.quit());

describe('QueryRateLimiter on real Redis', () => {
  it('allows the limit per unit per minute, then limits, and counts units apart', async () => {
    const limiter = new QueryRateLimiter(redis, 5);
    const unit = uniqueName('unit');
    const now = new Date('2026-11-23T09:00:10Z');
    const results = await Promise.all(Array.from({ length: 8 }, () => limiter.take(unit, now)));
    expect(results.filter((r) => r === 'allowed')).toHaveLength(5);
    expect(results.filter((r) => r === 'limited')).toHaveLength(3);
    expect(await limiter.take(uniqueName('other-unit'), now)).toBe('allowed');
    expect(await limiter.take(unit, new Date('2026-11-23T09:01:10Z'))).toBe('allowed');
    expect(await redis.ttl(`gateway:query-rate:${unit}:${Math.floor(now.getTime() / 60_000)}`)).toBeGreaterThan(60);
  });

  it('answers unavailable, not allowed, when Redis cannot be reached (the gateway then denies)', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    dead.on('error', () => undefined);
    try {
      expect(await new QueryRateLimiter(dead, 5).take('u', new Date())).toBe('unavailable');
    } finally {
      dead.disconnect();
    }
  });
});
