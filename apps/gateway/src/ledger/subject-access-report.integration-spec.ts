import { spawn } from 'node:child_process';
import { REPO_ROOT, testStack, uniqueName, uniqueSchema } from '@weave/testing';
import pino from 'pino';
import { DisclosureLedger, type LedgerReceipt } from './disclosure-ledger';
import type { LedgerEntryInput } from './ledger-entry';
import { subjectAccessCsv, subjectAccessReport } from './subject-access-report';
import { dropSchema, migrateTestSchema, pseudonymFor, sampleEntry, testPool } from './testing/ledger-fixtures';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const pool = testPool(uniqueName('ledger-sar-test'), 4);
const schema = uniqueSchema('ledger_sar');
const perpetrator = pseudonymFor('perpetrator');
const victim = pseudonymFor('victim');
const otherVictim = pseudonymFor('victim-of-someone-else');
const bystander = pseudonymFor('bystander');
const receipts = new Map<string, LedgerReceipt>();
let ledger: DisclosureLedger;

const DAY = 24 * 3600 * 1000;

async function involve(unit: string, person: string, relationship: 'client' | 'counterparty', from: Date, until: Date | null): Promise<void> {
  await pool.query(
    `INSERT INTO ${schema}.involvements (unit_id, person_pseudonym, kind, relationship, valid_from, valid_until, source_event_id)
     VALUES ($1, $2, 'lead', $3, $4, $5, 'test-event')`,
    [unit, person, relationship, from, until],
  );
}

async function disclose(name: string, overrides: Partial<LedgerEntryInput>): Promise<void> {
  receipts.set(name, await ledger.append(sampleEntry({ subjectPseudonym: perpetrator, ...overrides })));
  await new Promise((resolve) => setTimeout(resolve, 3)); // distinct recorded_at for the time filter
}

beforeAll(async () => {
  await migrateTestSchema(pool, schema, { registry: true });
  ledger = new DisclosureLedger(pool, schema, logger);
  const now = Date.now();
  await pool.query(`INSERT INTO ${schema}.protected_relations (victim_pseudonym, perpetrator_pseudonym, source_event_id) VALUES ($1, $2, 'e1'), ($3, $4, 'e2')`, [
    victim,
    perpetrator,
    otherVictim,
    bystander,
  ]);
  await involve('unit-serving-victim', victim, 'client', new Date(now - 30 * DAY), null);
  await involve('unit-served-victim-before', victim, 'client', new Date(now - 60 * DAY), new Date(now - DAY));
  await involve('unit-will-serve-victim', victim, 'client', new Date(now + DAY), null);
  await involve('unit-counterparty', victim, 'counterparty', new Date(now - DAY), null);
  await involve('unit-serving-other-victim', otherVictim, 'client', new Date(now - DAY), null);

  await disclose('welfare', { requesterUnit: 'unit-welfare', requesterRole: 'social_welfare_centre', categoriesReleased: ['household_composition'] });
  await disclose('protected', {
    requesterUnit: 'unit-serving-victim',
    requesterRole: 'protection_team',
    purpose: 'risk_assessment',
    bases: ['statutory_duty'],
    categoriesReleased: ['police_incident', 'criminal_record'],
  });
  await disclose('denied', { requesterUnit: 'unit-serving-victim', categoriesReleased: [], outcome: 'deny' });
  await disclose('ended', { requesterUnit: 'unit-served-victim-before', categoriesReleased: ['identity'] });
  await disclose('future', { requesterUnit: 'unit-will-serve-victim', categoriesReleased: ['identity'] });
  await disclose('counterparty', { requesterUnit: 'unit-counterparty', categoriesReleased: ['identity'], breakGlass: true, kind: 'break_glass' });
  await disclose('other-victim', { requesterUnit: 'unit-serving-other-victim', categoriesReleased: ['identity'], kind: 'event_forwarded', sourceEventId: 'ev-1' });
  await disclose('about-someone-else', { subjectPseudonym: bystander, requesterUnit: 'unit-welfare', categoriesReleased: ['identity'] });
});

afterAll(async () => {
  await ledger.close();
  await dropSchema(pool, schema);
  await pool.end();
});

function sequences(names: string[]): string[] {
  return names.map((n) => receipts.get(n)?.sequence ?? `?${n}`);
}

describe('subjectAccessReport', () => {
  it('lists every release about the person, oldest first, with who, what, when, why and on which basis', async () => {
    const report = await subjectAccessReport(pool, schema, perpetrator, { protectVictims: false });
    expect(report.omitted).toBe(0);
    expect(report.rows.map((r) => r.sequence)).toEqual(sequences(['welfare', 'protected', 'ended', 'future', 'counterparty', 'other-victim']));
    expect(report.rows[1]).toEqual({
      recordedAt: receipts.get('protected')?.recordedAt,
      sequence: receipts.get('protected')?.sequence,
      kind: 'query',
      recipientUnit: 'unit-serving-victim',
      recipientRole: 'protection_team',
      purpose: 'risk_assessment',
      bases: ['statutory_duty'],
      categoriesReleased: ['police_incident', 'criminal_record'],
      policyVersion: '2026.01.1',
      breakGlass: false,
      consentsUsed: [{ consentId: 'c-1', version: 2 }],
    });
    expect(report.rows[4]).toMatchObject({ kind: 'break_glass', breakGlass: true });
  });

  it('with protectVictims, leaves out (and counts) releases to units currently serving a protected victim as a client', async () => {
    const report = await subjectAccessReport(pool, schema, perpetrator, { protectVictims: true });
    expect(report.omitted).toBe(1);
    expect(report.rows.map((r) => r.sequence)).toEqual(sequences(['welfare', 'ended', 'future', 'counterparty', 'other-victim']));
    expect(report.rows.map((r) => r.recipientUnit)).not.toContain('unit-serving-victim');
    // The victim's own report is not affected by relations in which they are the victim.
    const bystanderReport = await subjectAccessReport(pool, schema, bystander, { protectVictims: true });
    expect(bystanderReport).toEqual({ rows: [expect.objectContaining({ sequence: receipts.get('about-someone-else')?.sequence })], omitted: 0 });
  });

  it('restricts to a time window [from, to)', async () => {
    const from = receipts.get('ended')?.recordedAt;
    const to = receipts.get('other-victim')?.recordedAt;
    const report = await subjectAccessReport(pool, schema, perpetrator, { protectVictims: false, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    expect(report.rows.map((r) => r.sequence)).toEqual(sequences(['ended', 'future', 'counterparty']));
  });

  it('reports nothing for a person the ledger never disclosed about', async () => {
    expect(await subjectAccessReport(pool, schema, pseudonymFor('nobody'), { protectVictims: true })).toEqual({ rows: [], omitted: 0 });
  });

  it('writes CSV with a header line and quoted fields where needed', () => {
    const csv = subjectAccessCsv([
      {
        recordedAt: new Date('2026-01-31T08:15:00.123Z'),
        sequence: '7',
        kind: 'query',
        recipientUnit: 'unit, "quoted"',
        recipientRole: 'protection_team',
        purpose: 'risk_assessment',
        bases: ['statutory_duty', 'consent'],
        categoriesReleased: ['identity'],
        policyVersion: '2026.01.1',
        breakGlass: false,
        consentsUsed: [{ consentId: 'c-1', version: 2 }],
      },
    ]);
    expect(csv).toBe(
      'recorded_at,sequence,kind,recipient_unit,recipient_role,purpose,bases,categories_released,policy_version,break_glass,consents_used\r\n' +
        '2026-01-31T08:15:00.123Z,7,query,"unit, ""quoted""",protection_team,risk_assessment,statutory_duty consent,identity,2026.01.1,no,c-1@2\r\n',
    );
  });

  describe('CLI', () => {
    function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/gateway/src/cli/subject-access-report.cli.ts', ...args], {
          cwd: REPO_ROOT,
          env: { ...process.env, DATABASE_URL: testStack().databaseUrl, DATABASE_SCHEMA: schema },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    }

    it('prints a table or CSV, leaves out protected recipients when asked, and refuses a bad subject', async () => {
      const table = await runCli(['--subject', perpetrator]);
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^recorded_at +sequence +kind +recipient_unit/);
      expect(table.stdout).toContain('unit-serving-victim');
      expect(table.stdout).toContain('6 disclosure(s)');

      const csv = await runCli(['--subject', perpetrator, '--protect-victims', '--csv']);
      expect(csv.code).toBe(0);
      const lines = csv.stdout.trimEnd().split('\r\n');
      expect(lines).toHaveLength(1 + 5);
      expect(csv.stdout).not.toContain('unit-serving-victim');
      expect(csv.stderr).toContain('1 disclosure(s) left out to protect victims');

      expect((await runCli(['--subject', 'A123456789'])).code).toBe(2);
      expect((await runCli([])).code).toBe(2);
    }, 60_000);
  });
});
