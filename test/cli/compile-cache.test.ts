// The CLI's V8 compile cache: in the user's own cache directory, private, never in one another user could write.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../src/cli/compile-cache.ts', import.meta.url));
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs enableCliCompileCache in a fresh process (the cache can be enabled once per process). */
function enableIn(env: NodeJS.ProcessEnv): string {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(source)}); console.log(String(m.enableCliCompileCache()));`,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('the CLI compile cache', () => {
  const home = mkdtempSync(join(tmpdir(), 'jit-cc-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('is a private directory under XDG_CACHE_HOME (or ~/.cache) that the CLI fills', {
    skip: !existsSync(cli) && 'dist not bundled',
  }, () => {
    const xdg = join(home, 'xdg');
    const r = spawnSync(process.execPath, [cli, 'scan', '-'], {
      input: 'nothing\n',
      env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: xdg },
    });
    assert.equal(r.status, 0, String(r.stderr));
    const dir = join(xdg, 'jit-gpg', 'v8-compile-cache');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.ok(readdirSync(dir).length > 0, 'the cache holds compiled code');
    assert.match(enableIn({ HOME: home }), new RegExp(`^${join(home, '.cache', 'jit-gpg', 'v8-compile-cache')}`));
  });

  it('is not used when another user could write to it, or when turned off', () => {
    const dir = join(home, 'loose', 'jit-gpg', 'v8-compile-cache');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    assert.equal(enableIn({ HOME: home, XDG_CACHE_HOME: join(home, 'loose') }), 'undefined');
    assert.equal(enableIn({ HOME: home, JIT_GPG_NO_COMPILE_CACHE: '1' }), 'undefined');
    assert.equal(enableIn({ HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' }), 'undefined');
    // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
    assert.match(enableIn({ HOME: home, XDG_CACHE_HOME: 'relative' }), /\.cache\/jit-gpg\/v8-compile-cache/);
  });
});
