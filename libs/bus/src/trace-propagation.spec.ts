import { ROOT_CONTEXT, trace, TraceFlags, propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { extractTraceContext, injectTraceContext } from './trace-propagation';

const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };

describe('trace propagation', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('injects W3C traceparent', () => {
    const headers = injectTraceContext(trace.setSpanContext(ROOT_CONTEXT, spanContext));
    expect(headers['traceparent']).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  });

  it('prefers headers, falls back to the envelope, else root', () => {
    const fromHeaders = extractTraceContext({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(trace.getSpanContext(fromHeaders)?.traceId).toBe(spanContext.traceId);

    const fromEnvelope = extractTraceContext({}, { traceparent: '00-11111111111111111111111111111111-2222222222222222-01', tracestate: '' });
    expect(trace.getSpanContext(fromEnvelope)?.traceId).toBe('11111111111111111111111111111111');

    expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
  });
});
