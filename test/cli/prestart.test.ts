import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { scanThreadsAhead } from '../../src/cli/prestart.ts';
import { defaultThreads } from '../../src/scan/workers.ts';

const dir = mkdtempSync(join(tmpdir(), 'jit-prestart-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'tree'));
writeFileSync(join(dir, 'one.js'), 'x\n');
writeFileSync(join(dir, 'report.json'), '{}\n');

test('workers start ahead only for a directory or git scan with more than one thread', () => {
  const d = defaultThreads() > 1 ? defaultThreads() : 0;
  const ahead = (...argv: string[]) => scanThreadsAhead(argv, dir);
  // A directory (the current one by default), also with options whose values are files.
  assert.equal(ahead(), d);
  assert.equal(ahead('tree'), d);
  assert.equal(ahead('tree', '--format', 'json', '--output', 'report.json'), d);
  assert.equal(ahead('--output=report.json', 'tree'), d);
  assert.equal(ahead('--mode', 'diff', '--base', 'main'), d);
  assert.equal(ahead('tree', '--threads', '4'), 4);
  assert.equal(ahead('--threads=3'), 3);
  // One thread, a single file, stdin, logs, help, a path that is not there: no workers ahead.
  assert.equal(ahead('tree', '--threads', '1'), 0);
  assert.equal(ahead('--threads', 'many'), 0);
  assert.equal(ahead('one.js'), 0);
  assert.equal(ahead('-'), 0);
  assert.equal(ahead('--mode', 'logs', '--run-id', '7'), 0);
  assert.equal(ahead('--mode=logs'), 0);
  assert.equal(ahead('tree', '--help'), 0);
  assert.equal(ahead('missing'), 0);
});
