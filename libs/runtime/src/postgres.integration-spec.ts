import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testStack, uniqueSchema } from '@weave/testing';
import { createPool, migrate } from './postgres';

const pool = createPool(testStack().databaseUrl, 'runtime-test', 4);
const schemas: string[] = [];

afterAll(async () => {
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'weave-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migrate', () => {
  it('applies migrations in order inside the schema, once', async () => {
    const schema = uniqueSchema('mig');
    schemas.push(schema);
    const dir = migrationsDir({
      '002_add_column.sql': 'ALTER TABLE things ADD COLUMN label text;',
      '001_create.sql': 'CREATE TABLE things (id int PRIMARY KEY);',
      'README.md': 'not a migration',
    });
    expect(await migrate(pool, schema, dir)).toEqual(['001_create.sql', '002_add_column.sql']);
    expect(await migrate(pool, schema, dir)).toEqual([]);
    await pool.query(`INSERT INTO ${schema}.things (id, label) VALUES (1, 'x')`);
    const { rows } = await pool.query(`SELECT name FROM ${schema}.schema_migrations ORDER BY name`);
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['001_create.sql', '002_add_column.sql']);
  });

  it('rolls back a failing migration and names it', async () => {
    const schema = uniqueSchema('migfail');
    schemas.push(schema);
    const dir = migrationsDir({
      '001_ok.sql': 'CREATE TABLE a (id int);',
      '002_broken.sql': 'CREATE TABLE b (id int); SELECT * FROM no_such_table;',
    });
    await expect(migrate(pool, schema, dir)).rejects.toThrow(`migration ${schema}/002_broken.sql failed`);
    const { rows } = await pool.query(`SELECT to_regclass('${schema}.a') IS NOT NULL AS a, to_regclass('${schema}.b') IS NOT NULL AS b`);
    expect(rows[0]).toEqual({ a: true, b: false });
  });

  it('lets concurrent starters apply each migration exactly once', async () => {
    const schema = uniqueSchema('migrace');
    schemas.push(schema);
    const dir = migrationsDir({ '001_create.sql': 'CREATE TABLE t (id int);' });
    const results = await Promise.all([migrate(pool, schema, dir), migrate(pool, schema, dir), migrate(pool, schema, dir)]);
    expect(results.flat()).toEqual(['001_create.sql']);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(migrate(pool, 'x; DROP TABLE y', '/nonexistent')).rejects.toThrow('invalid schema name');
  });
});
