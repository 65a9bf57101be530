/**
 * The transactional outbox, shared by the services (gateway, intake): a component that must publish an event exactly
 * when its database transaction commits inserts the envelope into `outbox` in that same
 * transaction (enqueueOutbox), and the OutboxRelay publishes committed rows to Kafka and
 * deletes them.
 *
 * Delivery is at least once: a relay that crashes (or loses its connection) after the
 * broker acknowledged but before its DELETE committed publishes those rows again, with the
 * same envelope and so the same event id; consumers deduplicate on the event id. Several
 * relays (gateway instances) may run at once: each takes rows with FOR UPDATE SKIP LOCKED.
 * Order is the outbox id order within one relay; across relays, or after a failed batch
 * is republished, it is not guaranteed (the ledger event carries its sequence).
 */
import { ROOT_CONTEXT, isSpanContextValid, trace, type Context } from '@opentelemetry/api';
import { decodeEnvelope, encodeEnvelope, envelopeProblems, isValidTopicName, type EventEnvelope } from '@weave/contracts';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { errorFacts } from './error-facts';
import { checkedSchema } from './postgres';

export interface OutboxMessage {
  readonly topic: string;
  readonly key: string;
  readonly envelope: EventEnvelope;
}

function encodedRow(message: OutboxMessage): [string, string, Buffer] {
  if (!isValidTopicName(message.topic)) throw new Error('outbox: invalid topic name');
  if (message.key === '') throw new Error('outbox: message key required');
  const problems = envelopeProblems(message.envelope);
  if (problems.length > 0) throw new Error(`outbox: invalid envelope: ${problems.join('; ')}`);
  return [message.topic, message.key, encodeEnvelope(message.envelope)];
}

function outboxTable(schema: string | undefined): string {
  return schema === undefined ? 'outbox' : `${checkedSchema(schema)}.outbox`;
}

/**
 * Inserts messages into the outbox with one statement, inside the caller's transaction.
 * Throws (so the caller's transaction fails) if a topic or envelope is invalid.
 */
export async function enqueueOutboxMessages(client: PoolClient, schema: string | undefined, messages: readonly OutboxMessage[]): Promise<void> {
  const table = outboxTable(schema);
  const rows = messages.map(encodedRow);
  // 3 parameters a row; PostgreSQL allows 65,535 parameters a statement.
  for (let start = 0; start < rows.length; start += 5_000) {
    const chunk = rows.slice(start, start + 5_000);
    const values = chunk.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
    await client.query(`INSERT INTO ${table} (topic, message_key, envelope) VALUES ${values}`, chunk.flat());
  }
}

/**
 * Adds one event to the outbox in the caller's transaction; it is published after the
 * transaction commits, and never if it rolls back. `schema` qualifies the table; without
 * it, `outbox` is resolved through the connection's search_path (SET LOCAL search_path
 * TO <gateway schema> in the caller's transaction).
 */
export async function enqueueOutbox(client: PoolClient, topic: string, envelope: EventEnvelope, key: string, schema?: string): Promise<void> {
  await enqueueOutboxMessages(client, schema, [{ topic, key, envelope }]);
}

/** What the relay needs of the bus publisher (EventPublisher from @weave/bus satisfies it). */
export interface OutboxPublisher {
  publishMany(topic: string, items: readonly { envelope: EventEnvelope; key?: string; parent?: Context }[]): Promise<void>;
  publishRaw(topic: string, message: { key: string; value: Buffer; headers: Record<string, string> }): Promise<unknown>;
}

export interface OutboxRelayOptions {
  /** Rows published per transaction (default 100). */
  readonly batchSize?: number;
  /** Poll interval when the outbox is empty (default 200 ms). */
  readonly idleMs?: number;
  /** First delay after a failed batch, doubling up to maxBackoffMs (defaults 500 ms, 10 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  envelope: Buffer;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Context whose parent is the envelope's traceparent, so the publish span joins that trace. */
function parentContext(traceparent: string): Context {
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return ROOT_CONTEXT;
  const spanContext = { traceId: match[1] ?? '', spanId: match[2] ?? '', traceFlags: parseInt(match[3] ?? '0', 16), isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}

export class OutboxRelay {
  private readonly table: string;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private failures = 0;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly publisher: OutboxPublisher,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.table = `${checkedSchema(schema)}.outbox`;
    this.batchSize = options.batchSize ?? 100;
    this.idleMs = options.idleMs ?? 200;
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error('outbox relay: batchSize must be a positive integer');
  }

  /** Starts relaying in the background; a second call does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** NestJS hook: starts with the application. */
  onApplicationBootstrap(): void {
    this.start();
  }

  /** Finishes the batch in hand (publish, then delete and commit, or roll back) and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** NestJS hook: stops before the bus (producer) and the database close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * One transaction: takes up to batchSize unlocked rows in id order, publishes them and
   * deletes them. Returns how many were published; throws (after rolling back, so the rows
   * stay) if any publish or query failed.
   */
  async relayOnce(): Promise<number> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error): void => {
      broken = err;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, message_key, envelope FROM ${this.table} ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $1`,
        [this.batchSize],
      );
      await this.publishAll(rows);
      if (rows.length > 0) {
        await client.query(`DELETE FROM ${this.table} WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
      });
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * Publishes the rows, one produce request per topic (the ledger writes hundreds of events a
   * second; one request each would make the relay the bottleneck). Each event's publish span
   * joins the trace the envelope records.
   */
  private async publishAll(rows: readonly OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, { envelope: EventEnvelope; key: string; parent: Context }[]>();
    for (const row of rows) {
      let envelope: EventEnvelope;
      try {
        envelope = decodeEnvelope(row.envelope);
      } catch (err) {
        // Only a row written around enqueueOutbox gets here. It is sent as it is (its
        // consumers dead-letter it) rather than blocking every row behind it.
        this.logger.error({ outboxId: row.id, topic: row.topic, err: errorFacts(err) }, 'outbox row is not a valid envelope; sent raw');
        await this.publisher.publishRaw(row.topic, { key: row.message_key, value: row.envelope, headers: {} });
        continue;
      }
      const list = byTopic.get(row.topic) ?? [];
      list.push({ envelope, key: row.message_key, parent: parentContext(envelope.traceContext?.traceparent ?? '') });
      byTopic.set(row.topic, list);
    }
    for (const [topic, items] of byTopic) await this.publisher.publishMany(topic, items);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delayMs = this.idleMs;
      try {
        const published = await this.relayOnce();
        if (this.failures > 0) this.logger.info({ published, failedAttempts: this.failures }, 'outbox relay recovered');
        this.failures = 0;
        if (published > 0) delayMs = 0;
      } catch (err) {
        this.failures += 1;
        delayMs = this.backoffMs();
        this.logger.warn({ err: errorFacts(err), failedAttempts: this.failures, retryInMs: delayMs }, 'outbox relay: batch not published; rows kept for retry');
      }
      if (delayMs > 0 && this.running) await this.sleep(delayMs);
    }
  }

  private backoffMs(): number {
    const exponential = this.initialBackoffMs * 2 ** Math.min(20, this.failures - 1);
    return Math.round(Math.min(this.maxBackoffMs, exponential) * (0.8 + 0.4 * Math.random()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
