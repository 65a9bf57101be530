import { isOneCharacterShorter, normaliseName, phoneticKey, positionsDiffering, standardChar, toHalfWidth } from './name-normalisation.util';

describe('toHalfWidth', () => {
  it('turns full-width letters, digits and the ideographic space into ASCII', () => {
    expect(toHalfWidth('ＡＢＣ１２３\u3000ｘ')).toBe('ABC123 x');
  });
});

describe('normaliseName', () => {
  it('is undefined for a missing or blank name', () => {
    expect(normaliseName(undefined)).toBeUndefined();
    expect(normaliseName('  \u3000 ')).toBeUndefined();
  });

  it('trims and removes spaces inside the name', () => {
    expect(normaliseName(' 陳 志 明 ')?.canonical).toBe('陳志明');
  });

  it.each([
    ['台', '臺'], ['峯', '峰'], ['羣', '群'], ['裏', '裡'], ['敍', '敘'], ['啓', '啟'], ['綫', '線'], ['黄', '黃'], ['温', '溫'],
  ])('maps the variant %s to the standard form %s and records the mapping', (variant, standard) => {
    const n = normaliseName(`陳${variant}明`);
    expect(n?.canonical).toBe(`陳${standard}明`);
    expect(n?.variantsMapped).toEqual([`${variant}→${standard}`]);
    expect(standardChar(standard)).toBe(standard);
  });

  it('splits single and compound surnames', () => {
    expect(normaliseName('陳志明')).toMatchObject({ surname: '陳', given: '志明' });
    expect(normaliseName('歐陽叡翔')).toMatchObject({ surname: '歐陽', given: '叡翔' });
  });

  it.each(['瓦旦‧巴尚', '瓦旦・巴尚', '瓦旦．巴尚', '瓦旦·巴尚', '瓦旦 巴尚', '瓦旦巴尚'])(
    'reads the indigenous traditional name %s with any separator as one form',
    (written) => {
      expect(normaliseName(written)?.canonical).toBe('瓦旦巴尚');
    },
  );

  it('marks a name with a traditional-name separator as traditional (no Chinese surname)', () => {
    expect(normaliseName('瓦旦‧巴尚')).toMatchObject({ traditional: true, surname: '' });
  });

  it.each([
    ['陳先生', '陳', 'M'],
    ['林小姐', '林', 'F'],
    ['黃阿嬤', '黃', 'F'],
    ['歐陽太太', '歐陽', 'F'],
    ['王小弟', '王', 'M'],
  ])('reads %s as surname only with a form of address', (written, surname, sex) => {
    const n = normaliseName(written);
    expect(n).toMatchObject({ canonical: surname, surname, given: '' });
    expect(n?.honorific?.sex).toBe(sex);
  });

  it('keeps a full name followed by a courtesy title as the full name', () => {
    expect(normaliseName('陳志明先生')).toMatchObject({ canonical: '陳志明', given: '志明' });
    expect(normaliseName('陳志明先生')?.honorific).toBeUndefined();
  });

  it('gives homophones the same phonetic key', () => {
    expect(normaliseName('陳志明')?.phonetic).toBe(normaliseName('陳智銘')?.phonetic);
    expect(phoneticKey('婷')).toBe(phoneticKey('庭'));
    expect(phoneticKey('婷')).not.toBe(phoneticKey('明'));
  });

  it('upper-cases Latin names', () => {
    expect(normaliseName('Nguyen thi lan')?.canonical).toBe('NGUYENTHILAN');
  });
});

describe('isOneCharacterShorter', () => {
  it('recognises one left-out character after the first', () => {
    expect(isOneCharacterShorter('陳豪', '陳家豪')).toBe(true);
    expect(isOneCharacterShorter('陳家', '陳家豪')).toBe(true);
    expect(isOneCharacterShorter('林家', '陳家豪')).toBe(false);
    expect(isOneCharacterShorter('陳偉', '陳家豪')).toBe(false);
    expect(isOneCharacterShorter('陳', '陳豪')).toBe(false);
  });
});

describe('positionsDiffering', () => {
  it('counts differing positions of equal-length strings', () => {
    expect(positionsDiffering('陳家豪', '陳家偉')).toBe(1);
    expect(positionsDiffering('陳家豪', '陳家')).toBe(Infinity);
  });
});
