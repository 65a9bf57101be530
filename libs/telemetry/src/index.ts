export {
  REDACTED_ATTRIBUTE_COUNT,
  containsPersonalData,
  filterSpanAttributes,
  findPersonalData,
  isPersonalDataKey,
  maskPersonalData,
  redactPersonalData,
  redactionMarker,
  type PersonalDataKind,
} from './personal-data';
export { PersonalDataFilteringExporter, filterReadableSpan } from './personal-data-exporter';
export {
  JsonLinesSpanExporter,
  hrTimeToIsoMicros,
  spanToJsonRecord,
  type JsonSpanKind,
  type JsonSpanRecord,
  type JsonSpanStatusCode,
} from './json-lines-span-exporter';
export { PinoNestLogger, createLogger, type CreateLoggerOptions, type Logger } from './logger';
export { currentTraceId, describeError, recordSpanError, withSpan } from './trace';
export { resolveTelemetryConfig, type TelemetryConfig, type TraceExporterName } from './telemetry-config';
export { isTelemetryStarted, shutdownTelemetry } from './telemetry-state';
