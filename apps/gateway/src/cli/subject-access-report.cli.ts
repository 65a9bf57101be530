/**
 * A person's subject access report from the disclosure ledger.
 *
 *   DATABASE_URL=postgres://… DATABASE_SCHEMA=gateway \
 *     node -r ./tools/register.js apps/gateway/src/cli/subject-access-report.cli.ts \
 *       --subject p1_… [--protect-victims] [--csv] [--from 2026-01-01] [--to 2026-02-01]
 *
 * Prints a table (or CSV with --csv) of every entry in which something about the person
 * was released, oldest first. --protect-victims leaves out entries whose recipient unit
 * currently serves a protected victim of this person and says how many were left out.
 * Exit status: 0 done, 2 bad arguments or error.
 */
import { parseArgs } from 'node:util';
import { createPool } from '@weave/runtime';
import { subjectAccessCsv, subjectAccessReport, subjectAccessTable } from '../ledger/subject-access-report';

const USAGE = 'usage: subject-access-report.cli.ts --subject p1_… [--protect-victims] [--csv] [--from ISO-date] [--to ISO-date]';

function date(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new Error(`--${name}: expected an ISO date`);
  return parsed;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        subject: { type: 'string' },
        'protect-victims': { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        from: { type: 'string' },
        to: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : 'bad arguments'}\n${USAGE}`);
    return 2;
  }
  const subject = args.subject ?? '';
  if (!/^p1_[a-z2-7]{26}$/.test(subject)) {
    console.error(`--subject: expected a person pseudonym (p1_…)\n${USAGE}`);
    return 2;
  }
  let from: Date | undefined;
  let to: Date | undefined;
  try {
    from = date(args.from, 'from');
    to = date(args.to, 'to');
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : 'bad date'}\n${USAGE}`);
    return 2;
  }
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/weave';
  const schema = process.env['DATABASE_SCHEMA'] ?? 'gateway';
  const pool = createPool(databaseUrl, 'gateway-subject-access-report', 1);
  try {
    const report = await subjectAccessReport(pool, schema, subject, {
      protectVictims: args['protect-victims'] === true,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    if (args.csv === true) {
      process.stdout.write(subjectAccessCsv(report.rows));
    } else {
      process.stdout.write(subjectAccessTable(report.rows));
      console.log(`${report.rows.length} disclosure(s)`);
    }
    if (report.omitted > 0) console.error(`${report.omitted} disclosure(s) left out to protect victims`);
    return 0;
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? ` (${String((err as { code: unknown }).code)})` : '';
    console.error(`could not produce the report: ${err instanceof Error ? err.name : 'error'}${code}`);
    return 2;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
