import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSigningKey } from '../../src/sign/key.ts';
import {
  checkManifestName,
  digestFiles,
  formatLine,
  formatManifest,
  formatNamed,
  parseManifest,
  parseManifestLines,
  writeManifest,
  writeSignedManifest,
} from '../../src/sign/manifest.ts';
import { signFiles } from '../../src/sign/signer.ts';
import { verifyFile } from '../../src/sign/verify.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'keys');
const H = (c: string) => c.repeat(64);
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jit-gpg-manifest-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('formatManifest', () => {
  it('`<hex>  <name>` lines, names relative to the manifest directory, sorted bytewise, LF, lower-case hex', () => {
    const text = formatManifest(
      [
        { path: '/r/dist/b.tar.gz', sha256: H('B') },
        { path: '/r/dist/sub/a.zip', sha256: H('a') },
        { path: '/r/dist/A.txt', sha256: H('c') },
        { path: '/r/dist/b.tar.gz', sha256: H('b') },
      ],
      '/r/dist',
    );
    assert.equal(text, `${H('c')}  A.txt\n${H('b')}  b.tar.gz\n${H('a')}  sub/a.zip\n`);
    assert.deepEqual(
      [...parseManifest(text).entries()],
      [
        ['A.txt', H('c')],
        ['b.tar.gz', H('b')],
        ['sub/a.zip', H('a')],
      ],
    );
  });
  it('refuses what sha256sum could not read back', () => {
    assert.throws(() => formatManifest([{ path: '/r/x', sha256: 'zz' }], '/r'), /not a SHA-256/);
    assert.throws(() => formatManifest([{ path: '/other/x', sha256: H('a') }], '/r'), /outside/);
    assert.throws(
      () =>
        formatManifest(
          [
            { path: '/r/x', sha256: H('a') },
            { path: '/r/x', sha256: H('b') },
          ],
          '/r',
        ),
      /twice/,
    );
    assert.throws(() => parseManifest('garbage\n'), /line 1: malformed/);
    assert.throws(() => parseManifest(`${H('a')}  x\n${H('b')}  x\n`), /line 2: "x" is listed twice/);
  });
});

describe('hostile names (sha256sum escaping)', () => {
  const names = ['back\\slash', 'new\nline', 'carriage\rreturn', 'all\\\n\r', ' lead and trail ', 'ünï/cödé', '-dash'];
  it('writes backslash, LF and CR the way GNU sha256sum does, and reads them back', () => {
    const text = formatNamed(names.map((name, i) => ({ name, sha256: H(String(i)) })));
    assert.ok(text.includes(`\\${H('0')}  back\\\\slash\n`), text);
    assert.ok(text.includes(`\\${H('1')}  new\\nline\n`));
    assert.ok(text.includes(`\\${H('2')}  carriage\\rreturn\n`));
    assert.ok(text.includes(`${H('4')}   lead and trail \n`));
    assert.equal(text.split('\n').length, names.length + 1, 'one physical line per name');
    assert.deepEqual(
      parseManifestLines(text)
        .map((l) => l.name)
        .sort(),
      [...names].sort(),
    );
  });
  it('sha256sum -c --strict accepts a manifest of hostile names, and our parser reads sha256sum output', async () => {
    const d = join(dir, 'hostile');
    mkdirSync(d);
    const onDisk = names.filter((n) => !n.includes('/'));
    for (const n of onDisk) writeFileSync(join(d, n), `content of ${n}`);
    const text = formatNamed(await digestFiles(onDisk, d));
    writeFileSync(join(d, 'SUMS'), text);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SUMS'], { cwd: d, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const theirs = execFileSync('sha256sum', ['--', ...onDisk], { cwd: d });
    assert.deepEqual(parseManifest(theirs.toString('utf8')), parseManifest(text));
  });
  it('refuses names that leave the manifest directory or are not plain relative paths', () => {
    for (const bad of ['/etc/passwd', '../up', 'a/../../b', 'a//b', './a', 'a/./b', '', 'nul\0byte']) {
      assert.throws(() => checkManifestName(bad), /file name/, JSON.stringify(bad));
      assert.throws(() => formatLine(H('a'), bad), /file name/, JSON.stringify(bad));
      if (bad !== '') assert.throws(() => parseManifestLines(`${H('a')}  ${bad}\n`), /line 1: .*file name/);
    }
  });
  it('refuses malformed lines: bad escapes, unescaped CR (a CRLF file), BSD style, short digests', () => {
    for (const [line, why] of [
      [`\\${H('a')}  bad\\escape`, /malformed escape/],
      [`${H('a')}  crlf\r`, /carriage return/],
      [`SHA256 (x) = ${H('a')}`, /malformed checksum line/],
      [`${'a'.repeat(63)}  x`, /malformed/],
      [`${H('a')} x`, /malformed/],
    ] as const) {
      assert.throws(() => parseManifestLines(`${line}\n`), why, line);
    }
    assert.deepEqual(parseManifestLines(`${H('a')} *bin\n`), [{ name: 'bin', sha256: H('a'), line: 1 }]);
  });
});

describe('digestFiles', () => {
  it('names files as given relative to the directory; refuses files outside it and non-files', async () => {
    const d = join(dir, 'digest');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'sub', 'x'), 'x');
    const [e] = await digestFiles(['./sub/x'], d);
    assert.deepEqual(e, { name: 'sub/x', sha256: createHash('sha256').update('x').digest('hex') });
    await assert.rejects(digestFiles(['../x'], d), /outside/);
    await assert.rejects(digestFiles([join(dir, 'elsewhere')], d), /outside/);
    await assert.rejects(digestFiles(['sub'], d), /not a regular file/);
    await assert.rejects(digestFiles(['missing'], d), /cannot read "missing": ENOENT/);
  });
});

describe('written manifests', () => {
  it('sha256sum -c accepts the manifest built from signFiles results; the manifest signature verifies', async () => {
    const out = join(dir, 'dist');
    mkdirSync(join(out, 'nested'), { recursive: true });
    writeFileSync(join(out, 'app-linux.tar.gz'), 'linux build');
    writeFileSync(join(out, 'nested', 'app-darwin.zip'), 'darwin build');
    writeFileSync(join(out, 'with space.txt'), 'spaced');
    const key = await loadSigningKey({ key: readFileSync(join(FIX, 'p256.sec.asc'), 'utf8') });
    const files = ['app-linux.tar.gz', 'nested/app-darwin.zip', 'with space.txt'].map((f) => join(out, f));
    const signed = await signFiles({ key, files });
    const manifestPath = join(out, 'SHA256SUMS');
    const res = await writeSignedManifest({
      key,
      manifestPath,
      entries: signed.map((s) => ({ path: s.path, sha256: s.sha256 })),
      notations: { 'repository@jit-gpg': 'o/r' },
    });
    key.destroy();
    assert.equal(res.signature, manifestPath + '.asc');
    assert.equal(statSync(manifestPath).mode & 0o777, 0o644);
    const text = readFileSync(manifestPath, 'utf8');
    assert.ok(text.endsWith('\n') && !text.includes('\r'));
    assert.equal(text.split('\n').length, 4);
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /nested\/app-darwin\.zip: OK/);
    const v = await verifyFile({ publicKey: readFileSync(join(FIX, 'p256.pub.asc'), 'utf8'), file: manifestPath });
    assert.equal(v.valid, true, v.error);
    assert.deepEqual(v.notations, { 'repository@jit-gpg': 'o/r' });
    if (spawnSync('gpg', ['--version']).status === 0) {
      const home = join(dir, 'gnupg');
      mkdirSync(home, { mode: 0o700 });
      execFileSync('gpg', ['--batch', '--quiet', '--homedir', home, '--import', join(FIX, 'p256.pub.asc')], {
        stdio: 'ignore',
      });
      const g = spawnSync('gpg', ['--batch', '--homedir', home, '--verify', res.signature, manifestPath]);
      spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
      assert.equal(g.status, 0, String(g.stderr));
    }
    // A changed artifact fails the check.
    writeFileSync(join(out, 'app-linux.tar.gz'), 'tampered');
    assert.notEqual(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out }).status, 0);
  });

  it('writeManifest alone returns the text it wrote', async () => {
    const p = join(dir, 'only', 'SUMS');
    mkdirSync(join(dir, 'only'));
    const text = await writeManifest({ manifestPath: p, entries: [{ path: join(dir, 'only', 'f'), sha256: H('0') }] });
    assert.equal(readFileSync(p, 'utf8'), text);
    assert.equal(text, `${H('0')}  f\n`);
  });
});
