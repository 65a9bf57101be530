/**
 * Linkage quality against the synthetic answer key: precision of automatic links, recall,
 * review-queue rate, by noise kind; links per second and peak RSS. Exits non-zero when a
 * target is missed (precision ≥ 0.99, recall ≥ 0.97).
 *
 *   npx nx run linkage:quality                        # Nantou, a year of reports
 *   npx nx run linkage:quality -- --national          # ≥ 1,000,000 persons, 320,000 reports
 *   options: --county nantou | --national, --seed S, --hold-out N (every N-th household not in
 *            the registry; 0 none), --auto-link B, --review B (thresholds in bits), --no-families
 *
 * Prints counts and rates only: never a name, number or pseudonym.
 */
import { parseArgs } from 'node:util';
import { NANTOU, nationalScale, type CountyConfig } from '@weave/synthetic';
import { DEFAULT_THRESHOLDS } from '../person-index';
import { measureLinkage } from './linkage-quality';

const PRECISION_TARGET = 0.99;
const RECALL_TARGET = 0.97;

const { values } = parseArgs({
  options: {
    county: { type: 'string', default: 'nantou' },
    national: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '2024-01-01' },
    'hold-out': { type: 'string', default: '50' },
    'auto-link': { type: 'string' },
    review: { type: 'string' },
    margin: { type: 'string' },
    'no-families': { type: 'boolean', default: false },
  },
});

let county: CountyConfig;
let reportsPerYear: number | undefined;
if (values.national || values.county === 'national') {
  const national = nationalScale();
  county = national.county;
  reportsPerYear = national.reportsPerYear;
} else if (values.county === 'nantou') {
  county = NANTOU;
} else {
  throw new Error('unknown county (nantou, or --national)');
}
const seed = /^[0-9]+$/.test(values.seed) ? Number(values.seed) : values.seed;
const from = new Date(`${values.from}T00:00:00+08:00`);
const to = new Date(`${Number(values.from.slice(0, 4)) + 1}${values.from.slice(4)}T00:00:00+08:00`);
const thresholds = {
  autoLink: values['auto-link'] === undefined ? DEFAULT_THRESHOLDS.autoLink : Number(values['auto-link']),
  review: values.review === undefined ? DEFAULT_THRESHOLDS.review : Number(values.review),
  ambiguityMargin: values.margin === undefined ? DEFAULT_THRESHOLDS.ambiguityMargin : Number(values.margin),
};

const started = performance.now();
const f = measureLinkage({ county, seed, from, to, reportsPerYear, holdOutEvery: Number(values['hold-out']), thresholds, families: !values['no-families'] });
const totalMs = performance.now() - started;

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const n = (x: number): string => x.toLocaleString('en');
const ratio = (a: number, b: number): string => (b === 0 ? '—' : pct(a / b));

console.log(`county ${county.code} (${n(county.population)} configured), seed ${String(seed)}, ${values.from} + 1 year`);
console.log(`thresholds: auto-link ${thresholds.autoLink} bits, review ${thresholds.review} bits, margin ${thresholds.ambiguityMargin} bits`);
console.log(`registry   ${n(f.registryPersons)} persons indexed in ${(f.buildMs / 1000).toFixed(1)} s; ${n(f.familyCount)} families`);
console.log(`reports    ${n(f.reports)} reports, ${n(f.reportedPersons)} reported persons (${n(f.inRegistry)} in the registry, ${n(f.outsiders)} not)`);
console.log(`outcomes   exact-id ${n(f.exactId)}, auto-link ${n(f.autoLink)}, review ${n(f.review)}, new ${n(f.created)}; family merges ${n(f.familyMerges)}`);
console.log('');
console.log('noise kind                  persons   correct   wrong  review     new  precision   recall');
for (const [kind, t] of [...f.byKind.entries()].sort((a, b) => b[1].persons - a[1].persons)) {
  console.log(
    `${kind.padEnd(24)} ${n(t.persons).padStart(10)} ${n(t.correct).padStart(9)} ${n(t.wrong).padStart(7)} ${n(t.review).padStart(7)} ${n(t.unlinked).padStart(7)}  ${ratio(t.correct, t.correct + t.wrong).padStart(9)} ${ratio(t.correct, t.persons).padStart(8)}`,
  );
}
console.log('');
console.log(`precision  ${pct(f.precision)} (target ≥ ${pct(PRECISION_TARGET)})`);
console.log(`recall     ${pct(f.recall)} (target ≥ ${pct(RECALL_TARGET)})`);
console.log(`review     ${pct(f.reviewRate)} of reported persons`);
console.log(`outsiders  ${n(f.outsidersWronglyLinked)} of ${n(f.outsiders)} persons not in the registry linked to someone else`);
console.log(
  `speed      ${n(Math.round(f.linksPerSecond))} links/s (${((f.linkMs * 1000) / Math.max(1, f.reportedPersons)).toFixed(1)} µs per person, linking only; ${f.candidatesPerFuzzyLink.toFixed(1)} candidates per link without a known ID); total ${(totalMs / 1000).toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
const failed = f.precision < PRECISION_TARGET || f.recall < RECALL_TARGET;
if (failed) console.log('TARGET MISSED');
process.exitCode = failed ? 1 : 0;
