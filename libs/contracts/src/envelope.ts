import { createHash, randomUUID } from 'node:crypto';
import { Agency } from './generated/weave/common/v1/agency';
import { DataCategory } from './generated/weave/common/v1/data_category';
import { EventEnvelope, type DisclosureNote, type SubjectRef } from './generated/weave/common/v1/envelope';
import { findEventDefinition, type EventDefinition } from './event-registry';
import { isWellFormedEventType } from './event-types';

/**
 * Why an incoming message cannot be handled. The reason travels to the dead-letter
 * topic, so it names the problem and never the data.
 */
export type EnvelopeFailure =
  | 'not-an-envelope'
  | 'invalid-envelope'
  | 'unknown-event-type'
  | 'payload-type-mismatch'
  | 'payload-undecodable'
  | 'payload-invalid';

export class EnvelopeError extends Error {
  constructor(
    readonly failure: EnvelopeFailure,
    readonly problems: readonly string[],
  ) {
    super(`${failure}: ${problems.join('; ')}`);
    this.name = 'EnvelopeError';
  }
}

export interface DecodedEvent<T = unknown> {
  readonly envelope: EventEnvelope;
  readonly payload: T;
  readonly definition: EventDefinition<T>;
}

export interface NewEventInput<T> {
  readonly definition: EventDefinition<T>;
  readonly payload: T;
  readonly source: { agency: Agency; system: string; unitId: string };
  readonly subjects: readonly SubjectRef[];
  readonly occurredAt: Date | string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Extra categories when this instance carries more than the definition's default. */
  readonly dataCategories?: readonly DataCategory[];
  readonly eventId?: string;
  readonly now?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PSEUDONYM = /^[pf]1_[a-z2-7]{26}$/;

function iso(value: Date | string): string {
  return typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();
}

/** Builds an envelope around a payload; trace context is stamped by the bus at publish. */
export function createEnvelope<T>(input: NewEventInput<T>): EventEnvelope {
  const problems = input.definition.validate(input.payload);
  if (problems.length > 0) {
    throw new EnvelopeError('payload-invalid', problems);
  }
  const eventId = input.eventId ?? randomUUID();
  const categories = new Set<DataCategory>([...input.definition.dataCategories, ...(input.dataCategories ?? [])]);
  return EventEnvelope.fromPartial({
    eventId,
    eventType: input.definition.type,
    schemaVersion: input.definition.schemaVersion,
    source: input.source,
    occurredAt: iso(input.occurredAt),
    recordedAt: (input.now ?? new Date()).toISOString(),
    subjects: input.subjects.map((s) => ({ pseudonym: s.pseudonym, role: s.role })),
    dataCategories: [...categories],
    payloadType: input.definition.payloadType,
    payload: Buffer.from(input.definition.codec.encode(input.payload).finish()),
    correlationId: input.correlationId ?? eventId,
    causationId: input.causationId ?? '',
  });
}

export function encodeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(EventEnvelope.encode(envelope).finish());
}

/** Structural checks that every envelope must pass, whatever its payload. */
export function envelopeProblems(envelope: EventEnvelope): string[] {
  const problems: string[] = [];
  if (!UUID.test(envelope.eventId)) problems.push('event_id: expected a UUID');
  if (!isWellFormedEventType(envelope.eventType)) problems.push('event_type: expected <domain>.<entity>.<verb>.v<n>');
  if (envelope.schemaVersion < 1) problems.push('schema_version: expected >= 1');
  if (!envelope.source || envelope.source.agency === Agency.AGENCY_UNSPECIFIED || !envelope.source.system) {
    problems.push('source: agency and system required');
  }
  if (!envelope.occurredAt) problems.push('occurred_at: required');
  if (!envelope.recordedAt) problems.push('recorded_at: required');
  if (!envelope.payloadType) problems.push('payload_type: required');
  envelope.subjects.forEach((s, i) => {
    if (!PSEUDONYM.test(s.pseudonym)) problems.push(`subjects[${i}].pseudonym: expected a pseudonym`);
  });
  if (envelope.dataCategories.some((c) => c === DataCategory.DATA_CATEGORY_UNSPECIFIED)) {
    problems.push('data_categories: unspecified category');
  }
  return problems;
}

/** Decodes the Kafka value into an envelope, without looking at the payload. */
export function decodeEnvelope(value: Uint8Array | null | undefined): EventEnvelope {
  if (!value || value.length === 0) {
    throw new EnvelopeError('not-an-envelope', ['empty message']);
  }
  let envelope: EventEnvelope;
  try {
    envelope = EventEnvelope.decode(value);
  } catch (err) {
    throw new EnvelopeError('not-an-envelope', [`protobuf decode failed (${errorName(err)})`]);
  }
  const problems = envelopeProblems(envelope);
  if (problems.length > 0) {
    // Arbitrary bytes often "decode" into an envelope of garbage; the checks catch that.
    const failure = envelope.eventId || envelope.eventType ? 'invalid-envelope' : 'not-an-envelope';
    throw new EnvelopeError(failure, problems);
  }
  return envelope;
}

/** Decodes and validates the payload against the registered definition for its type. */
export function decodeEvent(envelope: EventEnvelope): DecodedEvent {
  const definition = findEventDefinition(envelope.eventType);
  if (!definition) {
    throw new EnvelopeError('unknown-event-type', [`no definition for ${envelope.eventType}`]);
  }
  if (definition.payloadType !== envelope.payloadType) {
    throw new EnvelopeError('payload-type-mismatch', [`expected ${definition.payloadType}, got ${envelope.payloadType}`]);
  }
  let payload: unknown;
  try {
    payload = definition.codec.decode(envelope.payload);
  } catch (err) {
    throw new EnvelopeError('payload-undecodable', [`protobuf decode failed (${errorName(err)})`]);
  }
  const problems = definition.validate(payload);
  if (problems.length > 0) {
    throw new EnvelopeError('payload-invalid', problems);
  }
  const missing = definition.dataCategories.filter((c) => !envelope.dataCategories.includes(c));
  if (missing.length > 0) {
    throw new EnvelopeError('invalid-envelope', [`data_categories: missing ${missing.join(',')}`]);
  }
  return { envelope, payload, definition };
}

function errorName(err: unknown): string {
  // Only the error class and a bounded message: decoder messages never contain payload text.
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 80)}`;
  return 'unknown error';
}

/**
 * A deterministic event id (UUID version 5 layout over SHA-1) for a fact that an agency
 * may submit more than once: the same source and reference always give the same id, so
 * consumers deduplicate a resubmission like any redelivery.
 */
export function eventIdFor(source: string, reference: string): string {
  const hash = createHash('sha1').update(`weave-event\u0000${source}\u0000${reference}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface EnvelopeCopyChanges {
  readonly eventId: string;
  readonly payload: Uint8Array;
  readonly dataCategories: readonly DataCategory[];
  readonly disclosure: DisclosureNote;
  readonly now?: Date;
}

/**
 * A recipient's copy of an event as the gateway forwards it: its own event id, the minimised
 * payload and only the released categories, caused by the original (causation_id) and in
 * the same correlation. Source, subjects, type and occurrence time are the original's.
 */
export function createEnvelopeCopy(original: EventEnvelope, changes: EnvelopeCopyChanges): EventEnvelope {
  return {
    ...original,
    eventId: changes.eventId,
    recordedAt: (changes.now ?? new Date()).toISOString(),
    dataCategories: [...changes.dataCategories],
    payload: Buffer.from(changes.payload),
    causationId: original.eventId,
    correlationId: original.correlationId || original.eventId,
    traceContext: undefined,
    disclosure: changes.disclosure,
  };
}
