// Two threads without a second isolate (src/scan/collect-thread.ts): the native collector
// (scripts/native/collector.cc) must find exactly what the engine's own phases 1 and 2 find, window by window, and a
// scan on two threads must report exactly what one thread reports, on every kind of item and every path an item
// can take (archives, skips, unreadable files, UTF-16, binary, files larger than a batch or a window).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ARENA_BYTES, CollectThread, skipWindows } from '../../src/scan/collect-thread.ts';
import { DEFAULT_DECODE_LIMITS, findEncodedSpans } from '../../src/scan/decode.ts';
import { emptyEngineStats, ScanEngine } from '../../src/scan/engine.ts';
import { scan } from '../../src/scan/index.ts';
import { defaultPolicy } from '../../src/scan/policy.ts';
import type { NativeCollector } from '../../src/scan/regex/index.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import type { ScanItem } from '../../src/scan/sources/types.ts';
import type { Finding } from '../../src/scan/types.ts';
import { COLLECT_AFTER_ITEMS } from '../../src/scan/worker-thread.ts';
import { zip } from './zip-fixture.ts';

const engine = new ScanEngine(defaultPolicy(), { decode: true });
const collector = engine.nativeCollector();
const skip = collector ? false : 'no native collector here (re2js, or an addon without it)';

/** A line the default policy reports (generic-secret-assignment), a different secret for each `i`. */
const secret = (i: number) => `password = "Xk9mQ2vL7pR4wZ${(1296 + i).toString(36)}"`;
/** aws-secret-access-key. */
const aws = `AWS_SECRET_ACCESS_KEY=${'wJalrXUtnFEMI/K7MDENG/'}bPxRfiCYzK9aQ3vT5u`;

/** Every catalogue example, and inputs that stress the windows: long lines, characters cut at a window's start. */
function samples(): Buffer[] {
  const out: Buffer[] = [];
  for (const r of builtinRules) for (const t of [...r.examples.tp, ...r.examples.fp]) out.push(Buffer.from(t));
  const all = builtinRules.flatMap((r) => r.examples.tp).join('\n');
  out.push(Buffer.from(all));
  out.push(Buffer.from(all.replace(/\n/g, ' '))); // one long line: windows clipped to lead/margin
  out.push(Buffer.from(`${'é'.repeat(3000)}password = "S3cr3t-Pa55w0rd-x9"${'€'.repeat(3000)}`));
  out.push(Buffer.from(`${'x'.repeat(5000)}${secret(1)}`)); // a keyword far into a line
  out.push(Buffer.from(secret(2))); // a keyword at byte 0
  out.push(Buffer.from(`api_key = ${Buffer.from(secret(3)).toString('base64')}\n`)); // decoded
  out.push(Buffer.from(`k = ${Buffer.from(aws).toString('hex')}\n`));
  out.push(Buffer.alloc(0));
  return out;
}

/** The engine's phases 1 and 2 and the decoder's spans over each window, as the collector lays them out. */
function ownResults(data: Buffer): { cands: number[][]; spans: string[] } {
  const cands: number[][] = [];
  const spans: string[] = [];
  const w = engine.windowsOf(data.length);
  for (let i = 0; i < w.length; i += 2) {
    const view = data.subarray(w[i]!, w[i + 1]!);
    cands.push(
      engine.collect(view).flatMap((c) => [c.rule.order, c.matchStart, c.matchEnd, c.secretStart, c.secretEnd]),
    );
    spans.push(spanKey(findEncodedSpans(view, DEFAULT_DECODE_LIMITS)));
  }
  return { cands, spans };
}

function nativeResults(data: Buffer, results: Int32Array): { cands: number[][]; spans: string[] } {
  const cands: number[][] = [];
  const spans: string[] = [];
  const w = engine.windowsOf(data.length);
  let at = 0;
  for (let i = 0; i < w.length; i += 2) {
    const view = data.subarray(w[i]!, w[i + 1]!);
    cands.push([...results.subarray(at + 1, at + 1 + 5 * results[at]!)]);
    at += 1 + 5 * results[at]!;
    const runs = results.subarray(at + 1, at + 1 + 3 * results[at]!);
    at += 1 + runs.length;
    spans.push(spanKey(findEncodedSpans(view, DEFAULT_DECODE_LIMITS, runs)));
  }
  assert.equal(at, results.length, 'the layout accounts for every value');
  assert.equal(skipWindows(results, 0, w.length / 2), results.length);
  return { cands, spans };
}

const spanKey = (spans: { start: number; end: number; encoding: string; decoded: Buffer }[]) =>
  spans.map((s) => `${s.start}-${s.end}:${s.encoding}:${s.decoded.toString('hex')}`).join(' ');

async function* gen(list: ScanItem[]): AsyncGenerator<ScanItem> {
  yield* list;
}

const tmp = mkdtempSync(join(tmpdir(), 'jit-collect-'));
after(() => {
  chmodSync(join(tmp, 'tree', 'locked.txt'), 0o644);
  rmSync(tmp, { recursive: true, force: true });
});

describe('the native collector', { skip }, () => {
  it('finds, window by window, what the engine finds: candidates in the same order, the same decoder runs', () => {
    let found = 0;
    for (const data of samples()) {
      const own = ownResults(data);
      assert.deepEqual(
        nativeResults(data, collector!.collectSync(data, Int32Array.from(engine.windowsOf(data.length)))),
        own,
      );
      found += own.cands.reduce((n, c) => n + c.length / 5, 0);
    }
    assert.ok(found > 500, `the samples call for candidates (${found})`);
  });

  it('collects submitted batches on its own thread; a batch still queued can be taken back and collected here', () => {
    const data = Buffer.concat(samples());
    const windows = Int32Array.from(engine.windowsOf(data.length));
    const expected = collector!.collectSync(data, windows);
    const ids = Array.from({ length: 6 }, () => collector!.submit(data, windows));
    const stolen = collector!.steal(ids[5]!); // null when its thread got there first
    if (stolen) assert.deepEqual(stolen, expected);
    for (const id of stolen ? ids.slice(0, 5) : ids) assert.deepEqual(collector!.take(id, true), expected);
    assert.equal(collector!.state(ids[0]!), -1, 'a batch taken is forgotten');
    assert.throws(() => collector!.take(ids[0]!), /no such job/);
  });

  it('windows across a large input: a secret on a window edge is found once, as the engine finds it', () => {
    const small = new ScanEngine(defaultPolicy(), { decode: true, chunkSize: 4096, overlap: 512 });
    const c = small.nativeCollector()!;
    const filler = 'lorem ipsum dolor sit amet\n'.repeat(150);
    const data = Buffer.from(`${filler}${secret(4)}\n${filler}${aws}\n${filler}`);
    const windows = small.windowsOf(data.length);
    assert.ok(windows.length > 4, 'several windows');
    const results = c.collectSync(data, Int32Array.from(windows));
    const got = small.scanCollected(data, { path: 'a' }, emptyEngineStats(), results, 0);
    assert.deepEqual(got, small.scanBytes(data, { path: 'a' }));
    assert.equal(got.length, 2);
  });

  it('refuses tables that would send it outside its arrays, and windows outside the data', () => {
    const ok = () => ({
      classOf: new Int32Array(256),
      delta: new Int32Array(2),
      classes: 2,
      outIds: new Int32Array(0),
      outStart: new Int32Array([0, 0]),
      keywordLengths: new Int32Array(0),
      ownerStart: new Int32Array([0]),
      keywordOwners: new Int32Array(0),
      alwaysRules: new Int32Array(0),
      sources: ['a(b+)c'],
      caseInsensitive: new Int32Array([0]),
      groups: new Int32Array([1]),
      windows: new Int32Array([0]),
      lead: 0,
      margin: 0,
      need: 0,
    });
    assert.ok(engine.regex.createCollector!(ok()), 'the well-formed tables are taken');
    const hostile: [string, Record<string, unknown>][] = [
      ['a next state past the table', { delta: new Int32Array([0, 4]) }],
      ['a state not on a row', { delta: new Int32Array([0, 1]) }],
      ['a class past a row', { classOf: new Int32Array(256).fill(2) }],
      [
        'an owner that is no rule',
        { keywordLengths: new Int32Array([1]), ownerStart: new Int32Array([0, 1]), keywordOwners: new Int32Array([5]) },
      ],
      ['a keyword id past the lengths', { outIds: new Int32Array([3]), outStart: new Int32Array([0, 1]) }],
      ['a rule run always that is none', { alwaysRules: new Int32Array([1]) }],
      ['no group for the rule', { groups: new Int32Array(0) }],
      ['a source that is no string', { sources: [42] }],
    ];
    for (const [what, change] of hostile) {
      assert.throws(
        () => engine.regex.createCollector!({ ...ok(), ...change } as never),
        /malformed|one group|string/,
        what,
      );
    }
    const c = engine.regex.createCollector!({ ...ok(), alwaysRules: new Int32Array([0]) });
    for (const w of [[0, 11], [-1, 2], [5, 4], [0]]) {
      assert.throws(() => c.collectSync(Buffer.alloc(10), Int32Array.from(w)), /inside the data/, `${w}`);
      assert.throws(() => c.submit(Buffer.alloc(10), Int32Array.from(w)), /inside the data/, `${w}`);
    }
    assert.deepEqual([...c.collectSync(Buffer.from('xabbc'), Int32Array.from([0, 5]))], [1, 0, 1, 5, 2, 4, 0]);
    assert.throws(
      () => Reflect.apply(c.submit, {}, [Buffer.alloc(1), new Int32Array(2)]),
      TypeError,
      'not a collector',
    );
    // An automaton whose keyword is longer than what it has read (never the engine's own): nothing read before the
    // window's start.
    const inconsistent = engine.regex.createCollector!({
      ...ok(),
      classOf: Int32Array.from({ length: 256 }, (_, b) => (b === 0x61 ? 1 : 0)),
      delta: new Int32Array([0, -2, 0, -2]),
      outIds: new Int32Array([0]),
      outStart: new Int32Array([0, 0, 1]),
      keywordLengths: new Int32Array([5]),
      ownerStart: new Int32Array([0, 1]),
      keywordOwners: new Int32Array([0]),
      sources: ['([\\s\\S])'],
    });
    assert.deepEqual([...inconsistent.collectSync(Buffer.from('a'), Int32Array.from([0, 1]))], [0, 0]);
    // A rule that does not compile fails the batch: the engine then scans it, and meets the same error.
    const bad = engine.regex.createCollector!({ ...ok(), alwaysRules: new Int32Array([0]), sources: ['a(b'] });
    assert.throws(() => bad.collectSync(Buffer.from('abc'), Int32Array.from([0, 3])), /does not compile/);
    assert.throws(() => bad.take(bad.submit(Buffer.from('abc'), Int32Array.from([0, 3])), true), /does not compile/);
  });
});

describe('two threads: this one and the native collector', { skip }, () => {
  const tree = join(tmp, 'tree');
  mkdirSync(join(tree, 'many'), { recursive: true });
  // Enough files for several batches, and a few that take each path an item can take.
  for (let i = 0; i < 600; i++) {
    writeFileSync(join(tree, 'many', `f${i}.js`), `// file ${i}\n${'const x = 1;\n'.repeat(i % 300)}${secret(i)};\n`);
  }
  writeFileSync(join(tree, 'big.txt'), `${'filler line of text\n'.repeat(160_000)}aws = ${aws}\n`); // > an arena, > a window
  writeFileSync(join(tree, 'exact.txt'), Buffer.alloc(ARENA_BYTES, 'a')); // exactly an arena
  writeFileSync(
    join(tree, 'utf16.txt'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${secret(700)}\n`, 'utf16le')]),
  );
  writeFileSync(join(tree, 'binary.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(secret(701))]));
  writeFileSync(join(tree, 'empty.txt'), '');
  writeFileSync(join(tree, 'bundle.zip'), zip([{ name: 'inner/.env', data: Buffer.from(`${secret(702)}\n`) }]));
  writeFileSync(join(tree, 'notes.tgz'), gzipSync(Buffer.from(`${secret(703)}\n`)));
  writeFileSync(join(tree, 'encoded.yaml'), `data:\n  key: ${Buffer.from(secret(704)).toString('base64')}\n`);
  writeFileSync(join(tree, 'locked.txt'), `${secret(705)}\n`);
  chmodSync(join(tree, 'locked.txt'), 0);
  symlinkSync(join(tree, 'many', 'f1.js'), join(tree, 'link.js'));

  const used = () => {
    let adds = 0;
    const add = CollectThread.prototype.add;
    CollectThread.prototype.add = function (this: CollectThread, item: ScanItem) {
      adds++;
      return add.call(this, item);
    };
    const restore = () => {
      CollectThread.prototype.add = add;
    };
    return { count: () => adds, restore };
  };

  it('reports exactly what one thread reports, every count included', async () => {
    const one = await scan({ root: tree, policy: defaultPolicy(), threads: 1 });
    const spy = used();
    try {
      const two = await scan({ root: tree, policy: defaultPolicy(), threads: 2, inlineBelow: { items: 0, bytes: 0 } });
      assert.ok(spy.count() > 600, 'the collect thread scanned the tree');
      const { durationMs: _a, ...oneStats } = one.stats;
      const { durationMs: _b, ...twoStats } = two.stats;
      assert.deepEqual(two.findings, one.findings);
      assert.deepEqual(twoStats, oneStats);
      assert.deepEqual(two.warnings, one.warnings);
      assert.ok(one.findings.length >= 605, `the tree holds secrets on every path (${one.findings.length})`);
      assert.equal(one.stats.skippedBinary, 1);
    } finally {
      spy.restore();
    }
  });

  it(`starts after ${COLLECT_AFTER_ITEMS} items without counting the tree first; a one-file scan stays here`, async () => {
    const spy = used();
    try {
      const one = await scan({
        root: tree,
        items: gen([{ path: 'one.txt', source: { kind: 'bytes', data: Buffer.from(`${secret(1)}\n`) } }]),
        policy: defaultPolicy(),
        threads: 2,
      });
      assert.equal(spy.count(), 0, 'no collector for one file');
      assert.equal(one.findings.length, 1);
      await scan({ root: tree, policy: defaultPolicy(), threads: 2 });
      assert.ok(spy.count() > 400, `the rest of the tree went to it (${spy.count()})`);
    } finally {
      spy.restore();
    }
  });

  it('a large archive met first starts the collector at once: it is not scanned on this thread alone', async () => {
    const dir = join(tmp, 'archive-first');
    mkdirSync(dir);
    // Pseudo-random words (no long base64 runs), so the gzip stays over HAND_OUT_ARCHIVES_FROM (4 MiB); seeded, so
    // the same every run.
    let seed = 12345;
    const noise = Buffer.alloc(8 << 20);
    for (let i = 0; i < noise.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const b = seed >>> 16;
      noise[i] = b % 9 === 0 ? 0x20 : 0x61 + (b % 26);
    }
    const text = Buffer.concat([noise, Buffer.from(`\n${secret(800)}\n`)]);
    writeFileSync(join(dir, 'notes.gz'), gzipSync(text));
    const spy = used();
    try {
      const r = await scan({ root: dir, policy: defaultPolicy(), threads: 2 });
      assert.equal(spy.count(), 1, 'the one item went to the collect thread');
      assert.ok(
        r.findings.some((f) => f.file === 'notes.gz!notes' && f.line === 2),
        'the planted secret',
      );
      const one = await scan({ root: dir, policy: defaultPolicy(), threads: 1 });
      assert.deepEqual(r.findings, one.findings);
    } finally {
      spy.restore();
    }
  });

  it('git-style items (bytes with line maps) too', async () => {
    const items = (): ScanItem[] =>
      Array.from({ length: 300 }, (_, i) => ({
        path: `c/${i}.txt`,
        source: { kind: 'bytes' as const, data: Buffer.from(`+ line\n+ ${secret(i)}\n`) },
        lineMap: Uint32Array.from([10 + i, 11 + i]),
        commit: `c${i}`,
      }));
    const one = await scan({ root: tmp, items: gen(items()), policy: defaultPolicy(), threads: 1 });
    const two = await scan({
      root: tmp,
      items: gen(items()),
      policy: defaultPolicy(),
      threads: 2,
      inlineBelow: { items: 0, bytes: 0 },
    });
    assert.deepEqual(two.findings, one.findings);
    assert.equal(one.findings.length, 300);
    assert.equal(one.findings[0]!.line, 11);
  });

  it('a collector that fails mid-scan: the batches are scanned here, with one warning, nothing lost', async () => {
    const findings: Finding[] = [];
    const warnings: string[] = [];
    const failing: NativeCollector = {
      submit: () => 1,
      state: () => 0,
      steal: () => {
        throw new TypeError('boom');
      },
      take: () => {
        throw new TypeError('boom');
      },
      collectSync: () => {
        throw new TypeError('boom');
      },
    };
    const stats = emptyEngineStats();
    const ct = new CollectThread(
      engine,
      failing,
      { archives: true, limits: {}, maxFileSize: 1 << 30, ignore: () => false },
      stats,
      { onItem: (f) => findings.push(...f), onWarning: (m) => warnings.push(m) },
    );
    for (let i = 0; i < 700; i++) {
      ct.add({
        path: `x${i}`,
        source: { kind: 'bytes', data: Buffer.from(`${'pad\n'.repeat(400)}${secret(i)}\n`) },
      });
    }
    ct.finish();
    assert.equal(findings.length, 700);
    assert.equal(stats.files, 700);
    assert.deepEqual(warnings, ['native collector failed (TypeError); scanning on one thread']);
  });

  it('files over the max size are counted as one thread counts them', async () => {
    const policy = { ...defaultPolicy(), maxFileSize: 1024 * 1024 };
    const one = await scan({ root: tree, policy, threads: 1 });
    const two = await scan({ root: tree, policy, threads: 2, inlineBelow: { items: 0, bytes: 0 } });
    assert.equal(one.stats.skippedLarge, 1); // big.txt
    assert.deepEqual({ ...two.stats, durationMs: 0 }, { ...one.stats, durationMs: 0 });
    assert.deepEqual(two.findings, one.findings);
  });
});
