import type { OnApplicationBootstrap } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { EventBus } from '@weave/bus';
import { Topics, type DecodedEvent } from '@weave/contracts';
import type { Logger } from 'pino';
import type { ReceivedEventsRepository } from './received-events.repository';

/** Consumes the protection egress topic and records each disclosed event once. */
export class DisclosureInbox implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly repository: ReceivedEventsRepository,
    private readonly consumerGroup: string,
    private readonly maxAttempts: number,
    private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      groupId: this.consumerGroup,
      topics: [Topics.ProtectionEgress],
      retry: { maxAttempts: this.maxAttempts },
      handler: (event) => this.receive(event),
    });
  }

  async receive(event: DecodedEvent): Promise<void> {
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    const recorded = await this.repository.record(event, traceId);
    this.logger.info({ eventId: event.envelope.eventId, eventType: event.envelope.eventType, duplicate: !recorded }, 'disclosed event received');
  }
}
