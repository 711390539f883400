// The scan command's script and its V8 code cache (src/cli/script-cache.ts): written after a run, accepted by the
// next, and never read when it is cut short, not the user's, writable by others, a symlink, or of another build.
import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SCRIPT_WRAPPER } from '../../src/cli/script-cache.ts';

const MODULE = fileURLToPath(new URL('../../src/cli/script-cache.ts', import.meta.url));

const tmp = mkdtempSync(join(tmpdir(), 'jit-script-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// A script with a function that only a run compiles (and a require relative to the script).
const SOURCE = `const { join } = require('node:path');
function add(a, b) { return a + b; }
exports.run = (n) => { let s = 0; for (let i = 0; i < n; i++) s = add(s, i); return s; };
exports.where = () => join(__dirname, 'x');
`;

function setup(name: string): { file: string; cache: string } {
  const dir = join(tmp, name);
  const cache = join(dir, 'cache');
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  const file = join(dir, 'scan.cjs');
  writeFileSync(file, SOURCE);
  return { file, cache };
}

const codeFiles = (cache: string) => readdirSync(cache).filter((f) => f.endsWith('.code'));

/**
 * One run in a process of its own: V8 keeps each script it compiled for the rest of the process, and a second
 * compile of the same source there never looks at the cache. Calls run(n) and where(), then save() if asked.
 */
function runScript(file: string, cache: string, opts: { save?: boolean; n?: number } = {}) {
  const code = `import { runCachedScript } from ${JSON.stringify(MODULE)};
const s = runCachedScript(${JSON.stringify(file)}, ${JSON.stringify(cache)});
const out = { cache: s.cache, run: s.exports.run(${opts.n ?? 10}), where: s.exports.where() };
if (${opts.save === true}) s.save();
process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { cache: 'none' | 'accepted' | 'rejected'; run: number; where: string };
}

describe('a CLI script run with its own code cache', () => {
  it('runs without a cache, writes one after the run (private), and the next run uses it', () => {
    const { file, cache } = setup('basic');
    const first = runScript(file, cache);
    assert.deepEqual(first, { cache: 'none', run: 45, where: join(tmp, 'basic', 'x') });
    assert.deepEqual(codeFiles(cache), [], 'nothing written without save()');
    runScript(file, cache, { save: true });
    const [written] = codeFiles(cache);
    assert.ok(written?.startsWith(`scan-${process.version}-${process.arch}-`), written);
    assert.equal(statSync(join(cache, written!)).mode & 0o777, 0o600);
    const before = statSync(join(cache, written!)).mtimeMs;
    const second = runScript(file, cache, { save: true, n: 4 });
    assert.deepEqual(second, { cache: 'accepted', run: 6, where: join(tmp, 'basic', 'x') });
    assert.deepEqual(codeFiles(cache), [written]);
    assert.equal(statSync(join(cache, written!)).mtimeMs, before, 'an accepted cache is not written again');
  });

  it('runs a script written inside its wrapper as it is, with the same cache behaviour', () => {
    const { file, cache } = setup('wrapped');
    writeFileSync(file, `${SCRIPT_WRAPPER[0]}${SOURCE}${SCRIPT_WRAPPER[1]}`);
    assert.deepEqual(runScript(file, cache, { save: true }), {
      cache: 'none',
      run: 45,
      where: join(tmp, 'wrapped', 'x'),
    });
    assert.deepEqual(runScript(file, cache, { n: 3 }), { cache: 'accepted', run: 3, where: join(tmp, 'wrapped', 'x') });
  });

  it('a cut-short cache file is never handed to V8, and the next save replaces it', () => {
    const { file, cache } = setup('cut');
    runScript(file, cache, { save: true });
    const [name] = codeFiles(cache);
    const path = join(cache, name!);
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, whole.length - 100), { mode: 0o600 });
    assert.equal(runScript(file, cache, { save: true }).cache, 'none');
    assert.equal(readFileSync(path).length, whole.length, 'rewritten whole');
    assert.equal(runScript(file, cache).cache, 'accepted');
  });

  it('a cache file far larger than a cache is never read (a sparse 65 MiB one here), and the next save replaces it', () => {
    const { file, cache } = setup('huge');
    runScript(file, cache, { save: true });
    const [name] = codeFiles(cache);
    const path = join(cache, name!);
    const whole = readFileSync(path);
    // Whole by its own header (magic line, then the length of what follows): read, V8 would be handed it and refuse.
    const size = 65 * 1024 * 1024;
    const head = whole.indexOf(10) + 1;
    const header = Buffer.alloc(head + 4);
    whole.copy(header, 0, 0, head);
    header.writeUInt32LE(size - head - 4, head);
    writeFileSync(path, header, { mode: 0o600 });
    truncateSync(path, size);
    assert.equal(runScript(file, cache, { save: true }).cache, 'none', 'not read, so not handed to V8');
    assert.equal(readFileSync(path).length, whole.length, 'rewritten whole');
  });

  it('a cache V8 does not take (well-formed, wrong data) is rejected and rewritten', () => {
    const { file, cache } = setup('garbage');
    runScript(file, cache, { save: true });
    const [name] = codeFiles(cache);
    const path = join(cache, name!);
    const whole = readFileSync(path);
    const head = whole.indexOf(10) + 1 + 4; // magic line, then the length
    const bad = Buffer.concat([whole.subarray(0, head), Buffer.alloc(whole.length - head, 0x5a)]);
    writeFileSync(path, bad, { mode: 0o600 });
    const run = runScript(file, cache, { save: true, n: 3 });
    assert.deepEqual([run.cache, run.run], ['rejected', 3], 'rejected, and the script still runs');
    assert.equal(runScript(file, cache).cache, 'accepted');
  });

  it('reads no cache file that others may write, nor one behind a symlink', () => {
    const { file, cache } = setup('unsafe');
    runScript(file, cache, { save: true });
    const [name] = codeFiles(cache);
    const path = join(cache, name!);
    chmodSync(path, 0o666);
    assert.equal(runScript(file, cache).cache, 'none');
    chmodSync(path, 0o600);
    assert.equal(runScript(file, cache).cache, 'accepted');
    const real = join(tmp, 'unsafe', 'elsewhere.code');
    writeFileSync(real, readFileSync(path), { mode: 0o600 });
    rmSync(path);
    symlinkSync(real, path);
    assert.equal(runScript(file, cache).cache, 'none');
  });

  it("a changed script gets a cache of its own, and the old one is removed (another Node's stays)", () => {
    const { file, cache } = setup('changed');
    runScript(file, cache, { save: true });
    const [old] = codeFiles(cache);
    const otherNode = 'scan-v0.0.1-x64-1-2-3.code';
    writeFileSync(join(cache, otherNode), 'theirs', { mode: 0o600 });
    writeFileSync(file, SOURCE.replace('a + b', 'b + a')); // same length: only the times tell
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(runScript(file, cache, { save: true }).cache, 'none');
    const now = codeFiles(cache).filter((f) => f !== otherNode);
    assert.equal(now.length, 1);
    assert.notEqual(now[0], old);
    assert.ok(codeFiles(cache).includes(otherNode));
  });

  it('a cache directory it cannot write to costs nothing but the cache', () => {
    const { file } = setup('nowhere');
    const run = runScript(file, join(tmp, 'nowhere', 'missing-dir'), { save: true, n: 2 });
    assert.deepEqual([run.cache, run.run], ['none', 1]);
  });
});
