// Scan before sign (src/scan/artifacts.ts): artifacts scanned with archives opened and encoded text decoded, the
// repository's config applied, findings named ARTIFACT!entry and redacted, the rule-set version reported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeArtifactFindings, scanArtifacts } from '../../src/scan/artifacts.ts';
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
});
