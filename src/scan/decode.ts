// Encoded secrets: base64 (standard and URL-safe), hex and percent-encoded segments are decoded and scanned again,
// so a key in a Kubernetes `Secret` (`data:` values are base64) or in an encoded URL is found. Bounded: depth 2,
// segment and total sizes capped, decoded bytes must be text.
//
// Each decoded segment becomes a small item: the original line with the encoded span replaced by its decoded text
// (so a rule that needs the name on the line, `password: …`, still sees it). A finding in it is reported at the
// encoded span's line and column in the original file, tagged `decoded: 'base64'` (`'base64>hex'` when nested).
import { isUtf8 } from 'node:buffer';
import type { ScanItem } from './sources/types.ts';
import type { Finding } from './types.ts';

export type Encoding = 'base64' | 'hex' | 'percent';

export interface DecodeLimits {
  /** Nesting: 1 decodes once, 2 also decodes what was inside (default 2). */
  maxDepth: number;
  /** Longest encoded span considered, bytes (default 256 KiB: a base64 PEM or kubeconfig fits). */
  maxSegment: number;
  /** Decoded bytes per item, all segments and depths together (default 4 MiB). */
  maxTotal: number;
  /** Segments per item (default 2,000). */
  maxSegments: number;
  /** Shortest encoded spans: base64 (default 12 chars, `hunter2!!` in a Secret), hex (default 24 chars). */
  minBase64: number;
  minHex: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxDepth: 2,
  maxSegment: 256 * 1024,
  maxTotal: 4 * 1024 * 1024,
  maxSegments: 2000,
  minBase64: 12,
  minHex: 24,
};

export interface DecodedSegment {
  /** `base64`, `hex`, `percent`, or a chain such as `base64>hex`. */
  encoding: string;
  /** The original line, with the encoded span replaced by the decoded text. */
  text: Buffer;
  /** 1-based line of the span in the scanned data (before any lineMap), and 1-based byte columns. */
  line: number;
  column: number;
  endColumn: number;
  depth: number;
}

// Byte classes.
const B64 = new Uint8Array(256);
const HEX = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') B64[c.charCodeAt(0)] = 1;
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const CLS = new Uint8Array(256);
for (let b = 0; b < 256; b++) CLS[b] = HEX[b] ? 3 : B64[b] ? 1 : 0;
// Characters a percent-encoded token may contain (no whitespace, quotes, brackets or backticks).
const URLISH = new Uint8Array(256);
for (let b = 0x21; b < 0x7f; b++) URLISH[b] = 1;
for (const c of `"'<>\`()[]{},;`) URLISH[c.charCodeAt(0)] = 0;

/** Text worth scanning: valid UTF-8, no control characters but tab/newline/CR, some letters or digits. */
export function isTextual(buf: Buffer): boolean {
  if (buf.length === 0) return false;
  let alnum = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13) return false;
    if (b === 0x7f) return false;
    if ((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a)) alnum++;
  }
  if (alnum * 2 < buf.length) return false;
  return isUtf8(buf);
}

function decodeBase64(span: Buffer): Buffer | undefined {
  let s = span.toString('latin1');
  const core = s.replace(/=+$/, '');
  if (core.length % 4 === 1) return undefined;
  // A run that is all one case of letters, or all digits, is an identifier or a number, not base64 worth decoding.
  if (!/[A-Z]/.test(core) || !/[a-z0-9]/.test(core)) return undefined;
  if (/[-_]/.test(core) && /[+/]/.test(core)) return undefined;
  if (/[-_]/.test(core)) s = core.replace(/-/g, '+').replace(/_/g, '/');
  const out = Buffer.from(s, 'base64');
  return out.length > 0 ? out : undefined;
}

function decodeHex(span: Buffer): Buffer | undefined {
  if (span.length % 2 !== 0) return undefined;
  const s = span.toString('latin1');
  // Mixed-case hex is rarely an encoding.
  if (/[a-f]/.test(s) && /[A-F]/.test(s)) return undefined;
  return Buffer.from(s, 'hex');
}

function decodePercent(span: Buffer): Buffer | undefined {
  const out = Buffer.allocUnsafe(span.length);
  let o = 0;
  let escapes = 0;
  for (let i = 0; i < span.length; i++) {
    const b = span[i]!;
    if (b === 0x25 && i + 2 < span.length && HEX[span[i + 1]!] && HEX[span[i + 2]!]) {
      out[o++] = Number.parseInt(span.subarray(i + 1, i + 3).toString('latin1'), 16);
      escapes++;
      i += 2;
    } else {
      out[o++] = b;
    }
  }
  return escapes > 0 ? Buffer.from(out.subarray(0, o)) : undefined;
}

interface Span {
  start: number;
  end: number;
  encoding: Encoding;
  decoded: Buffer;
}

// Base64 of ASCII text: each 4-character group starts with a character for a byte below 0x80 (A-Z, a-f); hex of
// ASCII text has a digit 2-7 at every even position. Checking that first skips almost every identifier or hash
// without decoding it (a few non-ASCII bytes are tolerated).
const B64_ASCII_LEAD = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef') B64_ASCII_LEAD[c.charCodeAt(0)] = 1;

function looksLikeText(data: Buffer, start: number, end: number, hex: boolean): boolean {
  const step = hex ? 2 : 4;
  let bad = 0;
  let total = 0;
  for (let k = start; k < end; k += step) {
    total++;
    const c = data[k]!;
    const ok = hex ? c >= 0x32 && c <= 0x37 : B64_ASCII_LEAD[c] === 1;
    if (!ok && ++bad * 8 > total + 8) return false;
  }
  return bad * 8 <= total;
}

/** The shortest run pass 1 looks for: the shortest span, less its padding. */
export function shortestRun(limits: DecodeLimits): number {
  return Math.max(1, Math.min(limits.minHex, limits.minBase64) - 2);
}

/**
 * Encoded spans in `data`, decoded, text only; in order of position. `runs`: pass 1's runs over all of `data`,
 * found already (as findRuns() writes them: the native collector's, collect-thread.ts).
 */
export function findEncodedSpans(
  data: Buffer,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  runs?: Int32Array,
): Span[] {
  const spans: Span[] = [];
  // Pass 1: maximal runs of base64 characters (plus `=` padding); all-hex runs are hex. CLS: 0 other, 1 base64,
  // 3 hex digit (also base64): AND-ing a run's classes tells whether it was all hex.
  // Only runs of at least `need` characters matter (the shortest span, less its padding), so the loop looks at the
  // last byte of each `need`-byte window first: a byte outside the alphabet there skips the whole window, and
  // otherwise a backward look finds where the run really starts (or the next window to try). Most bytes of ordinary
  // text are never looked at, none twice but the few a backward look revisits. Pass 2: tokens holding `%XX` escapes.
  const need = shortestRun(limits);
  let from = 0;
  if (runs) {
    for (let r = 0; 3 * r < runs.length && spans.length < limits.maxSegments; r++) {
      takeRun(data, runs[3 * r]!, runs[3 * r + 1]!, runs[3 * r + 2]!, limits, spans);
    }
  }
  while (!runs && spans.length < limits.maxSegments) {
    const found = findRuns(data, from, need, RUNS);
    for (let r = 0; r < found && spans.length < limits.maxSegments; r++) {
      takeRun(data, RUNS[3 * r]!, RUNS[3 * r + 1]!, RUNS[3 * r + 2]!, limits, spans);
    }
    if (found < RUN_BATCH) break;
    from = Math.abs(RUNS[3 * (found - 1) + 2]!);
  }
  findPercentSpans(data, limits, spans);
  return spans.sort((a, b) => a.start - b.start);
}

/** Runs pass 1 found and not yet taken: `start, end of the run, end with its padding (negated when all hex)`. */
const RUN_BATCH = 256;
const RUNS = new Int32Array(3 * RUN_BATCH);

/**
 * Pass 1's loop: up to RUN_BATCH runs of at least `need` characters from `from` on, into `out`; returns how many
 * (fewer only at the end of `data`). The loop calls nothing and reads no object: V8 compiles it while it runs, and
 * what it would inline (deciding on a run, decoding it) reaches code paths one at a time, each first reach throwing
 * the compiled loop away (measured: 3 to 6 compiles of ~15 ms each per thread on the bench corpus; one or two now).
 */
function findRuns(data: Buffer, from: number, need: number, out: Int32Array): number {
  const n = data.length;
  let found = 0;
  let i = from;
  // Invariant: `i` is the start of a run, or of text without one (the byte before it is not in the alphabet, or
  // ends a run just found).
  while (i + need <= n && found < RUN_BATCH) {
    const k = i + need - 1;
    let c = CLS[data[k]!]!;
    if (c === 0) {
      i = k + 1;
      continue;
    }
    let all = c;
    let q = k - 1;
    while (q >= i) {
      c = CLS[data[q]!]!;
      if (c === 0) break;
      all &= c;
      q--;
    }
    if (q >= i) {
      i = q + 1; // a shorter run ends at q: the next window starts after it
      continue;
    }
    // data[i, k] is a run of `need`: extend it to its end, then over up to two `=` of padding.
    let j = k + 1;
    while (j < n) {
      c = CLS[data[j]!]!;
      if (c === 0) break;
      all &= c;
      j++;
    }
    let end = j;
    while (end < n && end - j < 2 && data[end] === 0x3d /* = */) end++;
    out[3 * found] = i;
    out[3 * found + 1] = j;
    out[3 * found + 2] = all === 3 ? -end : end;
    found++;
    i = end;
  }
  return found;
}

/**
 * A run of the alphabet at data[start, runEnd), with its padding up to `padded` (negated when the run is all hex):
 * its span, when it decodes to text.
 */
function takeRun(
  data: Buffer,
  start: number,
  runEnd: number,
  padded: number,
  limits: DecodeLimits,
  spans: Span[],
): void {
  const allHex = padded < 0;
  const end = allHex ? -padded : padded;
  const len = end - start;
  const minRun = Math.min(limits.minHex, limits.minBase64);
  if (len <= limits.maxSegment && len >= minRun && looksLikeText(data, start, runEnd, allHex)) {
    const span = data.subarray(start, end);
    if (allHex && len >= limits.minHex) {
      const d = decodeHex(span);
      if (d && isTextual(d)) spans.push({ start, end, encoding: 'hex', decoded: d });
    } else if (!allHex && len >= limits.minBase64) {
      const d = decodeBase64(span);
      if (d && isTextual(d)) spans.push({ start, end, encoding: 'base64', decoded: d });
    }
  }
}

/**
 * Where a URL's credentials end in the token data[start, end): just after the last `@` of the authority of its first
 * URL (`scheme://user:password@host`, also after a name: `MONGO_URL=mongodb://…`), or `start` when the token holds no
 * URL with credentials.
 */
function afterUserinfo(data: Buffer, start: number, end: number): number {
  // Searched within the token only: a window of percent-encoded text without a URL has many tokens.
  let sep = -1;
  for (let i = start; i + 2 < end; i++) {
    if (data[i] === 0x3a && data[i + 1] === 0x2f && data[i + 2] === 0x2f) {
      sep = i;
      break;
    }
  }
  if (sep < 0) return start;
  // A scheme: a letter, then letters, digits, `+`, `-` or `.`.
  let scheme = sep;
  while (scheme > start && SCHEME[data[scheme - 1]!]) scheme--;
  while (scheme < sep && !ALPHA[data[scheme]!]) scheme++;
  if (scheme === sep) return start;
  let at = -1;
  for (let i = sep + 3; i < end; i++) {
    const c = data[i]!;
    if (c === 0x2f || c === 0x3f || c === 0x23) break; // `/`, `?`, `#`: the authority ends
    if (c === 0x40) at = i;
  }
  return at < 0 ? start : at + 1;
}
const ALPHA = new Uint8Array(256);
for (let c = 0x41; c <= 0x5a; c++) ALPHA[c] = ALPHA[c + 0x20] = 1;
const SCHEME = ALPHA.slice();
for (const c of '0123456789+-.') SCHEME[c.charCodeAt(0)] = 1;

/** Pass 2 (see findEncodedSpans). */
function findPercentSpans(data: Buffer, limits: DecodeLimits, spans: Span[]): void {
  const n = data.length;
  let from = 0;
  while (spans.length < limits.maxSegments) {
    const p = data.indexOf(0x25, from);
    if (p < 0 || p + 2 >= n) break;
    if (!HEX[data[p + 1]!] || !HEX[data[p + 2]!]) {
      from = p + 1;
      continue;
    }
    let s = p;
    while (s > 0 && URLISH[data[s - 1]!]) s--;
    let e = p;
    while (e < n && URLISH[data[e]!]) e++;
    // A URL's credentials stay encoded: an encoded `@` or `:` in them, decoded, moves where the user name or the
    // password ends (`mongodb://user:D1fficultP%40ssw0rd@host` would read as the password `D1fficultP`), and the URL
    // rules read percent-encoded credentials themselves. Only what follows the credentials is decoded.
    s = afterUserinfo(data, s, e);
    if (p < s) {
      from = s;
      continue;
    }
    if (e - s <= limits.maxSegment) {
      const d = decodePercent(data.subarray(s, e));
      if (d && isTextual(d)) spans.push({ start: s, end: e, encoding: 'percent', decoded: d });
    }
    from = e;
  }
}

/**
 * All decoded segments of `data` down to `limits.maxDepth`. Lines and columns refer to `data`; nested segments
 * keep the line and columns of the outermost span.
 */
export function decodeSegments(data: Buffer, limits: Partial<DecodeLimits> = {}, runs?: Int32Array): DecodedSegment[] {
  const lim = { ...DEFAULT_DECODE_LIMITS, ...limits };
  const out: DecodedSegment[] = [];
  let budget = lim.maxTotal;
  const spans = findEncodedSpans(data, lim, runs);
  if (spans.length === 0) return out;
  // Line starts, computed lazily up to each span.
  let line = 1;
  let pos = 0;
  let lineStart = 0;
  for (const span of spans) {
    while (pos < span.start) {
      const nl = data.indexOf(10, pos);
      if (nl < 0 || nl >= span.start) {
        pos = span.start;
        break;
      }
      line++;
      pos = nl + 1;
      lineStart = pos;
    }
    if (budget < span.decoded.length) break;
    budget -= span.decoded.length;
    let lineEnd = data.indexOf(10, span.end);
    if (lineEnd < 0) lineEnd = data.length;
    // Keep the line short around long spans: the name before it is what rules need.
    const before = data.subarray(Math.max(lineStart, span.start - 256), span.start);
    const afterSpan = data.subarray(span.end, Math.min(lineEnd, span.end + 256));
    const text = Buffer.concat([before, span.decoded, afterSpan]);
    const seg: DecodedSegment = {
      encoding: span.encoding,
      text,
      line,
      column: span.start - lineStart + 1,
      endColumn: span.end - lineStart + 1,
      depth: 1,
    };
    out.push(seg);
    if (lim.maxDepth > 1) {
      for (const inner of decodeSegments(span.decoded, { ...lim, maxDepth: lim.maxDepth - 1, maxTotal: budget })) {
        budget -= inner.text.length;
        if (budget < 0) break;
        out.push({ ...seg, encoding: `${span.encoding}>${inner.encoding}`, text: inner.text, depth: inner.depth + 1 });
      }
    }
  }
  return out;
}

/** An item the engine scans like any other; `decoded` goes into its findings. */
export type DecodedItem = ScanItem & { decoded: string };

/**
 * Decoded segments of an item as items: same path/commit, data = the decoded line, `lineMap` pointing every line of
 * it at the encoded span's line in the file (through the item's own lineMap for diff items).
 */
export function decodedItems(item: ScanItem, data: Buffer, limits: Partial<DecodeLimits> = {}): DecodedItem[] {
  return decodeSegments(data, limits).map((seg) => {
    const fileLine = item.lineMap ? (item.lineMap[seg.line - 1] ?? seg.line) : seg.line;
    let lines = 1;
    for (let k = 0; k < seg.text.length; k++) if (seg.text[k] === 10) lines++;
    const out: DecodedItem = {
      path: item.path,
      source: { kind: 'bytes', data: seg.text },
      lineMap: new Uint32Array(lines).fill(fileLine),
      decoded: seg.encoding,
    };
    if (item.commit !== undefined) out.commit = item.commit;
    if (item.author !== undefined) out.author = item.author;
    if (item.date !== undefined) out.date = item.date;
    return out;
  });
}

/**
 * Scans the decoded segments of `data` with the engine's `scanBuffer` and maps each finding back: line (through
 * `lineMap` when given), column and end at the encoded span, `decoded` set. Findings are deduplicated per
 * (rule, secret, line) so one span decoded two ways reports once.
 */
export function scanDecoded<P>(
  data: Buffer,
  path: string,
  policy: P,
  scanBuffer: (data: Buffer, path: string, policy: P) => Finding[],
  options: { lineMap?: Uint32Array; limits?: Partial<DecodeLimits>; runs?: Int32Array } = {},
): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const seg of decodeSegments(data, options.limits, options.runs)) {
    const line = options.lineMap ? (options.lineMap[seg.line - 1] ?? seg.line) : seg.line;
    for (const f of scanBuffer(seg.text, path, policy)) {
      const key = `${f.ruleId}\0${f.fingerprint}\0${line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...f, line, endLine: line, column: seg.column, endColumn: seg.endColumn, decoded: seg.encoding });
    }
  }
  return out;
}
