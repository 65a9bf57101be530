import { parseNationalPlatformReport } from './intake-report';

const at = new Date('2026-11-23T08:00:00Z');
const valid = {
  reference: 'web-1',
  channel: 'public-online',
  reporter: { type: 'neighbour', responsible: false },
  category: 'vulnerable-family',
  location: { townshipCode: '10008020' },
  persons: [{ role: 'reported-person', name: '林美惠', nationalId: 'A123456789', birthDate: '074/03/12' }],
  narrative: '家中經濟困難',
};

describe('parseNationalPlatformReport', () => {
  it('turns a valid report into an intake report keyed by channel and reference', () => {
    const parsed = parseNationalPlatformReport(valid, at);
    expect('report' in parsed && parsed.report).toMatchObject({ reportId: 'public-online:web-1', channel: 'public-online', townshipCode: '10008020', occurredAt: at, receivedAt: at });
  });

  it.each([
    [{ ...valid, category: 'other' }, 'category', 'expected one of'],
    [{ ...valid, location: { townshipCode: '100' } }, 'location.townshipCode', 'an 8-digit township code'],
    [{ ...valid, persons: [] }, 'persons', 'at least 1 item(s)'],
    [{ ...valid, persons: [{ role: 'child' }] }, 'persons[0]', 'a name, national ID number or birth date'],
    [{ ...valid, persons: [{ role: 'child', name: 'x', nickname: 'y' }] }, 'persons[0]', 'unknown field(s) nickname'],
    [{ ...valid, narrative: '   ' }, 'narrative', 'required'],
    [{ ...valid, reporter: undefined }, 'reporter', 'required'],
    [{ ...valid, occurredAt: 'yesterday' }, 'occurredAt', 'Invalid datetime'],
  ])('names the field and what was expected: %#', (body, field, message) => {
    const parsed = parseNationalPlatformReport(body, at);
    expect('errors' in parsed).toBe(true);
    const errors = 'errors' in parsed ? parsed.errors : [];
    expect(errors).toContainEqual({ field, message: expect.stringContaining(message) as string });
  });

  it('never echoes a value in an error', () => {
    const parsed = parseNationalPlatformReport({ ...valid, persons: [{ role: 'suspect', name: '王小明', nationalId: 'A123456789' }], category: '王小明' }, at);
    expect(JSON.stringify(parsed)).not.toMatch(/王小明|A123456789/);
  });
});
