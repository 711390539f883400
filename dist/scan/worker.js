import {
  resumeAt
} from "./lazy/chunk-EGHI7XSH.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./lazy/chunk-5GPKCGEU.js";

// builtin:node:worker_threads
var require_node_worker_threads = __commonJS({
  "builtin:node:worker_threads"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:worker_threads");
    module.exports = Object.create(new Proxy({}, { get: (_, name2) => load()[name2] }));
  }
});

// builtin:node:fs
var require_node_fs = __commonJS({
  "builtin:node:fs"(exports, module) {
    module.exports = Object.create(__require("node:fs"));
  }
});

// builtin:node:crypto
var require_node_crypto = __commonJS({
  "builtin:node:crypto"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:crypto");
    module.exports = Object.create(new Proxy({}, { get: (_, name2) => load()[name2] }));
  }
});

// builtin:node:zlib
var require_node_zlib = __commonJS({
  "builtin:node:zlib"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:zlib");
    module.exports = Object.create(new Proxy({}, { get: (_, name2) => load()[name2] }));
  }
});

// builtin:node:os
var require_node_os = __commonJS({
  "builtin:node:os"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:os");
    module.exports = Object.create(new Proxy({}, { get: (_, name2) => load()[name2] }));
  }
});

// src/scan/worker.ts
var import_node_worker_threads2 = __toESM(require_node_worker_threads(), 1);

// src/scan/engine.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);

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
function looksLikeText(data, start, end, hex) {
  const step = hex ? 2 : 4;
  let bad = 0;
  let total = 0;
  for (let k = start; k < end; k += step) {
    total++;
    const c = data[k];
    const ok = hex ? c >= 50 && c <= 55 : B64_ASCII_LEAD[c] === 1;
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
  let sep = -1;
  for (let i = start; i + 2 < end; i++) {
    if (data[i] === 58 && data[i + 1] === 47 && data[i + 2] === 47) {
      sep = i;
      break;
    }
  }
  if (sep < 0) return start;
  let scheme = sep;
  while (scheme > start && SCHEME[data[scheme - 1]]) scheme--;
  while (scheme < sep && !ALPHA[data[scheme]]) scheme++;
  if (scheme === sep) return start;
  let at = -1;
  for (let i = sep + 3; i < end; i++) {
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
function scanDecoded(data, path, policy, scanBuffer, options2 = {}) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const seg of decodeSegments(data, options2.limits, options2.runs)) {
    const line = options2.lineMap ? options2.lineMap[seg.line - 1] ?? seg.line : seg.line;
    for (const f of scanBuffer(seg.text, path, policy)) {
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
  let run = 0;
  for (let i = 0; i < secret.length; i++) {
    run = (secret.charCodeAt(i) | 32) === 120 ? run + 1 : 0;
    if (run >= xs) return true;
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
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i);
    const alnum = /[0-9A-Za-z]/.test(s[i]) && /[0-9A-Za-z]/.test(s[i - 1]);
    run = alnum && b === a + 1 ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}
function isAlphabetWalk(s) {
  let run = 0;
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
    run = last >= 0 && (next || otherCase) ? run + 1 : 1;
    last = c;
    lastAt = i;
    if (run > best) best = run;
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
    const row = KEYBOARD_ROWS.find((r) => r.includes(t[i]));
    let dir = 0;
    while (row && j < t.length) {
      const step = row.indexOf(t[j]) - row.indexOf(t[j - 1]);
      if (row.indexOf(t[j]) < 0 || step !== 1 && step !== -1 || dir !== 0 && step !== dir) break;
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
  constructor(sources, engine2) {
    this.patterns = sources.map((s) => engine2.compile(s));
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
var import_node_crypto = __toESM(require_node_crypto(), 1);
function fingerprint(ruleId, secret) {
  return (0, import_node_crypto.createHash)("sha256").update(ruleId).update("\0").update(secret).digest("hex");
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
      const row = s * classes;
      if (s !== 0) out.copyWithin(row, fail[s] * classes, (fail[s] + 1) * classes);
      for (let g = firstChild[s]; g >= 0; g = nextSibling[g]) {
        out[row + edgeClass[g]] = endsKeyword[g] ? -(g * step) : g * step;
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
    const row = this.rowBytes;
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
        hits[n++] = i32[outWord + 2 * k + 1] / row;
      }
    }
    return n >> 1;
  }
};

// src/scan/regex/native.ts
var import_node_fs = __toESM(require_node_fs(), 1);
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
    fd = (0, import_node_fs.openSync)(path, "r");
    const head = Buffer.alloc(4096);
    const got = (0, import_node_fs.readSync)(fd, head, 0, head.length, 0);
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
      (0, import_node_fs.readSync)(fd, name2, 0, size, offset);
      return name2.toString("latin1").replace(/\0.*$/s, "");
    }
    return void 0;
  } catch {
    return void 0;
  } finally {
    if (fd !== void 0) (0, import_node_fs.closeSync)(fd);
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
  const paths = explicit ? [explicit] : addonCandidates(here, nativeAddonName()).filter((p) => (0, import_node_fs.existsSync)(p));
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
    compile(source, options2 = {}) {
      const re = new ctor(source, `gd${options2.caseInsensitive ? "i" : ""}`);
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
    compileSet(sources, options2 = {}) {
      const set = new ctor.Set(sources, options2.caseInsensitive ? "i" : "", { maxMem: 512 * 1024 * 1024 });
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
  if (!cached && !portable && wantsPortable()) portable = (await import("./lazy/portable-V3N2R2CY.js")).portableEngine;
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
var import_node_crypto2 = __toESM(require_node_crypto(), 1);

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
function printable(s) {
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
  if (!printable(text) || Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "") !== secret.replace(/=+$/, ""))
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
  if (!printable(text) || Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "") !== secret.replace(/=+$/, ""))
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
  const sep = lower.lastIndexOf("1");
  if (sep < 1 || sep + 7 > lower.length) return void 0;
  const hrp = lower.slice(0, sep);
  const values = [];
  for (const c of lower.slice(sep + 1)) {
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
    const key = (0, import_node_crypto2.createPrivateKey)({ key: pemText(pem2.label, pem2.base64), format: "pem" });
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
      if ((0, import_node_crypto2.createPrivateKey)({ key: der, format: "der", type }).type === "private") return true;
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
    const key = (0, import_node_crypto2.createHash)("sha1").update("putty-private-key-file-mac-key").digest();
    return (0, import_node_crypto2.createHmac)("sha1", key).update(data).digest("hex");
  }
  return (0, import_node_crypto2.createHmac)("sha256", Buffer.alloc(0)).update(data).digest("hex");
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
    const key = (0, import_node_crypto2.createPrivateKey)({ key: obj, format: "jwk" });
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
var import_node_crypto3 = __toESM(require_node_crypto(), 1);
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
    const key = (0, import_node_crypto3.createPrivateKey)({ key: pem2, format: "pem" });
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
var import_node_crypto4 = __toESM(require_node_crypto(), 1);
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
  constructor(policy, options2 = {}) {
    this.retain = new Set(policy.retainSecrets ?? []);
    const warn = options2.onWarning ?? (() => {
    });
    this.reportInlineAllowed = options2.reportInlineAllowed === true;
    this.regex = options2.regex ?? loadRegexEngine(warn);
    settleDetaching();
    this.chunkSize = options2.chunkSize ?? 1024 * 1024;
    this.overlap = options2.overlap ?? 64 * 1024;
    this.margin = options2.margin ?? 4096;
    this.lead = options2.lead ?? Math.min(1024, this.margin);
    this.decode = options2.decode ? options2.decode === true ? {} : options2.decode : void 0;
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
    let mode = options2.prefilter ?? "keywords";
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
    const fd = (0, import_node_fs2.openSync)(typeof absPath === "string" ? absPath : Buffer.from(absPath), "r");
    try {
      return this.scanFd(fd, meta, stats);
    } finally {
      (0, import_node_fs2.closeSync)(fd);
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
        const n = (0, import_node_fs2.readSync)(fd, buf, filled, want, null);
        filled += n;
        if (n < want) break;
      }
      if (total === 0 && hasUtf16Bom(buf.subarray(0, filled))) {
        return this.scanBytes(Buffer.concat([buf.subarray(0, filled), (0, import_node_fs2.readFileSync)(fd)]), meta, stats);
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
  constructor(engine2, meta, decode = true) {
    this.engine = engine2;
    this.meta = meta;
    this.decode = decode && engine2.decode !== void 0;
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
    const engine2 = this.engine;
    const acceptLimit = final ? view.length : view.length - engine2.overlap;
    const cands = collected ? collected.cands : engine2.collect(view);
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
      if (engine2.keepSecret(c.rule, secret, view, c.secretStart, c.secretEnd)) survivors.push({ ...c, secret });
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
    const engine2 = this.engine;
    const scratch = emptyEngineStats();
    const found = scanDecoded(
      view,
      this.meta.path,
      void 0,
      (data, path) => engine2.scanBytes(data, { path }, scratch, false),
      runs ? { limits: engine2.decode, runs } : { limits: engine2.decode }
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
    const engine2 = this.engine;
    const entry = (f, line) => {
      const { fallback, order } = engine2.ruleRank(f.ruleId);
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
  picomatch ??= (await import("./lazy/picomatch-BXSI75MX.js")).default;
  return picomatch(globs, { dot: true });
}

// src/scan/item.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);

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
function* archiveEntries(data, path, options2 = {}) {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options2.limits };
  const warn = options2.onWarning ?? (() => {
  });
  const budget = {
    entries: 0,
    bytes: 0,
    warned: /* @__PURE__ */ new Set(),
    done: options2.transient ? releaseBuffer : () => {
    }
  };
  yield* expand(data, path, 1, limits, budget, warn);
}
function* archiveItems(item, data, options2 = {}) {
  for (const entry of archiveEntries(data, item.path, options2)) {
    const out = { path: entry.path, source: { kind: "bytes", data: entry.data } };
    if (item.commit !== void 0) out.commit = item.commit;
    if (item.author !== void 0) out.author = item.author;
    if (item.date !== void 0) out.date = item.date;
    yield out;
  }
}
function* expand(data, path, depth, limits, budget, warn) {
  const kind = archiveKind(data);
  if (!kind) return;
  let inner;
  try {
    if (kind === "zip") inner = zipEntries(data, path, limits, budget, warn);
    else if (kind === "tar") inner = tarEntries(data, path, budget, limits, warn);
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
    warn(`${path}: cannot read the ${kind} archive (${err.message}); its contents were not scanned`);
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
  const tooLarge = () => {
    const why = byRatio ? `more than ${limits.maxRatio}:1 (limit: ratio, zip bomb?)` : tarInside || cap < limits.maxEntrySize ? `beyond ${mib(cap)} (limit: total size)` : `beyond ${mib(cap)}, more than a scanned file may hold (limit: entry size)`;
    warn(`${path}: gzip expands ${why}, not scanned`);
  };
  const isize = data.readUInt32LE(data.length - 4);
  if (isize > cap) {
    tooLarge();
    return;
  }
  let out;
  try {
    out = (0, import_node_zlib.gunzipSync)(data, sized(isize, cap));
  } catch (err) {
    if (err.code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) {
      tooLarge();
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
  const fd = (0, import_node_fs3.openSync)(absPath, "r");
  try {
    return readBoundedFd(fd, (0, import_node_fs3.fstatSync)(fd).size, cap);
  } finally {
    (0, import_node_fs3.closeSync)(fd);
  }
}
function readBoundedFd(fd, fileSize, cap) {
  return readInto(fd, Math.min(fileSize, cap), Buffer.allocUnsafe);
}
var OPEN_LISTED = import_node_fs3.constants.O_RDONLY | import_node_fs3.constants.O_NOFOLLOW | import_node_fs3.constants.O_NONBLOCK | import_node_fs3.constants.O_NOCTTY;
function metaOf(item) {
  const meta = { path: item.path };
  if (item.lineMap) meta.lineMap = item.lineMap;
  if (item.commit !== void 0) meta.commit = item.commit;
  if (item.author !== void 0) meta.author = item.author;
  if (item.date !== void 0) meta.date = item.date;
  return meta;
}
function scanItem(engine2, item, policy, stats, warn) {
  const src = item.source;
  const unstated = src.kind === "file" && src.size === void 0;
  if (unstated) return scanUnstated(engine2, item, src.absPath, policy, stats, warn);
  if (!policy.archives || item.lineMap) return scanAsIs(engine2, item, policy, void 0, stats);
  if (src.kind === "bytes") return scanAsRead(engine2, item, policy, src.data, stats, warn);
  if (!mayBeArchive(item.path, src.size, policy)) return scanAsIs(engine2, item, policy, void 0, stats);
  const data = readBounded(src.absPath, maxTotal(policy.limits));
  try {
    return scanAsRead(engine2, item, policy, data, stats, warn);
  } finally {
    releaseBuffer(data);
  }
}
function scanUnstated(engine2, item, absPath, policy, stats, warn) {
  let fd;
  try {
    fd = (0, import_node_fs3.openSync)(absPath, OPEN_LISTED);
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
    const st = (0, import_node_fs3.fstatSync)(fd);
    if (!st.isFile()) {
      stats.unreadable++;
      warn(`${item.path}: no longer a regular file; not scanned`);
      return [];
    }
    if (policy.archives && !item.lineMap && mayBeArchive(item.path, st.size, policy)) {
      const data = readBoundedFd(fd, st.size, maxTotal(policy.limits));
      try {
        return scanAsRead(engine2, item, policy, data, stats, warn);
      } finally {
        releaseBuffer(data);
      }
    }
    if (st.size > policy.maxFileSize) {
      stats.skippedLarge++;
      return [];
    }
    return engine2.scanFd(fd, metaOf(item), stats);
  } finally {
    (0, import_node_fs3.closeSync)(fd);
  }
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
    const n = (0, import_node_fs3.readSync)(fd, buf, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === size ? buf : buf.subarray(0, filled);
}
function scanAsRead(engine2, item, policy, data, stats, warn) {
  if (!archiveKind(data)) return scanAsIs(engine2, item, policy, data, stats);
  const found = [];
  const handOut = policy.handOut && data.length >= policy.handOut.from ? policy.handOut.take : void 0;
  for (const entry of walkArchive(item, policy, data, stats, warn)) {
    if (handOut?.(entry)) continue;
    for (const f of engine2.scanBytes(entry.source.data, metaOf(entry), stats)) found.push(f);
  }
  return found;
}
function scanAsIs(engine2, item, policy, data, stats) {
  const src = item.source;
  const size = data ? data.length : src.kind === "bytes" ? src.data.length : src.size ?? 0;
  if (size > policy.maxFileSize && item.path !== "-") {
    stats.skippedLarge++;
    return [];
  }
  const meta = metaOf(item);
  if (data) return engine2.scanBytes(data, meta, stats);
  return src.kind === "file" ? engine2.scanFile(src.absPath, meta, stats) : engine2.scanBytes(src.data, meta, stats);
}

// src/scan/worker-thread.ts
var import_node_fs4 = __toESM(require_node_fs(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var import_node_worker_threads = __toESM(require_node_worker_threads(), 1);
import * as nodeModule from "node:module";
import { dirname as dirname2 } from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";

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
function rulesFromWire(rules) {
  return rules.map(({ builtinValidator, ...data }) => {
    const rule = { ...data, help: "", examples: { tp: [], fp: [] } };
    if (builtinValidator) {
      const v = builtinById.get(rule.id)?.validate;
      if (v) rule.validate = v;
    }
    return rule;
  });
}

// src/scan/batch.ts
function scanBatch(engine2, id, items, policy, opts = {}) {
  const stats = emptyEngineStats();
  const result = { type: "result", id, findings: [], stats, warnings: [] };
  const warn = (m) => result.warnings.push(m);
  for (const w of items) {
    try {
      for (const f of scanCounted(engine2, itemFromWire(w), policy, stats, warn)) result.findings.push(f);
    } finally {
      if (w.handedOut !== void 0 && opts.handedOut) Atomics.sub(opts.handedOut, 0, w.handedOut);
      opts.afterItem?.();
    }
  }
  const retained = engine2.takeRetained();
  if (retained.length > 0) result.retained = retained;
  return result;
}
function scanCounted(engine2, item, policy, stats, warn) {
  try {
    return scanItem(engine2, item, policy, stats, warn);
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

// src/scan/worker.ts
await prepareRegexEngine();
var init = import_node_worker_threads2.workerData ?? await new Promise((resolve) => import_node_worker_threads2.parentPort.once("message", resolve));
var initWarnings = [];
var options = { ...init.engine, onWarning: (m) => initWarnings.push(m) };
var engine = new ScanEngine(
  {
    rules: rulesFromWire(init.rules),
    allowRegexes: init.allowRegexes,
    stopwords: init.stopwords,
    ...init.retainSecrets ? { retainSecrets: init.retainSecrets } : {}
  },
  options
);
engine.warmUp();
var itemPolicy = {
  archives: init.items.archives,
  limits: init.items.limits,
  maxFileSize: init.items.maxFileSize,
  ignore: await globMatcher(init.items.ignorePaths)
};
var handedOut = init.handedOut ? new Int32Array(init.handedOut) : void 0;
var idle = init.idle ? new Int32Array(init.idle) : void 0;
var SPAWN_BYTES = 1024 * 1024;
var spawn = { items: [], transfer: [], bytes: 0 };
var flushSpawn = () => {
  if (spawn.items.length === 0) return;
  import_node_worker_threads2.parentPort.postMessage({ type: "spawn", items: spawn.items }, spawn.transfer);
  spawn = { items: [], transfer: [], bytes: 0 };
};
if (handedOut) {
  itemPolicy.handOut = {
    from: HAND_OUT_ARCHIVES_FROM,
    take: (entry) => {
      if (idle && Atomics.load(idle, 0) === 0) return false;
      if (Atomics.load(handedOut, 0) >= ENTRIES_HANDED_OUT) return false;
      if (entry.source.kind !== "bytes") return false;
      const d = entry.source.data;
      const size = d.length;
      const kib = Math.ceil(size / 1024) || 1;
      Atomics.add(handedOut, 0, kib);
      const ab = d.buffer;
      const data = !transferable(d) ? copyOf(d) : ab.transfer ? Buffer.from(ab.transfer(), 0, size) : d;
      const w = itemToWire({ ...entry, source: { kind: "bytes", data } }, spawn.transfer);
      w.handedOut = kib;
      spawn.items.push(w);
      spawn.bytes += size;
      if (spawn.bytes >= SPAWN_BYTES) flushSpawn();
      return true;
    }
  };
}
import_node_worker_threads2.parentPort.postMessage({ type: "ready", engine: engine.name, warnings: initWarnings });
import_node_worker_threads2.parentPort.on("message", (batch) => {
  const result = scanBatch(engine, batch.id, batch.items, itemPolicy, { handedOut, afterItem: flushSpawn });
  import_node_worker_threads2.parentPort.postMessage(result);
});
function copyOf(d) {
  const out = Buffer.allocUnsafeSlow(d.length);
  d.copy(out);
  return out;
}
