import { INVOLVEMENT_KINDS, type ConsentGrant, type DecisionFacts, type Involvement, type InvolvementKind } from '@weave/policy';
import type { Pool } from 'pg';
import { checkedSchema } from '@weave/runtime';
import { isConsentKindName, isDataCategoryName, isPurposeName, isRecipientRoleName } from './vocabulary-mapping';

/** Names for the `unavailable` list of a response whose decision could not read a registry. */
export type RegistryName = 'consent-registry' | 'involvement-registry';

/**
 * What load() returns. `facts` is always usable by decide(): when the registries could not
 * be read it is FAIL_CLOSED_FACTS, `unavailable` names both registries and `error` holds the
 * cause for the caller's (redacting) log — never for the requester. When they were read,
 * `unavailable` is empty and `error` undefined.
 */
export interface LoadedFacts {
  readonly facts: DecisionFacts;
  readonly unavailable: readonly RegistryName[];
  readonly error?: unknown;
}

/** As LoadedFacts, for several persons read with one statement; every requested person has an entry. */
export interface LoadedFactsMany {
  readonly facts: ReadonlyMap<string, DecisionFacts>;
  readonly unavailable: readonly RegistryName[];
  readonly error?: unknown;
}

/**
 * Facts when the registries cannot be read. Unknown means the worst case: no involvement and
 * no consent can be relied on (decide() withholds with registry_unavailable), and the
 * victim-protection prohibitions apply as if the requester served the alleged perpetrator.
 */
export const FAIL_CLOSED_FACTS: DecisionFacts = Object.freeze({
  involvements: Object.freeze([]),
  consents: Object.freeze([]),
  requesterServesAllegedPerpetrator: true,
  consentsUnavailable: true,
  involvementsUnavailable: true,
});

export const BOTH_REGISTRIES: readonly RegistryName[] = Object.freeze(['consent-registry', 'involvement-registry'] as const);

export interface DecisionFactsOptions {
  /** A read that takes longer fails closed (default 2000 ms); the query itself runs on and its connection returns to the pool. */
  readonly timeoutMs?: number;
}

interface InvolvementJson {
  unitId: string;
  kind: string;
  validFrom: number;
  validUntil: number | null;
}

interface ConsentJson {
  consentId: string;
  version: number;
  kind: string;
  categories: string[];
  recipientRoles: string[];
  recipientUnits: string[];
  purposes: string[];
  validFrom: number;
  validUntil: number | null;
  withdrawnAt: number | null;
}

interface FactsRow {
  person: string;
  involvements: InvolvementJson[];
  consents: ConsentJson[];
  serves_alleged_perpetrator: boolean;
}

function isInvolvementKind(candidate: string): candidate is InvolvementKind {
  return (INVOLVEMENT_KINDS as readonly string[]).includes(candidate);
}

function involvementOf(json: InvolvementJson): Involvement[] {
  if (!isInvolvementKind(json.kind)) return [];
  return [{ unitId: json.unitId, kind: json.kind, validFrom: json.validFrom, validUntil: json.validUntil }];
}

function consentOf(json: ConsentJson): ConsentGrant[] {
  if (!isConsentKindName(json.kind)) return [];
  return [
    {
      consentId: json.consentId,
      version: json.version,
      kind: json.kind,
      // Words outside the vocabulary are dropped: they can only narrow what a consent covers.
      categories: json.categories.filter(isDataCategoryName),
      recipientRoles: json.recipientRoles.filter(isRecipientRoleName),
      recipientUnits: json.recipientUnits,
      purposes: json.purposes.filter(isPurposeName),
      validFrom: json.validFrom,
      validUntil: json.validUntil,
      withdrawnAt: json.withdrawnAt,
    },
  ];
}

function epochMs(column: string): string {
  return `floor(extract(epoch FROM ${column}) * 1000)::bigint`;
}

class FactsTimeoutError extends Error {
  constructor(ms: number) {
    super(`decision facts not read within ${ms} ms`);
    this.name = 'FactsTimeoutError';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FactsTimeoutError(ms)), ms);
  });
  // The losing promise's rejection is handled here, so it never surfaces as unhandled.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Everything decide() needs about one requester unit and one or more persons, read with ONE
 * SQL statement per call, from PostgreSQL every time. There is no cache on purpose: a consent
 * withdrawal or a unit leaving a case, once committed, binds the very next decision on every
 * gateway instance (see ConsentRepository).
 *
 * Never throws: a failed or slow read returns FAIL_CLOSED_FACTS with the registries named in
 * `unavailable`.
 */
export class DecisionFactsRepository {
  private readonly sql: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly pool: Pool,
    schema: string,
    options: DecisionFactsOptions = {},
  ) {
    const s = checkedSchema(schema);
    this.timeoutMs = options.timeoutMs ?? 2_000;
    // $1 requester unit, $2 persons, $3 now.
    // - involvements: the unit's involvements with the person, directly or through any family
    //   the person belongs to, that have not ended by now;
    // - consents: all of the person's consents and waivers, in any state;
    // - serves_alleged_perpetrator: the unit has a current `client` involvement with someone
    //   recorded as alleged perpetrator against the person.
    this.sql = `
      SELECT p.person,
        COALESCE((
          SELECT json_agg(json_build_object(
                   'unitId', i.unit_id, 'kind', i.kind,
                   'validFrom', ${epochMs('i.valid_from')}, 'validUntil', ${epochMs('i.valid_until')})
                 ORDER BY i.valid_from, i.kind, i.valid_until)
            FROM (
              -- UNION, not UNION ALL: a family involvement reaches the person once per member
              -- row; the decision needs each (kind, validity) once.
              SELECT d.unit_id, d.kind, d.valid_from, d.valid_until FROM ${s}.involvements d
               WHERE d.unit_id = $1 AND d.person_pseudonym = p.person
                 AND (d.valid_until IS NULL OR d.valid_until > $3)
              UNION
              SELECT f.unit_id, f.kind, f.valid_from, f.valid_until FROM ${s}.involvements f
                JOIN ${s}.family_members fm ON fm.family_pseudonym = f.family_pseudonym
               WHERE f.unit_id = $1 AND fm.person_pseudonym = p.person
                 AND (f.valid_until IS NULL OR f.valid_until > $3)
            ) i
        ), '[]'::json) AS involvements,
        COALESCE((
          SELECT json_agg(json_build_object(
                   'consentId', c.consent_id, 'version', c.version, 'kind', c.kind,
                   'categories', c.categories, 'recipientRoles', c.recipient_roles,
                   'recipientUnits', c.recipient_units, 'purposes', c.purposes,
                   'validFrom', ${epochMs('c.valid_from')}, 'validUntil', ${epochMs('c.valid_until')},
                   'withdrawnAt', ${epochMs('c.withdrawn_at')})
                 ORDER BY c.created_at, c.consent_id)
            FROM ${s}.consents c
           WHERE c.subject_pseudonym = p.person
        ), '[]'::json) AS consents,
        EXISTS (
          SELECT 1 FROM ${s}.protected_relations pr
            JOIN ${s}.involvements v ON v.person_pseudonym = pr.perpetrator_pseudonym
           WHERE pr.victim_pseudonym = p.person
             AND v.unit_id = $1 AND v.relationship = 'client'
             AND v.valid_from <= $3 AND (v.valid_until IS NULL OR v.valid_until > $3)
        ) AS serves_alleged_perpetrator
      FROM unnest($2::text[]) WITH ORDINALITY AS p(person, position)
      ORDER BY p.position`;
  }

  /** Facts about one person for one requester unit (one statement); never throws. */
  async load(unitId: string, person: string, now: Date): Promise<LoadedFacts> {
    const many = await this.loadMany(unitId, [person], now);
    return { facts: many.facts.get(person) ?? FAIL_CLOSED_FACTS, unavailable: many.unavailable, ...(many.error === undefined ? {} : { error: many.error }) };
  }

  /** Facts about several persons (a family) for one requester unit, with one statement; never throws. */
  async loadMany(unitId: string, persons: readonly string[], now: Date): Promise<LoadedFactsMany> {
    const unique = [...new Set(persons)];
    if (unique.length === 0) return { facts: new Map(), unavailable: [] };
    try {
      const { rows } = await withTimeout(this.pool.query<FactsRow>(this.sql, [unitId, unique, now]), this.timeoutMs);
      const facts = new Map<string, DecisionFacts>();
      for (const row of rows) {
        facts.set(row.person, {
          involvements: row.involvements.flatMap(involvementOf),
          consents: row.consents.flatMap(consentOf),
          requesterServesAllegedPerpetrator: row.serves_alleged_perpetrator,
        });
      }
      // unnest yields one row per person; a missing one would be a bug, and still fails closed.
      for (const person of unique) if (!facts.has(person)) facts.set(person, FAIL_CLOSED_FACTS);
      return { facts, unavailable: [] };
    } catch (error) {
      return { facts: new Map(unique.map((p) => [p, FAIL_CLOSED_FACTS])), unavailable: BOTH_REGISTRIES, error };
    }
  }
}
