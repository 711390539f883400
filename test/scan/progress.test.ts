import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress, formatDuration } from '../../src/scan/progress.ts';

test('progress logs at most every interval, with rate and ETA, then one total line', () => {
  let t = 0;
  const lines: string[] = [];
  const p = createProgress({ log: (l) => lines.push(l), intervalMs: 5000, now: () => t });
  const MiB = 1048576;
  t = 1000;
  p.update({ done: 10, total: 1000, bytes: 10 * MiB });
  assert.equal(lines.length, 0);
  t = 5000;
  p.update({ done: 250, total: 1000, bytes: 50 * MiB });
  t = 6000;
  p.update({ done: 300, total: 1000, bytes: 60 * MiB });
  assert.deepEqual(lines, ['250/1,000 commits (25.0%), 50.0 MiB, 10.0 MiB/s, ETA 15 s']);
  t = 20_000;
  p.update({ done: 1000, total: 1000, bytes: 200 * MiB });
  assert.equal(lines.length, 2);
  const total = p.finish('800 commits from cache');
  assert.equal(total, 'scanned 1,000 commits, 200.0 MiB in 20 s (10.0 MiB/s); 800 commits from cache');
  assert.equal(lines.at(-1), total);
});

test('durations read naturally', () => {
  assert.equal(formatDuration(1234), '1.2 s');
  assert.equal(formatDuration(83_000), '1m 23s');
  assert.equal(formatDuration(7_500_000), '2h 05m');
});
