import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction and resolves only once COMMIT has been acknowledged by
 * PostgreSQL, so whatever `work` wrote is visible to every statement started afterwards, on
 * any connection and any gateway instance. Any failure rolls back and rethrows.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      // The connection is unusable (e.g. the server went away): do not return it to the pool.
      broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
