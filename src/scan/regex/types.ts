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
}
