/**
 * Verifies the disclosure ledger's hash chain.
 *
 *   DATABASE_URL=postgres://… DATABASE_SCHEMA=gateway \
 *     node -r ./tools/register.js apps/gateway/src/cli/verify-ledger.cli.ts
 *
 * Prints how many entries were checked, how long it took, and OK or every problem found.
 * Exit status: 0 intact, 1 tampered, 2 could not verify (connection, missing tables, …).
 */
import { createPool } from '@weave/runtime';
import { verifyLedger } from '../ledger/verify-ledger';

async function main(): Promise<number> {
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/weave';
  const schema = process.env['DATABASE_SCHEMA'] ?? 'gateway';
  const pool = createPool(databaseUrl, 'gateway-verify-ledger', 1);
  const started = process.hrtime.bigint();
  try {
    const result = await verifyLedger(pool, schema, {
      onProgress: (entries) => {
        if (process.stderr.isTTY && entries > 0 && entries % 100_000 === 0) process.stderr.write(`  … ${entries} entries\r`);
      },
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`ledger ${schema}: ${result.entries} entries checked in ${ms.toFixed(0)} ms (head ${result.headSequence}, last hash ${result.lastHash})`);
    if (result.ok) {
      console.log('OK: the hash chain is intact');
      return 0;
    }
    console.log(`TAMPERED: ${result.problems.length} problem(s)`);
    for (const p of result.problems) console.log(`  ${p.kind.padEnd(18)} at ${p.sequence.padStart(8)}  ${p.detail}`);
    return 1;
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? ` (${String((err as { code: unknown }).code)})` : '';
    console.error(`could not verify ledger ${schema}: ${err instanceof Error ? err.name : 'error'}${code}`);
    return 2;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
