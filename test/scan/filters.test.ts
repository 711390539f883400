import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AllowRegexes,
  decodedForms,
  hasInlineAllow,
  hasStopword,
  isCodeNotSecret,
  isIntegrityHash,
  isInsideBase64Run,
  isInterleavedSequence,
  isKeyboardWalk,
  isPlaceholder,
  isReference,
  isRepeated,
  isStandIn,
  isWordPhraseBody,
  longestAscendingRun,
  shannonEntropy,
  valueLength,
} from '../../src/scan/filters.ts';
import { fx } from '../../src/scan/validate/structure.ts';
import { loadNativeRE2, nativeEngine } from '../../src/scan/regex/native.ts';
import { portableEngine } from '../../src/scan/regex/portable.ts';

describe('global filters', () => {
  it('computes Shannon entropy in bits per character', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abab'), 1);
    assert.equal(shannonEntropy('abcdefgh'), 3);
  });

  it('recognises placeholders', () => {
    for (const p of [
      'xxxxxxxx',
      'ghp_XXXXXXXXXXXXXXXXXXXX',
      '<token>',
      '<your api key>',
      `\${API_KEY}`,
      '{{ api_key }}',
      '%(password)s',
      'changeme',
      'CHANGE_ME_PLEASE',
      'AKIAIOSFODNN7EXAMPLE',
      'your_api_key_here',
      'your-token',
      'dummy_secret_value',
      'redacted',
      'sk_live_****',
      'abc...xyz',
      'PLACEHOLDER_VALUE',
      // A marker word inside, the alphabet walked through with other characters between.
      'FakeValues99kq8sJdLz0pWmRtYbVnKc',
      'cfat_aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStT03fa099b',
      'AIzaSyCjkL9m2nOp4qRsTuVwXyZ0a1B2c3D4e5F',
    ]) {
      assert.equal(isPlaceholder(p), true, p);
    }
    // Walks of nine letters, or broken: chance in random base62 (ten are about 1 in 10^10). A marker's letters run
    // into others (base64 of an RSA key spells `fAkE` often).
    assert.equal(isPlaceholder(`sk_nGDJWCkPi${'FAKE'}5XFTzUUA`), true);
    for (const s of [
      'k8AbCdEfGhI3zq',
      'aAbBcCdDqQrRsS',
      'Zq8kLm2pRt5wYvAbcDefxyz0',
      'MIICXgIBAAKBgQCq3g1OkfAkEAsUSx',
      'Zqsamplek9',
    ]) {
      assert.equal(isPlaceholder(s), false, s);
    }
    for (const s of ['Zq8kLm2pRt5wYv', 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5', 's3cr3t-V4lue']) {
      assert.equal(isPlaceholder(s), false, s);
    }
    // A short run of x inside a long random value is chance, not a placeholder.
    assert.equal(isPlaceholder(`MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${'xXxx'}Kcwg${'A'.repeat(80)}`), false);
    assert.equal(isPlaceholder(`aB3dE5fG7hJ9kxxxxL1mN3pQ5rS7`), false);
    assert.equal(isPlaceholder(`aB3dE5fG7hJ9kxxxxxxL1mN3pQ5rS7`), true);
    assert.equal(isPlaceholder('xxxx-xxxx'), true);
  });

  it('recognises references and function calls', () => {
    for (const r of [
      'process.env.API_KEY',
      "os.environ['TOKEN']",
      'os.getenv("TOKEN")',
      `\${{ secrets.NPM_TOKEN }}`,
      '$API_KEY',
      `\${API_KEY}`,
      '%API_KEY%',
      '$(cat /run/secrets/token)',
      'getPassword()',
      'config.get("password")',
      'System.getenv("X")',
      "ENV['TOKEN']",
    ]) {
      assert.equal(isReference(r), true, r);
    }
    assert.equal(isReference('Zq8kLm2pRt5wYv'), false);
  });

  it('recognises repeated characters and runs, judging the body after a prefix', () => {
    for (const r of [
      'aaaaaaaa',
      'ghp_000000000000000000',
      'abababababab',
      'abcabcabcabc',
      '0123456789abcdef',
      'sk-live-1111111111',
      'glrt-aaa_cccbbbdddooo2222', // runs of one character each
      'xoxb-aaaabbbcccdddd',
    ])
      assert.equal(isRepeated(r), true, r);
    for (const s of [
      'Zq8kLm2pRt5wYv',
      'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5',
      'short',
      'aaabbbcc1',
      'glrt-aaa_ccXbbbddd',
    ])
      assert.equal(isRepeated(s), false, s);
    // Random bodies never come as runs of three.
    for (let i = 0; i < 500; i++) assert.equal(isRepeated(fx(`rep-${i}`, 20)), false, fx(`rep-${i}`, 20));
    // A random seed repeated to a token's length stands for a real token (generated test tokens look like that).
    assert.equal(isRepeated(`Hx7Kq2Wm9Rt4`.repeat(3)), false);
  });

  it('recognises lockfile integrity hashes around the secret', () => {
    const line = Buffer.from('"integrity": "sha512-Q2xhc3NpY0tleUJhc2U2NA+/bW9yZQ==",');
    const at = line.indexOf('Q2xh');
    assert.equal(isIntegrityHash(line, at, 'Q2xhc3NpY0tleUJhc2U2NA+/bW9yZQ=='), true);
    assert.equal(isIntegrityHash(line, at + 4, 'c3NpY0tleUJhc2U2NA'), true, 'inside the hash');
    assert.equal(isIntegrityHash(line, line.indexOf('sha512'), 'sha512-Q2xh'), true);
    const other = Buffer.from('token: Q2xhc3NpY0tleUJhc2U2NA');
    assert.equal(isIntegrityHash(other, 7, 'Q2xhc3NpY0tleUJhc2U2NA'), false);
  });

  it('finds inline allow comments on the line', () => {
    for (const c of [
      'x = 1 // jit-gpg:allow',
      'x = 1 # gitleaks:allow',
      'x = 1 # trufflehog:ignore',
      'x: 1 # pragma: allowlist secret',
    ]) {
      const b = Buffer.from(`before\n${c}\nafter`);
      assert.equal(hasInlineAllow(b, 7, 7 + c.length), true, c);
      assert.equal(hasInlineAllow(b, 0, 6), false);
    }
  });

  it('matches stopwords case-insensitively (lowercased list)', () => {
    assert.equal(hasStopword('MyTestToken123', ['testtoken']), true);
    assert.equal(hasStopword('MyTestToken123', []), false);
    assert.equal(hasStopword('MyTestToken123', ['', 'other']), false);
  });

  it('tests allow regexes against the secret with either engine', () => {
    const native = loadNativeRE2();
    const engines = [portableEngine(), ...('ctor' in native ? [nativeEngine(native.ctor)] : [])];
    for (const e of engines) {
      const allow = new AllowRegexes(['^AKIA[0-9A-Z]{12}TEST$', 'internal-only'], e);
      assert.equal(allow.size, 2);
      assert.equal(allow.matches('AKIA1234567890ABTEST'), true);
      assert.equal(allow.matches('an-internal-only-key'), true);
      assert.equal(allow.matches('AKIA1234567890ABCDEF'), false);
      assert.equal(new AllowRegexes([], e).matches('x'), false);
    }
  });

  it('ends a value at an escape sequence or at trailing code', () => {
    const cut = (v: string) => v.slice(0, valueLength(v));
    assert.equal(cut('{self.auth_token}\\n'), '{self.auth_token}');
    assert.equal(cut('hunter2\\nserver'), 'hunter2');
    assert.equal(cut('hunter2\\\\nserver'), 'hunter2', 'doubly escaped');
    assert.equal(cut('REMOVED_TOKEN`),'), 'REMOVED_TOKEN');
    assert.equal(cut('abc123XYZ");'), 'abc123XYZ');
    assert.equal(cut('pa(ss)word)'), 'pa(ss)word', 'an unbalanced closer goes');
    assert.equal(cut('pa(ss)word'), 'pa(ss)word', 'balanced brackets stay');
    const random = fx('vl', 40);
    assert.equal(cut(random), random);
  });

  it('tells code and patterns from values', () => {
    for (const c of ['*gcsAPIKey', '&cfg.Token', String.raw`\s*((npm_.+)|(\$\{.+\}))`, '[^"]+', '(?:abc)'])
      assert.equal(isCodeNotSecret(c), true, c);
    for (const v of [fx('cd', 32), 'hunter2!Xz9', 'p@ss*word99']) assert.equal(isCodeNotSecret(v), false, v);
  });

  it('judges the decoded forms of a value as stand-ins', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const s of ['1234\n', 'secret\n', 'foo:bar', 'password']) {
      const forms = decodedForms(b64(s));
      assert.ok(forms.some(isStandIn), s);
    }
    assert.ok(decodedForms('%3Cpassword%3E').some((f) => isPlaceholder(f)));
    // Base32 (TOTP seeds): RFC 6238's test seed is typed digits; a random seed decodes to no text at all.
    assert.deepEqual(decodedForms('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), ['12345678901234567890']);
    assert.ok(decodedForms('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').some(isStandIn));
    for (let i = 0; i < 200; i++) {
      const seed = fx(`b32-${i}`, 32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
      assert.ok(!decodedForms(seed).some(isStandIn), seed);
    }
    // A real secret's base64 decodes to a value that is no stand-in (or to bytes that are not text at all).
    assert.ok(!decodedForms(b64(fx('dv', 24))).some(isStandIn));
  });

  it('takes sequential runs and constant names for placeholders', () => {
    assert.equal(longestAscendingRun('12345678-2323'), 8);
    assert.ok(isPlaceholder('12345678-2323-1111-2222-123456789012'));
    assert.ok(isPlaceholder('API-1234567890ABCDEFGHIJKLMNO1234'));
    assert.ok(isPlaceholder('REMOVED_TOKEN'));
    assert.ok(isPlaceholder('YOUR_API_KEY_HERE'));
    // A placeholder word split by separators: a UUID redacted by hand.
    assert.ok(isPlaceholder('53e679ea-oRED-ACTED-92b8-7c4e19f0d2a6'));
    assert.ok(!isPlaceholder('53e679ea-1f2e-4d3c-92b8-7c4e19f0d2a6'));
    assert.ok(!isPlaceholder(fx('sq', 40)));
    assert.ok(!isPlaceholder('QX7_ZK9_WV2'), 'constant-like parts that are not words');
    // Woven sequences in either case, wrapping f to a as hex does, also as a part after a prefix.
    for (const s of ['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', 'a1B2c3D4e5F6g7H8i9J0-_K1L2M3N4O5P6'])
      assert.ok(isPlaceholder(s), s);
  });

  it('takes keyboard walks for placeholders, never random values', () => {
    for (const walk of [
      'asdfqwer1234asdf',
      'qwerty123456',
      'ZXCVasdf',
      'poiuytrewq0987',
      'lkjhgfdsa!',
      '1qwertyuiop2',
    ]) {
      assert.ok(isKeyboardWalk(walk) && isPlaceholder(walk), walk);
    }
    // Runs of three, a run in both directions at once, keys of different rows: no walk.
    for (const s of ['asdqweZXC123', 'asdsasdsa', 'qazwsxedc', 'a1s2d3f4g5h6']) assert.ok(!isKeyboardWalk(s), s);
    for (let i = 0; i < 5000; i++) {
      const v = fx(`kw-${i}`, 8 + (i % 57));
      assert.ok(!isKeyboardWalk(v), v);
    }
  });

  it('tells a match inside a longer base64 run (embedded data) from a token that stands alone', () => {
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const token = `EAAG${fx('fb', 100)}`;
    const at = (text: string) => {
      const buf = Buffer.from(text);
      const start = buf.indexOf(token);
      return isInsideBase64Run(buf, start, start + token.length);
    };
    assert.ok(at(`data:font/ttf;base64,${fx('l', 80, b64)}/${token}+${fx('r', 80, b64)}`));
    assert.ok(at(`${fx('l2', 10, b64)}+${token}/${fx('r2', 60, b64)}`));
    // Standing alone: quoted, after `=`, in a URL path, at the edge of a line, or with only a little base64 about it.
    assert.ok(!at(`FACEBOOK_PAGE_TOKEN="${token}"`));
    assert.ok(!at(`graph.facebook.com/me?access_token=${token}`));
    assert.ok(!at(`https://graph.facebook.com/v19.0/${token}/picture`));
    assert.ok(!at(`${fx('l3', 200, b64)}/${token}`));
    assert.ok(!at(`${token}+${fx('r3', 200, b64)}`));
  });

  it('takes two ascending sequences woven together for a placeholder, never a random value', () => {
    for (const s of ['a1b2c3d4', '1a2b3c4d5e', 'A1B2C3D4E5F6', 'a0b1c2', 'A1B2C3D4E5F6G7H8I9J0']) {
      assert.ok(isInterleavedSequence(s), s);
      assert.ok(isPlaceholder(s), s);
    }
    // Too short, not alternating, or broken anywhere (a real value shares at most a pair or two with the shape).
    for (const s of ['a1b2c', 'a1b2c3d5', 'a1b2c3d4!', 'abcd1234', fx('iv', 8), fx('iv2', 24)])
      assert.ok(!isInterleavedSequence(s), s);
    // Random 8-character values of this alphabet: none is woven (each position has a 1-in-62 chance to fit).
    for (let i = 0; i < 200; i++) assert.ok(!isInterleavedSequence(fx(`iv-${i}`, 8)), fx(`iv-${i}`, 8));
  });

  it('takes token bodies written as words for stand-ins, never random bodies', () => {
    for (const t of [
      'glimt-my-tokens_are-correctAB38',
      'glsoat-PREfix_helloworld380_testin_pretty_long_token_long',
      'glagent-Need5_T00-bee-longer-than-50_chars-or-else-failING',
      'glcbt-helloworld380_testin',
      'custom-auth-header', // words whole: the first is no prefix
    ])
      assert.ok(isWordPhraseBody(t) && isPlaceholder(t), t);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < 5000; i++) {
      assert.ok(!isWordPhraseBody(`glpat-${fx(`wp${i}`, 20, alphabet)}`));
      assert.ok(!isWordPhraseBody(fx(`wq${i}`, 24, alphabet)));
    }
    // Prose, base64-encoded, is no secret either.
    const prose = Buffer.from("secret message so you'll never guess my password").toString('base64');
    assert.ok(decodedForms(prose).some(isStandIn));
  });
});
