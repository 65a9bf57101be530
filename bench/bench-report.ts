/** Shared by the benchmarks: percentiles and a side-by-side table. */

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] ?? Number.NaN;
}

export interface Row {
  readonly scenario: string;
  readonly measured: string;
  readonly baseline: string;
  readonly ratio: string;
}

export function printTable(title: string, rows: readonly Row[]): void {
  const widths = [
    Math.max(8, ...rows.map((r) => r.scenario.length)),
    Math.max(8, ...rows.map((r) => r.measured.length)),
    Math.max(8, ...rows.map((r) => r.baseline.length)),
  ];
  console.log(`\n${title}`);
  console.log(`  ${'scenario'.padEnd(widths[0] ?? 8)}  ${'weave'.padStart(widths[1] ?? 8)}  ${'baseline'.padStart(widths[2] ?? 8)}  ratio`);
  for (const r of rows) {
    console.log(`  ${r.scenario.padEnd(widths[0] ?? 8)}  ${r.measured.padStart(widths[1] ?? 8)}  ${r.baseline.padStart(widths[2] ?? 8)}  ${r.ratio}`);
  }
}

export function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}
