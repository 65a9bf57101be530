import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { PROTOS_ROOT } from '@weave/contracts';
import type { Logger } from 'pino';
import { serverCredentials, type TlsFiles } from './grpc-credentials';

export interface GrpcServiceBinding {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  readonly listenAddr: string;
  /** A second, plaintext listener with health checking only (probes cannot present a client certificate). */
  readonly healthListenAddr?: string | undefined;
  readonly tls: TlsFiles;
  /** .proto files (relative to protos/) served by reflection, e.g. weave/police/v1/police_adapter.proto. */
  readonly protoFiles: readonly string[];
  readonly services: readonly GrpcServiceBinding[];
  /** Grace for calls in flight at shutdown. */
  readonly shutdownGraceMs?: number;
}

/** Fully qualified gRPC service name, read from the first method path of a definition. */
export function serviceNameOf(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new Error('service definition without methods');
  return first.path.split('/')[1] ?? '';
}

/**
 * A service's gRPC server: its own services plus standard health checking
 * (grpc.health.v1) and server reflection, so grpcurl, grpc_health_probe and Kubernetes
 * probes work against every weave service.
 */
export class GrpcServerHost {
  private readonly server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  private readonly healthServer: Server | undefined;
  private readonly health: HealthImplementation;
  private readonly names: string[];
  private boundPort: number | undefined;

  constructor(
    private readonly options: GrpcServerOptions,
    private readonly logger: Logger,
  ) {
    this.names = options.services.map((s) => serviceNameOf(s.definition));
    this.health = new HealthImplementation(Object.fromEntries([['', 'NOT_SERVING'], ...this.names.map((n) => [n, 'NOT_SERVING'])]));
    for (const service of options.services) {
      this.server.addService(service.definition, service.implementation);
    }
    this.health.addToServer(this.server);
    if (options.healthListenAddr) {
      this.healthServer = new Server();
      this.health.addToServer(this.healthServer);
    }
    const reflected = loadSync([...options.protoFiles, healthProtoPath], { includeDirs: [PROTOS_ROOT], keepCase: true });
    new ReflectionService(reflected).addToServer(this.server);
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error('gRPC server not started');
    return this.boundPort;
  }

  async start(): Promise<number> {
    const credentials = serverCredentials(this.options.tls);
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(this.options.listenAddr, credentials, (err, port) => (err ? reject(err) : resolve(port)));
    });
    const healthServer = this.healthServer;
    const healthAddr = this.options.healthListenAddr;
    if (healthServer && healthAddr) {
      await new Promise<number>((resolve, reject) =>
        healthServer.bindAsync(healthAddr, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
      );
    }
    for (const name of ['', ...this.names]) this.health.setStatus(name, 'SERVING');
    const [host] = this.options.listenAddr.split(':');
    this.logger.info({ address: `${host}:${this.boundPort}`, services: this.names, mtls: Boolean(this.options.tls.caPath) }, 'gRPC server listening');
    return this.boundPort;
  }

  /** NestJS hook: listen once every provider is ready. */
  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** NestJS hook: RPCs stop first, before consumers and the database close. */
  onModuleDestroy(): Promise<void> {
    return this.boundPort === undefined ? Promise.resolve() : this.stop(this.options.shutdownGraceMs ?? 5_000);
  }

  /** Reports NOT_SERVING, lets calls in flight finish for `graceMs`, then cuts the rest. */
  async stop(graceMs: number): Promise<void> {
    for (const name of ['', ...this.names]) this.health.setStatus(name, 'NOT_SERVING');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.healthServer?.forceShutdown();
  }
}
