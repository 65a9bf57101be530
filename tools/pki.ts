/**
 * The local stack's development PKI (.local/pki): a CA, a server/client certificate for each
 * weave service and for every Kafka principal of deploy/local/kafka/acls.yaml (common name =
 * principal, e.g. adapter-welfare for an adapter not written yet), and a client certificate for
 * every unit in policies/directory.yaml whose common name is the unit id (the identity the
 * gateway trusts). Idempotent: existing certificates are kept. Production units get
 * certificates from the agencies' real CA.
 *
 * `deploy/local/stack.sh up` makes the CA, the broker's certificate (weave-broker) and the
 * operator's (weave-operator) with the openssl CLI before Kafka starts, in this same layout
 * (<name>.crt, <name>.key, O=weave-local); this reuses that CA.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDirectory } from '@weave/policy';
import { REPO_ROOT, openPki } from '@weave/testing';
import { loadKafkaAcls } from './kafka-acls';

export const PKI_DIR = join(REPO_ROOT, '.local/pki');
export const SERVICES = ['gateway', 'intake', 'adapter-police', 'adapter-protection'] as const;

export function ensureDevPki(): { caPath: string; issued: number } {
  const pki = openPki(PKI_DIR, 'weave-local', 825);
  let issued = 0;
  const kafkaPrincipals = loadKafkaAcls(REPO_ROOT).acls.principals.map((p) => p.name);
  for (const service of new Set<string>([...SERVICES, ...kafkaPrincipals])) {
    pki.issue(service, { organisationalUnit: 'weave-service' });
    issued++;
  }
  const directory = loadDirectory(readFileSync(join(REPO_ROOT, 'policies/directory.yaml'), 'utf8'), 'policies/directory.yaml');
  for (const unit of directory.units.values()) {
    pki.issue(unit.id, { organisationalUnit: unit.role, san: 'DNS:localhost' });
    issued++;
  }
  return { caPath: pki.caPath, issued };
}

export function certificateFor(name: string): { certPath: string; keyPath: string; caPath: string } {
  const base = join(PKI_DIR, name.replace(/[^a-zA-Z0-9-]/g, '_'));
  return { certPath: `${base}.crt`, keyPath: `${base}.key`, caPath: join(PKI_DIR, 'ca.crt') };
}

if (require.main === module) {
  const { caPath, issued } = ensureDevPki();
  console.log(`  pki: ${issued} certificates under .local/pki (CA ${caPath.replace(`${REPO_ROOT}/`, '')})`);
}
