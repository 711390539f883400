import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fingerprint, preview } from '../../src/scan/fingerprint.ts';
import { renderText } from '../../src/scan/report/text.ts';
import type { Finding, ScanStats } from '../../src/scan/types.ts';

const SECRET = ['xox', 'b-', '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'].join('');
const stats: ScanStats = {
  files: 4,
  bytes: 5000,
  skippedBinary: 2,
  skippedLarge: 1,
  unreadable: 0,
  failed: 0,
  durationMs: 7,
  engine: 're2',
};
function mk(file: string, line: number, validated = false): Finding {
  return {
    ruleId: 'fake-slack',
    title: 'Fake Slack token',
    severity: 'high',
    validated,
    file,
    line,
    column: 3,
    endLine: line,
    endColumn: 50,
    fingerprint: fingerprint('fake-slack', `${SECRET}${line}`),
    preview: preview(SECRET),
  };
}

describe('text report', () => {
  test('grouped by file, sorted by line, with previews and a summary; no colour unless asked', () => {
    const out = renderText({
      findings: [mk('b.yml', 9), mk('a.env', 3, true), mk('b.yml', 2)],
      stats,
      toolVersion: '0.1.0',
    });
    assert.ok(!out.includes('\u001b['), 'no ANSI escapes without color');
    const lines = out.split('\n');
    assert.equal(lines[0], 'b.yml');
    assert.match(lines[1]!, /^ {2}2:3 +high +Fake Slack token {2}xoxb\*\*\*\* {2}fake-slack$/);
    assert.match(lines[2]!, /^ {2}9:3 /);
    assert.equal(lines[4], 'a.env');
    assert.match(lines[5]!, /\(validated\)/);
    assert.match(out, /3 secrets found in 2 files \(1 validated\); 4 files \(4\.9 KiB\) scanned in 7 ms\./);
    assert.match(out, /Skipped by policy: 2 binary files, 1 file over the size limit\./);
    assert.ok(!out.includes(SECRET));
  });

  test('colour on a TTY', () => {
    const out = renderText({ findings: [mk('a', 1)], stats, toolVersion: '0.1.0', color: true });
    assert.ok(out.includes('\u001b[1ma\u001b[0m'));
  });

  test('clean run, baselined and stale entries', () => {
    const out = renderText({
      findings: [],
      baselined: [mk('a', 1)],
      staleBaseline: [{ fingerprint: 'c'.repeat(64), ruleId: 'old-rule', file: 'gone.txt', line: 4 }],
      stats: { ...stats, skippedBinary: 0, skippedLarge: 0 },
      toolVersion: '0.1.0',
    });
    assert.match(out, /^No secrets found: 4 files/);
    assert.match(out, /1 finding accepted by the baseline\./);
    assert.match(out, /1 baseline entry matched nothing \(stale\):\n {2}old-rule gone\.txt:4 cccccccccccccccc/);
  });

  test('control characters in file names are escaped, and a leaky preview is masked', () => {
    const out = renderText({
      findings: [{ ...mk('evil\u001b[2J.txt', 1), preview: SECRET }],
      stats,
      toolVersion: '0.1.0',
    });
    assert.ok(out.includes('evil\\x1b[2J.txt'));
    assert.ok(!out.includes(SECRET));
  });
});
