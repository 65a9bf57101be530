import { randomUUID } from 'node:crypto';
import {
  Outcome,
  SubjectRole,
  WithholdReason,
  type BreakGlassGrant,
  type DisclosedRecord,
  type FieldValue,
  type HeldRecord,
  type QueryResponse,
  type Withheld,
} from '@weave/contracts';
import {
  decide,
  minimiseFields,
  type DataCategoryName,
  type Decision,
  type DecisionFacts,
  type Requester,
  type Withholding,
  type WithholdReasonName,
} from '@weave/policy';
import type { Logger } from 'pino';
import type { LedgerEffect, LedgerReceipt } from '../ledger/disclosure-ledger';
import type { LedgerEntryInput } from '../ledger/ledger-entry';
import type { PolicyStore } from '../policy/policy-store';
import type { RateDecision } from '../rate-limit/query-rate-limiter';
import { FAIL_CLOSED_FACTS } from '../registry/decision-facts.repository';
import { basisOf, categoryName, dataCategoryOf } from '../registry/vocabulary-mapping';
import type { LookupOutcome } from './data-holder-clients';
import type { ParsedQuery } from './query-request';

/** What the query needs from the registries, the ledger, the holders and the rate limiter. */
export interface QueryPorts {
  readonly store: PolicyStore;
  loadFacts(unitId: string, persons: readonly string[], now: Date): Promise<{ facts: ReadonlyMap<string, DecisionFacts>; unavailable: readonly string[] }>;
  familyMembers(family: string): Promise<readonly string[]>;
  /** Whether the unit currently serves (as a client) any of these persons. */
  servesAnyAsClient(unitId: string, persons: readonly string[], now: Date): Promise<boolean>;
  lookup(system: string, request: { personPseudonym?: string; familyPseudonym?: string; categories: readonly DataCategoryName[]; decisionId: string }): Promise<LookupOutcome>;
  hasHolder(system: string): boolean;
  append(entry: LedgerEntryInput, effect?: LedgerEffect): Promise<LedgerReceipt>;
  takeRate(unitId: string, now: Date): Promise<RateDecision>;
  breakGlassEffect(grant: BreakGlassDraft): Promise<LedgerEffect>;
  recordRelations(records: readonly HeldRecord[], decisionId: string): Promise<void>;
  now(): Date;
}

export interface BreakGlassDraft {
  readonly grantId: string;
  readonly reviewItemId: string;
  readonly decisionId: string;
  readonly requester: Requester;
  readonly supervisorUnit: string;
  readonly subject: string;
  readonly claim: NonNullable<ParsedQuery['breakGlass']>;
  readonly categoriesReleased: readonly DataCategoryName[];
  readonly grantedAt: Date;
  readonly expiresAt: Date;
}

/** A Query that cannot be answered at all; the RPC layer maps it to a status. */
export class QueryRefused extends Error {
  constructor(
    readonly kind: 'rate-limited' | 'ledger-unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'QueryRefused';
  }
}

const REASONS: Readonly<Record<WithholdReasonName, WithholdReason>> = {
  prohibited: WithholdReason.WITHHOLD_REASON_PROHIBITED,
  no_involvement: WithholdReason.WITHHOLD_REASON_NO_INVOLVEMENT,
  no_legal_basis: WithholdReason.WITHHOLD_REASON_NO_LEGAL_BASIS,
  consent_missing: WithholdReason.WITHHOLD_REASON_CONSENT_MISSING,
  justification_missing: WithholdReason.WITHHOLD_REASON_JUSTIFICATION_MISSING,
  minimum_necessary: WithholdReason.WITHHOLD_REASON_MINIMUM_NECESSARY,
  field_not_permitted: WithholdReason.WITHHOLD_REASON_FIELD_NOT_PERMITTED,
  aggregate_only: WithholdReason.WITHHOLD_REASON_AGGREGATE_ONLY,
  source_unavailable: WithholdReason.WITHHOLD_REASON_SOURCE_UNAVAILABLE,
  registry_unavailable: WithholdReason.WITHHOLD_REASON_REGISTRY_UNAVAILABLE,
  rate_limited: WithholdReason.WITHHOLD_REASON_RATE_LIMITED,
  unknown_requester: WithholdReason.WITHHOLD_REASON_UNKNOWN_REQUESTER,
};

// Categories whose holder records name the alleged perpetrator; the prohibition is
// re-checked against those names before anything leaves (the registry may not know yet).
const VICTIM_PROTECTED: readonly DataCategoryName[] = ['dv_victim_whereabouts', 'sexual_assault_victim_identity'];

function toWithheld(subject: string, w: Withholding): Withheld {
  return {
    category: dataCategoryOf(w.category),
    field: w.field ?? '',
    reason: REASONS[w.reason],
    ruleId: w.ruleId ?? '',
    explanation: w.explanation,
    wouldPermit: w.wouldPermit,
    subjectPseudonym: subject,
  };
}

interface SubjectOutcome {
  readonly subject: string;
  readonly decision: Decision;
  readonly released: Set<DataCategoryName>;
  readonly withheld: Withholding[];
}

/**
 * The Query RPC: decide per subject and category, fetch only what may be released, minimise
 * it field by field, record the decision in the ledger, and only then answer. Anything that
 * cannot be decided, fetched or recorded is withheld and the answer says why.
 */
export class DisclosureQueryService {
  constructor(
    private readonly ports: QueryPorts,
    private readonly logger: Logger,
  ) {}

  async query(requester: Requester, supervisorUnit: string, query: ParsedQuery, traceId: string): Promise<QueryResponse> {
    const now = this.ports.now();
    const decisionId = randomUUID();
    const { policy, directory } = this.ports.store.current();

    // The rate check and the facts are independent reads: done together, one round trip less.
    const subjectsRead = query.subject.kind === 'person' ? Promise.resolve([query.subject.pseudonym]) : this.ports.familyMembers(query.subject.pseudonym);
    const factsRead = subjectsRead.then((persons) => this.ports.loadFacts(requester.unitId, persons, now));
    const [rate, subjectList, loaded] = await Promise.all([this.ports.takeRate(requester.unitId, now), subjectsRead, factsRead]);
    if (rate === 'limited') throw new QueryRefused('rate-limited', 'query rate limit for this unit reached; try again in a minute');
    const unavailable: string[] = rate === 'unavailable' ? ['rate-limiter'] : [];
    const subjects = [...subjectList];
    const { facts, unavailable: registries } = loaded;
    unavailable.push(...registries);

    const outcomes: SubjectOutcome[] = subjects.map((subject) => {
      const decision =
        rate === 'unavailable'
          ? failClosed(policy.version, query.categories, 'registry_unavailable', 'the rate limiter could not be reached')
          : decide(policy, { requester, subject, purpose: query.purpose, categories: query.categories, claim: query.claim, breakGlass: query.breakGlass, now: now.getTime() }, facts.get(subject) ?? FAIL_CLOSED_FACTS);
      return { subject, decision, released: new Set(decision.releases.map((r) => r.category)), withheld: [...decision.withholdings] };
    });

    // Fetch what may be released, from the systems that hold it.
    const wanted = new Set(outcomes.flatMap((o) => [...o.released]));
    const bySystem = new Map<string, DataCategoryName[]>();
    for (const system of directory.systems.values()) {
      const categories = system.holds.filter((c) => wanted.has(c));
      if (categories.length > 0) bySystem.set(system.id, categories);
    }
    const fetched: { system: string; records: readonly HeldRecord[] }[] = [];
    const failedCategories = new Set<DataCategoryName>();
    await Promise.all(
      [...bySystem].map(async ([system, categories]) => {
        const outcome = await this.ports.lookup(system, {
          ...(query.subject.kind === 'person' ? { personPseudonym: query.subject.pseudonym } : { familyPseudonym: query.subject.pseudonym }),
          categories,
          decisionId,
        });
        if (outcome.ok) fetched.push({ system, records: outcome.records });
        else {
          unavailable.push(`holder:${system}`);
          for (const c of categories) failedCategories.add(c);
          this.logger.warn({ system, reason: outcome.reason, decisionId }, 'data holder unavailable');
        }
      }),
    );
    for (const o of outcomes) {
      for (const c of [...o.released]) {
        if (!failedCategories.has(c)) continue;
        o.released.delete(c);
        o.withheld.push({ category: c, reason: 'source_unavailable', ruleId: undefined, explanation: `the system holding ${c} did not answer in time`, wouldPermit: 'asking again when the holding system is available' });
      }
    }

    const records = await this.minimise(requester, outcomes, fetched, now, decisionId);

    // Break-glass: only when something was actually released through it.
    let breakGlass: BreakGlassDraft | undefined;
    if (query.breakGlass) {
      const viaGlass = outcomes.flatMap((o) => o.decision.releases.filter((r) => r.breakGlass && o.released.has(r.category)).map((r) => ({ subject: o.subject, category: r.category })));
      const first = viaGlass[0];
      if (first) {
        breakGlass = {
          grantId: randomUUID(),
          reviewItemId: randomUUID(),
          decisionId,
          requester,
          supervisorUnit,
          subject: first.subject,
          claim: query.breakGlass,
          categoriesReleased: [...new Set(viaGlass.map((v) => v.category))],
          grantedAt: now,
          expiresAt: new Date(now.getTime() + policy.breakGlass.grantMinutes * 60_000),
        };
      }
    }

    // The ledger first: what it cannot record is not disclosed.
    const receipts: LedgerReceipt[] = [];
    try {
      const effect = breakGlass ? await this.ports.breakGlassEffect(breakGlass) : undefined;
      const entries = outcomes.map((o, i) => this.ledgerEntry(requester, query, o, decisionId, traceId, i === 0 ? breakGlass : undefined));
      if (entries.length === 0) entries.push(this.emptyFamilyEntry(requester, query, decisionId, traceId, policy.version));
      receipts.push(...(await Promise.all(entries.map((e, i) => this.ports.append(e, i === 0 ? effect : undefined)))));
    } catch (err) {
      this.logger.error({ err, decisionId }, 'ledger could not record the decision; nothing disclosed');
      throw new QueryRefused('ledger-unavailable', 'disclosure not made: the disclosure ledger could not record it');
    }

    const withheld: Withheld[] = outcomes.flatMap((o) => o.withheld.map((w) => toWithheld(o.subject, w)));
    if (subjects.length === 0) {
      for (const c of query.categories) {
        withheld.push(toWithheld('', { category: c, reason: 'no_involvement', ruleId: undefined, explanation: 'no member of this family is known to weave through a dispatch or a case', wouldPermit: 'a dispatch or a case that names the family' }));
      }
    }
    const anyReleased = outcomes.some((o) => o.released.size > 0);
    const grant: BreakGlassGrant | undefined = breakGlass
      ? { grantId: breakGlass.grantId, expiresAt: breakGlass.expiresAt.toISOString(), reviewItemId: breakGlass.reviewItemId }
      : undefined;
    return {
      outcome: !anyReleased ? Outcome.OUTCOME_DENY : withheld.length === 0 ? Outcome.OUTCOME_PERMIT : Outcome.OUTCOME_PARTIAL,
      records,
      withheld,
      policyVersion: policy.version,
      ledgerEntryId: receipts[0]?.entryId ?? '',
      decisionId,
      breakGlass: grant,
      unavailable: [...new Set(unavailable)],
    };
  }

  /** Keeps only records about the asked subjects, in released categories, with released fields. */
  private async minimise(requester: Requester, outcomes: SubjectOutcome[], fetched: readonly { system: string; records: readonly HeldRecord[] }[], now: Date, decisionId: string): Promise<DisclosedRecord[]> {
    const { policy } = this.ports.store.current();
    const bySubject = new Map(outcomes.map((o) => [o.subject, o]));
    const out: DisclosedRecord[] = [];
    const allRecords = fetched.flatMap((f) => f.records.map((r) => ({ system: f.system, record: r })));
    if (allRecords.some((r) => r.record.related.length > 0)) {
      await this.ports.recordRelations(allRecords.map((r) => r.record), decisionId).catch((err: unknown) => this.logger.warn({ err, decisionId }, 'could not record relations from held records'));
    }
    for (const { system, record } of allRecords) {
      const o = bySubject.get(record.subjectPseudonym);
      const category = categoryName(record.category);
      if (!o || !category || !o.released.has(category)) {
        this.logger.warn({ system, decisionId }, 'holder returned a record outside the request; dropped');
        continue;
      }
      if (VICTIM_PROTECTED.includes(category)) {
        const perpetrators = record.related.filter((r) => r.role === SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR).map((r) => r.pseudonym);
        if (perpetrators.length > 0 && (await this.ports.servesAnyAsClient(requester.unitId, perpetrators, now).catch(() => true))) {
          o.released.delete(category);
          o.withheld.push({
            category,
            reason: 'prohibited',
            ruleId: category === 'dv_victim_whereabouts' ? 'P01-dv-whereabouts-perpetrator' : 'P02-sa-identity-perpetrator',
            explanation: 'the holding system names an alleged perpetrator this unit serves',
            wouldPermit: 'nothing: no consent or exception overrides this prohibition',
          });
          continue;
        }
      }
      const release = o.decision.releases.find((r) => r.category === category);
      if (!release) continue;
      const { kept, withheld } = minimiseFields<FieldValue>(policy, release, record.fields.map((f) => ({ name: f.name, value: f })));
      for (const w of withheld) if (!o.withheld.some((x) => x.category === w.category && x.field === w.field)) o.withheld.push(w);
      out.push({
        subjectPseudonym: record.subjectPseudonym,
        category: record.category,
        sourceSystem: system,
        recordId: record.recordId,
        fields: kept.map((k) => k.value),
        updatedAt: record.updatedAt,
        basis: basisOf(release.basis),
        ruleId: release.ruleId,
      });
    }
    return out;
  }

  private ledgerEntry(requester: Requester, query: ParsedQuery, o: SubjectOutcome, decisionId: string, traceId: string, breakGlass: BreakGlassDraft | undefined): LedgerEntryInput {
    const releases = o.decision.releases.filter((r) => o.released.has(r.category));
    const anyReleased = releases.length > 0;
    return {
      decisionKey: `${decisionId}:${o.subject}`,
      decisionId,
      kind: breakGlass ? 'break_glass' : 'query',
      requesterUnit: requester.unitId,
      requesterRole: requester.role,
      subjectPseudonym: o.subject,
      purpose: query.purpose,
      bases: [...new Set(releases.map((r) => r.basis))],
      policyVersion: o.decision.policyVersion,
      consentsUsed: releases.flatMap((r) => r.consents),
      categoriesReleased: releases.map((r) => r.category),
      categoriesWithheld: [...new Set(o.withheld.filter((w) => w.field === undefined).map((w) => w.category))],
      outcome: !anyReleased ? 'deny' : o.withheld.length === 0 ? 'permit' : 'partial',
      traceId,
      sourceEventId: '',
      breakGlass: breakGlass !== undefined,
      requesterReference: query.requesterReference,
      claim: breakGlass
        ? { basis: breakGlass.claim.basis, reason: breakGlass.claim.reason ?? '', justification: breakGlass.claim.justification }
        : query.claim
          ? { basis: query.claim.basis, reason: query.claim.reason ?? '', justification: query.claim.justification }
          : undefined,
    };
  }

  private emptyFamilyEntry(requester: Requester, query: ParsedQuery, decisionId: string, traceId: string, policyVersion: string): LedgerEntryInput {
    return {
      decisionKey: decisionId,
      decisionId,
      kind: 'query',
      requesterUnit: requester.unitId,
      requesterRole: requester.role,
      subjectPseudonym: '',
      purpose: query.purpose,
      bases: [],
      policyVersion,
      consentsUsed: [],
      categoriesReleased: [],
      categoriesWithheld: [...query.categories],
      outcome: 'deny',
      traceId,
      sourceEventId: '',
      breakGlass: false,
      requesterReference: query.requesterReference,
    };
  }
}

function failClosed(policyVersion: string, categories: readonly DataCategoryName[], reason: WithholdReasonName, explanation: string): Decision {
  return {
    policyVersion,
    outcome: 'deny',
    releases: [],
    withholdings: categories.map((category) => ({ category, reason, ruleId: undefined, explanation, wouldPermit: 'asking again when it is available' })),
    breakGlassUsed: false,
  };
}
