// The repository scans clean with its own .jit-gpg.toml, through the shipped CLI, as .github/workflows/e2e.yml scans
// it with the action (worktree mode, decoding on). A rule's example or a filter's comment that a scan reports (a
// documented sample, percent-decoded into a cut password) once failed that workflow with every test here green.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nodeBinary } from '../../scripts/node24.mjs';
import { repoRoot } from './harness.ts';

describe('this repository, scanned by its own CLI', () => {
  it('has no finding outside what .jit-gpg.toml allows', () => {
    const run = spawnSync(
      nodeBinary(),
      [join(repoRoot, 'dist', 'cli.js'), 'scan', repoRoot, '--mode', 'worktree', '--format', 'json'],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
    );
    assert.ok(run.stdout.trim().startsWith('{'), `no JSON report (exit ${run.status}): ${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      findings: { ruleId: string; file: string; line: number }[];
      stats: { files: number; failed: number; unreadable: number };
    };
    assert.deepEqual(
      report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`),
      [],
    );
    assert.equal(run.status, 0, run.stderr);
    assert.ok(report.stats.files > 50, `only ${report.stats.files} files scanned`);
    assert.equal(report.stats.failed + report.stats.unreadable, 0);
  });
});
