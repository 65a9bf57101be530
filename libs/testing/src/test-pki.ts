import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  readonly caPath: string;
}

export interface TestPki {
  readonly dir: string;
  readonly caPath: string;
  /** Issues a certificate signed by this CA; `san` defaults to localhost and 127.0.0.1. */
  issue(commonName: string, options?: { organisationalUnit?: string; san?: string }): TestCertificate;
}

function openssl(args: readonly string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A throwaway certificate authority made with the openssl CLI, for mTLS tests. */
export function createTestPki(name = 'weave-test'): TestPki {
  return openPki(mkdtempSync(join(tmpdir(), `${name}-pki-`)), name, 2);
}

/**
 * A certificate authority in `dir`, created on first use and reused after: the local stack's
 * development PKI. Certificates already issued are kept (issue() returns their paths).
 */
export function openPki(dir: string, name: string, days: number): TestPki {
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, 'ca.key');
  const caPath = join(dir, 'ca.crt');
  if (!existsSync(caPath) || !existsSync(caKey)) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', caPath, '-days', String(days), '-subj', `/O=${name}/CN=${name} development CA`]);
  }
  let serial = Date.now();
  return {
    dir,
    caPath,
    issue(commonName, options = {}) {
      const base = join(dir, commonName.replace(/[^a-zA-Z0-9-]/g, '_'));
      if (existsSync(`${base}.crt`) && existsSync(`${base}.key`)) return { certPath: `${base}.crt`, keyPath: `${base}.key`, caPath };
      const ext = `${base}.ext`;
      writeFileSync(ext, `subjectAltName=${options.san ?? 'DNS:localhost,IP:127.0.0.1'}\nextendedKeyUsage=serverAuth,clientAuth\n`);
      const subject = `/O=${name}${options.organisationalUnit ? `/OU=${options.organisationalUnit}` : ''}/CN=${commonName}`;
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subject]);
      openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', caPath, '-CAkey', caKey, '-set_serial', String(serial++), '-days', String(days), '-extfile', ext, '-out', `${base}.crt`]);
      return { certPath: `${base}.crt`, keyPath: `${base}.key`, caPath };
    },
  };
}
