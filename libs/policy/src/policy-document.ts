import type {
  DataCategoryName,
  ExceptionReasonName,
  LegalBasisName,
  PurposeName,
  RecipientRoleName,
} from './vocabulary';

/** The policy file as written (after schema validation); see disclosure-policy.schema.json. */
export interface PolicyDocument {
  readonly policy: 'weave-disclosure';
  readonly version: string;
  readonly effective_from: string;
  readonly description?: string;
  readonly categories: Readonly<Record<DataCategoryName, CategoryDefinition>>;
  readonly rules: readonly RuleDefinition[];
  readonly prohibitions: readonly ProhibitionDefinition[];
  readonly minimum_necessary: readonly MinimumNecessaryDefinition[];
  readonly exceptions: {
    readonly min_justification_length: number;
    readonly reasons: Partial<Readonly<Record<LegalBasisName, readonly ExceptionReasonName[]>>>;
  };
  readonly break_glass: BreakGlassDefinition;
}

export type Sensitivity = 'personal' | 'sensitive' | 'special' | 'statute_protected';

export interface CategoryDefinition {
  readonly sensitivity: Sensitivity;
  readonly fields: readonly string[];
  readonly note?: string;
}

export interface RuleDefinition {
  readonly id: string;
  readonly description: string;
  readonly categories: readonly DataCategoryName[];
  readonly recipients: 'all' | readonly RecipientRoleName[];
  readonly purposes: readonly PurposeName[];
  readonly basis: LegalBasisName;
  readonly need_to_know: 'required' | 'not_required';
  readonly fields?: Readonly<Partial<Record<DataCategoryName, readonly string[]>>>;
  readonly legal_reference?: string;
}

export interface ProhibitionDefinition {
  readonly id: string;
  readonly description: string;
  readonly categories: 'all' | readonly DataCategoryName[];
  readonly purposes?: readonly PurposeName[];
  readonly applies_when: 'always' | 'requester_serves_alleged_perpetrator';
  readonly withhold_as: 'prohibited' | 'aggregate_only';
  readonly legal_reference?: string;
}

export interface MinimumNecessaryDefinition {
  readonly category: DataCategoryName;
  readonly coarser: DataCategoryName;
  readonly sufficient_for: readonly PurposeName[];
  readonly note?: string;
}

export interface BreakGlassDefinition {
  readonly bases: readonly ('imminent_danger' | 'suicide_risk')[];
  readonly recipients: 'all' | readonly RecipientRoleName[];
  readonly purposes: readonly PurposeName[];
  readonly categories: readonly DataCategoryName[];
  readonly grant_minutes: number;
}
