import { join, resolve } from 'node:path';

/**
 * Where the .proto sources are at runtime: gRPC server reflection serves them. Defaults
 * to the repository's protos/; images set WEAVE_PROTOS_DIR.
 */
export const PROTOS_ROOT = process.env['WEAVE_PROTOS_DIR'] ?? resolve(__dirname, '../../../protos');

export function protoFile(relative: string): string {
  return join(PROTOS_ROOT, relative);
}
