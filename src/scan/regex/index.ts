// Picks the regex engine once per process: native RE2 when its addon loads, else re2js with one clear warning.
// JIT_GPG_REGEX_ENGINE=re2js forces the portable engine (tests cover both).
import { loadNativeRE2, nativeEngine } from './native.ts';
import { portableEngine } from './portable.ts';
import type { RegexEngine } from './types.ts';

export type { CompileOptions, MatchSpan, Pattern, PatternSet, RegexEngine } from './types.ts';

let cached: RegexEngine | undefined;

export function loadRegexEngine(onWarning: (message: string) => void = () => {}): RegexEngine {
  if (cached) return cached;
  if (process.env.JIT_GPG_REGEX_ENGINE === 're2js') {
    cached = portableEngine();
    return cached;
  }
  const native = loadNativeRE2();
  if ('ctor' in native) {
    cached = nativeEngine(native.ctor);
  } else {
    onWarning(
      `native RE2 is not available on ${process.platform}-${process.arch} node ${process.versions.node} ` +
        `(${native.error}); using the portable re2js engine: same results, slower scans`,
    );
    cached = portableEngine();
  }
  return cached;
}

/** For tests: forget the cached choice. */
export function resetRegexEngine(): void {
  cached = undefined;
}
