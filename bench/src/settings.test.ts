import { readSettings } from './settings';

describe('bench settings', () => {
  it("defaults to the issue's sizes, huge phase included", () => {
    expect(readSettings({})).toMatchObject({
      services: 1000,
      largeServices: 10000,
      hugeServices: 33334,
      hugeInstances: 10,
    });
  });

  it('reads the huge phase settings, 0 skipping it', () => {
    expect(
      readSettings({
        BENCH_SERVICES: '200',
        BENCH_HUGE_SERVICES: '6000',
        BENCH_HUGE_INSTANCES: '3',
      }),
    ).toMatchObject({ hugeServices: 6000, hugeInstances: 3 });
    expect(
      readSettings({ BENCH_SERVICES: '5000', BENCH_HUGE_SERVICES: '0' })
        .hugeServices,
    ).toBe(0);
  });

  it('refuses a fleet its ports or the catalog cannot take', () => {
    expect(() => readSettings({ BENCH_HUGE_INSTANCES: '11' })).toThrow(
      /1 to 10/,
    );
    expect(() => readSettings({ BENCH_HUGE_INSTANCES: '0' })).toThrow(
      /1 to 10/,
    );
    // 3 instances of 20 services: the catalog's 30 would not all be in the first.
    expect(() =>
      readSettings({
        BENCH_SERVICES: '30',
        BENCH_HUGE_SERVICES: '60',
        BENCH_HUGE_INSTANCES: '3',
      }),
    ).toThrow(/at least BENCH_SERVICES/);
    expect(() => readSettings({ BENCH_HUGE_SERVICES: '-1' })).toThrow(
      /non-negative integer/,
    );
  });
});
