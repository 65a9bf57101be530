import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { encodeEnvelope, type EventEnvelope } from '@weave/contracts';
import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { ENVELOPE_CONTENT_TYPE, Headers } from './message-headers';
import { injectTraceContext } from './trace-propagation';

export interface PublishOptions {
  /** Partition key; defaults to the first subject's pseudonym, so one person's events stay in order. */
  readonly key?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RawMessage {
  readonly key: string | Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface PublishResult {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export const tracer = trace.getTracer('@weave/bus');

/**
 * The only producer services use. Idempotent with acks from all in-sync replicas: a
 * publish that resolves is durable, and a retried send is not written twice.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly logger: Logger,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }

  /** Publishes an envelope inside a PRODUCER span whose context travels in headers and envelope. */
  async publish(topic: string, envelope: EventEnvelope, options: PublishOptions = {}): Promise<PublishResult> {
    const attributes: Attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'publish',
      'messaging.operation.name': 'send',
      'messaging.destination.name': topic,
      'messaging.message.id': envelope.eventId,
      'weave.event_type': envelope.eventType,
      'weave.source_agency_system': envelope.source?.system ?? '',
    };
    const span = tracer.startSpan(`${topic} publish`, { kind: SpanKind.PRODUCER, attributes });
    const spanContext = trace.setSpan(context.active(), span);
    try {
      const traceHeaders = injectTraceContext(spanContext);
      const stamped: EventEnvelope = {
        ...envelope,
        traceContext: { traceparent: traceHeaders['traceparent'] ?? '', tracestate: traceHeaders['tracestate'] ?? '' },
      };
      const key = options.key ?? envelope.subjects[0]?.pseudonym ?? envelope.eventId;
      const result = await context.with(spanContext, () =>
        this.send(topic, {
          key,
          value: encodeEnvelope(stamped),
          headers: {
            ...options.headers,
            ...traceHeaders,
            [Headers.EventId]: envelope.eventId,
            [Headers.EventType]: envelope.eventType,
            [Headers.ContentType]: ENVELOPE_CONTENT_TYPE,
          },
        }),
      );
      span.setAttribute('messaging.destination.partition.id', String(result.partition));
      span.setAttribute('messaging.kafka.offset', Number(result.offset));
      return result;
    } catch (err) {
      span.recordException(err instanceof Error ? err : new Error('publish failed'));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'publish failed' });
      throw err;
    } finally {
      span.end();
    }
  }

  /**
   * Publishes several envelopes to one topic in a single produce request (acks from all
   * replicas for all of them, or an error for all). Each message still gets its own PRODUCER
   * span, under its own parent context when one is given (e.g. the trace it belongs to).
   */
  async publishMany(topic: string, items: readonly { envelope: EventEnvelope; key?: string; parent?: Context }[]): Promise<void> {
    if (items.length === 0) return;
    if (!this.connected) throw new Error('publisher is not connected');
    const spans = items.map((item) =>
      tracer.startSpan(
        `${topic} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'publish',
            'messaging.operation.name': 'send',
            'messaging.destination.name': topic,
            'messaging.message.id': item.envelope.eventId,
            'messaging.batch.message_count': items.length,
            'weave.event_type': item.envelope.eventType,
          },
        },
        item.parent ?? context.active(),
      ),
    );
    try {
      const messages = items.map((item, i) => {
        const traceHeaders = injectTraceContext(trace.setSpan(item.parent ?? context.active(), spans[i] as Span));
        const stamped: EventEnvelope = {
          ...item.envelope,
          traceContext: { traceparent: traceHeaders['traceparent'] ?? '', tracestate: traceHeaders['tracestate'] ?? '' },
        };
        return {
          key: item.key ?? item.envelope.subjects[0]?.pseudonym ?? item.envelope.eventId,
          value: encodeEnvelope(stamped),
          headers: {
            ...traceHeaders,
            [Headers.EventId]: item.envelope.eventId,
            [Headers.EventType]: item.envelope.eventType,
            [Headers.ContentType]: ENVELOPE_CONTENT_TYPE,
          },
        };
      });
      await this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
    } catch (err) {
      for (const span of spans) {
        span.recordException(err instanceof Error ? err : new Error('publish failed'));
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'publish failed' });
      }
      throw err;
    } finally {
      for (const span of spans) span.end();
    }
  }

  /** Sends bytes as they are: dead letters, and tests that need a malformed message. */
  async publishRaw(topic: string, message: RawMessage): Promise<PublishResult> {
    return this.send(topic, message);
  }

  private async send(topic: string, message: RawMessage): Promise<PublishResult> {
    if (!this.connected) throw new Error('publisher is not connected');
    const [record] = await this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: [{ key: message.key, value: message.value, headers: { ...message.headers } }],
    });
    if (!record) throw new Error(`no acknowledgement from ${topic}`);
    this.logger.debug({ topic, partition: record.partition }, 'published');
    return { topic, partition: record.partition, offset: record.baseOffset ?? record.offset ?? '-1' };
  }
}
