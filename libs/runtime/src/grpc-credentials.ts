import { readFileSync } from 'node:fs';
import { ChannelCredentials, ServerCredentials } from '@grpc/grpc-js';

export interface TlsFiles {
  readonly certPath?: string | undefined;
  readonly keyPath?: string | undefined;
  readonly caPath?: string | undefined;
}

/**
 * Mutual TLS when certificate, key and CA are all given: the server then refuses clients
 * without a certificate from that CA. None given means plaintext (local development
 * only); a partial set is a configuration error, never a silent downgrade.
 */
export function serverCredentials(tls: TlsFiles): ServerCredentials {
  const given = [tls.certPath, tls.keyPath, tls.caPath].filter(Boolean).length;
  if (given === 0) return ServerCredentials.createInsecure();
  if (given !== 3 || !tls.certPath || !tls.keyPath || !tls.caPath) {
    throw new Error('GRPC_TLS_CERT, GRPC_TLS_KEY and GRPC_TLS_CA must be set together');
  }
  return ServerCredentials.createSsl(
    readFileSync(tls.caPath),
    [{ cert_chain: readFileSync(tls.certPath), private_key: readFileSync(tls.keyPath) }],
    true,
  );
}

export function clientCredentials(tls: TlsFiles): ChannelCredentials {
  const given = [tls.certPath, tls.keyPath, tls.caPath].filter(Boolean).length;
  if (given === 0) return ChannelCredentials.createInsecure();
  if (given !== 3 || !tls.certPath || !tls.keyPath || !tls.caPath) {
    throw new Error('client certificate, key and CA must be set together');
  }
  return ChannelCredentials.createSsl(readFileSync(tls.caPath), readFileSync(tls.keyPath), readFileSync(tls.certPath));
}
