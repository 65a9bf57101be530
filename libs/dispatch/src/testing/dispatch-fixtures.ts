import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadDispatchRouting, type DispatchTable } from '../load-dispatch-routing';

export const SHIPPED_TABLE_PATH = join(__dirname, '../../../../rules/dispatch-routing.nantou.yaml');
export const DIRECTORY_PATH = join(__dirname, '../../../../policies/directory.yaml');

export function shippedTableText(): string {
  return readFileSync(SHIPPED_TABLE_PATH, 'utf8');
}

export function shippedTable(): DispatchTable {
  return loadDispatchRouting(shippedTableText(), 'rules/dispatch-routing.nantou.yaml');
}

/** policies/directory.yaml's unit → supervisor, read plainly (libs/policy validates the file). */
export function directorySupervisors(): Map<string, string> {
  const doc = parseYaml(readFileSync(DIRECTORY_PATH, 'utf8')) as { units: { id: string; supervisor: string }[] };
  return new Map(doc.units.map((u) => [u.id, u.supervisor]));
}

export const RECEIVED_AT = Date.parse('2026-11-23T09:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
