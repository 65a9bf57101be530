import { DiagLogLevel, diag, type DiagLogger } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { JsonLinesSpanExporter } from './json-lines-span-exporter';
import { createLogger, type Logger } from './logger';
import { PersonalDataFilteringExporter } from './personal-data-exporter';
import { resolveTelemetryConfig, type TelemetryConfig } from './telemetry-config';
import { initTelemetryState, type TelemetryState } from './telemetry-state';

function filtered(exporter: SpanExporter): SpanExporter {
  return new PersonalDataFilteringExporter(exporter);
}

export function buildSpanProcessors(config: TelemetryConfig): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  for (const name of config.exporters) {
    switch (name) {
      case 'otlp':
        // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself,
        // the processor OTEL_BSP_*.
        processors.push(new BatchSpanProcessor(filtered(new OTLPTraceExporter())));
        break;
      case 'console':
        processors.push(new SimpleSpanProcessor(filtered(new ConsoleSpanExporter())));
        break;
    }
  }
  if (config.tracesFile !== undefined) {
    // Written as each span ends: `npm run trace` is run seconds after a demo request.
    processors.push(new SimpleSpanProcessor(filtered(new JsonLinesSpanExporter(config.tracesFile))));
  }
  if (processors.length === 0) {
    // NodeSDK registers neither the tracer provider nor the W3C propagator without a
    // processor. weave still wants trace context carried across gRPC and Kafka, and
    // trace ids in logs, when nothing is exported.
    processors.push(new NoopSpanProcessor());
  }
  return processors;
}

export function buildInstrumentations(): (
  | GrpcInstrumentation
  | HttpInstrumentation
  | PgInstrumentation
  | IORedisInstrumentation
  | NestInstrumentation
)[] {
  // No kafkajs instrumentation: @weave/bus creates the PRODUCER/CONSUMER spans itself and
  // injects/extracts trace context in message headers and the envelope. The generic
  // instrumentation would add a second span for every publish and consume and a second
  // traceparent header.
  return [
    new GrpcInstrumentation(),
    new HttpInstrumentation(),
    // Bound parameter values are case data; only the parameterised SQL text is recorded.
    new PgInstrumentation({ enhancedDatabaseReporting: false }),
    // Redis keys can embed subject references; record the command and argument count only.
    new IORedisInstrumentation({ dbStatementSerializer: (command, args) => `${command} [${args.length} args]` }),
    new NestInstrumentation(),
  ];
}

/** OpenTelemetry's own warnings (failed exports, bad configuration) as JSON log lines. */
function diagnosticsLogger(logger: Logger): DiagLogger {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, ...args: unknown[]): void => {
      if (args.length > 0) logger[level]({ args }, message);
      else logger[level](message);
    };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    verbose: write('trace'),
  };
}

/**
 * Starts the OpenTelemetry NodeSDK for this process, once. Later calls (a second
 * `-r register.ts`, the alias and relative paths both loaded) return the first state.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): TelemetryState {
  return initTelemetryState(() => {
    const config = resolveTelemetryConfig(env);
    if (config.disabled) return { sdk: undefined };

    const processors = buildSpanProcessors(config);
    const sdk = new NodeSDK({
      ...(config.serviceName === undefined ? {} : { serviceName: config.serviceName }),
      spanProcessors: processors,
      instrumentations: buildInstrumentations(),
      // Logs are pino JSON on stdout; without this NodeSDK would start an OTLP log
      // exporter towards localhost by default.
      logRecordProcessors: [],
    });
    // After the SDK constructor, which installs a console diag logger when OTEL_LOG_LEVEL is set.
    diag.setLogger(diagnosticsLogger(createLogger('opentelemetry')), {
      logLevel: diagLogLevelFromString(env['OTEL_LOG_LEVEL']) ?? DiagLogLevel.WARN,
      suppressOverrideMessage: true,
    });
    for (const name of config.unknownExporters) {
      diag.warn(`OTEL_TRACES_EXPORTER value "${name}" is not supported by weave (otlp, console, none); ignored`);
    }
    sdk.start();
    return {
      sdk: {
        // Flush first: a SimpleSpanProcessor's shutdown does not wait for exports still
        // waiting on resource detection, so the last spans would be lost.
        shutdown: async () => {
          await Promise.allSettled(processors.map((p) => p.forceFlush()));
          await sdk.shutdown();
        },
      },
    };
  });
}
