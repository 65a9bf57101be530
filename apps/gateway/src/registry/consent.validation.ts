import { containsPersonalData } from '@weave/telemetry';
import type { FieldProblem, GrantInput } from './consent.model';
import { isConsentGiverName, isConsentKindName, isDataCategoryName, isPurposeName, isRecipientRoleName } from './vocabulary-mapping';

export const PERSON_PSEUDONYM = /^p1_[a-z2-7]{26}$/;
/** Unit ids as in the unit directory and ADAPTER_UNIT_ID: lower-case letters, digits, dashes. */
export const UNIT_ID = /^[a-z0-9][a-z0-9-]{0,100}$/;
export const MAX_CONSENT_YEARS = 5;
export const MAX_EVIDENCE_REFERENCE_LENGTH = 200;

function yearsAfter(date: Date, years: number): Date {
  const later = new Date(date.getTime());
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}

function isValidDate(value: Date): boolean {
  return !Number.isNaN(value.getTime());
}

function listProblems(
  field: string,
  values: readonly string[],
  isWord: (candidate: string) => boolean,
  description: string,
): FieldProblem[] {
  return values.flatMap((value, i) => (isWord(value) ? [] : [{ field: `${field}[${i}]`, description }]));
}

/**
 * Why a consent cannot be recorded, field by field (field paths as in GrantConsentRequest);
 * empty when it can. Pure. Authorisation (is the recording unit involved with the subject?)
 * is the caller's, not checked here.
 */
export function grantProblems(input: GrantInput, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, description: string) => problems.push({ field, description });

  if (!PERSON_PSEUDONYM.test(input.subjectPseudonym)) add('subject_pseudonym', 'expected a person pseudonym (p1_…)');
  if (input.givenBy === undefined || !isConsentGiverName(input.givenBy)) add('given_by', 'required: subject, guardian or legal representative');
  if (input.kind === undefined || !isConsentKindName(input.kind)) add('kind', 'required: consent or waiver');

  if (input.categories.length === 0) add('scope.categories', 'at least one data category');
  problems.push(...listProblems('scope.categories', input.categories, isDataCategoryName, 'not a data category of the disclosure policy'));

  if (input.purposes.length === 0) add('scope.purposes', 'at least one purpose');
  problems.push(...listProblems('scope.purposes', input.purposes, isPurposeName, 'not a purpose of the disclosure policy'));
  input.purposes.forEach((p, i) => {
    if (p === 'statistics') add(`scope.purposes[${i}]`, 'statistics receive only de-identified aggregates; no consent covers them');
  });

  if (input.recipientRoles.length === 0 && input.recipientUnits.length === 0) {
    add('scope.recipient_roles', 'at least one recipient role or recipient unit');
  }
  problems.push(...listProblems('scope.recipient_roles', input.recipientRoles, isRecipientRoleName, 'not a recipient role of the disclosure policy'));
  problems.push(...listProblems('scope.recipient_units', input.recipientUnits, (u) => UNIT_ID.test(u), 'expected a unit id (lower-case letters, digits and dashes)'));

  const validFrom = input.validFrom ?? now;
  if (!isValidDate(validFrom)) add('valid_from', 'not a valid time');
  const validUntil = input.validUntil ?? null;
  if (validUntil !== null) {
    if (!isValidDate(validUntil)) {
      add('valid_until', 'not a valid time');
    } else {
      if (isValidDate(validFrom) && validUntil.getTime() <= validFrom.getTime()) add('valid_until', 'must be after valid_from');
      if (validUntil.getTime() > yearsAfter(now, MAX_CONSENT_YEARS).getTime()) add('valid_until', `at most ${MAX_CONSENT_YEARS} years ahead`);
    }
  }

  const evidence = input.evidenceReference;
  if (evidence.trim().length === 0) {
    add('evidence_reference', 'required: a reference to the signed form in your own system');
  } else if (evidence.length > MAX_EVIDENCE_REFERENCE_LENGTH) {
    add('evidence_reference', `at most ${MAX_EVIDENCE_REFERENCE_LENGTH} characters`);
  } else if (containsPersonalData(evidence)) {
    // The description never repeats the value: it is what looked like personal data.
    add('evidence_reference', 'must be a reference only, without names, ID numbers, contact details or narrative');
  }
  return problems;
}
