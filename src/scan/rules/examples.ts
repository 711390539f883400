// Rule examples are built on first read of `tp` or `fp`, never when the catalogue loads or is copied to the workers;
// the bundles leave them out altogether (scripts/rule-examples.mjs): the shipped scanner pays nothing for its own
// test cases.
import type { RuleExamples } from '../types.ts';

/** Examples built by `make` on the first read of `tp` or `fp`, then kept. */
export function lazyExamples(make: () => RuleExamples): RuleExamples {
  let cached: RuleExamples | undefined;
  return {
    get tp() {
      cached ??= make();
      return cached.tp;
    },
    get fp() {
      cached ??= make();
      return cached.fp;
    },
  };
}
