import { FAMILY_PSEUDONYM, PseudonymKey } from '@weave/identity';
import { FamilyIndex } from './family-index';
import { LinkageKeys } from './linkage-keys';

const keys = new LinkageKeys(new PseudonymKey(Buffer.alloc(32, 5)));

describe('FamilyIndex', () => {
  it('puts a registry household into one family with a stable pseudonym', () => {
    const families = new FamilyIndex(keys);
    const r = families.addHousehold('H1', ['p1_a', 'p1_b']);
    expect(r.created).toBe(true);
    expect(r.familyPseudonym).toMatch(FAMILY_PSEUDONYM);
    expect(r.familyPseudonym).toBe(new FamilyIndex(keys).addHousehold('H1', ['p1_a']).familyPseudonym);
    expect(families.familyOf('p1_b')).toBe(r.familyPseudonym);
    expect(families.members(r.familyPseudonym)).toEqual(['p1_a', 'p1_b']);
  });

  it('adds persons reported together to their family', () => {
    const families = new FamilyIndex(keys);
    const { familyPseudonym } = families.addHousehold('H1', ['p1_a']);
    const r = families.linkTogether(['p1_a', 'p1_new'], 'R-1');
    expect(r).toEqual({ familyPseudonym, created: false, merges: [] });
    expect(families.familyOf('p1_new')).toBe(familyPseudonym);
  });

  it('creates a family for persons reported together who have none', () => {
    const families = new FamilyIndex(keys);
    const r = families.linkTogether(['p1_x', 'p1_y'], 'R-2');
    expect(r.created).toBe(true);
    expect(r.familyPseudonym).toMatch(FAMILY_PSEUDONYM);
  });

  it('merges two families, keeping the older pseudonym and reporting the merge', () => {
    const families = new FamilyIndex(keys);
    const older = families.addHousehold('H1', ['p1_a']).familyPseudonym;
    const younger = families.addHousehold('H2', ['p1_b', 'p1_c']).familyPseudonym;
    const r = families.linkTogether(['p1_b', 'p1_a'], 'R-3');
    expect(r.familyPseudonym).toBe(older);
    expect(r.merges).toEqual([{ into: older, from: younger, reference: 'R-3' }]);
    expect(families.familyOf('p1_c')).toBe(older);
    expect(families.members(younger)).toEqual([]);
    expect(families.size).toBe(1);
  });
});
