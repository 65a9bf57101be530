import { normaliseSex, sexLabel } from './sex.util';

describe('normaliseSex', () => {
  it.each([
    ['F', 1], ['f', 1], ['女', 1], ['female', 1], ['M', 2], ['男', 2], [' male ', 2], ['?', 0], [undefined, 0],
  ] as const)('reads %s as %i', (raw, code) => {
    expect(normaliseSex(raw)).toBe(code);
  });

  it('labels codes', () => {
    expect(sexLabel(1)).toBe('F');
    expect(sexLabel(2)).toBe('M');
    expect(sexLabel(0)).toBeUndefined();
  });
});
