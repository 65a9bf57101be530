import { expectEventually } from './expect-eventually';

describe('expectEventually', () => {
  it('returns once the assertion passes', async () => {
    let calls = 0;
    await expect(
      expectEventually(() => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return calls;
      }, { intervalMs: 1 }),
    ).resolves.toBe(3);
  });

  it('rethrows the last failure at the deadline', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error(`attempt ${calls} failed`);
    };
    await expect(expectEventually(failing, { timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(/^attempt \d+ failed$/);
    expect(calls).toBeGreaterThan(1);
  });
});
