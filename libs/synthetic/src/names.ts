/**
 * Names: surnames by their frequency in Taiwan's household registration (內政部 全國姓名統計
 * 分析, rounded percentages), generation-typical given-name characters, indigenous traditional
 * names, immigrant spouses' names, and the character variants and homophones that reporters
 * mix up.
 */
import { Random, WeightedTable } from './random';
import type { Sex } from './population-types';

const TOP_SURNAMES: readonly (readonly [string, number])[] = [
  ['陳', 11.1], ['林', 8.3], ['黃', 6.0], ['張', 5.3], ['李', 5.1], ['王', 4.1], ['吳', 4.0], ['劉', 3.2],
  ['蔡', 2.9], ['楊', 2.6], ['許', 2.3], ['鄭', 1.9], ['謝', 1.8], ['洪', 1.5], ['郭', 1.5], ['邱', 1.5],
  ['曾', 1.4], ['廖', 1.3], ['賴', 1.3], ['徐', 1.2], ['周', 1.2], ['葉', 1.1], ['蘇', 1.1], ['莊', 1.0],
  ['呂', 0.9], ['江', 0.9], ['何', 0.9], ['蕭', 0.9], ['羅', 0.8], ['高', 0.8], ['潘', 0.7], ['簡', 0.7],
  ['朱', 0.7], ['鍾', 0.6], ['游', 0.6], ['彭', 0.6], ['詹', 0.6], ['胡', 0.5], ['施', 0.5], ['沈', 0.5],
  ['余', 0.5], ['盧', 0.5], ['梁', 0.5], ['趙', 0.5], ['顏', 0.4], ['柯', 0.4], ['翁', 0.4], ['魏', 0.4],
  ['孫', 0.4], ['戴', 0.4],
];
// The remaining ≈ 17 %, spread over less common surnames (and a few two-character ones).
const OTHER_SURNAMES = [
  '范', '方', '鄧', '杜', '傅', '侯', '曹', '薛', '丁', '卓', '阮', '馬', '董', '溫', '唐', '藍', '石',
  '蔣', '古', '紀', '姚', '連', '馮', '程', '湯', '黎', '田', '康', '姜', '白', '汪', '鄒', '尤', '巫', '鐘',
  '龔', '嚴', '韓', '袁', '金', '童', '陸', '夏', '柳', '涂', '邵', '錢', '伍', '倪', '易', '宋',
];
const COMPOUND_SURNAMES = ['歐陽', '張簡', '范姜', '司馬'];

export const SURNAMES = new WeightedTable<string>([
  ...TOP_SURNAMES,
  ...OTHER_SURNAMES.map((s) => [s, 16.6 / OTHER_SURNAMES.length] as const),
  ...COMPOUND_SURNAMES.map((s) => [s, 0.1] as const),
]);

/** Chinese surnames common among indigenous people (原住民漢姓). */
export const INDIGENOUS_SURNAMES = new WeightedTable<string>([
  ['高', 12], ['林', 9], ['陳', 7], ['全', 5], ['田', 5], ['王', 6], ['張', 5], ['金', 4], ['伍', 3], ['松', 3],
  ['谷', 3], ['余', 3], ['幸', 2], ['武', 3], ['史', 2], ['黃', 5], ['李', 4], ['曾', 2], ['馬', 2], ['杜', 2],
]);

type Generation = 'old' | 'middle' | 'young';

const GIVEN: Readonly<Record<Sex, Readonly<Record<Generation, string>>>> = {
  M: {
    old: '金火木水春福榮輝雄正德明清文國振添財旺進發忠義坤松樹龍勝吉崑源生台峰煌泉田',
    middle: '志明偉建宏俊家文信國達豪傑嘉政凱冠宗佳彥啟峰群裕銘鴻翔育承哲維智勝輝清',
    young: '宇翔承恩宥睿柏彥廷浩皓晨叡崴昀安品子禹凱毅家宸軒豪杰峻竣群',
  },
  F: {
    old: '秀美玉麗淑月春金英珠蘭梅雲霞碧花娥素琴枝鳳貞珍蓮桂綉真',
    middle: '雅婷怡淑惠佳欣玲慧芳君如靜琪萍珮美秀雯瑩筱韻儀瑜嘉宜真',
    young: '子芯語詠涵恩琳妍晴瑄彤宥歆筠蓁晏羽悅昕庭婕樂萱沛',
  },
};

function generationOf(birthYear: number): Generation {
  if (birthYear < 1965) return 'old';
  if (birthYear < 1995) return 'middle';
  return 'young';
}

/** A given name typical of the person's sex and generation; one character now and then. */
export function givenName(rng: Random, sex: Sex, birthYear: number): string {
  const pool = GIVEN[sex][generationOf(birthYear)];
  const first = pool[rng.int(0, pool.length - 1)];
  if (rng.chance(0.04)) return first;
  let second = pool[rng.int(0, pool.length - 1)];
  if (second === first) second = pool[(pool.indexOf(first) + 1) % pool.length];
  return first + second;
}

/**
 * Indigenous traditional names (傳統名) written in Chinese characters: a personal name, the
 * separator ‧ (U+2027, as household registration prints it), and a father's or clan name.
 * Atayal and Seediq names for Ren'ai, Bunun for Xinyi and elsewhere.
 */
const INDIGENOUS_GIVEN: Readonly<Record<'atayal' | 'bunun', Readonly<Record<Sex, readonly string[]>>>> = {
  atayal: {
    M: ['瓦旦', '比令', '尤幹', '巴尚', '瓦歷斯', '鐵木', '哈勇', '達道', '拉外', '諾幹'],
    F: ['雅外', '吉娃斯', '莎韻', '烏巴赫', '比黛', '伊凡', '莉慕伊', '亞娃'],
  },
  bunun: {
    M: ['比勇', '阿力曼', '達海', '拉荷', '塔瑪', '那布', '畢馬', '伊斯瑪哈單'],
    F: ['阿布', '伊布', '芭蘇', '嫚芭', '撒韻', '妮娃', '阿莉'],
  },
};
const INDIGENOUS_SECOND: Readonly<Record<'atayal' | 'bunun', readonly string[]>> = {
  atayal: ['瓦旦', '巴尚', '尤幹', '諾幹', '比令', '哈勇', '達道', '馬賴'],
  bunun: ['伊斯坦大', '達給斯', '卡立夫', '司瑪哈', '塔基那倫', '巴利蘭', '伊斯巴利達'],
};
export const INDIGENOUS_NAME_SEPARATOR = '‧';

export function indigenousTraditionalName(rng: Random, sex: Sex, nation: 'atayal' | 'bunun'): string {
  return `${rng.pick(INDIGENOUS_GIVEN[nation][sex])}${INDIGENOUS_NAME_SEPARATOR}${rng.pick(INDIGENOUS_SECOND[nation])}`;
}

/** Vietnamese spouses' names as registered in Chinese characters (阮氏玉蘭). */
const VIETNAMESE_SURNAMES = ['阮', '陳', '黎', '范', '黃', '武', '潘', '吳', '鄧', '裴'];
const VIETNAMESE_GIVEN = '玉蘭秋香紅梅翠芳清草春花垂河鸞蓉雪金';
export function vietnameseName(rng: Random, sex: Sex): { surname: string; given: string } {
  const surname = rng.pick(VIETNAMESE_SURNAMES);
  const a = VIETNAMESE_GIVEN[rng.int(0, VIETNAMESE_GIVEN.length - 1)];
  const b = VIETNAMESE_GIVEN[rng.int(0, VIETNAMESE_GIVEN.length - 1)];
  return { surname, given: sex === 'F' ? `氏${a}${b}` : `文${a}${b}` };
}

/**
 * Pairs of characters written either way (standard form first): 臺/台, 峰/峯 and the like.
 * A reporter types whichever their input method offers.
 */
const VARIANT_PAIRS: readonly (readonly [string, string])[] = [
  ['臺', '台'], ['峰', '峯'], ['裡', '裏'], ['群', '羣'], ['黃', '黄'], ['溫', '温'], ['啟', '啓'], ['為', '爲'],
  ['衛', '衞'], ['綉', '繡'], ['真', '眞'], ['清', '淸'], ['坤', '堃'], ['崑', '崐'], ['叡', '睿'], ['涂', '凃'],
];
const VARIANTS = new Map<string, string>();
for (const [a, b] of VARIANT_PAIRS) {
  VARIANTS.set(a, b);
  VARIANTS.set(b, a);
}

/** Homophones a reporter may write instead (same or near-same Mandarin reading). */
const HOMOPHONE_GROUPS = [
  '志智誌', '明銘鳴', '偉瑋維', '宏鴻弘', '俊峻駿竣', '家佳嘉', '文雯紋', '豪濠', '傑杰捷', '政正', '凱愷',
  '彥晏燕', '啟起', '峰鋒豐', '裕育玉鈺', '翔祥', '承丞', '勝聖', '輝暉徽', '宇羽語雨禹', '宥佑右', '睿瑞',
  '柏伯博', '廷庭婷亭', '浩皓昊', '晨辰宸', '昀筠芸韻', '子紫梓', '毅藝意', '軒萱宣瑄', '秀琇', '麗莉俐',
  '淑書舒', '月悅玥', '春純', '英瑛櫻', '珠朱', '蘭嵐', '梅玫', '雲芸', '霞夏', '碧璧', '貞珍真蓁臻', '蓮連',
  '桂貴', '雅亞', '怡宜儀頤', '惠慧蕙', '欣心馨昕歆芯', '玲齡苓伶琳', '芳方芬', '君均', '如茹儒', '靜婧晶',
  '琪琦淇', '萍平蘋', '珮佩沛', '瑩盈螢', '筱曉', '瑜妤渝', '詠永泳', '涵含寒', '妍研', '晴情青', '彤桐童',
  '婕潔', '金今', '福富', '榮容蓉', '雄熊', '德得', '振鎮', '添天', '財才', '旺望', '進晉', '發法', '忠中',
  '義儀', '坤昆', '松嵩', '龍隆', '源元原', '生昇升', '台泰', '煌皇', '泉全', '黃王', '張章', '李理', '吳伍巫',
  '劉柳', '楊陽', '許徐', '洪紅', '郭國', '邱丘', '曾增', '賴來', '周洲', '葉業', '江姜', '何河', '羅蘿', '鍾鐘',
];
const HOMOPHONES = new Map<string, string[]>();
for (const group of HOMOPHONE_GROUPS) {
  const chars = [...group];
  for (const c of chars) {
    const others = chars.filter((o) => o !== c);
    HOMOPHONES.set(c, [...(HOMOPHONES.get(c) ?? []), ...others]);
  }
}

/** True when some character of the name has a variant form (or it is a traditional name). */
export function hasVariant(name: string): boolean {
  if (name.includes(INDIGENOUS_NAME_SEPARATOR)) return true;
  for (const c of name) if (VARIANTS.has(c)) return true;
  return false;
}

/** The name with one variant character swapped (or the traditional-name separator changed). */
export function variantOf(rng: Random, name: string): string {
  if (name.includes(INDIGENOUS_NAME_SEPARATOR)) {
    return name.replace(INDIGENOUS_NAME_SEPARATOR, rng.pick(['・', '．', '·', ' ', '']));
  }
  const chars = [...name];
  const positions = chars.flatMap((c, i) => (VARIANTS.has(c) ? [i] : []));
  if (positions.length === 0) return name;
  const i = rng.pick(positions);
  chars[i] = VARIANTS.get(chars[i]) ?? chars[i];
  return chars.join('');
}

export function hasHomophone(name: string): boolean {
  for (const c of name) if (HOMOPHONES.has(c)) return true;
  return false;
}

/**
 * The name with one character replaced by a homophone; the given name is four times as likely
 * to suffer as the surname.
 */
export function homophoneOf(rng: Random, name: string, surnameLength: number): string {
  const chars = [...name];
  const positions = chars.flatMap((c, i) => (HOMOPHONES.has(c) ? [i] : []));
  if (positions.length === 0) return name;
  const given = positions.filter((i) => i >= surnameLength);
  const i = given.length > 0 && (given.length === positions.length || rng.chance(0.8)) ? rng.pick(given) : rng.pick(positions);
  chars[i] = rng.pick(HOMOPHONES.get(chars[i]) ?? [chars[i]]);
  return chars.join('');
}

/** Surname plus a form of address, as a neighbour would report someone (陳先生, 林小姐, 黃太太). */
export function surnameOnly(rng: Random, surname: string, sex: Sex | undefined, age: number): string {
  if (age < 18) return `${surname}小${sex === 'F' ? '妹' : '弟'}`;
  if (sex === 'M') return `${surname}${age >= 60 ? '伯伯' : '先生'}`;
  return `${surname}${age >= 60 ? '阿嬤' : rng.chance(0.5) ? '小姐' : '太太'}`;
}
