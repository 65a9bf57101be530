/**
 * Loads and validates a dispatch routing table, checks its unit ids against the unit directory,
 * and prints a summary, or every problem.
 *
 *   node -r ./tools/register.js libs/dispatch/src/cli/validate-routing.cli.ts [table] [--directory policies/directory.yaml]
 *   npx nx run dispatch:validate -- rules/dispatch-routing.<county>.yaml
 *
 * Exit status: 0 valid, 1 rejected.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RISK_LIGHTS } from '@weave/screening';
import { parse as parseYaml } from 'yaml';
import { DispatchRoutingError, loadDispatchRoutingFile, unknownUnits } from '../load-dispatch-routing';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { directory: { type: 'string', default: 'policies/directory.yaml' } } });
const path = positionals[0] ?? 'rules/dispatch-routing.nantou.yaml';

/** Only the unit ids: the directory's full validation belongs to libs/policy. */
function directoryUnitIds(file: string): Set<string> {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { units?: { id?: unknown }[] };
  return new Set((doc.units ?? []).map((u) => u.id).filter((id): id is string => typeof id === 'string'));
}

try {
  const table = loadDispatchRoutingFile(path);
  const unknown = unknownUnits(table, directoryUnitIds(values.directory));
  if (unknown.length > 0) throw new DispatchRoutingError(path, unknown.map((id) => `unit ${id} is not in ${values.directory}`));
  console.log(`OK ${path}: routing table version ${table.version} for ${table.countyName} (${table.countyCode}), effective ${table.effectiveFrom}`);
  console.log(`  ${table.districts.length} districts, ${table.townships.size} townships; every unit id is in ${values.directory}`);
  for (const d of table.districts) {
    const names = d.townshipCodes.map((c) => `${table.townships.get(c)?.name ?? '?'} ${c}`).join(', ');
    console.log(`    ${d.id.padEnd(8)} → ${d.welfareCentre.padEnd(20)} ${names}`);
  }
  console.log(`  ${table.routes.length} category routes (first match wins), ${table.secondary.length} collaborator rules, lead-unit rule ${table.leadUnit.id}`);
  console.log(`  deadlines: ${RISK_LIGHTS.map((l) => `${l} ${table.deadlineMinutes[l] / 60} h`).join(', ')} (all ≤ 24 h)`);
  console.log(`  escalation grace: ${RISK_LIGHTS.map((l) => `${l} ${table.graceMinutes[l]} min`).join(', ')}; up a level: ${table.upperLevelUnit}`);
  console.log(`  incidents merged within ${table.incidentWindowHours} h`);
} catch (err) {
  if (!(err instanceof DispatchRoutingError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
