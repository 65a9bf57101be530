export * from './calendar';
export * from './event-types';
export * from './events';
export * from './geography';
export {
  HAS_CHILD,
  HAS_COUPLE,
  HAS_ELDER,
  HAS_SCHOOL_AGE,
  HAS_TEEN,
  HAS_WORKING_AGE,
  HAS_YOUNG,
  HAS_YOUTH,
  HouseholdIndex,
  householdFlags,
  vulnerability,
} from './household-index';
export { NARRATIVE_TEMPLATES, relationOf } from './narratives';
export { INDIGENOUS_NAME_SEPARATOR, hasHomophone, hasVariant } from './names';
export * from './noise';
export * from './population';
export * from './rates';
export * from './random';
