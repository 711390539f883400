import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { scanBatch } from '../../src/scan/batch.ts';
import { emptyEngineStats, ScanEngine } from '../../src/scan/engine.ts';
import { scan } from '../../src/scan/index.ts';
import { defaultPolicy, type ScanPolicy } from '../../src/scan/policy.ts';
import {
  ENTRIES_HANDED_OUT,
  HAND_OUT_ARCHIVES_FROM,
  rulesFromWire,
  rulesToWire,
  ScanPool,
  type WireResult,
} from '../../src/scan/pool.ts';
import {
  defaultThreads,
  POOL_AFTER_MS,
  POOL_MIN_FILES,
  resolveWorkerScript,
  WORKER_RESOURCE_LIMITS,
} from '../../src/scan/worker-thread.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import type { ScanItem } from '../../src/scan/sources/types.ts';
import type { Rule } from '../../src/scan/types.ts';
import { zip } from './zip-fixture.ts';
import { gzipSync } from 'node:zlib';

/** Places found: one finding per secret, each with its other locations. */
const placeCount = (r: { findings: { locations?: unknown[] }[] }) =>
  r.findings.reduce((n, f) => n + 1 + (f.locations?.length ?? 0), 0);
const tok = (i: number) => `${'ghp'}_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5cD7eF9gH1'.slice(i, i + 36)}`;
const rules: Rule[] = [
  {
    id: 'test-gh',
    title: 'GitHub-like token',
    severity: 'high',
    keywords: ['ghp_'],
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b',
    help: '',
    examples: { tp: [], fp: [] },
  },
];
const policy = (): ScanPolicy => ({ ...defaultPolicy(), rules });
const tmp = mkdtempSync(join(tmpdir(), 'jit-gpg-pool-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Source of a stand-in worker's answer to a batch: no findings, and a warning naming each item it was sent. */
const NAMING_RESULT = `(b) => ({ type: 'result', id: b.id, findings: [],
  stats: { files: b.items.length, bytes: 0, skippedBinary: 0, unreadable: 0, failed: 0, skippedLarge: 0, skippedArchive: 0 },
  warnings: b.items.map((it) => 'worker saw ' + it.path) })`;

/** A one-worker pool over a stand-in worker script, with an empty policy. */
function poolOf(script: string): ScanPool {
  const init = {
    rules: [],
    allowRegexes: [],
    stopwords: [],
    items: { archives: true, limits: {}, maxFileSize: 1 << 20, ignorePaths: [] },
    engine: {},
  };
  return new ScanPool(pathToFileURL(script), 1, init, () => {});
}

function items(n: number): ScanItem[] {
  const out: ScanItem[] = [];
  for (let i = 0; i < n; i++) {
    const text = `line\n${tok(i % 9)} ${i}\n`;
    if (i % 2) {
      const file = join(tmp, `f${i}.txt`);
      writeFileSync(file, text);
      out.push({ path: `f${i}.txt`, source: { kind: 'file', absPath: file, size: text.length } });
    } else {
      // Half own their memory (transferred), half are slices of Node's shared pool (copied).
      const data = i % 4 === 0 ? Buffer.from(new TextEncoder().encode(text).buffer) : Buffer.from(text);
      out.push({ path: `b${i}.txt`, source: { kind: 'bytes', data }, commit: `c${i}` });
    }
  }
  return out;
}
async function* gen(list: ScanItem[]): AsyncGenerator<ScanItem> {
  for (const it of list) yield it;
}

describe('worker pool', () => {
  it('lets the caller take a queued batch a few items at a time, and answers the batch with all of its parts', async () => {
    // No worker started: every batch stays queued for the caller.
    const pool = poolOf(join(tmp, 'never-started.mjs'));
    const files = items(40).filter((it) => it.source.kind === 'file');
    const whole = pool.submit(files);
    const taken: string[][] = [];
    for (let t = pool.take(false, 8); t; t = pool.take(false, 8)) {
      taken.push(t.batch.items.map((w) => w.path));
      t.settle({
        type: 'result',
        id: t.batch.id,
        findings: [],
        stats: { ...emptyEngineStats(), files: t.batch.items.length, bytes: 10 * t.batch.items.length },
        warnings: t.batch.items.map((w) => `saw ${w.path}`),
      });
    }
    assert.deepEqual(
      taken.map((p) => p.length),
      [8, 8, 4],
    );
    const r = await whole;
    assert.equal(r.stats.files, 20);
    assert.equal(r.stats.bytes, 200);
    assert.deepEqual(
      r.warnings,
      files.map((it) => `saw ${it.path}`),
    );
    // A batch whose items travel with their memory is taken whole.
    const owned = items(8).filter((it) => it.source.kind === 'bytes' && it.source.data.byteOffset === 0);
    void pool.submit(owned);
    assert.equal(pool.take(false, 1)?.batch.items.length, owned.length);
    await pool.close();
  });

  it('finds the worker script from the sources and honours an override', () => {
    const url = resolveWorkerScript();
    assert.ok(url?.pathname.endsWith('/src/scan/worker.ts'));
    const bundled = join(tmp, 'dist', 'scan');
    mkdirSync(bundled, { recursive: true });
    writeFileSync(join(bundled, 'worker.js'), '');
    // From dist/cli.js, from dist/scan/main.js and from a chunk of the signing step (dist/sign/chunks/: the scan
    // before signing), the bundled dist/scan/worker.js.
    assert.equal(
      resolveWorkerScript(undefined, pathToFileURL(join(tmp, 'dist', 'cli.js')))?.pathname,
      join(bundled, 'worker.js'),
    );
    assert.equal(
      resolveWorkerScript(undefined, pathToFileURL(join(tmp, 'dist', 'sign', 'chunks', 'artifacts-X.js')))?.pathname,
      join(bundled, 'worker.js'),
    );
    assert.equal(
      resolveWorkerScript(undefined, pathToFileURL(join(bundled, 'main.js')))?.pathname,
      join(bundled, 'worker.js'),
    );
    assert.equal(resolveWorkerScript(join(bundled, 'worker.js'))?.pathname, join(bundled, 'worker.js'));
    assert.equal(resolveWorkerScript(join(tmp, 'missing.js')), undefined);
    assert.ok(defaultThreads() >= 1 && defaultThreads() <= 8);
  });

  it('sends rules as data and re-attaches built-in validators by id', () => {
    const withValidator = builtinRules.find((r) => r.validate);
    const wire = rulesToWire([...rules, ...(withValidator ? [withValidator] : [])])!;
    assert.ok(wire);
    assert.doesNotThrow(() => structuredClone(wire));
    const back = rulesFromWire(wire);
    assert.equal(back[0]!.pattern, rules[0]!.pattern);
    if (withValidator) assert.equal(back[1]!.validate, withValidator.validate);
    // A custom validator cannot cross: the caller scans inline instead.
    assert.equal(rulesToWire([{ ...rules[0]!, validate: () => 'valid' }]), undefined);
  });

  it('scans files and transferred bytes in workers, same findings as inline', async () => {
    const list = items(90);
    const inline = await scan({ root: tmp, items: gen(list), policy: policy(), threads: 1 });
    const pooled = await scan({
      root: tmp,
      items: gen(items(90)),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
      waitForWorkers: true,
    });
    assert.equal(placeCount(inline), 90);
    assert.deepEqual(pooled.findings, inline.findings);
    assert.equal(pooled.stats.files, 90);
    assert.deepEqual(pooled.warnings, []);
    assert.equal(pooled.findings.find((f) => f.file === 'b0.txt')?.commit, 'c0');
  });

  it('a scan with a custom validator runs inline and still finds', async () => {
    const p = { ...policy(), rules: [{ ...rules[0]!, validate: () => 'valid' as const }] };
    const r = await scan({
      root: tmp,
      items: gen(items(70)),
      policy: p,
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
    });
    assert.equal(placeCount(r), 70);
    assert.ok(r.findings.every((f) => f.validated));
  });

  it('falls back to one thread with a warning when no worker script is found', async () => {
    const r = await scan({
      root: tmp,
      items: gen(items(10)),
      policy: policy(),
      threads: 2,
      collectThread: false,
      inlineBelow: { items: 1, bytes: 1 },
      workerScript: join(tmp, 'nope.js'),
    });
    assert.equal(placeCount(r), 10);
    assert.deepEqual(r.warnings, ['scan worker script not found; scanning in one thread']);
  });

  it('a source that fails midway rejects the scan and leaves no worker behind', async () => {
    async function* failing(): AsyncGenerator<ScanItem> {
      yield* gen(items(40));
      throw new Error('git died');
    }
    await assert.rejects(
      scan({ root: tmp, items: failing(), policy: policy(), threads: 2, inlineBelow: { items: 1, bytes: 1 } }),
      /git died/,
    );
  });

  it('a worker that dies turns its batch into warnings naming the files, never a crash', async () => {
    const script = join(tmp, 'crash-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready', engine: 'fake', warnings: [] });
parentPort.on('message', () => { throw new Error('boom with no contents'); });`,
    );
    const pool = poolOf(script);
    await pool.start();
    const res = await pool.submit(items(3).slice(0, 2));
    await pool.close();
    assert.deepEqual(res.warnings, ['b0.txt: scan failed (worker Error)', 'f1.txt: scan failed (worker Error)']);
    assert.equal(res.stats.unreadable, 0);
    assert.equal(res.stats.failed, 2, 'a crash is a failure, not an unreadable file');
  });

  it('this thread scans beside the workers: while they start, and what they have no room for', async () => {
    // A stand-in worker that names each item it was sent (and finds nothing). It is ready only once the source has
    // given its first 60 items (a file says so), and marks a file then.
    const script = join(tmp, 'naming-worker.mjs');
    const go = join(tmp, 'naming-worker.go');
    const readyMark = join(tmp, 'naming-worker.ready');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
import { existsSync, writeFileSync } from 'node:fs';
const wait = setInterval(() => {
  if (!existsSync(${JSON.stringify(go)})) return;
  clearInterval(wait);
  parentPort.postMessage({ type: 'ready', engine: 'stand-in', warnings: [] });
  writeFileSync(${JSON.stringify(readyMark)}, '');
}, 5);
parentPort.on('message', (b) => setTimeout(() => parentPort.postMessage((${NAMING_RESULT})(b)), 50));`,
    );
    // 60 items while the worker starts, then (once it is ready) 600 more: 9 batches, more than it takes at once.
    const list = items(660);
    async function* source(): AsyncGenerator<ScanItem> {
      yield* list.slice(0, 60);
      writeFileSync(go, ''); // asked for the 61st: the first 60 are dispatched
      for (let waited = 0; !existsSync(readyMark) && waited < 20_000; waited += 10) await sleep(10);
      await sleep(20); // its 'ready' message in
      yield* list.slice(60);
    }
    const r = await scan({
      root: tmp,
      items: source(),
      policy: policy(),
      threads: 2,
      collectThread: false,
      inlineBelow: { items: 1, bytes: 1 },
      workerScript: pathToFileURL(script),
    });
    const here = new Set(r.findings.flatMap((f) => [f.file, ...(f.locations ?? []).map((l) => l.file)]));
    const there = new Set(r.warnings.map((w) => w.replace('worker saw ', '')));
    for (const it of list.slice(0, 60))
      assert.ok(here.has(it.path), `${it.path} scanned here while the worker started`);
    assert.ok(there.size >= 64, `the worker scanned ${there.size}`);
    assert.ok(here.size > 60, `this thread scanned what the worker had no room for (${here.size})`);
    assert.deepEqual([...here, ...there].sort(), list.map((it) => it.path).sort(), 'each item once');
    assert.equal(r.stats.files, 660);
  });

  it('with waitForWorkers, this thread only lists: every item is scanned by a worker', async () => {
    // A stand-in worker that is slow to start and names each item it was sent.
    const script = join(tmp, 'slow-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
setTimeout(() => parentPort.postMessage({ type: 'ready', engine: 'slow', warnings: [] }), 300);
parentPort.on('message', (b) => parentPort.postMessage((${NAMING_RESULT})(b)));`,
    );
    const list = items(120);
    const r = await scan({
      root: tmp,
      items: gen(list),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
      waitForWorkers: true,
      workerScript: pathToFileURL(script),
    });
    assert.deepEqual(r.findings, [], 'nothing was scanned inline');
    assert.deepEqual(r.warnings.sort(), list.map((it) => `worker saw ${it.path}`).sort());
    assert.equal(r.stats.engine, 'slow');
  });

  it('a scan that ends before its worker is ready does not wait for it', async () => {
    const script = join(tmp, 'never-ready-worker.mjs');
    writeFileSync(script, "import { parentPort } from 'node:worker_threads';\nsetInterval(() => {}, 1000);");
    const t0 = performance.now();
    const r = await scan({
      root: tmp,
      items: gen(items(100)),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
      workerScript: pathToFileURL(script),
    });
    assert.equal(placeCount(r), 100);
    assert.deepEqual(r.warnings, []);
    assert.ok(performance.now() - t0 < 5000);
  });

  describe('when workers start (no fixed inlineBelow)', () => {
    /** A stand-in worker that marks a file when it starts and names each item it was sent. */
    const marking = (name: string) => {
      const script = join(tmp, `${name}.mjs`);
      const mark = join(tmp, `${name}.started`);
      writeFileSync(
        script,
        `import { parentPort } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(mark)}, '');
parentPort.postMessage({ type: 'ready', engine: 'stand-in', warnings: [] });
parentPort.on('message', (b) => parentPort.postMessage((${NAMING_RESULT})(b)));`,
      );
      return { script: pathToFileURL(script), started: () => existsSync(mark) };
    };
    const tree = (name: string, files: number) => {
      const root = join(tmp, name);
      mkdirSync(root, { recursive: true });
      for (let i = 0; i < files; i++) writeFileSync(join(root, `f${i}.txt`), `line ${i}\n`);
      return root;
    };

    it('a small tree is scanned in this thread alone: no worker starts', async () => {
      const w = marking('small-tree-worker');
      const root = tree('small-tree', 150);
      const r = await scan({ root, policy: policy(), threads: 2, collectThread: false, workerScript: w.script });
      assert.equal(r.stats.files, 150);
      assert.deepEqual(r.warnings, []);
      assert.equal(w.started(), false, 'a worker started for 150 files');
    });

    it(`a tree of ${POOL_MIN_FILES} files or more gets its worker from the start`, async () => {
      const w = marking('large-tree-worker');
      const root = tree('large-tree', POOL_MIN_FILES);
      const r = await scan({ root, policy: policy(), threads: 2, collectThread: false, workerScript: w.script });
      assert.equal(r.stats.files, POOL_MIN_FILES);
      assert.equal(w.started(), true);
    });

    it(`a source that runs on past ${POOL_AFTER_MS} ms gets its worker then`, async () => {
      const w = marking('slow-source-worker');
      const list = items(400);
      async function* slow(): AsyncGenerator<ScanItem> {
        for (const [i, it] of list.entries()) {
          if (i > 0 && i % 50 === 0) await sleep(POOL_AFTER_MS / 4);
          yield it;
        }
      }
      const r = await scan({
        root: tmp,
        items: slow(),
        policy: policy(),
        threads: 2,
        collectThread: false,
        workerScript: w.script,
      });
      assert.equal(w.started(), true);
      assert.ok(
        r.warnings.some((m) => m.startsWith('worker saw ')),
        'the worker scanned what came after it was ready',
      );
      assert.equal(r.stats.files, 400);
    });
  });

  it('items queued for workers that never start are scanned inline', async () => {
    const script = join(tmp, 'dead-worker.mjs');
    writeFileSync(script, 'throw new Error("cannot start");');
    const r = await scan({
      root: tmp,
      items: gen(items(40)),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
      waitForWorkers: true,
      workerScript: pathToFileURL(script),
    });
    const inline = await scan({ root: tmp, items: gen(items(40)), policy: policy(), threads: 1 });
    assert.deepEqual(r.findings, inline.findings);
    assert.ok(r.findings.length > 0);
    assert.equal(r.stats.files, 40);
    assert.match(r.warnings.join('\n'), /scan worker did not start.*scanning in one thread/);
  });

  it('starts each worker with a small young generation (resident memory per worker)', async () => {
    // A stand-in worker that reports the limits it runs under as its engine name.
    const script = join(tmp, 'limits-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort, resourceLimits } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready', engine: JSON.stringify(resourceLimits), warnings: [] });`,
    );
    const pool = poolOf(script);
    await pool.start();
    await pool.close();
    const limits = JSON.parse(pool.engineName) as { maxYoungGenerationSizeMb: number };
    assert.equal(limits.maxYoungGenerationSizeMb, WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb);
    assert.ok(limits.maxYoungGenerationSizeMb <= 8, 'V8 defaults to 3 x 16 MiB semi-spaces');
  });

  it('scanning starts with the first worker ready; one that cannot start beside it is a warning, not a failure', async () => {
    // Stand-ins: the first to take the lock file is ready (after firstDelay ms) and scans; the other is slow, or dies.
    const standIn = (name: string, other: string, firstDelay = 0) => {
      const script = join(tmp, `${name}.mjs`);
      const lock = join(tmp, `${name}.lock`);
      writeFileSync(
        script,
        `import { parentPort } from 'node:worker_threads';
import { openSync } from 'node:fs';
let first = true;
try { openSync(${JSON.stringify(lock)}, 'wx'); } catch { first = false; }
const ready = () => {
  parentPort.postMessage({ type: 'ready', engine: 'stand-in', warnings: [] });
  parentPort.on('message', (b) => parentPort.postMessage({ type: 'result', id: b.id, findings: [],
    stats: { files: b.items.length, bytes: 0, skippedBinary: 0, unreadable: 0, failed: 0, skippedLarge: 0, skippedArchive: 0 },
    warnings: [] }));
};
if (first) setTimeout(ready, ${firstDelay}); else { ${other} }`,
      );
      return pathToFileURL(script);
    };
    const t0 = performance.now();
    const r = await scan({
      root: tmp,
      items: gen(items(40)),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
      waitForWorkers: true,
      workerScript: standIn('slow-second', 'setTimeout(ready, 5000);'),
    });
    assert.equal(r.stats.files, 40);
    assert.ok(performance.now() - t0 < 4000, 'did not wait for the slow worker');
    // Nor does the process: the scan ends the worker still starting (a whole process, which would otherwise wait).
    const slowAgain = standIn('slow-second-process', 'setTimeout(ready, 5000);');
    const child = `import { scan } from ${JSON.stringify(new URL('../../src/scan/index.ts', import.meta.url).href)};
import { defaultPolicy } from ${JSON.stringify(new URL('../../src/scan/policy.ts', import.meta.url).href)};
async function* one() { yield { path: 'a.txt', source: { kind: 'bytes', data: Buffer.from('x') } }; }
const r = await scan({ root: '/', items: one(), policy: defaultPolicy(), threads: 2, inlineBelow: { items: 0, bytes: 0 },
  waitForWorkers: true, workerScript: new URL(${JSON.stringify(slowAgain.href)}) });
console.log(r.stats.engine, JSON.stringify(r.warnings));`;
    const t1 = performance.now();
    const childScript = join(tmp, 'slow-second-scan.mjs');
    writeFileSync(childScript, child);
    const out = execFileSync(process.execPath, [childScript], { encoding: 'utf8' });
    assert.equal(out.trim(), 'stand-in []');
    assert.ok(performance.now() - t1 < 4000, 'the process did not wait for the slow worker');
    // The one that dies does so before the first is ready: its warning comes while the scan runs.
    const d = await scan({
      root: tmp,
      items: gen(items(40)),
      policy: policy(),
      threads: 2,
      inlineBelow: { items: 1, bytes: 1 },
      waitForWorkers: true,
      workerScript: standIn('dying-second', "throw new Error('no second worker');", 300),
    });
    assert.equal(d.stats.files, 40);
    assert.equal(d.stats.failed, 0);
    assert.deepEqual(d.warnings, ['scan worker did not start (Error); scanning with fewer threads']);
  });

  it('rejects start() when the worker cannot load', async () => {
    const script = join(tmp, 'broken-worker.mjs');
    writeFileSync(script, 'throw new Error("cannot start");');
    const pool = poolOf(script);
    await assert.rejects(pool.start(), /scan worker did not start/);
    await pool.close();
  });

  describe('a large archive', () => {
    // 48 entries of ~128 KiB of random text, a third stored (views into the zip: copied when handed out), the rest
    // deflated (their memory moved); each holds one token.
    const dir = join(tmp, 'large-archive');
    mkdirSync(dir, { recursive: true });
    const entries = Array.from({ length: 48 }, (_, i) => ({
      name: `dir/e${i}.txt`,
      data: Buffer.from(`${randomBytes(96 * 1024).toString('base64')}\n${tok(i % 9)} ${i}\n`),
      store: i % 3 === 0,
    }));
    // And an archive inside it: its entries are handed out too, named through both.
    const nested = { name: 'dir/nested.txt.gz', data: gzipSync(`x\n${tok(4)} nested\n`), store: true };
    const archive = zip([...entries, nested]);
    writeFileSync(join(dir, 'big.zip'), archive);
    const item: ScanItem = {
      path: 'big.zip',
      source: { kind: 'file', absPath: join(dir, 'big.zip'), size: archive.length },
    };
    const places = (results: WireResult[]) =>
      results
        .flatMap((r) => r.findings)
        .map((f) => `${f.file}:${f.line}`)
        .sort();

    /** One batch holding the archive, on a two-worker pool sharing `handedOut`. */
    async function scanArchive(handedOut: SharedArrayBuffer) {
      const init = {
        rules: rulesToWire(rules)!,
        allowRegexes: [],
        stopwords: [],
        items: { archives: true, limits: {}, maxFileSize: 1 << 20, ignorePaths: [] },
        engine: {},
        handedOut,
      };
      const spawned: Promise<WireResult>[] = [];
      let spawnedItems = 0;
      const pool = new ScanPool(resolveWorkerScript()!, 2, init, assert.fail, (list, result) => {
        spawnedItems += list.length;
        spawned.push(result);
      });
      await pool.start();
      // Both ready: a worker hands entries out only while another waits for work, and one still booting does not.
      for (let waited = 0; pool.readyWorkers < 2 && waited < 20_000; waited += 5) await sleep(5);
      const own = await pool.submit([item]);
      const others = await Promise.all(spawned);
      await pool.close();
      return { own, others, spawnedItems };
    }

    it('is large enough to be handed out', () => {
      assert.ok(archive.length >= HAND_OUT_ARCHIVES_FROM, `${archive.length} bytes`);
    });

    it('hands its entries out to every worker: each scanned once, the count given back', async () => {
      const handedOut = new SharedArrayBuffer(4);
      const { own, others, spawnedItems } = await scanArchive(handedOut);
      assert.ok(spawnedItems > 0, 'entries were handed out');
      assert.equal(own.stats.files + others.reduce((n, r) => n + r.stats.files, 0), 49);
      assert.deepEqual(
        places([own, ...others]),
        [...entries.map((_, i) => `big.zip!dir/e${i}.txt:2`), 'big.zip!dir/nested.txt.gz!nested.txt:2'].sort(),
      );
      assert.equal(new Int32Array(handedOut)[0], 0, 'every handed-out entry was scanned');
    });

    it('hands nothing out while ENTRIES_HANDED_OUT KiB wait to be scanned', async () => {
      const handedOut = new SharedArrayBuffer(4);
      new Int32Array(handedOut)[0] = ENTRIES_HANDED_OUT;
      const { own, spawnedItems } = await scanArchive(handedOut);
      assert.equal(spawnedItems, 0);
      assert.equal(own.stats.files, 49);
      assert.equal(places([own]).length, 49);
    });

    /** The archive on a one-worker pool whose caller scans too, as scan() does; `waiting`: it waits for work. */
    async function scanArchiveBeside(waiting: boolean) {
      const init = {
        rules: rulesToWire(rules)!,
        allowRegexes: [],
        stopwords: [],
        items: { archives: true, limits: {}, maxFileSize: 1 << 20, ignorePaths: [] },
        engine: {},
      };
      const spawned: Promise<WireResult>[] = [];
      let spawnedItems = 0;
      const onSpawn = (list: unknown[], result: Promise<WireResult>) => {
        spawnedItems += list.length;
        spawned.push(result);
      };
      const pool = new ScanPool(resolveWorkerScript()!, 1, init, assert.fail, onSpawn, { callerScans: true });
      await pool.start();
      pool.setCallerWaiting(waiting);
      let ownDone = false;
      const own = pool.submit([item]).finally(() => {
        ownDone = true;
      });
      // It takes what is queued until the worker's own batch is done.
      const engine = new ScanEngine({ ...policy(), rules });
      const here = { archives: true, limits: {}, maxFileSize: 1 << 20, ignore: () => false };
      let taken = 0;
      for (;;) {
        const t = pool.take(false);
        if (t) {
          taken += t.batch.items.length;
          t.settle(scanBatch(engine, t.batch.id, t.batch.items, here, { handedOut: pool.handedOut }));
        } else if (ownDone) break;
        else await sleep(2);
      }
      const results = [await own, ...(await Promise.all(spawned))];
      await pool.close();
      assert.equal(places(results).length, 49);
      assert.equal(pool.handedOut[0], 0, 'every handed-out entry was scanned');
      return { own: await own, spawnedItems, taken };
    }

    it('hands entries to a caller that waits for work, never back to the worker that handed them out', async () => {
      const { own, spawnedItems, taken } = await scanArchiveBeside(true);
      assert.ok(spawnedItems > 0, 'entries were handed out');
      assert.equal(taken, spawnedItems, 'every handed-out entry was taken by the caller');
      assert.equal(own.stats.files + taken, 49);
    });

    it('hands nothing out while every thread is busy (an entry is scanned where it was inflated)', async () => {
      const { own, spawnedItems } = await scanArchiveBeside(false);
      assert.equal(spawnedItems, 0);
      assert.equal(own.stats.files, 49);
    });

    it('finds the same in two threads as in one, ignored entries left out in both', async () => {
      const ignoring = (): ScanPolicy => ({ ...policy(), ignorePaths: [...policy().ignorePaths, '**/e1?.txt'] });
      const one = await scan({ root: dir, policy: ignoring(), threads: 1 });
      const two = await scan({ root: dir, policy: ignoring(), threads: 2, inlineBelow: { items: 1, bytes: 1 } });
      assert.equal(placeCount(one), 39, '48 entries and the nested one, less e10 to e19');
      assert.deepEqual(two.findings, one.findings);
      assert.equal(two.stats.files, one.stats.files);
      assert.deepEqual(two.warnings, one.warnings);
    });
  });
});
