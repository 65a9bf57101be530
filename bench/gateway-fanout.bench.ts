/**
 * Event fan-out through the gateway — ingress event → policy decision per recipient and
 * subject → ledger entries → minimised copies on three egress topics — beside a bare kafkajs
 * consume-and-produce relay copying the same events to three topics, in the same run on the
 * same broker. Target (gateway issue): at least 70% of the relay's throughput.
 *
 *   npx nx run bench:fanout     (BENCH_EVENTS=5000; needs npm run stack:up)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EventBus } from '@weave/bus';
import {
  Agency,
  IncidentKind,
  PoliceIncidentRecordedEvent,
  SubjectRole,
  createEnvelope,
  egressTopic,
  ingressTopic,
  type EventEnvelope,
} from '@weave/contracts';
import { PseudonymKey } from '@weave/identity';
import { createPool } from '@weave/runtime';
import { REPO_ROOT, ServiceProcess, freePort, serviceKafkaEnv, testStack, uniqueName, uniqueSchema, waitUntilServing } from '@weave/testing';
import pino from 'pino';
import { perSecond, printTable } from './bench-report';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 5_000);
const key = new PseudonymKey(Buffer.alloc(32, 13));
const person = (n: number) => key.familyPseudonym(`fanout-${n}`).replace('f1_', 'p1_');

function incident(n: number): EventEnvelope {
  const domestic = n % 2 === 0;
  const persons = domestic
    ? [
        { pseudonym: person(2 * n), role: SubjectRole.SUBJECT_ROLE_VICTIM },
        { pseudonym: person(2 * n + 1), role: SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR },
      ]
    : [{ pseudonym: person(2 * n), role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }];
  const payload = {
    incidentId: `BENCH-${n}`,
    kind: domestic ? IncidentKind.INCIDENT_KIND_DOMESTIC_VIOLENCE : IncidentKind.INCIDENT_KIND_FAMILY_DISPUTE,
    townshipCode: '10008010',
    persons,
    precinctUnitId: 'nantou-police-nantou',
    childrenPresent: domestic,
    weaponInvolved: false,
    occurredAt: '2026-11-20T10:00:00.000Z',
  };
  return createEnvelope({
    definition: PoliceIncidentRecordedEvent,
    payload,
    source: { agency: Agency.AGENCY_POLICE, system: 'police-110', unitId: 'nantou-police-nantou' },
    subjects: persons,
    occurredAt: payload.occurredAt,
  });
}

/** Seconds from the first message on `topics` to the moment they hold `expected` messages. */
async function timeToFill(bus: EventBus, topics: readonly string[], expected: number, timeoutMs = 600_000): Promise<number> {
  const admin = bus.kafka.admin();
  await admin.connect();
  try {
    const count = async () => {
      let total = 0;
      for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.offset);
      return total;
    };
    const deadline = Date.now() + timeoutMs;
    let first = 0;
    for (;;) {
      const n = await count();
      if (n > 0 && first === 0) first = performance.now();
      if (n >= expected) return (performance.now() - first) / 1000;
      if (Date.now() > deadline) throw new Error(`only ${n} of ${expected} messages after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const stack = testStack();
  const bus = new EventBus({ brokers: stack.kafkaBrokers, ssl: stack.kafkaSsl, clientId: uniqueName('bench-fanout') }, pino({ level: 'warn' }));
  await bus.connect();

  // A directory of its own: one source system, three recipient units on three systems.
  const src = `bench${Date.now().toString(36)}`;
  const systems = ['a', 'b', 'c'].map((x) => `${src}-${x}`);
  const dir = mkdtempSync(join(tmpdir(), 'weave-bench-fanout-'));
  const directoryFile = join(dir, 'directory.yaml');
  writeFileSync(
    directoryFile,
    [
      'directory: weave-units',
      'version: "2026.11.1"',
      'systems:',
      `  ${src}: { agency: police, holds: [police_incident, criminal_record] }`,
      ...systems.map((s) => `  ${s}: { agency: protection, holds: [] }`),
      'units:',
      `  - { id: ${src}-unit-a, role: protection_team, system: ${systems[0]}, supervisor: ${src}-unit-a }`,
      `  - { id: ${src}-unit-b, role: intake_dispatch_centre, system: ${systems[1]}, supervisor: ${src}-unit-b }`,
      `  - { id: ${src}-unit-c, role: protection_team, system: ${systems[2]}, supervisor: ${src}-unit-c }`,
      'subscriptions:',
      `  - { unit: ${src}-unit-a, event_types: [police.incident.recorded.v1], purpose: statutory_report }`,
      `  - { unit: ${src}-unit-b, event_types: [police.incident.recorded.v1], purpose: intake_screening }`,
      `  - { unit: ${src}-unit-c, event_types: [police.incident.recorded.v1], purpose: statutory_report }`,
      '',
    ].join('\n'),
  );
  const ingress = ingressTopic(src);
  const gatewayEgress = systems.map(egressTopic);
  const relayEgress = ['x', 'y', 'z'].map((x) => `weave.bench.${src}-relay-${x}.v1`);
  // The gateway expects an ingress and an egress topic for every system in its directory.
  await bus.ensureTopics([ingress, egressTopic(src), ...gatewayEgress, ...relayEgress, ...systems.map(ingressTopic)].map((name) => ({ name, partitions: 3 })));

  const envelopes = Array.from({ length: EVENTS }, (_, i) => incident(i));
  for (let i = 0; i < envelopes.length; i += 500) {
    await bus.publisher.publishMany(ingress, envelopes.slice(i, i + 500).map((envelope) => ({ envelope })));
  }
  console.log(`fan-out: ${EVENTS} police incidents (half with a victim and an alleged perpetrator) on ${ingress}, 3 partitions, to 3 recipients`);

  // --- baseline: bare kafkajs relay
  const relay = spawn(process.execPath, ['-r', join(REPO_ROOT, 'tools/register.js'), 'bench/support/bare-relay.ts', uniqueName('bench-relay'), ingress, ...relayEgress], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => createInterface({ input: relay.stdout ?? process.stdin }).on('line', (l) => l === 'RELAYING' && resolve()));
  const relaySeconds = await timeToFill(bus, relayEgress, 3 * EVENTS);
  relay.kill('SIGTERM');

  // --- the gateway
  const schema = uniqueSchema('bench_fanout');
  const healthPort = await freePort();
  const gateway = ServiceProcess.start({
    app: 'gateway',
    // BENCH_PROFILE_DIR=<dir> writes the gateway's V8 CPU profile there, to see where the time goes.
    nodeArgs: process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : [],
    logFile: join(dir, 'gateway.log'),
    env: {
      ...serviceKafkaEnv('gateway'),
      DATABASE_URL: stack.databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: stack.redisUrl,
      GRPC_LISTEN_ADDR: `127.0.0.1:${await freePort()}`,
      GRPC_HEALTH_LISTEN_ADDR: `127.0.0.1:${healthPort}`,
      GATEWAY_DIRECTORY_FILE: directoryFile,
      KAFKA_CONSUMER_GROUP: uniqueName('gateway-bench-fanout'),
      GATEWAY_REGISTRY_CONSUMER_GROUP: uniqueName('gateway-bench-registry'),
      LOG_LEVEL: 'warn',
    },
  });
  await waitUntilServing(gateway, `127.0.0.1:${healthPort}`, 60_000);
  const gatewaySeconds = await timeToFill(bus, gatewayEgress, 3 * EVENTS);
  const pool = createPool(stack.databaseUrl, 'bench-fanout', 2);
  const ledger = Number((await pool.query(`SELECT count(*) AS n FROM ${schema}.ledger`)).rows[0]?.n ?? 0);

  const weaveRate = perSecond(EVENTS, gatewaySeconds * 1000);
  const relayRate = perSecond(EVENTS, relaySeconds * 1000);
  printTable('gateway fan-out vs bare kafkajs relay (ingress -> 3 egress topics)', [
    { scenario: 'events/s', measured: String(weaveRate), baseline: String(relayRate), ratio: `${((weaveRate / relayRate) * 100).toFixed(0)}% of the relay; target >= 70%: ${weaveRate >= 0.7 * relayRate ? 'met' : 'NOT met'}` },
    { scenario: 'egress messages/s', measured: String(3 * weaveRate), baseline: String(3 * relayRate), ratio: '' },
    { scenario: 'seconds for all', measured: gatewaySeconds.toFixed(2), baseline: relaySeconds.toFixed(2), ratio: '' },
  ]);
  console.log(`  ledger entries written by the gateway: ${ledger} (one per recipient and subject: ${EVENTS * 3 * 1.5} expected)`);

  await gateway.stop();
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  const admin = bus.kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [ingress, egressTopic(src), ...gatewayEgress, ...relayEgress, ...systems.map(ingressTopic)] }).catch(() => undefined);
  await admin.disconnect();
  await bus.close();
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
