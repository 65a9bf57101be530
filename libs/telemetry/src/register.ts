/**
 * `--require` entry: `node -r ./tools/register.js -r ./libs/telemetry/src/register.ts app.ts`.
 * It must run before the application imports http, grpc, pg, ioredis or NestJS so that the
 * instrumentations can patch them. Configuration is the standard OTEL_* environment (see
 * README). No signal handlers here: the service runtime calls shutdownTelemetry() on
 * SIGTERM once the application has closed.
 */
import { startTelemetry } from './start-telemetry';

startTelemetry();
