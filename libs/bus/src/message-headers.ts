import type { IHeaders } from 'kafkajs';

/** Kafka header names weave sets. Trace context uses the W3C names. */
export const Headers = {
  TraceParent: 'traceparent',
  TraceState: 'tracestate',
  EventId: 'weave.event_id',
  EventType: 'weave.event_type',
  ContentType: 'content-type',
  DeadLetterReason: 'weave.dlq.reason',
  DeadLetterFailure: 'weave.dlq.failure',
  DeadLetterOriginalTopic: 'weave.dlq.original_topic',
  DeadLetterOriginalPartition: 'weave.dlq.original_partition',
  DeadLetterOriginalOffset: 'weave.dlq.original_offset',
  DeadLetterConsumerGroup: 'weave.dlq.consumer_group',
  DeadLetterAttempts: 'weave.dlq.attempts',
  DeadLetterFailedAt: 'weave.dlq.failed_at',
} as const;

export const ENVELOPE_CONTENT_TYPE = 'application/x-protobuf; proto=weave.common.v1.EventEnvelope';

/** Header values as strings (Kafka delivers Buffers); the last value wins for repeated names. */
export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}

export interface DeadLetterInfo {
  readonly failure: string;
  readonly reason: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly consumerGroup: string;
  readonly attempts: number;
  readonly failedAt: Date;
}

/** Original headers plus the dead-letter facts; earlier dead-letter headers are replaced. */
export function deadLetterHeaders(original: IHeaders | undefined, info: DeadLetterInfo): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(headerStrings(original)).filter(([name]) => !name.startsWith('weave.dlq.')));
  return {
    ...kept,
    [Headers.DeadLetterFailure]: info.failure,
    [Headers.DeadLetterReason]: info.reason.slice(0, 1_000),
    [Headers.DeadLetterOriginalTopic]: info.topic,
    [Headers.DeadLetterOriginalPartition]: String(info.partition),
    [Headers.DeadLetterOriginalOffset]: info.offset,
    [Headers.DeadLetterConsumerGroup]: info.consumerGroup,
    [Headers.DeadLetterAttempts]: String(info.attempts),
    [Headers.DeadLetterFailedAt]: info.failedAt.toISOString(),
  };
}
