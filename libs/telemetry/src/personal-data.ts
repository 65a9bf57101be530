import type { Attributes, AttributeValue } from '@opentelemetry/api';

/**
 * Personal-data detection for telemetry. weave moves case data about identifiable people
 * between agencies; none of it may reach spans or logs. The rules below are deliberately
 * conservative: dropping a harmless attribute costs a little debuggability, leaking a
 * national ID number into a trace backend is a reportable incident.
 *
 * Detection is by shape, not by validity (a mistyped ID number is still somebody's ID).
 */
export type PersonalDataKind = 'national-id' | 'phone' | 'email' | 'address' | 'person-name' | 'free-text';

export const REDACTED_ATTRIBUTE_COUNT = 'weave.redacted_attribute_count';

export function redactionMarker(kind: PersonalDataKind): string {
  return `[redacted:${kind}]`;
}

// ---------------------------------------------------------------------------------------
// Value rules
// ---------------------------------------------------------------------------------------

/** Letter + 1/2 (citizen), 8/9 (new resident certificate) or A-D (old resident certificate) + 8 digits. */
const NATIONAL_ID = /[A-Z][1289A-D]\d{8}/gi;

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;

// `(?<![\d.])` keeps digits of longer numbers and decimals from being read as phone numbers.
const PHONE_PATTERNS: readonly RegExp[] = [
  // Mobile: 0912-345-678, 0912 345 678, 0912345678, +886 912 345 678, +886-912-345678.
  /(?<![\d.])(?:\+?886[-\s]?(?:\(0\))?|0)9\d{2}[-\s.]?\d{3}[-\s.]?\d{3}(?!\d)/g,
  // Landline with the area code in brackets: (02)2345-6789, (049)2345678.
  /(?<![\d.])\(0\d{1,3}\)[-\s]?\d{3,4}[-\s]?\d{4}(?!\d)/g,
  // Landline with a separator after the area code: 02-2345-6789, 049-2345678, 02 2345 6789.
  /(?<![\d.])0\d{1,3}[-\s]\d{3,4}[-\s]?\d{4}(?!\d)/g,
  // International landline: +886-2-2345-6789, +886 49 2345678.
  /\+886[-\s]?\(?0?\d{1,3}\)?[-\s]?\d{3,4}[-\s]?\d{4}(?!\d)/g,
  // Landline without separators: 0223456789, 049234567.
  /(?<![\d.])0[2-8]\d{7,8}(?!\d)/g,
];

/**
 * Machine identifiers that legitimately contain letter+digit runs: W3C trace and span ids
 * (lowercase hex, also inside traceparent), UUIDs, content hashes. A match that lies wholly
 * inside one of these is not personal data. Only canonical lowercase hex qualifies, so an
 * ID number written the usual way (capital letter) is never excused.
 */
const MACHINE_IDENTIFIERS: readonly RegExp[] = [
  /(?<![0-9A-Za-z])[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(?![0-9A-Za-z])/g,
  /(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/g,
  /(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])[0-9a-f]{16,}(?![0-9A-Za-z])/g,
];

const ARABIC_NUMERAL = '0-9';
const CJK_NUMERAL = '一二三四五六七八九十百千〇零兩';

const CJK_ADDRESS_PATTERNS: readonly RegExp[] = [
  // 12號, 3巷, 5樓, 7鄰, 12之3號
  new RegExp(`[${ARABIC_NUMERAL}]+(?:\\s*之\\s*[${ARABIC_NUMERAL}]+)?\\s*(?:巷|弄|號|号|樓|楼|鄰|邻|衖)`),
  // 中山路二段, 民生東路3段
  new RegExp(`(?:路|街|道)\\s*[${ARABIC_NUMERAL}${CJK_NUMERAL}]+\\s*段`),
  // 中山路12, 段3, 巷5 (number after a street marker)
  new RegExp(`(?:路|街|段|巷|弄)\\s*[${ARABIC_NUMERAL}]+`),
  // 二段12號: Chinese numeral house numbers only right after a street marker, because
  // 一段 / 十號 alone are ordinary words ("a while", "the tenth").
  new RegExp(`(?:路|街|段|巷|弄)[${CJK_NUMERAL}]+(?:巷|弄|號|号|樓|楼)`),
  // City/county + district/township + a street-level marker: 臺北市大安區和平東路
  /[市縣县].{0,8}?[區鄉鎮区乡镇].{0,12}?[路街段巷弄號号樓楼村里鄰邻]/,
];

const ROAD_WORD = /\b(?:Rd|Road|St|Street|Ave|Avenue|Blvd|Boulevard|Ln|Lane|Aly|Alley|Sec|Section|Dist|District|Township|Village|Vil|City|County)\b/i;
const ENGLISH_ADDRESS_PATTERNS: readonly (readonly RegExp[])[] = [
  // "No. 12, Lane 3, Zhongshan Rd." — a house number plus any street-level word.
  [/\bNo\.?\s*\d+/i, ROAD_WORD],
  // "Lane 3, Zhongshan Rd."
  [/\b(?:Lane|Ln\.?|Alley|Aly\.?)\s*\d+/i, /\b(?:Rd|Road|St|Street|Ave|Avenue|Blvd|Boulevard|Sec|Section)\b/i],
  // "221B Baker Street", "12 Zhongshan Rd."
  [/\b\d+[A-Za-z]?(?:-\d+)?,?\s+(?:[A-Z][A-Za-z]*\.?\s+){1,3}(?:Rd|Road|St|Street|Ave|Avenue|Blvd|Boulevard|Dr|Drive|Lane|Ln|Way)\b/],
];

/**
 * Common Taiwanese surnames (well beyond the 100 most frequent), with simplified forms so
 * text typed on a simplified-Chinese input method is covered too.
 */
const SINGLE_SURNAMES = new Set(
  Array.from(
    '陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯溫薛丁馬蔣唐卓藍馮姚石董紀歐程連古汪湯姜田康鄒白涂尤巫韓龔嚴袁鐘黎金阮陸倪夏童邵柳錢' +
      '葛毛邢賀雷麥龍易甘萬闕凃粘饒刁鄔辛秦郝殷崔譚賈熊伍孔褚駱俞衛' +
      // Simplified forms.
      '陈黄张刘杨许郑谢赖叶苏庄吕萧罗简钟卢赵颜孙邓蒋蓝冯纪欧连汤邹韩龚严钟陆钱贺麦龙万阙饶邬谭贾骆卫',
  ),
);
const COMPOUND_SURNAMES: readonly string[] = ['歐陽', '司馬', '張簡', '范姜', '張廖', '諸葛', '上官', '司徒', '夏侯', '皇甫', '公孫', '欧阳', '诸葛'];

/**
 * Words and place names that begin with a surname character but are not names. Matched as
 * a prefix of a 2–4 character Han run. Extend this list when a legitimate short label is
 * being dropped; never add anything that could also be a given name.
 */
const NON_NAME_PREFIXES: readonly string[] = [
  // Risk levels and signals used across agencies.
  '高風險', '高危', '黃燈',
  // Places.
  '高雄', '金門', '連江', '馬祖', '林口', '石門', '田中', '楊梅', '羅東', '蘇澳', '馬公', '白沙', '卓蘭', '古坑',
  // Common words.
  '高中', '高職', '高等', '高級', '高度', '金額', '金錢', '連結', '連線', '連續', '連絡', '馬上', '許可', '許多',
  '簡訊', '簡易', '簡單', '程序', '程式', '程度', '紀錄', '方案', '方式', '方法', '方面', '方向', '方便', '嚴重',
  '嚴格', '周末', '周邊', '陳述', '謝謝', '曾經', '施暴', '何時', '顏色', '白天', '夏天', '童年', '韓國', '歐洲',
  '溫度', '康復', '尤其', '萬一', '龍頭',
];

/** Han runs ending like this are places or organisations (高雄市, 林口區, 金門縣, 社會局). */
const NON_NAME_SUFFIXES: readonly string[] = [
  '市', '縣', '區', '鄉', '鎮', '局', '處', '署', '部', '院', '所', '校', '隊', '站', '科', '組', '課', '會', '室', '廳', '府', '司', '中心',
];

/** Any string with this many Han characters is treated as narrative free text. */
const FREE_TEXT_MIN_HAN = 5;

// A Han run; a middle dot between Han characters joins transliterated indigenous names (瓦歷斯·諾幹).
const HAN_RUN = /\p{Script=Han}(?:\p{Script=Han}|[·‧・•](?=\p{Script=Han}))*/gu;
const HAN_CHAR = /\p{Script=Han}/gu;
const NAME_DOTS = /[·‧・•]/g;

// Invisible characters that would otherwise split a number past the patterns.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

interface Range {
  readonly start: number;
  readonly end: number;
  readonly kind: PersonalDataKind;
}

function matchesOf(pattern: RegExp, text: string, kind: PersonalDataKind): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(pattern)) {
    const start = m.index ?? 0;
    out.push({ start, end: start + m[0].length, kind });
  }
  return out;
}

function machineIdentifierRanges(text: string): Range[] {
  return MACHINE_IDENTIFIERS.flatMap((p) => matchesOf(p, text, 'national-id'));
}

function notExcused(matches: Range[], excused: readonly Range[]): Range[] {
  if (excused.length === 0) return matches;
  return matches.filter((m) => !excused.some((e) => e.start <= m.start && m.end <= e.end));
}

/** Matches of the token-shaped kinds (ID number, e-mail, phone), not excused as machine ids. */
function tokenMatches(text: string): Range[] {
  const excused = machineIdentifierRanges(text);
  return [
    ...notExcused(matchesOf(NATIONAL_ID, text, 'national-id'), excused),
    ...matchesOf(EMAIL, text, 'email'),
    ...notExcused(
      PHONE_PATTERNS.flatMap((p) => matchesOf(p, text, 'phone')),
      excused,
    ),
  ];
}

function isAddress(text: string): boolean {
  if (CJK_ADDRESS_PATTERNS.some((p) => p.test(text))) return true;
  return ENGLISH_ADDRESS_PATTERNS.some((all) => all.every((p) => p.test(text)));
}

function looksLikeName(run: string): boolean {
  const han = run.replace(NAME_DOTS, '');
  const length = Array.from(han).length;
  if (length < 2 || length > 4) return false;
  const first = Array.from(han)[0] ?? '';
  const surname = SINGLE_SURNAMES.has(first) || COMPOUND_SURNAMES.some((s) => han.startsWith(s));
  if (!surname) return false;
  if (NON_NAME_PREFIXES.some((p) => han.startsWith(p))) return false;
  if (NON_NAME_SUFFIXES.some((s) => han.endsWith(s))) return false;
  return true;
}

function hanCount(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(HAN_CHAR)) n++;
  return n;
}

function kindIn(text: string): PersonalDataKind | undefined {
  const tokens = tokenMatches(text);
  for (const kind of ['national-id', 'email', 'phone'] as const) {
    if (tokens.some((t) => t.kind === kind)) return kind;
  }
  if (isAddress(text)) return 'address';
  for (const m of text.matchAll(HAN_RUN)) {
    if (looksLikeName(m[0])) return 'person-name';
  }
  if (hanCount(text) >= FREE_TEXT_MIN_HAN) return 'free-text';
  return undefined;
}

function normalise(value: string): string {
  return value.replace(INVISIBLE, '').normalize('NFKC');
}

/**
 * The first kind of personal data found in `value`, or undefined. Full-width characters
 * (０９１２…, Ａ１２３…) and invisible separators are normalised away before matching.
 */
export function findPersonalData(value: string): PersonalDataKind | undefined {
  if (value.length === 0) return undefined;
  const visible = value.replace(INVISIBLE, '');
  const normalised = visible.normalize('NFKC');
  return kindIn(normalised) ?? (normalised === visible ? undefined : kindIn(visible));
}

export function containsPersonalData(value: string): boolean {
  return findPersonalData(value) !== undefined;
}

/**
 * `value` with ID numbers, e-mail addresses and phone numbers replaced in place by
 * `[redacted:<kind>]`, so messages stay readable. If anything else remains (an address,
 * a name, narrative text) the whole string is replaced.
 */
export function maskPersonalData(value: string): string {
  const kind = findPersonalData(value);
  if (kind === undefined) return value;
  const text = normalise(value);
  const matches = tokenMatches(text).sort((a, b) => a.start - b.start || b.end - a.end);
  if (matches.length === 0) return redactionMarker(kind);
  let out = '';
  let cursor = 0;
  for (const m of matches) {
    if (m.start < cursor) continue;
    out += text.slice(cursor, m.start) + redactionMarker(m.kind);
    cursor = m.end;
  }
  out += text.slice(cursor);
  const rest = findPersonalData(out);
  return rest === undefined ? out : redactionMarker(rest);
}

// ---------------------------------------------------------------------------------------
// Key rules
// ---------------------------------------------------------------------------------------

/**
 * OpenTelemetry semantic-convention namespaces. Their keys name technical facts
 * (`messaging.destination.name`, `db.name`, `service.name`), so the key alone never drops
 * them; their values are still scanned.
 */
const SEMCONV_NAMESPACES = new Set([
  'messaging', 'rpc', 'http', 'net', 'network', 'server', 'client', 'url', 'db', 'code', 'exception', 'error',
  'service', 'host', 'process', 'telemetry', 'otel', 'thread', 'user_agent', 'nestjs', 'peer', 'k8s', 'container',
  'cloud', 'os', 'deployment', 'faas', 'event', 'span', 'trace', 'grpc', 'kafka', 'redis', 'pg', 'dns', 'tls',
]);

/** Whole last segment, lower-cased with separators removed. */
const PERSONAL_SEGMENTS = new Set([
  'name', 'fullname', 'firstname', 'lastname', 'givenname', 'familyname', 'surname', 'nickname', 'displayname',
  'username', 'realname', 'nationalid', 'idnumber', 'idno', 'idnum', 'uid', 'phone', 'phonenumber', 'phoneno',
  'mobile', 'mobilephone', 'mobileno', 'cellphone', 'tel', 'telephone', 'telno', 'email', 'emailaddress', 'mail',
  'address', 'addr', 'street', 'streetaddress', 'birthdate', 'birthday', 'dob', 'dateofbirth', 'narrative',
  'description', 'note', 'notes', 'freetext', 'comment', 'comments', 'summary', 'diagnosis', 'diagnoses',
]);

/** Word sequences that name personal data at the end of a segment (`subject_national_id`). */
const PERSONAL_SUFFIXES: readonly (readonly string[])[] = [
  ['national', 'id'], ['id', 'number'], ['id', 'no'], ['id', 'num'], ['birth', 'date'], ['date', 'of', 'birth'],
  ['free', 'text'], ['phone', 'number'], ['phone', 'no'], ['tel', 'no'], ['e', 'mail'],
];

/** Words that make a key personal wherever they appear in its last segment. */
const PERSONAL_WORDS = new Set([
  'name', 'names', 'fullname', 'firstname', 'lastname', 'surname', 'nickname', 'username', 'uid', 'phone', 'mobile',
  'tel', 'telephone', 'email', 'address', 'addr', 'street', 'birth', 'birthday', 'birthdate', 'dob', 'narrative',
  'description', 'note', 'notes', 'comment', 'comments', 'summary', 'diagnosis', 'diagnoses', 'nationalid',
]);

/** A last word that says the value is a reference or a measure, not the data itself. */
const SAFE_LAST_WORDS = new Set([
  'pseudonym', 'pseudonyms', 'id', 'ids', 'type', 'types', 'kind', 'count', 'length', 'size', 'version', 'code',
  'status', 'present', 'redacted', 'format', 'schema', 'topic', 'system', 'category', 'categories',
]);

/** `<entity>_name`: the name of a thing, not of a person. */
const THING_WORDS = new Set([
  'service', 'topic', 'destination', 'agency', 'queue', 'host', 'db', 'database', 'table', 'collection', 'operation',
  'method', 'function', 'span', 'event', 'file', 'schema', 'consumer', 'producer', 'group', 'app', 'application',
  'module', 'controller', 'route', 'handler', 'system', 'scope', 'library', 'instrumentation', 'key', 'field',
  'attribute', 'unit', 'org', 'organization', 'organisation', 'job', 'task', 'step', 'class', 'exception', 'error',
  'metric', 'index', 'bucket', 'region', 'zone', 'cluster', 'node', 'pod', 'container', 'image', 'command', 'env',
  'environment', 'feature', 'flag', 'header', 'param', 'parameter', 'property', 'channel', 'stream', 'lock', 'role',
  'permission', 'policy', 'rule', 'template', 'form', 'report', 'document', 'township', 'district', 'county', 'city',
]);

/** `<network thing>_address`: a socket address, not a home. */
const NETWORK_WORDS = new Set([
  'ip', 'peer', 'server', 'client', 'host', 'mac', 'socket', 'remote', 'local', 'network', 'net', 'bind', 'listen',
  'broker', 'bootstrap', 'proxy', 'gateway', 'endpoint', 'memory', 'wallet',
]);

/** Chinese field names (姓名, 身分證字號, 電話, 地址, …). */
const CJK_KEY_FRAGMENTS: readonly string[] = [
  '姓名', '名字', '身分證', '身份證', '統一編號', '證號', '電話', '手機', '地址', '住址', '戶籍', '生日', '出生',
  '備註', '描述', '敘述', '摘要', '診斷', '信箱', '郵件',
];

function words(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-:/]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

function endsWith(list: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > list.length) return false;
  const offset = list.length - suffix.length;
  return suffix.every((w, i) => list[offset + i] === w);
}

/**
 * True when a key (attribute name, log field, property) names personal data, judged by its
 * last `.` segment split on `_`, `-` and camelCase: `fullName`, `weave.subject_national_id`,
 * `phone_number`. Semantic-convention keys (`messaging.*`, `rpc.*`, `http.*`, `db.*`, …)
 * and references (`*_pseudonym`, `event_id`, `trace_id`) are not; `weave.*` keys are
 * judged like any other key.
 */
export function isPersonalDataKey(key: string): boolean {
  const trimmed = key.trim();
  if (trimmed.length === 0) return false;
  if (CJK_KEY_FRAGMENTS.some((f) => trimmed.includes(f))) return true;
  const segments = trimmed.split('.');
  if (segments.length > 1 && SEMCONV_NAMESPACES.has((segments[0] ?? '').toLowerCase())) return false;
  const last = segments[segments.length - 1] ?? '';
  const list = words(last);
  if (list.length === 0) return false;
  if (PERSONAL_SEGMENTS.has(list.join(''))) return true;
  if (PERSONAL_SUFFIXES.some((s) => endsWith(list, s))) return true;
  if (SAFE_LAST_WORDS.has(list[list.length - 1] ?? '')) return false;
  return list.some((w, i) => {
    if (!PERSONAL_WORDS.has(w)) return false;
    const before = i > 0 ? (list[i - 1] ?? '') : '';
    if ((w === 'name' || w === 'names') && THING_WORDS.has(before)) return false;
    if ((w === 'address' || w === 'addr') && NETWORK_WORDS.has(before)) return false;
    return true;
  });
}

// ---------------------------------------------------------------------------------------
// Deep redaction
// ---------------------------------------------------------------------------------------

const MAX_DEPTH = 32;

function redactString(value: string): string {
  const kind = findPersonalData(value);
  return kind === undefined ? value : redactionMarker(kind);
}

function isDroppedKey(key: string): boolean {
  return isPersonalDataKey(key) || findPersonalData(key) !== undefined;
}

function binary(value: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): string {
  return `[binary ${value.byteLength} bytes]`;
}

function readProperty(source: object, key: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: (source as Record<string, unknown>)[key] };
  } catch {
    return { ok: false };
  }
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function redactError(error: Error, ancestors: Set<object>, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object | null) as Error;
  const message = typeof error.message === 'string' ? error.message : '';
  const maskedMessage = maskPersonalData(message);
  const stack = typeof error.stack === 'string' ? error.stack : undefined;
  // The stack repeats the message; mask it there first so the frames survive.
  const maskedStack =
    stack === undefined
      ? undefined
      : maskPersonalData(message.length > 0 ? stack.split(message).join(maskedMessage) : stack);
  const hidden = { writable: true, configurable: true, enumerable: false };
  Object.defineProperty(copy, 'message', { ...hidden, value: maskedMessage });
  if (maskedStack !== undefined) Object.defineProperty(copy, 'stack', { ...hidden, value: maskedStack });
  if (Object.prototype.hasOwnProperty.call(error, 'name') || error.name !== 'Error') {
    Object.defineProperty(copy, 'name', { ...hidden, value: maskPersonalData(String(error.name)) });
  }
  if ('cause' in error && error.cause !== undefined) {
    Object.defineProperty(copy, 'cause', { ...hidden, value: redactValue(error.cause, ancestors, depth + 1) });
  }
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    Object.defineProperty(copy, 'errors', { ...hidden, value: redactValue(error.errors, ancestors, depth + 1) });
  }
  for (const key of Object.keys(error)) {
    if (key === 'message' || key === 'stack' || key === 'name' || key === 'cause' || isDroppedKey(key)) continue;
    const read = readProperty(error, key);
    if (read.ok) define(copy, key, redactValue(read.value, ancestors, depth + 1));
  }
  return copy;
}

function hasToJson(value: object): value is { toJSON: () => unknown } {
  const candidate = readProperty(value, 'toJSON');
  return candidate.ok && typeof candidate.value === 'function';
}

function redactValue(value: unknown, ancestors: Set<object>, depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[circular]';
  if (depth > MAX_DEPTH) return '[truncated]';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    return binary(value);
  }
  if (value instanceof Date) return new Date(value.getTime());
  ancestors.add(value);
  try {
    if (value instanceof Error) return redactError(value, ancestors, depth);
    if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, ancestors, depth + 1));
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value as Map<unknown, unknown>) {
        if (typeof k === 'string' && isDroppedKey(k)) continue;
        out.set(redactValue(k, ancestors, depth + 1), redactValue(v, ancestors, depth + 1));
      }
      return out;
    }
    if (value instanceof Set) {
      return new Set(Array.from(value as Set<unknown>, (v) => redactValue(v, ancestors, depth + 1)));
    }
    // What JSON.stringify (and so the log line) would have written.
    if (hasToJson(value)) return redactValue(value.toJSON(), ancestors, depth + 1);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (isDroppedKey(key)) continue;
      const read = readProperty(value, key);
      // defineProperty, not assignment: a `__proto__` key must stay data, not become a prototype.
      if (read.ok) define(out, key, redactValue(read.value, ancestors, depth + 1));
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * Deep copy of `value` without personal data: properties whose key names personal data are
 * removed, strings containing personal data become `[redacted:<kind>]`, Error messages and
 * stacks are masked in place, buffers become `[binary n bytes]`, cycles `[circular]`.
 * Never throws.
 */
export function redactPersonalData<T>(value: T): T {
  try {
    return redactValue(value, new Set<object>(), 0) as T;
  } catch {
    return '[redaction failed]' as unknown as T;
  }
}

// ---------------------------------------------------------------------------------------
// Span attributes
// ---------------------------------------------------------------------------------------

function attributeValueHasPersonalData(value: AttributeValue): boolean {
  if (typeof value === 'string') return findPersonalData(value) !== undefined;
  if (Array.isArray(value)) {
    return value.some((item) => typeof item === 'string' && findPersonalData(item) !== undefined);
  }
  return false;
}

/**
 * Attributes without personal data. Unlike log redaction this DROPS the attribute: a
 * `[redacted]` placeholder in a trace backend still tells a reader which field held what.
 */
export function filterSpanAttributes(attrs: Attributes): { attributes: Attributes; dropped: number } {
  const attributes: Attributes = {};
  let dropped = 0;
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (value === undefined) continue;
    if (isDroppedKey(key) || attributeValueHasPersonalData(value)) {
      dropped++;
      continue;
    }
    attributes[key] = value;
  }
  return { attributes, dropped };
}
