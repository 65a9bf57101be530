import {
  Agency,
  GatewayBreakGlassUsedEvent,
  SubjectRole,
  createEnvelope,
  egressTopic,
  eventIdFor,
  type ReviewItem,
} from '@weave/contracts';
import type { Directory } from '@weave/policy';
import type { Pool, PoolClient } from 'pg';
import { enqueueOutbox } from '@weave/runtime';
import type { BreakGlassDraft } from '../query/disclosure-query.service';
import { basisOf, dataCategoryOf, reasonOf } from '../registry/vocabulary-mapping';

export type ReviewOutcomeName = 'justified' | 'justified_with_concerns' | 'not_justified';

interface ReviewRow {
  review_item_id: string;
  grant_id: string;
  requester_unit: string;
  supervisor_unit: string;
  subject_pseudonym: string;
  basis: string;
  reason: string;
  justification: string;
  categories_released: string[];
  opened_at: Date;
  closed_at: Date | null;
  outcome: string | null;
  notes: string | null;
  decision_id: string;
}

export class ReviewItemNotFound extends Error {
  constructor() {
    super('no such review item for this supervisor');
    this.name = 'ReviewItemNotFound';
  }
}

/**
 * Break-glass grants, their time-limited emergency involvement, the notification to the
 * subject's lead unit and the supervisor's review item. All of it is written inside the
 * ledger transaction of the disclosure, so a break-glass answer never exists without them.
 */
export class BreakGlassRepository {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** The writes that go with a break-glass disclosure, for the ledger to run in its transaction. */
  effectFor(draft: BreakGlassDraft, leadUnits: readonly string[], directory: Directory): (client: PoolClient) => Promise<void> {
    const s = this.schema;
    const notified = leadUnits.filter((u) => u !== draft.requester.unitId && directory.units.has(u));
    return async (client) => {
      await client.query(
        `INSERT INTO ${s}.break_glass_grants (grant_id, decision_id, requester_unit, subject_pseudonym, basis, reason, categories_released, granted_at, expires_at, notified_units)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
        [draft.grantId, draft.decisionId, draft.requester.unitId, draft.subject, draft.claim.basis, draft.claim.reason ?? '', draft.categoriesReleased, draft.grantedAt, draft.expiresAt, notified],
      );
      await client.query(
        `INSERT INTO ${s}.review_items (review_item_id, grant_id, requester_unit, supervisor_unit, subject_pseudonym, basis, reason, justification, categories_released, opened_at, decision_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
        [draft.reviewItemId, draft.grantId, draft.requester.unitId, draft.supervisorUnit, draft.subject, draft.claim.basis, draft.claim.reason ?? '', draft.claim.justification, draft.categoriesReleased, draft.grantedAt, draft.decisionId],
      );
      // The grant's need-to-know: an emergency involvement until it expires.
      await client.query(
        `INSERT INTO ${s}.involvements (unit_id, person_pseudonym, family_pseudonym, kind, relationship, valid_from, valid_until, source_event_id)
         VALUES ($1,$2,NULL,'emergency','client',$3,$4,$5)`,
        [draft.requester.unitId, draft.subject, draft.grantedAt, draft.expiresAt, `break-glass:${draft.grantId}`],
      );
      for (const leadUnit of notified) {
        const system = directory.units.get(leadUnit)?.system ?? '';
        const envelope = createEnvelope({
          definition: GatewayBreakGlassUsedEvent,
          payload: {
            grantId: draft.grantId,
            requesterUnit: draft.requester.unitId,
            subjectPseudonym: draft.subject,
            basis: basisOf(draft.claim.basis),
            reason: draft.claim.reason ? reasonOf(draft.claim.reason) : 0,
            categoriesReleased: draft.categoriesReleased.map(dataCategoryOf),
            expiresAt: draft.expiresAt.toISOString(),
            reviewItemId: draft.reviewItemId,
            leadUnit,
          },
          eventId: eventIdFor('weave-gateway-break-glass', `${draft.grantId}:${leadUnit}`),
          source: { agency: Agency.AGENCY_WEAVE, system: 'weave-gateway', unitId: 'gateway' },
          subjects: [{ pseudonym: draft.subject, role: SubjectRole.SUBJECT_ROLE_REPORTED_PERSON }],
          occurredAt: draft.grantedAt,
        });
        await enqueueOutbox(client, egressTopic(system), envelope, draft.subject, s);
      }
    };
  }

  async listForSupervisor(supervisorUnit: string, includeClosed: boolean): Promise<ReviewItem[]> {
    const { rows } = await this.pool.query<ReviewRow>(
      `SELECT * FROM ${this.schema}.review_items WHERE supervisor_unit = $1 ${includeClosed ? '' : 'AND closed_at IS NULL'} ORDER BY opened_at LIMIT 500`,
      [supervisorUnit],
    );
    return rows.map(toReviewItem);
  }

  /** Closes an open item assigned to this supervisor; closing twice keeps the first outcome. */
  async close(reviewItemId: string, supervisorUnit: string, outcome: ReviewOutcomeName, notes: string, now: Date): Promise<ReviewItem> {
    const { rows } = await this.pool.query<ReviewRow>(
      `UPDATE ${this.schema}.review_items SET closed_at = $3, closed_by_unit = $2, outcome = $4, notes = $5
       WHERE review_item_id = $1 AND supervisor_unit = $2 AND closed_at IS NULL RETURNING *`,
      [reviewItemId, supervisorUnit, now, outcome, notes],
    );
    if (rows[0]) return toReviewItem(rows[0]);
    const existing = await this.pool.query<ReviewRow>(`SELECT * FROM ${this.schema}.review_items WHERE review_item_id = $1 AND supervisor_unit = $2`, [reviewItemId, supervisorUnit]);
    if (!existing.rows[0]) throw new ReviewItemNotFound();
    return toReviewItem(existing.rows[0]);
  }
}

const OUTCOMES: Readonly<Record<string, number>> = { justified: 1, justified_with_concerns: 2, not_justified: 3 };

function toReviewItem(row: ReviewRow): ReviewItem {
  return {
    reviewItemId: row.review_item_id,
    grantId: row.grant_id,
    requesterUnit: row.requester_unit,
    supervisorUnit: row.supervisor_unit,
    subjectPseudonym: row.subject_pseudonym,
    basis: basisOf(row.basis as Parameters<typeof basisOf>[0]),
    reason: row.reason ? reasonOf(row.reason as Parameters<typeof reasonOf>[0]) : 0,
    justification: row.justification,
    categoriesReleased: row.categories_released.map((c) => dataCategoryOf(c as Parameters<typeof dataCategoryOf>[0])),
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : undefined,
    outcome: row.outcome ? (OUTCOMES[row.outcome] ?? 0) : 0,
    notes: row.notes ?? '',
    decisionId: row.decision_id,
  };
}
