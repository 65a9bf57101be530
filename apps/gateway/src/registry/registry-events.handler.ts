import { PermanentHandlerError } from '@weave/bus';
import {
  CaseworkMembershipChangedEvent,
  IntakeReportDispatchedEvent,
  Topics,
  type CaseMembershipChanged,
  type DecodedEvent,
  type EventDefinition,
  type ReportDispatched,
} from '@weave/contracts';
import { InvalidRegistryEventError } from './involvement.repository';

/** Topics the registry consumer subscribes to (group GATEWAY_REGISTRY_CONSUMER_GROUP). */
export const REGISTRY_TOPICS: readonly string[] = [Topics.IntakeDispatches, Topics.CaseworkMemberships];

/** The part of InvolvementRepository the handler uses. */
export interface InvolvementSink {
  applyDispatch(eventId: string, payload: ReportDispatched): Promise<void>;
  applyMembership(eventId: string, payload: CaseMembershipChanged): Promise<void>;
}

function isEventOf<T>(event: DecodedEvent, definition: EventDefinition<T>): event is DecodedEvent<T> {
  return event.definition.type === definition.type && event.envelope.eventType === definition.type;
}

/**
 * Keeps need-to-know current from intake dispatches and case membership: routes
 * intake.report.dispatched.v1 and casework.membership.changed.v1 to the repository and
 * ignores every other type. Idempotent (the repository applies each event id once), as the
 * bus's at-least-once delivery requires. An event that can never be applied becomes a
 * PermanentHandlerError (dead-lettered at once); database errors are thrown as they are and
 * retried by the bus.
 *
 *   bus.subscribe({ groupId: config.registryConsumerGroup, topics: REGISTRY_TOPICS, handler: registryEventsHandler(repo) })
 */
export function registryEventsHandler(repository: InvolvementSink): (event: DecodedEvent) => Promise<void> {
  return async (event) => {
    try {
      if (isEventOf(event, IntakeReportDispatchedEvent)) {
        await repository.applyDispatch(event.envelope.eventId, event.payload);
      } else if (isEventOf(event, CaseworkMembershipChangedEvent)) {
        await repository.applyMembership(event.envelope.eventId, event.payload);
      }
    } catch (error) {
      throw error instanceof InvalidRegistryEventError ? new PermanentHandlerError(error.message) : error;
    }
  };
}
