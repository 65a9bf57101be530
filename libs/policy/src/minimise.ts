import type { Release, Withholding } from './decide';
import { label, type DataCategoryName } from './vocabulary';
import type { CompiledPolicy } from './compiled-policy';

export interface HeldField<V> {
  readonly name: string;
  readonly value: V;
}

/**
 * Keeps only the fields a release covers. A field the holder sent that the policy does not
 * define for the category is withheld too: what the policy has not considered is not sent.
 */
export function minimiseFields<V>(
  policy: CompiledPolicy,
  release: Release,
  fields: readonly HeldField<V>[],
): { kept: HeldField<V>[]; withheld: Withholding[] } {
  const kept: HeldField<V>[] = [];
  const withheld: Withholding[] = [];
  const known = policy.categoryFields[release.category];
  for (const field of fields) {
    if (release.fields.includes(field.name)) {
      kept.push(field);
    } else if (!known.includes(field.name)) {
      withheld.push(fieldWithholding(release.category, field.name, release.ruleId, `the policy defines no field ${field.name} for ${label(release.category)}`, 'a policy change that defines this field'));
    } else {
      withheld.push(
        fieldWithholding(
          release.category,
          field.name,
          release.ruleId,
          `rule ${release.ruleId} releases only ${release.fields.join(', ')} of ${label(release.category)}`,
          `a rule that releases ${field.name} of ${label(release.category)} for this purpose`,
        ),
      );
    }
  }
  return { kept, withheld };
}

function fieldWithholding(category: DataCategoryName, field: string, ruleId: string, explanation: string, wouldPermit: string): Withholding {
  return { category, field, reason: 'field_not_permitted', ruleId, explanation, wouldPermit };
}
