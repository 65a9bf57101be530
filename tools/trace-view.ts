/**
 * Prints traces recorded by the local stack (WEAVE_TRACES_FILE, one JSON span per line).
 *
 *   node -r ./tools/register.js tools/trace-view.ts                 # 20 most recent traces
 *   node -r ./tools/register.js tools/trace-view.ts <traceId>       # span tree of one trace
 *   node -r ./tools/register.js tools/trace-view.ts <traceId> --dir .local/traces
 *
 * A trace id prefix is accepted when it is unambiguous.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

interface SpanLine {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: string;
  readonly service: string;
  readonly startNs: bigint;
  readonly durationMs: number;
  readonly statusCode: string;
  readonly statusMessage: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
}

const DEFAULT_DIR = '.local/traces';
const LIST_LIMIT = 20;
const KEY_ATTRIBUTES: readonly string[] = [
  'messaging.destination.name',
  'messaging.operation.type',
  'rpc.method',
  'rpc.grpc.status_code',
  'http.route',
  'http.response.status_code',
  'http.status_code',
  'db.operation.name',
];

function usage(): string {
  return 'usage: trace-view [<traceId>] [--dir <directory>]   (default directory: .local/traces)';
}

function parseArgs(argv: readonly string[]): { traceId: string | undefined; dir: string } {
  let traceId: string | undefined;
  let dir = DEFAULT_DIR;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    } else if (arg === '--dir') {
      const value = argv[++i];
      if (value === undefined) throw new Error('--dir needs a directory');
      dir = value;
    } else if (arg.startsWith('--dir=')) {
      dir = arg.slice('--dir='.length);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else if (traceId === undefined) {
      traceId = arg.toLowerCase();
    } else {
      throw new Error(`unexpected argument ${arg}`);
    }
  }
  return { traceId, dir };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isoToNs(iso: string): bigint | undefined {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (match === null) return undefined;
  const seconds = Date.parse(`${match[1] ?? ''}Z`);
  if (Number.isNaN(seconds)) return undefined;
  const fraction = (match[2] ?? '').padEnd(9, '0');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}

function toSpan(value: unknown): SpanLine | undefined {
  if (!isRecord(value)) return undefined;
  const { traceId, spanId, parentSpanId, name, kind, service, startTimeUnixNano, startTime, durationMs, status, attributes } =
    value;
  if (typeof traceId !== 'string' || typeof spanId !== 'string' || typeof name !== 'string') return undefined;
  let startNs: bigint | undefined;
  if (typeof startTimeUnixNano === 'string' && /^\d+$/.test(startTimeUnixNano)) startNs = BigInt(startTimeUnixNano);
  else if (typeof startTime === 'string') startNs = isoToNs(startTime);
  if (startNs === undefined) return undefined;
  return {
    traceId: traceId.toLowerCase(),
    spanId,
    parentSpanId: typeof parentSpanId === 'string' && parentSpanId !== '' ? parentSpanId : null,
    name,
    kind: typeof kind === 'string' ? kind : 'INTERNAL',
    service: typeof service === 'string' ? service : 'unknown_service',
    startNs,
    durationMs: typeof durationMs === 'number' ? durationMs : 0,
    statusCode: isRecord(status) && typeof status['code'] === 'string' ? status['code'] : 'UNSET',
    statusMessage: isRecord(status) && typeof status['message'] === 'string' ? status['message'] : undefined,
    attributes: isRecord(attributes) ? attributes : {},
  };
}

function readSpans(dir: string): { spans: SpanLine[]; files: number; skipped: number } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`no traces directory ${dir} (set WEAVE_TRACES_FILE for the services, or pass --dir)`);
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  const spans: SpanLine[] = [];
  let skipped = 0;
  for (const file of files) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // A service may be mid-write; a torn last line is expected.
        skipped++;
        continue;
      }
      const span = toSpan(parsed);
      if (span === undefined) skipped++;
      else spans.push(span);
    }
  }
  return { spans, files: files.length, skipped };
}

function byStart(a: SpanLine, b: SpanLine): number {
  return a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0;
}

function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(',')}]`;
  return String(value);
}

function keyAttributes(span: SpanLine): string {
  const keys = [
    ...KEY_ATTRIBUTES.filter((k) => k in span.attributes),
    ...Object.keys(span.attributes)
      .filter((k) => k.startsWith('weave.'))
      .sort(),
  ];
  return keys.map((k) => `${k}=${formatValue(span.attributes[k])}`).join(' ');
}

/** The spans of a trace that have no recorded parent: the root and any orphans. */
function rootsOf(spans: readonly SpanLine[]): SpanLine[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => s.parentSpanId === null || !ids.has(s.parentSpanId)).sort(byStart);
}

function printTree(traceId: string, spans: readonly SpanLine[]): void {
  const start = spans.reduce((min, s) => (s.startNs < min ? s.startNs : min), spans[0]?.startNs ?? 0n);
  const end = spans.reduce((max, s) => {
    const e = s.startNs + BigInt(Math.round(s.durationMs * 1e6));
    return e > max ? e : max;
  }, start);
  const services = [...new Set(spans.map((s) => s.service))].sort();
  console.log(
    `trace ${traceId}  ${spans.length} span${spans.length === 1 ? '' : 's'}  ${formatMs(Number(end - start) / 1e6)}  services: ${services.join(', ')}`,
  );
  console.log('');

  const children = new Map<string, SpanLine[]>();
  for (const span of spans) {
    if (span.parentSpanId === null) continue;
    const list = children.get(span.parentSpanId) ?? [];
    list.push(span);
    children.set(span.parentSpanId, list);
  }

  const print = (span: SpanLine, prefix: string, branch: string, seen: Set<string>): void => {
    const offset = formatMs(Number(span.startNs - start) / 1e6);
    const status = span.statusCode === 'ERROR' ? `  ERROR${span.statusMessage ? `: ${span.statusMessage}` : ''}` : '';
    const attrs = keyAttributes(span);
    console.log(
      `${prefix}${branch}[${span.service}] ${span.name}  ${span.kind}  ${formatMs(span.durationMs)}  @+${offset}${status}${attrs ? `  ${attrs}` : ''}`,
    );
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    const kids = (children.get(span.spanId) ?? []).sort(byStart);
    const childPrefix = prefix + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ');
    kids.forEach((kid, i) => print(kid, childPrefix, i === kids.length - 1 ? '└─ ' : '├─ ', seen));
  };

  const seen = new Set<string>();
  for (const root of rootsOf(spans)) {
    if (root.parentSpanId !== null) console.log(`(parent ${root.parentSpanId} not recorded)`);
    print(root, '', '', seen);
  }
}

function printRecent(spans: readonly SpanLine[]): void {
  const traces = new Map<string, SpanLine[]>();
  for (const span of spans) {
    const list = traces.get(span.traceId) ?? [];
    list.push(span);
    traces.set(span.traceId, list);
  }
  const summaries = [...traces.entries()]
    .map(([traceId, list]) => {
      const root = rootsOf(list)[0] ?? list[0];
      const startNs = list.reduce((min, s) => (s.startNs < min ? s.startNs : min), list[0]?.startNs ?? 0n);
      return { traceId, root, startNs, count: list.length };
    })
    .sort((a, b) => (a.startNs > b.startNs ? -1 : a.startNs < b.startNs ? 1 : 0))
    .slice(0, LIST_LIMIT);
  if (summaries.length === 0) {
    console.log('no traces recorded yet');
    return;
  }
  console.log(`${'TRACE ID'.padEnd(32)}  ${'STARTED (UTC)'.padEnd(23)}  ${'SPANS'.padStart(5)}  ROOT`);
  for (const s of summaries) {
    const started = new Date(Number(s.startNs / 1_000_000n)).toISOString().replace('T', ' ').replace('Z', '');
    const root = s.root === undefined ? '?' : `[${s.root.service}] ${s.root.name}`;
    console.log(`${s.traceId.padEnd(32)}  ${started.padEnd(23)}  ${String(s.count).padStart(5)}  ${root}`);
  }
}

function main(): void {
  const { traceId, dir } = parseArgs(process.argv.slice(2));
  const { spans, files, skipped } = readSpans(dir);
  if (skipped > 0) console.error(`(skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'})`);
  if (traceId === undefined) {
    if (files === 0) console.log(`no *.jsonl files in ${dir}`);
    else printRecent(spans);
    return;
  }
  const matching = [...new Set(spans.map((s) => s.traceId).filter((id) => id.startsWith(traceId)))];
  if (matching.length === 0) {
    console.error(`trace ${traceId} not found in ${dir}`);
    process.exitCode = 1;
    return;
  }
  if (matching.length > 1) {
    console.error(`trace id prefix ${traceId} is ambiguous: ${matching.slice(0, 5).join(', ')}${matching.length > 5 ? ', …' : ''}`);
    process.exitCode = 1;
    return;
  }
  const id = matching[0] ?? traceId;
  printTree(
    id,
    spans.filter((s) => s.traceId === id),
  );
}

/** Prints the span tree of one trace; returns the number of spans found. */
export function showTrace(traceId: string, dir: string = DEFAULT_DIR): number {
  const spans = readSpans(dir).spans.filter((s) => s.traceId === traceId);
  if (spans.length > 0) printTree(traceId, spans);
  return spans.length;
}

if (require.main === module) {
  try {
    main();
  } catch (error: unknown) {
    console.error(`trace-view: ${error instanceof Error ? error.message : String(error)}`);
    console.error(usage());
    process.exitCode = 1;
  }
}
