import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { baseSource, ConfigSourceError, worktreeSource } from '../../src/scan/config-source.ts';
import { FileReadError } from '../../src/shared/read-file.ts';
import { gitCalls } from './git-calls.ts';

const dir = mkdtempSync(join(tmpdir(), 'config-source-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@x',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@x',
    },
  }).trim();
const limits = { maxBytes: 64, what: 'config file' };

git('init', '-q', '-b', 'main', '.');
writeFileSync(join(dir, '.jit-gpg.toml'), 'base = 1\n');
writeFileSync(join(dir, 'same.toml'), 'same\n');
writeFileSync(join(dir, 'big.toml'), 'x'.repeat(100));
symlinkSync('/dev/zero', join(dir, 'link.toml'));
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'sub', 'a.toml'), 'sub\n');
git('add', '-A');
git('commit', '-q', '-m', 'base');
const base = git('rev-parse', 'HEAD');
writeFileSync(join(dir, '.jit-gpg.toml'), '[allow]\npaths = ["**"]\n');
writeFileSync(join(dir, 'added.toml'), 'new\n');
writeFileSync(join(dir, 'downloaded.json'), '{}\n');
git('add', '.jit-gpg.toml', 'added.toml');
git('commit', '-q', '-m', 'pr');

describe('baseSource', () => {
  it('reads a tracked file from the base commit and records that the pull request changes it', async () => {
    const src = await baseSource({ root: dir, cwd: dir, base });
    assert.equal((await src.read(join(dir, '.jit-gpg.toml'), limits))?.toString(), 'base = 1\n');
    assert.equal((await src.read(join(dir, 'same.toml'), limits))?.toString(), 'same\n');
    assert.equal((await src.read(join(dir, 'sub', 'a.toml'), limits))?.toString(), 'sub\n', 'a path in a subdirectory');
    assert.deepEqual(
      src.files.map((f) => [f.name, f.changed]),
      [
        ['.jit-gpg.toml', true],
        ['same.toml', false],
        ['sub/a.toml', false],
      ],
    );
  });

  it('does not read a file the pull request adds (absent at base), and records it', async () => {
    const src = await baseSource({ root: dir, cwd: dir, base });
    assert.equal(await src.read(join(dir, 'added.toml'), limits), undefined);
    assert.match(src.files[0]!.origin, /^absent at base [0-9a-f]{12}/);
    assert.equal(src.files[0]!.changed, true);
  });

  it('reads an untracked file or an explicit absolute path as given', async () => {
    const src = await baseSource({ root: dir, cwd: dir, base });
    assert.equal((await src.read(join(dir, 'downloaded.json'), limits))?.toString(), '{}\n');
    assert.equal(
      (await src.read(join(dir, '.jit-gpg.toml'), limits, { asGiven: true }))?.toString().startsWith('[allow]'),
      true,
    );
    assert.deepEqual(
      src.files.map((f) => f.origin),
      ['as given (not tracked)', 'as given (not tracked)'],
    );
  });

  it('refuses a symlink or an oversized blob at the base commit', async () => {
    const src = await baseSource({ root: dir, cwd: dir, base });
    await assert.rejects(
      src.read(join(dir, 'link.toml'), limits),
      (e: unknown) => e instanceof FileReadError && /is a symbolic link at [0-9a-f]{12}/.test(e.message),
    );
    await assert.rejects(
      src.read(join(dir, 'big.toml'), limits),
      (e: unknown) => e instanceof FileReadError && /larger than the limit/.test(e.message),
    );
  });

  it('asks git for the top level of a directory once, however many files are read from it', async () => {
    const calls = await gitCalls(async () => {
      const src = await baseSource({ root: dir, cwd: dir, base });
      for (const f of ['.jit-gpg.toml', '.gitleaks.toml', 'same.toml', 'added.toml', join('sub', 'a.toml')]) {
        await src.read(join(dir, f), limits);
      }
    });
    // Once for the root (every file there), once for sub/.
    assert.equal(calls.filter((c) => c.includes('--show-toplevel')).length, 2, calls.join('\n'));
    // ls-files only for what the base commit lacks and the checkout has (added.toml; not .gitleaks.toml).
    assert.equal(calls.filter((c) => / ls-files /.test(c)).length, 1, calls.join('\n'));
  });

  it('fails closed when the base commit is not in the clone', async () => {
    await assert.rejects(
      baseSource({ root: dir, cwd: dir, base: 'f'.repeat(40) }),
      (e: unknown) => e instanceof ConfigSourceError && /base commit ffffffffffff is not in this clone/.test(e.message),
    );
  });
});

describe('worktreeSource', () => {
  it('reads the checkout under the same bounds', async () => {
    const src = worktreeSource(dir);
    assert.equal((await src.read(join(dir, '.jit-gpg.toml'), limits))?.toString().startsWith('[allow]'), true);
    assert.equal(await src.read(join(dir, 'none.toml'), limits), undefined);
    await assert.rejects(src.read(join(dir, 'link.toml'), limits), /character device, not a regular file/);
  });
});
