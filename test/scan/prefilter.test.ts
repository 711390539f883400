import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeywordPrefilter } from '../../src/scan/prefilter.ts';

/** Keyword ids are their places in the list the prefilter was built from. */
function hits(pf: KeywordPrefilter, keywords: string[], text: string | Buffer): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  pf.scan(Buffer.isBuffer(text) ? text : Buffer.from(text), (k, end) => out.push([keywords[k]!.toLowerCase(), end]));
  return out;
}

/** Naive reference: every (keyword, end) by indexOf over the lowercased bytes. */
function naive(keywords: string[], text: string): Array<[string, number]> {
  const lower = Buffer.from(text).toString('latin1').toLowerCase();
  const out: Array<[string, number]> = [];
  keywords.forEach((k) => {
    for (let i = lower.indexOf(k); i >= 0; i = lower.indexOf(k, i + 1)) out.push([k, i + k.length]);
  });
  return out.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

describe('keyword prefilter (Aho-Corasick over bytes)', () => {
  it('finds every occurrence, overlapping and nested, case-insensitively for ASCII', () => {
    const kws = ['he', 'she', 'his', 'hers', 'ghp_', 'api_key', 'api'];
    const pf = new KeywordPrefilter(kws);
    const text = 'uShers HIS api_KEY GHP_x she\nhe Api';
    const got = hits(pf, kws, text).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    assert.deepEqual(got, naive(kws, text));
  });

  it('agrees with a naive search on random text', () => {
    const kws = ['ab', 'abc', 'bca', 'caab', 'zz', 'a-b', 'key', 'k'];
    const pf = new KeywordPrefilter(kws);
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = 'abcABCzZ-kKey \n';
    for (let round = 0; round < 50; round++) {
      let text = '';
      for (let i = 0; i < 300; i++) text += alphabet[rnd() % alphabet.length];
      const got = hits(pf, kws, text).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      assert.deepEqual(got, naive(kws, text));
    }
  });

  it('folds only ASCII letters and matches UTF-8 keywords byte for byte', () => {
    const pf = new KeywordPrefilter(['clé']);
    assert.equal(hits(pf, ['clé'], 'CLÉ clé Clé').length, 2); // É is not folded
    assert.equal(pf.test(Buffer.from('xx')), false);
    assert.equal(pf.test(Buffer.from('xxCLé')), true);
  });

  it('scans a sub-range only and ignores empty keywords', () => {
    const pf = new KeywordPrefilter(['', 'ab']);
    const buf = Buffer.from('ab ab ab');
    const out: number[] = [];
    pf.scan(buf, (_k, end) => out.push(end), 2, 6);
    assert.deepEqual(out, [5]);
  });
});

describe('trie walk and full table', () => {
  const built = (pf: KeywordPrefilter) => (pf as unknown as { table?: Int32Array }).table !== undefined;

  it('give the same hits (ends and states) on random text with nested, overlapping and UTF-8 keywords', () => {
    const kws = ['ab', 'abc', 'bca', 'caab', 'b', 'zz', 'a-b', 'key', 'k', 'é', 'éa', 'aé'];
    const walk = new KeywordPrefilter(kws);
    const table = new KeywordPrefilter(kws);
    void table.delta;
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = ['a', 'b', 'c', 'A', 'B', 'z', 'Z', '-', 'k', 'K', 'e', 'y', 'é', 'É', ' ', '\n', 'x'];
    for (let round = 0; round < 40; round++) {
      let text = '';
      for (let i = 0; i < 200; i++) text += alphabet[rnd() % alphabet.length];
      const buf = Buffer.from(text);
      const a = walk.findHits(buf);
      const ha = Array.from(walk.hits.subarray(0, 2 * a));
      const b = table.findHits(buf);
      assert.equal(a, b, text);
      assert.deepEqual(ha, Array.from(table.hits.subarray(0, 2 * b)), text);
    }
    assert.equal(built(walk), false, 'small inputs never build the table');
  });

  it('builds the table once the walk has scanned 64 KiB, with the same hits across the switch', () => {
    const kws = ['ghp_', 'token', 'api'];
    const pf = new KeywordPrefilter(kws);
    const ref = new KeywordPrefilter(kws);
    void ref.delta;
    const text = Buffer.from('token=ghp_x api\n'.repeat(1500)); // 24 KB
    const seen: boolean[] = [];
    for (let round = 0; round < 4; round++) {
      assert.equal(pf.findHits(text), 4500);
      assert.equal(ref.findHits(text), 4500);
      assert.ok(Buffer.from(pf.hits.buffer, 0, 8 * 4500).equals(Buffer.from(ref.hits.buffer, 0, 8 * 4500)));
      seen.push(built(pf));
    }
    assert.deepEqual(seen, [false, false, true, true]);
  });
});

describe('WebAssembly and JS loops', () => {
  it('agree on hits for inputs of every length and alignment, and across buffer growth and many hits', () => {
    const kws = ['ghp_', 'token', 'api', 'pi_k', 'http', 'begin rsa private key', 'é'];
    const wasm = new KeywordPrefilter(kws);
    assert.equal(wasm.usesWasm, true);
    const js = new KeywordPrefilter(kws);
    js.disableWasm();
    assert.equal(js.usesWasm, false);
    const unit = 'x http://a token=ghp_abc API_KEY é BEGIN RSA PRIVATE KEY\n';
    for (const len of [0, 1, 3, 5, 7, 63, 64 * 1024 + 3, 300_001, 2_000_003]) {
      const text = Buffer.from(unit.repeat(Math.ceil(len / unit.length) + 1)).subarray(0, len);
      const a = wasm.findHits(text);
      const ha = Array.from(wasm.hits.subarray(0, 2 * a));
      const b = js.findHits(text);
      assert.equal(a, b, `length ${len}`);
      assert.deepEqual(ha, Array.from(js.hits.subarray(0, 2 * b)), `length ${len}`);
    }
  });

  it('start in JS and switch to WebAssembly after the first MiB, with the same hits across the switch', () => {
    const kws = ['ghp_', 'token', 'api'];
    const pf = new KeywordPrefilter(kws);
    const js = new KeywordPrefilter(kws);
    js.disableWasm();
    const text = Buffer.from('token=ghp_x api\n'.repeat(20_000)); // 320 KB
    const seen: number[] = [];
    for (let round = 0; round < 6; round++) {
      const a = pf.findHits(text);
      const b = js.findHits(text);
      assert.equal(a, 60_000);
      assert.ok(Buffer.from(pf.hits.buffer, 0, 8 * a).equals(Buffer.from(js.hits.buffer, 0, 8 * b)), `round ${round}`);
      seen.push((pf as unknown as { wasm: unknown }).wasm ? 1 : 0);
    }
    assert.deepEqual(seen, [0, 0, 0, 1, 1, 1]);
  });
});
