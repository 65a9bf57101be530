import { ConsentStatus, type Consent } from '@weave/contracts';
import type { ConsentGrant, DataCategoryName, PurposeName, RecipientRoleName } from '@weave/policy';
import { consentGiverOf, consentKindOf, dataCategoryOf, purposeOf, roleOf, type ConsentGiverName, type ConsentKindName } from './vocabulary-mapping';

/**
 * What a recording unit asks to register, in the policy vocabulary. The gRPC layer maps the
 * protobuf request into this; unknown enum values arrive as strings that are not vocabulary
 * words (for example 'UNRECOGNIZED') and are rejected by grantProblems(), never dropped.
 */
export interface GrantInput {
  readonly subjectPseudonym: string;
  readonly givenBy: string | undefined;
  readonly kind: string | undefined;
  readonly categories: readonly string[];
  readonly recipientRoles: readonly string[];
  readonly recipientUnits: readonly string[];
  readonly purposes: readonly string[];
  /** Defaults to the time of recording. */
  readonly validFrom?: Date | undefined;
  /** Unset: until withdrawn. */
  readonly validUntil?: Date | null | undefined;
  /** Reference to the signed form in the recording unit's own system (1–200 characters, no personal data). */
  readonly evidenceReference: string;
}

/** One consent or waiver at its current version. */
export interface ConsentRecord {
  readonly consentId: string;
  readonly version: number;
  readonly subjectPseudonym: string;
  readonly givenBy: ConsentGiverName;
  readonly kind: ConsentKindName;
  readonly categories: readonly DataCategoryName[];
  readonly recipientRoles: readonly RecipientRoleName[];
  readonly recipientUnits: readonly string[];
  readonly purposes: readonly PurposeName[];
  readonly validFrom: Date;
  readonly validUntil: Date | null;
  readonly withdrawnAt: Date | null;
  readonly withdrawnBy: ConsentGiverName | null;
  readonly recordedByUnit: string;
  readonly evidenceReference: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A field-level problem, shaped like weave.common.v1.FieldViolation. */
export interface FieldProblem {
  readonly field: string;
  readonly description: string;
}

/** grant() was given an input with problems; nothing was recorded. */
export class ConsentValidationError extends Error {
  constructor(readonly violations: readonly FieldProblem[]) {
    super(`consent rejected: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`);
    this.name = 'ConsentValidationError';
  }
}

/** withdraw() named a consent the registry does not hold. */
export class ConsentNotFoundError extends Error {
  constructor(readonly consentId: string) {
    super(`consent ${consentId} not found`);
    this.name = 'ConsentNotFoundError';
  }
}

export type ConsentStatusName = 'active' | 'not_yet_valid' | 'expired' | 'withdrawn';

export function consentStatusOf(record: Pick<ConsentRecord, 'validFrom' | 'validUntil' | 'withdrawnAt'>, now: Date): ConsentStatusName {
  if (record.withdrawnAt !== null) return 'withdrawn';
  if (now.getTime() < record.validFrom.getTime()) return 'not_yet_valid';
  if (record.validUntil !== null && now.getTime() >= record.validUntil.getTime()) return 'expired';
  return 'active';
}

const STATUS: Readonly<Record<ConsentStatusName, ConsentStatus>> = {
  active: ConsentStatus.CONSENT_STATUS_ACTIVE,
  not_yet_valid: ConsentStatus.CONSENT_STATUS_NOT_YET_VALID,
  expired: ConsentStatus.CONSENT_STATUS_EXPIRED,
  withdrawn: ConsentStatus.CONSENT_STATUS_WITHDRAWN,
};

/** The protobuf `Consent` (events and the ConsentService responses), status as of `now`. */
export function toConsentMessage(record: ConsentRecord, now: Date): Consent {
  return {
    consentId: record.consentId,
    version: record.version,
    subjectPseudonym: record.subjectPseudonym,
    givenBy: consentGiverOf(record.givenBy),
    kind: consentKindOf(record.kind),
    scope: {
      categories: record.categories.map(dataCategoryOf),
      recipientRoles: record.recipientRoles.map(roleOf),
      recipientUnits: [...record.recipientUnits],
      purposes: record.purposes.map(purposeOf),
    },
    validFrom: record.validFrom.toISOString(),
    validUntil: record.validUntil?.toISOString(),
    withdrawnAt: record.withdrawnAt?.toISOString(),
    recordedByUnit: record.recordedByUnit,
    evidenceReference: record.evidenceReference,
    status: STATUS[consentStatusOf(record, now)],
  };
}

/** The shape decide() consumes. */
export function toConsentGrant(record: ConsentRecord): ConsentGrant {
  return {
    consentId: record.consentId,
    version: record.version,
    kind: record.kind,
    categories: record.categories,
    recipientRoles: record.recipientRoles,
    recipientUnits: record.recipientUnits,
    purposes: record.purposes,
    validFrom: record.validFrom.getTime(),
    validUntil: record.validUntil?.getTime() ?? null,
    withdrawnAt: record.withdrawnAt?.getTime() ?? null,
  };
}
