import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface ServiceProcessOptions {
  /** Nx app name under apps/, e.g. "gateway". */
  readonly app: string;
  readonly env: Readonly<Record<string, string>>;
  /** Where the service's JSON log lines go. */
  readonly logFile: string;
  /** Extra node options, e.g. ['--cpu-prof'] for a benchmark's profile. */
  readonly nodeArgs?: readonly string[];
}

/**
 * A weave service running as its own process from source, exactly as the README runs it:
 * TypeScript register, then telemetry, then the app's main.ts.
 */
export class ServiceProcess {
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly app: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exit = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  }

  static start(options: ServiceProcessOptions): ServiceProcess {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      [
        ...(options.nodeArgs ?? []),
        '-r',
        join(REPO_ROOT, 'tools/register.js'),
        '-r',
        join(REPO_ROOT, 'libs/telemetry/src/register.ts'),
        join(REPO_ROOT, 'apps', options.app, 'src/main.ts'),
      ],
      { cwd: REPO_ROOT, env: { ...inheritedEnv(), OTEL_SERVICE_NAME: options.app, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    return new ServiceProcess(options.app, child, options.logFile);
  }

  logs(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  /** SIGTERM and wait; resolves with the exit code (0 for a clean shutdown). */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const { code } = await this.exit;
    clearTimeout(timer);
    return code;
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit;
  }
}

/**
 * The parent's environment without its Kafka identity: tests and tools hold the operator's
 * (KAFKA_TLS_* of .local/stack.env, a super user), which a service must never inherit. A
 * service gets its own through `env` (serviceKafkaEnv), or connects without one and is refused.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const { KAFKA_TLS_CA: _ca, KAFKA_TLS_CERT: _cert, KAFKA_TLS_KEY: _key, ...rest } = process.env;
  return rest;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

type HealthClient = Client & {
  check(request: { service: string }, callback: (err: ServiceError | null, response?: { status: string }) => void): void;
};

const healthPackage = loadPackageDefinition(loadSync(healthProtoPath, { keepCase: true, enums: String })) as unknown as {
  grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
};

/** grpc.health.v1 Check: "SERVING", "NOT_SERVING", …, or the error text when unreachable. */
export function checkHealth(address: string, service = ''): Promise<string> {
  const client = new healthPackage.grpc.health.v1.Health(address, credentials.createInsecure());
  return new Promise((resolveStatus) => {
    client.check({ service }, (err, response) => {
      client.close();
      resolveStatus(err ? `UNREACHABLE: ${err.code}` : (response?.status ?? 'UNKNOWN'));
    });
  });
}

/** Waits until the service reports SERVING over gRPC health checking, or its process dies. */
export async function waitUntilServing(service: ServiceProcess, address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(`${service.app} exited with ${service.child.exitCode} before serving; log: ${service.logFile}`);
    }
    last = await checkHealth(address);
    if (last === 'SERVING') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.app} not SERVING at ${address} after ${timeoutMs} ms (last: ${last}); log: ${service.logFile}`);
}
