import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { currentTraceId, describeError, withSpan } from './trace';

const memory = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });

beforeAll(() => provider.register());
afterEach(() => memory.reset());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

describe('currentTraceId', () => {
  it('is undefined outside a span and the trace id inside one', async () => {
    expect(currentTraceId()).toBeUndefined();
    const inside = await withSpan('outer', {}, (span) => {
      expect(currentTraceId()).toBe(span.spanContext().traceId);
      return currentTraceId();
    });
    expect(inside).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('withSpan', () => {
  it('runs the function in an active span with attributes and returns its value', async () => {
    const result = await withSpan('work', { 'weave.event_type': 'x.v1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return 42;
    });
    expect(result).toBe(42);
    const [span] = memory.getFinishedSpans();
    expect(span?.name).toBe('work');
    expect(span?.attributes).toEqual({ 'weave.event_type': 'x.v1' });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.ended).toBe(true);
  });

  it('accepts span options such as kind', async () => {
    await withSpan('consume', {}, () => undefined, { kind: SpanKind.CONSUMER });
    expect(memory.getFinishedSpans()[0]?.kind).toBe(SpanKind.CONSUMER);
  });

  it('nests spans', async () => {
    await withSpan('parent', {}, () => withSpan('child', {}, () => 'done'));
    const [child, parent] = memory.getFinishedSpans();
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(child?.spanContext().traceId).toBe(parent?.spanContext().traceId);
  });

  it('records a thrown error without its personal data and rethrows it unchanged', async () => {
    const error = new Error('no case for A123456789');
    await expect(
      withSpan('failing', {}, () => {
        throw error;
      }),
    ).rejects.toBe(error);
    const [span] = memory.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no case for [redacted:national-id]' });
    const event = span?.events[0];
    expect(event?.name).toBe('exception');
    expect(event?.attributes?.['exception.message']).toBe('no case for [redacted:national-id]');
    expect(String(event?.attributes?.['exception.stacktrace'])).toContain('no case for [redacted:national-id]');
    expect(JSON.stringify(span?.events)).not.toContain('A123456789');
    expect(span?.ended).toBe(true);
  });

  it('records a rejected promise', async () => {
    await expect(withSpan('rejecting', {}, () => Promise.reject(new TypeError('bad')))).rejects.toThrow('bad');
    const [span] = memory.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events[0]?.attributes?.['exception.type']).toBe('TypeError');
  });
});

describe('describeError', () => {
  it('handles non-Error values', () => {
    expect(describeError('phone 0912345678')).toEqual({ name: 'Error', message: 'phone [redacted:phone]' });
    expect(describeError(42)).toEqual({ name: 'Error', message: '42' });
  });
});
