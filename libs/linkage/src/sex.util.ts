/** Sex as reporters write it: F/M, 女/男, female/male; 0 unknown, 1 female, 2 male (compact for the index). */
export type SexCode = 0 | 1 | 2;

export function normaliseSex(raw: string | undefined): SexCode {
  if (raw === undefined) return 0;
  const v = raw.trim().toUpperCase();
  if (v === 'F' || v === '女' || v === 'FEMALE' || v === 'Ｆ') return 1;
  if (v === 'M' || v === '男' || v === 'MALE' || v === 'Ｍ') return 2;
  return 0;
}

export function sexLabel(code: SexCode): 'F' | 'M' | undefined {
  return code === 1 ? 'F' : code === 2 ? 'M' : undefined;
}
