import { parseValidatedYaml } from '@weave/rules-file';
import Ajv from 'ajv';
import schema from './directory.schema.json';
import { PolicyValidationError } from './load-policy';
import type { DataCategoryName, PurposeName, RecipientRoleName } from './vocabulary';

export interface SystemEntry {
  readonly id: string;
  readonly agency: string;
  readonly holds: readonly DataCategoryName[];
}

export interface UnitEntry {
  readonly id: string;
  readonly role: RecipientRoleName;
  /** The agency system (adapter) that serves the unit; its egress topic is weave.egress.<system>.v1. */
  readonly system: string;
  readonly supervisor: string;
  readonly district?: string;
  readonly name?: string;
}

export interface Subscription {
  readonly unitId: string;
  readonly purpose: PurposeName;
}

/** Units, systems and event subscriptions, indexed. */
export interface Directory {
  readonly version: string;
  readonly systems: ReadonlyMap<string, SystemEntry>;
  readonly units: ReadonlyMap<string, UnitEntry>;
  /** Event type -> the units that subscribe to it, each with its declared purpose. */
  readonly subscribers: ReadonlyMap<string, readonly Subscription[]>;
}

interface DirectoryDocument {
  readonly version: string;
  readonly systems: Readonly<Record<string, { agency: string; holds: readonly DataCategoryName[] }>>;
  readonly units: readonly { id: string; role: RecipientRoleName; system: string; supervisor: string; district?: string; name?: string }[];
  readonly subscriptions: readonly { unit: string; event_types: readonly string[]; purpose: PurposeName }[];
}

const validate = new Ajv({ allErrors: true, strict: true }).compile<DirectoryDocument>(schema);

/** Parses and validates the unit directory; throws PolicyValidationError listing every problem. */
export function loadDirectory(text: string, source = 'directory'): Directory {
  const raw = parseValidatedYaml(
    text,
    source,
    validate,
    (_, e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
    (where, problems) => new PolicyValidationError(where, problems),
  );
  const problems: string[] = [];
  const units = new Map<string, UnitEntry>();
  for (const u of raw.units) {
    if (units.has(u.id)) problems.push(`unit ${u.id}: listed more than once`);
    units.set(u.id, { ...u });
  }
  for (const u of raw.units) {
    if (!raw.systems[u.system]) problems.push(`unit ${u.id}: unknown system ${u.system}`);
    if (!units.has(u.supervisor)) problems.push(`unit ${u.id}: unknown supervisor ${u.supervisor}`);
  }
  const subscribers = new Map<string, Subscription[]>();
  for (const s of raw.subscriptions) {
    if (!units.has(s.unit)) problems.push(`subscription: unknown unit ${s.unit}`);
    for (const type of s.event_types) {
      const list = subscribers.get(type) ?? [];
      if (list.some((x) => x.unitId === s.unit)) problems.push(`subscription: ${s.unit} subscribes to ${type} twice`);
      list.push({ unitId: s.unit, purpose: s.purpose });
      subscribers.set(type, list);
    }
  }
  if (problems.length > 0) throw new PolicyValidationError(source, problems);
  return {
    version: raw.version,
    systems: new Map(Object.entries(raw.systems).map(([id, s]) => [id, { id, agency: s.agency, holds: s.holds }])),
    units,
    subscribers,
  };
}
