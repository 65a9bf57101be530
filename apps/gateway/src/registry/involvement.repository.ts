import {
  EventTypes,
  MembershipChange,
  MembershipRole,
  SubjectRole,
  type CaseMembershipChanged,
  type ReportDispatched,
  type SubjectRef,
} from '@weave/contracts';
import type { InvolvementKind } from '@weave/policy';
import type { Pool, PoolClient } from 'pg';
import { checkedSchema, inTransaction } from '@weave/runtime';

/** How long a dispatch gives need-to-know when the event does not say (involvement_until unset). */
export const DEFAULT_DISPATCH_INVOLVEMENT_MS = 30 * 24 * 3600 * 1000;

/**
 * A unit's relation to one person in a case: it serves a `client`; a `counterparty` (the
 * alleged perpetrator in a protection case) is someone it deals with but does not serve.
 */
export type Relationship = 'client' | 'counterparty';

/** An event the registry cannot apply, whatever the number of attempts (dead-letter it). */
export class InvalidRegistryEventError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`registry event rejected: ${problems.join('; ')}`);
    this.name = 'InvalidRegistryEventError';
  }
}

export function relationshipOf(role: SubjectRole): Relationship {
  return role === SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR ? 'counterparty' : 'client';
}

/** Every (victim or child) × alleged perpetrator pair among the subjects, without self-pairs. */
export function protectedPairs(subjects: readonly SubjectRef[]): { victim: string; perpetrator: string }[] {
  const victims = new Set(
    subjects.filter((s) => s.role === SubjectRole.SUBJECT_ROLE_VICTIM || s.role === SubjectRole.SUBJECT_ROLE_CHILD).map((s) => s.pseudonym),
  );
  const perpetrators = new Set(subjects.filter((s) => s.role === SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR).map((s) => s.pseudonym));
  const pairs: { victim: string; perpetrator: string }[] = [];
  for (const victim of victims) {
    for (const perpetrator of perpetrators) {
      if (victim !== perpetrator) pairs.push({ victim, perpetrator });
    }
  }
  return pairs;
}

/** One row per (person, relationship): a person listed twice in different roles gets both. */
function personRelationships(subjects: readonly SubjectRef[]): { persons: string[]; relationships: Relationship[] } {
  const seen = new Set<string>();
  const persons: string[] = [];
  const relationships: Relationship[] = [];
  for (const s of subjects) {
    const relationship = relationshipOf(s.role);
    const key = `${s.pseudonym}\u0000${relationship}`;
    if (seen.has(key)) continue;
    seen.add(key);
    persons.push(s.pseudonym);
    relationships.push(relationship);
  }
  return { persons, relationships };
}

function requiredTime(value: string | undefined, field: string): Date {
  const time = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidRegistryEventError([`${field}: required`]);
  return new Date(time);
}

interface NewInvolvements {
  readonly unitId: string;
  readonly subjects: readonly SubjectRef[];
  readonly family: string | null;
  readonly kind: InvolvementKind;
  readonly validFrom: Date;
  readonly validUntil: Date | null;
  readonly sourceEventId: string;
  readonly caseId: string | null;
}

/**
 * Need-to-know: which units are involved with which people, from dispatch and case-membership
 * events and break-glass; which people are recorded as alleged perpetrators against whom;
 * which people form a family. Every event is applied at most once (by its event id), so a
 * redelivery changes nothing.
 */
export class InvolvementRepository {
  private readonly schema: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.schema = checkedSchema(schema);
  }

  /**
   * intake.report.dispatched.v1: the dispatched unit gets a `dispatched` involvement with every
   * subject from dispatched_at until involvement_until (default: 30 days).
   */
  async applyDispatch(eventId: string, payload: ReportDispatched): Promise<void> {
    const dispatchedAt = requiredTime(payload.dispatchedAt, 'dispatched_at');
    const until = payload.involvementUntil ? requiredTime(payload.involvementUntil, 'involvement_until') : new Date(dispatchedAt.getTime() + DEFAULT_DISPATCH_INVOLVEMENT_MS);
    if (!payload.unitId) throw new InvalidRegistryEventError(['unit_id: required']);
    await this.applyOnce(eventId, EventTypes.IntakeReportDispatched, async (client) => {
      const family = payload.familyPseudonym || null;
      await this.insertInvolvements(client, {
        unitId: payload.unitId,
        subjects: payload.subjects,
        family,
        kind: 'dispatched',
        validFrom: dispatchedAt,
        validUntil: until,
        sourceEventId: eventId,
        caseId: null,
      });
      await this.insertFamilyMembers(client, family, payload.subjects, eventId);
      await this.insertRelations(client, payload.subjects, eventId);
    });
  }

  /**
   * casework.membership.changed.v1: JOINED gives the unit an open-ended `lead` or
   * `collaborator` involvement with every subject; LEFT ends (valid_until = effective_at) the
   * unit's open involvements from that case. A JOINED without subjects records nothing.
   */
  async applyMembership(eventId: string, payload: CaseMembershipChanged): Promise<void> {
    const effectiveAt = requiredTime(payload.effectiveAt, 'effective_at');
    if (!payload.unitId || !payload.caseId) throw new InvalidRegistryEventError(['unit_id and case_id: required']);
    const kind: InvolvementKind | undefined =
      payload.role === MembershipRole.MEMBERSHIP_ROLE_LEAD ? 'lead' : payload.role === MembershipRole.MEMBERSHIP_ROLE_COLLABORATOR ? 'collaborator' : undefined;
    if (kind === undefined) throw new InvalidRegistryEventError(['role: LEAD or COLLABORATOR']);
    if (payload.change !== MembershipChange.MEMBERSHIP_CHANGE_JOINED && payload.change !== MembershipChange.MEMBERSHIP_CHANGE_LEFT) {
      throw new InvalidRegistryEventError(['change: JOINED or LEFT']);
    }
    await this.applyOnce(eventId, EventTypes.CaseworkMembershipChanged, async (client) => {
      const family = payload.familyPseudonym || null;
      if (payload.change === MembershipChange.MEMBERSHIP_CHANGE_JOINED) {
        await this.insertInvolvements(client, {
          unitId: payload.unitId,
          subjects: payload.subjects,
          family,
          kind,
          validFrom: effectiveAt,
          validUntil: null,
          sourceEventId: eventId,
          caseId: payload.caseId,
        });
      } else {
        await client.query(
          `UPDATE ${this.schema}.involvements SET valid_until = $3
            WHERE unit_id = $1 AND case_id = $2 AND valid_until IS NULL`,
          [payload.unitId, payload.caseId, effectiveAt],
        );
      }
      await this.insertFamilyMembers(client, family, payload.subjects, eventId);
      await this.insertRelations(client, payload.subjects, eventId);
    });
  }

  /** Victim/child × alleged-perpetrator pairs seen on any event; the first source is kept. */
  async recordRelationsFromSubjects(subjects: readonly SubjectRef[], sourceEventId: string): Promise<void> {
    await this.insertRelations(this.pool, subjects, sourceEventId);
  }

  /**
   * Break-glass: an `emergency` involvement (relationship client) from `from` (default now)
   * until `until`. Once per source id (the break-glass grant).
   */
  async grantEmergencyInvolvement(unitId: string, person: string, until: Date, sourceId: string, from: Date = new Date()): Promise<void> {
    await this.applyOnce(`emergency:${sourceId}`, 'gateway.emergency-involvement', async (client) => {
      await this.insertInvolvements(client, {
        unitId,
        subjects: [{ pseudonym: person, role: SubjectRole.SUBJECT_ROLE_UNSPECIFIED }],
        family: null,
        kind: 'emergency',
        validFrom: from,
        validUntil: until,
        sourceEventId: sourceId,
        caseId: null,
      });
    });
  }

  /** Units with a current lead involvement with the person, directly or through their family. */
  async leadUnitsOf(person: string, now: Date): Promise<string[]> {
    const { rows } = await this.pool.query<{ unit_id: string }>(
      `SELECT DISTINCT i.unit_id FROM ${this.schema}.involvements i
        WHERE i.kind = 'lead' AND i.valid_from <= $2 AND (i.valid_until IS NULL OR i.valid_until > $2)
          AND (i.person_pseudonym = $1
               OR i.family_pseudonym IN (SELECT fm.family_pseudonym FROM ${this.schema}.family_members fm WHERE fm.person_pseudonym = $1))
        ORDER BY i.unit_id`,
      [person, now],
    );
    return rows.map((r) => r.unit_id);
  }

  /** Whether the unit currently serves any of these persons as a client (the perpetrator prohibition). */
  async servesAnyAsClient(unitId: string, persons: readonly string[], now: Date): Promise<boolean> {
    if (persons.length === 0) return false;
    const { rows } = await this.pool.query<{ serves: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${this.schema}.involvements i
         WHERE i.unit_id = $1 AND i.person_pseudonym = ANY($2) AND i.relationship = 'client'
           AND i.valid_from <= $3 AND (i.valid_until IS NULL OR i.valid_until > $3)) AS serves`,
      [unitId, [...persons], now],
    );
    return rows[0]?.serves ?? true;
  }

  async familyMembers(family: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ person_pseudonym: string }>(
      `SELECT person_pseudonym FROM ${this.schema}.family_members WHERE family_pseudonym = $1 ORDER BY person_pseudonym`,
      [family],
    );
    return rows.map((r) => r.person_pseudonym);
  }

  /** Runs `apply` in the same transaction that marks the event processed; a redelivery is skipped. */
  private async applyOnce(eventId: string, eventType: string, apply: (client: PoolClient) => Promise<void>): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // A concurrent redelivery waits on this row until we commit, then finds it and skips.
      const claimed = await client.query(
        `INSERT INTO ${this.schema}.registry_processed_events (event_id, event_type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [eventId, eventType],
      );
      if (claimed.rowCount !== 1) return false;
      await apply(client);
      return true;
    });
  }

  private async insertInvolvements(client: PoolClient, n: NewInvolvements): Promise<void> {
    const { persons, relationships } = personRelationships(n.subjects);
    if (persons.length === 0) return;
    await client.query(
      `INSERT INTO ${this.schema}.involvements
         (unit_id, person_pseudonym, family_pseudonym, kind, relationship, valid_from, valid_until, source_event_id, case_id)
       SELECT $1, person, $2, $3, relationship, $4, $5, $6, $7 FROM unnest($8::text[], $9::text[]) AS t(person, relationship)`,
      [n.unitId, n.family, n.kind, n.validFrom, n.validUntil, n.sourceEventId, n.caseId, persons, relationships],
    );
  }

  private async insertFamilyMembers(client: PoolClient, family: string | null, subjects: readonly SubjectRef[], sourceEventId: string): Promise<void> {
    if (family === null || subjects.length === 0) return;
    await client.query(
      `INSERT INTO ${this.schema}.family_members (family_pseudonym, person_pseudonym, source_event_id)
       SELECT $1, person, $3 FROM unnest($2::text[]) AS t(person)
       ON CONFLICT DO NOTHING`,
      [family, [...new Set(subjects.map((s) => s.pseudonym))], sourceEventId],
    );
  }

  private async insertRelations(client: Pool | PoolClient, subjects: readonly SubjectRef[], sourceEventId: string): Promise<void> {
    const pairs = protectedPairs(subjects);
    if (pairs.length === 0) return;
    await client.query(
      `INSERT INTO ${this.schema}.protected_relations (victim_pseudonym, perpetrator_pseudonym, source_event_id)
       SELECT victim, perpetrator, $3 FROM unnest($1::text[], $2::text[]) AS t(victim, perpetrator)
       ON CONFLICT DO NOTHING`,
      [pairs.map((p) => p.victim), pairs.map((p) => p.perpetrator), sourceEventId],
    );
  }
}
