/**
 * Families (家庭): persons in one registry household, and persons reported together, belong to
 * one family with a stable family pseudonym. When a report joins two families, they merge;
 * the older pseudonym survives (it is the one other agencies already hold) and the merge is
 * reported so that case records filed under the younger one can be re-pointed.
 */
import type { LinkageKeys } from './linkage-keys';

export interface FamilyMerge {
  /** The family that survives (the older one). */
  readonly into: string;
  /** The family that no longer exists. */
  readonly from: string;
  /** What caused it (the report reference). */
  readonly reference: string;
}

export interface FamilyLinkResult {
  readonly familyPseudonym: string;
  /** True when the family did not exist before. */
  readonly created: boolean;
  readonly merges: readonly FamilyMerge[];
}

interface Family {
  readonly pseudonym: string;
  /** Creation order: lower is older. */
  readonly sequence: number;
  members: string[];
}

export class FamilyIndex {
  private readonly keys: LinkageKeys;
  private readonly byPseudonym = new Map<string, Family>();
  private readonly familyOfPerson = new Map<string, Family>();
  private sequence = 0;

  constructor(keys: LinkageKeys) {
    this.keys = keys;
  }

  get size(): number {
    return this.byPseudonym.size;
  }

  /** A registry household (戶): its pseudonym comes from the household reference. */
  addHousehold(householdReference: string, personPseudonyms: readonly string[]): FamilyLinkResult {
    return this.unite(personPseudonyms, householdReference, () => this.keys.familyPseudonym(householdReference));
  }

  /**
   * Persons reported together (the intake centre decides who belongs to the family, e.g. not
   * an unrelated alleged perpetrator): one family, merging theirs if they had several. A new
   * family's pseudonym comes from the report reference.
   */
  linkTogether(personPseudonyms: readonly string[], reportReference: string): FamilyLinkResult {
    return this.unite(personPseudonyms, reportReference, () => this.keys.familyPseudonym(`report\u0000${reportReference}`));
  }

  familyOf(personPseudonym: string): string | undefined {
    return this.familyOfPerson.get(personPseudonym)?.pseudonym;
  }

  members(familyPseudonym: string): readonly string[] {
    return this.byPseudonym.get(familyPseudonym)?.members ?? [];
  }

  private unite(persons: readonly string[], reference: string, pseudonymOf: () => string): FamilyLinkResult {
    const existing = new Set<Family>();
    for (const p of persons) {
      const f = this.familyOfPerson.get(p);
      if (f !== undefined) existing.add(f);
    }
    let target: Family;
    let created = false;
    if (existing.size === 0) {
      const pseudonym = pseudonymOf();
      const known = this.byPseudonym.get(pseudonym);
      if (known !== undefined) {
        target = known;
      } else {
        target = { pseudonym, sequence: this.sequence++, members: [] };
        this.byPseudonym.set(pseudonym, target);
        created = true;
      }
    } else {
      target = [...existing].reduce((a, b) => (b.sequence < a.sequence ? b : a));
    }
    const merges: FamilyMerge[] = [];
    for (const f of [...existing].sort((a, b) => a.sequence - b.sequence)) {
      if (f === target) continue;
      for (const m of f.members) {
        this.familyOfPerson.set(m, target);
        target.members.push(m);
      }
      this.byPseudonym.delete(f.pseudonym);
      merges.push({ into: target.pseudonym, from: f.pseudonym, reference });
    }
    for (const p of persons) {
      if (this.familyOfPerson.get(p) !== target) {
        this.familyOfPerson.set(p, target);
        target.members.push(p);
      }
    }
    return { familyPseudonym: target.pseudonym, created, merges };
  }
}
