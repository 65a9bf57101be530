import { ROOT_CONTEXT, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import type { TraceContext } from '@weave/contracts';

const setter: TextMapSetter<Record<string, string>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** W3C trace context of `ctx` as header-like key/values (traceparent, tracestate). */
export function injectTraceContext(ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier, setter);
  return carrier;
}

/**
 * Parent context of a consumed message: Kafka headers first, the envelope's own copy
 * when a relay dropped the headers, the root context when neither has one.
 */
export function extractTraceContext(headers: Record<string, string>, fromEnvelope?: TraceContext): Context {
  if (headers['traceparent']) {
    return propagation.extract(ROOT_CONTEXT, headers, getter);
  }
  if (fromEnvelope?.traceparent) {
    const carrier: Record<string, string> = { traceparent: fromEnvelope.traceparent };
    if (fromEnvelope.tracestate) carrier['tracestate'] = fromEnvelope.tracestate;
    return propagation.extract(ROOT_CONTEXT, carrier, getter);
  }
  return ROOT_CONTEXT;
}
