/**
 * Generates a synthetic county and a span of events, and prints counts, time and peak memory.
 *
 *   node -r ./tools/register.js libs/synthetic/src/cli/generate.cli.ts [options]
 *   npx nx run synthetic:generate -- --county national --reports-only
 *
 *   --county nantou|national   Nantou (≈ 483,000 people) or national scale (≈ 1,050,000 people, 320,000 reports a year)
 *   --persons N                scale the county to N people
 *   --reports N                intake reports a year
 *   --seed S                   seed (default 1)
 *   --from YYYY-MM-DD          first day, Taipei time (default 2024-01-01)
 *   --to YYYY-MM-DD            day after the last (default: a year after --from)
 *   --reports-only             only intake reports (what the intake benchmark replays)
 */
import { parseArgs } from 'node:util';
import { eventStream } from '../events';
import { NANTOU, nationalScale, scaleCounty, type CountyConfig } from '../geography';
import { PopulationModel } from '../population';

const { values } = parseArgs({
  options: {
    county: { type: 'string', default: 'nantou' },
    persons: { type: 'string' },
    reports: { type: 'string' },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '2024-01-01' },
    to: { type: 'string' },
    'reports-only': { type: 'boolean', default: false },
  },
});

let county: CountyConfig;
let reportsPerYear: number | undefined;
if (values.county === 'national') {
  const national = nationalScale(values.persons === undefined ? undefined : Number(values.persons));
  county = national.county;
  reportsPerYear = national.reportsPerYear;
} else if (values.county === 'nantou') {
  county = values.persons === undefined ? NANTOU : scaleCounty(NANTOU, Number(values.persons));
} else {
  throw new Error(`unknown county ${values.county} (nantou or national)`);
}
if (values.reports !== undefined) reportsPerYear = Number(values.reports);
const seed = /^[0-9]+$/.test(values.seed) ? Number(values.seed) : values.seed;
const from = new Date(`${values.from}T00:00:00+08:00`);
const toDay = values.to ?? `${Number(values.from.slice(0, 4)) + 1}${values.from.slice(4)}`;
const to = new Date(`${toDay}T00:00:00+08:00`);

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

console.log(`county ${county.name} (${county.code}), ${county.population.toLocaleString('en')} people configured, seed ${String(seed)}`);

// 1. The population, streamed: every household and person generated once, none kept.
let started = performance.now();
const model = new PopulationModel(county, seed);
let households = 0;
let persons = 0;
let chars = 0;
for (const household of model.households()) {
  households++;
  persons += household.members.length;
  for (const p of household.members) chars += p.name.length + p.nationalId.length + p.address.text.length;
}
const populationMs = performance.now() - started;
console.log(
  `population  ${households.toLocaleString('en')} households, ${persons.toLocaleString('en')} persons ` +
    `(mean ${(persons / households).toFixed(2)}) in ${seconds(populationMs)} ` +
    `(${Math.round(persons / (populationMs / 1000)).toLocaleString('en')} persons/s; ${chars} chars of identifiers), heap ${mb(process.memoryUsage().heapUsed)}`,
);

// 2. The events, streamed in time order.
started = performance.now();
const counts = new Map<string, number>();
let reports = 0;
let narrativeChars = 0;
for (const event of eventStream(model, {
  from,
  to,
  rates: reportsPerYear === undefined ? {} : { reportsPerYear },
  kinds: values['reports-only'] ? ['report'] : undefined,
})) {
  const key = 'action' in event ? `${event.kind}:${event.action}` : event.kind;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  if (event.kind === 'report') {
    reports++;
    narrativeChars += event.narrative.length;
  }
}
const eventsMs = performance.now() - started;
const total = [...counts.values()].reduce((a, b) => a + b, 0);
console.log(
  `events      ${total.toLocaleString('en')} (${reports.toLocaleString('en')} reports, ${narrativeChars} narrative chars) ` +
    `${values.from} → ${toDay} in ${seconds(eventsMs)} (${Math.round(total / (eventsMs / 1000)).toLocaleString('en')} events/s)`,
);
for (const [key, n] of [...counts.entries()].sort()) console.log(`  ${key.padEnd(42)} ${n.toLocaleString('en').padStart(9)}`);
console.log(`total       ${seconds(populationMs + eventsMs)}; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
