import {
  ConsentGiver,
  ConsentKind,
  DataCategory,
  ExceptionReason,
  LegalBasis,
  Purpose,
  RecipientRole,
} from '@weave/contracts';
import { DATA_CATEGORIES, EXCEPTION_REASONS, LEGAL_BASES, PURPOSES, RECIPIENT_ROLES } from '@weave/policy';
import {
  CONSENT_GIVERS,
  CONSENT_KINDS,
  basisName,
  basisOf,
  categoryName,
  consentGiverName,
  consentGiverOf,
  consentKindName,
  consentKindOf,
  dataCategoryOf,
  purposeName,
  purposeOf,
  reasonName,
  reasonOf,
  roleName,
  roleOf,
} from './vocabulary-mapping';

interface Case {
  readonly name: string;
  readonly enumObject: Record<string, string | number>;
  readonly vocabulary: readonly string[];
  readonly nameOf: (value: number) => string | undefined;
  readonly valueOf: (name: string) => number;
}

// The generic signatures differ per enum; the table compares them through numbers and strings.
const cases: Case[] = [
  { name: 'DataCategory', enumObject: DataCategory, vocabulary: DATA_CATEGORIES, nameOf: categoryName, valueOf: dataCategoryOf as (n: string) => number },
  { name: 'Purpose', enumObject: Purpose, vocabulary: PURPOSES, nameOf: purposeName, valueOf: purposeOf as (n: string) => number },
  { name: 'RecipientRole', enumObject: RecipientRole, vocabulary: RECIPIENT_ROLES, nameOf: roleName, valueOf: roleOf as (n: string) => number },
  { name: 'LegalBasis', enumObject: LegalBasis, vocabulary: LEGAL_BASES, nameOf: basisName, valueOf: basisOf as (n: string) => number },
  { name: 'ExceptionReason', enumObject: ExceptionReason, vocabulary: EXCEPTION_REASONS, nameOf: reasonName, valueOf: reasonOf as (n: string) => number },
  { name: 'ConsentGiver', enumObject: ConsentGiver, vocabulary: CONSENT_GIVERS, nameOf: consentGiverName, valueOf: consentGiverOf as (n: string) => number },
  { name: 'ConsentKind', enumObject: ConsentKind, vocabulary: CONSENT_KINDS, nameOf: consentKindName, valueOf: consentKindOf as (n: string) => number },
];

function numericValues(enumObject: Record<string, string | number>): number[] {
  return Object.values(enumObject).filter((v): v is number => typeof v === 'number');
}

describe.each(cases)('$name <-> policy vocabulary', ({ enumObject, vocabulary, nameOf, valueOf }) => {
  const meaningful = numericValues(enumObject).filter((v) => v > 0);

  it('maps every enum value to a vocabulary word and back', () => {
    for (const value of meaningful) {
      const name = nameOf(value);
      expect(name).toBeDefined();
      expect(vocabulary).toContain(name);
      expect(valueOf(name ?? '')).toBe(value);
    }
  });

  it('maps every vocabulary word to an enum value and back (a bijection)', () => {
    expect(meaningful).toHaveLength(vocabulary.length);
    const values = vocabulary.map(valueOf);
    expect(new Set(values).size).toBe(vocabulary.length);
    for (const name of vocabulary) expect(nameOf(valueOf(name))).toBe(name);
  });

  it('names the enum value "<PREFIX>_" + word.toUpperCase()', () => {
    for (const name of vocabulary) {
      const key = Object.keys(enumObject).find((k) => enumObject[k] === valueOf(name));
      expect(key?.endsWith(`_${name.toUpperCase()}`)).toBe(true);
    }
  });

  it('gives no word for UNSPECIFIED, UNRECOGNIZED or an unknown number, and refuses an unknown word', () => {
    expect(nameOf(0)).toBeUndefined();
    expect(nameOf(-1)).toBeUndefined();
    expect(nameOf(999)).toBeUndefined();
    expect(() => valueOf('not_a_word')).toThrow(/not in the vocabulary/);
  });
});
