/**
 * Properties of decide() over arbitrary requests and facts against the shipped policy:
 * consent only ever widens a release, withdrawal and lost involvement only narrow it, no
 * input releases a prohibited item, and every asked category is accounted for.
 */
import fc from 'fast-check';
import { decide, type ConsentGrant, type Decision, type DecisionFacts, type DecisionRequest } from './decide';
import { DAY, NOW, SUBJECT, shippedPolicy } from './testing/policy-fixtures';
import {
  DATA_CATEGORIES,
  EXCEPTION_REASONS,
  LEGAL_BASES,
  PURPOSES,
  RECIPIENT_ROLES,
  type DataCategoryName,
} from './vocabulary';

const policy = shippedPolicy();
const UNITS = ['unit-a', 'unit-b', 'unit-c'] as const;

const timeAround = fc.integer({ min: -60, max: 60 }).map((d) => NOW + d * DAY);

const claimArb = fc.record({
  basis: fc.constantFrom(...LEGAL_BASES),
  reason: fc.option(fc.constantFrom(...EXCEPTION_REASONS), { nil: undefined }),
  justification: fc.constantFrom('', 'short', 'The father threatened the children with a knife tonight.'),
});

const consentArb: fc.Arbitrary<ConsentGrant> = fc.record({
  consentId: fc.uuid(),
  version: fc.integer({ min: 1, max: 5 }),
  kind: fc.constantFrom('consent' as const, 'waiver' as const),
  categories: fc.subarray([...DATA_CATEGORIES]),
  recipientRoles: fc.subarray([...RECIPIENT_ROLES]),
  recipientUnits: fc.subarray([...UNITS]),
  purposes: fc.subarray([...PURPOSES]),
  validFrom: timeAround,
  validUntil: fc.option(timeAround, { nil: null }),
  withdrawnAt: fc.option(timeAround, { nil: null }),
});

const scenarioArb = fc.record({
  request: fc.record({
    requester: fc.record({ unitId: fc.constantFrom(...UNITS), role: fc.constantFrom(...RECIPIENT_ROLES) }),
    subject: fc.constant(SUBJECT),
    purpose: fc.constantFrom(...PURPOSES),
    categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1 }),
    claim: fc.option(claimArb, { nil: undefined }),
    breakGlass: fc.option(claimArb, { nil: undefined }),
    now: fc.constant(NOW),
  }),
  facts: fc.record({
    involvements: fc.array(
      fc.record({
        unitId: fc.constantFrom(...UNITS),
        kind: fc.constantFrom('lead' as const, 'collaborator' as const, 'dispatched' as const, 'emergency' as const),
        validFrom: timeAround,
        validUntil: fc.option(timeAround, { nil: null }),
      }),
      { maxLength: 3 },
    ),
    consents: fc.array(consentArb, { maxLength: 4 }),
    requesterServesAllegedPerpetrator: fc.boolean(),
    consentsUnavailable: fc.boolean(),
    involvementsUnavailable: fc.boolean(),
  }),
});

/** Released items as "category/field" strings, to compare decisions by inclusion. */
function releasedItems(decision: Decision): Set<string> {
  return new Set(decision.releases.flatMap((r) => r.fields.map((f) => `${r.category}/${f}`)));
}

function isSubset(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

const runs = { numRuns: 3_000 };

describe('decide() properties', () => {
  it('adding a consent never reduces what is released', () => {
    fc.assert(
      fc.property(scenarioArb, consentArb, ({ request, facts }, extra) => {
        const before = releasedItems(decide(policy, request, facts));
        const after = releasedItems(decide(policy, request, { ...facts, consents: [...facts.consents, extra] }));
        expect(isSubset(before, after)).toBe(true);
      }),
      runs,
    );
  });

  it('withdrawing a consent never increases what is released', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ request, facts }, pick) => {
        fc.pre(facts.consents.length > 0);
        const i = pick % facts.consents.length;
        const withdrawn = facts.consents.map((c, j) => (j === i ? { ...c, withdrawnAt: NOW - 1, version: c.version + 1 } : c));
        const before = releasedItems(decide(policy, request, facts));
        const after = releasedItems(decide(policy, request, { ...facts, consents: withdrawn }));
        expect(isSubset(after, before)).toBe(true);
      }),
      runs,
    );
  });

  it('losing an involvement never increases what is released', () => {
    fc.assert(
      fc.property(scenarioArb, ({ request, facts }) => {
        const before = releasedItems(decide(policy, request, facts));
        const after = releasedItems(decide(policy, request, { ...facts, involvements: [] }));
        expect(isSubset(after, before)).toBe(true);
      }),
      runs,
    );
  });

  it('a registry going down never increases what is released', () => {
    fc.assert(
      fc.property(scenarioArb, ({ request, facts }) => {
        const up: DecisionFacts = { ...facts, consentsUnavailable: false, involvementsUnavailable: false };
        const down: DecisionFacts = { ...facts, consentsUnavailable: true, involvementsUnavailable: true };
        expect(isSubset(releasedItems(decide(policy, request, down)), releasedItems(decide(policy, request, up)))).toBe(true);
      }),
      runs,
    );
  });

  it('no input releases a prohibited item', () => {
    fc.assert(
      fc.property(scenarioArb, ({ request, facts }) => {
        const decision = decide(policy, request, facts);
        const released = decision.releases.map((r) => r.category);
        if (facts.requesterServesAllegedPerpetrator) {
          expect(released).not.toContain('dv_victim_whereabouts');
          expect(released).not.toContain('sexual_assault_victim_identity');
        }
        if (request.purpose === 'statistics') expect(released).toEqual([]);
      }),
      runs,
    );
  });

  it('accounts for every asked category exactly once, with an explanation when withheld', () => {
    fc.assert(
      fc.property(scenarioArb, ({ request, facts }) => {
        const decision = decide(policy, request, facts);
        const seen: DataCategoryName[] = [
          ...decision.releases.map((r) => r.category),
          ...decision.withholdings.filter((w) => w.field === undefined).map((w) => w.category),
        ];
        expect(seen.sort()).toEqual([...request.categories].sort());
        for (const w of decision.withholdings) {
          expect(w.explanation.length).toBeGreaterThan(10);
          expect(w.wouldPermit.length).toBeGreaterThan(5);
        }
        const expected = decision.releases.length === 0 ? 'deny' : decision.withholdings.length === 0 ? 'permit' : 'partial';
        expect(decision.outcome).toBe(expected);
      }),
      runs,
    );
  });

  it('releases only fields the policy defines for the category', () => {
    fc.assert(
      fc.property(scenarioArb, ({ request, facts }) => {
        for (const r of decide(policy, request, facts).releases) {
          for (const f of r.fields) expect(policy.categoryFields[r.category]).toContain(f);
        }
      }),
      runs,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(scenarioArb, ({ request, facts }) => {
        const r: DecisionRequest = request;
        expect(decide(policy, r, facts)).toEqual(decide(policy, r, facts));
      }),
      { numRuns: 500 },
    );
  });
});
