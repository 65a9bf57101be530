/**
 * Query RPC through the gateway — mTLS, rate limit (Redis), decision facts (PostgreSQL),
 * policy, three data holders, field minimisation and the hash-chained ledger — beside a bare
 * grpc-js pass-through with the same mTLS and the same three-holder fan-out, measured in the
 * same run against the same holders. Target (gateway issue): at least 2,000 queries/s on
 * 2 cores and p99 within 2x the baseline's.
 *
 *   npx nx run bench:query     (BENCH_SECONDS=10, BENCH_CONCURRENCY=64; needs npm run stack:up)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  ConsentGiver,
  ConsentKind,
  ConsentServiceClient,
  DataCategory,
  DisclosureServiceClient,
  Outcome,
  Purpose,
  RecipientRole,
  type QueryResponse,
} from '@weave/contracts';
import { PseudonymKey } from '@weave/identity';
import { clientCredentials, createPool } from '@weave/runtime';
import { REPO_ROOT, ServiceProcess, createTestPki, freePort, testStack, uniqueName, uniqueSchema, waitUntilServing } from '@weave/testing';
import { createKafka } from '@weave/bus';
import pino from 'pino';
import { perSecond, percentile, printTable } from './bench-report';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 64);
const SUBJECTS = 500;
const UNIT = 'nantou-swc-puli';
const CATEGORIES = [
  DataCategory.DATA_CATEGORY_IDENTITY,
  DataCategory.DATA_CATEGORY_HOUSEHOLD_COMPOSITION,
  DataCategory.DATA_CATEGORY_WELFARE_BENEFIT_STATUS,
  DataCategory.DATA_CATEGORY_PROTECTION_CASE_STATUS,
  DataCategory.DATA_CATEGORY_MENTAL_HEALTH,
];

function node(args: string[]): ChildProcess {
  return spawn(process.execPath, ['-r', join(REPO_ROOT, 'tools/register.js'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
}

function linesOf(child: ChildProcess, wanted: number, prefix: string): Promise<string[]> {
  return new Promise((resolve) => {
    const found: string[] = [];
    createInterface({ input: child.stdout ?? process.stdin }).on('line', (line) => {
      if (!line.startsWith(prefix)) return;
      found.push(line);
      if (found.length === wanted) resolve(found);
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const fields = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly outcomes: Map<Outcome, number>;
}

/** CONCURRENCY callers over 4 channels for SECONDS, after a 2 s warm-up; `pid`'s CPU is counted over the measured part. */
async function load(clients: DisclosureServiceClient[], subjects: readonly string[], pid: number | undefined): Promise<LoadResult & { cpuSeconds: number }> {
  const call = (i: number) =>
    new Promise<QueryResponse>((resolve, reject) =>
      (clients[i % clients.length] as DisclosureServiceClient).query(
        { personPseudonym: subjects[i % subjects.length], purpose: Purpose.PURPOSE_CASE_COORDINATION, categories: CATEGORIES, requesterReference: '', basisClaim: undefined, breakGlass: undefined },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  const run = async (ms: number, record: boolean) => {
    const latencies: number[] = [];
    const outcomes = new Map<Outcome, number>();
    let ok = 0;
    let failed = 0;
    let next = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          try {
            const res = await call(next++);
            ok++;
            if (record) {
              latencies.push(performance.now() - t0);
              outcomes.set(res.outcome, (outcomes.get(res.outcome) ?? 0) + 1);
            }
          } catch {
            failed++;
          }
        }
      }),
    );
    return { ok, failed, seconds: ms / 1000, latencies: latencies.sort((a, b) => a - b), outcomes };
  };
  await run(2_000, false);
  const cpu0 = cpuSeconds(pid);
  const measured = await run(SECONDS * 1000, true);
  return { ...measured, cpuSeconds: cpuSeconds(pid) - cpu0 };
}

async function waitForCatchUp(groupIds: readonly string[]): Promise<void> {
  const kafka = createKafka({ brokers: testStack().kafkaBrokers, clientId: uniqueName('bench-lag') }, pino({ level: 'silent' }));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 300_000;
    for (;;) {
      let lag = 0;
      for (const groupId of groupIds) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          const ends = await admin.fetchTopicOffsets(topic);
          for (const p of partitions) {
            const end = Number(ends.find((e) => e.partition === p.partition)?.offset ?? 0);
            lag += Math.max(0, end - Math.max(0, Number(p.offset)));
          }
        }
      }
      if (lag === 0 || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const stack = testStack();
  const pki = createTestPki('weave-bench-query');
  const gatewayCert = pki.issue('gateway');
  const holdersCert = pki.issue('bench-holders');
  const unitCert = pki.issue(UNIT);
  const key = new PseudonymKey(Buffer.alloc(32, 11));
  const subjects = Array.from({ length: SUBJECTS }, (_, i) => key.familyPseudonym(`bench-${i}`).replace('f1_', 'p1_'));

  const holders = node(['bench/support/data-holders.ts', pki.caPath, holdersCert.certPath, holdersCert.keyPath]);
  const endpoints = (await linesOf(holders, 3, 'HOLDER ')).map((l) => l.split(' ')).map(([, system, port]) => `${system}=127.0.0.1:${port}`);

  // --- the gateway, as it runs in production
  const schema = uniqueSchema('bench_gw');
  const groups = [uniqueName('bench-fanout'), uniqueName('bench-registry')];
  const [port, healthPort] = [await freePort(), await freePort()];
  const gateway = ServiceProcess.start({
    app: 'gateway',
    logFile: join(mkdtempSync(join(tmpdir(), 'weave-bench-')), 'gateway.log'),
    nodeArgs: process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : [],
    env: {
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      DATABASE_URL: stack.databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: stack.redisUrl,
      GRPC_LISTEN_ADDR: `127.0.0.1:${port}`,
      GRPC_HEALTH_LISTEN_ADDR: `127.0.0.1:${healthPort}`,
      GRPC_TLS_CERT: gatewayCert.certPath,
      GRPC_TLS_KEY: gatewayCert.keyPath,
      GRPC_TLS_CA: pki.caPath,
      GATEWAY_CLIENT_TLS_CERT: gatewayCert.certPath,
      GATEWAY_CLIENT_TLS_KEY: gatewayCert.keyPath,
      GATEWAY_DATA_HOLDERS: endpoints.join(','),
      GATEWAY_QUERY_RATE_LIMIT: '10000000',
      KAFKA_CONSUMER_GROUP: groups[0] ?? '',
      GATEWAY_REGISTRY_CONSUMER_GROUP: groups[1] ?? '',
      LOG_LEVEL: 'warn',
      ...(process.env['BENCH_OTEL_SDK_DISABLED'] ? { OTEL_SDK_DISABLED: 'true' } : {}),
      ...(process.env['BENCH_TRACES_FILE'] ? { WEAVE_TRACES_FILE: process.env['BENCH_TRACES_FILE'] } : {}),
    },
  });
  await waitUntilServing(gateway, `127.0.0.1:${healthPort}`, 60_000);
  // A new consumer group starts at the earliest offset: let the gateway work through the
  // broker's history before measuring, or the measurement includes that replay.
  await waitForCatchUp(groups);

  // Need-to-know for the requesting unit, and consent for mental health, for every subject.
  const pool = createPool(stack.databaseUrl, 'bench-seed', 4);
  await pool.query(
    `INSERT INTO ${schema}.involvements (unit_id, person_pseudonym, kind, relationship, valid_from, valid_until, source_event_id)
     SELECT $1, s, 'lead', 'client', now() - interval '1 day', NULL, 'bench' FROM unnest($2::text[]) AS s`,
    [UNIT, subjects],
  );
  const consents = new ConsentServiceClient(`localhost:${port}`, clientCredentials(unitCert));
  for (const subject of subjects) {
    await new Promise<void>((resolve, reject) =>
      consents.grantConsent(
        {
          subjectPseudonym: subject,
          givenBy: ConsentGiver.CONSENT_GIVER_SUBJECT,
          kind: ConsentKind.CONSENT_KIND_CONSENT,
          scope: { categories: [DataCategory.DATA_CATEGORY_MENTAL_HEALTH], recipientRoles: [RecipientRole.RECIPIENT_ROLE_SOCIAL_WELFARE_CENTRE], recipientUnits: [], purposes: [Purpose.PURPOSE_CASE_COORDINATION] },
          validFrom: undefined,
          validUntil: undefined,
          evidenceReference: 'BENCH-CONSENT',
        },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  consents.close();

  // --- the baseline pass-through
  const passthrough = node(['bench/support/passthrough-server.ts', '127.0.0.1:0', pki.caPath, gatewayCert.certPath, gatewayCert.keyPath, ...endpoints]);
  const [listening = ''] = await linesOf(passthrough, 1, 'LISTENING ');
  const basePort = listening.split(' ')[1];

  const clientsFor = (p: string | number) => Array.from({ length: 4 }, () => new DisclosureServiceClient(`localhost:${p}`, clientCredentials(unitCert)));
  const baseClients = clientsFor(basePort ?? '');
  const baseline = await load(baseClients, subjects, passthrough.pid);
  const baseCpu = baseline.cpuSeconds;
  const gatewayClients = clientsFor(port);
  const ledgerBefore = Number((await pool.query(`SELECT count(*) AS n FROM ${schema}.ledger`)).rows[0]?.n ?? 0);
  const weave = await load(gatewayClients, subjects, gateway.child.pid);
  const gwCpu = weave.cpuSeconds;
  const ledgerAfter = Number((await pool.query(`SELECT count(*) AS n FROM ${schema}.ledger`)).rows[0]?.n ?? 0);

  console.log(`Query RPC: ${CONCURRENCY} concurrent callers, ${SECONDS} s measured after 2 s warm-up, ${SUBJECTS} subjects, 5 categories from 3 holders, all on this machine (${require('node:os').cpus().length} cores)`);
  const qps = (r: LoadResult) => perSecond(r.latencies.length, r.seconds * 1000);
  printTable('weave gateway vs bare grpc-js pass-through (same holders, same mTLS)', [
    { scenario: 'queries/s', measured: String(qps(weave)), baseline: String(qps(baseline)), ratio: `${((qps(weave) / qps(baseline)) * 100).toFixed(0)}% of baseline; target >= 2000: ${qps(weave) >= 2000 ? 'met' : 'NOT met'}` },
    { scenario: 'p50 ms', measured: percentile(weave.latencies, 50).toFixed(2), baseline: percentile(baseline.latencies, 50).toFixed(2), ratio: `${(percentile(weave.latencies, 50) / percentile(baseline.latencies, 50)).toFixed(2)}x` },
    { scenario: 'p99 ms', measured: percentile(weave.latencies, 99).toFixed(2), baseline: percentile(baseline.latencies, 99).toFixed(2), ratio: `${(percentile(weave.latencies, 99) / percentile(baseline.latencies, 99)).toFixed(2)}x; target <= 2x: ${percentile(weave.latencies, 99) <= 2 * percentile(baseline.latencies, 99) ? 'met' : 'NOT met'}` },
    { scenario: 'failed calls', measured: String(weave.failed), baseline: String(baseline.failed), ratio: '' },
    {
      scenario: 'server CPU ms/query',
      measured: ((gwCpu * 1000) / (weave.ok + weave.failed)).toFixed(2),
      baseline: ((baseCpu * 1000) / (baseline.ok + baseline.failed)).toFixed(2),
      ratio: `server process alone on 2 cores: ~${Math.round((2 * 1000) / ((gwCpu * 1000) / (weave.ok + weave.failed)))} vs ~${Math.round((2 * 1000) / ((baseCpu * 1000) / (baseline.ok + baseline.failed)))} queries/s (if it had them to itself)`,
    },
  ]);
  console.log(`  gateway outcomes: ${[...weave.outcomes].map(([o, n]) => `${Outcome[o]}=${n}`).join(' ')}; ledger entries written during the measured load and warm-up: ${ledgerAfter - ledgerBefore}`);

  for (const c of [...baseClients, ...gatewayClients]) c.close();
  passthrough.kill('SIGTERM');
  holders.kill('SIGTERM');
  await gateway.stop();
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
