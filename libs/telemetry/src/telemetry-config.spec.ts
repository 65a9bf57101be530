import { resolveTelemetryConfig } from './telemetry-config';
import { getTelemetryState, initTelemetryState, isTelemetryStarted, shutdownTelemetry } from './telemetry-state';

describe('resolveTelemetryConfig', () => {
  it('exports nothing by default', () => {
    expect(resolveTelemetryConfig({})).toEqual({
      disabled: false,
      serviceName: undefined,
      exporters: [],
      tracesFile: undefined,
      unknownExporters: [],
    });
  });

  it('defaults to otlp when an OTLP endpoint is set', () => {
    expect(resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).exporters).toEqual(['otlp']);
    expect(resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }).exporters).toEqual(['otlp']);
    expect(resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).exporters).toEqual([]);
  });

  it('reads the OTEL_TRACES_EXPORTER list', () => {
    expect(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'console' }).exporters).toEqual(['console']);
    expect(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: ' OTLP , console,otlp' }).exporters).toEqual(['otlp', 'console']);
    expect(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }).exporters).toEqual([]);
    expect(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'otlp,none' }).exporters).toEqual([]);
    expect(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'zipkin,console' })).toMatchObject({
      exporters: ['console'],
      unknownExporters: ['zipkin'],
    });
  });

  it('reads the service name, traces file and disable switch', () => {
    expect(
      resolveTelemetryConfig({ OTEL_SERVICE_NAME: 'gateway', WEAVE_TRACES_FILE: '.local/traces/gateway.jsonl', OTEL_SDK_DISABLED: 'TRUE' }),
    ).toMatchObject({ serviceName: 'gateway', tracesFile: '.local/traces/gateway.jsonl', disabled: true });
    expect(resolveTelemetryConfig({ OTEL_SDK_DISABLED: 'false' }).disabled).toBe(false);
  });
});

describe('telemetry state', () => {
  it('is a no-op without a started SDK and starts at most once', async () => {
    expect(getTelemetryState()).toBeUndefined();
    await expect(shutdownTelemetry()).resolves.toBeUndefined();
    expect(isTelemetryStarted()).toBe(false);

    let shutdowns = 0;
    const first = initTelemetryState(() => ({
      sdk: {
        shutdown: async () => {
          shutdowns++;
        },
      },
    }));
    const second = initTelemetryState(() => {
      throw new Error('must not be called');
    });
    expect(second).toBe(first);
    expect(isTelemetryStarted()).toBe(true);

    await Promise.all([shutdownTelemetry(), shutdownTelemetry()]);
    await shutdownTelemetry();
    expect(shutdowns).toBe(1);
    expect(isTelemetryStarted()).toBe(false);
  });
});
