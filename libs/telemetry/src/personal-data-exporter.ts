import type { Attributes, Link } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { REDACTED_ATTRIBUTE_COUNT, filterSpanAttributes, maskPersonalData } from './personal-data';

function filterEvent(event: TimedEvent): { event: TimedEvent; dropped: number } {
  const name = maskPersonalData(event.name);
  if (event.attributes === undefined) {
    return { event: name === event.name ? event : { ...event, name }, dropped: 0 };
  }
  const { attributes, dropped } = filterSpanAttributes(event.attributes);
  if (dropped === 0 && name === event.name) return { event, dropped };
  return { event: { ...event, name, attributes }, dropped };
}

function filterLink(link: Link): { link: Link; dropped: number } {
  if (link.attributes === undefined) return { link, dropped: 0 };
  const { attributes, dropped } = filterSpanAttributes(link.attributes);
  return { link: dropped === 0 ? link : { ...link, attributes }, dropped };
}

/**
 * A view of `span` without personal data: attributes (span, event and link) that are
 * personal data are dropped and counted in `weave.redacted_attribute_count`; the span
 * name, event names and status message are masked in place. The original span is
 * returned as is when nothing had to change.
 */
export function filterReadableSpan(span: ReadableSpan): ReadableSpan {
  const own = filterSpanAttributes(span.attributes);
  const events = span.events.map(filterEvent);
  const links = span.links.map(filterLink);
  const name = maskPersonalData(span.name);
  const statusMessage = span.status.message === undefined ? undefined : maskPersonalData(span.status.message);

  const dropped =
    own.dropped + events.reduce((n, e) => n + e.dropped, 0) + links.reduce((n, l) => n + l.dropped, 0);
  const unchanged =
    dropped === 0 &&
    name === span.name &&
    statusMessage === span.status.message &&
    events.every((e, i) => e.event === span.events[i]);
  if (unchanged) return span;

  const attributes: Attributes = { ...own.attributes };
  if (dropped > 0) {
    const earlier = attributes[REDACTED_ATTRIBUTE_COUNT];
    attributes[REDACTED_ATTRIBUTE_COUNT] = (typeof earlier === 'number' ? earlier : 0) + dropped;
  }
  return {
    name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: statusMessage === undefined ? { code: span.status.code } : { code: span.status.code, message: statusMessage },
    attributes,
    links: links.map((l) => l.link),
    events: events.map((e) => e.event),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * Wraps any exporter so that spans pass the personal-data filter first. Every exporter
 * weave configures is wrapped; instrumentation libraries record SQL text, URLs and
 * exception messages that can carry personal data no matter how careful our own code is.
 */
export class PersonalDataFilteringExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let filtered: ReadableSpan[];
    try {
      filtered = spans.map(filterReadableSpan);
    } catch (error: unknown) {
      // Never fall back to the unfiltered spans.
      resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    this.inner.export(filtered, resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush ? this.inner.forceFlush() : Promise.resolve();
  }
}
