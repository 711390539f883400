// Picks the regex engine once per process: native RE2 when its addon loads, else re2js with one clear warning.
// JIT_GPG_REGEX_ENGINE=re2js forces the portable engine (tests cover both).
//
// re2js is a third of the scanner's code, so it is loaded only when this process needs it: every entry point
// (scan(), the scan job, a worker) awaits prepareRegexEngine() first, and loadRegexEngine() stays synchronous.
import { loadNativeRE2, type NativeRE2Ctor, nativeEngine } from './native.ts';
import type { RegexEngine } from './types.ts';

export type {
  CollectorTables,
  CompileOptions,
  MatchSpan,
  NativeCollector,
  Pattern,
  PatternSet,
  RegexEngine,
} from './types.ts';

let cached: RegexEngine | undefined;
let native: { ctor: NativeRE2Ctor; from: string } | { error: string } | undefined;
let portable: (() => RegexEngine) | undefined;

function wantsPortable(): boolean {
  if (process.env.JIT_GPG_REGEX_ENGINE === 're2js') return true;
  native ??= loadNativeRE2();
  return !('ctor' in native);
}

/** Loads the portable engine's code when this process will use it; a no-op where native RE2 loads. */
export async function prepareRegexEngine(): Promise<void> {
  if (!cached && !portable && wantsPortable()) portable = (await import('./portable.ts')).portableEngine;
}

export function loadRegexEngine(onWarning: (message: string) => void = () => {}): RegexEngine {
  if (cached) return cached;
  // wantsPortable() loads the addon; the rest narrows the type.
  if (!wantsPortable() && native && 'ctor' in native) {
    cached = nativeEngine(native.ctor);
    return cached;
  }
  if (!portable) throw new Error('internal: the portable regex engine was not loaded (await prepareRegexEngine())');
  if (native && 'error' in native) {
    onWarning(
      `native RE2 is not available on ${process.platform}-${process.arch} node ${process.versions.node} ` +
        `(${native.error}); using the portable re2js engine: same results, slower scans`,
    );
  }
  cached = portable();
  return cached;
}

/** For tests: forget the cached choice (the next entry point prepares again). */
export function resetRegexEngine(): void {
  cached = undefined;
  native = undefined;
  portable = undefined;
}
