import {
  resumeAt
} from "./chunks/chunk-HHIKPBSF.js";
import {
  require_node_net
} from "./chunks/chunk-DOWIS3SJ.js";
import {
  debug,
  error,
  getInput,
  group,
  info,
  notice,
  require_node_child_process,
  require_node_crypto,
  require_node_fs,
  require_node_os,
  require_node_util,
  require_node_zlib,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunks/chunk-SNMQZC3H.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunks/chunk-EYG3MVME.js";

// builtin:node:fs/promises
var require_promises = __commonJS({
  "builtin:node:fs/promises"(exports, module) {
    var loaded2;
    var load = () => loaded2 ??= __require("node:fs/promises");
    module.exports = Object.create(new Proxy({}, { get: (_, name2) => load()[name2] }));
  }
});

// builtin:node:worker_threads
var require_node_worker_threads = __commonJS({
  "builtin:node:worker_threads"(exports, module) {
    var loaded2;
    var load = () => loaded2 ??= __require("node:worker_threads");
    module.exports = Object.create(new Proxy({}, { get: (_, name2) => load()[name2] }));
  }
});

// src/action/scan.ts
var import_node_crypto7 = __toESM(require_node_crypto(), 1);
var import_node_fs15 = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_os3 = __toESM(require_node_os(), 1);
import { basename as basename2, dirname as dirname6, isAbsolute as isAbsolute4, join as join6, relative as relative4, resolve as resolve4, sep as sep2 } from "node:path";

// src/shared/escape.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
var JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function hex(code, width) {
  return code.toString(16).padStart(width, "0");
}
function escapeUnsafe(ch) {
  const named2 = NAMED[ch];
  if (named2) return named2;
  const code = ch.charCodeAt(0);
  return code <= 127 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}
var LEADING_COLON = /^(\s*):/;
var LEGACY_PREFIX = /##\[/g;
function neutralise(text) {
  return text.replace(LEADING_COLON, "$1\\x3a").replace(LEGACY_PREFIX, "#\\x23[");
}
function printable(text) {
  return neutralise(text.replace(UNSAFE, escapeUnsafe));
}
function displayPath(name2) {
  if (typeof name2 !== "string") {
    const text = name2.toString("utf8");
    if (Buffer.byteLength(text) === name2.length && Buffer.from(text, "utf8").equals(name2)) return displayPath(text);
    return neutralise(decodeBytesLossless(name2));
  }
  return neutralise(name2.replace(/\\/g, "\\\\").replace(UNSAFE, escapeUnsafe));
}
function decodeBytesLossless(bytes) {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const length = validSequenceLength(bytes, i);
    if (length === 0) {
      out += `\\x${hex(bytes[i], 2)}`;
      i += 1;
      continue;
    }
    const ch = bytes.toString("utf8", i, i + length);
    out += ch === "\\" ? "\\\\" : ch.replace(UNSAFE, escapeUnsafe);
    i += length;
  }
  return out;
}
function validSequenceLength(b, i) {
  const b0 = b[i];
  if (b0 < 128) return 1;
  const cont = (k, lo = 128, hi = 191) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (b0 >= 194 && b0 <= 223) return cont(1) ? 2 : 0;
  if (b0 === 224) return cont(1, 160) && cont(2) ? 3 : 0;
  if (b0 >= 225 && b0 <= 236 || b0 === 238 || b0 === 239) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 237) return cont(1, 128, 159) && cont(2) ? 3 : 0;
  if (b0 === 240) return cont(1, 144) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 241 && b0 <= 243) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 244) return cont(1, 128, 143) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
function jsonSafe(json) {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`).replace(LEGACY_PREFIX, "#\\u0023[");
}
function excerpt(value, max = 4) {
  const chars = [...value];
  const head = chars.slice(0, max).join("");
  return `"${printable(head)}${chars.length > max ? `\u2026" (${chars.length} characters)` : '"'}`;
}

// src/shared/read-file.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var FileReadError = class extends Error {
  name = "FileReadError";
  code;
  constructor(message, code) {
    super(message);
    this.code = code;
  }
};
var OPEN_FLAGS = import_node_fs.constants.O_RDONLY | import_node_fs.constants.O_NONBLOCK | import_node_fs.constants.O_NOCTTY;
function kind(st) {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "not a regular file";
}
function openError(e, label) {
  const why = {
    ENOENT: "not found",
    EACCES: "permission denied",
    EPERM: "permission denied",
    ELOOP: "too many levels of symbolic links",
    ENOTDIR: "a path component is not a directory",
    ENAMETOOLONG: "name too long"
  };
  return new FileReadError(`${label}: ${why[e.code ?? ""] ?? `cannot open (${e.code ?? "error"})`}`, e.code ?? "EIO");
}
function readRegularFile(path, limits) {
  const label = `${limits.what} ${displayPath(path)}`;
  let fd;
  try {
    fd = (0, import_node_fs.openSync)(path, OPEN_FLAGS);
  } catch (e) {
    throw openError(e, label);
  }
  try {
    const st = (0, import_node_fs.fstatSync)(fd);
    if (!st.isFile()) throw new FileReadError(`${label} is ${kind(st)}, not a regular file`, "ENOTREG");
    if (st.size > limits.maxBytes) throw tooLarge(label, limits.maxBytes);
    let buf = Buffer.allocUnsafe(Math.min(st.size, limits.maxBytes) + 1);
    let length = 0;
    for (; ; ) {
      if (length === buf.length) {
        const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, limits.maxBytes + 1));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      }
      const n = (0, import_node_fs.readSync)(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limits.maxBytes) throw tooLarge(label, limits.maxBytes);
    }
    return buf.subarray(0, length);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    const err = e;
    throw new FileReadError(`${label}: cannot read (${err.code ?? "error"})`, err.code ?? "EIO");
  } finally {
    (0, import_node_fs.closeSync)(fd);
  }
}
function tooLarge(label, maxBytes) {
  return new FileReadError(`${label} is larger than the ${formatBytes(maxBytes)} limit`, "EFBIG");
}
function formatBytes(n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

// src/shared/version.ts
var VERSION = "0.1.0";

// src/scan/job.ts
var import_node_fs12 = __toESM(require_node_fs(), 1);
import { isAbsolute as isAbsolute3, relative as relative3, resolve as resolve3, sep } from "node:path";

// src/scan/config-source.ts
var import_node_fs9 = __toESM(require_node_fs(), 1);
import { basename, dirname as dirname5, isAbsolute, relative } from "node:path";

// src/scan/sources/git.ts
var import_node_child_process2 = __toESM(require_node_child_process(), 1);

// src/scan/engine.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);

// src/scan/decode.ts
import { isUtf8 } from "node:buffer";
var DEFAULT_DECODE_LIMITS = {
  maxDepth: 2,
  maxSegment: 256 * 1024,
  maxTotal: 4 * 1024 * 1024,
  maxSegments: 2e3,
  minBase64: 12,
  minHex: 24
};
var B64 = new Uint8Array(256);
var HEX = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_") B64[c.charCodeAt(0)] = 1;
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;
var CLS = new Uint8Array(256);
for (let b = 0; b < 256; b++) CLS[b] = HEX[b] ? 3 : B64[b] ? 1 : 0;
var URLISH = new Uint8Array(256);
for (let b = 33; b < 127; b++) URLISH[b] = 1;
for (const c of `"'<>\`()[]{},;`) URLISH[c.charCodeAt(0)] = 0;
function isTextual(buf) {
  if (buf.length === 0) return false;
  let alnum = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b < 32 && b !== 9 && b !== 10 && b !== 13) return false;
    if (b === 127) return false;
    if (b >= 48 && b <= 57 || (b | 32) >= 97 && (b | 32) <= 122) alnum++;
  }
  if (alnum * 2 < buf.length) return false;
  return isUtf8(buf);
}
function decodeBase64(span) {
  let s = span.toString("latin1");
  const core = s.replace(/=+$/, "");
  if (core.length % 4 === 1) return void 0;
  if (!/[A-Z]/.test(core) || !/[a-z0-9]/.test(core)) return void 0;
  if (/[-_]/.test(core) && /[+/]/.test(core)) return void 0;
  if (/[-_]/.test(core)) s = core.replace(/-/g, "+").replace(/_/g, "/");
  const out = Buffer.from(s, "base64");
  return out.length > 0 ? out : void 0;
}
function decodeHex(span) {
  if (span.length % 2 !== 0) return void 0;
  const s = span.toString("latin1");
  if (/[a-f]/.test(s) && /[A-F]/.test(s)) return void 0;
  return Buffer.from(s, "hex");
}
function decodePercent(span) {
  const out = Buffer.allocUnsafe(span.length);
  let o = 0;
  let escapes = 0;
  for (let i = 0; i < span.length; i++) {
    const b = span[i];
    if (b === 37 && i + 2 < span.length && HEX[span[i + 1]] && HEX[span[i + 2]]) {
      out[o++] = Number.parseInt(span.subarray(i + 1, i + 3).toString("latin1"), 16);
      escapes++;
      i += 2;
    } else {
      out[o++] = b;
    }
  }
  return escapes > 0 ? Buffer.from(out.subarray(0, o)) : void 0;
}
var B64_ASCII_LEAD = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef") B64_ASCII_LEAD[c.charCodeAt(0)] = 1;
function looksLikeText(data, start, end, hex2) {
  const step = hex2 ? 2 : 4;
  let bad = 0;
  let total = 0;
  for (let k = start; k < end; k += step) {
    total++;
    const c = data[k];
    const ok = hex2 ? c >= 50 && c <= 55 : B64_ASCII_LEAD[c] === 1;
    if (!ok && ++bad * 8 > total + 8) return false;
  }
  return bad * 8 <= total;
}
function shortestRun(limits) {
  return Math.max(1, Math.min(limits.minHex, limits.minBase64) - 2);
}
function findEncodedSpans(data, limits = DEFAULT_DECODE_LIMITS, runs) {
  const spans = [];
  const need = shortestRun(limits);
  let from = 0;
  if (runs) {
    for (let r = 0; 3 * r < runs.length && spans.length < limits.maxSegments; r++) {
      takeRun(data, runs[3 * r], runs[3 * r + 1], runs[3 * r + 2], limits, spans);
    }
  }
  while (!runs && spans.length < limits.maxSegments) {
    const found = findRuns(data, from, need, RUNS);
    for (let r = 0; r < found && spans.length < limits.maxSegments; r++) {
      takeRun(data, RUNS[3 * r], RUNS[3 * r + 1], RUNS[3 * r + 2], limits, spans);
    }
    if (found < RUN_BATCH) break;
    from = Math.abs(RUNS[3 * (found - 1) + 2]);
  }
  findPercentSpans(data, limits, spans);
  return spans.sort((a, b) => a.start - b.start);
}
var RUN_BATCH = 256;
var RUNS = new Int32Array(3 * RUN_BATCH);
function findRuns(data, from, need, out) {
  const n = data.length;
  let found = 0;
  let i = from;
  while (i + need <= n && found < RUN_BATCH) {
    const k = i + need - 1;
    let c = CLS[data[k]];
    if (c === 0) {
      i = k + 1;
      continue;
    }
    let all = c;
    let q = k - 1;
    while (q >= i) {
      c = CLS[data[q]];
      if (c === 0) break;
      all &= c;
      q--;
    }
    if (q >= i) {
      i = q + 1;
      continue;
    }
    let j = k + 1;
    while (j < n) {
      c = CLS[data[j]];
      if (c === 0) break;
      all &= c;
      j++;
    }
    let end = j;
    while (end < n && end - j < 2 && data[end] === 61) end++;
    out[3 * found] = i;
    out[3 * found + 1] = j;
    out[3 * found + 2] = all === 3 ? -end : end;
    found++;
    i = end;
  }
  return found;
}
function takeRun(data, start, runEnd, padded, limits, spans) {
  const allHex = padded < 0;
  const end = allHex ? -padded : padded;
  const len = end - start;
  const minRun = Math.min(limits.minHex, limits.minBase64);
  if (len <= limits.maxSegment && len >= minRun && looksLikeText(data, start, runEnd, allHex)) {
    const span = data.subarray(start, end);
    if (allHex && len >= limits.minHex) {
      const d = decodeHex(span);
      if (d && isTextual(d)) spans.push({ start, end, encoding: "hex", decoded: d });
    } else if (!allHex && len >= limits.minBase64) {
      const d = decodeBase64(span);
      if (d && isTextual(d)) spans.push({ start, end, encoding: "base64", decoded: d });
    }
  }
}
function afterUserinfo(data, start, end) {
  let sep3 = -1;
  for (let i = start; i + 2 < end; i++) {
    if (data[i] === 58 && data[i + 1] === 47 && data[i + 2] === 47) {
      sep3 = i;
      break;
    }
  }
  if (sep3 < 0) return start;
  let scheme = sep3;
  while (scheme > start && SCHEME[data[scheme - 1]]) scheme--;
  while (scheme < sep3 && !ALPHA[data[scheme]]) scheme++;
  if (scheme === sep3) return start;
  let at = -1;
  for (let i = sep3 + 3; i < end; i++) {
    const c = data[i];
    if (c === 47 || c === 63 || c === 35) break;
    if (c === 64) at = i;
  }
  return at < 0 ? start : at + 1;
}
var ALPHA = new Uint8Array(256);
for (let c = 65; c <= 90; c++) ALPHA[c] = ALPHA[c + 32] = 1;
var SCHEME = ALPHA.slice();
for (const c of "0123456789+-.") SCHEME[c.charCodeAt(0)] = 1;
function findPercentSpans(data, limits, spans) {
  const n = data.length;
  let from = 0;
  while (spans.length < limits.maxSegments) {
    const p = data.indexOf(37, from);
    if (p < 0 || p + 2 >= n) break;
    if (!HEX[data[p + 1]] || !HEX[data[p + 2]]) {
      from = p + 1;
      continue;
    }
    let s = p;
    while (s > 0 && URLISH[data[s - 1]]) s--;
    let e = p;
    while (e < n && URLISH[data[e]]) e++;
    s = afterUserinfo(data, s, e);
    if (p < s) {
      from = s;
      continue;
    }
    if (e - s <= limits.maxSegment) {
      const d = decodePercent(data.subarray(s, e));
      if (d && isTextual(d)) spans.push({ start: s, end: e, encoding: "percent", decoded: d });
    }
    from = e;
  }
}
function decodeSegments(data, limits = {}, runs) {
  const lim = { ...DEFAULT_DECODE_LIMITS, ...limits };
  const out = [];
  let budget = lim.maxTotal;
  const spans = findEncodedSpans(data, lim, runs);
  if (spans.length === 0) return out;
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
    const before = data.subarray(Math.max(lineStart, span.start - 256), span.start);
    const afterSpan = data.subarray(span.end, Math.min(lineEnd, span.end + 256));
    const text = Buffer.concat([before, span.decoded, afterSpan]);
    const seg = {
      encoding: span.encoding,
      text,
      line,
      column: span.start - lineStart + 1,
      endColumn: span.end - lineStart + 1,
      depth: 1
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
function scanDecoded(data, path, policy, scanBuffer2, options = {}) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const seg of decodeSegments(data, options.limits, options.runs)) {
    const line = options.lineMap ? options.lineMap[seg.line - 1] ?? seg.line : seg.line;
    for (const f of scanBuffer2(seg.text, path, policy)) {
      const key = `${f.ruleId}\0${f.fingerprint}\0${line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...f, line, endLine: line, column: seg.column, endColumn: seg.endColumn, decoded: seg.encoding });
    }
  }
  return out;
}

// src/scan/validate/base32.ts
var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32Decode(s) {
  const out = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return void 0;
    value = value << 5 | v;
    bits += 5;
    if (bits >= 8) {
      out.push(value >>> bits - 8 & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

// src/scan/filters.ts
function shannonEntropy(s) {
  if (s.length === 0) return 0;
  const counts = /* @__PURE__ */ new Map();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
var PLACEHOLDER_WORDS = [
  "changeme",
  "change_me",
  "change-me",
  "example",
  "dummy",
  "redacted",
  "placeholder",
  "removed",
  "something"
  // `something123`, `something-secret`
];
var MARKER_WORD = /(?<![a-z])(?:fake|sample)(?![a-z])|(?<![A-Z])(?:FAKE|SAMPLE)(?![A-Z])|(?<![A-Z])(?:Fake|Sample)(?![a-z])/;
var PLACEHOLDER_SHAPES = [
  /\*{3,}/,
  // ****, masked values
  /<[^<>\s]*>|^<|>$/,
  // <token>, <your key>
  /\$\{[^}]*\}?/,
  // ${VAR}
  /\{\{[^}]*\}?\}?/,
  // {{ var }}
  /%\([^)]*\)s/,
  // %(name)s
  /\byour[_-]/i,
  // your_api_key
  /^your/i,
  /\.\.\.|\u2026/
  // elided values (... or the ellipsis character)
];
function isPlaceholder(secret) {
  const xs = secret.length >= 100 ? 8 : secret.length >= 20 ? 6 : 4;
  let run2 = 0;
  for (let i = 0; i < secret.length; i++) {
    run2 = (secret.charCodeAt(i) | 32) === 120 ? run2 + 1 : 0;
    if (run2 >= xs) return true;
  }
  const lower = secret.toLowerCase();
  const joined = lower.replace(/[-_.\s]+/g, "");
  for (const w of PLACEHOLDER_WORDS) if (lower.includes(w) || joined.includes(w)) return true;
  if (MARKER_WORD.test(secret)) return true;
  for (const re of PLACEHOLDER_SHAPES) if (re.test(secret)) return true;
  if (secret.length < 200 && longestAscendingRun(secret) >= 6) return true;
  if (isAlphabetWalk(secret)) return true;
  if (isKeyboardWalk(secret)) return true;
  if (secret.split(/[-_.:/]+/).some((part) => part.length >= 8 && isInterleavedSequence(part))) return true;
  if (isInterleavedSequence(secret)) return true;
  if (isConstantName(secret)) return true;
  if (isWordPhraseBody(secret)) return true;
  return false;
}
function isWord(part) {
  const m = /^([A-Za-z]+?)([0-9]{0,3})$/.exec(part);
  if (!m || m[1].length < 2) return false;
  const letters = m[1];
  if (!/^(?:[A-Z]?[a-z]+|[A-Z]+)$/.test(letters)) return false;
  return (letters.match(/[aeiouy]/gi)?.length ?? 0) * 6 >= letters.length;
}
function isPronounceable(part) {
  const letters = part.replace(/[0-9]+$/, "").toLowerCase();
  const vowels = letters.match(/[aeiou]/g)?.length ?? 0;
  return vowels * 4 >= letters.length && !/[^aeiouy]{4}/.test(letters);
}
function isWordPhraseBody(secret) {
  const body = secret.replace(/^[A-Za-z0-9]{2,12}?[-_.]/, "");
  return isWordPhrase(body) || body !== secret && isWordPhrase(secret);
}
function isWordPhrase(body) {
  const parts = body.split(/[-_.]+/).filter((p) => p.length > 0);
  if (parts.length === 2 && parts.every((p) => p.length >= 5 && isWord(p) && isPronounceable(p))) return true;
  if (parts.length < 3) return false;
  const words = parts.filter((p) => isWord(p) || isWord(p.replace(/[A-Z]{1,2}[0-9]*$/, "")));
  const letters = parts.reduce((n, p) => n + p.length, 0);
  const wordy = words.reduce((n, p) => n + p.length, 0);
  return words.filter((w) => w.length >= 3 && isPronounceable(w)).length >= 3 && wordy * 10 >= letters * 6;
}
function longestAscendingRun(s) {
  let best = s.length > 0 ? 1 : 0;
  let run2 = 1;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i);
    const alnum = /[0-9A-Za-z]/.test(s[i]) && /[0-9A-Za-z]/.test(s[i - 1]);
    run2 = alnum && b === a + 1 ? run2 + 1 : 1;
    if (run2 > best) best = run2;
  }
  return best;
}
function isAlphabetWalk(s) {
  let run2 = 0;
  let best = 0;
  let letters = 0;
  let last = -1;
  let lastAt = -1;
  for (let i = 0; i < s.length; i++) {
    const raw = s.charCodeAt(i);
    const c = raw | 32;
    if (c < 97 || c > 122) continue;
    letters++;
    const next = c === last + 1 || last === 122 && c === 97;
    const otherCase = c === last && raw !== s.charCodeAt(lastAt);
    run2 = last >= 0 && (next || otherCase) ? run2 + 1 : 1;
    last = c;
    lastAt = i;
    if (run2 > best) best = run2;
  }
  return best >= 10 && best * 5 >= letters * 3;
}
var KEYBOARD_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
function isKeyboardWalk(s) {
  if (s.length < 8 || s.length > 64) return false;
  const t = s.toLowerCase();
  let covered = 0;
  for (let i = 0; i < t.length; ) {
    let j = i + 1;
    const row2 = KEYBOARD_ROWS.find((r) => r.includes(t[i]));
    let dir = 0;
    while (row2 && j < t.length) {
      const step = row2.indexOf(t[j]) - row2.indexOf(t[j - 1]);
      if (row2.indexOf(t[j]) < 0 || step !== 1 && step !== -1 || dir !== 0 && step !== dir) break;
      dir = step;
      j++;
    }
    if (j - i >= 4) covered += j - i;
    i = j;
  }
  return covered * 4 >= t.length * 3;
}
function isInterleavedSequence(s) {
  if (s.length < 6 || s.length > 64 || !/^[0-9A-Za-z]+$/.test(s)) return false;
  const t = s.toLowerCase();
  for (let i = 2; i < t.length; i++) {
    const prev = t.charCodeAt(i - 2);
    const next = t.charCodeAt(i);
    if (next !== prev + 1 && !(prev === 57 && next === 48) && !(prev === 102 && next === 97)) return false;
  }
  return true;
}
function isConstantName(s) {
  if (!/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(s)) return false;
  return s.split("_").every((w) => /^[0-9]{0,3}$/.test(w) || /^[A-Z]+[0-9]{0,2}$/.test(w) && /[AEIOUY]/.test(w));
}
function valueLength(secret) {
  let end = secret.length;
  const esc = /\\+[nrt"'\x60]|\\+$/.exec(secret);
  if (esc) end = esc.index;
  const count = (ch, upTo) => {
    let n = 0;
    for (let i = 0; i < upTo; i++) if (secret[i] === ch) n++;
    return n;
  };
  const pairs = { ")": "(", "]": "[", "}": "{" };
  for (; ; ) {
    const c = secret[end - 1];
    if (c === void 0) break;
    if (c === "," || c === ";") end--;
    else if (c in pairs && count(c, end) > count(pairs[c], end)) end--;
    else if ((c === '"' || c === "'" || c === "`") && count(c, end) % 2 === 1) end--;
    else break;
  }
  return end;
}
function isCodeNotSecret(secret) {
  if (/\\[sSdDwWbB]|\(\?[:!=<iP]|\.[*+?]|\[\^|\]\*|\]\+|\)\*|\)\+|\)\?/.test(secret)) return true;
  if (/^[*&]+[A-Za-z_][\w.]*$/.test(secret)) return true;
  return false;
}
function decodedForms(secret) {
  const out = [];
  if (secret.length >= 4 && secret.length <= 512) {
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length % 4 !== 1) {
      const text = Buffer.from(secret, "base64").toString("utf8");
      if (isPrintableText(text)) out.push(text.replace(/[\r\n]+$/, ""));
    }
    if (/^(?:[0-9a-f]{2})+$|^(?:[0-9A-F]{2})+$/.test(secret)) {
      const text = Buffer.from(secret, "hex").toString("utf8");
      if (isPrintableText(text)) out.push(text.replace(/[\r\n]+$/, ""));
    }
    if (/%[0-9A-Fa-f]{2}/.test(secret)) {
      try {
        out.push(decodeURIComponent(secret));
      } catch {
      }
    }
    if (secret.length >= 16 && /^[A-Z2-7]+=*$/.test(secret)) {
      const bytes = base32Decode(secret.replace(/=+$/, ""));
      const text = bytes && Buffer.from(bytes).toString("latin1");
      if (text && isPrintableText(text)) out.push(text);
    }
  }
  return out;
}
function isPrintableText(text) {
  return text.length > 0 && /^[\x20-\x7e]+[\r\n]*$/.test(text);
}
function isStandIn(text) {
  const t = text.trim();
  if (t.length < 6) return true;
  if (isPlaceholder(t) || isReference(t) || isRepeated(t)) return true;
  if (/^[A-Za-z]+$/.test(t) && t.length <= 12) return true;
  if (/^[A-Za-z]+:[A-Za-z]+$/.test(t)) return true;
  if (/^[A-Za-z',.!?-]+(?: [A-Za-z',.!?-]+){3,}$/.test(t)) return true;
  return /^(?:pass(?:word)?|secret|token|key|test|admin|user)[0-9!._-]*$/i.test(t);
}
var DOCUMENTED_VALUES = [
  "110201543:AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw",
  // Telegram Bot API
  "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
  // RFC 6749: client s6BhdRkqt3, secret gX1fBat3bV, as HTTP Basic
  "2YotnFZFEjr1zCsicMWpAA",
  // RFC 6749's access token
  "tGzv3JOkF0XG5Qx2TlKWIA",
  // and refresh token
  "45ghiukldjahdnhzdauz",
  // RFC 7009's revoked token
  "MWYyZDFlMmU2N2Rm",
  // Kubernetes' Secret (`1f2d1e2e67df`)
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  // Stripe's API reference
  "pk_test_TYooMQauvdEDq54NiTphI7jx",
  "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
  // Mailgun's
  "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
  // RFC 7617's `Aladdin:open sesame`
  // MongoDB's connection-string documentation (`mongodb://myDatabaseUser:D1fficultP%40ssw0rd@?`), as written and decoded.
  "D1fficultP%40ssw0rd",
  "D1fficultP@ssw0rd",
  // Azure's storage emulator (Azurite) and Cosmos DB emulator keys.
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
  // Hardhat's and Anvil's first two development accounts (from the published test mnemonic), in every tutorial.
  "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  // Their mnemonic, Ganache's and Truffle's, and BIP-39's first test vector.
  "test test test test test test test test test test test junk",
  "candy maple cake sugar pudding cream honey rich smooth crumble sweet treat",
  "candy maple velvet cake sugar cream honey rich smooth crumble sweet treat",
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
];
function isDocumentedExample(secret) {
  for (const v of DOCUMENTED_VALUES) if (secret.includes(v) || secret.length >= 16 && v.includes(secret)) return true;
  return false;
}
function isRepeated(secret) {
  let body = "";
  for (const seg of secret.split(/[_\-.:/]+/)) if (seg.length > body.length) body = seg;
  if (body.length < 8) return false;
  if (new Set(body).size <= 2) return true;
  for (let period = 1; period <= 4; period++) {
    let periodic = true;
    for (let i = period; i < body.length; i++) {
      if (body.charCodeAt(i) !== body.charCodeAt(i - period)) {
        periodic = false;
        break;
      }
    }
    if (periodic) return true;
  }
  let runsOfThree = true;
  for (let i = 0; i < body.length; ) {
    let j = i + 1;
    while (j < body.length && body.charCodeAt(j) === body.charCodeAt(i)) j++;
    if (j - i < 3) {
      runsOfThree = false;
      break;
    }
    i = j;
  }
  if (runsOfThree) return true;
  let ascending = true;
  for (let i = 1; i < body.length; i++) {
    const d = body.charCodeAt(i) - body.charCodeAt(i - 1);
    if (d !== 1 && !(body[i - 1] === "9" && (body[i] === "a" || body[i] === "A"))) {
      ascending = false;
      break;
    }
  }
  return ascending;
}
var REFERENCE_SHAPES = [
  /process\.env\b/,
  /\bos\.environ\b/,
  /\bos\.getenv\b/i,
  /\bgetenv\s*\(/i,
  /\bSystem\.getenv\b/,
  /\bENV\s*\[/,
  /\$\{\{\s*(?:secrets|env|vars|inputs)\./,
  /^\$[A-Za-z_][A-Za-z0-9_]*$/,
  // $VAR
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/,
  /^%[A-Za-z_][A-Za-z0-9_]*%$/,
  // %VAR%
  /^\$\([^)]*\)$/,
  // $(command)
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\s*\([^()]*\)$/
  // getPassword(), config.get("x")
];
function isReference(secret) {
  for (const re of REFERENCE_SHAPES) if (re.test(secret)) return true;
  return false;
}
var INTEGRITY_PREFIXES = ["sha512-", "sha384-", "sha256-", "sha1-"].map((p) => Buffer.from(p));
function isIntegrityHash(input, secretStart, secret) {
  if (/^sha(?:1|256|384|512)-/.test(secret)) return true;
  let i = secretStart;
  const floor = Math.max(0, secretStart - 128);
  while (i > floor && isBase64Byte(input[i - 1])) i--;
  for (const p of INTEGRITY_PREFIXES) {
    if (i >= p.length && Buffer.compare(p, input.subarray(i - p.length, i)) === 0) return true;
  }
  return false;
}
function isInsideBase64Run(input, secretStart, secretEnd) {
  let left = 0;
  while (left < 64 && secretStart - left > 0 && isBase64Byte(input[secretStart - left - 1])) left++;
  let right = 0;
  while (right < 64 && secretEnd + right < input.length && isBase64Byte(input[secretEnd + right])) right++;
  return left > 0 && right > 0 && left + right >= 64;
}
function isBase64Byte(b) {
  return b >= 48 && b <= 57 || b >= 65 && b <= 90 || b >= 97 && b <= 122 || b === 43 || b === 47;
}
var ALLOW_MARKERS = ["jit-gpg:allow", "gitleaks:allow", "trufflehog:ignore", "pragma: allowlist secret"].map(
  (m) => Buffer.from(m)
);
function hasInlineAllow(input, lineStart, lineEnd) {
  if (lineEnd - lineStart < 13) return false;
  const line = input.subarray(lineStart, lineEnd);
  for (const m of ALLOW_MARKERS) if (line.indexOf(m) >= 0) return true;
  return false;
}
function hasStopword(secret, stopwords) {
  if (stopwords.length === 0) return false;
  const lower = secret.toLowerCase();
  for (const w of stopwords) if (w && lower.includes(w)) return true;
  return false;
}
var AllowRegexes = class {
  patterns;
  constructor(sources, engine) {
    this.patterns = sources.map((s) => engine.compile(s));
  }
  get size() {
    return this.patterns.length;
  }
  matches(secret) {
    if (this.patterns.length === 0) return false;
    const buf = Buffer.from(secret, "utf8");
    for (const p of this.patterns) if (p.matchAll(buf).length > 0) return true;
    return false;
  }
};

// src/scan/fingerprint.ts
var import_node_crypto2 = __toESM(require_node_crypto(), 1);
function fingerprint(ruleId, secret) {
  return (0, import_node_crypto2.createHash)("sha256").update(ruleId).update("\0").update(secret).digest("hex");
}
function preview(secret) {
  const chars = [...secret];
  return `${chars.slice(0, Math.min(4, Math.floor(chars.length / 4))).join("")}****`;
}

// src/scan/prefilter.ts
var WASM_AFTER = 1024 * 1024;
var WALK_BYTES = 64 * 1024;
var KeywordPrefilter = class {
  /** Byte length of each keyword (lowercase UTF-8), by keyword id. */
  keywordLengths;
  /** Byte to its column in `delta`: 0 for bytes in no keyword, ASCII uppercase as lowercase. */
  classOf;
  /** Columns per row of `delta`. */
  classes;
  /** Keyword ids ending at each state (its own, then its suffix states'): `outIds[outStart[s] .. outStart[s + 1])`. */
  outIds;
  outStart;
  states;
  // The trie (each state's children as a linked list: first child, next sibling, the edge's class), each state's
  // failure state, whether it ends a keyword, and the states in breadth-first order.
  firstChild;
  nextSibling;
  edgeClass;
  fail;
  endsKeyword;
  order;
  table;
  // Built with flat typed arrays only (no Map or array per state): this runs once per process and per worker,
  // before the JIT has warmed up, so it is start-up time.
  constructor(keywords) {
    const lower = keywords.map((k) => k.toLowerCase());
    const joined = lower.join("");
    const bytes = Buffer.from(joined, "utf8");
    const ascii = bytes.length === joined.length;
    const ends = new Int32Array(lower.length + 1);
    for (let i = 0; i < lower.length; i++) {
      ends[i + 1] = ends[i] + (ascii ? lower[i].length : Buffer.byteLength(lower[i], "utf8"));
    }
    const lengths = new Int32Array(lower.length);
    for (let i = 0; i < lower.length; i++) lengths[i] = ends[i + 1] - ends[i];
    this.keywordLengths = lengths;
    const classOf = new Uint8Array(256);
    let classes = 1;
    for (let i = 0; i < bytes.length; i++) if (classOf[bytes[i]] === 0) classOf[bytes[i]] = classes++;
    for (let b = 65; b <= 90; b++) classOf[b] = classOf[b + 32];
    const maxStates = bytes.length + 1;
    const firstChild = new Int32Array(maxStates).fill(-1);
    const nextSibling = new Int32Array(maxStates).fill(-1);
    const edgeClass = new Int32Array(maxStates);
    const own = new Int32Array(maxStates).fill(-1);
    let n = 1;
    for (let id = 0; id < lower.length; id++) {
      if (ends[id] === ends[id + 1]) continue;
      let s = 0;
      for (let i = ends[id]; i < ends[id + 1]; i++) {
        const c = classOf[bytes[i]];
        let child = firstChild[s];
        while (child >= 0 && edgeClass[child] !== c) child = nextSibling[child];
        if (child < 0) {
          child = n++;
          edgeClass[child] = c;
          nextSibling[child] = firstChild[s];
          firstChild[s] = child;
        }
        s = child;
      }
      if (own[s] === -1) own[s] = id;
    }
    this.firstChild = firstChild;
    this.nextSibling = nextSibling;
    this.edgeClass = edgeClass;
    this.classOf = classOf;
    this.classes = classes;
    this.states = n;
    const fail = new Int32Array(n);
    const endsKeyword = new Uint8Array(n);
    const order = new Int32Array(n);
    this.fail = fail;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const s = order[head];
      for (let g = firstChild[s]; g >= 0; g = nextSibling[g]) {
        const f = s === 0 ? 0 : this.next(fail[s], edgeClass[g]);
        fail[g] = f;
        endsKeyword[g] = own[g] >= 0 || endsKeyword[f] ? 1 : 0;
        order[tail++] = g;
      }
    }
    this.endsKeyword = endsKeyword;
    this.order = order;
    const count = new Int32Array(n);
    for (let i = 1; i < n; i++) {
      const s = order[i];
      count[s] = (own[s] >= 0 ? 1 : 0) + count[fail[s]];
    }
    const outStart = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) outStart[s + 1] = outStart[s] + count[s];
    const outIds = new Int32Array(outStart[n]);
    for (let i = 1; i < n; i++) {
      const s = order[i];
      let at = outStart[s];
      if (own[s] >= 0) outIds[at++] = own[s];
      outIds.copyWithin(at, outStart[fail[s]], outStart[fail[s] + 1]);
    }
    this.outIds = outIds;
    this.outStart = outStart;
  }
  /** The trie's transition from state s on a byte class, following failure links (the walk, and the BFS above). */
  next(s, c) {
    const { firstChild, nextSibling, edgeClass, fail } = this;
    for (; ; ) {
      let child = firstChild[s];
      while (child >= 0 && edgeClass[child] !== c) child = nextSibling[child];
      if (child >= 0) return child;
      if (s === 0) return 0;
      s = fail[s];
    }
  }
  /**
   * `state * classes + class` to the next state * classes, negated when the next state ends a keyword: the full
   * table, built on first use.
   */
  get delta() {
    this.table ??= this.fillTable(new Int32Array(this.states * this.classes), 1);
    return this.table;
  }
  /**
   * Writes the full table into `out` (`states * classes` entries), each next state as `state * classes * unit`: 1
   * for `delta`, 4 for the WebAssembly loop's byte offsets (written in its memory directly: no second table to
   * convert). A state's row is its failure state's row (complete already: shallower; copied natively, a row at a
   * time), then its own edges.
   */
  fillTable(out, unit) {
    const { classes, states, order, fail, firstChild, nextSibling, edgeClass, endsKeyword } = this;
    const step = classes * unit;
    for (let i = 0; i < states; i++) {
      const s = order[i];
      const row2 = s * classes;
      if (s !== 0) out.copyWithin(row2, fail[s] * classes, (fail[s] + 1) * classes);
      for (let g = firstChild[s]; g >= 0; g = nextSibling[g]) {
        out[row2 + edgeClass[g]] = endsKeyword[g] ? -(g * step) : g * step;
      }
    }
    return out;
  }
  /** Hits of the last findHits(): `hits[2k]` = end (exclusive) of a keyword, `hits[2k + 1]` = its DFA state. */
  hits = new Int32Array(1024);
  wasm;
  /** Bytes scanned in JS (the walk, then the table loop); WebAssembly takes over past WASM_AFTER. */
  scannedInJs = 0;
  /**
   * Every position where at least one keyword ends, into `hits` (see there); returns how many. The keywords ending
   * there are `outIds[outStart[state] .. outStart[state + 1])`.
   */
  findHits(input) {
    if (this.wasm === void 0) {
      this.scannedInJs += input.length;
      if (this.table === void 0 && this.scannedInJs <= WALK_BYTES) return this.walk(input);
      if (this.scannedInJs > WASM_AFTER) this.wasm = WasmScanner.create(this);
    }
    if (this.wasm) return this.wasm.findHits(input, this);
    const { delta, classOf, classes } = this;
    let hits = this.hits;
    let n = 0;
    let s = 0;
    for (let i = 0; i < input.length; i++) {
      const t = delta[s + classOf[input[i]]];
      if (t < 0) {
        s = -t;
        if (n + 2 > hits.length) hits = this.growHits(n + 2);
        hits[n] = i + 1;
        hits[n + 1] = s / classes;
        n += 2;
      } else s = t;
    }
    return n >> 1;
  }
  /** findHits over the trie and its failure links, without the table: the same hits, for small inputs. */
  walk(input) {
    const { classOf, endsKeyword } = this;
    let hits = this.hits;
    let n = 0;
    let s = 0;
    for (let i = 0; i < input.length; i++) {
      const c = classOf[input[i]];
      s = c === 0 ? 0 : this.next(s, c);
      if (endsKeyword[s]) {
        if (n + 2 > hits.length) hits = this.growHits(n + 2);
        hits[n] = i + 1;
        hits[n + 1] = s;
        n += 2;
      }
    }
    return n >> 1;
  }
  /** Makes room for at least `need` entries in `hits`, keeping what is there. */
  growHits(need) {
    let size = this.hits.length;
    while (size < need) size *= 2;
    const next = new Int32Array(size);
    next.set(this.hits);
    this.hits = next;
    return next;
  }
  /** Calls `onHit(keywordId, end)` for every keyword occurrence ending at byte `end` (exclusive) in input[start, end). */
  scan(input, onHit, start = 0, end = input.length) {
    const n = this.findHits(input.subarray(start, end));
    const { hits, outIds, outStart } = this;
    for (let h = 0; h < n; h++) {
      const state = hits[2 * h + 1];
      for (let k = outStart[state]; k < outStart[state + 1]; k++) onHit(outIds[k], start + hits[2 * h]);
    }
  }
  /** Whether any keyword occurs in the input. */
  test(input) {
    return this.findHits(input) > 0;
  }
  /** Force the plain-JS loop (tests compare both). */
  disableWasm() {
    this.wasm = null;
  }
  get usesWasm() {
    if (this.wasm === void 0) this.wasm = WasmScanner.create(this);
    return this.wasm !== null;
  }
};
var L = (n) => [32, n];
var S = (n) => [33, n];
var T = (n) => [34, n];
var C = (n) => [65, n];
var [DATA, LEN, TABLE, OUT, CAP, I, ST, TMP, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
var BODY = [
  ...[1, 2, 127],
  // two i32 locals
  ...[2, 64, 3, 64],
  // block, loop
  ...[...L(I), ...L(LEN), 79, 13, 1],
  ...[...L(TABLE), ...L(ST), 106, ...L(DATA), ...L(I), 106, 45, 0, 0, 45, 0, 16],
  ...[...C(2), 116, 106, 40, 2, 0, ...T(TMP), ...C(0), 72, 4, 64],
  ...[...C(0), ...L(TMP), 107, ...S(ST)],
  ...[...L(OUT), ...L(N), ...C(3), 116, 106, ...L(I), 54, 2, 0],
  ...[...L(OUT), ...L(N), ...C(3), 116, 106, ...L(ST), 54, 2, 4],
  ...[...L(N), ...C(1), 106, ...T(N), ...L(CAP), 79, 4, 64, ...L(I), ...C(1), 106, ...S(I), 12, 3, 11],
  ...[5, ...L(TMP), ...S(ST), 11],
  ...[...L(I), ...C(1), 106, ...S(I), 12, 0, 11, 11],
  ...[...C(0), ...L(I), 54, 2, 0, ...C(0), ...L(ST), 54, 2, 4, ...L(N), 11]
];
function leb(n) {
  const out = [];
  do {
    let b = n & 127;
    n >>>= 7;
    if (n) b |= 128;
    out.push(b);
  } while (n);
  return out;
}
var section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
var name = (s) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
var MODULE = [
  ...[0, 97, 115, 109, 1, 0, 0, 0],
  ...section(1, [1, 96, 7, 127, 127, 127, 127, 127, 127, 127, 1, 127]),
  ...section(3, [1, 0]),
  ...section(5, [1, 0, 1]),
  ...section(7, [2, ...name("scan"), 0, 0, ...name("mem"), 2, 0]),
  ...section(10, [1, ...leb(BODY.length), ...BODY])
];
var WASM = globalThis.WebAssembly;
var compiled;
var PAGE = 65536;
var HIT_CAP = 16384;
var WasmScanner = class _WasmScanner {
  mem;
  run;
  rowBytes;
  table = 512;
  dataAt;
  dataCap = 0;
  u8;
  i32;
  static create(pf) {
    try {
      if (!WASM) return null;
      if (compiled === void 0) compiled = new WASM.Module(new Uint8Array(MODULE));
      return compiled ? new _WasmScanner(pf, compiled) : null;
    } catch {
      compiled = null;
      return null;
    }
  }
  constructor(pf, mod) {
    const inst = new WASM.Instance(mod, {});
    this.mem = inst.exports.mem;
    this.run = inst.exports.scan;
    this.rowBytes = pf.classes * 4;
    this.dataAt = this.table + pf.states * this.rowBytes;
    this.ensure(64 * 1024);
    this.u8.set(pf.classOf, 16);
    pf.fillTable(new Int32Array(this.mem.buffer, this.table, pf.states * pf.classes), 4);
  }
  /** Room for `len` input bytes and the hit buffer after them. */
  ensure(len) {
    if (len <= this.dataCap) return;
    const cap = Math.max(len, this.dataCap * 2) + 7 & ~7;
    const need = this.dataAt + cap + HIT_CAP * 8;
    const have = this.mem.buffer.byteLength;
    if (need > have) this.mem.grow(Math.ceil((need - have) / PAGE));
    this.dataCap = cap;
    this.u8 = new Uint8Array(this.mem.buffer);
    this.i32 = new Int32Array(this.mem.buffer);
  }
  findHits(input, pf) {
    this.ensure(input.length);
    const u8 = this.u8;
    const i32 = this.i32;
    u8.set(input, this.dataAt);
    const out = this.dataAt + this.dataCap;
    const outWord = out >> 2;
    const row2 = this.rowBytes;
    let hits = pf.hits;
    let n = 0;
    let i = 0;
    let s = 0;
    while (i < input.length) {
      const got = this.run(this.dataAt, input.length, this.table, out, HIT_CAP, i, s);
      i = i32[0];
      s = i32[1];
      if (n + 2 * got > hits.length) hits = pf.growHits(n + 2 * got);
      for (let k = 0; k < got; k++) {
        hits[n++] = i32[outWord + 2 * k] + 1;
        hits[n++] = i32[outWord + 2 * k + 1] / row2;
      }
    }
    return n >> 1;
  }
};

// src/scan/regex/native.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function nativeAddonName(platform = process.platform, arch = process.arch, abi = process.versions.modules, libc = detectLibc()) {
  return `re2-${platform}-${arch}${libc ? `-${libc}` : ""}-abi${abi}.node`;
}
function detectLibc() {
  if (process.platform !== "linux") return "";
  const fromInterpreter = elfInterpreter(process.execPath);
  if (fromInterpreter?.includes("musl")) return "musl";
  if (fromInterpreter?.includes("ld-linux")) return "glibc";
  const report = process.report?.getReport();
  return report?.header?.glibcVersionRuntime ? "glibc" : "musl";
}
function elfInterpreter(path) {
  let fd;
  try {
    fd = (0, import_node_fs2.openSync)(path, "r");
    const head = Buffer.alloc(4096);
    const got = (0, import_node_fs2.readSync)(fd, head, 0, head.length, 0);
    if (got < 64 || head.readUInt32BE(0) !== 2135247942 || head[4] !== 2 || head[5] !== 1) return void 0;
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    if (phentsize < 56 || phoff + phnum * phentsize > got) return void 0;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (head.readUInt32LE(at) !== 3) continue;
      const offset = Number(head.readBigUInt64LE(at + 8));
      const size = Math.min(Number(head.readBigUInt64LE(at + 32)), 256);
      const name2 = Buffer.alloc(size);
      (0, import_node_fs2.readSync)(fd, name2, 0, size, offset);
      return name2.toString("latin1").replace(/\0.*$/s, "");
    }
    return void 0;
  } catch {
    return void 0;
  } finally {
    if (fd !== void 0) (0, import_node_fs2.closeSync)(fd);
  }
}
function addonCandidates(fromDir, name2) {
  const out = [];
  let dir = fromDir;
  for (let i = 0; i < 4; i++) {
    out.push(join(dir, "native", name2), join(dir, "dist", "native", name2));
    dir = dirname(dir);
  }
  return out;
}
function loadNativeRE2() {
  const require2 = createRequire(import.meta.url);
  const here = dirname(fileURLToPath(import.meta.url));
  const errors = [];
  const explicit = process.env.JIT_GPG_RE2_ADDON;
  const paths = explicit ? [explicit] : addonCandidates(here, nativeAddonName()).filter((p) => (0, import_node_fs2.existsSync)(p));
  for (const path of paths) {
    try {
      return { ctor: require2(path), from: path };
    } catch (e) {
      errors.push(`${path}: ${e.message.split("\n")[0]}`);
    }
  }
  try {
    const mod = require2("re2");
    return { ctor: mod, from: "re2 package" };
  } catch (e) {
    errors.push(`re2 package: ${e.message.split("\n")[0]}`);
  }
  return { error: errors.length ? errors.join("; ") : `no ${nativeAddonName()} shipped for this runner` };
}
function nativeEngine(ctor) {
  new ctor("a", "g").exec(Buffer.from("a"));
  const Collector = ctor.Collector;
  return {
    name: "re2",
    compile(source, options = {}) {
      const re = new ctor(source, `gd${options.caseInsensitive ? "i" : ""}`);
      return {
        source,
        matchAll(input) {
          const spans = [];
          re.lastIndex = 0;
          for (let m = re.exec(input); m; m = re.exec(input)) {
            const start = m.index;
            const end = start + m[0].length;
            const groups = [];
            for (let g = 1; g < m.length; g++) groups[g] = m.indices?.[g] ?? void 0;
            spans.push({ start, end, groups });
            re.lastIndex = resumeAt(start, end, groups);
          }
          return spans;
        }
      };
    },
    compileSet(sources, options = {}) {
      const set = new ctor.Set(sources, options.caseInsensitive ? "i" : "", { maxMem: 512 * 1024 * 1024 });
      return { match: (input) => set.match(input) };
    },
    ...Collector ? { createCollector: (tables) => new Collector(tables) } : {}
  };
}

// src/scan/regex/index.ts
var cached;
var native;
var portable;
function wantsPortable() {
  if (process.env.JIT_GPG_REGEX_ENGINE === "re2js") return true;
  native ??= loadNativeRE2();
  return !("ctor" in native);
}
async function prepareRegexEngine() {
  if (!cached && !portable && wantsPortable()) portable = (await import("./chunks/portable-5CSLX645.js")).portableEngine;
}
function loadRegexEngine(onWarning = () => {
}) {
  if (cached) return cached;
  if (!wantsPortable() && native && "ctor" in native) {
    cached = nativeEngine(native.ctor);
    return cached;
  }
  if (!portable) throw new Error("internal: the portable regex engine was not loaded (await prepareRegexEngine())");
  if (native && "error" in native) {
    onWarning(
      `native RE2 is not available on ${process.platform}-${process.arch} node ${process.versions.node} (${native.error}); using the portable re2js engine: same results, slower scans`
    );
  }
  cached = portable();
  return cached;
}

// src/scan/release.ts
function releaseBuffer(buf) {
  const ab = buf.buffer;
  if (buf.byteOffset !== 0 || buf.byteLength === 0 || !(ab instanceof ArrayBuffer) || !ab.transfer) return;
  try {
    ab.transfer(0);
  } catch {
  }
}
function settleDetaching() {
  new ArrayBuffer(1).transfer?.(0);
}

// src/scan/rules/syntax.ts
var TOKEN_START = "(?:^|[^A-Za-z0-9_-])";
var TOKEN_END = "(?:[^A-Za-z0-9_-]|$)";
var ASSIGN = String.raw`["'\x60]?\s*(?::=|=>|=|:)\s*["'\x60]?`;
function named(vendor, value) {
  return String.raw`(?:^|[^/])(?i:${vendor})[\w.-]{0,30}${ASSIGN}(${value})${TOKEN_END}`;
}

// src/scan/validate/structure.ts
var import_node_crypto3 = __toESM(require_node_crypto(), 1);

// src/scan/validate/seeded.ts
function seededBytes(seed, length) {
  let state = 2166136261;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619);
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 4) {
    state = state + 1831565813 | 0;
    let t = Math.imul(state ^ state >>> 15, 1 | state);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    const word = (t ^ t >>> 14) >>> 0;
    for (let k = 0; k < 4 && i + k < length; k++) out[i + k] = word >>> 8 * k;
  }
  return out;
}

// src/shared/crc24.ts
function crc24(data) {
  let crc = 11994318;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i] << 16;
    for (let j = 0; j < 8; j++) {
      crc <<= 1;
      if (crc & 16777216) crc ^= 25578747;
    }
  }
  return crc & 16777215;
}

// src/scan/validate/structure.ts
function b64(s) {
  const clean = s.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return void 0;
  return Buffer.from(clean, "base64");
}
function b64url(s) {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s) || s.length % 4 === 1) return void 0;
  return Buffer.from(s.replace(/=+$/, ""), "base64url");
}
function jsonObject(buf) {
  if (!buf) return void 0;
  try {
    const v = JSON.parse(buf.toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : void 0;
  } catch {
    return void 0;
  }
}
function decodedText(v) {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 === 1) return void 0;
  const text = Buffer.from(v, "base64").toString("latin1").replace(/[\r\n]+$/, "");
  return /^[\x20-\x7e]+$/.test(text) ? text : void 0;
}
function printable2(s) {
  return s.length > 0 && !/[\u0000-\u001f\u007f\ufffd]/.test(s);
}
var PLACEHOLDER_PASSWORDS = /* @__PURE__ */ new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "secret",
  "changeme",
  "changeit",
  "admin",
  "root",
  "user",
  "username",
  "test",
  "testing",
  "example",
  "sample",
  "dummy",
  "default",
  "none",
  "null",
  "nil",
  "undefined",
  "empty",
  "redacted",
  "hidden",
  "masked",
  "token",
  "apikey",
  "api_key",
  "your_password",
  "yourpassword",
  "mypassword",
  "mysecretpassword",
  "postgres",
  "mysql",
  "guest",
  "foo",
  "bar",
  "foobar",
  "pw",
  "p",
  "x",
  "xxx",
  "todo",
  "tbd",
  "fixme",
  "placeholder",
  "insert_password_here",
  "secretpassword",
  "supersecret",
  "letmein",
  "123456",
  "12345678",
  "password123",
  "qwerty",
  "qwerty123",
  "hunter2",
  "passw0rd",
  "p@ssw0rd",
  "p@ssword",
  "abc123",
  "abcd1234",
  "iloveyou",
  "secret123",
  "test123",
  "admin123",
  "pass123",
  "pa55word",
  "s3cr3t",
  "topsecret",
  "true",
  "false",
  // GitHub's documented password for a token sent as the user name (`https://TOKEN:x-oauth-basic@github.com`): a
  // constant of the protocol. The token, when it is one, is the user name, which the token rules report.
  "x-oauth-basic"
]);
var PLACEHOLDER_SHAPES2 = [
  /^\$\{[^}]*\}$/,
  // ${DB_PASSWORD}
  /^\$\$?\{/,
  // ${VAR:-default}, and Compose's escaped $${VAR}
  /^\$\$?[A-Za-z_][A-Za-z0-9_]*$/,
  // $DB_PASSWORD, $$DB_PASSWORD
  /^\$\$?\(/,
  // $(cat file), $$(cat /run/secrets/db): a command substitution, whole or cut at its first space
  /^%[A-Za-z_][A-Za-z0-9_]*%$/,
  // %DB_PASSWORD%
  /^%\([^)]*\)s$/,
  // %(password)s
  /\{\{.*\}\}/,
  // {{ .Values.password }}
  /^\{[A-Za-z_][\w.-]*\}$/,
  // {password}
  /^[#%]\{/,
  // Ruby's and Crystal's `#{options[:password]}`, `%{password}`
  /^\{[A-Za-z_][\w.]*[(.[]/,
  // C#'s interpolation: `{Environment.GetEnvironmentVariable("DB_PASSWORD")}`
  /^<[^>]*>$/,
  // <password>
  /^\[[^\]]*\]$/,
  // [password]
  /^:[A-Za-z_]\w*$/,
  // :password (Rails-style)
  /^@[A-Za-z_][\w.]*@?$/,
  // @password@ (Maven/Ant filtering)
  /^(.)\1+$/,
  // ****, xxxx, 0000
  /x{3,}/i,
  /\*{3,}/,
  /^\.\.\.$|\.\.\.|\u2026/,
  /^(?:your|my|some|the|a|an)[_-]?(?:db[_-]?|database[_-]?|redis[_-]?|admin[_-]?|user[_-]?)?(?:password|passwd|pass|pwd|secret|token|key)/i,
  /(?:password|passwd|secret|token)[_-]?(?:here|goes[_-]?here|placeholder)$/i,
  /change[_-]?(?:me|it|this)/i,
  // A constant's name that a script substitutes before use (`-u ADMIN_USER:ADMIN_PW`, `sed s/DB_PASS/?/`).
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/,
  /^(?:example|sample|dummy|fake|test|demo|placeholder|something)[_-]?/i,
  /^env\(|^secret\(|^vault:|^ref\+|^op:\/\/|^arn:aws:secretsmanager/i
];
function isPlaceholderPassword(value) {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER_PASSWORDS.has(v.toLowerCase())) return true;
  for (let unit = 2; unit <= Math.min(v.length >> 1, 24); unit++) {
    if (v.length % unit === 0 && PLACEHOLDER_PASSWORDS.has(v.slice(0, unit).toLowerCase())) {
      if (v === v.slice(0, unit).repeat(v.length / unit)) return true;
    }
  }
  for (const re of PLACEHOLDER_SHAPES2) if (re.test(v)) return true;
  return INSTRUCTION.test(v.replace(/([a-z])([A-Z])/g, "$1_$2"));
}
var INSTRUCTION = /^(?:replace|insert|paste|enter|put|add|generate)[_-]?(?:this|it|me|with|your|the|a|an)(?:[^A-Za-z]|$)/i;
var METASYNTACTIC_WORDS = "foo|bar|baz|qux|quux|corge|grault|garply|waldo|fred|plugh|xyzzy|thud";
var METASYNTACTIC = new RegExp(`^(?:${METASYNTACTIC_WORDS})$`, "i");
var METASYNTACTIC_RUN = new RegExp(`^(?:(?:${METASYNTACTIC_WORDS})[_.-]?)+([0-9]*)$`, "i");
function isStandInPassword(value) {
  if (/^[0-9]{1,8}$/.test(value.replace(/[^A-Za-z0-9]+/g, ""))) return true;
  if (/^[A-Za-z]{1,5}$/.test(value)) return true;
  const meta = METASYNTACTIC_RUN.exec(value.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ""));
  if (meta && typedDigits(meta[1])) return true;
  const words = value.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.some((w) => METASYNTACTIC.test(w)) && words.every((w) => METASYNTACTIC.test(w) || /^[A-Za-z]$/.test(w)))
    return true;
  return namesAStandIn(words) || namesAStandIn(words.flatMap((w) => w.split(/(?<=[a-z])(?=[A-Z])/)));
}
function namesAStandIn(words) {
  return words.length > 0 && words.length <= 5 && // Digits apart from the words count as typed too (`password-1`, `token_2`).
  words.every((w) => typedWord(w) !== void 0 || /^[0-9]{1,3}$/.test(w)) && words.some((w) => {
    const word = typedWord(w);
    return /^(?:pass(?:word|wd)?|pwd|pw|secret|token|key|auth|credentials?)$/i.test(word) || /^[a-z]{1,10}(?:pass(?:word|wd)?|pwd|secret)$/i.test(word) || /^(?:pass(?:word|wd)?|secret)[a-z]{1,10}$/i.test(word);
  });
}
function typedWord(w) {
  const m = /^([A-Za-z]+)([0-9]*)$/.exec(w);
  return m && typedDigits(m[2]) ? m[1] : void 0;
}
function typedDigits(digits) {
  return digits.length <= 3 || longestAscendingRun(digits) === digits.length;
}
function validatePassword(secret) {
  let value = secret.slice(0, valueLength(secret));
  value = value.replace(
    /\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})/g,
    (_, u, x) => String.fromCharCode(Number.parseInt(u ?? x, 16))
  );
  try {
    value = decodeURIComponent(value);
  } catch {
  }
  if ([...value].length < 4) return "invalid";
  if (OWNED_PREFIXES.test(value)) return "invalid";
  const unleeted = unLeet(value);
  const stem = value.replace(/[0-9]+$/, "");
  const leet = unLeet(stem) !== stem && /^[A-Za-z]+[^A-Za-z0-9]*$/.test(unleeted) && isStandInPassword(unleeted);
  const squeezed = unleeted.replace(/[^A-Za-z0-9]/g, "");
  if (squeezed !== value && /^[A-Za-z]+$/.test(squeezed) && isPlaceholderPassword(squeezed)) return "invalid";
  const filler = /(.)\1{7}/.test(value) || /^[a-z]{1,12}$/.test(value) || /^%[A-Za-z_][A-Za-z0-9_]*%?[^A-Za-z0-9]?$/.test(value);
  return isPlaceholderPassword(value) || isStandInPassword(value) || leet || isKeyboardWalk(value) || filler ? "invalid" : "unknown";
}
function isTemplateHost(host) {
  return /^(?:\$|\{\{|<|%[A-Za-z_])|\.example(?::\d+)?$/i.test(host);
}
function isPlaceholderHost(host) {
  if (!host.includes(".")) return isPlaceholderPassword(host);
  return host.split(".").some((label) => /^(?:x{3,}|\*+|_+)$/i.test(label));
}
function validateNetrcPassword(secret, match = "") {
  const machine = /machine\s+(\S+)/.exec(match)?.[1];
  if (isHashedOrEncrypted(secret)) return "invalid";
  return machine && isTemplateHost(machine) ? "invalid" : validatePassword(secret);
}
function validatePgpassPassword(secret, match = "") {
  const fields = match.replace(/\r$/, "").match(PGPASS_FIELD) ?? [];
  const host = fields[0] === "*" ? "localhost" : fields[0];
  const user = fields[3];
  if (fields.length !== 5 || !host || !user) return validatePassword(secret);
  return validateDbUrl(secret, `postgresql://${user}:${secret}@${host}`);
}
var PGPASS_FIELD = /(?:[^:\\]|\\.)+/g;
var DB_URL = /([a-z][a-z0-9+.-]*):\/\/([^:@/\s]*):([^@\s]+)@([^\s/?#]+)/i;
function validateDbUrl(secret, match = "") {
  const m = DB_URL.exec(match || secret);
  if (!m) return validatePassword(secret);
  const host = m[4];
  if (!host || isPlaceholderHost(host.replace(/:\d+$/, "")) || isTemplateHost(host)) return "invalid";
  const password = m[3];
  const typed = /^(.*?)([0-9]*)$/.exec(password);
  const user = m[2].toLowerCase();
  const word = typed[1].toLowerCase();
  const userWords = word.length >= 3 ? user.split(/[^a-z0-9]+/) : [];
  if ((word === user || userWords.includes(word)) && typedDigits(typed[2]) || password.toLowerCase() === user || password.toLowerCase() === m[1].toLowerCase())
    return "invalid";
  return validatePassword(password);
}
function validateBasicAuthBase64(secret) {
  const buf = b64(secret);
  if (!buf || buf.length < 3) return "invalid";
  const text = buf.toString("utf8");
  if (!printable2(text) || Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "") !== secret.replace(/=+$/, ""))
    return "invalid";
  const i = text.indexOf(":");
  if (i <= 0 || i === text.length - 1) return "invalid";
  const password = text.slice(i + 1);
  return isPlaceholderPassword(password) || isStandInPassword(password) || password.length < 4 ? "invalid" : "unknown";
}
function validateBase64Password(secret) {
  const buf = b64(secret);
  if (!buf || buf.length === 0) return "invalid";
  const text = buf.toString("utf8");
  if (!printable2(text) || Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "") !== secret.replace(/=+$/, ""))
    return "invalid";
  return isPlaceholderPassword(text) || isStandInPassword(text) ? "invalid" : "unknown";
}
var JWT_EXAMPLE_SUBJECTS = /* @__PURE__ */ new Set(["1234567890"]);
var JWT_SAMPLE_SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
var JWT_PUBLIC_ISSUERS = /* @__PURE__ */ new Set(["supabase-demo"]);
function validateJwt(secret) {
  const parts = secret.split(".");
  if (parts.length !== 3) return "invalid";
  const header = jsonObject(b64url(parts[0]));
  const payload = jsonObject(b64url(parts[1]));
  if (!header || !payload) return "invalid";
  const alg = header["alg"];
  if (typeof alg !== "string" || alg.toLowerCase() === "none" || !/^[A-Za-z0-9+_-]{2,20}$/.test(alg)) return "invalid";
  const sig = b64url(parts[2]);
  if (!sig || sig.length < 16) return "invalid";
  if (JWT_EXAMPLE_SUBJECTS.has(String(payload["sub"])) && payload["name"] === "John Doe") return "invalid";
  if (parts[2] === JWT_SAMPLE_SIGNATURE) return "invalid";
  if (JWT_EXAMPLE_SUBJECTS.has(String(payload["sub"])) && payload["iat"] === 1516239022) return "invalid";
  if (/^ed25519(?:-nkey)?$/i.test(alg)) {
    const nats = payload["nats"];
    const type = nats && typeof nats === "object" ? nats["type"] : payload["type"];
    if (type === "operator" || type === "account") return "invalid";
  }
  if (JWT_PUBLIC_ISSUERS.has(String(payload["iss"]))) return "invalid";
  if (payload["iss"] === "supabase" && payload["role"] === "anon") return "invalid";
  if (typeof payload["exp"] === "number" && payload["exp"] < 1e9) return "invalid";
  const keys = Object.keys(payload);
  const registered = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"].some((k) => k in payload);
  if (!registered && keys.length < 2) return "invalid";
  return "valid";
}
var BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
var BECH32_GEN = [996825010, 642813549, 513874426, 1027748829, 705979059];
function bech32Polymod(values) {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (chk & 33554431) << 5 ^ v;
    for (let i = 0; i < 5; i++) if (top >>> i & 1) chk ^= BECH32_GEN[i];
  }
  return chk >>> 0;
}
function hrpExpand(hrp) {
  const out = [];
  for (const c of hrp) out.push(c.charCodeAt(0) >> 5);
  out.push(0);
  for (const c of hrp) out.push(c.charCodeAt(0) & 31);
  return out;
}
function convertBits(data, from, to, pad) {
  let acc = 0;
  let bits = 0;
  const out = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = acc << from | data[i];
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push(acc >> bits & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push(acc << to - bits & maxv);
  } else if (bits >= from || (acc << to - bits & maxv) !== 0) return void 0;
  return out;
}
function bech32Decode(s) {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return void 0;
  const lower = s.toLowerCase();
  const sep3 = lower.lastIndexOf("1");
  if (sep3 < 1 || sep3 + 7 > lower.length) return void 0;
  const hrp = lower.slice(0, sep3);
  const values = [];
  for (const c of lower.slice(sep3 + 1)) {
    const v = BECH32.indexOf(c);
    if (v < 0) return void 0;
    values.push(v);
  }
  if (bech32Polymod([...hrpExpand(hrp), ...values]) !== 1) return void 0;
  const bytes = convertBits(values.slice(0, -6), 5, 8, false);
  return bytes ? { hrp, data: Uint8Array.from(bytes) } : void 0;
}
function validateAgeSecretKey(secret) {
  const d = bech32Decode(secret);
  if (d?.hrp !== "age-secret-key-" || d.data.length !== 32) return "invalid";
  return "valid";
}
function parsePem(text) {
  const unescaped = joinStringLiterals(text).replace(/\\+(?=\r?\n)/g, "").replace(/\\+r/g, "").replace(/\\+n/g, "\n");
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/.exec(unescaped);
  if (!m || m[1] !== m[3]) return void 0;
  const headers = /* @__PURE__ */ new Map();
  const bodyLines = [];
  const lines = m[2].split(/\r?\n/);
  const marked = lines.slice(1).filter((l) => l.trim());
  const marker = marked.length > 0 && marked.every((l) => /^\s*[*#>|;]/.test(l)) ? /^\s*(?:\*|#+|>|\||;+)\s?/ : void 0;
  for (const raw of lines) {
    const line = (marker ? raw.replace(marker, "") : raw).trim();
    if (!line) continue;
    const h = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (h && bodyLines.length === 0) headers.set(h[1], h[2]);
    else bodyLines.push(line);
  }
  const base64 = bodyLines.join("");
  const body = b64(base64);
  if (!body || body.length < 16) return void 0;
  return { label: m[1], headers, body, base64 };
}
function joinStringLiterals(text) {
  if (!/["']/.test(text)) return text;
  return text.replace(/["']\s*(?:[+,]\s*)?["']/g, "").replace(/["']/g, "");
}
function pemText(label, base64, headers) {
  const lines = base64.match(/.{1,64}/g) ?? [];
  const head = headers?.size ? `${[...headers].map(([k, v]) => `${k}: ${v}`).join("\n")}

` : "";
  return `-----BEGIN ${label}-----
${head}${lines.join("\n")}
-----END ${label}-----
`;
}
function derRead(buf, pos) {
  if (pos + 2 > buf.length) return void 0;
  const tag = buf[pos];
  let len = buf[pos + 1];
  let start = pos + 2;
  if (len & 128) {
    const n = len & 127;
    if (n === 0 || n > 4 || start + n > buf.length) return void 0;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  const end = start + len;
  if (end > buf.length) return void 0;
  return { tag, start, end, next: end };
}
function derChildren(buf, el) {
  const out = [];
  for (let pos = el.start; pos < el.end; ) {
    const c = derRead(buf, pos);
    if (!c || c.end > el.end) return void 0;
    out.push(c);
    pos = c.next;
  }
  return out;
}
function isEncryptedPkcs8(der) {
  const top = derRead(der, 0);
  if (top?.tag !== 48 || top.end !== der.length) return false;
  const kids = derChildren(der, top);
  if (kids?.length !== 2 || kids[0].tag !== 48 || kids[1].tag !== 4) return false;
  const alg = derChildren(der, kids[0]);
  return !!alg && alg.length >= 1 && alg[0].tag === 6 && kids[1].end - kids[1].start >= 16;
}
var PEM_PRIVATE_LABELS = /* @__PURE__ */ new Set([
  "RSA PRIVATE KEY",
  "PRIVATE KEY",
  "EC PRIVATE KEY",
  "DSA PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
  "OPENSSH PRIVATE KEY"
]);
function validatePemPrivateKey(secret) {
  const pem2 = parsePem(secret);
  if (!pem2 || !PEM_PRIVATE_LABELS.has(pem2.label)) return "invalid";
  if (pem2.label === "OPENSSH PRIVATE KEY") return validateOpenSshBody(pem2.body);
  if (pem2.label === "ENCRYPTED PRIVATE KEY") return isEncryptedPkcs8(pem2.body) ? "valid" : "invalid";
  const procType = pem2.headers.get("Proc-Type");
  if (procType !== void 0) {
    const dek = pem2.headers.get("DEK-Info") ?? "";
    if (!/^4,ENCRYPTED$/.test(procType) || !/^[A-Z0-9-]+,[0-9A-Fa-f]{16,32}$/.test(dek)) return "invalid";
    return pem2.body.length % 8 === 0 ? "valid" : "invalid";
  }
  try {
    const key = (0, import_node_crypto3.createPrivateKey)({ key: pemText(pem2.label, pem2.base64), format: "pem" });
    return key.type === "private" ? "valid" : "invalid";
  } catch {
    return "invalid";
  }
}
function validateDerPrivateKey(secret, _match = "", before = "") {
  if (/-----BEGIN [A-Z0-9 ]+-----(?:\s|\\[nr]|["'+])*$/.test(before)) return "invalid";
  const base64 = joinStringLiterals(secret).replace(/\\+[nr]/g, "").replace(/[\s|]/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return "invalid";
  const der = derWhole(Buffer.from(base64, "base64"));
  return der && (isPrivateKeyDer(der) || isEncryptedPkcs8(der)) ? "valid" : "invalid";
}
function derWhole(buf) {
  const top = derRead(buf, 0);
  return top?.tag === 48 && top.end <= buf.length ? buf.subarray(0, top.end) : void 0;
}
function isPrivateKeyDer(der) {
  for (const type of ["pkcs8", "sec1", "pkcs1"]) {
    try {
      if ((0, import_node_crypto3.createPrivateKey)({ key: der, format: "der", type }).type === "private") return true;
    } catch {
    }
  }
  return false;
}
function validatePemPrivateKeyOtherLabel(secret) {
  const pem2 = parsePem(secret);
  if (!pem2 || !/(?:^| )PRIVATE KEY$/.test(pem2.label) || PEM_PRIVATE_LABELS.has(pem2.label)) return "invalid";
  if (isPrivateKeyDer(pem2.body)) return "valid";
  const top = derRead(pem2.body, 0);
  if (top?.tag !== 48 || top.end !== pem2.body.length) return "invalid";
  const version = derRead(pem2.body, top.start);
  const small = version?.tag === 2 && version.end - version.start === 1 && pem2.body[version.start] <= 1;
  return small ? "unknown" : "invalid";
}
var CEPH_EPOCH = [1199145600, 4102444800];
function validateCephKey(secret) {
  const buf = b64(secret);
  if (buf?.length !== 28) return "invalid";
  const created = buf.readUInt32LE(2);
  const ok = buf.readUInt16LE(0) === 1 && buf.readUInt16LE(10) === 16 && created >= CEPH_EPOCH[0] && created < CEPH_EPOCH[1] && buf.readUInt32LE(6) < 1e9;
  return ok ? "valid" : "invalid";
}
var SshReader = class {
  pos = 0;
  buf;
  constructor(buf) {
    this.buf = buf;
  }
  u32() {
    if (this.pos + 4 > this.buf.length) return void 0;
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes() {
    const n = this.u32();
    if (n === void 0 || this.pos + n > this.buf.length) return void 0;
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  str() {
    return this.bytes()?.toString("latin1");
  }
};
var SSH_MAGIC = Buffer.from("openssh-key-v1\0", "latin1");
var SSH_CIPHERS = /* @__PURE__ */ new Set([
  "none",
  "aes128-ctr",
  "aes192-ctr",
  "aes256-ctr",
  "aes128-cbc",
  "aes192-cbc",
  "aes256-cbc",
  "aes128-gcm@openssh.com",
  "aes256-gcm@openssh.com",
  "chacha20-poly1305@openssh.com",
  "3des-cbc"
]);
function sshKeyType(t) {
  return !!t && /^(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-[a-z0-9-]+@openssh\.com)$/.test(t);
}
function validateOpenSshBody(body) {
  if (body.length < SSH_MAGIC.length + 32 || !body.subarray(0, SSH_MAGIC.length).equals(SSH_MAGIC)) return "invalid";
  const r = new SshReader(body);
  r.pos = SSH_MAGIC.length;
  const cipher = r.str();
  const kdf = r.str();
  const kdfOptions = r.bytes();
  const n = r.u32();
  if (cipher === void 0 || !SSH_CIPHERS.has(cipher) || kdfOptions === void 0 || !n || n > 16) return "invalid";
  if (cipher === "none" ? kdf !== "none" || kdfOptions.length !== 0 : kdf !== "bcrypt") return "invalid";
  if (kdf === "bcrypt") {
    const k = new SshReader(kdfOptions);
    const salt = k.bytes();
    const rounds = k.u32();
    if (!salt || salt.length < 8 || !rounds || k.pos !== kdfOptions.length) return "invalid";
  }
  const types = [];
  for (let i = 0; i < n; i++) {
    const pub = r.bytes();
    if (!pub) return "invalid";
    const t = new SshReader(pub).str();
    if (!sshKeyType(t)) return "invalid";
    types.push(t);
  }
  const priv = r.bytes();
  if (!priv || r.pos !== body.length || priv.length % 8 !== 0 || priv.length < 16) return "invalid";
  if (cipher !== "none") return "valid";
  const p = new SshReader(priv);
  const c1 = p.u32();
  const c2 = p.u32();
  if (c1 !== c2) return "invalid";
  return p.str() === types[0] ? "valid" : "invalid";
}
function validateOpenSshKey(secret) {
  const pem2 = parsePem(secret);
  if (pem2?.label !== "OPENSSH PRIVATE KEY") return "invalid";
  return validateOpenSshBody(pem2.body);
}
function validateSsh2Key(secret) {
  const text = secret.replace(/\\n/g, "\n");
  const m = /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----([\s\S]*?)---- END SSH2 ENCRYPTED PRIVATE KEY ----/.exec(text);
  if (!m) return "invalid";
  const lines = [];
  let continued = false;
  for (const raw of m[1].split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (continued || /^[A-Za-z-]+:/.test(line)) {
      continued = line.endsWith("\\");
      continue;
    }
    lines.push(line);
  }
  const body = b64(lines.join(""));
  if (!body || body.length < 16 || body.readUInt32BE(0) !== 1064303083) return "invalid";
  return body.readUInt32BE(4) === body.length ? "valid" : "invalid";
}
function validatePuttyKey(secret) {
  const lines = secret.replace(/\\r/g, "").replace(/\\n/g, "\n").split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  let i = 0;
  const field = (name2) => {
    const m = new RegExp(`^${name2}: ?(.*)$`).exec(lines[i] ?? "");
    if (!m) return void 0;
    i++;
    return m[1];
  };
  const head = /^PuTTY-User-Key-File-([23]): ?(\S+)$/.exec(lines[i++] ?? "");
  if (!head) return "invalid";
  const version = head[1];
  const algorithm = head[2];
  const encryption = field("Encryption");
  const comment = field("Comment");
  if (!sshKeyType(algorithm) || encryption !== "none" && encryption !== "aes256-cbc" || comment === void 0)
    return "invalid";
  const block = (name2) => {
    const n = Number(field(name2));
    if (!Number.isInteger(n) || n < 1 || n > 256) return void 0;
    const body = lines.slice(i, i + n);
    i += n;
    if (body.length !== n) return void 0;
    return b64(body.join(""));
  };
  const pub = block("Public-Lines");
  if (!pub) return "invalid";
  if (version === "3" && encryption !== "none") {
    for (const f of ["Key-Derivation", "Argon2-Memory", "Argon2-Passes", "Argon2-Parallelism", "Argon2-Salt"])
      if (field(f) === void 0) return "invalid";
  }
  const priv = block("Private-Lines");
  const mac = field("Private-MAC");
  if (!priv || mac === void 0) return "invalid";
  const macLen = version === "2" ? 40 : 64;
  if (!new RegExp(`^[0-9a-f]{${macLen}}$`).test(mac)) return "invalid";
  if (new SshReader(pub).str() !== algorithm) return "invalid";
  if (encryption !== "none") return priv.length % 16 === 0 ? "valid" : "invalid";
  return puttyMac(version, algorithm, encryption, comment, pub, priv) === mac ? "valid" : "invalid";
}
function sshString(data) {
  const b = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
function puttyMac(version, algorithm, encryption, comment, pub, priv) {
  const data = Buffer.concat([
    sshString(algorithm),
    sshString(encryption),
    sshString(comment),
    sshString(pub),
    sshString(priv)
  ]);
  if (version === "2") {
    const key = (0, import_node_crypto3.createHash)("sha1").update("putty-private-key-file-mac-key").digest();
    return (0, import_node_crypto3.createHmac)("sha1", key).update(data).digest("hex");
  }
  return (0, import_node_crypto3.createHmac)("sha256", Buffer.alloc(0)).update(data).digest("hex");
}
var PGP_PUBLIC_ALGOS = /* @__PURE__ */ new Set([1, 2, 3, 16, 17, 18, 19, 20, 22, 25, 26, 27, 28]);
function pgpSecretPacket(body) {
  const b0 = body[0];
  if (b0 === void 0 || !(b0 & 128)) return false;
  let tag;
  let pos;
  let len;
  if (b0 & 64) {
    tag = b0 & 63;
    const l0 = body[1];
    if (l0 < 192) {
      len = l0;
      pos = 2;
    } else if (l0 < 224) {
      len = (l0 - 192 << 8) + body[2] + 192;
      pos = 3;
    } else if (l0 === 255) {
      len = body.readUInt32BE(2);
      pos = 6;
    } else return false;
  } else {
    tag = b0 >> 2 & 15;
    const lt = b0 & 3;
    if (lt === 0) {
      len = body[1];
      pos = 2;
    } else if (lt === 1) {
      len = body.readUInt16BE(1);
      pos = 3;
    } else if (lt === 2) {
      len = body.readUInt32BE(1);
      pos = 5;
    } else return false;
  }
  if (tag !== 5 || pos + len > body.length || len < 8) return false;
  const version = body[pos];
  if (version < 3 || version > 6) return false;
  const algo = body[pos + (version === 3 ? 7 : 5)];
  return PGP_PUBLIC_ALGOS.has(algo);
}
function validatePgpPrivateKey(secret) {
  const text = joinStringLiterals(secret).replace(/\\r/g, "").replace(/\\n/g, "\n");
  const m = /-----BEGIN PGP PRIVATE KEY BLOCK-----([\s\S]*?)-----END PGP PRIVATE KEY BLOCK-----/.exec(text);
  if (!m) return "invalid";
  const lines = m[1].split(/\r?\n/).map((l) => l.trim());
  let i = 0;
  while (i < lines.length && lines[i] === "") i++;
  if (/^[A-Za-z-]+: /.test(lines[i] ?? "")) {
    while (i < lines.length && lines[i] !== "") i++;
  }
  const bodyLines = [];
  let crc;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    if (/^=[A-Za-z0-9+/]{4}$/.test(line)) {
      crc = line.slice(1);
      break;
    }
    bodyLines.push(line);
  }
  const body = b64(bodyLines.join(""));
  if (!body || body.length < 32) return "invalid";
  if (crc !== void 0) {
    const want = Buffer.from(crc, "base64");
    if (want.length !== 3 || want.readUIntBE(0, 3) !== crc24(body)) return "invalid";
  }
  return pgpSecretPacket(body) ? "valid" : "invalid";
}
function validateBase64PemKey(secret) {
  const buf = b64(secret);
  if (!buf) return "invalid";
  return validatePemPrivateKey(buf.toString("utf8"));
}
var JWK_D_BYTES = { OKP: [32, 57], EC: [32, 48, 65, 66] };
function validateJwkPrivateKey(secret) {
  const obj = jwkMembers(secret);
  const encoded = obj["d"];
  const kty = obj["kty"];
  if (encoded === void 0 || kty !== "RSA" && kty !== "EC" && kty !== "OKP" || isStandIn(encoded)) {
    return "invalid";
  }
  const d = b64url(encoded);
  if (!d) return "invalid";
  const sizes = JWK_D_BYTES[kty];
  if (sizes && !sizes.includes(d.length) || d.every((b) => b === 0)) return "invalid";
  try {
    const key = (0, import_node_crypto3.createPrivateKey)({ key: obj, format: "jwk" });
    if (key.type === "private") return "valid";
  } catch {
  }
  if (sizes || d.length >= 128) return "unknown";
  return "invalid";
}
var JWK_MEMBERS = /* @__PURE__ */ new Set(["kty", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k"]);
var JWK_KEY_MATERIAL = /* @__PURE__ */ new Set(["x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k"]);
function jwkMembers(secret) {
  const text = /""\w+""\s*:/.test(secret) ? secret.replace(/""/g, '"') : secret;
  const out = {};
  const member = /(["'])(\w{1,8})\1\s*:\s*((?:(["'])[^"'\\\r\n]*\4(?:\s*(?:\+\s*)?(?=["']))?)+)/g;
  for (let m = member.exec(text); m; m = member.exec(text)) {
    const name2 = m[2].toLowerCase();
    if (!JWK_MEMBERS.has(name2) || name2 in out) continue;
    let value = joinStringLiterals(m[3]);
    if (JWK_KEY_MATERIAL.has(name2)) value = value.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    out[name2] = value;
  }
  return out;
}
function validateJwkSymmetricKey(secret) {
  const obj = jwkMembers(secret);
  const encoded = obj["kty"] === "oct" ? obj["k"] : void 0;
  if (encoded === void 0 || isStandIn(encoded)) return "invalid";
  const k = b64url(encoded);
  if (!k || k.length < 16 || k.every((b) => b === k[0])) return "invalid";
  return "valid";
}
function validateLaravelAppKey(secret) {
  if (!secret.startsWith("base64:")) {
    const random = /[0-9]/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret) && !isCamelPhrase(secret);
    return secret.length === 32 && random && !isStandIn(secret) && shannonEntropy(secret) >= 3.5 ? "unknown" : "invalid";
  }
  const key = b64(secret.slice(7));
  if (!key || key.length !== 16 && key.length !== 32 || key.every((b) => b === key[0])) return "invalid";
  return /^[\x20-\x7e]+$/.test(key.toString("latin1")) ? "invalid" : "valid";
}
function isCamelPhrase(v) {
  const parts = v.split(/(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Za-z])/);
  return parts.length >= 3 && parts.every((p) => /^[0-9]{1,3}$/.test(p) || /^[A-Z]?[a-z]+$/.test(p) && /[aeiouy]/i.test(p));
}
function validateDjangoSecretKey(secret) {
  const body = secret.slice("django-insecure-".length);
  return body.length === 50 && !isStandIn(body) && shannonEntropy(body) >= 4 ? "unknown" : "invalid";
}
function validateNkeySeed(secret) {
  if (!/^S[A-Z]A[A-Z2-7]{55}$/.test(secret)) return "invalid";
  const data = base32Decode(secret);
  if (data?.length !== 36 || data[0] >> 3 !== 18 || (BASE32.indexOf(secret[57]) & 3) !== 0) return "invalid";
  return crc16Xmodem(data.subarray(0, 34)) === (data[34] | data[35] << 8) ? "valid" : "invalid";
}
function crc16Xmodem(bytes) {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 32768 ? (crc << 1 ^ 4129) & 65535 : crc << 1 & 65535;
  }
  return crc;
}
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
var OWNED_PREFIXES = new RegExp(
  [
    "^(?:gh[pousr]_|github_pat_|gl[a-z]{1,4}-|npm_|pypi-|AKIA|ASIA|AIza|ya29\\.|xox[a-z]-|xoxe\\.|xapp-|hf_|api_org_|do[opr]_v1_",
    "r8_|gsk_|pplx-|xai-|SG\\.|shp(?:at|ca|pa|ss)_|sq0[a-z]{3}-|EAAA|AGE-SECRET-KEY-|eyJ|dop_v1_|hvs\\.|hvb\\.|lsv2_",
    "pcsk_|xkeysib-|xsmtpsib-|FLWSECK|whsec_|[sr]k_(?:live|test)_|sk-(?:proj|svcacct|admin|None|ant|or-v1)-",
    "tgp_v1_|tvly-|mlsn\\.|md-|re_[A-Za-z0-9]{8}_|pdl_(?:live|sdbx)_|AQE|access-(?:production|development|sandbox)-",
    "access_token\\$|key-[0-9a-f]{32}$|[0-9a-f]{32}-us[0-9]{1,2}$|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$",
    "[0-9]{8,10}:AA|sk-[A-Za-z0-9]{20}T3BlbkFJ|GOCSPX-|HRKU-|sb_secret_|sbp_|pscale_(?:pw|tkn|oauth)_|rnd_",
    "lin_(?:api|oauth)_|PMAK-|glc_|glsa_|sntry[us]_|NRAK-|ccipat_|cciprj_|bkua_|sq[upa]_|pul-|tskey-|pnu_|dckr_",
    "rubygems_|clojars_|packagist_|sgp_|ops_ey|dapi[0-9a-f]|ATATT3|ATCTT3|ATBB|ABSK|bedrock-api-key-|amzn\\.mws\\.",
    "fm[12][ar]?_|fo1_|vc[pikar]_|nfp_|dp\\.(?:pt|ct|st|sa|scim|audit)\\.|LTAI|AKID|[0-9A-Za-z_-]{3}[78]Q~|phx_)"
  ].join("|")
);
var PUBLIC_CLIENT_KEYS = /^(?:pk_(?:live|test)_|phc_|sb_publishable_|pk\.eyJ)/;
var SEARCH_CLIENT = /\b(?:appId|applicationId|app_id)["']?[ \t]*:[ \t]*["'][A-Z0-9]{10}["'][^};]*$/;
var TYPE_NAMES = /^(?:u?int(?:8|16|32|64)(?:clamped)?array|float(?:32|64)array|big(?:u?int)64array|arraybuffer|sharedarraybuffer|buffer|string|number|boolean|object|bytes|bytearray|keyobject|cryptokey|uint8list|base64string|hexstring|secretkey|privatekey|publickey)$/i;
function isCodeNotValue(v) {
  if (TYPE_NAMES.test(v)) return true;
  const ident = /^[A-Za-z_$][\w$]*$/;
  const parts = v.replace(/^[!:]+/, "").split(/\||::|\./);
  if (parts.filter((p) => p !== "").length > 1 && parts.every((p) => p === "" || ident.test(p) && readsAsName(p)))
    return true;
  if (/^[!:]/.test(v) && parts.every((p) => ident.test(p))) return true;
  if (ident.test(v) && /token|secret|passw|pwd|key|credential|auth/i.test(v) && /^[A-Za-z_$]+[0-9]{0,2}$/.test(v))
    return true;
  if (ident.test(v) && /token|secret|passw|pwd|key|credential|auth/i.test(v)) {
    const words = v.replace(/[0-9_$]+/g, "").split(/(?=[A-Z])/);
    if (words.length <= 5 && words.every((w) => w.length >= 2)) return true;
  }
  return false;
}
function isWordPhrase2(v) {
  if (/[0-9]/.test(v)) return false;
  const parts = v.split(/[^A-Za-z]+/).filter((p) => p.length > 0);
  return parts.length > 0 && parts.length <= 5 && parts.every((p) => /^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)$/.test(p));
}
function humps(letters) {
  return letters.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
}
function isWordish(part) {
  const digits = part.replace(/[^0-9]/g, "").length;
  if (digits > 2) return false;
  const letters = part.replace(/[0-9]/g, "");
  if (letters.length === 0 || !/^[A-Za-z]+$/.test(letters)) return false;
  const words = part.split(/[0-9]+/).flatMap(humps);
  if (words.join("") !== letters || letters.length / words.length < 3) return false;
  if ((letters.match(/[aeiouy]/gi)?.length ?? 0) < letters.length / 4) return false;
  const mixed = words.filter((w) => /^[A-Z]?[a-z]{1,2}$/.test(w) && w !== w.toUpperCase()).length;
  return mixed <= 1 && words.every((w) => w.length < 5 || w === w.toUpperCase() || isPronounceable(w));
}
function isIdentifierPhrase(v) {
  const parts = v.split(/[-_.:/@#+]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return false;
  let word = false;
  for (const p of parts) {
    if (p.length >= 4 && isWordish(p)) word = true;
    else if (!/^[A-Za-z]{1,3}[0-9]{0,2}$|^[0-9]{1,4}$/.test(p) && !isWordish(p)) return false;
  }
  return word;
}
function isCallExpression(v) {
  return /[\w\])]\(\)/.test(v) || // an empty call: `uuid.uuid4()`, `.decode()`
  /[)\]]\.[A-Za-z_$]/.test(v) || // used on: `Session().get_credentials`, `services[1].decode`
  /[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*\(/.test(v) || // a method call: `random.getrandbits(64)`
  /\[-?[0-9]*:-?[0-9]*\]/.test(v) || // a slice: `hex[:26]`
  /^[A-Za-z_$][\w$]{2,}\(.*\)$/.test(v);
}
function isCodeExpression(v) {
  const m = /^[!+-]?((?:#?[A-Za-z_$][\w$]*)(?:\??\.#?[A-Za-z_$][\w$]*)+)(?:$|[?|&=!+:,*/%<>^~-])/.exec(v);
  if (!m) return false;
  return m[1].split(/\??\./).every((p) => /^#?[A-Za-z_$][A-Za-z_$]*[0-9]{0,2}[A-Za-z_$]*$/.test(p) && readsAsName(p));
}
function readsAsName(part) {
  return part.replace(/^#/, "").split(/[_$0-9]+/).every((w) => {
    if (w.length < 5) return true;
    const words = humps(w);
    if (words.join("") !== w || w.length / words.length < 2.5) return false;
    return words.filter((h) => /^(?:[A-Z][a-z]?|[a-z]{1,2})$/.test(h)).length < 3;
  });
}
var CONCATENATED = /^(?:\.{1,2}|\+)\s*(?:\$[A-Za-z_]\w*|[A-Za-z_$][\w$]*(?:(?:->|::|\.)[A-Za-z_$][\w$]*)*\([^()]*\))\s*(?:\.{1,2}|\+)?$/;
var NON_SECRET_TOKEN_NAME = /(?:continuation|next|page|pagination|cursor|client|idempotency|request|update|sync|resume|change|marker|csrf[a-z]*|xsrf|authenticity|challenge|verification|state|device|public[_.-]?key|cluster)[_.-]?token(?:[_.-]?(?:value|name|header|param))?["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i;
var ACME_CHALLENGE = /\b(?:http-?01|dns-?01|tls-?alpn-?01)\b|\bacme\b.*challenge|challenge.*\bacme\b/i;
var CREDENTIAL_SCOPE = /^[A-Za-z0-9]{8,128}\/[0-9]{8}\/[A-Za-z0-9-]+\/[A-Za-z0-9-]+\/[a-z0-9_]+$|^[^/\s]{1,128}(?:\/[^/\s]+){3}\/[a-z0-9]+_request$|^[^/\s]{1,128}\/[0-9]{8}\/[a-z]{2}(?:-[a-z]+)+-[0-9]+(?:\/|$)/;
function isKeyboardMash(v) {
  const letters = v.toLowerCase().replace(/[^a-z]/g, "");
  if (letters.length < 6 || !/[asdfghjkl]{5}/.test(letters)) return false;
  const home = letters.replace(/[^asdfghjkl]/g, "");
  return home.length * 5 >= letters.length * 4 && new Set(home.replace(/[adf]/g, "")).size >= 3;
}
var TYPED_PASSWORD = /^[A-Za-z][A-Za-z0-9]{3,}[#@+][0-9]{2,}$/;
function namesAPassword(match) {
  return /(?:pass(?:word|wd)?|pwd)["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i.test(match);
}
var TOKEN_NAMED = /(?:(?:access|refresh|auth|api|bearer|oauth|personal)[_.-]?token|api[_.-]?key|secret(?:[_.-]?key)?)["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i;
function namesASecret(match) {
  return /(?:secret|pass(?:word|wd)?|pwd)["'\]]*[ \t]*(?::=|=>|\?=|!?=|:|,|>|\.equals)/i.test(match);
}
var HASH_NAMED = /(?:^|[^A-Za-z0-9])(?:md5|sha-?(?:1|224|256|384|512)?|scrypt|bcrypt|argon2\w*|pbkdf2\w*|phpass|hash(?:ed)?|digest)(?:[^A-Za-z0-9]|$)/i;
var DIGEST_HEX = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
var DIGEST_BASE64 = /^(?:[A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{27}=|[A-Za-z0-9+/]{38}==|[A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{86}==)$/;
function isStoredPasswordHash(v, match, before) {
  if (!namesAPassword(match)) return false;
  if (!DIGEST_HEX.test(v) && !DIGEST_BASE64.test(v)) return false;
  return HASH_NAMED.test(before);
}
var HASHED_NAME = /(?:(?:encoded|hashed|encrypted|crypted|digested)[_.-]?pass(?:word|wd)?|pass(?:word|wd)?[_.-]?(?:hash(?:ed)?|digest|encoded|crypt(?:ed)?)|(?:hashed|digested)[_.-]?(?:secret|token)|(?:secret|token)[_.-]?(?:hash(?:ed)?|digest))["'\]]*[ \t]*(?::=|=>|\?=|=|:|,|>)/i;
function isHashedOrEncrypted(v) {
  if (/[%#]\{|^\{[A-Za-z0-9_-]+\}|^ENC\(|^encrypted:|^\$(?:2[abxy]?|1|5|6|y|7|P|H|[a-z][a-z0-9-]{1,11})\$/i.test(v))
    return true;
  return /^(?:pbkdf2_sha\d+|bcrypt|argon2\w*|sha\d+|md5|scrypt)\$/i.test(v);
}
var NAMES_ITSELF = /secret|passw(?:or)?d|passphrase|token|api[_.-]?key|credential/i;
function unLeet(v) {
  return v.replace(/[0134579$@]/g, (c) => LEET[c]);
}
var LEET = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "9": "g",
  $: "s",
  "@": "a"
};
var TYPED_RUN = /(?:01234|12345|23456|34567|45678|56789|abcde|bcdef|qwert|asdf)/i;
function isRandomLetters(v) {
  if (v.length < 16 || !/[a-z]/.test(v) || !/[A-Z]/.test(v)) return false;
  const parts = humps(v);
  if (parts.length < 6) return false;
  const words = parts.filter((h) => h.length >= 3 && isPronounceable(h)).length;
  return words * 3 < parts.length;
}
function isNameOfWords(name2) {
  const parts = humps(name2.replace(/[0-9]+$/, ""));
  return parts.length > 0 && parts.every((p) => /^[A-Z]{1,5}$/.test(p) || p.length >= 2 && /[aeiouy]/i.test(p) && !/[^aeiouy]{4}/i.test(p));
}
function sequentialRuns(v) {
  let runs = 0;
  let len = 1;
  for (let i = 1; i <= v.length; i++) {
    if (i < v.length && v.charCodeAt(i) === v.charCodeAt(i - 1) + 1) len++;
    else {
      if (len >= 3) runs++;
      len = 1;
    }
  }
  return runs;
}
function validateGenericSecret(secret, match = "", before = "") {
  if (secret.length > 200) return "invalid";
  let v = secret;
  if (/%[0-9A-Fa-f]{2}/.test(v)) {
    try {
      v = decodeURIComponent(v);
    } catch {
    }
  }
  if (/\\u[0-9A-Fa-f]{4}/.test(v))
    v = v.replace(/\\u([0-9A-Fa-f]{4})/g, (_, h2) => String.fromCharCode(Number.parseInt(h2, 16)));
  if (v.length < 8 || v.length > 200) return "invalid";
  if (/^crwdns\d+:\d+crwdne\d+:\d+$/.test(v)) return "invalid";
  if (/^[a-z_]+(?::[\w,.]+)?(?:\|[a-z_]+(?::[\w,.]+)?)+$/.test(v)) return "invalid";
  if (/[\u0000-\u001f\u007f]/.test(v)) return "invalid";
  if (/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/.test(v)) return "invalid";
  const inQuery = /^[^A-Za-z0-9_.:-]?[?&]/.test(match);
  if (inQuery && v.length < 16) return "invalid";
  if (inQuery && /badge[^\s?"'()]*$/i.test(before)) return "invalid";
  if (isPlaceholderPassword(v)) return "invalid";
  if (OWNED_PREFIXES.test(v)) return "invalid";
  if (PUBLIC_CLIENT_KEYS.test(v)) return "invalid";
  if (/^[0-9a-f]{32}$/.test(v) && /^[^A-Za-z0-9]?(?:search)?api[_-]?key/i.test(match) && SEARCH_CLIENT.test(before))
    return "invalid";
  if (UUID.test(v) && !(UUID_V4.test(v) && namesASecret(match) && !inQuery)) return "invalid";
  if (/^[A-Za-z_][A-Za-z_.-]+[0-9]*=[^=]/.test(v) && isNameOfWords(v.slice(0, v.indexOf("=")))) return "invalid";
  if (!/(?:^|&)sig=/.test(v)) {
    if (/^[a-z]{1,4}=[0-9]/.test(v)) return "invalid";
    if (/^[A-Za-z_][\w.-]*=[^&=]*&[A-Za-z_][\w.-]*=/.test(v)) return "invalid";
  }
  if (/^[0-9a-f]{40}$/i.test(v) && !TOKEN_NAMED.test(match)) return "invalid";
  if (v.length < 16 && /^[0-9a-f]+$/i.test(v)) return "invalid";
  if (/^arn:aws[a-z-]*:/.test(v)) return "invalid";
  if (isStoredPasswordHash(v, match, before)) return "invalid";
  if (/"tcId"[ \t]*:[ \t]*[0-9]+,/.test(before)) return "invalid";
  if (HASHED_NAME.test(match) || isHashedOrEncrypted(v)) return "invalid";
  if (/^(?:sha(?:1|256|384|512)|md5)[-:]/i.test(v)) return "invalid";
  if (/^[0-9.,_:+-]+$/.test(v)) return "invalid";
  if (/^[-+]?0(?:x[0-9a-f_]{1,31}|o[0-7_]+|b[01_]+)[lu]*$/i.test(v)) return "invalid";
  if (/^(?:npm:|workspace:)?[~^<>=]{0,2}v?[0-9]+(?:\.[0-9x*]+)+(?:[-+][0-9A-Za-z.-]+)?(?:\([@\w./-]+@[\w.+-]+\))*$/.test(
    v
  ))
    return "invalid";
  if (/[\u00C0-\u024F]/.test(v) && /^[\p{L}\s'\u2019-]+$/u.test(v)) return "invalid";
  if (/^[|#]?\s*[A-Za-z_][A-Za-z0-9_.]*:$/.test(v)) return "invalid";
  if (/^[a-z]+:\/\//i.test(v) || /^(?:\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return "invalid";
  if (/^\/(?:[\w.@-]+\/)+[\w.@-]*$|^\/[a-z0-9._-]*$/.test(v)) return "invalid";
  if (v.startsWith("//")) return "invalid";
  if (/\.(?:json|ya?ml|pem|key|txt|env|p12|pfx|crt|cer|toml|ini|conf)$/i.test(v)) return "invalid";
  if (/\/[^/]*\.[A-Za-z][A-Za-z0-9]{1,4}$/.test(v)) return "invalid";
  if (/^[a-z][a-z0-9_.-]*(?:\/[a-z][a-z0-9_.-]*)+\/?$/.test(v)) return "invalid";
  if (/^[A-Za-z_$][A-Za-z_$]*[0-9]*(?:\.[A-Za-z_$][A-Za-z_$]*[0-9]*)+$/.test(v)) return "invalid";
  if (/^[A-Za-z_$][\w$]*(?:\[[^\]]*\]|\.[A-Za-z_$][\w$]*)*\[[^\]]*\](?:\[[^\]]*\]|\.[A-Za-z_$][\w$]*)*$/.test(v))
    return "invalid";
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return "invalid";
  if (/^[A-Za-z]+$/.test(v) && !isRandomLetters(v)) return "invalid";
  if (/^(?:[A-Z]+[a-z]+)+[0-9]*(?:<[\w\s,.<>?]*>)?[?!]$/.test(v) && /:[ \t]*[A-Z][\w<>, .]*[?!]/.test(match)) {
    return "invalid";
  }
  if (/\[\^?(?:a-z|A-Z|0-9)/.test(v)) return "invalid";
  if (/^(?:[a-z]+[-_])+[a-z]+[0-9]{0,3}$/i.test(v)) return "invalid";
  if (/^(?:true|false|null|none|undefined|required|optional|string|bool|int)$/i.test(v)) return "invalid";
  if (isCodeNotValue(v)) return "invalid";
  if (isWordPhrase2(v)) return "invalid";
  if (isCodeExpression(v) || isCallExpression(v)) return "invalid";
  if (/^[A-Za-z_$][\w$]*$/.test(v) && /:[ \t]*[A-Za-z_$][\w$]*[,)]$/.test(match)) return "invalid";
  if (/\[[^\]]+\](?:\{[0-9]+(?:,[0-9]*)?\}|[+*])|\\[dwsb][+*{]/.test(v)) return "invalid";
  if (CONCATENATED.test(v)) return "invalid";
  if (/^(?:\.{1,2}|\+)\s*[A-Za-z_$][\w$.]*\(/.test(v)) return "invalid";
  if (isIdentifierPhrase(v) && !(TYPED_PASSWORD.test(v) && namesAPassword(match))) return "invalid";
  if (/^[A-Za-z][A-Za-z0-9]{3,}[=:]$/.test(v) && isIdentifierPhrase(v.slice(0, -1))) return "invalid";
  const dotted = v.split(".");
  if (dotted.length >= 3 && dotted.slice(0, -1).every((p) => /^[A-Za-z][A-Za-z0-9]*$/.test(p) && readsAsName(p)))
    return "invalid";
  const wordsThenNumber = /^([A-Za-z]{4,})[0-9]{6,}$/.exec(v);
  if (wordsThenNumber && isWordish(wordsThenNumber[1])) return "invalid";
  if (NAMES_ITSELF.test(v) || NAMES_ITSELF.test(unLeet(v))) return "invalid";
  if (namesAPassword(match) && isStandInPassword(v)) return "invalid";
  if (NON_SECRET_TOKEN_NAME.test(match)) return "invalid";
  if (CREDENTIAL_SCOPE.test(v)) return "invalid";
  if (/token["'\]]*[ \t]*[:=]/i.test(match) && ACME_CHALLENGE.test(`${before}${match}`)) return "invalid";
  if (/^[*&]+[A-Za-z_][\w.]*$/.test(v)) return "invalid";
  const decoded = decodedText(v);
  if (decoded !== void 0 && (isStandIn(decoded) || isPlaceholderPassword(decoded) || isStandInPassword(decoded)))
    return "invalid";
  if (decoded !== void 0 && (/^(?:[a-z]+[-_ ])+[a-z]+[0-9]{0,3}$/i.test(decoded) || isWordPhrase2(decoded)))
    return "invalid";
  const pair = decoded === void 0 ? null : /^[^:\s]{1,64}:(\S*)$/.exec(decoded);
  if (pair && validatePassword(pair[1]) === "invalid") return "invalid";
  if (sequentialRuns(v) >= 2 || TYPED_RUN.test(v) || !/^[0-9a-f]+$/i.test(v) && /(?:0123|1234|2345|3456|4567|5678|6789)/.test(v))
    return "invalid";
  if (/(.)\1{5}/.test(v) || isKeyboardMash(v)) return "invalid";
  const classes = Number(/[a-z]/.test(v)) + Number(/[A-Z]/.test(v)) + Number(/[0-9]/.test(v)) + Number(/[^A-Za-z0-9]/.test(v));
  if (classes < 2) return "invalid";
  const h = shannonEntropy(v);
  if (h < (v.length >= 20 && !/^[0-9a-f]+$/i.test(v) ? 3.5 : 3)) return "invalid";
  return "unknown";
}
var FIXTURE_ALPHABETS = {
  base62: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  letters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  hex: "0123456789abcdef",
  HEX: "0123456789ABCDEF",
  digits: "0123456789",
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
  lowerAlnum: "abcdefghijklmnopqrstuvwxyz0123456789",
  upperAlnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
};
function fixtureBytes(seed, length) {
  return seededBytes(`jit-gpg-structure:${seed}`, length);
}
function fx(seed, length, alphabet = FIXTURE_ALPHABETS.base62) {
  let out = "";
  for (const b of fixtureBytes(seed, length)) out += alphabet[b % alphabet.length];
  return out;
}
function fxUuid(seed) {
  const h = fx(seed, 32, FIXTURE_ALPHABETS.hex);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}
function validateDiscordBotToken(secret) {
  const [id, ts, mac] = secret.split(".");
  if (!id || !ts || !mac) return "invalid";
  const idText = b64url(id)?.toString("latin1") ?? "";
  if (!/^[1-9][0-9]{16,19}$/.test(idText)) return "invalid";
  return b64url(ts)?.length === 4 && mac.length >= 27 ? "valid" : "invalid";
}
function validateMixedCase(secret) {
  const body = secret.replace(/^[a-z]+[-_]/, "");
  return /[A-Z]/.test(body) && /[a-z]/.test(body) ? "unknown" : "invalid";
}
function validateAdyenKey(secret) {
  const m = /^AQE([A-Za-z0-9+/]+={0,2})-([A-Za-z0-9+/]{43}=)$/.exec(secret);
  if (!m) return "invalid";
  return b64(m[2])?.length === 32 && (b64(`AQE${m[1]}`)?.length ?? 0) >= 24 ? "unknown" : "invalid";
}
function validateIntercomToken(secret) {
  const text = b64(secret)?.toString("latin1") ?? "";
  return /^tok:[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}(?::[\x20-\x7e]+)?$/.test(text) ? "valid" : "invalid";
}

// src/scan/rules/ai.ts
var OAI = ["T3Blbk", "FJ"].join("");
var aiRules = [
  {
    id: "openai-api-key",
    title: "OpenAI API key (user key)",
    severity: "high",
    keywords: [OAI.toLowerCase()],
    pattern: `${TOKEN_START}(sk-[A-Za-z0-9]{20}${OAI}[A-Za-z0-9]{20})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "openai-project-key",
    title: "OpenAI project API key",
    severity: "high",
    keywords: ["sk-proj-", "sk-none-"],
    pattern: `${TOKEN_START}(sk-(?:proj|None)-[A-Za-z0-9_-]{20,200}${OAI}[A-Za-z0-9_-]{20,200})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "openai-service-account-key",
    title: "OpenAI service account key",
    severity: "high",
    keywords: ["sk-svcacct-"],
    pattern: `${TOKEN_START}(sk-svcacct-[A-Za-z0-9_-]{20,200}${OAI}[A-Za-z0-9_-]{20,200})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "openai-admin-key",
    title: "OpenAI admin key",
    severity: "critical",
    keywords: ["sk-admin-"],
    pattern: `${TOKEN_START}(sk-admin-[A-Za-z0-9_-]{20,200}${OAI}[A-Za-z0-9_-]{20,200})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "anthropic-api-key",
    title: "Anthropic API key",
    severity: "high",
    keywords: ["sk-ant-api"],
    pattern: `${TOKEN_START}(sk-ant-api[0-9]{2}-[A-Za-z0-9_-]{80,120}AA)${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "anthropic-admin-key",
    title: "Anthropic Admin API key",
    severity: "critical",
    keywords: ["sk-ant-admin"],
    pattern: `${TOKEN_START}(sk-ant-admin[0-9]{2}-[A-Za-z0-9_-]{80,120}AA)${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "anthropic-oauth-token",
    title: "Anthropic OAuth token",
    severity: "high",
    keywords: ["sk-ant-oat", "sk-ant-ort"],
    pattern: `${TOKEN_START}(sk-ant-o(?:at|rt)[0-9]{2}-[A-Za-z0-9_-]{80,200})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "huggingface-access-token",
    title: "Hugging Face access token",
    severity: "high",
    keywords: ["hf_"],
    pattern: `${TOKEN_START}(hf_[A-Za-z]{34})${TOKEN_END}`,
    entropy: 3.5,
    validate: validateMixedCase,
    examples: { tp: [], fp: [] }
  },
  {
    id: "huggingface-org-token",
    title: "Hugging Face organization API token",
    severity: "high",
    keywords: ["api_org_"],
    pattern: `${TOKEN_START}(api_org_[A-Za-z]{34})${TOKEN_END}`,
    entropy: 3.5,
    validate: validateMixedCase,
    examples: { tp: [], fp: [] }
  },
  {
    id: "replicate-api-token",
    title: "Replicate API token",
    severity: "high",
    keywords: ["r8_"],
    pattern: `${TOKEN_START}(r8_[A-Za-z0-9]{37})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "groq-api-key",
    title: "Groq API key",
    severity: "high",
    keywords: ["gsk_"],
    pattern: `${TOKEN_START}(gsk_[A-Za-z0-9]{52})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "perplexity-api-key",
    title: "Perplexity API key",
    severity: "high",
    keywords: ["pplx-"],
    pattern: `${TOKEN_START}(pplx-[A-Za-z0-9]{48})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "xai-api-key",
    title: "xAI API key",
    severity: "high",
    keywords: ["xai-"],
    pattern: `${TOKEN_START}(xai-[A-Za-z0-9]{80})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "openrouter-api-key",
    title: "OpenRouter API key",
    severity: "high",
    keywords: ["sk-or-v1-"],
    pattern: `${TOKEN_START}(sk-or-v1-[0-9a-f]{64})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "together-api-key",
    title: "Together AI API key",
    severity: "high",
    keywords: ["tgp_v1_"],
    pattern: `${TOKEN_START}(tgp_v1_[A-Za-z0-9_-]{40,50})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "langsmith-api-key",
    title: "LangSmith API key",
    severity: "high",
    keywords: ["lsv2_"],
    pattern: `${TOKEN_START}(lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pinecone-api-key",
    title: "Pinecone API key",
    severity: "high",
    keywords: ["pcsk_"],
    pattern: `${TOKEN_START}(pcsk_[A-Za-z0-9]{5,7}_[A-Za-z0-9]{60,75})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "tavily-api-key",
    title: "Tavily API key",
    severity: "high",
    keywords: ["tvly-"],
    pattern: `${TOKEN_START}(tvly-(?:dev-|prod-)?[A-Za-z0-9]{32})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cohere-api-key",
    title: "Cohere API key",
    severity: "high",
    keywords: ["cohere"],
    pattern: named("cohere", "[A-Za-z0-9]{40}"),
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mistral-api-key",
    title: "Mistral AI API key",
    severity: "high",
    keywords: ["mistral"],
    pattern: named("mistral", "[A-Za-z0-9]{32}"),
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "deepseek-api-key",
    title: "DeepSeek API key",
    severity: "high",
    keywords: ["deepseek"],
    pattern: named("deepseek", "sk-[0-9a-f]{32}"),
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "wandb-api-key",
    title: "Weights & Biases API key",
    severity: "high",
    keywords: ["wandb"],
    pattern: named("wandb", "[0-9a-f]{40}"),
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "elevenlabs-api-key",
    title: "ElevenLabs API key",
    severity: "high",
    keywords: ["elevenlabs", "xi-api-key", "xi_api_key"],
    pattern: String.raw`(?i:elevenlabs|xi[_-]api[_-]key)[\w.-]{0,30}["']?\s*(?:[:=,]|:=|=>)\s*["']?(sk_[0-9a-f]{48})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "deepgram-api-key",
    title: "Deepgram API key",
    severity: "high",
    keywords: ["deepgram"],
    pattern: named("deepgram", "[0-9a-f]{40}"),
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "assemblyai-api-key",
    title: "AssemblyAI API key",
    severity: "high",
    keywords: ["assemblyai", "assembly_ai"],
    pattern: named("assembly_?ai", "[0-9a-f]{32}"),
    entropy: 3,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/validate/checksum.ts
var import_node_crypto4 = __toESM(require_node_crypto(), 1);
var CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 3988292384 ^ c >>> 1 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(data) {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let c = 4294967295;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ c >>> 8;
  return (c ^ 4294967295) >>> 0;
}
var BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(n, width = 0) {
  let out = "";
  let v = Math.floor(n);
  do {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(width, "0");
}
function tokenChecksum(random) {
  return base62(crc32(random), 6);
}
var CLASSIC_BODY = /^[A-Za-z0-9]{36}$/;
function checkBase62Crc(body) {
  if (!CLASSIC_BODY.test(body)) return "invalid";
  return tokenChecksum(body.slice(0, 30)) === body.slice(30) ? "valid" : "invalid";
}
function validateGithubClassic(secret) {
  const m = /^gh[pousr]_([A-Za-z0-9]+)$/.exec(secret);
  if (!m) return "invalid";
  return checkBase62Crc(m[1]);
}
function validateGithubInstallation(secret) {
  if (/^ghs_[A-Za-z0-9]{36}$/.test(secret)) return validateGithubClassic(secret);
  const m = /^ghs_([0-9]+)_([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(secret);
  if (!m) return "invalid";
  const [h, p] = m[2].split(".");
  return jsonObject2(b64decode(h)) && jsonObject2(b64decode(p)) ? "valid" : "invalid";
}
function validateGithubFineGrained(secret) {
  return /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/.test(secret) ? "unknown" : "invalid";
}
function validateNpmToken(secret) {
  const m = /^npm_([A-Za-z0-9]+)$/.exec(secret);
  if (!m) return "invalid";
  return checkBase62Crc(m[1]);
}
var hex8 = (n) => n.toString(16).padStart(8, "0");
var hex8le = (n) => Buffer.from([n & 255, n >>> 8 & 255, n >>> 16 & 255, n >>> 24]).toString("hex");
function validateAtlassianToken(secret) {
  const bb = /^(ATBB[A-Za-z0-9]{24})([A-F0-9]{8})$/.exec(secret);
  if (bb) return hex8(crc32(bb[1])).toUpperCase() === bb[2] ? "valid" : "invalid";
  const m = /^(AT[A-Z]{3}3[A-Za-z0-9_-]+=)([A-F0-9]{8})$/.exec(secret);
  if (!m) return "invalid";
  return hex8(crc32(m[1])).toUpperCase() === m[2] ? "valid" : "invalid";
}
function validateGrafanaServiceAccountToken(secret) {
  const m = /^(glsa_[A-Za-z0-9]{32})_([a-f0-9]{8})$/.exec(secret);
  if (!m) return "invalid";
  return hex8le(crc32(m[1])) === m[2] ? "valid" : "invalid";
}
function validateGitlabToken(secret) {
  const m = /^([A-Za-z0-9]+-(?:t[0-9]_)?)([A-Za-z0-9_-]+)\.(?:([0-9a-z]{2})\.)?([0-9a-z]{2})([0-9a-z]{7})$/.exec(
    secret
  );
  if (!m) return secret.includes(".") ? "invalid" : "unknown";
  const [, prefix, payload, version, length, crc] = m;
  const head = secret.slice(0, secret.length - 7);
  const holds = Number.parseInt(length, 36) === payload.length && crc32(head).toString(36).padStart(7, "0") === crc;
  if (holds) return "valid";
  if (version || /_$/.test(prefix) || payload.length === 20) return "unknown";
  return "invalid";
}
function awsAccountIdFromKeyId(keyId) {
  if (!/^[A-Z]{4}[A-Z2-7]{16}$/.test(keyId)) return void 0;
  const bytes = base32Decode(keyId.slice(4));
  if (!bytes || bytes.length < 6) return void 0;
  let z = 0;
  for (let i = 0; i < 6; i++) z = z * 256 + bytes[i];
  const account = Math.floor(z / 128) % 2 ** 40;
  return String(account).padStart(12, "0");
}
function validateAwsKeyId(secret) {
  if (!/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/.test(secret)) return "invalid";
  if (secret.endsWith("EXAMPLE")) return "invalid";
  const account = awsAccountIdFromKeyId(secret);
  if (account === void 0) return "invalid";
  return "unknown";
}
function validateGcpServiceAccountKey(secret, match = "") {
  if (match && !/service_account/.test(match)) return "invalid";
  let pem2;
  try {
    pem2 = JSON.parse(`"${secret}"`);
  } catch {
    return "invalid";
  }
  if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(pem2)) return "invalid";
  try {
    const key = (0, import_node_crypto4.createPrivateKey)({ key: pem2, format: "pem" });
    return key.type === "private" ? "valid" : "invalid";
  } catch {
    return "invalid";
  }
}
function b64decode(s) {
  return Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}
function jsonObject2(buf) {
  try {
    const v = JSON.parse(buf.toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
function readVarint(buf, pos) {
  let v = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && i < pos + 5; i++) {
    const b = buf[i];
    v += (b & 127) * 2 ** shift;
    shift += 7;
    if ((b & 128) === 0) return [v, i + 1];
  }
  return void 0;
}
function parseMacaroonV2(buf) {
  if (buf[0] !== 2) return void 0;
  let pos = 1;
  const field = () => {
    const type = buf[pos];
    if (type === void 0) return void 0;
    if (type === 0) {
      pos++;
      return { type: 0, data: Buffer.alloc(0) };
    }
    const len = readVarint(buf, pos + 1);
    if (!len || len[1] + len[0] > buf.length) return void 0;
    pos = len[1] + len[0];
    return { type, data: buf.subarray(len[1], pos) };
  };
  let f = field();
  let location = "";
  if (f?.type === 1) {
    location = f.data.toString("utf8");
    f = field();
  }
  if (f?.type !== 2) return void 0;
  const identifier = f.data;
  if (field()?.type !== 0) return void 0;
  const caveats = [];
  for (; ; ) {
    f = field();
    if (!f) return void 0;
    if (f.type === 0) break;
    if (f.type === 1) f = field();
    if (f?.type !== 2) return void 0;
    caveats.push(f.data);
    f = field();
    if (f?.type === 4) f = field();
    if (f?.type !== 0) return void 0;
    if (caveats.length > 64) return void 0;
  }
  f = field();
  if (f?.type !== 6 || f.data.length !== 32) return void 0;
  if (pos !== buf.length) return void 0;
  return { location, identifier, caveats, signature: f.data };
}
function pypiLocation(secret) {
  const m = /^pypi-([A-Za-z0-9_+/-]+={0,2})$/.exec(secret);
  if (!m) return void 0;
  const mac = parseMacaroonV2(b64decode(m[1]));
  return mac?.location;
}
function validatePypiToken(secret) {
  return pypiLocation(secret) === "pypi.org" ? "valid" : "invalid";
}
function validateTestPypiToken(secret) {
  return pypiLocation(secret) === "test.pypi.org" ? "valid" : "invalid";
}
function validateBase64JsonPayload(payload) {
  return jsonObject2(b64decode(payload)) ? "valid" : "invalid";
}
function validateAzureSasSignature(sig) {
  let raw;
  try {
    raw = decodeURIComponent(sig);
  } catch {
    return "invalid";
  }
  if (!/^[A-Za-z0-9+/]{43}=$/.test(raw)) return "invalid";
  return Buffer.from(raw, "base64").length === 32 ? "unknown" : "invalid";
}
function validateBedrockApiKey(secret) {
  const m = /^ABSK([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) return "invalid";
  const text = Buffer.from(m[1], "base64").toString("utf8");
  return /^BedrockAPIKey-[A-Za-z0-9-]+-at-[0-9]{12}:[A-Za-z0-9+/=]{20,}$/.test(text) ? "valid" : "invalid";
}
function validateBedrockShortTermKey(secret) {
  const m = /^bedrock-api-key-([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) return "invalid";
  const text = Buffer.from(m[1], "base64").toString("utf8");
  return /^bedrock\.amazonaws\.com\/\?/.test(text) && text.includes("X-Amz-Signature=") ? "valid" : "invalid";
}
var ALPHABETS = {
  base62: BASE62,
  hex: "0123456789abcdef",
  HEX: "0123456789ABCDEF",
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
  base32: BASE32,
  lowerAlnum: "abcdefghijklmnopqrstuvwxyz0123456789",
  upperAlnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
};

// src/scan/rules/cloud.ts
var UUID2 = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
var EMULATOR_KEYS = [
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEH"
];
var notEmulatorKey = (secret, match) => EMULATOR_KEYS.some((k) => secret.startsWith(k)) || /devstoreaccount1|localhost|127\.0\.0\.1/i.test(match) ? "invalid" : "unknown";
var cloudRules = [
  {
    id: "aws-access-key-id",
    title: "AWS access key ID",
    severity: "high",
    keywords: ["akia", "asia", "abia", "acca"],
    pattern: String.raw`\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b`,
    entropy: 3,
    validate: validateAwsKeyId,
    examples: { tp: [], fp: [] }
  },
  {
    id: "aws-secret-access-key",
    title: "AWS secret access key",
    severity: "critical",
    keywords: ["secret_access_key", "secretaccesskey", "aws_secret", "awssecret"],
    // Also `aws configure set aws_secret_access_key ?` (a space, no operator).
    pattern: `(?i:secret_access_key|secretaccesskey|aws_?secret(?:_?key)?)(?:${ASSIGN}|[ 	]+)([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`,
    entropy: 4,
    validate: (s) => s.includes("EXAMPLE") ? "invalid" : "unknown",
    examples: { tp: [], fp: [] }
  },
  {
    id: "aws-secret-access-key-pair",
    title: "AWS secret access key next to its key ID",
    severity: "critical",
    keywords: ["akia", "asia"],
    pattern: String.raw`\b((?:AKIA|ASIA)[A-Z2-7]{16})["']?\s*[,;:|\t ]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`,
    secretGroup: 2,
    entropy: 4,
    validate: (secret, match) => {
      if (secret.includes("EXAMPLE")) return "invalid";
      return validateAwsKeyId(match.replace(/^\W*/, "").slice(0, 20));
    },
    examples: { tp: [], fp: [] }
  },
  {
    id: "aws-session-token",
    title: "AWS session token",
    severity: "high",
    keywords: ["iqojb3jpz2lux2vj", "fwogzxivyxdz"],
    pattern: String.raw`\b((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz)[A-Za-z0-9/+]{100,}={0,2})`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "aws-bedrock-api-key",
    title: "Amazon Bedrock long-term API key",
    severity: "high",
    keywords: ["absk"],
    pattern: String.raw`\b(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{40,}={0,2})`,
    entropy: 4,
    validate: validateBedrockApiKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "aws-bedrock-short-term-api-key",
    title: "Amazon Bedrock short-term API key",
    severity: "medium",
    keywords: ["bedrock-api-key-"],
    pattern: String.raw`\b(bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,}={0,2})`,
    entropy: 4,
    validate: validateBedrockShortTermKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "amazon-mws-auth-token",
    title: "Amazon Marketplace Web Service auth token",
    severity: "high",
    keywords: ["amzn.mws."],
    pattern: String.raw`\b(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "gcp-api-key",
    title: "Google Cloud API key",
    severity: "medium",
    keywords: ["aiza"],
    pattern: String.raw`\b(AIza[A-Za-z0-9_-]{35})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "gcp-service-account-key",
    title: "Google Cloud service account key (JSON)",
    severity: "critical",
    keywords: ["service_account"],
    pattern: String.raw`"type"\s*:\s*"service_account"[\s\S]{0,600}?"private_key"\s*:\s*"(-----BEGIN (?:RSA )?PRIVATE KEY-----\\n[A-Za-z0-9+/=\\]{64,}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"`,
    window: 12288,
    entropy: 4,
    validate: validateGcpServiceAccountKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "gcp-oauth-client-secret",
    title: "Google OAuth client secret",
    severity: "high",
    keywords: ["gocspx-"],
    pattern: String.raw`\b(GOCSPX-[A-Za-z0-9_-]{28})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "google-oauth-refresh-token",
    title: "Google OAuth refresh token",
    severity: "high",
    keywords: ["1//0"],
    pattern: `(?:^|[^A-Za-z0-9_/-])(1//0[A-Za-z0-9_-]{40,})`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "google-oauth-access-token",
    title: "Google OAuth access token",
    severity: "medium",
    keywords: ["ya29."],
    pattern: String.raw`\b(ya29\.[A-Za-z0-9_-]{50,})`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-storage-connection-string",
    title: "Azure Storage connection string with account key",
    severity: "critical",
    keywords: ["accountkey="],
    // The key, with the rest of the string after it: its parts come in any order (`EndpointSuffix=?;AccountKey=?;
    // AccountName=?`), so the validator looks for the account or the endpoint before or after the key.
    pattern: `(?i:AccountKey)=([A-Za-z0-9+/]{86}==)(?:;[A-Za-z0-9=;:/._-]*)?`,
    entropy: 4,
    validate: (secret, match, before = "") => /(?:AccountName|EndpointSuffix|DefaultEndpointsProtocol|BlobEndpoint)=/i.test(`${before.slice(-160)}${match}`) ? notEmulatorKey(secret, `${before.slice(-160)}${match}`) : "invalid",
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-storage-account-key",
    title: "Azure Storage account key",
    severity: "critical",
    keywords: [
      "storage_key",
      "storagekey",
      "storage_account",
      "storageaccount",
      "storage_access",
      "storageaccess",
      "--account-key",
      "account_key",
      "accountkey"
    ],
    // Also a bare account key under its own name (`account_key: "?"`, Go's `AccountKey: "?"`, C#'s
    // `{ "AccountKey", "?" }`, `-storagekey ?`): 64 bytes of base64 are the storage key's size. In a connection
    // string (`?;AccountKey=?`) the connection-string rules report it.
    pattern: String.raw`(?:(?i:azure_?storage_?(?:account_?|access_?)?key|storage_?account_?(?:access_?)?key|(?:default_?)?account_?key|storage_?key)(?:${ASSIGN}|["']\s*,\s*["']|\s+["']?)|--account-key[\s=]+["']?)([A-Za-z0-9+/]{86}==)`,
    entropy: 4,
    validate: (secret, match, before = "") => /;\s*$/.test(before) ? "invalid" : notEmulatorKey(secret, match),
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-cosmosdb-connection-string",
    title: "Azure Cosmos DB connection string with account key",
    severity: "critical",
    keywords: ["documents.azure.com"],
    pattern: String.raw`AccountEndpoint=https://[a-z0-9-]+\.documents\.azure\.com(?::443)?/?;\s*AccountKey=([A-Za-z0-9+/]{86}==)`,
    entropy: 4,
    validate: notEmulatorKey,
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-service-bus-connection-string",
    title: "Azure Service Bus / Event Hubs connection string",
    severity: "high",
    keywords: ["sharedaccesskey="],
    pattern: String.raw`Endpoint=sb://[A-Za-z0-9.-]+/?;\s*SharedAccessKeyName=[^;\s"']+;\s*SharedAccessKey=([A-Za-z0-9+/]{43}=)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-sas-token",
    title: "Azure shared access signature (SAS)",
    severity: "high",
    keywords: ["sig="],
    pattern: String.raw`\bsv=[0-9]{4}-[0-9]{2}-[0-9]{2}&(?:[A-Za-z]{2,5}=[^&\s"'<>]*&){0,12}sig=([A-Za-z0-9%+/]{43,}(?:%3[Dd]|=))`,
    entropy: 4,
    validate: validateAzureSasSignature,
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-entra-client-secret",
    title: "Microsoft Entra ID (Azure AD) client secret",
    severity: "high",
    keywords: ["8q~", "7q~"],
    pattern: `(?:^|[^A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-app-configuration-connection-string",
    title: "Azure App Configuration connection string",
    severity: "high",
    keywords: ["azconfig.io"],
    pattern: String.raw`Endpoint=https://[a-z0-9-]+\.azconfig\.io;\s*Id=[^;\s"']+;\s*Secret=([A-Za-z0-9+/]{43,}=)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  ...[
    ["dop", "digitalocean-pat", "DigitalOcean personal access token", "critical"],
    ["doo", "digitalocean-oauth-token", "DigitalOcean OAuth access token", "high"],
    ["dor", "digitalocean-refresh-token", "DigitalOcean OAuth refresh token", "high"]
  ].map(
    ([prefix, id, title, severity]) => ({
      id,
      title,
      severity,
      keywords: [`${prefix}_v1_`],
      pattern: String.raw`\b(${prefix}_v1_[a-f0-9]{64})\b`,
      entropy: 3,
      examples: { tp: [], fp: [] }
    })
  ),
  {
    id: "heroku-api-key",
    title: "Heroku API key",
    severity: "high",
    keywords: ["hrku-"],
    pattern: String.raw`\b(HRKU-[A-Za-z0-9_-]{40,80})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "heroku-api-key-legacy",
    title: "Heroku API key (UUID form)",
    severity: "high",
    keywords: ["heroku"],
    pattern: String.raw`(?i:heroku)[A-Za-z0-9_.-]{0,20}(?i:api_?key|token|key|secret|password)${ASSIGN}(${UUID2})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "alibaba-access-key-id",
    title: "Alibaba Cloud AccessKey ID",
    severity: "high",
    keywords: ["ltai"],
    pattern: String.raw`\b(LTAI[A-Za-z0-9]{12,20})\b`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "alibaba-access-key-secret",
    title: "Alibaba Cloud AccessKey secret",
    severity: "critical",
    keywords: ["alibaba", "aliyun", "alicloud"],
    pattern: String.raw`(?i:alibaba|aliyun|alicloud)[A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,10}${ASSIGN}([A-Za-z0-9]{30})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "tencent-cloud-secret-id",
    title: "Tencent Cloud SecretId",
    severity: "high",
    keywords: ["akid"],
    pattern: String.raw`\b(AKID[A-Za-z0-9]{32})\b`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "ibm-cloud-api-key",
    title: "IBM Cloud API key",
    severity: "high",
    keywords: ["ibm", "ic_api_key"],
    pattern: `(?i:ibm[A-Za-z0-9_.-]{0,20}api_?key|ic_api_key)${ASSIGN}([A-Za-z0-9_-]{44})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cloudflare-api-token",
    title: "Cloudflare API token",
    severity: "high",
    keywords: ["cloudflare", "cf_api_token"],
    pattern: `(?i:cloudflare[A-Za-z0-9_.-]{0,20}token|cf_api_token)${ASSIGN}([A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cloudflare-global-api-key",
    title: "Cloudflare global API key",
    severity: "critical",
    keywords: ["cloudflare", "cf_api_key", "x-auth-key"],
    pattern: String.raw`(?i:cloudflare[A-Za-z0-9_.-]{0,20}key|cf_api_key|x-auth-key)${ASSIGN}([a-f0-9]{37})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cloudflare-origin-ca-key",
    title: "Cloudflare Origin CA key",
    severity: "medium",
    keywords: ["v1.0-"],
    pattern: String.raw`\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "fly-io-token",
    title: "Fly.io API token (macaroon)",
    severity: "high",
    keywords: ["fm1a_", "fm1r_", "fm2_"],
    pattern: String.raw`\b(fm(?:1[ar]|2)_[A-Za-z0-9+/]{60,}={0,2})`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "fly-io-access-token",
    title: "Fly.io personal access token",
    severity: "high",
    keywords: ["fo1_"],
    pattern: String.raw`\b(fo1_[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "vercel-token",
    title: "Vercel access token",
    severity: "high",
    keywords: ["vcp_", "vci_", "vca_", "vcr_", "vck_"],
    pattern: String.raw`\b(vc[pikar]_[A-Za-z0-9]{24,})\b`,
    entropy: 4.2,
    // Random base62 bodies mix cases and digits; identifiers such as vcr_cassettelibrarydirectory... do not.
    validate: (s) => /[A-Z]/.test(s) && /[a-z]/.test(s.slice(4)) && /[0-9]/.test(s) ? "unknown" : "invalid",
    examples: { tp: [], fp: [] }
  },
  {
    id: "vercel-token-legacy",
    title: "Vercel access token (unprefixed)",
    severity: "high",
    keywords: ["vercel"],
    pattern: String.raw`(?i:vercel[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "netlify-pat",
    title: "Netlify personal access token",
    severity: "high",
    keywords: ["nfp_"],
    pattern: String.raw`\b(nfp_[A-Za-z0-9]{36,40})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "netlify-token-legacy",
    title: "Netlify access token (unprefixed)",
    severity: "high",
    keywords: ["netlify"],
    pattern: `(?i:netlify[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "supabase-pat",
    title: "Supabase personal access token",
    severity: "high",
    keywords: ["sbp_"],
    pattern: String.raw`\b(sbp_[a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "supabase-secret-key",
    title: "Supabase secret API key",
    severity: "high",
    keywords: ["sb_secret_"],
    pattern: String.raw`\b(sb_secret_[A-Za-z0-9_-]{31,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "firebase-cloud-messaging-server-key",
    title: "Firebase Cloud Messaging legacy server key",
    severity: "medium",
    keywords: [":apa91b"],
    pattern: String.raw`\b(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "planetscale-token",
    title: "PlanetScale service token or OAuth token",
    severity: "high",
    keywords: ["pscale_tkn_", "pscale_oauth_"],
    pattern: String.raw`\b(pscale_(?:tkn|oauth)_[A-Za-z0-9_-]{32,64})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "planetscale-password",
    title: "PlanetScale database password",
    severity: "high",
    keywords: ["pscale_pw_"],
    pattern: String.raw`\b(pscale_pw_[A-Za-z0-9_-]{32,64})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "scaleway-secret-key",
    title: "Scaleway API secret key",
    severity: "high",
    keywords: ["scw_secret_key", "scaleway"],
    pattern: String.raw`(?i:scw_secret_key|scaleway[A-Za-z0-9_.-]{0,20}secret_?key)${ASSIGN}(${UUID2})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "render-api-key",
    title: "Render API key",
    severity: "high",
    keywords: ["rnd_"],
    pattern: String.raw`\b(rnd_[A-Za-z0-9]{28,40})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "hetzner-cloud-token",
    title: "Hetzner Cloud API token",
    severity: "high",
    keywords: ["hcloud", "hetzner"],
    pattern: String.raw`(?i:hcloud[_-]?token|hetzner[A-Za-z0-9_.-]{0,20}token)${ASSIGN}([A-Za-z0-9]{64})${TOKEN_END}`,
    entropy: 4.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "linode-token",
    title: "Linode (Akamai Cloud) personal access token",
    severity: "high",
    keywords: ["linode"],
    pattern: String.raw`(?i:linode[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([a-f0-9]{64})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "vultr-api-key",
    title: "Vultr API key",
    severity: "high",
    keywords: ["vultr"],
    pattern: String.raw`(?i:vultr[A-Za-z0-9_.-]{0,20}(?:api_?key|token))${ASSIGN}([A-Z0-9]{36})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "backblaze-b2-application-key",
    title: "Backblaze B2 application key",
    severity: "high",
    keywords: ["b2_application_key", "b2_key", "b2applicationkey", "backblaze"],
    pattern: `(?i:b2_application_key|b2_key|b2applicationkey|backblaze[A-Za-z0-9_.-]{0,20}key)${ASSIGN}(K[0-9]{3}[A-Za-z0-9+/]{27})(?:[^A-Za-z0-9+/=]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cloudinary-url",
    title: "Cloudinary URL with API secret",
    severity: "high",
    keywords: ["cloudinary://"],
    pattern: `cloudinary://[0-9]{15}:([A-Za-z0-9_-]{27})@[A-Za-z0-9_-]+`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mapbox-secret-token",
    title: "Mapbox secret access token",
    severity: "high",
    keywords: ["sk.eyj"],
    pattern: String.raw`\b(sk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_.-]|$)`,
    entropy: 4,
    validate: (s) => validateBase64JsonPayload(s.split(".")[1] ?? ""),
    requireValid: true,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/commerce.ts
var commerceRules = [
  {
    id: "stripe-live-secret-key",
    title: "Stripe live secret key",
    severity: "critical",
    keywords: ["sk_live_"],
    pattern: `${TOKEN_START}(sk_live_[A-Za-z0-9]{24,247})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "stripe-live-restricted-key",
    title: "Stripe live restricted key",
    severity: "high",
    keywords: ["rk_live_"],
    pattern: `${TOKEN_START}(rk_live_[A-Za-z0-9]{24,247})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "stripe-test-key",
    title: "Stripe test-mode secret or restricted key",
    severity: "low",
    keywords: ["sk_test_", "rk_test_"],
    pattern: `${TOKEN_START}([sr]k_test_[A-Za-z0-9]{24,247})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "webhook-signing-secret",
    title: "Webhook signing secret (Stripe, Svix)",
    severity: "high",
    keywords: ["whsec_"],
    pattern: `${TOKEN_START}(whsec_[A-Za-z0-9+/]{32,86}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "shopify-access-token",
    title: "Shopify Admin API access token",
    severity: "high",
    keywords: ["shpat_"],
    pattern: `${TOKEN_START}(shpat_[a-fA-F0-9]{32})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "shopify-custom-app-token",
    title: "Shopify custom app access token",
    severity: "high",
    keywords: ["shpca_"],
    pattern: `${TOKEN_START}(shpca_[a-fA-F0-9]{32})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "shopify-private-app-token",
    title: "Shopify private app access token",
    severity: "high",
    keywords: ["shppa_"],
    pattern: `${TOKEN_START}(shppa_[a-fA-F0-9]{32})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "shopify-shared-secret",
    title: "Shopify app shared secret",
    severity: "high",
    keywords: ["shpss_"],
    pattern: `${TOKEN_START}(shpss_[a-fA-F0-9]{32})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "square-access-token",
    title: "Square access token",
    severity: "high",
    keywords: ["eaaa"],
    pattern: `${TOKEN_START}(EAAA[A-Za-z0-9_-]{60})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "square-legacy-access-token",
    title: "Square legacy access token",
    severity: "high",
    keywords: ["sq0atp-"],
    pattern: `${TOKEN_START}(sq0atp-[A-Za-z0-9_-]{22})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "square-oauth-secret",
    title: "Square OAuth application secret",
    severity: "high",
    keywords: ["sq0csp-"],
    pattern: `${TOKEN_START}(sq0csp-[A-Za-z0-9_-]{43})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "braintree-access-token",
    title: "Braintree / PayPal production access token",
    severity: "critical",
    keywords: ["access_token$production$"],
    pattern: String.raw`(access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "braintree-sandbox-access-token",
    title: "Braintree / PayPal sandbox access token",
    severity: "low",
    keywords: ["access_token$sandbox$"],
    pattern: String.raw`(access_token\$sandbox\$[a-z0-9]{16}\$[a-f0-9]{32})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "braintree-private-key",
    title: "Braintree API private key",
    severity: "high",
    keywords: ["braintree"],
    pattern: String.raw`(?i:braintree)[\w.-]{0,30}(?i:private[_-]?key)${ASSIGN}([0-9a-f]{32})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "paypal-client-secret",
    title: "PayPal REST client secret",
    severity: "high",
    keywords: ["paypal"],
    pattern: String.raw`(?i:paypal)[\w.-]{0,30}(?i:secret)${ASSIGN}([A-Za-z0-9_-]{80})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "adyen-api-key",
    title: "Adyen API key",
    severity: "high",
    keywords: ["aqe"],
    pattern: `(?:^|[^A-Za-z0-9+/_-])(AQE[A-Za-z0-9+/]{20,300}={0,2}-[A-Za-z0-9+/]{43}=)`,
    validate: validateAdyenKey,
    examples: { tp: [], fp: [] }
  },
  {
    id: "plaid-access-token",
    title: "Plaid access token",
    severity: "high",
    keywords: ["access-production-", "access-development-"],
    pattern: `${TOKEN_START}(access-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[^0-9a-f-]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "plaid-secret",
    title: "Plaid API secret",
    severity: "high",
    keywords: ["plaid"],
    pattern: String.raw`(?i:plaid)[\w.-]{0,30}(?i:secret)${ASSIGN}([0-9a-f]{30})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "flutterwave-secret-key",
    title: "Flutterwave live secret key",
    severity: "critical",
    keywords: ["flwseck-"],
    pattern: `${TOKEN_START}(FLWSECK-[0-9a-f]{32}-X)${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "flutterwave-test-secret-key",
    title: "Flutterwave test secret key",
    severity: "low",
    keywords: ["flwseck_test-"],
    pattern: `${TOKEN_START}(FLWSECK_TEST-[0-9a-f]{32}-X)${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "razorpay-key-secret",
    title: "Razorpay key secret",
    severity: "high",
    keywords: ["razorpay"],
    pattern: String.raw`(?i:razorpay)[\w.-]{0,30}(?i:secret)${ASSIGN}([A-Za-z0-9]{24})(?:[^A-Za-z0-9]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "paddle-api-key",
    title: "Paddle Billing live API key",
    severity: "critical",
    keywords: ["pdl_live_apikey_"],
    pattern: `${TOKEN_START}(pdl_live_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "paddle-sandbox-api-key",
    title: "Paddle Billing sandbox API key",
    severity: "low",
    keywords: ["pdl_sdbx_apikey_"],
    pattern: `${TOKEN_START}(pdl_sdbx_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mollie-api-key",
    title: "Mollie live API key",
    severity: "critical",
    keywords: ["mollie"],
    pattern: String.raw`(?i:mollie)[\w.-]{0,30}${ASSIGN}(live_[A-Za-z0-9]{30})(?:[^A-Za-z0-9]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "gocardless-access-token",
    title: "GoCardless live access token",
    severity: "critical",
    keywords: ["gocardless"],
    pattern: String.raw`(?i:gocardless)[\w.-]{0,30}${ASSIGN}(live_[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/devops.ts
var UUID3 = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
var UUIDL = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
var jsonAfter = (prefix) => (secret) => secret.startsWith(prefix) ? validateBase64JsonPayload(secret.slice(prefix.length)) : "invalid";
var devopsRules = [
  {
    id: "vault-service-token",
    title: "HashiCorp Vault service token",
    severity: "high",
    keywords: ["hvs."],
    pattern: String.raw`\b(hvs\.[A-Za-z0-9_-]{24,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "vault-unseal-key",
    title: "HashiCorp Vault unseal or recovery key",
    severity: "critical",
    keywords: ["unseal key", "recovery key"],
    // As `vault operator init` prints them (`Unseal Key 1: ?`, `Recovery Key 1: ?`): base64 of 32 bytes (Shamir
    // shares are 33), pasted into a runbook, a script or a CI log kept in the repository.
    pattern: String.raw`(?i:unseal|recovery)[ \t]+(?i:key)[ \t]+[0-9]{1,2}[ \t]*:[ \t]*([A-Za-z0-9+/]{43,44}=?)(?:[^A-Za-z0-9+/=]|$)`,
    entropy: 4,
    validate: (secret) => isPlaceholder(secret) ? "invalid" : "unknown",
    examples: { tp: [], fp: [] }
  },
  {
    id: "vault-batch-token",
    title: "HashiCorp Vault batch token",
    severity: "high",
    keywords: ["hvb."],
    pattern: String.raw`\b(hvb\.[A-Za-z0-9_-]{100,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "vault-legacy-token",
    title: "HashiCorp Vault token (pre-1.10 format)",
    severity: "medium",
    keywords: ["vault"],
    // Under any Vault name that says token (`VAULT_TOKEN`, `VAULT_CLIENT_TOKEN`, `vault.token`, `X-Vault-Token`).
    pattern: String.raw`(?i:vault[\w.-]{0,24}token)${ASSIGN}(s\.[A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "terraform-cloud-token",
    title: "HCP Terraform / Terraform Enterprise API token",
    severity: "high",
    keywords: [".atlasv1."],
    pattern: String.raw`\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,70})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "doppler-personal-token",
    title: "Doppler personal or CLI token",
    severity: "high",
    keywords: ["dp.pt.", "dp.ct."],
    pattern: String.raw`\b(dp\.(?:pt|ct)\.[A-Za-z0-9]{40,44})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "doppler-service-token",
    title: "Doppler service, service-account or SCIM token",
    severity: "high",
    keywords: ["dp.st.", "dp.sa.", "dp.scim.", "dp.audit."],
    pattern: String.raw`\b(dp\.(?:st|sa|scim|audit)\.(?:[a-z0-9_-]{1,40}\.)?[A-Za-z0-9]{40,44})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "onepassword-service-account-token",
    title: "1Password service account token",
    severity: "critical",
    keywords: ["ops_ey"],
    pattern: String.raw`\b(ops_eyJ[A-Za-z0-9+/_-]{100,}={0,2})`,
    entropy: 4,
    validate: jsonAfter("ops_"),
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "onepassword-secret-key",
    title: "1Password account Secret Key",
    severity: "critical",
    keywords: ["a3-"],
    // `A3-`, the account's 6-character id, then 26 characters in groups (11, or 6 and 5, then three of 5).
    pattern: `(?:^|[^A-Za-z0-9-])(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?:[^A-Za-z0-9-]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "databricks-token",
    title: "Databricks personal access token",
    severity: "high",
    keywords: ["dapi"],
    pattern: String.raw`\b(dapi[a-f0-9]{32}(?:-[0-9])?)\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "atlassian-api-token",
    title: "Atlassian API token (Jira, Confluence)",
    severity: "high",
    keywords: ["atatt3"],
    pattern: String.raw`\b(ATATT3[A-Za-z0-9_-]{100,300}=[A-F0-9]{8})\b`,
    entropy: 4,
    validate: validateAtlassianToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "atlassian-api-token-legacy",
    title: "Atlassian API token (unprefixed)",
    severity: "medium",
    keywords: ["jira", "confluence", "atlassian"],
    pattern: String.raw`(?i:jira|confluence|atlassian)[A-Za-z0-9_.-]{0,20}(?i:api_?token|token|password)${ASSIGN}([A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "linear-api-key",
    title: "Linear API key",
    severity: "high",
    keywords: ["lin_api_"],
    pattern: String.raw`\b(lin_api_[A-Za-z0-9]{40})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "linear-oauth-token",
    title: "Linear OAuth access token",
    severity: "high",
    keywords: ["lin_oauth_"],
    pattern: String.raw`\b(lin_oauth_[a-f0-9]{64})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "postman-api-key",
    title: "Postman API key",
    severity: "high",
    keywords: ["pmak-"],
    pattern: String.raw`\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "grafana-cloud-token",
    title: "Grafana Cloud access policy token",
    severity: "high",
    keywords: ["glc_"],
    pattern: String.raw`\b(glc_[A-Za-z0-9+/]{32,}={0,2})`,
    entropy: 4,
    validate: jsonAfter("glc_"),
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "grafana-service-account-token",
    title: "Grafana service account token",
    severity: "high",
    keywords: ["glsa_"],
    pattern: String.raw`\b(glsa_[A-Za-z0-9]{32}_[a-f0-9]{8})\b`,
    entropy: 4,
    validate: validateGrafanaServiceAccountToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "grafana-api-key-legacy",
    title: "Grafana API key (legacy)",
    severity: "medium",
    keywords: ["eyjrijoi"],
    pattern: String.raw`\b(eyJrIjoi[A-Za-z0-9+/]{40,}={0,2})`,
    entropy: 4,
    validate: (s) => validateBase64JsonPayload(s),
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sentry-user-token",
    title: "Sentry user auth token",
    severity: "high",
    keywords: ["sntryu_"],
    pattern: String.raw`\b(sntryu_[a-f0-9]{64})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sentry-org-token",
    title: "Sentry organisation auth token",
    severity: "high",
    keywords: ["sntrys_"],
    pattern: String.raw`\b(sntrys_eyJ[A-Za-z0-9+/=]{20,}_[A-Za-z0-9+/]{43})(?:[^A-Za-z0-9+/_=]|$)`,
    entropy: 4,
    validate: (s) => validateBase64JsonPayload(s.slice("sntrys_".length, s.lastIndexOf("_"))),
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "newrelic-user-api-key",
    title: "New Relic user API key",
    severity: "high",
    keywords: ["nrak-"],
    pattern: String.raw`\b(NRAK-[A-Z0-9]{27})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "newrelic-license-key",
    title: "New Relic ingest license key",
    severity: "medium",
    keywords: ["nral"],
    // 36 characters and `NRAL`: lower-case (`eu01xx?` in the EU), or 32 hex digits and `FFFFNRAL`.
    pattern: String.raw`\b([a-z0-9]{36}NRAL|[a-f0-9]{32}FFFFNRAL)\b`,
    entropy: 3.5,
    validate: (secret) => isPlaceholder(secret.slice(0, -4)) ? "invalid" : "unknown",
    // `a1b2c3?NRAL`
    examples: { tp: [], fp: [] }
  },
  {
    id: "newrelic-insights-key",
    title: "New Relic Insights insert/query key",
    severity: "medium",
    keywords: ["nrii-", "nriq-"],
    pattern: String.raw`\b(NRI[IQ]-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "datadog-api-key",
    title: "Datadog API key",
    severity: "high",
    keywords: ["datadog", "dd_api", "dd-api", "ddapi"],
    // `dd` starts the name (not `add_api_key`).
    pattern: String.raw`(?:^|[^A-Za-z0-9/])(?i:(?:datadog|dd)[_-]?api[_-]?key)${ASSIGN}([a-f0-9]{32})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "datadog-app-key",
    title: "Datadog application key",
    severity: "high",
    keywords: ["datadog", "dd_app", "dd-app", "ddapp"],
    pattern: String.raw`(?i:(?:datadog|dd)[_-]?app(?:lication)?[_-]?key)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "dynatrace-token",
    title: "Dynatrace access token",
    severity: "high",
    keywords: ["dt0"],
    pattern: String.raw`\b(dt0[a-z][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pagerduty-api-key",
    title: "PagerDuty API key",
    severity: "high",
    keywords: ["pagerduty"],
    pattern: String.raw`(?i:pagerduty[A-Za-z0-9_.-]{0,20}(?:token|key))${ASSIGN}((?:u\+)?[A-Za-z0-9_+-]{20})(?:[^A-Za-z0-9_+-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pagerduty-integration-key",
    title: "PagerDuty integration (Events API routing) key",
    severity: "medium",
    // Alertmanager's `pagerduty_configs` (`routing_key:` for Events API v2, `service_key:` for v1), and other
    // integrations' settings: 32 characters. Not AMQP's `routing_key` (a topic: words and dots).
    keywords: [
      "routing_key",
      "routingkey",
      "routing-key",
      "service_key",
      "servicekey",
      "integration_key",
      "integrationkey"
    ],
    pattern: String.raw`(?i)(?:routing|service|integration)[_-]?key["']?[ \t]*(?::|=>?)[ \t]*["']?([a-z0-9]{32})(?:["'\s,;}]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "circleci-personal-token",
    title: "CircleCI personal API token",
    severity: "high",
    keywords: ["ccipat_"],
    pattern: String.raw`\b(CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "circleci-project-token",
    title: "CircleCI project API token",
    severity: "high",
    keywords: ["cciprj_"],
    pattern: String.raw`\b(CCIPRJ_[A-Za-z0-9]{22}_[a-f0-9]{40})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "circleci-token-legacy",
    title: "CircleCI API token (unprefixed)",
    severity: "medium",
    keywords: ["circle"],
    pattern: String.raw`(?i:circle[_-]?(?:ci[_-]?)?(?:api[_-]?)?token)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "travis-ci-token",
    title: "Travis CI API token",
    severity: "medium",
    keywords: ["travis"],
    pattern: `(?i:travis[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "buildkite-token",
    title: "Buildkite API access token",
    severity: "high",
    keywords: ["bkua_"],
    pattern: String.raw`\b(bkua_[a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "jenkins-api-token",
    title: "Jenkins API token",
    severity: "high",
    keywords: ["jenkins"],
    pattern: String.raw`(?i:jenkins[A-Za-z0-9_.-]{0,20}(?:token|api_?key|password))${ASSIGN}(11[a-f0-9]{32})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "snyk-token",
    title: "Snyk API token",
    severity: "high",
    keywords: ["snyk"],
    pattern: `(?i:snyk[A-Za-z0-9_.-]{0,20}(?:token|api_?key|auth))${ASSIGN}(${UUID3})\\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sonarqube-token",
    title: "SonarQube token",
    severity: "high",
    keywords: ["squ_", "sqp_", "sqa_"],
    pattern: String.raw`\b(sq[upa]_[a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sonarcloud-token",
    title: "SonarCloud / SonarQube token (unprefixed)",
    severity: "medium",
    keywords: ["sonar"],
    pattern: String.raw`(?i:sonar[_.-]?(?:token|login))${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "codecov-token",
    title: "Codecov upload token",
    severity: "low",
    keywords: ["codecov"],
    pattern: `(?i:codecov[_-]?(?:upload[_-]?)?token)${ASSIGN}(${UUID3})\\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pulumi-access-token",
    title: "Pulumi access token",
    severity: "high",
    keywords: ["pul-"],
    pattern: String.raw`\b(pul-[a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "okta-api-token",
    title: "Okta API token",
    severity: "high",
    keywords: ["okta", "ssws"],
    pattern: String.raw`(?:(?i:okta[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}|(?i:ssws)\s+)(00[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "tailscale-auth-key",
    title: "Tailscale auth key",
    severity: "high",
    keywords: ["tskey-auth-"],
    pattern: String.raw`\b(tskey-auth-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "tailscale-api-key",
    title: "Tailscale API access token, OAuth client secret, SCIM key or webhook secret",
    severity: "high",
    keywords: ["tskey-api-", "tskey-client-", "tskey-scim-", "tskey-webhook-"],
    pattern: String.raw`\b(tskey-(?:api|client|scim|webhook)-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "prefect-api-key",
    title: "Prefect Cloud API key",
    severity: "high",
    keywords: ["pnu_"],
    pattern: String.raw`\b(pnu_[A-Za-z0-9]{36})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "octopus-deploy-api-key",
    title: "Octopus Deploy API key",
    severity: "high",
    keywords: ["api-"],
    pattern: String.raw`\b(API-[A-Z0-9]{25,32})\b`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "rancher-api-token",
    title: "Rancher API token",
    severity: "high",
    keywords: ["token-"],
    pattern: String.raw`\b(token-[a-z0-9]{5}:[a-z0-9]{54})\b`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "launchdarkly-access-token",
    title: "LaunchDarkly API access token",
    severity: "high",
    keywords: ["api-"],
    pattern: `\\b(api-${UUIDL})\\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "launchdarkly-sdk-key",
    title: "LaunchDarkly server-side SDK key",
    severity: "medium",
    keywords: ["sdk-"],
    pattern: `\\b(sdk-${UUIDL})\\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "splunk-hec-token",
    title: "Splunk HTTP Event Collector token",
    severity: "medium",
    keywords: ["splunk"],
    pattern: `(?:(?i:splunk)\\s+|(?i:splunk[A-Za-z0-9_.-]{0,20}(?:hec[_-]?)?token)${ASSIGN})(${UUID3})\\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "opsgenie-api-key",
    title: "Opsgenie API key",
    severity: "high",
    keywords: ["geniekey", "opsgenie"],
    pattern: `(?:(?i:geniekey)\\s+|(?i:opsgenie[A-Za-z0-9_.-]{0,20}(?:api_?key|key|token))${ASSIGN})(${UUID3})\\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "ngrok-authtoken",
    title: "ngrok authtoken or API key",
    severity: "medium",
    keywords: ["ngrok", "authtoken"],
    pattern: `(?:(?i:ngrok[A-Za-z0-9_.-]{0,20}(?:auth_?token|api_?key|token))${ASSIGN}|add-authtoken\\s+|(?i:authtoken)${ASSIGN})([0-9][A-Za-z0-9]{20,30}_[A-Za-z0-9]{15,30})\\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "hashicorp-consul-nomad-token",
    title: "HashiCorp Consul / Nomad ACL token",
    severity: "high",
    keywords: ["consul", "nomad"],
    pattern: `(?i:consul[_-]?(?:http[_-]?)?token|nomad[_-]?token|consul[A-Za-z0-9_.-]{0,20}acl[A-Za-z0-9_.-]{0,10}token)${ASSIGN}(${UUID3})\\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "kubernetes-bootstrap-token",
    title: "Kubernetes bootstrap token",
    severity: "high",
    keywords: ["--token", "bootstrap"],
    pattern: `(?:--token[\\s=]+|(?i:bootstrap[_-]?token)${ASSIGN})([a-z0-9]{6}\\.[a-z0-9]{16})\\b`,
    entropy: 3.5,
    validate: (s) => s === "abcdef.0123456789abcdef" ? "invalid" : "unknown",
    examples: { tp: [], fp: [] }
  },
  {
    id: "wifi-psk",
    title: "Wi-Fi passphrase or pre-shared key (wpa_supplicant, hostapd, NetworkManager)",
    severity: "medium",
    keywords: ["psk=", "psk =", "passphrase=", "passphrase ="],
    // wpa_supplicant's `psk="?"` (or 64 hex digits, the key itself), NetworkManager's `psk=?`, hostapd's
    // `wpa_passphrase=?` and `wpa_psk=?`: a line of its own, as those files write them.
    pattern: String.raw`(?m)^[ \t]*(?:wpa_)?(?:psk|passphrase)[ \t]*=[ \t]*"?([^"\s]{8,63}|[0-9A-Fa-f]{64})"?[ \t]*\r?$`,
    entropy: 3,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cloudformation-noecho-default",
    title: "CloudFormation NoEcho parameter with a default value",
    severity: "high",
    keywords: ["noecho"],
    // `NoEcho: true` marks the parameter a secret; a `Default:` later in the same parameter is that secret, in the
    // template. YAML: the keys between them each hold a value on their line, so the match cannot run on into the next
    // parameter (whose name line holds none). JSON: no brace between them, so it stays in the parameter's object.
    pattern: String.raw`(?:NoEcho:[ \t]*["']?(?i:true)["']?[ \t]*\r?\n(?:[ \t]+[A-Za-z]+:[ \t]*[^\s][^\n]*\n){0,8}?[ \t]+Default:[ \t]*|"NoEcho"[ \t]*:[ \t]*"?(?i:true)"?[ \t]*,[^{}]*?"Default"[ \t]*:[ \t]*)["']?([^"'\s#{}\[\],]+)`,
    window: 512,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cloud-init-chpasswd",
    title: "Password in a cloud-init chpasswd list",
    severity: "high",
    keywords: ["chpasswd"],
    // cloud-init's `chpasswd: list:` of `user:password` lines (a block or a YAML list): the first entry's password.
    pattern: String.raw`chpasswd:[ \t]*\r?\n[ \t]+list:[ \t]*(?:[|>][+-]?)?[ \t]*\r?\n[ \t]+(?:-[ \t]+)?["']?[A-Za-z_][\w.-]*:([^\s:"']+)`,
    window: 256,
    // `RANDOM` (or `R`) asks cloud-init to make one up; a crypt hash (`$6$?`) is no password.
    validate: (s) => /^(?:R|RANDOM)$/.test(s) || isHashedOrEncrypted(s) ? "invalid" : validatePassword(s),
    examples: { tp: [], fp: [] }
  },
  {
    id: "wireguard-private-key",
    title: "WireGuard private or preshared key",
    severity: "high",
    keywords: ["privatekey =", "privatekey=", "presharedkey =", "presharedkey="],
    pattern: `(?i:PrivateKey|PresharedKey) ?= ?([A-Za-z0-9+/]{43}=)(?:[^A-Za-z0-9+/=]|$)`,
    entropy: 4,
    validate: (s) => Buffer.from(s, "base64").length === 32 ? "unknown" : "invalid",
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/generic.ts
var NAME_WORDS = `(?:password|passwd|passphrase|pwd|[_.-]pass|_pw|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|(?:signing|signer|hmac|encryption|master|cipher|aes|fernet)[_.-]?key|credentials?)(?:[_.-]?(?:key|token|secret|value|string|str|b64|base64|base|hex|encoded|raw|plain|prod|production|live|dev|staging|v?[0-9]{1,2})){0,2}`;
var NAME = `[A-Za-z0-9_.-]*?${NAME_WORDS}`;
var VALUE = String.raw`[^\s"'\x60<>{}$;,()&\\\[\]=](?:[^\s"'\x60<>{}$;,()&\\\[\]]|\$[^\s"'\x60<>{}$;,()&\\\[\]]){7,}\$?`;
var OPERATOR = String.raw`(?:[ \t]*:[ \t]*(?:&(?:'static[ \t]+)?str|string|str)\??|[ \t]+(?:string|\[\]byte))?[ \t]*(?::{1,3}=|=>|\?=|\.=|!==?|={1,3}|:|\.equals(?:IgnoreCase)?\()`;
var SCHEME2 = String.raw`(?:(?:bearer|basic)[ \t]+)?`;
var NAME_START = String.raw`(?:^|[^A-Za-z0-9_.:/-]|/[?&]|(?:^|[\s{(,\[]):|\$env:)`;
var QUOTED_ONLY = /^[.\][&{}$;,()=\\<>]|[{}$;,()&[\]=\\<>]/;
function validateQuotedSecret(secret, match = "", before = "") {
  if (!QUOTED_ONLY.test(secret)) return "invalid";
  if (/^[^,]*(?:,[^,]*){2,}$/.test(secret) && secret.split(",").every((p) => p.length <= 3)) return "invalid";
  if (!/[A-Za-z]/.test(secret) || !/[0-9]/.test(secret)) return "invalid";
  return validateGenericSecret(secret, match, before);
}
var PAIRED = [
  // a setter's, a getter's (a default) or an environment lookup's two strings: `setProperty("API_TOKEN", "?")`,
  // `os.getenv("API_KEY", "?")`, `env('JIRA_API_TOKEN', '?')`, `Header.Set("X-Api-Key", "?")`, `put("db.password",
  // "?")`; a C# or C++ initializer's pair, `{ "Password", "?" }`. Not any call: `matches("password", "{SSHA}?")`
  // and `Encryptors.stronger("password", salt)` take a password first and something else after it;
  String.raw`(?:\b(?:[sg]et|put|add|append|header|with)\w*|\b(?:env|getenv|setdefault|Setenv|putenv|define|fetch)|\{)[ \t]*\(?[ \t]*["']${NAME}["'][ \t]*,[ \t]*[bru]{0,2}["']`,
  // Rust's and Scala's fallbacks: `env::var("API_KEY").unwrap_or("?")`, `.getOrElse("?")`;
  String.raw`["']${NAME}["'][ \t]*\)[ \t]*\.(?:unwrap_or|or|get_or|getOrElse|orElse)\w*\([ \t]*["']`,
  // a setter or a builder named for the secret, given it alone: `cfg.setPassword("?")`, `setDbPassword("?")`,
  // `.apiKey("?")`, `withToken("?")`, Django's `user.set_password('?')`; not a getter, a factory or a check
  // (`newSecretKey("PBKDF2WithHmacSHA256", ?)`, `getRealmEncryptionKey("?")`, `should_exclude_secret('?')`);
  String.raw`(?:\.(?:set|with)?_?|\b(?:set|with)_?[A-Za-z0-9]*?)${NAME_WORDS}[ \t]*\([ \t]*[bru]{0,2}["']`,
  // Android's build-time constants: `buildConfigField("String", "API_KEY", "\"?\"")`, `resValue "string", ?`;
  String.raw`\b(?:buildConfigField|resValue)[ \t]*\(?[ \t]*["']\w+["'][ \t]*,[ \t]*["']${NAME}["'][ \t]*,[ \t]*["'](?:\\?["'])?`,
  // an element named by its `name` or `key` attribute: Android's `<string name="maps_api_secret">?</string>`,
  // Spring's `<property name="password" value="?"/>`, .NET appSettings' `<add key="SmtpPassword" value="?"/>`,
  // a properties file in XML, `<entry key="db.password">?</entry>`;
  String.raw`<[\w:.-]+[ \t]+(?:[\w:.-]+[ \t]*=[ \t]*["'][^"'<>]*["'][ \t]+)*(?:name|key)[ \t]*=[ \t]*["']${NAME}["'](?:[ \t]+[\w:.-]+[ \t]*=[ \t]*["'][^"'<>]*["'])*?[ \t]*(?:>[ \t]*|[ \t]value[ \t]*=[ \t]*["'])`,
  // a name/value entry: Kubernetes' `- name: API_KEY` and `value: ?` on the next line, ECS's
  // `{"name": "?", "value": "?"}`, CloudFormation's `ParameterKey`/`ParameterValue`;
  String.raw`\b(?:name|parameter_?key)["']?[ \t]*[:=][ \t]*["']?${NAME}["']?[ \t]*,?\s*["']?(?:value|parameter_?value)["']?[ \t]*[:=][ \t]*["']?`,
  // a Terraform variable's default: `variable "db_password" { ? default = "?" }`;
  String.raw`\bvariable[ \t]+["']${NAME}["'][ \t]*\{[^}]*?\bdefault[ \t]*=[ \t]*["']`,
  // an environment lookup's fallback: `process.env.API_KEY || '?'`, `?? '?'`, Python's `? or '?'` after a call or a
  // subscript (`os.environ.get("API_KEY") or "?"`: not prose's `a token or "?"`);
  String.raw`${NAME}["']?\]?\)?[ \t]*(?:\|\||\?\?)[ \t]*[bru]{0,2}["']`,
  String.raw`${NAME}["']?[\])][ \t]+or[ \t]+[bru]{0,2}["']`,
  // a reference's default, used when the variable is unset: Spring's `${jwt.secret:?}`, the shell's and Compose's
  // `${DB_PASSWORD:-?}`;
  String.raw`\$\{${NAME}:-?`,
  // a DSL's statement: Gradle's `credentials { password '?' }`, Capistrano's `set :password, '?'`, C's `#define`,
  // a Dockerfile's `ENV API_TOKEN ?` (the older form, without `=`);
  String.raw`(?:(?m:^)|[{;])[ \t]*(?:#[ \t]*define[ \t]+)?${NAME}[ \t]+["']`,
  String.raw`(?m:^)[ \t]*ENV[ \t]+${NAME}[ \t]+["']?`,
  String.raw`\bset[ \t]+:${NAME}[ \t]*,[ \t]*["']`
];
var PAIRED_NAME = new RegExp(NAME, "i");
function validatePairedSecret(secret, match = "", before = "") {
  return validateAsAssigned(PAIRED_NAME.exec(match)?.[0] ?? "", secret, before);
}
function validateAsAssigned(name2, secret, before) {
  return validateGenericSecret(secret, `${name2} = "${secret}"`, before);
}
function validateEnvKey(secret, match = "", before = "") {
  const name2 = /[A-Z][A-Z0-9_]*_(?:KEY|AUTH)/.exec(match)?.[0] ?? "";
  if (CLIENT_HELD_KEY.test(name2) || isCamelPhrase(secret)) return "invalid";
  return validateAsAssigned(name2, secret, before);
}
var CLIENT_HELD_KEY = /^(?:NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|VITE|REACT_APP|GATSBY|MIX|PUBLIC)_|(?:^|_)(?:PUBLIC|PUBLISHABLE|PUB|SITE|CLIENT|CACHE|SORT|PARTITION|PRIMARY|FOREIGN|ROUTING|IDEMPOTENCY)_/;
var ENV_NAME = "(?:PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|(?:SIGNING|SIGNER|HMAC|ENCRYPTION|MASTER|CIPHER|AES|FERNET)_?KEY|CREDENTIALS?)";
var KEYWORDS = [
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "_pass",
  ".pass",
  "-pass",
  "_pw",
  "secret",
  "token",
  "apikey",
  "api_key",
  "api-key",
  "api.key",
  "accesskey",
  "access_key",
  "access-key",
  "access.key",
  "privatekey",
  "private_key",
  "private-key",
  "private.key",
  "authkey",
  "auth_key",
  "auth-key",
  "auth.key",
  "credential",
  // Keys that sign or encrypt (`MAILGUN_SIGNING_KEY`, `passwordSignerKey`, `hmac_key`, `encryption-key`, Parse's
  // `masterKey`, Shiro's `cipherKey`, `AES_KEY`, Airflow's `fernet_key`), in the spellings the name pattern accepts.
  ...["signing", "signer", "hmac", "encryption", "master", "cipher", "aes", "fernet"].flatMap(
    (w) => ["", "_", "-", "."].map((s) => `${w}${s}key`)
  )
];
var genericRules = [
  {
    id: "generic-secret-assignment",
    title: "Secret-looking value assigned to a secret-looking name",
    severity: "medium",
    keywords: KEYWORDS,
    // Also a C array's size after the name (`char secret[25] =`), Objective-C's `@"?"`, and quotes escaped as code
    // inside a JSON string writes them (a notebook's cell: `"password = \"?\"\n",`).
    pattern: String.raw`(?i)${NAME_START}([?&]?${NAME})\\?["']?\]?(?:\[[0-9]{0,4}\])?${OPERATOR}[ \t]*(?:[bru]{1,2}["']|@?\\?["'\x60])?${SCHEME2}(${VALUE})(?:["'\x60\s;,)&\\]|$)`,
    secretGroup: 2,
    entropy: 3,
    validate: validateGenericSecret,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "generic-secret-quoted",
    title: "Quoted secret-looking value with punctuation assigned to a secret-looking name",
    severity: "medium",
    keywords: KEYWORDS,
    pattern: String.raw`(?i)${NAME_START}([?&]?${NAME})["']?\]?${OPERATOR}[ \t]*[bru]{0,2}["'\x60]([^\s"'\x60]{8,})["'\x60]`,
    secretGroup: 2,
    entropy: 3,
    validate: validateQuotedSecret,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "generic-secret-unquoted-line",
    title: "Unquoted secret-looking value with punctuation on a line of its own (env file, compose, YAML)",
    severity: "medium",
    keywords: KEYWORDS,
    // The value runs to the end of the line: an env file, a compose `environment:` list or a YAML plain scalar takes
    // `[`, `{`, `;`, `,`, `(` and `&` as part of it, where in code they end an expression. So the line must read as
    // one of those: an environment variable's upper-case name and `=` with no space about it (`DB_PASSWORD=?`,
    // `- MYSQL_PASSWORD=?`, `export API_TOKEN=?`), or a YAML key and `: `. A last character that continues code
    // (`,` `;` `(` `{` `[`) is not a value's end.
    pattern: String.raw`(?im)^[ \t]*(?:-[ \t]+|export[ \t]+)?((?-i:[A-Z0-9_]*${ENV_NAME}[A-Z0-9_]*)=|${NAME}:[ \t]+)[ \t]*([^\s"'\x60#][^\s"'\x60]{6,}[^\s"'\x60,;({\[])[ \t]*\r?$`,
    secretGroup: 2,
    entropy: 3,
    validate: validateQuotedSecret,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "generic-secret-xml",
    title: "Secret-looking value in an XML element with a secret-looking name",
    severity: "medium",
    keywords: KEYWORDS,
    // The value may sit on a line of its own between the tags (pretty-printed XML).
    pattern: String.raw`<(?i:(${NAME}))>\s*(${VALUE})\s*</`,
    window: 256,
    secretGroup: 2,
    entropy: 3,
    validate: validateGenericSecret,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "generic-secret-setter",
    title: "Secret-looking value paired with a secret-looking name (a call, a name/value entry, a default)",
    severity: "medium",
    keywords: KEYWORDS,
    pattern: String.raw`(?i)(?:${PAIRED.join("|")})${SCHEME2}([^\s"'\x60}\\<]{8,})(?:["'\x60\s}\\<]|$)`,
    // A name/value entry and a Terraform variable span lines.
    window: 256,
    entropy: 3,
    validate: validatePairedSecret,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "generic-secret-yaml-block",
    title: "Secret-looking value in a YAML block scalar under a secret-looking name",
    severity: "medium",
    // `signing_secret: >-` or `password: |`, and the value alone on the next line, indented: YAML's folded and
    // literal scalars (a long value folded out of the way). Keyed on the indicator, which every such line holds. A
    // value that goes on over more lines (base64 wrapped, a SOPS blob) is not judged by its first line: the line
    // after the value must start another key, an item, a comment or a blank line, or the text must end.
    keywords: [": |", ": >", ":|", ":>"],
    pattern: String.raw`(?im)^[ \t]*(?:-[ \t]+)?["']?${NAME}["']?[ \t]*:[ \t]*[|>][+-]?[0-9]?[ \t]*\r?\n[ \t]+([^\s"'\x60}\\<]{8,})[ \t]*(?:\r?\n[ \t]*(?:-[ \t]|[\w"'.-]+[ \t]*:|#|\r?\n|\z)|\z)`,
    window: 256,
    entropy: 3,
    validate: validatePairedSecret,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "dotenv-key",
    title: "Random value of an upper-case *_KEY or *_AUTH variable (environment files, scripts)",
    severity: "medium",
    // `MAPBOX_KEY=?`, `export CRM_AUTH="?"`: a variable named for a key or an auth value with no word the generic
    // names know (`API_KEY`, `SECRET`, `TOKEN` are theirs). Upper-case names at a line's start, as environment files,
    // shell scripts and Python constants write them; a random value of 16 characters or more.
    keywords: ["_key=", "_key =", "_auth=", "_auth ="],
    pattern: String.raw`(?m)^[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*_(?:KEY|AUTH)[ \t]*=[ \t]*["']?([A-Za-z0-9+/_.~=-]{16,})["']?[ \t]*\r?$`,
    entropy: 3,
    validate: validateEnvKey,
    fallback: true,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/http.ts
var AUTHORIZATION = String.raw`(?i:authorization)["'\x60]?[ \t]*(?::|=>|=|,)[ \t]*["'\x60]?`;
function validateBearer(secret) {
  if (secret.startsWith("eyJ")) return "invalid";
  if (isPlaceholder(secret) || isReference(secret) || isRepeated(secret) || isStandIn(secret)) return "invalid";
  if (isPlaceholderPassword(secret) || /^[A-Za-z_]+$/.test(secret) || /^[A-Z0-9_]+$/.test(secret)) return "invalid";
  if (isStandInPassword(secret)) return "invalid";
  if (/token|secret|passw|example|sample/i.test(secret)) return "invalid";
  return shannonEntropy(secret) < 3.2 ? "invalid" : "unknown";
}
var httpRules = [
  {
    id: "authorization-basic",
    title: "HTTP Basic credentials in an Authorization header",
    severity: "high",
    keywords: ["authorization"],
    pattern: String.raw`${AUTHORIZATION}(?i:basic)[ \t]+([A-Za-z0-9+/]{8,}={0,2})(?:[^A-Za-z0-9+/=]|$)`,
    validate: validateBasicAuthBase64,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "authorization-bearer",
    title: "Bearer or API token in an Authorization header",
    severity: "high",
    keywords: ["authorization"],
    pattern: String.raw`${AUTHORIZATION}(?i:bearer|token)[ \t]+([A-Za-z0-9._~+/=-]{16,})(?:[^A-Za-z0-9._~+/=-]|$)`,
    validate: validateBearer,
    fallback: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "curl-user-password",
    title: "Password in a curl -u/--user argument",
    severity: "high",
    keywords: ["curl"],
    pattern: String.raw`\bcurl\b[^\n|;&]*?[ \t](?:-u|--user)(?:[ \t]+|=)["']?[^\s:"'$]{0,64}:([^\s"']{3,})`,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/keys.ts
var import_node_crypto5 = __toESM(require_node_crypto(), 1);
var WINDOW = 16384;
var BODY2 = String.raw`[A-Za-z0-9+/=\s\\:,"'*#>|;-]`;
function pem(label) {
  return `-----BEGIN ${label}-----${BODY2}{32,}?-----END ${label}-----`;
}
var keyRules = [
  {
    id: "rsa-private-key",
    title: "RSA private key (PKCS#1 PEM)",
    severity: "critical",
    keywords: ["begin rsa private key"],
    pattern: `(${pem("RSA PRIVATE KEY")})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pkcs8-private-key",
    title: "Private key (PKCS#8 PEM)",
    severity: "critical",
    keywords: ["begin private key"],
    pattern: `(${pem("PRIVATE KEY")})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "encrypted-private-key",
    title: "Encrypted private key (PKCS#8 PEM)",
    severity: "high",
    keywords: ["begin encrypted private key"],
    pattern: `(${pem("ENCRYPTED PRIVATE KEY")})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "ec-private-key",
    title: "EC private key (SEC1 PEM)",
    severity: "critical",
    keywords: ["begin ec private key"],
    pattern: `(${pem("EC PRIVATE KEY")})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "dsa-private-key",
    title: "DSA private key (PEM)",
    severity: "critical",
    keywords: ["begin dsa private key"],
    pattern: `(${pem("DSA PRIVATE KEY")})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "openssh-private-key",
    title: "OpenSSH private key",
    severity: "critical",
    keywords: ["begin openssh private key"],
    pattern: `(${pem("OPENSSH PRIVATE KEY")})`,
    window: WINDOW,
    validate: validateOpenSshKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "ssh2-encrypted-private-key",
    title: "SSH.com (SSH2) encrypted private key",
    severity: "high",
    keywords: ["begin ssh2 encrypted private key"],
    pattern: String.raw`(---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----[A-Za-z0-9+/=\s\\:,."-]{32,}?---- END SSH2 ENCRYPTED PRIVATE KEY ----)`,
    window: WINDOW,
    validate: validateSsh2Key,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "putty-private-key",
    title: "PuTTY private key (.ppk)",
    severity: "critical",
    keywords: ["putty-user-key-file-"],
    pattern: String.raw`(PuTTY-User-Key-File-[23]: [a-z0-9@.-]+(?:\r?\n|(?:\\r)?\\n)[\s\S]*?Private-MAC: ?[0-9a-f]{40,64})`,
    window: WINDOW,
    validate: validatePuttyKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pgp-private-key-block",
    title: "PGP private key block",
    severity: "critical",
    keywords: ["begin pgp private key block"],
    pattern: String.raw`(-----BEGIN PGP PRIVATE KEY BLOCK-----[A-Za-z0-9+/=\s\\:,.()<>@'"_-]{32,}?-----END PGP PRIVATE KEY BLOCK-----)`,
    window: 32768,
    validate: validatePgpPrivateKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "jwk-private-key",
    title: "JWK private key",
    severity: "critical",
    // Names in single or double quotes (C# doubles them: `""kty""`), in any case (.NET writes `"Kty"`, `"D"`).
    keywords: ['"kty"', '"d"', "'kty'", "'d'"],
    // The object ends at its `}`, or where a nested object starts (.NET's JsonWebKey ends with its crypto factory's).
    pattern: String.raw`(\{?[^{}]*?["'](?i:kty|d)["']{1,2}\s*:[^{}]{20,}[{}])`,
    window: 8192,
    validate: validateJwkPrivateKey,
    structured: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "jwk-symmetric-key",
    title: "JWK symmetric key",
    severity: "critical",
    keywords: ['"oct"', "'oct'"],
    pattern: String.raw`(\{?[^{}]*["'](?i:kty)["']{1,2}\s*:\s*["']{1,2}oct["'][^{}]*[{}])`,
    window: 8192,
    validate: validateJwkSymmetricKey,
    structured: true,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "age-secret-key",
    title: "age secret key",
    severity: "critical",
    keywords: ["age-secret-key-1"],
    pattern: `(?:^|[^A-Za-z0-9_-])(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?:[^A-Za-z0-9]|$)`,
    validate: validateAgeSecretKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pem-private-key",
    title: "Private key (PEM, other label)",
    severity: "critical",
    keywords: ["private key-----"],
    pattern: `(-----BEGIN (?:[A-Z0-9]+ )+PRIVATE KEY-----${BODY2}{32,}?-----END (?:[A-Z0-9]+ )+PRIVATE KEY-----)`,
    window: WINDOW,
    validate: validatePemPrivateKeyOtherLabel,
    examples: { tp: [], fp: [] }
  },
  {
    id: "der-private-key",
    title: "Private key (base64 DER, no PEM armour)",
    severity: "critical",
    keywords: [
      "ibaak",
      "ibadan",
      "byqgsm49",
      "mhccaqeei",
      "migkagebbd",
      "mihcagebbe",
      "mc4caqawbqydk2vw",
      "bgkqhkig9w0bbq0w",
      "gcsqgsib3dqefdt"
    ],
    // The DER starts of PKCS#1 RSA, PKCS#8 RSA, PKCS#8 EC, SEC1 EC (P-256, P-384, P-521), PKCS#8 Ed25519 and
    // encrypted PKCS#8 (PBES2) keys. The body may go on over lines: a string literal continued (`"?" +`, `"?"` on the
    // next line, `\n` escapes), a Kotlin raw string's `|` margin, lines of a text block.
    pattern: `(?:^|[^A-Za-z0-9+/])((?:MII[A-Za-z0-9+/]{3}IBAAK|MII[A-Za-z0-9+/]{3}IBADAN|MI[GH][A-Za-z0-9+/]AgEAMB[AM]GByqGSM49|MHcCAQEEI|MIGkAgEBBD|MIHcAgEBBE|MC4CAQAwBQYDK2Vw|MII[A-Za-z0-9+/]{5}BgkqhkiG9w0BBQ0w|MI[GH][A-Za-z0-9+/]MF[A-Za-z0-9+/]GCSqGSIb3DQEFDT)[A-Za-z0-9+/]{32,}(?:(?:\\\\[nr]|["']\\s*\\+?\\s*["']|\\s+\\|?)+[A-Za-z0-9+/]+)*={0,2})`,
    window: WINDOW,
    validate: validateDerPrivateKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "ceph-secret-key",
    title: "Ceph (cephx) secret key",
    severity: "high",
    keywords: ["aqa", "aqb", "aqc", "aqd"],
    pattern: `${TOKEN_START}(AQ[A-D][A-Za-z0-9+/]{35}==)(?:[^A-Za-z0-9+/=]|$)`,
    validate: validateCephKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "wallet-mnemonic",
    title: "Wallet recovery phrase (BIP-39 mnemonic)",
    severity: "critical",
    keywords: ["mnemonic", "seed", "phrase"],
    // 12 to 24 lower-case words under a mnemonic's name (`MNEMONIC="?"`, `seedPhrase: '?'`): the wallet's every key
    // derives from them.
    pattern: String.raw`(?i:mnemonic|seed[_ .-]?phrase|secret[_ .-]?phrase|recovery[_ .-]?phrase|wallet[_ .-]?seed|seed[_ .-]?words)[\w.-]{0,20}${ASSIGN}((?:[a-z]{3,8}[ \t]+){11,23}[a-z]{3,8})(?:["'\x60\s,;)]|$)`,
    validate: validateMnemonic,
    examples: { tp: [], fp: [] }
  },
  {
    id: "ethereum-private-key",
    title: "Ethereum account private key in a Hardhat or Truffle network config",
    severity: "critical",
    keywords: ["accounts"],
    // Hardhat's `accounts: ["0x?"]` (a network's signing keys), across lines too: the first key is reported, and the
    // others by the generic rules when they sit under a key's name.
    pattern: String.raw`(?i:\baccounts)["']?\s*:\s*\[\s*["'](0x[0-9a-fA-F]{64})["']`,
    window: 256,
    entropy: 3,
    validate: (secret) => isDocumentedExample(secret) ? "invalid" : "unknown",
    examples: { tp: [], fp: [] }
  }
];
function validateMnemonic(secret) {
  const words = secret.split(/[ \t]+/);
  if (![12, 15, 18, 21, 24].includes(words.length)) return "invalid";
  if (new Set(words).size < Math.min(8, words.length - 2)) return "invalid";
  if (words.some((w) => /^(?:your|word|words|mnemonic|phrase|seed|here|example|replace|insert|secret)$/.test(w)))
    return "invalid";
  return isDocumentedExample(secret) ? "invalid" : "unknown";
}

// src/scan/rules/messaging.ts
var messagingRules = [
  {
    id: "slack-bot-token",
    title: "Slack bot token",
    severity: "high",
    keywords: ["xoxb-"],
    pattern: `${TOKEN_START}(xoxb-[0-9]{8,13}-[0-9]{8,14}-[A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-user-token",
    title: "Slack user token",
    severity: "high",
    keywords: ["xoxp-"],
    pattern: `${TOKEN_START}(xoxp-[0-9]{8,13}-[0-9]{8,13}-[0-9]{8,14}-[0-9a-f]{32})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-app-token",
    title: "Slack app-level token",
    severity: "high",
    keywords: ["xapp-"],
    pattern: `${TOKEN_START}(xapp-[0-9]-A[A-Z0-9]{8,12}-[0-9]{10,14}-[0-9a-f]{64})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-config-access-token",
    title: "Slack configuration access token",
    severity: "high",
    keywords: ["xoxe.xox"],
    pattern: `${TOKEN_START}(xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{100,250})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-config-refresh-token",
    title: "Slack configuration refresh token",
    severity: "high",
    keywords: ["xoxe-"],
    pattern: `${TOKEN_START}(xoxe-[0-9]-[A-Za-z0-9]{100,250})${TOKEN_END}`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-legacy-token",
    title: "Slack legacy, session or workspace token",
    severity: "high",
    keywords: ["xoxa-", "xoxc-", "xoxo-", "xoxr-", "xoxs-"],
    pattern: `${TOKEN_START}(xox[acors]-[0-9]{1,13}(?:-[0-9]{8,13}){1,3}-[A-Za-z0-9]{24,64})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-webhook-url",
    title: "Slack incoming webhook URL",
    severity: "high",
    keywords: ["hooks.slack.com/services"],
    pattern: String.raw`hooks\.slack\.com/services/(T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-workflow-webhook-url",
    title: "Slack workflow webhook URL",
    severity: "medium",
    keywords: ["hooks.slack.com/workflows", "hooks.slack.com/triggers"],
    pattern: String.raw`hooks\.slack\.com/(?:workflows|triggers)/(T[A-Z0-9]{8,12}/(?:A[A-Z0-9]{8,12}/)?[0-9]{8,20}/[A-Za-z0-9]{24,32})(?:[^A-Za-z0-9]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "discord-bot-token",
    title: "Discord bot token",
    severity: "high",
    keywords: ["discord", "authorization"],
    pattern: String.raw`(?:(?i:discord)[\w.-]{0,30}${ASSIGN}(?:Bot\s+)?|(?i:authorization)["']?\s*[:=,]\s*["']?Bot\s+)([MNO][A-Za-z0-9_-]{22,26}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})${TOKEN_END}`,
    validate: validateDiscordBotToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "discord-webhook-url",
    title: "Discord webhook URL",
    severity: "high",
    keywords: ["discord.com/api", "discordapp.com/api"],
    pattern: String.raw`discord(?:app)?\.com/api(?:/v[0-9]+)?/webhooks/([0-9]{17,20}/[A-Za-z0-9_-]{60,80})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "nats-nkey-seed",
    title: "NATS nkey seed",
    severity: "critical",
    // A seed's first three characters name it a seed of a user, account, operator or curve key (`SUA`, `SAA`, `SOA`,
    // `SXA`); the rest is base32 with a CRC-16.
    keywords: ["sua", "saa", "soa", "sxa"],
    pattern: `(?:^|[^A-Za-z0-9])(S[UAOX]A[A-Z2-7]{55})(?:[^A-Za-z0-9]|$)`,
    validate: validateNkeySeed,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "telegram-bot-token",
    title: "Telegram bot token",
    severity: "high",
    keywords: [":aa"],
    pattern: `(?:^|[^0-9A-Za-z_]|bot)([0-9]{8,10}:AA[A-Za-z0-9_-]{33})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "twilio-auth-token",
    title: "Twilio auth token",
    severity: "high",
    keywords: ["twilio"],
    pattern: String.raw`(?i:twilio)[\w.-]{0,24}(?i:auth[_-]?token|token|secret)${ASSIGN}([0-9a-f]{32})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "twilio-client-auth-token",
    title: "Twilio auth token passed to a client beside its account SID",
    severity: "high",
    // The account SID as a call's first argument and the auth token as its second: `twilio('AC?', '?')` (Node),
    // `Client("AC?", "?")` (Python, PHP), `Twilio::REST::Client.new('AC?', '?')`, `Twilio.init("AC?", "?")` (Java),
    // `TwilioClient.Init("AC?", "?")` (C#). The SID names the pair, so the token needs no name of its own.
    keywords: ["('ac", '("ac'],
    pattern: String.raw`\(["']AC[0-9a-f]{32}["']\s*,\s*["']([0-9a-f]{32})["']`,
    window: 160,
    // the token may be on the next line
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "twilio-credentials-url",
    title: "Twilio credentials in a URL",
    severity: "high",
    keywords: ["twilio.com"],
    pattern: String.raw`(?:AC|SK)[0-9a-f]{32}:([A-Za-z0-9]{32})@(?:[a-z0-9-]+\.)*twilio\.com`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sendgrid-api-key",
    title: "SendGrid API key",
    severity: "high",
    keywords: ["sg."],
    pattern: `${TOKEN_START}(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mailgun-api-key",
    title: "Mailgun API key (legacy key- form)",
    severity: "high",
    keywords: ["key-"],
    pattern: `${TOKEN_START}(key-[0-9a-f]{32})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mailgun-private-key",
    title: "Mailgun API key",
    severity: "high",
    keywords: ["mailgun"],
    // `api:<key>` (curl --user) counts when a Mailgun host follows on the line; leftmost-first alternation keeps it in the match.
    pattern: String.raw`(?:(?i:mailgun)[\w.-]{0,30}${ASSIGN}|api:)([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?:[^0-9A-Za-z-][^\n]{0,200}?(?i:mailgun)\.net|[^0-9A-Za-z-]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mailchimp-api-key",
    title: "Mailchimp API key",
    severity: "high",
    keywords: ["-us1", "-us2", "-us3", "-us4", "-us5", "-us6", "-us7", "-us8", "-us9"],
    pattern: `(?:^|[^0-9A-Za-z_-])([0-9a-f]{32}-us[0-9]{1,2})(?:[^0-9A-Za-z_-]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mailchimp-transactional-key",
    title: "Mailchimp Transactional (Mandrill) API key",
    severity: "high",
    keywords: ["mandrill", "transactional"],
    pattern: String.raw`(?i:mandrill|mailchimp[_-]?transactional)[\w.-]{0,30}${ASSIGN}((?:md-)?[A-Za-z0-9_-]{22})${TOKEN_END}`,
    entropy: 3.5,
    validate: validateMixedCase,
    examples: { tp: [], fp: [] }
  },
  {
    id: "postmark-server-token",
    title: "Postmark server or account token",
    severity: "high",
    keywords: ["postmark"],
    pattern: String.raw`(?i:postmark)[\w.-]{0,30}${ASSIGN}([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[^0-9A-Za-z-]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "microsoft-teams-webhook-url",
    title: "Microsoft Teams incoming webhook URL",
    severity: "high",
    keywords: ["office.com/webhook", "office365.com/webhook"],
    pattern: String.raw`(?:webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/([0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(?:/[A-Za-z0-9_-]{20,80})?)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "microsoft-teams-workflow-webhook-url",
    title: "Microsoft Teams / Power Automate workflow webhook URL",
    severity: "high",
    keywords: ["logic.azure.com", "powerplatform.com"],
    pattern: String.raw`(?:logic\.azure\.com|api\.powerplatform\.com)(?::443)?/[A-Za-z0-9/_.-]*workflows/[0-9a-f]{32}/triggers/[A-Za-z0-9_]+/paths/invoke\?[^\s"'<>]*?sig=([A-Za-z0-9_%-]{40,90})`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "google-chat-webhook-url",
    title: "Google Chat webhook URL",
    severity: "medium",
    keywords: ["chat.googleapis.com"],
    pattern: String.raw`chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]+/messages\?[^\s"'<>]*?token=([A-Za-z0-9_%-]{40,60})`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "brevo-api-key",
    title: "Brevo (Sendinblue) API key",
    severity: "high",
    keywords: ["xkeysib-"],
    pattern: `${TOKEN_START}(xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "brevo-smtp-key",
    title: "Brevo (Sendinblue) SMTP key",
    severity: "high",
    keywords: ["xsmtpsib-"],
    pattern: `${TOKEN_START}(xsmtpsib-[0-9a-f]{64}-[A-Za-z0-9]{16})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "resend-api-key",
    title: "Resend API key",
    severity: "high",
    keywords: ["resend"],
    pattern: String.raw`(?i:resend)[\w.-]{0,30}(?:${ASSIGN}|\(\s*["'])(re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "mailersend-api-token",
    title: "MailerSend API token",
    severity: "high",
    keywords: ["mlsn."],
    pattern: `${TOKEN_START}(mlsn\\.[0-9a-f]{64})${TOKEN_END}`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "zapier-webhook-url",
    title: "Zapier catch hook URL",
    severity: "medium",
    keywords: ["hooks.zapier.com"],
    pattern: String.raw`hooks\.zapier\.com/hooks/catch/([0-9]{4,12}/[a-z0-9]{6,8})(?:/|[^A-Za-z0-9]|$)`,
    entropy: 2.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "twilio-api-key-secret",
    title: "Twilio API key secret",
    severity: "high",
    keywords: ["twilio"],
    pattern: String.raw`(?i:twilio)[\w.-]{0,24}(?i:api[_-]?(?:key[_-]?)?secret)${ASSIGN}([A-Za-z0-9]{32})(?:[^0-9A-Za-z]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "vonage-api-secret",
    title: "Vonage (Nexmo) API secret",
    severity: "high",
    keywords: ["vonage", "nexmo"],
    pattern: String.raw`(?i:vonage|nexmo)[\w.-]{0,24}(?i:secret)${ASSIGN}([A-Za-z0-9]{16})(?:[^0-9A-Za-z]|$)`,
    entropy: 3.3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pusher-app-secret",
    title: "Pusher Channels app secret",
    severity: "high",
    keywords: ["pusher"],
    pattern: String.raw`(?i:pusher)[\w.-]{0,24}(?i:secret)${ASSIGN}([0-9a-f]{20})(?:[^0-9A-Za-z]|$)`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "intercom-access-token",
    title: "Intercom access token",
    severity: "high",
    keywords: ["dg9ro"],
    pattern: `${TOKEN_START}(dG9rO[A-Za-z0-9+/]{30,120}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
    validate: validateIntercomToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/services.ts
function validateRandomBody(secret) {
  const body = secret.replace(/^[a-z]+_(?:live|test)_/, "");
  if (isPlaceholder(body) || isStandIn(body)) return "invalid";
  const classes = Number(/[a-z]/.test(body)) + Number(/[A-Z]/.test(body)) + Number(/[0-9]/.test(body));
  const floor = /^[0-9a-f-]+$/i.test(body) ? 3 : 3.5;
  return classes >= 2 && shannonEntropy(body) >= floor ? "unknown" : "invalid";
}
var serviceRules = [
  {
    id: "sidekiq-enterprise-credentials",
    title: "Sidekiq Enterprise/Pro gem server credentials",
    severity: "high",
    keywords: ["contribsys__com"],
    pattern: `(?i:BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM)${ASSIGN}([0-9a-f]{8}:[0-9a-f]{8})${TOKEN_END}`,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sumologic-access-id",
    title: "Sumo Logic access id",
    severity: "medium",
    keywords: ["sumo"],
    pattern: named("sumo(?:_?logic)?", "su[A-Za-z0-9]{12}"),
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sumologic-access-key",
    title: "Sumo Logic access key",
    severity: "high",
    keywords: ["sumo"],
    pattern: named("sumo(?:_?logic)?", "[A-Za-z0-9]{64}"),
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "notion-integration-token",
    title: "Notion integration token",
    severity: "high",
    keywords: ["ntn_"],
    pattern: `${TOKEN_START}(ntn_[0-9]{11}[A-Za-z0-9]{35})${TOKEN_END}`,
    examples: { tp: [], fp: [] }
  },
  {
    id: "notion-integration-token-legacy",
    title: "Notion integration token (legacy secret_)",
    severity: "high",
    keywords: ["notion"],
    pattern: named("notion", "secret_[A-Za-z0-9]{43}"),
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "posthog-personal-api-key",
    title: "PostHog personal API key",
    severity: "high",
    keywords: ["phx_"],
    pattern: `${TOKEN_START}(phx_[A-Za-z0-9_]{43,48})${TOKEN_END}`,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "nuget-cleartext-password",
    title: "NuGet feed password (NuGet.Config ClearTextPassword)",
    severity: "high",
    keywords: ["cleartextpassword"],
    pattern: String.raw`<add\s+key=["'](?i:ClearTextPassword)["']\s+value=["']([^"'\s]{4,})["']`,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "facebook-access-token",
    title: "Facebook (Meta) page or user access token",
    severity: "high",
    keywords: ["eaa"],
    pattern: `${TOKEN_START}(EAA[B-Z0-9][A-Za-z0-9]{90,})${TOKEN_END}`,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "facebook-app-secret",
    title: "Facebook (Meta) app secret",
    severity: "high",
    keywords: ["facebook", "fb_app_secret", "fb_secret"],
    pattern: String.raw`(?i:facebook|fb)[\w.-]{0,20}(?i:secret)${ASSIGN}([0-9a-f]{32})${TOKEN_END}`,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "slack-legacy-bot-token",
    title: "Slack legacy bot token",
    severity: "high",
    keywords: ["xoxb-"],
    pattern: `${TOKEN_START}(xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26})${TOKEN_END}`,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "live-secret-key",
    title: "Live secret key (sk_live_, non-Stripe layout)",
    severity: "high",
    keywords: ["sk_live_"],
    pattern: `${TOKEN_START}(sk_live_[A-Za-z0-9]*[-_][A-Za-z0-9_-]{8,})${TOKEN_END}`,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "contentful-personal-access-token",
    title: "Contentful personal access token",
    severity: "high",
    keywords: ["cfpat-"],
    pattern: `${TOKEN_START}(CFPAT-[A-Za-z0-9_-]{43})${TOKEN_END}`,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  },
  {
    id: "aws-appsync-api-key",
    title: "AWS AppSync API key",
    severity: "medium",
    keywords: ["da2-"],
    pattern: `${TOKEN_START}(da2-[a-z0-9]{26})${TOKEN_END}`,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/vendors.ts
var UUID4 = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
function vendorRule(s) {
  return {
    id: s.id,
    title: s.title,
    severity: s.severity,
    keywords: s.keywords,
    pattern: s.pattern,
    validate: validateRandomBody,
    examples: { tp: [], fp: [] }
  };
}
var vendorRules = [
  vendorRule({
    id: "clickhouse-cloud-api-secret",
    title: "ClickHouse Cloud API key secret",
    severity: "high",
    keywords: ["4b1d"],
    pattern: `${TOKEN_START}(4b1d[A-Za-z0-9]{38})${TOKEN_END}`,
    value: () => `4b1d${fx("ch", 38)}`,
    env: "CLICKHOUSE_KEY_SECRET",
    what: "A ClickHouse Cloud API key secret (`4b1d` + 38 characters): it manages the organization\u2019s services.",
    revoke: "Delete the key under Organization \u2192 API keys and create a new one."
  }),
  vendorRule({
    id: "defined-networking-api-token",
    title: "Defined Networking (Nebula) API token",
    severity: "high",
    keywords: ["dnkey-"],
    pattern: `${TOKEN_START}(dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52})${TOKEN_END}`,
    value: () => `dnkey-${fx("dn1", 26)}-${fx("dn2", 52)}`,
    env: "DN_API_KEY",
    what: "A Defined Networking API key (`dnkey-\u2026`): it manages the Nebula overlay network\u2019s hosts and certificates.",
    revoke: "Revoke it in the Defined Networking admin panel."
  }),
  vendorRule({
    id: "duffel-api-token",
    title: "Duffel API token",
    severity: "high",
    keywords: ["duffel_"],
    pattern: `${TOKEN_START}(duffel_(?:test|live)_[A-Za-z0-9_=-]{43})${TOKEN_END}`,
    value: () => `duffel_live_${fx("du", 43)}`,
    env: "DUFFEL_ACCESS_TOKEN",
    what: "A Duffel access token (`duffel_live_`/`duffel_test_`): it books and pays for travel on the account.",
    revoke: "Revoke it under Developers \u2192 Access tokens."
  }),
  vendorRule({
    id: "easypost-api-key",
    title: "EasyPost API key",
    severity: "high",
    keywords: ["ezak", "eztk"],
    pattern: `${TOKEN_START}(EZ[AT]K[A-Za-z0-9]{54})${TOKEN_END}`,
    value: () => `EZAK${fx("ep", 54)}`,
    env: "EASYPOST_API_KEY",
    what: "An EasyPost API key (`EZAK` production, `EZTK` test): it buys postage on the account.",
    revoke: "Disable it under Account \u2192 API keys and create a new one."
  }),
  vendorRule({
    id: "frameio-api-token",
    title: "Frame.io API token",
    severity: "high",
    keywords: ["fio-u-"],
    pattern: `${TOKEN_START}(fio-u-[A-Za-z0-9_=-]{64})${TOKEN_END}`,
    value: () => `fio-u-${fx("fio", 64)}`,
    env: "FRAMEIO_TOKEN",
    what: "A Frame.io developer token (`fio-u-\u2026`): it reads and changes the user\u2019s projects and assets.",
    revoke: "Revoke it at developer.frame.io \u2192 Tokens."
  }),
  vendorRule({
    id: "harness-api-key",
    title: "Harness API key or service account token",
    severity: "high",
    keywords: ["pat.", "sat."],
    pattern: `${TOKEN_START}((?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20})${TOKEN_END}`,
    value: () => `pat.${fx("hn1", 22)}.${fx("hn2", 24)}.${fx("hn3", 20)}`,
    env: "HARNESS_API_KEY",
    what: "A Harness personal access token or service account token (`pat.`/`sat.` + account, key id, secret).",
    revoke: "Delete the token under the user\u2019s or service account\u2019s API keys."
  }),
  vendorRule({
    id: "infracost-api-key",
    title: "Infracost API key",
    severity: "medium",
    keywords: ["ico-"],
    pattern: `${TOKEN_START}(ico-[A-Za-z0-9]{32})${TOKEN_END}`,
    value: () => `ico-${fx("ico", 32)}`,
    env: "INFRACOST_API_KEY",
    what: "An Infracost API key (`ico-` + 32 characters).",
    revoke: "Rotate it in Infracost Cloud \u2192 Org settings \u2192 API keys."
  }),
  vendorRule({
    id: "intra42-client-secret",
    title: "42 intranet (Intra) client secret",
    severity: "medium",
    keywords: ["s-s4t2"],
    pattern: `${TOKEN_START}(s-s4t2(?:ud|af)-[a-f0-9]{64})${TOKEN_END}`,
    value: () => `s-s4t2ud-${fx("i42", 64, FIXTURE_ALPHABETS.hex)}`,
    env: "FT_CLIENT_SECRET",
    what: "A 42 school intranet OAuth application secret (`s-s4t2ud-`/`s-s4t2af-`).",
    revoke: "Generate a new secret on the application\u2019s page of the intranet."
  }),
  vendorRule({
    id: "openshift-user-token",
    title: "OpenShift user token",
    severity: "high",
    keywords: ["sha256~"],
    pattern: `${TOKEN_START}(sha256~[A-Za-z0-9_-]{43})${TOKEN_END}`,
    value: () => `sha256~${fx("osh", 43, FIXTURE_ALPHABETS.base64url)}`,
    env: "OPENSHIFT_TOKEN",
    what: "An OpenShift OAuth access token (`sha256~` + 43 characters): it acts as the user on the cluster (`oc login --token`).",
    revoke: "Delete it with `oc delete oauthaccesstoken` or log the session out."
  }),
  vendorRule({
    id: "readme-api-key",
    title: "ReadMe API key",
    severity: "medium",
    keywords: ["rdme_"],
    pattern: `${TOKEN_START}(rdme_[a-z0-9]{70})${TOKEN_END}`,
    value: () => `rdme_${fx("rdme", 70, FIXTURE_ALPHABETS.lowerAlnum)}`,
    env: "README_API_KEY",
    what: "A ReadMe API key (`rdme_` + 70 characters): it edits the project\u2019s documentation.",
    revoke: "Revoke it in the project\u2019s dashboard under API keys."
  }),
  vendorRule({
    id: "scalingo-api-token",
    title: "Scalingo API token",
    severity: "high",
    keywords: ["tk-us-"],
    pattern: `${TOKEN_START}(tk-us-[A-Za-z0-9_-]{48})${TOKEN_END}`,
    value: () => `tk-us-${fx("scl", 48)}`,
    env: "SCALINGO_API_TOKEN",
    what: "A Scalingo API token (`tk-us-\u2026`): it deploys and configures the account\u2019s apps.",
    revoke: "Delete it under User settings \u2192 API tokens."
  }),
  vendorRule({
    id: "settlemint-access-token",
    title: "SettleMint access token",
    severity: "high",
    keywords: ["sm_pat_", "sm_aat_", "sm_sat_"],
    pattern: `${TOKEN_START}(sm_(?:pat|aat|sat)_[A-Za-z0-9]{16})${TOKEN_END}`,
    value: () => `sm_pat_${fx("smt", 16)}`,
    env: "SETTLEMINT_ACCESS_TOKEN",
    what: "A SettleMint personal, application or service access token (`sm_pat_`, `sm_aat_`, `sm_sat_`).",
    revoke: "Delete it in the SettleMint console and create a new one."
  }),
  vendorRule({
    id: "shippo-api-token",
    title: "Shippo API token",
    severity: "high",
    keywords: ["shippo_"],
    pattern: `${TOKEN_START}(shippo_(?:live|test)_[a-fA-F0-9]{40})${TOKEN_END}`,
    value: () => `shippo_live_${fx("shp", 40, FIXTURE_ALPHABETS.hex)}`,
    env: "SHIPPO_API_TOKEN",
    what: "A Shippo API token (`shippo_live_`/`shippo_test_` + 40 hex): live tokens buy labels on the account.",
    revoke: "Regenerate it under Settings \u2192 API."
  }),
  vendorRule({
    id: "typeform-api-token",
    title: "Typeform personal access token",
    severity: "medium",
    keywords: ["tfp_"],
    pattern: `${TOKEN_START}(tfp_[A-Za-z0-9_.=-]{59})${TOKEN_END}`,
    value: () => `tfp_${fx("tfp", 59)}`,
    env: "TYPEFORM_TOKEN",
    what: "A Typeform personal access token (`tfp_` + 59 characters): it reads forms and their responses.",
    revoke: "Delete it under Account \u2192 Personal tokens."
  }),
  vendorRule({
    id: "yandex-cloud-api-key",
    title: "Yandex Cloud API key",
    severity: "high",
    keywords: ["aqvn"],
    pattern: `${TOKEN_START}(AQVN[A-Za-z0-9_-]{35,38})${TOKEN_END}`,
    value: () => `AQVN${fx("yc", 36)}`,
    env: "YC_API_KEY",
    what: "A Yandex Cloud service account API key (`AQVN\u2026`).",
    revoke: "Delete it with `yc iam api-key delete` and issue a new one."
  }),
  vendorRule({
    id: "hubspot-private-app-token",
    title: "HubSpot private app token",
    severity: "high",
    keywords: ["pat-na1-", "pat-eu1-"],
    pattern: `${TOKEN_START}(pat-(?:na|eu)1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})${TOKEN_END}`,
    value: () => `pat-na1-${fxUuid("hs")}`,
    env: "HUBSPOT_ACCESS_TOKEN",
    what: "A HubSpot private app access token (`pat-na1-`/`pat-eu1-` + UUID): it reads and writes the CRM within the app\u2019s scopes.",
    revoke: "Rotate it on the private app\u2019s Auth tab."
  }),
  vendorRule({
    id: "hubspot-api-key",
    title: "HubSpot API key (hapikey)",
    severity: "high",
    keywords: ["hubspot", "hapikey"],
    // The legacy API key is a UUID, under a HubSpot name or as the `hapikey` query parameter.
    pattern: String.raw`(?:(?i:hubspot)[\w.-]{0,30}|(?i:hapikey))${ASSIGN}(${UUID4})${TOKEN_END}`,
    value: () => fxUuid("hapi"),
    env: "HUBSPOT_API_KEY",
    what: "A HubSpot API key (a UUID under a HubSpot name, or `hapikey=` in a URL): the account\u2019s legacy all-access key.",
    revoke: "Deactivate it under Settings \u2192 Integrations \u2192 API key, and move to a private app token."
  }),
  vendorRule({
    id: "npm-legacy-token",
    title: "npm legacy token (UUID)",
    severity: "high",
    keywords: ["npm_token", "npmtoken", "npm_auth_token", "npm-token"],
    // npm's tokens before `npm_?` were UUIDs; in `.npmrc` the npmrc rules report them, here under an npm token name.
    pattern: `(?i:npm[_-]?(?:auth[_-]?)?token)${ASSIGN}(${UUID4})${TOKEN_END}`,
    value: () => fxUuid("npmu"),
    env: "NPM_TOKEN",
    what: "An npm access token of the legacy kind (a UUID) under an npm token name: it publishes as its owner.",
    revoke: "Revoke it with `npm token revoke` or on npmjs.com \u2192 Access Tokens, and create a granular token."
  }),
  vendorRule({
    id: "adafruit-io-key",
    title: "Adafruit IO key",
    severity: "medium",
    keywords: ["aio_"],
    pattern: `${TOKEN_START}(aio_[A-Za-z0-9]{28})${TOKEN_END}`,
    value: () => `aio_${fx("aio", 28)}`,
    env: "ADAFRUIT_IO_KEY",
    what: "An Adafruit IO key (`aio_` + 28 characters): it publishes to and reads the account\u2019s feeds.",
    revoke: "Regenerate it on io.adafruit.com (My Key \u2192 Regenerate)."
  }),
  vendorRule({
    id: "maxmind-license-key",
    title: "MaxMind license key",
    severity: "medium",
    keywords: ["_mmk"],
    pattern: `${TOKEN_START}([A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk)${TOKEN_END}`,
    value: () => `${fx("mm1", 6)}_${fx("mm2", 29)}_mmk`,
    env: "MAXMIND_LICENSE_KEY",
    what: "A MaxMind license key (`\u2026_mmk`): it downloads GeoIP databases on the account\u2019s licence.",
    revoke: "Deactivate it under Manage License Keys and create a new one."
  }),
  vendorRule({
    id: "adobe-client-secret",
    title: "Adobe client secret",
    severity: "high",
    keywords: ["p8e-"],
    pattern: `${TOKEN_START}(p8e-[A-Za-z0-9_-]{32})${TOKEN_END}`,
    value: () => `p8e-${fx("adb", 32)}`,
    env: "ADOBE_CLIENT_SECRET",
    what: "An Adobe Developer Console OAuth client secret (`p8e-` + 32 characters).",
    revoke: "Rotate the client secret on the project\u2019s credential page."
  }),
  vendorRule({
    id: "authress-access-key",
    title: "Authress service client access key",
    severity: "high",
    keywords: [".acc_", ".acc-"],
    pattern: `${TOKEN_START}((?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\\.[A-Za-z0-9]{4,6}\\.acc[_-][A-Za-z0-9-]{10,32}\\.[A-Za-z0-9+/_=-]{30,120})${TOKEN_END}`,
    value: () => `sc_${fx("au1", 12)}.${fx("au2", 5)}.acc_${fx("au3", 20)}.${fx("au4", 60)}`,
    env: "AUTHRESS_KEY",
    what: "An Authress service client access key: it calls the Authress API as the service client.",
    revoke: "Delete the access key on the service client and create a new one."
  }),
  vendorRule({
    id: "airtable-api-key",
    title: "Airtable personal access token or API key",
    severity: "high",
    keywords: ["airtable"],
    pattern: named("airtable", `pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}|key[A-Za-z0-9]{14}`),
    value: () => `pat${fx("at1", 14)}.${fx("at2", 64, FIXTURE_ALPHABETS.hex)}`,
    env: "AIRTABLE_API_KEY",
    what: "An Airtable personal access token (`pat\u2026.` + 64 hex) or legacy API key (`key` + 14), under an Airtable name.",
    revoke: "Delete it at airtable.com/create/tokens."
  }),
  vendorRule({
    id: "algolia-admin-key",
    title: "Algolia API key",
    severity: "high",
    keywords: ["algolia"],
    pattern: named("algolia", `[a-f0-9]{32}`),
    value: () => fx("alg", 32, FIXTURE_ALPHABETS.hex),
    env: "ALGOLIA_ADMIN_KEY",
    what: "An Algolia API key (32 hex) under an Algolia name; admin and write keys change the indices (search-only keys are meant to be public but still reported: check which it is).",
    revoke: "Regenerate it under Settings \u2192 API keys."
  }),
  vendorRule({
    id: "contentful-delivery-token",
    title: "Contentful access token",
    severity: "medium",
    keywords: ["contentful"],
    pattern: named("contentful", `[A-Za-z0-9_=-]{43}`),
    value: () => fx("ctf", 43, FIXTURE_ALPHABETS.base64url),
    env: "CONTENTFUL_ACCESS_TOKEN",
    what: "A Contentful delivery, preview or management token (43 characters) under a Contentful name.",
    revoke: "Revoke it under Settings \u2192 API keys / CMA tokens."
  }),
  vendorRule({
    id: "fastly-api-token",
    title: "Fastly API token",
    severity: "high",
    keywords: ["fastly"],
    pattern: named("fastly", `[A-Za-z0-9_=-]{32}`),
    value: () => fx("fst", 32, FIXTURE_ALPHABETS.base64url),
    env: "FASTLY_API_TOKEN",
    what: "A Fastly API token (32 characters) under a Fastly name: it purges and configures the account\u2019s services.",
    revoke: "Revoke it under Account \u2192 API tokens."
  }),
  vendorRule({
    id: "mattermost-access-token",
    title: "Mattermost access token",
    severity: "medium",
    keywords: ["mattermost"],
    pattern: named("mattermost", `[a-z0-9]{26}`),
    value: () => fx("mtm", 26, FIXTURE_ALPHABETS.lowerAlnum),
    env: "MATTERMOST_TOKEN",
    what: "A Mattermost personal access token or bot token (26 characters) under a Mattermost name.",
    revoke: "Revoke it in the user\u2019s or bot\u2019s Security settings."
  }),
  vendorRule({
    id: "twitch-api-token",
    title: "Twitch API token",
    severity: "medium",
    keywords: ["twitch"],
    pattern: named("twitch", `[a-z0-9]{30}`),
    value: () => fx("twc", 30, FIXTURE_ALPHABETS.lowerAlnum),
    env: "TWITCH_CLIENT_SECRET",
    what: "A Twitch client secret or OAuth token (30 characters) under a Twitch name.",
    revoke: "Generate a new secret in the Twitch developer console."
  }),
  vendorRule({
    id: "zendesk-api-token",
    title: "Zendesk API token",
    severity: "high",
    keywords: ["zendesk"],
    pattern: named("zendesk", `[A-Za-z0-9]{40}`),
    value: () => fx("zd", 40),
    env: "ZENDESK_API_TOKEN",
    what: "A Zendesk API token (40 characters) under a Zendesk name: it acts as any agent with the account\u2019s email.",
    revoke: "Delete it in Admin Center \u2192 Apps and integrations \u2192 Zendesk API."
  }),
  vendorRule({
    id: "linear-client-secret",
    title: "Linear OAuth client secret",
    severity: "medium",
    keywords: ["linear"],
    pattern: named("linear", `[a-f0-9]{32}`),
    value: () => fx("lin", 32, FIXTURE_ALPHABETS.hex),
    env: "LINEAR_CLIENT_SECRET",
    what: "A Linear OAuth application client secret (32 hex) under a Linear name.",
    revoke: "Rotate it on the OAuth application\u2019s settings page."
  }),
  vendorRule({
    id: "twitter-bearer-token",
    title: "Twitter (X) app bearer token",
    severity: "high",
    keywords: ["twitter", "x_bearer"],
    pattern: named("twitter|x_bearer", `A{22}[A-Za-z0-9%]{80,100}`),
    value: () => `${"A".repeat(22)}${fx("twb", 90)}`,
    env: "TWITTER_BEARER_TOKEN",
    what: "A Twitter/X app-only bearer token (22 `A` then 80\u2013100 characters) under a Twitter name.",
    revoke: "Regenerate it in the developer portal (Keys and tokens)."
  }),
  vendorRule({
    id: "twitter-api-secret",
    title: "Twitter (X) API key secret or access token secret",
    severity: "high",
    keywords: ["twitter"],
    pattern: named("twitter", `[A-Za-z0-9]{45,50}`),
    value: () => fx("tws", 50),
    env: "TWITTER_API_SECRET",
    what: "A Twitter/X consumer secret or access token secret (45\u201350 characters) under a Twitter name.",
    revoke: "Regenerate it in the developer portal (Keys and tokens)."
  }),
  vendorRule({
    id: "discord-client-secret",
    title: "Discord OAuth client secret",
    severity: "medium",
    keywords: ["discord"],
    pattern: named("discord", `[A-Za-z0-9_-]{32}`),
    value: () => fx("dcs", 32, FIXTURE_ALPHABETS.base64url),
    env: "DISCORD_CLIENT_SECRET",
    what: "A Discord application OAuth client secret (32 characters) under a Discord name.",
    revoke: "Reset it on the application\u2019s OAuth2 page."
  }),
  vendorRule({
    id: "dropbox-access-token",
    title: "Dropbox access token",
    severity: "high",
    keywords: ["dropbox"],
    pattern: named("dropbox", `sl\\.[A-Za-z0-9._=-]{130,}`),
    value: () => `sl.${fx("dbx", 140, FIXTURE_ALPHABETS.base64url)}`,
    env: "DROPBOX_ACCESS_TOKEN",
    what: "A Dropbox short-lived access token (`sl.\u2026`) under a Dropbox name.",
    revoke: "Revoke the app\u2019s access in Dropbox settings \u2192 Connected apps."
  }),
  vendorRule({
    id: "messagebird-api-key",
    title: "MessageBird (Bird) API key",
    severity: "medium",
    keywords: ["messagebird", "message_bird", "message-bird"],
    pattern: named("messagebird|message_bird|message-bird", `[A-Za-z0-9]{25}`),
    value: () => fx("mb", 25),
    env: "MESSAGEBIRD_API_KEY",
    what: "A MessageBird live or test API key (25 characters) under a MessageBird name.",
    revoke: "Delete it in the dashboard under Developers \u2192 API access."
  }),
  vendorRule({
    id: "sendbird-api-token",
    title: "Sendbird API token",
    severity: "high",
    keywords: ["sendbird"],
    pattern: named("sendbird", `[a-f0-9]{40}`),
    value: () => fx("sbd", 40, FIXTURE_ALPHABETS.hex),
    env: "SENDBIRD_API_TOKEN",
    what: "A Sendbird master or secondary API token (40 hex) under a Sendbird name.",
    revoke: "Revoke it in the Sendbird dashboard under Settings \u2192 General."
  }),
  vendorRule({
    id: "cisco-meraki-api-key",
    title: "Cisco Meraki API key",
    severity: "high",
    keywords: ["meraki"],
    pattern: named("meraki", `[a-f0-9]{40}`),
    value: () => fx("mer", 40, FIXTURE_ALPHABETS.hex),
    env: "MERAKI_API_KEY",
    what: "A Cisco Meraki dashboard API key (40 hex) under a Meraki name: it manages the organization\u2019s networks.",
    revoke: "Revoke it in the dashboard under My profile \u2192 API access."
  }),
  vendorRule({
    id: "gitter-access-token",
    title: "Gitter access token",
    severity: "low",
    keywords: ["gitter"],
    pattern: named("gitter", `[a-f0-9]{40}`),
    value: () => fx("git", 40, FIXTURE_ALPHABETS.hex),
    env: "GITTER_TOKEN",
    what: "A Gitter access token (40 hex) under a Gitter name.",
    revoke: "Revoke it at developer.gitter.im."
  }),
  vendorRule({
    id: "rapidapi-key",
    title: "RapidAPI key",
    severity: "medium",
    keywords: ["rapidapi", "x-rapidapi-key"],
    pattern: named("rapidapi|x-rapidapi-key", `[A-Za-z0-9_-]{50}`),
    value: () => fx("rpd", 50, FIXTURE_ALPHABETS.base64url),
    env: "RAPIDAPI_KEY",
    what: "A RapidAPI application key (50 characters) under a RapidAPI name: it spends the account\u2019s subscriptions.",
    revoke: "Rotate it in the RapidAPI developer dashboard."
  }),
  vendorRule({
    id: "kucoin-api-secret",
    title: "KuCoin API secret",
    severity: "high",
    keywords: ["kucoin"],
    pattern: named("kucoin", `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
    value: () => fxUuid("kuc"),
    env: "KUCOIN_API_SECRET",
    what: "A KuCoin API secret (UUID) under a KuCoin name: with its key and passphrase it trades the account.",
    revoke: "Delete the API key in KuCoin\u2019s API management."
  }),
  vendorRule({
    id: "coinbase-api-secret",
    title: "Coinbase API secret",
    severity: "high",
    keywords: ["coinbase"],
    pattern: named("coinbase", `[A-Za-z0-9_-]{64}`),
    value: () => fx("cb", 64, FIXTURE_ALPHABETS.base64url),
    env: "COINBASE_API_SECRET",
    what: "A Coinbase API secret (64 characters) under a Coinbase name.",
    revoke: "Delete the API key in Coinbase\u2019s API settings."
  })
];

// src/scan/rules/packages.ts
function validateJfrogReference(secret) {
  return Buffer.from(secret, "base64").toString("latin1").startsWith("reftkn:") ? "valid" : "invalid";
}
var packageRules = [
  {
    id: "npm-access-token",
    title: "npm access token",
    severity: "high",
    keywords: ["npm_"],
    pattern: String.raw`\b(npm_[A-Za-z0-9]{36})\b`,
    entropy: 3.5,
    validate: validateNpmToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pypi-api-token",
    title: "PyPI API token",
    severity: "high",
    keywords: ["pypi-"],
    pattern: String.raw`\b(pypi-[A-Za-z0-9_-]{80,}={0,2})`,
    entropy: 4,
    validate: validatePypiToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pypi-test-api-token",
    title: "TestPyPI API token",
    severity: "low",
    keywords: ["pypi-"],
    pattern: String.raw`\b(pypi-[A-Za-z0-9_-]{80,}={0,2})`,
    entropy: 4,
    validate: validateTestPypiToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "rubygems-api-key",
    title: "RubyGems API key",
    severity: "high",
    keywords: ["rubygems_"],
    pattern: String.raw`\b(rubygems_[a-f0-9]{48})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "nuget-api-key",
    title: "NuGet.org API key",
    severity: "high",
    keywords: ["oy2"],
    pattern: String.raw`\b(oy2[a-z0-9]{43})\b`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "crates-io-token",
    title: "crates.io API token",
    severity: "high",
    keywords: ["cio"],
    pattern: String.raw`\b(cio[A-Za-z0-9]{32})\b`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "docker-hub-pat",
    title: "Docker Hub personal or organisation access token",
    severity: "high",
    keywords: ["dckr_pat_", "dckr_oat_"],
    pattern: String.raw`\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "jfrog-api-key",
    title: "JFrog Artifactory API key",
    severity: "high",
    keywords: ["akcp"],
    pattern: String.raw`\b(AKCp[A-Za-z0-9]{69})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "jfrog-reference-token",
    title: "JFrog reference token",
    severity: "high",
    keywords: ["cmvmdgtu"],
    pattern: String.raw`\b(cmVmdGtu[A-Za-z0-9]{56})\b`,
    entropy: 4,
    validate: validateJfrogReference,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "clojars-deploy-token",
    title: "Clojars deploy token",
    severity: "high",
    keywords: ["clojars_"],
    pattern: String.raw`\b(CLOJARS_[a-f0-9]{60})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "packagist-token",
    title: "Private Packagist authentication token",
    severity: "high",
    keywords: ["packagist_"],
    pattern: String.raw`\b(packagist_[a-z]{3}_[a-f0-9]{68})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/structured.ts
var USERINFO = String.raw`[^:@/\s"'<>?]*:([^@/\s"'<>?]+)@[^\s"'<>/@]+`;
var USERINFO_END = Array.from({ length: 127 - 33 }, (_, i) => String.fromCharCode(33 + i)).filter((c) => !`"'/<>@`.includes(c) && !(c >= "A" && c <= "Z")).map((c) => `${c}@`);
var DB_CONNECT = String.raw`(?:\bnew[ \t]+PDO|DriverManager\.getConnection|DBI->connect|\bmysqli_connect|\bnew[ \t]+mysqli|\bmysql_connect)\([^,()\n]*,[ \t]*`;
function dbRule(id, title, scheme, keywords, help, examples) {
  return {
    id,
    title,
    severity: "high",
    keywords,
    pattern: `${TOKEN_START}(?i:${scheme})://${USERINFO}`,
    validate: validateDbUrl,
    examples
  };
}
function validateKubeToken(secret) {
  if (secret.startsWith("eyJ")) return "invalid";
  return isPlaceholderPassword(secret) ? "invalid" : "unknown";
}
function validateNpmrcToken(secret) {
  if (/^npm_/.test(secret)) return "invalid";
  return isPlaceholderPassword(secret) ? "invalid" : "unknown";
}
var SQL_ACCOUNT = /(?:USER|ROLE|LOGIN)[ \t]+[`'"[]?([^\s`'"\]@;]+)/i;
var SQL_ACCOUNTS = new RegExp(SQL_ACCOUNT.source, "gi");
function validateSqlPassword(secret, match = "", before = "") {
  if (isHashedOrEncrypted(secret) || /^(?:md5[0-9a-f]{32}|SCRAM-SHA-256\$.*|\*[0-9A-F]{40})$/i.test(secret))
    return "invalid";
  const user = (SQL_ACCOUNT.exec(match) ?? [...before.slice(-200).matchAll(SQL_ACCOUNTS)].at(-1))?.[1];
  if (user && user.toLowerCase() === secret.toLowerCase()) return "invalid";
  return validatePassword(secret);
}
var structuredRules = [
  {
    id: "jwt",
    title: "JSON Web Token",
    severity: "medium",
    keywords: ["eyj"],
    pattern: `${TOKEN_START}(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,})${TOKEN_END}`,
    validate: validateJwt,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  dbRule(
    "postgres-url",
    "PostgreSQL URL with password",
    "postgres(?:ql)?(?:\\+[a-z0-9]+)?",
    ["postgres"],
    "A PostgreSQL connection URL with an embedded password. Change the role\u2019s password (`ALTER ROLE \u2026 PASSWORD`) and load the URL from a secret store.",
    { tp: [], fp: [] }
  ),
  dbRule(
    "mysql-url",
    "MySQL/MariaDB URL with password",
    "mysql(?:x)?(?:\\+[a-z0-9]+)?|mariadb",
    ["mysql", "mariadb"],
    "A MySQL or MariaDB connection URL with an embedded password. Change the account\u2019s password (`ALTER USER`) and load the URL from a secret store.",
    { tp: [], fp: [] }
  ),
  dbRule(
    "mongodb-url",
    "MongoDB URL with password",
    "mongodb(?:\\+srv)?",
    ["mongodb"],
    "A MongoDB connection string with an embedded password (Atlas `mongodb+srv://` included). Rotate the database user\u2019s password (Atlas: Database Access \u2192 Edit) and load the URI from a secret store.",
    { tp: [], fp: [] }
  ),
  dbRule(
    "redis-url",
    "Redis URL with password",
    "rediss?",
    ["redis"],
    "A Redis connection URL with a password (`redis://:password@host`, ACL users included). Change the password (`CONFIG SET requirepass` / `ACL SETUSER`) or rotate it in your provider\u2019s console.",
    { tp: [], fp: [] }
  ),
  dbRule(
    "amqp-url",
    "AMQP (RabbitMQ) URL with password",
    "amqps?",
    ["amqp"],
    "An AMQP broker URL (RabbitMQ and others) with an embedded password. Change the user\u2019s password (`rabbitmqctl change_password`) and load the URL from a secret store.",
    { tp: [], fp: [] }
  ),
  dbRule(
    "mssql-url",
    "SQL Server URL with password",
    "mssql|sqlserver",
    ["mssql", "sqlserver"],
    "A SQL Server connection URL with an embedded password. Change the login\u2019s password (`ALTER LOGIN`) and load the URL from a secret store.",
    { tp: [], fp: [] }
  ),
  dbRule(
    "database-url",
    "Database URL with password (other engines)",
    "oracle|cockroachdb|clickhouse|neo4j(?:\\+s)?|bolt|cassandra|couchbases?|influxdb|snowflake|db2|memcached|nats",
    [
      "oracle",
      "cockroachdb",
      "clickhouse",
      "neo4j",
      "bolt",
      "cassandra",
      "couchbase",
      "influxdb",
      "snowflake",
      "db2",
      "memcached",
      "nats"
    ],
    "A database or message-broker URL (Oracle, CockroachDB, ClickHouse, Neo4j, Cassandra, Couchbase, InfluxDB, Snowflake, NATS\u2026) with an embedded password. Change the account\u2019s password and load the URL from a secret store.",
    { tp: [], fp: [] }
  ),
  {
    id: "jdbc-password",
    title: "JDBC URL with password",
    severity: "high",
    keywords: ["jdbc:"],
    pattern: String.raw`jdbc:[a-z0-9]+:[^\s"'<>]*?[;?&](?i:password)=([^;&\s"'<>]+)`,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "connection-string-password",
    title: "Connection string with password (ADO.NET/ODBC style)",
    severity: "high",
    keywords: ["password=", "pwd="],
    pattern: String.raw`(?i:(?:server|data source|host|hostname|address)\s*=\s*[^;"'\n]+;[^"'\n]*?(?:password|pwd)\s*=\s*)([^;"'\n]+)`,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "basic-auth-url",
    title: "Credentials in an HTTP(S) URL",
    severity: "high",
    keywords: USERINFO_END,
    pattern: `(?i:https?)://${USERINFO}`,
    validate: validateDbUrl,
    examples: { tp: [], fp: [] }
  },
  {
    id: "service-credentials-url",
    title: "Credentials in an SMTP/FTP/LDAP/SSH URL",
    severity: "high",
    keywords: ["smtp", "ftp", "ldap", "imap", "pop3", "ssh://"],
    pattern: `(?i:smtps?|s?ftps?|ldaps?|imaps?|pop3s?|ssh)://${USERINFO}`,
    validate: validateDbUrl,
    examples: { tp: [], fp: [] }
  },
  {
    id: "docker-config-auth",
    title: "Docker registry credentials (config.json auths)",
    severity: "high",
    keywords: ['"auth"'],
    pattern: String.raw`"auth"\s*:\s*"([A-Za-z0-9+/]{6,}={0,2})"`,
    validate: validateBasicAuthBase64,
    examples: { tp: [], fp: [] }
  },
  {
    id: "npmrc-auth-token",
    title: "npm/yarn registry auth token (.npmrc, .yarnrc.yml)",
    severity: "high",
    keywords: ["_authtoken", "npmauthtoken"],
    // The token ends the line or its quotes: `this._authToken=props.authToken,?` in minified code is no .npmrc.
    pattern: String.raw`(?:_authToken|npmAuthToken)\s*[=:]\s*["']?([^\s"'$,;(){}]{16,})(?:["'\s]|$)`,
    entropy: 3,
    validate: validateNpmrcToken,
    examples: { tp: [], fp: [] }
  },
  {
    id: "npmrc-basic-auth",
    title: "npm registry basic auth (.npmrc _auth)",
    severity: "high",
    keywords: ["_auth"],
    pattern: String.raw`_auth\s*=\s*["']?([A-Za-z0-9+/]{8,}={0,2})`,
    validate: validateBasicAuthBase64,
    examples: { tp: [], fp: [] }
  },
  {
    id: "npmrc-password",
    title: "npm registry password (.npmrc _password)",
    severity: "high",
    keywords: ["_password"],
    pattern: String.raw`_password\s*=\s*["']?([A-Za-z0-9+/]{4,}={0,2})`,
    validate: validateBase64Password,
    examples: { tp: [], fp: [] }
  },
  {
    id: "kubeconfig-client-key",
    title: "Kubernetes client key (kubeconfig client-key-data)",
    severity: "critical",
    keywords: ["client-key-data"],
    pattern: String.raw`client-key-data["']?\s*:\s*["']?([A-Za-z0-9+/]{100,}={0,2})`,
    validate: validateBase64PemKey,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "kubeconfig-token",
    title: "Kubernetes user token (kubeconfig)",
    severity: "high",
    keywords: ["user:"],
    pattern: String.raw`(?:^|\s)user:[ \t]*\r?\n(?:[ \t]+[A-Za-z-]+:[^\n]*\r?\n){0,8}?[ \t]+token:[ \t]*["']?([A-Za-z0-9._~+/=:-]{20,})`,
    window: 1024,
    entropy: 3,
    validate: validateKubeToken,
    examples: { tp: [], fp: [] }
  },
  {
    id: "netrc-password",
    title: ".netrc machine password",
    severity: "high",
    keywords: ["machine"],
    pattern: String.raw`machine\s+[^\s]+\s+login\s+[^\s]+\s+password\s+([^\s"'\x60]+)`,
    window: 512,
    validate: validateNetrcPassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "pgpass-password",
    title: "PostgreSQL password file (.pgpass) entry",
    severity: "high",
    // `host:port:database:user:password`, one entry a line: the port between colons is what every entry holds (the
    // default ports, PgBouncer's, or `*` for any).
    keywords: [":5432:", ":5433:", ":5434:", ":5435:", ":6432:", ":*:"],
    // A field is characters other than `:` and whitespace, or an escaped one (`\:`, `\\`); the entry is the whole line.
    pattern: String.raw`(?m)^(?:[^:\s\\#]|\\.)(?:[^:\s\\]|\\.)*:(?:[0-9]{2,5}|\*):(?:[^:\s\\]|\\.)+:(?:[^:\s\\]|\\.)+:((?:[^\s\\]|\\.)+)\r?$`,
    validate: validatePgpassPassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "cli-password-argument",
    title: "Password on a command line (docker login, mysql, sshpass, psexec, PowerShell)",
    severity: "high",
    keywords: ["docker login", "mysql", "sshpass", "mysqldump", "psexec", "-password"],
    // Also PsExec's `-p` and a PowerShell cmdlet's `-Password` (`Connect-VIServer`, `New-PSDrive`): a literal, not a
    // variable or an expression (`-Password $pw`, `-Password (Get-Secret ?)`).
    pattern: String.raw`(?:docker\s+login\b[^\n|;&]*?\s(?:-p|--password)(?:\s+|=)|\bmysql(?:dump|admin)?\b[^\n|;&]*?\s(?:-p|--password=)|\bsshpass\s+-p\s*|\bpsexec(?:64)?(?:\.exe)?\b[^\n|;&]*?\s-p\s+|\s-(?i:Password)\s+|\s--(?i:password)(?:\s+|=))["']?([^\s"'\x60|;&,($][^\s"'\x60|;&,]{3,})`,
    // A sentence's word after the option (`--user and --password respectively.`) is prose: the check sees it without
    // its full stop.
    validate: (secret) => validatePassword(secret.replace(/[.:]+$/, "")),
    examples: { tp: [], fp: [] }
  },
  {
    id: "credential-constructor-password",
    title: "Password passed with a user name to a credential constructor",
    severity: "high",
    keywords: [
      "networkcredential",
      "passwordauthentication",
      "pdo(",
      "getconnection(",
      "dbi->connect(",
      "mysqli",
      "mysql_connect(",
      ".login(",
      "usernamepassword",
      "basicauth",
      "digestauth",
      "passwordcredential",
      "auth=(",
      "auth = ("
    ],
    // .NET's `new NetworkCredential("user", "?")`, Java's `new PasswordAuthentication("user", "?".toCharArray())`,
    // Apache HttpClient's and Spring Security's `UsernamePassword?("user", "?")`, Python requests' `HTTPBasicAuth(?)`
    // and `auth=("user", "?")`, ftplib's, smtplib's and imaplib's `ftp.login("user", "?")` (not any object's
    // `login`: a test's mocked service): the second string literal is the password. A database
    // connection's (`new PDO($dsn, "user", "?")`, JDBC's `DriverManager.getConnection(url, "user", "?")`, Perl's
    // `DBI->connect`, `mysqli_connect("host", "user", "?")`): the string after the user's.
    pattern: String.raw`(?:(?:(?i:NetworkCredential|PasswordAuthentication|UsernamePasswordCredentials|UsernamePasswordAuthenticationToken|HTTPBasicAuth|HTTPDigestAuth|BasicAuth|PasswordCredential)\(|\bauth[ \t]*=[ \t]*\(|\b(?i:ftps?|smtp\w*|server|mail\w*|imap\w*|pop3?\w*)\.login\()[ \t]*|${DB_CONNECT})[bru]{0,2}["'][^"'\n]{1,64}["'][ \t]*,[ \t]*[bru]{0,2}["']([^"'\n]{4,128})["']`,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sql-password",
    title: "Password in a SQL statement (CREATE/ALTER USER or ROLE, IDENTIFIED BY)",
    severity: "high",
    keywords: ["identified", "password"],
    // MySQL's and Oracle's `IDENTIFIED BY '?'` in a CREATE, ALTER or GRANT statement (not prose's "a copy identified
    // by 'x-ms-copy-id'"; also `WITH mysql_native_password BY`), PostgreSQL's `CREATE ROLE ?
    // [WITH] [LOGIN] PASSWORD '?'`, SQL Server's `CREATE LOGIN ? WITH PASSWORD = '?'`, MySQL's `= PASSWORD('?')`
    // (upper-case, assigned: not JavaScript's `new Password('?')`). Double-quoted values: sql-password-double-quoted.
    pattern: String.raw`(?:(?i:\b(?:CREATE|ALTER|GRANT)\b[^\n;]*?\bIDENTIFIED[ \t]+(?:WITH[ \t]+\w+[ \t]+)?BY[ \t]+(?:PASSWORD[ \t]+)?|\b(?:USER|ROLE|LOGIN)[ \t]+[^\s;]+[ \t]+(?:WITH[ \t]+)?(?:(?:NO)?LOGIN[ \t]+|SUPERUSER[ \t]+)*(?:ENCRYPTED[ \t]+)?PASSWORD[ \t]*=?[ \t]*|\bWITH[ \t]+PASSWORD[ \t]*=[ \t]*)|=[ \t]*PASSWORD[ \t]*\([ \t]*)N?'([^'\n]{4,128})'`,
    validate: validateSqlPassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sql-password-double-quoted",
    title: "Password in a SQL IDENTIFIED BY clause, double-quoted (Oracle, MySQL)",
    severity: "high",
    keywords: ["identified"],
    // Oracle writes a password with symbols in double quotes (`IDENTIFIED BY "?"`), and MySQL takes any string so. A
    // rule of its own: one pattern for both quotes would cut a single-quoted password at a double quote it holds (RE2
    // has no back-references to close a value with the quote that opened it).
    pattern: String.raw`(?i:\b(?:CREATE|ALTER|GRANT)\b[^\n;]*?\bIDENTIFIED[ \t]+(?:WITH[ \t]+\w+[ \t]+)?BY[ \t]+(?:PASSWORD[ \t]+)?)"([^"\n]{4,128})"`,
    validate: validateSqlPassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "redis-requirepass",
    title: "Redis password in a server config (requirepass, masterauth)",
    severity: "high",
    keywords: ["requirepass", "masterauth"],
    pattern: String.raw`(?m:^)[ \t]*(?:requirepass|masterauth)[ \t]+"?([^\s"]{4,128})`,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "powershell-plaintext-securestring",
    title: "Password in plain text turned into a SecureString (PowerShell)",
    severity: "high",
    keywords: ["convertto-securestring"],
    pattern: String.raw`(?i:ConvertTo-SecureString)[ \t]+(?:-String[ \t]+)?["']([^"'\n]{4,128})["'][ \t]+-(?i:AsPlainText)`,
    validate: validatePassword,
    examples: { tp: [], fp: [] }
  },
  {
    id: "laravel-app-key",
    title: "Laravel application key (APP_KEY)",
    severity: "high",
    keywords: ["app_key", "app.key"],
    // `APP_KEY=?` (.env), `'app.key' => '?'` (config arrays), `WithConfig('app.key', '?')` (tests): `base64:` and 16 or
    // 32 bytes as `key:generate` writes it, or 32 characters (Laravel 4 and 5.0). Not `PUSHER_APP_KEY` and the like.
    pattern: String.raw`(?:^|[^A-Za-z0-9_.-])(?i:app[_.]key)["'\]]?[ \t]*(?:=>|=|:|,)[ \t]*["']?(base64:[A-Za-z0-9+/]{22}==|base64:[A-Za-z0-9+/]{43}=|[A-Za-z0-9]{32})(?:["'\s,;)\\]|$)`,
    validate: validateLaravelAppKey,
    examples: { tp: [], fp: [] }
  },
  {
    id: "django-secret-key",
    title: "Django secret key (django-insecure-)",
    severity: "medium",
    keywords: ["django-insecure-"],
    pattern: "(django-insecure-[a-z0-9!@#$%^&*(_=+)-]{50})(?:[^a-z0-9!@#$%^&*(_=+)-]|$)",
    validate: validateDjangoSecretKey,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/vcs.ts
function githubClassic(prefix, id, title, severity, help) {
  const p = `${prefix}_`;
  return {
    id,
    title,
    severity,
    keywords: [p],
    pattern: String.raw`\b(${prefix}_[A-Za-z0-9]{36})\b`,
    entropy: 3.5,
    validate: validateGithubClassic,
    requireValid: true,
    examples: { tp: [], fp: [] }
  };
}
function gitlab(s) {
  const body = s.body ?? "[A-Za-z0-9_-]";
  const routes = !s.body && !s.legacyOnly;
  const min = s.min ?? 20;
  const alphabet = s.alphabet ?? ALPHABETS.base64url;
  const routable = !routes ? "" : String.raw`(?:(?:\.[0-9a-z]{2})?\.[0-9a-z]{9})?`;
  const esc = s.prefix.replace(/[.-]/g, (c) => `\\${c}`);
  return {
    id: s.id,
    title: s.title,
    severity: s.severity,
    keywords: [s.prefix.toLowerCase()],
    pattern: String.raw`\b(${esc}${body}{${min},300}${routable})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3,
    ...routes ? { validate: validateGitlabToken } : {},
    examples: { tp: [], fp: [] }
  };
}
var vcsRules = [
  githubClassic(
    "ghp",
    "github-pat-classic",
    "GitHub personal access token (classic)",
    "high",
    "A classic GitHub PAT acts as its owner on every repository its scopes allow. Delete it under Settings \u2192 Developer settings \u2192 Personal access tokens and replace it with a fine-grained token."
  ),
  githubClassic(
    "gho",
    "github-oauth-token",
    "GitHub OAuth access token",
    "high",
    "An OAuth App's access token acts as the user who authorised the app. Revoke it from the user's Authorized OAuth Apps or with the app's DELETE /applications/{client_id}/token call."
  ),
  githubClassic(
    "ghu",
    "github-user-to-server-token",
    "GitHub App user-to-server token",
    "high",
    "A GitHub App user access token acts as the user within the app's permissions (valid for 8 hours, renewable). Revoke the app authorisation or the token through the API."
  ),
  {
    id: "github-refresh-token",
    title: "GitHub App refresh token",
    severity: "high",
    keywords: ["ghr_"],
    pattern: String.raw`\b(ghr_[A-Za-z0-9]{36}(?:[A-Za-z0-9]{40})?)\b`,
    entropy: 3.5,
    validate: (s) => s.length === 40 ? validateGithubClassic(s) : "unknown",
    examples: { tp: [], fp: [] }
  },
  {
    id: "github-app-installation-token",
    title: "GitHub App installation token",
    severity: "medium",
    keywords: ["ghs_"],
    pattern: String.raw`\b(ghs_(?:[0-9]+_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|[A-Za-z0-9]{36}))(?:[^A-Za-z0-9_.-]|$)`,
    entropy: 3.5,
    validate: validateGithubInstallation,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "github-fine-grained-pat",
    title: "GitHub fine-grained personal access token",
    severity: "high",
    keywords: ["github_pat_"],
    pattern: String.raw`\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b`,
    entropy: 4,
    validate: validateGithubFineGrained,
    examples: { tp: [], fp: [] }
  },
  {
    id: "github-oauth-client-secret",
    title: "GitHub OAuth App client secret",
    severity: "high",
    keywords: ["client_secret", "clientsecret", "client-secret", "client.secret"],
    pattern: String.raw`(?i:github)[A-Za-z0-9_.-]{0,20}(?i:client[_.-]?secret)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  gitlab({
    id: "gitlab-pat",
    prefix: "glpat-",
    title: "GitLab personal, project or group access token",
    severity: "high",
    name: "gitlab_token"
  }),
  gitlab({
    id: "gitlab-deploy-token",
    prefix: "gldt-",
    title: "GitLab deploy token",
    severity: "high",
    name: "deploy_token"
  }),
  gitlab({
    id: "gitlab-runner-token",
    prefix: "glrt-",
    title: "GitLab runner authentication token",
    severity: "high",
    name: "runner_token"
  }),
  gitlab({
    id: "gitlab-runner-registration-token",
    prefix: "GR1348941",
    title: "GitLab runner registration token (legacy)",
    severity: "medium",
    name: "registration_token",
    legacyOnly: true
  }),
  gitlab({
    id: "gitlab-pipeline-trigger-token",
    prefix: "glptt-",
    title: "GitLab pipeline trigger token",
    severity: "medium",
    name: "trigger_token",
    body: "[a-f0-9]",
    min: 40,
    alphabet: ALPHABETS.hex
  }),
  gitlab({
    id: "gitlab-ci-job-token",
    prefix: "glcbt-",
    title: "GitLab CI/CD job token",
    severity: "medium",
    name: "ci_job_token"
  }),
  gitlab({
    id: "gitlab-oauth-app-secret",
    prefix: "gloas-",
    title: "GitLab OAuth application secret",
    severity: "high",
    name: "oauth_secret"
  }),
  gitlab({
    id: "gitlab-feed-token",
    prefix: "glft-",
    title: "GitLab feed token",
    severity: "low",
    name: "feed_token"
  }),
  gitlab({
    id: "gitlab-incoming-mail-token",
    prefix: "glimt-",
    title: "GitLab incoming email token",
    severity: "medium",
    name: "incoming_email_token"
  }),
  gitlab({
    id: "gitlab-agent-token",
    prefix: "glagent-",
    title: "GitLab agent for Kubernetes token",
    severity: "high",
    name: "agent_token",
    min: 50
  }),
  gitlab({
    id: "gitlab-scim-token",
    prefix: "glsoat-",
    title: "GitLab SCIM OAuth token",
    severity: "high",
    name: "scim_token"
  }),
  gitlab({
    id: "gitlab-feature-flags-client-token",
    prefix: "glffct-",
    title: "GitLab feature flags client token",
    severity: "low",
    name: "unleash_token"
  }),
  {
    id: "bitbucket-access-token",
    title: "Bitbucket repository, project or workspace access token",
    severity: "high",
    keywords: ["atctt3"],
    pattern: String.raw`\b(ATCTT3[A-Za-z0-9_-]{100,300}=[A-F0-9]{8})\b`,
    entropy: 4,
    validate: validateAtlassianToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "bitbucket-app-password",
    title: "Bitbucket app password",
    severity: "high",
    keywords: ["atbb"],
    pattern: String.raw`\b(ATBB[A-Za-z0-9]{24}[A-F0-9]{8})\b`,
    entropy: 3.5,
    validate: validateAtlassianToken,
    requireValid: true,
    examples: { tp: [], fp: [] }
  },
  {
    id: "gitea-token",
    title: "Gitea / Forgejo access token",
    severity: "high",
    keywords: ["gitea", "forgejo"],
    pattern: String.raw`(?i:gitea|forgejo)[A-Za-z0-9_.-]{0,20}(?i:token|password|secret)${ASSIGN}([a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-devops-pat",
    title: "Azure DevOps personal access token",
    severity: "high",
    keywords: ["azdo"],
    pattern: String.raw`\b([A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})\b`,
    entropy: 4,
    examples: { tp: [], fp: [] }
  },
  {
    id: "azure-devops-pat-legacy",
    title: "Azure DevOps personal access token (legacy 52-character)",
    severity: "high",
    keywords: ["devops", "azdo", "ado_", "vsts"],
    pattern: String.raw`(?i:azure_?devops|azdo|ado_|vsts)[A-Za-z0-9_.-]{0,20}(?i:pat|token)${ASSIGN}([a-z2-7]{52})\b`,
    entropy: 3.5,
    examples: { tp: [], fp: [] }
  },
  {
    id: "sourcegraph-token",
    title: "Sourcegraph access token",
    severity: "high",
    keywords: ["sgp_"],
    pattern: String.raw`\b(sgp_(?:[a-f0-9]{16}_|local_)?[a-f0-9]{40})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  },
  {
    id: "gitlab-session-cookie",
    title: "GitLab session cookie",
    severity: "medium",
    keywords: ["_gitlab_session="],
    pattern: String.raw`_gitlab_session=([a-f0-9]{32})\b`,
    entropy: 3,
    examples: { tp: [], fp: [] }
  }
];

// src/scan/rules/index.ts
var builtinRules = [
  ...vcsRules,
  ...packageRules,
  ...cloudRules,
  ...devopsRules,
  ...messagingRules,
  ...commerceRules,
  ...aiRules,
  ...serviceRules,
  ...vendorRules,
  ...structuredRules,
  ...keyRules,
  ...httpRules,
  ...genericRules
];

// src/scan/engine.ts
var BUILTIN_PATTERNS = new Map(builtinRules.map((r) => [r.id, r.pattern]));
function emptyEngineStats() {
  return {
    files: 0,
    bytes: 0,
    skippedBinary: 0,
    unreadable: 0,
    failed: 0,
    skippedLarge: 0,
    skippedArchive: 0,
    skippedSymlinks: 0
  };
}
var STAT_KEYS = Object.keys(emptyEngineStats());
function addEngineStats(into, from) {
  for (const k of STAT_KEYS) into[k] += from[k] ?? 0;
}
var SEVERITY_RANK = { critical: 3, high: 2, medium: 1, low: 0 };
function rank(a, b) {
  if (a.validated !== b.validated) return a.validated ? -1 : 1;
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  if (a.order !== b.order) return a.order - b.order;
  if (a.start !== b.start) return a.start - b.start;
  return b.end - a.end;
}
var byPosition = (a, b) => a.start - b.start || b.end - a.end;
function sameSpanBest(sorted, from, to) {
  let best = sorted[from];
  for (let k = from + 1; k < to; k++) {
    const e = sorted[k];
    const s = SEVERITY_RANK[e.severity] - SEVERITY_RANK[best.severity];
    if (s > 0 || s === 0 && e.order < best.order) best = e;
  }
  return best;
}
function pickOne(list) {
  if (list.length < 2) return list;
  const sorted = list.slice().sort(byPosition);
  const open = [];
  let maxEnd = -1;
  let maxEndValid = -1;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].start === sorted[i].start && sorted[j].end === sorted[i].end) j++;
    const e = j - i > 1 ? sameSpanBest(sorted, i, j) : sorted[i];
    if ((e.validated ? maxEndValid : maxEnd) < e.end) open.push(e);
    for (let k = i; k < j; k++) {
      const e2 = sorted[k];
      if (e2.end > maxEnd) maxEnd = e2.end;
      if (e2.validated && e2.end > maxEndValid) maxEndValid = e2.end;
    }
    i = j;
  }
  open.sort(rank);
  const kept = [];
  for (const e of open) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if (kept[mid].start < e.start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && kept[lo - 1].end > e.start) continue;
    if (lo < kept.length && kept[lo].start < e.end) continue;
    kept.splice(lo, 0, e);
  }
  return kept;
}
function resolveOverlaps(entries) {
  if (entries.length < 2) return entries;
  const primary = [];
  const fallback = [];
  for (const e of entries) (e.fallback ? fallback : primary).push(e);
  const keptPrimary = pickOne(primary);
  if (fallback.length === 0) return keptPrimary;
  if (primary.length === 0) return pickOne(fallback);
  const starts = primary.slice().sort(byPosition);
  const prefixMaxEnd = new Float64Array(starts.length);
  let m = -1;
  starts.forEach((p, i) => {
    if (p.end > m) m = p.end;
    prefixMaxEnd[i] = m;
  });
  const free = fallback.filter((f) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if (starts[mid].start < f.end) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 || prefixMaxEnd[lo - 1] <= f.start;
  });
  return [...keptPrimary, ...pickOne(free)].sort(byPosition);
}
var SNIFF_BYTES = 8192;
function looksBinary(data) {
  return data.subarray(0, SNIFF_BYTES).indexOf(0) >= 0;
}
function countItem(stats, binary, bytes) {
  if (binary) stats.skippedBinary++;
  else {
    stats.files++;
    stats.bytes += bytes;
  }
}
function codePoints(view, from, to) {
  let n = 0;
  for (let i = from; i < to; i++) if ((view[i] & 192) !== 128) n++;
  return n;
}
function compareFindings(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if ((a.commit ?? "") !== (b.commit ?? "")) return (a.commit ?? "") < (b.commit ?? "") ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}
function sortFindings(findings) {
  return findings.sort(compareFindings);
}
var WARM_UP_SAMPLE = Buffer.from(
  [
    "const password = process.env.PASSWORD;",
    `const greeting = '${Buffer.from("hello there, some text to decode").toString("base64")}';`,
    `const colour = '${Buffer.from("hello there, hex text").toString("hex")}';`,
    "const url = 'https://example.com/search?q=hello%20there%2Fsome%20text';"
  ].join("\n")
);
var BINARY_SAMPLE = Buffer.from([80, 75, 0, 0]);
var ScanEngine = class {
  name;
  regex;
  prefilterMode;
  chunkSize;
  overlap;
  margin;
  lead;
  decode;
  rules;
  prefilter;
  keywordLengths;
  /** The rules owning each keyword: `keywordOwners[ownerStart[k] .. ownerStart[k + 1])`, in rule order. */
  ownerStart;
  keywordOwners;
  /** Rules without keywords: run over every window. */
  alwaysRules;
  set;
  allow;
  /** EngineOptions.reportInlineAllowed (read by ItemScan). */
  reportInlineAllowed;
  stopwords;
  work;
  // Per-window scratch: each rule's pending window, and the rules that have one.
  wStart;
  wEnd;
  /** The rules with a pending window (each at most once: a rule's pending window is its wStart/wEnd). */
  touched;
  /** The windows to run, as (rule, from, to) triples (keywordWindows). */
  runs = new Int32Array(3 * 4096);
  cands = [];
  /** Rule ids whose validated secrets are retained for revocation, and those secrets by fingerprint. */
  retain;
  retained = /* @__PURE__ */ new Map();
  constructor(policy, options = {}) {
    this.retain = new Set(policy.retainSecrets ?? []);
    const warn = options.onWarning ?? (() => {
    });
    this.reportInlineAllowed = options.reportInlineAllowed === true;
    this.regex = options.regex ?? loadRegexEngine(warn);
    settleDetaching();
    this.chunkSize = options.chunkSize ?? 1024 * 1024;
    this.overlap = options.overlap ?? 64 * 1024;
    this.margin = options.margin ?? 4096;
    this.lead = options.lead ?? Math.min(1024, this.margin);
    this.decode = options.decode ? options.decode === true ? {} : options.decode : void 0;
    if (this.overlap >= this.chunkSize) throw new Error("engine: overlap must be smaller than chunkSize");
    this.rules = [];
    for (const rule of policy.rules) {
      try {
        const pattern = BUILTIN_PATTERNS.get(rule.id) === rule.pattern ? void 0 : this.compileRule(rule);
        this.rules.push({
          rule,
          pattern,
          group: rule.secretGroup ?? 1,
          window: Math.max(0, rule.window ?? 0),
          order: this.rules.length
        });
      } catch (e) {
        warn(`rule ${rule.id}: pattern does not compile under RE2 (${e.message}); rule skipped`);
      }
    }
    const kwIndex = /* @__PURE__ */ new Map();
    const owned = [];
    this.alwaysRules = [];
    for (let r = 0; r < this.rules.length; r++) {
      const kws = this.rules[r].rule.keywords;
      let any = false;
      for (let i = 0; i < kws.length; i++) {
        const k = kws[i].toLowerCase();
        if (k.length === 0) continue;
        any = true;
        let seen = false;
        for (let j = 0; j < i && !seen; j++) seen = kws[j].toLowerCase() === k;
        if (seen) continue;
        let id = kwIndex.get(k);
        if (id === void 0) {
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
    for (let i = 0; i < owned.length; i += 2) ownerStart[owned[i] + 1]++;
    for (let k = 0; k < kwIndex.size; k++) ownerStart[k + 1] += ownerStart[k];
    const keywordOwners = new Int32Array(owned.length / 2);
    const fill = ownerStart.slice(0, kwIndex.size);
    for (let i = 0; i < owned.length; i += 2) keywordOwners[fill[owned[i]]++] = owned[i + 1];
    this.ownerStart = ownerStart;
    this.keywordOwners = keywordOwners;
    let mode = options.prefilter ?? "keywords";
    if (mode === "set" && this.rules.length > 0) {
      try {
        this.set = this.regex.compileSet(
          this.rules.map((cr) => cr.rule.caseInsensitive ? `(?i)${cr.rule.pattern}` : cr.rule.pattern)
        );
      } catch (e) {
        warn(`RE2.Set of all rules failed (${e.message}); using the keyword prefilter`);
        mode = "keywords";
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
  compileRule(rule) {
    return this.regex.compile(rule.pattern, { caseInsensitive: rule.caseInsensitive === true });
  }
  get ruleCount() {
    return this.rules.length;
  }
  /** Keeps a validated secret of a retained rule (revocation only); a no-op for every other rule. */
  retainSecret(ruleId, fingerprint2, secret) {
    if (this.retain.has(ruleId)) this.retained.set(fingerprint2, secret);
  }
  /**
   * For a thread that will scan a lot (a pool worker): the keyword pass in WebAssembly from the first byte (the JS
   * loop would only run the first MiB), and the scanning code run on a small sample, so V8 compiles the hot loops
   * knowing their branches. Compiled on partial knowledge, a loop is thrown away at the first branch it had not seen
   * and compiled again, mid-scan and in every worker: the compiler threads then take CPU from the scanning threads.
   */
  warmUp() {
    void this.prefilter.usesWasm;
    this.prefilter.growHits(64 * 1024);
    for (let i = 0; i < 10; i++) {
      this.scanBytes(WARM_UP_SAMPLE, { path: "" }, emptyEngineStats());
      this.scanBytes(BINARY_SAMPLE, { path: "" }, emptyEngineStats());
    }
  }
  /** The secrets retained since the last call, by fingerprint (then forgotten here). */
  takeRetained() {
    if (this.retained.size === 0) return [];
    const out = [...this.retained];
    this.retained = /* @__PURE__ */ new Map();
    return out;
  }
  /** A rule's standing for overlap resolution, by id (findings of decoded text carry only the id). */
  ruleRank(id) {
    if (!this.rankById) {
      this.rankById = /* @__PURE__ */ new Map();
      for (const cr of this.rules)
        this.rankById.set(cr.rule.id, { fallback: cr.rule.fallback === true, order: cr.order });
    }
    return this.rankById.get(id) ?? { fallback: false, order: this.rules.length };
  }
  rankById;
  /** Scans bytes held in memory (large ones window by window: windowsOf()). */
  scanBytes(input, meta, stats = emptyEngineStats(), decode = true) {
    const data = utf16ToUtf8(input) ?? input;
    const item = new ItemScan(this, meta, decode);
    const windows = this.windowsOf(data.length);
    for (let w = 0; w < windows.length; w += 2) {
      item.window(data.subarray(windows[w], windows[w + 1]), w + 2 === windows.length);
      if (item.binary) break;
    }
    countItem(stats, item.binary, data.length);
    return item.findings;
  }
  /**
   * The windows scanBytes() scans `length` bytes in, as (start, end) pairs: `chunkSize + overlap` bytes each, the
   * next starting `chunkSize` on; one window (empty for no bytes) when they fit in one.
   */
  windowsOf(length) {
    const cap = this.chunkSize + this.overlap;
    if (length <= cap) return [0, length];
    const out = [];
    for (let off = 0; ; off += this.chunkSize) {
      out.push(off, Math.min(length, off + cap));
      if (off + cap >= length) return out;
    }
  }
  /**
   * The collector of this engine's phases 1 and 2 on a native thread (regex/types.ts, NativeCollector), made once;
   * undefined when the regex engine has none (or a keyword set: the RE2.Set prefilter is this engine's alone).
   */
  nativeCollector() {
    if (this.collector !== void 0) return this.collector ?? void 0;
    this.collector = null;
    if (!this.regex.createCollector || this.set) return void 0;
    const pf = this.prefilter;
    const limits = this.decode ? { ...DEFAULT_DECODE_LIMITS, ...this.decode } : void 0;
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
      caseInsensitive: Int32Array.from(this.rules, (cr) => cr.rule.caseInsensitive === true ? 1 : 0),
      groups: Int32Array.from(this.rules, (cr) => cr.group),
      windows: Int32Array.from(this.rules, (cr) => cr.window),
      lead: this.lead,
      margin: this.margin,
      need: limits ? shortestRun(limits) : 0
    });
    return this.collector;
  }
  collector;
  /**
   * scanBytes() on bytes whose phases 1 and 2 the native collector ran already: `results` from `at` holds what it
   * found in each of windowsOf(data.length), in order (NativeCollector). `data` is UTF-8 already (utf16ToUtf8()) and
   * not binary (looksBinary()).
   */
  scanCollected(data, meta, stats, results, at) {
    const item = new ItemScan(this, meta, true);
    const windows = this.windowsOf(data.length);
    for (let w = 0; w < windows.length; w += 2) {
      const count = results[at++];
      const cands = [];
      for (let k = 0; k < count; k++, at += 5) {
        cands.push({
          rule: this.rules[results[at]],
          matchStart: results[at + 1],
          matchEnd: results[at + 2],
          secretStart: results[at + 3],
          secretEnd: results[at + 4]
        });
      }
      const runs = results.subarray(at + 1, at + 1 + 3 * results[at]);
      at += 1 + runs.length;
      item.window(data.subarray(windows[w], windows[w + 1]), w + 2 === windows.length, { cands, runs });
    }
    countItem(stats, item.binary, data.length);
    return item.findings;
  }
  /** Reads and scans a file chunk by chunk into one reused buffer. Throws when the file cannot be opened or read. */
  scanFile(absPath, meta, stats = emptyEngineStats()) {
    const fd = (0, import_node_fs3.openSync)(typeof absPath === "string" ? absPath : Buffer.from(absPath), "r");
    try {
      return this.scanFd(fd, meta, stats);
    } finally {
      (0, import_node_fs3.closeSync)(fd);
    }
  }
  /** scanFile() on a file the caller opened (and closes), read from its start. Throws what reading throws. */
  scanFd(fd, meta, stats = emptyEngineStats()) {
    const buf = this.work;
    const cap = buf.length;
    const item = new ItemScan(this, meta);
    let carry = 0;
    let total = 0;
    for (; ; ) {
      let filled = carry;
      while (filled < cap) {
        const want = cap - filled;
        const n = (0, import_node_fs3.readSync)(fd, buf, filled, want, null);
        filled += n;
        if (n < want) break;
      }
      if (total === 0 && hasUtf16Bom(buf.subarray(0, filled))) {
        return this.scanBytes(Buffer.concat([buf.subarray(0, filled), (0, import_node_fs3.readFileSync)(fd)]), meta, stats);
      }
      total += filled - carry;
      if (filled < cap) {
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
  openStream(meta, stats = emptyEngineStats()) {
    const item = new ItemScan(this, meta);
    const cap = this.chunkSize + this.overlap;
    const buf = Buffer.allocUnsafe(cap);
    let filled = 0;
    let total = 0;
    return {
      write: (chunk) => {
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
      }
    };
  }
  /** Phases 1 and 2 over view: candidate matches (offsets relative to view). */
  collect(view) {
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
  keywordPass(view) {
    const n = this.keywordWindows(view);
    const runs = this.runs;
    for (let i = 0; i < 3 * n; i += 3) this.runRule(view, runs[i], runs[i + 1], runs[i + 2]);
  }
  /**
   * The windows the keyword hits in `view` call for, merged rule by rule, into `runs` as (rule, from, to) in the order
   * they run; returns how many. Apart from keywordPass so it calls nothing: V8 compiles each of the two loops on its
   * own, where the one loop that also ran the rules (inlining runRule and the engine's matchAll) cost 15-40 ms of
   * TurboFan per compile, in every scanning thread.
   */
  keywordWindows(view) {
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
      const he = hits[2 * h];
      const state = hits[2 * h + 1];
      for (let k = outStart[state]; k < outStart[state + 1]; k++) {
        const kw = outIds[k];
        const hs = he - kwLen[kw];
        if (hs < lineStart || hs >= lineEnd) {
          lineStart = hs === 0 ? 0 : view.lastIndexOf(10, hs - 1) + 1;
          const nl = view.indexOf(10, he);
          lineEnd = nl < 0 ? len : nl;
        }
        for (let j = ownerStart[kw]; j < ownerStart[kw + 1]; j++) {
          const r = keywordOwners[j];
          const extra = rules[r].window;
          let ws = hs - lead;
          if (ws < lineStart) ws = lineStart;
          while ((view[ws] & 192) === 128 && ws < hs) ws++;
          let we;
          if (extra === 0) {
            we = he + margin;
            if (we > lineEnd) we = lineEnd;
          } else {
            const p = he + extra;
            if (p >= len) we = len;
            else if (p <= lineEnd) {
              we = he + (extra > margin ? extra : margin);
              if (we > lineEnd) we = lineEnd;
            } else {
              const nl = view.indexOf(10, p);
              we = nl < 0 ? len : nl;
            }
          }
          const pend = wEnd[r];
          if (pend >= 0 && ws <= pend) {
            if (we > pend) wEnd[r] = we;
            if (ws < wStart[r]) wStart[r] = ws;
          } else {
            if (pend >= 0) {
              if (3 * n + 3 > runs.length) runs = this.growRuns();
              runs[3 * n] = r;
              runs[3 * n + 1] = wStart[r];
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
      const r = touched[t];
      if (3 * n + 3 > runs.length) runs = this.growRuns();
      runs[3 * n] = r;
      runs[3 * n + 1] = wStart[r];
      runs[3 * n + 2] = wEnd[r];
      n++;
      wEnd[r] = -1;
    }
    return n;
  }
  /** Twice the room in `runs`, keeping what is there. */
  growRuns() {
    const next = new Int32Array(this.runs.length * 2);
    next.set(this.runs);
    this.runs = next;
    return next;
  }
  runRule(view, r, from, to) {
    const cr = this.rules[r];
    cr.pattern ??= this.compileRule(cr.rule);
    const spans = cr.pattern.matchAll(from === 0 && to === view.length ? view : view.subarray(from, to));
    for (const m of spans) {
      if (m.end === m.start) continue;
      const g = m.groups[cr.group];
      if (!g && m.groups.length > 1) continue;
      const ss = g ? g[0] : m.start;
      const se = g ? g[1] : m.end;
      if (se <= ss) continue;
      this.cands.push({
        rule: cr,
        matchStart: from + m.start,
        matchEnd: from + m.end,
        secretStart: from + ss,
        secretEnd: from + se
      });
    }
  }
  /** Phase 3, the filters that need only the secret. */
  keepSecret(cr, secret, view, secretStart, secretEnd) {
    const rule = cr.rule;
    if (rule.entropy !== void 0 && shannonEntropy(secret) < rule.entropy) return false;
    if (!(rule.structured && rule.validate)) {
      if (isPlaceholder(secret) || isReference(secret) || isRepeated(secret)) return false;
      if (rule.fallback && isCodeNotSecret(secret)) return false;
      for (const text of decodedForms(secret)) if (isStandIn(text)) return false;
    }
    if (isIntegrityHash(view, secretStart, secret)) return false;
    if (isInsideBase64Run(view, secretStart, secretEnd)) return false;
    if (hasStopword(secret, this.stopwords)) return false;
    if (isDocumentedExample(secret)) return false;
    if (this.allow.matches(secret)) return false;
    return true;
  }
};
function utf16ToUtf8(data) {
  if (!hasUtf16Bom(data)) return void 0;
  const be = data[0] === 254;
  const body = Buffer.from(data.subarray(2, 2 + (data.length - 2 & ~1)));
  if (be) body.swap16();
  return Buffer.from(body.toString("utf16le"), "utf8");
}
function hasUtf16Bom(data) {
  return data.length >= 2 && (data[0] === 255 && data[1] === 254 || data[0] === 254 && data[1] === 255);
}
var ItemScan = class {
  findings = [];
  binary = false;
  seen = /* @__PURE__ */ new Set();
  started = false;
  /** Byte offset of the current window in the item. */
  offset = 0;
  /** Data line (before the lineMap) of each direct finding, for the comparison with decoded ones. */
  dataLines = /* @__PURE__ */ new WeakMap();
  /** Findings kept by the previous window whose secret reaches into this one: they win every overlap here. */
  decided = [];
  /** Newlines before the current window. */
  baseLine = 0;
  /** Code points of the current line that precede the current window. */
  colCarry = 0;
  engine;
  meta;
  decode;
  constructor(engine, meta, decode = true) {
    this.engine = engine;
    this.meta = meta;
    this.decode = decode && engine.decode !== void 0;
  }
  /** One window of the item; `collected`: its phases 1 and 2 (and the decoder's runs), run natively already. */
  window(view, final, collected) {
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
    const survivors = [];
    for (const c of cands) {
      let secret = view.toString("utf8", c.secretStart, c.secretEnd);
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
  resolve(view, survivors, acceptLimit, decided) {
    let pending = survivors.length > 0 ? this.locate(view, survivors, acceptLimit) : [];
    if (decided.length > 0) {
      pending = pending.filter((p) => !decided.some((d) => p.start < d.end && d.start < p.end));
      pending.push(...decided);
    }
    const kept = resolveOverlaps(pending);
    const edge = this.offset + acceptLimit;
    for (const p of kept) {
      if (p.owned && !p.decided && p.finding) {
        const key = `${p.finding.fingerprint}:${p.finding.line}:${p.finding.column}`;
        if (!this.seen.has(key)) {
          this.seen.add(key);
          this.seen.add(`${p.finding.fingerprint}:${p.finding.line}`);
          this.findings.push(p.finding);
          this.dataLines.set(p.finding, p.dataLine);
        }
      }
      if (p.owned && p.end > edge) this.decided.push({ ...p, decided: true, finding: void 0 });
    }
  }
  /** Encoded segments of the window, decoded and scanned (without decoding again: decode.ts handles depth). */
  scanDecoded(view, direct, runs) {
    const engine = this.engine;
    const scratch = emptyEngineStats();
    const found = scanDecoded(
      view,
      this.meta.path,
      void 0,
      (data, path) => engine.scanBytes(data, { path }, scratch, false),
      runs ? { limits: engine.decode, runs } : { limits: engine.decode }
    );
    const map = this.meta.lineMap;
    for (const f of this.resolveDecoded(found, direct)) {
      const dataLine = f.line + this.baseLine;
      const line = map ? map[dataLine - 1] ?? dataLine : dataLine;
      const key = `${f.fingerprint}:${line}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      f.line = line;
      f.endLine = line;
      if (this.meta.commit !== void 0) f.commit = this.meta.commit;
      if (this.meta.author !== void 0) f.author = this.meta.author;
      if (this.meta.date !== void 0) f.date = this.meta.date;
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
  resolveDecoded(found, direct) {
    if (found.length === 0) return found;
    const engine = this.engine;
    const entry = (f, line) => {
      const { fallback, order } = engine.ruleRank(f.ruleId);
      const end = f.endLine > line ? Number.MAX_SAFE_INTEGER : f.endColumn;
      return { start: f.column, end, fallback, validated: f.validated, severity: f.severity, order, f };
    };
    const byLine = /* @__PURE__ */ new Map();
    for (let i = direct; i < this.findings.length; i++) {
      const f = this.findings[i];
      const line = this.dataLines.get(f) ?? f.line;
      const list = byLine.get(line) ?? [];
      list.push(entry(f, f.line));
      byLine.set(line, list);
    }
    const dropDirect = /* @__PURE__ */ new Set();
    const kept = [];
    const decodedByLine = /* @__PURE__ */ new Map();
    for (const f of found) {
      const line = f.line + this.baseLine;
      const list = decodedByLine.get(line) ?? [];
      list.push(entry(f, f.line));
      decodedByLine.set(line, list);
    }
    for (const [line, decoded] of decodedByLine) {
      const directs = byLine.get(line) ?? [];
      const overlaps = (a, b) => a.start < b.end && b.start < a.end;
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
  locate(view, survivors, acceptLimit) {
    const out = [];
    survivors.sort((a, b) => a.secretStart - b.secretStart);
    let pos = 0;
    let lines = this.baseLine;
    let lastNl = -1;
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
      let validity = "unknown";
      if (rule.validate) {
        try {
          const before = view.toString("utf8", Math.max(0, c.matchStart - 256), c.matchStart);
          validity = rule.validate(c.secret, view.toString("utf8", c.matchStart, c.matchEnd), before);
        } catch {
          validity = "unknown";
        }
      }
      if (validity === "invalid") continue;
      if (rule.requireValid && validity !== "valid") continue;
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
      const endColumn = endLines > 0 ? 1 + codePoints(view, endNl + 1, c.secretEnd) : column + codePoints(view, c.secretStart, c.secretEnd);
      const dataLine = lines + 1;
      const map = this.meta.lineMap;
      const line = map ? map[dataLine - 1] ?? dataLine : dataLine;
      const endLine = map ? map[dataLine + endLines - 1] ?? dataLine + endLines : dataLine + endLines;
      const fp = fingerprint(rule.id, c.secret);
      if (validity === "valid") this.engine.retainSecret(rule.id, fp, c.secret);
      const f = {
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        validated: validity === "valid",
        file: this.meta.path,
        line,
        column,
        endLine,
        endColumn,
        fingerprint: fp,
        preview: preview(c.secret)
      };
      if (inlineAllowed) f.inlineAllowed = true;
      if (this.meta.commit !== void 0) f.commit = this.meta.commit;
      if (this.meta.author !== void 0) f.author = this.meta.author;
      if (this.meta.date !== void 0) f.date = this.meta.date;
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
        dataLine
      });
    }
    return out;
  }
  /** Moves the line/column origin to view[acceptLimit], where the next window starts. */
  advance(view, upTo) {
    this.offset += upTo;
    let last = -1;
    for (let nl = view.indexOf(10); nl >= 0 && nl < upTo; nl = view.indexOf(10, nl + 1)) {
      this.baseLine++;
      last = nl;
    }
    if (last >= 0) this.colCarry = codePoints(view, last + 1, upTo);
    else this.colCarry += codePoints(view, 0, upTo);
  }
};

// src/scan/index.ts
var import_node_fs8 = __toESM(require_node_fs(), 1);

// src/scan/occurrences.ts
function locationOf(f) {
  const loc = {
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn
  };
  if (f.commit !== void 0) loc.commit = f.commit;
  if (f.author !== void 0) loc.author = f.author;
  if (f.date !== void 0) loc.date = f.date;
  if (f.decoded !== void 0) loc.decoded = f.decoded;
  if (f.log !== void 0) loc.log = f.log;
  return loc;
}
function compareLocations(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  const ca = a.commit ?? "";
  const cb = b.commit ?? "";
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}
var keyOfLocation = (l) => `${l.file}\0${l.line}\0${l.column}\0${l.commit ?? ""}`;
function groupOccurrences(findings, rank2 = () => 0) {
  const groups = /* @__PURE__ */ new Map();
  const order = [];
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.fingerprint}\0${f.inlineAllowed === true}`;
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
      order.push(key);
    }
    const { locations, ...rest } = f;
    list.push({ finding: rest, places: [locationOf(f), ...locations ?? []] });
  }
  const out = [];
  for (const key of order) {
    const list = groups.get(key);
    const all = [];
    for (const { finding, places } of list) {
      places.forEach((loc, i) => {
        all.push({ loc, finding, primary: i === 0 });
      });
    }
    all.sort((a, b) => rank2(a.loc) - rank2(b.loc) || compareLocations(a.loc, b.loc));
    const first = all.find((o) => o.primary) ?? all[0];
    const primary = { ...first.finding, ...locationOf(all[0].loc) };
    for (const k of ["commit", "author", "date", "decoded", "log"])
      if (all[0].loc[k] === void 0) delete primary[k];
    const seen = /* @__PURE__ */ new Set([keyOfLocation(all[0].loc)]);
    const rest = [];
    for (const o of all.slice(1)) {
      const k = keyOfLocation(o.loc);
      if (seen.has(k)) continue;
      seen.add(k);
      rest.push(o.loc);
    }
    if (list.some((g) => g.finding.validated)) primary.validated = true;
    if (rest.length > 0) primary.locations = rest;
    out.push(primary);
  }
  return out;
}

// src/scan/glob.ts
var LITERAL = /^[A-Za-z0-9._~ -]$/;
function simpleGlob(glob) {
  const segments = glob.split("/").filter((seg, i, all) => !(seg === "**" && all[i - 1] === "**"));
  let source = "";
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const first = i === 0;
    const last = i === segments.length - 1;
    if (seg === "**") {
      if (segments.length === 1) source = ".+";
      else if (first) source += "(?:.*/)?";
      else if (last) source += "(?:/.*)?";
      else source += "(?:/.*)?/";
      continue;
    }
    if (seg === "" || seg.includes("**")) return void 0;
    let part = "";
    for (const c of seg) {
      if (c === "*") part += "[^/]*";
      else if (c === "?") part += "[^/]";
      else if (LITERAL.test(c)) part += /[.-]/.test(c) ? `\\${c}` : c;
      else return void 0;
    }
    if (seg === "*") part = "[^/]+";
    source += !first && segments[i - 1] !== "**" ? `/${part}` : part;
  }
  return new RegExp(`^${source}/?$`);
}
var picomatch;
async function globMatcher(globs) {
  if (globs.length === 0) return () => false;
  const simple = globs.map(simpleGlob);
  if (simple.every((re) => re !== void 0)) {
    const res = simple;
    return res.length === 1 ? (path) => res[0].test(path) : (path) => res.some((re) => re.test(path));
  }
  picomatch ??= (await import("./chunks/picomatch-WFSYM4GX.js")).default;
  return picomatch(globs, { dot: true });
}

// src/scan/item.ts
var import_node_fs4 = __toESM(require_node_fs(), 1);

// src/scan/archive.ts
var import_node_zlib = __toESM(require_node_zlib(), 1);
var DEFAULT_ARCHIVE_LIMITS = {
  maxDepth: 3,
  maxEntries: 1e4,
  maxTotal: 128 * 1024 * 1024,
  maxEntrySize: 10 * 1024 * 1024,
  maxRatio: 200
};
function archiveKind(data) {
  if (data.length >= 4 && data[0] === 80 && data[1] === 75 && (data[2] === 3 || data[2] === 5) && (data[3] === 4 || data[3] === 6)) {
    return "zip";
  }
  if (data.length >= 18 && data[0] === 31 && data[1] === 139 && data[2] === 8) return "gzip";
  if (data.length >= 512 && data.subarray(257, 262).toString("latin1") === "ustar") return "tar";
  return void 0;
}
var ARCHIVE_NAME = /\.(zip|jar|war|ear|aar|whl|egg|nupkg|apk|ipa|vsix|xpi|crx|tar|tgz|gz|tbz|gem)$/i;
function* archiveEntries(data, path, options = {}) {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  const warn = options.onWarning ?? (() => {
  });
  const budget = {
    entries: 0,
    bytes: 0,
    warned: /* @__PURE__ */ new Set(),
    done: options.transient ? releaseBuffer : () => {
    }
  };
  yield* expand(data, path, 1, limits, budget, warn);
}
function* archiveItems(item, data, options = {}) {
  for (const entry of archiveEntries(data, item.path, options)) {
    const out = { path: entry.path, source: { kind: "bytes", data: entry.data } };
    if (item.commit !== void 0) out.commit = item.commit;
    if (item.author !== void 0) out.author = item.author;
    if (item.date !== void 0) out.date = item.date;
    yield out;
  }
}
function* expand(data, path, depth, limits, budget, warn) {
  const kind2 = archiveKind(data);
  if (!kind2) return;
  let inner;
  try {
    if (kind2 === "zip") inner = zipEntries(data, path, limits, budget, warn);
    else if (kind2 === "tar") inner = tarEntries(data, path, budget, limits, warn);
    else inner = gzipEntries(data, path, limits, budget, warn);
    for (const entry of inner) {
      if (archiveKind(entry.data)) {
        if (depth >= limits.maxDepth) {
          warn(`${entry.path}: archive nested deeper than ${limits.maxDepth} levels, not opened (limit: depth)`);
          continue;
        }
        yield* expand(entry.data, entry.path, depth + 1, limits, budget, warn);
        continue;
      }
      yield entry;
    }
  } catch (err) {
    if (err instanceof LimitReached) {
      if (!budget.warned.has(err.message)) warn(err.message);
      budget.warned.add(err.message);
      if (depth > 1) throw err;
      return;
    }
    warn(`${path}: cannot read the ${kind2} archive (${err.message}); its contents were not scanned`);
  }
}
var LimitReached = class extends Error {
};
function takeEntry(path, size, limits, budget, outer) {
  budget.entries++;
  if (budget.entries > limits.maxEntries) {
    throw new LimitReached(
      `${outer}: more than ${limits.maxEntries} entries; the rest were not scanned (limit: entries)`
    );
  }
  if (budget.bytes + size > limits.maxTotal) {
    throw new LimitReached(
      `${outer}: expands to more than ${mib(limits.maxTotal)} (at ${path}); the rest was not scanned (limit: total size, zip bomb?)`
    );
  }
  budget.bytes += size;
}
function mib(n) {
  return `${Math.round(n / 1048576 * 10) / 10} MiB`;
}
function outputCap(compressed, limits, budget) {
  const byRatio = Math.max(1024 * 1024, compressed * limits.maxRatio);
  const cap = Math.min(limits.maxEntrySize, limits.maxTotal - budget.bytes, byRatio);
  return { cap: Math.max(0, cap), byRatio: byRatio < limits.maxEntrySize && byRatio <= limits.maxTotal - budget.bytes };
}
function sized(expected, cap) {
  const maxOutputLength = cap + 1 > 2147483647 ? 2147483647 : Math.max(1, cap);
  if (expected === void 0 || expected < 16 * 1024 || expected > cap) return { maxOutputLength };
  return { maxOutputLength, chunkSize: expected + 1 };
}
function inflateCapped(comp, fn, where, outer, limits, budget, warn, expected) {
  const { cap, byRatio } = outputCap(comp.length, limits, budget);
  try {
    return fn(comp, sized(expected, cap));
  } catch (err) {
    if (err.code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) {
      if (budget.bytes + cap >= limits.maxTotal) {
        throw new LimitReached(
          `${outer}: expands to more than ${mib(limits.maxTotal)} (at ${where}); the rest was not scanned (limit: total size, zip bomb?)`
        );
      }
      if (byRatio) {
        warn(
          `${where}: expands more than ${limits.maxRatio}:1 (${mib(comp.length)} compressed), not scanned (limit: ratio, zip bomb?)`
        );
      } else {
        warn(`${where}: larger than ${mib(limits.maxEntrySize)} expanded, not scanned (limit: entry size)`);
      }
      return void 0;
    }
    warn(`${where}: cannot inflate (${err.message}), not scanned`);
    return void 0;
  }
}
function* zipEntries(data, path, limits, budget, warn) {
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
    if (data.readUInt32LE(i) === 101010256) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("no end of central directory");
  let count = data.readUInt16LE(eocd + 10);
  let cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 65535 || cdOffset === 4294967295) {
    const loc = eocd - 20;
    if (loc < 0 || data.readUInt32LE(loc) !== 117853008) throw new Error("zip64 locator missing");
    const rec = Number(data.readBigUInt64LE(loc + 8));
    if (rec + 56 > data.length || data.readUInt32LE(rec) !== 101075792) throw new Error("zip64 record missing");
    count = Number(data.readBigUInt64LE(rec + 32));
    cdOffset = Number(data.readBigUInt64LE(rec + 48));
  }
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 33639248)
      throw new Error(`central directory entry ${k + 1} is corrupt`);
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    let compSize = data.readUInt32LE(p + 20);
    let size = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    let local = data.readUInt32LE(p + 42);
    const name2 = data.subarray(p + 46, p + 46 + nameLen).toString(flags & 2048 ? "utf8" : "latin1");
    const extra = data.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (size === 4294967295 || compSize === 4294967295 || local === 4294967295) {
      const z = zip64Extra(extra, size === 4294967295, compSize === 4294967295, local === 4294967295);
      size = z.size ?? size;
      compSize = z.compSize ?? compSize;
      local = z.local ?? local;
    }
    if (name2.endsWith("/")) continue;
    const where = `${path}!${name2}`;
    if (flags & 1) {
      warn(`${where}: encrypted zip entry, not scanned`);
      continue;
    }
    if (method !== 0 && method !== 8) {
      warn(`${where}: zip compression method ${method} is not supported, not scanned`);
      continue;
    }
    if (local + 30 > data.length || data.readUInt32LE(local) !== 67324752) {
      warn(`${where}: local header is corrupt, not scanned`);
      continue;
    }
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const comp = data.subarray(start, Math.min(data.length, start + compSize));
    let content;
    if (method === 0) {
      if (comp.length > limits.maxEntrySize) {
        warn(`${where}: larger than ${mib(limits.maxEntrySize)}, not scanned (limit: entry size)`);
        continue;
      }
      content = comp;
    } else {
      if (size > 1024 * 1024 && size > compSize * limits.maxRatio) {
        warn(
          `${where}: declares ${mib(size)} from ${mib(compSize)} (more than ${limits.maxRatio}:1), not scanned (limit: ratio, zip bomb?)`
        );
        continue;
      }
      if (size > limits.maxEntrySize) {
        warn(`${where}: larger than ${mib(limits.maxEntrySize)} expanded, not scanned (limit: entry size)`);
        continue;
      }
      content = inflateCapped(comp, import_node_zlib.inflateRawSync, where, path, limits, budget, warn, size);
      if (!content) continue;
    }
    takeEntry(where, content.length, limits, budget, path);
    yield { path: where, data: content };
    if (method !== 0) budget.done(content);
  }
}
function zip64Extra(extra, wantSize, wantComp, wantLocal) {
  let q = 0;
  while (q + 4 <= extra.length) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 1) {
      let r = q + 4;
      const out = {};
      if (wantSize && r + 8 <= q + 4 + len) {
        out.size = Number(extra.readBigUInt64LE(r));
        r += 8;
      }
      if (wantComp && r + 8 <= q + 4 + len) {
        out.compSize = Number(extra.readBigUInt64LE(r));
        r += 8;
      }
      if (wantLocal && r + 8 <= q + 4 + len) out.local = Number(extra.readBigUInt64LE(r));
      return out;
    }
    q += 4 + len;
  }
  return {};
}
function tarNumber(field) {
  if (field[0] & 128) {
    let v = 0;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i];
    return v;
  }
  const s = field.toString("latin1").replace(/\0.*$/s, "").trim();
  return s === "" ? 0 : Number.parseInt(s, 8);
}
function cstr(b) {
  const z = b.indexOf(0);
  return (z < 0 ? b : b.subarray(0, z)).toString("utf8");
}
function* tarEntries(data, path, budget, limits, warn) {
  let p = 0;
  let longName;
  let paxPath;
  while (p + 512 <= data.length) {
    const h = data.subarray(p, p + 512);
    if (h.every((b) => b === 0)) break;
    const size = tarNumber(h.subarray(124, 136));
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad size in header at ${p}`);
    const type = String.fromCharCode(h[156] || 48);
    const body = data.subarray(p + 512, Math.min(data.length, p + 512 + size));
    p += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = cstr(body);
      continue;
    }
    if (type === "x") {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      if (m) paxPath = m[1];
      continue;
    }
    if (type === "g") continue;
    let name2 = paxPath ?? longName;
    if (!name2) {
      const prefix = h.subarray(257, 262).toString("latin1") === "ustar" ? cstr(h.subarray(345, 500)) : "";
      name2 = prefix ? `${prefix}/${cstr(h.subarray(0, 100))}` : cstr(h.subarray(0, 100));
    }
    longName = void 0;
    paxPath = void 0;
    if (type !== "0" && type !== "7") continue;
    const where = `${path}!${name2.replace(/^\.\//, "")}`;
    if (size > limits.maxEntrySize) {
      warn(`${where}: larger than ${mib(limits.maxEntrySize)}, not scanned (limit: entry size)`);
      continue;
    }
    takeEntry(where, body.length, limits, budget, path);
    yield { path: where, data: body };
  }
}
var TAR_GZ_NAME = /\.(tgz|taz|tar\.gz)$/i;
function gunzipHead(data) {
  try {
    return (0, import_node_zlib.gunzipSync)(data.subarray(0, 4096), {
      finishFlush: import_node_zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: 8 * 1024 * 1024
    });
  } catch {
    return Buffer.alloc(0);
  }
}
function* gzipEntries(data, path, limits, budget, warn) {
  let tarInside = TAR_GZ_NAME.test(path);
  if (!tarInside) {
    const head = gunzipHead(data);
    tarInside = archiveKind(head) === "tar";
    releaseBuffer(head);
  }
  const { cap, byRatio } = outputCap(
    data.length,
    tarInside ? { ...limits, maxEntrySize: limits.maxTotal } : limits,
    budget
  );
  const tooLarge2 = () => {
    const why = byRatio ? `more than ${limits.maxRatio}:1 (limit: ratio, zip bomb?)` : tarInside || cap < limits.maxEntrySize ? `beyond ${mib(cap)} (limit: total size)` : `beyond ${mib(cap)}, more than a scanned file may hold (limit: entry size)`;
    warn(`${path}: gzip expands ${why}, not scanned`);
  };
  const isize = data.readUInt32LE(data.length - 4);
  if (isize > cap) {
    tooLarge2();
    return;
  }
  let out;
  try {
    out = (0, import_node_zlib.gunzipSync)(data, sized(isize, cap));
  } catch (err) {
    if (err.code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) {
      tooLarge2();
      return;
    }
    throw err;
  }
  if (archiveKind(out) === "tar") {
    yield* tarEntries(out, path, budget, limits, warn);
    budget.done(out);
    return;
  }
  const base = path.slice(path.lastIndexOf("!") + 1).replace(/^.*\//, "");
  const inner = base.replace(/\.t?gz$/i, (m) => m.toLowerCase() === ".tgz" ? ".tar" : "") || "data";
  takeEntry(`${path}!${inner}`, out.length, limits, budget, path);
  yield { path: `${path}!${inner}`, data: out };
  budget.done(out);
}

// src/scan/item.ts
function mayBeArchive(path, size, policy) {
  return policy.archives && ARCHIVE_NAME.test(path) && size <= maxTotal(policy.limits);
}
function maxTotal(limits) {
  return limits.maxTotal ?? DEFAULT_ARCHIVE_LIMITS.maxTotal;
}
function readBounded(absPath, cap) {
  const fd = (0, import_node_fs4.openSync)(absPath, "r");
  try {
    return readBoundedFd(fd, (0, import_node_fs4.fstatSync)(fd).size, cap);
  } finally {
    (0, import_node_fs4.closeSync)(fd);
  }
}
function readBoundedFd(fd, fileSize, cap) {
  return readInto(fd, Math.min(fileSize, cap), Buffer.allocUnsafe);
}
var OPEN_LISTED = import_node_fs4.constants.O_RDONLY | import_node_fs4.constants.O_NOFOLLOW | import_node_fs4.constants.O_NONBLOCK | import_node_fs4.constants.O_NOCTTY;
function metaOf(item) {
  const meta = { path: item.path };
  if (item.lineMap) meta.lineMap = item.lineMap;
  if (item.commit !== void 0) meta.commit = item.commit;
  if (item.author !== void 0) meta.author = item.author;
  if (item.date !== void 0) meta.date = item.date;
  return meta;
}
function scanItem(engine, item, policy, stats, warn) {
  const src = item.source;
  const unstated = src.kind === "file" && src.size === void 0;
  if (unstated) return scanUnstated(engine, item, src.absPath, policy, stats, warn);
  if (!policy.archives || item.lineMap) return scanAsIs(engine, item, policy, void 0, stats);
  if (src.kind === "bytes") return scanAsRead(engine, item, policy, src.data, stats, warn);
  if (!mayBeArchive(item.path, src.size, policy)) return scanAsIs(engine, item, policy, void 0, stats);
  const data = readBounded(src.absPath, maxTotal(policy.limits));
  try {
    return scanAsRead(engine, item, policy, data, stats, warn);
  } finally {
    releaseBuffer(data);
  }
}
function scanUnstated(engine, item, absPath, policy, stats, warn) {
  let fd;
  try {
    fd = (0, import_node_fs4.openSync)(absPath, OPEN_LISTED);
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT") return [];
    if (code === "ELOOP") {
      stats.skippedSymlinks++;
      return [];
    }
    throw e;
  }
  try {
    const st = (0, import_node_fs4.fstatSync)(fd);
    if (!st.isFile()) {
      stats.unreadable++;
      warn(`${item.path}: no longer a regular file; not scanned`);
      return [];
    }
    if (policy.archives && !item.lineMap && mayBeArchive(item.path, st.size, policy)) {
      const data = readBoundedFd(fd, st.size, maxTotal(policy.limits));
      try {
        return scanAsRead(engine, item, policy, data, stats, warn);
      } finally {
        releaseBuffer(data);
      }
    }
    if (st.size > policy.maxFileSize) {
      stats.skippedLarge++;
      return [];
    }
    return engine.scanFd(fd, metaOf(item), stats);
  } finally {
    (0, import_node_fs4.closeSync)(fd);
  }
}
function readPlain(item, policy, stats, warn, alloc) {
  const src = item.source;
  const plain = !policy.archives || item.lineMap !== void 0;
  if (src.kind === "bytes") {
    if (!plain && archiveKind(src.data)) {
      return { archive: { entries: walkArchive(item, policy, src.data, stats, warn), release: () => {
      } } };
    }
    return copyPlain(item, src.data, policy, stats, alloc);
  }
  if (src.size !== void 0) {
    if (!plain && mayBeArchive(item.path, src.size, policy)) {
      return readArchive(item, policy, readBounded(src.absPath, maxTotal(policy.limits)), stats, warn, alloc);
    }
    if (src.size > policy.maxFileSize) {
      stats.skippedLarge++;
      return { findings: [] };
    }
    const fd2 = (0, import_node_fs4.openSync)(src.absPath, "r");
    try {
      return { data: readInto(fd2, (0, import_node_fs4.fstatSync)(fd2).size, alloc) };
    } finally {
      (0, import_node_fs4.closeSync)(fd2);
    }
  }
  let fd;
  try {
    fd = (0, import_node_fs4.openSync)(src.absPath, OPEN_LISTED);
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT") return { findings: [] };
    if (code === "ELOOP") {
      stats.skippedSymlinks++;
      return { findings: [] };
    }
    throw e;
  }
  try {
    const st = (0, import_node_fs4.fstatSync)(fd);
    if (!st.isFile()) {
      stats.unreadable++;
      warn(`${item.path}: no longer a regular file; not scanned`);
      return { findings: [] };
    }
    if (!plain && mayBeArchive(item.path, st.size, policy)) {
      return readArchive(item, policy, readBoundedFd(fd, st.size, maxTotal(policy.limits)), stats, warn, alloc);
    }
    if (st.size > policy.maxFileSize) {
      stats.skippedLarge++;
      return { findings: [] };
    }
    return { data: readInto(fd, st.size, alloc) };
  } finally {
    (0, import_node_fs4.closeSync)(fd);
  }
}
function readArchive(item, policy, data, stats, warn, alloc) {
  if (archiveKind(data)) {
    return { archive: { entries: walkArchive(item, policy, data, stats, warn), release: () => releaseBuffer(data) } };
  }
  try {
    return copyPlain(item, data, policy, stats, alloc);
  } finally {
    releaseBuffer(data);
  }
}
function copyPlain(item, data, policy, stats, alloc) {
  if (data.length > policy.maxFileSize && item.path !== "-") {
    stats.skippedLarge++;
    return { findings: [] };
  }
  const out = alloc(data.length);
  data.copy(out);
  return { data: out };
}
function walkArchive(item, policy, data, stats, warn) {
  const limits = { ...policy.limits, maxEntrySize: policy.maxFileSize };
  const onWarning = (m) => {
    stats.skippedArchive++;
    warn(m);
  };
  const all = archiveItems(item, data, { limits, onWarning, transient: true });
  function* entries() {
    for (const entry of all) if (!policy.ignore(entry.path)) yield entry;
  }
  return entries();
}
function readInto(fd, size, alloc) {
  const buf = alloc(size);
  let filled = 0;
  while (filled < size) {
    const n = (0, import_node_fs4.readSync)(fd, buf, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === size ? buf : buf.subarray(0, filled);
}
function scanAsRead(engine, item, policy, data, stats, warn) {
  if (!archiveKind(data)) return scanAsIs(engine, item, policy, data, stats);
  const found = [];
  const handOut = policy.handOut && data.length >= policy.handOut.from ? policy.handOut.take : void 0;
  for (const entry of walkArchive(item, policy, data, stats, warn)) {
    if (handOut?.(entry)) continue;
    for (const f of engine.scanBytes(entry.source.data, metaOf(entry), stats)) found.push(f);
  }
  return found;
}
function scanAsIs(engine, item, policy, data, stats) {
  const src = item.source;
  const size = data ? data.length : src.kind === "bytes" ? src.data.length : src.size ?? 0;
  if (size > policy.maxFileSize && item.path !== "-") {
    stats.skippedLarge++;
    return [];
  }
  const meta = metaOf(item);
  if (data) return engine.scanBytes(data, meta, stats);
  return src.kind === "file" ? engine.scanFile(src.absPath, meta, stats) : engine.scanBytes(src.data, meta, stats);
}

// src/scan/retained.ts
var import_node_util = __toESM(require_node_util(), 1);
var RetainedSecrets = class {
  #byFingerprint = /* @__PURE__ */ new Map();
  add(entries) {
    for (const [fingerprint2, secret] of entries) this.#byFingerprint.set(fingerprint2, secret);
  }
  /** The secret of a finding, by its fingerprint. */
  get(fingerprint2) {
    return this.#byFingerprint.get(fingerprint2);
  }
  get size() {
    return this.#byFingerprint.size;
  }
  toJSON() {
    return { retained: this.size };
  }
  toString() {
    return `[${this.size} retained secrets]`;
  }
  [import_node_util.inspect.custom]() {
    return this.toString();
  }
};

// src/scan/worker-thread.ts
var import_node_fs5 = __toESM(require_node_fs(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var import_node_worker_threads = __toESM(require_node_worker_threads(), 1);
import * as nodeModule from "node:module";
import { dirname as dirname2 } from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
var WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 };
function workerEnv(env = process.env) {
  const dir = nodeModule.getCompileCacheDir?.();
  return dir && !env.NODE_COMPILE_CACHE ? { ...env, NODE_COMPILE_CACHE: dirname2(dir) } : env;
}
var POOL_MIN_FILES = 4e3;
var POOL_AFTER_MS = 500;
var COLLECT_AFTER_ITEMS = 128;
var COLLECT_AFTER_MS = 50;
var COUNT_MAX_DIRS = 512;
function hasFiles(root, n) {
  const dirs = [root.endsWith("/") ? root.slice(0, -1) || "/" : root];
  let files = 0;
  for (let i = 0; i < dirs.length; i++) {
    if (i === COUNT_MAX_DIRS) return true;
    let entries;
    try {
      entries = (0, import_node_fs5.readdirSync)(dirs[i], { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && ++files >= n) return true;
      if (e.isDirectory() && e.name !== ".git" && e.name !== "node_modules") {
        dirs.push(dirs[i] === "/" ? `/${e.name}` : `${dirs[i]}/${e.name}`);
      }
    }
  }
  return false;
}
var largeTrees = /* @__PURE__ */ new Map();
function isLargeTree(root) {
  let large = largeTrees.get(root);
  if (large === void 0) {
    large = hasFiles(root, POOL_MIN_FILES);
    largeTrees.set(root, large);
  }
  return large;
}
function defaultThreads() {
  return Math.max(1, Math.min(8, (0, import_node_os.availableParallelism)()));
}
function resolveWorkerScript(override, base = import.meta.url) {
  const explicit = override ?? process.env.JIT_GPG_SCAN_WORKER;
  if (explicit) {
    const url = explicit instanceof URL ? explicit : /^file:/.test(explicit) ? new URL(explicit) : new URL(`file://${explicit}`);
    return (0, import_node_fs5.existsSync)(fileURLToPath2(url)) ? url : void 0;
  }
  for (const candidate of [
    "./worker.ts",
    "./worker.js",
    "./scan/worker.js",
    "../scan/worker.js",
    "../../scan/worker.js"
  ]) {
    const url = new URL(candidate, base);
    if (url.protocol === "file:" && (0, import_node_fs5.existsSync)(fileURLToPath2(url))) return url;
  }
  return void 0;
}
function startScanWorker(script, init) {
  return new import_node_worker_threads.Worker(script, {
    workerData: init ?? null,
    stdout: false,
    stderr: false,
    resourceLimits: WORKER_RESOURCE_LIMITS,
    env: workerEnv()
  });
}
var prewarmed = [];
function hasPrewarmedWorker() {
  return prewarmed.some((e) => !e.failed);
}
function adoptPrewarmedWorker(script) {
  const at = prewarmed.findIndex((e) => e.script === script.href);
  if (at < 0) return void 0;
  const [entry] = prewarmed.splice(at, 1);
  if (entry.failed) return void 0;
  entry.worker.off("error", entry.onEnd);
  entry.worker.off("exit", entry.onEnd);
  entry.worker.ref();
  return entry.worker;
}

// src/scan/pool.ts
var ENTRIES_HANDED_OUT = 16 * 1024;
var HAND_OUT_ARCHIVES_FROM = 4 * 1024 * 1024;
function transferable(d) {
  const spare = d.buffer.byteLength - d.byteLength;
  return d.byteOffset === 0 && d.buffer instanceof ArrayBuffer && (spare === 0 || spare === 1 && d.byteLength >= 4096);
}
function itemToWire(it, transfer) {
  const w = { path: it.path, kind: it.source.kind };
  if (it.source.kind === "file") {
    w.absPath = it.source.absPath;
    if (it.source.size !== void 0) w.size = it.source.size;
  } else {
    const d = it.source.data;
    if (transferable(d)) {
      transfer.push(d.buffer);
      w.data = d;
    } else w.data = new Uint8Array(d);
  }
  if (it.lineMap) w.lineMap = it.lineMap;
  if (it.commit !== void 0) w.commit = it.commit;
  if (it.author !== void 0) w.author = it.author;
  if (it.date !== void 0) w.date = it.date;
  return w;
}
function itemFromWire(w) {
  let source;
  if (w.kind === "file") {
    source = { kind: "file", absPath: typeof w.absPath === "string" ? w.absPath : Buffer.from(w.absPath) };
    if (w.size !== void 0) source.size = w.size;
  } else source = { kind: "bytes", data: Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength) };
  const item = { path: w.path, source };
  if (w.lineMap) item.lineMap = w.lineMap;
  if (w.commit !== void 0) item.commit = w.commit;
  if (w.author !== void 0) item.author = w.author;
  if (w.date !== void 0) item.date = w.date;
  return item;
}
var builtinById = new Map(builtinRules.map((r) => [r.id, r]));
function rulesToWire(rules) {
  const out = [];
  for (const rule of rules) {
    const { validate, examples: _e, help: _h, ...data } = rule;
    let builtinValidator = false;
    if (validate) {
      if (builtinById.get(rule.id)?.validate !== validate) return void 0;
      builtinValidator = true;
    }
    out.push({ ...data, builtinValidator });
  }
  return out;
}
function mergeResults(a, b) {
  const stats = emptyEngineStats();
  addEngineStats(stats, a.stats);
  addEngineStats(stats, b.stats);
  const merged = {
    type: "result",
    id: a.id,
    findings: [...a.findings, ...b.findings],
    stats,
    warnings: [...a.warnings, ...b.warnings]
  };
  if (a.retained || b.retained) merged.retained = [...a.retained ?? [], ...b.retained ?? []];
  return merged;
}
function failedResult(batch, why) {
  return {
    type: "result",
    id: batch.id,
    findings: [],
    stats: { ...emptyEngineStats(), failed: batch.items.length },
    warnings: batch.items.map((it) => `${it.path}: scan failed (${why})`)
  };
}
var ScanPool = class {
  size;
  engineName = "";
  script;
  init;
  onWarning;
  slots = [];
  /** Every live worker: ready (in `slots`) or still starting. */
  workers = /* @__PURE__ */ new Set();
  queue = [];
  nextId = 1;
  closed = false;
  perWorker = 4;
  callerScans;
  /** ENTRIES_HANDED_OUT's counter, shared with the workers. */
  handedOut;
  /** PoolInit.idle: threads that wait for work. */
  idle;
  callerWaiting = false;
  /** Called with the archive entries a worker handed out and the result of scanning them (already queued). */
  onSpawn;
  constructor(script, size, init, onWarning, onSpawn = () => {
  }, options = {}) {
    this.script = script;
    this.size = size;
    const handedOut = init.handedOut ?? new SharedArrayBuffer(4);
    const idle = init.idle ?? new SharedArrayBuffer(4);
    this.init = { ...init, handedOut, idle };
    this.handedOut = new Int32Array(handedOut);
    this.idle = new Int32Array(idle);
    this.callerScans = options.callerScans === true;
    this.onWarning = onWarning;
    this.onSpawn = onSpawn;
  }
  /**
   * Spawns the workers and resolves as soon as one has compiled the policy: it starts scanning while the others come
   * up. Rejects when none can start; one that cannot start beside a running one is a warning (the scan goes on with
   * fewer threads).
   */
  async start() {
    const ready = [];
    for (let i = 0; i < this.size; i++) ready.push(this.spawn());
    try {
      this.engineName = await Promise.any(ready);
    } catch (e) {
      throw e.errors[0];
    }
    for (const r of ready) {
      r.catch((e) => {
        if (!this.closed) this.onWarning(`${e.message}; scanning with fewer threads`);
      });
    }
  }
  spawn() {
    return new Promise((resolve5, reject) => {
      const prewarmed2 = adoptPrewarmedWorker(this.script);
      const worker = prewarmed2 ?? startScanWorker(this.script, this.init);
      this.workers.add(worker);
      const slot = { worker, inFlight: /* @__PURE__ */ new Map() };
      let started = false;
      let dead = false;
      worker.on("message", (msg) => {
        if (dead) return;
        if (msg.type === "spawn") {
          const moved = [...new Set(msg.items.flatMap((w) => w.data ? [w.data.buffer] : []))];
          this.onSpawn(msg.items, this.submitWire(msg.items, moved, false, slot));
          return;
        }
        if (msg.type === "ready") {
          started = true;
          if (this.closed) {
            void worker.terminate();
            resolve5(msg.engine);
            return;
          }
          this.slots.push(slot);
          if (this.slots.length === 1) for (const w of msg.warnings) this.onWarning(w);
          resolve5(msg.engine);
          this.pump();
          return;
        }
        const pending = slot.inFlight.get(msg.id);
        if (!pending) return;
        slot.inFlight.delete(msg.id);
        pending.resolve(msg);
        this.pump();
      });
      const fail = (why) => {
        if (dead) return;
        dead = true;
        if (!started) {
          started = true;
          reject(new Error(`scan worker did not start (${why})`));
          return;
        }
        this.slots = this.slots.filter((s) => s !== slot);
        this.countIdle();
        for (const { batch, resolve: done } of slot.inFlight.values()) done(failedResult(batch, `worker ${why}`));
        slot.inFlight.clear();
        if (this.closed) return;
        this.spawn().catch((e) => {
          this.onWarning(e.message);
          if (this.slots.length === 0 && !this.callerScans) {
            for (const job of this.queue.splice(0)) job.resolve(failedResult(job.batch, "no worker"));
          }
        });
      };
      worker.on("error", (e) => fail(e.name || "error"));
      worker.on("exit", (code) => {
        this.workers.delete(worker);
        if (!started || !this.closed || slot.inFlight.size > 0) fail(`exited with code ${code}`);
      });
      if (prewarmed2) prewarmed2.postMessage(this.init);
    });
  }
  /** Queues a batch; resolves with its result. `workersOnly`: see Job. */
  submit(items, workersOnly = false) {
    const transfer = [];
    return this.submitWire(
      items.map((it) => itemToWire(it, transfer)),
      transfer,
      workersOnly
    );
  }
  submitWire(wire, transfer, workersOnly, from) {
    return new Promise((resolve5) => {
      const job = { batch: { id: this.nextId++, items: wire }, transfer, resolve: resolve5, workersOnly };
      if (from && this.callerScans) job.from = from;
      this.queue.push(job);
      this.pump();
    });
  }
  /** Workers ready (scanning, or waiting for work). */
  get readyWorkers() {
    return this.slots.length;
  }
  /**
   * The first queued batch the workers have no room for, for the caller to scan: a workers-only one too when `any`
   * (no worker is ready, or none will be). Undefined when none waits. At most `max` of its items: the rest stays
   * queued, for a worker that runs out meanwhile or the caller's next turn, and the batch's result is both parts'.
   */
  take(any, max = Number.POSITIVE_INFINITY) {
    const at = this.queue.findIndex((j) => any || !j.workersOnly);
    if (at < 0) return void 0;
    const job = this.queue[at];
    if (job.batch.items.length <= max || job.transfer.length > 0) {
      this.queue.splice(at, 1);
      return { batch: job.batch, settle: job.resolve };
    }
    const whole = job.resolve;
    const parts = [];
    const settle = (r) => {
      parts.push(r);
      if (parts.length === 2) whole(mergeResults(parts[0], parts[1]));
    };
    const head = { id: this.nextId++, items: job.batch.items.slice(0, max) };
    job.batch = { id: this.nextId++, items: job.batch.items.slice(max) };
    job.resolve = settle;
    return { batch: head, settle };
  }
  get isClosed() {
    return this.closed;
  }
  /** Batches queued or running. */
  get pending() {
    let n = this.queue.length;
    for (const s of this.slots) n += s.inFlight.size;
    return n;
  }
  pump() {
    for (let at = 0; at < this.queue.length; ) {
      const job = this.queue[at];
      let best;
      for (const s of this.slots)
        if (s !== job.from && s.inFlight.size < this.perWorker && (!best || s.inFlight.size < best.inFlight.size))
          best = s;
      if (!best) {
        if (job.from && this.slots.some((s) => s.inFlight.size < this.perWorker)) {
          at++;
          continue;
        }
        break;
      }
      this.queue.splice(at, 1);
      best.inFlight.set(job.batch.id, { batch: job.batch, resolve: job.resolve });
      best.worker.postMessage(job.batch, job.transfer);
    }
    this.countIdle();
  }
  /** The caller waits for work (the scan's tail) or stops waiting: an idle thread for the workers' hand-outs. */
  setCallerWaiting(waiting) {
    this.callerWaiting = waiting;
    this.countIdle();
  }
  countIdle() {
    let n = this.callerWaiting ? 1 : 0;
    for (const s of this.slots) if (s.inFlight.size === 0) n++;
    Atomics.store(this.idle, 0, n);
  }
  /** Ends every worker, those still starting included (the scan may be done before they are ready). */
  async close() {
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.terminate()));
    this.slots = [];
  }
};

// src/scan/batch.ts
function scanBatch(engine, id, items, policy, opts = {}) {
  const stats = emptyEngineStats();
  const result = { type: "result", id, findings: [], stats, warnings: [] };
  const warn = (m) => result.warnings.push(m);
  for (const w of items) {
    try {
      for (const f of scanCounted(engine, itemFromWire(w), policy, stats, warn)) result.findings.push(f);
    } finally {
      if (w.handedOut !== void 0 && opts.handedOut) Atomics.sub(opts.handedOut, 0, w.handedOut);
      opts.afterItem?.();
    }
  }
  const retained = engine.takeRetained();
  if (retained.length > 0) result.retained = retained;
  return result;
}
function scanCounted(engine, item, policy, stats, warn) {
  try {
    return scanItem(engine, item, policy, stats, warn);
  } catch (e) {
    countFailure(item.path, e, stats, warn);
    return [];
  }
}
function countFailure(path, e, stats, warn) {
  const err = e;
  if (err.code) stats.unreadable++;
  else stats.failed++;
  warn(err.code ? `${path}: cannot read (${err.code})` : `${path}: scan failed (${err.name ?? "error"})`);
}

// src/scan/collect-thread.ts
var ARENA_BYTES = 512 * 1024;
var LARGE_STEP = 1024 * 1024;
var KEEP_LARGE = 2;
var BATCH_ITEMS = 128;
var QUEUED = 2;
var QUEUED_JOB = 0;
var SETTLED_JOB = 2;
var CollectThread = class {
  engine;
  collector;
  policy;
  stats;
  events;
  /** Arenas free for the next batch, and large buffers (see alloc()). */
  spare = [];
  large = [];
  current;
  /** Batches submitted to the collector and not yet judged, oldest first. */
  inFlight = [];
  collectorFailed = false;
  constructor(engine, collector, policy, stats, events) {
    this.engine = engine;
    this.collector = collector;
    this.policy = policy;
    this.stats = stats;
    this.events = events;
    this.current = this.freshBatch();
  }
  /**
   * Reads the item into the batch being filled (an archive: each of its entries), or counts it here (a skip, an
   * error); judges what the collector is done with.
   */
  add(item) {
    let read;
    try {
      read = readPlain(item, this.policy, this.stats, this.events.onWarning, this.alloc);
    } catch (e) {
      this.failed(item.path, e);
      this.events.onItem([], true);
      return;
    }
    if ("findings" in read) {
      this.events.onItem(read.findings, true);
      return;
    }
    if ("data" in read) {
      this.queue(read.data, metaOf(item), true);
      return;
    }
    try {
      for (const entry of read.archive.entries) {
        const bytes = entry.source.data;
        const copy = this.alloc(bytes.length);
        bytes.copy(copy);
        this.queue(copy, metaOf(entry), false);
      }
    } catch (e) {
      this.failed(item.path, e);
    } finally {
      read.archive.release();
    }
    this.events.onItem([], true);
  }
  /**
   * Room for `size` bytes in the batch being filled: the rest of its arena, else a fresh batch's (the full one goes
   * to the collector), or for more than an arena holds, a large buffer kept for reuse. Memory is reused, never
   * allocated per item: on this kind of machine a page touched for the first time costs a fault of 12-16 us, more
   * than scanning it.
   */
  alloc = (size) => {
    if (size > this.current.bytes.length - this.current.used) {
      this.flush();
      if (size > this.current.bytes.length) {
        this.spare.push(this.current.bytes);
        this.current.bytes = this.largeBuffer(size);
      }
    }
    const b = this.current;
    return b.bytes.subarray(b.used, b.used + size);
  };
  /** A buffer of at least `size` bytes: a kept one that fits, else a new one (rounded up, so it fits others). */
  largeBuffer(size) {
    let at = -1;
    for (let i = 0; i < this.large.length; i++) {
      if (this.large[i].length >= size && (at < 0 || this.large[i].length < this.large[at].length)) at = i;
    }
    if (at >= 0) return this.large.splice(at, 1)[0];
    return Buffer.allocUnsafeSlow(Math.ceil(size / LARGE_STEP) * LARGE_STEP);
  }
  /** A batch's buffer, free again: kept for the next batch (at most KEEP_LARGE large ones, the largest). */
  release(bytes) {
    if (bytes.length === ARENA_BYTES) {
      this.spare.push(bytes);
      return;
    }
    this.large.push(bytes);
    if (this.large.length > KEEP_LARGE) {
      this.large.sort((a, b) => b.length - a.length);
      this.large.length = KEEP_LARGE;
    }
  }
  /** Bytes from alloc(), to be scanned as one entry; `item`: judging it completes an item (not an archive entry). */
  queue(read, meta, item) {
    if (looksBinary(read)) {
      this.events.onItem(this.engine.scanBytes(read, meta, this.stats), item);
      return;
    }
    let data = read;
    const utf8 = utf16ToUtf8(read);
    if (utf8) {
      data = this.alloc(utf8.length);
      utf8.copy(data);
    }
    const into = this.current;
    const start = data.byteOffset - into.bytes.byteOffset;
    const windows = this.engine.windowsOf(data.length);
    for (let w = 0; w < windows.length; w++) into.windows.push(start + windows[w]);
    into.entries.push({ data, meta, windows: windows.length / 2, item });
    into.used = start + data.length;
    if (into.used >= ARENA_BYTES || into.entries.length >= BATCH_ITEMS) this.flush();
  }
  /** Everything added is judged. */
  finish() {
    this.flush();
    while (this.inFlight.length > 0) {
      const queued = this.inFlight.findLast((b) => this.collector.state(b.job) === QUEUED_JOB);
      if (queued && this.stealAndJudge(queued)) continue;
      const oldest = this.inFlight.shift();
      this.judge(oldest, this.take(oldest, true));
    }
  }
  /**
   * Submits the batch being filled; collects the newest queued ones here while more than QUEUED wait; judges what
   * the collector is done with.
   */
  flush() {
    const batch = this.current;
    if (batch.entries.length === 0) return;
    this.current = this.freshBatch();
    if (this.collectorFailed) {
      this.judge(batch, void 0);
      return;
    }
    try {
      batch.job = this.collector.submit(batch.bytes.subarray(0, batch.used), Int32Array.from(batch.windows));
    } catch (e) {
      this.collectorError(e);
      this.judge(batch, void 0);
      return;
    }
    this.inFlight.push(batch);
    for (; ; ) {
      const queued = this.inFlight.filter((b) => this.collector.state(b.job) === QUEUED_JOB);
      if (queued.length <= QUEUED || !this.stealAndJudge(queued[queued.length - 1])) break;
    }
    const pending = [];
    for (const b of this.inFlight) {
      if (this.collector.state(b.job) >= SETTLED_JOB) this.judge(b, this.take(b, false));
      else pending.push(b);
    }
    this.inFlight = pending;
  }
  /** Collects a queued batch here and judges it; false when the collector's thread took it first. */
  stealAndJudge(batch) {
    let results;
    try {
      results = this.collector.steal(batch.job);
    } catch (e) {
      this.collectorError(e);
    }
    if (results === null) return false;
    this.inFlight = this.inFlight.filter((b) => b !== batch);
    this.judge(batch, results);
    return true;
  }
  /** The batch's results from the collector; undefined when it failed (the engine then runs phases 1 and 2). */
  take(batch, wait) {
    try {
      return this.collector.take(batch.job, wait) ?? void 0;
    } catch (e) {
      this.collectorError(e);
      return void 0;
    }
  }
  collectorError(error2) {
    if (this.collectorFailed) return;
    this.collectorFailed = true;
    this.events.onWarning(`native collector failed (${error2.name}); scanning on one thread`);
  }
  /** Phases 3 and 4 of each entry (all of the engine's, when the collector failed); the arena is free again after. */
  judge(batch, results) {
    let at = 0;
    for (const entry of batch.entries) {
      const from = at;
      if (results) at = skipWindows(results, at, entry.windows);
      try {
        const findings = results ? this.engine.scanCollected(entry.data, entry.meta, this.stats, results, from) : this.engine.scanBytes(entry.data, entry.meta, this.stats);
        this.events.onItem(findings, entry.item);
      } catch (e) {
        this.failed(entry.meta.path, e);
        this.events.onItem([], entry.item);
      }
    }
    this.release(batch.bytes);
  }
  failed(path, e) {
    countFailure(path, e, this.stats, this.events.onWarning);
  }
  freshBatch() {
    return { bytes: this.spare.pop() ?? Buffer.allocUnsafeSlow(ARENA_BYTES), used: 0, entries: [], windows: [] };
  }
};
function skipWindows(results, at, windows) {
  for (let w = 0; w < windows; w++) {
    at += 1 + 5 * results[at];
    at += 1 + 3 * results[at];
  }
  return at;
}

// src/scan/sources/stdin.ts
var import_node_fs6 = __toESM(require_node_fs(), 1);
var import_node_net = __toESM(require_node_net(), 1);
import { dirname as dirname3, resolve } from "node:path";
var STDIN_LIMIT = 256 * 1024 * 1024;
async function* stdinChunks(stream, opts = {}) {
  const limit = opts.limit ?? STDIN_LIMIT;
  const name2 = opts.name ?? "-";
  let total = 0;
  for await (const chunk of stream) {
    let buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (total + buf.length > limit) {
      buf = buf.subarray(0, limit - total);
      if (buf.length) yield buf;
      opts.onWarning?.(
        `${name2}: input is larger than ${Math.round(limit / 1048576)} MiB; only the first part was scanned (the scan is incomplete)`
      );
      stream.pause?.();
      return;
    }
    total += buf.length;
    if (buf.length) yield buf;
  }
}
var NamedInputError = class extends Error {
  name = "NamedInputError";
};
async function openNamedInput(abs, name2) {
  let fd;
  try {
    fd = (0, import_node_fs6.openSync)(abs, import_node_fs6.constants.O_RDONLY | import_node_fs6.constants.O_NONBLOCK | import_node_fs6.constants.O_NOCTTY);
  } catch (e) {
    const own = e.code === "ENXIO" ? ownDescriptor(abs) : void 0;
    if (own === void 0) throw e;
    return (0, import_node_fs6.createReadStream)("", { fd: own, autoClose: false });
  }
  const st = (0, import_node_fs6.fstatSync)(fd);
  if (!st.isFIFO() && !st.isSocket()) {
    (0, import_node_fs6.closeSync)(fd);
    return (0, import_node_fs6.createReadStream)(abs);
  }
  const probe = Buffer.allocUnsafe(64 * 1024);
  let first;
  try {
    const n = (0, import_node_fs6.readSync)(fd, probe, 0, probe.length, null);
    if (n === 0) {
      (0, import_node_fs6.closeSync)(fd);
      throw new NamedInputError(
        `${displayPath(name2)}: a FIFO with no writer (or nothing written to it): nothing to scan; start the writer first, or pipe the data to \`jit-gpg scan -\``
      );
    }
    first = Buffer.from(probe.subarray(0, n));
  } catch (e) {
    if (e.code !== "EAGAIN") {
      if (e instanceof NamedInputError) throw e;
      (0, import_node_fs6.closeSync)(fd);
      throw e;
    }
  }
  const pipe = new import_node_net.Socket({ fd, readable: true, writable: false });
  const { Readable } = await import("node:stream");
  return Readable.from(
    (async function* () {
      if (first) yield first;
      for await (const chunk of pipe) yield chunk;
    })()
  );
}
function ownDescriptor(path) {
  let p = path;
  for (let i = 0; i < 8; i++) {
    const m = /^\/(?:proc\/self\/fd|dev\/fd)\/(\d+)$/.exec(p) ?? (p === "/dev/stdin" ? ["", "0"] : null);
    if (m) return Number(m[1]);
    try {
      p = resolve(dirname3(p), (0, import_node_fs6.readlinkSync)(p));
    } catch {
      return void 0;
    }
  }
  return void 0;
}

// src/scan/sources/worktree.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_node_fs7 = __toESM(require_node_fs(), 1);
import { dirname as dirname4, join as join2 } from "node:path";
function nameOf(root, rel) {
  const text = rel.toString("utf8");
  if (!text.includes("\uFFFD")) return { path: text, abs: join2(root, text) };
  return { path: displayPath(rel), abs: Buffer.concat([Buffer.from(`${root}/`), rel]) };
}
function gitEntries(root, args) {
  return new Promise((resolve5) => {
    let child;
    try {
      child = (0, import_node_child_process.spawn)("git", args, {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" }
      });
    } catch {
      resolve5(void 0);
      return;
    }
    const out = [];
    let err = "";
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => {
      if (err.length < 4096) err += d.toString();
    });
    child.on("error", () => resolve5(void 0));
    child.on("close", (code) => {
      if (code !== 0) {
        resolve5(/not a git repository/i.test(err) ? void 0 : { fail: err.trim().split("\n")[0] || `exit ${code}` });
        return;
      }
      const all = Buffer.concat(out);
      const entries = [];
      for (let start = 0; start < all.length; ) {
        let end = all.indexOf(0, start);
        if (end < 0) end = all.length;
        if (end > start) entries.push(all.subarray(start, end));
        start = end + 1;
      }
      resolve5(entries);
    });
  });
}
var STAGED = /^[0-7]{6} [0-9a-f]{40,64} [0-3]$/;
async function gitListing(root, onWarning) {
  const entries = await gitEntries(root, ["ls-files", "-z", "-t", "--stage", "--others", "--exclude-standard"]);
  if (entries === void 0) return void 0;
  const failed = (why) => {
    onWarning?.(`git ls-files failed in ${root} (${why}); walking the directory instead`);
    return void 0;
  };
  if ("fail" in entries) return failed(entries.fail);
  const listing = { tracked: [], untyped: [] };
  let conflicted;
  for (const entry of entries) {
    if (entry.length < 3 || entry[1] !== 32) return failed("an entry it printed is not understood");
    if (entry[0] === 63) {
      listing.untyped.push(entry.subarray(2));
      continue;
    }
    const tab = entry.indexOf(9);
    const name2 = entry.subarray(tab + 1);
    if (tab < 0 || name2.length === 0 || !STAGED.test(entry.toString("latin1", 2, tab))) {
      return failed("an entry it printed is not understood");
    }
    if (entry[tab - 1] === 48) listing.tracked.push({ mode: entry.toString("latin1", 2, 8), name: name2 });
    else if (!conflicted?.equals(name2)) {
      conflicted = name2;
      listing.untyped.push(name2);
    }
  }
  return listing;
}
function fileItem(name2, opts) {
  const { path, abs: absPath } = name2;
  const onWarning = opts.onWarning;
  try {
    const st = (0, import_node_fs7.lstatSync)(absPath);
    if (st.isSymbolicLink()) opts.onSkip?.("symlink", path);
    else if (!st.isFile() && !st.isDirectory()) opts.onSkip?.("special", path);
    if (!st.isFile()) return void 0;
    return { path, source: { kind: "file", absPath, size: st.size } };
  } catch (e) {
    const code = e.code;
    if (code === "ENOENT") return void 0;
    onWarning?.(`${path}: cannot stat (${code ?? e.name})`);
    return void 0;
  }
}
async function* walkFiles(root, opts = {}) {
  const stack = [""];
  let toStat = opts.statFirst ?? Number.POSITIVE_INFINITY;
  const rootBytes = Buffer.from(root);
  const prefix = root.endsWith("/") ? root : `${root}/`;
  const absOf = (rel) => {
    if (rel.length === 0) return root;
    return typeof rel === "string" ? `${prefix}${rel}` : Buffer.concat([rootBytes, Buffer.from("/"), rel]);
  };
  const list = (dir) => {
    try {
      if (typeof dir === "string") {
        const named2 = (0, import_node_fs7.readdirSync)(absOf(dir), { withFileTypes: true });
        if (!named2.some((e) => e.name.includes("\uFFFD"))) return named2;
      }
      return (0, import_node_fs7.readdirSync)(absOf(dir), { withFileTypes: true, encoding: "buffer" });
    } catch (e) {
      return e;
    }
  };
  while (stack.length > 0) {
    const dir = stack.pop();
    const listed = list(dir);
    if (!Array.isArray(listed)) {
      opts.onWarning?.(`${dir.length ? displayPath(dir) : "."}: cannot list directory (${listed.code ?? "error"})`);
      continue;
    }
    const subdirs = [];
    const files = [];
    const visit = (ent, rel, name2) => {
      if (ent.isSymbolicLink()) {
        if (!opts.ignore?.(name2.path)) opts.onSkip?.("symlink", name2.path);
      } else if (ent.isDirectory()) {
        if (ent.name.toString() !== ".git" && !opts.ignoreDir?.(name2.path)) subdirs.push(rel);
      } else if (ent.isFile()) {
        if (!opts.ignore?.(name2.path)) files.push(name2);
      } else if (!opts.ignore?.(name2.path)) {
        opts.onSkip?.("special", name2.path);
      }
    };
    if (typeof listed[0]?.name === "string") {
      const entries = listed;
      if (entries.some((e) => /[\ud800-\udfff]/.test(e.name))) {
        entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
      } else entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      const base = dir;
      for (const ent of entries) {
        const rel = base.length ? `${base}/${ent.name}` : ent.name;
        visit(ent, rel, { path: rel, abs: `${prefix}${rel}` });
      }
    } else {
      const entries = listed;
      entries.sort((a, b) => Buffer.compare(a.name, b.name));
      const base = typeof dir === "string" ? Buffer.from(dir) : dir;
      for (const ent of entries) {
        const relBytes = base.length ? Buffer.concat([base, Buffer.from("/"), ent.name]) : ent.name;
        const name2 = nameOf(root, relBytes);
        visit(ent, typeof name2.abs === "string" ? name2.path : relBytes, name2);
      }
    }
    const stated = Math.min(toStat, files.length);
    toStat -= stated;
    yield* statAll(stated === files.length ? files : files.slice(0, stated), opts);
    for (let i = stated; i < files.length; i++) {
      const { path, abs } = files[i];
      yield { path, source: { kind: "file", absPath: abs } };
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
}
async function* statAll(paths, opts) {
  for (const p of paths) {
    const it = fileItem(p, opts);
    if (it) yield it;
  }
}
function mayBeInRepository(root, env = process.env) {
  if (env.GIT_DIR) return true;
  let dir;
  try {
    dir = import_node_fs7.realpathSync.native(root);
  } catch {
    return true;
  }
  for (; ; ) {
    if ((0, import_node_fs7.existsSync)(join2(dir, ".git")) || (0, import_node_fs7.existsSync)(join2(dir, "HEAD")) && (0, import_node_fs7.existsSync)(join2(dir, "objects"))) {
      return true;
    }
    const up = dirname4(dir);
    if (up === dir) return false;
    dir = up;
  }
}
async function* worktreeItems(root, opts = {}) {
  const lister = opts.lister ?? "auto";
  const askGit = lister === "git" || lister === "auto" && mayBeInRepository(root);
  const listed = askGit ? await gitListing(root, opts.onWarning) : void 0;
  if (listed === void 0) {
    if (lister === "git") throw new Error(`${root} is not inside a git work tree`);
    yield* walkFiles(root, opts);
    return;
  }
  if (listed.tracked.length === 0 && listed.untyped.length === 0) {
    let any = false;
    for await (const it of walkFiles(root, opts)) {
      if (!any) opts.onWarning?.(`${root}: git ignores every file here; scanning the directory as it is`);
      any = true;
      yield it;
    }
    return;
  }
  for (const { mode, name: name2 } of listed.tracked) {
    const n = nameOf(root, name2);
    if (opts.ignore?.(n.path)) continue;
    if (mode === "100644" || mode === "100755") yield { path: n.path, source: { kind: "file", absPath: n.abs } };
    else if (mode === "120000") opts.onSkip?.("symlink", n.path);
  }
  const paths = listed.untyped.map((n) => nameOf(root, n)).filter((n) => !opts.ignore?.(n.path));
  yield* statAll(paths, opts);
}

// src/scan/policy.ts
var DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
var DEFAULT_IGNORE_PATHS = [
  ".git/**",
  "**/.git/**",
  "node_modules/**",
  "**/node_modules/**"
];
function defaultPolicy() {
  return {
    rules: builtinRules.slice(),
    ignorePaths: DEFAULT_IGNORE_PATHS.slice(),
    allowRegexes: [],
    stopwords: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE
  };
}

// src/scan/index.ts
var MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
var BATCH_ITEMS2 = 64;
var BATCH_BYTES = 2 * 1024 * 1024;
var CALLER_TAKES = 8;
function directoryGlobs(globs) {
  return globs.filter((g) => g.endsWith("/**") && g.length > 3).map((g) => g.slice(0, -3));
}
var engineCache = /* @__PURE__ */ new WeakMap();
function cachedEngine(policy) {
  let byKey = engineCache.get(policy.rules);
  if (!byKey) {
    byKey = /* @__PURE__ */ new Map();
    engineCache.set(policy.rules, byKey);
  }
  const key = JSON.stringify([
    policy.rules.length,
    policy.allowRegexes,
    policy.stopwords,
    process.env.JIT_GPG_REGEX_ENGINE ?? ""
  ]);
  let engine = byKey.get(key);
  if (!engine) {
    engine = new ScanEngine(policy);
    byKey.set(key, engine);
  }
  return engine;
}
function scanBuffer(data, path, policy) {
  return sortFindings(groupOccurrences(sortFindings(cachedEngine(policy).scanBytes(data, { path }))));
}
function itemSize(item) {
  return item.source.kind === "file" ? item.source.size ?? 0 : item.source.data.length;
}
async function scan(opts) {
  const t0 = process.hrtime.bigint();
  await prepareRegexEngine();
  const warnings = [];
  const warn = (m) => {
    warnings.push(m);
    opts.onWarning?.(m);
  };
  const policy = opts.policy;
  const ignore = await globMatcher(policy.ignorePaths);
  const ignoreDir = await globMatcher(directoryGlobs(policy.ignorePaths));
  const engineStats = emptyEngineStats();
  let skippedLarge = 0;
  const skips = { symlink: 0, special: 0 };
  let truncated = 0;
  const findings = [];
  const retained = new RetainedSecrets();
  let progressItems = 0;
  const progress = (items) => {
    progressItems += items;
    opts.onProgress?.({ items: progressItems, bytes: engineStats.bytes });
  };
  const reported = /* @__PURE__ */ new Set();
  const warnOnce = (m) => {
    if (reported.has(m)) return;
    reported.add(m);
    warn(m);
  };
  let inline;
  let engineName = "";
  const inlineEngine = () => {
    if (!inline) {
      inline = new ScanEngine(policy, {
        decode: opts.decode !== false,
        ...opts.engine,
        reportInlineAllowed: policy.inlineAllow === "report",
        onWarning: warnOnce
      });
      engineName ||= inline.name;
      if (largeTree) inline.warmUp();
    }
    return inline;
  };
  const itemPolicy = {
    archives: opts.archives !== false,
    limits: { maxEntrySize: policy.maxFileSize },
    maxFileSize: policy.maxFileSize,
    ignore
  };
  const scanInline = (item) => {
    for (const f of scanCounted(inlineEngine(), item, itemPolicy, engineStats, warn)) findings.push(f);
    progress(1);
  };
  const threads = Math.max(1, Math.floor(opts.threads ?? defaultThreads()));
  const callerScans = !opts.waitForWorkers;
  const limits = opts.inlineBelow;
  let pool;
  let collectThread;
  let poolFailed = threads <= 1;
  const held = [];
  let seenItems = 0;
  let seenBytes = 0;
  let largeTree;
  let inlineSince;
  const nowMs = () => Number(process.hrtime.bigint() / 1000000n);
  const collects = () => threads === 2 && callerScans && opts.collectThread !== false && !hasPrewarmedWorker() && // the caller started the worker it wants
  inlineEngine().regex.createCollector !== void 0;
  const wantPool = () => {
    if (limits) return seenItems >= limits.items || seenBytes >= limits.bytes;
    if (collects()) {
      if (seenItems >= COLLECT_AFTER_ITEMS) return true;
      return inlineSince !== void 0 && nowMs() - inlineSince >= COLLECT_AFTER_MS;
    }
    largeTree ??= !opts.items && !opts.stdin && (hasPrewarmedWorker() || isLargeTree(opts.root));
    if (largeTree) return true;
    return inlineSince !== void 0 && nowMs() - inlineSince >= POOL_AFTER_MS;
  };
  const running = /* @__PURE__ */ new Set();
  let batch = [];
  let batchBytes = 0;
  let heldInFlight = 0;
  let poolReady = false;
  let sinceYield = 0;
  let poolStarting;
  let wake = () => {
  };
  const startPool = () => {
    if (collects()) {
      const engine = inlineEngine();
      const collector = engine.nativeCollector();
      if (collector) {
        const onItem = (found, item) => {
          for (const f of found) findings.push(f);
          if (item) progress(1);
        };
        collectThread = new CollectThread(engine, collector, itemPolicy, engineStats, { onItem, onWarning: warn });
        return;
      }
    }
    const wireRules = rulesToWire(policy.rules);
    if (!wireRules) {
      poolFailed = true;
      return;
    }
    const script = resolveWorkerScript(opts.workerScript);
    if (!script) {
      warn("scan worker script not found; scanning in one thread");
      poolFailed = true;
      return;
    }
    const init = {
      rules: wireRules,
      allowRegexes: policy.allowRegexes,
      stopwords: policy.stopwords,
      ...policy.retainSecrets?.length ? { retainSecrets: policy.retainSecrets } : {},
      items: {
        archives: itemPolicy.archives,
        limits: itemPolicy.limits,
        maxFileSize: itemPolicy.maxFileSize,
        ignorePaths: policy.ignorePaths
      },
      engine: { decode: opts.decode !== false, ...opts.engine, reportInlineAllowed: policy.inlineAllow === "report" }
    };
    const workers = callerScans ? threads - 1 : threads;
    const onSpawn = (_spawned, result2) => {
      track(result2, 0, 0);
      wake();
    };
    const p = new ScanPool(script, workers, init, warnOnce, onSpawn, { callerScans });
    pool = p;
    poolStarting = p.start().then(
      () => {
        poolReady = true;
        engineName = p.engineName;
      },
      (e) => {
        if (!p.isClosed) warn(`${e.message}; scanning in one thread`);
        poolFailed = true;
        return p.close();
      }
    );
  };
  const track = (result2, items, inMemory) => {
    const done = result2.then((r) => {
      running.delete(done);
      heldInFlight -= inMemory;
      for (const f of r.findings) findings.push(f);
      if (r.retained) retained.add(r.retained);
      for (const w of r.warnings) warn(w);
      addEngineStats(engineStats, r.stats);
      progress(items);
    });
    running.add(done);
  };
  const scanQueued = async (any) => {
    const taken = pool?.take(any, CALLER_TAKES);
    if (!taken) return false;
    taken.settle(
      scanBatch(inlineEngine(), taken.batch.id, taken.batch.items, itemPolicy, { handedOut: pool.handedOut })
    );
    await new Promise((r) => setImmediate(r));
    return true;
  };
  const submit = async (items, workersOnly) => {
    const inMemory = items.reduce((n, it) => n + (it.source.kind === "bytes" ? it.source.data.length : 0), 0);
    heldInFlight += inMemory;
    track(pool.submit(items, workersOnly), items.length, inMemory);
    for (; ; ) {
      if ((callerScans || poolFailed) && await scanQueued(poolFailed)) continue;
      const full = heldInFlight > MAX_BYTES_IN_FLIGHT || !callerScans && pool.pending > pool.size * 6;
      if (!full || running.size === 0) return;
      await Promise.race(poolReady || poolFailed ? running : [...running, poolStarting]);
    }
  };
  const flushBatch = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    batchBytes = 0;
    await submit(items, false);
  };
  const isLargeArchive = (item) => {
    if (!mayBeArchive(item.path, 0, itemPolicy)) return false;
    const src = item.source;
    let size;
    if (src.kind === "bytes") size = src.data.length;
    else {
      try {
        size = src.size ?? (0, import_node_fs8.lstatSync)(src.absPath).size;
      } catch {
        return false;
      }
    }
    return size >= HAND_OUT_ARCHIVES_FROM && mayBeArchive(item.path, size, itemPolicy);
  };
  const send = async (item) => {
    if (poolFailed) return scanInline(item);
    if (isLargeArchive(item)) return submit([item], callerScans);
    if (callerScans && !poolReady) {
      scanInline(item);
      if (++sinceYield % 16 === 0) await new Promise((r) => setImmediate(r));
      return;
    }
    batch.push(item);
    batchBytes += itemSize(item);
    if (batch.length >= BATCH_ITEMS2 || batchBytes >= BATCH_BYTES) await flushBatch();
  };
  const dispatch = async (item) => {
    if (collectThread) return collectThread.add(item);
    if (poolFailed) return scanInline(item);
    if (!pool) {
      seenItems++;
      seenBytes += itemSize(item);
      if (!wantPool() && !(collects() && isLargeArchive(item))) {
        if (!callerScans) {
          held.push(item);
          return;
        }
        inlineSince ??= nowMs();
        return scanInline(item);
      }
      startPool();
      const started = collectThread;
      if (started) return started.add(item);
      for (const it of held.splice(0)) await send(it);
    }
    await send(item);
  };
  const accept = (item) => {
    if (item.path !== "-" && ignore(item.path)) return false;
    const size = itemSize(item);
    if (item.path !== "-" && size > policy.maxFileSize && !(item.source.kind === "file" && mayBeArchive(item.path, size, itemPolicy))) {
      skippedLarge++;
      return false;
    }
    return true;
  };
  const source = opts.items ?? (opts.stdin ? void 0 : worktreeItems(opts.root, {
    onWarning: warn,
    ignore,
    ignoreDir,
    onSkip: (kind2) => skips[kind2]++,
    // A fixed `inlineBelow` counts bytes, up to its first `limits.items` files; past those (and otherwise) the
    // walk leaves the stat to whoever opens the file (one system call fewer per file on this thread).
    statFirst: threads > 1 && limits ? limits.items : 0
  }));
  try {
    if (source) {
      for await (const item of source) if (accept(item)) await dispatch(item);
    }
    collectThread?.finish();
    if (!pool) {
      poolFailed = true;
      for (const it of held.splice(0)) scanInline(it);
    }
    if (pool) {
      await flushBatch();
      while (running.size > 0) {
        const any = poolFailed || callerScans && pool.readyWorkers === 0;
        if ((callerScans || poolFailed) && await scanQueued(any)) continue;
        const woken = new Promise((r) => {
          wake = r;
        });
        pool.setCallerWaiting(callerScans && !poolFailed);
        await Promise.race([...running, woken, ...poolReady || poolFailed ? [] : [poolStarting]]);
        pool.setCallerWaiting(false);
      }
    }
  } finally {
    const p = pool;
    if (p && !poolReady) await p.close();
    if (poolStarting) await poolStarting;
    await p?.close();
  }
  if (opts.stdin) {
    const stdinName = opts.stdinName ?? "-";
    const stream = inlineEngine().openStream({ path: stdinName }, engineStats);
    const onCut = (m) => {
      truncated++;
      warn(m);
    };
    for await (const chunk of stdinChunks(opts.stdin, { onWarning: onCut, name: stdinName })) stream.write(chunk);
    for (const f of stream.end()) findings.push(f);
    progress(1);
  }
  if (inline) retained.add(inline.takeRetained());
  const unique = sortFindings(groupOccurrences(sortFindings(findings)));
  const stats = {
    files: engineStats.files,
    bytes: engineStats.bytes,
    skippedBinary: engineStats.skippedBinary,
    skippedLarge: skippedLarge + engineStats.skippedLarge,
    ...skips.symlink + engineStats.skippedSymlinks ? { skippedSymlinks: skips.symlink + engineStats.skippedSymlinks } : {},
    ...skips.special ? { skippedSpecial: skips.special } : {},
    ...engineStats.skippedArchive ? { skippedArchive: engineStats.skippedArchive } : {},
    ...truncated ? { truncated } : {},
    unreadable: engineStats.unreadable,
    failed: engineStats.failed,
    durationMs: Math.round(Number(process.hrtime.bigint() - t0) / 1e6),
    engine: engineName || inlineEngine().name
  };
  const result = { findings: unique, stats, warnings, staleBaseline: [] };
  if (policy.retainSecrets?.length) result.secrets = retained;
  return result;
}

// src/scan/progress.ts
function formatBytes2(n) {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
function formatDuration(ms) {
  const s = Math.max(0, Math.round(ms / 1e3));
  if (s < 60) return ms < 1e4 ? `${(ms / 1e3).toFixed(1)} s` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}
var num = (n) => n.toLocaleString("en-US");
function createProgress(options) {
  const now = options.now ?? (() => Number(process.hrtime.bigint()) / 1e6);
  const interval = options.intervalMs ?? 5e3;
  const unit = options.unit ?? "commits";
  const start = now();
  let lastLog = start;
  let last = { done: 0, total: 0, bytes: 0 };
  return {
    update(sample) {
      last = sample;
      const t = now();
      if (t - lastLog < interval) return;
      lastLog = t;
      const elapsed = t - start;
      const rate = sample.bytes / 1048576 / Math.max(elapsed / 1e3, 1e-3);
      const pct = sample.total > 0 ? sample.done / sample.total * 100 : 0;
      let eta = "";
      if (sample.done > 0 && sample.total > sample.done) {
        eta = `, ETA ${formatDuration(elapsed / sample.done * (sample.total - sample.done))}`;
      }
      options.log(
        `${num(sample.done)}/${num(sample.total)} ${unit} (${pct.toFixed(1)}%), ${formatBytes2(sample.bytes)}, ${rate.toFixed(1)} MiB/s${eta}`
      );
    },
    finish(extra) {
      const elapsed = now() - start;
      const rate = last.bytes / 1048576 / Math.max(elapsed / 1e3, 1e-3);
      const line = `scanned ${num(last.total)} ${last.total === 1 ? unit.replace(/s$/, "") : unit}, ${formatBytes2(last.bytes)} in ${formatDuration(elapsed)} (${rate.toFixed(1)} MiB/s)` + (extra ? `; ${extra}` : "");
      options.log(line);
      return line;
    }
  };
}

// src/scan/sources/git.ts
var GitError = class extends Error {
  args;
  exitCode;
  stderr;
  constructor(args, exitCode, stderr, message) {
    super(
      message ?? `git ${args.join(" ")} failed (exit ${exitCode}): ${stderr.trim().split("\n").slice(-3).join(" / ")}`
    );
    this.name = "GitError";
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
};
var GitRangeError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "GitRangeError";
  }
};
var GIT_ENV = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_CONFIG_NOSYSTEM: "1",
  LC_ALL: "C",
  GIT_PAGER: "cat"
};
var GIT_BASE_ARGS = ["-c", "core.quotePath=true", "-c", "diff.external=", "--no-replace-objects"];
function git(cwd, args, options = {}) {
  return new Promise((resolve5, reject) => {
    const child = (0, import_node_child_process2.execFile)(
      "git",
      [...GIT_BASE_ARGS, ...args],
      {
        cwd,
        env: { ...process.env, ...GIT_ENV },
        encoding: "buffer",
        maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024,
        windowsHide: true
      },
      (error2, stdout, stderr) => {
        const err = error2;
        const stderrText = stderr.toString("utf8");
        if (err && typeof err.code !== "number") {
          reject(new GitError(args, null, stderrText, `git ${args[0]} could not run: ${err.message}`));
          return;
        }
        const exitCode = err ? Number(err.code) : 0;
        if (exitCode !== 0 && !options.allowFailure) {
          reject(new GitError(args, exitCode, stderrText));
          return;
        }
        resolve5({ stdout, stderr: stderrText, exitCode });
      }
    );
    if (options.input !== void 0) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
async function gitText(cwd, args) {
  return (await git(cwd, args)).stdout.toString("utf8").trim();
}
async function* gitLines(cwd, args, input) {
  const child = (0, import_node_child_process2.spawn)("git", [...GIT_BASE_ARGS, ...args], {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true
  });
  const done = exitOf(child, args);
  done.catch(() => {
  });
  child.stdin.on("error", () => {
  });
  if (input !== void 0) child.stdin.end(input);
  else child.stdin.end();
  let rest;
  try {
    for await (const chunk of child.stdout) {
      let buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (; ; ) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        yield buf.subarray(start, nl);
        start = nl + 1;
      }
      rest = start < buf.length ? Buffer.from(buf.subarray(start)) : void 0;
      buf = Buffer.alloc(0);
    }
    if (rest && rest.length > 0) yield rest;
  } finally {
    if (child.exitCode === null && !child.stdout.readableEnded) child.kill();
  }
  await done;
}
function exitOf(child, args) {
  let stderr = "";
  child.stderr?.on("data", (d) => {
    if (stderr.length < 64 * 1024) stderr += d.toString("utf8");
  });
  return new Promise((resolve5, reject) => {
    child.on(
      "error",
      (err) => reject(new GitError(args, null, stderr, `git ${args[0]} could not run: ${err.message}`))
    );
    child.on("close", (code, signal) => {
      if (code === 0) resolve5();
      else reject(new GitError(args, code, stderr || (signal ? `killed by ${signal}` : "")));
    });
  });
}
function unquoteCPath(s) {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const body = s.slice(1, -1);
  const bytes = [];
  const simple = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      for (const b of Buffer.from(c, "utf8")) bytes.push(b);
      continue;
    }
    const n = body[i + 1] ?? "";
    if (/[0-7]/.test(n)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
var LOG_FORMAT = "--format=%x01%H%x00%an <%ae>%x00%aI";
function parseHeader(line) {
  if (line[0] !== 1) return void 0;
  const [commit = "", author = "", date = ""] = line.subarray(1).toString("utf8").split("\0");
  return { commit, author, date };
}
function parseRawLine(line) {
  if (!line.startsWith(":")) return void 0;
  const tab = line.indexOf("	");
  if (tab < 0) return void 0;
  let colons = 0;
  while (line[colons] === ":") colons++;
  const fields = line.slice(colons, tab).split(" ");
  const modes = fields.slice(0, colons + 1);
  const shas = fields.slice(colons + 1, 2 * colons + 2);
  const status = fields[2 * colons + 2] ?? "";
  const blob = shas[shas.length - 1];
  const mode = modes[modes.length - 1];
  if (!blob || !mode) return void 0;
  let path = line.slice(tab + 1);
  const tab2 = path.indexOf("	");
  if (tab2 >= 0) path = path.slice(tab2 + 1);
  return { blob, mode, status, path: unquoteCPath(path) };
}
var RawLogParser = class {
  #current;
  #emit;
  constructor(emit) {
    this.#emit = emit;
  }
  push(line) {
    const header = parseHeader(line);
    if (header) {
      this.end();
      this.#current = { ...header, entries: [] };
      return;
    }
    if (!this.#current || line[0] !== 58) return;
    const entry = parseRawLine(line.toString("utf8"));
    if (entry) this.#current.entries.push(entry);
  }
  end() {
    if (this.#current) this.#emit(this.#current);
    this.#current = void 0;
  }
};
var PatchParser = class {
  #emit;
  #meta = { commit: "", author: "", date: "" };
  #raw = [];
  #section = -1;
  #file;
  #inHunk = false;
  #oldLeft = 0;
  #newLeft = 0;
  #nextLine = 0;
  constructor(emit, meta) {
    this.#emit = emit;
    if (meta) this.#meta = meta;
  }
  push(line) {
    if (this.#inHunk) {
      const c2 = line[0];
      if (c2 === 43 && this.#newLeft > 0) {
        this.#file?.chunks.push(line.subarray(1));
        this.#file?.lines.push(this.#nextLine);
        this.#nextLine++;
        this.#newLeft--;
      } else if (c2 === 45 && this.#oldLeft > 0) {
        this.#oldLeft--;
      } else if (c2 === 32 && (this.#oldLeft > 0 || this.#newLeft > 0)) {
        this.#oldLeft--;
        this.#newLeft--;
        this.#nextLine++;
      } else if (c2 === 92) {
      } else {
        this.#inHunk = false;
      }
      if (this.#inHunk) {
        if (this.#oldLeft <= 0 && this.#newLeft <= 0) this.#inHunk = false;
        return;
      }
      if (c2 === 92) return;
    }
    const header = parseHeader(line);
    if (header) {
      this.#flush();
      this.#meta = header;
      this.#raw = [];
      this.#section = -1;
      return;
    }
    const c = line[0];
    if (c === 58 && this.#section < 0) {
      const entry = parseRawLine(line.toString("utf8"));
      if (entry) this.#raw.push(entry);
      return;
    }
    if (line.subarray(0, 11).toString("latin1") === "diff --git ") {
      this.#flush();
      this.#section++;
      const entry = this.#raw[this.#section];
      if (!entry) throw new Error(`git patch: section ${this.#section + 1} of ${this.#meta.commit} has no raw line`);
      this.#file = { entry, chunks: [], lines: [], binary: false };
      return;
    }
    if (!this.#file) return;
    if (c === 64 && line[1] === 64) {
      const m = /^@@@* -(\d+)(?:,(\d+))?(?: -\d+(?:,\d+)?)* \+(\d+)(?:,(\d+))? @@/.exec(line.toString("latin1"));
      if (!m) throw new Error(`git patch: cannot parse hunk header in ${this.#file.entry.path}`);
      this.#oldLeft = m[2] === void 0 ? 1 : Number(m[2]);
      this.#nextLine = Number(m[3]);
      this.#newLeft = m[4] === void 0 ? 1 : Number(m[4]);
      this.#inHunk = this.#oldLeft > 0 || this.#newLeft > 0;
      return;
    }
    if (line.subarray(0, 13).toString("latin1") === "Binary files ") this.#file.binary = true;
  }
  end() {
    this.#flush();
  }
  #flush() {
    const f = this.#file;
    this.#file = void 0;
    this.#inHunk = false;
    if (!f) return;
    if (f.chunks.length === 0 && !f.binary) return;
    const parts = [];
    const nl = Buffer.from("\n");
    for (const chunk of f.chunks) parts.push(chunk, nl);
    this.#emit({
      ...this.#meta,
      path: f.entry.path,
      blob: f.entry.blob,
      mode: f.entry.mode,
      data: Buffer.concat(parts),
      lineMap: Uint32Array.from(f.lines),
      binary: f.binary
    });
  }
};
var CatFileParser = class {
  #emit;
  #maxSize;
  #pending = Buffer.alloc(0);
  #want;
  constructor(emit, maxSize = Number.POSITIVE_INFINITY) {
    this.#emit = emit;
    this.#maxSize = maxSize;
  }
  push(chunk) {
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length) {
      const w = this.#want;
      if (w) {
        const need = w.size + 1 - w.got;
        const take = Math.min(need, buf.length - pos);
        if (w.keep) w.chunks.push(buf.subarray(pos, pos + take));
        w.got += take;
        pos += take;
        if (w.got === w.size + 1) {
          this.#want = void 0;
          const data = w.keep ? Buffer.concat(w.chunks).subarray(0, w.size) : Buffer.alloc(0);
          this.#emit({ oid: w.oid, type: w.type, data, size: w.size, ...w.keep ? {} : { skipped: true } });
        }
        continue;
      }
      const nl = buf.indexOf(10, pos);
      if (nl < 0) {
        this.#pending = Buffer.from(buf.subarray(pos));
        return;
      }
      const header = buf.subarray(pos, nl).toString("latin1");
      pos = nl + 1;
      const parts = header.split(" ");
      if (parts[1] === "missing" || parts[1] === "ambiguous") {
        this.#emit({ oid: parts[0] ?? "", missing: true });
        continue;
      }
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isSafeInteger(size))
        throw new Error(`git cat-file: unexpected header "${header}"`);
      this.#want = { oid: parts[0], type: parts[1], size, chunks: [], got: 0, keep: size <= this.#maxSize };
    }
    buf = Buffer.alloc(0);
  }
  end() {
    if (this.#want || this.#pending.length) throw new Error("git cat-file: output ended inside an object");
  }
};
function checkRef(ref) {
  if (ref.startsWith("-") || ref.includes("\0") || ref.trim() === "")
    throw new GitRangeError(`not a valid git ref: "${ref}"`);
}
async function tryResolveCommit(cwd, ref) {
  checkRef(ref);
  const r = await git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { allowFailure: true });
  if (r.exitCode === 0) return r.stdout.toString("utf8").trim();
  if (r.exitCode === 1) return void 0;
  throw new GitError(["rev-parse", "--verify", ref], r.exitCode, r.stderr);
}
async function resolveCommit(cwd, ref) {
  const sha = await tryResolveCommit(cwd, ref);
  if (!sha) throw new GitRangeError(`git cannot resolve "${ref}" to a commit in ${cwd}`);
  return sha;
}
async function isGitRepository(cwd) {
  const r = await git(cwd, ["rev-parse", "--is-inside-work-tree"], { allowFailure: true });
  return r.exitCode === 0;
}
async function isShallow(cwd) {
  return await gitText(cwd, ["rev-parse", "--is-shallow-repository"]) === "true";
}
async function hasRemote(cwd, remote) {
  const names = (await gitText(cwd, ["remote"])).split("\n");
  return names.includes(remote);
}
async function hasMergeBase(cwd, a, b) {
  const r = await git(cwd, ["merge-base", a, b], { allowFailure: true });
  if (r.exitCode === 0) return true;
  if (r.exitCode === 1) return false;
  throw new GitError(["merge-base", a, b], r.exitCode, r.stderr);
}
var FETCH_HINT = "Fetch the history the range needs: with actions/checkout set `fetch-depth: 0` (or a depth that reaches the base), or run `git fetch --unshallow` before the scan.";
async function resolveRange(opts) {
  const { root } = opts;
  const remote = opts.remote ?? "origin";
  const notice2 = opts.onNotice ?? (() => {
  });
  const headRef = opts.head ?? "HEAD";
  checkRef(headRef);
  if (opts.base) checkRef(opts.base);
  const answers = await Promise.allSettled([
    opts.fetch !== false ? hasRemote(root, remote) : Promise.resolve(false),
    isShallow(root),
    tryResolveCommit(root, headRef),
    opts.base ? tryResolveCommit(root, opts.base) : Promise.resolve(void 0)
  ]);
  for (const a of answers) if (a.status === "rejected") throw a.reason;
  const [canFetch, shallow, headFirst, baseFirst] = answers.map(
    (a) => a.value
  );
  let fetched = false;
  const fetchCommit = async (ref) => {
    if (!canFetch) return;
    if (!/^[0-9a-f]{7,64}$/i.test(ref) && !ref.startsWith("refs/")) return;
    fetched = true;
    notice2(`fetching ${ref.slice(0, 40)} from ${remote}`);
    const args = ["fetch", "--no-tags", "--quiet", ...shallow ? ["--depth=1"] : [], remote, ref];
    await git(root, args, { allowFailure: true });
  };
  const missing = (ref, what, why) => /^[0-9a-f]{7,64}$/i.test(ref) ? `the ${what} commit ${ref} is not in this clone${canFetch ? ` and could not be fetched from ${remote}` : ""}${why}. ${FETCH_HINT}` : `git cannot resolve the ${what} "${ref}" to a commit: check the name (a branch that was not fetched is ${remote}/<branch> after \`git fetch ${remote} <branch>\`). ${FETCH_HINT}`;
  const need = async (ref, what, first) => {
    let sha = first ?? (fetched ? await tryResolveCommit(root, ref) : void 0);
    if (!sha) {
      await fetchCommit(ref);
      sha = await tryResolveCommit(root, ref);
    }
    if (!sha && what === "head") throw new GitRangeError(missing(ref, what, ""));
    return sha;
  };
  const head = await need(headRef, "head", headFirst);
  let base;
  let exclude = [];
  if (opts.base) {
    base = await need(opts.base, "base", baseFirst);
    if (!base) {
      const fallback = await resolveExcludes(root, opts.fallbackExclude ?? []);
      if (fallback.length === 0) {
        throw new GitRangeError(missing(opts.base, "base", ", so git cannot tell which commits are new"));
      }
      notice2(
        `base ${opts.base.slice(0, 12)} is gone (force-push?): scanning the commits not on ${opts.fallbackExclude?.join(" / ")}`
      );
      exclude = fallback;
    }
  }
  if (opts.exclude) {
    exclude = await resolveExcludes(root, opts.exclude);
    if (exclude.length === 0 && canFetch) {
      for (const ref of opts.exclude) {
        const m = /^refs\/(?:remotes\/[^/]+|heads)\/(.+)$/.exec(ref);
        if (!m) continue;
        notice2(`fetching ${m[1]} from ${remote}`);
        fetched = true;
        await git(
          root,
          [
            "fetch",
            "--no-tags",
            "--quiet",
            ...shallow ? ["--depth=1"] : [],
            remote,
            `+refs/heads/${m[1]}:refs/remotes/${remote}/${m[1]}`
          ],
          { allowFailure: true }
        );
        break;
      }
      exclude = await resolveExcludes(root, opts.exclude);
    }
    if (exclude.length === 0) {
      throw new GitRangeError(
        `cannot find ${opts.exclude.join(" or ")} to tell which commits of the new branch are new. ${FETCH_HINT}`
      );
    }
  }
  const others = base ? [base] : exclude;
  if (others.length > 0 && (fetched ? await isShallow(root) : shallow)) {
    let depth = 50;
    for (let round = 0; ; round++) {
      let connected = true;
      for (const o of others) if (!await hasMergeBase(root, o, head)) connected = false;
      if (connected || !await isShallow(root)) break;
      if (!canFetch || round >= 6) {
        throw new GitRangeError(
          `this is a shallow clone and the history between ${(base ?? exclude[0] ?? "").slice(0, 12)} and ${head.slice(0, 12)} is not in it${canFetch ? ` even after deepening it from ${remote}` : ""}. ${FETCH_HINT}`
        );
      }
      notice2(`shallow clone: fetching ${depth} more commits of history from ${remote}`);
      const r = await git(root, ["fetch", "--no-tags", "--quiet", `--deepen=${depth}`, remote, head, ...others], {
        allowFailure: true
      });
      if (r.exitCode !== 0) {
        await git(root, ["fetch", "--no-tags", "--quiet", `--deepen=${depth}`, remote]);
      }
      depth *= 4;
    }
  }
  const revs = [head, ...base ? [`^${base}`] : [], ...exclude.map((e) => `^${e}`)];
  return { head, revs, ...base ? { base } : {} };
}
async function resolveExcludes(root, refs) {
  const out = [];
  for (const ref of refs) {
    const sha = await tryResolveCommit(root, ref);
    if (sha && !out.includes(sha)) out.push(sha);
  }
  return out;
}
async function ensureFullHistory(root, remote, fetch, notice2) {
  if (!await isShallow(root)) return;
  if (!fetch || !await hasRemote(root, remote)) {
    throw new GitRangeError(`history mode needs the whole history, but this is a shallow clone. ${FETCH_HINT}`);
  }
  notice2(`shallow clone: fetching the full history from ${remote} for the history scan`);
  try {
    await git(root, ["fetch", "--quiet", "--unshallow", "--tags", remote]);
  } catch (err) {
    throw new GitRangeError(
      `history mode needs the whole history, and fetching it failed (${err.message}). ${FETCH_HINT}`
    );
  }
}
async function openGitSource(opts) {
  const { root } = opts;
  const notice2 = opts.onNotice ?? (() => {
  });
  const warn = opts.onWarning ?? (() => {
  });
  const remote = opts.remote ?? "origin";
  const ranged = opts.mode === "diff" || Boolean(opts.base) || Boolean(opts.exclude);
  const [repository, resolving] = await Promise.allSettled([
    isGitRepository(root),
    ranged ? resolveRange(opts) : Promise.resolve(void 0)
  ]);
  if (repository.status === "rejected") throw repository.reason;
  if (!repository.value) throw new GitRangeError(`${root} is not a git repository (mode ${opts.mode} needs one)`);
  const maxFileSize = opts.maxFileSize ?? 10 * 1024 * 1024;
  const stats = {
    commits: 0,
    commitsSkipped: 0,
    items: 0,
    duplicateBlobs: 0,
    bytes: 0,
    skippedLarge: 0,
    missing: 0
  };
  let range;
  let commits;
  if (ranged) {
    if (resolving.status === "rejected") throw resolving.reason;
    range = resolving.value;
    commits = await revList(root, range.revs);
  } else {
    await ensureFullHistory(root, remote, opts.fetch !== false, notice2);
    const refs = opts.head ? [await resolveCommit(root, opts.head)] : ["--all"];
    commits = await revList(root, refs);
  }
  const skip = opts.skipCommits;
  const todo = skip ? commits.filter((c) => !skip.has(c)) : commits;
  stats.commits = commits.length;
  stats.commitsSkipped = commits.length - todo.length;
  const order = /* @__PURE__ */ new Map();
  for (const [i, c] of commits.entries()) order.set(c, i);
  const progress = (done) => opts.onProgress?.({ commitsDone: done, commitsTotal: todo.length, bytes: stats.bytes });
  const items = opts.mode === "diff" ? diffItems(root, todo, stats, maxFileSize, warn, progress) : historyItems(root, todo, stats, maxFileSize, warn, progress);
  return {
    mode: opts.mode,
    ...range ? { range } : {},
    commits,
    items,
    stats,
    finish: (findings) => firstOccurrences(findings, order)
  };
}
async function revList(root, revs) {
  const options = revs.filter((r) => r.startsWith("--"));
  const ids = revs.filter((r) => !r.startsWith("--"));
  const out = await git(root, ["rev-list", "--reverse", "--topo-order", ...options, "--stdin"], {
    input: `${ids.join("\n")}
`
  });
  const text = out.stdout.toString("latin1").trim();
  return text === "" ? [] : text.split("\n");
}
function firstOccurrences(findings, order) {
  const rank2 = (l) => l.commit !== void 0 ? order.get(l.commit) ?? Number.MAX_SAFE_INTEGER : -1;
  return sortFindings(groupOccurrences(findings, rank2));
}
function parseHunks(diff) {
  const out = [];
  const text = typeof diff === "string" ? diff : diff.toString("latin1");
  for (const m of text.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    out.push({
      oldStart: Number(m[1]),
      oldCount: m[2] === void 0 ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newCount: m[4] === void 0 ? 1 : Number(m[4])
    });
  }
  return out;
}
function mapLine(line, hunks) {
  let shift = 0;
  for (const h of hunks) {
    if (h.oldCount === 0) {
      if (h.oldStart < line) shift += h.newCount;
      continue;
    }
    const end = h.oldStart + h.oldCount - 1;
    if (line > end) shift += h.newCount - h.oldCount;
    else if (line >= h.oldStart) return void 0;
  }
  return line + shift;
}
async function relocateToHead(root, head, findings) {
  const groups = /* @__PURE__ */ new Map();
  for (const f of findings.flatMap((x) => [x, ...x.locations ?? []])) {
    if (!f.commit || f.commit === head || f.file.includes("!")) continue;
    const key = `${f.commit}\0${f.file}`;
    groups.set(key, [...groups.get(key) ?? [], f]);
  }
  for (const [key, list] of groups) {
    const [commit = "", file = ""] = key.split("\0");
    const r = await git(root, [
      "diff",
      "-U0",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--no-renames",
      commit,
      head,
      "--",
      file
    ]);
    const hunks = parseHunks(r.stdout);
    for (const f of list) {
      const moved = mapLine(f.line, hunks);
      if (moved === void 0) continue;
      const d = moved - f.line;
      f.line += d;
      f.endLine += d;
    }
  }
}
function scannable(mode) {
  return mode === "100644" || mode === "100755" || mode === "100664";
}
async function* diffItems(root, commits, stats, maxFileSize, warn, progress) {
  if (commits.length === 0) return;
  const args = [
    "log",
    "--no-walk=unsorted",
    "--stdin",
    LOG_FORMAT,
    "-p",
    "--raw",
    "--no-abbrev",
    "-U0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--diff-filter=AM",
    "--root",
    "--submodule=short"
  ];
  const queue = [];
  const binaries = [];
  const parser = new PatchParser((a) => queue.push(a));
  let done = 0;
  let last = "";
  function* drain() {
    while (queue.length) {
      const a = queue.shift();
      if (!scannable(a.mode)) continue;
      if (a.binary) {
        binaries.push(a);
        continue;
      }
      stats.items++;
      stats.bytes += a.data.length;
      yield {
        path: a.path,
        source: { kind: "bytes", data: a.data },
        lineMap: a.lineMap,
        commit: a.commit,
        author: a.author,
        date: a.date
      };
    }
  }
  for await (const line of gitLines(root, args, `${commits.join("\n")}
`)) {
    parser.push(line);
    if (line[0] === 1) {
      if (last) progress(++done);
      last = "x";
    }
    yield* drain();
  }
  parser.end();
  yield* drain();
  progress(commits.length);
  if (binaries.length) {
    const byBlob = /* @__PURE__ */ new Map();
    for (const b of binaries) byBlob.set(b.blob, [...byBlob.get(b.blob) ?? [], b]);
    for await (const rec of catFile(root, [...byBlob.keys()], maxFileSize)) {
      const users = byBlob.get(rec.oid) ?? [];
      if ("missing" in rec) {
        stats.missing++;
        warn(`git object ${rec.oid} (${users[0]?.path}) is missing from this clone: not scanned`);
        continue;
      }
      if (rec.skipped) {
        stats.skippedLarge++;
        continue;
      }
      const b = users[0];
      stats.items++;
      stats.bytes += rec.data.length;
      yield {
        path: b.path,
        source: { kind: "bytes", data: rec.data },
        commit: b.commit,
        author: b.author,
        date: b.date
      };
    }
  }
}
async function* historyItems(root, commits, stats, maxFileSize, warn, progress) {
  if (commits.length === 0) return;
  const first = /* @__PURE__ */ new Map();
  const parser = new RawLogParser((c) => {
    for (const e of c.entries) {
      if (!scannable(e.mode) || e.status.includes("D")) continue;
      if (first.has(e.blob)) {
        stats.duplicateBlobs++;
        continue;
      }
      first.set(e.blob, { path: e.path, commit: c.commit, author: c.author, date: c.date });
    }
  });
  const args = [
    "log",
    "--no-walk=unsorted",
    "--stdin",
    LOG_FORMAT,
    "--raw",
    "-c",
    "--no-abbrev",
    "--no-renames",
    "--root"
  ];
  for await (const line of gitLines(root, args, `${commits.join("\n")}
`)) parser.push(line);
  parser.end();
  const position = /* @__PURE__ */ new Map();
  for (const [i, c] of commits.entries()) position.set(c, i + 1);
  let lastProgress = 0;
  for await (const rec of catFile(root, [...first.keys()], maxFileSize)) {
    const where = first.get(rec.oid);
    if (!where) continue;
    const done = position.get(where.commit) ?? 0;
    if (done !== lastProgress) {
      lastProgress = done;
      progress(done);
    }
    if ("missing" in rec) {
      stats.missing++;
      warn(`git object ${rec.oid} (${where.path} in ${where.commit.slice(0, 12)}) is missing: not scanned`);
      continue;
    }
    if (rec.skipped) {
      stats.skippedLarge++;
      continue;
    }
    stats.items++;
    stats.bytes += rec.data.length;
    yield {
      path: where.path,
      source: { kind: "bytes", data: rec.data },
      commit: where.commit,
      author: where.author,
      date: where.date
    };
  }
  progress(commits.length);
}
async function* catFile(root, oids, maxSize = Number.POSITIVE_INFINITY) {
  if (oids.length === 0) return;
  const args = ["cat-file", "--batch"];
  const child = (0, import_node_child_process2.spawn)("git", [...GIT_BASE_ARGS, ...args], {
    cwd: root,
    env: { ...process.env, ...GIT_ENV },
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true
  });
  const done = exitOf(child, args);
  done.catch(() => {
  });
  child.stdin.on("error", () => {
  });
  void (async () => {
    const step = 2048;
    for (let i = 0; i < oids.length; i += step) {
      const ok = child.stdin.write(`${oids.slice(i, i + step).join("\n")}
`);
      if (!ok) await new Promise((r) => child.stdin.once("drain", () => r()));
      if (child.stdin.destroyed) return;
    }
    child.stdin.end();
  })();
  const out = [];
  const parser = new CatFileParser((r) => out.push(r), maxSize);
  try {
    for await (const chunk of child.stdout) {
      parser.push(chunk);
      while (out.length) yield out.shift();
    }
    parser.end();
  } finally {
    if (child.exitCode === null && !child.stdout.readableEnded) child.kill();
  }
  await done;
}
async function scanGit(opts) {
  const log = opts.onProgressLine ?? (() => {
  });
  const progress = createProgress({
    log,
    ...opts.progressIntervalMs !== void 0 ? { intervalMs: opts.progressIntervalMs } : {}
  });
  const source = await openGitSource({
    ...opts,
    onProgress: (p) => progress.update({ done: p.commitsDone, total: p.commitsTotal, bytes: p.bytes })
  });
  const result = await scan({
    root: opts.root,
    items: source.items,
    policy: opts.policy,
    ...opts.threads !== void 0 ? { threads: opts.threads } : {},
    ...opts.onWarning ? { onWarning: opts.onWarning } : {}
  });
  const st = source.stats;
  const extra = [
    st.commitsSkipped > 0 ? `${st.commitsSkipped.toLocaleString("en-US")} commits already scanned (cache)` : "",
    st.duplicateBlobs > 0 ? `${st.duplicateBlobs.toLocaleString("en-US")} repeated blobs skipped` : "",
    st.skippedLarge > 0 ? `${st.skippedLarge} too large` : "",
    st.missing > 0 ? `${st.missing} missing objects` : ""
  ].filter(Boolean);
  const summary2 = progress.finish(extra.join(", ") || void 0);
  const findings = source.finish(result.findings);
  if (source.mode === "diff" && source.range) await relocateToHead(opts.root, source.range.head, findings);
  if (st.missing > 0) result.stats.missingObjects = st.missing;
  return {
    ...result,
    findings,
    git: {
      mode: source.mode,
      commits: source.commits,
      ...source.range ? { range: source.range } : {},
      stats: st,
      summary: summary2
    }
  };
}

// src/scan/config-source.ts
var ConfigSourceError = class extends Error {
  name = "ConfigSourceError";
};
function nameFor(cwd, abs) {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}
function exists(abs) {
  try {
    (0, import_node_fs9.lstatSync)(abs);
    return true;
  } catch {
    return false;
  }
}
function worktreeSource(cwd) {
  const files = [];
  return {
    describe: "working tree",
    files,
    async read(abs, limits) {
      if (!exists(abs)) return void 0;
      const bytes = readRegularFile(abs, limits);
      files.push({ name: nameFor(cwd, abs), origin: "working tree", changed: false });
      return bytes;
    }
  };
}
var REGULAR_MODES = /* @__PURE__ */ new Set(["100644", "100755"]);
async function baseSource(opts) {
  const { root, cwd, base } = opts;
  const short2 = base.slice(0, 12);
  const [repository, resolved] = await Promise.allSettled([isGitRepository(root), tryResolveCommit(root, base)]);
  if (repository.status === "rejected") throw repository.reason;
  if (!repository.value) {
    throw new ConfigSourceError(
      `${displayPath(root)} is not a git repository, so the scan config cannot be read from the base commit ${short2} (config-from: base)`
    );
  }
  if (resolved.status === "rejected") throw resolved.reason;
  if (!resolved.value) {
    const remotes = (await git(root, ["remote"], { allowFailure: true })).stdout.toString("utf8").split("\n");
    if (remotes.includes("origin")) {
      opts.onNotice?.(`fetching the base commit ${short2} to read the trusted config`);
      await git(root, ["fetch", "--no-tags", "--quiet", "--depth=1", "origin", base], { allowFailure: true });
    }
    if (!await tryResolveCommit(root, base)) {
      throw new ConfigSourceError(
        `the base commit ${short2} is not in this clone and could not be fetched, so the scan config cannot be read from it (config-from: base). Check out with \`fetch-depth: 0\`, or fetch the base before the scan.`
      );
    }
  }
  const files = [];
  const tops = /* @__PURE__ */ new Map();
  const topOf = (dir) => {
    let top = tops.get(dir);
    if (!top) {
      top = git(dir, ["rev-parse", "--show-toplevel"], { allowFailure: true }).then(
        (r) => r.exitCode === 0 ? r.stdout.toString("utf8").trim() : void 0
      );
      tops.set(dir, top);
    }
    return top;
  };
  const worktreeBytes = (abs, limits) => {
    if (!exists(abs)) return void 0;
    try {
      return readRegularFile(abs, limits);
    } catch {
      return Buffer.from([]);
    }
  };
  return {
    describe: `base commit ${short2} (config-from: base)`,
    base,
    files,
    async read(abs, limits, readOpts) {
      const name2 = nameFor(cwd, abs);
      const asGiven = async () => {
        if (!exists(abs)) return void 0;
        const bytes2 = readRegularFile(abs, limits);
        files.push({ name: name2, origin: "as given (not tracked)", changed: false });
        return bytes2;
      };
      if (readOpts?.asGiven) return asGiven();
      const dir = dirname5(abs);
      const file = basename(abs);
      if (!(0, import_node_fs9.existsSync)(dir)) return void 0;
      const top = await topOf(dir);
      if (top === void 0 || top !== await topOf(root)) return asGiven();
      const entry = await git(dir, ["--literal-pathspecs", "ls-tree", "-z", base, "--", file], { allowFailure: true });
      if (entry.exitCode !== 0) throw new ConfigSourceError(`${displayPath(name2)}: git cannot list it at ${short2}`);
      const line = entry.stdout.toString("utf8").split("\0")[0] ?? "";
      const m = /^(\d{6}) (\w+) ([0-9a-f]{40,64})\t/.exec(line);
      if (!m) {
        if (!exists(abs)) return void 0;
        const tracked = await git(dir, ["--literal-pathspecs", "ls-files", "-z", "--", file], { allowFailure: true });
        if (tracked.stdout.length === 0) return asGiven();
        files.push({ name: name2, origin: `absent at base ${short2}: the pull request's copy is not used`, changed: true });
        return void 0;
      }
      const [, mode, type, oid] = m;
      if (type !== "blob" || !REGULAR_MODES.has(mode)) {
        const what = type === "tree" ? "a directory" : mode === "120000" ? "a symbolic link" : `a ${type}`;
        throw new FileReadError(
          `${limits.what} ${displayPath(name2)} is ${what} at ${short2}, not a regular file`,
          "ENOTREG"
        );
      }
      const size = Number((await git(root, ["cat-file", "-s", oid])).stdout.toString("utf8").trim());
      if (!(size <= limits.maxBytes)) {
        throw new FileReadError(`${limits.what} ${displayPath(name2)} at ${short2} is larger than the limit`, "EFBIG");
      }
      const bytes = (await git(root, ["cat-file", "blob", oid], { maxBuffer: limits.maxBytes + 1 })).stdout;
      const current = worktreeBytes(abs, limits);
      files.push({ name: name2, origin: `base ${short2}`, changed: current === void 0 || !current.equals(bytes) });
      return bytes;
    }
  };
}
function configText(bytes) {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 65279 ? text.slice(1) : text;
}

// src/scan/baseline.ts
var BaselineError = class extends Error {
  name = "BaselineError";
};
var FINGERPRINT = /^[0-9a-f]{64}$/;
function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${excerpt(v)}`;
  return `${typeof v} ${String(v).length <= 4 ? String(v) : excerpt(String(v))}`;
}
function parseBaseline(text, path) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const at = /line \d+ column \d+|position \d+/.exec(e.message)?.[0];
    throw new BaselineError(
      `baseline ${path}: not valid JSON${at ? ` (at ${at})` : ""}; expected a report written by \`jit-gpg scan --format json\``
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new BaselineError(`baseline ${path}: expected a JSON object (a jit-gpg JSON report), got ${describe(doc)}`);
  }
  const obj = doc;
  if ("runs" in obj && !("findings" in obj)) {
    throw new BaselineError(
      `baseline ${path}: this is a SARIF file; a baseline is the JSON report (\`jit-gpg scan --format json\`, or the action's \`report\` output)`
    );
  }
  const entries = /* @__PURE__ */ new Map();
  for (const key of ["findings", "baselined"]) {
    const list = obj[key];
    if (list === void 0 && key === "baselined") continue;
    if (!Array.isArray(list)) {
      throw new BaselineError(
        `baseline ${path}: \`${key}\` must be an array of findings, got ${list === void 0 ? "nothing" : describe(list)}`
      );
    }
    list.forEach((item, i) => {
      const where = `baseline ${path}: ${key}[${i}]`;
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw new BaselineError(`${where}: expected a finding object, got ${describe(item)}`);
      }
      const f = item;
      if (typeof f.fingerprint !== "string" || !FINGERPRINT.test(f.fingerprint)) {
        throw new BaselineError(
          `${where}.fingerprint: expected 64 lowercase hex characters (sha256), got ${describe(f.fingerprint)}`
        );
      }
      if (typeof f.ruleId !== "string" || f.ruleId === "") {
        throw new BaselineError(`${where}.ruleId: expected a rule id string, got ${describe(f.ruleId)}`);
      }
      if (!entries.has(f.fingerprint)) {
        const entry = { fingerprint: f.fingerprint, ruleId: f.ruleId };
        if (typeof f.file === "string") entry.file = f.file;
        if (typeof f.line === "number") entry.line = f.line;
        entries.set(f.fingerprint, entry);
      }
    });
  }
  return { path, entries };
}
var MAX_BASELINE_BYTES = 64 * 1024 * 1024;
async function loadBaseline(path, opts = {}) {
  const source = opts.source ?? worktreeSource(process.cwd());
  const name2 = displayPath(opts.name ?? path);
  let bytes;
  try {
    bytes = await source.read(
      path,
      { maxBytes: MAX_BASELINE_BYTES, what: "baseline" },
      { asGiven: opts.asGiven ?? false }
    );
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new BaselineError(e.message);
    throw e;
  }
  if (bytes === void 0) {
    const addedByPr = source.files.some((f) => f.origin.startsWith("absent at base"));
    throw new BaselineError(
      addedByPr ? `baseline ${name2}: not in the base commit (the pull request adds it, and its copy is not trusted); merge it first, or pass a baseline from outside the repository` : `baseline ${name2}: file not found; pass a JSON report written by an earlier scan`
    );
  }
  return parseBaseline(configText(bytes), name2);
}
function applyBaseline(findings, baseline) {
  if (!baseline) return { findings: [...findings], accepted: [], stale: [] };
  const seen = /* @__PURE__ */ new Set();
  const out = { findings: [], accepted: [], stale: [] };
  for (const f of findings) {
    if (baseline.entries.has(f.fingerprint)) {
      out.accepted.push(f);
      seen.add(f.fingerprint);
    } else {
      out.findings.push(f);
    }
  }
  for (const entry of baseline.entries.values()) {
    if (!seen.has(entry.fingerprint)) out.stale.push({ ...entry });
  }
  return out;
}

// src/scan/config.ts
import { isAbsolute as isAbsolute2, join as join3, relative as relative2, resolve as resolve2 } from "node:path";

// node_modules/smol-toml/dist/error.js
function getLineColFromPtr(string, ptr) {
  let lines = string.slice(0, ptr).split(/\r?\n/);
  return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string, line, column) {
  let lines = string.split(/\r?\n/);
  let codeblock = "";
  let numberLen = (Math.log10(line + 1) | 0) + 1;
  for (let i = line - 1; i <= line + 1; i++) {
    let l = lines[i - 1];
    if (!l)
      continue;
    codeblock += i.toString().padEnd(numberLen, " ");
    codeblock += ":  ";
    codeblock += l;
    codeblock += "\n";
    if (i === line) {
      codeblock += " ".repeat(numberLen + column + 2);
      codeblock += "^\n";
    }
  }
  return codeblock;
}
var TomlError = class _TomlError extends Error {
  line;
  column;
  codeblock;
  constructor(message, options) {
    const [line, column] = getLineColFromPtr(options.toml, options.ptr);
    const codeblock = makeCodeBlock(options.toml, line, column);
    super(`Invalid TOML document: ${message}

${codeblock}`, options);
    this.line = line;
    this.column = column;
    this.codeblock = codeblock;
  }
  /** @internal */
  static x(message, ctx, ptr) {
    throw new _TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
  }
};

// node_modules/smol-toml/dist/primitive.js
function parseString(ctx) {
  let startPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p++);
  let first = c;
  let isLiteral = c === 39;
  let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
  if (isMultiline) {
    if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 10)
      ctx.p++;
    else if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)
      ctx.p += 2;
  }
  let parsed = "";
  let sliceStart = ctx.p;
  let state = 0;
  for (; ctx.p < ctx.s.length; ctx.p++) {
    c = ctx.s.charCodeAt(ctx.p);
    if (isMultiline && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)) {
      state = state && 3;
    } else if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in strings", ctx);
    } else if ((!state || state === 3) && c === first && (!isMultiline || ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first)) {
      if (isMultiline) {
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
      }
      if (!state) {
        let s = ctx.s.slice(sliceStart, ctx.p);
        parsed = parsed ? parsed + s : s;
      }
      ctx.p += isMultiline ? 3 : 1;
      return parsed;
    } else if (!state) {
      if (!isLiteral && c === 92) {
        parsed += ctx.s.slice(sliceStart, sliceStart = ctx.p);
        state = 1;
      }
    } else if (state === 1) {
      if (c === 120 || c === 117 || c === 85) {
        let errPtr = ctx.p++ - 1;
        let value = 0;
        let len = c === 120 ? 2 : c === 117 ? 4 : 8;
        for (let j = 0; j < len; j++, ctx.p++) {
          let hex2 = ctx.s.charCodeAt(ctx.p);
          let digit = (
            /* 0-9 */
            hex2 >= 48 && hex2 <= 57 ? hex2 - 48 : (
              /* A-F */
              hex2 >= 65 && hex2 <= 70 ? hex2 - 65 + 10 : (
                /* a-f */
                hex2 >= 97 && hex2 <= 102 ? hex2 - 97 + 10 : -1
              )
            )
          );
          if (digit < 0)
            TomlError.x("invalid non-hex character in unicode escape", ctx);
          value = value << 4 | digit;
        }
        if (value < 0 || value > 1114111 || value >= 55296 && value <= 57343) {
          TomlError.x("invalid unicode escape", ctx, errPtr);
        }
        parsed += String.fromCodePoint(value);
        sliceStart = ctx.p--;
        state = 0;
      } else if (isMultiline && (c === 32 || c === 9)) {
        state = 2;
      } else {
        if (c === 98)
          parsed += "\b";
        else if (c === 116)
          parsed += "	";
        else if (c === 110)
          parsed += "\n";
        else if (c === 102)
          parsed += "\f";
        else if (c === 114)
          parsed += "\r";
        else if (c === 101)
          parsed += "\x1B";
        else if (c === 34)
          parsed += '"';
        else if (c === 92)
          parsed += "\\";
        else
          TomlError.x("unrecognised escape sequence", ctx);
        sliceStart = ctx.p + 1;
        state = 0;
      }
    } else if (c !== 32 && c !== 9) {
      if (state === 2)
        TomlError.x("invalid escape: only line-ending whitespace may be escaped", ctx, sliceStart);
      state = !isLiteral && c === 92 ? 1 : 0;
      sliceStart = ctx.p;
    }
  }
  TomlError.x("unfinished string", ctx, startPtr);
}

// node_modules/smol-toml/dist/date.js
var DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
var TomlDate = class _TomlDate extends Date {
  #hasDate = false;
  #hasTime = false;
  #offset = null;
  constructor(date, fasttype, unsafeDelim) {
    let hasDate = true;
    let hasTime = true;
    let offset = "Z";
    let c;
    if (typeof date === "string") {
      if (fasttype)
        prep: {
          if (fasttype < 3) {
            if (+date.slice(11, 13) > 23) {
              date = "";
              break prep;
            }
            if (fasttype === 2) {
              offset = null;
              date += "Z";
            } else if ((c = date.charCodeAt(date.length - 1)) !== 90 && c !== 122) {
              offset = date.slice(date.length - 6);
            }
            if (unsafeDelim)
              date = date.slice(0, 10) + "T" + date.slice(11);
          } else if (fasttype === 4) {
            date = +date.slice(0, 2) > 23 ? "" : `0000-01-01T${date}Z`;
          }
          hasDate = fasttype !== 4;
          hasTime = fasttype !== 3;
        }
      else {
        let match = date.match(DATE_TIME_RE);
        if (match) {
          if (!match[1]) {
            hasDate = false;
            date = `0000-01-01T${date}`;
          }
          hasTime = !!match[2];
          hasTime && date[10] === " " && (date = date.replace(" ", "T"));
          if (match[2] && +match[2] > 23) {
            date = "";
          } else {
            offset = match[3] || null;
            if (!offset && hasTime)
              date += "Z";
          }
        } else {
          date = "";
        }
      }
    }
    super(date);
    if (!isNaN(this.getTime())) {
      this.#hasDate = hasDate;
      this.#hasTime = hasTime;
      this.#offset = offset;
    }
  }
  isDateTime() {
    return this.#hasDate && this.#hasTime;
  }
  isLocal() {
    return !this.#hasDate || !this.#hasTime || !this.#offset;
  }
  isDate() {
    return this.#hasDate && !this.#hasTime;
  }
  isTime() {
    return this.#hasTime && !this.#hasDate;
  }
  isValid() {
    return this.#hasDate || this.#hasTime;
  }
  toISOString() {
    let iso = super.toISOString();
    if (this.isDate())
      return iso.slice(0, 10);
    if (this.isTime())
      return iso.slice(11, 23);
    if (this.#offset === null)
      return iso.slice(0, -1);
    if (this.#offset === "Z" || this.#offset === "z")
      return iso;
    let offset = +this.#offset.slice(1, 3) * 60 + +this.#offset.slice(4, 6);
    offset = this.#offset[0] === "-" ? offset : -offset;
    let offsetDate = new Date(this.getTime() - offset * 6e4);
    return offsetDate.toISOString().slice(0, -1) + this.#offset;
  }
  static wrapAsOffsetDateTime(jsDate, offset = "Z") {
    let date = new _TomlDate(jsDate);
    date.#offset = offset;
    return date;
  }
  static wrapAsLocalDateTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#offset = null;
    return date;
  }
  static wrapAsLocalDate(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasTime = false;
    date.#offset = null;
    return date;
  }
  static wrapAsLocalTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasDate = false;
    date.#offset = null;
    return date;
  }
};

// node_modules/smol-toml/dist/extract.js
function isDigit(char, base = 10) {
  return base === 16 ? char > 47 && char < 58 || char > 64 && char < 71 || char > 96 && char < 103 : char > 47 && char < 48 + base;
}
function isEndOfValue(char, delim) {
  return char === 32 || char === 9 || char === 10 || char === 13 || // Structure end or next value delimiter
  delim && (char === delim || char === 44) || // Comment
  char === 35;
}
function extractValue(ctx, end) {
  let errPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p);
  if (c === 91 || c === 123) {
    ctx.d-- || TomlError.x("document contains excessively nested structures. aborting.", ctx);
    let value = c === 91 ? parseArray(ctx) : parseInlineTable(ctx);
    ctx.d++;
    return value;
  }
  if (c === 34 || c === 39) {
    return parseString(ctx);
  }
  if (c === 116) {
    if (ctx.s.charCodeAt(++ctx.p) !== 114 || ctx.s.charCodeAt(++ctx.p) !== 117 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, true;
  }
  if (c === 102) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 108 || ctx.s.charCodeAt(++ctx.p) !== 115 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, false;
  }
  if (c === 43 || c === 45) {
    return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 44 - c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 4) === 45 && ctx.s.charCodeAt(ctx.p + 7) === 45) {
    return parseDate(ctx, c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 2) === 58) {
    return parseTime(ctx, c, end);
  }
  return parseNumber(ctx, ctx.p, c, 0, end);
}
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
  let c = startChr;
  let state = 0;
  let hasUnderscores = false;
  if (c === 105) {
    if (ctx.s.charCodeAt(++ctx.p) !== 110 || ctx.s.charCodeAt(++ctx.p) !== 102)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, (sign || 1) / 0;
  }
  if (c === 110) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 110)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, NaN;
  }
  if (c === 48) {
    if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
      return ctx.bi === true ? 0n : 0;
    if (!sign) {
      if (c === 120)
        return parseIntegerBaseN(ctx, startPtr, 16, endChr);
      else if (c === 98)
        return parseIntegerBaseN(ctx, startPtr, 2, endChr);
      else if (c === 111)
        return parseIntegerBaseN(ctx, startPtr, 8, endChr);
    }
    if (c === 46)
      state = 2;
    else if (c === 101 || c === 69)
      state = 4;
    else
      TomlError.x("illegal leading zero", ctx, startPtr);
  } else if (!isDigit(c))
    TomlError.x("invalid value", ctx, startPtr);
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (!state)
      state = 1;
    if (c === 95) {
      if (!(state & 1))
        TomlError.x("illegal underscore", ctx);
      state += 11;
      hasUnderscores = true;
    } else if (state === 1 && c === 46)
      state = 2;
    else if ((state === 1 || state === 3) && (c === 101 || c === 69))
      state = 4;
    else if (state === 4 && (c === 43 || c === 45)) {
      state = 6;
    } else if (!isDigit(c))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (state > 9)
      state -= 11;
    else if (!(state & 1))
      state++;
  }
  if (!state) {
    let val = (startChr - 48) * (sign || 1);
    return ctx.bi === true ? BigInt(val) : val;
  }
  if (!(state & 1))
    TomlError.x("unfinished numeric value", ctx, startPtr);
  let str3 = ctx.s.slice(startPtr, ctx.p);
  if (hasUnderscores)
    str3 = str3.replaceAll("_", "");
  return state > 1 ? parseFloat(str3) : parseInteger(ctx, str3, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
  let c, underscore = 1;
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (c === 95) {
      if (underscore & 1)
        TomlError.x("illegal underscore", ctx);
      underscore = 3;
    } else if (!isDigit(c, base))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (underscore & 1)
      underscore--;
  }
  if (underscore & 1)
    TomlError.x("unfinished numeric value", ctx);
  let str3 = ctx.s.slice(startPtr + 2, ctx.p);
  if (underscore)
    str3 = str3.replaceAll("_", "");
  return parseInteger(ctx, str3, base, startPtr);
}
function parseInteger(ctx, str3, base, startPtr) {
  if (ctx.bi !== true)
    int: {
      let val = parseInt(str3, base);
      if (!Number.isSafeInteger(val)) {
        if (ctx.bi)
          break int;
        TomlError.x("integer value cannot be represented losslessly", ctx, startPtr);
      }
      return val;
    }
  return base === 10 ? BigInt(str3) : BigInt((base === 2 ? "0b" : base === 8 ? "0o" : "0x") + str3);
}
function parseDate(ctx, c, endChr) {
  let startPtr = ctx.p++, unsafeSeparator;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++))) {
    return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
  }
  ctx.p += 5;
  if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
    TomlError.x("invalid date-time: date part is malformed", ctx, startPtr);
  if (ctx.p >= ctx.s.length || ((c = ctx.s.charCodeAt(ctx.p)) !== 32 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 84 && c !== 116) {
    let t2 = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t2, 3, false, startPtr);
  }
  if (ctx.s.charCodeAt(ctx.p += 3) !== 58)
    TomlError.x("invalid date-time: time part is malformed", ctx, startPtr);
  if (ctx.s.charCodeAt(ctx.p += 3) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  if (c = ctx.s.charCodeAt(ctx.p)) {
    if (c === 90 || c === 122) {
      let t2 = ctx.s.slice(startPtr, ++ctx.p);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, "[+00:00]");
    }
    if (c === 43 || c === 45) {
      let t2 = ctx.s.slice(startPtr, ctx.p += 6);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, !ctx.ld && "[" + ctx.s.slice(ctx.p - 6, ctx.p) + "]");
    }
  }
  let t = ctx.s.slice(startPtr, ctx.p);
  return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
  let start = ctx.p;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
    return parseNumber(ctx, --ctx.p, c, 0, endChr);
  }
  if (ctx.s.charCodeAt(ctx.p += 4) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  let t = ctx.s.slice(start, ctx.p);
  return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str3, type, unsafeDelim, errPtr, temporalSuffix) {
  if (ctx.ld) {
    let date = new TomlDate(str3, type, unsafeDelim);
    if (!date.isValid())
      TomlError.x("invalid date", ctx, errPtr);
    return date;
  }
  try {
    if (temporalSuffix)
      str3 += temporalSuffix;
    switch (type) {
      case 1:
        return Temporal.ZonedDateTime.from(str3);
      case 2:
        return Temporal.PlainDateTime.from(str3);
      case 3:
        return Temporal.PlainDate.from(str3);
      case 4:
        return Temporal.PlainTime.from(str3);
    }
  } catch (e) {
    TomlError.x(e instanceof Error ? e.message : "" + e, ctx, errPtr);
  }
}

// node_modules/smol-toml/dist/util.js
function skipComment(ctx) {
  for (; ctx.p < ctx.s.length; ctx.p++) {
    let c = ctx.s.charCodeAt(ctx.p);
    if (c === 10)
      break;
    if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10) {
      ctx.p++;
      break;
    }
    if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in comments", ctx);
    }
  }
}
function skipVoid(ctx, banNewLines, banComments) {
  let c;
  while (ctx.p < ctx.s.length) {
    while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 32 || c === 9 || !banNewLines && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)))
      ctx.p++;
    if (banComments || c !== 35)
      break;
    skipComment(ctx);
  }
}

// node_modules/smol-toml/dist/struct.js
function parseKey(ctx, end = 61) {
  let startPtr;
  let state = 0;
  let parsed = [];
  let sliceStart;
  let c = ctx.s.charCodeAt(startPtr = ctx.p);
  do {
    if (c === end) {
      if (!state)
        TomlError.x("unexpected end of key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      return ctx.p++, parsed;
    } else if (c === 46) {
      if (!state)
        TomlError.x("illegal empty bare key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      state = 0;
    } else if (!state && (c === 34 || c === 39)) {
      if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
        TomlError.x("illegal quoted key: multiline strings are not allowed", ctx);
      parsed.push(parseString(ctx));
      state = 2;
      ctx.p--;
    } else if (c === 32 || c === 9) {
      if (state === 1) {
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
        state = 2;
      }
    } else if (state === 2 || c < 48 && c !== 45 || c > 57 && c < 65 || c > 90 && c < 97 && c !== 95 || c > 122) {
      TomlError.x("illegal character in key", ctx);
    } else if (!state) {
      state = 1;
      sliceStart = ctx.p;
    }
  } while (c = ctx.s.charCodeAt(++ctx.p));
  TomlError.x("incomplete key-value: cannot find end of key", ctx, startPtr);
}
function parseInlineTable(ctx) {
  let startPtr = ctx.p++;
  let res = /* @__PURE__ */ Object.create(null);
  let seen = /* @__PURE__ */ new Set();
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 125) {
      ctx.p++;
      return res;
    }
    let k;
    let t = res;
    let hasOwn = false;
    let errPtr = ctx.p;
    let key = parseKey(ctx);
    for (let i = 0; i < key.length; i++) {
      if (i)
        t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      k = key[i];
      if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== "object" || seen.has(t[k]))) {
        TomlError.x("trying to redefine an already defined value", ctx, errPtr);
      }
      let unsafe = k === "__proto__";
      if (ctx.uk && (unsafe || k === "constructor")) {
        t = ctx.uk !== 1 && TomlError.x("document contains an unsafe property", ctx, errPtr);
        break;
      }
      if (!hasOwn && unsafe) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
      }
    }
    if (hasOwn) {
      TomlError.x("trying to redefine an already defined value", ctx, errPtr);
    }
    skipVoid(ctx, true, true);
    let value = extractValue(
      ctx,
      125
      /* } */
    );
    if (t && typeof (t[k] = value) === "object")
      seen.add(value);
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 125) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished table", ctx, startPtr);
}
function parseArray(ctx) {
  let startPtr = ctx.p++;
  let res = [];
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 93) {
      ctx.p++;
      return res;
    }
    res.push(extractValue(
      ctx,
      93
      /* ] */
    ));
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 93) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished array", ctx, startPtr);
}

// node_modules/smol-toml/dist/parse.js
function peekTable(ctx, key, table, meta, type) {
  let t = table;
  let m = meta;
  let k;
  let hasOwn = false;
  let state;
  for (let i = 0; i < key.length; i++) {
    if (i) {
      t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      m = (state = m[k]).c;
      if (type === 0 && (state.t === 1 || state.t === 2)) {
        return null;
      }
      if (state.t === 2) {
        let l = t.length - 1;
        t = t[l];
        m = m[l].c;
      }
    }
    k = key[i];
    if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 && m[k]?.d) {
      return null;
    }
    if (!hasOwn) {
      let unsafe = k === "__proto__";
      if (ctx.uk && (unsafe || k === "constructor"))
        return false;
      if (unsafe) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
        Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
      }
      m[k] = {
        t: i < key.length - 1 && type === 2 ? 3 : type,
        d: false,
        i: 0,
        c: /* @__PURE__ */ Object.create(null)
      };
    }
  }
  state = m[k];
  if (state.t !== type && !(type === 1 && state.t === 3)) {
    return null;
  }
  if (type === 2) {
    if (!state.d) {
      state.d = true;
      t[k] = [];
    }
    t[k].push(t = /* @__PURE__ */ Object.create(null));
    state.c[state.i++] = state = { t: 1, d: false, i: 0, c: /* @__PURE__ */ Object.create(null) };
  }
  if (state.d) {
    return null;
  }
  state.d = true;
  if (type === 1) {
    t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
  } else if (type === 0 && hasOwn) {
    return null;
  }
  return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
  if (peek === null || ctx.uk === 2)
    TomlError.x(peek === null ? "trying to redefine an already defined table or value" : "document contains an unsafe property", ctx, ptr);
}
function parse(toml, options = {}) {
  let ctx = {
    s: toml,
    p: 0,
    d: options.maxDepth ?? 1e3,
    bi: options.integersAsBigInt ?? false,
    ld: options.useLegacyDate ?? true,
    uk: options.unsafeKeyBehaviour === "throw" ? 2 : options.unsafeKeyBehaviour === "drop" ? 1 : 0
  };
  let res = /* @__PURE__ */ Object.create(null);
  let meta = /* @__PURE__ */ Object.create(null);
  let tmp;
  let skipping = false;
  let tbl = res;
  let m = meta;
  if (toml.charCodeAt(0) === 65279)
    ctx.p++;
  skipVoid(ctx);
  while (ctx.p < toml.length) {
    if (toml.charCodeAt(ctx.p) === 91) {
      let isTableArray = toml.charCodeAt(++ctx.p) === 91;
      tmp = ctx.p += +isTableArray;
      skipping = false;
      let k = parseKey(
        ctx,
        93
        /* ] */
      );
      if (isTableArray) {
        if (toml.charCodeAt(ctx.p) !== 93) {
          TomlError.x("expected end of table array declaration", ctx);
        }
        ctx.p++;
      }
      let p = peekTable(
        ctx,
        k,
        res,
        meta,
        isTableArray ? 2 : 1
        /* Type.EXPLICIT */
      );
      if (!p) {
        validateTablePeek(ctx, p, tmp);
        skipping = true;
      } else {
        m = p[2];
        tbl = p[1];
      }
    } else {
      tmp = ctx.p;
      let k = parseKey(ctx);
      let p = peekTable(
        ctx,
        k,
        tbl,
        m,
        0
        /* Type.DOTTED */
      );
      if (!p && !skipping)
        validateTablePeek(ctx, p, tmp);
      skipVoid(ctx, true, true);
      let v = extractValue(ctx, void 0);
      if (p && !skipping)
        p[1][p[0]] = v;
    }
    skipVoid(ctx, true);
    if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 10 && (tmp !== 13 || toml.charCodeAt(ctx.p + 1) !== 10)) {
      TomlError.x("each key-value declaration must be followed by an end-of-line", ctx);
    }
    skipVoid(ctx);
  }
  return res;
}

// node_modules/smol-toml/dist/stringify.js
var HAS_WELLFORMED = !!"".isWellFormed;

// src/scan/config.ts
var DEFAULT_CONFIG_NAME = ".jit-gpg.toml";
var SEVERITIES = ["critical", "high", "medium", "low"];
var ConfigError = class extends Error {
  name = "ConfigError";
  file;
  line;
  field;
  constructor(message, file, line, field) {
    super(message);
    this.file = file;
    this.line = line;
    this.field = field;
  }
};
function fieldName(path) {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${/^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p)}` : p;
  }
  return out;
}
var pathKey = (path) => path.map(String).join("\0");
function splitKey(key) {
  const parts = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^.\s"']+)\s*(?:\.|$)/gy;
  let m = re.exec(key);
  while (m && m[0] !== "") {
    const raw = m[1];
    parts.push(raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw);
    if (re.lastIndex >= key.length) break;
    m = re.exec(key);
  }
  return parts;
}
var KeyLines = class {
  lines = /* @__PURE__ */ new Map();
  constructor(text) {
    const src = text.split(/\r?\n/);
    let header = [];
    const arrayCounts = /* @__PURE__ */ new Map();
    let inMulti;
    for (let i = 0; i < src.length; i++) {
      const raw = src[i];
      if (inMulti) {
        if (raw.includes(inMulti)) inMulti = void 0;
        continue;
      }
      const t = raw.trim();
      if (!t || t.startsWith("#")) continue;
      let m = /^\[\[\s*(.+?)\s*\]\]/.exec(t);
      if (m) {
        const name2 = splitKey(m[1]);
        const k = pathKey(name2);
        const n = arrayCounts.get(k) ?? 0;
        arrayCounts.set(k, n + 1);
        header = [...name2, n];
        this.add(name2, i + 1);
        this.add(header, i + 1);
        continue;
      }
      m = /^\[\s*(.+?)\s*\]/.exec(t);
      if (m) {
        header = splitKey(m[1]);
        this.add(header, i + 1);
        continue;
      }
      m = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/.exec(
        t
      );
      if (m) {
        const key = splitKey(m[1]);
        for (let j = 1; j <= key.length; j++) this.add([...header, ...key.slice(0, j)], i + 1);
        const rest = t.slice(m[0].length);
        for (const q of ['"""', "'''"]) {
          const at = rest.indexOf(q);
          if (at >= 0 && rest.indexOf(q, at + 3) < 0) inMulti = q;
        }
      }
    }
  }
  add(path, line) {
    const k = pathKey(path);
    if (!this.lines.has(k)) this.lines.set(k, line);
  }
  /** The line of the key, else of its nearest located parent, else 1. */
  line(path) {
    for (let n = path.length; n > 0; n--) {
      const l = this.lines.get(pathKey(path.slice(0, n)));
      if (l) return l;
    }
    return 1;
  }
};
function levenshtein(a, b) {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}
function suggest(word, options) {
  let best;
  let bestD = Infinity;
  for (const o of options) {
    const dist = levenshtein(word.toLowerCase(), o.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = o;
    }
  }
  return best !== void 0 && bestD <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean "${best}"?` : "";
}
function regexErrorKind(e) {
  const message = e instanceof Error ? e.message : String(e);
  const colon = message.indexOf(": ");
  return colon < 0 ? excerpt(message) : `${message.slice(0, colon)} (at ${excerpt(message.slice(colon + 2))})`;
}
function typeName(v) {
  if (Array.isArray(v)) return "an array";
  if (v === null || v === void 0) return "nothing";
  if (typeof v === "object") return v instanceof Date ? "a date" : "a table";
  if (typeof v === "string") return `the string ${excerpt(v)}`;
  if (typeof v === "number") return `the number ${String(v).length <= 4 ? String(v) : excerpt(String(v))}`;
  return typeof v === "boolean" ? `the boolean ${v}` : typeof v;
}
var isTable = (v) => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
function parseSize(v) {
  if (typeof v === "number") return Number.isInteger(v) && v > 0 ? v : void 0;
  if (typeof v !== "string") return void 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(v);
  if (!m) return void 0;
  const unit = (m[2] ?? "b").toLowerCase();
  const mult = unit === "b" ? 1 : unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1024 * 1024 * 1024;
  const n = Math.round(Number(m[1]) * mult);
  return n > 0 ? n : void 0;
}
function countGroups(pattern) {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "^") i++;
      if (pattern[i + 1] === "]") i++;
      continue;
    }
    if (c === "(") {
      if (pattern[i + 1] !== "?") n++;
      else if (pattern.startsWith("(?P<", i) || pattern.startsWith("(?<", i) && !/^\(\?<[=!]/.test(pattern.slice(i)))
        n++;
    }
  }
  return n;
}
function exampleHits(rule, example, maxFileSize) {
  const policy = { rules: [rule], ignorePaths: [], allowRegexes: [], stopwords: [], maxFileSize };
  return scanBuffer(Buffer.from(example, "utf8"), "example", policy).filter((f) => f.ruleId === rule.id).length;
}
var TOP_KEYS = ["rules", "allow", "max-file-size"];
var OVERRIDE_KEYS = ["enabled", "severity", "entropy"];
var CUSTOM_KEYS = [
  "id",
  "title",
  "severity",
  "keywords",
  "pattern",
  "secret-group",
  "entropy",
  "case-insensitive",
  "fallback",
  "help",
  "tp",
  "fp"
];
var ALLOW_KEYS = ["paths", "regexes", "stopwords"];
function parseConfig(text, file, options = {}) {
  let doc;
  try {
    doc = parse(text);
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = e.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
      throw new ConfigError(
        `${file}:${e.line}:${e.column}: invalid TOML: ${reason}; fix the syntax at that position`,
        file,
        e.line
      );
    }
    throw e;
  }
  const base = options.base ?? defaultPolicy();
  const engine = options.engine ?? loadRegexEngine();
  const lines = new KeyLines(text);
  const fail = (path, message) => {
    const line = lines.line(path);
    throw new ConfigError(`${file}:${line}: ${fieldName(path)}: ${message}`, file, line, fieldName(path));
  };
  const checkKeys = (table, at, allowed, what) => {
    for (const k of Object.keys(table)) {
      if (!allowed.includes(k)) {
        fail([...at, k], `unknown key in ${what}${suggest(k, allowed)} (expected one of: ${allowed.join(", ")})`);
      }
    }
  };
  const str3 = (v, path, what = "a string") => {
    if (typeof v !== "string" || v === "") fail(path, `expected ${what}, got ${typeName(v)}`);
    return v;
  };
  const strList = (v, path, what) => {
    if (!Array.isArray(v)) fail(path, `expected an array of ${what}, got ${typeName(v)}`);
    return v.map((item, i) => str3(item, [...path, i], `a non-empty string (${what})`));
  };
  const severity = (v, path) => {
    if (typeof v !== "string" || !SEVERITIES.includes(v)) {
      fail(path, `expected one of ${SEVERITIES.map((s) => `"${s}"`).join(", ")}, got ${typeName(v)}`);
    }
    return v;
  };
  const entropy = (v, path) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 8) {
      fail(path, `expected a number of bits per character between 0 and 8 (e.g. 3.5), got ${typeName(v)}`);
    }
    return v;
  };
  const compile = (source, path, who, caseInsensitive = false) => {
    try {
      return engine.compile(source, { caseInsensitive });
    } catch (e) {
      return fail(
        path,
        `RE2 rejected the pattern of ${who}: ${regexErrorKind(e)} (RE2 has no lookaround or backreferences; rewrite the pattern without them)`
      );
    }
  };
  checkKeys(doc, [], TOP_KEYS, "the top level");
  const policy = {
    rules: base.rules.slice(),
    ignorePaths: base.ignorePaths.slice(),
    allowRegexes: base.allowRegexes.slice(),
    stopwords: base.stopwords.slice(),
    maxFileSize: base.maxFileSize
  };
  if (doc["max-file-size"] !== void 0) {
    const size = parseSize(doc["max-file-size"]);
    if (size === void 0) {
      fail(
        ["max-file-size"],
        `expected a positive size in bytes or a string with a unit like "10 MiB" or "500 KB", got ${typeName(doc["max-file-size"])}`
      );
    }
    policy.maxFileSize = size;
  }
  const rules = doc.rules;
  if (rules !== void 0) {
    if (!isTable(rules)) fail(["rules"], `expected a table ([rules.<id>] or [[rules.custom]]), got ${typeName(rules)}`);
    const builtinIds = base.rules.map((r) => r.id);
    for (const [id, value] of Object.entries(rules)) {
      if (id === "custom") continue;
      const at = ["rules", id];
      const idx = policy.rules.findIndex((r) => r.id === id);
      if (idx < 0) {
        fail(
          at,
          `there is no built-in rule "${id}"${suggest(id, builtinIds)} (to add your own rule use a [[rules.custom]] table; \`jit-gpg scan --help\` lists where rule ids are documented)`
        );
      }
      if (!isTable(value))
        fail(at, `expected a table of overrides (enabled, severity, entropy), got ${typeName(value)}`);
      const t = value;
      checkKeys(t, at, OVERRIDE_KEYS, `[rules.${id}]`);
      const rule = { ...policy.rules[idx] };
      if (t.enabled !== void 0 && typeof t.enabled !== "boolean") {
        fail([...at, "enabled"], `expected true or false, got ${typeName(t.enabled)}`);
      }
      if (t.severity !== void 0) rule.severity = severity(t.severity, [...at, "severity"]);
      if (t.entropy !== void 0) rule.entropy = entropy(t.entropy, [...at, "entropy"]);
      policy.rules[idx] = rule;
      if (t.enabled === false) policy.rules.splice(idx, 1);
    }
    const custom = rules.custom;
    if (custom !== void 0) {
      if (!Array.isArray(custom)) {
        fail(["rules", "custom"], `expected an array of tables ([[rules.custom]]), got ${typeName(custom)}`);
      }
      const seen = /* @__PURE__ */ new Set();
      custom.forEach((value, i) => {
        const at = ["rules", "custom", i];
        if (!isTable(value)) fail(at, `expected a table ([[rules.custom]]), got ${typeName(value)}`);
        const t = value;
        checkKeys(t, at, CUSTOM_KEYS, "[[rules.custom]]");
        const id = str3(t.id, [...at, "id"], 'a rule id string (lowercase letters, digits, "-", "_" or ".")');
        if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
          fail([...at, "id"], `${excerpt(id)} is not a valid rule id; use lowercase letters, digits, "-", "_" or "."`);
        }
        if (builtinIds.includes(id)) {
          fail([...at, "id"], `"${id}" is a built-in rule; choose another id, or change it under [rules.${id}]`);
        }
        if (seen.has(id))
          fail([...at, "id"], `${excerpt(id)} is defined twice in [[rules.custom]]; ids must be unique`);
        seen.add(id);
        const who = "this custom rule";
        if (t.pattern === void 0) fail([...at, "pattern"], `${who} needs a pattern (an RE2 regular expression)`);
        if (t.keywords === void 0) {
          fail([...at, "keywords"], `${who} needs keywords: literal strings, one of which every match contains`);
        }
        const keywords = strList(t.keywords, [...at, "keywords"], "keyword strings");
        if (keywords.length === 0) fail([...at, "keywords"], `${who} needs at least one keyword`);
        keywords.forEach((k, j) => {
          if (!/^[\x20-\x7e]+$/.test(k)) fail([...at, "keywords", j], "keywords must be printable ASCII literals");
        });
        const caseInsensitive = t["case-insensitive"];
        if (caseInsensitive !== void 0 && typeof caseInsensitive !== "boolean") {
          fail([...at, "case-insensitive"], `expected true or false, got ${typeName(caseInsensitive)}`);
        }
        const pattern = str3(t.pattern, [...at, "pattern"], "an RE2 pattern string");
        compile(pattern, [...at, "pattern"], who, caseInsensitive === true);
        const groups = countGroups(pattern);
        const rule = {
          id,
          title: t.title === void 0 ? id : str3(t.title, [...at, "title"], "a title string"),
          severity: t.severity === void 0 ? "high" : severity(t.severity, [...at, "severity"]),
          keywords: keywords.map((k) => k.toLowerCase()),
          pattern,
          help: t.help === void 0 ? `Custom rule \`${id}\` from ${file}. Rotate the secret, then remove it from the code.` : str3(t.help, [...at, "help"], "a help string (Markdown)"),
          examples: { tp: [], fp: [] }
        };
        if (caseInsensitive === true) rule.caseInsensitive = true;
        if (t["secret-group"] !== void 0) {
          const g = t["secret-group"];
          if (typeof g !== "number" || !Number.isInteger(g) || g < 0) {
            fail([...at, "secret-group"], `expected a capture group number (0 = whole match), got ${typeName(g)}`);
          }
          if (g > groups) {
            fail(
              [...at, "secret-group"],
              `${who}: the pattern has ${groups} capture group${groups === 1 ? "" : "s"}, so secret-group ${g} does not exist`
            );
          }
          rule.secretGroup = g;
        }
        if (t.entropy !== void 0) rule.entropy = entropy(t.entropy, [...at, "entropy"]);
        if (t.fallback !== void 0) {
          if (typeof t.fallback !== "boolean") {
            fail([...at, "fallback"], `expected true or false, got ${typeName(t.fallback)}`);
          }
          if (t.fallback === true) rule.fallback = true;
        }
        if (t.tp !== void 0) rule.examples.tp = strList(t.tp, [...at, "tp"], "true-positive examples");
        if (t.fp !== void 0) rule.examples.fp = strList(t.fp, [...at, "fp"], "false-positive examples");
        rule.examples.tp.forEach((ex, j) => {
          if (exampleHits(rule, ex, policy.maxFileSize) === 0) {
            fail(
              [...at, "tp", j],
              `${who} finds nothing in its true-positive example ${j + 1} (check the pattern, the keywords \u2014 every match must contain one \u2014 the entropy floor, and that the example is not a placeholder)`
            );
          }
        });
        rule.examples.fp.forEach((ex, j) => {
          if (exampleHits(rule, ex, policy.maxFileSize) > 0) {
            fail(
              [...at, "fp", j],
              `${who} reports a finding in its false-positive example ${j + 1}; tighten the pattern`
            );
          }
        });
        policy.rules.push(rule);
      });
    }
  }
  const allow = doc.allow;
  if (allow !== void 0) {
    if (!isTable(allow)) fail(["allow"], `expected a table ([allow]), got ${typeName(allow)}`);
    const t = allow;
    checkKeys(t, ["allow"], ALLOW_KEYS, "[allow]");
    if (t.paths !== void 0) policy.ignorePaths.push(...strList(t.paths, ["allow", "paths"], "path globs"));
    if (t.regexes !== void 0) {
      const regexes = strList(t.regexes, ["allow", "regexes"], "RE2 patterns");
      regexes.forEach((r, i) => {
        compile(r, ["allow", "regexes", i], `allow regex ${i + 1}`);
      });
      policy.allowRegexes.push(...regexes);
    }
    if (t.stopwords !== void 0) {
      policy.stopwords.push(...strList(t.stopwords, ["allow", "stopwords"], "stopwords").map((w) => w.toLowerCase()));
    }
  }
  return policy;
}
function display(cwd, abs) {
  const rel = relative2(cwd, abs);
  return rel && !rel.startsWith("..") && !isAbsolute2(rel) ? rel : abs;
}
var MAX_CONFIG_BYTES = 1024 * 1024;
async function readConfigFile(source, abs, name2, asGiven) {
  try {
    return await source.read(abs, { maxBytes: MAX_CONFIG_BYTES, what: "config file" }, { asGiven });
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new ConfigError(e.message, name2);
    throw e;
  }
}
async function loadConfig(opts) {
  const source = opts.source ?? worktreeSource(opts.cwd);
  if (opts.path !== void 0 && opts.path !== "") {
    const abs = resolve2(opts.cwd, opts.path);
    const name2 = display(opts.cwd, abs);
    const bytes = await readConfigFile(source, abs, name2, isAbsolute2(opts.path));
    if (bytes === void 0) {
      if (source.files.some((f) => f.name === name2)) return { policy: opts.base ?? defaultPolicy() };
      throw new ConfigError(
        `${displayPath(opts.path)}: config file not found; create it or point to an existing file`,
        opts.path,
        void 0
      );
    }
    return { policy: parseConfig(configText(bytes), name2, { base: opts.base }), path: abs };
  }
  for (const dir of opts.searchDirs ?? [opts.cwd]) {
    const abs = join3(resolve2(opts.cwd, dir), DEFAULT_CONFIG_NAME);
    const name2 = display(opts.cwd, abs);
    const bytes = await readConfigFile(source, abs, name2, false);
    if (bytes !== void 0) {
      return { policy: parseConfig(configText(bytes), name2, { base: opts.base }), path: abs };
    }
  }
  return { policy: opts.base ?? defaultPolicy() };
}

// src/scan/gitleaks.ts
var import_node_fs10 = __toESM(require_node_fs(), 1);
import { join as join4 } from "node:path";
var GitleaksConfigError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
};
var KNOWN_TOP = /* @__PURE__ */ new Set(["title", "description", "extend", "rules", "allowlist", "allowlists", "minVersion"]);
var KNOWN_RULE = /* @__PURE__ */ new Set([
  "id",
  "description",
  "regex",
  "secretGroup",
  "entropy",
  "keywords",
  "path",
  "tags",
  "allowlist",
  "allowlists"
]);
var KNOWN_ALLOW = /* @__PURE__ */ new Set([
  "description",
  "paths",
  "regexes",
  "stopwords",
  "commits",
  "regexTarget",
  "condition",
  "targetRules"
]);
function findGitleaksConfig(root) {
  const p = join4(root, ".gitleaks.toml");
  return (0, import_node_fs10.existsSync)(p) ? p : void 0;
}
var MAX_GITLEAKS_BYTES = 1024 * 1024;
async function loadGitleaksConfig(root, source = worktreeSource(root)) {
  const file = join4(root, ".gitleaks.toml");
  let bytes;
  try {
    bytes = await source.read(file, { maxBytes: MAX_GITLEAKS_BYTES, what: "gitleaks config" });
  } catch (e) {
    if (e instanceof FileReadError || e instanceof ConfigSourceError) throw new GitleaksConfigError(e.message);
    throw e;
  }
  return bytes === void 0 ? void 0 : parseGitleaksConfig(configText(bytes), file);
}
function parseGitleaksConfig(text, file = ".gitleaks.toml") {
  let doc;
  try {
    doc = parse(text);
  } catch (err) {
    if (err instanceof TomlError)
      throw new GitleaksConfigError(`${file}:${err.line}:${err.column}: ${err.message.split("\n")[0]}`);
    throw err;
  }
  const re = loadRegexEngine();
  const warnings = [];
  const warn = (field, why) => {
    warnings.push(`${file}: ${field}: ${why}`);
  };
  for (const key of Object.keys(doc)) if (!KNOWN_TOP.has(key)) warn(key, "unknown field, ignored");
  const compile = (src, field) => {
    if (typeof src !== "string") {
      warn(field, "not a string, ignored");
      return void 0;
    }
    try {
      return re.compile(src);
    } catch (err) {
      warn(field, `RE2 cannot compile it (${regexErrorKind(err)}), ignored`);
      return void 0;
    }
  };
  const strings = (v, field) => {
    if (v === void 0) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      warn(field, "expected an array of strings, ignored");
      return [];
    }
    return v;
  };
  const readAllowlist = (t, where, ruleLevel) => {
    if (t === null || typeof t !== "object" || Array.isArray(t)) {
      warn(where, "expected a table, ignored");
      return void 0;
    }
    const a = t;
    for (const k of Object.keys(a)) if (!KNOWN_ALLOW.has(k)) warn(`${where}.${k}`, "unknown field, ignored");
    const regexSources = strings(a.regexes, `${where}.regexes`);
    const out = {
      where,
      paths: strings(a.paths, `${where}.paths`).flatMap((p, i) => compile(p, `${where}.paths[${i}]`) ?? []),
      regexes: regexSources.flatMap((p, i) => compile(p, `${where}.regexes[${i}]`) ?? []),
      regexSources,
      stopwords: strings(a.stopwords, `${where}.stopwords`).map((s) => s.toLowerCase()),
      commits: new Set(strings(a.commits, `${where}.commits`))
    };
    const target = a.regexTarget;
    if (target !== void 0 && target !== "secret" && target !== "match") {
      warn(
        `${where}.regexTarget`,
        `${excerpt(String(target))} is not supported (secret and match are); regexes are tested on the match`
      );
    }
    if (a.condition !== void 0 && String(a.condition).toUpperCase() === "AND") {
      const kinds = [out.paths.length, out.regexes.length + out.stopwords.length, out.commits.size].filter(
        (n) => n > 0
      ).length;
      if (kinds > 1)
        warn(
          `${where}.condition`,
          '"AND" across paths/regexes/commits is not supported; each criterion allows on its own (OR)'
        );
    }
    if (a.targetRules !== void 0) {
      if (ruleLevel) warn(`${where}.targetRules`, "only meaningful in a global [[allowlists]], ignored");
      else out.targetRules = strings(a.targetRules, `${where}.targetRules`);
    }
    return out;
  };
  const extend = doc.extend;
  if (extend && typeof extend === "object") {
    if (extend.useDefault === true)
      warn("extend.useDefault", "gitleaks' default rules are replaced by jit-gpg's built-in rules");
    if (extend.path !== void 0)
      warn("extend.path", "extending another config file is not supported; merge it into this one");
    if (extend.url !== void 0) warn("extend.url", "extending a remote config is not supported");
    if (extend.disabledRules !== void 0) {
      warn(
        "extend.disabledRules",
        "gitleaks' rule ids do not exist here; disable jit-gpg rules in .jit-gpg.toml instead"
      );
    }
  }
  const globals = [];
  if (doc.allowlist !== void 0) {
    const a = readAllowlist(doc.allowlist, "allowlist", false);
    if (a) globals.push(a);
  }
  if (doc.allowlists !== void 0) {
    if (!Array.isArray(doc.allowlists)) warn("allowlists", "expected [[allowlists]] tables, ignored");
    else
      doc.allowlists.forEach((t, i) => {
        const a = readAllowlist(t, `allowlists[${i}]`, false);
        if (a) globals.push(a);
      });
  }
  const rules = [];
  const ruleAllow = /* @__PURE__ */ new Map();
  const rulePath = /* @__PURE__ */ new Map();
  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules)) throw new GitleaksConfigError(`${file}: rules: expected [[rules]] tables`);
  const ids = /* @__PURE__ */ new Set();
  rawRules.forEach((t, i) => {
    const where = `rules[${i}]`;
    if (t === null || typeof t !== "object") {
      warn(where, "expected a table, ignored");
      return;
    }
    const r = t;
    for (const k of Object.keys(r)) if (!KNOWN_RULE.has(k)) warn(`${where}.${k}`, "unknown field, ignored");
    const id = typeof r.id === "string" && r.id !== "" ? r.id : void 0;
    if (!id) {
      warn(`${where}.id`, "missing, rule ignored");
      return;
    }
    const w = `${where} (${id})`;
    if (ids.has(id)) warn(`${w}.id`, "duplicate id; the later rule wins");
    ids.add(id);
    if (r.regex === void 0) {
      warn(`${w}.regex`, "missing: path-only rules (flagging a file by its name) are not supported, rule ignored");
      return;
    }
    const pattern = compile(r.regex, `${w}.regex`);
    if (!pattern) return;
    const allows = [];
    if (r.allowlist !== void 0) {
      const a = readAllowlist(r.allowlist, `${w}.allowlist`, true);
      if (a) allows.push(a);
    }
    if (r.allowlists !== void 0) {
      if (!Array.isArray(r.allowlists)) warn(`${w}.allowlists`, "expected [[rules.allowlists]] tables, ignored");
      else
        r.allowlists.forEach((x, k) => {
          const a = readAllowlist(x, `${w}.allowlists[${k}]`, true);
          if (a) allows.push(a);
        });
    }
    let secretGroup;
    if (r.secretGroup !== void 0) {
      if (typeof r.secretGroup === "number" && Number.isInteger(r.secretGroup) && r.secretGroup >= 0)
        secretGroup = r.secretGroup;
      else warn(`${w}.secretGroup`, "expected a non-negative integer, ignored");
    }
    let entropy;
    if (r.entropy !== void 0) {
      if (typeof r.entropy === "number" && r.entropy >= 0) entropy = r.entropy;
      else warn(`${w}.entropy`, "expected a non-negative number, ignored");
    }
    if (r.path !== void 0) {
      const p = compile(r.path, `${w}.path`);
      if (p) rulePath.set(id, p);
    }
    const keywords = strings(r.keywords, `${w}.keywords`).map((k) => k.toLowerCase()).filter((k) => k !== "");
    const rule = {
      id,
      title: typeof r.description === "string" && r.description !== "" ? r.description : id,
      severity: "high",
      keywords: keywords.length > 0 && keywordsInPattern(String(r.regex), keywords) ? keywords : [],
      pattern: String(r.regex),
      ...secretGroup !== void 0 ? { secretGroup } : {},
      ...entropy !== void 0 ? { entropy } : {},
      help: `Custom rule imported from ${file}${typeof r.description === "string" ? `: ${r.description}` : ""}.`,
      examples: { tp: [], fp: [] }
    };
    if (keywords.length > 0 && rule.keywords.length === 0) {
      warn(
        `${w}.keywords`,
        "not every match is sure to contain a keyword, so the rule runs on every line (slower, never misses)"
      );
    }
    const contentAllows = allows.filter((a) => a.regexes.length > 0 || a.stopwords.length > 0);
    if (contentAllows.length > 0) {
      rule.validate = (secret, match) => {
        const s = Buffer.from(secret);
        const m = Buffer.from(match);
        for (const a of contentAllows) {
          if (a.regexes.some((p) => p.matchAll(s).length > 0 || p.matchAll(m).length > 0)) return "invalid";
          const lower = secret.toLowerCase();
          if (a.stopwords.some((sw) => lower.includes(sw))) return "invalid";
        }
        return "unknown";
      };
      warn(`${w}.allowlist`, "rule-level regexes/stopwords need a validator closure: this policy scans on one thread");
    }
    const pathCommit = allows.filter((a) => a.paths.length > 0 || a.commits.size > 0);
    if (pathCommit.length > 0) ruleAllow.set(id, pathCommit);
    const existing = rules.findIndex((x) => x.id === id);
    if (existing >= 0) rules.splice(existing, 1);
    rules.push(rule);
  });
  const allowRegexes = [];
  const stopwords = [];
  for (const a of globals) {
    if (a.targetRules) {
      if (a.regexSources.length || a.stopwords.length) {
        warn(`${a.where}.targetRules`, "regexes/stopwords limited to some rules are applied to every rule");
      }
    }
    allowRegexes.push(...a.regexSources.filter((src) => compiles(src)));
    stopwords.push(...a.stopwords);
  }
  const reported = (ruleId, place) => {
    const forms = [place.file, ...place.file.includes("!") ? place.file.split("!") : []].map((x) => Buffer.from(x));
    const test = (p) => forms.some((x) => p.matchAll(x).length > 0);
    const onPath = (a) => a.paths.some(test);
    const onCommit = (a) => place.commit !== void 0 && a.commits.has(place.commit);
    for (const a of globals) {
      if (a.targetRules && !a.targetRules.includes(ruleId)) continue;
      if (onPath(a) || onCommit(a)) return false;
    }
    for (const a of ruleAllow.get(ruleId) ?? []) if (onPath(a) || onCommit(a)) return false;
    const scope = rulePath.get(ruleId);
    return !scope || test(scope);
  };
  const filterFindings = (findings) => findings.flatMap((f) => {
    const places = [locationOf(f), ...f.locations ?? []].filter((l) => reported(f.ruleId, l));
    if (places.length === 0) return [];
    const { locations: _all, commit: _c, author: _a, date: _d, decoded: _x, log: _l, ...rest } = f;
    const kept = { ...rest, ...places[0] };
    if (places.length > 1) kept.locations = places.slice(1);
    return [kept];
  });
  return {
    rules,
    allowRegexes,
    stopwords,
    filterFindings,
    warnings,
    summary: {
      rules: rules.length,
      allowPaths: globals.reduce((n, a) => n + a.paths.length, 0),
      allowRegexes: allowRegexes.length,
      stopwords: stopwords.length,
      commits: globals.reduce((n, a) => n + a.commits.size, 0)
    }
  };
  function compiles(src) {
    try {
      re.compile(src);
      return true;
    } catch {
      return false;
    }
  }
}
function keywordsInPattern(source, keywords) {
  const pattern = source.replace(/\((?:\?:)?([A-Za-z0-9_-]+)\)(?![?*{])/g, "$1");
  if (hasTopLevelAlternation(pattern)) return false;
  if (/[|?*]/.test(pattern.replace(/\\./g, ""))) {
    const prefix = pattern.replace(/^\(\?i\)/, "").split(/[|?*([{]/)[0] ?? "";
    return keywords.some((k) => prefix.toLowerCase().includes(k));
  }
  const lit = pattern.toLowerCase().replace(/\\/g, "");
  return keywords.some((k) => lit.includes(k));
}
function mergeGitleaks(policy, imp) {
  const ids = new Set(imp.rules.map((r) => r.id));
  return {
    ...policy,
    rules: [...policy.rules.filter((r) => !ids.has(r.id)), ...imp.rules],
    allowRegexes: [...policy.allowRegexes, ...imp.allowRegexes],
    stopwords: [...policy.stopwords, ...imp.stopwords]
  };
}
function hasTopLevelAlternation(p) {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}

// src/scan/sources/event.ts
var import_node_fs11 = __toESM(require_node_fs(), 1);
var ZERO_SHA = /^0+$/;
function get(obj, ...path) {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return void 0;
    cur = cur[key];
  }
  return cur;
}
function str(obj, ...path) {
  const v = get(obj, ...path);
  return typeof v === "string" && v !== "" ? v : void 0;
}
function readEvent(env = process.env) {
  const name2 = env.GITHUB_EVENT_NAME;
  if (!name2) return void 0;
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { name: name2, payload: {} };
  let text;
  try {
    text = (0, import_node_fs11.readFileSync)(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read the event payload at GITHUB_EVENT_PATH=${path}: ${err.message}`);
  }
  try {
    const payload = JSON.parse(text);
    return {
      name: name2,
      payload: payload !== null && typeof payload === "object" ? payload : {}
    };
  } catch (err) {
    throw new Error(`the event payload at ${path} is not JSON: ${err.message}`);
  }
}
function planScan(event, env = {}) {
  const fallback = env.fallbackMode ?? "worktree";
  const remote = env.remote ?? "origin";
  if (!event) return { mode: fallback, notice: `no GitHub event: scanning the ${fallback}` };
  const p = event.payload;
  switch (event.name) {
    case "pull_request":
    case "pull_request_target": {
      const base = str(p, "pull_request", "base", "sha");
      const head = str(p, "pull_request", "head", "sha");
      if (!base || !head) {
        throw new Error(
          `${event.name} event without pull_request.base.sha/head.sha: cannot tell which commits to scan`
        );
      }
      if (base === head) return { mode: "none", base, head, notice: `pull request has no commits (${short(base)})` };
      const num2 = get(p, "pull_request", "number") ?? get(p, "number");
      return {
        mode: "diff",
        base,
        head,
        notice: `pull request${typeof num2 === "number" ? ` #${num2}` : ""}: scanning lines added in ${short(base)}..${short(head)}`
      };
    }
    case "push": {
      const before = str(p, "before");
      const after = str(p, "after");
      if (!after || ZERO_SHA.test(after)) {
        return { mode: "none", notice: `push deleted ${str(p, "ref") ?? "a ref"}: nothing to scan` };
      }
      if (before === after)
        return { mode: "none", base: before, head: after, notice: `push with no new commits (${short(after)})` };
      if (!before || ZERO_SHA.test(before)) {
        const def2 = str(p, "repository", "default_branch");
        const ref = str(p, "ref");
        if (!def2 || ref === `refs/heads/${def2}`) {
          return {
            mode: "history",
            head: after,
            notice: `first push of ${ref ?? "the default branch"}: scanning all of its commits`
          };
        }
        return {
          mode: "diff",
          head: after,
          exclude: [`refs/remotes/${remote}/${def2}`, `refs/heads/${def2}`],
          notice: `new branch ${ref ?? ""}: scanning commits not on ${def2}`.replace("  ", " ")
        };
      }
      const forced = get(p, "forced") === true;
      const def = str(p, "repository", "default_branch");
      return {
        mode: "diff",
        base: before,
        head: after,
        ...def ? { fallbackExclude: [`refs/remotes/${remote}/${def}`, `refs/heads/${def}`] } : {},
        notice: `push${forced ? " (forced)" : ""}: scanning lines added in ${short(before)}..${short(after)}`
      };
    }
    case "merge_group": {
      const base = str(p, "merge_group", "base_sha");
      const head = str(p, "merge_group", "head_sha");
      if (!base || !head) throw new Error("merge_group event without merge_group.base_sha/head_sha");
      if (base === head) return { mode: "none", base, head, notice: `merge group has no commits (${short(base)})` };
      return {
        mode: "diff",
        base,
        head,
        notice: `merge group: scanning lines added in ${short(base)}..${short(head)}`
      };
    }
    default:
      return { mode: fallback, notice: `${event.name} event: scanning the ${fallback}` };
  }
}
function short(sha) {
  return sha ? sha.slice(0, 12) : "?";
}
var PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target", "merge_group"];
function isPullRequestEvent(name2) {
  return name2 !== void 0 && PULL_REQUEST_EVENTS.includes(name2);
}
function trustedBaseSha(event) {
  if (!event || !isPullRequestEvent(event.name)) return void 0;
  const base = event.name === "merge_group" ? str(event.payload, "merge_group", "base_sha") : str(event.payload, "pull_request", "base", "sha");
  if (!base || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(base)) {
    throw new Error(`${event.name} event without a base commit SHA: cannot read the trusted config from the base`);
  }
  return base;
}

// src/scan/types.ts
var SCAN_MODES = ["auto", "worktree", "diff", "history", "logs"];
var FAIL_ON = ["any", "validated", "none"];
var REVOKE = ["none", "github"];
function incompleteItems(stats) {
  return stats.unreadable + stats.failed + (stats.missingObjects ?? 0) + (stats.truncated ?? 0);
}
function policySkips(stats) {
  const n = (count, one, many) => count > 0 ? [`${count} ${count === 1 ? one : many}`] : [];
  return [
    ...n(stats.skippedBinary, "binary file", "binary files"),
    ...n(stats.skippedLarge, "file over the size limit", "files over the size limit"),
    ...n(
      stats.skippedArchive ?? 0,
      "archive item over a limit or unreadable",
      "archive items over a limit or unreadable"
    ),
    ...n(stats.skippedSpecial ?? 0, "FIFO, socket or device", "FIFOs, sockets or devices"),
    ...n(stats.skippedSymlinks ?? 0, "symlink (not followed)", "symlinks (not followed)")
  ];
}

// src/scan/job.ts
var ModeError = class extends Error {
  name = "ModeError";
};
function selectSource(opts) {
  if (opts.items) return { kind: "items", ...opts.items };
  if ((opts.stdin || opts.file) && (opts.mode === "diff" || opts.mode === "history")) {
    throw new ModeError(`--mode ${opts.mode} scans a git repository, not ${opts.stdin ? "stdin" : "a single file"}`);
  }
  if ((opts.stdin || opts.file) && opts.mode === "logs") {
    throw new ModeError(
      `--mode logs fetches a workflow run's logs, not ${opts.stdin ? "stdin" : "a single file"} (\`jit-gpg scan -\` scans a log piped in)`
    );
  }
  if (opts.stdin) return { kind: "stdin", stream: opts.stdin };
  if (opts.file) {
    const abs = resolve3(opts.root, opts.file);
    const st = (0, import_node_fs12.statSync)(abs);
    if (!st.isFile()) return { kind: "named", absPath: abs, name: opts.file };
    const size = st.size;
    const path = opts.file;
    return {
      kind: "items",
      describe: `file ${path}`,
      items: async function* () {
        yield { path, source: { kind: "file", absPath: abs, size } };
      }
    };
  }
  switch (opts.mode) {
    case "worktree":
      return { kind: "worktree" };
    case "auto": {
      let plan;
      try {
        plan = planScan(readEvent(opts.env));
      } catch (e) {
        throw new ModeError(e.message);
      }
      return plan.mode === "worktree" ? { kind: "worktree" } : { kind: "git", plan };
    }
    case "diff":
      if (!opts.base)
        throw new ModeError("mode diff needs a base revision (--base, input `base`); head defaults to HEAD");
      return { kind: "git", plan: { mode: "diff", base: opts.base, head: opts.head ?? "HEAD" } };
    case "history":
      return { kind: "git", plan: { mode: "history", ...opts.head ? { head: opts.head } : {} } };
    case "logs":
      return { kind: "logs" };
    default:
      throw new ModeError(`unknown mode "${String(opts.mode)}"; expected one of ${SCAN_MODES.join(", ")}`);
  }
}
async function runScanJob(opts) {
  await prepareRegexEngine();
  const plan = selectSource(opts);
  if (plan.kind === "worktree" && (opts.base || opts.head) && opts.mode !== "diff") {
    opts.onWarning(`base/head are only used by mode diff; mode ${opts.mode} scans the work tree and ignores them`);
  }
  const source = await configSource(opts);
  const { policy: ownPolicy, path: configFile } = await loadConfig({
    path: opts.configPath,
    cwd: opts.cwd,
    searchDirs: opts.configSearch,
    source
  });
  let policy = ownPolicy;
  let gitleaks;
  gitleaks = opts.stdin ? void 0 : await loadGitleaksConfig(opts.root, source);
  if (gitleaks) {
    policy = mergeGitleaks(policy, gitleaks);
    for (const w of gitleaks.warnings) opts.onWarning(w);
    const s = gitleaks.summary;
    opts.onNotice?.(
      `.gitleaks.toml: ${s.rules} custom rules, ${s.allowPaths} allowed paths, ${s.allowRegexes} allow regexes, ${s.stopwords} stopwords, ${s.commits} allowed commits`
    );
  }
  if (opts.maxFileSize !== void 0) policy.maxFileSize = opts.maxFileSize;
  if (configFile && !source.files.some((f) => f.changed && resolve3(opts.cwd, f.name) === configFile)) {
    const rel = relative3(opts.root, configFile);
    if (rel && !rel.startsWith("..") && !isAbsolute3(rel)) policy.ignorePaths.push(rel.split(sep).join("/"));
  }
  const baseline = opts.baselinePath ? await loadBaseline(resolve3(opts.cwd, opts.baselinePath), {
    source,
    asGiven: isAbsolute3(opts.baselinePath),
    name: opts.baselinePath
  }) : void 0;
  if (source.base !== void 0 && plan.kind === "git") policy.inlineAllow = "report";
  const revoke = opts.revoke === "github";
  let client;
  let authenticated = false;
  if (plan.kind === "logs" || revoke) {
    if (!opts.github?.apiUrl) throw new ModeError("the GitHub API URL is not set (GITHUB_API_URL)");
    const github = await import("./chunks/github-TTVCNFSN.js");
    client = github.createGitHubClient({ ...opts.github, ...opts.onNotice ? { onNotice: opts.onNotice } : {} });
    authenticated = !github.isGitHubCloud(client.apiUrl);
  }
  const revocations = revoke ? await import("./chunks/revoke-TG3G7LTW.js") : void 0;
  if (revocations) policy.retainSecrets = [...revocations.REVOCABLE_RULE_IDS];
  let raw;
  let logs;
  let git2;
  let gitSource;
  if (plan.kind === "git") {
    ({ result: raw, git: git2, source: gitSource } = await runGitPlan(plan.plan, opts, policy, configFile));
  } else if (plan.kind === "logs") {
    logs = await openLogs(opts, client);
    policy.maxFileSize = Number.MAX_SAFE_INTEGER;
    raw = await scan({
      root: opts.root,
      policy,
      threads: opts.threads,
      onWarning: opts.onWarning,
      onProgress: opts.onProgress,
      items: logs.items()
    });
    raw.stats.failed += logs.failed;
    const fetched = logs;
    const located = (place) => {
      const at = fetched.locate(place);
      return at ? { ...place, log: at } : place;
    };
    raw.findings = raw.findings.map((f) => {
      const out = located(f);
      return f.locations ? { ...out, locations: f.locations.map(located) } : out;
    });
  } else {
    raw = await scan({
      root: opts.root,
      policy,
      threads: opts.threads,
      onWarning: opts.onWarning,
      onProgress: opts.onProgress,
      ...plan.kind === "stdin" ? { stdin: plan.stream } : {},
      ...plan.kind === "named" ? { stdin: await openNamedInput(plan.absPath, plan.name), stdinName: plan.name } : {},
      ...plan.kind === "items" ? { items: plan.items() } : {}
    });
  }
  if (gitleaks) raw.findings = gitleaks.filterFindings(raw.findings);
  const markerSuppressed = raw.findings.filter((f) => f.inlineAllowed);
  const outcome = applyBaseline(
    raw.findings.filter((f) => !f.inlineAllowed),
    baseline
  );
  const { secrets, ...kept } = raw;
  const result = {
    ...kept,
    findings: outcome.findings,
    staleBaseline: outcome.stale.map((s) => s.fingerprint)
  };
  let revocation;
  if (revocations) {
    const r = await revocations.revokeFindings(result.findings, secrets, {
      client,
      authenticated,
      ...opts.onNotice ? { onNotice: opts.onNotice } : {}
    });
    const { findings, ...rest } = r;
    result.findings = findings;
    revocation = rest;
  }
  const sourceWords = gitSource ?? (plan.kind === "named" ? `${plan.name} (read like stdin)` : plan.kind === "stdin" ? "stdin" : plan.kind === "items" ? plan.describe : plan.kind === "logs" ? logs.describe : `work tree ${opts.root}`);
  const job = {
    result,
    accepted: outcome.accepted,
    stale: outcome.stale,
    policy,
    source: sourceWords,
    config: source,
    markerSuppressed
  };
  if (git2) job.git = git2;
  if (logs) job.logs = { jobs: logs.jobs, skipped: logs.skipped, failed: logs.failed };
  if (revocation) job.revocation = revocation;
  if (configFile) job.configFile = configFile;
  if (baseline) job.baseline = baseline;
  return job;
}
async function openLogs(opts, client) {
  const where = opts.logs;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(where?.repo ?? "");
  if (!where || !m) {
    throw new ModeError("mode logs needs the repository as OWNER/REPO (--repo, or GITHUB_REPOSITORY on a runner)");
  }
  if (!Number.isSafeInteger(where.runId) || where.runId < 1) {
    throw new ModeError("mode logs needs the run id, a positive integer (--run-id, input `run-id`, or GITHUB_RUN_ID)");
  }
  const { openLogsSource } = await import("./chunks/logs-KPZVIQK2.js");
  return openLogsSource({
    client,
    owner: m[1],
    repo: m[2],
    runId: where.runId,
    serverUrl: where.serverUrl,
    ...opts.onNotice ? { onNotice: opts.onNotice } : {},
    onWarning: opts.onWarning
  });
}
async function configSource(opts) {
  if (opts.configFrom !== "base") return worktreeSource(opts.cwd);
  let base;
  try {
    base = trustedBaseSha(readEvent(opts.env));
  } catch (e) {
    throw new ConfigError(e.message, "");
  }
  if (base === void 0) return worktreeSource(opts.cwd);
  try {
    return await baseSource({ root: opts.root, cwd: opts.cwd, base, onNotice: opts.onNotice });
  } catch (e) {
    if (e instanceof ConfigSourceError) throw new ConfigError(e.message, "");
    throw e;
  }
}
async function runGitPlan(p, opts, policy, configFile) {
  if (p.notice) opts.onNotice?.(p.notice);
  if (p.mode !== "diff" && p.mode !== "history") {
    const stats = {
      files: 0,
      bytes: 0,
      skippedBinary: 0,
      skippedLarge: 0,
      unreadable: 0,
      failed: 0,
      durationMs: 0,
      engine: "none"
    };
    return { result: { findings: [], stats, warnings: [], staleBaseline: [] }, source: p.notice ?? "nothing to scan" };
  }
  const skipCommits = opts.restoreGitCache ? await opts.restoreGitCache(p.mode, policy, configFile) : void 0;
  try {
    const { git: git2, ...result } = await scanGit({
      root: opts.root,
      mode: p.mode,
      base: p.base,
      head: p.head,
      exclude: p.exclude,
      fallbackExclude: p.fallbackExclude,
      policy,
      threads: opts.threads,
      skipCommits,
      onWarning: opts.onWarning,
      onNotice: opts.onNotice,
      onProgressLine: opts.onNotice
    });
    const range = p.mode === "history" ? "history" : `commits ${p.base ? `${p.base.slice(0, 12)}..` : ""}${(p.head ?? "HEAD").slice(0, 12)}`;
    return { result, git: git2, source: `${range} (${git2.stats.commits} commits) of ${opts.root}` };
  } catch (e) {
    if (e instanceof GitRangeError) throw new ModeError(e.message);
    throw e;
  }
}
function failing(findings, failOn) {
  if (failOn === "none") return [];
  if (failOn === "validated") return findings.filter((f) => f.validated);
  return [...findings];
}

// src/scan/cache.ts
var import_node_crypto6 = __toESM(require_node_crypto(), 1);
var CACHE_FORMAT = "jit-gpg-scan-state";
var CACHE_FORMAT_VERSION = 1;
var MAX_STATE_BYTES = 256 * 1024 * 1024;
var MAX_COMMITS = 5e6;
function policyHash(policy, scannerVersion, extra = {}) {
  const rules = policy.rules.map((r) => ({
    id: r.id,
    pattern: r.pattern,
    keywords: [...r.keywords].sort(),
    secretGroup: r.secretGroup ?? null,
    caseInsensitive: r.caseInsensitive ?? false,
    entropy: r.entropy ?? null,
    window: r.window ?? null,
    requireValid: r.requireValid ?? false,
    severity: r.severity,
    // A validator is code: its presence and its source text are part of the policy.
    validate: r.validate ? sha256(r.validate.toString()) : null
  })).sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const body = {
    scannerVersion,
    rules,
    ignorePaths: [...policy.ignorePaths].sort(),
    allowRegexes: [...policy.allowRegexes].sort(),
    stopwords: [...policy.stopwords].map((s) => s.toLowerCase()).sort(),
    maxFileSize: policy.maxFileSize,
    extra: Object.fromEntries(Object.entries(extra).sort(([a], [b]) => a < b ? -1 : 1))
  };
  return sha256(JSON.stringify(body));
}
function cacheKeys(mode, hash, unique) {
  const prefix = `jit-gpg-scan-v${CACHE_FORMAT_VERSION}-${mode}-${hash.slice(0, 24)}-`;
  const safe = unique.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120);
  return { key: `${prefix}${safe}`, restoreKeys: [prefix] };
}
function sha256(s) {
  return (0, import_node_crypto6.createHash)("sha256").update(s).digest("hex");
}
function checksumOf(s) {
  return sha256(JSON.stringify([s.format, s.version, s.scannerVersion, s.policyHash, s.mode, s.createdAt, s.commits]));
}
function buildState(args, now = /* @__PURE__ */ new Date()) {
  const commits = [...new Set(args.commits)].sort();
  if (commits.length > MAX_COMMITS) commits.length = MAX_COMMITS;
  const body = {
    format: CACHE_FORMAT,
    version: CACHE_FORMAT_VERSION,
    scannerVersion: args.scannerVersion,
    policyHash: args.policyHash,
    mode: args.mode,
    createdAt: now.toISOString(),
    commits
  };
  return { ...body, checksum: checksumOf(body) };
}
function serializeState(state) {
  return `${JSON.stringify(state)}
`;
}
var COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function checkState(text, expected) {
  if (text.length > MAX_STATE_BYTES)
    return { ok: false, reason: `state is ${text.length} bytes, over the ${MAX_STATE_BYTES} limit` };
  let v;
  try {
    v = JSON.parse(text.toString());
  } catch {
    return { ok: false, reason: "state is not JSON" };
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return { ok: false, reason: "state is not an object" };
  const s = v;
  const keys = Object.keys(s).sort().join(",");
  if (keys !== "checksum,commits,createdAt,format,mode,policyHash,scannerVersion,version") {
    return { ok: false, reason: `unexpected fields (${keys})` };
  }
  if (s.format !== CACHE_FORMAT) return { ok: false, reason: `format "${String(s.format)}" is not ${CACHE_FORMAT}` };
  if (s.version !== CACHE_FORMAT_VERSION)
    return { ok: false, reason: `format version ${String(s.version)} is not ${CACHE_FORMAT_VERSION}` };
  if (s.scannerVersion !== expected.scannerVersion) {
    return { ok: false, reason: `made by scanner ${String(s.scannerVersion)}, this is ${expected.scannerVersion}` };
  }
  if (s.policyHash !== expected.policyHash) return { ok: false, reason: "made under different rules or config" };
  if (s.mode !== expected.mode)
    return { ok: false, reason: `made in ${String(s.mode)} mode, this is ${expected.mode}` };
  if (typeof s.createdAt !== "string" || Number.isNaN(Date.parse(s.createdAt)))
    return { ok: false, reason: "bad createdAt" };
  if (!Array.isArray(s.commits)) return { ok: false, reason: "commits is not a list" };
  if (s.commits.length > MAX_COMMITS) return { ok: false, reason: `more than ${MAX_COMMITS} commits` };
  const commits = /* @__PURE__ */ new Set();
  let prev = "";
  for (const c of s.commits) {
    if (typeof c !== "string" || !COMMIT_ID.test(c)) return { ok: false, reason: "a commit id is malformed" };
    if (c <= prev) return { ok: false, reason: "commit ids are not sorted and unique" };
    prev = c;
    commits.add(c);
  }
  if (typeof s.checksum !== "string") return { ok: false, reason: "no checksum" };
  const state = s;
  if (checksumOf(state) !== s.checksum) return { ok: false, reason: "checksum mismatch (truncated or altered)" };
  return { ok: true, commits, state };
}
function isCleanForCache(result, source) {
  return result.findings.length === 0 && source.stats.missing === 0;
}

// src/shared/time.ts
function isoTimestamp(ms) {
  const days = Math.floor(ms / 864e5);
  const inDay = ms - days * 864e5;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  const h = Math.floor(inDay / 36e5);
  const m = Math.floor(inDay % 36e5 / 6e4);
  const s = Math.floor(inDay % 6e4 / 1e3);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}.${pad(inDay % 1e3, 3)}Z`;
}

// src/scan/report/redact.ts
var MASK = "****";
var PREVIEW_CHARS = 4;
var SEVERITIES2 = ["critical", "high", "medium", "low"];
function safePreview(preview2) {
  if (typeof preview2 !== "string") return MASK;
  const chars = [...preview2];
  let end = chars.length;
  while (end > 0 && chars[end - 1] === "*") end--;
  return `${chars.slice(0, Math.min(end, PREVIEW_CHARS)).join("")}${MASK}`;
}
function str2(v, fallback = "") {
  return typeof v === "string" ? v : fallback;
}
function posInt(v, fallback = 1) {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : fallback;
}
function redactFinding(f) {
  const line = posInt(f.line);
  const out = {
    ruleId: str2(f.ruleId, "unknown"),
    title: str2(f.title, str2(f.ruleId, "unknown")),
    severity: SEVERITIES2.includes(f.severity) ? f.severity : "high",
    validated: f.validated === true,
    file: str2(f.file, "-"),
    line,
    column: posInt(f.column),
    endLine: Math.max(line, posInt(f.endLine, line)),
    endColumn: posInt(f.endColumn),
    fingerprint: str2(f.fingerprint),
    preview: safePreview(f.preview)
  };
  if (typeof f.commit === "string") out.commit = f.commit;
  if (typeof f.author === "string") out.author = f.author;
  if (typeof f.date === "string") out.date = f.date;
  if (typeof f.decoded === "string") out.decoded = f.decoded;
  if (Array.isArray(f.locations) && f.locations.length > 0) out.locations = f.locations.map(redactLocation);
  if (f.inlineAllowed === true) out.inlineAllowed = true;
  const log = logLocation(f.log);
  if (log) out.log = log;
  const revocation = revocationRecord(f.revocation);
  if (revocation) out.revocation = revocation;
  return out;
}
function redactLocation(l) {
  const line = posInt(l.line);
  const out = {
    file: str2(l.file, "-"),
    line,
    column: posInt(l.column),
    endLine: Math.max(line, posInt(l.endLine, line)),
    endColumn: posInt(l.endColumn)
  };
  if (typeof l.commit === "string") out.commit = l.commit;
  if (typeof l.author === "string") out.author = l.author;
  if (typeof l.date === "string") out.date = l.date;
  if (typeof l.decoded === "string") out.decoded = l.decoded;
  const log = logLocation(l.log);
  if (log) out.log = log;
  return out;
}
function logLocation(v) {
  if (!v || typeof v !== "object") return void 0;
  const l = v;
  if (typeof l.job !== "string" || typeof l.url !== "string" || !Number.isSafeInteger(l.jobId)) return void 0;
  const out = { job: l.job, jobId: l.jobId, url: l.url };
  if (typeof l.step === "string") out.step = l.step;
  if (Number.isSafeInteger(l.stepNumber)) out.stepNumber = l.stepNumber;
  return out;
}
function revocationRecord(v) {
  if (!v || typeof v !== "object") return void 0;
  const r = v;
  if (typeof r.submitted !== "boolean" || typeof r.answer !== "string") return void 0;
  const out = { submitted: r.submitted, answer: r.answer };
  if (Number.isSafeInteger(r.status)) out.status = r.status;
  return out;
}
function redactFindings(findings) {
  return findings.map(redactFinding);
}

// src/scan/report/json.ts
var REPORT_VERSION = 1;
var TOOL_NAME = "jit-gpg";
var TOOL_URI = "https://github.com/org/jit-gpg";
function toJsonReport(input) {
  const findings = redactFindings(input.findings);
  const baselined = redactFindings(input.baselined ?? []);
  return {
    version: REPORT_VERSION,
    tool: { name: TOOL_NAME, version: input.toolVersion, informationUri: TOOL_URI },
    scannedAt: input.scannedAt ? input.scannedAt.toISOString() : isoTimestamp(Date.now()),
    stats: {
      ...input.stats,
      findings: findings.length,
      validated: findings.filter((f) => f.validated).length,
      baselined: baselined.length
    },
    findings,
    baselined,
    staleBaseline: (input.staleBaseline ?? []).map((s) => ({ ...s })),
    warnings: [...input.warnings ?? []]
  };
}
function renderJson(input) {
  return `${jsonSafe(JSON.stringify(toJsonReport(input), null, 2))}
`;
}

// src/scan/report/text.ts
function groupByFile(findings) {
  const groups = /* @__PURE__ */ new Map();
  for (const f of findings) {
    const list = groups.get(f.file);
    if (list) list.push(f);
    else groups.set(f.file, [f]);
  }
  for (const list of groups.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
  return groups;
}
function formatBytes3(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// src/scan/report/markdown.ts
function mdCode(s) {
  const oneLine = printable(s);
  const runs = oneLine.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${fence}${pad}${oneLine}${pad}${fence}`.replace(/\|/g, "\\|");
}
function mdText(s) {
  return printable(s).replace(/&/g, "&amp;").replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`);
}
function renderMarkdown(opts) {
  const title = opts.title ?? "jit-gpg scan";
  const findings = redactFindings(opts.findings);
  const baselined = opts.baselined?.length ?? 0;
  const stale = opts.staleBaseline ?? [];
  const s = opts.stats;
  const out = [];
  const scanned = `${plural(s.files, "file")} (${formatBytes3(s.bytes)}) scanned in ${s.durationMs} ms`;
  if (findings.length === 0) {
    out.push(`## \u2705 ${title}: no secrets found`, "");
    out.push(`${scanned}.${baselined ? ` ${plural(baselined, "finding")} accepted by the baseline.` : ""}`, "");
  } else {
    const validated = findings.filter((f) => f.validated).length;
    const groups = groupByFile(findings);
    out.push(`## \u{1F6A8} ${title}: ${plural(findings.length, "secret")} found`, "");
    out.push(
      `**${findings.length}** in **${plural(groups.size, "file")}** \xB7 **${validated}** validated (checksum or structure proves the format)` + (baselined ? ` \xB7 ${baselined} accepted by the baseline` : "") + (opts.failing !== void 0 && opts.failing !== findings.length ? ` \xB7 ${opts.failing} fail the job` : "") + ` \xB7 ${scanned}`,
      ""
    );
    let rows = opts.maxRows ?? 500;
    let omitted = 0;
    for (const [file, list] of groups) {
      if (rows <= 0) {
        omitted += list.length;
        continue;
      }
      out.push(`### ${mdCode(file)}`, "");
      out.push("| Line | Rule | Severity | Validated | Preview |", "| ---: | --- | --- | :---: | --- |");
      for (const f of list) {
        if (rows-- > 0) out.push(row(f));
        else omitted++;
      }
      out.push("");
    }
    if (omitted > 0) {
      out.push(`\u2026and ${plural(omitted, "more finding")} not listed here: see the SARIF or JSON report.`, "");
    }
    const revocable = findings.filter((f) => f.revocation);
    if (revocable.length > 0) {
      const accepted = revocable.filter((f) => f.revocation.submitted && f.revocation.answer.startsWith("accepted"));
      out.push(
        `**Revocation:** ${accepted.length} of ${plural(revocable.length, "GitHub token finding")} accepted by GitHub's credential-revocation endpoint (irreversible; the owners are notified).`,
        ""
      );
    }
    out.push("### Findings per rule", "", "| Rule | Title | Findings |", "| --- | --- | ---: |");
    const perRule = /* @__PURE__ */ new Map();
    for (const f of findings) {
      const e = perRule.get(f.ruleId) ?? { title: f.title, n: 0 };
      e.n++;
      perRule.set(f.ruleId, e);
    }
    for (const [id, e] of [...perRule].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))) {
      out.push(`| ${mdCode(id)} | ${mdText(e.title)} | ${e.n} |`);
    }
    out.push("");
    out.push(
      findings.every((f) => f.log) ? "**What to do:** rotate each secret first (treat it as leaked: anyone who can read the run can read its logs), then stop the step from printing it and delete the run\u2019s logs. For a false positive, add an `[allow]` entry in `.jit-gpg.toml` or pass the JSON report as a `baseline`." : "**What to do:** rotate each secret first (treat it as leaked: it is in the history), then remove it from the code. For a false positive, add an inline `jit-gpg:allow` comment, an `[allow]` entry in `.jit-gpg.toml`, or pass the JSON report as a `baseline`.",
      ""
    );
  }
  if (opts.notes?.length) {
    for (const n of opts.notes) out.push(`- ${mdText(n)}`);
    out.push("");
  }
  const skipped = policySkips(s);
  if (skipped.length) out.push(`**Skipped by policy:** ${skipped.join(", ")}.`, "");
  const incomplete = incompleteItems(s);
  if (incomplete)
    out.push(`**Not scanned (the scan is incomplete):** ${plural(incomplete, "item")}; see the warnings.`, "");
  if (stale.length) {
    out.push(`### Stale baseline entries (${stale.length})`, "");
    out.push("These baseline entries matched nothing in this scan; remove them from the baseline file.", "");
    out.push("| Rule | Was at | Fingerprint |", "| --- | --- | --- |");
    for (const e of stale) {
      const where = e.file ? mdCode(`${e.file}${e.line ? `:${e.line}` : ""}`) : "";
      out.push(`| ${mdCode(e.ruleId ?? "unknown")} | ${where} | ${mdCode(e.fingerprint.slice(0, 16))} |`);
    }
    out.push("");
  }
  if (opts.warnings?.length) {
    out.push(`<details><summary>${plural(opts.warnings.length, "warning")}</summary>`, "");
    for (const w of opts.warnings) out.push(`- ${mdText(w)}`);
    out.push("", "</details>", "");
  }
  if (opts.reportPaths?.sarif || opts.reportPaths?.json) {
    const parts = [];
    if (opts.reportPaths.sarif) parts.push(`SARIF ${mdCode(opts.reportPaths.sarif)}`);
    if (opts.reportPaths.json) parts.push(`JSON ${mdCode(opts.reportPaths.json)}`);
    out.push(`Reports: ${parts.join(" \xB7 ")}`, "");
  }
  return `${out.join("\n")}
`;
}
function row(f) {
  const commit = f.commit ? ` (${mdCode(f.commit.slice(0, 12))})` : "";
  const line = f.log && /^https?:\/\/[^\s()<>]+$/.test(f.log.url) ? `[${f.line}](${f.log.url})` : String(f.line);
  const step = f.log?.step !== void 0 ? ` in step ${mdCode(f.log.step)}` : "";
  const revocation = f.revocation ? ` \xB7 revocation: ${mdText(f.revocation.answer)}` : "";
  return `| ${line} | ${mdCode(f.ruleId)} ${mdText(f.title)}${commit}${step} | ${f.severity} | ${f.validated ? "\u2705" : "\u2013"} | ${mdCode(f.preview)}${revocation} |`;
}

// src/scan/report/sarif.ts
import { pathToFileURL } from "node:url";

// src/scan/rules/help.ts
var import_node_fs13 = __toESM(require_node_fs(), 1);
var HELP_FILE = "rules-help.json";
var loaded = /* @__PURE__ */ new Map();
function ruleHelp(rule, from = import.meta.url) {
  if (rule.help !== void 0) return rule.help;
  const key = String(from);
  let texts = loaded.get(key);
  if (!texts) {
    texts = readHelp(from);
    loaded.set(key, texts);
  }
  const text = texts[rule.id];
  if (typeof text !== "string") throw new Error(`${HELP_FILE} has no help for the rule ${rule.id}: reinstall jit-gpg`);
  return text;
}
function readHelp(from) {
  for (const dir of ["./", "../", "../../"]) {
    let text;
    try {
      text = (0, import_node_fs13.readFileSync)(new URL(`${dir}${HELP_FILE}`, from), "utf8");
    } catch {
      continue;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`${HELP_FILE} is damaged (${e.message}): reinstall jit-gpg`);
    }
  }
  throw new Error(`${HELP_FILE} was not found beside the bundle (${String(from)}): reinstall jit-gpg`);
}

// src/scan/report/sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
var SRCROOT = "%SRCROOT%";
var LEVEL = { critical: "error", high: "error", medium: "warning", low: "note" };
var SECURITY_SEVERITY = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
function sarifLevel(severity) {
  return LEVEL[severity] ?? "error";
}
function ruleName(id) {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
}
function firstParagraph(help) {
  const para = help.trim().split(/\n\s*\n/)[0] ?? "";
  return para.replace(/\s+/g, " ").trim();
}
function toUri(file) {
  return file.split("/").map((seg) => encodeURIComponent(seg)).join("/");
}
function descriptor(rule) {
  const help = ruleHelp(rule).trim() || `${rule.title}. Rotate the secret, then remove it from the code.`;
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: firstParagraph(help) || rule.title },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: ["security", "secret", `severity/${rule.severity}`],
      precision: "high",
      "security-severity": SECURITY_SEVERITY[rule.severity] ?? "8.0"
    }
  };
}
function physical(l) {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(l.file), uriBaseId: SRCROOT },
      region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn }
    }
  };
}
function toSarif(opts) {
  const findings = redactFindings(opts.findings);
  const rules = [];
  const index = /* @__PURE__ */ new Map();
  const add = (r) => {
    if (index.has(r.id)) return;
    index.set(r.id, rules.length);
    rules.push(r);
  };
  for (const r of opts.rules) add(r);
  for (const f of findings) add({ id: f.ruleId, title: f.title, severity: f.severity, help: "" });
  const results = findings.map((f) => {
    const partialFingerprints = { "secretHash/v1": f.fingerprint };
    if (f.commit) partialFingerprints.commitSha = f.commit;
    const properties = { validated: f.validated, severity: f.severity };
    if (f.commit) properties.commit = f.commit;
    if (f.decoded) properties.decoded = f.decoded;
    if (f.log) properties.log = f.log;
    if (f.revocation) properties.revocation = f.revocation;
    const result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: sarifLevel(f.severity),
      message: { text: `${f.title}: ${f.preview}${f.validated ? " (validated)" : ""}` },
      // The first occurrence; every other place of the same secret is a related location.
      locations: [physical(f)],
      partialFingerprints,
      properties
    };
    if (f.locations?.length) {
      result.relatedLocations = f.locations.map((l, i) => ({
        id: i + 1,
        ...physical(l),
        message: { text: l.commit ? `also in commit ${l.commit.slice(0, 12)}` : "also here" }
      }));
    }
    return result;
  });
  const notifications = [
    ...(opts.warnings ?? []).map((w) => ({ level: "warning", message: { text: w } })),
    ...policySkips(opts.stats).map((text) => ({
      level: "note",
      message: { text: `skipped by policy: ${text}` }
    }))
  ];
  const run2 = {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: opts.toolVersion,
        semanticVersion: opts.toolVersion,
        informationUri: TOOL_URI,
        rules: rules.map(descriptor)
      }
    },
    invocations: [
      {
        executionSuccessful: opts.executionSuccessful ?? true,
        endTimeUtc: opts.scannedAt ? opts.scannedAt.toISOString() : isoTimestamp(Date.now()),
        ...notifications.length ? { toolExecutionNotifications: notifications } : {}
      }
    ],
    results,
    properties: { stats: opts.stats, baselined: (opts.baselined ?? []).length }
  };
  if (opts.root) {
    const uri = pathToFileURL(opts.root).href;
    run2.originalUriBaseIds = { [SRCROOT]: { uri: uri.endsWith("/") ? uri : `${uri}/` } };
  }
  return { $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run2] };
}
function renderSarif(opts) {
  return `${jsonSafe(JSON.stringify(toSarif(opts), null, 2))}
`;
}

// src/action/inputs.ts
var InputError = class extends Error {
  name = "InputError";
  input;
  constructor(message, input) {
    super(message);
    this.input = input;
  }
};
var fromCore = (name2) => getInput(name2);
var TRUE = ["true", "True", "TRUE"];
var FALSE = ["false", "False", "FALSE"];
function shown(v) {
  const chars = [...v];
  return JSON.stringify(chars.length > 4 ? `${chars.slice(0, 4).join("")}\u2026` : v);
}
function inputs(action, source = fromCore) {
  const raw = (name2) => (source(name2) ?? "").trim();
  const error2 = (name2, problem) => new InputError(`${action}: input \`${name2}\` ${problem}`, name2);
  const self = {
    action,
    error: error2,
    string(name2, opts = {}) {
      const v = raw(name2);
      if (v) return v;
      if (opts.required) throw error2(name2, "is required; set it in the step's `with:`");
      return opts.fallback ?? "";
    },
    optional(name2) {
      return raw(name2) || void 0;
    },
    boolean(name2, fallback) {
      const v = raw(name2);
      if (v === "") return fallback;
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      throw error2(name2, `must be true or false (got ${shown(v)}); remove it to use the default ${fallback}`);
    },
    oneOf(name2, allowed, fallback) {
      const v = raw(name2);
      if (v === "") return fallback;
      if (allowed.includes(v)) return v;
      const lower = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
      throw error2(
        name2,
        `must be one of ${allowed.join(", ")} (got ${shown(v)})` + (lower ? `; did you mean "${lower}"?` : `; remove it to use the default "${fallback}"`)
      );
    },
    integer(name2, opts) {
      const v = raw(name2);
      if (v === "") return opts.fallback;
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : Number.NaN;
      const range = opts.min !== void 0 && opts.max !== void 0 ? ` between ${opts.min} and ${opts.max}` : opts.min !== void 0 ? ` of at least ${opts.min}` : opts.max !== void 0 ? ` of at most ${opts.max}` : "";
      if (!Number.isSafeInteger(n) || opts.min !== void 0 && n < opts.min || opts.max !== void 0 && n > opts.max) {
        throw error2(
          name2,
          `must be an integer${range} (got ${shown(v)}); remove it to use the default ${opts.fallback}`
        );
      }
      return n;
    },
    list(name2, opts = {}) {
      const v = source(name2) ?? "";
      const items = v.split(/\r?\n/).flatMap((line) => opts.commas ? line.split(",") : [line]);
      return items.map((s) => s.trim()).filter((s) => s !== "" && !s.startsWith("#"));
    },
    url(name2, opts = {}) {
      const v = raw(name2);
      if (v === "") {
        if (opts.required) throw error2(name2, "is required: the service URL, e.g. https://vault.example.com:8200");
        return void 0;
      }
      let u;
      try {
        u = new URL(v);
      } catch {
        throw error2(name2, `must be an absolute URL such as https://vault.example.com:8200 (got ${shown(v)})`);
      }
      if (u.username || u.password) {
        throw error2(
          name2,
          'must not contain a user name or password (the value is not shown); remove the part before "@"'
        );
      }
      if (u.protocol !== "https:" && u.protocol !== "http:") {
        throw error2(name2, `must be an http(s) URL (got ${shown(v)})`);
      }
      return v;
    }
  };
  return self;
}

// src/action/scan-cache.ts
var import_node_fs14 = __toESM(require_node_fs(), 1);
var import_node_os2 = __toESM(require_node_os(), 1);
import { join as join5 } from "node:path";
function stateDir(ctx) {
  return ctx.dir ?? join5(process.env.RUNNER_TEMP || (0, import_node_os2.tmpdir)(), "jit-gpg-scan-cache");
}
function stateFile(ctx) {
  return join5(stateDir(ctx), `state-${ctx.mode}.json`);
}
var actionsCache;
var loadCache = () => actionsCache ??= import("./chunks/cache-VOAGBK3C.js");
async function cacheAvailable() {
  try {
    return (await loadCache()).isFeatureAvailable();
  } catch {
    return false;
  }
}
async function restoreScanCache(ctx) {
  if (!await cacheAvailable()) return { message: "cache: the cache service is not available here; full scan" };
  const dir = stateDir(ctx);
  const file = stateFile(ctx);
  (0, import_node_fs14.rmSync)(dir, { recursive: true, force: true });
  (0, import_node_fs14.mkdirSync)(dir, { recursive: true });
  const keys = cacheKeys(ctx.mode, ctx.policyHash, ctx.unique);
  let matchedKey;
  try {
    matchedKey = await (await loadCache()).restoreCache([dir], keys.key, keys.restoreKeys);
  } catch (err) {
    return { message: `cache: restore failed (${err.message}); full scan` };
  }
  if (!matchedKey) return { message: "cache: no entry for these rules yet; full scan" };
  let text;
  try {
    if ((0, import_node_fs14.statSync)(file).size > MAX_STATE_BYTES)
      return { matchedKey, message: `cache: ${matchedKey} is too large; ignored, full scan` };
    text = (0, import_node_fs14.readFileSync)(file);
  } catch {
    return { matchedKey, message: `cache: ${matchedKey} holds no scan state; ignored, full scan` };
  }
  const check = checkState(text, { scannerVersion: ctx.scannerVersion, policyHash: ctx.policyHash, mode: ctx.mode });
  if (!check.ok) return { matchedKey, message: `cache: ${matchedKey} ignored (${check.reason}); full scan` };
  return {
    commits: check.commits,
    matchedKey,
    message: `cache: restored ${matchedKey}: ${check.commits.size.toLocaleString("en-US")} commits already scanned under these rules`
  };
}
async function saveScanCache(ctx, commits, restored) {
  const keys = cacheKeys(ctx.mode, ctx.policyHash, ctx.unique);
  if (!await cacheAvailable())
    return { saved: false, key: keys.key, message: "cache: the cache service is not available here; not saved" };
  const all = new Set(restored ?? []);
  for (const c of commits) all.add(c);
  const state = buildState({
    scannerVersion: ctx.scannerVersion,
    policyHash: ctx.policyHash,
    mode: ctx.mode,
    commits: all
  });
  const dir = stateDir(ctx);
  (0, import_node_fs14.mkdirSync)(dir, { recursive: true });
  (0, import_node_fs14.writeFileSync)(stateFile(ctx), serializeState(state));
  try {
    const id = await (await loadCache()).saveCache([dir], keys.key);
    if (id === -1)
      return { saved: false, key: keys.key, message: `cache: ${keys.key} was not saved (see the warning above)` };
    return {
      saved: true,
      key: keys.key,
      message: `cache: saved ${keys.key} (${state.commits.length.toLocaleString("en-US")} commits)`
    };
  } catch (err) {
    return { saved: false, key: keys.key, message: `cache: save failed (${err.message})` };
  }
}

// src/action/scan.ts
var ACTION = "jit-gpg scan";
function info2(line) {
  info(printable(line));
}
var MAX_WARNING_ANNOTATIONS = 10;
function readScanInputs(source) {
  const i = inputs(ACTION, source);
  const out = {
    path: i.string("path", { fallback: "." }),
    mode: i.oneOf("mode", SCAN_MODES, "auto"),
    failOn: i.oneOf("fail-on", FAIL_ON, "any"),
    annotations: i.boolean("annotations", true),
    cache: i.boolean("cache", true),
    revoke: i.oneOf("revoke", REVOKE, "none"),
    configFrom: i.oneOf("config-from", ["base", "head"], "base")
  };
  const runId = i.optional("run-id");
  if (runId !== void 0) {
    if (!/^\d{1,15}$/.test(runId) || Number(runId) < 1) {
      throw i.error("run-id", "must be a workflow run id (a positive integer); remove it to scan this run");
    }
    out.runId = Number(runId);
  }
  const token = i.optional("token");
  if (token !== void 0) out.token = token;
  for (const [key, name2] of [
    ["base", "base"],
    ["head", "head"],
    ["config", "config"],
    ["baseline", "baseline"],
    ["sarif", "sarif"]
  ]) {
    const v = i.optional(name2);
    if (v !== void 0) out[key] = v;
  }
  return out;
}
function workspacePrefix(workspace, root) {
  const rel = relative4(workspace, root);
  if (rel === "") return "";
  if (rel.startsWith("..") || isAbsolute4(rel)) return void 0;
  return rel.split(sep2).join("/");
}
function withPrefix(prefix, f) {
  return prefix ? { ...f, file: `${prefix}/${f.file}` } : f;
}
function failMessage(job, fails, failOn) {
  const n = job.result.findings.length;
  if (job.logs) {
    return `${ACTION}: ${plural(n, "secret")} found in the run's logs. Rotate each one first (treat it as leaked: anyone who can read the run can read its logs), then stop the step from printing it and delete the logs (the run's menu: Delete all logs). The annotations and the job summary link to each job, step and line.`;
  }
  const what = failOn === "validated" ? `${plural(fails.length, "validated secret")} found (${n} finding${n === 1 ? "" : "s"} in all)` : `${plural(n, "secret")} found${fails.some((f) => f.validated) ? ` (${fails.filter((f) => f.validated).length} validated)` : ""}`;
  return `${ACTION}: ${what}. Rotate each one first (treat it as leaked: it is in the git history), then remove it from the code. For a false positive, add an inline \`jit-gpg:allow\` comment or an [allow] entry in ${DEFAULT_CONFIG_NAME}, or accept the current findings by passing this run's JSON report (output \`report\`) as input \`baseline\`. The annotations and the job summary show each file and line.`;
}
async function run() {
  try {
    await main(process.env);
  } catch (e) {
    const message = e.message ?? String(e);
    setFailed(message.startsWith(`${ACTION}:`) ? message : `${ACTION}: ${message}`);
    if (!(e instanceof InputError) && process.env.RUNNER_DEBUG === "1") debug(e.stack ?? "");
  }
}
async function main(env) {
  const i = inputs(ACTION);
  const opts = readScanInputs();
  if (opts.token) setSecret(opts.token);
  const workspace = resolve4(env.GITHUB_WORKSPACE || process.cwd());
  const runnerTemp = env.RUNNER_TEMP || (0, import_node_os3.tmpdir)();
  const target = resolve4(workspace, opts.path);
  if (!(0, import_node_fs15.existsSync)(target)) {
    throw i.error(
      "path",
      `points to ${target}, which does not exist; use a path relative to the workspace (default ".")`
    );
  }
  const isDir = (0, import_node_fs15.statSync)(target).isDirectory();
  const root = isDir ? target : dirname6(target);
  const file = isDir ? void 0 : basename2(target);
  const sarifPath = opts.sarif ? resolve4(workspace, opts.sarif) : join6(runnerTemp, "jit-gpg.sarif");
  const reportPath = join6(runnerTemp, "jit-gpg-report.json");
  if ((0, import_node_fs15.existsSync)(sarifPath) && (0, import_node_fs15.statSync)(sarifPath).isDirectory()) {
    throw i.error("sarif", `points to the directory ${sarifPath}; give a file path such as results/jit-gpg.sarif`);
  }
  const logsMode = opts.mode === "logs";
  const prefix = workspacePrefix(workspace, root);
  if (prefix === void 0 && !logsMode) {
    warning(
      `${ACTION}: path ${root} is outside the workspace (${workspace}); annotation and SARIF paths are relative to it`
    );
  }
  await group("Settings", async () => {
    info2(`path: ${target}${file ? " (a single file)" : ""}`);
    info2(`mode: ${opts.mode}${opts.mode === "auto" ? " (from the event)" : ""}`);
    if (opts.base || opts.head) info2(`base: ${opts.base ?? "-"}  head: ${opts.head ?? "-"}`);
    info2(`config: ${opts.config ?? `${DEFAULT_CONFIG_NAME} if present`}`);
    info2(`baseline: ${opts.baseline ?? "none"}`);
    info2(`fail-on: ${opts.failOn}  annotations: ${opts.annotations}  cache: ${opts.cache}`);
    if (logsMode) info2(`run: ${opts.runId ?? `${env.GITHUB_RUN_ID ?? "-"} (this run)`}`);
    info2(`revoke: ${opts.revoke}`);
    info2(`config-from: ${opts.configFrom}`);
  });
  const warnings = [];
  const notes = [];
  const event = env.GITHUB_EVENT_NAME;
  const useCache = opts.cache && !isPullRequestEvent(event);
  if (!opts.cache) notes.push("Cache: not used (input `cache` is false).");
  else if (!useCache) {
    const note = `Cache: not used on ${event} events (a pull request's own workflows can write that cache scope); every commit in range was scanned.`;
    info2(note);
    notes.push(note);
  }
  let cacheCtx;
  let restored;
  const restoreGitCache = async (mode, policy, configFile) => {
    const digest = (file2) => file2 ? (0, import_node_crypto7.createHash)("sha256").update(readRegularFile(file2, { maxBytes: MAX_CONFIG_BYTES, what: "config file" })).digest("hex") : "";
    const config = digest(configFile);
    const gitleaks = digest(findGitleaksConfig(root));
    const unique = [env.GITHUB_SHA || "local", env.GITHUB_RUN_ID || String(Date.now()), env.GITHUB_RUN_ATTEMPT || "1"];
    cacheCtx = {
      mode,
      policyHash: policyHash(policy, VERSION, { config, gitleaks }),
      scannerVersion: VERSION,
      unique: unique.join("-")
    };
    const r = await restoreScanCache(cacheCtx);
    info2(r.message);
    restored = r.commits;
    return r.commits;
  };
  const job = await group(`Scan ${prefix === "" ? "the workspace" : prefix ?? root}`, async () => {
    let j;
    try {
      j = await runScanJob({
        root,
        file,
        mode: opts.mode,
        base: opts.base,
        head: opts.head,
        configPath: opts.config,
        configSearch: [.../* @__PURE__ */ new Set([root, workspace])],
        cwd: workspace,
        baselinePath: opts.baseline,
        configFrom: opts.configFrom,
        env,
        revoke: opts.revoke,
        ...logsMode ? {
          logs: {
            repo: env.GITHUB_REPOSITORY ?? "",
            runId: opts.runId ?? Number(env.GITHUB_RUN_ID ?? ""),
            serverUrl: env.GITHUB_SERVER_URL || "https://github.com"
          }
        } : {},
        github: {
          apiUrl: env.GITHUB_API_URL || "https://api.github.com",
          ...opts.token ? { token: opts.token } : {}
        },
        onNotice: (m) => info2(m),
        ...useCache ? { restoreGitCache } : {},
        onWarning: (m) => {
          warnings.push(m);
          if (warnings.length <= MAX_WARNING_ANNOTATIONS) warning(printable(m));
          else info2(`warning: ${m}`);
        }
      });
    } catch (e) {
      const err = e;
      const about = (input2) => new InputError(`${ACTION}: input \`${input2}\`: ${err.message}`, input2);
      if (err.name === "ModeError") throw about("mode");
      if (err.name === "BaselineError") throw about("baseline");
      if (err.name === "ConfigError" && opts.config && /config file not found|is a directory/.test(err.message)) {
        throw about("config");
      }
      throw e;
    }
    const s = j.result.stats;
    info2(`config: ${j.configFile ? relative4(workspace, j.configFile) || j.configFile : "built-in defaults"}`);
    info2(`${plural(j.policy.rules.length, "rule")}; engine ${s.engine}`);
    info2(`${plural(s.files, "file")} (${formatBytes3(s.bytes)}) scanned in ${s.durationMs} ms`);
    const skips = policySkips(s);
    if (skips.length) info2(`skipped by policy: ${skips.join(", ")}`);
    if (incompleteItems(s) > 0) {
      info2(`could not be scanned: ${plural(incompleteItems(s), "item")} (see the warnings)`);
    }
    if (j.baseline) {
      info2(
        `baseline: ${plural(j.accepted.length, "finding")} accepted, ${plural(j.stale.length, "stale entry", "stale entries")}`
      );
    }
    return j;
  });
  const configNames = job.config.files.map((f) => `${f.name} (${f.origin})`);
  notes.unshift(
    `Config: read from the ${job.config.describe}: ${configNames.length ? configNames.join(", ") : "no config files, built-in defaults"}.`
  );
  for (const f of job.config.files.filter((c) => c.changed && job.config.base)) {
    notice(
      `${ACTION}: this pull request changes ${f.name}; the scan used the base commit's version instead (${f.origin}). The change takes effect once it is merged.`,
      { title: "Scan config changed by this pull request", file: f.name }
    );
  }
  const markerFindings = redactFindings(job.markerSuppressed).map((f) => withPrefix(prefix, f));
  for (const f of markerFindings) {
    const message = `suppressed by a marker added in this pull request: review it (${f.title}: ${f.preview} [${f.ruleId}])`;
    warning(message, { title: "Inline allow marker added", file: f.file, startLine: f.line, endLine: f.endLine });
    notes.push(`${f.file}:${f.line}: ${message}`);
  }
  if (job.logs) {
    notes.push(`Logs: ${plural(job.logs.jobs, "completed job")} of the run scanned.`);
    for (const s of job.logs.skipped) notes.push(`Job "${s.job}" not scanned: ${s.why}.`);
  }
  const filePrefix = logsMode ? "" : prefix;
  const findings = redactFindings(job.result.findings).map((f) => withPrefix(filePrefix, f));
  const accepted = redactFindings(job.accepted).map((f) => withPrefix(filePrefix, f));
  const fails = failing(findings, opts.failOn);
  const input = {
    findings,
    baselined: accepted,
    staleBaseline: job.stale,
    stats: job.result.stats,
    warnings: job.result.warnings,
    toolVersion: VERSION
  };
  await group("Reports", async () => {
    await (0, import_promises.mkdir)(dirname6(sarifPath), { recursive: true });
    await (0, import_promises.writeFile)(
      sarifPath,
      renderSarif({
        ...input,
        rules: job.policy.rules,
        root: prefix === void 0 ? root : workspace,
        executionSuccessful: incompleteItems(job.result.stats) === 0
      })
    );
    info2(`SARIF: ${sarifPath}`);
    await (0, import_promises.mkdir)(dirname6(reportPath), { recursive: true });
    await (0, import_promises.writeFile)(reportPath, renderJson(input));
    info2(`JSON report: ${reportPath}`);
    try {
      await summary.addRaw(
        renderMarkdown({
          ...input,
          notes,
          failing: fails.length,
          reportPaths: { sarif: sarifPath, json: reportPath }
        })
      ).write();
      info2("job summary written");
    } catch (e) {
      warning(`${ACTION}: could not write the job summary (${e.message})`);
    }
  });
  await group(`Findings (${findings.length})`, async () => {
    for (const f of findings) {
      const message = `${f.title}: ${f.preview}${f.validated ? " (validated)" : ""} [${f.ruleId}]`;
      if (f.log) {
        const step = f.log.step !== void 0 ? `, step "${printable(f.log.step)}"` : "";
        const where = `job "${printable(f.log.job)}"${step}, line ${f.line}`;
        const revoked = f.revocation ? `; revocation: ${f.revocation.answer}` : "";
        const more = f.locations?.length ? ` (and ${plural(f.locations.length, "other place")}: see the report)` : "";
        const text = `${message} in ${where}${more}${revoked}: ${f.log.url}`;
        if (opts.annotations) error(printable(text), { title: f.title });
        else info2(text);
        continue;
      }
      if (opts.annotations) {
        error(message, {
          title: f.title,
          file: f.file,
          startLine: f.line,
          startColumn: f.column,
          endLine: f.endLine
        });
      } else {
        info2(`${f.file}:${f.line}:${f.column}: ${message}`);
      }
    }
    if (findings.length === 0) info2("no secrets found");
  });
  if (cacheCtx && job.git && findings.length === 0 && accepted.length === 0 && isCleanForCache(job.result, { stats: job.git.stats })) {
    const ctx = cacheCtx;
    const commits = job.git.commits;
    await group("Cache", async () => info2((await saveScanCache(ctx, commits, restored)).message));
  }
  setOutput("findings", String(findings.length));
  setOutput("sarif", sarifPath);
  setOutput("report", reportPath);
  if (job.revocation?.failure) setFailed(`${ACTION}: ${job.revocation.failure}`);
  if (fails.length > 0) {
    setFailed(failMessage(job, fails, opts.failOn));
  } else if (incompleteItems(job.result.stats) > 0) {
    setFailed(
      `${ACTION}: scan incomplete: ${plural(incompleteItems(job.result.stats), "item")} could not be scanned (see the warnings); fix what they name or re-run the job`
    );
  } else if (findings.length > 0) {
    notice(
      `${ACTION}: ${plural(findings.length, "finding")}, none failing with fail-on: ${opts.failOn}; see the job summary`
    );
  }
}

// src/entries/scan-main.ts
await run();
