import { join } from 'node:path';
import { credentials, loadPackageDefinition, status, type ServiceError, type ClientDuplexStream } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import {
  IncidentKind,
  PoliceAdapterServiceClient,
  PoliceAdapterServiceService,
  type RecordIncidentRequest,
  type RecordIncidentResponse,
} from '@weave/contracts';
import { checkHealth, createTestPki } from '@weave/testing';
import pino from 'pino';
import { clientCredentials } from './grpc-credentials';
import { RpcError, fieldViolationsOf, unary } from './grpc-errors';
import { GrpcServerHost } from './grpc-server-host';

const logger = pino({ level: 'silent' });

function hostWith(handler: (req: RecordIncidentRequest) => Promise<RecordIncidentResponse>, tls = {}): GrpcServerHost {
  return new GrpcServerHost(
    {
      listenAddr: '127.0.0.1:0',
      tls,
      protoFiles: ['weave/police/v1/police_adapter.proto'],
      services: [{ definition: PoliceAdapterServiceService, implementation: { recordIncident: unary(logger, 'RecordIncident', handler) } }],
      shutdownGraceMs: 1_000,
    },
    logger,
  );
}

function call(client: PoliceAdapterServiceClient, request: Partial<RecordIncidentRequest> = {}): Promise<RecordIncidentResponse> {
  const full: RecordIncidentRequest = {
    incidentId: 'X-1',
    kind: IncidentKind.INCIDENT_KIND_OTHER,
    townshipCode: '10008010',
    parties: [],
    precinctUnitId: 'p',
    childrenPresent: false,
    weaponInvolved: false,
    occurredAt: undefined,
    ...request,
  };
  return new Promise((resolve, reject) => client.recordIncident(full, (err, res) => (err ? reject(err) : resolve(res))));
}

type ReflectionStream = ClientDuplexStream<{ list_services: string }, { list_services_response?: { service: { name: string }[] } }>;

/** Lists services through the standard reflection protocol, as grpcurl would. */
function listServicesByReflection(address: string): Promise<string[]> {
  const protoPath = join(require.resolve('@grpc/reflection/package.json'), '../build/proto/grpc/reflection/v1/reflection.proto');
  const pkg = loadPackageDefinition(loadSync(protoPath, { keepCase: true })) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => { ServerReflectionInfo(): ReflectionStream; close(): void } } } };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo();
    stream.on('data', (res) => {
      resolve((res.list_services_response?.service ?? []).map((s: { name: string }) => s.name).sort());
      stream.end();
      client.close();
    });
    stream.on('error', reject);
    stream.write({ list_services: '' });
  });
}

describe('GrpcServerHost', () => {
  it('serves its services with health checking and reflection', async () => {
    const host = hostWith(async (req) => ({ eventId: `e-${req.incidentId}`, duplicate: false, traceId: '' }));
    expect(await checkHealth('127.0.0.1:1')).toMatch(/^UNREACHABLE/);
    const port = await host.start();
    const address = `127.0.0.1:${port}`;
    try {
      expect(await checkHealth(address)).toBe('SERVING');
      expect(await checkHealth(address, 'weave.police.v1.PoliceAdapterService')).toBe('SERVING');
      expect(await checkHealth(address, 'no.such.Service')).toMatch(/^UNREACHABLE: 5/); // NOT_FOUND
      // Reflection describes the served protos (it does not list itself).
      expect(await listServicesByReflection(address)).toEqual(['grpc.health.v1.Health', 'weave.police.v1.PoliceAdapterService']);
      const client = new PoliceAdapterServiceClient(address, credentials.createInsecure());
      await expect(call(client)).resolves.toMatchObject({ eventId: 'e-X-1' });
      client.close();
    } finally {
      await host.stop(1_000);
    }
    expect(await checkHealth(address)).toMatch(/^UNREACHABLE/);
  });

  it('maps RpcError to its status with field violations, and anything else to a generic INTERNAL', async () => {
    const host = hostWith(async (req) => {
      if (req.incidentId === 'bad') throw RpcError.invalidArgument([{ field: 'township_code', description: 'required' }]);
      throw new Error('database said: row for A123456789 is locked');
    });
    const port = await host.start();
    const client = new PoliceAdapterServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
    try {
      const invalid = (await call(client, { incidentId: 'bad' }).catch((e: unknown) => e)) as ServiceError;
      expect(invalid.code).toBe(status.INVALID_ARGUMENT);
      expect(invalid.details).toBe('township_code: required');
      expect(fieldViolationsOf(invalid)).toEqual([{ field: 'township_code', description: 'required' }]);

      const internal = (await call(client, { incidentId: 'other' }).catch((e: unknown) => e)) as ServiceError;
      expect(internal.code).toBe(status.INTERNAL);
      expect(internal.details).toBe('internal error; see the trace for this call');
      expect(internal.details).not.toContain('A123456789');
    } finally {
      client.close();
      await host.stop(1_000);
    }
  });

  it('with TLS files set, accepts only clients holding a certificate from the CA', async () => {
    const pki = createTestPki('weave-runtime');
    const other = createTestPki('someone-else');
    const server = pki.issue('gateway');
    const host = hostWith(async () => ({ eventId: 'ok', duplicate: false, traceId: '' }), server);
    const port = await host.start();
    const address = `localhost:${port}`;
    const attempt = async (creds: ReturnType<typeof credentials.createInsecure>) => {
      const client = new PoliceAdapterServiceClient(address, creds, { 'grpc.initial_reconnect_backoff_ms': 100 });
      try {
        return await call(client).then(
          () => 'ok',
          (e: ServiceError) => `error ${e.code}`,
        );
      } finally {
        client.close();
      }
    };
    try {
      expect(await attempt(clientCredentials(pki.issue('adapter-police', { organisationalUnit: 'police-precinct' })))).toBe('ok');
      expect(await attempt(credentials.createSsl(require('node:fs').readFileSync(pki.caPath)))).toBe(`error ${status.UNAVAILABLE}`);
      expect(await attempt(clientCredentials({ ...other.issue('intruder'), caPath: pki.caPath }))).toBe(`error ${status.UNAVAILABLE}`);
      expect(await attempt(credentials.createInsecure())).toBe(`error ${status.UNAVAILABLE}`);
    } finally {
      await host.stop(1_000);
    }
  });

  it('refuses a partial TLS configuration instead of falling back to plaintext', async () => {
    const pki = createTestPki('weave-partial');
    const host = hostWith(async () => ({ eventId: '', duplicate: false, traceId: '' }), { certPath: pki.issue('x').certPath });
    await expect(host.start()).rejects.toThrow('GRPC_TLS_CERT, GRPC_TLS_KEY and GRPC_TLS_CA must be set together');
  });
});
