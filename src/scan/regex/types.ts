// One interface over two linear-time RE2 implementations: the native addon (fast) and re2js (portable).
// Offsets are byte offsets into the Buffer the pattern ran on, so findings map back to files without decoding them.

export interface MatchSpan {
  start: number;
  end: number;
  /** Byte range of each capture group (index 1..n); undefined when the group did not participate. */
  groups: Array<readonly [number, number] | undefined>;
}

export interface Pattern {
  readonly source: string;
  /** Every non-overlapping match, in order. */
  matchAll(input: Buffer): MatchSpan[];
}

export interface PatternSet {
  /** Indexes of the patterns that match anywhere in the input. */
  match(input: Buffer): number[];
}

export interface CompileOptions {
  caseInsensitive?: boolean;
}

export interface RegexEngine {
  /** `re2` (native addon) or `re2js` (portable, much slower). */
  readonly name: 're2' | 're2js';
  compile(source: string, options?: CompileOptions): Pattern;
  compileSet(sources: string[], options?: CompileOptions): PatternSet;
}
