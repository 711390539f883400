import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { emptyEngineStats, ScanEngine } from '../../src/scan/engine.ts';
import { scan } from '../../src/scan/index.ts';
import { globMatcher } from '../../src/scan/glob.ts';
import { type ItemPolicy, scanItem } from '../../src/scan/item.ts';
import type { ScanPolicy } from '../../src/scan/policy.ts';

function tar(files: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const h = Buffer.alloc(512);
    h.write(f.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${f.data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\x0000', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(h, f.data, Buffer.alloc((512 - (f.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const keyId = () => ['AK', 'IA', 'ZX4Q', 'P7RM', 'K2WT', 'B5NV'].join('');

const rule = {
  id: 't-aws',
  title: 'AWS key id',
  severity: 'high' as const,
  keywords: ['akia'],
  pattern: '\\b(AKIA[A-Z2-7]{16})\\b',
  help: '',
  examples: { tp: [], fp: [] },
};

/** A tgz over 4 KiB (incompressible filler) whose entries are small, one of them over 2 KiB, one ignored. */
function bundle(): Buffer {
  // Printable noise that gzip cannot shrink much (a linear congruential sequence), so the archive is big.
  let seed = 12345;
  const filler = (n: number) =>
    Buffer.from(
      Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return 0x21 + (seed % 94);
      }),
    );
  return gzipSync(
    tar([
      { name: 'package/.env', data: Buffer.from(`# deploy\nAWS_ACCESS_KEY_ID=${keyId()}\n`) },
      { name: 'package/big.txt', data: Buffer.concat([Buffer.from(`${keyId()}\n`), filler(3000)]) },
      { name: 'package/fixtures/key.txt', data: Buffer.from(`${keyId()}\n`) },
      { name: 'package/noise.bin', data: filler(1900) },
      { name: 'package/noise2.bin', data: filler(1900) },
      { name: 'package/noise3.bin', data: filler(1900) },
    ]),
  );
}

const fixturesDir = await globMatcher(['**/fixtures/**']);

describe('scanItem: archives are opened where the item is scanned', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-item-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const policy: ItemPolicy = {
    archives: true,
    limits: {},
    maxFileSize: 2048,
    ignore: fixturesDir,
  };
  const engine = new ScanEngine({ rules: [rule], allowRegexes: [], stopwords: [] });

  it('opens an archive larger than the max file size; its entries obey the size limit and the ignore globs', () => {
    const data = bundle();
    assert.ok(data.length > policy.maxFileSize, 'the fixture itself is over the limit');
    const path = join(dir, 'lib-1.0.0.tgz');
    writeFileSync(path, data);
    const stats = emptyEngineStats();
    const warnings: string[] = [];
    const found = scanItem(
      engine,
      { path: 'vendor/lib-1.0.0.tgz', source: { kind: 'file', absPath: path, size: data.length } },
      policy,
      stats,
      (m) => warnings.push(m),
    );
    assert.deepEqual(
      found.map((f) => [f.file, f.line]),
      [['vendor/lib-1.0.0.tgz!package/.env', 2]],
    );
    assert.equal(stats.files, 4, '.env and the three noise files; fixtures/ ignored, big.txt skipped');
    assert.deepEqual(warnings, [
      'vendor/lib-1.0.0.tgz!package/big.txt: larger than 0 MiB, not scanned (limit: entry size)',
    ]);
  });

  it('an archive-named file over the max size that is no archive is skipped as large, not scanned', () => {
    const text = Buffer.from(`${keyId()}\n${'x'.repeat(4000)}\n`);
    const path = join(dir, 'notes.gz');
    writeFileSync(path, text);
    const stats = emptyEngineStats();
    const found = scanItem(
      engine,
      { path: 'notes.gz', source: { kind: 'file', absPath: path, size: text.length } },
      policy,
      stats,
      () => {},
    );
    assert.deepEqual(found, []);
    assert.equal(stats.skippedLarge, 1);
    assert.equal(stats.files, 0);
  });

  it('an archive-named file under the limit that is no archive is scanned as it is', () => {
    const text = Buffer.from(`id=${keyId()}\n`);
    const path = join(dir, 'small.gz');
    writeFileSync(path, text);
    const stats = emptyEngineStats();
    const found = scanItem(
      engine,
      { path: 'small.gz', source: { kind: 'file', absPath: path, size: text.length } },
      policy,
      stats,
      () => {},
    );
    assert.deepEqual(
      found.map((f) => f.file),
      ['small.gz'],
    );
    assert.equal(stats.files, 1);
  });

  it("a bytes item's memory belongs to its source: scanning its archive leaves it whole", () => {
    const data = Buffer.from(bundle()); // a buffer of its own, so freeing it would show
    const copy = Buffer.from(data);
    const found = scanItem(
      engine,
      { path: 'x.tgz', source: { kind: 'bytes', data } },
      policy,
      emptyEngineStats(),
      () => {},
    );
    assert.deepEqual(
      found.map((f) => f.file),
      ['x.tgz!package/.env'],
    );
    assert.ok(data.equals(copy));
  });

  it('archives off: the archive is one binary-or-text item like any other', () => {
    const data = gzipSync(Buffer.from(`AWS=${keyId()}\n`));
    const stats = emptyEngineStats();
    const found = scanItem(
      engine,
      { path: 'a.gz', source: { kind: 'bytes', data } },
      { ...policy, archives: false },
      stats,
      () => {},
    );
    assert.deepEqual(found, []);
    assert.equal(stats.files + stats.skippedBinary, 1);
  });
});

/** scan() of `root` with `rule` and a 2 KiB max file size, on `threads`, workers from the sources once started. */
function scanTree(root: string, threads: number, inlineBelow: { items: number; bytes: number }) {
  const policy: ScanPolicy = {
    rules: [rule],
    ignorePaths: ['**/fixtures/**'],
    allowRegexes: [],
    stopwords: [],
    maxFileSize: 2048,
  };
  const workerScript = new URL('../../src/scan/worker.ts', import.meta.url);
  return scan({ root, policy, threads, waitForWorkers: true, inlineBelow, workerScript });
}

describe('scan(): archives opened in the workers give what one thread gives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-item-scan-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
  writeFileSync(join(dir, 'lib-1.0.0.tgz'), bundle());
  writeFileSync(join(dir, 'zeros.bin.gz'), bomb);
  writeFileSync(join(dir, 'plain.txt'), `k=${['AK', 'IA', 'QW3E', 'R4TY', 'U5IO', 'P6AS'].join('')}\n`);
  writeFileSync(join(dir, 'notes.gz'), `k=${keyId()}\n${'x'.repeat(4000)}\n`); // no archive, over the max size
  it('findings, skipped counts and archive warnings agree between 1 thread and 2 workers', async () => {
    const run = (threads: number) => scanTree(dir, threads, { items: 0, bytes: 0 });
    const one = await run(1);
    const two = await run(2);
    const view = (r: Awaited<ReturnType<typeof scan>>) => ({
      findings: r.findings.map((f) => `${f.file}:${f.line}`),
      skippedLarge: r.stats.skippedLarge,
      files: r.stats.files,
      warnings: r.warnings.filter((w) => /zeros|big\.txt/.test(w)).length,
    });
    assert.deepEqual(view(one), {
      findings: ['lib-1.0.0.tgz!package/.env:2', 'plain.txt:1'],
      skippedLarge: 1,
      files: 5,
      warnings: 2,
    });
    assert.deepEqual(view(two), view(one));
    assert.match(two.stats.engine, /re2/);
  });
});

describe('scanItem: a file the listing did not stat is checked where it is opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-item-unstated-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const policy: ItemPolicy = { archives: true, limits: {}, maxFileSize: 2048, ignore: fixturesDir };
  const engine = new ScanEngine({ rules: [rule], allowRegexes: [], stopwords: [] });
  const unstated = (path: string, absPath: string) => ({ path, source: { kind: 'file' as const, absPath } });
  const run = (path: string) => {
    const stats = emptyEngineStats();
    const warnings: string[] = [];
    const found = scanItem(engine, unstated(path, join(dir, path)), policy, stats, (m) => warnings.push(m));
    return { found: found.map((f) => `${f.file}:${f.line}`), stats, warnings };
  };

  it('over the max file size: counted skippedLarge and not scanned, as when the listing saw its size', () => {
    writeFileSync(join(dir, 'big.txt'), `${keyId()}\n${'x'.repeat(4000)}\n`);
    const r = run('big.txt');
    assert.deepEqual(r.found, []);
    assert.equal(r.stats.skippedLarge, 1);
    assert.equal(r.stats.files + r.stats.unreadable, 0);
  });

  it('an archive over the max file size is still opened, and a small file scanned', () => {
    writeFileSync(join(dir, 'lib-1.0.0.tgz'), bundle());
    writeFileSync(join(dir, 'small.txt'), `id=${keyId()}\n`);
    assert.deepEqual(run('lib-1.0.0.tgz').found, ['lib-1.0.0.tgz!package/.env:2']);
    const small = run('small.txt');
    assert.deepEqual(small.found, ['small.txt:1']);
    assert.equal(small.stats.files, 1);
  });

  it('gone since it was listed: skipped without a count, as the listing skips it', () => {
    const r = run('vanished.txt');
    assert.deepEqual([r.found, r.warnings, r.stats.unreadable, r.stats.files], [[], [], 0, 0]);
  });

  it('a symlink put in its place is not followed: counted as a skipped symlink, as the listing counts one', () => {
    const outside = mkdtempSync(join(tmpdir(), 'jit-item-outside-'));
    after(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'secret.txt'), `id=${keyId()}\n`);
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    const r = run('link.txt');
    assert.deepEqual(
      [r.found, r.warnings, r.stats.skippedSymlinks, r.stats.unreadable, r.stats.files],
      [[], [], 1, 0, 0],
    );
  });

  it('a FIFO put in its place is never waited on: a warning, counted unreadable', () => {
    execFileSync('mkfifo', [join(dir, 'pipe.txt')]);
    // In a child process: a blocking open of a FIFO with no writer would hang this test run, not fail it.
    const script = `
      import { emptyEngineStats, ScanEngine } from ${JSON.stringify(new URL('../../src/scan/engine.ts', import.meta.url).href)};
      import { scanItem } from ${JSON.stringify(new URL('../../src/scan/item.ts', import.meta.url).href)};
      const engine = new ScanEngine({ rules: [], allowRegexes: [], stopwords: [] });
      const stats = emptyEngineStats();
      const warnings = [];
      const policy = { archives: true, limits: {}, maxFileSize: 2048, ignore: () => false };
      scanItem(engine, { path: 'pipe.txt', source: { kind: 'file', absPath: process.env.FIFO } }, policy, stats, (m) => warnings.push(m));
      process.stdout.write(JSON.stringify({ unreadable: stats.unreadable, files: stats.files, warnings }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, FIFO: join(dir, 'pipe.txt') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.deepEqual(JSON.parse(out), {
      unreadable: 1,
      files: 0,
      warnings: ['pipe.txt: no longer a regular file; not scanned'],
    });
  });
});

describe('scan(): past the first files the walk does not stat, with the same counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-item-walk-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 6; i++) writeFileSync(join(dir, `a${i}.txt`), 'nothing\n');
  writeFileSync(join(dir, 'z-big.txt'), `${keyId()}\n${'x'.repeat(4000)}\n`); // last in the walk's order
  writeFileSync(join(dir, 'z-lib-1.0.0.tgz'), bundle());
  it('an over-size file late in the walk is counted skippedLarge, inline and in the workers', async () => {
    const run = (threads: number) => scanTree(dir, threads, { items: 2, bytes: 1 << 30 });
    for (const r of [await run(1), await run(2)]) {
      assert.deepEqual(
        r.findings.map((f) => f.file),
        ['z-lib-1.0.0.tgz!package/.env'],
      );
      assert.equal(r.stats.skippedLarge, 1);
      assert.equal(r.stats.files, 6 + 4, 'a0-a5, and in the archive .env and three noise files');
      assert.equal(r.stats.unreadable, 0);
    }
  });
});
