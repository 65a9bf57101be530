import { status } from '@grpc/grpc-js';
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call';
import { RpcError } from '@weave/runtime';
import { requesterOf } from '../identity/requester-identity';
import type { PolicyStore } from '../policy/policy-store';

/** The calling unit, or the RPC fails: UNAUTHENTICATED without a certificate, PERMISSION_DENIED for a unit not in the directory. */
export function callerOf(call: Pick<ServerSurfaceCall, 'getAuthContext'>, store: PolicyStore) {
  const identity = requesterOf(call, store.current().directory);
  if (identity.ok) return identity;
  if (identity.reason === 'no-client-certificate') {
    throw new RpcError(status.UNAUTHENTICATED, 'a client certificate issued to an agency unit is required');
  }
  throw new RpcError(status.PERMISSION_DENIED, 'the certificate names a unit that is not in the directory');
}
