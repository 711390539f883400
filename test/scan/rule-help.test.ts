// A bundle's built-in rules come without their help texts (scripts/rule-examples.mjs); ruleHelp
// (src/scan/rules/help.ts) reads them from dist/rules-help.json when a report asks, and a missing or damaged file is
// a clear error, never an empty help.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { HELP_FILE, ruleHelp } from '../../src/scan/rules/help.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jit-rule-help-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A bundle at dist/<sub>/bundle.js of a fresh dist directory; returns the bundle's URL and dist's path. */
function bundleAt(name: string, sub: string): { from: URL; dist: string } {
  const dist = join(tmp, name, 'dist');
  mkdirSync(join(dist, sub), { recursive: true });
  return { from: pathToFileURL(join(dist, sub, 'bundle.js')), dist };
}

describe("a built-in rule's help in a bundle", () => {
  it("is the rule's own when it has one (from src/: no file is read)", () => {
    const { from } = bundleAt('own', 'cli');
    assert.equal(ruleHelp({ id: 'a', help: 'Its own text.' }, from), 'Its own text.');
    assert.equal(ruleHelp({ id: 'a', help: '' }, from), '');
  });

  it('is read from the help file in the bundle directory or the ones above it', () => {
    for (const sub of ['.', 'cli', join('scan', 'chunks')]) {
      const { from, dist } = bundleAt(`found-${sub.replace(/\W/g, '-')}`, sub);
      writeFileSync(join(dist, HELP_FILE), JSON.stringify({ lazy: 'From the file.' }));
      assert.equal(ruleHelp({ id: 'lazy' }, from), 'From the file.', sub);
    }
  });

  it('a missing, damaged or incomplete help file is an error that says what to do', () => {
    const missing = bundleAt('missing', 'cli');
    assert.throws(() => ruleHelp({ id: 'a' }, missing.from), /rules-help\.json was not found.*reinstall/);
    const damaged = bundleAt('damaged', 'cli');
    writeFileSync(join(damaged.dist, HELP_FILE), '{"a": "cut sho');
    assert.throws(() => ruleHelp({ id: 'a' }, damaged.from), /rules-help\.json is damaged.*reinstall/);
    const partial = bundleAt('partial', 'cli');
    writeFileSync(join(partial.dist, HELP_FILE), JSON.stringify({ other: 'text' }));
    assert.throws(() => ruleHelp({ id: 'a' }, partial.from), /no help for the rule a: reinstall/);
  });
});
