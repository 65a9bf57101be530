import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ExportedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: string;
  readonly service: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Spans the services wrote as JSON lines (WEAVE_TRACES_FILE) into `directory`. */
export function readSpans(directory: string): ExportedSpan[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(join(directory, f), 'utf8')
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as ExportedSpan),
    );
}
