export { normaliseAddress, type NormalisedAddress } from './address.util';
export {
  ROC_YEAR_OFFSET,
  ageOn,
  compareBirthDates,
  normaliseBirthDate,
  parseBirthDate,
  type BirthDateAgreement,
  type ParsedBirthDate,
} from './birth-date.util';
export { FamilyIndex, type FamilyLinkResult, type FamilyMerge } from './family-index';
export { LinkageKeys, PARTIAL_ID_FORMS, comparePartialIds, type PartialIdAgreement } from './linkage-keys';
export {
  isOneCharacterShorter,
  normaliseName,
  phoneticKey,
  standardChar,
  toHalfWidth,
  type Honorific,
  type NormalisedName,
} from './name-normalisation.util';
export {
  DEFAULT_NAME_FREQUENCIES,
  WEIGHTS,
  compare,
  compareFeatures,
  preparePerson,
  scoreCandidate,
  type ComparedField,
  type Comparison,
  type ComparisonContext,
  type FieldComparison,
  type NameFrequencies,
  type PersonFeatures,
  type PreparedPerson,
  type ReportedPersonInput,
} from './person-comparison';
export {
  DEFAULT_THRESHOLDS,
  PersonIndex,
  type LinkCandidate,
  type LinkDecision,
  type LinkOptions,
  type LinkOutcome,
  type LinkageThresholds,
  type PersonIndexOptions,
  type RegistryPerson,
  type ReportToLink,
} from './person-index';
export { normaliseSex, sexLabel, type SexCode } from './sex.util';
