// The bundles ship the built-in rules without their examples and help texts (scripts/rule-examples.mjs). This proves
// the shipped catalogue is the source's, rule for rule: the CLI as shipped and the library from src/ scan the same
// file of every built-in rule's examples, true and false positives, and report the very same findings; and its SARIF
// report describes every rule with the source's help text (read from dist/rules-help.json).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scan } from '../../src/scan/index.ts';
import { defaultPolicy } from '../../src/scan/policy.ts';
import { ruleHelp } from '../../src/scan/rules/help.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import { nodeBinary } from '../../scripts/node24.mjs';
import { repoRoot } from './harness.ts';

const cli = join(repoRoot, 'dist', 'cli.js');
type Place = { ruleId: string; line: number; column: number };
const key = (f: Place) => `${f.ruleId}@${f.line}:${f.column}`;

describe('the shipped rule catalogue', { skip: !existsSync(cli) && 'dist not bundled' }, () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jit-shipped-rules-'));
    const examples = builtinRules.flatMap((r) => [...r.examples.tp, ...r.examples.fp]);
    writeFileSync(join(dir, 'examples.txt'), `${examples.join('\n\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds exactly what the source catalogue finds in every rule example', async () => {
    const fromSource = await scan({ root: dir, policy: defaultPolicy(), threads: 1 });
    const report = join(dir, 'report.json');
    const run = spawnSync(
      nodeBinary(),
      [cli, 'scan', join(dir, 'examples.txt'), '--format', 'json', '--output', report],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 1, run.stderr);
    const shipped = JSON.parse(readFileSync(report, 'utf8')) as { findings: Place[] };
    const ruleIds = new Set(fromSource.findings.map((f) => f.ruleId));
    assert.ok(ruleIds.size > builtinRules.length * 0.8, `only ${ruleIds.size} rules found their examples`);
    assert.deepEqual(shipped.findings.map(key).sort(), fromSource.findings.map(key).sort());
  });

  it("describes every rule in SARIF with the source's help text, which no bundle carries", () => {
    const report = join(dir, 'report.sarif');
    const run = spawnSync(
      nodeBinary(),
      [cli, 'scan', join(dir, 'examples.txt'), '--format', 'sarif', '--output', report],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 1, run.stderr);
    const sarif = JSON.parse(readFileSync(report, 'utf8')) as {
      runs: { tool: { driver: { rules: { id: string; help: { text: string } }[] } } }[];
    };
    const shipped = new Map(sarif.runs[0]!.tool.driver.rules.map((r) => [r.id, r.help.text]));
    assert.deepEqual(
      builtinRules.filter((r) => shipped.get(r.id) !== ruleHelp(r).trim()).map((r) => r.id),
      [],
    );
    const scanScript = readFileSync(join(repoRoot, 'dist', 'cli', 'scan.cjs'), 'latin1');
    const worker = readFileSync(join(repoRoot, 'dist', 'scan', 'worker.js'), 'latin1');
    const inBundles = builtinRules.filter((r) => {
      // A sentence of the help as the bundle would spell it (ASCII: other characters as \u escapes).
      const sentence = JSON.stringify(ruleHelp(r).split('. ')[0]!.slice(0, 60))
        .slice(1, -1)
        .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return scanScript.includes(sentence) || worker.includes(sentence);
    });
    assert.ok(inBundles.length < builtinRules.length / 4, `${inBundles.length} rules' help is still in the bundles`);
  });
});
