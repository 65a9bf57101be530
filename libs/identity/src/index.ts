export { isValidNationalId, nationalIdCheckDigit, normaliseNationalId } from './national-id';
export { FAMILY_PSEUDONYM, PERSON_PSEUDONYM, PseudonymKey, base32, isPersonPseudonym } from './pseudonym';
