/**
 * deploy/local/kafka/acls.yaml says what the architecture says: adapters write only their own
 * ingress topic and read only their own egress topic, and only the gateway crosses between
 * agencies. Checked here on the expanded bindings (no broker); e2e/src/kafka-acl.integration-spec.ts
 * checks that the real broker enforces them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { egressTopic, ingressTopic } from '@weave/contracts';
import { loadDirectory } from '@weave/policy';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { toAclEntry } from './ensure-kafka';
import { ACL_FILE, ACL_SCHEMA_FILE, KafkaAclError, agencySystems, allows, directoryTopics, expandAcls, loadKafkaAcls, parseAclDocument } from './kafka-acls';

const root = join(__dirname, '..');
const { acls, directory } = loadKafkaAcls(root);
const systems = [...directory.systems.keys()];
const principals = acls.principals.map((p) => p.name);
const schema = readFileSync(join(root, ACL_SCHEMA_FILE), 'utf8');
const shipped = readFileSync(join(root, ACL_FILE), 'utf8');

function problemsOf(yamlText: string): readonly string[] {
  try {
    expandAcls(parseAclDocument(yamlText, schema), directory);
  } catch (err) {
    if (err instanceof KafkaAclError) return err.problems;
    throw err;
  }
  return [];
}

describe('the shipped Kafka ACLs', () => {
  it('name the platform services (gateway, intake) and one adapter per agency system of the directory, not weave’s own systems', () => {
    expect(agencySystems(directory)).not.toContain('intake');
    expect(principals.sort()).toEqual(['gateway', 'intake', ...agencySystems(directory).map((s) => `adapter-${s}`)].sort());
    expect(principals).toEqual(expect.arrayContaining(['adapter-police', 'adapter-protection']));
  });

  it.each(agencySystems(directory))('let adapter-%s write only its own ingress topic and read only its own egress topic', (system) => {
    const me = `adapter-${system}`;
    for (const other of systems) {
      expect({ other, read: allows(acls.bindings, me, 'read', 'topic', egressTopic(other)) }).toEqual({ other, read: other === system });
      expect({ other, write: allows(acls.bindings, me, 'write', 'topic', ingressTopic(other)) }).toEqual({ other, write: other === system });
      // nothing it could see of another system's egress topic, not even its existence
      if (other !== system) expect(allows(acls.bindings, me, 'describe', 'topic', egressTopic(other))).toBe(false);
      expect(allows(acls.bindings, me, 'read', 'topic', ingressTopic(other))).toBe(false);
      expect(allows(acls.bindings, me, 'write', 'topic', egressTopic(other))).toBe(false);
    }
    expect(allows(acls.bindings, me, 'read', 'group', me)).toBe(true);
    expect(allows(acls.bindings, me, 'read', 'group', 'gateway-fanout')).toBe(false);
    expect(allows(acls.bindings, me, 'create', 'topic', `weave.dlq.${me}.v1`)).toBe(true);
    expect(allows(acls.bindings, me, 'create', 'topic', ingressTopic(system))).toBe(false);
  });

  it('make the gateway the only reader of ingress and the only writer of egress', () => {
    for (const system of systems) {
      expect(principals.filter((p) => allows(acls.bindings, p, 'read', 'topic', ingressTopic(system)))).toEqual(['gateway']);
      expect(principals.filter((p) => allows(acls.bindings, p, 'write', 'topic', egressTopic(system)))).toEqual(['gateway']);
    }
    expect(allows(acls.bindings, 'gateway', 'read', 'topic', egressTopic('protection'))).toBe(false);
    expect(allows(acls.bindings, 'gateway', 'write', 'topic', ingressTopic('police'))).toBe(false);
    for (const group of ['gateway-fanout', 'gateway-registry']) {
      expect(allows(acls.bindings, 'gateway', 'read', 'group', group)).toBe(true);
      expect(allows(acls.bindings, 'gateway', 'create', 'topic', `weave.dlq.${group}.v1`)).toBe(true);
    }
    expect(allows(acls.bindings, 'gateway', 'read', 'topic', 'weave.intake.dispatches.v1')).toBe(true);
    expect(allows(acls.bindings, 'gateway', 'write', 'topic', 'weave.gateway.disclosures.v1')).toBe(true);
  });

  it('let no service create topics other than its own dead-letter topics', () => {
    for (const binding of acls.bindings.filter((b) => b.operation === 'create')) {
      expect(binding).toMatchObject({ resource: 'topic', pattern: 'prefixed', name: expect.stringMatching(/^weave\.dlq\./) });
    }
  });

  it('cover the ingress and egress topics the operator creates from the directory', () => {
    const names = directoryTopics(directory).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining([ingressTopic('police'), egressTopic('protection'), egressTopic('intake'), ingressTopic('welfare')]));
    expect(names).not.toContain(ingressTopic('intake'));
  });

  it('translate into kafkajs ALLOW entries for any host', () => {
    const binding = acls.bindings.find((b) => b.principal === 'User:adapter-protection' && b.operation === 'read' && b.resource === 'topic');
    expect(binding && toAclEntry(binding)).toEqual({
      principal: 'User:adapter-protection',
      host: '*',
      operation: AclOperationTypes.READ,
      permissionType: AclPermissionTypes.ALLOW,
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'weave.egress.protection.v1',
      resourcePatternType: ResourcePatternTypes.LITERAL,
    });
  });
});

describe('the ACL file is validated before anything is applied', () => {
  it('refuses unknown operations, wildcards and unknown fields, naming where', () => {
    const bad = shipped
      .replace('operations: [read, describe], why: "consumes', 'operations: [read, all], why: "consumes')
      .replace('name: weave.gateway.,', 'name: "*",')
      .replace('for_each: agency_system', 'for_each: agency_system\n    owner: nobody');
    expect(problemsOf(bad)).toEqual(
      expect.arrayContaining([
        '/principals/0/grants/0/operations/1 must be equal to one of the allowed values',
        '/principals/0/grants/2/name must match pattern "^[a-zA-Z0-9._{}-]+$"',
        '/principals/1 must NOT have additional properties',
      ]),
    );
  });

  it('needs {system} in a per-system principal and for_each for {system}', () => {
    expect(problemsOf(shipped.replace('principal: adapter-{system}', 'principal: adapter'))).toContain('/principals/1/principal must match pattern "\\{system\\}"');
    expect(problemsOf(shipped.replace('name: weave.gateway.,', 'name: "weave.{system}.",'))).toEqual(['principal gateway: {system} in weave.{system}. needs for_each']);
  });

  it('refuses systems whose per-system prefixes would overlap', () => {
    const yaml = `directory: weave-units
version: "2026.11.1"
systems:
  mental: { agency: mental_health, holds: [] }
  mental-health: { agency: mental_health, holds: [] }
units:
  - { id: unit-a, role: community_mental_health_centre, system: mental, supervisor: unit-a }
subscriptions: []
`;
    const overlapping = loadDirectory(yaml, 'test directory');
    expect(() => expandAcls(parseAclDocument(shipped, schema), overlapping)).toThrow(
      /systems mental and mental-health overlap: adapter-mental's (group|topic) prefix .* also covers adapter-mental-health's/,
    );
  });
});
