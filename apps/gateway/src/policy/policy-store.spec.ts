import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { expectEventually } from '@weave/testing';
import { PolicyStore } from './policy-store';

const root = join(__dirname, '../../../..');

function workspace(): { policy: string; directory: string } {
  const dir = mkdtempSync(join(tmpdir(), 'weave-policy-'));
  const policy = join(dir, 'policy.yaml');
  const directory = join(dir, 'directory.yaml');
  copyFileSync(join(root, 'policies/disclosure-policy.yaml'), policy);
  copyFileSync(join(root, 'policies/directory.yaml'), directory);
  return { policy, directory };
}

const logger = pino({ level: 'silent' });

describe('PolicyStore', () => {
  it('refuses to start on an invalid file', () => {
    const files = workspace();
    writeFileSync(files.policy, 'policy: weave-disclosure\nversion: nope\n');
    expect(() => PolicyStore.fromPaths(files.policy, files.directory, logger)).toThrow(/rejected/);
  });

  it('keeps serving the previous version when a changed file fails validation, and takes a valid one', () => {
    const files = workspace();
    const store = PolicyStore.fromPaths(files.policy, files.directory, logger);
    expect(store.current().policy.version).toBe('2026.11.1');

    writeFileSync(files.policy, readFileSync(files.policy, 'utf8').replace('basis: statutory_duty', 'basis: because_i_said_so'));
    const [refused] = store.reload();
    expect(refused).toMatchObject({ ok: false, version: '2026.11.1' });
    expect(refused?.problems.join('\n')).toMatch(/\/rules\/0\/basis \(R01-identity-involved\) must be equal to one of the allowed values/);
    expect(store.current().policy.version).toBe('2026.11.1');

    writeFileSync(files.policy, readFileSync(join(root, 'policies/disclosure-policy.yaml'), 'utf8').replace('version: "2026.11.1"', 'version: "2026.11.2"'));
    const [taken] = store.reload();
    expect(taken).toMatchObject({ ok: true, version: '2026.11.2' });
    expect(store.current().policy.version).toBe('2026.11.2');
  });

  it('picks up a changed file by itself when watching', async () => {
    const files = workspace();
    const store = PolicyStore.fromPaths(files.policy, files.directory, logger);
    store.watch(50);
    try {
      writeFileSync(files.policy, readFileSync(files.policy, 'utf8').replace('version: "2026.11.1"', 'version: "2026.11.3"'));
      await expectEventually(() => expect(store.current().policy.version).toBe('2026.11.3'), { timeoutMs: 5_000 });
    } finally {
      store.onModuleDestroy();
    }
  });
});
