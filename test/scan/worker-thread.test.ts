// The scan workers the CLI starts before it has loaded the scanner (src/scan/worker-thread.ts): the pool adopts
// each and sends it the policy by message; one that died while it waited is never adopted; one nobody adopts is
// stopped. And the CLI's test for starting it: enough files to make scan() start workers at all.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { scan } from '../../src/scan/index.ts';
import { defaultPolicy } from '../../src/scan/policy.ts';
import { fakeChecksummed } from '../../src/scan/validate/checksum.ts';
import {
  adoptPrewarmedWorker,
  dropPrewarmedWorker,
  hasFiles,
  prewarmWorker,
  resolveWorkerScript,
} from '../../src/scan/worker-thread.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jit-prewarm-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const token = fakeChecksummed('ghp_', 'prewarm');

describe('a scan worker started ahead of the pool', () => {
  it('is adopted by the pool, gets its policy by message, and scans as a fresh worker would', async () => {
    const root = join(tmp, 'tree');
    mkdirSync(root);
    for (let i = 0; i < 80; i++) writeFileSync(join(root, `f${i}.txt`), i === 7 ? `t = "${token}"\n` : `line ${i}\n`);
    const script = resolveWorkerScript()!;
    const inline = await scan({ root, policy: defaultPolicy(), threads: 1 });
    prewarmWorker(script);
    const pooled = await scan({ root, policy: defaultPolicy(), threads: 2 });
    assert.equal(adoptPrewarmedWorker(script), undefined, 'the pool did not take the prewarmed worker');
    assert.deepEqual(
      pooled.findings.map((f) => [f.ruleId, f.file, f.line]),
      inline.findings.map((f) => [f.ruleId, f.file, f.line]),
    );
    assert.equal(pooled.findings.length, 1);
    assert.equal(pooled.stats.files, 80);
  });

  it('one per worker (a thread fewer than the scan has: it scans too): the pool adopts each', async () => {
    const root = join(tmp, 'tree2');
    mkdirSync(root);
    for (let i = 0; i < 80; i++) writeFileSync(join(root, `f${i}.txt`), i === 9 ? `t = "${token}"\n` : `line ${i}\n`);
    const script = resolveWorkerScript()!;
    prewarmWorker(script, 2);
    prewarmWorker(script, 2); // already two: none more
    const [a, b, c] = [adoptPrewarmedWorker(script), adoptPrewarmedWorker(script), adoptPrewarmedWorker(script)];
    assert.ok(a && b && a !== b, 'two workers started');
    assert.equal(c, undefined, 'and no third');
    await Promise.all([a.terminate(), b.terminate()]);
    prewarmWorker(script, 2);
    const pooled = await scan({ root, policy: defaultPolicy(), threads: 3 });
    assert.equal(adoptPrewarmedWorker(script), undefined, 'the pool took both prewarmed workers');
    assert.equal(dropPrewarmedWorker(), undefined);
    assert.deepEqual(
      pooled.findings.map((f) => [f.file, f.line]),
      [['f9.txt', 1]],
    );
    assert.equal(pooled.stats.files, 80);
  });

  it('is not adopted once it has died, and the scan starts a fresh one', async () => {
    const dead = join(tmp, 'dead.mjs');
    writeFileSync(dead, 'process.exit(3);\n');
    const url = pathToFileURL(dead);
    prewarmWorker(url);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(adoptPrewarmedWorker(url), undefined);
  });

  it('is stopped when nobody adopts it', async () => {
    const idle = join(tmp, 'idle.mjs');
    writeFileSync(idle, "import { parentPort } from 'node:worker_threads';\nparentPort.once('message', () => {});\n");
    const url = pathToFileURL(idle);
    prewarmWorker(url);
    const stopped = dropPrewarmedWorker();
    assert.ok(stopped, 'nothing was stopped');
    assert.equal(typeof (await stopped), 'number');
    assert.equal(await stopped, 1, 'the one prewarmed worker was stopped');
    assert.equal(adoptPrewarmedWorker(url), undefined);
    assert.equal(dropPrewarmedWorker(), undefined);
  });
});

describe('hasFiles (whether the CLI starts a worker early)', () => {
  it('counts files breadth-first, without .git and node_modules, up to the threshold', () => {
    const root = join(tmp, 'count');
    for (const d of ['a', 'a/b', '.git', 'node_modules']) mkdirSync(join(root, d), { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(join(root, `r${i}`), '');
    for (let i = 0; i < 3; i++) writeFileSync(join(root, 'a', 'b', `x${i}`), '');
    for (let i = 0; i < 50; i++) writeFileSync(join(root, '.git', `o${i}`), '');
    for (let i = 0; i < 50; i++) writeFileSync(join(root, 'node_modules', `m${i}`), '');
    assert.equal(hasFiles(root, 6), true);
    assert.equal(hasFiles(root, 7), false);
    // A root named with a trailing slash: the same count (the nested files too).
    assert.equal(hasFiles(`${root}/`, 6), true);
    assert.equal(hasFiles(`${root}/`, 7), false);
    assert.equal(hasFiles(join(tmp, 'missing'), 1), false);
  });

  it('counts every directory of a small tree, and takes one of more than 512 directories for large', () => {
    const root = join(tmp, 'wide');
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(root, `d${String(i).padStart(2, '0')}`), { recursive: true });
      writeFileSync(join(root, `d${String(i).padStart(2, '0')}`, 'f'), '');
    }
    assert.equal(hasFiles(root, 40), true);
    assert.equal(hasFiles(root, 41), false);
    const deep = join(tmp, 'many-dirs');
    for (let i = 0; i < 520; i++) mkdirSync(join(deep, `d${i}`), { recursive: true });
    assert.equal(hasFiles(deep, 1_000_000), true, 'no files, but 520 directories');
  });
});
