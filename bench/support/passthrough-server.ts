/**
 * The Query benchmark's baseline: a bare grpc-js DisclosureService that does only what any
 * gateway must do at the wire — mTLS in, the same three Lookup calls out (mTLS), merge the
 * records, answer. No policy, no registry, no ledger, no rate limit.
 *
 *   node -r ./tools/register.js bench/support/passthrough-server.ts <listen> <ca> <cert> <key> system=host:port...
 */
import { readFileSync } from 'node:fs';
import { Metadata, Server, ServerCredentials, credentials, type ServiceError } from '@grpc/grpc-js';
import {
  DataCategory,
  DataHolderServiceClient,
  DisclosureServiceService,
  Outcome,
  type DisclosedRecord,
  type HeldRecord,
  type QueryRequest,
  type QueryResponse,
} from '@weave/contracts';

const [listen = '127.0.0.1:0', ca = '', cert = '', key = '', ...holderArgs] = process.argv.slice(2);
const clientCreds = credentials.createSsl(readFileSync(ca), readFileSync(key), readFileSync(cert));
const holders = holderArgs.map((arg) => {
  const [system = '', address = ''] = arg.split('=');
  return { system, client: new DataHolderServiceClient(address, clientCreds) };
});
const CATEGORIES: Record<string, DataCategory[]> = {
  welfare: [DataCategory.DATA_CATEGORY_IDENTITY, DataCategory.DATA_CATEGORY_HOUSEHOLD_COMPOSITION, DataCategory.DATA_CATEGORY_WELFARE_BENEFIT_STATUS],
  protection: [DataCategory.DATA_CATEGORY_PROTECTION_CASE_STATUS],
  'mental-health': [DataCategory.DATA_CATEGORY_MENTAL_HEALTH],
};

function lookup(h: (typeof holders)[number], request: QueryRequest): Promise<HeldRecord[]> {
  return new Promise((resolve, reject) =>
    h.client.lookup(
      { personPseudonym: request.personPseudonym, categories: CATEGORIES[h.system] ?? [], decisionId: '' },
      new Metadata(),
      { deadline: Date.now() + 2_000 },
      (err: ServiceError | null, res) => (err ? reject(err) : resolve(res.records)),
    ),
  );
}

const server = new Server();
server.addService(DisclosureServiceService, {
  query: (call: { request: QueryRequest }, callback: (err: ServiceError | null, res?: QueryResponse) => void) => {
    Promise.all(holders.map((h) => lookup(h, call.request).then((records) => records.map((r): DisclosedRecord => ({ ...r, sourceSystem: h.system, basis: 0, ruleId: '' })))))
      .then((lists) =>
        callback(null, { outcome: Outcome.OUTCOME_PERMIT, records: lists.flat(), withheld: [], policyVersion: '', ledgerEntryId: '', decisionId: '', breakGlass: undefined, unavailable: [] }),
      )
      .catch((err: ServiceError) => callback(err));
  },
});
const serverCreds = ServerCredentials.createSsl(readFileSync(ca), [{ cert_chain: readFileSync(cert), private_key: readFileSync(key) }], true);
server.bindAsync(listen, serverCreds, (err, port) => {
  if (err) {
    process.stderr.write(`passthrough failed to bind: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`LISTENING ${port}\n`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
