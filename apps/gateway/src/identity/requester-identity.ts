import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call';
import type { Directory, Requester } from '@weave/policy';

export type IdentityResult =
  | { readonly ok: true; readonly requester: Requester; readonly supervisor: string; readonly system: string }
  | { readonly ok: false; readonly reason: 'no-client-certificate' | 'unknown-unit' };

/**
 * The calling unit, from the common name of its verified client certificate (the TLS layer
 * has already checked it chains to the configured CA) and its role from the directory.
 * Nothing the caller writes in a request field is trusted for identity or role.
 */
export function requesterOf(call: Pick<ServerSurfaceCall, 'getAuthContext'>, directory: Directory): IdentityResult {
  const auth = call.getAuthContext();
  const commonName = auth.transportSecurityType === 'ssl' ? auth.sslPeerCertificate?.subject?.CN : undefined;
  const unitId = Array.isArray(commonName) ? undefined : commonName;
  if (!unitId) return { ok: false, reason: 'no-client-certificate' };
  const unit = directory.units.get(unitId);
  if (!unit) return { ok: false, reason: 'unknown-unit' };
  return { ok: true, requester: { unitId: unit.id, role: unit.role }, supervisor: unit.supervisor, system: unit.system };
}
