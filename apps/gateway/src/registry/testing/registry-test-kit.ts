import { randomBytes } from 'node:crypto';
import { ReportDispatched, SubjectRole, type SubjectRef } from '@weave/contracts';
import { migrate, createPool } from '@weave/runtime';
import { testStack, uniqueSchema } from '@weave/testing';
import type { Pool } from 'pg';

export { GATEWAY_MIGRATIONS_DIR } from '../../ledger/migrations-dir';
import { GATEWAY_MIGRATIONS_DIR } from '../../ledger/migrations-dir';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(length: number): string {
  return Array.from(randomBytes(length), (b) => BASE32[b % 32]).join('');
}

/** A fresh, well-formed person pseudonym. */
export function personPseudonym(): string {
  return `p1_${base32(26)}`;
}

export function familyPseudonym(): string {
  return `f1_${base32(26)}`;
}

export const victim = (pseudonym: string): SubjectRef => ({ pseudonym, role: SubjectRole.SUBJECT_ROLE_VICTIM });
export const child = (pseudonym: string): SubjectRef => ({ pseudonym, role: SubjectRole.SUBJECT_ROLE_CHILD });
export const perpetrator = (pseudonym: string): SubjectRef => ({ pseudonym, role: SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR });
export const caregiver = (pseudonym: string): SubjectRef => ({ pseudonym, role: SubjectRole.SUBJECT_ROLE_CAREGIVER });
export const reported = (pseudonym: string): SubjectRef => ({ pseudonym, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON });

export function dispatch(unitId: string, subjects: readonly SubjectRef[], overrides: Partial<ReportDispatched> = {}): ReportDispatched {
  return ReportDispatched.fromPartial({
    reportId: `R-${base32(8)}`,
    dispatchId: `D-${base32(8)}`,
    unitId,
    subjects: [...subjects],
    dispatchedAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  });
}

export interface TestDatabase {
  readonly pool: Pool;
  readonly schema: string;
  drop(): Promise<void>;
}

/** A schema of its own with every gateway migration applied; drop() removes it and closes the pool. */
export async function testDatabase(prefix: string, poolSize = 10): Promise<TestDatabase> {
  const pool = createPool(testStack().databaseUrl, `${prefix}-test`, poolSize);
  const schema = uniqueSchema(prefix);
  await migrate(pool, schema, GATEWAY_MIGRATIONS_DIR);
  return {
    pool,
    schema,
    drop: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}
