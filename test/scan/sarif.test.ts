import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { fingerprint, preview } from '../../src/scan/fingerprint.ts';
import { renderSarif, sarifLevel, toSarif, toUri } from '../../src/scan/report/sarif.ts';
import type { Finding, Rule, ScanStats } from '../../src/scan/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '..', 'fixtures', 'sarif-2.1.0-schema.json'), 'utf8'));

// ajv-formats is CommonJS: its default export arrives as the module object, whose `.default` is the plugin.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsPlugin as unknown as { default?: AddFormats }).default ??
  addFormatsPlugin) as unknown as AddFormats;
// biome-ignore lint/suspicious/noExplicitAny: SARIF is inspected here as loose JSON
type J = any;

function validator() {
  // The schema is draft-07: ajv's default class (draft-07) compiles it.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
const validate = validator();

// Built at run time from parts; never a literal in the source.
const SECRET = ['gh', 'p_', 'R8xq2Lm9Vt4Kp7Wz3Nc6Hb1Jd5Fg0Sa8Ye2U'].join('');

const stats: ScanStats = {
  files: 2,
  bytes: 2048,
  skippedBinary: 1,
  skippedLarge: 0,
  unreadable: 0,
  failed: 0,
  durationMs: 12,
  engine: 're2',
};

const rules: Rule[] = [
  {
    id: 'fake-pat',
    title: 'Fake personal access token',
    severity: 'critical',
    keywords: ['gh'],
    pattern: 'x',
    help: 'A fake token.\n\nRevoke it at **Settings → Tokens**, then remove it.',
    examples: { tp: [], fp: [] },
  },
  {
    id: 'fake-low',
    title: 'Low thing',
    severity: 'low',
    keywords: ['x'],
    pattern: 'x',
    help: 'Low.',
    examples: { tp: [], fp: [] },
  },
];

const findings: Finding[] = [
  {
    ruleId: 'fake-pat',
    title: 'Fake personal access token',
    severity: 'critical',
    validated: true,
    file: 'src/my config.ts',
    line: 12,
    column: 9,
    endLine: 12,
    endColumn: 9 + SECRET.length,
    fingerprint: fingerprint('fake-pat', SECRET),
    preview: preview(SECRET),
  },
  {
    ruleId: 'fake-low',
    title: 'Low thing',
    severity: 'low',
    validated: false,
    file: 'a/b.env',
    line: 1,
    column: 1,
    endLine: 2,
    endColumn: 4,
    commit: 'a'.repeat(40),
    fingerprint: fingerprint('fake-low', 'whatever-value'),
    preview: 'what****',
  },
];

const input = { findings, rules, stats, toolVersion: '0.1.0', root: '/work/repo', warnings: ['x.bin: unreadable'] };

describe('SARIF report', () => {
  test('validates against the official SARIF 2.1.0 schema', () => {
    const log = JSON.parse(renderSarif(input));
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  test('one result per secret: the first occurrence is locations[0], every other place a related location', () => {
    const other = { file: 'copy/b.env', line: 7, column: 3, endLine: 7, endColumn: 18, commit: 'b'.repeat(40) };
    const grouped = [{ ...findings[1]!, locations: [other, { ...other, file: 'c.env', line: 2, commit: undefined }] }];
    // A stray field on a location is not copied into the report.
    (grouped[0]!.locations[0] as Record<string, unknown>).secret = SECRET;
    const text: string = renderSarif({ ...input, findings: grouped });
    assert.ok(!text.includes(SECRET));
    const log: J = JSON.parse(text);
    assert.ok(validate(log), JSON.stringify(validate.errors));
    const r = (log as J).runs[0].results[0];
    assert.equal(r.locations.length, 1);
    assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, 'a/b.env');
    assert.deepEqual(
      r.relatedLocations.map((l: J) => [
        l.id,
        l.physicalLocation.artifactLocation.uri,
        l.physicalLocation.region.startLine,
      ]),
      [
        [1, 'copy/b.env', 7],
        [2, 'c.env', 2],
      ],
    );
    assert.match(r.relatedLocations[0].message.text, /bbbbbbbbbbbb/);
    assert.equal(JSON.parse(renderSarif(input)).runs[0].results[0].relatedLocations, undefined);
  });

  test('an empty scan validates too', () => {
    const log: J = JSON.parse(renderSarif({ ...input, findings: [], warnings: [] }));
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors));
    assert.deepEqual((log as J).runs[0].results, []);
  });

  test('a deliberately broken SARIF does not validate (the check can fail)', () => {
    const broken = structuredClone(toSarif(input)) as J;
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(validate(broken), false);
    const noMessage = structuredClone(toSarif(input)) as J;
    delete noMessage.runs[0].results[0].message;
    assert.equal(validate(noMessage), false);
    const badLine = structuredClone(toSarif(input)) as J;
    badLine.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(badLine), false);
    const noDriver = structuredClone(toSarif(input)) as J;
    delete noDriver.runs[0].tool.driver.name;
    assert.equal(validate(noDriver), false);
    const wrongVersion = { ...(toSarif(input) as J), version: '2.0.0' };
    assert.equal(validate(wrongVersion), false);
  });

  test('driver, rules and results carry what code scanning needs', () => {
    const log = toSarif(input) as J;
    const run = log.runs[0];
    const driver = run.tool.driver;
    assert.equal(driver.name, 'jit-gpg');
    assert.equal(driver.version, '0.1.0');
    assert.match(driver.informationUri, /^https:\/\//);
    assert.deepEqual(
      driver.rules.map((r: J) => r.id),
      ['fake-pat', 'fake-low'],
    );
    const r0 = driver.rules[0];
    assert.equal(r0.name, 'FakePat');
    assert.equal(r0.shortDescription.text, 'Fake personal access token');
    assert.equal(r0.fullDescription.text, 'A fake token.');
    assert.match(r0.help.markdown, /Settings → Tokens/);
    assert.equal(r0.defaultConfiguration.level, 'error');
    assert.ok(r0.properties.tags.includes('security') && r0.properties.tags.includes('secret'));
    assert.equal(r0.properties['security-severity'], '9.5');
    assert.equal(driver.rules[1].defaultConfiguration.level, 'note');

    const [a, b] = run.results;
    assert.equal(a.ruleId, 'fake-pat');
    assert.equal(a.ruleIndex, 0);
    assert.equal(b.ruleIndex, 1);
    assert.equal(a.level, 'error');
    assert.equal(a.message.text, `Fake personal access token: ${SECRET.slice(0, 4)}**** (validated)`);
    const loc = a.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'src/my%20config.ts');
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.deepEqual(loc.region, { startLine: 12, startColumn: 9, endLine: 12, endColumn: 9 + SECRET.length });
    assert.deepEqual(a.partialFingerprints, { 'secretHash/v1': fingerprint('fake-pat', SECRET) });
    assert.deepEqual(b.partialFingerprints, { 'secretHash/v1': findings[1]!.fingerprint, commitSha: 'a'.repeat(40) });
    assert.equal(a.properties.validated, true);
    assert.equal(b.properties.commit, 'a'.repeat(40));
    assert.equal(run.invocations[0].executionSuccessful, true);
    assert.equal(run.invocations[0].toolExecutionNotifications[0].message.text, 'x.bin: unreadable');
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///work/repo/');
  });

  test('a finding whose rule is not in the list still gets a descriptor and a valid index', () => {
    const log = toSarif({ ...input, rules: [] }) as J;
    assert.deepEqual(
      log.runs[0].tool.driver.rules.map((r: J) => r.id),
      ['fake-pat', 'fake-low'],
    );
    assert.ok(validate(log));
  });

  test('never contains the secret, even if a finding arrives with a leaky preview or extra fields', () => {
    const leaky = { ...findings[0]!, preview: SECRET, secret: SECRET, match: `token=${SECRET}` } as Finding;
    const text = renderSarif({ ...input, findings: [leaky, findings[1]!] });
    assert.ok(!text.includes(SECRET));
    assert.ok(!text.includes(SECRET.slice(0, 8)));
    assert.ok(text.includes(`${SECRET.slice(0, 4)}****`));
  });

  test('helpers', () => {
    assert.equal(sarifLevel('medium'), 'warning');
    assert.equal(toUri('dir/a b#c?.txt'), 'dir/a%20b%23c%3F.txt');
    assert.equal(toUri('outer.zip!inner/x'), 'outer.zip!inner/x');
  });
});
