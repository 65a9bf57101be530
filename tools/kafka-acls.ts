/**
 * Kafka ACLs as data: deploy/local/kafka/acls.yaml, validated against acls.schema.json and
 * expanded over the agency systems of the unit directory into the exact bindings the broker
 * should hold. Pure (no broker); tools/ensure-kafka.ts applies the result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { egressTopic, ingressTopic } from '@weave/contracts';
import { loadDirectory, type Directory } from '@weave/policy';
import { parse as parseYaml } from 'yaml';

export const ACL_FILE = 'deploy/local/kafka/acls.yaml';
export const ACL_SCHEMA_FILE = 'deploy/local/kafka/acls.schema.json';
/** The agency of systems that weave runs itself (e.g. intake): they have no adapter. */
export const WEAVE_AGENCY = 'weave';
/** Kafka names the one cluster resource so. */
export const CLUSTER_RESOURCE = 'kafka-cluster';

export type AclResource = 'topic' | 'group' | 'cluster';
export type AclPattern = 'literal' | 'prefixed';
export type AclOperation = 'read' | 'write' | 'create' | 'describe' | 'delete' | 'alter' | 'describe_configs' | 'alter_configs' | 'idempotent_write';

/** One ALLOW binding: principal may do operation on the resource (any host). */
export interface AclBinding {
  /** `User:<certificate CN>` */
  readonly principal: string;
  readonly resource: AclResource;
  readonly pattern: AclPattern;
  readonly name: string;
  readonly operation: AclOperation;
}

export interface PrincipalGrants {
  /** Certificate common name, e.g. `adapter-police`. */
  readonly name: string;
  readonly description: string;
  /** The directory system it was expanded for, if per-system. */
  readonly system?: string;
  readonly bindings: readonly AclBinding[];
}

export interface KafkaAcls {
  readonly version: string;
  readonly principals: readonly PrincipalGrants[];
  readonly bindings: readonly AclBinding[];
}

interface GrantDocument {
  readonly resource: AclResource;
  readonly pattern?: AclPattern;
  readonly name?: string;
  readonly operations: readonly AclOperation[];
}

interface AclDocument {
  readonly acls: 'weave-kafka';
  readonly version: string;
  readonly directory: string;
  readonly principals: readonly { principal: string; for_each?: 'agency_system'; description: string; grants: readonly GrantDocument[] }[];
}

export class KafkaAclError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KafkaAclError';
  }
}

/** Parses and validates the ACL file (YAML text); the directory it names is read by the caller. */
export function parseAclDocument(text: string, schemaText: string, source = ACL_FILE): AclDocument {
  let raw: unknown;
  try {
    raw = parseYaml(text, { strict: true, uniqueKeys: true });
  } catch (err) {
    throw new KafkaAclError(source, [`not valid YAML: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}`]);
  }
  const validate = new Ajv({ allErrors: true, strict: true, strictTypes: false, discriminator: true }).compile<AclDocument>(JSON.parse(schemaText) as object);
  if (!validate(raw)) {
    throw new KafkaAclError(source, (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`));
  }
  return raw;
}

/** The systems that get an adapter principal: every directory system not run by weave itself. */
export function agencySystems(directory: Directory): string[] {
  return [...directory.systems.values()].filter((s) => s.agency !== WEAVE_AGENCY).map((s) => s.id);
}

/**
 * Topics derived from the directory, as the gateway subscribes and publishes them: the ingress
 * topic of every agency system and the egress topic of every system (weave's own included).
 */
export function directoryTopics(directory: Directory, partitions = 3): { name: string; partitions: number; purpose: string }[] {
  return [
    ...agencySystems(directory).map((system) => ({ name: ingressTopic(system), partitions, purpose: `adapter-${system} -> gateway (from the directory)` })),
    ...[...directory.systems.keys()].map((system) => ({ name: egressTopic(system), partitions, purpose: `gateway -> ${system} (from the directory)` })),
  ];
}

/** Expands a validated ACL document over the directory's systems into bindings. */
export function expandAcls(document: AclDocument, directory: Directory, source = ACL_FILE): KafkaAcls {
  const problems: string[] = [];
  const principals: PrincipalGrants[] = [];
  const systems = agencySystems(directory);
  for (const entry of document.principals) {
    const instances = entry.for_each === 'agency_system' ? systems.map((system) => ({ system })) : [{ system: undefined }];
    for (const { system } of instances) {
      const fill = (s: string) => (system === undefined ? s : s.replace(/\{system\}/g, system));
      const name = fill(entry.principal);
      if (principals.some((p) => p.name === name)) problems.push(`principal ${name} is listed more than once`);
      const bindings: AclBinding[] = [];
      for (const grant of entry.grants) {
        if (system === undefined && (grant.name ?? '').includes('{system}')) problems.push(`principal ${name}: {system} in ${grant.name ?? ''} needs for_each`);
        for (const operation of grant.operations) {
          bindings.push({
            principal: `User:${name}`,
            resource: grant.resource,
            pattern: grant.resource === 'cluster' ? 'literal' : (grant.pattern ?? 'literal'),
            name: grant.resource === 'cluster' ? CLUSTER_RESOURCE : fill(grant.name ?? ''),
            operation,
          });
        }
      }
      principals.push({ name, description: entry.description, ...(system === undefined ? {} : { system }), bindings });
    }
  }
  problems.push(...overlapProblems(principals));
  if (problems.length > 0) throw new KafkaAclError(source, problems);
  return { version: document.version, principals, bindings: principals.flatMap((p) => p.bindings) };
}

/**
 * A prefix granted to one per-system principal must not cover another principal's per-system
 * resources: with systems `mental` and `mental-health`, adapter-mental's group prefix would
 * match adapter-mental-health's groups.
 */
function overlapProblems(principals: readonly PrincipalGrants[]): string[] {
  const problems: string[] = [];
  const perSystem = principals.filter((p) => p.system !== undefined);
  for (const a of perSystem) {
    for (const b of perSystem) {
      if (a === b) continue;
      for (const grant of a.bindings.filter((x) => x.pattern === 'prefixed')) {
        const covered = b.bindings.find((y) => y.resource === grant.resource && y.name.startsWith(grant.name));
        if (covered) {
          problems.push(`systems ${a.system ?? ''} and ${b.system ?? ''} overlap: ${a.name}'s ${grant.resource} prefix ${grant.name} also covers ${b.name}'s ${covered.name}; rename one system`);
          break;
        }
      }
    }
  }
  return problems;
}

/** The ACL file and the directory it names, from a checkout. */
export function loadKafkaAcls(repoRoot: string): { acls: KafkaAcls; directory: Directory } {
  const document = parseAclDocument(readFileSync(join(repoRoot, ACL_FILE), 'utf8'), readFileSync(join(repoRoot, ACL_SCHEMA_FILE), 'utf8'));
  const directory = loadDirectory(readFileSync(join(repoRoot, document.directory), 'utf8'), document.directory);
  return { acls: expandAcls(document, directory), directory };
}

/** A stable identity of a binding, for comparing the file with the broker. */
export function bindingKey(b: AclBinding): string {
  return `${b.principal} ${b.operation} ${b.resource}:${b.pattern}:${b.name}`;
}

/**
 * Whether the bindings allow principal to do operation on a named resource, as Kafka decides
 * it: an exact literal match or a matching prefix; describe is implied by read, write, delete
 * and alter (Kafka's implication rules for ALLOW).
 */
export function allows(bindings: readonly AclBinding[], principal: string, operation: AclOperation, resource: AclResource, name: string): boolean {
  const implied: Partial<Record<AclOperation, readonly AclOperation[]>> = { describe: ['read', 'write', 'delete', 'alter'], describe_configs: ['alter_configs'] };
  const grants = [operation, ...(implied[operation] ?? [])];
  return bindings.some(
    (b) =>
      b.principal === `User:${principal}` &&
      b.resource === resource &&
      grants.includes(b.operation) &&
      (b.pattern === 'literal' ? b.name === name : name.startsWith(b.name)),
  );
}
