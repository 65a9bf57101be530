import { Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { DataHolderServiceClient, type HeldRecord, type LookupRequest } from '@weave/contracts';

export type LookupOutcome = { readonly ok: true; readonly records: readonly HeldRecord[] } | { readonly ok: false; readonly reason: string };

/**
 * gRPC clients of the data-holding adapters, one per agency system, over mutual TLS with the
 * gateway's own certificate. A holder that errs or misses the deadline is reported as
 * unavailable; the caller withholds its categories and says so.
 */
export class DataHolderClients {
  private readonly clients = new Map<string, DataHolderServiceClient>();

  constructor(
    endpoints: Readonly<Record<string, string>>,
    credentials: ChannelCredentials,
    private readonly timeoutMs: number,
  ) {
    for (const [system, address] of Object.entries(endpoints)) {
      this.clients.set(system, new DataHolderServiceClient(address, credentials, { 'grpc.keepalive_time_ms': 30_000 }));
    }
  }

  has(system: string): boolean {
    return this.clients.has(system);
  }

  lookup(system: string, request: LookupRequest): Promise<LookupOutcome> {
    const client = this.clients.get(system);
    if (!client) return Promise.resolve({ ok: false, reason: 'no endpoint configured' });
    return new Promise((resolve) => {
      client.lookup(request, new Metadata(), { deadline: Date.now() + this.timeoutMs }, (err: ServiceError | null, response) => {
        if (err) resolve({ ok: false, reason: `gRPC status ${err.code}` });
        else resolve({ ok: true, records: response.records });
      });
    });
  }

  onApplicationShutdown(): void {
    for (const client of this.clients.values()) client.close();
  }
}
