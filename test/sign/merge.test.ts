// Fan-in of checksum fragments: globs inside the workspace, bounded reads, one entry per name, conflicts naming
// both fragments, present files verified, absent ones counted; the merged text passes `sha256sum -c --strict`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { digestFiles, formatNamed } from '../../src/sign/manifest.ts';
import { findFragments, MergeError, manifestEntriesWith, mergeFragments, readFragment } from '../../src/sign/merge.ts';

let root: string;
let ws: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jit-gpg-merge-'));
  ws = join(root, 'workspace');
  mkdirSync(join(ws, 'dist'), { recursive: true });
  mkdirSync(join(ws, 'fragments'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A matrix job: builds its artifact in dist/ and writes its fragment from inside dist/ (names as given there). */
async function matrixJob(name: string, content: string, fragmentName = `${name}.sha256sums`) {
  writeFileSync(join(ws, 'dist', name), content);
  const text = formatNamed(await digestFiles([name], join(ws, 'dist')));
  writeFileSync(join(ws, 'fragments', fragmentName), text);
  return text;
}

describe('findFragments', () => {
  it('matches globs inside the workspace, sorted; negations apply; no match is an error', async () => {
    await matrixJob('app-linux-x64.tgz', 'l');
    await matrixJob('app-darwin-arm64.tgz', 'd');
    writeFileSync(join(ws, 'fragments', 'skip.sha256sums'), '');
    mkdirSync(join(ws, 'fragments', 'dir.sha256sums'));
    const found = await findFragments(['fragments/*.sha256sums', '!fragments/skip.*'], ws);
    assert.deepEqual(
      found.map((f) => f.display),
      ['fragments/app-darwin-arm64.tgz.sha256sums', 'fragments/app-linux-x64.tgz.sha256sums'],
    );
    await assert.rejects(findFragments(['nothing/*.sha256sums'], ws), (e: Error) => {
      assert.ok(e instanceof MergeError);
      assert.match(e.message, /no fragment matched "nothing\/\*\.sha256sums"/);
      return true;
    });
  });
  it('refuses patterns and links that leave the workspace', async () => {
    await assert.rejects(findFragments(['../*.sha256sums'], ws), /must be relative and inside the workspace/);
    await assert.rejects(findFragments(['/etc/*'], ws), /must be relative and inside the workspace/);
    writeFileSync(join(root, 'outside.sha256sums'), `${'a'.repeat(64)}  x\n`);
    symlinkSync(join(root, 'outside.sha256sums'), join(ws, 'fragments', 'evil.sha256sums'));
    await assert.rejects(findFragments(['fragments/*'], ws), /link to a file outside the workspace/);
  });
});

describe('readFragment', () => {
  it('bounds the read: size cap, regular files only, UTF-8 text', async () => {
    const big = join(ws, 'fragments', 'big.sha256sums');
    writeFileSync(big, `${'a'.repeat(64)}  x\n`.repeat(100));
    await assert.rejects(
      readFragment({ path: big, display: 'fragments/big' }, 1000),
      /fragment .*big\.sha256sums is larger than the 1000 bytes limit/,
    );
    const target = join(ws, 'fragments', 'real.sha256sums');
    writeFileSync(target, `${'a'.repeat(64)}  x\n`);
    assert.equal((await readFragment({ path: target, display: 'fragments/real.sha256sums' })).length, 1);
    await assert.rejects(readFragment({ path: join(ws, 'fragments'), display: 'd' }), /not a regular file/);
    const bin = join(ws, 'fragments', 'bin.sha256sums');
    writeFileSync(bin, Buffer.from([0xff, 0xfe, 0x00]));
    await assert.rejects(readFragment({ path: bin, display: 'fragments/bin' }), /not UTF-8/);
    writeFileSync(bin, 'not a checksum\n');
    await assert.rejects(readFragment({ path: bin, display: 'fragments/bin' }), /fragments\/bin: line 1: malformed/);
    if (process.platform === 'linux') {
      // A FIFO would block a naive read forever: it is refused without waiting for a writer.
      const fifo = join(ws, 'fragments', 'fifo.sha256sums');
      if (spawnSync('mkfifo', [fifo]).status === 0) {
        await assert.rejects(readFragment({ path: fifo, display: 'fifo' }), /not a regular file/);
      }
    }
  });
});

describe('mergeFragments', () => {
  it('merges four matrix fragments into one manifest that sha256sum -c --strict accepts beside the artifacts', async () => {
    for (const t of ['linux-x64', 'linux-arm64', 'darwin-arm64', 'windows-x64']) await matrixJob(`app-${t}.tgz`, t);
    // the same artifact listed by two fragments with the same digest is listed once
    await matrixJob('app-linux-x64.tgz', 'linux-x64', 'again.sha256sums');
    const fragments = await findFragments(['fragments/*.sha256sums'], ws);
    const merged = await mergeFragments({ fragments, manifestDir: join(ws, 'dist') });
    assert.equal(merged.entries.length, 4);
    assert.deepEqual(merged.absent, []);
    assert.equal(merged.verified.length, 4);
    writeFileSync(join(ws, 'dist', 'SHA256SUMS'), merged.text);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: join(ws, 'dist'), encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.equal(check.stdout.trim().split('\n').length, 4);
  });
  it('a name with two digests fails naming both fragment files', async () => {
    await matrixJob('app.tgz', 'built on linux', 'linux.sha256sums');
    await matrixJob('app.tgz', 'built on darwin', 'darwin.sha256sums');
    const fragments = await findFragments(['fragments/*.sha256sums'], ws);
    await assert.rejects(mergeFragments({ fragments, manifestDir: join(ws, 'dist') }), (e: Error) => {
      assert.ok(e instanceof MergeError);
      assert.match(e.message, /conflicting digests for "app\.tgz"/);
      assert.match(e.message, /fragments\/darwin\.sha256sums says [0-9a-f]{64}/);
      assert.match(e.message, /fragments\/linux\.sha256sums \(line 1\) says [0-9a-f]{64}/);
      assert.match(e.message, /Nothing was signed/);
      return true;
    });
  });
  it('a conflict between a local entry and a fragment names both', async () => {
    await matrixJob('app.tgz', 'a');
    const fragments = await findFragments(['fragments/*'], ws);
    await assert.rejects(
      mergeFragments({
        fragments,
        manifestDir: join(ws, 'dist'),
        local: [{ name: 'app.tgz', sha256: 'f'.repeat(64), source: 'files (signed in this job)' }],
      }),
      /files \(signed in this job\) says f{64}, fragments\/app\.tgz\.sha256sums \(line 1\) says/,
    );
  });
  it('verifies present files (a changed artifact fails), counts absent ones', async () => {
    await matrixJob('present.tgz', 'p');
    await matrixJob('absent.tgz', 'a');
    rmSync(join(ws, 'dist', 'absent.tgz'));
    const fragments = await findFragments(['fragments/*'], ws);
    const merged = await mergeFragments({ fragments, manifestDir: join(ws, 'dist') });
    assert.deepEqual(merged.verified, ['present.tgz']);
    assert.deepEqual(merged.absent, ['absent.tgz']);
    assert.match(merged.text, /absent\.tgz\n/);
    writeFileSync(join(ws, 'dist', 'present.tgz'), 'tampered');
    await assert.rejects(
      mergeFragments({ fragments, manifestDir: join(ws, 'dist') }),
      /"present\.tgz" does not match its digest: fragments\/present\.tgz\.sha256sums says [0-9a-f]{64}, the file has/,
    );
  });
  it('refuses to vouch for a listed name that is a link or a directory beside the manifest', async () => {
    writeFileSync(join(root, 'secret-outside'), 'x');
    symlinkSync(join(root, 'secret-outside'), join(ws, 'dist', 'link.tgz'));
    mkdirSync(join(ws, 'dist', 'dir.tgz'));
    writeFileSync(
      join(ws, 'fragments', 'f.sha256sums'),
      formatNamed([
        { name: 'link.tgz', sha256: 'a'.repeat(64) },
        { name: 'dir.tgz', sha256: 'b'.repeat(64) },
      ]),
    );
    const fragments = await findFragments(['fragments/*'], ws);
    await assert.rejects(mergeFragments({ fragments, manifestDir: join(ws, 'dist') }), /not a regular file/);
    rmSync(join(ws, 'dist', 'dir.tgz'), { recursive: true });
    await assert.rejects(mergeFragments({ fragments, manifestDir: join(ws, 'dist') }), /a symbolic link/);
  });
  it('names that climb out of the manifest directory are refused with the fragment and line', async () => {
    writeFileSync(
      join(ws, 'fragments', 'f.sha256sums'),
      `${'a'.repeat(64)}  ok\n${'b'.repeat(64)}  ../../etc/passwd\n`,
    );
    const fragments = await findFragments(['fragments/*'], ws);
    await assert.rejects(
      mergeFragments({ fragments, manifestDir: join(ws, 'dist') }),
      /fragments\/f\.sha256sums: line 2: .*leaves the manifest's directory/,
    );
  });
  it('fragments that list nothing are refused', async () => {
    writeFileSync(join(ws, 'fragments', 'empty.sha256sums'), '');
    const fragments = await findFragments(['fragments/*'], ws);
    await assert.rejects(mergeFragments({ fragments, manifestDir: join(ws, 'dist') }), /list no files/);
  });
  it('files signed in the fan-in step join the merge; one with another digest than a fragment fails naming both', async () => {
    await matrixJob('app.tgz', 'a');
    const merged = await mergeFragments({
      fragments: await findFragments(['fragments/*'], ws),
      manifestDir: join(ws, 'dist'),
    });
    writeFileSync(join(ws, 'dist', 'NOTES.md'), 'notes');
    const notes = { path: join(ws, 'dist', 'NOTES.md'), sha256: 'c'.repeat(64) };
    const { merged: all, entries } = manifestEntriesWith(merged, [notes], join(ws, 'dist'));
    assert.deepEqual(
      all.entries.map((e) => e.name),
      ['app.tgz', 'NOTES.md'],
    );
    assert.deepEqual(
      entries.map((e) => e.path),
      [join(ws, 'dist', 'app.tgz'), join(ws, 'dist', 'NOTES.md')],
    );
    const clash = { path: join(ws, 'dist', 'app.tgz'), sha256: 'd'.repeat(64) };
    assert.throws(
      () => manifestEntriesWith(merged, [clash], join(ws, 'dist')),
      /conflicting digests for "app\.tgz": fragments\/app\.tgz\.sha256sums says [0-9a-f]{64}, the files signed in this step says d{64}/,
    );
  });
});
