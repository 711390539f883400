import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { archiveEntries, archiveItems, archiveKind } from '../../src/scan/archive.ts';
import { zip } from './zip-fixture.ts';

// ---- tiny writers for fixtures (built at run time) -----------------------------------------------------------------

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

function fakeKeyId(): string {
  return ['AK', 'IA', 'ZX4Q', 'P7RM', 'K2WT', 'B5NV'].join('');
}

function collect(
  data: Buffer,
  path: string,
  limits = {},
): { entries: Array<{ path: string; text: string }>; warnings: string[] } {
  const warnings: string[] = [];
  const entries = [...archiveEntries(data, path, { limits, onWarning: (m) => warnings.push(m) })].map((e) => ({
    path: e.path,
    text: e.data.length < 200 ? e.data.toString('utf8') : `<${e.data.length} bytes>`,
  }));
  return { entries, warnings };
}

// ---- tests ------------------------------------------------------------------------------------------------------------

test('a secret in a nested .tgz inside a .zip is found, with the full inner path', () => {
  const key = fakeKeyId();
  const tgz = gzipSync(
    tar([
      { name: 'package/config/.env', data: Buffer.from(`AWS_ACCESS_KEY_ID=${key}\n`) },
      { name: 'package/README.md', data: Buffer.from('# hi\n') },
    ]),
  );
  const outer = zip([
    { name: 'docs/readme.txt', data: Buffer.from('nothing here\n') },
    { name: 'vendor/lib-1.0.0.tgz', data: tgz, store: true },
  ]);
  assert.equal(archiveKind(outer), 'zip');
  assert.equal(archiveKind(tgz), 'gzip');
  const { entries, warnings } = collect(outer, 'release/bundle.zip');
  assert.deepEqual(warnings, []);
  assert.deepEqual(entries, [
    { path: 'release/bundle.zip!docs/readme.txt', text: 'nothing here\n' },
    { path: 'release/bundle.zip!vendor/lib-1.0.0.tgz!package/config/.env', text: `AWS_ACCESS_KEY_ID=${key}\n` },
    { path: 'release/bundle.zip!vendor/lib-1.0.0.tgz!package/README.md', text: '# hi\n' },
  ]);
  const items = [...archiveItems({ path: 'a.zip', source: { kind: 'bytes', data: outer }, commit: 'abc' }, outer)];
  assert.equal(items[1]?.commit, 'abc');
});

test('jar/whl are zips; plain tar and .gz work; non-archives yield nothing', () => {
  const jar = zip([{ name: 'META-INF/app.properties', data: Buffer.from('db.password=hunter22\n') }]);
  assert.deepEqual(
    collect(jar, 'lib/app.jar').entries.map((e) => e.path),
    ['lib/app.jar!META-INF/app.properties'],
  );
  const t = tar([{ name: 'a/b.txt', data: Buffer.from('x\n') }]);
  assert.deepEqual(collect(t, 'x.tar').entries, [{ path: 'x.tar!a/b.txt', text: 'x\n' }]);
  assert.deepEqual(collect(gzipSync(Buffer.from('hello\n')), 'logs/app.log.gz').entries, [
    { path: 'logs/app.log.gz!app.log', text: 'hello\n' },
  ]);
  assert.deepEqual(collect(Buffer.from('just text'), 'a.zip').entries, []);
  const corrupt = collect(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40)]), 'bad.zip');
  assert.equal(corrupt.entries.length, 0);
  assert.match(corrupt.warnings[0] ?? '', /bad\.zip: cannot read the zip archive/);
});

test('zip bombs end in warnings with bounded memory: ratio, overlapping entries, nesting, entry count', () => {
  const before = process.memoryUsage().rss;
  // 1) One entry of 256 MiB of zeros (~250 KiB compressed): refused by ratio, never inflated past the cap.
  const zeros = deflateRawSync(Buffer.alloc(256 * 1024 * 1024));
  const bombZip = zip([{ name: 'zeros.bin', data: Buffer.alloc(0) }]);
  // Patch the fixture to point at the real compressed zeros: rebuild with a fake entry holding `zeros` stored as deflate.
  const ratio = zipRaw('zeros.bin', zeros, 256 * 1024 * 1024);
  const r1 = collect(ratio, 'bomb.zip');
  assert.equal(r1.entries.length, 0);
  assert.match(r1.warnings.join('\n'), /bomb\.zip!zeros\.bin: declares 256 MiB .*more than 200:1.*zip bomb/);
  assert.ok(bombZip.length > 0);

  // 2) 42.zip-style: 16 entries of the same 256 MiB stream (overlapping), nested 16 times: 64 GiB declared.
  const inner = zipRawMany('z', zeros, 256 * 1024 * 1024, 16);
  const outer = zip(
    Array.from({ length: 16 }, (_, i) =>
      i === 0 ? { name: 'inner0.zip', data: inner, store: true } : { name: `inner${i}.zip`, data: inner, sameAs: 0 },
    ),
  );
  const r2 = collect(outer, '42.zip');
  assert.equal(r2.entries.length, 0);
  assert.ok(r2.warnings.length > 0);

  // 3) Overlapping entries of incompressible-ish data: the total cap stops it.
  const chunk = Buffer.from(Array.from({ length: 4 * 1024 * 1024 }, (_, i) => (i * 2654435761) >>> 24));
  const overlap = zip(
    Array.from({ length: 40 }, (_, i) =>
      i === 0 ? { name: 'f0', data: chunk } : { name: `f${i}`, data: chunk, sameAs: 0 },
    ),
  );
  const r3 = collect(overlap, 'overlap.zip', { maxTotal: 32 * 1024 * 1024 });
  assert.ok(r3.entries.length <= 8, `${r3.entries.length} entries`);
  assert.match(r3.warnings.join('\n'), /overlap\.zip: expands to more than 32 MiB.*limit: total size/);

  // 4) Nesting deeper than 3 levels.
  let nested = zip([{ name: 'deep.env', data: Buffer.from('x=1\n') }]);
  for (let i = 0; i < 4; i++) nested = zip([{ name: `level${i}.zip`, data: nested, store: true }]);
  const r4 = collect(nested, 'n.zip');
  assert.equal(r4.entries.length, 0);
  assert.match(r4.warnings.join('\n'), /nested deeper than 3 levels/);

  // 5) Entry count.
  const many = zip(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from(`${i}\n`) })));
  const r5 = collect(many, 'many.zip', { maxEntries: 20 });
  assert.equal(r5.entries.length, 20);
  assert.match(r5.warnings.join('\n'), /more than 20 entries/);

  const grew = process.memoryUsage().rss - before;
  assert.ok(grew < 400 * 1024 * 1024, `rss grew ${Math.round(grew / 1048576)} MiB`);
});

/** A zip with one deflated entry whose compressed bytes are given (so 256 MiB of zeros need not be rebuilt). */
function zipRaw(name: string, comp: Buffer, size: number): Buffer {
  return zipRawMany(name, comp, size, 1);
}

function zipRawMany(name: string, comp: Buffer, size: number, copies: number): Buffer {
  const n = Buffer.from(name);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(8, 8);
  h.writeUInt32LE(comp.length, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(n.length, 26);
  const central: Buffer[] = [];
  for (let i = 0; i < copies; i++) {
    const nm = Buffer.from(copies > 1 ? `${name}${i}` : name);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(comp.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(nm.length, 28);
    c.writeUInt32LE(0, 42);
    central.push(c, nm);
  }
  const cd = Buffer.concat(central);
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(copies, 8);
  e.writeUInt16LE(copies, 10);
  e.writeUInt32LE(cd.length, 12);
  e.writeUInt32LE(30 + n.length + comp.length, 16);
  return Buffer.concat([h, n, comp, cd, e]);
}

test('a zip that lies about its sizes is still capped by the inflate limit', () => {
  const zeros = deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
  const liar = zipRaw('small.txt', zeros, 10); // claims 10 bytes
  const r = collect(liar, 'liar.zip');
  assert.equal(r.entries.length, 0);
  assert.match(r.warnings.join('\n'), /liar\.zip!small\.txt: (expands more than 200:1|larger than 10 MiB expanded)/);
  const gz = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const r2 = collect(gz, 'big.tgz');
  assert.equal(r2.entries.length, 0);
  assert.match(r2.warnings.join('\n'), /big\.tgz: gzip expands more than 200:1/);
});

test('through scan(): a worktree with a zip holding a tgz holding a secret', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { scan } = await import('../../src/scan/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-archive-'));
  try {
    const key = fakeKeyId();
    const tgz = gzipSync(tar([{ name: 'package/.env', data: Buffer.from(`# x\nAWS_ACCESS_KEY_ID=${key}\n`) }]));
    writeFileSync(join(dir, 'bundle.zip'), zip([{ name: 'deps/lib.tgz', data: tgz }]));
    writeFileSync(
      join(dir, 'bomb.zip'),
      zipRaw('z.bin', deflateRawSync(Buffer.alloc(32 * 1024 * 1024)), 32 * 1024 * 1024),
    );
    const policy = {
      rules: [
        {
          id: 't-aws',
          title: 'AWS key id',
          severity: 'high' as const,
          keywords: ['akia'],
          pattern: '\\b(AKIA[A-Z2-7]{16})\\b',
          help: '',
          examples: { tp: [], fp: [] },
        },
      ],
      ignorePaths: [],
      allowRegexes: [],
      stopwords: [],
      maxFileSize: 10 * 1024 * 1024,
    };
    const r = await scan({ root: dir, policy, threads: 1 });
    assert.deepEqual(
      r.findings.map((f) => [f.file, f.line]),
      [['bundle.zip!deps/lib.tgz!package/.env', 2]],
    );
    assert.match(r.warnings.join('\n'), /bomb\.zip!z\.bin: declares 32 MiB.*zip bomb/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a plain .gz expanding past the entry size (max file size) is skipped with a warning, inflating no further', () => {
  // 200 MiB of zeros as 200 concatenated gzip members (~200 KiB): the old cap was the 128 MiB archive total.
  const member = gzipSync(Buffer.alloc(1024 * 1024));
  const gz = Buffer.concat(Array.from({ length: 200 }, () => member));
  const before = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const r = collect(gz, 'pkg/.jsii.tabl.json.gz', { maxRatio: 1e9 });
  const ms = performance.now() - t0;
  assert.deepEqual(r.entries, []);
  assert.match(r.warnings.join('\n'), /pkg\/\.jsii\.tabl\.json\.gz: gzip expands beyond 10 MiB.*\(limit: entry size\)/);
  const grewMiB = (process.resourceUsage().maxRSS - before) / 1024;
  assert.ok(grewMiB < 64, `peak RSS grew ${Math.round(grewMiB)} MiB`);
  assert.ok(ms < 5000, `${Math.round(ms)} ms`);

  // The cap is the entry size, whatever it is set to; at or under it the file is yielded whole.
  const text = Buffer.from('line of text with some words in it\n'.repeat(40_000)); // ~1.4 MiB
  const small = collect(gzipSync(text), 'logs/app.log.gz', { maxEntrySize: 1024 * 1024, maxRatio: 1e9 });
  assert.deepEqual(small.entries, []);
  assert.match(small.warnings.join('\n'), /logs\/app\.log\.gz: gzip expands beyond 1 MiB.*limit: entry size/);
  const fits = collect(gzipSync(text), 'logs/app.log.gz', { maxEntrySize: text.length, maxRatio: 1e9 });
  assert.deepEqual(fits.warnings, []);
  assert.deepEqual(
    fits.entries.map((e) => e.path),
    ['logs/app.log.gz!app.log'],
  );
});

test('a tar inside a .gz is recognised by its header whatever the name; .tgz keeps the archive total as its cap', () => {
  const big = Buffer.from('x'.repeat(3 * 1024 * 1024));
  const t = tar([
    { name: 'a/one.txt', data: big },
    { name: 'a/two.txt', data: big },
  ]);
  // 6 MiB of tar under a 4 MiB entry size: still opened, each entry checked on its own.
  const limits = { maxEntrySize: 4 * 1024 * 1024, maxRatio: 1e9 };
  for (const name of ['dist/pkg.tgz', 'dist/pkg.tar.gz', 'dist/pkg.gz']) {
    const r = collect(gzipSync(t), name, limits);
    assert.deepEqual(r.warnings, [], name);
    assert.deepEqual(
      r.entries.map((e) => e.path),
      [`${name}!a/one.txt`, `${name}!a/two.txt`],
    );
  }
});

test('inflated entries of a known size come out as one buffer of their own (no chunks, no spare chunk from zlib)', () => {
  const text = Buffer.from(Array.from({ length: 300_000 }, (_, i) => 97 + ((i * 7919) % 26)));
  const fromZip = [...archiveEntries(zip([{ name: 'big.txt', data: text }]), 'a.zip')];
  const fromGz = [...archiveEntries(gzipSync(text), 'big.txt.gz')];
  for (const e of [...fromZip, ...fromGz]) {
    assert.ok(e.data.equals(text), e.path);
    // From the start of its own memory, one byte to spare: zlib allocates a second whole chunk whenever the output
    // fills its chunk exactly.
    assert.equal(e.data.byteOffset, 0, e.path);
    assert.equal(e.data.buffer.byteLength, e.data.byteLength + 1, e.path);
  }
  assert.equal(fromZip.length + fromGz.length, 2);
});

// ArrayBuffer.prototype.transfer (Node >= 21) is what frees memory at once; Node 20 leaves it to the collector.
const canFree = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';

test('transient: what the walk inflated is freed once the walk moves past it; views and the input never are', {
  skip: !canFree && 'no ArrayBuffer.prototype.transfer in this Node',
}, () => {
  const big = (c: string) => Buffer.alloc(40_000, c);
  const tgz = gzipSync(tar([{ name: 'pkg/inner.txt', data: big('t') }]));
  const outer = zip([
    { name: 'a.txt', data: big('a') },
    { name: 'stored.txt', data: big('s'), store: true },
    { name: 'x.json.gz', data: gzipSync(big('g')) },
    { name: 'lib.tgz', data: tgz },
  ]);
  const copy = Buffer.from(outer);
  const seen: Array<{ path: string; data: Buffer; whole: boolean }> = [];
  for (const e of archiveEntries(outer, 'o.zip', { transient: true })) {
    // Whole while the consumer has it...
    seen.push({ path: e.path, data: e.data, whole: e.data.length === 40_000 && e.data[0] === e.data[39_999] });
  }
  assert.deepEqual(
    seen.map((s) => [s.path, s.whole]),
    [
      ['o.zip!a.txt', true],
      ['o.zip!stored.txt', true],
      ['o.zip!x.json.gz!x.json', true],
      ['o.zip!lib.tgz!pkg/inner.txt', true],
    ],
  );
  // ...freed once it asked for the next: the inflated entry, the plain gzip's output, the tar's gzip output (the
  // tar entry was a view into it). A stored entry is a view into the zip, which belongs to the caller: intact.
  assert.deepEqual(
    seen.map((s) => [s.path, s.data.length]),
    [
      ['o.zip!a.txt', 0],
      ['o.zip!stored.txt', 40_000],
      ['o.zip!x.json.gz!x.json', 0],
      ['o.zip!lib.tgz!pkg/inner.txt', 0],
    ],
  );
  assert.ok(outer.equals(copy));
  // Without `transient`, entries stay valid after the walk (callers that collect them).
  const kept = [...archiveEntries(outer, 'o.zip')];
  assert.ok(kept.every((e) => e.data.length === 40_000));
});

test('a gzip whose trailer already says it is too large is refused without inflating; a lying trailer is still capped', () => {
  const text = Buffer.from(Array.from({ length: 2 * 1024 * 1024 }, (_, i) => 97 + ((i * 7919) % 26)));
  const gz = gzipSync(text);
  const limits = { maxEntrySize: 1024 * 1024, maxRatio: 1e9 };
  const t0 = performance.now();
  const honest = collect(gz, 'data.json.gz', limits);
  assert.deepEqual(honest.entries, []);
  assert.match(honest.warnings.join('\n'), /data\.json\.gz: gzip expands beyond 1 MiB.*limit: entry size/);
  assert.ok(performance.now() - t0 < 1000);
  const liar = Buffer.from(gz);
  liar.writeUInt32LE(100, liar.length - 4); // claims 100 bytes
  const lied = collect(liar, 'data.json.gz', limits);
  assert.deepEqual(lied.entries, []);
  assert.match(lied.warnings.join('\n'), /data\.json\.gz: gzip expands beyond 1 MiB.*limit: entry size/);
});
