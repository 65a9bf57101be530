/**
 * Prepares the broker before any service starts, as the weave-operator super user (the
 * KAFKA_TLS_* of .local/stack.env). Run by `stack.sh up`; idempotent.
 *
 * 1. Topics: every topic of the catalogue, plus the ingress topic of every agency system and the
 *    egress topic of every system in the unit directory (the broker does not auto-create topics,
 *    and services may not create them: they find them at boot). Partition leaders are awaited.
 * 2. ACLs: deploy/local/kafka/acls.yaml, validated and expanded over the directory's systems.
 *    Bindings the broker lacks are created, bindings it has that the file does not list are
 *    deleted, so the broker holds exactly the file.
 *
 * An external broker (WEAVE_KAFKA_OWNER=external, set by stack.sh) gets the topics, and the ACLs
 * only if it lets us: a plaintext broker cannot authenticate anyone, and a broker that does not
 * make us a super user refuses; both are reported, not fatal.
 */
import { resolve } from 'node:path';
import { createKafka, ensureTopics, kafkaTlsFiles } from '@weave/bus';
import { TopicCatalogue } from '@weave/contracts';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Admin, type AclEntry, type AclFilter, type Kafka } from 'kafkajs';
import pino from 'pino';
import { ACL_FILE, bindingKey, directoryTopics, loadKafkaAcls, type AclBinding, type AclOperation, type AclPattern, type AclResource, type KafkaAcls } from './kafka-acls';

const REPO_ROOT = resolve(__dirname, '..');

const OPERATIONS: Record<AclOperation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
  delete: AclOperationTypes.DELETE,
  alter: AclOperationTypes.ALTER,
  describe_configs: AclOperationTypes.DESCRIBE_CONFIGS,
  alter_configs: AclOperationTypes.ALTER_CONFIGS,
  idempotent_write: AclOperationTypes.IDEMPOTENT_WRITE,
};
const RESOURCES: Record<AclResource, AclResourceTypes> = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, cluster: AclResourceTypes.CLUSTER };
const PATTERNS: Record<AclPattern, ResourcePatternTypes> = { literal: ResourcePatternTypes.LITERAL, prefixed: ResourcePatternTypes.PREFIXED };

function invert<K extends string, V extends number>(map: Record<K, V>): Map<V, K> {
  return new Map(Object.entries(map).map(([k, v]) => [v as V, k as K]));
}
const OPERATION_NAMES = invert(OPERATIONS);
const RESOURCE_NAMES = invert(RESOURCES);
const PATTERN_NAMES = invert(PATTERNS);

export function toAclEntry(b: AclBinding): AclEntry {
  return {
    principal: b.principal,
    host: '*',
    operation: OPERATIONS[b.operation],
    permissionType: AclPermissionTypes.ALLOW,
    resourceType: RESOURCES[b.resource],
    resourceName: b.name,
    resourcePatternType: PATTERNS[b.pattern],
  };
}

/** What the broker holds: bindings in our vocabulary, and anything else (DENY, a host) as is. */
async function brokerAcls(admin: Admin): Promise<{ ours: Map<string, AclBinding>; foreign: AclEntry[] }> {
  const any = { resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY };
  const { resources } = await admin.describeAcls(any);
  const ours = new Map<string, AclBinding>();
  const foreign: AclEntry[] = [];
  for (const resource of resources) {
    for (const acl of resource.acls) {
      const entry: AclEntry = { ...acl, resourceType: resource.resourceType, resourceName: resource.resourceName, resourcePatternType: resource.resourcePatternType };
      const operation = OPERATION_NAMES.get(acl.operation);
      const kind = RESOURCE_NAMES.get(resource.resourceType);
      const pattern = PATTERN_NAMES.get(resource.resourcePatternType);
      if (acl.permissionType === AclPermissionTypes.ALLOW && acl.host === '*' && operation && kind && pattern) {
        const binding: AclBinding = { principal: acl.principal, resource: kind, pattern, name: resource.resourceName, operation };
        ours.set(bindingKey(binding), binding);
      } else {
        foreign.push(entry);
      }
    }
  }
  return { ours, foreign };
}

function exactFilter(e: AclEntry): AclFilter {
  return { ...e };
}

/** Makes the broker hold exactly `acls`; returns what changed. */
export async function applyAcls(kafka: Kafka, acls: KafkaAcls): Promise<{ created: AclBinding[]; deleted: string[]; unchanged: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = new Map(acls.bindings.map((b) => [bindingKey(b), b]));
    const { ours, foreign } = await brokerAcls(admin);
    const created = [...wanted.entries()].filter(([key]) => !ours.has(key)).map(([, b]) => b);
    const stale = [...ours.entries()].filter(([key]) => !wanted.has(key)).map(([, b]) => b);
    if (created.length > 0) await admin.createAcls({ acl: created.map(toAclEntry) });
    const deletions = [...stale.map(toAclEntry), ...foreign];
    if (deletions.length > 0) await admin.deleteAcls({ filters: deletions.map(exactFilter) });
    return {
      created,
      deleted: [...stale.map(bindingKey), ...foreign.map((e) => `${e.principal} op=${e.operation} perm=${e.permissionType} host=${e.host} ${e.resourceName}`)],
      unchanged: wanted.size - created.length,
    };
  } finally {
    await admin.disconnect();
  }
}

/** kafkajs error types meaning "this broker will not let us manage ACLs". */
function refusal(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError) {
    const type = (e as { type?: unknown }).type;
    if (type === 'SECURITY_DISABLED') return 'it has no authorizer (SECURITY_DISABLED)';
    if (typeof type === 'string' && type.endsWith('AUTHORIZATION_FAILED')) return `our principal is not allowed to (${type})`;
  }
  return undefined;
}

async function main(): Promise<void> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const ssl = kafkaTlsFiles({ ca: process.env['KAFKA_TLS_CA'], cert: process.env['KAFKA_TLS_CERT'], key: process.env['KAFKA_TLS_KEY'] });
  const external = process.env['WEAVE_KAFKA_OWNER'] === 'external';
  // Validate the ACL file (and the directory) before touching the broker.
  const { acls, directory } = loadKafkaAcls(REPO_ROOT);
  const kafka = createKafka({ brokers, clientId: 'weave-ensure-kafka', ssl }, pino({ level: 'silent' }));

  const topics = [...TopicCatalogue, ...directoryTopics(directory).filter((t) => !TopicCatalogue.some((c) => c.name === t.name))];
  const created = await ensureTopics(kafka, topics);
  for (const topic of topics) {
    const mark = created.includes(topic.name) ? 'created' : 'exists ';
    console.log(`  topic ${mark} ${topic.name} (${topic.partitions} partitions): ${topic.purpose}`);
  }

  if (!ssl) {
    console.log(`  acls  NOT APPLIED: the broker is used without TLS (no KAFKA_TLS_*), so it cannot tell principals apart; ${ACL_FILE} is enforced only by the broker stack.sh starts`);
    return;
  }
  try {
    const result = await applyAcls(kafka, acls);
    for (const principal of acls.principals) {
      const added = result.created.filter((b) => b.principal === `User:${principal.name}`).length;
      console.log(`  acls  User:${principal.name.padEnd(24)} ${String(principal.bindings.length).padStart(2)} bindings${added ? ` (${added} created)` : ''}`);
    }
    for (const gone of result.deleted) console.log(`  acls  deleted (not in ${ACL_FILE}): ${gone}`);
    console.log(`  acls  ${ACL_FILE} v${acls.version}: ${acls.bindings.length} bindings for ${acls.principals.length} principals (${result.created.length} created, ${result.deleted.length} deleted)`);
  } catch (err) {
    const why = refusal(err);
    if (external && why) {
      console.log(`  acls  NOT APPLIED to the external broker: ${why}. Its ACLs are its operator's business; weave's are in ${ACL_FILE}.`);
      return;
    }
    throw err;
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`ensure-kafka failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
