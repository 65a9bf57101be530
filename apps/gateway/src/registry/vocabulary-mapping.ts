import {
  ConsentGiver,
  ConsentKind,
  DataCategory,
  ExceptionReason,
  LegalBasis,
  Purpose,
  RecipientRole,
  consentGiverFromJSON,
  consentGiverToJSON,
  consentKindFromJSON,
  consentKindToJSON,
  dataCategoryFromJSON,
  dataCategoryToJSON,
  exceptionReasonFromJSON,
  exceptionReasonToJSON,
  legalBasisFromJSON,
  legalBasisToJSON,
  purposeFromJSON,
  purposeToJSON,
  recipientRoleFromJSON,
  recipientRoleToJSON,
} from '@weave/contracts';
import {
  DATA_CATEGORIES,
  EXCEPTION_REASONS,
  LEGAL_BASES,
  PURPOSES,
  RECIPIENT_ROLES,
  type DataCategoryName,
  type ExceptionReasonName,
  type LegalBasisName,
  type PurposeName,
  type RecipientRoleName,
} from '@weave/policy';

/**
 * Both directions between the policy's snake_case vocabulary (what the policy file, the
 * decision engine and the registries use) and the protobuf enums (what travels on the wire).
 * A protobuf value maps to `'<PREFIX>_' + name.toUpperCase()`; UNSPECIFIED, UNRECOGNIZED and
 * any value the vocabulary does not know map to undefined, never to a guess.
 */

export const CONSENT_GIVERS = ['subject', 'guardian', 'legal_representative'] as const;
export type ConsentGiverName = (typeof CONSENT_GIVERS)[number];

export const CONSENT_KINDS = ['consent', 'waiver'] as const;
export type ConsentKindName = (typeof CONSENT_KINDS)[number];

interface EnumMapping<E extends number, N extends string> {
  readonly nameOf: (value: E) => N | undefined;
  readonly valueOf: (name: N) => E;
  readonly isName: (candidate: string) => candidate is N;
}

function enumMapping<E extends number, N extends string>(
  prefix: string,
  names: readonly N[],
  toJson: (value: E) => string,
  fromJson: (json: string) => E,
): EnumMapping<E, N> {
  const byName = new Map<string, E>();
  const byValue = new Map<E, N>();
  for (const name of names) {
    const value = fromJson(`${prefix}_${name.toUpperCase()}`);
    // A vocabulary word without an enum value is a contract drift: fail at module load, not at a decision.
    if (toJson(value) !== `${prefix}_${name.toUpperCase()}`) throw new Error(`${prefix}: no protobuf value for ${name}`);
    byName.set(name, value);
    byValue.set(value, name);
  }
  const known = new Set<string>(names);
  return {
    nameOf: (value) => byValue.get(value),
    valueOf: (name) => {
      const value = byName.get(name);
      if (value === undefined) throw new Error(`${prefix}: ${name} is not in the vocabulary`);
      return value;
    },
    isName: (candidate): candidate is N => known.has(candidate),
  };
}

const categories = enumMapping<DataCategory, DataCategoryName>('DATA_CATEGORY', DATA_CATEGORIES, dataCategoryToJSON, dataCategoryFromJSON);
const purposes = enumMapping<Purpose, PurposeName>('PURPOSE', PURPOSES, purposeToJSON, purposeFromJSON);
const roles = enumMapping<RecipientRole, RecipientRoleName>('RECIPIENT_ROLE', RECIPIENT_ROLES, recipientRoleToJSON, recipientRoleFromJSON);
const bases = enumMapping<LegalBasis, LegalBasisName>('LEGAL_BASIS', LEGAL_BASES, legalBasisToJSON, legalBasisFromJSON);
const reasons = enumMapping<ExceptionReason, ExceptionReasonName>('EXCEPTION_REASON', EXCEPTION_REASONS, exceptionReasonToJSON, exceptionReasonFromJSON);
const givers = enumMapping<ConsentGiver, ConsentGiverName>('CONSENT_GIVER', CONSENT_GIVERS, consentGiverToJSON, consentGiverFromJSON);
const kinds = enumMapping<ConsentKind, ConsentKindName>('CONSENT_KIND', CONSENT_KINDS, consentKindToJSON, consentKindFromJSON);

export const categoryName = categories.nameOf;
export const dataCategoryOf = categories.valueOf;
export const isDataCategoryName = categories.isName;

export const purposeName = purposes.nameOf;
export const purposeOf = purposes.valueOf;
export const isPurposeName = purposes.isName;

export const roleName = roles.nameOf;
export const roleOf = roles.valueOf;
export const isRecipientRoleName = roles.isName;

export const basisName = bases.nameOf;
export const basisOf = bases.valueOf;
export const isLegalBasisName = bases.isName;

export const reasonName = reasons.nameOf;
export const reasonOf = reasons.valueOf;
export const isExceptionReasonName = reasons.isName;

export const consentGiverName = givers.nameOf;
export const consentGiverOf = givers.valueOf;
export const isConsentGiverName = givers.isName;

export const consentKindName = kinds.nameOf;
export const consentKindOf = kinds.valueOf;
export const isConsentKindName = kinds.isName;
