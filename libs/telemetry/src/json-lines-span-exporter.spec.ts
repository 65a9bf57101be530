import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonLinesSpanExporter, hrTimeToIsoMicros, type JsonSpanRecord } from './json-lines-span-exporter';
import { PersonalDataFilteringExporter } from './personal-data-exporter';

function readLines(file: string): JsonSpanRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JsonSpanRecord);
}

describe('JsonLinesSpanExporter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'weave-traces-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends one JSON object per span, creating directories', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'demo.jsonl');
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'demo-service' }),
      spanProcessors: [new SimpleSpanProcessor(new PersonalDataFilteringExporter(new JsonLinesSpanExporter(file)))],
    });
    const tracer = provider.getTracer('json-test');
    const root = tracer.startSpan('GET /cases', { kind: SpanKind.SERVER, startTime: [1_700_000_000, 123_456_789] });
    const child = tracer.startSpan(
      'weave.ingress.police.v1 publish',
      { kind: SpanKind.PRODUCER, attributes: { 'messaging.destination.name': 'weave.ingress.police.v1', phone: '0912345678' } },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    child.addEvent('sent', { partition: 3 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'broker unavailable' });
    child.end();
    root.end([1_700_000_000, 623_456_789]);
    await provider.forceFlush();

    const lines = readLines(file);
    expect(lines).toHaveLength(2);
    const [first, second] = lines;
    expect(first).toMatchObject({
      traceId: root.spanContext().traceId,
      spanId: child.spanContext().spanId,
      parentSpanId: root.spanContext().spanId,
      name: 'weave.ingress.police.v1 publish',
      kind: 'PRODUCER',
      service: 'demo-service',
      scope: 'json-test',
      status: { code: 'ERROR', message: 'broker unavailable' },
      attributes: { 'messaging.destination.name': 'weave.ingress.police.v1', 'weave.redacted_attribute_count': 1 },
      events: [{ name: 'sent', attributes: { partition: 3 } }],
      links: [],
    });
    expect(second).toMatchObject({
      spanId: root.spanContext().spanId,
      parentSpanId: null,
      kind: 'SERVER',
      startTime: '2023-11-14T22:13:20.123456Z',
      startTimeUnixNano: '1700000000123456789',
      durationMs: 500,
      status: { code: 'UNSET' },
    });
    expect(readFileSync(file, 'utf8')).not.toContain('0912345678');

    // A second provider appends rather than truncating.
    const again = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new JsonLinesSpanExporter(file))] });
    again.getTracer('json-test').startSpan('third').end();
    await again.shutdown();
    expect(readLines(file).map((l) => l.name)).toEqual(['weave.ingress.police.v1 publish', 'GET /cases', 'third']);
    await provider.shutdown();
  });

  it('keeps export order and reports failures after shutdown', async () => {
    const file = path.join(dir, 'order.jsonl');
    const exporter = new JsonLinesSpanExporter(file);
    const provider = new BasicTracerProvider();
    const spans = Array.from({ length: 20 }, (_, i) => {
      const span = provider.getTracer('t').startSpan(`span-${i}`);
      span.end();
      return span as unknown as ReadableSpan;
    });
    const results: ExportResult[] = [];
    for (const span of spans) exporter.export([span], (r) => results.push(r));
    await exporter.forceFlush();
    expect(readLines(file).map((l) => l.name)).toEqual(spans.map((s) => s.name));
    expect(results.every((r) => r.code === ExportResultCode.SUCCESS)).toBe(true);

    await exporter.shutdown();
    const late = await new Promise<ExportResult>((resolve) => exporter.export(spans.slice(0, 1), resolve));
    expect(late.code).toBe(ExportResultCode.FAILED);
  });

  it('reports a write failure', async () => {
    const exporter = new JsonLinesSpanExporter(path.join(dir, 'file-not-dir', 'x.jsonl'));
    // Make the parent path a file so mkdir fails.
    writeFileSync(path.join(dir, 'file-not-dir'), 'x');
    const span = new BasicTracerProvider().getTracer('t').startSpan('s');
    span.end();
    const result = await new Promise<ExportResult>((resolve) => exporter.export([span as unknown as ReadableSpan], resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(Error);
  });

  it('formats times with microseconds', () => {
    expect(hrTimeToIsoMicros([0, 1_000])).toBe('1970-01-01T00:00:00.000001Z');
    expect(hrTimeToIsoMicros([1_700_000_000, 999_999_999])).toBe('2023-11-14T22:13:20.999999Z');
  });
});
