import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fingerprint, preview } from '../../src/scan/fingerprint.ts';
import { scanBuffer } from '../../src/scan/index.ts';
import { renderJson } from '../../src/scan/report/json.ts';
import { mdCode, renderMarkdown } from '../../src/scan/report/markdown.ts';
import { renderSarif } from '../../src/scan/report/sarif.ts';
import { renderText } from '../../src/scan/report/text.ts';
import type { Finding, ScanStats } from '../../src/scan/types.ts';

const SECRET = ['AK', 'IA', 'Z7Q3M9X2V5B8N1C4'].join('');
const stats: ScanStats = {
  files: 10,
  bytes: 1048576,
  skippedBinary: 1,
  skippedLarge: 0,
  unreadable: 1,
  failed: 0,
  durationMs: 30,
  engine: 're2',
};
function mk(ruleId: string, file: string, line: number, validated = false): Finding {
  return {
    ruleId,
    title: `Title ${ruleId}`,
    severity: 'critical',
    validated,
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 21,
    fingerprint: fingerprint(ruleId, `${SECRET}${line}`),
    preview: preview(SECRET),
  };
}

describe('markdown summary', () => {
  test('totals, a table per file, counts per rule, skipped files, next steps', () => {
    const md = renderMarkdown({
      findings: [
        mk('fake-aws', 'infra/main.tf', 4, true),
        mk('fake-aws', 'infra/main.tf', 2),
        mk('fake-gen', 'x|y.md', 1),
      ],
      baselined: [mk('fake-aws', 'old.tf', 1)],
      stats,
      toolVersion: '0.1.0',
      reportPaths: { sarif: '/tmp/r/jit-gpg.sarif', json: '/tmp/r/jit-gpg-report.json' },
      warnings: ['big.bin: skipped <binary>'],
    });
    assert.match(md, /^## 🚨 jit-gpg scan: 3 secrets found\n/);
    assert.match(
      md,
      /\*\*3\*\* in \*\*2 files\*\* · \*\*1\*\* validated .* · 1 accepted by the baseline · 10 files \(1\.0 MiB\)/,
    );
    assert.match(md, /### `infra\/main\.tf`\n\n\| Line \| Rule \| Severity \| Validated \| Preview \|/);
    // rows sorted by line
    const rows = md.split('\n').filter((l) => l.startsWith('| 2 |') || l.startsWith('| 4 |'));
    assert.equal(rows.length, 2);
    assert.ok(md.indexOf('| 2 |') < md.indexOf('| 4 |'));
    assert.match(md, /\| 4 \| `fake-aws` Title fake-aws \| critical \| ✅ \| `AKIA\*\*\*\*` \|/);
    assert.match(md, /### `x\\\|y\.md`/, 'pipes in file names are escaped');
    assert.match(
      md,
      /### Findings per rule\n\n\| Rule \| Title \| Findings \|\n\| --- \| --- \| ---: \|\n\| `fake-aws` \| Title fake-aws \| 2 \|\n\| `fake-gen` \| Title fake-gen \| 1 \|/,
    );
    assert.match(
      md,
      /\*\*Skipped by policy:\*\* 1 binary file\.\n\n\*\*Not scanned \(the scan is incomplete\):\*\* 1 item/,
    );
    assert.match(md, /rotate each secret first/);
    assert.match(md, /big\.bin: skipped \\<binary\\>/, 'warnings are escaped, no raw HTML');
    assert.match(md, /Reports: SARIF `\/tmp\/r\/jit-gpg\.sarif` · JSON `\/tmp\/r\/jit-gpg-report\.json`/);
    assert.ok(!md.includes(SECRET));
  });

  test('clean run message', () => {
    const md = renderMarkdown({
      findings: [],
      stats: { ...stats, skippedBinary: 0, unreadable: 0 },
      toolVersion: '0.1.0',
    });
    assert.match(md, /^## ✅ jit-gpg scan: no secrets found\n\n10 files \(1\.0 MiB\) scanned in 30 ms\.\n/);
    assert.ok(!md.includes('Skipped'));
  });

  test('stale baseline entries are listed', () => {
    const md = renderMarkdown({
      findings: [],
      staleBaseline: [{ fingerprint: 'd'.repeat(64), ruleId: 'gone', file: 'a.txt', line: 3 }],
      stats,
      toolVersion: '0.1.0',
    });
    assert.match(md, /### Stale baseline entries \(1\)/);
    assert.match(md, /\| `gone` \| `a\.txt:3` \| `dddddddddddddddd` \|/);
  });

  test('tables are capped (GitHub limits a summary to 1 MiB); counts stay complete', () => {
    const many = Array.from({ length: 30 }, (_, i) => mk('fake-aws', `f${i % 3}.tf`, i + 1));
    const md = renderMarkdown({ findings: many, stats, toolVersion: '0.1.0', maxRows: 12 });
    assert.equal(md.split('\n').filter((l) => /^\| \d+ \| `fake-aws`/.test(l)).length, 12);
    assert.match(md, /…and 18 more findings not listed here: see the SARIF or JSON report\./);
    assert.match(md, /\| `fake-aws` \| Title fake-aws \| 30 \|/);
    assert.match(md, /## 🚨 jit-gpg scan: 30 secrets found/);
  });

  test('mdCode survives backticks and pipes; a leaky preview is masked', () => {
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`x'), '`` `x ``');
    assert.equal(mdCode('a|b'), '`a\\|b`');
    const md = renderMarkdown({ findings: [{ ...mk('r', 'f', 1), preview: SECRET }], stats, toolVersion: '0.1.0' });
    assert.ok(!md.includes(SECRET));
  });

  test('end to end through the engine: every report shows the preview and never the planted secret', () => {
    const prefix = ['pl', 'nt_'].join('');
    const planted = `${prefix}Hq7Lw2Zx9Rt4Vb6Nm1Kc8Js3Df5Gp0Ya`;
    const rule = {
      id: 'planted-token',
      title: 'Planted token',
      severity: 'high' as const,
      keywords: [prefix],
      pattern: `(${prefix}[A-Za-z0-9]{32})`,
      help: 'Planted for the test.',
      examples: { tp: [], fp: [] },
    };
    const policy = { rules: [rule], ignorePaths: [], allowRegexes: [], stopwords: [], maxFileSize: 1 << 20 };
    const findings = scanBuffer(Buffer.from(`a: 1\nkey: "${planted}"\n`), 'conf/app.yaml', policy).map((f) => ({
      ...f,
      file: 'conf/app.yaml',
    }));
    assert.equal(findings.length, 1);
    const input = { findings, stats, toolVersion: '0.1.0' };
    const reports = {
      markdown: renderMarkdown(input),
      text: renderText(input),
      json: renderJson(input),
      sarif: renderSarif({ ...input, rules: [rule] }),
    };
    for (const [name, text] of Object.entries(reports)) {
      assert.ok(text.includes('plnt****'), `${name} shows the preview`);
      assert.ok(!text.includes(planted), `${name} never contains the secret`);
      assert.ok(!text.includes(planted.slice(4, 12)), `${name} never contains a part past the preview`);
    }
  });
});
