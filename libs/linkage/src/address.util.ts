/**
 * Taiwanese street addresses as reporters write them, reduced to what identifies a dwelling:
 * township (鄉鎮市區), road with section (路/街/大道 + 段), lane (巷), alley (弄) and number (號).
 * County, village (村里), neighbourhood (鄰), floor (樓) and unit (之) are dropped from the key:
 * reporters omit or garble them far more often than they change between two people.
 */
import { standardChar, toHalfWidth } from './name-normalisation.util';

export interface NormalisedAddress {
  /** 南投市; empty when the reporter left it out. */
  readonly township: string;
  readonly village: string;
  /** Road with its section (中正路二段); empty when none was recognised. */
  readonly road: string;
  readonly lane: number;
  readonly alley: number;
  /** House number, with a sub-number as 12-1 (12號之1, 12之1號). */
  readonly number: string;
  /** township|road|lane|alley|number: equal keys are the same dwelling. */
  readonly key: string;
  /** township|road: the same street (a neighbour, or a reporter's wrong number). */
  readonly roadKey: string;
}

const COUNTIES = [
  '臺北市', '新北市', '桃園市', '臺中市', '臺南市', '高雄市', '基隆市', '新竹市', '嘉義市', '新竹縣', '苗栗縣', '彰化縣',
  '南投縣', '雲林縣', '嘉義縣', '屏東縣', '宜蘭縣', '花蓮縣', '臺東縣', '澎湖縣', '金門縣', '連江縣',
];

const CHINESE_DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

const PATTERN =
  /^(?<town>[^\d]{1,3}?[市鎮鄉區])?(?<village>[^\d]{1,4}?[村里])?(?:\d+鄰)?(?<road>[^\d]+?(?:路|街|大道)(?:[一二三四五六七八九十\d]+段)?)?(?:(?<lane>\d+)巷)?(?:(?<alley>\d+)弄)?(?:(?<num>\d+)(?:之(?<sub1>\d+))?號(?:之(?<sub2>\d+))?)?/;

/** 10 → 十 etc. for road sections, which reporters write in either form (中正路2段, 中正路二段). */
function sectionToChinese(road: string): string {
  return road.replace(/(\d+)段$/, (_, n: string) => {
    const value = Number(n);
    const digits = Object.keys(CHINESE_DIGITS);
    if (value >= 1 && value <= 10) return `${digits[value - 1]}段`;
    return `${n}段`;
  });
}

export function normaliseAddress(raw: string | undefined): NormalisedAddress | undefined {
  if (raw === undefined) return undefined;
  let text = '';
  for (const c of toHalfWidth(raw)) text += standardChar(c);
  text = text.replace(/[\s,，、()（）-]/g, '');
  if (text.length === 0) return undefined;
  for (const county of COUNTIES) {
    if (text.startsWith(county) && text.length > county.length + 1 && /[市鎮鄉區]/.test(text.slice(county.length, county.length + 4))) {
      text = text.slice(county.length);
      break;
    }
  }
  const match = PATTERN.exec(text);
  const g = match?.groups ?? {};
  const township = g['town'] ?? '';
  const road = g['road'] === undefined ? '' : sectionToChinese(g['road']);
  const lane = g['lane'] === undefined ? 0 : Number(g['lane']);
  const alley = g['alley'] === undefined ? 0 : Number(g['alley']);
  const sub = g['sub1'] ?? g['sub2'];
  const number = g['num'] === undefined ? '' : sub === undefined ? String(Number(g['num'])) : `${Number(g['num'])}-${Number(sub)}`;
  if (road === '' && number === '') {
    return { township, village: g['village'] ?? '', road: '', lane: 0, alley: 0, number: '', key: '', roadKey: '' };
  }
  return {
    township,
    village: g['village'] ?? '',
    road,
    lane,
    alley,
    number,
    key: `${township}|${road}|${lane}|${alley}|${number}`,
    roadKey: `${township}|${road}`,
  };
}
