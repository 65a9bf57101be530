import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@weave/telemetry';
import { Pool } from 'pg';

const poolLogger = createLogger('pg-pool');

export function createPool(databaseUrl: string, applicationName: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, application_name: applicationName, max, connectionTimeoutMillis: 5_000 });
  // An idle connection that the server drops (restart, failover, pg_terminate_backend) is
  // reported as an 'error' event; unhandled, it would kill the process. The pool discards
  // the connection and the next query opens a new one.
  pool.on('error', (err: Error & { code?: string }) => poolLogger.warn({ applicationName, code: err.code }, 'idle PostgreSQL connection lost'));
  // The same for a connection held across awaits (inside a transaction): the query in flight
  // rejects on its own; the event needs a listener too. The holder releases it as broken.
  pool.on('connect', (client) => {
    client.on('error', (err: Error & { code?: string }) => poolLogger.warn({ applicationName, code: err.code }, 'PostgreSQL connection lost while in use'));
  });
  return pool;
}

/**
 * Applies the service's SQL migrations (NNN_name.sql, in order) inside its own schema,
 * each in a transaction, recording them in <schema>.schema_migrations. An advisory lock
 * keeps two instances starting together from applying the same file twice.
 */
/** A schema name, checked before it is ever spliced into SQL. */
export function checkedSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  return schema;
}

export async function migrate(pool: Pool, schema: string, directory: string): Promise<string[]> {
  checkedSchema(schema);
  const files = readdirSync(directory).filter((f) => /^[0-9]{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ name: string }>(`SELECT name FROM ${schema}.schema_migrations`)).rows.map((r) => r.name));
    for (const file of files.filter((f) => !done.has(f))) {
      const sql = readFileSync(join(directory, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO ${schema}`);
        await client.query(sql);
        await client.query(`INSERT INTO ${schema}.schema_migrations (name) VALUES ($1)`, [file]);
        await client.query('COMMIT');
        applied.push(file);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${schema}/${file} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [schema]).catch(() => undefined);
    client.release();
  }
  return applied;
}
