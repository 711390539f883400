// The bundled CLI declares `engines: node >= 20`: it must load and run on an older Node than the actions' 24 (an ESM
// import of something Node 20 lacks, e.g. fs.glob, breaks every command at load time). Uses a `node` on PATH that is
// older than 24 when there is one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './harness.ts';

const cli = join(repoRoot, 'dist', 'cli.js');
const version = spawnSync('node', ['--version'], { encoding: 'utf8' });
const major = version.status === 0 ? Number(/^v(\d+)/.exec(version.stdout)?.[1]) : Number.NaN;

describe('dist/cli.js on an older Node', {
  skip: !existsSync(cli) ? 'dist not bundled' : !(major >= 20 && major < 24) && 'no Node 20–23 on PATH',
}, () => {
  it(`loads and runs digest and sign on Node ${major}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-node20-'));
    try {
      writeFileSync(join(dir, 'a.txt'), 'a\n');
      const v = spawnSync('node', [cli, '--version'], { cwd: dir, encoding: 'utf8' });
      assert.equal(v.status, 0, v.stderr);
      const d = spawnSync('node', [cli, 'digest', 'a.txt', '--output', 'a.sha256sums'], { cwd: dir, encoding: 'utf8' });
      assert.equal(d.status, 0, d.stderr);
      const key = join(repoRoot, 'test', 'fixtures', 'keys', 'ed25519.sec.asc');
      const s = spawnSync(
        'node',
        [cli, 'sign', '--key-file', key, '--checksums', 'SHA256SUMS', '--checksums-merge', '*.sha256sums', 'a.txt'],
        { cwd: dir, encoding: 'utf8' },
      );
      assert.equal(s.status, 0, s.stderr);
      assert.ok(existsSync(join(dir, 'SHA256SUMS.asc')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
