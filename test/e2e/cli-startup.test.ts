// Start-up is paid by every pre-commit hook and stdin scan, so what the shipped CLI loads is pinned here by
// structure, not by timing (timing is bench/scan.ts's job): a one-file scan loads the scanner's chunk and nothing
// of the signer, the portable regex engine or the network stack; `--help` loads no command at all; every file it
// loads is ASCII, so V8 keeps it as a one-byte string instead of decoding it to a two-byte copy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCRIPT_WRAPPER } from '../../src/cli/script-cache.ts';
import { repoRoot } from './harness.ts';

const cli = join(repoRoot, 'dist', 'cli.js');

// Preloaded into the CLI: records every module file it loads (and every script it opens: the scan command's runs
// through node:vm, src/cli/script-cache.ts) and the builtins Node loaded, written at exit.
const RECORDER = `
import { createRequire, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
// require(), not an import: node:fs's ESM facade would itself load the stream stack this test checks for.
const fs = createRequire(import.meta.url)('node:fs');
const { writeFileSync } = fs;
const files = [];
registerHooks({ load(url, context, next) { if (url.startsWith('file:')) files.push(url); return next(url, context); } });
const openSync = fs.openSync;
fs.openSync = function (path, ...rest) {
  if (typeof path === 'string' && path.endsWith('.cjs')) files.push(pathToFileURL(path).href);
  return openSync.call(this, path, ...rest);
};
// Each Date made: the first sets up the local time zone (ICU reads the zone database), which a report needs not.
let dates = 0;
globalThis.Date = new Proxy(Date, { construct(target, args, newTarget) { dates++; return Reflect.construct(target, args, newTarget); } });
process.on('exit', () => writeFileSync(process.env.JIT_STARTUP_RECORD, JSON.stringify({ files, builtins: process.moduleLoadList, dates })));
`;

interface Record {
  files: string[];
  builtins: string[];
  dates: number;
}

describe('what the CLI loads at start-up', { skip: !existsSync(cli) && 'dist not bundled' }, () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jit-startup-'));
    writeFileSync(join(dir, 'recorder.mjs'), RECORDER);
    writeFileSync(join(dir, 'clean.txt'), 'nothing to see here\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function run(
    args: string[],
    env: NodeJS.ProcessEnv = {},
    stdout: 'pipe' | 'ignore' = 'pipe',
  ): { status: number | null; stdout: string; record: Record; distFiles: string[]; distBytes: number } {
    const out = join(dir, 'record.json');
    rmSync(out, { force: true });
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'recorder.mjs')).href, cli, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env, JIT_STARTUP_RECORD: out },
      stdio: ['pipe', stdout, 'pipe'],
    });
    const record = JSON.parse(readFileSync(out, 'utf8')) as Record;
    const distFiles = record.files
      .map((u) => fileURLToPath(u))
      .filter((p) => p.startsWith(join(repoRoot, 'dist')) && /\.c?js$/.test(p));
    const distBytes = distFiles.reduce((n, p) => n + readFileSync(p).length, 0);
    return { status: r.status, stdout: r.stdout, record, distFiles, distBytes };
  }

  it('--help loads no command', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0);
    assert.ok(r.distBytes < 20_000, `--help loaded ${r.distBytes} bytes: ${r.distFiles.join(', ')}`);
    // One file: each module Node loads before the CLI's first line costs a resolve, a read and a link.
    assert.deepEqual(r.distFiles, [cli]);
  });

  it('a one-file scan loads the scanner only, and no builtin it does not use', () => {
    run(['scan', 'clean.txt']); // writes the scan script's code cache: the run below is what every later one is
    const r = run(['scan', 'clean.txt']);
    assert.equal(r.status, 0);
    assert.ok(
      r.distFiles.some((f) => f.endsWith(join('dist', 'cli', 'scan.cjs'))),
      `the scan command runs as its cached script: ${r.distFiles.join(', ')}`,
    );
    for (const file of r.distFiles) {
      const text = readFileSync(file, 'latin1');
      assert.doesNotMatch(text, /^\/\/ node_modules\/(openpgp|re2js)\//m, `${file}: signer or portable engine code`);
      assert.ok(!/[^\x00-\x7f]/.test(text), `${file} is not ASCII (V8 would decode it to a two-byte string)`);
    }
    assert.ok(r.distBytes < 800_000, `loaded ${r.distBytes} bytes: ${r.distFiles.join(', ')}`);
    const unused = [
      'http',
      'https',
      'zlib',
      'crypto',
      'worker_threads',
      'child_process',
      'internal/deps/undici/undici',
      // Output goes to the descriptors, not through Node's stream stack (and node:tty would load node:net).
      'net',
      'tty',
      'stream',
    ];
    const loaded = unused.filter((m) => r.record.builtins.includes(`NativeModule ${m}`));
    assert.deepEqual(loaded, [], 'builtins a clean one-file scan never calls');
  });

  it('a one-file scan writes the code cache as it exits, and the next one runs from it unchanged', () => {
    const cacheHome = join(dir, 'cache-home');
    const codeFiles = () =>
      readdirSync(join(cacheHome, 'jit-gpg', 'v8-compile-cache')).filter((f) => /^scan-.*\.code$/.test(f));
    assert.equal(run(['scan', 'clean.txt'], { XDG_CACHE_HOME: cacheHome }).status, 0);
    const [written] = codeFiles();
    assert.ok(written, 'the exit handler wrote the cache, though the scan exits as soon as its output is written');
    const path = join(cacheHome, 'jit-gpg', 'v8-compile-cache', written);
    const before = statSync(path).mtimeMs;
    assert.equal(run(['scan', 'clean.txt'], { XDG_CACHE_HOME: cacheHome }).status, 0);
    assert.deepEqual(codeFiles(), [written]);
    assert.equal(statSync(path).mtimeMs, before, 'V8 accepted the cache: it was not written again');
  });

  it('a one-file scan whose report is discarded (/dev/null, a character device) loads no terminal code', () => {
    const r = run(['scan', 'clean.txt'], {}, 'ignore');
    assert.equal(r.status, 0);
    const loaded = ['tty', 'net', 'stream'].filter((m) => r.record.builtins.includes(`NativeModule ${m}`));
    assert.deepEqual(loaded, [], 'node:tty loads the network and stream stacks: ~5 ms');
  });

  it('node:fs and node:util, which the bundles take as they are (no lazy getters), are loaded by Node itself', () => {
    // scripts/bundle.mjs, PRELOADED_BUILTINS: a module Node has loaded before any user code costs nothing to take.
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', 'process.stdout.write(JSON.stringify(process.moduleLoadList))'],
      { encoding: 'utf8' },
    );
    const loaded = JSON.parse(r.stdout) as string[];
    for (const m of ['fs', 'util']) assert.ok(loaded.includes(`NativeModule ${m}`), m);
    const shim = /var require_node_fs = __commonJS\(\{\s*"builtin:node:fs"\(exports, module\) \{\s*(.*)/;
    assert.match(
      shim.exec(readFileSync(cli, 'latin1'))?.[1] ?? '',
      /^module\.exports = Object\.create\(__require\("node:fs"\)\);/,
    );
  });

  it('a one-file scan makes no Date, whatever report it writes (the first Date loads the time zone)', () => {
    for (const format of ['text', 'json', 'sarif']) {
      const r = run(['scan', 'clean.txt', '--format', format]);
      assert.equal(r.status, 0);
      assert.equal(r.record.dates, 0, `--format ${format}`);
    }
  });

  it('without a code cache, the scan command loads as its module chunks, and finds the same', () => {
    writeFileSync(join(dir, 'leak.txt'), `key = "${['AK', 'IA', 'ZX4Q', 'P7RM', 'K2WT', 'B5NV'].join('')}"\n`);
    const cached = run(['scan', 'leak.txt', '--format', 'json']);
    const plain = run(['scan', 'leak.txt', '--format', 'json'], { JIT_GPG_NO_COMPILE_CACHE: '1' });
    assert.ok(!plain.distFiles.some((f) => f.endsWith('.cjs')), plain.distFiles.join(', '));
    assert.equal(plain.status, 1);
    assert.equal(cached.status, 1);
    const findings = (s: string) =>
      JSON.parse(s).findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line]);
    assert.deepEqual(findings(plain.stdout), findings(cached.stdout));
    assert.equal(findings(plain.stdout).length, 1);
  });

  it('the scan script is shipped inside the wrapper its runner expects (compiled as read, never concatenated)', () => {
    const text = readFileSync(join(repoRoot, 'dist', 'cli', 'scan.cjs'), 'latin1');
    assert.ok(text.startsWith(SCRIPT_WRAPPER[0]) && text.endsWith(SCRIPT_WRAPPER[1]));
  });

  it('every shipped bundle is ASCII, the actions included (their comments too: scripts/ascii-comments.mjs)', () => {
    const bundles = readdirSync(join(repoRoot, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.c?js$/.test(f),
    );
    assert.ok(bundles.includes(join('sign', 'main.js')) && bundles.includes(join('scan', 'main.js')));
    assert.ok(bundles.includes(join('cli', 'scan.cjs')));
    for (const f of bundles) {
      assert.ok(!/[^\x00-\x7f]/.test(readFileSync(join(repoRoot, 'dist', f), 'latin1')), `dist/${f} is not ASCII`);
    }
  });
});
