import { randomUUID } from 'node:crypto';
import {
  Agency,
  ConsentChanged,
  GatewayConsentGrantedEvent,
  GatewayConsentWithdrawnEvent,
  SubjectRole,
  Topics,
  createEnvelope,
  eventIdFor,
  type EventDefinition,
  type EventEnvelope,
} from '@weave/contracts';
import type { ConsentGrant } from '@weave/policy';
import type { Pool, PoolClient } from 'pg';
import { enqueueOutbox } from '@weave/runtime';
import {
  ConsentNotFoundError,
  ConsentValidationError,
  toConsentGrant,
  toConsentMessage,
  type ConsentRecord,
  type GrantInput,
} from './consent.model';
import { grantProblems } from './consent.validation';
import { checkedSchema, inTransaction } from '@weave/runtime';
import {
  isConsentGiverName,
  isConsentKindName,
  isDataCategoryName,
  isPurposeName,
  isRecipientRoleName,
} from './vocabulary-mapping';

/** Source of the gateway's own events. */
export const GATEWAY_EVENT_SOURCE = { agency: Agency.AGENCY_WEAVE, system: 'weave-gateway', unitId: 'gateway' } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `consent_id, version, subject_pseudonym, given_by, kind, categories, recipient_roles, recipient_units, purposes,
  valid_from, valid_until, withdrawn_at, withdrawn_by, recorded_by_unit, evidence_reference, created_at, updated_at`;

interface ConsentRow {
  consent_id: string;
  version: number;
  subject_pseudonym: string;
  given_by: string;
  kind: string;
  categories: string[];
  recipient_roles: string[];
  recipient_units: string[];
  purposes: string[];
  valid_from: Date;
  valid_until: Date | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  recorded_by_unit: string;
  evidence_reference: string;
  created_at: Date;
  updated_at: Date;
}

function recordOf(row: ConsentRow): ConsentRecord {
  // The table's CHECK constraints hold these to the vocabulary; a word the vocabulary no
  // longer has (after a vocabulary change) is dropped, so it can never widen a release.
  if (!isConsentGiverName(row.given_by) || !isConsentKindName(row.kind)) {
    throw new Error(`consent ${row.consent_id}: given_by/kind outside the vocabulary`);
  }
  const withdrawnBy = row.withdrawn_by !== null && isConsentGiverName(row.withdrawn_by) ? row.withdrawn_by : null;
  return {
    consentId: row.consent_id,
    version: row.version,
    subjectPseudonym: row.subject_pseudonym,
    givenBy: row.given_by,
    kind: row.kind,
    categories: row.categories.filter(isDataCategoryName),
    recipientRoles: row.recipient_roles.filter(isRecipientRoleName),
    recipientUnits: row.recipient_units,
    purposes: row.purposes.filter(isPurposeName),
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    withdrawnAt: row.withdrawn_at,
    withdrawnBy,
    recordedByUnit: row.recorded_by_unit,
    evidenceReference: row.evidence_reference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The ConsentChanged event of one consent version, with a deterministic event id. */
export function consentChangedEnvelope(definition: EventDefinition<ConsentChanged>, record: ConsentRecord, now: Date): EventEnvelope {
  return createEnvelope({
    definition,
    payload: ConsentChanged.fromPartial({ consent: toConsentMessage(record, now) }),
    source: { ...GATEWAY_EVENT_SOURCE },
    subjects: [{ pseudonym: record.subjectPseudonym, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }],
    occurredAt: now,
    eventId: eventIdFor('weave-gateway-consent', `${record.consentId}:${record.version}`),
    now,
  });
}

/**
 * The consent registry. Every change (grant, withdrawal) writes the current state, an
 * append-only history row and the outbox row of its event in ONE transaction, and resolves
 * only after COMMIT.
 *
 * There is deliberately no cache, here or in DecisionFactsRepository: every decision reads
 * PostgreSQL. A withdrawal acknowledged to the caller must bind the very next decision on
 * every gateway instance; a cache (even a short-lived one, even with invalidation events)
 * would leave a window in which a withdrawn consent still releases data, and invalidation
 * across instances cannot be made to complete before the withdrawal is acknowledged.
 */
export class ConsentRepository {
  private readonly schema: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.schema = checkedSchema(schema);
  }

  /** Records version 1 of a consent; throws ConsentValidationError when grantProblems() finds any. */
  async grant(input: GrantInput, recordedByUnit: string, now: Date): Promise<ConsentRecord> {
    const problems = grantProblems(input, now);
    if (problems.length > 0) throw new ConsentValidationError(problems);
    if (!recordedByUnit) throw new ConsentValidationError([{ field: 'recorded_by_unit', description: 'required' }]);
    const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<ConsentRow>(
        `INSERT INTO ${this.schema}.consents (${COLUMNS})
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, $11, $12, $13, $13)
         RETURNING ${COLUMNS}`,
        [
          randomUUID(),
          input.subjectPseudonym,
          input.givenBy,
          input.kind,
          unique(input.categories),
          unique(input.recipientRoles),
          unique(input.recipientUnits),
          unique(input.purposes),
          input.validFrom ?? now,
          input.validUntil ?? null,
          recordedByUnit,
          input.evidenceReference,
          now,
        ],
      );
      const record = recordOf(firstRow(rows));
      await this.appendHistory(client, record, 'granted', recordedByUnit, now);
      // Transactional outbox: the event is published after COMMIT, and only if it commits.
      await enqueueOutbox(client, Topics.GatewayConsents, consentChangedEnvelope(GatewayConsentGrantedEvent, record, now), record.subjectPseudonym, this.schema);
      return record;
    });
  }

  /**
   * Withdraws a consent: version + 1, with its history row and event. Resolves only after
   * COMMIT, so the next decision anywhere reads the withdrawal. Withdrawing a withdrawn
   * consent returns it unchanged (no new version, no event). Throws ConsentNotFoundError,
   * or ConsentValidationError when `withdrawnBy` is not a ConsentGiverName.
   */
  async withdraw(consentId: string, withdrawnBy: string, byUnit: string, now: Date): Promise<ConsentRecord> {
    if (!isConsentGiverName(withdrawnBy)) {
      throw new ConsentValidationError([{ field: 'withdrawn_by', description: 'required: subject, guardian or legal representative' }]);
    }
    if (!UUID.test(consentId)) throw new ConsentNotFoundError(consentId);
    return inTransaction(this.pool, async (client) => {
      // The row lock serialises concurrent withdrawals of the same consent.
      const current = await client.query<ConsentRow>(`SELECT ${COLUMNS} FROM ${this.schema}.consents WHERE consent_id = $1 FOR UPDATE`, [consentId]);
      const row = current.rows[0];
      if (row === undefined) throw new ConsentNotFoundError(consentId);
      if (row.withdrawn_at !== null) return recordOf(row);
      const { rows } = await client.query<ConsentRow>(
        `UPDATE ${this.schema}.consents
            SET version = version + 1, withdrawn_at = $2, withdrawn_by = $3, updated_at = $2
          WHERE consent_id = $1
          RETURNING ${COLUMNS}`,
        [consentId, now, withdrawnBy],
      );
      const record = recordOf(firstRow(rows));
      await this.appendHistory(client, record, 'withdrawn', byUnit, now);
      await enqueueOutbox(client, Topics.GatewayConsents, consentChangedEnvelope(GatewayConsentWithdrawnEvent, record, now), record.subjectPseudonym, this.schema);
      return record;
    });
  }

  /** A subject's consents in every state, newest first. */
  /** One consent at its current version, or undefined. */
  async find(consentId: string): Promise<ConsentRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(consentId)) return undefined;
    const { rows } = await this.pool.query<ConsentRow>(`SELECT ${COLUMNS} FROM ${this.schema}.consents WHERE consent_id = $1`, [consentId]);
    return rows[0] ? recordOf(rows[0]) : undefined;
  }

  async listForSubject(subject: string): Promise<ConsentRecord[]> {
    const { rows } = await this.pool.query<ConsentRow>(
      `SELECT ${COLUMNS} FROM ${this.schema}.consents WHERE subject_pseudonym = $1 ORDER BY created_at DESC, consent_id`,
      [subject],
    );
    return rows.map(recordOf);
  }

  /** The shape decide() consumes. Read from PostgreSQL on every call (see the class comment). */
  async grantsForSubject(subject: string): Promise<ConsentGrant[]> {
    return (await this.listForSubject(subject)).map(toConsentGrant);
  }

  private async appendHistory(client: PoolClient, record: ConsentRecord, change: 'granted' | 'withdrawn', byUnit: string, now: Date): Promise<void> {
    await client.query(
      `INSERT INTO ${this.schema}.consent_history (consent_id, version, change, state, changed_by_unit, changed_at)
       SELECT c.consent_id, c.version, $2, to_jsonb(c), $3, $4 FROM ${this.schema}.consents c WHERE c.consent_id = $1`,
      [record.consentId, change, byUnit, now],
    );
  }
}

function firstRow<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('statement returned no row');
  return row;
}
