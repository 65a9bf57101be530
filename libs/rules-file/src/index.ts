/**
 * Loading the rule files officials change (disclosure policy, unit directory, screening rules,
 * routing tables): read, parse strict YAML, validate against the JSON Schema, and refuse with
 * every problem named. Each file kind adds its own semantic checks and its own error class.
 */
import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';

/** Makes the file kind's error (e.g. PolicyValidationError) from where and what is wrong. */
export type RulesFileFailure = (source: string, problems: string[]) => Error;

/** The text of a rules file; an unreadable file fails like an invalid one, naming the file. */
export function readRulesText(path: string, fail: RulesFileFailure): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'unreadable';
    throw fail(path, [`cannot read file (${code})`]);
  }
}

/** Strict YAML (no duplicate keys) that the schema accepts; otherwise `fail` with each problem once. */
export function parseValidatedYaml<T>(text: string, source: string, validate: ValidateFunction<T>, describe: (raw: unknown, e: ErrorObject) => string, fail: RulesFileFailure): T {
  let raw: unknown;
  try {
    raw = parseYaml(text, { strict: true, uniqueKeys: true });
  } catch (err) {
    throw fail(source, [`not valid YAML: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`]);
  }
  if (!validate(raw)) throw fail(source, [...new Set((validate.errors ?? []).map((e) => describe(raw, e)))]);
  return raw;
}

/** What a schema error adds to its message: the unknown property, or the allowed values. */
export function schemaErrorDetail(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (typeof params['additionalProperty'] === 'string') return `: ${params['additionalProperty']}`;
  if (Array.isArray(params['allowedValues'])) return ` (${params['allowedValues'].join(', ')})`;
  return '';
}

/** The `id` of item `index` of the document's list `list`, to name a rule rather than a path. */
export function listItemId(raw: unknown, list: string, index: number): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const items = (raw as Record<string, unknown>)[list];
  const item = Array.isArray(items) ? (items[index] as { id?: unknown } | undefined) : undefined;
  return item && typeof item.id === 'string' ? item.id : undefined;
}
