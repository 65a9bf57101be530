import { dataCategoryToJSON, subjectRoleToJSON, type DecodedEvent } from '@weave/contracts';
import type { Pool } from 'pg';

export interface ReceivedEventRow {
  readonly eventId: string;
  readonly sourceEventId: string;
  readonly eventType: string;
  readonly traceId: string | null;
}

/** The protection system's inbox of disclosed events; idempotent on event id. */
export class ReceivedEventsRepository {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** Returns false when the event was already recorded (a redelivery). */
  async record(event: DecodedEvent, traceId: string | undefined): Promise<boolean> {
    const { envelope, definition, payload } = event;
    const result = await this.pool.query(
      `INSERT INTO ${this.schema}.received_events
         (event_id, event_type, source_system, occurred_at, subjects, data_categories, payload, trace_id, source_event_id, recipient_unit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        envelope.eventId,
        envelope.eventType,
        envelope.source?.system ?? '',
        envelope.occurredAt,
        JSON.stringify(envelope.subjects.map((s) => ({ pseudonym: s.pseudonym, role: subjectRoleToJSON(s.role) }))),
        envelope.dataCategories.map(dataCategoryToJSON),
        JSON.stringify(definition.codec.toJSON(payload)),
        traceId ?? null,
        envelope.causationId || envelope.eventId,
        envelope.disclosure?.recipientUnit ?? null,
      ],
    );
    return result.rowCount === 1;
  }

  async find(eventId: string): Promise<ReceivedEventRow | undefined> {
    const { rows } = await this.pool.query<{ event_id: string; source_event_id: string; event_type: string; trace_id: string | null }>(
      `SELECT event_id, source_event_id, event_type, trace_id FROM ${this.schema}.received_events WHERE event_id = $1`,
      [eventId],
    );
    const row = rows[0];
    return row && { eventId: row.event_id, sourceEventId: row.source_event_id, eventType: row.event_type, traceId: row.trace_id };
  }
}
