// Overlap resolution (engine.ts): one secret, one finding. Units of resolveOverlaps for each rule of the order, the
// same through ScanEngine (windows and chunk edges), and the catalogue's known pairs end to end with the default
// policy: exactly one finding each, and the other rule reports when the specific one is disabled.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type OverlapEntry, resolveOverlaps, ScanEngine } from '../../src/scan/engine.ts';
import { scanBuffer } from '../../src/scan/index.ts';
import { defaultPolicy, type ScanPolicy } from '../../src/scan/policy.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import type { Rule, Severity } from '../../src/scan/types.ts';

type E = OverlapEntry & { id: string };
const e = (
  id: string,
  start: number,
  end: number,
  o: { fallback?: boolean; validated?: boolean; severity?: Severity; order?: number } = {},
): E => ({
  id,
  start,
  end,
  fallback: o.fallback ?? false,
  validated: o.validated ?? false,
  severity: o.severity ?? 'high',
  order: o.order ?? 0,
});
const kept = (entries: E[]) =>
  resolveOverlaps(entries)
    .map((x) => x.id)
    .sort();

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('resolveOverlaps', () => {
  it('drops a fallback finding that a non-fallback one overlaps, keeps it where nothing does', () => {
    assert.deepEqual(kept([e('generic', 0, 20, { fallback: true }), e('token', 10, 30)]), ['token']);
    assert.deepEqual(kept([e('generic', 0, 20, { fallback: true, validated: true }), e('token', 19, 30)]), ['token']);
    // Touching is not overlapping: [0, 10) and [10, 20).
    assert.deepEqual(kept([e('generic', 0, 10, { fallback: true }), e('token', 10, 20)]), ['generic', 'token']);
    assert.deepEqual(kept([e('generic', 0, 10, { fallback: true })]), ['generic']);
  });

  it('a fallback finding gives way to a non-fallback one even when that one loses to a third', () => {
    // b overlaps the generic one; a overlaps b and wins (validated); a does not reach the generic one.
    const out = kept([
      e('generic', 0, 10, { fallback: true }),
      e('b', 8, 30, { order: 1 }),
      e('a', 20, 40, { validated: true, order: 2 }),
    ]);
    assert.deepEqual(out, ['a']);
  });

  it('among fallbacks alone, one per overlap (the same order)', () => {
    assert.deepEqual(
      kept([e('g1', 0, 20, { fallback: true, order: 5 }), e('g2', 5, 20, { fallback: true, order: 4 })]),
      ['g1'], // contains the other
    );
    assert.deepEqual(
      kept([e('g1', 0, 20, { fallback: true, order: 5 }), e('g2', 10, 30, { fallback: true, order: 4 })]),
      ['g2'], // partial overlap: catalogue order
    );
  });

  it('prefers a validated finding over an unvalidated overlapping one', () => {
    assert.deepEqual(
      kept([
        e('loose', 0, 20, { order: 0, severity: 'critical' }),
        e('proven', 10, 30, { validated: true, order: 9, severity: 'low' }),
      ]),
      ['proven'],
    );
    // Also when the unvalidated one contains it.
    assert.deepEqual(kept([e('blob', 0, 100, { order: 0 }), e('key', 10, 50, { validated: true, order: 1 })]), ['key']);
  });

  it('prefers the span that contains the other (the more complete credential)', () => {
    // The whole service-account JSON over the private key inside it: both validated.
    const json = e('service-account', 0, 2000, { validated: true, severity: 'critical', order: 3 });
    const pem = e('pkcs8', 400, 2100 - 300, { validated: true, severity: 'critical', order: 1 });
    assert.deepEqual(kept([json, pem]), ['service-account']);
    assert.deepEqual(
      kept([e('outer', 0, 50, { severity: 'low', order: 9 }), e('inner', 10, 20, { severity: 'critical' })]),
      ['outer'],
    );
  });

  it('then higher severity, then catalogue order, on a partial overlap', () => {
    assert.deepEqual(
      kept([e('a', 0, 20, { severity: 'medium', order: 0 }), e('b', 10, 30, { severity: 'high', order: 1 })]),
      ['b'],
    );
    assert.deepEqual(kept([e('a', 0, 20, { order: 1 }), e('b', 10, 30, { order: 0 })]), ['b']);
    assert.deepEqual(kept([e('a', 10, 30, { order: 0 }), e('b', 0, 20, { order: 0 })]), ['b']); // then position
  });

  it('identical spans are one secret: the more specific name (severity, then catalogue order), not the validated one', () => {
    // A Twilio token that is also a URL's password: the Twilio rule names it, the URL rule only proves the URL.
    const twilio = e('twilio', 10, 42, { order: 40 });
    const url = e('basic-auth-url', 10, 42, { validated: true, order: 90 });
    assert.deepEqual(kept([twilio, url]), ['twilio']);
    assert.deepEqual(kept([e('x', 0, 9, { order: 1 }), e('y', 0, 9, { order: 2, severity: 'critical' })]), ['y']);
  });

  it('keeps every finding that overlaps nothing, and does not depend on the input order', () => {
    const entries = [
      e('a', 0, 10),
      e('b', 5, 15, { validated: true, order: 2 }),
      e('c', 14, 30, { order: 1 }),
      e('d', 40, 50, { fallback: true }),
      e('f', 45, 60, { fallback: true, order: 3 }),
      e('g', 70, 80),
    ];
    const want = kept(entries);
    assert.deepEqual(want, ['b', 'd', 'g']);
    for (const p of permutations(entries)) assert.deepEqual(kept(p), want);
  });
});

// --- Through the engine ----------------------------------------------------------------------------------------

const ALNUM = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5cD7eF9gH1';
const tok = (n = 0) => `${'ghp'}_${ALNUM.slice(n, n + 36)}`;
const ex = { tp: [], fp: [] };
const rules: Rule[] = [
  {
    id: 'test-gh',
    title: 'GitHub-like token',
    severity: 'high',
    keywords: ['ghp_'],
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b',
    help: '',
    examples: ex,
  },
  {
    id: 'test-blob',
    title: 'A credential blob holding a token',
    severity: 'medium',
    keywords: ['blob['],
    pattern: '(BLOB\\[[^\\]]{8,}\\])',
    help: '',
    examples: ex,
  },
  {
    id: 'test-fallback',
    title: 'Generic password',
    severity: 'medium',
    keywords: ['password'],
    pattern: '(?i)password\\s*[:=]\\s*["\']?([^\\s"\']{8,})',
    fallback: true,
    help: '',
    examples: ex,
  },
];
const policy = (only?: string[]): ScanPolicy => ({
  ...defaultPolicy(),
  rules: only ? rules.filter((r) => only.includes(r.id)) : rules,
});
const ids = (fs: { ruleId: string }[]) => fs.map((f) => f.ruleId);
const tmp = mkdtempSync(join(tmpdir(), 'jit-gpg-overlap-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('overlap resolution in the engine', () => {
  const engine = (only?: string[], opts = {}) => new ScanEngine(policy(only), opts);
  const run = (text: string, only?: string[]) => engine(only).scanBytes(Buffer.from(text), { path: 'f' });

  it('a fallback rule stays quiet where a specific rule reports, and reports when that rule is disabled', () => {
    assert.deepEqual(ids(run(`password = ${tok()}\n`)), ['test-gh']);
    assert.deepEqual(ids(run(`password = ${tok()}\n`, ['test-fallback', 'test-blob'])), ['test-fallback']);
    // Disjoint secrets on one line are both reported.
    assert.deepEqual(ids(run(`password = Zq8kLm2pRt5w ${tok()}\n`)), ['test-fallback', 'test-gh']);
  });

  it('the container is reported instead of the token inside it', () => {
    assert.deepEqual(ids(run(`x = BLOB[user=ci;${tok()};]\n`)), ['test-blob']);
    assert.deepEqual(ids(run(`x = BLOB[user=ci;${tok()};]\n`, ['test-gh'])), ['test-gh']);
  });

  it('resolves between direct findings and those of decoded segments', () => {
    const e = new ScanEngine(policy(), { decode: true });
    const scanned = (text: string) => e.scanBytes(Buffer.from(text), { path: 'f' });
    // The token inside a base64 value: the decoded token, not the generic finding on the encoded text.
    const b64 = Buffer.from(`user ${tok()}`).toString('base64');
    const a = scanned(`password = ${b64}\n`);
    assert.deepEqual(
      a.map((f) => [f.ruleId, f.decoded]),
      [['test-gh', 'base64']],
    );
    // The same on an added line of a diff (lines mapped through lineMap).
    const mapped = e.scanBytes(Buffer.from(`password = ${b64}\n`), { path: 'f', lineMap: Uint32Array.from([42]) });
    assert.deepEqual(
      mapped.map((f) => [f.ruleId, f.line]),
      [['test-gh', 42]],
    );
    // A percent-encoded value: the direct finding only, not its decoded twin.
    const b = scanned(`password = Zq8kLm2pRt5w%3AQx7vN4bW9cY1\n`);
    assert.deepEqual(
      b.map((f) => [f.ruleId, f.decoded]),
      [['test-fallback', undefined]],
    );
  });

  it('resolves the same across a chunk edge (buffer, file and stream), once per secret', () => {
    const cases = [
      { text: `password = ${tok()}`, want: 'test-gh' },
      { text: `BLOB[user=ci;${'p'.repeat(40)};${tok(3)};]`, want: 'test-blob' },
    ];
    const e = engine(undefined, { chunkSize: 4096, overlap: 512 });
    for (const c of cases) {
      for (let pad = 4096 - 70; pad <= 4096 + 10; pad += 3) {
        const filler = `${'z'.repeat(99)}\n`.repeat(Math.ceil(pad / 100)).slice(0, pad);
        const data = Buffer.from(`${filler} ${c.text}\ntail\n${'q'.repeat(9000)}\n`);
        const fs = e.scanBytes(data, { path: 'big' });
        assert.deepEqual(ids(fs), [c.want], `pad ${pad}: ${ids(fs)}`);
        assert.deepEqual(fs, engine().scanBytes(data, { path: 'big' }), `pad ${pad}: same as unchunked`);
        const file = join(tmp, `edge-${pad}.txt`);
        writeFileSync(file, data);
        assert.deepEqual(e.scanFile(file, { path: 'big' }), fs, `file read of pad ${pad}`);
        const stream = e.openStream({ path: 'big' });
        for (let i = 0; i < data.length; i += 777) stream.write(data.subarray(i, i + 777));
        assert.deepEqual(stream.end(), fs, `stream of pad ${pad}`);
      }
    }
  });
});

// --- The catalogue's known pairs, end to end -------------------------------------------------------------------

describe('one finding per secret with the default policy', () => {
  const tp = (id: string, i: number) => builtinRules.find((r) => r.id === id)!.examples.tp[i]!;
  const without = (id: string): ScanPolicy => {
    const p = defaultPolicy();
    p.rules = p.rules.filter((r) => r.id !== id);
    return p;
  };
  const cases: Array<[string, number, string, string]> = [
    // [specific rule, its tp index, what the text is, the rule that reports when the specific one is disabled]
    ['jdbc-password', 0, 'a JDBC URL assigned to a name', 'generic-secret-assignment'],
    ['connection-string-password', 0, 'a connection string', 'generic-secret-assignment'],
    ['kubeconfig-token', 1, 'a kubeconfig user token', 'generic-secret-assignment'],
    ['twilio-credentials-url', 0, 'Twilio credentials in a URL', 'basic-auth-url'],
    ['azure-devops-pat', 2, 'an Azure DevOps PAT in a clone URL', 'basic-auth-url'],
    ['gcp-service-account-key', 0, 'the private key inside service-account JSON', 'pkcs8-private-key'],
  ];
  for (const [id, i, what, other] of cases) {
    it(`${what}: ${id} only; ${other} when ${id} is disabled`, () => {
      const text = Buffer.from(tp(id, i));
      assert.deepEqual(ids(scanBuffer(text, 'x.txt', defaultPolicy())), [id]);
      assert.deepEqual(ids(scanBuffer(text, 'x.txt', without(id))), [other]);
    });
  }
});
