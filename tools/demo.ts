/**
 * Drives the platform's first path on the local stack: starts the police adapter, the
 * gateway and the protection adapter as separate processes, submits synthetic incidents
 * as the police system would, waits until the protection system has recorded each, and
 * prints the end-to-end trace. Services are stopped at the end; the stack keeps running.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import {
  IncidentKind,
  PoliceAdapterServiceClient,
  SubjectRole,
  incidentKindToJSON,
  type RecordIncidentRequest,
  type RecordIncidentResponse,
} from '@weave/contracts';
import { nationalIdCheckDigit } from '@weave/identity';
import { REPO_ROOT, ServiceProcess, expectEventually, freePort, serviceKafkaEnv, waitUntilServing } from '@weave/testing';
import { Client } from 'pg';
import { showTrace } from './trace-view';

const local = join(REPO_ROOT, '.local');
const tracesDir = join(local, 'traces');
const logsDir = join(local, 'logs');

/** A development pseudonym key, kept across runs so that pseudonyms stay stable. */
function devPseudonymKey(): string {
  if (process.env['WEAVE_PSEUDONYM_KEY']) return process.env['WEAVE_PSEUDONYM_KEY'];
  const file = join(local, 'dev-pseudonym-key');
  if (!existsSync(file)) {
    mkdirSync(local, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** A synthetic, checksum-valid national ID number (M: registered in Nantou County). */
function syntheticNationalId(sex: 1 | 2): string {
  const firstNine = `M${sex}${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
  return `${firstNine}${nationalIdCheckDigit(firstNine)}`;
}

function incidents(): RecordIncidentRequest[] {
  const stamp = Date.now().toString(36).toUpperCase();
  const at = new Date().toISOString();
  return [
    {
      incidentId: `NT-110-${stamp}-1`,
      kind: IncidentKind.INCIDENT_KIND_DOMESTIC_VIOLENCE,
      townshipCode: '10008010', // 南投市
      parties: [
        { nationalId: syntheticNationalId(1), role: SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR },
        { nationalId: syntheticNationalId(2), role: SubjectRole.SUBJECT_ROLE_VICTIM },
        { nationalId: syntheticNationalId(2), role: SubjectRole.SUBJECT_ROLE_CHILD },
      ],
      precinctUnitId: 'nantou-city-precinct',
      childrenPresent: true,
      weaponInvolved: false,
      occurredAt: at,
    },
    {
      incidentId: `NT-110-${stamp}-2`,
      kind: IncidentKind.INCIDENT_KIND_JUVENILE_DEVIANT_BEHAVIOUR,
      townshipCode: '10008030', // 埔里鎮
      parties: [{ nationalId: syntheticNationalId(1), role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }],
      precinctUnitId: 'nantou-puli-precinct',
      childrenPresent: false,
      weaponInvolved: false,
      occurredAt: at,
    },
  ];
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const addresses = { gateway: '', 'adapter-police': '', 'adapter-protection': '' };
  for (const app of Object.keys(addresses) as (keyof typeof addresses)[]) addresses[app] = `127.0.0.1:${await freePort()}`;
  const common = {
    DATABASE_URL: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/weave',
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    WEAVE_PSEUDONYM_KEY: devPseudonymKey(),
  };
  console.log('\n==> starting services (logs in .local/logs, spans in .local/traces)');
  const services = (Object.keys(addresses) as (keyof typeof addresses)[]).map((app) =>
    ServiceProcess.start({
      app,
      logFile: join(logsDir, `${app}.log`),
      // Each service's own Kafka certificate (.local/pki/<app>.crt), never the operator's: the
      // broker's ACLs (deploy/local/kafka/acls.yaml) apply to it.
      env: { ...common, ...serviceKafkaEnv(app), GRPC_LISTEN_ADDR: addresses[app], WEAVE_TRACES_FILE: join(tracesDir, `${app}.jsonl`) },
    }),
  );
  const stopAll = async () => {
    const codes = await Promise.all(services.map((s) => s.stop()));
    services.forEach((s, i) => console.log(`  ${s.app.padEnd(20)} stopped (exit ${codes[i]})`));
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));

  const db = new Client({ connectionString: common.DATABASE_URL });
  try {
    await Promise.all(services.map((s) => waitUntilServing(s, addresses[s.app as keyof typeof addresses])));
    for (const s of services) console.log(`  ${s.app.padEnd(20)} SERVING on ${addresses[s.app as keyof typeof addresses]} (gRPC health + reflection)`);

    const police = new PoliceAdapterServiceClient(addresses['adapter-police'], credentials.createInsecure());
    await db.connect();
    console.log('\n==> the police system submits incidents to its adapter (gRPC RecordIncident)');
    const sent: { request: RecordIncidentRequest; response: RecordIncidentResponse; at: number }[] = [];
    for (const request of incidents()) {
      const at = Date.now();
      const response = await new Promise<RecordIncidentResponse>((resolve, reject) =>
        police.recordIncident(request, (err, res) => (err ? reject(err) : resolve(res))),
      );
      sent.push({ request, response, at });
      console.log(`  ${request.incidentId}  ${incidentKindToJSON(request.kind).padEnd(42)} event ${response.eventId}`);
    }
    police.close();

    console.log('\n==> the protection system records what the gateway forwarded');
    for (const { request, response, at } of sent) {
      const row = await expectEventually(async () => {
        const { rows } = await db.query<{ received_at: Date; trace_id: string }>(
          'SELECT received_at, trace_id FROM adapter_protection.received_events WHERE source_event_id = $1',
          [response.eventId],
        );
        if (!rows[0]) throw new Error(`event ${response.eventId} not received yet`);
        return rows[0];
      }, { timeoutMs: 30_000 });
      const sameTrace = row.trace_id === response.traceId ? 'same trace' : 'DIFFERENT TRACE';
      console.log(`  ${request.incidentId}  received after ${row.received_at.getTime() - at} ms  trace ${row.trace_id} (${sameTrace})`);
    }

    const first = sent[0];
    if (first) {
      // Spans are exported as each one ends; give the last hop a moment to reach the file.
      await expectEventually(() => {
        if (showTrace(first.response.traceId, tracesDir) === 0) throw new Error('trace not written yet');
      }, { timeoutMs: 10_000, intervalMs: 500 }).catch(() => console.log('  (trace not found in .local/traces)'));
      console.log(`\n==> the first incident's trace across police -> gateway -> protection is shown above`);
      console.log(`  any trace:   npm run trace -- <trace id>      recent traces: npm run trace`);
      console.log(`  logs:        .local/logs/{adapter-police,gateway,adapter-protection}.log (JSON, trace_id on each line)`);
      console.log(`  spans:       .local/traces/*.jsonl (set OTEL_EXPORTER_OTLP_ENDPOINT to send them to a collector instead)`);
    }
  } finally {
    await db.end().catch(() => undefined);
    console.log('\n==> stopping services (SIGTERM)');
    await stopAll();
    console.log(`\ndone in ${((Date.now() - t0) / 1000).toFixed(1)}s; the local stack is still up (npm run stack:down stops it)`);
  }
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
