/**
 * Verifies the disclosure ledger's hash chain from the first entry to the head.
 *
 * Entries are read in pages of 5,000 by sequence (keyset pagination on the primary key),
 * inside one REPEATABLE READ, READ ONLY transaction, so the head and every page come from
 * the same snapshot while the gateway keeps appending, and memory stays flat however long
 * the ledger is. For every entry it checks:
 *
 *   - its sequence follows the previous one            else 'missing' (a gap) or
 *                                                           'duplicate_sequence'
 *   - previous_hash = the previous entry's entry_hash   else 'missing' when there was a gap,
 *     (64 zeros for sequence 1)                              'reordered' when the sequences
 *                                                           are contiguous (rows moved or
 *                                                           swapped)
 *   - entry_hash = sha256(previous_hash + "\n" +        else 'modified'
 *     canonical entry), recomputed from the row
 *
 * and at the end that ledger_head names the last entry's sequence and hash, else
 * 'head_mismatch' (a truncated tail, or rows added around the ledger).
 *
 * The chain is compared with the *stored* hash of the previous row, so a single modified
 * row is reported once, at its own sequence. Problem details name sequences and hashes only.
 *
 * What it cannot see: someone able to rewrite every row from the tampered one onwards and
 * the head with recomputed hashes. The published ledger events (entry_hash, in Kafka) are
 * the external witness against that.
 */
import type { Pool, PoolClient } from 'pg';
import { checkedSchema } from '@weave/runtime';
import { LEDGER_COLUMNS, rowToRecord, type LedgerRow } from './ledger-entry';
import { GENESIS_HASH, entryHash } from './ledger-hash';

export interface LedgerProblem {
  readonly sequence: string;
  readonly kind: 'modified' | 'missing' | 'reordered' | 'head_mismatch' | 'duplicate_sequence';
  readonly detail: string;
}

export interface LedgerVerification {
  readonly entries: number;
  readonly ok: boolean;
  readonly problems: readonly LedgerProblem[];
  readonly headSequence: string;
  readonly lastHash: string;
}

export interface VerifyLedgerOptions {
  /** Rows read per query (default 5,000). */
  readonly pageSize?: number;
  /** Called after each page with the number of entries checked so far. */
  readonly onProgress?: (entries: number) => void;
}

function short(hash: string): string {
  return /^[0-9a-f]{64}$/.test(hash) ? hash : 'malformed';
}

export async function verifyLedger(pool: Pool, schema: string, options: VerifyLedgerOptions = {}): Promise<LedgerVerification> {
  const s = checkedSchema(schema);
  const pageSize = options.pageSize ?? 5_000;
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const result = await verifyInSnapshot(client, s, pageSize, options.onProgress);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}

async function verifyInSnapshot(
  client: PoolClient,
  schema: string,
  pageSize: number,
  onProgress: ((entries: number) => void) | undefined,
): Promise<LedgerVerification> {
  const headRows = await client.query<{ sequence: string; hash: string }>(`SELECT sequence, hash FROM ${schema}.ledger_head WHERE id = 1`);
  const head = headRows.rows[0];
  const problems: LedgerProblem[] = [];
  let entries = 0;
  let previousSequence = 0n;
  let previousHash = GENESIS_HASH;
  const columns = LEDGER_COLUMNS.join(', ');
  const fetchPage = (after: string | null): Promise<{ rows: LedgerRow[] }> =>
    after === null
      ? client.query<LedgerRow>(`SELECT ${columns} FROM ${schema}.ledger ORDER BY sequence LIMIT $1`, [pageSize])
      : client.query<LedgerRow>(`SELECT ${columns} FROM ${schema}.ledger WHERE sequence > $1 ORDER BY sequence LIMIT $2`, [after, pageSize]);
  let next = fetchPage(null);
  for (;;) {
    const page = await next;
    const last = page.rows[page.rows.length - 1];
    const more = last !== undefined && page.rows.length === pageSize;
    // The next page is read while this one is hashed (at most two pages in memory).
    if (more) next = fetchPage(String(last.sequence));
    for (const row of page.rows) {
      const record = rowToRecord(row);
      const sequence = BigInt(record.sequence);
      const expected = previousSequence + 1n;
      let gap = false;
      if (sequence === previousSequence) {
        problems.push({ sequence: record.sequence, kind: 'duplicate_sequence', detail: `sequence ${sequence} occurs more than once` });
      } else if (sequence !== expected) {
        gap = true;
        const range = sequence - 1n === expected ? `${expected}` : `${expected}..${sequence - 1n}`;
        problems.push({
          sequence: expected.toString(),
          kind: 'missing',
          detail: `entries ${range} missing: ${sequence} follows ${previousSequence}` +
            (record.previousHash === previousHash ? '' : `; its previous_hash ${short(record.previousHash)} is not entry_hash ${previousHash} of ${previousSequence}`),
        });
      }
      if (!gap && record.previousHash !== previousHash) {
        problems.push({
          sequence: record.sequence,
          kind: 'reordered',
          detail: `chain broken at ${sequence}: previous_hash ${short(record.previousHash)} is not entry_hash ${previousHash} of ${previousSequence}`,
        });
      }
      let recomputed: string;
      try {
        recomputed = entryHash(record.previousHash, record);
      } catch {
        recomputed = 'unhashable';
      }
      if (recomputed !== record.entryHash) {
        problems.push({
          sequence: record.sequence,
          kind: 'modified',
          detail: `entry ${sequence} does not match its hash: stored ${short(record.entryHash)}, recomputed ${recomputed}`,
        });
      }
      entries += 1;
      previousSequence = sequence;
      previousHash = record.entryHash;
    }
    onProgress?.(entries);
    if (!more) break;
  }

  const headSequence = head ? String(head.sequence) : '';
  if (!head) {
    problems.push({ sequence: previousSequence.toString(), kind: 'head_mismatch', detail: 'ledger_head row is missing' });
  } else if (BigInt(head.sequence) !== previousSequence || head.hash !== previousHash) {
    const what =
      BigInt(head.sequence) > previousSequence
        ? 'entries after the last one are missing (tail truncated)'
        : BigInt(head.sequence) < previousSequence
          ? 'entries exist beyond the head'
          : 'head hash differs from the last entry';
    problems.push({
      sequence: headSequence,
      kind: 'head_mismatch',
      detail: `head is ${head.sequence} ${short(head.hash)} but the last entry is ${previousSequence} ${previousHash}: ${what}`,
    });
  }
  return { entries, ok: problems.length === 0, problems, headSequence, lastHash: previousHash };
}
