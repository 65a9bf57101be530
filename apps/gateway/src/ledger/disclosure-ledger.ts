/**
 * The disclosure ledger: an append-only, hash-chained record of every disclosure decision
 * the gateway makes, in PostgreSQL, written with group commit.
 *
 * append() queues an entry; one flush at a time takes up to maxBatch queued entries and
 * commits them in one transaction:
 *
 *   BEGIN
 *   SELECT sequence, hash FROM ledger_head WHERE id = 1 FOR UPDATE   -- one writer at a time,
 *                                                                    -- across gateway instances
 *   SELECT … FROM ledger WHERE decision_key = ANY($1)                -- already recorded?
 *   INSERT INTO ledger VALUES (…), (…), …                            -- the new entries, chained
 *   each new entry's effect(client), in order
 *   INSERT INTO outbox VALUES (…), …                                 -- one ledger event per new entry
 *   UPDATE ledger_head SET sequence = …, hash = … WHERE id = 1
 *   COMMIT
 *
 * and only then resolves each caller. Appends made while a flush runs wait for the next
 * one, so batches grow with load by themselves; an idle ledger commits one entry at once.
 *
 * Duplicates: an entry whose decision key is already in the ledger (a redelivered event, a
 * retried query) is not stored again and its effect does not run; its receipt is the
 * existing entry's, with duplicate: true. So a caller that got a rejection may simply
 * append again: if the first attempt did commit (e.g. the connection broke while COMMIT was
 * in flight, the one case where a rejected append may have been recorded), the retry
 * returns that entry.
 *
 * Effects: append(entry, effect) runs `effect(client)` inside the same transaction, after
 * the entry is inserted, with the ledger's schema on the search_path (so unqualified table
 * names and enqueueOutbox without a schema resolve to it). It runs only if the entry is new
 * (never for a duplicate), and its writes commit or roll back with the entry.
 *
 * Failure: if the transaction fails for any reason, every caller of that batch is rejected
 * with LedgerUnavailableError ("ledger unavailable: <code>", no personal data) and nothing
 * of the batch is stored; the next batch tries again. An effect that throws fails its
 * whole batch in the same way ("ledger unavailable: effect_failed"; the effect's own error
 * is logged as class and code only, and not passed on). Callers are expected to retry a
 * rejected append; so an effect must be idempotent — safe to run again after a rollback,
 * and after an ambiguous COMMIT the retry finds the entry and does not run it at all — and
 * it should be quick, since the ledger head stays locked while it runs.
 *
 * An entry that could never be stored (unknown vocabulary, a NUL character, a malformed
 * UUID or pseudonym…) is refused at append with InvalidLedgerEntryError and never joins a
 * batch, so one bad caller cannot fail the others.
 */
import { randomUUID } from 'node:crypto';
import { Topics } from '@weave/contracts';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { checkedSchema, enqueueOutboxMessages, errorFacts } from '@weave/runtime';
import { ledgerEventEnvelope, ledgerEventKey } from './ledger-event';
import {
  LEDGER_COLUMNS,
  ledgerEntryProblems,
  recordParameters,
  rowToRecord,
  type LedgerEntryInput,
  type LedgerEntryKind,
  type LedgerRecord,
  type LedgerRow,
} from './ledger-entry';
import { chain, type HashedFields } from './ledger-hash';

export type { LedgerEntryInput, LedgerEntryKind };

export interface LedgerReceipt {
  readonly sequence: string;
  readonly entryId: string;
  readonly entryHash: string;
  readonly duplicate: boolean;
  readonly recordedAt: Date;
}

/** Runs inside the ledger's transaction, with its client, after the entry is inserted. */
export type LedgerEffect = (client: PoolClient) => Promise<void>;

export interface DisclosureLedgerOptions {
  /** Most entries committed in one transaction (default 256). */
  readonly maxBatch?: number;
  /** Topic of the ledger events (default weave.gateway.disclosures.v1). */
  readonly eventTopic?: string;
}

/** The ledger could not commit; the message names a code, never an entry's data. */
export class LedgerUnavailableError extends Error {
  constructor(readonly code: string) {
    super(`ledger unavailable: ${code}`);
    this.name = 'LedgerUnavailableError';
  }
}

/** An entry refused at append because a field is missing or not storable. */
export class InvalidLedgerEntryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid ledger entry: ${problems.join('; ')}`);
    this.name = 'InvalidLedgerEntryError';
  }
}

class EffectFailed extends Error {
  constructor(readonly original: unknown) {
    super('ledger effect failed');
  }
}

interface Pending {
  readonly entry: LedgerEntryInput;
  readonly effect: LedgerEffect | undefined;
  readonly resolve: (receipt: LedgerReceipt) => void;
  readonly reject: (err: Error) => void;
}

const SELECT_COLUMNS = LEDGER_COLUMNS.join(', ');
// PostgreSQL allows 65,535 parameters in one statement; a ledger row takes 23.
const INSERT_CHUNK = 2_000;

function receiptOf(record: LedgerRecord, duplicate: boolean): LedgerReceipt {
  return { sequence: record.sequence, entryId: record.entryId, entryHash: record.entryHash, duplicate, recordedAt: record.recordedAt };
}

/** A frozen copy of the caller's entry, so later mutation by the caller changes nothing. */
function snapshot(entry: LedgerEntryInput): LedgerEntryInput {
  return {
    decisionKey: entry.decisionKey,
    decisionId: entry.decisionId.toLowerCase(),
    kind: entry.kind,
    requesterUnit: entry.requesterUnit,
    requesterRole: entry.requesterRole,
    subjectPseudonym: entry.subjectPseudonym,
    purpose: entry.purpose,
    bases: [...entry.bases],
    policyVersion: entry.policyVersion,
    consentsUsed: entry.consentsUsed.map((c) => ({ consentId: c.consentId, version: c.version })),
    categoriesReleased: [...entry.categoriesReleased],
    categoriesWithheld: [...entry.categoriesWithheld],
    outcome: entry.outcome,
    traceId: entry.traceId,
    sourceEventId: entry.sourceEventId,
    breakGlass: entry.breakGlass,
    requesterReference: entry.requesterReference,
    ...(entry.claim ? { claim: { basis: entry.claim.basis, reason: entry.claim.reason, justification: entry.claim.justification } } : {}),
  };
}

export class DisclosureLedger {
  private readonly ledgerTable: string;
  private readonly headTable: string;
  private readonly maxBatch: number;
  private readonly eventTopic: string;
  private readonly schema: string;
  private pending: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly logger: Logger,
    options: DisclosureLedgerOptions = {},
  ) {
    this.schema = checkedSchema(schema);
    this.ledgerTable = `${this.schema}.ledger`;
    this.headTable = `${this.schema}.ledger_head`;
    this.maxBatch = options.maxBatch ?? 256;
    this.eventTopic = options.eventTopic ?? Topics.GatewayDisclosures;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new Error('ledger: maxBatch must be a positive integer');
  }

  /**
   * Records a decision. Resolves only after the entry (and its effect, if any) is
   * committed; rejects if it could not be (InvalidLedgerEntryError at once for an entry
   * that cannot be stored, LedgerUnavailableError when its batch failed).
   */
  append(entry: LedgerEntryInput, effect?: LedgerEffect): Promise<LedgerReceipt> {
    if (this.closed) return Promise.reject(new Error('ledger is closed'));
    const problems = ledgerEntryProblems(entry);
    if (problems.length > 0) return Promise.reject(new InvalidLedgerEntryError(problems));
    return new Promise<LedgerReceipt>((resolve, reject) => {
      this.pending.push({ entry: snapshot(entry), effect, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Waits for queued and in-flight batches to finish; appends after this reject. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }

  /** NestJS hook: before the database pool closes. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private async drain(): Promise<void> {
    // Appends made in the same tick as the first one join its batch.
    await Promise.resolve();
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        await this.flush(batch);
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** Commits one batch and settles every caller in it; never throws. */
  private async flush(batch: readonly Pending[]): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.fail(batch, err);
      return;
    }
    let broken: Error | undefined;
    const onError = (err: Error): void => {
      broken = err;
    };
    client.on('error', onError);
    try {
      const receipts = await this.commit(client, batch);
      batch.forEach((p, i) => {
        const receipt = receipts[i];
        if (receipt) p.resolve(receipt);
        else p.reject(new LedgerUnavailableError('internal'));
      });
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
      });
      this.fail(batch, err);
    } finally {
      client.off('error', onError);
      // A connection that failed is destroyed rather than returned to the pool.
      client.release(broken);
    }
  }

  private async commit(client: PoolClient, batch: readonly Pending[]): Promise<LedgerReceipt[]> {
    // Effects run with the gateway schema on the search path, so they (and enqueueOutbox
    // without a schema) may use unqualified table names.
    await client.query(`BEGIN; SET LOCAL search_path TO ${this.schema}`);
    const head = await client.query<{ sequence: string; hash: string }>(
      `SELECT sequence, hash FROM ${this.headTable} WHERE id = 1 FOR UPDATE`,
    );
    const current = head.rows[0];
    if (!current) throw Object.assign(new Error('ledger head missing'), { code: 'head_missing' });

    const keys = [...new Set(batch.map((p) => p.entry.decisionKey))];
    const existing = await client.query<LedgerRow>(
      `SELECT ${SELECT_COLUMNS} FROM ${this.ledgerTable} WHERE decision_key = ANY($1::text[])`,
      [keys],
    );
    const recorded = new Map<string, LedgerRecord>(existing.rows.map((r) => [r.decision_key, rowToRecord(r)]));

    // Sequences and times are assigned here, under the head lock, so the chain is gapless.
    const recordedAt = new Date();
    let sequence = BigInt(current.sequence);
    const fresh: { pending: Pending; fields: HashedFields }[] = [];
    const firstInBatch = new Map<string, number>();
    const outcome: ({ kind: 'existing'; record: LedgerRecord } | { kind: 'new'; index: number } | { kind: 'repeat'; index: number })[] = [];
    for (const p of batch) {
      const known = recorded.get(p.entry.decisionKey);
      if (known) {
        outcome.push({ kind: 'existing', record: known });
        continue;
      }
      const earlier = firstInBatch.get(p.entry.decisionKey);
      if (earlier !== undefined) {
        outcome.push({ kind: 'repeat', index: earlier });
        continue;
      }
      sequence += 1n;
      const { claim, ...rest } = p.entry;
      fresh.push({ pending: p, fields: { ...rest, claim: claim ?? null, sequence: sequence.toString(), entryId: randomUUID(), recordedAt } });
      firstInBatch.set(p.entry.decisionKey, fresh.length - 1);
      outcome.push({ kind: 'new', index: fresh.length - 1 });
    }
    const records = chain(current.hash, fresh.map((f) => f.fields));

    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const chunk = records.slice(start, start + INSERT_CHUNK);
      const width = LEDGER_COLUMNS.length;
      const values = chunk.map((_, i) => `(${LEDGER_COLUMNS.map((_c, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ');
      await client.query(`INSERT INTO ${this.ledgerTable} (${SELECT_COLUMNS}) VALUES ${values}`, chunk.flatMap(recordParameters));
    }
    for (const { pending } of fresh) {
      if (!pending.effect) continue;
      try {
        await pending.effect(client);
      } catch (err) {
        throw new EffectFailed(err);
      }
    }
    await enqueueOutboxMessages(
      client,
      this.schema,
      records.map((r) => ({ topic: this.eventTopic, key: ledgerEventKey(r), envelope: ledgerEventEnvelope(r) })),
    );
    const last = records[records.length - 1];
    if (last) {
      await client.query(`UPDATE ${this.headTable} SET sequence = $1, hash = $2 WHERE id = 1`, [last.sequence, last.entryHash]);
    }
    await client.query('COMMIT');

    return outcome.map((o) => {
      if (o.kind === 'existing') return receiptOf(o.record, true);
      const record = records[o.index];
      if (!record) throw new Error('ledger: record missing');
      return receiptOf(record, o.kind === 'repeat');
    });
  }

  private fail(batch: readonly Pending[], err: unknown): void {
    if (err instanceof EffectFailed) {
      // The effect's own error is not passed on: a PostgreSQL message can quote a value.
      this.logger.warn({ entries: batch.length, err: errorFacts(err.original) }, 'ledger batch rolled back: an effect failed');
      for (const p of batch) p.reject(new LedgerUnavailableError('effect_failed'));
      return;
    }
    const facts = errorFacts(err);
    this.logger.error({ entries: batch.length, err: facts }, 'ledger batch failed');
    for (const p of batch) p.reject(new LedgerUnavailableError(facts.code ?? facts.name));
  }
}
