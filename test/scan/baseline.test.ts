import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { applyBaseline, BaselineError, loadBaseline, parseBaseline } from '../../src/scan/baseline.ts';
import { fingerprint, preview } from '../../src/scan/fingerprint.ts';
import { renderJson } from '../../src/scan/report/json.ts';
import type { Finding, ScanStats } from '../../src/scan/types.ts';

const stats: ScanStats = {
  files: 3,
  bytes: 300,
  skippedBinary: 0,
  skippedLarge: 0,
  unreadable: 0,
  failed: 0,
  durationMs: 5,
  engine: 're2',
};

function finding(ruleId: string, secret: string, file: string, line: number): Finding {
  return {
    ruleId,
    title: `Title of ${ruleId}`,
    severity: 'high',
    validated: false,
    file,
    line,
    column: 5,
    endLine: line,
    endColumn: 5 + secret.length,
    fingerprint: fingerprint(ruleId, secret),
    preview: preview(secret),
  };
}

const S1 = ['tok', 'en_', 'a1b2c3d4e5f6g7h8'].join('');
const S2 = ['tok', 'en_', 'z9y8x7w6v5u4t3s2'].join('');
const S3 = ['tok', 'en_', 'q1q2q3q4q5q6q7q8'].join('');

describe('baseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-baseline-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('JSON report round-trips into a baseline', async () => {
    const first = [finding('fake-token', S1, 'a.env', 3), finding('fake-token', S2, 'b.env', 7)];
    const path = join(dir, 'report.json');
    writeFileSync(path, renderJson({ findings: first, stats, toolVersion: '0.1.0' }));
    const b = await loadBaseline(path);
    assert.equal(b.entries.size, 2);
    assert.deepEqual([...b.entries.keys()].sort(), first.map((f) => f.fingerprint).sort());
    assert.equal(b.entries.get(first[0]!.fingerprint)!.file, 'a.env');
  });

  test('a moved line stays accepted; a different secret on an accepted line is reported; unmatched entries are stale', () => {
    const old = [finding('fake-token', S1, 'a.env', 3), finding('fake-token', S2, 'b.env', 7)];
    const baseline = parseBaseline(renderJson({ findings: old, stats, toolVersion: '0.1.0' }), 'base.json');
    const now = [
      finding('fake-token', S1, 'a.env', 40), // moved from line 3 to 40
      finding('fake-token', S3, 'b.env', 7), // S2 replaced by S3 on the same line
    ];
    const out = applyBaseline(now, baseline);
    assert.deepEqual(
      out.accepted.map((f) => f.line),
      [40],
    );
    assert.deepEqual(
      out.findings.map((f) => f.fingerprint),
      [fingerprint('fake-token', S3)],
    );
    assert.deepEqual(
      out.stale.map((s) => [s.fingerprint, s.ruleId, s.file, s.line]),
      [[fingerprint('fake-token', S2), 'fake-token', 'b.env', 7]],
    );
  });

  test('the same secret under a different rule is not accepted (rule id is part of the fingerprint)', () => {
    const baseline = parseBaseline(
      renderJson({ findings: [finding('fake-token', S1, 'a.env', 3)], stats, toolVersion: '0.1.0' }),
      'b.json',
    );
    const out = applyBaseline([finding('other-rule', S1, 'a.env', 3)], baseline);
    assert.equal(out.findings.length, 1);
    assert.equal(out.stale.length, 1);
  });

  test('a report written with a baseline keeps the accepted findings, so it can be the next baseline', () => {
    const f1 = finding('fake-token', S1, 'a.env', 3);
    const f2 = finding('fake-token', S2, 'b.env', 3);
    const text = renderJson({ findings: [f2], baselined: [f1], stats, toolVersion: '0.1.0' });
    const b = parseBaseline(text, 'r.json');
    assert.ok(b.entries.has(f1.fingerprint) && b.entries.has(f2.fingerprint));
  });

  test('no baseline: everything is a finding', () => {
    const out = applyBaseline([finding('fake-token', S1, 'a.env', 3)], undefined);
    assert.equal(out.findings.length, 1);
    assert.equal(out.accepted.length, 0);
  });

  test('malformed baselines: clear errors with the path and what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        '{not json',
        /^baseline bad\.json: not valid JSON \(.+\); expected a report written by `jit-gpg scan --format json`/,
      ],
      ['[]', /^baseline bad\.json: expected a JSON object .*got an array/],
      ['{"version":1}', /^baseline bad\.json: `findings` must be an array of findings, got nothing/],
      ['{"findings":{}}', /`findings` must be an array of findings, got an object/],
      ['{"findings":[1]}', /^baseline bad\.json: findings\[0\]: expected a finding object, got number 1/],
      ['{"findings":[{"ruleId":"x","fingerprint":"abc"}]}', /findings\[0\]\.fingerprint: expected 64 lowercase hex/],
      [`{"findings":[{"fingerprint":"${'a'.repeat(64)}"}]}`, /findings\[0\]\.ruleId: expected a rule id string/],
      ['{"version":"2.1.0","runs":[]}', /this is a SARIF file; a baseline is the JSON report/],
    ];
    for (const [text, re] of cases) {
      assert.throws(
        () => parseBaseline(text, 'bad.json'),
        (e: Error) => e instanceof BaselineError && re.test(e.message),
        `${text} → ${re}`,
      );
    }
    await assert.rejects(loadBaseline(join(dir, 'missing.json')), (e: Error) => {
      assert.ok(e instanceof BaselineError);
      assert.match(e.message, /missing\.json: file not found/);
      return true;
    });
  });
});
