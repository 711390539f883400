import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { fingerprint, preview } from '../../src/scan/fingerprint.ts';

describe('fingerprint and preview', () => {
  it('hashes rule id, NUL, secret with sha256', () => {
    const expected = createHash('sha256').update('rule-a\0s3cr3t-value').digest('hex');
    assert.equal(fingerprint('rule-a', 's3cr3t-value'), expected);
    assert.match(fingerprint('r', 's'), /^[0-9a-f]{64}$/);
  });

  it('depends on the rule and the secret only', () => {
    assert.notEqual(fingerprint('rule-a', 'x'), fingerprint('rule-b', 'x'));
    assert.notEqual(fingerprint('rule-a', 'x'), fingerprint('rule-a', 'y'));
    assert.notEqual(fingerprint('ab', 'c'), fingerprint('a', 'bc'), 'the separator keeps id and secret apart');
  });

  it('previews the first 4 characters (code points) and a mask, never more than a quarter of the secret', () => {
    assert.equal(preview('ghp_abcdefghijkl'), 'ghp_****');
    assert.equal(preview('😀é€xyzabcdefghijk'), '😀é€x****');
    assert.equal(preview('hunter42'), 'hu****', 'a short password shows 2 of 8');
    assert.equal(preview('abc'), '****');
  });
});
