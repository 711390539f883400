// The scan action's cache adapter through the real @actions/cache package, against the v2 protocol stand-in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { restoreScanCache, saveScanCache, type ScanCacheContext } from '../../src/action/scan-cache.ts';
import { isCleanForCache, policyHash } from '../../src/scan/cache.ts';
import { scanGit } from '../../src/scan/sources/git.ts';
import { type CacheServiceV2, startCacheServiceV2 } from '../e2e/services/cache-v2.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jit-gpg-cache-'));
let svc: CacheServiceV2;
const saved: Record<string, string | undefined> = {};

before(async () => {
  svc = await startCacheServiceV2();
  const env = {
    ...svc.env,
    RUNNER_TEMP: join(tmp, 'runner-temp'),
    GITHUB_WORKSPACE: tmp,
    GITHUB_SERVER_URL: 'https://github.com',
  };
  mkdirSync(env.RUNNER_TEMP, { recursive: true });
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
after(async () => {
  await svc.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(tmp, { recursive: true, force: true });
});

const awsRule = {
  id: 'test-aws-key-id',
  title: 'AWS access key id',
  severity: 'high' as const,
  keywords: ['akia'],
  pattern: '\\b(AKIA[A-Z2-7]{16})\\b',
  help: '',
  examples: { tp: [], fp: [] },
};
const policy = { rules: [awsRule], ignorePaths: [], allowRegexes: [], stopwords: [], maxFileSize: 10 * 1024 * 1024 };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** A repository with `n` commits, each adding a ~40 KiB text file. */
function buildRepo(n: number): string {
  const dir = join(tmp, `repo-${n}`);
  git(tmp, 'init', '-q', '-b', 'main', dir);
  git(dir, 'config', 'user.name', 'Cache Test');
  git(dir, 'config', 'user.email', 'cache@example.test');
  // fast-import: one process for all commits.
  let stream = '';
  const line = 'const value = compute(alpha, beta, gamma); // ordinary source text for the scanner to read\n';
  for (let i = 1; i <= n; i++) {
    const body = `// file ${i}\n${line.repeat(450)}`;
    const msg = `commit ${i}`;
    stream += `commit refs/heads/main\ncommitter Cache Test <cache@example.test> ${1700000000 + i} +0000\ndata ${msg.length}\n${msg}\n`;
    stream += `M 100644 inline src/f${i}.js\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream });
  git(dir, 'checkout', '-q', '-f', 'main');
  return dir;
}

function ctxFor(unique: string, hash: string): ScanCacheContext {
  return { mode: 'history', policyHash: hash, scannerVersion: '0.1.0', unique };
}

test('full scan, save; the next run restores the state and scans only the new commit, faster', async (t) => {
  const dir = buildRepo(400);
  const hash = policyHash(policy, '0.1.0');

  // Run 1: nothing cached.
  const t1 = performance.now();
  const r1 = await restoreScanCache(ctxFor('run-1', hash));
  assert.equal(r1.commits, undefined);
  assert.match(r1.message, /no entry/);
  const s1 = await scanGit({ root: dir, mode: 'history', policy, threads: 1 });
  assert.equal(s1.git.stats.commits, 400);
  assert.equal(s1.git.stats.items, 400);
  assert.ok(isCleanForCache(s1, { stats: s1.git.stats }));
  const save1 = await saveScanCache(ctxFor('run-1', hash), s1.git.commits, r1.commits);
  assert.ok(save1.saved, save1.message);
  const first = performance.now() - t1;

  // One new commit, with a secret.
  const key = ['AK', 'IA', 'Q7TZ', 'M4XB', 'R2KD', 'W6NP'].join('');
  writeFileSync(join(dir, 'new.env'), `AWS_ACCESS_KEY_ID=${key}\n`);
  git(dir, 'add', 'new.env');
  git(dir, 'commit', '-q', '-m', 'new');
  const newCommit = git(dir, 'rev-parse', 'HEAD');

  // Run 2: restored, only the new commit scanned.
  const t2 = performance.now();
  const r2 = await restoreScanCache(ctxFor('run-2', hash));
  assert.equal(r2.commits?.size, 400, r2.message);
  assert.match(r2.message, /restored jit-gpg-scan-v1-history-[0-9a-f]{24}-run-1: 400 commits/);
  const s2 = await scanGit({ root: dir, mode: 'history', policy, threads: 1, skipCommits: r2.commits });
  const second = performance.now() - t2;
  assert.equal(s2.git.stats.commitsSkipped, 400);
  assert.equal(s2.git.stats.items, 1);
  assert.deepEqual(
    s2.findings.map((f) => [f.file, f.commit]),
    [['new.env', newCommit]],
  );
  assert.match(s2.git.summary, /400 commits already scanned \(cache\)/);
  // Findings: not clean, so nothing is saved that would vouch for the new commit.
  assert.equal(isCleanForCache(s2, { stats: s2.git.stats }), false);
  t.diagnostic(`first run ${first.toFixed(0)} ms (400 commits), second run ${second.toFixed(0)} ms (1 new commit)`);
  assert.ok(
    second < first,
    `second run ${second.toFixed(0)} ms should be faster than the first ${first.toFixed(0)} ms`,
  );
  assert.ok(
    svc.calls.includes('GetCacheEntryDownloadURL') && svc.calls.includes('FinalizeCacheEntryUpload'),
    svc.calls.join(','),
  );
});

test('a tampered, foreign-policy or other-scope cache is ignored: full scan', async () => {
  const dir = buildRepo(5);
  const hash = policyHash(policy, '0.1.0');
  const s = await scanGit({ root: dir, mode: 'history', policy, threads: 1 });
  const save = await saveScanCache(ctxFor('tamper-1', hash), s.git.commits);
  assert.ok(save.saved, save.message);

  // Rules changed: another key prefix, nothing restored.
  const other = policyHash({ ...policy, stopwords: ['x'] }, '0.1.0');
  assert.equal((await restoreScanCache(ctxFor('t-2', other))).commits, undefined);

  // The archive altered in storage: @actions/cache extracts it, our validation refuses it.
  // (zstd when the runner has it, as here; gzip otherwise. Same length, so the tar stays well-formed.)
  svc.tamper(save.key, (archive) => {
    const zstd = archive.readUInt32LE(0) === 0xfd2fb528;
    const tar = zstd ? zstdDecompressSync(archive) : gunzipSync(archive);
    const text = tar.toString('latin1').replace(/"commits":\["[0-9a-f]{40}"/, `"commits":["${'0'.repeat(40)}"`);
    assert.notEqual(text, tar.toString('latin1'));
    const out = Buffer.from(text, 'latin1');
    return zstd ? zstdCompressSync(out) : gzipSync(out);
  });
  const r = await restoreScanCache(ctxFor('t-3', hash));
  assert.equal(r.commits, undefined, r.message);
  assert.match(r.message, /ignored \((checksum mismatch|commit ids are not sorted)|restore failed|holds no scan state/);

  // A pull request's scope is not read by the default branch.
  svc.setScopes('refs/pull/7/merge', ['refs/pull/7/merge', 'refs/heads/main']);
  const pr = await saveScanCache(ctxFor('pr-7', hash), s.git.commits);
  assert.ok(pr.saved, pr.message);
  svc.setScopes('refs/heads/main', ['refs/heads/main']);
  const onMain = await restoreScanCache(ctxFor('main-2', hash));
  assert.notEqual(onMain.matchedKey, pr.key);
});
