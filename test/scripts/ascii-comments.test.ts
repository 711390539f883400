// Shipped bundles are ASCII (scripts/ascii-comments.mjs): non-ASCII comment text becomes `?`, and anything
// non-ASCII in code fails the bundle instead of being changed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiComments } from '../../scripts/ascii-comments.mjs';

describe('asciiComments', () => {
  it('replaces non-ASCII characters in line, block and JSDoc comments, and nothing else', () => {
    const code = [
      '// the request\u2019s URL',
      'const a = 1; /* 2^(\u{1d44a}\u22121) */',
      'class C {',
      '  /**',
      '   * \u{1d45b} is the bit length',
      '   */',
      '  m() { return "\\u2019"; }',
      '}',
      '',
    ].join('\n');
    const out = asciiComments(code);
    assert.doesNotMatch(out, /[^\x00-\x7f]/);
    assert.equal(out.length, code.length);
    assert.ok(
      out.includes('// the request?s URL') && out.includes('/* 2^(???1) */') && out.includes('* ?? is the bit'),
    );
    assert.ok(out.includes('return "\\u2019";'), 'escapes in code are left alone');
  });

  it('leaves an ASCII file as it is', () => {
    const code = 'const a = "x"; // plain\n';
    assert.equal(asciiComments(code), code);
  });

  for (const [what, code] of [
    ['a string', 'const a = "\u2019";\n'],
    ['a template', 'const a = String.raw`\u2019`;\n'],
    ['a regular expression', 'const a = /\u2019/;\n'],
    ['an identifier', 'const \u00e9 = 1;\n'],
  ]) {
    it(`refuses a non-ASCII character in ${what}`, () => {
      assert.throws(() => asciiComments(code!, 'x.js'), /x\.js:1: a non-ASCII character outside a comment/);
    });
  }
});
