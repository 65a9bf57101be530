import { spawn } from 'node:child_process';
import { REPO_ROOT, testStack, uniqueName, uniqueSchema } from '@weave/testing';
import pino from 'pino';
import { DisclosureLedger } from './disclosure-ledger';
import { dropSchema, migrateTestSchema, sampleEntry, tamper, testPool } from './testing/ledger-fixtures';
import { verifyLedger, type LedgerProblem } from './verify-ledger';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const pool = testPool(uniqueName('ledger-verify-test'), 4);
const schemas: string[] = [];

afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

/** A fresh ledger with `n` entries (some with a claim). */
async function ledgerWith(n: number): Promise<string> {
  const schema = uniqueSchema('ledger_verify');
  schemas.push(schema);
  await migrateTestSchema(pool, schema);
  const ledger = new DisclosureLedger(pool, schema, logger, { maxBatch: 3 });
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      ledger.append(sampleEntry(i % 4 === 0 ? { claim: { basis: 'imminent_danger', reason: 'threat_of_serious_harm', justification: '個案表示今晚將傷害同住家人' } } : {})),
    ),
  );
  await ledger.close();
  return schema;
}

function kinds(problems: readonly LedgerProblem[]): string[] {
  return problems.map((p) => `${p.kind}@${p.sequence}`);
}

/** Columns of a row, except its sequence, for swapping two rows' contents. */
const CONTENT = [
  'entry_id', 'decision_key', 'decision_id', 'kind', 'requester_unit', 'requester_role', 'subject_pseudonym', 'purpose', 'bases',
  'policy_version', 'consents_used', 'categories_released', 'categories_withheld', 'outcome', 'trace_id', 'source_event_id',
  'break_glass', 'requester_reference', 'claim', 'recorded_at', 'previous_hash', 'entry_hash',
];

describe('verifyLedger', () => {
  it('finds an untouched ledger intact, and an empty one too', async () => {
    const schema = await ledgerWith(12);
    const result = await verifyLedger(pool, schema);
    expect(result).toMatchObject({ entries: 12, ok: true, problems: [], headSequence: '12' });
    const head = await pool.query<{ hash: string }>(`SELECT hash FROM ${schema}.ledger_head`);
    expect(result.lastHash).toBe(head.rows[0]?.hash);
    // Pages smaller than the ledger give the same answer.
    expect(await verifyLedger(pool, schema, { pageSize: 5 })).toEqual(result);

    const empty = await ledgerWith(0);
    expect(await verifyLedger(pool, empty)).toEqual({ entries: 0, ok: true, problems: [], headSequence: '0', lastHash: '0'.repeat(64) });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the ledger unless the trigger is bypassed', async () => {
    const schema = await ledgerWith(3);
    await expect(pool.query(`UPDATE ${schema}.ledger SET purpose = 'statistics' WHERE sequence = 2`)).rejects.toThrow('ledger is append-only');
    await expect(pool.query(`DELETE FROM ${schema}.ledger WHERE sequence = 3`)).rejects.toThrow('ledger is append-only');
    await expect(pool.query(`TRUNCATE ${schema}.ledger`)).rejects.toThrow('ledger is append-only');
    await expect(pool.query(`UPDATE ${schema}.ledger_head SET sequence = 2`)).rejects.toThrow('ledger head only moves forward');
    expect((await verifyLedger(pool, schema)).ok).toBe(true);
  });

  it('detects one modified column of one row, at that row', async () => {
    const schema = await ledgerWith(10);
    await tamper(pool, `UPDATE ${schema}.ledger SET categories_released = array_append(categories_released, 'mental_health') WHERE sequence = 4`);
    const result = await verifyLedger(pool, schema);
    expect(result.ok).toBe(false);
    expect(kinds(result.problems)).toEqual(['modified@4']);
    expect(result.entries).toBe(10);
  });

  it('detects a modified claim (the justification is hashed too)', async () => {
    const schema = await ledgerWith(6);
    await tamper(pool, `UPDATE ${schema}.ledger SET claim = jsonb_set(claim, '{justification}', '"edited"') WHERE sequence = (SELECT min(sequence) FROM ${schema}.ledger WHERE claim IS NOT NULL)`);
    expect(kinds((await verifyLedger(pool, schema)).problems)).toEqual([expect.stringMatching(/^modified@\d+$/)]);
  });

  it('detects a deleted middle row as missing', async () => {
    const schema = await ledgerWith(10);
    await tamper(pool, `DELETE FROM ${schema}.ledger WHERE sequence = 5`);
    const result = await verifyLedger(pool, schema);
    expect(kinds(result.problems)).toEqual(['missing@5']);
    expect(result.problems[0]?.detail).toMatch(/^entries 5 missing: 6 follows 4; its previous_hash [0-9a-f]{64} is not entry_hash [0-9a-f]{64} of 4$/);
  });

  it('detects two rows whose contents were swapped as reordered', async () => {
    const schema = await ledgerWith(10);
    // Out and back in with each other's sequence (the unique columns rule out an in-place swap).
    await tamper(
      pool,
      `CREATE TEMP TABLE swapped ON COMMIT DROP AS SELECT * FROM ${schema}.ledger WHERE sequence IN (3, 7);
       DELETE FROM ${schema}.ledger WHERE sequence IN (3, 7);
       INSERT INTO ${schema}.ledger (sequence, ${CONTENT.join(', ')})
         SELECT CASE sequence WHEN 3 THEN 7 ELSE 3 END, ${CONTENT.join(', ')} FROM swapped;`,
    );
    const result = await verifyLedger(pool, schema);
    expect(result.ok).toBe(false);
    expect(kinds(result.problems.filter((p) => p.kind === 'reordered'))).toEqual(['reordered@3', 'reordered@4', 'reordered@7', 'reordered@8']);
    // Each moved row is also hashed at a sequence it was not written at.
    expect(kinds(result.problems.filter((p) => p.kind === 'modified'))).toEqual(['modified@3', 'modified@7']);
  });

  it('detects a truncated tail through the head', async () => {
    const schema = await ledgerWith(10);
    await tamper(pool, `DELETE FROM ${schema}.ledger WHERE sequence = 10`);
    const result = await verifyLedger(pool, schema);
    expect(result).toMatchObject({ entries: 9, ok: false, headSequence: '10' });
    expect(kinds(result.problems)).toEqual(['head_mismatch@10']);
    expect(result.problems[0]?.detail).toContain('tail truncated');
  });

  it('never puts entry data in problem details', async () => {
    const schema = await ledgerWith(8);
    await tamper(pool, `UPDATE ${schema}.ledger SET subject_pseudonym = 'p1_zzzzzzzzzzzzzzzzzzzzzzzzzz' WHERE sequence = 2`);
    await tamper(pool, `DELETE FROM ${schema}.ledger WHERE sequence IN (4, 8)`);
    const result = await verifyLedger(pool, schema);
    expect(kinds(result.problems)).toEqual(['modified@2', 'missing@4', 'head_mismatch@8']);
    for (const p of result.problems) {
      expect(p.detail).toMatch(/^[a-z0-9 _.,:;()-]+$/);
      expect(p.detail).not.toContain('p1_');
    }
  });

  describe('CLI', () => {
    function runCli(schema: string): Promise<{ code: number | null; stdout: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/gateway/src/cli/verify-ledger.cli.ts'], {
          cwd: REPO_ROOT,
          env: { ...process.env, DATABASE_URL: testStack().databaseUrl, DATABASE_SCHEMA: schema },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stdout }));
      });
    }

    it('exits 0 when intact, 1 when tampered (listing every problem), 2 when it cannot verify', async () => {
      const schema = await ledgerWith(5);
      const intact = await runCli(schema);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toMatch(/: 5 entries checked in \d+ ms/);
      expect(intact.stdout).toContain('OK');

      await tamper(pool, `DELETE FROM ${schema}.ledger WHERE sequence = 2`);
      await tamper(pool, `UPDATE ${schema}.ledger SET outcome = 'permit' WHERE sequence = 4`);
      const tampered = await runCli(schema);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain('TAMPERED: 2 problem(s)');
      expect(tampered.stdout).toMatch(/missing +at +2/);
      expect(tampered.stdout).toMatch(/modified +at +4/);

      expect((await runCli('no_such_schema_here')).code).toBe(2);
    }, 60_000);
  });
});
