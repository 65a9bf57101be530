/**
 * Chinese personal names as reporters write them: full-width letters, stray spaces, the
 * indigenous traditional-name separator in half a dozen look-alikes, variant characters
 * (臺/台) and homophones (志/智). Everything here is pure and allocation-light because the
 * person index runs it on every reported person.
 */

/**
 * Variant characters (異體字) mapped to one form: the standard form of the Ministry of
 * Education's list, which is also what household registration prints. A reporter types
 * whichever form their input method offers, so both must compare equal.
 */
const VARIANT_TO_STANDARD: Readonly<Record<string, string>> = {
  台: '臺', 峯: '峰', 羣: '群', 裏: '裡', 敍: '敘', 叙: '敘', 啓: '啟', 綫: '線', 黄: '黃', 温: '溫',
  爲: '為', 衞: '衛', 繡: '綉', 眞: '真', 淸: '清', 堃: '坤', 崐: '崑', 睿: '叡', 凃: '涂', 着: '著',
  衆: '眾', 鷄: '雞', 説: '說', 戸: '戶', 户: '戶', 姫: '姬', 彦: '彥', 麪: '麵', 恒: '恆', 吿: '告',
  銹: '鏽',
};

/**
 * Homophone classes (同音字): characters a reporter hearing the name may write instead of
 * each other. The first character of each group is the class representative. This covers
 * the characters common in Taiwanese given names and surnames; a production deployment
 * would derive classes from the MOE dictionary's zhuyin readings.
 */
const HOMOPHONE_GROUPS: readonly string[] = [
  '志智誌致', '明銘鳴名', '偉瑋維惟唯', '宏鴻弘紅洪泓', '俊峻駿竣浚', '家佳嘉加', '文雯紋聞', '豪濠毫', '傑杰捷潔婕',
  '政正證鄭', '凱愷鎧', '彥晏燕宴艷', '啟起啓綺琦琪淇棋旗祺', '峰鋒豐風楓鳳', '裕育玉鈺郁昱煜毓', '翔祥詳', '承丞呈誠成城',
  '勝聖盛', '輝暉徽揮', '宇羽語雨禹予與', '宥佑右祐有友', '叡瑞睿', '柏伯博勃', '廷庭婷亭霆', '浩皓昊灝',
  '晨辰宸臣陳', '昀筠芸韻允雲耘', '子紫梓姊', '毅藝意義儀宜怡頤逸益', '軒萱宣瑄璇玄', '秀琇繡', '麗莉俐立力利',
  '淑書舒叔', '月悅玥越岳', '春純淳', '英瑛櫻鶯', '珠朱諸', '蘭嵐藍', '梅玫媒', '霞夏', '碧璧壁',
  '貞珍真蓁臻甄', '蓮連廉', '桂貴', '雅亞', '惠慧蕙會', '欣心馨昕歆芯新鑫', '玲齡苓伶琳林霖麟', '芳方芬',
  '君均鈞軍', '如茹儒汝', '靜婧晶菁京', '萍平蘋屏', '珮佩沛', '瑩盈螢營', '筱曉小孝', '瑜妤渝愉榆余俞于',
  '詠永泳勇湧', '涵含寒函韓', '妍研言顏', '晴情青清卿', '彤桐童同', '金今津', '福富馥', '榮容蓉融',
  '雄熊', '德得', '振鎮震', '添天', '財才', '旺望', '進晉', '發法', '忠中鍾鐘宗', '坤昆崑', '松嵩',
  '龍隆', '源元原圓', '生昇升', '臺泰', '煌皇凰', '泉全', '黃王', '張章彰', '李理禮', '吳伍巫武', '劉柳',
  '楊陽揚', '許徐', '郭國', '邱丘秋', '曾增', '賴來', '周洲州', '葉業', '江姜', '何河和', '羅蘿',
  '蔡菜', '謝解', '蕭肖', '簡檢', '朱珠', '施詩', '沈審', '盧廬', '梁良', '趙照', '柯科', '翁嗡',
  '孫蓀', '戴代', '范範', '杜度', '侯厚', '薛雪', '卓酌', '馬瑪', '董懂', '溫文', '唐堂', '石時',
  '蔣獎', '紀記', '姚堯', '程晟', '湯湘', '田甜', '康慷', '白柏', '汪王', '袁元', '嚴研', '陸路',
];

const HOMOPHONE_CLASS = new Map<string, string>();
for (const group of HOMOPHONE_GROUPS) {
  const chars = [...group].map(standardChar);
  const representative = chars[0];
  for (const c of chars) if (!HOMOPHONE_CLASS.has(c)) HOMOPHONE_CLASS.set(c, representative);
}

/** Two-character surnames (複姓) common in Taiwan, so that 歐陽 is not read as 歐 + 陽…. */
const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '歐陽', '張簡', '范姜', '司馬', '諸葛', '上官', '司徒', '東方', '夏侯', '皇甫', '公孫', '慕容', '端木', '周黃', '張廖', '陳黃',
]);

/** Separators of indigenous traditional names (‧ U+2027 as registered; ・ ． · • 、 as typed). */
const SEPARATORS = /[\u2027\u30fb\uff0e\u00b7\u2022\u3001\u002e\u30FB\u0387\u2219\u22c5\s\u3000-]/g;

/** Full-width ASCII (U+FF01–FF5E) to half-width, and the ideographic space to a space. */
export function toHalfWidth(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += value[i];
  }
  return out;
}

export function standardChar(c: string): string {
  return VARIANT_TO_STANDARD[c] ?? c;
}

/** Forms of address a neighbour uses instead of the given name (陳先生, 林小姐, 黃阿嬤). */
export interface Honorific {
  readonly suffix: string;
  readonly sex?: 'F' | 'M';
  /** Age range the form of address implies, inclusive. */
  readonly minAge: number;
  readonly maxAge: number;
}

const HONORIFICS: readonly Honorific[] = [
  { suffix: '先生', sex: 'M', minAge: 18, maxAge: 120 },
  { suffix: '小姐', sex: 'F', minAge: 16, maxAge: 120 },
  { suffix: '太太', sex: 'F', minAge: 18, maxAge: 120 },
  { suffix: '女士', sex: 'F', minAge: 18, maxAge: 120 },
  { suffix: '伯伯', sex: 'M', minAge: 50, maxAge: 120 },
  { suffix: '阿伯', sex: 'M', minAge: 50, maxAge: 120 },
  { suffix: '阿公', sex: 'M', minAge: 55, maxAge: 120 },
  { suffix: '阿嬤', sex: 'F', minAge: 55, maxAge: 120 },
  { suffix: '阿媽', sex: 'F', minAge: 55, maxAge: 120 },
  { suffix: '奶奶', sex: 'F', minAge: 55, maxAge: 120 },
  { suffix: '爺爺', sex: 'M', minAge: 55, maxAge: 120 },
  { suffix: '阿姨', sex: 'F', minAge: 25, maxAge: 120 },
  { suffix: '媽媽', sex: 'F', minAge: 18, maxAge: 120 },
  { suffix: '爸爸', sex: 'M', minAge: 18, maxAge: 120 },
  { suffix: '小弟', sex: 'M', minAge: 0, maxAge: 19 },
  { suffix: '小妹', sex: 'F', minAge: 0, maxAge: 19 },
  { suffix: '同學', minAge: 5, maxAge: 25 },
];

export interface NormalisedName {
  /** Variant characters mapped to the standard form, separators and spaces removed. */
  readonly canonical: string;
  /** Every character replaced by its homophone class representative. */
  readonly phonetic: string;
  /** Surname (canonical), empty for a traditional name or when unknown. */
  readonly surname: string;
  /** The rest of the name (canonical), empty for a surname-only name. */
  readonly given: string;
  /** Set when the reporter gave only a surname and a form of address. */
  readonly honorific?: Honorific;
  /** Variant characters that were mapped, as `from→to` (for explanations). */
  readonly variantsMapped: readonly string[];
  /** An indigenous traditional name (had a separator, or is written without a Chinese surname). */
  readonly traditional: boolean;
}

/** The phonetic key of a canonical string. */
export function phoneticKey(canonical: string): string {
  let out = '';
  for (const c of canonical) out += HOMOPHONE_CLASS.get(c) ?? c;
  return out;
}

function splitSurname(name: string): { surname: string; given: string } {
  if (name.length >= 3 && COMPOUND_SURNAMES.has(name.slice(0, 2))) return { surname: name.slice(0, 2), given: name.slice(2) };
  return { surname: name.slice(0, 1), given: name.slice(1) };
}

/**
 * Normalises a personal name; undefined for an empty or whitespace-only one. Latin letters
 * (foreign spouses' passport names) are upper-cased so that case does not matter.
 */
export function normaliseName(raw: string | undefined): NormalisedName | undefined {
  if (raw === undefined) return undefined;
  const half = toHalfWidth(raw).trim();
  if (half.length === 0) return undefined;
  const traditional = /[\u2027\u30fb\uff0e\u00b7\u2022]/.test(raw);
  const stripped = half.replace(SEPARATORS, '').toUpperCase();
  if (stripped.length === 0) return undefined;
  let canonical = '';
  const variantsMapped: string[] = [];
  for (const c of stripped) {
    const s = standardChar(c);
    if (s !== c) variantsMapped.push(`${c}→${s}`);
    canonical += s;
  }
  const honorific = traditional ? undefined : HONORIFICS.find((h) => canonical.length > h.suffix.length && canonical.endsWith(h.suffix));
  if (honorific !== undefined) {
    const surname = canonical.slice(0, canonical.length - honorific.suffix.length);
    // Only a surname before the form of address counts: 陳志明先生 is a full name plus courtesy.
    if (surname.length <= 2) {
      return { canonical: surname, phonetic: phoneticKey(surname), surname, given: '', honorific, variantsMapped, traditional };
    }
    const full = surname;
    const parts = splitSurname(full);
    return { canonical: full, phonetic: phoneticKey(full), ...parts, variantsMapped, traditional };
  }
  if (traditional) return { canonical, phonetic: phoneticKey(canonical), surname: '', given: canonical, variantsMapped, traditional };
  const parts = splitSurname(canonical);
  return { canonical, phonetic: phoneticKey(canonical), ...parts, variantsMapped, traditional };
}

/** True when `shorter` is `longer` with exactly one character left out (after the first). */
export function isOneCharacterShorter(shorter: string, longer: string): boolean {
  if (shorter.length + 1 !== longer.length || shorter.length < 2) return false;
  if (shorter[0] !== longer[0]) return false;
  let skipped = false;
  for (let i = 0, j = 0; i < shorter.length; j++) {
    if (shorter[i] === longer[j]) {
      i++;
    } else {
      if (skipped) return false;
      skipped = true;
    }
  }
  return true;
}

/** Number of positions at which two equal-length strings differ (Infinity for unequal lengths). */
export function positionsDiffering(a: string, b: string): number {
  if (a.length !== b.length) return Infinity;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
