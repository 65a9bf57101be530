import {
  SpanStatusCode,
  isSpanContextValid,
  trace,
  type Attributes,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import { maskPersonalData } from './personal-data';

const TRACER_NAME = '@weave/telemetry';

/** Trace id of the active span, if there is a valid one. */
export function currentTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context !== undefined && isSpanContextValid(context) ? context.traceId : undefined;
}

/** Error name, message and stack with personal data masked, for span events and status. */
export function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) {
    const message = maskPersonalData(error.message);
    const stack =
      error.stack === undefined
        ? undefined
        : maskPersonalData(error.message === '' ? error.stack : error.stack.split(error.message).join(message));
    return stack === undefined
      ? { name: maskPersonalData(error.name), message }
      : { name: maskPersonalData(error.name), message, stack };
  }
  return { name: 'Error', message: maskPersonalData(typeof error === 'string' ? error : String(error)) };
}

/** Records `error` on `span` (exception event + ERROR status) without its personal data. */
export function recordSpanError(span: Span, error: unknown): void {
  const described = describeError(error);
  span.recordException(described);
  span.setStatus({ code: SpanStatusCode.ERROR, message: described.message });
}

/**
 * Runs `fn` inside a new active span. A thrown error or rejected promise is recorded
 * (masked) and the span marked ERROR, then rethrown unchanged; the span always ends. On
 * success the status stays UNSET, as OpenTelemetry recommends for instrumentation.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
  options: Omit<SpanOptions, 'attributes'> = {},
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { ...options, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error: unknown) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}
