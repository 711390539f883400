import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GitleaksConfigError, mergeGitleaks, parseGitleaksConfig } from '../../src/scan/gitleaks.ts';
import type { ScanPolicy } from '../../src/scan/policy.ts';
import type { Finding } from '../../src/scan/types.ts';

const CONFIG = `
title = "acme gitleaks config"

[extend]
useDefault = true

[[rules]]
id = "acme-internal-token"
description = "ACME internal API token"
regex = '''acme_(?:live|test)_([0-9a-zA-Z]{24})'''
secretGroup = 1
entropy = 3.0
keywords = ["acme_"]
tags = ["internal"]

  [rules.allowlist]
  regexes = ['''^0{24}$''', '''DUMMY''']
  stopwords = ["sample"]
  paths = ['''(^|/)fixtures/''']

[[rules]]
id = "acme-deploy-key"
description = "Deploy key, only in deploy files"
regex = '''(?i)deploykey\\s*=\\s*([a-z0-9]{16})'''
path = '''\\.deploy$'''

[[rules]]
id = "path-only"
path = '''\\.p12$'''

[[rules]]
id = "broken"
regex = '''(?<=x)abc'''

[allowlist]
description = "global"
paths = ['''(^|/)testdata/''', '''\\.lock$''']
regexes = ['''EXAMPLE''']
stopwords = ["placeholder"]
commits = ["0123456789abcdef0123456789abcdef01234567"]
regexTarget = "line"

[[allowlists]]
targetRules = ["acme-deploy-key"]
paths = ['''^legacy/''']
`;

function finding(ruleId: string, file: string, commit?: string): Finding {
  return { ruleId, file, line: 1, commit } as Finding;
}

test('custom rules, rule-level and global allowlists are imported; unsupported fields are named', () => {
  const imp = parseGitleaksConfig(CONFIG, '.gitleaks.toml');
  assert.deepEqual(
    imp.rules.map((r) => [r.id, r.title, r.secretGroup, r.entropy, r.keywords]),
    [
      ['acme-internal-token', 'ACME internal API token', 1, 3, ['acme_']],
      ['acme-deploy-key', 'Deploy key, only in deploy files', undefined, undefined, []],
    ],
  );
  const w = imp.warnings.join('\n');
  assert.match(w, /extend\.useDefault/);
  assert.match(w, /rules\[2\] \(path-only\)\.regex: missing: path-only rules/);
  assert.match(w, /rules\[3\] \(broken\)\.regex: RE2 cannot compile it/);
  assert.match(w, /allowlist\.regexTarget: "line" is not supported/);
  assert.match(w, /acme-internal-token\)\.allowlist: rule-level regexes\/stopwords need a validator/);
  assert.deepEqual(imp.allowRegexes, ['EXAMPLE']);
  assert.deepEqual(imp.stopwords, ['placeholder']);

  // Rule-level regexes and stopwords through the validator.
  const v = imp.rules[0]?.validate;
  assert.ok(v);
  assert.equal(v('0'.repeat(24), `acme_live_${'0'.repeat(24)}`), 'invalid');
  assert.equal(v('aaaaSAMPLEbbbbccccddddeeee', 'x'), 'invalid');
  assert.equal(v('Zq8mR2kL9xW4vB7nT3yH6pJd', 'acme_live_Zq8mR2kL9xW4vB7nT3yH6pJd'), 'unknown');

  // Paths, commits, target rules and rule path scopes on findings.
  const kept = imp.filterFindings([
    finding('acme-internal-token', 'src/a.ts'),
    finding('acme-internal-token', 'test/fixtures/a.ts'), // rule-level path
    finding('generic-secret', 'pkg/testdata/x.env'), // global path
    finding('generic-secret', 'yarn.lock'),
    finding('generic-secret', 'src/b.ts', '0123456789abcdef0123456789abcdef01234567'), // global commit
    finding('acme-deploy-key', 'prod.deploy'),
    finding('acme-deploy-key', 'src/notes.md'), // outside the rule's path
    finding('acme-deploy-key', 'legacy/old.deploy'), // [[allowlists]] targetRules
    finding('generic-secret', 'legacy/old.env'), // not a target rule
    finding('generic-secret', 'dist/app.zip!testdata/k.env'), // inner path of an archive
  ]);
  assert.deepEqual(
    kept.map((f) => f.file),
    ['src/a.ts', 'prod.deploy', 'legacy/old.env'],
  );
});

test('an allowed path drops that place of a finding, never the places elsewhere the same secret occurs', () => {
  const imp = parseGitleaksConfig(CONFIG);
  const place = (file: string, line: number, extra: Partial<Finding> = {}) => ({ file, line, column: 1, ...extra });
  // The first place (by path) is on an allowed path: the next one becomes the finding's place.
  const secret = {
    ...finding('generic-secret', 'pkg/testdata/a.env'),
    ...place('pkg/testdata/a.env', 3, { decoded: 'base64' }),
    locations: [
      place('pkg/testdata/b.env', 1),
      place('src/config.ts', 7),
      place('yarn.lock', 8),
      place('docs/setup.md', 9),
    ],
  } as Finding;
  const [kept, ...none] = imp.filterFindings([secret]);
  assert.equal(none.length, 0);
  assert.equal(kept!.file, 'src/config.ts');
  assert.equal(kept!.line, 7);
  assert.equal(kept!.decoded, undefined, 'the dropped place’s fields go with it');
  assert.deepEqual(kept!.locations, [place('docs/setup.md', 9)]);
  // Every place allowed: no finding; one place left: no locations.
  assert.deepEqual(imp.filterFindings([{ ...secret, locations: [place('pkg/testdata/b.env', 1)] } as Finding]), []);
  const alone = imp.filterFindings([{ ...secret, locations: [place('src/config.ts', 7)] } as Finding]);
  assert.equal(alone[0]!.file, 'src/config.ts');
  assert.equal(alone[0]!.locations, undefined);
});

test('merge into a policy: custom rules added (same id replaces), allow regexes and stopwords appended', () => {
  const imp = parseGitleaksConfig(CONFIG);
  const base: ScanPolicy = {
    rules: [{ id: 'acme-deploy-key', title: 'old' } as never, { id: 'github-pat', title: 'GitHub' } as never],
    ignorePaths: ['.git/**'],
    allowRegexes: ['x'],
    stopwords: ['y'],
    maxFileSize: 10,
  };
  const merged = mergeGitleaks(base, imp);
  assert.deepEqual(
    merged.rules.map((r) => r.id),
    ['github-pat', 'acme-internal-token', 'acme-deploy-key'],
  );
  assert.deepEqual(merged.allowRegexes, ['x', 'EXAMPLE']);
  assert.deepEqual(merged.stopwords, ['y', 'placeholder']);
});

test('keywords are only used as a prefilter when every match must contain one', () => {
  const imp = parseGitleaksConfig(`
[[rules]]
id = "a"
regex = '''(?:foo|bar)_[0-9]{8}'''
keywords = ["foo", "bar"]
[[rules]]
id = "b"
regex = '''(?i)(?:mycorp)[a-z_ ]{0,10}=\\s*([0-9a-f]{32})'''
keywords = ["mycorp"]
`);
  assert.deepEqual(
    imp.rules.map((r) => [r.id, r.keywords]),
    [
      ['a', []],
      ['b', ['mycorp']],
    ],
  );
  assert.match(imp.warnings.join('\n'), /rules\[0\] \(a\)\.keywords: not every match/);
});

test('TOML errors name the file and line', () => {
  assert.throws(
    () => parseGitleaksConfig('[[rules]]\nid = "x"\nregex = \n', 'cfg/.gitleaks.toml'),
    (err: Error) => {
      return err instanceof GitleaksConfigError && /^cfg\/\.gitleaks\.toml:3:/.test(err.message);
    },
  );
});

test('through runScanJob: a .gitleaks.toml custom rule finds its token, its allowlist keeps fixtures quiet', async () => {
  const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { runScanJob } = await import('../../src/scan/job.ts');
  const dir = mkdtempSync(join(tmpdir(), 'jit-gpg-gitleaks-'));
  try {
    const token = ['acme', 'live', 'Zq8mR2kL9xW4vB7nT3yH6pJd'].join('_');
    const sample = ['acme', 'test', 'SAMPLEaaaaBBBBccccDDDDee'].join('_');
    writeFileSync(join(dir, '.gitleaks.toml'), CONFIG);
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'test', 'fixtures'), { recursive: true });
    mkdirSync(join(dir, 'testdata'));
    writeFileSync(join(dir, 'src', 'client.ts'), `const token = "${token}";\nconst other = "${sample}";\n`);
    writeFileSync(join(dir, 'test', 'fixtures', 'client.ts'), `const token = "${token}";\n`);
    writeFileSync(join(dir, 'testdata', 'env'), `ACME=${token}\n`);
    const warnings: string[] = [];
    const notices: string[] = [];
    const job = await runScanJob({
      root: dir,
      mode: 'worktree',
      configSearch: [dir],
      cwd: dir,
      env: {},
      threads: 1,
      onWarning: (m) => warnings.push(m),
      onNotice: (m) => notices.push(m),
    });
    const mine = job.result.findings.filter((f) => f.ruleId.startsWith('acme-'));
    assert.deepEqual(
      mine.map((f) => [f.ruleId, f.file, f.line]),
      [['acme-internal-token', 'src/client.ts', 1]],
    );
    assert.match(warnings.join('\n'), /\.gitleaks\.toml: rules\[2\] \(path-only\)\.regex/);
    assert.match(notices.join('\n'), /\.gitleaks\.toml: 2 custom rules/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
