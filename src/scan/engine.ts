// The scanning engine: bytes in, findings out. Files are never turned into JS strings; only secrets and (rarely)
// a matched span are decoded.
//
// Phase 1: one keyword Aho-Corasick pass over the window's bytes (prefilter.ts), or optionally RE2.Set of all rules.
// Phase 2: each keyword hit schedules only the rules owning that keyword, on the hit's line (clipped to `lead`
//   bytes before the hit and `margin` after it on very long lines; multi-line rules extend `rule.window` bytes past
//   the hit to the end of that line); overlapping windows of a rule merge, so a long line with many hits is scanned
//   once per rule.
// Phase 3: the secret (capture group) goes through entropy, placeholder/reference/repetition/integrity filters,
//   stopwords, allow regexes, inline allow comments and the rule's validator; survivors become findings carrying
//   only a fingerprint and a 4-character preview.
// Phase 4: overlap resolution over the window's findings (resolveOverlaps): one secret, one finding. A fallback
//   rule's finding (the generic ones) gives way to any other rule's finding whose secret overlaps it; among the
//   other rules' overlapping findings one is kept: validated first, then the span that contains the other (the
//   more complete credential: the whole service-account JSON over the key inside it), then higher severity, then
//   catalogue order.
//
// Large inputs are scanned in windows of `chunkSize + overlap` bytes; a window owns the matches that start before
// its last `overlap` bytes (the next window starts there), so a secret straddling a chunk edge is found exactly
// once, and line numbers carry over by counting newlines. Overlaps are resolved over the whole window (including
// the matches the next window owns), and the findings kept that reach into the next window go along with it as
// already decided, so a secret straddling the edge is resolved the same as anywhere else.
//
// Locations: `line`/`endLine` 1-based; `column` 1-based in Unicode code points; `endColumn` exclusive (SARIF), in
// code points; the span is the secret's.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, scanDecoded, shortestRun } from './decode.ts';
import {
  AllowRegexes,
  decodedForms,
  hasInlineAllow,
  hasStopword,
  isCodeNotSecret,
  isInsideBase64Run,
  isIntegrityHash,
  isDocumentedExample,
  isPlaceholder,
  isReference,
  isRepeated,
  isStandIn,
  shannonEntropy,
  valueLength,
} from './filters.ts';
import { fingerprint, preview } from './fingerprint.ts';
import type { ScanPolicy } from './policy.ts';
import { KeywordPrefilter } from './prefilter.ts';
import {
  loadRegexEngine,
  type NativeCollector,
  type Pattern,
  type PatternSet,
  type RegexEngine,
} from './regex/index.ts';
import { settleDetaching } from './release.ts';
import { builtinRules } from './rules/index.ts';
import type { Finding, Rule, Severity, Validity } from './types.ts';

/** Built-in rule id → pattern: these compile under both engines (test/scan/catalogue.test.ts), so lazily. */
const BUILTIN_PATTERNS = new Map(builtinRules.map((r) => [r.id, r.pattern]));

export type PrefilterMode = 'keywords' | 'set';

export interface EngineOptions {
  /** `keywords` (default): Aho-Corasick on rule keywords; `set`: RE2.Set of all rules (native RE2 only). */
  prefilter?: PrefilterMode;
  /** Bytes read per chunk of a large input (default 1 MiB). */
  chunkSize?: number;
  /** Bytes shared by consecutive chunks (default 64 KiB): the longest match that can straddle a chunk edge. */
  overlap?: number;
  /** Bytes after a keyword hit a single-line window may reach on very long lines (default 4 KiB); before it, `lead`. */
  margin?: number;
  /**
   * Bytes before a keyword hit a match may start on a very long line (default 1 KiB). A rule's keyword sits at its
   * match's start or near it (a token's prefix, a name before its value), where the end may be far after it (a
   * base64 blob): `margin` bounds that side. Every rule runs on the bytes between, so on minified code, where hits are
   * sparse, a shorter lead is less to match for each hit.
   */
  lead?: number;
  /**
   * Also decode base64/hex/percent-encoded segments of each window and scan them (decode.ts); findings carry
   * `decoded` and the encoded span's location. Default false here; scan() turns it on.
   */
  decode?: boolean | Partial<DecodeLimits>;
  /** Regex engine (default: loadRegexEngine()). */
  regex?: RegexEngine;
  onWarning?: (message: string) => void;
  /**
   * Report findings on lines with an inline allow marker, flagged `inlineAllowed`, instead of dropping them: for
   * lines a pull request adds, whose markers the pull request's author wrote.
   */
  reportInlineAllowed?: boolean;
}

export type EnginePolicy = Pick<ScanPolicy, 'rules' | 'allowRegexes' | 'stopwords' | 'retainSecrets'>;

/** Where an item's bytes came from, copied onto its findings. */
export interface ItemMeta {
  path: string;
  lineMap?: Uint32Array;
  commit?: string;
  author?: string;
  date?: string;
}

export interface EngineStats {
  files: number;
  bytes: number;
  skippedBinary: number;
  unreadable: number;
  /** Items the engine could not scan for another reason than I/O (a crash, a bug): the scan is incomplete. */
  failed: number;
  /** Archive-named files over the max file size that were not archives after all (item.ts). */
  skippedLarge: number;
  /** Archive warnings (a limit, encryption, corruption): each is something inside an archive not opened (item.ts). */
  skippedArchive: number;
  /** Listed as a file, a symlink where it was opened (item.ts): not followed, counted as the listing counts one. */
  skippedSymlinks: number;
}

export function emptyEngineStats(): EngineStats {
  return {
    files: 0,
    bytes: 0,
    skippedBinary: 0,
    unreadable: 0,
    failed: 0,
    skippedLarge: 0,
    skippedArchive: 0,
    skippedSymlinks: 0,
  };
}

const STAT_KEYS = Object.keys(emptyEngineStats()) as (keyof EngineStats)[];

/** Adds `from`'s counts to `into`: a batch's to the scan's, or the parts of a batch split between threads. */
export function addEngineStats(into: EngineStats, from: EngineStats): void {
  for (const k of STAT_KEYS) into[k] += from[k] ?? 0;
}

interface CompiledRule {
  rule: Rule;
  /** Compiled on first use for built-in patterns (known to compile: the catalogue test), eagerly for others. */
  pattern: Pattern | undefined;
  group: number;
  window: number;
  /** Position in the policy's rule list (catalogue order): the last tie-breaker between overlapping findings. */
  order: number;
}

interface Candidate {
  rule: CompiledRule;
  matchStart: number;
  matchEnd: number;
  secretStart: number;
  secretEnd: number;
}

interface Survivor extends Candidate {
  secret: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Overlap resolution

const SEVERITY_RANK: Record<Severity, number> = { critical: 3, high: 2, medium: 1, low: 0 };

/** What overlap resolution needs to know about a candidate finding: its secret's span and its rule's standing. */
export interface OverlapEntry {
  /** The secret's byte span [start, end) in the input. */
  start: number;
  end: number;
  /** From a fallback rule (Rule.fallback). */
  fallback: boolean;
  validated: boolean;
  severity: Severity;
  /** Catalogue order of the rule (lower first). */
  order: number;
}

/** Ranking of the greedy pass: validated, then severity, then catalogue order, then position (a total order). */
function rank(a: OverlapEntry, b: OverlapEntry): number {
  if (a.validated !== b.validated) return a.validated ? -1 : 1;
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  if (a.order !== b.order) return a.order - b.order;
  if (a.start !== b.start) return a.start - b.start;
  return b.end - a.end;
}

const byPosition = (a: OverlapEntry, b: OverlapEntry) => a.start - b.start || b.end - a.end;

/** Between findings of the very same bytes only the name differs: the higher severity, else the earlier rule. */
function sameSpanBest<T extends OverlapEntry>(sorted: T[], from: number, to: number): T {
  let best = sorted[from]!;
  for (let k = from + 1; k < to; k++) {
    const e = sorted[k]!;
    const s = SEVERITY_RANK[e.severity] - SEVERITY_RANK[best.severity];
    if (s > 0 || (s === 0 && e.order < best.order)) best = e;
  }
  return best;
}

/**
 * One finding per secret among `list` (all of one kind). Findings of identical spans are the same secret seen by
 * several rules: the most specific name is kept (sameSpanBest; a rule that proves only the container, such as a
 * parsed URL, does not outrank the rule that knows the token's own format). Then an entry strictly contained in
 * another's span is dropped, unless it is validated and its container is not; then, best first by `rank`, an entry
 * is kept when it overlaps none kept before it. O(n log n); the result is in position order.
 */
function pickOne<T extends OverlapEntry>(list: T[]): T[] {
  if (list.length < 2) return list;
  const sorted = list.slice().sort(byPosition);
  // Containment: every earlier entry in position order starts at or before this one; those of an earlier group of
  // identical spans, ending at or after this one's end, strictly contain it.
  const open: T[] = [];
  let maxEnd = -1;
  let maxEndValid = -1;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.start === sorted[i]!.start && sorted[j]!.end === sorted[i]!.end) j++;
    const e = j - i > 1 ? sameSpanBest(sorted, i, j) : sorted[i]!;
    if ((e.validated ? maxEndValid : maxEnd) < e.end) open.push(e);
    for (let k = i; k < j; k++) {
      const e = sorted[k]!;
      if (e.end > maxEnd) maxEnd = e.end;
      if (e.validated && e.end > maxEndValid) maxEndValid = e.end;
    }
    i = j;
  }
  // Greedy by rank; the kept entries never overlap, so a sorted array and a binary search answer "overlaps any".
  open.sort(rank);
  const kept: T[] = [];
  for (const e of open) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < e.start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && kept[lo - 1]!.end > e.start) continue;
    if (lo < kept.length && kept[lo]!.start < e.end) continue;
    kept.splice(lo, 0, e);
  }
  return kept;
}

/**
 * Overlap resolution over one input's candidate findings (after filters and validators): one finding per secret.
 * (a) A fallback entry is dropped when any non-fallback entry's span overlaps it. (b) Among overlapping
 * non-fallback entries one is kept: validated first, then the span that strictly contains the other (the more
 * complete credential), then higher severity, then catalogue order, then position. Fallback entries left over are
 * resolved among themselves the same way. Deterministic: the result does not depend on the input's order, and it
 * is returned in position order.
 */
export function resolveOverlaps<T extends OverlapEntry>(entries: T[]): T[] {
  if (entries.length < 2) return entries;
  const primary: T[] = [];
  const fallback: T[] = [];
  for (const e of entries) (e.fallback ? fallback : primary).push(e);
  const keptPrimary = pickOne(primary);
  if (fallback.length === 0) return keptPrimary; // pickOne returns position order
  if (primary.length === 0) return pickOne(fallback);
  // Any non-fallback entry counts, kept or not (a dropped one overlaps the one kept in its place).
  const starts = primary.slice().sort(byPosition);
  const prefixMaxEnd = new Float64Array(starts.length);
  let m = -1;
  starts.forEach((p, i) => {
    if (p.end > m) m = p.end;
    prefixMaxEnd[i] = m;
  });
  const free = fallback.filter((f) => {
    // The non-fallback entries starting before f ends: does any of them end after f starts?
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.start < f.end) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 || prefixMaxEnd[lo - 1]! <= f.start;
  });
  return [...keptPrimary, ...pickOne(free)].sort(byPosition);
}

const SNIFF_BYTES = 8192;

/** Binary content (a NUL in the first SNIFF_BYTES): the engine counts it and scans nothing in it. */
export function looksBinary(data: Uint8Array): boolean {
  return data.subarray(0, SNIFF_BYTES).indexOf(0) >= 0;
}

/** Binary items (NUL in the first 8 KiB) count as skipped, not as scanned files or bytes. */
function countItem(stats: EngineStats, binary: boolean, bytes: number): void {
  if (binary) stats.skippedBinary++;
  else {
    stats.files++;
    stats.bytes += bytes;
  }
}

/** Counts UTF-8 code points in view[from, to): bytes that are not continuation bytes. */
function codePoints(view: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((view[i]! & 0xc0) !== 0x80) n++;
  return n;
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if ((a.commit ?? '') !== (b.commit ?? '')) return (a.commit ?? '') < (b.commit ?? '') ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

/** Deterministic order: path, (commit), line, column, rule id, fingerprint. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}

/**
 * Text that takes a scan through its usual branches (a keyword, base64, hex and percent-encoded text, several lines)
 * without a finding: warmUp() runs it once.
 */
const WARM_UP_SAMPLE = Buffer.from(
  [
    'const password = process.env.PASSWORD;',
    `const greeting = '${Buffer.from('hello there, some text to decode').toString('base64')}';`,
    `const colour = '${Buffer.from('hello there, hex text').toString('hex')}';`,
    "const url = 'https://example.com/search?q=hello%20there%2Fsome%20text';",
  ].join('\n'),
);

/** Bytes the engine skips as binary (a NUL): warmUp() takes that branch too. */
const BINARY_SAMPLE = Buffer.from([0x50, 0x4b, 0, 0]);

export class ScanEngine {
  readonly name: string;
  readonly regex: RegexEngine;
  readonly prefilterMode: PrefilterMode;
  readonly chunkSize: number;
  readonly overlap: number;
  readonly margin: number;
  readonly lead: number;
  readonly decode: Partial<DecodeLimits> | undefined;
  private readonly rules: CompiledRule[];
  private readonly prefilter: KeywordPrefilter;
  private readonly keywordLengths: Int32Array;
  /** The rules owning each keyword: `keywordOwners[ownerStart[k] .. ownerStart[k + 1])`, in rule order. */
  private readonly ownerStart: Int32Array;
  private readonly keywordOwners: Int32Array;
  /** Rules without keywords: run over every window. */
  private readonly alwaysRules: number[];
  private readonly set: PatternSet | undefined;
  private readonly allow: AllowRegexes;
  /** EngineOptions.reportInlineAllowed (read by ItemScan). */
  readonly reportInlineAllowed: boolean;
  private readonly stopwords: string[];
  private readonly work: Buffer;
  // Per-window scratch: each rule's pending window, and the rules that have one.
  private readonly wStart: Int32Array;
  private readonly wEnd: Int32Array;
  /** The rules with a pending window (each at most once: a rule's pending window is its wStart/wEnd). */
  private readonly touched: Int32Array;
  /** The windows to run, as (rule, from, to) triples (keywordWindows). */
  private runs: Int32Array = new Int32Array(3 * 4096);
  private cands: Candidate[] = [];
  /** Rule ids whose validated secrets are retained for revocation, and those secrets by fingerprint. */
  private readonly retain: Set<string>;
  private retained = new Map<string, string>();

  constructor(policy: EnginePolicy, options: EngineOptions = {}) {
    this.retain = new Set(policy.retainSecrets ?? []);
    const warn = options.onWarning ?? (() => {});
    this.reportInlineAllowed = options.reportInlineAllowed === true;
    this.regex = options.regex ?? loadRegexEngine(warn);
    settleDetaching(); // before this thread's scanning code is hot (release.ts)
    this.chunkSize = options.chunkSize ?? 1024 * 1024;
    this.overlap = options.overlap ?? 64 * 1024;
    this.margin = options.margin ?? 4096;
    this.lead = options.lead ?? Math.min(1024, this.margin);
    this.decode = options.decode ? (options.decode === true ? {} : options.decode) : undefined;
    if (this.overlap >= this.chunkSize) throw new Error('engine: overlap must be smaller than chunkSize');
    this.rules = [];
    for (const rule of policy.rules) {
      try {
        // Start-up: a one-file scan compiles only the rules its keywords call for.
        const pattern = BUILTIN_PATTERNS.get(rule.id) === rule.pattern ? undefined : this.compileRule(rule);
        this.rules.push({
          rule,
          pattern,
          group: rule.secretGroup ?? 1,
          window: Math.max(0, rule.window ?? 0),
          order: this.rules.length,
        });
      } catch (e) {
        warn(`rule ${rule.id}: pattern does not compile under RE2 (${(e as Error).message}); rule skipped`);
      }
    }
    // Keyword table: each distinct keyword once, with the rules that own it (flat: one array for every keyword's
    // owners, `keywordOwners[ownerStart[k] .. ownerStart[k + 1])`; this runs before the JIT has warmed up).
    const kwIndex = new Map<string, number>();
    const owned: number[] = []; // pairs: keyword id, rule
    this.alwaysRules = [];
    for (let r = 0; r < this.rules.length; r++) {
      const kws = this.rules[r]!.rule.keywords;
      let any = false;
      for (let i = 0; i < kws.length; i++) {
        const k = kws[i]!.toLowerCase();
        if (k.length === 0) continue;
        any = true;
        let seen = false; // the same keyword twice in one rule (case aside) owns it once
        for (let j = 0; j < i && !seen; j++) seen = kws[j]!.toLowerCase() === k;
        if (seen) continue;
        let id = kwIndex.get(k);
        if (id === undefined) {
          id = kwIndex.size;
          kwIndex.set(k, id);
        }
        owned.push(id, r);
      }
      if (!any) this.alwaysRules.push(r);
    }
    this.prefilter = new KeywordPrefilter([...kwIndex.keys()]);
    this.keywordLengths = this.prefilter.keywordLengths;
    const ownerStart = new Int32Array(kwIndex.size + 1);
    for (let i = 0; i < owned.length; i += 2) ownerStart[owned[i]! + 1]!++;
    for (let k = 0; k < kwIndex.size; k++) ownerStart[k + 1]! += ownerStart[k]!;
    const keywordOwners = new Int32Array(owned.length / 2);
    const fill = ownerStart.slice(0, kwIndex.size);
    for (let i = 0; i < owned.length; i += 2) keywordOwners[fill[owned[i]!]!++] = owned[i + 1]!;
    this.ownerStart = ownerStart;
    this.keywordOwners = keywordOwners;
    let mode = options.prefilter ?? 'keywords';
    if (mode === 'set' && this.rules.length > 0) {
      try {
        this.set = this.regex.compileSet(
          this.rules.map((cr) => (cr.rule.caseInsensitive ? `(?i)${cr.rule.pattern}` : cr.rule.pattern)),
        );
      } catch (e) {
        warn(`RE2.Set of all rules failed (${(e as Error).message}); using the keyword prefilter`);
        mode = 'keywords';
      }
    }
    this.prefilterMode = mode;
    this.allow = new AllowRegexes(policy.allowRegexes, this.regex);
    this.stopwords = policy.stopwords.map((s) => s.toLowerCase()).filter((s) => s.length > 0);
    this.name = `${this.regex.name}+${mode}`;
    this.work = Buffer.allocUnsafe(this.chunkSize + this.overlap);
    this.wStart = new Int32Array(this.rules.length);
    this.wEnd = new Int32Array(this.rules.length).fill(-1);
    this.touched = new Int32Array(this.rules.length);
  }

  private compileRule(rule: Rule): Pattern {
    return this.regex.compile(rule.pattern, { caseInsensitive: rule.caseInsensitive === true });
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  /** Keeps a validated secret of a retained rule (revocation only); a no-op for every other rule. */
  retainSecret(ruleId: string, fingerprint: string, secret: string): void {
    if (this.retain.has(ruleId)) this.retained.set(fingerprint, secret);
  }

  /**
   * For a thread that will scan a lot (a pool worker): the keyword pass in WebAssembly from the first byte (the JS
   * loop would only run the first MiB), and the scanning code run on a small sample, so V8 compiles the hot loops
   * knowing their branches. Compiled on partial knowledge, a loop is thrown away at the first branch it had not seen
   * and compiled again, mid-scan and in every worker: the compiler threads then take CPU from the scanning threads.
   */
  warmUp(): void {
    void this.prefilter.usesWasm;
    // Room for a MiB window's keyword hits now: growing it mid-scan would change a field V8 compiled as constant.
    this.prefilter.growHits(64 * 1024);
    // V8 gives a function its feedback (what the compiler learns from) only after its 8th call: a loop over a MiB
    // window in one of the first calls was compiled blind and thrown away again and again (measured: decode's loop
    // compiled 23-30 times per scan with one pass here, 4-5 with ten).
    for (let i = 0; i < 10; i++) {
      this.scanBytes(WARM_UP_SAMPLE, { path: '' }, emptyEngineStats());
      this.scanBytes(BINARY_SAMPLE, { path: '' }, emptyEngineStats());
    }
  }

  /** The secrets retained since the last call, by fingerprint (then forgotten here). */
  takeRetained(): [string, string][] {
    if (this.retained.size === 0) return [];
    const out = [...this.retained];
    this.retained = new Map();
    return out;
  }

  /** A rule's standing for overlap resolution, by id (findings of decoded text carry only the id). */
  ruleRank(id: string): { fallback: boolean; order: number } {
    if (!this.rankById) {
      this.rankById = new Map();
      for (const cr of this.rules)
        this.rankById.set(cr.rule.id, { fallback: cr.rule.fallback === true, order: cr.order });
    }
    return this.rankById.get(id) ?? { fallback: false, order: this.rules.length };
  }
  private rankById: Map<string, { fallback: boolean; order: number }> | undefined;

  /** Scans bytes held in memory (large ones window by window: windowsOf()). */
  scanBytes(input: Buffer, meta: ItemMeta, stats: EngineStats = emptyEngineStats(), decode = true): Finding[] {
    const data = utf16ToUtf8(input) ?? input;
    const item = new ItemScan(this, meta, decode);
    const windows = this.windowsOf(data.length);
    for (let w = 0; w < windows.length; w += 2) {
      item.window(data.subarray(windows[w]!, windows[w + 1]!), w + 2 === windows.length);
      if (item.binary) break;
    }
    countItem(stats, item.binary, data.length);
    return item.findings;
  }

  /**
   * The windows scanBytes() scans `length` bytes in, as (start, end) pairs: `chunkSize + overlap` bytes each, the
   * next starting `chunkSize` on; one window (empty for no bytes) when they fit in one.
   */
  windowsOf(length: number): number[] {
    const cap = this.chunkSize + this.overlap;
    if (length <= cap) return [0, length];
    const out: number[] = [];
    for (let off = 0; ; off += this.chunkSize) {
      out.push(off, Math.min(length, off + cap));
      if (off + cap >= length) return out;
    }
  }

  /**
   * The collector of this engine's phases 1 and 2 on a native thread (regex/types.ts, NativeCollector), made once;
   * undefined when the regex engine has none (or a keyword set: the RE2.Set prefilter is this engine's alone).
   */
  nativeCollector(): NativeCollector | undefined {
    if (this.collector !== undefined) return this.collector ?? undefined;
    this.collector = null;
    if (!this.regex.createCollector || this.set) return undefined;
    const pf = this.prefilter;
    const limits = this.decode ? { ...DEFAULT_DECODE_LIMITS, ...this.decode } : undefined;
    this.collector = this.regex.createCollector({
      classOf: Int32Array.from(pf.classOf),
      delta: pf.delta,
      classes: pf.classes,
      outIds: pf.outIds,
      outStart: pf.outStart,
      keywordLengths: this.keywordLengths,
      ownerStart: this.ownerStart,
      keywordOwners: this.keywordOwners,
      alwaysRules: Int32Array.from(this.alwaysRules),
      sources: this.rules.map((cr) => cr.rule.pattern),
      caseInsensitive: Int32Array.from(this.rules, (cr) => (cr.rule.caseInsensitive === true ? 1 : 0)),
      groups: Int32Array.from(this.rules, (cr) => cr.group),
      windows: Int32Array.from(this.rules, (cr) => cr.window),
      lead: this.lead,
      margin: this.margin,
      need: limits ? shortestRun(limits) : 0,
    });
    return this.collector;
  }
  private collector: NativeCollector | null | undefined;

  /**
   * scanBytes() on bytes whose phases 1 and 2 the native collector ran already: `results` from `at` holds what it
   * found in each of windowsOf(data.length), in order (NativeCollector). `data` is UTF-8 already (utf16ToUtf8()) and
   * not binary (looksBinary()).
   */
  scanCollected(data: Buffer, meta: ItemMeta, stats: EngineStats, results: Int32Array, at: number): Finding[] {
    const item = new ItemScan(this, meta, true);
    const windows = this.windowsOf(data.length);
    for (let w = 0; w < windows.length; w += 2) {
      const count = results[at++]!;
      const cands: Candidate[] = [];
      for (let k = 0; k < count; k++, at += 5) {
        cands.push({
          rule: this.rules[results[at]!]!,
          matchStart: results[at + 1]!,
          matchEnd: results[at + 2]!,
          secretStart: results[at + 3]!,
          secretEnd: results[at + 4]!,
        });
      }
      const runs = results.subarray(at + 1, at + 1 + 3 * results[at]!);
      at += 1 + runs.length;
      item.window(data.subarray(windows[w]!, windows[w + 1]!), w + 2 === windows.length, { cands, runs });
    }
    countItem(stats, item.binary, data.length);
    return item.findings;
  }

  /** Reads and scans a file chunk by chunk into one reused buffer. Throws when the file cannot be opened or read. */
  scanFile(absPath: string | Uint8Array, meta: ItemMeta, stats: EngineStats = emptyEngineStats()): Finding[] {
    // A worker receives a byte path (a name that is not UTF-8) as a plain Uint8Array.
    const fd = openSync(typeof absPath === 'string' ? absPath : Buffer.from(absPath), 'r');
    try {
      return this.scanFd(fd, meta, stats);
    } finally {
      closeSync(fd);
    }
  }

  /** scanFile() on a file the caller opened (and closes), read from its start. Throws what reading throws. */
  scanFd(fd: number, meta: ItemMeta, stats: EngineStats = emptyEngineStats()): Finding[] {
    const buf = this.work;
    const cap = buf.length;
    const item = new ItemScan(this, meta);
    let carry = 0;
    let total = 0;
    for (;;) {
      let filled = carry;
      while (filled < cap) {
        const want = cap - filled;
        const n = readSync(fd, buf, filled, want, null);
        filled += n;
        if (n < want) break; // a short read of a regular file is its end: spares one read() per file
      }
      // UTF-16 text (a BOM, seen in the first window: no read of its own) is read whole and scanned as UTF-8;
      // callers bound file sizes by the policy.
      if (total === 0 && hasUtf16Bom(buf.subarray(0, filled))) {
        return this.scanBytes(Buffer.concat([buf.subarray(0, filled), readFileSync(fd)]), meta, stats);
      }
      total += filled - carry;
      if (filled < cap) {
        // The last window: (the overlap already seen, when carry > 0) plus what was left.
        if (filled > 0 || total === 0) item.window(buf.subarray(0, filled), true);
        break;
      }
      item.window(buf, false);
      if (item.binary) break;
      buf.copyWithin(0, cap - this.overlap, cap);
      carry = this.overlap;
    }
    countItem(stats, item.binary, total);
    return item.findings;
  }

  /** A push-style scan for streams (stdin): write chunks, then end() for the findings. */
  openStream(
    meta: ItemMeta,
    stats: EngineStats = emptyEngineStats(),
  ): { write(chunk: Buffer): void; end(): Finding[] } {
    const item = new ItemScan(this, meta);
    const cap = this.chunkSize + this.overlap;
    const buf = Buffer.allocUnsafe(cap);
    let filled = 0;
    let total = 0;
    return {
      write: (chunk: Buffer) => {
        total += chunk.length;
        let off = 0;
        while (off < chunk.length && !item.binary) {
          const n = Math.min(cap - filled, chunk.length - off);
          chunk.copy(buf, filled, off, off + n);
          filled += n;
          off += n;
          if (filled === cap) {
            item.window(buf, false);
            buf.copyWithin(0, cap - this.overlap, cap);
            filled = this.overlap;
          }
        }
      },
      end: () => {
        if (!item.binary) item.window(buf.subarray(0, filled), true);
        countItem(stats, item.binary, total);
        return item.findings;
      },
    };
  }

  /** Phases 1 and 2 over view: candidate matches (offsets relative to view). */
  collect(view: Buffer): Candidate[] {
    this.cands = [];
    const len = view.length;
    if (this.set) {
      for (const r of this.set.match(view)) this.runRule(view, r, 0, len);
    } else {
      this.keywordPass(view);
      for (const r of this.alwaysRules) this.runRule(view, r, 0, len);
    }
    return this.cands;
  }

  private keywordPass(view: Buffer): void {
    const n = this.keywordWindows(view);
    const runs = this.runs;
    for (let i = 0; i < 3 * n; i += 3) this.runRule(view, runs[i]!, runs[i + 1]!, runs[i + 2]!);
  }

  /**
   * The windows the keyword hits in `view` call for, merged rule by rule, into `runs` as (rule, from, to) in the order
   * they run; returns how many. Apart from keywordPass so it calls nothing: V8 compiles each of the two loops on its
   * own, where the one loop that also ran the rules (inlining runRule and the engine's matchAll) cost 15-40 ms of
   * TurboFan per compile, in every scanning thread.
   */
  private keywordWindows(view: Buffer): number {
    const len = view.length;
    const pf = this.prefilter;
    const count = pf.findHits(view);
    const hits = pf.hits;
    const { outIds, outStart } = pf;
    const kwLen = this.keywordLengths;
    const ownerStart = this.ownerStart;
    const keywordOwners = this.keywordOwners;
    const rules = this.rules;
    const wStart = this.wStart;
    const wEnd = this.wEnd;
    const margin = this.margin;
    const lead = this.lead;
    const touched = this.touched;
    let runs = this.runs;
    let n = 0;
    let nTouched = 0;
    let lineStart = 1;
    let lineEnd = 0;
    for (let h = 0; h < count; h++) {
      const he = hits[2 * h]!;
      const state = hits[2 * h + 1]!;
      for (let k = outStart[state]!; k < outStart[state + 1]!; k++) {
        const kw = outIds[k]!;
        const hs = he - kwLen[kw]!;
        if (hs < lineStart || hs >= lineEnd) {
          lineStart = hs === 0 ? 0 : view.lastIndexOf(10, hs - 1) + 1;
          const nl = view.indexOf(10, he);
          lineEnd = nl < 0 ? len : nl;
        }
        for (let j = ownerStart[kw]!; j < ownerStart[kw + 1]!; j++) {
          const r = keywordOwners[j]!;
          const extra = rules[r]!.window;
          let ws = hs - lead;
          if (ws < lineStart) ws = lineStart;
          // On a character's first byte (a long line, or a window that starts inside a character): a regex engine
          // that decodes the bytes it is given (re2js) reads a character cut in two as U+FFFD, three bytes long, and
          // every offset after it would move.
          while ((view[ws]! & 0xc0) === 0x80 && ws < hs) ws++;
          let we: number;
          if (extra === 0) {
            we = he + margin;
            if (we > lineEnd) we = lineEnd;
          } else {
            const p = he + extra;
            if (p >= len) we = len;
            else if (p <= lineEnd) {
              // A long line (minified code, a JSON document on one line): as far as a one-line rule reaches, or the
              // rule's own reach if it is longer. Not to the line's end: that was every byte of a megabyte line, for
              // each rule with a window, at each keyword on it.
              we = he + (extra > margin ? extra : margin);
              if (we > lineEnd) we = lineEnd;
            } else {
              const nl = view.indexOf(10, p);
              we = nl < 0 ? len : nl;
            }
          }
          const pend = wEnd[r]!;
          if (pend >= 0 && ws <= pend) {
            if (we > pend) wEnd[r] = we;
            if (ws < wStart[r]!) wStart[r] = ws;
          } else {
            if (pend >= 0) {
              if (3 * n + 3 > runs.length) runs = this.growRuns();
              runs[3 * n] = r;
              runs[3 * n + 1] = wStart[r]!;
              runs[3 * n + 2] = pend;
              n++;
            } else touched[nTouched++] = r;
            wStart[r] = ws;
            wEnd[r] = we;
          }
        }
      }
    }
    for (let t = 0; t < nTouched; t++) {
      const r = touched[t]!;
      if (3 * n + 3 > runs.length) runs = this.growRuns();
      runs[3 * n] = r;
      runs[3 * n + 1] = wStart[r]!;
      runs[3 * n + 2] = wEnd[r]!;
      n++;
      wEnd[r] = -1;
    }
    return n;
  }

  /** Twice the room in `runs`, keeping what is there. */
  private growRuns(): Int32Array {
    const next = new Int32Array(this.runs.length * 2);
    next.set(this.runs);
    this.runs = next;
    return next;
  }

  private runRule(view: Buffer, r: number, from: number, to: number): void {
    const cr = this.rules[r]!;
    cr.pattern ??= this.compileRule(cr.rule);
    const spans = cr.pattern.matchAll(from === 0 && to === view.length ? view : view.subarray(from, to));
    for (const m of spans) {
      if (m.end === m.start) continue;
      const g = m.groups[cr.group];
      // The secret is the capture group; a pattern without groups gives the whole match; a group that did not
      // take part in this match means there is no secret here.
      if (!g && m.groups.length > 1) continue;
      const ss = g ? g[0] : m.start;
      const se = g ? g[1] : m.end;
      if (se <= ss) continue;
      this.cands.push({
        rule: cr,
        matchStart: from + m.start,
        matchEnd: from + m.end,
        secretStart: from + ss,
        secretEnd: from + se,
      });
    }
  }

  /** Phase 3, the filters that need only the secret. */
  keepSecret(cr: CompiledRule, secret: string, view: Buffer, secretStart: number, secretEnd: number): boolean {
    const rule = cr.rule;
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
    if (!(rule.structured && rule.validate)) {
      if (isPlaceholder(secret) || isReference(secret) || isRepeated(secret)) return false;
      // Regular-expression syntax (`(\w+)+`) or a dereference (`*ptr`) where a generic rule expected a value; a rule of
      // its own knows its format, whose alphabet may hold `)+` (Django's keys do).
      if (rule.fallback && isCodeNotSecret(secret)) return false;
      // The same checks on what the value decodes to: `MTIzNAo=` is `1234`, `c2VjcmV0` is `secret`.
      for (const text of decodedForms(secret)) if (isStandIn(text)) return false;
    }
    if (isIntegrityHash(view, secretStart, secret)) return false;
    if (isInsideBase64Run(view, secretStart, secretEnd)) return false;
    if (hasStopword(secret, this.stopwords)) return false;
    if (isDocumentedExample(secret)) return false;
    if (this.allow.matches(secret)) return false;
    return true;
  }
}

/** A located, validated candidate of one window, waiting for overlap resolution. Offsets are the item's. */
interface Pending extends OverlapEntry {
  /** Starts before the window's accept limit (this window reports it), or already reported by the previous one. */
  owned: boolean;
  decided: boolean;
  finding: Finding | undefined;
  /** 1-based line in the scanned data (before any lineMap). */
  dataLine: number;
}

/**
 * UTF-16 text with a byte order mark (FF FE little-endian, FE FF big-endian), as UTF-8 without the BOM: its NULs would
 * otherwise make it look binary. Lines and columns (code points) are unchanged. Undefined for anything else.
 */
export function utf16ToUtf8(data: Buffer): Buffer | undefined {
  if (!hasUtf16Bom(data)) return undefined;
  const be = data[0] === 0xfe;
  const body = Buffer.from(data.subarray(2, 2 + ((data.length - 2) & ~1)));
  if (be) body.swap16();
  return Buffer.from(body.toString('utf16le'), 'utf8');
}

/** Whether `data` starts with a UTF-16 byte order mark (little or big endian). */
function hasUtf16Bom(data: Buffer): boolean {
  return data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff));
}

/** One item's scan state across its windows. */
class ItemScan {
  readonly findings: Finding[] = [];
  binary = false;
  private readonly seen = new Set<string>();
  private started = false;
  /** Byte offset of the current window in the item. */
  private offset = 0;
  /** Data line (before the lineMap) of each direct finding, for the comparison with decoded ones. */
  private readonly dataLines = new WeakMap<Finding, number>();
  /** Findings kept by the previous window whose secret reaches into this one: they win every overlap here. */
  private decided: Pending[] = [];
  /** Newlines before the current window. */
  private baseLine = 0;
  /** Code points of the current line that precede the current window. */
  private colCarry = 0;

  private readonly engine: ScanEngine;
  private readonly meta: ItemMeta;
  private readonly decode: boolean;

  constructor(engine: ScanEngine, meta: ItemMeta, decode = true) {
    this.engine = engine;
    this.meta = meta;
    this.decode = decode && engine.decode !== undefined;
  }

  /** One window of the item; `collected`: its phases 1 and 2 (and the decoder's runs), run natively already. */
  window(view: Buffer, final: boolean, collected?: { cands: Candidate[]; runs: Int32Array }): void {
    if (!this.started) {
      this.started = true;
      if (looksBinary(view)) {
        this.binary = true;
        return;
      }
    }
    const engine = this.engine;
    const acceptLimit = final ? view.length : view.length - engine.overlap;
    const cands = collected ? collected.cands : engine.collect(view);
    const survivors: Survivor[] = [];
    // Matches the next window owns are judged here too (not reported): overlaps across the edge resolve alike.
    for (const c of cands) {
      let secret = view.toString('utf8', c.secretStart, c.secretEnd);
      // A one-token value ends where a string literal's escape sequence or trailing code starts (a PEM or JSON
      // secret keeps its escapes: they are part of its encoding).
      if (!/\s|-----|^\{\\*"/.test(secret)) {
        const len = valueLength(secret);
        if (len < secret.length) {
          c.secretEnd = c.secretStart + Buffer.byteLength(secret.slice(0, len));
          secret = secret.slice(0, len);
          if (c.secretEnd <= c.secretStart) continue;
        }
      }
      if (engine.keepSecret(c.rule, secret, view, c.secretStart, c.secretEnd)) survivors.push({ ...c, secret });
    }
    const decided = this.decided;
    this.decided = [];
    const direct = this.findings.length;
    if (survivors.length > 0 || decided.length > 0) this.resolve(view, survivors, acceptLimit, decided);
    if (this.decode) this.scanDecoded(view, direct, collected?.runs);
    if (!final) this.advance(view, acceptLimit);
  }

  /** Phase 4: locate and validate the window's survivors, resolve overlaps, report the window's own. */
  private resolve(view: Buffer, survivors: Survivor[], acceptLimit: number, decided: Pending[]): void {
    let pending = survivors.length > 0 ? this.locate(view, survivors, acceptLimit) : [];
    if (decided.length > 0) {
      // What the previous window reported stands: whatever overlaps it here is its duplicate.
      pending = pending.filter((p) => !decided.some((d) => p.start < d.end && d.start < p.end));
      pending.push(...decided);
    }
    const kept = resolveOverlaps(pending);
    const edge = this.offset + acceptLimit;
    for (const p of kept) {
      if (p.owned && !p.decided && p.finding) {
        // The same secret twice on a line is two places (grouped later into one finding with its locations).
        const key = `${p.finding.fingerprint}:${p.finding.line}:${p.finding.column}`;
        if (!this.seen.has(key)) {
          this.seen.add(key);
          this.seen.add(`${p.finding.fingerprint}:${p.finding.line}`);
          this.findings.push(p.finding);
          this.dataLines.set(p.finding, p.dataLine);
        }
      }
      if (p.owned && p.end > edge) this.decided.push({ ...p, decided: true, finding: undefined });
    }
  }

  /** Encoded segments of the window, decoded and scanned (without decoding again: decode.ts handles depth). */
  private scanDecoded(view: Buffer, direct: number, runs: Int32Array | undefined): void {
    const engine = this.engine;
    const scratch = emptyEngineStats();
    const found = scanDecoded(
      view,
      this.meta.path,
      undefined,
      (data, path) => engine.scanBytes(data, { path }, scratch, false),
      runs ? { limits: engine.decode!, runs } : { limits: engine.decode! },
    );
    const map = this.meta.lineMap;
    for (const f of this.resolveDecoded(found, direct)) {
      const dataLine = f.line + this.baseLine;
      const line = map ? (map[dataLine - 1] ?? dataLine) : dataLine;
      // A decoded secret the line already holds directly is that same place.
      const key = `${f.fingerprint}:${line}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      f.line = line;
      f.endLine = line;
      if (this.meta.commit !== undefined) f.commit = this.meta.commit;
      if (this.meta.author !== undefined) f.author = this.meta.author;
      if (this.meta.date !== undefined) f.date = this.meta.date;
      this.findings.push(f);
    }
  }

  /**
   * One secret, one finding, also between the window's direct findings (this.findings from `direct` on) and the
   * findings of its decoded segments, which are located at the encoded span (line and columns, one line): a
   * decoded finding is dropped where a direct finding overlaps it (any direct one for a decoded fallback finding, a
   * direct non-fallback one for any), and a decoded fallback one where a decoded non-fallback one does; a direct
   * fallback finding is dropped where a decoded non-fallback one overlaps it (`password: <base64 of a token>`);
   * decoded findings overlapping each other resolve as in resolveOverlaps. Returns the decoded findings kept.
   */
  private resolveDecoded(found: Finding[], direct: number): Finding[] {
    if (found.length === 0) return found;
    const engine = this.engine;
    type Entry = OverlapEntry & { f: Finding };
    const entry = (f: Finding, line: number): Entry => {
      const { fallback, order } = engine.ruleRank(f.ruleId);
      const end = f.endLine > line ? Number.MAX_SAFE_INTEGER : f.endColumn;
      return { start: f.column, end, fallback, validated: f.validated, severity: f.severity, order, f };
    };
    // Direct findings by the data line they start on (before any lineMap, as the decoded ones).
    const byLine = new Map<number, Entry[]>();
    for (let i = direct; i < this.findings.length; i++) {
      const f = this.findings[i]!;
      const line = this.dataLines.get(f) ?? f.line;
      const list = byLine.get(line) ?? [];
      list.push(entry(f, f.line));
      byLine.set(line, list);
    }
    const dropDirect = new Set<Finding>();
    const kept: Finding[] = [];
    const decodedByLine = new Map<number, Entry[]>();
    for (const f of found) {
      const line = f.line + this.baseLine;
      const list = decodedByLine.get(line) ?? [];
      list.push(entry(f, f.line));
      decodedByLine.set(line, list);
    }
    for (const [line, decoded] of decodedByLine) {
      const directs = byLine.get(line) ?? [];
      const overlaps = (a: OverlapEntry, b: OverlapEntry) => a.start < b.end && b.start < a.end;
      // The encoded bytes were already seen directly: a direct finding of a specific rule over them is the same
      // secret (a percent-encoded SAS `sig`, a JWT nested in a JWT's payload), and keeps its raw span.
      const survivors = decoded.filter((d) => !directs.some((x) => overlaps(x, d) && (d.fallback || !x.fallback)));
      const resolved = resolveOverlaps(survivors);
      for (const x of directs) {
        if (x.fallback && resolved.some((d) => !d.fallback && overlaps(x, d))) dropDirect.add(x.f);
      }
      for (const d of resolved) kept.push(d.f);
    }
    if (dropDirect.size > 0) {
      const rest = this.findings.filter((f, i) => i < direct || !dropDirect.has(f));
      this.findings.length = 0;
      this.findings.push(...rest);
    }
    return kept;
  }

  /**
   * The rule's validator, line, column and inline allow for each survivor: the window's candidate findings. The
   * validator runs first: it reads only the match and what precedes it, and most survivors end there. What concerns
   * a whole line (its end, its inline allow, the columns counted along it) is worked out once per line and shared by
   * the survivors on it: a minified file puts hundreds on one line of megabytes, and searching that line again for
   * each of them made this phase grow with survivors times line length.
   */
  private locate(view: Buffer, survivors: Survivor[], acceptLimit: number): Pending[] {
    const out: Pending[] = [];
    survivors.sort((a, b) => a.secretStart - b.secretStart);
    let pos = 0;
    let lines = this.baseLine;
    let lastNl = -1;
    // The line of the last survivor located: its start, its newline (-1: none in the view), its inline allow, and
    // the code points counted along it so far, up to `columnAt`.
    let lineAt = -1;
    let lineNl = -1;
    let lineAllowed = false;
    let columnAt = 0;
    let columns = 0;
    for (const c of survivors) {
      for (let nl = view.indexOf(10, pos); nl >= 0 && nl < c.secretStart; nl = view.indexOf(10, nl + 1)) {
        lines++;
        lastNl = nl;
      }
      pos = c.secretStart;
      const rule = c.rule.rule;
      let validity: Validity = 'unknown';
      if (rule.validate) {
        try {
          const before = view.toString('utf8', Math.max(0, c.matchStart - 256), c.matchStart);
          validity = rule.validate(c.secret, view.toString('utf8', c.matchStart, c.matchEnd), before);
        } catch {
          validity = 'unknown'; // a validator's exception may quote its input: never surface it
        }
      }
      if (validity === 'invalid') continue;
      if (rule.requireValid && validity !== 'valid') continue;
      const lineStart = lastNl + 1;
      if (lineStart !== lineAt) {
        lineAt = lineStart;
        lineNl = view.indexOf(10, c.secretStart);
        lineAllowed = hasInlineAllow(view, lineStart, lineNl < 0 ? view.length : lineNl);
        columnAt = lineStart;
        columns = 0;
      }
      let inlineAllowed = lineAllowed;
      if (inlineAllowed && !this.engine.reportInlineAllowed) continue;
      columns += codePoints(view, columnAt, c.secretStart);
      columnAt = c.secretStart;
      const column = 1 + columns + (lastNl < 0 ? this.colCarry : 0);
      // End of the secret: its own newlines (multi-line secrets such as PEM blocks).
      let endLines = 0;
      let endNl = -1;
      for (let nl = lineNl; nl >= 0 && nl < c.secretEnd; nl = view.indexOf(10, nl + 1)) {
        endLines++;
        endNl = nl;
      }
      if (endLines > 0) {
        const e = view.indexOf(10, c.secretEnd);
        if (hasInlineAllow(view, endNl + 1, e < 0 ? view.length : e)) {
          if (!this.engine.reportInlineAllowed) continue;
          inlineAllowed = true;
        }
      }
      const endColumn =
        endLines > 0
          ? 1 + codePoints(view, endNl + 1, c.secretEnd)
          : column + codePoints(view, c.secretStart, c.secretEnd);
      const dataLine = lines + 1;
      const map = this.meta.lineMap;
      const line = map ? (map[dataLine - 1] ?? dataLine) : dataLine;
      const endLine = map ? (map[dataLine + endLines - 1] ?? dataLine + endLines) : dataLine + endLines;
      const fp = fingerprint(rule.id, c.secret);
      if (validity === 'valid') this.engine.retainSecret(rule.id, fp, c.secret);
      const f: Finding = {
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        validated: validity === 'valid',
        file: this.meta.path,
        line,
        column,
        endLine,
        endColumn,
        fingerprint: fp,
        preview: preview(c.secret),
      };
      if (inlineAllowed) f.inlineAllowed = true;
      if (this.meta.commit !== undefined) f.commit = this.meta.commit;
      if (this.meta.author !== undefined) f.author = this.meta.author;
      if (this.meta.date !== undefined) f.date = this.meta.date;
      out.push({
        start: this.offset + c.secretStart,
        end: this.offset + c.secretEnd,
        fallback: rule.fallback === true,
        validated: f.validated,
        severity: rule.severity,
        order: c.rule.order,
        owned: c.matchStart < acceptLimit,
        decided: false,
        finding: f,
        dataLine,
      });
    }
    return out;
  }

  /** Moves the line/column origin to view[acceptLimit], where the next window starts. */
  private advance(view: Buffer, upTo: number): void {
    this.offset += upTo;
    let last = -1;
    for (let nl = view.indexOf(10); nl >= 0 && nl < upTo; nl = view.indexOf(10, nl + 1)) {
      this.baseLine++;
      last = nl;
    }
    if (last >= 0) this.colCarry = codePoints(view, last + 1, upTo);
    else this.colCarry += codePoints(view, 0, upTo);
  }
}
