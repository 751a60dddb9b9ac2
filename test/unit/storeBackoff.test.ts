import { writeConflictDelayMs } from '../../shared/store/backoff';

describe('write-conflict backoff (the one storage retry wait)', () => {
  it('waits at least the 10 ms floor, even with no jitter', () => {
    for (const attempt of [0, 1, 7, 49]) expect(writeConflictDelayMs(attempt, () => 0)).toBe(10);
  });

  it('grows its ceiling 20 ms per attempt', () => {
    expect(writeConflictDelayMs(0, () => 0.5)).toBe(20);
    expect(writeConflictDelayMs(1, () => 0.5)).toBe(30);
    expect(writeConflictDelayMs(3, () => 0.5)).toBe(50);
  });

  it('stops growing after 8 attempts (at most 170 ms)', () => {
    const nearlyOne = () => 0.999999;
    expect(writeConflictDelayMs(7, nearlyOne)).toBeCloseTo(170, 3);
    expect(writeConflictDelayMs(49, nearlyOne)).toBeCloseTo(170, 3);
    for (let attempt = 0; attempt < 60; attempt++) {
      const delay = writeConflictDelayMs(attempt);
      expect(delay).toBeGreaterThanOrEqual(10);
      expect(delay).toBeLessThan(170);
    }
  });
});
