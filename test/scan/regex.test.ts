import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addonCandidates, loadNativeRE2, nativeAddonName, nativeEngine } from '../../src/scan/regex/native.ts';
import { portableEngine } from '../../src/scan/regex/portable.ts';
import type { RegexEngine } from '../../src/scan/regex/types.ts';

const native = loadNativeRE2();
const engines: RegexEngine[] = [portableEngine()];
if ('ctor' in native) engines.push(nativeEngine(native.ctor));

describe('native addon', () => {
  it('loads on linux-x64 glibc under node 24 (the shipped binary)', (t) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip('not linux-x64');
    assert.ok('ctor' in native, `addon did not load: ${'error' in native ? native.error : ''}`);
  });
  it('names the binary by platform, arch, libc and ABI', () => {
    assert.equal(nativeAddonName('linux', 'x64', '137', 'glibc'), 're2-linux-x64-glibc-abi137.node');
    assert.equal(nativeAddonName('darwin', 'arm64', '137', ''), 're2-darwin-arm64-abi137.node');
  });
  it('looks beside the bundle and in dist/ above the sources', () => {
    const c = addonCandidates('/r/src/scan/regex', 'x.node');
    assert.ok(c.includes('/r/dist/native/x.node'));
    assert.ok(c.includes('/r/src/scan/regex/native/x.node'));
  });
});

for (const engine of engines) {
  describe(`engine ${engine.name}`, () => {
    it('reports byte offsets of matches and groups, past multi-byte text', () => {
      const p = engine.compile('key=([a-z0-9]+)');
      const input = Buffer.from('é€😀 key=abc123 key=zz');
      const spans = p.matchAll(input);
      assert.equal(spans.length, 2);
      const first = spans[0]!;
      assert.equal(input.subarray(first.start, first.end).toString(), 'key=abc123');
      const g = first.groups[1]!;
      assert.equal(input.subarray(g[0], g[1]).toString(), 'abc123');
    });
    it('honours case-insensitivity and reports non-participating groups as undefined', () => {
      const p = engine.compile('(a)|(B)', { caseInsensitive: true });
      const spans = p.matchAll(Buffer.from('b'));
      assert.equal(spans.length, 1);
      assert.equal(spans[0]!.groups[1], undefined);
      assert.deepEqual(spans[0]!.groups[2], [0, 1]);
    });
    it('looks for the next match from the end of the last capture group, not of the trailing delimiter', () => {
      const token = engine.compile('(?:^|[^a-z0-9_])(tok_[a-z0-9]{4})(?:[^a-z0-9]|$)');
      const input = Buffer.from('é tok_aaaa,tok_bbbb tok_cccc');
      const secrets = token.matchAll(input).map((m) => input.toString('utf8', m.groups[1]![0], m.groups[1]![1]));
      assert.deepEqual(secrets, ['tok_aaaa', 'tok_bbbb', 'tok_cccc']);
      const query = engine.compile('[?&]([a-z_]+)=([A-Za-z0-9]+)&');
      assert.equal(query.matchAll(Buffer.from('/cb?oauth_token=Ab12&oauth_token_secret=Cd34&x=1')).length, 2);
      // A match without groups, and one whose group is empty at its start, go on past the match.
      assert.equal(engine.compile('ab').matchAll(Buffer.from('ababab')).length, 3);
      assert.equal(engine.compile('()ab').matchAll(Buffer.from('abab')).length, 2);
    });
    it('does not loop on empty matches', () => {
      assert.equal(engine.compile('x*').matchAll(Buffer.from('ab')).length >= 2, true);
    });
    it('runs a set and names the patterns that matched', () => {
      const set = engine.compileSet(['foo', 'ba[rz]', 'qux']);
      assert.deepEqual(set.match(Buffer.from('xx baz foo')).sort(), [0, 1]);
    });
    it('rejects what RE2 rejects (backreferences, lookahead)', () => {
      assert.throws(() => engine.compile('(a)\\1'));
      assert.throws(() => engine.compile('a(?=b)'));
    });
    it('stays linear on a pattern that is exponential for backtracking engines', () => {
      const p = engine.compile('(a+)+$');
      const input = Buffer.from(`${'a'.repeat(5000)}!`);
      const t0 = performance.now();
      p.matchAll(input);
      assert.ok(performance.now() - t0 < 2000);
    });
  });
}
