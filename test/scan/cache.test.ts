import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildState,
  cacheKeys,
  checkState,
  isCleanForCache,
  policyHash,
  serializeState,
} from '../../src/scan/cache.ts';
import type { ScanPolicy } from '../../src/scan/policy.ts';
import type { Rule } from '../../src/scan/types.ts';

const rule = (id: string, pattern: string): Rule =>
  ({ id, title: id, severity: 'high', keywords: ['k'], pattern, help: '', examples: { tp: [], fp: [] } }) as Rule;
const policy = (over: Partial<ScanPolicy> = {}): ScanPolicy => ({
  rules: [rule('a', 'a+'), rule('b', 'b+')],
  ignorePaths: ['.git/**'],
  allowRegexes: [],
  stopwords: [],
  maxFileSize: 10,
  ...over,
});
const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
const expected = (p = policyHash(policy(), '1.0.0')) => ({
  scannerVersion: '1.0.0',
  policyHash: p,
  mode: 'history' as const,
});

test('the policy hash changes with anything that changes findings, not with rule order', () => {
  const h = policyHash(policy(), '1.0.0');
  assert.equal(h, policyHash(policy({ rules: [rule('b', 'b+'), rule('a', 'a+')] }), '1.0.0'));
  assert.notEqual(h, policyHash(policy(), '1.0.1'));
  assert.notEqual(h, policyHash(policy({ rules: [rule('a', 'a+')] }), '1.0.0'));
  assert.notEqual(h, policyHash(policy({ rules: [rule('a', 'a*'), rule('b', 'b+')] }), '1.0.0'));
  assert.notEqual(h, policyHash(policy({ stopwords: ['x'] }), '1.0.0'));
  assert.notEqual(h, policyHash(policy({ allowRegexes: ['x'] }), '1.0.0'));
  assert.notEqual(h, policyHash(policy({ ignorePaths: ['**'] }), '1.0.0'));
  assert.notEqual(h, policyHash(policy({ maxFileSize: 11 }), '1.0.0'));
  assert.notEqual(h, policyHash(policy(), '1.0.0', { config: 'sha-of-.jit-gpg.toml' }));
  const withValidator = policy({ rules: [{ ...rule('a', 'a+'), validate: () => 'invalid' }, rule('b', 'b+')] });
  assert.notEqual(h, policyHash(withValidator, '1.0.0'));
  const keys = cacheKeys('history', h, 'abc/def 123');
  assert.match(keys.key, /^jit-gpg-scan-v1-history-[0-9a-f]{24}-abc_def_123$/);
  assert.ok(keys.key.startsWith(keys.restoreKeys[0] ?? '?'));
});

test('a state round-trips and holds no findings or content, only commit ids', () => {
  const state = buildState({
    scannerVersion: '1.0.0',
    policyHash: expected().policyHash,
    mode: 'history',
    commits: [C2, C1, C2],
  });
  const text = serializeState(state);
  assert.deepEqual(Object.keys(JSON.parse(text)).sort(), [
    'checksum',
    'commits',
    'createdAt',
    'format',
    'mode',
    'policyHash',
    'scannerVersion',
    'version',
  ]);
  const r = checkState(text, expected());
  assert.ok(r.ok);
  assert.deepEqual([...r.commits], [C1, C2]);
});

test('anything unexpected in a restored state means a full scan, with the reason', () => {
  const good = buildState({
    scannerVersion: '1.0.0',
    policyHash: expected().policyHash,
    mode: 'history',
    commits: [C1, C2],
  });
  const cases: Array<[string, unknown, RegExp]> = [
    ['not json', '{', /not JSON/],
    ['array', [], /not an object/],
    ['extra field', { ...good, findings: [] }, /unexpected fields/],
    ['format', { ...good, format: 'other' }, /format/],
    ['version', { ...good, version: 2 }, /format version/],
    ['scanner', { ...good, scannerVersion: '0.9.0' }, /scanner 0\.9\.0/],
    ['policy', { ...good, policyHash: 'f'.repeat(64) }, /different rules/],
    ['mode', { ...good, mode: 'diff' }, /diff mode/],
    ['malformed id', { ...good, commits: ['HEAD'] }, /malformed/],
    ['unsorted', { ...good, commits: [C2, C1] }, /sorted/],
    ['checksum', { ...good, commits: [C1] }, /checksum/],
  ];
  for (const [name, value, reason] of cases) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const r = checkState(text, expected());
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.match(r.reason, reason, name);
  }
});

test('only a clean scan may vouch for its commits', () => {
  assert.equal(isCleanForCache({ findings: [] }, { stats: { missing: 0 } }), true);
  assert.equal(isCleanForCache({ findings: [{}] }, { stats: { missing: 0 } }), false);
  assert.equal(isCleanForCache({ findings: [] }, { stats: { missing: 1 } }), false);
});
