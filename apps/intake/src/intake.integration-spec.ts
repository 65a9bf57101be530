/**
 * The intake service on the real stack: the HTTP reporting endpoint, reports forwarded on
 * weave.egress.intake.v1 (as the gateway would), and a crash in the middle of a stream.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '@weave/bus';
import { Agency, IntakeReportSubmittedEvent, ReportChannel, SubjectRole, Topics, createEnvelope, type EventEnvelope } from '@weave/contracts';
import { PseudonymKey } from '@weave/identity';
import { ServiceProcess, expectEventually, freePort, serviceKafkaEnv, testStack, uniqueName, uniqueSchema, waitUntilServing } from '@weave/testing';
import { Client } from 'pg';
import pino from 'pino';

const stack = testStack();
const schema = uniqueSchema('intake_it');
const workDir = mkdtempSync(join(tmpdir(), 'weave-intake-it-'));
const key = Buffer.alloc(32, 7);
const pseudonyms = new PseudonymKey(key);
let httpAddress = '';
let healthAddress = '';
let grpcAddress = '';
const group = uniqueName('intake-it');
let intake: ServiceProcess;
let db: Client;
let bus: EventBus;

function startIntake(): ServiceProcess {
  return ServiceProcess.start({
    app: 'intake',
    logFile: join(workDir, 'intake.log'),
    env: {
      ...serviceKafkaEnv('intake'),
      DATABASE_URL: stack.databaseUrl,
      DATABASE_SCHEMA: schema,
      GRPC_LISTEN_ADDR: grpcAddress,
      GRPC_HEALTH_LISTEN_ADDR: healthAddress,
      INTAKE_HTTP_LISTEN_ADDR: httpAddress,
      KAFKA_CONSUMER_GROUP: group,
      WEAVE_PSEUDONYM_KEY: key.toString('base64'),
      INTAKE_MAX_BATCH: '50',
      LOG_LEVEL: 'info',
    },
  });
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://${httpAddress}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  httpAddress = `127.0.0.1:${await freePort()}`;
  healthAddress = `127.0.0.1:${await freePort()}`;
  grpcAddress = `127.0.0.1:${await freePort()}`;
  intake = startIntake();
  await waitUntilServing(intake, healthAddress, 60_000);
  db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  bus = new EventBus({ brokers: stack.kafkaBrokers, ssl: stack.kafkaSsl, clientId: uniqueName('intake-it') }, pino({ level: 'silent' }));
  await bus.connect();
}, 90_000);

afterAll(async () => {
  await bus?.close();
  await intake?.stop();
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await db?.end();
});

const NANTOU_CITY = '10008010';
const PULI = '10008020'; // 埔里鎮

describe('HTTP reporting endpoint (national online platform shape)', () => {
  it('answers an invalid report with field-level errors, never echoing values, and still stores it raw', async () => {
    const res = await post('/v1/reports', {
      reference: 'web-bad-1',
      channel: 'public-online',
      reporter: { type: 'neighbour', responsible: false },
      category: 'child-neglect',
      location: { townshipCode: '123' },
      persons: [{ role: 'child', name: '王小明', nationalId: 'A123456789', birthDat: '2015-01-01' }],
      narrative: '',
    });
    expect(res.status).toBe(422);
    const errors = res.body['errors'] as { field: string; message: string }[];
    expect(errors.map((e) => e.field).sort()).toEqual(['category', 'location.townshipCode', 'narrative', 'persons[0]'].sort());
    expect(JSON.stringify(res.body)).not.toMatch(/王小明|A123456789|child-neglect/);
    const stored = await db.query(`SELECT status, rejection FROM ${schema}.reports WHERE report_id = 'rejected:public-online:web-bad-1'`);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].status).toBe('rejected');
  });

  it('links, screens and dispatches a valid report within 24 hours, to the unit the routing table names', async () => {
    const receivedAt = Date.now();
    const res = await post('/v1/reports', {
      reference: 'web-ok-1',
      channel: 'public-online',
      reporter: { type: 'neighbour', responsible: false, relationship: 'neighbour' },
      category: 'vulnerable-family',
      needs: ['economic'],
      location: { townshipCode: PULI },
      persons: [
        { role: 'reported-person', name: '林美惠', birthDate: '1985-03-12', sex: 'female', address: '南投縣埔里鎮中山路二段100號' },
        { role: 'child', name: '林小安', birthDate: '2016-09-01', sex: 'male' },
      ],
      narrative: '鄰居表示家中經濟困難，父親失業，需要協助。',
    });
    expect(res.status).toBe(202);
    expect(res.body['status']).toBe('dispatched');
    expect(res.body['unitId']).toBe('nantou-swc-puli');
    // The server's receipt lies between our send and its answer; the deadline is at most 24 h after it.
    const answeredAt = Date.now();
    const deadline = Date.parse(String(res.body['deadline']));
    expect(deadline).toBeGreaterThan(receivedAt);
    expect(deadline).toBeLessThanOrEqual(answeredAt + 24 * 3_600_000);
    // Posted again (a retry by the platform): the same report, not a second dispatch.
    const again = await post('/v1/reports', {
      reference: 'web-ok-1',
      channel: 'public-online',
      reporter: { type: 'neighbour', responsible: false },
      category: 'vulnerable-family',
      location: { townshipCode: PULI },
      persons: [{ role: 'reported-person', name: '林美惠' }],
      narrative: 'retry',
    });
    expect(again.body['status']).toBe('duplicate');
    const dispatches = await db.query(`SELECT count(*)::int AS n FROM ${schema}.dispatches WHERE report_id = 'public-online:web-ok-1'`);
    expect(dispatches.rows[0].n).toBe(1);
    const metrics = await (await fetch(`http://${httpAddress}/metrics`)).text();
    expect(metrics).toMatch(/intake_reports_total\{channel="public-online",outcome="dispatched"\} 1/);
  });

  it('routes juvenile deviant behaviour of a pupil to school counselling, not to social welfare', async () => {
    const res = await post('/v1/reports', {
      reference: 'school-juv-1',
      channel: 'school',
      reporter: { type: 'teacher', responsible: true },
      category: 'juvenile-deviant-behaviour',
      location: { townshipCode: NANTOU_CITY },
      schoolStatus: 'in-school',
      persons: [{ role: 'child', name: '張志豪', birthDate: '2010-05-05', sex: 'male' }],
      narrative: '學生多次逃學並在外遊蕩。',
    });
    expect(res.status).toBe(202);
    expect(res.body['unitId']).toBe('nantou-student-counselling-centre');
  });
});

function submitted(i: number, incident: number): EventEnvelope {
  const mother = pseudonyms.personPseudonym(nationalId(1000 + incident));
  const child = pseudonyms.personPseudonym(nationalId(5000 + incident));
  return createEnvelope({
    definition: IntakeReportSubmittedEvent,
    source: { agency: Agency.AGENCY_EDUCATION, system: 'education', unitId: 'nantou-student-counselling-centre' },
    occurredAt: new Date(),
    subjects: [
      { pseudonym: mother, role: SubjectRole.SUBJECT_ROLE_CAREGIVER },
      { pseudonym: child, role: SubjectRole.SUBJECT_ROLE_CHILD },
    ],
    payload: {
      reportId: `stream-${i}`,
      channel: ReportChannel.REPORT_CHANNEL_SCHOOL,
      reporterType: 'teacher',
      responsibleReporter: true,
      reporterUnit: 'nantou-student-counselling-centre',
      category: 'child-protection',
      needs: [],
      townshipCode: NANTOU_CITY,
      persons: [
        { role: SubjectRole.SUBJECT_ROLE_CAREGIVER, pseudonym: mother, name: '', birthDate: '', approximateAge: 0, sex: '', address: '' },
        { role: SubjectRole.SUBJECT_ROLE_CHILD, pseudonym: child, name: '', birthDate: '', approximateAge: 0, sex: '', address: '' },
      ],
      narrative: '學生身上有瘀傷。',
      occurredAt: new Date().toISOString(),
      schoolStatus: 0,
    },
  });
}

/** A valid national ID number (A, male) from a serial number. */
function nationalId(n: number): string {
  const body = `A1${String(n).padStart(7, '0')}`;
  const letter = 10; // A
  const digits = [Math.floor(letter / 10), letter % 10, ...body.slice(1).split('').map(Number)];
  const weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const sum = digits.reduce((s, d, i) => s + d * (weights[i] ?? 0), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

describe('reports forwarded by the gateway', () => {
  it('ends every accepted report in exactly one dispatch (or merge into one) across a crash mid-stream; nothing lost, nothing dispatched twice', async () => {
    // 300 reports about 200 incidents: every third incident is reported twice (school, then again).
    const envelopes: EventEnvelope[] = [];
    for (let i = 0; i < 300; i += 1) envelopes.push(submitted(i, i < 200 ? i : (i - 200) * 2));
    await bus.publisher.publishMany(Topics.IntakeEgress, envelopes.slice(0, 150).map((envelope) => ({ envelope, key: envelope.subjects[0]?.pseudonym ?? '' })));
    // Crash (SIGKILL: no graceful commit) while the first half is being processed, then restart.
    await expectEventually(async () => {
      const n = await db.query(`SELECT count(*)::int AS n FROM ${schema}.reports WHERE report_id LIKE 'education:stream-%'`);
      expect(n.rows[0].n).toBeGreaterThan(0);
    }, { timeoutMs: 30_000, intervalMs: 20 });
    const exited = new Promise((resolve) => (intake.child.exitCode !== null ? resolve(undefined) : intake.child.once('exit', resolve)));
    intake.child.kill('SIGKILL');
    await exited;
    await bus.publisher.publishMany(Topics.IntakeEgress, envelopes.slice(150).map((envelope) => ({ envelope, key: envelope.subjects[0]?.pseudonym ?? '' })));
    intake = startIntake();
    await waitUntilServing(intake, healthAddress, 60_000);

    await expectEventually(async () => {
      const n = await db.query(`SELECT count(*)::int AS n FROM ${schema}.reports WHERE report_id LIKE 'education:stream-%'`);
      expect(n.rows[0].n).toBe(300);
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const byStatus = await db.query(`SELECT status, count(*)::int AS n FROM ${schema}.reports WHERE report_id LIKE 'education:stream-%' GROUP BY status ORDER BY status`);
    expect(Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n]))).toEqual({ dispatched: 200, merged: 100 });
    const dispatches = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT i.family_pseudonym)::int AS families FROM ${schema}.dispatches d JOIN ${schema}.incidents i USING (incident_id) WHERE d.report_id LIKE 'education:stream-%'`,
    );
    expect(dispatches.rows[0]).toEqual({ n: 200, families: 200 });
    // Every dispatch reaches the dispatch topic (the outbox relay survives the crash too).
    await expectEventually(async () => {
      const left = await db.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`);
      expect(left.rows[0].n).toBe(0);
    }, { timeoutMs: 30_000, intervalMs: 250 });
  });
});
