import { SpanKind, SpanStatusCode, context, trace, type Context, type Span } from '@opentelemetry/api';
import { EnvelopeError, decodeEnvelope, decodeEvent, deadLetterTopic, type DecodedEvent, type EventEnvelope } from '@weave/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { maskPersonalData } from '@weave/telemetry';
import { tracer, type EventPublisher } from './event-publisher';
import { deadLetterHeaders, headerStrings } from './message-headers';
import { DEFAULT_RETRY_POLICY, PermanentHandlerError, backoffDelayMs, type RetryPolicy } from './retry-policy';
import { extractTraceContext } from './trace-propagation';

export interface MessageContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** 1 on first delivery to the handler, then 2, 3… on retries within this delivery. */
  readonly attempt: number;
}

export type EventHandler = (event: DecodedEvent, message: MessageContext) => Promise<void>;

/** One decoded message of a batch, with the context of its own CONSUMER span. */
export interface BatchItem {
  readonly event: DecodedEvent;
  readonly message: MessageContext;
  /** Run the item's own work (e.g. its publishes) inside this context, to keep its trace. */
  readonly context: Context;
}

/**
 * Handles a chunk of one partition's messages at once (one database round trip, one produce
 * request per topic). It succeeds or fails as a whole; after the retries the chunk is handed
 * to the per-message handler one by one, so one poison message cannot hold the rest back.
 */
export type BatchHandler = (items: readonly BatchItem[]) => Promise<void>;

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: EventHandler;
  /** Optional: take messages a chunk at a time; `handler` remains the fallback for a failing chunk. */
  readonly batchHandler?: BatchHandler;
  /** Most messages in one chunk for batchHandler (default 100). */
  readonly maxBatchSize?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Defaults to weave.dlq.<groupId>.v1. */
  readonly deadLetterTopic?: string;
  readonly partitionsConsumedConcurrently?: number;
  /** A new group starts at the earliest offset so that nothing published before it joined is missed. */
  readonly fromBeginning?: boolean;
  /** How long the group waits for a silent member before giving its partitions away. */
  readonly sessionTimeoutMs?: number;
}

type Outcome = { kind: 'handled' } | { kind: 'dead-lettered'; failure: string } | { kind: 'abandoned' };

interface Prepared {
  readonly message: KafkaMessage;
  readonly span: Span;
  readonly context: Context;
  readonly where: { topic: string; partition: number; offset: string; groupId: string };
  readonly messageContext: MessageContext;
  readonly event: DecodedEvent | undefined;
  readonly error: EnvelopeError;
}

const HOUSEKEEPING_INTERVAL_MS = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One consumer group's subscription. Offsets are committed only for messages that were
 * handled or dead-lettered; a crash anywhere before that redelivers the message to the
 * group, so handlers must be idempotent (deduplicate on the envelope's event id).
 */
export class Subscription {
  readonly deadLetterTopic: string;
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private readonly joined: Promise<void>;
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly options: SubscribeOptions,
  ) {
    this.deadLetterTopic = options.deadLetterTopic ?? deadLetterTopic(options.groupId);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      retry: { retries: 8 },
    });
    this.joined = new Promise<void>((resolve) => {
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve());
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.logger.error({ groupId: event.payload.groupId, restart: event.payload.restart, err: event.payload.error }, 'consumer crashed');
    });
  }

  /** Resolves once the group has joined and partitions are assigned. */
  get ready(): Promise<void> {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      // Resolved offsets are committed every second and after each batch; a crash in
      // between only means redelivery, never loss.
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Finishes the message in hand, commits what was handled and leaves the group. */
  stop(): Promise<void> {
    this.stopping = true;
    this.stopped ??= this.consumer.disconnect();
    return this.stopped;
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    if (this.options.batchHandler) return this.eachBatchInChunks(payload, this.options.batchHandler);
    const { batch } = payload;
    let lastHousekeeping = Date.now();
    for (const message of batch.messages) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) break;
      const outcome = await this.process(batch.topic, batch.partition, message, payload);
      if (outcome.kind === 'abandoned') break;
      payload.resolveOffset(message.offset);
      // Heartbeat and the interval commit are cheap but awaited; doing them per message
      // halves throughput, so they run every half second within a long batch (and kafkajs
      // commits resolved offsets when the batch ends).
      if (Date.now() - lastHousekeeping >= HOUSEKEEPING_INTERVAL_MS) {
        await payload.commitOffsetsIfNecessary();
        await payload.heartbeat();
        lastHousekeeping = Date.now();
      }
    }
  }

  private async process(topic: string, partition: number, message: KafkaMessage, payload: EachBatchPayload): Promise<Outcome> {
    const prepared = this.prepare(topic, partition, message);
    try {
      return await context.with(prepared.context, () =>
        prepared.event ? this.deliver(prepared, prepared.event, payload) : this.deadLetter(prepared.span, message, prepared.where, prepared.error, 0),
      );
    } finally {
      prepared.span.end();
    }
  }

  /** Decodes a message and opens its CONSUMER span (a child of the producer's). */
  private prepare(topic: string, partition: number, message: KafkaMessage): Prepared {
    const headers = headerStrings(message.headers);
    let envelope: EventEnvelope | undefined;
    let error: EnvelopeError | undefined;
    try {
      envelope = decodeEnvelope(message.value);
    } catch (err) {
      error = toEnvelopeError(err);
    }
    const parent: Context = extractTraceContext(headers, envelope?.traceContext);
    const span = tracer.startSpan(
      `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': this.options.groupId,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          ...(envelope ? { 'messaging.message.id': envelope.eventId, 'weave.event_type': envelope.eventType } : {}),
        },
      },
      parent,
    );
    let event: DecodedEvent | undefined;
    if (envelope) {
      try {
        event = decodeEvent(envelope);
      } catch (err) {
        error = toEnvelopeError(err);
      }
    }
    return {
      message,
      span,
      context: trace.setSpan(parent, span),
      where: { topic, partition, offset: message.offset, groupId: this.options.groupId },
      messageContext: { topic, partition, offset: message.offset, key: message.key?.toString(), headers, attempt: 1 },
      event,
      error: error ?? new EnvelopeError('not-an-envelope', []),
    };
  }

  /** The per-message handler with bounded retries, then the dead-letter topic. */
  private async deliver(prepared: Prepared, event: DecodedEvent, payload: EachBatchPayload): Promise<Outcome> {
    const { span, message, where } = prepared;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handler(event, { ...prepared.messageContext, attempt });
        span.setAttribute('weave.handler.attempts', attempt);
        return { kind: 'handled' } as const;
      } catch (err) {
        const permanent = err instanceof PermanentHandlerError;
        this.logger.warn({ ...where, eventId: event.envelope.eventId, attempt, permanent, err }, 'handler failed');
        if (permanent || attempt >= this.retry.maxAttempts) {
          return this.deadLetter(span, message, where, err, attempt);
        }
        if (this.stopping || !payload.isRunning()) {
          // Not committed: the group redelivers it after the restart.
          span.setAttribute('weave.handler.abandoned', true);
          return { kind: 'abandoned' } as const;
        }
        await payload.heartbeat();
        await sleep(backoffDelayMs(this.retry, attempt));
      }
    }
  }

  /**
   * Batch mode: messages that do not decode are dead-lettered one by one; the rest go to the
   * batch handler a chunk at a time, with the same retries; a chunk that still fails is
   * delivered message by message. Offsets are resolved only up to what was handled.
   */
  private async eachBatchInChunks(payload: EachBatchPayload, batchHandler: BatchHandler): Promise<void> {
    const { batch } = payload;
    const size = this.options.maxBatchSize ?? 100;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + size).map((m) => this.prepare(batch.topic, batch.partition, m));
      try {
        const abandoned = await this.handleChunk(chunk, batchHandler, payload);
        if (abandoned) return;
      } finally {
        for (const p of chunk) p.span.end();
      }
      const last = chunk[chunk.length - 1];
      if (last) payload.resolveOffset(last.message.offset);
      await payload.commitOffsetsIfNecessary();
      await payload.heartbeat();
    }
  }

  private async handleChunk(chunk: readonly Prepared[], batchHandler: BatchHandler, payload: EachBatchPayload): Promise<boolean> {
    for (const p of chunk) {
      if (!p.event) await context.with(p.context, () => this.deadLetter(p.span, p.message, p.where, p.error, 0));
    }
    const good = chunk.filter((p): p is Prepared & { event: DecodedEvent } => p.event !== undefined);
    if (good.length === 0) return false;
    const items: BatchItem[] = good.map((p) => ({ event: p.event, message: p.messageContext, context: p.context }));
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      try {
        await batchHandler(items);
        for (const p of good) p.span.setAttribute('weave.handler.attempts', attempt);
        return false;
      } catch (err) {
        this.logger.warn({ topic: good[0]?.where.topic, partition: good[0]?.where.partition, size: good.length, attempt, err }, 'batch handler failed');
        if (err instanceof PermanentHandlerError) break;
        if (this.stopping || !payload.isRunning()) return true;
        if (attempt < this.retry.maxAttempts) {
          await payload.heartbeat();
          await sleep(backoffDelayMs(this.retry, attempt));
        }
      }
    }
    // The chunk keeps failing: find the message at fault by handling them one by one.
    for (const p of good) {
      const outcome = await context.with(p.context, () => this.deliver(p, p.event, payload));
      if (outcome.kind === 'abandoned') return true;
    }
    return false;
  }

  private async deadLetter(
    span: Span,
    message: KafkaMessage,
    where: { topic: string; partition: number; offset: string; groupId: string },
    err: unknown,
    attempts: number,
  ): Promise<Outcome> {
    const failure = err instanceof EnvelopeError ? err.failure : err instanceof PermanentHandlerError ? 'handler-rejected' : 'handler-failed';
    const reason = describe(err, attempts);
    // Awaited with acks from all replicas: if this throws, the offset is not committed and
    // the message comes back, so a dead letter is never lost on its way to the DLQ.
    await this.publisher.publishRaw(this.deadLetterTopic, {
      key: message.key,
      value: message.value,
      headers: deadLetterHeaders(message.headers, {
        failure,
        reason,
        topic: where.topic,
        partition: where.partition,
        offset: where.offset,
        consumerGroup: where.groupId,
        attempts,
        failedAt: new Date(),
      }),
    });
    span.setAttribute('weave.dead_lettered', true);
    span.setAttribute('weave.dead_letter.failure', failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    this.logger.warn({ ...where, failure, deadLetterTopic: this.deadLetterTopic }, 'message dead-lettered');
    return { kind: 'dead-lettered', failure };
  }
}

function toEnvelopeError(err: unknown): EnvelopeError {
  return err instanceof EnvelopeError ? err : new EnvelopeError('not-an-envelope', ['unexpected decode failure']);
}

// The reason is read by operators on the dead-letter topic: a handler's error text is
// masked, since it may quote the record it failed on.
function describe(err: unknown, attempts: number): string {
  if (err instanceof EnvelopeError) return maskPersonalData(err.message);
  const message = err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown';
  return maskPersonalData(`handler failed after ${attempts} attempt(s): ${message}`);
}
