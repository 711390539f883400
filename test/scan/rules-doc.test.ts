// docs/rules.md is generated from the catalogue (npm run docs:rules) and must be fresh; the gitleaks coverage map
// names every gitleaks v8.28.0 rule id once, and only rules the catalogue has.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadCoverage, RULES_DOC, renderRulesDoc } from '../../scripts/rules-doc.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';

describe('docs/rules.md', () => {
  test('is fresh: regenerating it changes nothing (run `npm run docs:rules`)', () => {
    assert.equal(readFileSync(RULES_DOC, 'utf8'), renderRulesDoc());
  });

  test('lists every rule, and the coverage map every gitleaks id once with a rule or a reason', () => {
    const doc = readFileSync(RULES_DOC, 'utf8');
    for (const r of builtinRules) assert.ok(doc.includes(`| \`${r.id}\` |`), r.id);
    const cov = loadCoverage().rules;
    assert.equal(cov.length, 217);
    assert.equal(new Set(cov.map((e) => e.id)).size, cov.length);
    const ids = new Set(builtinRules.map((r) => r.id));
    for (const e of cov) assert.ok(e.rule ? ids.has(e.rule) : (e.reason ?? '').length > 10, e.id);
  });
});
