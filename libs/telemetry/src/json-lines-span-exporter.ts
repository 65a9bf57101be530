import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SpanKind, SpanStatusCode, type Attributes, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

export type JsonSpanKind = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type JsonSpanStatusCode = 'UNSET' | 'OK' | 'ERROR';

/** One line of a traces file, as `tools/trace-view.ts` reads it. */
export interface JsonSpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: JsonSpanKind;
  readonly service: string;
  readonly scope: string;
  /** ISO 8601 with microseconds, UTC. */
  readonly startTime: string;
  /** Nanoseconds since the epoch as a decimal string (exact, for ordering). */
  readonly startTimeUnixNano: string;
  readonly durationMs: number;
  readonly status: { readonly code: JsonSpanStatusCode; readonly message?: string };
  readonly attributes: Attributes;
  readonly events: readonly { readonly name: string; readonly time: string; readonly attributes: Attributes }[];
  readonly links: readonly { readonly traceId: string; readonly spanId: string; readonly attributes: Attributes }[];
}

function kindName(kind: SpanKind): JsonSpanKind {
  switch (kind) {
    case SpanKind.SERVER:
      return 'SERVER';
    case SpanKind.CLIENT:
      return 'CLIENT';
    case SpanKind.PRODUCER:
      return 'PRODUCER';
    case SpanKind.CONSUMER:
      return 'CONSUMER';
    default:
      return 'INTERNAL';
  }
}

function statusName(code: SpanStatusCode): JsonSpanStatusCode {
  switch (code) {
    case SpanStatusCode.OK:
      return 'OK';
    case SpanStatusCode.ERROR:
      return 'ERROR';
    default:
      return 'UNSET';
  }
}

export function hrTimeToIsoMicros(time: HrTime): string {
  const [seconds, nanos] = time;
  const iso = new Date(seconds * 1000).toISOString();
  const micros = String(Math.floor(nanos / 1000)).padStart(6, '0');
  return `${iso.slice(0, 19)}.${micros}Z`;
}

function hrTimeToUnixNano(time: HrTime): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

function hrTimeToMs(time: HrTime): number {
  return Math.round((time[0] * 1e3 + time[1] / 1e6) * 1000) / 1000;
}

export function spanToJsonRecord(span: ReadableSpan): JsonSpanRecord {
  const context = span.spanContext();
  const service = span.resource.attributes['service.name'];
  const status =
    span.status.message === undefined || span.status.message === ''
      ? { code: statusName(span.status.code) }
      : { code: statusName(span.status.code), message: span.status.message };
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: kindName(span.kind),
    service: typeof service === 'string' ? service : 'unknown_service',
    scope: span.instrumentationScope.name,
    startTime: hrTimeToIsoMicros(span.startTime),
    startTimeUnixNano: hrTimeToUnixNano(span.startTime),
    durationMs: hrTimeToMs(span.duration),
    status,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, time: hrTimeToIsoMicros(e.time), attributes: e.attributes ?? {} })),
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: l.attributes ?? {},
    })),
  };
}

function isMissingDirectory(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Appends finished spans to a file, one JSON object per line: the local stack's trace
 * store, read by `tools/trace-view.ts`. Several processes may append to the same file;
 * each export is a single append of whole lines.
 */
export class JsonLinesSpanExporter implements SpanExporter {
  private pending: Promise<void> = Promise.resolve();
  private directoryReady = false;
  private stopped = false;

  constructor(private readonly filePath: string) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('JsonLinesSpanExporter is shut down') });
      return;
    }
    let data: string;
    try {
      data = spans.map((s) => JSON.stringify(spanToJsonRecord(s)) + '\n').join('');
    } catch (error: unknown) {
      resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    // Writes are chained so lines from consecutive exports keep their order.
    this.pending = this.pending.then(() => this.write(data, resultCallback)).catch(() => undefined);
  }

  forceFlush(): Promise<void> {
    return this.pending;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.pending;
  }

  private async write(data: string, resultCallback: (result: ExportResult) => void): Promise<void> {
    try {
      await this.append(data);
    } catch (error: unknown) {
      resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  private async append(data: string): Promise<void> {
    if (!this.directoryReady) {
      await fs.mkdir(path.dirname(this.filePath), { recursive: true });
      this.directoryReady = true;
    }
    try {
      await fs.appendFile(this.filePath, data, 'utf8');
    } catch (error: unknown) {
      // `stack:clean` may remove the directory under a running service.
      if (!isMissingDirectory(error)) throw error;
      await fs.mkdir(path.dirname(this.filePath), { recursive: true });
      await fs.appendFile(this.filePath, data, 'utf8');
    }
  }
}
