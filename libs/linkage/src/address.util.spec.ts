import { normaliseAddress } from './address.util';

describe('normaliseAddress', () => {
  it('extracts township, road, lane, alley and number, dropping county, village, 鄰 and floor', () => {
    const a = normaliseAddress('南投縣南投市三和里民族路123巷4弄5號7樓');
    expect(a).toMatchObject({ township: '南投市', village: '三和里', road: '民族路', lane: 123, alley: 4, number: '5' });
    expect(a?.key).toBe('南投市|民族路|123|4|5');
    expect(normaliseAddress('南投縣鹿谷鄉坪頂村9鄰中正路30號')?.key).toBe('鹿谷鄉|中正路|0|0|30');
  });

  it('gives the same key for full-width digits, 台/臺, spaces, missing county and village, and floors', () => {
    const key = normaliseAddress('臺中市南屯區大業路12號')?.key;
    expect(normaliseAddress('台中市 南屯區 大業路１２號 3樓')?.key).toBe(key);
    expect(normaliseAddress('南屯區大業路12號')?.key).toBe(key);
  });

  it('reads road sections written with digits or Chinese numerals alike', () => {
    expect(normaliseAddress('草屯鎮中正路2段100號')?.key).toBe(normaliseAddress('草屯鎮中正路二段100號')?.key);
  });

  it('keeps a sub-number (之) in either position', () => {
    expect(normaliseAddress('埔里鎮中山路12之1號')?.number).toBe('12-1');
    expect(normaliseAddress('埔里鎮中山路12號之1')?.number).toBe('12-1');
  });

  it('gives a road key shared by neighbours', () => {
    expect(normaliseAddress('埔里鎮中山路12號')?.roadKey).toBe(normaliseAddress('埔里鎮中山路40號')?.roadKey);
  });

  it('is undefined for a missing address and has an empty key when nothing is recognisable', () => {
    expect(normaliseAddress(undefined)).toBeUndefined();
    expect(normaliseAddress('  ')).toBeUndefined();
    expect(normaliseAddress('南投市附近')?.key).toBe('');
  });
});
