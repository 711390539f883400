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
  /** Every match, in order, each looked for from where the previous one's capture groups end (see resumeAt). */
  matchAll(input: Buffer): MatchSpan[];
}

/**
 * Where the search for the next match starts: after the previous match's last capture group, not after its trailing
 * context. A pattern that ends on a delimiter (`(?:[^A-Za-z0-9]|$)`, a query string's `&`) consumes the character
 * the next secret's own leading context needs: `tok_a,tok_b` and `token=a&secret=b` hold two. Past the whole match
 * when no group took part; one step on after an empty match.
 */
export function resumeAt(start: number, end: number, groups: MatchSpan['groups']): number {
  let last = -1;
  for (const g of groups) if (g && g[1] > last) last = g[1];
  if (last > start) return last;
  return end > start ? end : end + 1;
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
  /**
   * The engine's phases 1 and 2 on a native thread (the addon's Collector); absent where the engine has none
   * (re2js, an addon built without it). Its rules compile there, on first use, exactly as compile() compiles them.
   */
  createCollector?(tables: CollectorTables): NativeCollector;
}

/** What the native collector needs of the engine (see engine.ts, keywordWindows() and runRule()). */
export interface CollectorTables {
  /** Byte to keyword-automaton class; the automaton's table (next state * classes, negated when a keyword ends). */
  classOf: Int32Array;
  delta: Int32Array;
  classes: number;
  outIds: Int32Array;
  outStart: Int32Array;
  keywordLengths: Int32Array;
  ownerStart: Int32Array;
  keywordOwners: Int32Array;
  alwaysRules: Int32Array;
  /** Per rule: its pattern as compile() takes it, case-insensitive or not (1/0), its secret's capture group, and its
   * window past the keyword. */
  sources: string[];
  caseInsensitive: Int32Array;
  groups: Int32Array;
  windows: Int32Array;
  lead: number;
  margin: number;
  /** The decoder's shortest base64/hex run (decode.ts, findRuns); 0 without decoding. */
  need: number;
}

/**
 * The engine's collect() for batches of windows, on a thread of its own. Results per window, in order: the candidate
 * count, then (rule, matchStart, matchEnd, secretStart, secretEnd) each, then the run count, then (start, end, padded
 * end, negated when all hex) each; offsets relative to the window. A rule that does not compile fails the batch
 * (an Error: the engine then scans it, and meets the same error).
 */
export interface NativeCollector {
  /** Queues a batch (the bytes must stay unchanged until it is taken); returns its id. */
  submit(data: Uint8Array, windows: Int32Array): number;
  /** 0 queued, 1 running, 2 done, 3 failed. */
  state(id: number): number;
  /** Collects a queued batch on this thread now (its results); null when the collector's thread has it already. */
  steal(id: number): Int32Array | null;
  /** A batch's results once done (then forgotten); null while it is not, unless `wait`: then this thread waits. */
  take(id: number, wait?: boolean): Int32Array | null;
  /** The same results on this thread, for no batch. */
  collectSync(data: Uint8Array, windows: Int32Array): Int32Array;
}
