// The SaaS/AI/payments/messaging/structured/keys/generic half of the rule catalogue: every rule's pattern compiles
// under both RE2 engines, every true positive survives (pattern, entropy, validator) with a keyword inside the full
// match, every false positive dies on the rule itself, and the whole engine agrees (exactly one finding per TP).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScanEngine } from '../../src/scan/engine.ts';
import { scanBuffer } from '../../src/scan/index.ts';
import { defaultPolicy } from '../../src/scan/policy.ts';
import { shannonEntropy } from '../../src/scan/filters.ts';
import { loadNativeRE2, nativeEngine } from '../../src/scan/regex/native.ts';
import { portableEngine } from '../../src/scan/regex/portable.ts';
import type { RegexEngine } from '../../src/scan/regex/types.ts';
import { aiRules } from '../../src/scan/rules/ai.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import { commerceRules } from '../../src/scan/rules/commerce.ts';
import { genericRules } from '../../src/scan/rules/generic.ts';
import { httpRules } from '../../src/scan/rules/http.ts';
import { keyRules } from '../../src/scan/rules/keys.ts';
import { messagingRules } from '../../src/scan/rules/messaging.ts';
import { serviceRules } from '../../src/scan/rules/services.ts';
import { vendorRules } from '../../src/scan/rules/vendors.ts';
import { structuredRules } from '../../src/scan/rules/structured.ts';
import type { Rule } from '../../src/scan/types.ts';

const files: Record<string, Rule[]> = {
  messaging: messagingRules,
  commerce: commerceRules,
  ai: aiRules,
  services: serviceRules,
  vendors: vendorRules,
  structured: structuredRules,
  keys: keyRules,
  http: httpRules,
  generic: genericRules,
};
const all: Rule[] = Object.values(files).flat();

const native = loadNativeRE2();
const engines: RegexEngine[] = [portableEngine()];
if ('ctor' in native) engines.push(nativeEngine(native.ctor));

interface Hit {
  match: string;
  secret: string;
  survives: boolean;
  why: string;
}

/** Pattern, entropy and validator: what the rule itself decides about each match in `text`. */
function ruleHits(rule: Rule, engine: RegexEngine, text: string): Hit[] {
  const p = engine.compile(rule.pattern, { caseInsensitive: rule.caseInsensitive === true });
  const buf = Buffer.from(text, 'utf8');
  const group = rule.secretGroup ?? 1;
  return p.matchAll(buf).map((m) => {
    const g = m.groups[group];
    const match = buf.toString('utf8', m.start, m.end);
    const secret = g ? buf.toString('utf8', g[0], g[1]) : match;
    let why = '';
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy)
      why = `entropy ${shannonEntropy(secret).toFixed(2)} < ${rule.entropy}`;
    else if (rule.validate) {
      const v = rule.validate(secret, match, buf.toString('utf8', Math.max(0, m.start - 256), m.start));
      if (v === 'invalid') why = 'validator: invalid';
      else if (rule.requireValid && v !== 'valid') why = `validator: ${v} (requireValid)`;
    }
    return { match, secret, survives: why === '', why };
  });
}

const short = (s: string) => (s.length > 80 ? `${s.slice(0, 40)}…${s.slice(-20)}` : s).replace(/\n/g, '⏎');

describe('catalogue shape', () => {
  it('has at least 60 rules with unique kebab-case ids', () => {
    assert.ok(all.length >= 60, `only ${all.length} rules`);
    const ids = all.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
    for (const id of ids) assert.match(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
  for (const rule of all) {
    it(`${rule.id}: data is complete`, () => {
      assert.ok(rule.title.length > 3);
      assert.ok(['critical', 'high', 'medium', 'low'].includes(rule.severity));
      assert.ok(rule.keywords.length > 0, 'no keywords');
      for (const k of rule.keywords) assert.equal(k, k.toLowerCase(), `keyword ${k} is not lowercase`);
      assert.ok(rule.help !== undefined && rule.help.length > 40, 'help too short');
      assert.ok(rule.examples.tp.length >= 2, 'fewer than 2 TPs');
      assert.ok(rule.examples.fp.length >= 2, 'fewer than 2 FPs');
      if (rule.validate)
        assert.match(rule.help, /reported only|not reported/i, 'help must say what a failed check means');
    });
  }
});

for (const engine of engines) {
  describe(`rules under ${engine.name}`, () => {
    for (const rule of all) {
      it(`${rule.id}: compiles, TPs match with a keyword, FPs do not survive`, () => {
        engine.compile(rule.pattern, { caseInsensitive: rule.caseInsensitive === true });
        for (const tp of rule.examples.tp) {
          const hits = ruleHits(rule, engine, tp);
          const ok = hits.filter((h) => h.survives);
          assert.ok(ok.length > 0, `TP not found: ${short(tp)} (${hits.map((h) => h.why).join('; ') || 'no match'})`);
          for (const h of hits) {
            const lower = h.match.toLowerCase();
            assert.ok(
              rule.keywords.some((k) => lower.includes(k)),
              `no keyword in the full match of TP ${short(tp)}`,
            );
          }
        }
        for (const fp of rule.examples.fp) {
          const ok = ruleHits(rule, engine, fp).filter((h) => h.survives);
          assert.equal(ok.length, 0, `FP survives: ${short(fp)} → ${ok.map((h) => short(h.secret)).join(', ')}`);
        }
      });
    }
  });

  describe(`whole engine (${engine.name}) on the examples`, () => {
    const scanner = new ScanEngine({ rules: all, allowRegexes: [], stopwords: [] }, { regex: engine });
    it('compiled every rule', () => assert.equal(scanner.ruleCount, all.length));
    for (const rule of all) {
      it(`${rule.id}: one finding per TP, none per FP`, () => {
        for (const tp of rule.examples.tp) {
          const found = scanner.scanBytes(Buffer.from(tp), { path: 'x' }).filter((f) => f.ruleId === rule.id);
          assert.equal(found.length, 1, `TP ${short(tp)}: ${found.length} findings`);
        }
        for (const fp of rule.examples.fp) {
          const found = scanner.scanBytes(Buffer.from(fp), { path: 'x' }).filter((f) => f.ruleId === rule.id);
          assert.equal(found.length, 0, `FP ${short(fp)}: ${found.length} findings`);
        }
      });
    }
  });
}

describe('generic rules yield to specific ones', () => {
  // The generic rules are fallbacks: the engine drops their finding wherever another rule reports an overlapping
  // secret, including where the specific rule needs context the generic match does not hold (a URL or connection
  // string around a `password=`, a kubeconfig `user:` block).
  const policy = defaultPolicy();
  it('the generic rules are fallback rules', () => {
    for (const rule of genericRules) assert.equal(rule.fallback, true, rule.id);
  });
  it('no true positive of a specific rule is also reported by a generic rule', () => {
    const problems: string[] = [];
    for (const rule of all) {
      if (rule.id.startsWith('generic-')) continue;
      rule.examples.tp.forEach((tp, i) => {
        const generic = scanBuffer(Buffer.from(tp), 'x.txt', policy).filter((f) => f.ruleId.startsWith('generic-'));
        if (generic.length > 0) problems.push(`${rule.id} tp[${i}]`);
      });
    }
    assert.deepEqual(problems, []);
  });
  it('yields to the specific rule only where it reports (its validator, not just its pattern)', () => {
    const key = `sk-${'x'.repeat(0)}${'aB3dE5fG7hJ9kL1mN3pQ'}${['T3Blbk', 'FJ'].join('')}${'zA5cD7eF9gH1iJ3kL5mN'}`;
    assert.deepEqual(
      scanBuffer(Buffer.from(`OPENAI_API_KEY=${key}`), 'x.txt', policy).map((f) => f.ruleId),
      ['openai-api-key'],
    );
    // A bad bech32 checksum: not age's finding, so nothing overlaps the generic one.
    const age = 'AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';
    const found = scanBuffer(Buffer.from(`SOPS_AGE_KEY=${age}`), 'x.txt', policy).map((f) => f.ruleId);
    assert.equal(found.includes('age-secret-key'), false);
  });
});

describe('names that are paths', () => {
  it("a lock file's key paths and checksums are no secrets, for vendor rules either", () => {
    const scanner = new ScanEngine({ rules: builtinRules, allowRegexes: [], stopwords: [] }, {});
    const lock = [
      '    workspace/api_keys/add_api_key: 3c7633bae18a6e19af7a5af12f9bc3da',
      '    workspace/integrations/webhooks/discord_webhook_not_supported: 23432534f908b2ba63a517fb1f9bbe0e',
      '    auth/forgot-password/reset/new_password: c3e3b52ab14c0cbd2e30ffc4fa8d1db9',
    ].join('\n');
    assert.deepEqual(scanner.scanBytes(Buffer.from(lock), { path: 'i18n.lock' }), []);
    // The same values under names of their own are reported; so is a query string's name after a path.
    const named =
      'DD_API_KEY=3c7633bae18a6e19af7a5af12f9bc3da\nhttps://h.invalid/cb/?token=Zq8rT5vW2yX9bN4mKp3sL7dF9gH2jQ6w\n';
    const found = scanner.scanBytes(Buffer.from(named), { path: 'x' }).map((f) => f.ruleId);
    assert.deepEqual(found.sort(), ['datadog-api-key', 'generic-secret-assignment']);
  });
});
