import type { DataCategory, EventDefinition } from '@weave/contracts';

export interface MinimisedPayload {
  readonly payload: Uint8Array;
  /** Cleared fields, as protobuf field names (snake_case). */
  readonly withheldFields: readonly string[];
}

function snakeCase(jsonName: string): string {
  return jsonName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Re-encodes an event payload with every field whose category is not released cleared to
 * its protobuf default. Fields the definition does not map belong to its first category, so
 * a new field is never forwarded under a category nobody decided on.
 */
export function minimisePayload<T>(definition: EventDefinition<T>, payload: T, released: ReadonlySet<DataCategory>): MinimisedPayload {
  const json = definition.codec.toJSON(payload);
  if (typeof json !== 'object' || json === null) return { payload: definition.codec.encode(payload).finish(), withheldFields: [] };
  const fallback = definition.dataCategories[0];
  const kept: Record<string, unknown> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    const category = definition.fieldCategories?.[name] ?? fallback;
    if (category !== undefined && released.has(category)) kept[name] = value;
    else withheld.push(snakeCase(name));
  }
  return { payload: definition.codec.encode(definition.codec.fromJSON(kept)).finish(), withheldFields: withheld };
}
