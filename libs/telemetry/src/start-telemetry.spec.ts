import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BasicTracerProvider, BatchSpanProcessor, NoopSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { buildInstrumentations, buildSpanProcessors } from './start-telemetry';
import { resolveTelemetryConfig } from './telemetry-config';

describe('buildSpanProcessors', () => {
  it('uses a batch processor for OTLP and prompt ones for console and the traces file', async () => {
    const processors = buildSpanProcessors(
      resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'otlp,console', WEAVE_TRACES_FILE: '/tmp/never-written.jsonl' }),
    );
    expect(processors.map((p) => p.constructor)).toEqual([BatchSpanProcessor, SimpleSpanProcessor, SimpleSpanProcessor]);
    await Promise.all(processors.map((p) => p.shutdown()));
  });

  it('keeps a no-op processor when nothing is exported, so context still propagates', () => {
    const processors = buildSpanProcessors(resolveTelemetryConfig({}));
    expect(processors).toHaveLength(1);
    expect(processors[0]).toBeInstanceOf(NoopSpanProcessor);
  });

  it('filters personal data before the traces file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'weave-start-'));
    try {
      const file = path.join(dir, 'svc.jsonl');
      const provider = new BasicTracerProvider({
        spanProcessors: buildSpanProcessors(resolveTelemetryConfig({ WEAVE_TRACES_FILE: file })),
      });
      provider
        .getTracer('t')
        .startSpan('lookup', { attributes: { 'weave.subject_national_id': 'A123456789', 'rpc.method': 'Lookup' } })
        .end();
      await provider.shutdown();
      const [line] = readFileSync(file, 'utf8').trim().split('\n');
      expect(JSON.parse(line ?? '{}')).toMatchObject({
        name: 'lookup',
        attributes: { 'rpc.method': 'Lookup', 'weave.redacted_attribute_count': 1 },
      });
      expect(line).not.toContain('A123456789');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildInstrumentations', () => {
  it('lists grpc, http, pg, ioredis and nestjs-core, and no kafkajs', () => {
    const instrumentations = buildInstrumentations();
    try {
      expect(instrumentations.map((i) => i.instrumentationName).sort()).toEqual([
        '@opentelemetry/instrumentation-grpc',
        '@opentelemetry/instrumentation-http',
        '@opentelemetry/instrumentation-ioredis',
        '@opentelemetry/instrumentation-nestjs-core',
        '@opentelemetry/instrumentation-pg',
      ]);
    } finally {
      instrumentations.forEach((i) => i.disable());
    }
  });
});
