import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstPollCycle, logOffset, readPollCycle } from './pollCycle';

describe('poll cycle line', () => {
  it('is found in a JSON log line (production) and in a plain one', () => {
    const json = `${JSON.stringify({
      level: 'info',
      message: 'GitOps poll cycle: 10 providers, 100002 resources in 8123 ms',
      plugin: 'gitops',
    })}\n`;
    expect(firstPollCycle(json)).toEqual({
      providers: 10,
      resources: 100002,
      ms: 8123,
      failed: 0,
    });
    expect(
      firstPollCycle(
        'x\n2026 info GitOps poll cycle: 1 providers, 3000 resources in 95 ms\n',
      ),
    ).toEqual({ providers: 1, resources: 3000, ms: 95, failed: 0 });
    expect(
      firstPollCycle(
        'GitOps poll cycle: 10 providers, 80000 resources in 5100 ms; 2 failed, serving their last state',
      ),
    ).toEqual({ providers: 10, resources: 80000, ms: 5100, failed: 2 });
    expect(
      firstPollCycle('bench: polled 3000 resources in 95 ms (list and store)'),
    ).toBeUndefined();
  });

  it('is read after an offset: the lines of a later start only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poll-cycle-'));
    const file = path.join(dir, 'ours.log');
    try {
      expect(logOffset(file)).toBe(0);
      expect(readPollCycle(file, 0)).toBeUndefined();
      fs.writeFileSync(
        file,
        'GitOps poll cycle: 1 providers, 3000 resources in 90 ms\n',
      );
      const offset = logOffset(file);
      expect(readPollCycle(file, offset)).toBeUndefined();
      fs.appendFileSync(
        file,
        'started\nGitOps poll cycle: 10 providers, 100002 resources in 8123 ms\nGitOps poll cycle: 10 providers, 100002 resources in 700 ms\n',
      );
      expect(readPollCycle(file, offset)?.ms).toBe(8123);
      expect(readPollCycle(file, 0)?.ms).toBe(90);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
