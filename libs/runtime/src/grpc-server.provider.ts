import type { FactoryProvider, InjectionToken } from '@nestjs/common';
import type { Logger } from 'pino';
import { GrpcServerHost, type GrpcServiceBinding } from './grpc-server-host';

/** The gRPC part of a service's configuration (grpcServerVariables in @weave/config). */
export interface GrpcServerConfig {
  readonly grpcListenAddr: string;
  readonly grpcHealthListenAddr?: string | undefined;
  readonly grpcTlsCert?: string | undefined;
  readonly grpcTlsKey?: string | undefined;
  readonly grpcTlsCa?: string | undefined;
}

export interface GrpcServerProviderOptions<Deps extends unknown[]> {
  readonly config: GrpcServerConfig;
  /** .proto files (relative to protos/) that reflection describes. */
  readonly protoFiles: readonly string[];
  readonly inject?: InjectionToken[];
  readonly services?: (...deps: Deps) => GrpcServiceBinding[];
}

/**
 * A NestJS provider of the service's gRPC server: it listens once the application has
 * bootstrapped and stops first at shutdown.
 */
export function grpcServerProvider<Deps extends unknown[]>(options: GrpcServerProviderOptions<Deps>, logger: Logger): FactoryProvider<GrpcServerHost> {
  const { config } = options;
  return {
    provide: GrpcServerHost,
    inject: options.inject ?? [],
    useFactory: (...deps: unknown[]) =>
      new GrpcServerHost(
        {
          listenAddr: config.grpcListenAddr,
          healthListenAddr: config.grpcHealthListenAddr,
          tls: { certPath: config.grpcTlsCert, keyPath: config.grpcTlsKey, caPath: config.grpcTlsCa },
          protoFiles: options.protoFiles,
          services: options.services ? options.services(...(deps as Deps)) : [],
        },
        logger,
      ),
  };
}
