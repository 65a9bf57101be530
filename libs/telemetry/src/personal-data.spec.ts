import * as fc from 'fast-check';
import {
  filterSpanAttributes,
  findPersonalData,
  isPersonalDataKey,
  maskPersonalData,
  redactPersonalData,
  type PersonalDataKind,
} from './personal-data';

const positives: readonly (readonly [string, PersonalDataKind])[] = [
  // National ID and resident certificate numbers.
  ['A123456789', 'national-id'],
  ['a223456789', 'national-id'],
  ['F800000001', 'national-id'],
  ['Z900000002', 'national-id'],
  ['FA12345678', 'national-id'],
  ['HD12345678', 'national-id'],
  ['subject A123456789 recorded', 'national-id'],
  ['身分證A123456789', 'national-id'],
  ['id=A123456789;', 'national-id'],
  ['xA1234567890', 'national-id'],
  ['Ａ１２３４５６７８９', 'national-id'],
  ['A12345\u200B6789', 'national-id'],
  ['/cases/by-id/B287654321', 'national-id'],
  // Phone numbers.
  ['0912-345-678', 'phone'],
  ['0912345678', 'phone'],
  ['0912 345 678', 'phone'],
  ['0912-345678', 'phone'],
  ['+886 912 345 678', 'phone'],
  ['+886-912-345-678', 'phone'],
  ['+886912345678', 'phone'],
  ['(049)2345678', 'phone'],
  ['（０４９）２３４５６７８', 'phone'],
  ['049-2345678', 'phone'],
  ['02-2345-6789', 'phone'],
  ['(02)2345-6789', 'phone'],
  ['02 2345 6789', 'phone'],
  ['+886-2-2345-6789', 'phone'],
  ['0223456789', 'phone'],
  ['call me at 0987654321 tonight', 'phone'],
  ['電話:0912345678', 'phone'],
  // E-mail.
  ['wang.xiaoming@example.com.tw', 'email'],
  ['contact: a.b+c@gov.tw', 'email'],
  // Addresses.
  ['南投縣埔里鎮中山路二段12號', 'address'],
  ['中山路12號', 'address'],
  ['民生東路3段', 'address'],
  ['和平東路二段', 'address'],
  ['5樓', 'address'],
  ['12之3號', 'address'],
  ['7鄰', 'address'],
  ['臺北市大安區和平東路', 'address'],
  ['No. 12, Lane 3, Zhongshan Rd.', 'address'],
  ['5F., No. 7, Sec. 2, Minsheng E. Rd., Taipei City', 'address'],
  ['Lane 3, Zhongshan Rd.', 'address'],
  ['221B Baker Street', 'address'],
  ['12 Zhongshan Rd.', 'address'],
  // Names.
  ['王小明', 'person-name'],
  ['歐陽娜娜', 'person-name'],
  ['司馬光', 'person-name'],
  ['張簡美玲', 'person-name'],
  ['林先生', 'person-name'],
  ['陈小明', 'person-name'],
  ['contact 李大華 at the office', 'person-name'],
  ['王小明 1990-01-01', 'person-name'],
  // Free text.
  ['案主表示昨晚與先生發生爭執', 'free-text'],
  ['案主王小明', 'free-text'],
  ['瓦歷斯·諾幹', 'free-text'],
  ['社福 中心 通報', 'free-text'],
];

const negatives: readonly string[] = [
  '',
  '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  '4bf92f3577b34da6a3ce929d0e0e4736',
  '00f067aa0ba902b7',
  'a1234567890123456789abcdef012345',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'weave.ingress.police.v1',
  'police.incident.recorded.v1',
  'p1_7KQ2M4N8XW3E5R6T',
  'p1_abcdefghijklmnopqrstuvwxyz',
  'f1_234567abcdefghijklmnopqrs',
  '2024-05-01T02:23:45.678Z',
  '2024-09-12',
  '1716949200123456789',
  '0.0912345678',
  '12345',
  '10008010',
  'GET /health',
  'GET',
  '/weave.police.v1.PoliceAdapterService/RecordIncident',
  'weave.police.v1.PoliceAdapterService',
  'SELECT * FROM cases WHERE subject_pseudonym = $1',
  'kafka:9092',
  '10.0.2.15:9092',
  'http://localhost:4318/v1/traces',
  '@opentelemetry/api',
  'pino@9.9.0',
  'v1.2.3',
  'timeout after 5 sec',
  'Street View',
  'No. 5',
  // Short CJK labels that are allowed (see README).
  '南投',
  '社福中心',
  '紅燈',
  '黃燈',
  '綠燈',
  '高風險',
  '中風險',
  '家暴',
  '兒少',
  '高雄市',
  '林口區',
  '金門縣',
  '社會局',
  '一段時間',
  '王',
];

describe('findPersonalData', () => {
  it.each(positives)('flags %j as %s', (value, kind) => {
    expect(findPersonalData(value)).toBe(kind);
  });

  it.each(negatives.map((v) => [v]))('does not flag %j', (value) => {
    expect(findPersonalData(value)).toBeUndefined();
  });

  it('excuses only canonical lowercase machine ids, never a capitalised ID number inside one', () => {
    expect(findPersonalData('4bf92f3577b34da6A123456789e0e4736')).toBe('national-id');
    expect(findPersonalData('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 A123456789')).toBe('national-id');
  });
});

describe('maskPersonalData', () => {
  it('masks ID numbers, phones and e-mails in place', () => {
    expect(maskPersonalData('lookup failed for A123456789 (0912-345-678, x@y.tw)')).toBe(
      'lookup failed for [redacted:national-id] ([redacted:phone], [redacted:email])',
    );
  });

  it('replaces the whole text when a name, address or narrative remains', () => {
    expect(maskPersonalData('subject 王小明 not found')).toBe('[redacted:person-name]');
    expect(maskPersonalData('moved to 中山路12號')).toBe('[redacted:address]');
    expect(maskPersonalData('A123456789 案主表示昨晚與先生發生爭執')).toBe('[redacted:free-text]');
  });

  it('leaves clean text alone', () => {
    expect(maskPersonalData('published police.incident.recorded.v1')).toBe('published police.incident.recorded.v1');
  });
});

describe('isPersonalDataKey', () => {
  it.each([
    'name', 'fullName', 'firstName', 'lastName', 'full_name', 'nationalId', 'national_id', 'nationalID', 'idNumber',
    'id_no', 'uid', 'phone', 'phoneNumber', 'phone_number', 'mobile', 'tel', 'email', 'e-mail', 'emailAddress',
    'address', 'homeAddress', 'addr', 'street', 'birthDate', 'birth_date', 'birthday', 'dob', 'dateOfBirth',
    'narrative', 'description', 'note', 'notes', 'freeText', 'free_text', 'comment', 'summary', 'diagnosis',
    'weave.subject_national_id', 'weave.subject_name', 'weave.reporter.phone', 'subject.name', 'caseWorkerName',
    'guardian-name', 'USER_EMAIL', '姓名', '身分證字號', 'subject.電話',
  ])('%s names personal data', (key) => {
    expect(isPersonalDataKey(key)).toBe(true);
  });

  it.each([
    '', 'pseudonym', 'subject_pseudonym', 'weave.subject_pseudonym', 'name_pseudonym', 'event_id', 'trace_id',
    'span_id', 'messaging.destination.name', 'messaging.kafka.message.key', 'rpc.method', 'rpc.service',
    'http.route', 'http.request.method', 'net.peer.name', 'server.address', 'client.address', 'url.path',
    'url.full', 'db.name', 'db.statement', 'service.name', 'code.function.name', 'exception.message',
    'weave.event_type', 'weave.event_id', 'weave.source_agency_system', 'weave.redacted_attribute_count',
    'agencyName', 'topic_name', 'ip_address', 'hotel', 'telemetry', 'notification', 'address_id', 'name_count',
    'component', 'status',
  ])('%j does not', (key) => {
    expect(isPersonalDataKey(key)).toBe(false);
  });
});

describe('redactPersonalData', () => {
  it('removes personal keys and replaces personal strings, deeply', () => {
    const input = {
      nationalId: 'A123456789',
      note: 'x',
      eventType: 'police.incident.recorded.v1',
      nested: { list: ['ok', 'call 0912345678', { fullName: '王小明', count: 3 }], when: new Date(0) },
    };
    expect(redactPersonalData(input)).toEqual({
      eventType: 'police.incident.recorded.v1',
      nested: { list: ['ok', '[redacted:phone]', { count: 3 }], when: new Date(0) },
    });
    expect(input.nationalId).toBe('A123456789');
  });

  it('drops properties whose key is itself personal data', () => {
    expect(redactPersonalData({ A123456789: { status: 'open' }, other: 1 })).toEqual({ other: 1 });
  });

  it('masks Error messages and stacks but keeps the error usable', () => {
    const error = new TypeError('no case for A123456789');
    (error as TypeError & { code?: string }).code = 'E_NOT_FOUND';
    const copy = redactPersonalData(error);
    expect(copy).toBeInstanceOf(TypeError);
    expect(copy.message).toBe('no case for [redacted:national-id]');
    expect(copy.stack).toContain('TypeError: no case for [redacted:national-id]');
    expect(copy.stack).not.toContain('A123456789');
    expect((copy as TypeError & { code?: string }).code).toBe('E_NOT_FOUND');
  });

  it('redacts an error cause', () => {
    const error = new Error('outer', { cause: new Error('inner 0912345678') });
    const copy = redactPersonalData(error);
    expect((copy.cause as Error).message).toBe('inner [redacted:phone]');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'x', label: 'ok' };
    a['self'] = a;
    a['list'] = [a];
    expect(redactPersonalData(a)).toEqual({ label: 'ok', self: '[circular]', list: ['[circular]'] });
  });

  it('copies a value referenced twice (not a cycle) twice', () => {
    const shared = { label: 'ok' };
    expect(redactPersonalData({ a: shared, b: shared })).toEqual({ a: { label: 'ok' }, b: { label: 'ok' } });
  });

  it('summarises binary data', () => {
    expect(redactPersonalData({ payload: Buffer.from('A123456789') })).toEqual({ payload: '[binary 10 bytes]' });
    expect(redactPersonalData(new Uint8Array(4))).toBe('[binary 4 bytes]');
  });

  it('handles Maps, Sets and toJSON', () => {
    const map = new Map<string, unknown>([
      ['phone', '0912345678'],
      ['state', 'open'],
    ]);
    expect(redactPersonalData(map)).toEqual(new Map([['state', 'open']]));
    expect(redactPersonalData(new Set(['A123456789', 'ok']))).toEqual(new Set(['[redacted:national-id]', 'ok']));
    expect(redactPersonalData({ v: { toJSON: () => ({ email: 'a@b.tw', n: 1 }) } })).toEqual({ v: { n: 1 } });
  });

  it('passes primitives through and never throws', () => {
    expect(redactPersonalData(42)).toBe(42);
    expect(redactPersonalData(null)).toBeNull();
    expect(redactPersonalData(undefined)).toBeUndefined();
    expect(redactPersonalData('A123456789')).toBe('[redacted:national-id]');
    const hostile = {
      get boom(): string {
        throw new Error('getter');
      },
      fine: 'yes',
    };
    expect(redactPersonalData(hostile)).toEqual({ fine: 'yes' });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(() => redactPersonalData({ p: revoked.proxy })).not.toThrow();
  });

  it('stops at a depth limit', () => {
    let deep: Record<string, unknown> = { leaf: 'ok' };
    for (let i = 0; i < 100; i++) deep = { child: deep };
    expect(JSON.stringify(redactPersonalData(deep))).toContain('[truncated]');
  });
});

describe('filterSpanAttributes', () => {
  it('drops personal keys and personal values, keeps the rest', () => {
    const { attributes, dropped } = filterSpanAttributes({
      'weave.subject_national_id': 'A123456789',
      'db.statement': "SELECT * FROM people WHERE phone = '0912345678'",
      'weave.tags': ['ok', 'A123456789'],
      'weave.event_type': 'police.incident.recorded.v1',
      'messaging.destination.name': 'weave.ingress.police.v1',
      'http.response.status_code': 200,
      'weave.flag': true,
      'weave.labels': ['a', 'b'],
    });
    expect(attributes).toEqual({
      'weave.event_type': 'police.incident.recorded.v1',
      'messaging.destination.name': 'weave.ingress.police.v1',
      'http.response.status_code': 200,
      'weave.flag': true,
      'weave.labels': ['a', 'b'],
    });
    expect(dropped).toBe(3);
  });

  it('scans url.path values although the key is safe', () => {
    expect(filterSpanAttributes({ 'url.path': '/subjects/A123456789' })).toEqual({ attributes: {}, dropped: 1 });
  });
});

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** ID numbers as printed on cards: capital letter, 1/2/8/9/A-D, eight digits. */
const nationalId = fc
  .tuple(
    fc.constantFrom(...LETTERS),
    fc.constantFrom('1', '2', '8', '9', 'A', 'B', 'C', 'D'),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }),
  )
  .map(([letter, second, digits]) => `${letter}${second}${digits.join('')}`);

const text = fc.string({ unit: fc.constantFrom(...'abcxyz019 -_./:@#漢字的人ＡＢ１２\u200B'.split('')), maxLength: 12 });
const anyText = fc.oneof(text, fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }));

/** A string with `id` somewhere in it. */
const embedded = (id: string): fc.Arbitrary<string> => fc.tuple(anyText, anyText).map(([a, b]) => `${a}${id}${b}`);

const key = fc.oneof(fc.constantFrom('status', 'weave.event_type', 'list', 'meta', 'url.path', 'x'), fc.string({ maxLength: 8 }));

/** A random JSON-ish value with the ID embedded in strings, keys and array elements. */
const valueWith = (id: string): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      embedded(id),
      anyText,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(key, embedded(id)), tie('value'), { maxKeys: 4 }),
      embedded(id).map((m) => new Error(m)),
    ),
  })).value;

describe('properties', () => {
  it('redactPersonalData output never contains an embedded ID number', () => {
    fc.assert(
      fc.property(
        nationalId.chain((id) => fc.tuple(fc.constant(id), valueWith(id))),
        ([id, value]) => {
          const out = redactPersonalData({ root: value, also: [value] });
          const serialised = JSON.stringify(out, (_k, v: unknown) =>
            v instanceof Error ? { message: v.message, stack: v.stack } : v,
          );
          expect(serialised).not.toContain(id);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('filterSpanAttributes output never contains an embedded ID number', () => {
    const attributeValue = (id: string): fc.Arbitrary<string | number | boolean | string[]> =>
      fc.oneof(embedded(id), anyText, fc.integer(), fc.boolean(), fc.array(fc.oneof(anyText, embedded(id)), { maxLength: 4 }));
    fc.assert(
      fc.property(
        nationalId.chain((id) =>
          fc.tuple(fc.constant(id), fc.dictionary(fc.oneof(key, embedded(id)), attributeValue(id), { maxKeys: 6 })),
        ),
        ([id, attrs]) => {
          const { attributes, dropped } = filterSpanAttributes(attrs);
          expect(JSON.stringify(attributes)).not.toContain(id);
          expect(Object.keys(attributes).length + dropped).toBe(Object.keys(attrs).length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every generated ID number is detected on its own and inside text', () => {
    fc.assert(
      fc.property(nationalId, anyText, anyText, (id, a, b) => {
        expect(findPersonalData(id)).toBe('national-id');
        expect(findPersonalData(`${a}${id}${b}`)).toBeDefined();
      }),
    );
  });

  it('every generated mobile number is detected in any common format', () => {
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }).map((d) => d.join(''));
    fc.assert(
      fc.property(digits, fc.constantFrom('', '-', ' '), (d, sep) => {
        const local = `09${d.slice(0, 2)}${sep}${d.slice(2, 5)}${sep}${d.slice(5)}`;
        expect(findPersonalData(local)).toBe('phone');
        expect(findPersonalData(`+886 9${d.slice(0, 2)}${sep}${d.slice(2, 5)}${sep}${d.slice(5)}`)).toBe('phone');
      }),
    );
  });

  it('trace ids, span ids and UUIDs are never flagged', () => {
    const hex = (n: number): fc.Arbitrary<string> =>
      fc.array(fc.constantFrom(...'0123456789abcdef'.split('')), { minLength: n, maxLength: n }).map((c) => c.join(''));
    fc.assert(
      fc.property(hex(32), hex(16), fc.uuid(), (traceId, spanId, uuid) => {
        expect(findPersonalData(traceId)).toBeUndefined();
        expect(findPersonalData(spanId)).toBeUndefined();
        expect(findPersonalData(`00-${traceId}-${spanId}-01`)).toBeUndefined();
        expect(findPersonalData(uuid)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
