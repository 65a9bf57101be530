export { Database } from './database';
export { clientCredentials, serverCredentials, type TlsFiles } from './grpc-credentials';
export { FIELD_VIOLATIONS_TRAILER, RpcError, fieldViolationsOf, unary } from './grpc-errors';
export { GrpcServerHost, serviceNameOf, type GrpcServerOptions, type GrpcServiceBinding } from './grpc-server-host';
export { grpcServerProvider, type GrpcServerConfig, type GrpcServerProviderOptions } from './grpc-server.provider';
export { createPool, migrate } from './postgres';
export { RedisConnection } from './redis-connection';
export { runService, type ServiceStart } from './run-service';
