import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeywordPrefilter } from '../../src/scan/prefilter.ts';

function hits(pf: KeywordPrefilter, text: string | Buffer): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  pf.scan(Buffer.isBuffer(text) ? text : Buffer.from(text), (k, end) => out.push([pf.keywords[k]!.toString(), end]));
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
    const got = hits(pf, text).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
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
      const got = hits(pf, text).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      assert.deepEqual(got, naive(kws, text));
    }
  });

  it('folds only ASCII letters and matches UTF-8 keywords byte for byte', () => {
    const pf = new KeywordPrefilter(['clé']);
    assert.equal(hits(pf, 'CLÉ clé Clé').length, 2); // É is not folded
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
