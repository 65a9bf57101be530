import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { resolve } from 'node:path';
import { PolicyValidationError, loadDirectory, loadPolicy, type CompiledPolicy, type Directory } from '@weave/policy';
import type { Logger } from 'pino';

export interface PolicySnapshot {
  readonly policy: CompiledPolicy;
  readonly directory: Directory;
}

export interface PolicyReload {
  readonly file: string;
  readonly ok: boolean;
  readonly version: string;
  readonly problems: readonly string[];
}

/**
 * The policy and the unit directory in force. Both are loaded at boot (a bad file stops the
 * boot) and reloaded when their file changes; a changed file that fails validation is refused
 * and the previous version keeps serving. Every decision records the version it used.
 */
export class PolicyStore {
  private snapshot: PolicySnapshot;
  private readonly listeners: ((reload: PolicyReload) => void)[] = [];
  private watching = false;

  constructor(
    private readonly policyFile: string,
    private readonly directoryFile: string,
    private readonly logger: Logger,
  ) {
    this.snapshot = {
      policy: loadPolicy(readFileSync(policyFile, 'utf8'), policyFile),
      directory: loadDirectory(readFileSync(directoryFile, 'utf8'), directoryFile),
    };
    logger.info({ policyVersion: this.snapshot.policy.version, directoryVersion: this.snapshot.directory.version }, 'policy loaded');
  }

  static fromPaths(policyFile: string, directoryFile: string, logger: Logger): PolicyStore {
    return new PolicyStore(resolve(policyFile), resolve(directoryFile), logger);
  }

  current(): PolicySnapshot {
    return this.snapshot;
  }

  onReload(listener: (reload: PolicyReload) => void): void {
    this.listeners.push(listener);
  }

  /** Re-reads both files; used by the watcher and by tests. */
  reload(): PolicyReload[] {
    return [this.reloadPolicy(), this.reloadDirectory()];
  }

  /** Polls the files (a watch on a replaced file or a network mount is unreliable). */
  watch(intervalMs = 1_000): void {
    if (this.watching) return;
    this.watching = true;
    watchFile(this.policyFile, { interval: intervalMs }, () => this.emit(this.reloadPolicy()));
    watchFile(this.directoryFile, { interval: intervalMs }, () => this.emit(this.reloadDirectory()));
  }

  onModuleDestroy(): void {
    if (!this.watching) return;
    unwatchFile(this.policyFile);
    unwatchFile(this.directoryFile);
    this.watching = false;
  }

  private emit(reload: PolicyReload): void {
    for (const listener of this.listeners) listener(reload);
  }

  private reloadPolicy(): PolicyReload {
    return this.attempt(this.policyFile, () => {
      const policy = loadPolicy(readFileSync(this.policyFile, 'utf8'), this.policyFile);
      this.snapshot = { ...this.snapshot, policy };
      return policy.version;
    }, this.snapshot.policy.version);
  }

  private reloadDirectory(): PolicyReload {
    return this.attempt(this.directoryFile, () => {
      const directory = loadDirectory(readFileSync(this.directoryFile, 'utf8'), this.directoryFile);
      this.snapshot = { ...this.snapshot, directory };
      return directory.version;
    }, this.snapshot.directory.version);
  }

  private attempt(file: string, load: () => string, previous: string): PolicyReload {
    try {
      const version = load();
      this.logger.info({ file, version, previous }, 'policy file reloaded');
      return { file, ok: true, version, problems: [] };
    } catch (err) {
      const problems = err instanceof PolicyValidationError ? err.problems : [err instanceof Error ? err.message : String(err)];
      this.logger.error({ file, problems, servingVersion: previous }, 'policy file refused; the previous version keeps serving');
      return { file, ok: false, version: previous, problems };
    }
  }
}
