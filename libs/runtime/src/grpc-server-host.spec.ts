import { status } from '@grpc/grpc-js';
import { PoliceAdapterServiceService } from '@weave/contracts';
import { clientCredentials, serverCredentials } from './grpc-credentials';
import { RpcError } from './grpc-errors';
import { serviceNameOf } from './grpc-server-host';

describe('serviceNameOf', () => {
  it('reads the fully qualified service name from a generated definition', () => {
    expect(serviceNameOf(PoliceAdapterServiceService)).toBe('weave.police.v1.PoliceAdapterService');
  });

  it('refuses a definition without methods', () => {
    expect(() => serviceNameOf({})).toThrow('service definition without methods');
  });
});

describe('TLS credentials', () => {
  it('are plaintext only when nothing is configured', () => {
    expect(serverCredentials({})._isSecure()).toBe(false);
    expect(clientCredentials({})._isSecure()).toBe(false);
  });

  it.each([
    [{ certPath: '/c' }],
    [{ certPath: '/c', keyPath: '/k' }],
    [{ caPath: '/ca' }],
  ])('refuse a partial configuration %p instead of downgrading', (tls) => {
    expect(() => serverCredentials(tls)).toThrow('must be set together');
    expect(() => clientCredentials(tls)).toThrow('must be set together');
  });
});

describe('RpcError.invalidArgument', () => {
  it('lists every field in the status message', () => {
    const err = RpcError.invalidArgument([
      { field: 'incident_id', description: 'required' },
      { field: 'parties[0].role', description: 'required' },
    ]);
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.message).toBe('incident_id: required; parties[0].role: required');
    expect(err.violations).toHaveLength(2);
  });
});
