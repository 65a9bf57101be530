import type { IntakeReport } from '../reports/intake-report';
import type { ReportOutcome } from './intake-processor';

/** Seconds from receipt to dispatch decision: buckets from 10 ms to 24 h. */
const DECISION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600, 14_400, 43_200, 86_400];

type Labels = Record<string, string>;

function key(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, '_')}"`)
    .join(',');
}

/**
 * Intake's operational metrics in Prometheus text format (GET /metrics): reports received by
 * channel and outcome, dispatches by category, light and district, time from receipt to
 * dispatch decision, rejections, overrides and escalations. Labels are codes, never personal data.
 * The report command (`intake:report`) computes the same figures over any period from the store.
 */
export class IntakeMetrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histogram = { buckets: DECISION_BUCKETS.map(() => 0), count: 0, sum: 0 };

  inc(name: string, labels: Labels, by = 1): void {
    const series = this.counters.get(name) ?? new Map<string, number>();
    const k = key(labels);
    series.set(k, (series.get(k) ?? 0) + by);
    this.counters.set(name, series);
  }

  recordOutcomes(reports: readonly IntakeReport[], outcomes: readonly ReportOutcome[], now = Date.now()): void {
    outcomes.forEach((outcome, i) => {
      const report = reports[i];
      if (!report) return;
      this.inc('intake_reports_total', { channel: report.channel, outcome: outcome.status });
      if (outcome.status === 'dispatched') {
        this.inc('intake_dispatches_total', { category: outcome.category, light: outcome.light });
        const seconds = Math.max(0, (now - report.receivedAt.getTime()) / 1000);
        this.histogram.count += 1;
        this.histogram.sum += seconds;
        DECISION_BUCKETS.forEach((b, j) => {
          if (seconds <= b) this.histogram.buckets[j] = (this.histogram.buckets[j] ?? 0) + 1;
        });
      }
    });
  }

  recordRejected(channel: string): void {
    this.inc('intake_reports_total', { channel, outcome: 'rejected' });
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    const help: Record<string, string> = {
      intake_reports_total: 'Reports received, by channel and outcome (dispatched, merged, review, duplicate, rejected).',
      intake_dispatches_total: 'Dispatches made, by category and risk light.',
      intake_overrides_total: 'Screening decisions overridden by a screener, by reason.',
      intake_escalations_total: 'Dispatches escalated for want of acknowledgement, by level.',
      intake_acknowledgements_total: 'Dispatches acknowledged, by whether within the deadline.',
    };
    for (const [name, text] of Object.entries(help)) {
      lines.push(`# HELP ${name} ${text}`, `# TYPE ${name} counter`);
      for (const [labels, value] of this.counters.get(name) ?? []) lines.push(`${name}{${labels}} ${value}`);
    }
    lines.push('# HELP intake_decision_seconds Time from a report\'s receipt to its dispatch decision.', '# TYPE intake_decision_seconds histogram');
    DECISION_BUCKETS.forEach((b, j) => lines.push(`intake_decision_seconds_bucket{le="${b}"} ${this.histogram.buckets[j] ?? 0}`));
    lines.push(`intake_decision_seconds_bucket{le="+Inf"} ${this.histogram.count}`, `intake_decision_seconds_sum ${this.histogram.sum}`, `intake_decision_seconds_count ${this.histogram.count}`);
    return `${lines.join('\n')}\n`;
  }
}
