/**
 * Narrative templates: the free text a reporter writes, in Chinese, about the people involved.
 * Synthetic but realistic (names, ages, addresses, sometimes ID and phone numbers) so that the
 * platform's personal-data filters have something to find. Placeholders:
 *
 *   {V} main person's name as reported   {VA} their age       {P} alleged perpetrator   {PR} their relation to V
 *   {C} a child's name                   {CA} the child's age {G} caregiver             {GR} caregiver's relation to V
 *   {ADDR} address as reported           {TS} township        {DATE} M月D日             {PHONE} 聯絡電話…
 *   {ID} （身分證字號…）                   {CN} number of children   {NEEDS} needs      {SCHOOL} school
 *   {WEAPON} {BEHAVIOUR} {WORRY}    {TA} 他 or 她 (V)
 */
import type { ReportCategory, ReportChannel, VulnerableNeed } from './event-types';
import type { Person } from './population-types';
import type { Random } from './random';

/**
 * A template, with when it fits: the channels whose reporters write it (any when absent), the
 * age range of the person whose age it states ({VA}, or {CA} when `ageOf` is C), and whether it
 * speaks of the household's children ({CN}).
 */
export interface NarrativeTemplate {
  readonly text: string;
  readonly channels?: readonly ReportChannel[];
  readonly ages?: readonly [number, number];
  readonly ageOf?: 'V' | 'C';
  readonly withChildren?: boolean;
}

const COMMUNITY: readonly ReportChannel[] = ['public-online', 'village-officer', 'volunteer', 'convenience-store'];

export const NARRATIVE_TEMPLATES: Readonly<Record<ReportCategory, readonly NarrativeTemplate[]>> = {
  'adult-protection': [
    { text: '{DATE}晚間{V}（{VA}歲）與{PR}{P}發生口角，遭{P}徒手毆打臉部及手臂，{V}表示長期遭受言語暴力，目前暫住{ADDR}。{PHONE}' },
    { text: '案主{V}{ID}至本院急診就醫，自述遭{PR}{P}推倒撞傷頭部，驗傷可見多處瘀青，家中尚有{CN}名未成年子女。', channels: ['hospital'], withChildren: true },
    { text: '{V}{ID}至本院急診就醫，自述遭{PR}{P}推倒撞傷頭部，驗傷可見多處瘀青。', channels: ['hospital'] },
    { text: '警方獲報前往{ADDR}處理家庭糾紛，{P}酒後持{WEAPON}恐嚇{V}，現場有兒少{C}目睹，{V}表示會害怕但不願離家。', channels: ['police'] },
    { text: '警方獲報前往{ADDR}處理家庭糾紛，{PR}{P}酒後持{WEAPON}恐嚇{V}（{VA}歲），{V}表示會害怕但不願離家。{PHONE}', channels: ['police'] },
    { text: '{V}來電表示{PR}{P}經常控制其金錢與行動，{DATE}又遭{P}掐脖子，希望申請保護令。{PHONE}', channels: ['public-online', 'welfare', 'mental-health', 'village-officer', 'volunteer'] },
  ],
  'child-protection': [
    { text: '本校學生{C}（{CA}歲）今日到校時臉頰有明顯紅腫，經導師詢問表示昨晚因功課未完成遭{PR}{P}以衣架抽打。案家住{ADDR}。', channels: ['school'], ages: [6, 17], ageOf: 'C' },
    { text: '{C}（{CA}歲）近一個月常未帶便當、衣著髒污，{PR}{P}經常不在家，疑似疏忽照顧，{GR}{G}聯繫不上。', channels: ['school', 'welfare', 'village-officer', 'volunteer'], ages: [6, 17], ageOf: 'C' },
    { text: '民眾反映{ADDR}常聽到孩童哭喊聲，疑似{P}對{C}施暴，{DATE}晚間又聽到摔東西的聲音。', channels: [...COMMUNITY, 'police'] },
    { text: '{C}{ID}因手臂骨折由{PR}{P}帶至急診，說法前後不一，醫師懷疑非意外傷害，請協助評估。{PHONE}', channels: ['hospital'] },
    { text: '{C}（{CA}歲）經訪視發現身上有多處新舊瘀傷，{PR}{P}表示是跌倒造成，不願多談。案家住{ADDR}。', ageOf: 'C' },
    { text: '超商店員發現{C}（{CA}歲）深夜獨自在店內逗留，手臂有瘀傷，表示不敢回家，怕被{PR}{P}打。', channels: ['convenience-store'], ages: [6, 17], ageOf: 'C' },
  ],
  'elder-protection': [
    { text: '長者{V}（{VA}歲）由{PR}{P}同住照顧，鄰長反映近期{V}身上常有瘀傷且三餐不繼，疑似遭疏忽照顧。地址：{ADDR}。' },
    { text: '{V}（{VA}歲）{ID}向村長表示{PR}{P}常向其索討老人年金，不給就摔東西，{V}擔心自身安全。', channels: ['village-officer', 'welfare', 'public-online', 'volunteer'] },
    { text: '{V}（{VA}歲）獨自在家跌倒多日才被發現，{GR}{G}表示無力照顧，請協助安排照顧資源。{PHONE}' },
    { text: '鄰居反映{V}（{VA}歲）近來常在{ADDR}附近徘徊，衣著單薄、家中堆滿雜物，疑似自我照顧能力不足。' },
    { text: '{V}（{VA}歲）因營養不良及褥瘡由{PR}{P}送至本院，疑似長期疏於照顧。', channels: ['hospital'] },
  ],
  'sexual-assault': [
    { text: '{V}（{VA}歲）向輔導老師透露{DATE}遭{PR}{P}在住處猥褻，已通知家長{G}，{V}情緒低落。', channels: ['school'], ages: [10, 24] },
    { text: '{V}{ID}於{DATE}至本院驗傷，自述遭{PR}{P}（約{PA}歲）性侵，已報警處理。{PHONE}', channels: ['hospital'] },
    { text: '{V}（{VA}歲）在網路上認識{P}，{DATE}相約見面後遭強制性交，{GR}{G}陪同報案。', ages: [14, 40] },
    { text: '{V}（{VA}歲）於{DATE}至派出所報案，指稱遭{PR}{P}多次撫摸身體，警方已製作筆錄。', channels: ['police'] },
    { text: '{V}（{VA}歲）向社工透露曾遭{PR}{P}性侵害，目前情緒不穩，{GR}{G}尚不知情。{PHONE}', channels: ['welfare', 'public-online', 'mental-health'] },
  ],
  'vulnerable-family': [
    { text: '{V}一家住{ADDR}，{NEEDS}，家中有{CN}名子女需扶養，積欠房租兩個月，水電費已遭催繳，請社福中心評估協助。{PHONE}', withChildren: true },
    { text: '{V}（{VA}歲）住{ADDR}，{NEEDS}，積欠房租兩個月，水電費已遭催繳，請社福中心評估協助。{PHONE}' },
    { text: '超商店員通報，{C}（{CA}歲）近兩週每日至門市領取愛心餐，表示家人生病住院，家中無人煮飯。', channels: ['convenience-store'], ages: [6, 17], ageOf: 'C' },
    { text: '村長反映{V}（{VA}歲）{NEEDS}，獨自照顧{CN}名孩子，經濟狀況不佳，曾向鄰居借錢。', channels: ['village-officer', 'volunteer'], withChildren: true },
    { text: '村長反映{V}（{VA}歲）{NEEDS}，經濟狀況不佳，曾向鄰居借錢，近來常未見出門。', channels: ['village-officer', 'volunteer'] },
    { text: '{SCHOOL}學生{C}（{CA}歲）學費及午餐費多次未繳，家長{V}表示{NEEDS}，請協助連結資源。', channels: ['school'], ages: [6, 17], ageOf: 'C' },
    { text: '{V}（{VA}歲）至就業服務站求職，表示{NEEDS}，家中經濟困難，轉介社福中心評估。{PHONE}', channels: ['employment'] },
    { text: '{V}（{VA}歲）住院期間表示{NEEDS}，出院後無人照顧，醫院社工請社福中心協助。', channels: ['hospital', 'mental-health'] },
  ],
  'juvenile-deviant-behaviour': [
    { text: '{V}（{VA}歲）多次深夜在外遊蕩，{DATE}凌晨於{TS}某網咖遭警方查獲，疑似與不良少年往來，{GR}{G}表示管教困難。' },
    { text: '{SCHOOL}學生{V}{ID}近期{BEHAVIOUR}，已連續缺課多日，{GR}{G}無法聯繫。', channels: ['school'] },
    { text: '{V}（{VA}歲）{BEHAVIOUR}，{DATE}經警方通知家長{G}到場帶回。{PHONE}', channels: ['police'] },
  ],
  'mental-health-crisis': [
    { text: '{V}（{VA}歲）近日情緒激動，在家中摔東西並揚言傷害家人，{GR}{G}表示{V}已停藥兩個月，請求協助就醫。{PHONE}' },
    { text: '{V}{ID}自述聽到有人要害{TA}，整夜不睡在{ADDR}附近徘徊，鄰居擔心{TA}的安全。' },
    { text: '{GR}{G}來電表示{V}（{VA}歲）長期酗酒，{DATE}酒後在家中大吼並破壞門窗，家人不敢回家。' },
  ],
  'suicide-risk': [
    { text: '{V}（{VA}歲）於{DATE}在住處服用大量安眠藥，經{GR}{G}發現送醫，目前已脫離險境，自述因{WORRY}感到絕望。' },
    { text: '學生{V}在週記中透露想死的念頭，並有割腕痕跡，導師已聯繫家長{G}。{PHONE}', channels: ['school'], ages: [12, 24] },
    { text: '{V}{ID}於{DATE}在{TS}燒炭未遂，經警消送醫，{V}表示{WORRY}，{GR}{G}陪同中。', channels: ['police', 'hospital'] },
    { text: '{V}（{VA}歲）近來多次向家人表示活著沒有意義，並上網搜尋輕生方法，{GR}{G}非常擔心。' },
  ],
};

const NEED_PHRASES: Readonly<Record<VulnerableNeed, string>> = {
  economic: '家庭經濟陷困',
  care: '家中有需長期照顧的家人',
  housing: '面臨房東要求搬離、居住不穩定',
  unemployment: '主要經濟來源者失業',
  illness: '家人罹患重病',
  'family-conflict': '家人間衝突不斷',
  parenting: '親職功能不彰',
  'child-development': '孩子有發展遲緩情形',
  disability: '家中有身心障礙成員',
  'substance-use': '家人疑似有酒癮問題',
};

const WEAPONS = ['菜刀', '水果刀', '鐵棍', '酒瓶', '球棒'];
const BEHAVIOURS = ['逃學逃家', '出入不當場所', '深夜在外遊蕩', '吸食電子煙', '與有犯罪習性之人交往', '參加陣頭活動徹夜未歸'];
const WORRIES_YOUNG = ['課業壓力', '感情問題', '被同學排擠', '家人爭吵'];
const WORRIES_ADULT = ['經濟壓力', '感情問題', '長期病痛', '照顧家人的壓力', '失業', '負債'];

export function needsPhrase(needs: readonly VulnerableNeed[]): string {
  return needs.map((n) => NEED_PHRASES[n]).join('、');
}

const OUTSIDERS_OF_MINORS = ['鄰居', '網友', '補習班老師', '親戚'];
const OUTSIDERS_OF_ADULTS: Readonly<Record<Person['sex'], readonly string[]>> = {
  M: ['男友', '前男友', '前夫', '網友', '同事'],
  F: ['女友', '前女友', '前妻', '朋友'],
};

/**
 * How `other` is related to `subject`, as a reporter would say it (丈夫, 父親, 祖母, 兒子 …);
 * someone from another household is a boyfriend, neighbour, tutor … (`rng` picks which).
 */
export function relationOf(subject: Person, other: Person, subjectAge: number, rng: Random): string {
  if (subject.householdId !== other.householdId) {
    return rng.pick(subjectAge < 18 ? OUTSIDERS_OF_MINORS : OUTSIDERS_OF_ADULTS[other.sex]);
  }
  const s = subject.role;
  const o = other.role;
  const m = other.sex === 'M';
  const parentRole = (r: Person['role']): boolean => r === 'head' || r === 'spouse';
  if (parentRole(s) && parentRole(o)) return m ? '丈夫' : '妻子';
  if ((s === 'child' && parentRole(o)) || (s === 'grandchild' && parentRole(o))) {
    return s === 'grandchild' ? (m ? '祖父' : '祖母') : m ? '父親' : '母親';
  }
  if (s === 'child' && o === 'grandparent') return m ? '祖父' : '祖母';
  if (s === 'grandparent' && o === 'head') return m ? '兒子' : '女兒';
  if (s === 'grandparent' && o === 'spouse') return m ? '女婿' : '媳婦';
  if (parentRole(s) && (o === 'child' || o === 'grandchild')) return m ? (o === 'child' ? '兒子' : '孫子') : o === 'child' ? '女兒' : '孫女';
  if (parentRole(s) && o === 'grandparent') return m ? '父親' : '母親';
  if ((s === 'child' && o === 'child') || (s === 'grandchild' && o === 'grandchild')) return m ? '哥哥' : '姊姊';
  return '家人';
}

export interface NarrativeContext {
  readonly V?: string;
  readonly VA?: number;
  /** Sex of V (for 他/她). */
  readonly VS?: Person['sex'];
  readonly P?: string;
  readonly PA?: number;
  readonly PR?: string;
  readonly C?: string;
  readonly CA?: number;
  readonly G?: string;
  readonly GR?: string;
  readonly ADDR: string;
  readonly TS: string;
  readonly DATE: string;
  readonly PHONE?: string;
  readonly ID?: string;
  readonly CN: number;
  readonly NEEDS: string;
  readonly SCHOOL: string;
}

const PEOPLE = ['V', 'P', 'C', 'G'] as const;
type PersonKey = (typeof PEOPLE)[number];
/** The people each template names. */
const NAMED: ReadonlyMap<string, readonly PersonKey[]> = new Map(
  Object.values(NARRATIVE_TEMPLATES)
    .flat()
    .map((t) => [t.text, PEOPLE.filter((k) => t.text.includes(`{${k}}`))] as const),
);

function names(t: NarrativeTemplate, ctx: NarrativeContext): boolean {
  return (NAMED.get(t.text) ?? []).every((k) => ctx[k] !== undefined);
}

function fits(t: NarrativeTemplate, ctx: NarrativeContext): boolean {
  const age = t.ageOf === 'C' ? ctx.CA : ctx.VA;
  if (t.ages !== undefined && (age === undefined || age < t.ages[0] || age > t.ages[1])) return false;
  if (t.ageOf === 'C' && ctx.CA === undefined) return false;
  return !(t.withChildren === true && ctx.CN === 0);
}

/**
 * One narrative for the category and channel, placeholders filled. Preferred: templates that
 * name only people the report has, fit their ages, and are the channel's own; relaxed in that
 * order when none qualifies, so every narrative names someone.
 */
export function writeNarrative(rng: Random, category: ReportCategory, channel: ReportChannel, ctx: NarrativeContext): string {
  const templates = NARRATIVE_TEMPLATES[category];
  const named = templates.filter((t) => names(t, ctx));
  const fitting = named.filter((t) => fits(t, ctx));
  const own = fitting.filter((t) => t.channels === undefined || t.channels.includes(channel));
  const template = rng.pick(own.length > 0 ? own : fitting.length > 0 ? fitting : named.length > 0 ? named : templates).text;
  return template.replace(/\{([A-Z]+)\}/g, (_, key: string) => {
    switch (key) {
      case 'V':
        return ctx.V ?? '案主';
      case 'VA':
        return ctx.VA === undefined ? '?' : String(ctx.VA);
      case 'P':
        return ctx.P ?? '對方';
      case 'PA':
        return ctx.PA === undefined ? '?' : String(ctx.PA);
      case 'PR':
        return ctx.PR ?? '';
      case 'C':
        return ctx.C ?? '孩子';
      case 'CA':
        return ctx.CA === undefined ? '?' : String(ctx.CA);
      case 'G':
        return ctx.G ?? '';
      case 'GR':
        return ctx.GR ?? '家人';
      case 'ADDR':
        return ctx.ADDR;
      case 'TS':
        return ctx.TS;
      case 'DATE':
        return ctx.DATE;
      case 'PHONE':
        return ctx.PHONE === undefined ? '' : `聯絡電話${ctx.PHONE}。`;
      case 'ID':
        return ctx.ID === undefined ? '' : `（身分證字號${ctx.ID}）`;
      case 'CN':
        return String(ctx.CN);
      case 'NEEDS':
        return ctx.NEEDS;
      case 'SCHOOL':
        return ctx.SCHOOL;
      case 'WEAPON':
        return rng.pick(WEAPONS);
      case 'BEHAVIOUR':
        return rng.pick(BEHAVIOURS);
      case 'WORRY':
        return rng.pick(ctx.VA !== undefined && ctx.VA < 25 ? WORRIES_YOUNG : WORRIES_ADULT);
      case 'TA':
        return ctx.VS === 'F' ? '她' : '他';
      default:
        return '';
    }
  });
}
