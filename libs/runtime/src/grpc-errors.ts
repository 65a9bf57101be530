import { Metadata, status, type ServiceError, type handleUnaryCall, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { FieldViolations, type FieldViolation } from '@weave/contracts';
import type { Logger } from 'pino';

export const FIELD_VIOLATIONS_TRAILER = 'weave-field-violations-bin';

/**
 * An error meant for the caller: a gRPC status and a message that is safe to show (never
 * personal data). Anything else thrown by a handler becomes INTERNAL with a generic text.
 */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
  ) {
    super(message);
    this.name = 'RpcError';
  }

  static invalidArgument(violations: readonly FieldViolation[]): RpcError {
    return new RpcError(status.INVALID_ARGUMENT, violations.map((v) => `${v.field}: ${v.description}`).join('; '), violations);
  }
}

function toServiceError(err: unknown, logger: Logger, method: string): Partial<ServiceError> {
  if (err instanceof RpcError) {
    const metadata = new Metadata();
    if (err.violations.length > 0) {
      metadata.set(FIELD_VIOLATIONS_TRAILER, Buffer.from(FieldViolations.encode({ violations: [...err.violations] }).finish()));
    }
    return { code: err.code, details: err.message, metadata };
  }
  logger.error({ err, method }, 'unhandled error in rpc handler');
  return { code: status.INTERNAL, details: 'internal error; see the trace for this call' };
}

/** Adapts an async handler to grpc-js's callback style, mapping errors to statuses. */
export function unary<Req, Res>(
  logger: Logger,
  method: string,
  handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toServiceError(err, logger, method)),
    );
  };
}

/** Decodes the field violations a server attached to an INVALID_ARGUMENT error. */
export function fieldViolationsOf(err: ServiceError): FieldViolation[] {
  const [raw] = err.metadata?.get(FIELD_VIOLATIONS_TRAILER) ?? [];
  return raw instanceof Buffer ? FieldViolations.decode(raw).violations : [];
}
