import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  CatFileParser,
  firstOccurrences,
  GitError,
  GitRangeError,
  git,
  mapLine,
  openGitSource,
  parseHunks,
  parsePatch,
  parseRawLine,
  parseRawLog,
  resolveRange,
  scanGit,
  unquoteCPath,
} from '../../src/scan/sources/git.ts';
import { planScan } from '../../src/scan/sources/event.ts';
import type { ScanItem } from '../../src/scan/sources/types.ts';
import type { Finding } from '../../src/scan/types.ts';
import { gitCalls } from './git-calls.ts';

// ---- helpers: real repositories in temp dirs -------------------------------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), 'jit-gpg-git-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

function repo(): string {
  const dir = join(tmp, `r${n++}`);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  sh(dir, 'config', 'user.name', 'Test Author');
  sh(dir, 'config', 'user.email', 'author@example.test');
  sh(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

function commit(dir: string, files: Record<string, string | Buffer | null>, message = 'change'): string {
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    if (content === null) {
      rmSync(p);
      sh(dir, 'rm', '-q', '--cached', name);
      continue;
    }
    execFileSync('mkdir', ['-p', dirname(p)]);
    writeFileSync(p, content);
    sh(dir, 'add', name);
  }
  sh(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return sh(dir, 'rev-parse', 'HEAD');
}

/** A format-valid AWS access key id built at run time (never the documented EXAMPLE one). */
function fakeKeyId(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = createHash('sha256').update(`jit-gpg test key ${seed}`).digest();
  let s = '';
  for (let i = 0; i < 16; i++) s += alphabet[bytes[i]! % 32];
  return ['AK', 'IA', s].join('');
}

async function collect(items: AsyncIterable<ScanItem>): Promise<ScanItem[]> {
  const out: ScanItem[] = [];
  for await (const i of items) out.push(i);
  return out;
}

function text(item: ScanItem): string {
  assert.equal(item.source.kind, 'bytes');
  return item.source.kind === 'bytes' ? item.source.data.toString('utf8') : '';
}

// ---- pure parsers on captured output ----------------------------------------------------------------------------

// Captured from `git log --format=%x01%H%x00%an <%ae>%x00%aI -p --raw --no-abbrev -U0 --diff-filter=AM --root`.
const CAPTURED_PATCH = Buffer.from(
  [
    '\x014ad5643713e1a70718bb7b578efaafddc5ca0c53\x00T <t@x>\x002026-11-23T12:27:09+00:00',
    '',
    ':000000 100644 0000000000000000000000000000000000000000 e8996621d8f762f3d6df65c95f7b7dc049436695 A\tb.bin',
    ':000000 100644 0000000000000000000000000000000000000000 422c2b7ab3b3c668038da977e4e93a5fc623169c A\tf.txt',
    '',
    'diff --git a/b.bin b/b.bin',
    'new file mode 100644',
    'index 0000000..e899662',
    'Binary files /dev/null and b/b.bin differ',
    'diff --git a/f.txt b/f.txt',
    'new file mode 100644',
    'index 0000000..422c2b7',
    '--- /dev/null',
    '+++ b/f.txt',
    '@@ -0,0 +1,2 @@',
    '+a',
    '++++ b/not-a-header',
    '\x012a711ddc4f2451c12304e0e79d5bb02f4748d1ee\x00T <t@x>\x002026-11-23T12:27:10+00:00',
    '',
    ':000000 100644 0000000000000000000000000000000000000000 bca70f35318f31dd1d1d1d2d2e64c19b880899ff A\t"d d/t\\"ab.txt"',
    ':100644 100644 422c2b7ab3b3c668038da977e4e93a5fc623169c 5eff2a3333ce062a3c87392f22cbc9ffb16f97b8 M\tf.txt',
    ':000000 100644 0000000000000000000000000000000000000000 fa7af8bf5fdd704f73beb3adc5612682a98e1af5 A\tnonl',
    '',
    'diff --git "a/d d/t\\"ab.txt" "b/d d/t\\"ab.txt"',
    'new file mode 100644',
    'index 0000000..bca70f3',
    '--- /dev/null',
    '+++ "b/d d/t\\"ab.txt"\t',
    '@@ -0,0 +1 @@',
    '+q',
    'diff --git a/f.txt b/f.txt',
    'index 422c2b7..5eff2a3 100644',
    '--- a/f.txt',
    '+++ b/f.txt',
    '@@ -1,0 +2 @@ a',
    '+X',
    '@@ -2,1 +4,2 @@ b',
    '-old',
    '+c',
    '+d',
    'diff --git a/nonl b/nonl',
    'new file mode 100644',
    'index 0000000..fa7af8b',
    '--- /dev/null',
    '+++ b/nonl',
    '@@ -0,0 +1 @@',
    '+z',
    '\\ No newline at end of file',
    '',
  ].join('\n'),
);

describe('pure parsers', () => {
  test('PatchParser maps added lines to file lines, per commit, with exact paths from --raw', () => {
    const files = parsePatch(CAPTURED_PATCH);
    assert.deepEqual(
      files.map((f) => [f.commit.slice(0, 7), f.path, f.binary, f.data.toString(), [...f.lineMap]]),
      [
        ['4ad5643', 'b.bin', true, '', []],
        ['4ad5643', 'f.txt', false, 'a\n+++ b/not-a-header\n', [1, 2]],
        ['2a711dd', 'd d/t"ab.txt', false, 'q\n', [1]],
        ['2a711dd', 'f.txt', false, 'X\nc\nd\n', [2, 4, 5]],
        ['2a711dd', 'nonl', false, 'z\n', [1]],
      ],
    );
    assert.equal(files[1]?.author, 'T <t@x>');
    assert.equal(files[1]?.date, '2026-11-23T12:27:09+00:00');
    assert.equal(files[3]?.blob, '5eff2a3333ce062a3c87392f22cbc9ffb16f97b8');
  });

  test('parseRawLine handles plain and combined (merge) lines', () => {
    assert.deepEqual(
      parseRawLine(
        ':100644 100755 422c2b7ab3b3c668038da977e4e93a5fc623169c 5eff2a3333ce062a3c87392f22cbc9ffb16f97b8 M\tx/y',
      ),
      { blob: '5eff2a3333ce062a3c87392f22cbc9ffb16f97b8', mode: '100755', status: 'M', path: 'x/y' },
    );
    assert.deepEqual(
      parseRawLine(
        '::100644 100644 100644 c1827f07e114c20547dc6a7296588870a4b5b62c 78981922613b2afb6025042ff6bd878ac1994e85 53c74cd6c8f3911ae716f60f9b79f575aab0e975 MM\ta',
      ),
      { blob: '53c74cd6c8f3911ae716f60f9b79f575aab0e975', mode: '100644', status: 'MM', path: 'a' },
    );
    assert.equal(parseRawLine('diff --git a/x b/x'), undefined);
    const log = parseRawLog(Buffer.from('\x01abc\x00A <a@b>\x002026-01-01T00:00:00Z\n\n:000000 100644 0 1 A\tf\n'));
    assert.deepEqual(log, [
      {
        commit: 'abc',
        author: 'A <a@b>',
        date: '2026-01-01T00:00:00Z',
        entries: [{ blob: '1', mode: '100644', status: 'A', path: 'f' }],
      },
    ]);
  });

  test('unquoteCPath undoes C quoting, octal UTF-8 bytes included', () => {
    assert.equal(unquoteCPath('"d d/t\\"ab.txt"'), 'd d/t"ab.txt');
    assert.equal(unquoteCPath('"caf\\303\\251\\ttab"'), 'café\ttab');
    assert.equal(unquoteCPath('plain'), 'plain');
  });

  test('CatFileParser survives any chunking and skips oversize objects without holding them', () => {
    const stream = Buffer.concat([
      Buffer.from('aaa blob 5\nhello\n'),
      Buffer.from('bbb missing\n'),
      Buffer.from('ccc blob 12\n0123456789ab\n'),
      Buffer.from('ddd blob 0\n\n'),
    ]);
    for (const size of [1, 2, 3, 7, 1000]) {
      const got: string[] = [];
      const p = new CatFileParser((r) => {
        got.push(
          'missing' in r ? `${r.oid}:missing` : `${r.oid}:${r.skipped ? `skipped${r.size}` : r.data.toString()}`,
        );
      }, 10);
      for (let i = 0; i < stream.length; i += size) p.push(stream.subarray(i, i + size));
      p.end();
      assert.deepEqual(got, ['aaa:hello', 'bbb:missing', 'ccc:skipped12', 'ddd:']);
    }
  });

  test('firstOccurrences: one finding per (rule, secret) at its earliest commit, every other place in locations', () => {
    const f = (commit: string, line: number, fp = 'fp1', file = 'a.env'): Finding =>
      ({ ruleId: 'r', fingerprint: fp, file, line, column: 1, endLine: line, endColumn: 9, commit }) as Finding;
    const order = new Map([
      ['c1', 0],
      ['c2', 1],
      ['c3', 2],
    ]);
    const out = firstOccurrences(
      [f('c3', 1), f('c2', 9), f('c3', 2, 'fp2'), f('c2', 3), f('c3', 4), f('c1', 7, 'fp1', 'z/old.env')],
      order,
    );
    assert.deepEqual(
      out.map((x) => [
        x.file,
        x.commit,
        x.line,
        x.fingerprint,
        (x.locations ?? []).map((l) => `${l.file}@${l.commit}:${l.line}`),
      ]),
      [
        ['a.env', 'c3', 2, 'fp2', []],
        ['z/old.env', 'c1', 7, 'fp1', ['a.env@c2:3', 'a.env@c2:9', 'a.env@c3:1', 'a.env@c3:4']],
      ],
    );
  });
});

// ---- real repositories ------------------------------------------------------------------------------------------

describe('diff source on real repositories', () => {
  test('pull_request event: only the lines the PR adds, each with the commit that added it', async () => {
    const dir = repo();
    const k1 = fakeKeyId(1);
    const k2 = fakeKeyId(2);
    const base = commit(dir, { 'config.env': `OLD=${fakeKeyId(0)}\nA=1\n` }, 'base');
    sh(dir, 'checkout', '-q', '-b', 'feature');
    const c1 = commit(
      dir,
      { 'config.env': `OLD=${fakeKeyId(0)}\nA=1\nAWS_KEY=${k1}\n`, 'src/app.js': 'x = 1\n' },
      'one',
    );
    const c2 = commit(dir, { 'src/app.js': `x = 1\nconst id = "${k2}"\n` }, 'two');
    const plan = planScan({
      name: 'pull_request',
      payload: { number: 7, pull_request: { base: { sha: base }, head: { sha: c2 } } },
    });
    assert.equal(plan.mode, 'diff');
    const src = await openGitSource({ root: dir, mode: 'diff', base: plan.base, head: plan.head });
    const items = await collect(src.items);
    assert.deepEqual(src.commits, [c1, c2]);
    const byKey = items.map((i) => [i.commit, i.path, text(i), [...(i.lineMap ?? [])]]);
    assert.deepEqual(byKey, [
      [c1, 'config.env', `AWS_KEY=${k1}\n`, [3]],
      [c1, 'src/app.js', 'x = 1\n', [1]],
      [c2, 'src/app.js', `const id = "${k2}"\n`, [2]],
    ]);
    assert.equal(items[0]?.author, 'Test Author <author@example.test>');
    assert.match(items[0]?.date ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.ok(!items.some((i) => text(i).includes(fakeKeyId(0))), 'lines already on the base are not rescanned');
  });

  test('push event before..after, and a force-push whose old tip is not an ancestor', async () => {
    const dir = repo();
    const c0 = commit(dir, { 'a.txt': 'zero\n' });
    const c1 = commit(dir, { 'a.txt': 'zero\none\n' });
    const plan = planScan({ name: 'push', payload: { before: c0, after: c1, repository: { default_branch: 'main' } } });
    assert.deepEqual([plan.mode, plan.base, plan.head], ['diff', c0, c1]);
    let items = await collect(
      (await openGitSource({ root: dir, mode: 'diff', base: plan.base, head: plan.head })).items,
    );
    assert.deepEqual(items.map(text), ['one\n']);

    // Force-push: rewrite c1 as c1b; before (c1) is no longer an ancestor of after.
    sh(dir, 'reset', '-q', '--hard', c0);
    const c1b = commit(dir, { 'a.txt': 'zero\nrewritten\n', 'b.txt': 'new file\n' });
    const forced = planScan({
      name: 'push',
      payload: { before: c1, after: c1b, forced: true, repository: { default_branch: 'main' } },
    });
    assert.match(forced.notice ?? '', /forced/);
    items = await collect(
      (await openGitSource({ root: dir, mode: 'diff', base: forced.base, head: forced.head })).items,
    );
    assert.deepEqual(
      items.map((i) => [i.path, text(i)]),
      [
        ['a.txt', 'rewritten\n'],
        ['b.txt', 'new file\n'],
      ],
    );

    // The old tip is gone from the clone (and cannot be fetched): fall back to "commits not on the default branch".
    const clone = join(tmp, `r${n++}`);
    execFileSync('git', ['clone', '-q', '--no-local', dir, clone]);
    sh(clone, 'checkout', '-q', '-b', 'topic');
    const t1 = commit(clone, { 'c.txt': 'topic\n' });
    const gone = 'f'.repeat(40);
    const plan3 = planScan({
      name: 'push',
      payload: { before: gone, after: t1, forced: true, repository: { default_branch: 'main' } },
    });
    const notices: string[] = [];
    const src = await openGitSource({
      root: clone,
      mode: 'diff',
      base: plan3.base,
      head: plan3.head,
      fallbackExclude: plan3.fallbackExclude,
      onNotice: (m) => notices.push(m),
    });
    items = await collect(src.items);
    assert.deepEqual(items.map(text), ['topic\n']);
    assert.ok(
      notices.some((m) => /force-push/.test(m)),
      notices.join('\n'),
    );
  });

  test('new branch push (before all zeros): commits not reachable from the default branch', async () => {
    const dir = repo();
    commit(dir, { 'a.txt': 'main 1\n' });
    const m2 = commit(dir, { 'a.txt': 'main 1\nmain 2\n' });
    sh(dir, 'checkout', '-q', '-b', 'topic');
    const t1 = commit(dir, { 'a.txt': 'main 1\nmain 2\ntopic 1\n' });
    const t2 = commit(dir, { 'b.txt': 'topic 2\n' });
    const plan = planScan({
      name: 'push',
      payload: { ref: 'refs/heads/topic', before: '0'.repeat(40), after: t2, repository: { default_branch: 'main' } },
    });
    assert.equal(plan.mode, 'diff');
    const src = await openGitSource({ root: dir, mode: 'diff', head: plan.head, exclude: plan.exclude });
    const items = await collect(src.items);
    assert.deepEqual(src.commits, [t1, t2]);
    assert.deepEqual(items.map(text), ['topic 1\n', 'topic 2\n']);
    assert.ok(!src.commits.includes(m2));
  });

  test('empty range: no items, no error', async () => {
    const dir = repo();
    const c0 = commit(dir, { 'a.txt': 'a\n' });
    const plan = planScan({ name: 'push', payload: { before: c0, after: c0 } });
    assert.equal(plan.mode, 'none');
    assert.match(plan.notice ?? '', /no new commits/);
    // An explicit range that is empty (head is an ancestor of base) is also clean.
    const c1 = commit(dir, { 'a.txt': 'a\nb\n' });
    const src = await openGitSource({ root: dir, mode: 'diff', base: c1, head: c0 });
    assert.deepEqual(await collect(src.items), []);
    assert.equal(src.stats.commits, 0);
  });

  test('shallow clone: fetches what the range needs', async () => {
    const origin = repo();
    const base = commit(origin, { 'a.txt': 'a\n' });
    for (let i = 0; i < 5; i++) commit(origin, { [`f${i}.txt`]: `file ${i}\n` });
    const head = commit(origin, { 'secret.env': `KEY=${fakeKeyId(3)}\n` });
    const clone = join(tmp, `r${n++}`);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    assert.equal(sh(clone, 'rev-parse', '--is-shallow-repository'), 'true');
    const notices: string[] = [];
    const src = await openGitSource({ root: clone, mode: 'diff', base, head, onNotice: (m) => notices.push(m) });
    const items = await collect(src.items);
    assert.equal(src.commits.length, 6, 'exactly the six commits after base');
    assert.deepEqual(
      items.map((i) => i.path),
      ['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'secret.env'],
    );
    assert.ok(
      notices.some((m) => /fetch/.test(m)),
      notices.join('\n'),
    );
  });

  test('a range git cannot resolve fails clearly (never an empty pass)', async () => {
    const origin = repo();
    commit(origin, { 'a.txt': 'a\n' });
    commit(origin, { 'a.txt': 'a\nb\n' });
    const clone = join(tmp, `r${n++}`);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    await assert.rejects(
      openGitSource({ root: clone, mode: 'diff', base: 'e'.repeat(40), head: 'HEAD' }),
      (err: Error) => err instanceof GitRangeError && /fetch-depth: 0/.test(err.message),
    );
    await assert.rejects(
      openGitSource({ root: origin, mode: 'diff', base: 'no-such-branch', head: 'HEAD' }),
      GitRangeError,
    );
    await assert.rejects(
      openGitSource({ root: origin, mode: 'diff', base: '--output=/tmp/x', head: 'HEAD' }),
      GitRangeError,
    );
    await assert.rejects(openGitSource({ root: tmp, mode: 'history' }), GitRangeError);
    await assert.rejects(git(origin, ['cat-file', '-p', 'nope']), GitError);
  });

  test('an archive added in the range is read whole (it is binary to git log -p)', async () => {
    const dir = repo();
    const base = commit(dir, { 'a.txt': 'a\n' });
    const zipish = Buffer.concat([Buffer.from('PK\x03\x04\x00\x00'), Buffer.from(`KEY=${fakeKeyId(9)}`)]);
    const head = commit(dir, { 'dist/bundle.zip': zipish, 'img.png': Buffer.from([0x89, 0x50, 0, 0, 1]) });
    const items = await collect((await openGitSource({ root: dir, mode: 'diff', base, head })).items);
    // Both read whole: the engine opens the archive and skips the image (a NUL byte).
    assert.deepEqual(
      items.map((i) => [i.path, i.commit, i.lineMap]),
      [
        ['dist/bundle.zip', head, undefined],
        ['img.png', head, undefined],
      ],
    );
  });
});

describe('history source on real repositories', () => {
  test('each distinct blob once, at the first commit that introduced it; deleted secrets still found', async () => {
    const dir = repo();
    const key = fakeKeyId(4);
    const gone = fakeKeyId(5);
    const c1 = commit(dir, { 'creds.env': `KEY=${key}\n` }, 'add key');
    const c2 = commit(dir, { 'old.env': `OTHER=${gone}\n` }, 'add other');
    const c3 = commit(dir, { 'old.env': null }, 'delete other');
    // The same blob again in other commits and paths: scanned once.
    const c4 = commit(dir, { 'copy/creds.env': `KEY=${key}\n` }, 'copy');
    sh(dir, 'checkout', '-q', '-b', 'side', c1);
    const s1 = commit(dir, { 'side.txt': 'side\n' }, 'side');
    sh(dir, 'checkout', '-q', 'main');
    sh(dir, 'merge', '-q', '--no-edit', 'side');
    // The file keeps the key while other lines change: every version is a new blob with the same secret.
    const later: string[] = [];
    for (let i = 0; i < 5; i++) later.push(commit(dir, { 'creds.env': `KEY=${key}\nN=${i}\n` }, `edit ${i}`));

    const progress: number[] = [];
    const src = await openGitSource({ root: dir, mode: 'history', onProgress: (p) => progress.push(p.commitsDone) });
    const items = await collect(src.items);
    assert.equal(src.commits.length, 11);
    assert.ok(src.commits.indexOf(c1) < src.commits.indexOf(c4));
    const withKey = items.filter((i) => text(i).includes(key));
    assert.equal(withKey.filter((i) => text(i) === `KEY=${key}\n`).length, 1, 'identical blob scanned once');
    assert.equal(withKey[0]?.commit, c1);
    assert.equal(withKey[0]?.path, 'creds.env');
    assert.equal(withKey.length, 6, 'the first blob and the five edited versions');
    const deleted = items.find((i) => text(i).includes(gone));
    assert.equal(deleted?.commit, c2, 'a secret deleted later is still found, at the commit that added it');
    assert.ok(!items.some((i) => i.commit === c3));
    assert.ok(items.some((i) => i.commit === s1));
    assert.ok(src.stats.duplicateBlobs >= 1);
    assert.equal(progress.at(-1), 11);

    // What the engine would report for these blobs: one finding per secret and file, at its first commit.
    const findings = withKey.map(
      (i) => ({ ruleId: 'aws-access-key-id', fingerprint: 'k', file: i.path, line: 1, commit: i.commit }) as Finding,
    );
    const kept = src.finish(findings);
    assert.deepEqual(
      kept.map((f) => [f.file, f.commit]),
      [
        ['creds.env', c1],
        ['copy/creds.env', c4],
      ].filter(([file]) => withKey.some((i) => i.path === file)),
    );
    assert.equal(kept.filter((f) => f.file === 'creds.env').length, 1);
    assert.ok(later.length === 5);
  });

  test('incremental: commits a restored cache vouches for are skipped', async () => {
    const dir = repo();
    commit(dir, { 'a.txt': 'a\n' });
    commit(dir, { 'b.txt': 'b\n' });
    const first = await openGitSource({ root: dir, mode: 'history' });
    assert.equal((await collect(first.items)).length, 2);
    const c3 = commit(dir, { 'c.txt': 'c\n' });
    const second = await openGitSource({ root: dir, mode: 'history', skipCommits: new Set(first.commits) });
    const items = await collect(second.items);
    assert.deepEqual(
      items.map((i) => [i.path, i.commit]),
      [['c.txt', c3]],
    );
    assert.equal(second.stats.commitsSkipped, 2);
  });

  test('history mode in a shallow clone fetches the full history', async () => {
    const origin = repo();
    commit(origin, { 'old.env': `K=${fakeKeyId(6)}\n` });
    commit(origin, { 'old.env': null });
    commit(origin, { 'new.txt': 'x\n' });
    const clone = join(tmp, `r${n++}`);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    const src = await openGitSource({ root: clone, mode: 'history' });
    const items = await collect(src.items);
    assert.equal(src.commits.length, 3);
    assert.ok(items.some((i) => text(i).includes(fakeKeyId(6))));
    // Without a remote to fetch from, a shallow clone cannot be scanned in history mode.
    const c2 = join(tmp, `r${n++}`);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, c2]);
    sh(c2, 'remote', 'remove', 'origin');
    await assert.rejects(openGitSource({ root: c2, mode: 'history' }), /fetch-depth: 0/);
    await assert.rejects(resolveRange({ root: c2, base: 'HEAD~1', head: 'HEAD' }), GitRangeError);
  });
});

test('a range outside a repository says so, though the range is resolved at the same time', async () => {
  const plain = join(tmp, `plain${n++}`);
  execFileSync('mkdir', ['-p', plain]);
  for (const mode of ['diff', 'history'] as const) {
    await assert.rejects(
      openGitSource({ root: plain, mode, base: 'HEAD~1', head: 'HEAD' }),
      (e: Error) => e instanceof GitRangeError && e.message.includes(`not a git repository (mode ${mode} needs one)`),
    );
  }
});

test('a range in a complete clone asks git once whether it is shallow (nothing was fetched in between)', async () => {
  const dir = repo();
  const base = commit(dir, { 'a.txt': 'a\n' });
  const head = commit(dir, { 'b.txt': 'b\n' });
  const calls = await gitCalls(() => resolveRange({ root: dir, base, head }));
  assert.equal(calls.filter((c) => c.includes('--is-shallow-repository')).length, 1, calls.join('\n'));
});

// ---- through the engine -----------------------------------------------------------------------------------------

const awsRule = {
  id: 'test-aws-key-id',
  title: 'AWS access key id',
  severity: 'high' as const,
  keywords: ['akia'],
  pattern: '\\b(AKIA[A-Z2-7]{16})\\b',
  help: '',
  examples: { tp: [], fp: [] },
};
const testPolicy = {
  rules: [awsRule],
  ignorePaths: [],
  allowRegexes: [],
  stopwords: [],
  maxFileSize: 10 * 1024 * 1024,
};

describe('scanGit: sources through the real engine', () => {
  test('history: the same secret in many commits is reported once, at its first commit; a deleted one is found', async () => {
    const dir = repo();
    const key = fakeKeyId(11);
    const gone = fakeKeyId(12);
    commit(dir, { 'README.md': 'hello\n' });
    const first = commit(dir, { 'app/config.py': `# settings\nAWS_KEY = "${key}"\n` });
    const versions: string[] = [];
    for (let i = 0; i < 6; i++)
      versions.push(commit(dir, { 'app/config.py': `# settings ${i}\nAWS_KEY = "${key}"\n`, 'n.txt': `${i}\n` }));
    const copied = commit(dir, { 'deploy/settings.py': `\n\nKEY = "${key}"\n` });
    const added = commit(dir, { 'tmp/creds.txt': `id ${gone}\n` });
    commit(dir, { 'tmp/creds.txt': null });
    const lines: string[] = [];
    const r = await scanGit({
      root: dir,
      mode: 'history',
      policy: testPolicy,
      threads: 1,
      onProgressLine: (l) => lines.push(l),
    });
    const got = r.findings.map((f) => [f.file, f.line, f.commit, f.author]);
    assert.deepEqual(got, [
      ['app/config.py', 2, first, 'Test Author <author@example.test>'],
      ['tmp/creds.txt', 1, added, 'Test Author <author@example.test>'],
    ]);
    // One finding per secret: every other version and path it lived in is a location, in commit order.
    assert.deepEqual(
      (r.findings[0]!.locations ?? []).map((l) => [l.file, l.line, l.commit]),
      [...versions.map((c) => ['app/config.py', 2, c]), ['deploy/settings.py', 3, copied]],
    );
    assert.equal(r.findings[1]!.locations, undefined);
    assert.equal(r.git.commits.length, 11);
    assert.match(r.git.summary, /^scanned 11 commits/);
    assert.equal(lines.at(-1), r.git.summary);
  });

  test('diff: a PR adding a secret in a Kubernetes Secret (base64) and in an archive', async () => {
    const dir = repo();
    const base = commit(dir, { 'README.md': 'hello\n' });
    const key = fakeKeyId(13);
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'data:',
      `  key_id: ${Buffer.from(key).toString('base64')}`,
      '',
    ].join('\n');
    const head = commit(dir, { 'k8s/secret.yaml': manifest });
    const r = await scanGit({ root: dir, mode: 'diff', base, head, policy: testPolicy, threads: 1 });
    assert.deepEqual(
      r.findings.map((f) => [f.file, f.line, f.decoded, f.commit]),
      [['k8s/secret.yaml', 4, 'base64', head]],
    );
  });
});

describe('runScanJob (CLI and action): git modes', () => {
  test('diff, history, auto from a pull_request event, an empty push, and an unresolvable base (usage error)', async () => {
    const { runScanJob, ModeError } = await import('../../src/scan/job.ts');
    const dir = repo();
    const base = commit(dir, { 'README.md': 'hello\n' });
    const key = fakeKeyId(21);
    const head = commit(dir, { 'app.env': `AWS_ACCESS_KEY_ID=${key}\n` });
    const notices: string[] = [];
    const common = {
      root: dir,
      configSearch: [dir],
      cwd: dir,
      env: {},
      onWarning: () => {},
      onNotice: (m: string) => notices.push(m),
    };
    const diff = await runScanJob({ ...common, mode: 'diff', base, head });
    assert.deepEqual(
      diff.result.findings.map((f) => [f.ruleId, f.file, f.line, f.commit]),
      [['aws-access-key-id', 'app.env', 1, head]],
    );
    assert.equal(diff.git?.commits.length, 1);
    const hist = await runScanJob({ ...common, mode: 'history' });
    assert.deepEqual(
      hist.result.findings.map((f) => f.commit),
      [head],
    );

    const eventPath = join(tmp, `event-${n++}.json`);
    writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 3, base: { sha: base }, head: { sha: head } } }));
    const auto = await runScanJob({
      ...common,
      mode: 'auto',
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath },
    });
    assert.equal(auto.result.findings.length, 1);
    assert.match(notices.join('\n'), /pull request #3: scanning lines added/);

    writeFileSync(eventPath, JSON.stringify({ before: head, after: head }));
    const none = await runScanJob({
      ...common,
      mode: 'auto',
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: eventPath },
    });
    assert.equal(none.result.findings.length, 0);
    assert.match(notices.join('\n'), /push with no new commits/);

    await assert.rejects(
      runScanJob({ ...common, mode: 'diff', base: 'f'.repeat(40), head }),
      (e: Error) => e instanceof ModeError && /not in this clone/.test(e.message),
    );
    await assert.rejects(
      runScanJob({ ...common, mode: 'diff' }),
      (e: Error) => e instanceof ModeError && /needs a base/.test(e.message),
    );
  });
});

describe('diff source: nothing hides behind .gitattributes', () => {
  test('a file marked -diff (binary to git log -p) is still read whole', async () => {
    const dir = repo();
    const base = commit(dir, { 'README.md': 'x\n' });
    const key = fakeKeyId(31);
    const head = commit(dir, { '.gitattributes': '*.env -diff\n', 'prod.env': `A=1\nAWS_ACCESS_KEY_ID=${key}\n` });
    const items = await collect((await openGitSource({ root: dir, mode: 'diff', base, head })).items);
    const env = items.find((i) => i.path === 'prod.env');
    assert.ok(env, items.map((i) => i.path).join(','));
    assert.equal(env.lineMap, undefined, 'whole blob: lines are file lines');
    assert.ok(text(env).includes(key));
    const r = await scanGit({ root: dir, mode: 'diff', base, head, policy: testPolicy, threads: 1 });
    assert.deepEqual(
      r.findings.map((f) => [f.file, f.line, f.commit]),
      [['prod.env', 2, head]],
    );
  });
});

describe('diff findings are located in the head commit', () => {
  test('mapLine moves a line through later insertions and deletions, and gives up on rewritten lines', () => {
    const hunks = parseHunks('@@ -0,0 +1,2 @@\n+a\n+b\n@@ -5,2 +7,0 @@\n-x\n-y\n@@ -9 +9,3 @@\n-z\n+1\n+2\n+3\n');
    assert.deepEqual(hunks[0], { oldStart: 0, oldCount: 0, newStart: 1, newCount: 2 });
    assert.equal(mapLine(1, hunks), 3);
    assert.equal(mapLine(5, hunks), undefined);
    assert.equal(mapLine(8, hunks), 8);
    assert.equal(mapLine(9, hunks), undefined);
    assert.equal(mapLine(12, hunks), 14);
    assert.equal(mapLine(3, []), 3);
  });

  test('a secret added in the first commit of a PR, with lines inserted above it later, is annotated at its head line', async () => {
    const dir = repo();
    const base = commit(dir, { 'README.md': 'x\n' });
    const key = fakeKeyId(41);
    const c1 = commit(dir, { 'app.env': `A=1\nAWS_ACCESS_KEY_ID=${key}\n` });
    const head = commit(dir, { 'app.env': `# header\n# more\n# and more\nA=1\nAWS_ACCESS_KEY_ID=${key}\n` });
    const r = await scanGit({ root: dir, mode: 'diff', base, head, policy: testPolicy, threads: 1 });
    assert.deepEqual(
      r.findings.map((f) => [f.file, f.line, f.endLine, f.commit]),
      [['app.env', 5, 5, c1]],
    );
  });
});
