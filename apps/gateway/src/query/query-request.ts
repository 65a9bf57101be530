import { DataCategory, LegalBasis, Purpose, type FieldViolation, type QueryRequest } from '@weave/contracts';
import {
  DATA_CATEGORIES,
  breakGlassProblems,
  claimProblems,
  type BasisClaim,
  type CompiledPolicy,
  type DataCategoryName,
  type PurposeName,
  type Requester,
} from '@weave/policy';
import { containsPersonalData } from '@weave/telemetry';
import { basisName, categoryName, purposeName, reasonName } from '../registry/vocabulary-mapping';

const PERSON = /^p1_[a-z2-7]{26}$/;
const FAMILY = /^f1_[a-z2-7]{26}$/;

/** A Query request in the policy's words, once it has passed validation. */
export interface ParsedQuery {
  readonly subject: { readonly kind: 'person' | 'family'; readonly pseudonym: string };
  readonly purpose: PurposeName;
  readonly categories: readonly DataCategoryName[];
  readonly claim: BasisClaim | undefined;
  readonly breakGlass: BasisClaim | undefined;
  readonly requesterReference: string;
}

function claimOf(raw: { basis: LegalBasis; reason: number; justification: string } | undefined): BasisClaim | undefined {
  if (!raw) return undefined;
  const basis = basisName(raw.basis);
  if (!basis) return undefined;
  return { basis, reason: reasonName(raw.reason), justification: raw.justification };
}

/**
 * Validates a Query against the policy in force and the requester; every problem is a field
 * violation that names the field and never echoes a value.
 */
export function parseQuery(request: QueryRequest, policy: CompiledPolicy, requester: Requester): { query?: ParsedQuery; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const add = (field: string, description: string) => violations.push({ field, description });

  let subject: ParsedQuery['subject'] | undefined;
  if (request.personPseudonym !== undefined) {
    if (PERSON.test(request.personPseudonym)) subject = { kind: 'person', pseudonym: request.personPseudonym };
    else add('person_pseudonym', 'expected a person pseudonym (p1_…), never a national ID number');
  } else if (request.familyPseudonym !== undefined) {
    if (FAMILY.test(request.familyPseudonym)) subject = { kind: 'family', pseudonym: request.familyPseudonym };
    else add('family_pseudonym', 'expected a family pseudonym (f1_…)');
  } else {
    add('subject', 'a person_pseudonym or a family_pseudonym is required');
  }

  const purpose = request.purpose === Purpose.PURPOSE_UNSPECIFIED ? undefined : purposeName(request.purpose);
  if (!purpose) add('purpose', 'a declared purpose is required');

  const categories: DataCategoryName[] = [];
  request.categories.forEach((c, i) => {
    const name = c === DataCategory.DATA_CATEGORY_UNSPECIFIED ? undefined : categoryName(c);
    if (!name) add(`categories[${i}]`, 'not a data category');
    else if (!categories.includes(name)) categories.push(name);
  });

  const claim = claimOf(request.basisClaim);
  if (request.basisClaim && !claim) add('basis_claim.basis', 'a legal basis is required');
  if (claim) for (const p of claimProblems(policy, claim)) add(p.split(':')[0] ?? 'basis_claim', p.slice(p.indexOf(':') + 1).trim());

  const breakGlass = claimOf(request.breakGlass);
  if (request.breakGlass && !breakGlass) add('break_glass.basis', 'imminent danger or suicide risk is required');
  if (breakGlass && purpose) {
    for (const p of breakGlassProblems(policy, requester, purpose, breakGlass)) {
      const colon = p.indexOf(':');
      add(p.slice(0, colon), p.slice(colon + 1).trim());
    }
  }

  if (request.requesterReference.length > 100) add('requester_reference', 'at most 100 characters');
  else if (containsPersonalData(request.requesterReference)) add('requester_reference', 'must not contain personal data (use your own case number)');

  if (violations.length > 0 || !subject || !purpose) return { violations };
  return {
    violations,
    query: {
      subject,
      purpose,
      categories: categories.length > 0 ? categories : [...DATA_CATEGORIES],
      claim,
      breakGlass,
      requesterReference: request.requesterReference,
    },
  };
}
