// The scan action's incremental cache, end to end: dist/scan/main.js run by the runner harness twice on the same
// history, with the real @actions/cache package talking to the cache service v2 stand-in on 127.0.0.1. The first run
// scans every commit and saves; the second restores and scans only the new commit, measurably faster.
//
// JIT_GPG_E2E_SCAN_MAIN points at another bundle of the scan entry (to try sources before `npm run bundle`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ACTIONS, createJob, type Job, runStep } from './harness.ts';
import { type CacheServiceV2, startCacheServiceV2 } from './services/cache-v2.ts';

const script = process.env.JIT_GPG_E2E_SCAN_MAIN || ACTIONS.scan.main;
// A bundle older than the git modes cannot run this test: say so instead of failing on a stale dist/.
const bundleHasGitModes = existsSync(script) && readFileSync(script, 'utf8').includes('jit-gpg-scan-state');

let svc: CacheServiceV2;
let job: Job;
before(async () => {
  svc = await startCacheServiceV2();
  job = createJob('jit-gpg-scan-cache-e2e-');
});
after(async () => {
  await svc?.close();
  job?.cleanup();
});

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: job.workspace,
    encoding: 'utf8',
    env: { ...process.env, HOME: job.home },
  }).trim();
}

/** `n` commits of ordinary source text (~60 KiB each, every blob distinct), through one fast-import. */
function buildHistory(n: number): void {
  git('init', '-q', '-b', 'main', '.');
  let stream = '';
  const line = 'export function handler(event, context) { return process(event.records, context.limits); }\n';
  for (let i = 1; i <= n; i++) {
    const body = `// module ${i}\n${line.repeat(650)}`;
    const msg = `add module ${i}`;
    stream += `commit refs/heads/main\ncommitter Dev <dev@example.test> ${1700000000 + i * 60} +0000\ndata ${msg.length}\n${msg}\n`;
    stream += `M 100644 inline src/m${i}.js\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: job.workspace, input: stream });
  git('checkout', '-q', '-f', 'main');
}

function fakeKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha256').update('jit-gpg e2e cache key').digest();
  let s = '';
  for (let i = 0; i < 16; i++) s += alphabet[bytes[i]! % 32];
  return ['AK', 'IA', s].join('');
}

test('history mode: full scan and save, then restore and scan only the new commit', {
  skip: !bundleHasGitModes && `${script} predates the git modes: run \`npm run bundle\``,
}, async (t) => {
  buildHistory(600);
  const env = { ...svc.env };
  const inputs = { mode: 'history', cache: 'true' };
  const key = fakeKeyId();

  const t1 = performance.now();
  const first = await runStep({
    job,
    metadata: ACTIONS.scan.metadata,
    script,
    inputs,
    env,
    secrets: [key],
    timeoutMs: 180_000,
  });
  const firstMs = performance.now() - t1;
  assert.equal(first.exitCode, 0, first.log);
  assert.equal(first.outputs.findings, '0');
  assert.match(first.log, /cache: no entry for these rules yet; full scan/);
  assert.match(first.log, /scanned 600 commits/);
  assert.match(first.log, /cache: saved jit-gpg-scan-v1-history-/);
  assert.ok(svc.entries().some((e) => e.finalized && e.key.startsWith('jit-gpg-scan-v1-history-')));

  // One new commit, with a secret in it.
  writeFileSync(join(job.workspace, 'deploy.env'), `AWS_ACCESS_KEY_ID=${key}\n`);
  git('add', 'deploy.env');
  execFileSync(
    'git',
    ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.test', 'commit', '-q', '-m', 'deploy settings'],
    {
      cwd: job.workspace,
      env: { ...process.env, HOME: job.home },
    },
  );
  const newCommit = git('rev-parse', 'HEAD');

  const t2 = performance.now();
  const second = await runStep({
    job,
    metadata: ACTIONS.scan.metadata,
    script,
    inputs,
    env,
    secrets: [key],
    timeoutMs: 180_000,
  });
  const secondMs = performance.now() - t2;
  t.diagnostic(`first run ${firstMs.toFixed(0)} ms (600 commits), second ${secondMs.toFixed(0)} ms (1 new commit)`);
  assert.equal(second.exitCode, 1, 'the new secret fails the step');
  assert.match(second.log, /cache: restored jit-gpg-scan-v1-history-[0-9a-f]+-[^:]+: 600 commits already scanned/);
  assert.match(second.log, /scanned 1 commit,.*600 commits already scanned \(cache\)/);
  assert.equal(second.outputs.findings, '1');
  const ann = second.annotations.filter((a) => a.level === 'error' && a.file === 'deploy.env');
  assert.equal(ann.length, 1, JSON.stringify(second.annotations));
  assert.deepEqual(second.leaks, []);
  const report = JSON.parse(readFileSync(second.outputs.report!, 'utf8')) as { findings: Array<{ commit?: string }> };
  assert.equal(report.findings[0]?.commit, newCommit);
  // Not clean: nothing saved that would vouch for the commit with the secret.
  assert.doesNotMatch(second.log, /cache: saved/);
  assert.ok(
    secondMs < firstMs,
    `second run ${secondMs.toFixed(0)} ms is not faster than the first ${firstMs.toFixed(0)} ms`,
  );
});
