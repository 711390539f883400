import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, countGroups, KeyLines, loadConfig, parseConfig, parseSize } from '../../src/scan/config.ts';
import { scanBuffer } from '../../src/scan/index.ts';
import type { ScanPolicy } from '../../src/scan/policy.ts';
import type { Rule } from '../../src/scan/types.ts';

const FILE = '.jit-gpg.toml';

function fakeRule(id: string, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title: `Fake ${id}`,
    severity: 'high',
    keywords: [id.split('-')[0]!],
    pattern: `${id.split('-')[0]}_([a-z0-9]{16})`,
    help: `Help for ${id}.`,
    examples: { tp: [], fp: [] },
    ...extra,
  };
}

function base(): ScanPolicy {
  return {
    rules: [fakeRule('alpha-token'), fakeRule('beta-key', { severity: 'medium', entropy: 3 })],
    ignorePaths: ['.git/**'],
    allowRegexes: [],
    stopwords: [],
    maxFileSize: 10 * 1024 * 1024,
  };
}

/** Parses and expects a ConfigError whose message starts with `file:line: field:`. */
function expectError(text: string, line: number, field: string, includes: RegExp): ConfigError {
  try {
    parseConfig(text, FILE, { base: base() });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${(e as Error).message}`);
    const prefix = `${FILE}:${line}: ${field}: `;
    assert.ok(e.message.startsWith(prefix), `"${e.message}" should start with "${prefix}"`);
    assert.match(e.message, includes);
    assert.equal(e.line, line);
    assert.equal(e.field, field);
    return e;
  }
  assert.fail('expected a ConfigError');
}

// A custom rule's examples: built at run time so no scanner trips over this test file.
const ACME = ['ac', 'me_'].join('');
const acmeSecret = `${ACME}k3j9x0q2m8v7b6n5c4z1l0p9o8i7u6y5`;

describe('parseConfig: values', () => {
  test('empty config is the base policy', () => {
    const p = parseConfig('', FILE, { base: base() });
    assert.deepEqual(
      p.rules.map((r) => r.id),
      ['alpha-token', 'beta-key'],
    );
    assert.equal(p.maxFileSize, 10 * 1024 * 1024);
  });

  test('rule overrides: disable, severity, entropy', () => {
    const p = parseConfig(
      ['[rules.alpha-token]', 'enabled = false', '', '[rules.beta-key]', 'severity = "critical"', 'entropy = 4.5'].join(
        '\n',
      ),
      FILE,
      { base: base() },
    );
    assert.deepEqual(
      p.rules.map((r) => r.id),
      ['beta-key'],
    );
    assert.equal(p.rules[0]!.severity, 'critical');
    assert.equal(p.rules[0]!.entropy, 4.5);
  });

  test('overrides do not mutate the base rules', () => {
    const b = base();
    parseConfig('[rules.beta-key]\nseverity = "low"\n', FILE, { base: b });
    assert.equal(b.rules[1]!.severity, 'medium');
  });

  test('allow paths, regexes, stopwords and max-file-size (number and units)', () => {
    const p = parseConfig(
      [
        'max-file-size = "2 MiB"',
        '[allow]',
        'paths = ["test/fixtures/**", "**/*.snap"]',
        "regexes = ['^AKIA.*EXAMPLE$']",
        'stopwords = ["Dummy"]',
      ].join('\n'),
      FILE,
      { base: base() },
    );
    assert.equal(p.maxFileSize, 2 * 1024 * 1024);
    assert.deepEqual(p.ignorePaths, ['.git/**', 'test/fixtures/**', '**/*.snap']);
    assert.deepEqual(p.allowRegexes, ['^AKIA.*EXAMPLE$']);
    assert.deepEqual(p.stopwords, ['dummy']);
    assert.equal(parseConfig('max-file-size = 1000\n', FILE, { base: base() }).maxFileSize, 1000);
  });

  test('custom rule loads with its fields, and its examples are checked', () => {
    const p = parseConfig(
      [
        '[[rules.custom]]',
        'id = "acme-token"',
        'title = "Acme API token"',
        'severity = "critical"',
        `keywords = ["${ACME.toUpperCase()}"]`,
        `pattern = '\\b(${ACME}[a-z0-9]{32})\\b'`,
        'secret-group = 1',
        'entropy = 3.0',
        `tp = ["token = ${acmeSecret}", "url: https://x.test/?k=${acmeSecret}"]`,
        `fp = ["${ACME}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "${ACME}short"]`,
        'help = "Rotate it in the Acme console."',
      ].join('\n'),
      FILE,
      { base: base() },
    );
    const rule = p.rules.at(-1)!;
    assert.equal(rule.id, 'acme-token');
    assert.equal(rule.title, 'Acme API token');
    assert.equal(rule.severity, 'critical');
    assert.deepEqual(rule.keywords, [ACME]);
    assert.equal(rule.secretGroup, 1);
    assert.equal(rule.entropy, 3);
    assert.equal(rule.help, 'Rotate it in the Acme console.');
    assert.equal(rule.examples.tp.length, 2);
    assert.equal(p.rules.length, 3);
  });

  test('custom rule defaults: title = id, severity high, generic help', () => {
    const p = parseConfig(
      ['[[rules.custom]]', 'id = "x1"', 'keywords = ["zz_"]', "pattern = 'zz_[0-9]{4}'"].join('\n'),
      FILE,
      { base: base() },
    );
    const rule = p.rules.at(-1)!;
    assert.equal(rule.title, 'x1');
    assert.equal(rule.severity, 'high');
    assert.match(rule.help ?? '', /Custom rule `x1` from \.jit-gpg\.toml/);
    assert.equal(rule.fallback, undefined);
  });

  test('a custom rule can be a fallback: reported only where no other rule reports an overlapping secret', () => {
    const policy = (fallback: string) =>
      parseConfig(
        ['[[rules.custom]]', 'id = "any-alpha"', 'keywords = ["alpha_"]', "pattern = 'alpha_([a-z0-9]{8,})'", fallback]
          .filter((l) => l !== '')
          .join('\n'),
        FILE,
        { base: base() },
      );
    const custom = (fallback: string) => policy(fallback).rules.at(-1)!;
    assert.equal(custom('fallback = true').fallback, true);
    assert.equal(custom('fallback = false').fallback, undefined);
    assert.equal(custom('').fallback, undefined);
    // The built-in alpha-token rule reports the overlapping secret: the fallback stays quiet; as a plain rule, its
    // longer span holds alpha-token's and is the one kept.
    const text = Buffer.from(`x = alpha_${'k3j9x0q2m8v7b6n5'}c4z1\n`);
    const ids = (fallback: string) => scanBuffer(text, 'f', policy(fallback)).map((f) => f.ruleId);
    assert.deepEqual(ids('fallback = true'), ['alpha-token']);
    assert.deepEqual(ids(''), ['any-alpha']);
  });
});

describe('parseConfig: every error names file, line and field', () => {
  test('TOML syntax error carries line and column', () => {
    try {
      parseConfig('[allow]\npaths = ["a",\n  nope\n]\n', FILE, { base: base() });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^\.jit-gpg\.toml:3:\d+: invalid TOML: /);
      assert.equal(e.line, 3);
    }
  });

  test('unknown top-level key, with a suggestion', () => {
    const e = expectError('\n\nmax-filesize = 10\n', 3, 'max-filesize', /unknown key in the top level/);
    assert.match(e.message, /did you mean "max-file-size"/);
  });

  test('unknown key in [allow]', () => {
    expectError('[allow]\npath = ["x"]\n', 2, 'allow.path', /did you mean "paths"/);
  });

  test('unknown built-in rule id, with a suggestion', () => {
    expectError('# c\n[rules.alpha-tokn]\nenabled = false\n', 2, 'rules.alpha-tokn', /did you mean "alpha-token"/);
  });

  test('unknown key in a rule override', () => {
    expectError('[rules.beta-key]\nseverity = "low"\nenable = false\n', 3, 'rules.beta-key.enable', /enabled/);
  });

  test('bad severity names the expected values', () => {
    expectError(
      '[rules.beta-key]\n\nseverity = "hgih"\n',
      3,
      'rules.beta-key.severity',
      /expected one of "critical", "high", "medium", "low", got the string "hgih"/,
    );
  });

  test('enabled must be a boolean', () => {
    expectError('[rules.beta-key]\nenabled = "no"\n', 2, 'rules.beta-key.enabled', /expected true or false/);
  });

  test("a custom rule's fallback must be a boolean", () => {
    expectError(
      ['[[rules.custom]]', 'id = "x1"', 'keywords = ["zz_"]', "pattern = 'zz_[0-9]{4}'", 'fallback = "yes"'].join('\n'),
      5,
      'rules.custom[0].fallback',
      /expected true or false, got the string "yes"/,
    );
  });

  test('entropy out of range', () => {
    expectError('[rules.beta-key]\nentropy = 12\n', 2, 'rules.beta-key.entropy', /between 0 and 8/);
  });

  test('max-file-size must be a size', () => {
    expectError('max-file-size = "big"\n', 1, 'max-file-size', /"10 MiB"/);
    expectError('max-file-size = -5\n', 1, 'max-file-size', /positive size/);
  });

  test('allow.paths must be an array of strings', () => {
    expectError('[allow]\npaths = "x/**"\n', 2, 'allow.paths', /expected an array of path globs/);
    expectError('[allow]\npaths = ["ok", 3]\n', 2, 'allow.paths[1]', /non-empty string/);
  });

  test('allow regex rejected by RE2 names the regex and the reason', () => {
    expectError(
      "[allow]\nregexes = ['ok', '(?=x)y']\n",
      2,
      'allow.regexes[1]',
      /RE2 rejected the pattern of allow regex 2: .*\(\?=/,
    );
  });

  test('custom rule: RE2 rejection names the rule id and RE2 reason, at the pattern line', () => {
    expectError(
      [
        '[[rules.custom]]',
        'id = "ok-rule"',
        'keywords = ["a"]',
        "pattern = 'a+'",
        '',
        '[[rules.custom]]',
        'id = "bad-rule"',
        'keywords = ["tok"]',
        "pattern = 'tok_(\\w+)\\1'",
      ].join('\n'),
      9,
      'rules.custom[1].pattern',
      /RE2 rejected the pattern of this custom rule: invalid escape sequence \(at "\\1"\)/,
    );
  });

  test('custom rule: lookahead rejected', () => {
    expectError(
      ['[[rules.custom]]', 'id = "look"', 'keywords = ["k"]', "pattern = 'k(?!x)'"].join('\n'),
      4,
      'rules.custom[0].pattern',
      /RE2 rejected the pattern of this custom rule: invalid perl operator/,
    );
  });

  test('custom rule: missing pattern / keywords, unknown key, bad id, duplicate, builtin clash', () => {
    expectError('[[rules.custom]]\nid = "a1"\nkeywords = ["k"]\n', 1, 'rules.custom[0].pattern', /needs a pattern/);
    expectError('[[rules.custom]]\nid = "a1"\npattern = \'k\'\n', 1, 'rules.custom[0].keywords', /needs keywords/);
    expectError(
      "[[rules.custom]]\nid = \"a1\"\nkeywords = ['k']\npattern = 'k'\nsecret_group = 1\n",
      5,
      'rules.custom[0].secret_group',
      /did you mean "secret-group"/,
    );
    expectError(
      "[[rules.custom]]\nid = \"Bad Id\"\nkeywords = ['k']\npattern = 'k'\n",
      2,
      'rules.custom[0].id',
      /not a valid rule id/,
    );
    expectError(
      "[[rules.custom]]\nid = \"a1\"\nkeywords = ['k']\npattern = 'k'\n[[rules.custom]]\nid = \"a1\"\nkeywords = ['k']\npattern = 'k'\n",
      6,
      'rules.custom[1].id',
      /defined twice/,
    );
    expectError(
      "[[rules.custom]]\nid = \"alpha-token\"\nkeywords = ['k']\npattern = 'k'\n",
      2,
      'rules.custom[0].id',
      /is a built-in rule/,
    );
    expectError(
      '[[rules.custom]]\nid = "a1"\nkeywords = []\npattern = \'k\'\n',
      3,
      'rules.custom[0].keywords',
      /at least one/,
    );
  });

  test('custom rule: secret-group beyond the pattern groups', () => {
    expectError(
      "[[rules.custom]]\nid = \"g\"\nkeywords = ['k']\npattern = 'k(a)(?:b)'\nsecret-group = 2\n",
      5,
      'rules.custom[0].secret-group',
      /has 1 capture group, so secret-group 2 does not exist/,
    );
  });

  test('custom rule: failing true-positive and false-positive examples are reported at load', () => {
    const rule = ['[[rules.custom]]', 'id = "acme"', `keywords = ["${ACME}"]`, `pattern = '(${ACME}[a-z0-9]{32})'`];
    expectError(
      [...rule, `tp = ["${acmeSecret}", "${ACME}nope"]`].join('\n'),
      5,
      'rules.custom[0].tp[1]',
      /finds nothing in its true-positive example 2/,
    );
    const e = expectError(
      [...rule, `fp = ["${acmeSecret}"]`].join('\n'),
      5,
      'rules.custom[0].fp[0]',
      /reports a finding in its false-positive example 1/,
    );
    assert.ok(!e.message.includes(acmeSecret), 'the example secret is not echoed');
  });

  test('custom rule: entropy floor applies to examples', () => {
    expectError(
      [
        '[[rules.custom]]',
        'id = "lowent"',
        `keywords = ["${ACME}"]`,
        `pattern = '(${ACME}[a-z0-9]{32})'`,
        'entropy = 4.5',
        `tp = ["${ACME}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"]`,
      ].join('\n'),
      6,
      'rules.custom[0].tp[0]',
      /entropy/,
    );
  });

  test('[rules.custom] as a plain table is an error', () => {
    expectError('[rules.custom]\nid = "x"\n', 1, 'rules.custom', /array of tables/);
  });
});

describe('helpers', () => {
  test('KeyLines locates headers, dotted keys, array tables and skips multi-line strings', () => {
    const kl = new KeyLines(
      ['a = 1', 'b.c = """', 'd = not a key', '"""', '[x."y.z"]', 'k = 2', '[[arr]]', 'v = 1', '[[arr]]', 'v = 2'].join(
        '\n',
      ),
    );
    assert.equal(kl.line(['a']), 1);
    assert.equal(kl.line(['b', 'c']), 2);
    assert.equal(kl.line(['d']), 1, 'inside a multi-line string is not a key (falls back to 1)');
    assert.equal(kl.line(['x', 'y.z', 'k']), 6);
    assert.equal(kl.line(['arr', 1, 'v']), 10);
    assert.equal(kl.line(['arr', 0, 'missing']), 7);
  });

  test('parseSize', () => {
    assert.equal(parseSize(5), 5);
    assert.equal(parseSize('1k'), 1024);
    assert.equal(parseSize('1.5 MiB'), 1572864);
    assert.equal(parseSize('2GB'), 2 * 1024 ** 3);
    assert.equal(parseSize('0'), undefined);
    assert.equal(parseSize('ten'), undefined);
    assert.equal(parseSize(1.5), undefined);
  });

  test('countGroups ignores escapes, classes and non-capturing groups', () => {
    assert.equal(countGroups('a(b)(?:c)(?P<n>d)(?<m>e)\\(x\\)[(]'), 3);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the default .jit-gpg.toml is optional', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const { policy, path } = await loadConfig({ cwd: empty, base: base() });
    assert.equal(path, undefined);
    assert.equal(policy.rules.length, 2);
  });

  test('the default file is found in the search dirs, and errors name it relative to cwd', async () => {
    const proj = join(dir, 'proj');
    mkdirSync(proj);
    writeFileSync(join(proj, '.jit-gpg.toml'), '[allow]\nstopwords = ["foo"]\n');
    const { policy, path } = await loadConfig({ cwd: dir, searchDirs: ['proj'], base: base() });
    assert.equal(path, join(proj, '.jit-gpg.toml'));
    assert.deepEqual(policy.stopwords, ['foo']);
    writeFileSync(join(proj, '.jit-gpg.toml'), '[allow]\n\nstopword = ["foo"]\n');
    await assert.rejects(loadConfig({ cwd: dir, searchDirs: ['proj'], base: base() }), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^proj\/\.jit-gpg\.toml:3: allow\.stopword: unknown key/);
      return true;
    });
  });

  test('an explicit config that does not exist is an error', async () => {
    await assert.rejects(loadConfig({ cwd: dir, path: 'nope.toml' }), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /nope\.toml: config file not found/);
      return true;
    });
  });

  test('an explicit config is loaded', async () => {
    writeFileSync(join(dir, 'custom.toml'), 'max-file-size = "1 KiB"\n');
    const { policy, path } = await loadConfig({ cwd: dir, path: 'custom.toml', base: base() });
    assert.equal(policy.maxFileSize, 1024);
    assert.equal(path, join(dir, 'custom.toml'));
  });
});
