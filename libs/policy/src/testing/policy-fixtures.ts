import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledPolicy } from '../compiled-policy';
import type { BasisClaim, ConsentGrant, DecisionFacts, DecisionRequest, Involvement } from '../decide';
import { loadPolicy } from '../load-policy';
import type {
  DataCategoryName,
  ExceptionReasonName,
  LegalBasisName,
  PurposeName,
  RecipientRoleName,
} from '../vocabulary';

export const SHIPPED_POLICY_PATH = join(__dirname, '../../../../policies/disclosure-policy.yaml');

export function shippedPolicyText(): string {
  return readFileSync(SHIPPED_POLICY_PATH, 'utf8');
}

export function shippedPolicy(): CompiledPolicy {
  return loadPolicy(shippedPolicyText(), 'policies/disclosure-policy.yaml');
}

export const NOW = Date.parse('2026-11-23T09:00:00.000Z');
export const DAY = 24 * 3600 * 1000;
export const SUBJECT = `p1_${'s'.repeat(26)}`;
export const JUSTIFICATION = 'Caller reports the father threatened to kill the mother tonight.';

export function unitOf(role: RecipientRoleName): string {
  return `nantou-${role.replace(/_/g, '-')}-1`;
}

export function involvement(unitId: string, overrides: Partial<Involvement> = {}): Involvement {
  return { unitId, kind: 'lead', validFrom: NOW - 30 * DAY, validUntil: null, ...overrides };
}

export function consent(overrides: Partial<ConsentGrant> = {}): ConsentGrant {
  return {
    consentId: 'c-1',
    version: 1,
    kind: 'consent',
    categories: [],
    recipientRoles: [],
    recipientUnits: [],
    purposes: [],
    validFrom: NOW - DAY,
    validUntil: NOW + 90 * DAY,
    withdrawnAt: null,
    ...overrides,
  };
}

export function claim(basis: LegalBasisName, reason: ExceptionReasonName, justification = JUSTIFICATION): BasisClaim {
  return { basis, reason, justification };
}

export interface Scenario {
  readonly role: RecipientRoleName;
  readonly purpose: PurposeName;
  readonly categories: readonly DataCategoryName[];
  readonly involved?: boolean | Partial<Involvement>;
  /** Consents on file: each covers the scenario's categories, role and purpose unless overridden. */
  readonly consents?: readonly Partial<ConsentGrant>[];
  readonly claim?: BasisClaim;
  readonly breakGlass?: BasisClaim;
  readonly servesAllegedPerpetrator?: boolean;
  readonly consentsUnavailable?: boolean;
  readonly involvementsUnavailable?: boolean;
}

export function requestAndFacts(s: Scenario): { request: DecisionRequest; facts: DecisionFacts } {
  const unitId = unitOf(s.role);
  const involvements: Involvement[] = [];
  if (s.involved === true) involvements.push(involvement(unitId));
  else if (typeof s.involved === 'object') involvements.push(involvement(unitId, s.involved));
  return {
    request: {
      requester: { unitId, role: s.role },
      subject: SUBJECT,
      purpose: s.purpose,
      categories: s.categories,
      claim: s.claim,
      breakGlass: s.breakGlass,
      now: NOW,
    },
    facts: {
      involvements,
      consents: (s.consents ?? []).map((c, i) =>
        consent({ consentId: `c-${i + 1}`, categories: [...s.categories], recipientRoles: [s.role], purposes: [s.purpose], ...c }),
      ),
      requesterServesAllegedPerpetrator: s.servesAllegedPerpetrator ?? false,
      consentsUnavailable: s.consentsUnavailable,
      involvementsUnavailable: s.involvementsUnavailable,
    },
  };
}
