// Every example of every built-in rule, through the whole engine (prefilter, windows, global filters, validators)
// with the default policy: each true positive yields a finding of its rule, each false positive none of it. Plus:
// every pattern compiles under RE2, ids are unique, and the keyword prefilter can never skip a true positive.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ScanEngine } from '../../src/scan/engine.ts';
import { scanBuffer } from '../../src/scan/index.ts';
import { defaultPolicy } from '../../src/scan/policy.ts';
import { loadNativeRE2, nativeEngine } from '../../src/scan/regex/native.ts';
import { portableEngine } from '../../src/scan/regex/portable.ts';
import type { RegexEngine } from '../../src/scan/regex/types.ts';
import { builtinRules } from '../../src/scan/rules/index.ts';
import type { Finding } from '../../src/scan/types.ts';
import { fx } from '../../src/scan/validate/structure.ts';

const native = loadNativeRE2();
const regexEngines: RegexEngine[] = [portableEngine()];
if ('ctor' in native) regexEngines.push(nativeEngine(native.ctor));
const policy = defaultPolicy();

describe('built-in catalogue', () => {
  it('has rules with unique ids, keywords in lowercase ASCII, and examples of both kinds', () => {
    const ids = builtinRules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`);
    for (const r of builtinRules) {
      assert.ok(r.keywords.length > 0, `${r.id}: no keywords (the prefilter would never run it)`);
      for (const k of r.keywords) assert.ok(/^[\x20-\x7e]+$/.test(k) && k === k.toLowerCase(), `${r.id}: keyword ${k}`);
      assert.ok(r.examples.tp.length > 0, `${r.id}: no true-positive example`);
    }
  });

  for (const regex of regexEngines) {
    it(`every pattern compiles under ${regex.name}`, () => {
      const problems: string[] = [];
      for (const r of builtinRules) {
        try {
          regex.compile(r.pattern, { caseInsensitive: r.caseInsensitive === true });
        } catch (e) {
          problems.push(`${r.id}: ${(e as Error).message}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  it('the prefilter cannot skip a true positive: each match contains one of its keywords', () => {
    const regex = regexEngines[regexEngines.length - 1]!;
    const problems: string[] = [];
    for (const r of builtinRules) {
      let p: ReturnType<RegexEngine['compile']>;
      try {
        p = regex.compile(r.pattern, { caseInsensitive: r.caseInsensitive === true });
      } catch {
        continue; // reported by the compile test
      }
      r.examples.tp.forEach((tp, i) => {
        const input = Buffer.from(tp);
        const spans = p.matchAll(input);
        if (spans.length === 0) problems.push(`${r.id} tp[${i}]: pattern does not match`);
        for (const s of spans) {
          const m = input.subarray(s.start, s.end).toString('latin1').toLowerCase();
          if (!r.keywords.some((k) => m.includes(k))) problems.push(`${r.id} tp[${i}]: match holds no keyword`);
        }
      });
    }
    assert.deepEqual(problems, []);
  });

  it('each true positive yields a finding of its rule, each false positive none (default policy)', () => {
    const problems: string[] = [];
    for (const r of builtinRules) {
      r.examples.tp.forEach((tp, i) => {
        const found = scanBuffer(Buffer.from(tp), 'example.txt', policy).filter((f) => f.ruleId === r.id);
        if (found.length === 0) problems.push(`${r.id} tp[${i}]: no finding`);
      });
      r.examples.fp.forEach((fp, i) => {
        const found = scanBuffer(Buffer.from(fp), 'example.txt', policy).filter((f) => f.ruleId === r.id);
        if (found.length > 0) problems.push(`${r.id} fp[${i}]: ${found.length} finding(s)`);
      });
    }
    assert.deepEqual(problems, []);
  });

  it('with decoding on, as the CLI and the actions scan: each true positive still found, no false positive found', () => {
    // Decoded text is scanned again: a percent-encoded `@` in a URL's password, decoded, once made a second, cut
    // password of a documented sample (mongodb-url's fp example) that the direct scan had dropped.
    const engine = new ScanEngine(policy, { decode: true });
    const problems: string[] = [];
    for (const r of builtinRules) {
      r.examples.tp.forEach((tp, i) => {
        const found = engine.scanBytes(Buffer.from(tp), { path: 'example.txt' }).filter((f) => f.ruleId === r.id);
        if (found.length === 0) problems.push(`${r.id} tp[${i}]: no finding`);
      });
      r.examples.fp.forEach((fp, i) => {
        const found = engine
          .scanBytes(Buffer.from(fp), { path: 'example.txt' })
          .filter((f) => f.ruleId === r.id || f.decoded !== undefined);
        if (found.length > 0) problems.push(`${r.id} fp[${i}]: ${found.map((f) => f.ruleId).join(', ')}`);
      });
    }
    assert.deepEqual(problems, []);
  });

  it('a token prefix by chance inside embedded base64 (a font in a data: URI) is no finding; the same token alone is', () => {
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    // Every prefixed rule's first true positive, its token glued between `/` and `+` in a long base64 run.
    let checked = 0;
    for (const r of builtinRules) {
      const tp = r.examples.tp[0];
      if (!tp) continue;
      const alone = scanBuffer(Buffer.from(tp), 'example.txt', policy).filter((f) => f.ruleId === r.id);
      const token = alone[0] && /^[A-Za-z0-9]{20,}$/.test(tokenOf(tp, alone[0])) ? tokenOf(tp, alone[0]) : undefined;
      if (!token) continue;
      const blob = `src: url("data:font/ttf;base64,${fx(`${r.id}-l`, 96, b64)}/${token}+${fx(`${r.id}-r`, 96, b64)}");`;
      const inside = scanBuffer(Buffer.from(blob), 'font.svg', policy).filter((f) => f.ruleId === r.id);
      assert.deepEqual(inside, [], `${r.id}: found inside base64`);
      checked++;
    }
    assert.ok(checked >= 20, `only ${checked} rules checked`);
  });

  it('loading the catalogue and copying it to the workers generates no key (examples are built on first read)', () => {
    const script = `
      import crypto from 'node:crypto';
      import { syncBuiltinESMExports } from 'node:module';
      let calls = 0;
      const generate = crypto.generateKeyPairSync;
      crypto.generateKeyPairSync = (...a) => (calls++, generate(...a));
      syncBuiltinESMExports();
      const { builtinRules } = await import(${JSON.stringify(new URL('../../src/scan/rules/index.ts', import.meta.url).href)});
      const { rulesToWire } = await import(${JSON.stringify(new URL('../../src/scan/pool.ts', import.meta.url).href)});
      rulesToWire(builtinRules);
      const before = calls;
      builtinRules.find((r) => r.id === 'ec-private-key').examples.tp;
      console.log(JSON.stringify({ before, after: calls }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    const { before, after } = JSON.parse(out.toString().trim().split('\n').at(-1)!);
    assert.equal(before, 0, 'keys generated while loading the catalogue');
    assert.ok(after > 0, 'the check can fail: reading the examples does generate');
  });
});

/** The text a finding covers in its (single-line) example. */
function tokenOf(example: string, f: Finding): string {
  const line = example.split('\n')[f.line - 1] ?? '';
  return [...line].slice(f.column - 1, f.endColumn - 1).join('');
}
