export { isValidNationalId, nationalIdCheckDigit, normaliseNationalId } from './national-id';
export { FAMILY_PSEUDONYM, PERSON_PSEUDONYM, PseudonymKey, isPersonPseudonym } from './pseudonym';
