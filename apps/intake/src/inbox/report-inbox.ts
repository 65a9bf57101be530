import type { OnApplicationBootstrap } from '@nestjs/common';
import { type EventBus } from '@weave/bus';
import { Topics, type DecodedEvent } from '@weave/contracts';
import type { Logger } from 'pino';
import type { IntakeProcessor } from '../processing/intake-processor';
import { reportFromEvent } from '../reports/report-from-event';
import type { IntakeReport } from '../reports/intake-report';

/**
 * Reports the gateway forwarded to the intake centre (weave.egress.intake.v1): agencies'
 * canonical reports and police incidents. A chunk is processed and stored in one transaction
 * before its offsets are committed, so a restart redelivers what was not stored and the
 * report id keeps a redelivered report from being dispatched twice.
 */
export class ReportInbox implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly processor: IntakeProcessor,
    private readonly consumerGroup: string,
    private readonly maxAttempts: number,
    private readonly maxBatch: number,
    private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe({
      groupId: this.consumerGroup,
      topics: [Topics.IntakeEgress],
      retry: { maxAttempts: this.maxAttempts },
      partitionsConsumedConcurrently: 3,
      maxBatchSize: this.maxBatch,
      batchHandler: async (items) => {
        await this.receive(items.map((i) => i.event));
      },
      handler: async (event) => {
        await this.receive([event]);
      },
    });
  }

  async receive(events: readonly DecodedEvent[]): Promise<void> {
    const now = new Date();
    const reports: IntakeReport[] = [];
    for (const event of events) {
      const report = reportFromEvent(event, now);
      if (report) reports.push(report);
      else this.logger.warn({ eventId: event.envelope.eventId, eventType: event.envelope.eventType }, 'event type intake does not screen; skipped');
    }
    if (reports.length > 0) await this.processor.process(reports);
  }
}
