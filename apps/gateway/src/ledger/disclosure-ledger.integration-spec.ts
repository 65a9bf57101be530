import { randomUUID } from 'node:crypto';
import { uniqueName, uniqueSchema } from '@weave/testing';
import fc from 'fast-check';
import type { Pool } from 'pg';
import pino from 'pino';
import { DisclosureLedger, InvalidLedgerEntryError, LedgerUnavailableError, type LedgerReceipt } from './disclosure-ledger';
import type { LedgerEntryInput } from './ledger-entry';
import { GENESIS_HASH } from './ledger-hash';
import { dropSchema, migrateTestSchema, sampleEntry, storedEntries, testPool } from './testing/ledger-fixtures';
import { verifyLedger } from './verify-ledger';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const applicationName = uniqueName('ledger-test');
const pool = testPool(applicationName, 6);
const schemas: string[] = [];
const ledgers: DisclosureLedger[] = [];

async function freshLedger(options: { maxBatch?: number } = {}, ledgerPool: Pool = pool): Promise<{ ledger: DisclosureLedger; schema: string }> {
  const schema = uniqueSchema('ledger');
  schemas.push(schema);
  await migrateTestSchema(pool, schema);
  const ledger = new DisclosureLedger(ledgerPool, schema, logger, options);
  ledgers.push(ledger);
  return { ledger, schema };
}

afterAll(async () => {
  await Promise.all(ledgers.map((l) => l.close()));
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

/** Every receipt names the row stored for its decision key, and the chain verifies. */
async function expectConsistent(schema: string, appended: readonly { key: string; receipt: LedgerReceipt }[]): Promise<void> {
  const rows = await storedEntries(pool, schema);
  expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => String(i + 1)));
  const byKey = new Map(rows.map((r) => [r.decision_key, r]));
  expect(byKey.size).toBe(rows.length);
  for (const { key, receipt } of appended) {
    const row = byKey.get(key);
    expect(row).toBeDefined();
    expect(receipt).toMatchObject({ sequence: row?.sequence, entryId: row?.entry_id, entryHash: row?.entry_hash });
    expect(receipt.recordedAt.getTime()).toBe(row?.recorded_at.getTime());
  }
  const verification = await verifyLedger(pool, schema);
  expect(verification.problems).toEqual([]);
  expect(verification).toMatchObject({ ok: true, entries: rows.length, headSequence: String(rows.length) });
}

describe('DisclosureLedger', () => {
  it('appends sequentially: sequences 1..N, chained from 64 zeros, with a ledger event each', async () => {
    const { ledger, schema } = await freshLedger();
    const appended: { key: string; receipt: LedgerReceipt }[] = [];
    for (let i = 0; i < 20; i++) {
      const entry = sampleEntry({ claim: i === 3 ? { basis: 'imminent_danger', reason: 'threat_of_serious_harm', justification: '個案表示今晚將傷害同住家人' } : undefined });
      const receipt = await ledger.append(entry);
      expect(receipt).toMatchObject({ sequence: String(i + 1), duplicate: false });
      appended.push({ key: entry.decisionKey, receipt });
    }
    await expectConsistent(schema, appended);
    const first = await pool.query<{ previous_hash: string }>(`SELECT previous_hash FROM ${schema}.ledger WHERE sequence = 1`);
    expect(first.rows[0]?.previous_hash).toBe(GENESIS_HASH);
    const head = await pool.query<{ sequence: string; hash: string }>(`SELECT sequence, hash FROM ${schema}.ledger_head`);
    expect(head.rows).toEqual([{ sequence: '20', hash: appended[19]?.receipt.entryHash }]);
    const outbox = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.outbox WHERE topic = 'weave.gateway.disclosures.v1'`);
    expect(outbox.rows[0]?.n).toBe('20');
  });

  it('takes 500 concurrent appends without gaps, one row per decision key, receipts matching rows', async () => {
    const { ledger, schema } = await freshLedger();
    const entries = Array.from({ length: 500 }, () => sampleEntry());
    const receipts = await Promise.all(entries.map((e) => ledger.append(e)));
    expect(receipts.every((r) => !r.duplicate)).toBe(true);
    expect(new Set(receipts.map((r) => r.sequence)).size).toBe(500);
    await expectConsistent(schema, entries.map((e, i) => ({ key: e.decisionKey, receipt: receipts[i] as LedgerReceipt })));
    // Group commit: 500 entries did not take 500 transactions.
    const batches = await pool.query<{ n: string }>(`SELECT count(DISTINCT recorded_at) AS n FROM ${schema}.ledger`);
    expect(Number(batches.rows[0]?.n)).toBeLessThan(500);
  });

  it('serialises several gateway instances writing one ledger (the head row lock)', async () => {
    const { ledger, schema } = await freshLedger({ maxBatch: 7 });
    const second = new DisclosureLedger(pool, schema, logger, { maxBatch: 5 });
    ledgers.push(second);
    const shared = sampleEntry();
    const entries = Array.from({ length: 200 }, () => sampleEntry());
    const receipts = await Promise.all([...entries.map((e, i) => (i % 2 === 0 ? ledger : second).append(e)), ledger.append(shared), second.append(shared)]);
    const sharedReceipts = receipts.slice(-2);
    expect(sharedReceipts.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(sharedReceipts[0]?.entryId).toBe(sharedReceipts[1]?.entryId);
    await expectConsistent(schema, entries.map((e, i) => ({ key: e.decisionKey, receipt: receipts[i] as LedgerReceipt })));
    expect(await storedEntries(pool, schema)).toHaveLength(201);
  });

  it('records a decision key once: a repeat gets the first entry with duplicate: true, sequentially and concurrently', async () => {
    const { ledger, schema } = await freshLedger();
    const entry = sampleEntry();
    const first = await ledger.append(entry);
    const again = await ledger.append({ ...entry, outcome: 'deny' });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ ...first, duplicate: true });

    const sourceEventId = randomUUID();
    const event = sampleEntry({ kind: 'event_forwarded', decisionKey: `${sourceEventId}|nantou-protection`, sourceEventId, requesterReference: '' });
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => ledger.append(event)));
    expect(concurrent.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(concurrent.map((r) => r.entryId)).size).toBe(1);
    expect(new Set(concurrent.map((r) => r.sequence))).toEqual(new Set(['2']));

    // Also when the repeats arrive while another batch is being committed.
    const mixed = await Promise.all([ledger.append(sampleEntry()), ledger.append(event), ledger.append(entry), ledger.append(sampleEntry())]);
    expect(mixed.map((r) => r.duplicate)).toEqual([false, true, true, false]);
    await expectConsistent(schema, [
      { key: entry.decisionKey, receipt: first },
      { key: event.decisionKey, receipt: concurrent[0] as LedgerReceipt },
    ]);
    expect(await storedEntries(pool, schema)).toHaveLength(4);
    const outbox = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.outbox`);
    expect(outbox.rows[0]?.n).toBe('4');
  });

  it('holds exactly one entry per distinct decision key for any mix of appends, concurrency and repeats (property)', async () => {
    const decision = fc.record({ key: fc.integer({ min: 0, max: 12 }), wait: fc.boolean(), kind: fc.constantFrom('query', 'event_forwarded', 'event_withheld', 'break_glass') as fc.Arbitrary<LedgerEntryInput['kind']> });
    await fc.assert(
      fc.asyncProperty(fc.array(decision, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (decisions, maxBatch) => {
        const { ledger, schema } = await freshLedger({ maxBatch });
        const keys = Array.from({ length: 13 }, () => randomUUID());
        const inFlight: Promise<{ key: string; receipt: LedgerReceipt }>[] = [];
        for (const d of decisions) {
          const key = keys[d.key] ?? '';
          inFlight.push(ledger.append(sampleEntry({ decisionKey: key, kind: d.kind })).then((receipt) => ({ key, receipt })));
          // Sometimes wait for what is in flight, so appends arrive both together and apart.
          if (d.wait) await Promise.all(inFlight);
        }
        const results = await Promise.all(inFlight);
        const distinct = new Set(decisions.map((d) => d.key)).size;
        expect(await storedEntries(pool, schema)).toHaveLength(distinct);
        for (const key of new Set(results.map((r) => r.key))) {
          const forKey = results.filter((r) => r.key === key);
          expect(forKey.filter((r) => !r.receipt.duplicate)).toHaveLength(1);
          expect(new Set(forKey.map((r) => r.receipt.entryId)).size).toBe(1);
        }
        await expectConsistent(schema, results);
        await ledger.close();
        await dropSchema(pool, schema);
      }),
      { numRuns: 15 },
    );
  });

  it('refuses an entry that cannot be stored, at once and without touching the others', async () => {
    const { ledger, schema } = await freshLedger();
    const good = sampleEntry();
    const [bad, ok] = await Promise.allSettled([ledger.append(sampleEntry({ purpose: 'gossip', requesterReference: 'x\u0000' })), ledger.append(good)]);
    expect(bad.status).toBe('rejected');
    expect(bad.status === 'rejected' && bad.reason).toBeInstanceOf(InvalidLedgerEntryError);
    expect(bad.status === 'rejected' && (bad.reason as Error).message).toBe(
      'invalid ledger entry: purpose: not in the policy vocabulary; requesterReference: contains a NUL or unpaired surrogate',
    );
    expect(ok.status).toBe('fulfilled');
    expect(await storedEntries(pool, schema)).toHaveLength(1);
  });

  describe('effects', () => {
    async function withEffectTable(schema: string): Promise<void> {
      await pool.query(`CREATE TABLE ${schema}.effect_log (decision_key text PRIMARY KEY)`);
    }
    const logEffect = (key: string) => async (client: { query(sql: string, params: unknown[]): Promise<unknown> }) => {
      // Unqualified: effects run with the ledger's schema on the search path.
      await client.query('INSERT INTO effect_log (decision_key) VALUES ($1)', [key]);
    };

    it('commits an effect’s writes with the entry, and does not run it again for a repeat', async () => {
      const { ledger, schema } = await freshLedger();
      await withEffectTable(schema);
      const entry = sampleEntry();
      const receipt = await ledger.append(entry, logEffect(entry.decisionKey));
      expect(receipt.duplicate).toBe(false);
      const repeat = await ledger.append(entry, logEffect(entry.decisionKey)); // would violate the primary key if run
      expect(repeat.duplicate).toBe(true);
      const { rows } = await pool.query(`SELECT decision_key FROM ${schema}.effect_log`);
      expect(rows).toEqual([{ decision_key: entry.decisionKey }]);
    });

    it('rolls back the whole batch and rejects its callers when an effect throws; the next batch commits', async () => {
      const { ledger, schema } = await freshLedger();
      await withEffectTable(schema);
      await ledger.append(sampleEntry());
      const entries = [sampleEntry(), sampleEntry(), sampleEntry()];
      // Appended in one tick, so they form one batch.
      const results = await Promise.allSettled([
        ledger.append(entries[0] as LedgerEntryInput, logEffect('first')),
        ledger.append(entries[1] as LedgerEntryInput, async () => {
          throw new Error('holder for A123456789 refused');
        }),
        ledger.append(entries[2] as LedgerEntryInput),
      ]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const reason = result.status === 'rejected' ? (result.reason as Error) : undefined;
        expect(reason).toBeInstanceOf(LedgerUnavailableError);
        expect(reason?.message).toBe('ledger unavailable: effect_failed');
      }
      expect((await pool.query(`SELECT * FROM ${schema}.effect_log`)).rows).toEqual([]);
      expect(await storedEntries(pool, schema)).toHaveLength(1);
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`)).rows[0]).toEqual({ n: 1 });
      expect((await pool.query(`SELECT sequence FROM ${schema}.ledger_head`)).rows[0]).toEqual({ sequence: '1' });

      const retried = await ledger.append(entries[0] as LedgerEntryInput, logEffect('first'));
      expect(retried).toMatchObject({ sequence: '2', duplicate: false });
      expect((await pool.query(`SELECT decision_key FROM ${schema}.effect_log`)).rows).toEqual([{ decision_key: 'first' }]);
      await expectConsistent(schema, [{ key: entries[0]?.decisionKey ?? '', receipt: retried }]);
    });
  });

  it('survives the database going away mid-run: no receipt without its row, the chain verifies, appends recover', async () => {
    const killedApp = uniqueName('ledger-killed');
    const killedPool = testPool(killedApp, 3);
    const { ledger, schema } = await freshLedger({ maxBatch: 16 }, killedPool);
    const settled: Promise<{ key: string; result: PromiseSettledResult<LedgerReceipt> }>[] = [];
    let terminated = 0;
    const deadline = Date.now() + 3_000;
    let round = 0;
    while (Date.now() < deadline || terminated < 3) {
      for (let i = 0; i < 10; i++) {
        const entry = sampleEntry();
        // A slow effect now and then keeps transactions open for the terminations to hit.
        const effect = i === 0 ? async (c: { query(sql: string): Promise<unknown> }) => void (await c.query('SELECT pg_sleep(0.02)')) : undefined;
        settled.push(
          ledger.append(entry, effect).then(
            (receipt) => ({ key: entry.decisionKey, result: { status: 'fulfilled', value: receipt } as const }),
            (reason: unknown) => ({ key: entry.decisionKey, result: { status: 'rejected', reason } as const }),
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (++round % 5 === 0) {
        const { rowCount } = await pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [killedApp]);
        terminated += rowCount ?? 0;
      }
    }
    const outcomes = await Promise.all(settled);
    const fulfilled = outcomes.filter((o) => o.result.status === 'fulfilled');
    const rejected = outcomes.filter((o) => o.result.status === 'rejected');
    expect(terminated).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
    expect(fulfilled.length).toBeGreaterThan(0);
    for (const o of rejected) {
      const reason = o.result.status === 'rejected' ? (o.result.reason as Error) : undefined;
      expect(reason).toBeInstanceOf(LedgerUnavailableError);
      expect(reason?.message).toMatch(/^ledger unavailable: [A-Za-z0-9_]+$/);
    }
    // Every receipt's row exists exactly as the receipt says.
    await expectConsistent(
      schema,
      fulfilled.map((o) => ({ key: o.key, receipt: (o.result as PromiseFulfilledResult<LedgerReceipt>).value })),
    );
    const stored = new Set((await storedEntries(pool, schema)).map((r) => r.decision_key));
    // A rejected append normally left nothing behind (only a COMMIT whose reply was lost could).
    expect(rejected.filter((o) => stored.has(o.key)).length).toBeLessThanOrEqual(terminated);

    const after = await ledger.append(sampleEntry());
    expect(after.duplicate).toBe(false);
    expect(BigInt(after.sequence)).toBe(BigInt(stored.size) + 1n);
    expect((await verifyLedger(pool, schema)).ok).toBe(true);
    await ledger.close();
    await killedPool.end();
  });

  it('close() lets in-flight appends commit and refuses later ones', async () => {
    const { ledger, schema } = await freshLedger();
    const inFlight = Array.from({ length: 50 }, () => ledger.append(sampleEntry()));
    await ledger.close();
    expect((await Promise.allSettled(inFlight)).every((r) => r.status === 'fulfilled')).toBe(true);
    await expect(ledger.append(sampleEntry())).rejects.toThrow('ledger is closed');
    expect(await storedEntries(pool, schema)).toHaveLength(50);
  });

  it('measures group-commit throughput: 2,000 concurrent appends', async () => {
    const { ledger, schema } = await freshLedger();
    await ledger.append(sampleEntry()); // warm the connection
    const entries = Array.from({ length: 2_000 }, () => sampleEntry());
    const started = process.hrtime.bigint();
    await Promise.all(entries.map((e) => ledger.append(e)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const batches = await pool.query<{ n: string }>(`SELECT count(DISTINCT recorded_at) - 1 AS n FROM ${schema}.ledger`);
    // A figure for the record, never asserted (README: tests do not assert wall-clock times).
    process.stdout.write(
      `ledger throughput: 2000 concurrent appends in ${(seconds * 1000).toFixed(0)} ms = ${(2000 / seconds).toFixed(0)} appends/s in ~${batches.rows[0]?.n} batches\n`,
    );
    expect((await verifyLedger(pool, schema)).entries).toBe(2_001);
  });
});
