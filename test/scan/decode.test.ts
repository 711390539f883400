import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as decodeModule from '../../src/scan/decode.ts';
import { decodedItems, decodeSegments, isTextual, scanDecoded } from '../../src/scan/decode.ts';
import type { ScanItem } from '../../src/scan/sources/types.ts';
import type { Finding } from '../../src/scan/types.ts';

/** A format-valid AWS access key id built at run time. */
function fakeKeyId(): string {
  return ['AK', 'IA', 'Q7TZ', 'M4XB', 'R2KD', 'W6NP'].join('');
}
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A stand-in for the engine's scanBuffer: finds AWS key ids, reports line/column in the buffer it is given. */
function fakeScanBuffer(data: Buffer, path: string): Finding[] {
  const text = data.toString('utf8');
  const out: Finding[] = [];
  for (const m of text.matchAll(/AKIA[A-Z2-7]{16}/g)) {
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    out.push({
      ruleId: 'aws-access-key-id',
      title: 'AWS access key id',
      severity: 'high',
      validated: true,
      file: path,
      line,
      column: m.index - before.lastIndexOf('\n'),
      endLine: line,
      endColumn: 0,
      fingerprint: `fp-${m[0].length}`,
      preview: `${m[0].slice(0, 4)}****`,
    });
  }
  return out;
}

test('Kubernetes Secret: base64 data values are decoded and found at their line', () => {
  const key = fakeKeyId();
  const manifest = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: aws-credentials',
    'type: Opaque',
    'data:',
    `  username: ${b64('deploy-bot')}`,
    `  aws_access_key_id: ${b64(key)}`,
    '',
  ].join('\n');
  const data = Buffer.from(manifest);
  assert.deepEqual(fakeScanBuffer(data, 'k8s/secret.yaml'), [], 'nothing in plain text');
  const findings = scanDecoded(data, 'k8s/secret.yaml', {}, fakeScanBuffer);
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.line, 8);
  assert.equal(f.column, '  aws_access_key_id: '.length + 1);
  assert.equal(f.endColumn, f.column + b64(key).length);
  assert.equal(f.decoded, 'base64');
  // The decoded line keeps its name, so name-dependent rules see `aws_access_key_id: AKIA…`.
  const seg = decodeSegments(data).find((s) => s.line === 8);
  assert.equal(seg?.text.toString(), `  aws_access_key_id: ${key}`);
});

test('hex, percent-encoding and URL-safe base64 are decoded; nesting to depth 2 is tagged', () => {
  const key = fakeKeyId();
  const hex = Buffer.from(`id=${key}`).toString('hex');
  const pct = `https://example.test/cb?token=${encodeURIComponent(`k=${key}&x`)}`;
  const nested = b64(`blob: ${Buffer.from(key).toString('hex')}`);
  const urlsafe = Buffer.from(`??>${key}>>?`).toString('base64url');
  const text = [`a = "${hex}"`, `b = ${pct}`, `c: ${nested}`, `d=${urlsafe}`].join('\n');
  const found = scanDecoded(Buffer.from(text), 'x.txt', {}, fakeScanBuffer);
  assert.deepEqual(
    found.map((f) => [f.line, f.decoded]),
    [
      [1, 'hex'],
      [2, 'percent'],
      [3, 'base64>hex'],
      [4, 'base64'],
    ],
  );
  // Depth 1 only: the nested one is not reached.
  const shallow = scanDecoded(Buffer.from(text), 'x.txt', {}, fakeScanBuffer, { limits: { maxDepth: 1 } });
  assert.ok(!shallow.some((f) => f.line === 3));
});

test("a URL's credentials stay percent-encoded; what follows them is decoded", () => {
  // Decoded, `%40` would end the password early: MongoDB's documented `D1fficultP%40ssw0rd` read as `D1fficultP`.
  for (const line of [
    'uri = "mongodb://myDatabaseUser:D1fficultP%40ssw0rd@mongodb0.example.com:27017/?authSource=admin"',
    'MONGO_URL=mongodb+srv://app:p%3Ass%40word@cluster0.example.net/db',
    '  // (`mongodb://myDatabaseUser:D1fficultP%40ssw0rd@…`)',
  ])
    assert.deepEqual(decodeSegments(Buffer.from(line)), [], line);
  // After the credentials, the query is decoded as before.
  const key = fakeKeyId();
  const url = `https://u:p%40ss@example.test/cb?token=${encodeURIComponent(`k=${key}&x`)}`;
  const [seg] = decodeSegments(Buffer.from(`b = ${url}`));
  assert.ok(seg?.text.toString().includes(`/cb?token=k=${key}&x`), seg?.text.toString());
  assert.ok(!seg?.text.toString().includes('p@ss'));
  // No credentials: the whole token, as before.
  assert.equal(decodeSegments(Buffer.from('see https://example.test/a%20b%20c%20d%20e')).length, 1);
});

test('no decoding of identifiers, hashes, binary payloads; limits hold', () => {
  const text = [
    'const someVeryLongCamelCaseIdentifierName = 1;',
    'integrity sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUR3UEFMp1Y3AVJdNA==',
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
    '/usr/local/lib/node_modules/typescript/lib/typescript',
  ].join('\n');
  assert.deepEqual(decodeSegments(Buffer.from(text)), []);
  assert.equal(isTextual(Buffer.from([0x41, 0x00, 0x42])), false);
  assert.equal(isTextual(Buffer.from('plain words 123')), true);
  // Caps: total decoded bytes.
  const many = Array.from({ length: 200 }, (_, i) => `k${i}: ${b64(`value number ${i} padding text`)}`).join('\n');
  assert.equal(decodeSegments(Buffer.from(many)).length, 200);
  assert.ok(decodeSegments(Buffer.from(many), { maxTotal: 1000 }).length < 50);
  assert.ok(decodeSegments(Buffer.from(many), { maxSegments: 10 }).length <= 10);
});

test('decodedItems: items the engine can scan, lines mapped through a diff lineMap', () => {
  const key = fakeKeyId();
  const item: ScanItem = {
    path: 'deploy/secret.yaml',
    source: { kind: 'bytes', data: Buffer.from(`  x: 1\n  token: ${b64(key)}\n`) },
    lineMap: Uint32Array.from([10, 42]),
    commit: 'c0ffee',
  };
  const data = item.source.kind === 'bytes' ? item.source.data : Buffer.alloc(0);
  const items = decodedItems(item, data);
  assert.equal(items.length, 1);
  assert.equal(items[0]?.decoded, 'base64');
  assert.deepEqual([...(items[0]?.lineMap ?? [])], [42]);
  assert.equal(items[0]?.commit, 'c0ffee');
  const f = scanDecoded(data, item.path, {}, fakeScanBuffer, { lineMap: item.lineMap });
  assert.equal(f[0]?.line, 42);
});

test('through scan(): a Kubernetes Secret in the worktree is caught, tagged base64, at the data line', async () => {
  const { mkdtempSync, rmSync, writeFileSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { scan } = await import('../../src/scan/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-decode-'));
  try {
    mkdirSync(join(dir, 'deploy'));
    const key = fakeKeyId();
    writeFileSync(
      join(dir, 'deploy/secret.yaml'),
      [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: creds',
        'data:',
        `  AWS_ACCESS_KEY_ID: ${b64(key)}`,
        '',
      ].join('\n'),
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
      r.findings.map((f) => [f.file, f.line, f.column, f.decoded]),
      [['deploy/secret.yaml', 6, 22, 'base64']],
    );
    const off = await scan({ root: dir, policy, threads: 1, decode: false });
    assert.equal(off.findings.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('encoded spans are found wherever they sit: buffer edges, after padding, next to short runs, every length', () => {
  const { findEncodedSpans } = decodeModule;
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const words = ['x', 'ab', 'foo', 'bar_baz', 'a.b', 'i++', 'q-r', 'lower12', 'some/path'];
  const seps = [' ', '\n', ', ', '(', ');', ': "', '"', '\t'];
  for (let round = 0; round < 300; round++) {
    const parts: string[] = [];
    const expected: Array<[number, number]> = [];
    let pos = 0;
    const push = (s: string) => {
      parts.push(s);
      pos += s.length;
    };
    const pieces = 1 + rnd(8);
    for (let p = 0; p < pieces; p++) {
      if (rnd(3) === 0) {
        // An encoded value of text: 9 to 60 bytes, so 12 to 80 base64 characters, padded or not.
        const plain = `Secret Value ${'Zq'.repeat(rnd(24))}`.slice(0, 9 + rnd(52));
        const enc = b64(plain);
        expected.push([pos, pos + enc.length]);
        push(enc);
      } else push(words[rnd(words.length)]!);
      if (p < pieces - 1 || rnd(2) === 0) push(seps[rnd(seps.length)]!);
    }
    const text = parts.join('');
    const got = findEncodedSpans(Buffer.from(text)).map((s) => [s.start, s.end] as [number, number]);
    assert.deepEqual(got, expected, JSON.stringify(text));
  }
  // Padding ends a span; the next one may start right after it.
  const two = `${b64('first value')}${b64('second value')}`;
  assert.match(two, /=[A-Za-z0-9]/);
  assert.deepEqual(
    findEncodedSpans(Buffer.from(two)).map((s) => [s.start, s.end]),
    [
      [0, b64('first value').length],
      [b64('first value').length, two.length],
    ],
  );
});

test('a buffer with thousands of runs: every encoded span found in order, across the batches pass 1 hands over', () => {
  const { findEncodedSpans } = decodeModule;
  const hex = (s: string): string => Buffer.from(s).toString('hex');
  const parts: string[] = [];
  const expected: Array<[number, number, string]> = [];
  let pos = 0;
  // Hex values, base64 values and identifiers (runs that decode to nothing textual) in turn: whatever the batch
  // size, a batch ends on each kind somewhere.
  for (let i = 0; i < 2400; i++) {
    const plain = `value number ${i} of the test`;
    const piece = i % 3 === 0 ? hex(plain) : i % 3 === 1 ? b64(plain) : `someIdentifierNumber${i}`;
    if (i % 3 !== 2) expected.push([pos, pos + piece.length, i % 3 === 0 ? 'hex' : 'base64']);
    parts.push(piece, ' ');
    pos += piece.length + 1;
  }
  const data = Buffer.from(parts.join(''));
  const got = findEncodedSpans(data).map((s) => [s.start, s.end, s.encoding]);
  assert.equal(got.length, 1600);
  assert.deepEqual(got, expected);
  // The cap on segments holds across batches too: the first 700, in order.
  const capped = findEncodedSpans(data, { ...decodeModule.DEFAULT_DECODE_LIMITS, maxSegments: 700 });
  assert.deepEqual(
    capped.map((s) => [s.start, s.end, s.encoding]),
    expected.slice(0, 700),
  );
});
