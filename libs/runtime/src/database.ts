import type { Pool } from 'pg';
import { createPool, migrate } from './postgres';

/**
 * A service's PostgreSQL pool, confined to the service's own schema. Closed last at
 * shutdown (NestJS onApplicationShutdown), after RPCs and consumers have finished.
 */
export class Database {
  readonly pool: Pool;
  private readonly beforeEnd: (() => Promise<void>)[] = [];

  constructor(
    databaseUrl: string,
    readonly schema: string,
    applicationName: string,
    poolSize = 10,
  ) {
    this.pool = createPool(databaseUrl, applicationName, poolSize);
  }

  migrate(directory: string): Promise<string[]> {
    return migrate(this.pool, this.schema, directory);
  }

  /** Work that must finish before the pool closes (e.g. a ledger flushing its last batch). */
  onClose(hook: () => Promise<void>): void {
    this.beforeEnd.push(hook);
  }

  async onApplicationShutdown(): Promise<void> {
    // NestJS runs one phase's hooks concurrently, so users of the pool close here, first.
    for (const hook of this.beforeEnd) await hook().catch(() => undefined);
    await this.pool.end();
  }
}
