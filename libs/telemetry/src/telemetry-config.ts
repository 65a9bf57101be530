export type TraceExporterName = 'otlp' | 'console';

export interface TelemetryConfig {
  /** OTEL_SDK_DISABLED=true: nothing is started. */
  readonly disabled: boolean;
  readonly serviceName: string | undefined;
  /** From OTEL_TRACES_EXPORTER, each exporter at most once. */
  readonly exporters: readonly TraceExporterName[];
  /** WEAVE_TRACES_FILE: JSON-lines span file of the local stack. */
  readonly tracesFile: string | undefined;
  /** Values of OTEL_TRACES_EXPORTER that were not understood. */
  readonly unknownExporters: readonly string[];
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * The telemetry set-up an environment asks for. Only standard OTEL_* variables plus
 * WEAVE_TRACES_FILE; OTLP endpoint, headers, protocol, timeouts, sampler, batch sizes and
 * propagators are read by the OpenTelemetry packages themselves.
 */
export function resolveTelemetryConfig(env: NodeJS.ProcessEnv): TelemetryConfig {
  const disabled = nonEmpty(env['OTEL_SDK_DISABLED'])?.toLowerCase() === 'true';
  const listed = (nonEmpty(env['OTEL_TRACES_EXPORTER']) ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  const endpoint =
    nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) !== undefined ||
    nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']) !== undefined;

  // Unlike the SDK's own default (always otlp), an unset list exports only when a
  // collector endpoint is configured: a developer laptop has no collector to retry against.
  const requested = listed.length > 0 ? listed : endpoint ? ['otlp'] : [];
  const exporters: TraceExporterName[] = [];
  const unknownExporters: string[] = [];
  if (!requested.includes('none')) {
    for (const name of requested) {
      if (name === 'otlp' || name === 'console') {
        if (!exporters.includes(name)) exporters.push(name);
      } else {
        unknownExporters.push(name);
      }
    }
  }
  return {
    disabled,
    serviceName: nonEmpty(env['OTEL_SERVICE_NAME']),
    exporters,
    tracesFile: nonEmpty(env['WEAVE_TRACES_FILE']),
    unknownExporters,
  };
}
