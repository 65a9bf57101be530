import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import {
  createEnvelopeCopy,
  egressTopic,
  eventIdFor,
  type DataCategory,
  type DecodedEvent,
  type EventEnvelope,
  type SubjectRef,
} from '@weave/contracts';
import { decide, type DataCategoryName, type DecisionFacts, type Requester, type Subscription } from '@weave/policy';
import type { Logger } from 'pino';
import type { LedgerReceipt } from '../ledger/disclosure-ledger';
import type { LedgerEntryInput } from '../ledger/ledger-entry';
import type { PolicyStore } from '../policy/policy-store';
import { FAIL_CLOSED_FACTS } from '../registry/decision-facts.repository';
import { basisOf, categoryName, dataCategoryOf, purposeOf } from '../registry/vocabulary-mapping';
import { minimisePayload } from './payload-minimiser';

export interface FanoutPorts {
  readonly store: PolicyStore;
  loadFacts(unitId: string, persons: readonly string[], now: Date): Promise<{ facts: ReadonlyMap<string, DecisionFacts>; unavailable: readonly string[] }>;
  recordRelationsFromSubjects(subjects: readonly SubjectRef[], sourceEventId: string): Promise<void>;
  append(entry: LedgerEntryInput): Promise<LedgerReceipt>;
  publishMany(topic: string, items: readonly { envelope: EventEnvelope; key: string; parent: Context }[]): Promise<void>;
  now(): Date;
}

/** An ingress event to fan out, with the trace it arrived in. */
export interface FanoutItem {
  readonly event: DecodedEvent;
  readonly traceId: string;
  readonly context: Context;
}

export interface FanoutResult {
  readonly forwardedTo: readonly string[];
  readonly withheldFrom: readonly string[];
}

/** One recipient's verdict on one event. */
interface Verdict {
  readonly item: FanoutItem;
  readonly subscription: Subscription;
  readonly requester: Requester;
  readonly released: ReadonlySet<DataCategory>;
  readonly entries: LedgerEntryInput[];
}

/**
 * Event fan-out: an adapter's ingress event is decided for every unit subscribed to its type,
 * per subject; each unit receives, on its system's egress topic, a copy with only the fields
 * every subject's decision released. A recipient that may receive nothing gets nothing, and
 * the ledger records both. Ledger first, publish second: a crash in between republishes the
 * same copies (deterministic event ids) and the ledger keeps one entry per decision.
 *
 * Events come a chunk at a time: facts are read once per unit for the whole chunk, ledger
 * entries commit together, and each egress topic gets one produce request.
 */
export class EventFanout {
  constructor(
    private readonly ports: FanoutPorts,
    private readonly logger: Logger,
  ) {}

  async handle(event: DecodedEvent, traceId: string, context: Context = ROOT_CONTEXT): Promise<FanoutResult> {
    const [result] = await this.handleBatch([{ event, traceId, context }]);
    return result ?? { forwardedTo: [], withheldFrom: [] };
  }

  async handleBatch(items: readonly FanoutItem[]): Promise<FanoutResult[]> {
    const { policy, directory } = this.ports.store.current();
    const now = this.ports.now();

    // Relations in these very events (victim and alleged perpetrator) count for their own fan-out.
    await Promise.all(items.map((i) => this.ports.recordRelationsFromSubjects(i.event.envelope.subjects, i.event.envelope.eventId)));

    // Facts once per subscribed unit, for every subject of the chunk it may receive.
    const personsByUnit = new Map<string, Set<string>>();
    for (const { event } of items) {
      for (const s of directory.subscribers.get(event.envelope.eventType) ?? []) {
        const set = personsByUnit.get(s.unitId) ?? new Set<string>();
        for (const subject of event.envelope.subjects) set.add(subject.pseudonym);
        personsByUnit.set(s.unitId, set);
      }
    }
    const factsByUnit = new Map<string, ReadonlyMap<string, DecisionFacts>>();
    await Promise.all(
      [...personsByUnit].map(async ([unitId, persons]) => {
        if (!directory.units.has(unitId)) return;
        factsByUnit.set(unitId, (await this.ports.loadFacts(unitId, [...persons], now)).facts);
      }),
    );

    const verdicts: Verdict[] = [];
    const entries: LedgerEntryInput[] = [];
    for (const item of items) {
      const { envelope } = item.event;
      const subjects = [...new Set(envelope.subjects.map((s) => s.pseudonym))];
      const categories = envelope.dataCategories.map(categoryName).filter((c): c is DataCategoryName => c !== undefined);
      const subscriptions = directory.subscribers.get(envelope.eventType) ?? [];
      for (const subscription of subscriptions) {
        const unit = directory.units.get(subscription.unitId);
        const requester: Requester = { unitId: subscription.unitId, role: unit?.role ?? 'intake_dispatch_centre' };
        const facts = factsByUnit.get(subscription.unitId);
        const decisions = subjects.map((subject) => ({
          subject,
          decision: unit
            ? decide(policy, { requester, subject, purpose: subscription.purpose, categories, now: now.getTime() }, facts?.get(subject) ?? FAIL_CLOSED_FACTS)
            : undefined,
        }));
        // A field goes only if every subject's decision released its category.
        const released = new Set<DataCategory>(
          categories.filter((c) => decisions.every((d) => d.decision?.releases.some((r) => r.category === c))).map(dataCategoryOf),
        );
        const verdictEntries = decisions.map(({ subject, decision }) =>
          this.entry(envelope, item.traceId, subscription, requester, subject, released.size > 0, {
            policyVersion: decision?.policyVersion ?? policy.version,
            released: decision?.releases.filter((r) => released.has(dataCategoryOf(r.category))) ?? [],
            withheld: categories.filter((c) => !released.has(dataCategoryOf(c))),
          }),
        );
        entries.push(...verdictEntries);
        verdicts.push({ item, subscription, requester, released, entries: verdictEntries });
      }
      if (subscriptions.length === 0) {
        // Nobody may receive it: not forwarded, and recorded as such.
        for (const subject of subjects.length > 0 ? subjects : ['']) {
          entries.push(this.entry(envelope, item.traceId, undefined, undefined, subject, false, { policyVersion: policy.version, released: [], withheld: categories }));
        }
      }
    }
    await Promise.all(entries.map((e) => this.ports.append(e)));

    const byTopic = new Map<string, { envelope: EventEnvelope; key: string; parent: Context }[]>();
    for (const v of verdicts) {
      if (v.released.size === 0) continue;
      const system = directory.units.get(v.requester.unitId)?.system;
      if (!system) continue;
      const { event } = v.item;
      const { payload, withheldFields } = minimisePayload(event.definition, event.payload, v.released);
      const copy = createEnvelopeCopy(event.envelope, {
        eventId: eventIdFor('weave-gateway-fanout', `${event.envelope.eventId}|${v.requester.unitId}`),
        payload,
        dataCategories: [...v.released],
        disclosure: {
          recipientUnit: v.requester.unitId,
          purpose: purposeOf(v.subscription.purpose),
          bases: [...new Set(v.entries.flatMap((e) => e.bases))].map((b) => basisOf(b as Parameters<typeof basisOf>[0])),
          policyVersion: policy.version,
          ledgerEntryId: '',
          withheldFields: [...withheldFields],
        },
        now,
      });
      const topic = egressTopic(system);
      const list = byTopic.get(topic) ?? [];
      list.push({ envelope: copy, key: event.envelope.subjects[0]?.pseudonym ?? event.envelope.eventId, parent: v.item.context });
      byTopic.set(topic, list);
    }
    await Promise.all([...byTopic].map(([topic, list]) => this.ports.publishMany(topic, list)));

    return items.map((item) => {
      const mine = verdicts.filter((v) => v.item === item);
      const result = {
        forwardedTo: mine.filter((v) => v.released.size > 0).map((v) => v.requester.unitId),
        withheldFrom: mine.filter((v) => v.released.size === 0).map((v) => v.requester.unitId),
      };
      this.logger.debug({ eventId: item.event.envelope.eventId, forwarded: result.forwardedTo.length, withheld: result.withheldFrom.length }, 'event fanned out');
      return result;
    });
  }

  private entry(
    envelope: EventEnvelope,
    traceId: string,
    subscription: Subscription | undefined,
    requester: Requester | undefined,
    subject: string,
    forwarded: boolean,
    verdict: { policyVersion: string; released: readonly { category: DataCategoryName; basis: string; consents: readonly { consentId: string; version: number }[] }[]; withheld: readonly DataCategoryName[] },
  ): LedgerEntryInput {
    const unit = requester?.unitId ?? '';
    return {
      decisionKey: `${envelope.eventId}|${unit}|${subject}`,
      decisionId: eventIdFor('weave-gateway-decision', `${envelope.eventId}|${unit}|${subject}`),
      kind: forwarded ? 'event_forwarded' : 'event_withheld',
      requesterUnit: unit,
      requesterRole: requester?.role ?? '',
      subjectPseudonym: subject,
      purpose: subscription?.purpose ?? '',
      bases: [...new Set(verdict.released.map((r) => r.basis))],
      policyVersion: verdict.policyVersion,
      consentsUsed: verdict.released.flatMap((r) => r.consents),
      categoriesReleased: forwarded ? verdict.released.map((r) => r.category) : [],
      categoriesWithheld: [...verdict.withheld],
      outcome: !forwarded ? 'deny' : verdict.withheld.length === 0 ? 'permit' : 'partial',
      traceId,
      sourceEventId: envelope.eventId,
      breakGlass: false,
      requesterReference: '',
    };
  }
}
