/** Fixtures for the ledger's tests: entries, pseudonyms and the registry tables. */
import { createHash, randomUUID } from 'node:crypto';
import { createPool, migrate } from '@weave/runtime';
import { testStack } from '@weave/testing';
import type { Pool } from 'pg';
import type { LedgerEntryInput } from '../ledger-entry';
import type { HashedFields } from '../ledger-hash';
import { GATEWAY_MIGRATIONS_DIR } from '../migrations-dir';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A well-formed person pseudonym derived from `seed` (p1_ + 26 base32 characters). */
export function pseudonymFor(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += BASE32[(digest[i] ?? 0) % 32];
  return `p1_${out}`;
}

export const JUSTIFICATION = '個案表示今晚將傷害同住家人，需立即協調安置';

export function sampleEntry(overrides: Partial<LedgerEntryInput> = {}): LedgerEntryInput {
  const decisionId = randomUUID();
  return {
    decisionKey: decisionId,
    decisionId,
    kind: 'query',
    requesterUnit: 'nantou-swc-puli',
    requesterRole: 'social_welfare_centre',
    subjectPseudonym: pseudonymFor('subject-1'),
    purpose: 'case_coordination',
    bases: ['statutory_duty', 'consent'],
    policyVersion: '2026.01.1',
    consentsUsed: [{ consentId: 'c-1', version: 2 }],
    categoriesReleased: ['household_composition', 'welfare_benefit_status'],
    categoriesWithheld: ['mental_health'],
    outcome: 'partial',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    sourceEventId: '',
    breakGlass: false,
    requesterReference: 'REF-7',
    ...overrides,
  };
}

export function sampleFields(overrides: Partial<HashedFields> = {}): HashedFields {
  return {
    sequence: '1',
    entryId: '3f1d6a52-8c1e-4e5b-9a49-2d0f0e7b6c11',
    decisionKey: 'decision-1',
    decisionId: '9b2c7d4e-1a3f-4b5c-8d6e-7f8091a2b3c4',
    kind: 'query',
    requesterUnit: 'nantou-swc-puli',
    requesterRole: 'social_welfare_centre',
    subjectPseudonym: 'p1_abcdefghijklmnopqrstuvwxyz',
    purpose: 'case_coordination',
    bases: ['statutory_duty', 'consent'],
    policyVersion: '2026.01.1',
    consentsUsed: [{ consentId: 'c-1', version: 2 }],
    categoriesReleased: ['household_composition'],
    categoriesWithheld: ['mental_health'],
    outcome: 'partial',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    sourceEventId: '',
    breakGlass: false,
    requesterReference: 'REF-7',
    claim: { basis: 'imminent_danger', reason: 'threat_of_serious_harm', justification: '個案表示今晚將傷害同住家人' },
    recordedAt: new Date('2026-01-31T08:15:00.123Z'),
    ...overrides,
  };
}

/** The registry's tables, exactly as migration 020_registry.sql (another component's) creates them. */
export const REGISTRY_DDL = `
CREATE TABLE involvements (id bigserial PRIMARY KEY, unit_id text NOT NULL, person_pseudonym text NOT NULL, family_pseudonym text, kind text NOT NULL, relationship text NOT NULL /* 'client' | 'counterparty' */, valid_from timestamptz NOT NULL, valid_until timestamptz, source_event_id text NOT NULL);
CREATE TABLE protected_relations (victim_pseudonym text NOT NULL, perpetrator_pseudonym text NOT NULL, source_event_id text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (victim_pseudonym, perpetrator_pseudonym));
`;

/** Applies the gateway migrations to a fresh schema (and the registry tables, if asked and not yet there). */
export async function migrateTestSchema(pool: Pool, schema: string, options: { registry?: boolean } = {}): Promise<void> {
  await migrate(pool, schema, GATEWAY_MIGRATIONS_DIR);
  if (options.registry) {
    const { rows } = await pool.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${schema}.involvements`]);
    if (!rows[0]?.present) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL search_path TO ${schema}`);
        await client.query(REGISTRY_DDL);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
  }
}

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** Runs SQL that bypasses the ledger's append-only triggers, as an attacker with DBA rights would. */
export async function tamper(pool: Pool, sql: string, params: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, params);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A pool for one test file; idle connections killed by a test do not crash the process. */
export function testPool(applicationName: string, max = 4): Pool {
  const pool = createPool(testStack().databaseUrl, applicationName, max);
  pool.on('error', () => undefined);
  return pool;
}

export interface StoredEntry {
  sequence: string;
  entry_id: string;
  entry_hash: string;
  decision_key: string;
  recorded_at: Date;
}

export async function storedEntries(pool: Pool, schema: string): Promise<StoredEntry[]> {
  const { rows } = await pool.query<StoredEntry>(`SELECT sequence, entry_id, entry_hash, decision_key, recorded_at FROM ${schema}.ledger ORDER BY sequence`);
  return rows;
}
