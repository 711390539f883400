import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBaseline } from '../../src/scan/baseline.ts';
import { fingerprint, preview } from '../../src/scan/fingerprint.ts';
import { renderJson, toJsonReport } from '../../src/scan/report/json.ts';
import type { Finding, ScanStats } from '../../src/scan/types.ts';

const SECRET = ['sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'].join('');
const stats: ScanStats = {
  files: 1,
  bytes: 10,
  skippedBinary: 0,
  skippedLarge: 2,
  unreadable: 0,
  failed: 0,
  durationMs: 1,
  engine: 're2js',
};
const f: Finding = {
  ruleId: 'fake-stripe',
  title: 'Fake Stripe key',
  severity: 'high',
  validated: false,
  file: 'x.env',
  line: 2,
  column: 7,
  endLine: 2,
  endColumn: 7 + SECRET.length,
  fingerprint: fingerprint('fake-stripe', SECRET),
  preview: preview(SECRET),
};

describe('JSON report', () => {
  test('shape: version, tool, scannedAt, stats, findings, baselined, staleBaseline', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const r = toJsonReport({
      findings: [f],
      baselined: [{ ...f, line: 9 }],
      staleBaseline: [{ fingerprint: 'b'.repeat(64), ruleId: 'old', file: 'y', line: 1 }],
      stats,
      toolVersion: '0.1.0',
      scannedAt: at,
    });
    assert.equal(r.version, 1);
    assert.deepEqual(r.tool, { name: 'jit-gpg', version: '0.1.0', informationUri: 'https://github.com/org/jit-gpg' });
    assert.equal(r.scannedAt, '2026-01-02T03:04:05.000Z');
    assert.equal(r.stats.findings, 1);
    assert.equal(r.stats.baselined, 1);
    assert.equal(r.stats.validated, 0);
    assert.equal(r.stats.skippedLarge, 2);
    assert.deepEqual(r.findings, [f]);
    assert.equal(r.baselined[0]!.line, 9);
    assert.equal(r.staleBaseline[0]!.ruleId, 'old');
  });

  test('round-trips into a baseline', () => {
    const text = renderJson({ findings: [f], stats, toolVersion: '0.1.0' });
    const b = parseBaseline(text, 'r.json');
    assert.deepEqual([...b.entries.keys()], [f.fingerprint]);
  });

  test('only known fields are written and the preview is re-masked', () => {
    const leaky = { ...f, preview: SECRET, secret: SECRET, raw: Buffer.from(SECRET) } as unknown as Finding;
    const text = renderJson({ findings: [leaky], stats, toolVersion: '0.1.0' });
    assert.ok(!text.includes(SECRET));
    assert.ok(!text.includes('"secret"'));
    assert.ok(!text.includes('"raw"'));
    assert.equal(JSON.parse(text).findings[0].preview, `${SECRET.slice(0, 4)}****`);
  });
});
