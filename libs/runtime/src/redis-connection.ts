import { createLogger } from '@weave/telemetry';
import { Redis } from 'ioredis';

const logger = createLogger('redis');

/** A service's Redis connection, closed at shutdown after consumers have finished. */
export class RedisConnection {
  readonly redis: Redis;

  constructor(url: string, connectionName: string) {
    this.redis = new Redis(url, { connectionName, maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false });
    // ioredis reconnects by itself; the event only needs a listener so that it is logged
    // (without the URL, which may hold a password) instead of printed as unhandled.
    this.redis.on('error', (err: Error & { code?: string }) => logger.warn({ connectionName, code: err.code }, 'Redis connection error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
