import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { errorFacts, inTransaction } from '@weave/runtime';
import type { IntakeMetrics } from '../processing/intake-metrics';

/** An unacknowledged dispatch as the escalation ladder sees it. */
export interface OpenDispatch {
  readonly dispatchId: string;
  readonly unitId: string;
  readonly light: 'red' | 'orange' | 'yellow' | 'green';
  readonly receivedAt: Date;
  readonly escalations: readonly { readonly level: 'supervisor' | 'upper-level'; readonly to: string; readonly at: number }[];
}

export type EscalationStep =
  | { readonly level: 'supervisor' | 'upper-level'; readonly to: string; readonly why: string; readonly nextCheckAt?: Date }
  | { readonly level: 'none'; readonly nextCheckAt?: Date };

export interface OverrideOutcome {
  readonly kind: 'ok' | 'invalid' | 'not-found';
  readonly errors?: readonly { field: string; message: string }[];
  readonly body?: unknown;
}

export interface DeskRules {
  /** The next rung of the ladder for a dispatch not acknowledged by now (dispatch lib). */
  escalation(dispatch: OpenDispatch, now: Date): EscalationStep;
  /** Validates and applies a screener's override to a stored screening (screening lib). */
  override(screening: unknown, request: unknown, now: Date): { ok: true; category: string; light: 'red' | 'orange' | 'yellow' | 'green'; screening: unknown; reason: string; screener: string } | { ok: false; errors: { field: string; message: string }[] };
  dispatchDeadline(receivedAt: Date, light: 'red' | 'orange' | 'yellow' | 'green'): Date;
}

/**
 * The dispatch desk: acknowledgements, screeners' overrides and the escalation loop. A
 * dispatch that is not acknowledged by its deadline goes to the receiving unit's supervisor,
 * then up a level; each step is recorded on the dispatch.
 */
export class DispatchDesk {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly rules: DeskRules,
    private readonly metrics: IntakeMetrics,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.escalateDue(new Date()).catch((err: unknown) => this.logger.warn({ err: errorFacts(err) }, 'escalation pass failed; retried next interval'));
    }, this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async acknowledge(dispatchId: string, unitId: string, now: Date): Promise<{ kind: 'ok'; acknowledgedAt: Date; withinDeadline: boolean } | { kind: 'not-found' | 'wrong-unit' }> {
    const { rows } = await this.pool.query<{ unit_id: string; secondary_units: string[]; escalated_to: string | null; deadline: Date; acknowledged_at: Date | null }>(
      `SELECT unit_id, secondary_units, escalated_to, deadline, acknowledged_at FROM ${this.schema}.dispatches WHERE dispatch_id = $1`,
      [dispatchId],
    );
    const row = rows[0];
    if (!row) return { kind: 'not-found' };
    if (unitId !== row.unit_id && unitId !== row.escalated_to) return { kind: 'wrong-unit' };
    if (row.acknowledged_at) return { kind: 'ok', acknowledgedAt: row.acknowledged_at, withinDeadline: row.acknowledged_at <= row.deadline };
    await this.pool.query(`UPDATE ${this.schema}.dispatches SET acknowledged_at = $2, acknowledged_by = $3, next_check_at = NULL WHERE dispatch_id = $1 AND acknowledged_at IS NULL`, [dispatchId, now, unitId]);
    const withinDeadline = now <= row.deadline;
    this.metrics.inc('intake_acknowledgements_total', { within_deadline: String(withinDeadline) });
    return { kind: 'ok', acknowledgedAt: now, withinDeadline };
  }

  /** One pass of the escalation ladder over dispatches whose check time has come. */
  async escalateDue(now: Date): Promise<number> {
    const { rows } = await this.pool.query<{ dispatch_id: string; unit_id: string; light: OpenDispatch['light']; received_at: Date; escalations: OpenDispatch['escalations'] }>(
      `SELECT dispatch_id, unit_id, light, received_at, escalations FROM ${this.schema}.dispatches
        WHERE acknowledged_at IS NULL AND next_check_at <= $1 ORDER BY next_check_at LIMIT 1000`,
      [now],
    );
    let escalated = 0;
    for (const r of rows) {
      const step = this.rules.escalation({ dispatchId: r.dispatch_id, unitId: r.unit_id, light: r.light, receivedAt: r.received_at, escalations: r.escalations }, now);
      if (step.level === 'none') {
        await this.pool.query(`UPDATE ${this.schema}.dispatches SET next_check_at = $2 WHERE dispatch_id = $1`, [r.dispatch_id, step.nextCheckAt ?? null]);
        continue;
      }
      const escalations = [...r.escalations, { level: step.level, to: step.to, at: now.getTime() }];
      await this.pool.query(
        `UPDATE ${this.schema}.dispatches SET escalation_level = $2, escalated_to = $3, escalations = $4, next_check_at = $5 WHERE dispatch_id = $1 AND acknowledged_at IS NULL`,
        [r.dispatch_id, escalations.length, step.to, JSON.stringify(escalations), step.nextCheckAt ?? null],
      );
      this.metrics.inc('intake_escalations_total', { level: step.level });
      this.logger.warn({ dispatchId: r.dispatch_id, unit: r.unit_id, level: step.level, to: step.to, why: step.why }, 'dispatch not acknowledged by its deadline: escalated');
      escalated += 1;
    }
    return escalated;
  }

  async override(reportId: string, request: unknown, now: Date): Promise<OverrideOutcome> {
    const { rows } = await this.pool.query<{ screening: unknown; received_at: Date; category: string; light: string }>(
      `SELECT screening, received_at, category, light FROM ${this.schema}.reports WHERE report_id = $1 AND screening IS NOT NULL`,
      [reportId],
    );
    const row = rows[0];
    if (!row) return { kind: 'not-found' };
    const result = this.rules.override(row.screening, request, now);
    if (!result.ok) return { kind: 'invalid', errors: result.errors };
    await inTransaction(this.pool, async (client) => {
      await client.query(`UPDATE ${this.schema}.reports SET category = $2, light = $3, screening = $4 WHERE report_id = $1`, [reportId, result.category, result.light, JSON.stringify(result.screening)]);
      await client.query(`INSERT INTO ${this.schema}.overrides (report_id, screener, reason, from_value, to_value, at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        reportId,
        result.screener,
        result.reason,
        JSON.stringify({ category: row.category, light: row.light }),
        JSON.stringify({ category: result.category, light: result.light }),
        now,
      ]);
      // An unacknowledged dispatch takes the new light's deadline.
      const deadline = this.rules.dispatchDeadline(row.received_at, result.light);
      await client.query(`UPDATE ${this.schema}.dispatches SET category = $2, light = $3, deadline = $4, next_check_at = $4 WHERE report_id = $1 AND acknowledged_at IS NULL`, [reportId, result.category, result.light, deadline]);
    });
    this.metrics.inc('intake_overrides_total', { reason: result.reason });
    return { kind: 'ok', body: { reportId, category: result.category, light: result.light, reason: result.reason } };
  }

  async openReviewItems(): Promise<unknown[]> {
    const { rows } = await this.pool.query(`SELECT review_id, report_id, reason, candidates, created_at FROM ${this.schema}.review_items WHERE resolved_at IS NULL ORDER BY created_at LIMIT 200`);
    return rows;
  }
}
