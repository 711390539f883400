import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { scan } from '../../src/scan/index.ts';
import { defaultPolicy, type ScanPolicy } from '../../src/scan/policy.ts';
import { mayBeInRepository, walkFiles, worktreeItems } from '../../src/scan/sources/worktree.ts';
import type { ScanItem } from '../../src/scan/sources/types.ts';
import type { FindingLocation, Rule, ScanResult } from '../../src/scan/types.ts';
import { gitCalls, withGitOnPath } from './git-calls.ts';

/** Every place a scan found a secret: each finding and its other locations (one finding per secret), sorted. */
const places = (r: ScanResult): FindingLocation[] =>
  r.findings
    .flatMap((f) => [f, ...(f.locations ?? [])])
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

const tok = () => `${'ghp'}_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5`;
const rules: Rule[] = [
  {
    id: 'test-gh',
    title: 'GitHub-like token',
    severity: 'high',
    keywords: ['ghp_'],
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b',
    help: '',
    examples: { tp: [], fp: [] },
  },
];
const policy = (): ScanPolicy => ({ ...defaultPolicy(), rules });

const base = mkdtempSync(join(tmpdir(), 'jit-gpg-worktree-'));
after(() => {
  try {
    chmodSync(join(base, 'repo', 'locked.txt'), 0o644);
  } catch {}
  rmSync(base, { recursive: true, force: true });
});

function tree(root: string): void {
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(join(root, 'build'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(root, '.gitignore'), 'build/\n*.log\n');
  writeFileSync(join(root, 'src', 'a.ts'), `const t = '${tok()}';\n`);
  writeFileSync(join(root, 'src', 'deep', 'b.env'), `X=1\nTOKEN=${tok()}\n`);
  writeFileSync(join(root, 'build', 'out.js'), `${tok()}\n`);
  writeFileSync(join(root, 'debug.log'), `${tok()}\n`);
  writeFileSync(join(root, 'node_modules', 'dep', 'i.js'), `${tok()}\n`);
  writeFileSync(join(root, 'bin.dat'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(tok())]));
}

const outside = join(base, 'outside');
mkdirSync(outside);
writeFileSync(join(outside, 'secret.txt'), `${tok()}\n`);

describe('worktree source', () => {
  it('inside a git repository lists tracked and untracked files and respects .gitignore', async () => {
    const root = join(base, 'repo');
    mkdirSync(root);
    tree(root);
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', 'src/a.ts', '.gitignore'], { cwd: root });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(outside, join(root, 'escape-dir'));
    const paths: string[] = [];
    for await (const it of worktreeItems(root)) paths.push(it.path);
    assert.deepEqual(paths.sort(), ['.gitignore', 'bin.dat', 'node_modules/dep/i.js', 'src/a.ts', 'src/deep/b.env']);
    const r = await scan({ root, policy: policy() });
    assert.deepEqual(
      places(r).map((f) => `${f.file}:${f.line}`),
      ['src/a.ts:1', 'src/deep/b.env:2'],
    );
    assert.equal(r.stats.skippedBinary, 1);
    assert.deepEqual(r.warnings, []);
  });

  it('a directory git ignores entirely is walked, with a warning', async () => {
    const root = join(base, 'repo', 'build');
    const r = await scan({ root, policy: policy() });
    assert.deepEqual(
      places(r).map((f) => f.file),
      ['out.js'],
    );
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /git ignores every file here/);
  });

  it('outside a repository walks the directory, never following symlinks out of the root', async () => {
    const root = join(base, 'plain');
    mkdirSync(root);
    tree(root);
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'escape.txt'));
    symlinkSync(outside, join(root, 'escape-dir'));
    const paths: string[] = [];
    for await (const it of walkFiles(root)) paths.push(it.path);
    assert.ok(!paths.some((p) => p.includes('escape')));
    const r = await scan({ root, policy: policy() });
    assert.deepEqual(
      places(r).map((f) => f.file),
      ['build/out.js', 'debug.log', 'src/a.ts', 'src/deep/b.env'],
    );
  });

  it('outside any repository lists without starting git', async (t) => {
    if (mayBeInRepository(base)) return t.skip(`${base} is inside a git repository`);
    const root = join(base, 'no-repo');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'a.txt'), `${tok()}\n`);
    const paths: string[] = [];
    const calls = await gitCalls(async () => {
      for await (const it of worktreeItems(root)) paths.push(it.path);
    });
    assert.deepEqual(paths, ['sub/a.txt']);
    assert.deepEqual(calls, [], 'git was started');
  });

  it('asks git wherever git could find a repository', () => {
    const at = (...parts: string[]) => {
      const dir = join(base, 'repo-kinds', ...parts);
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    if (mayBeInRepository(base)) return; // every answer would be true
    assert.equal(mayBeInRepository(at('plain', 'deep')), false);
    // A .git directory above, a .git file (a linked work tree or a submodule), a bare repository's layout.
    mkdirSync(join(at('with-dir'), '.git'));
    assert.equal(mayBeInRepository(at('with-dir', 'a', 'b')), true);
    writeFileSync(join(at('with-file'), '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    assert.equal(mayBeInRepository(at('with-file', 'sub')), true);
    writeFileSync(join(at('bare.git'), 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(join(at('bare.git'), 'objects'));
    assert.equal(mayBeInRepository(at('bare.git', 'refs')), true);
    // GIT_DIR points git anywhere; a symlinked root is searched from where it leads.
    assert.equal(mayBeInRepository(at('plain'), { GIT_DIR: '/x/.git' }), true);
    symlinkSync(at('with-dir', 'a'), join(at('plain'), 'link'));
    assert.equal(mayBeInRepository(join(at('plain'), 'link')), true);
  });

  it('reports a file that vanished between listing and reading as a warning naming it', async () => {
    const root = join(base, 'vanish');
    mkdirSync(root);
    writeFileSync(join(root, 'a.txt'), `${tok()}\n`);
    writeFileSync(join(root, 'b.txt'), `${tok()}\n`);
    async function* listedThenDeleted() {
      for await (const it of worktreeItems(root)) {
        if (it.path === 'a.txt') rmSync(join(root, 'a.txt'));
        yield it;
      }
    }
    const r = await scan({ root, items: listedThenDeleted(), policy: policy() });
    assert.deepEqual(r.warnings, ['a.txt: cannot read (ENOENT)']);
    assert.equal(r.stats.unreadable, 1);
    assert.deepEqual(
      places(r).map((f) => f.file),
      ['b.txt'],
    );
  });

  it('reports an unreadable file as a warning and carries on', async (t) => {
    if (process.getuid?.() === 0) return t.skip('root reads everything');
    const root = join(base, 'repo');
    writeFileSync(join(root, 'locked.txt'), `${tok()}\n`);
    chmodSync(join(root, 'locked.txt'), 0o000);
    const r = await scan({ root, policy: policy() });
    assert.deepEqual(r.warnings, ['locked.txt: cannot read (EACCES)']);
    assert.equal(r.stats.unreadable, 1);
    assert.equal(places(r).length, 2);
  });
});

describe('names as bytes; what the listing leaves alone is counted', () => {
  const setup = (root: string) => {
    const badDir = Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x64, 0xfe])]);
    mkdirSync(badDir, { recursive: true });
    writeFileSync(Buffer.concat([badDir, Buffer.from('/f'), Buffer.from([0xff]), Buffer.from('.env')]), `T=${tok()}\n`);
    writeFileSync(join(root, 'plain.env'), `T=${tok()}\n`);
    symlinkSync('plain.env', join(root, 'link.env'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
  };

  it('walk: a name that is not UTF-8 is scanned and shown losslessly; a symlink and a FIFO are counted', async () => {
    const root = join(base, 'bytes-walk');
    mkdirSync(root);
    setup(root);
    const r = await scan({ root, policy: policy(), threads: 1 });
    assert.deepEqual(r.findings.flatMap((f) => [f.file, ...(f.locations ?? []).map((l) => l.file)]).sort(), [
      'd\\xfe/f\\xff.env',
      'plain.env',
    ]);
    assert.equal(r.stats.skippedSymlinks, 1);
    assert.equal(r.stats.skippedSpecial, 1);
  });

  it('walk with statFirst: the first files carry their size, the rest none; symlinks and FIFOs still counted', async () => {
    const root = join(base, 'stat-first');
    mkdirSync(root);
    setup(root);
    writeFileSync(join(root, 'a.txt'), 'four');
    const skipped: string[] = [];
    const items = [];
    for await (const it of walkFiles(root, { statFirst: 1, onSkip: (kind, path) => skipped.push(`${kind} ${path}`) }))
      items.push(it);
    assert.deepEqual(
      items.map((it) => [it.path, it.source.kind === 'file' ? it.source.size : 'bytes']),
      [
        ['a.txt', 4],
        ['plain.env', undefined],
        ['d\\xfe/f\\xff.env', undefined],
      ],
    );
    assert.deepEqual(skipped.sort(), ['special pipe', 'symlink link.env']);
  });

  it("walk: the order is the names' byte order, above U+FFFF too, and a UTF-8 tree under a non-UTF-8 name keeps its bytes", async () => {
    const root = mkdtempSync(join(tmpdir(), 'jit-walk-order-'));
    try {
      // UTF-16 order puts the emoji (a surrogate pair) before U+FF5A; UTF-8 byte order puts it after.
      for (const n of ['b.txt', 'a.txt', '\u{1F600}.txt', '\uFF5A.txt', 'A.txt']) writeFileSync(join(root, n), 'x');
      const bad = Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x64, 0xfe])]); // "d\xfe"
      mkdirSync(bad);
      mkdirSync(Buffer.concat([bad, Buffer.from('/sub')]));
      writeFileSync(Buffer.concat([bad, Buffer.from('/sub/ok.txt')]), 'x');
      const got: string[] = [];
      const abs: Array<string | Buffer> = [];
      for await (const it of walkFiles(root)) {
        got.push(it.path);
        if (it.source.kind === 'file') abs.push(it.source.absPath);
      }
      assert.deepEqual(got, ['A.txt', 'a.txt', 'b.txt', '\uFF5A.txt', '\u{1F600}.txt', 'd\\xfe/sub/ok.txt']);
      assert.ok(Buffer.isBuffer(abs.at(-1)), 'opened by its bytes');
      assert.ok((abs.at(-1) as Buffer).equals(Buffer.concat([bad, Buffer.from('/sub/ok.txt')])));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('git: a tracked file is typed by its index mode and checked where it is opened', async () => {
    const root = join(base, 'typed-git');
    mkdirSync(join(root, 'sub'), { recursive: true });
    const run = (...args: string[]) =>
      execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
        cwd: root,
        stdio: 'pipe', // the merge below conflicts on purpose: its complaint is not test output
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'a',
          GIT_AUTHOR_EMAIL: 'a@x',
          GIT_COMMITTER_NAME: 'a',
          GIT_COMMITTER_EMAIL: 'a@x',
        },
      });
    run('init', '-q', '-b', 'main', '.');
    writeFileSync(join(root, 'a.env'), `T=${tok()}\n`);
    writeFileSync(join(root, 'gone.txt'), 'x\n');
    writeFileSync(join(root, 'swapped.txt'), 'x\n');
    writeFileSync(join(root, 'conflict.txt'), 'base\n');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt')); // a committed symlink out of the tree
    run('add', '-A');
    run('commit', '-q', '-m', 'base');
    run('checkout', '-q', '-b', 'other');
    writeFileSync(join(root, 'conflict.txt'), 'theirs\n');
    run('commit', '-q', '-am', 'other');
    run('checkout', '-q', 'main');
    writeFileSync(join(root, 'conflict.txt'), 'ours\n');
    run('commit', '-q', '-am', 'main');
    assert.throws(() => run('merge', '-q', 'other'), 'a merge conflict');
    writeFileSync(join(root, 'conflict.txt'), `<<<<<<<\nK=${tok()}\n=======\n>>>>>>>\n`);
    rmSync(join(root, 'gone.txt')); // tracked, deleted from the work tree
    rmSync(join(root, 'swapped.txt'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'swapped.txt')); // tracked as a file, a symlink now
    writeFileSync(join(root, 'sub', 'new.env'), `N=${tok()}\n`); // untracked
    const items: ScanItem[] = [];
    const skipped: string[] = [];
    for await (const it of worktreeItems(root, { onSkip: (kind, path) => skipped.push(`${kind} ${path}`) }))
      items.push(it);
    const byPath = new Map(items.map((it) => [it.path, it]));
    assert.deepEqual([...byPath.keys()].sort(), ['a.env', 'conflict.txt', 'gone.txt', 'sub/new.env', 'swapped.txt']);
    assert.equal(items.filter((it) => it.path === 'conflict.txt').length, 1, 'a conflicted path, once');
    assert.deepEqual(skipped, ['symlink link.txt']);
    // Tracked files carry no size (nothing stat'ed them); the untracked one was stat'ed.
    assert.equal((byPath.get('a.env')!.source as { size?: number }).size, undefined);
    assert.equal(typeof (byPath.get('sub/new.env')!.source as { size?: number }).size, 'number');
    const r = await scan({ root, policy: policy(), threads: 1 });
    assert.deepEqual(
      places(r).map((f) => f.file),
      ['a.env', 'conflict.txt', 'sub/new.env'],
    );
    // The file that is a symlink now is never followed, and counted with the committed one; the deleted one is gone.
    assert.deepEqual(r.warnings, []);
    assert.equal(r.stats.skippedSymlinks, 2);
    assert.equal(r.stats.unreadable, 0);
  });

  it('git: a listing this does not understand is a warning, and the directory is walked', async (t) => {
    if (mayBeInRepository(base)) return t.skip(`${base} is inside a git repository`);
    const root = join(base, 'odd-git');
    mkdirSync(join(root, '.git'), { recursive: true });
    writeFileSync(join(root, 'a.env'), `T=${tok()}\n`);
    const warnings: string[] = [];
    const paths: string[] = [];
    // A git whose listing is not what `ls-files -z -t --stage` prints: a tag without its space.
    await withGitOnPath(
      () => "printf 'Xa.env\\0'",
      async () => {
        for await (const it of worktreeItems(root, { onWarning: (m) => warnings.push(m) })) paths.push(it.path);
      },
    );
    assert.deepEqual(paths, ['a.env']);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /git ls-files failed in .* \(an entry it printed is not understood\); walking the directory/,
    );
  });

  it('git: names from `git ls-files -z` are bytes too', async () => {
    const root = join(base, 'bytes-git');
    mkdirSync(root);
    setup(root);
    execFileSync('git', ['init', '-q', '.'], { cwd: root });
    const r = await scan({ root, policy: policy(), threads: 1 });
    assert.deepEqual(r.findings.flatMap((f) => [f.file, ...(f.locations ?? []).map((l) => l.file)]).sort(), [
      'd\\xfe/f\\xff.env',
      'plain.env',
    ]);
    assert.equal(r.stats.skippedSymlinks, 1);
  });
});
