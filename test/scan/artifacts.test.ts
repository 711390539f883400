// Scan before sign (src/scan/artifacts.ts): artifacts scanned with archives opened and encoded text decoded, the
// repository's config applied, findings named ARTIFACT!entry and redacted, the rule-set version reported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { classifyWarning, describeArtifactFindings, scanArtifacts } from '../../src/scan/artifacts.ts';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';

let ws: string;
let token: string;
before(() => {
  ws = mkdtempSync(join(tmpdir(), 'jit-gpg-artifacts-'));
  mkdirSync(join(ws, 'dist'));
  token = fakeChecksummed('ghp_', 'artifact-scan');
});
after(() => rmSync(ws, { recursive: true, force: true }));

/** An npm-pack-shaped tarball: package/… entries. */
function tarball(name: string, files: Record<string, string>): string {
  const src = mkdtempSync(join(tmpdir(), 'jit-gpg-pack-'));
  try {
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(join(src, 'package', p, '..'), { recursive: true });
      writeFileSync(join(src, 'package', p), content);
    }
    const out = join(ws, 'dist', name);
    execFileSync('tar', ['-czf', out, '-C', src, 'package']);
    return out;
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

const env = {};

describe('scanArtifacts', () => {
  it('finds a valid-checksum GitHub token in package/.npmrc inside a tarball, named ARTIFACT!entry, redacted', async () => {
    const tgz = tarball('app-1.0.0.tgz', {
      'package.json': '{"name":"app","version":"1.0.0"}\n',
      '.npmrc': `//npm.pkg.github.com/:_authToken=${token}\n`,
    });
    const clean = join(ws, 'dist', 'notes.txt');
    writeFileSync(clean, 'release notes\n');
    const r = await scanArtifacts({ files: [tgz, clean], root: ws, env });
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings));
    const [f] = r.findings;
    assert.equal(f!.file, 'dist/app-1.0.0.tgz!package/.npmrc');
    assert.equal(f!.validated, true);
    assert.equal(f!.line, 1);
    assert.equal(r.incomplete, 0);
    assert.ok(!JSON.stringify(r).includes(token), 'the secret never leaves the scanner');
    assert.ok(!JSON.stringify(r).includes(token.slice(4, 20)));
    const msg = describeArtifactFindings(r);
    assert.match(
      msg,
      /^1 secret found in the artifacts about to be signed \("dist\/app-1\.0\.0\.tgz!package\/\.npmrc"\)/,
    );
    assert.match(msg, /no key was requested/);
    assert.ok(!msg.includes(token));
  });

  it('decodes base64 text inside a tarball and reports the rule-set version of the built-in rules', async () => {
    const b64 = Buffer.from(`GH_TOKEN=${token}\n`).toString('base64');
    const tgz = tarball('config-1.0.0.tgz', { 'config/env.b64': `export BLOB="${b64}"\n` });
    const r = await scanArtifacts({ files: [tgz], root: ws, env });
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.file, 'dist/config-1.0.0.tgz!package/config/env.b64');
    assert.equal(r.findings[0]!.decoded, 'base64');
    assert.match(r.ruleSet.version, /^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    assert.ok(r.ruleSet.rules > 50, String(r.ruleSet.rules));
    assert.equal(r.ruleSet.config, undefined);
  });

  it('applies the repository config (.jit-gpg.toml in the workspace); its hash changes the rule-set version', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'jit-gpg-artifacts-cfg-'));
    try {
      mkdirSync(join(sub, 'dist'));
      const file = join(sub, 'dist', 'fixture.env');
      writeFileSync(file, `TOKEN=${token}\n`);
      const before = await scanArtifacts({ files: [file], root: sub, env });
      assert.equal(before.findings.length, 1);
      writeFileSync(join(sub, '.jit-gpg.toml'), '[allow]\npaths = ["dist/fixture.env"]\n');
      const allowed = await scanArtifacts({ files: [file], root: sub, env });
      assert.equal(allowed.findings.length, 0);
      assert.equal(allowed.ruleSet.config, '.jit-gpg.toml');
      assert.notEqual(allowed.ruleSet.version, before.ruleSet.version);
      // a broken config is an error, not a silent pass
      writeFileSync(join(sub, '.jit-gpg.toml'), '[allow]\nbogus = 1\n');
      await assert.rejects(scanArtifacts({ files: [file], root: sub, env }), /bogus/);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  it('an artifact that cannot be read counts as incomplete (the caller fails closed)', async () => {
    // A file replaced by a directory between resolving the globs and scanning (EISDIR), which even root cannot read.
    const replaced = join(ws, 'dist', 'replaced.env');
    mkdirSync(replaced);
    const r = await scanArtifacts({ files: [replaced], root: ws, env });
    assert.equal(r.incomplete, 1, JSON.stringify(r.stats));
    assert.equal(r.findings.length, 0);
  });

  it('archive content the scanner could not see (corrupt, bomb-like) makes the scan incomplete; size limits are counted', async () => {
    const corrupt = join(ws, 'dist', 'corrupt.tgz');
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(600)]));
    const c = await scanArtifacts({ files: [corrupt], root: ws, env });
    assert.ok(c.incomplete >= 1, JSON.stringify(c.warnings));

    const src = mkdtempSync(join(tmpdir(), 'jit-gpg-bomb-'));
    writeFileSync(join(src, 'big.txt'), 'a'.repeat(8 * 1024 * 1024)); // ~1000:1 compressed
    const bomb = join(ws, 'dist', 'bomb.tgz');
    execFileSync('tar', ['-czf', bomb, '-C', src, 'big.txt']);
    const b = await scanArtifacts({ files: [bomb], root: ws, env });
    assert.ok(b.incomplete >= 1, JSON.stringify(b.warnings));

    writeFileSync(join(src, 'big.txt'), randomBytes(11 * 1024 * 1024).toString('base64'));
    const large = join(ws, 'dist', 'large.tar');
    execFileSync('tar', ['-cf', large, '-C', src, 'big.txt']);
    rmSync(src, { recursive: true, force: true });
    const l = await scanArtifacts({ files: [large], root: ws, env });
    assert.equal(l.incomplete, 0, JSON.stringify(l.warnings));
    assert.equal(l.policySkipped, 1, JSON.stringify(l.warnings));
  });

  it('classifies every "not scanned" warning shape of the archive reader', () => {
    const cases: [string, ReturnType<typeof classifyWarning>][] = [
      ['a.zip!x: archive nested deeper than 3 levels, not opened (limit: depth)', 'policy'],
      ['a.zip: more than 10000 entries; the rest were not scanned (limit: entries)', 'policy'],
      [
        'a.zip: expands to more than 128 MiB (at a.zip!x); the rest was not scanned (limit: total size, zip bomb?)',
        'policy',
      ],
      ['a.zip!x: larger than 10 MiB expanded, not scanned (limit: entry size)', 'policy'],
      ['a.gz: gzip expands beyond 128 MiB (limit: total size), not scanned', 'policy'],
      ['a.zip!x: expands more than 200:1 (1 MiB compressed), not scanned (limit: ratio, zip bomb?)', 'unscannable'],
      ['a.gz: gzip expands more than 200:1 (limit: ratio, zip bomb?), not scanned', 'unscannable'],
      ['a.zip!x: cannot inflate (bad data), not scanned', 'unscannable'],
      ['a.zip!x: encrypted zip entry, not scanned', 'unscannable'],
      ['a.zip!x: zip compression method 14 is not supported, not scanned', 'unscannable'],
      ['a.zip!x: local header is corrupt, not scanned', 'unscannable'],
      [
        'a.zip: cannot read the zip archive (no end of central directory); its contents were not scanned',
        'unscannable',
      ],
      ['native RE2 is not available', 'other'],
    ];
    for (const [m, kind] of cases) assert.equal(classifyWarning(m), kind, m);
  });
});
