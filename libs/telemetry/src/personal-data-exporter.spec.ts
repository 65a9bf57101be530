import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { PersonalDataFilteringExporter } from './personal-data-exporter';

function setUp(kind: 'basic' | 'node'): { provider: BasicTracerProvider; memory: InMemorySpanExporter } {
  const memory = new InMemorySpanExporter();
  const config = {
    resource: resourceFromAttributes({ 'service.name': 'exporter-test' }),
    spanProcessors: [new SimpleSpanProcessor(new PersonalDataFilteringExporter(memory))],
  };
  const provider = kind === 'basic' ? new BasicTracerProvider(config) : new NodeTracerProvider(config);
  return { provider, memory };
}

describe('PersonalDataFilteringExporter', () => {
  it.each(['basic', 'node'] as const)('drops personal attributes and counts them (%s provider)', async (kind) => {
    const { provider, memory } = setUp(kind);
    const span = provider.getTracer('test').startSpan('police.incident.recorded.v1 process', {
      kind: SpanKind.CONSUMER,
      attributes: {
        'weave.subject_national_id': 'A123456789',
        'db.statement': "UPDATE contacts SET verified = true WHERE phone = '0912-345-678'",
        'weave.event_type': 'police.incident.recorded.v1',
        'messaging.destination.name': 'weave.ingress.police.v1',
        'weave.subject_pseudonym': 'p1_abcdefghijklmnopqrstuvwxyz',
        'messaging.kafka.message.offset': 42,
      },
    });
    span.end();
    await provider.forceFlush();

    const [exported] = memory.getFinishedSpans();
    expect(exported).toBeDefined();
    expect(exported?.attributes).toEqual({
      'weave.event_type': 'police.incident.recorded.v1',
      'messaging.destination.name': 'weave.ingress.police.v1',
      'weave.subject_pseudonym': 'p1_abcdefghijklmnopqrstuvwxyz',
      'messaging.kafka.message.offset': 42,
      'weave.redacted_attribute_count': 2,
    });
    expect(exported?.spanContext().traceId).toBe(span.spanContext().traceId);
    expect(exported?.kind).toBe(SpanKind.CONSUMER);
    expect(exported?.resource.attributes['service.name']).toBe('exporter-test');
    expect(JSON.stringify(exported?.attributes)).not.toMatch(/A123456789|0912/);
    await provider.shutdown();
  });

  it('filters event attributes and masks event names, status message and span name', async () => {
    const { provider, memory } = setUp('basic');
    const span = provider.getTracer('test').startSpan('lookup A123456789');
    span.addEvent('retry for 0912345678', { attempt: 2, 'weave.reporter_email': 'x@y.tw', reason: '王小明' });
    span.recordException(new Error('no record for A123456789'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'no record for A123456789' });
    span.end();
    await provider.forceFlush();

    const [exported] = memory.getFinishedSpans();
    expect(exported?.name).toBe('lookup [redacted:national-id]');
    expect(exported?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no record for [redacted:national-id]' });
    expect(exported?.events[0]).toMatchObject({ name: 'retry for [redacted:phone]', attributes: { attempt: 2 } });
    expect(exported?.events[1]?.name).toBe('exception');
    expect(exported?.events[1]?.attributes).not.toHaveProperty('exception.message');
    expect(exported?.attributes['weave.redacted_attribute_count']).toBe(4);
    expect(JSON.stringify(exported?.events)).not.toContain('A123456789');
    await provider.shutdown();
  });

  it('passes a clean span through unchanged', async () => {
    const { provider, memory } = setUp('basic');
    const tracer = provider.getTracer('test');
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', { attributes: { 'rpc.method': 'RecordIncident' } }, trace.setSpan(ROOT_CONTEXT, parent));
    child.end();
    parent.end();
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['child', 'parent']);
    expect(spans[0]?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(spans[0]?.attributes).toEqual({ 'rpc.method': 'RecordIncident' });
    // Same object: nothing to filter means no copy.
    expect(spans[1]).toBe(parent);
    await provider.shutdown();
  });

  it('delegates shutdown and forceFlush', async () => {
    const calls: string[] = [];
    const inner: SpanExporter = {
      export: (_spans: ReadableSpan[], cb: (r: ExportResult) => void) => cb({ code: ExportResultCode.SUCCESS }),
      shutdown: async () => {
        calls.push('shutdown');
      },
      forceFlush: async () => {
        calls.push('flush');
      },
    };
    const exporter = new PersonalDataFilteringExporter(inner);
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(calls).toEqual(['flush', 'shutdown']);
  });
});
