import { trace } from '@opentelemetry/api';
import type { EventBus } from '@weave/bus';
import {
  Agency,
  PoliceIncidentRecordedEvent,
  Topics,
  createEnvelope,
  eventIdFor,
  type RecordIncidentRequest,
  type RecordIncidentResponse,
} from '@weave/contracts';
import type { PseudonymKey } from '@weave/identity';
import { RpcError } from '@weave/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { incidentRequestViolations, toIncidentRecorded } from './incident-mapping';

export const POLICE_SYSTEM = 'police-110';
const SEEN_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Turns the police system's incident submissions into canonical events on the police
 * ingress topic. Resubmissions are recognised by incident id (the event id is derived
 * from it, so even a resubmission racing the first one is deduplicated downstream).
 */
export class IncidentIntake {
  constructor(
    private readonly bus: EventBus,
    private readonly redis: Redis,
    private readonly pseudonymKey: PseudonymKey,
    private readonly unitId: string,
    private readonly logger: Logger,
  ) {}

  async recordIncident(request: RecordIncidentRequest): Promise<RecordIncidentResponse> {
    const violations = incidentRequestViolations(request);
    if (violations.length > 0) throw RpcError.invalidArgument(violations);

    const eventId = eventIdFor(POLICE_SYSTEM, request.incidentId);
    const traceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
    const seenKey = `adapter-police:incident:${request.incidentId}`;
    if ((await this.redis.get(seenKey)) === eventId) {
      return { eventId, duplicate: true, traceId };
    }

    const payload = toIncidentRecorded(request, this.pseudonymKey);
    const envelope = createEnvelope({
      definition: PoliceIncidentRecordedEvent,
      payload,
      eventId,
      source: { agency: Agency.AGENCY_POLICE, system: POLICE_SYSTEM, unitId: this.unitId },
      subjects: payload.persons.map((p) => ({ pseudonym: p.pseudonym, role: p.role })),
      occurredAt: request.occurredAt ?? new Date().toISOString(),
    });
    await this.bus.publisher.publish(Topics.PoliceIngress, envelope);
    // Marked only after the publish was acknowledged: a crash in between means a
    // resubmission publishes the same event id again, which consumers drop.
    await this.redis.set(seenKey, eventId, 'EX', SEEN_TTL_SECONDS);
    this.logger.info({ eventId, kind: payload.kind, persons: payload.persons.length }, 'incident published');
    return { eventId, duplicate: false, traceId };
  }
}
