// The platform/cloud/devops half of the rule catalogue: every pattern compiles under both regex engines, every
// true-positive example yields exactly one surviving match (pattern + entropy + validator) whose full match holds a
// keyword, and every false positive yields none.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadNativeRE2, nativeEngine } from '../../src/scan/regex/native.ts';
import { portableEngine } from '../../src/scan/regex/portable.ts';
import type { Pattern, RegexEngine } from '../../src/scan/regex/types.ts';
import { cloudRules } from '../../src/scan/rules/cloud.ts';
import { devopsRules } from '../../src/scan/rules/devops.ts';
import { packageRules } from '../../src/scan/rules/packages.ts';
import { vcsRules } from '../../src/scan/rules/vcs.ts';
import type { Rule } from '../../src/scan/types.ts';

const native = loadNativeRE2();
const engines: RegexEngine[] = [portableEngine()];
if ('ctor' in native) engines.push(nativeEngine(native.ctor));

const files: Record<string, Rule[]> = { vcs: vcsRules, packages: packageRules, cloud: cloudRules, devops: devopsRules };
const all = Object.values(files).flat();

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Rules whose true positives legitimately hold a second secret another rule reports (a key pair's id). */
const EXPECTED_ALONGSIDE: Record<string, string[]> = { 'aws-secret-access-key-pair': ['aws-access-key-id'] };

interface Survivor {
  secret: string;
  match: string;
  validity: string;
}

/** Pattern, then entropy, then validator, as the engine applies them; what is left would be a finding. */
function survivors(rule: Rule, pattern: Pattern, text: string): Survivor[] {
  const input = Buffer.from(text);
  const out: Survivor[] = [];
  for (const span of pattern.matchAll(input)) {
    const g = span.groups[rule.secretGroup ?? 1];
    const range = g ?? (span.groups.length > 1 ? undefined : ([span.start, span.end] as const));
    if (!range) continue;
    const secret = input.subarray(range[0], range[1]).toString();
    const match = input.subarray(span.start, span.end).toString();
    if (rule.entropy !== undefined && entropy(secret) < rule.entropy) continue;
    // As the engine does: up to 256 bytes before the match are the validator's context.
    const before = input.subarray(Math.max(0, span.start - 256), span.start).toString();
    const validity = rule.validate ? rule.validate(secret, match, before) : 'unknown';
    if (validity === 'invalid') continue;
    if (rule.requireValid && validity !== 'valid') continue;
    out.push({ secret, match, validity });
  }
  return out;
}

describe('platform rule catalogue', () => {
  it('has at least 65 rules with unique kebab-case ids', () => {
    assert.ok(all.length >= 65, `only ${all.length} rules`);
    const ids = all.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it("no other platform rule reports a rule's true positives (one secret, one finding)", () => {
    const engine = engines[engines.length - 1]!;
    const compiled = all.map((r) => ({
      r,
      p: engine.compile(r.pattern, { caseInsensitive: r.caseInsensitive ?? false }),
    }));
    const problems: string[] = [];
    for (const { r } of compiled) {
      r.examples.tp.forEach((tp, i) => {
        for (const { r: other, p } of compiled) {
          if (other === r || EXPECTED_ALONGSIDE[r.id]?.includes(other.id)) continue;
          if (survivors(other, p, tp).length > 0) problems.push(`${other.id} reports ${r.id} tp[${i}]`);
        }
      });
    }
    assert.deepEqual(problems, []);
  });

  it('its own sources hold no literal secret (fixtures are assembled at run time)', () => {
    const engine = engines[engines.length - 1]!;
    const sources = ['vcs', 'packages', 'cloud', 'devops'].map((f) => `../../src/scan/rules/${f}.ts`);
    sources.push('../../src/scan/validate/checksum.ts', './checksum.test.ts', './rules-platforms.test.ts');
    const problems: string[] = [];
    for (const src of sources) {
      const text = readFileSync(new URL(src, import.meta.url), 'utf8');
      for (const r of all) {
        const found = survivors(r, engine.compile(r.pattern, { caseInsensitive: r.caseInsensitive ?? false }), text);
        if (found.length > 0) problems.push(`${src}: ${r.id} (${found.length})`);
      }
    }
    assert.deepEqual(problems, []);
  });

  for (const [file, rules] of Object.entries(files)) {
    describe(file, () => {
      for (const rule of rules) {
        describe(rule.id, () => {
          it('is well-formed', () => {
            assert.ok(rule.title.length > 0);
            assert.ok(['critical', 'high', 'medium', 'low'].includes(rule.severity));
            assert.ok(rule.keywords.length > 0);
            for (const k of rule.keywords) assert.equal(k, k.toLowerCase(), `keyword ${k} is not lowercase`);
            assert.ok(rule.help !== undefined && rule.help.length > 20);
            assert.ok(rule.examples.tp.length >= 2, 'at least 2 true positives');
            assert.ok(rule.examples.fp.length >= 2, 'at least 2 false positives');
            if (rule.requireValid) {
              assert.ok(rule.validate, 'requireValid without a validator');
              assert.match(rule.help, /not reported/, 'help should say that a failed check is not reported');
            }
          });
          for (const engine of engines) {
            it(`compiles and classifies its examples under ${engine.name}`, () => {
              const pattern = engine.compile(rule.pattern, { caseInsensitive: rule.caseInsensitive ?? false });
              rule.examples.tp.forEach((tp, i) => {
                const found = survivors(rule, pattern, tp);
                assert.equal(found.length, 1, `tp[${i}] should yield exactly one finding, got ${found.length}`);
                const { match } = found[0]!;
                const lower = match.toLowerCase();
                assert.ok(
                  rule.keywords.some((k) => lower.includes(k)),
                  `tp[${i}]: the match holds none of the keywords ${rule.keywords.join(', ')}`,
                );
                if (rule.window === undefined) assert.ok(!match.trimEnd().includes('\n'), `tp[${i}] spans lines`);
                else assert.ok(match.length <= rule.window, `tp[${i}] is longer than the window`);
              });
              rule.examples.fp.forEach((fp, i) => {
                const found = survivors(rule, pattern, fp);
                assert.equal(found.length, 0, `fp[${i}] should yield no finding`);
              });
            });
          }
        });
      }
    });
  }
});
