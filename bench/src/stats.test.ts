import { median, percentile, withConcurrency } from './stats';

describe('stats', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(percentile(values, 50)).toBe(100);
    expect(percentile(values, 95)).toBe(190);
    expect(percentile(values, 100)).toBe(200);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it('never runs more than the limit at once and keeps the order of results', async () => {
    let running = 0;
    let most = 0;
    const tasks = Array.from({ length: 20 }, (_, i) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise(r => setTimeout(r, 1 + (i % 3)));
      running--;
      return i;
    });
    expect(await withConcurrency(6, tasks)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(most).toBe(6);
  });
});
