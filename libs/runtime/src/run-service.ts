import 'reflect-metadata';
import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, createLogger, shutdownTelemetry } from '@weave/telemetry';

export interface ServiceStart {
  readonly module: DynamicModule | Type;
  readonly shutdownTimeoutMs: number;
}

/**
 * Starts a NestJS service: configuration is loaded by `start` (so a bad variable stops
 * the boot with a message naming it), then the module; SIGTERM or SIGINT closes the app
 * in lifecycle order (RPCs, consumers, database), flushes telemetry and exits.
 */
export async function runService(name: string, start: () => ServiceStart | Promise<ServiceStart>): Promise<INestApplicationContext | undefined> {
  const logger = createLogger(name);
  let app: INestApplicationContext;
  let shutdownTimeoutMs: number;
  try {
    const started = await start();
    shutdownTimeoutMs = started.shutdownTimeoutMs;
    app = await NestFactory.createApplicationContext(started.module, { logger: new PinoNestLogger(logger), abortOnError: false });
    await app.init();
  } catch (err) {
    logger.fatal({ err }, `${name} failed to start`);
    process.stderr.write(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdownTelemetry();
    process.exit(1);
  }

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, `${name} shutting down`);
    const deadline = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown timed out; exiting with work in flight (it will be redelivered)');
      process.exit(1);
    }, shutdownTimeoutMs);
    deadline.unref();
    app
      .close()
      .then(() => logger.info(`${name} stopped`))
      .catch((err: unknown) => logger.error({ err }, 'error during shutdown'))
      .finally(() => {
        void shutdownTelemetry().finally(() => process.exit(0));
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  logger.info(`${name} started`);
  return app;
}
