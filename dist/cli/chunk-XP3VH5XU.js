import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-UB53VF2P.js";

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
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:util
var require_node_util = __commonJS({
  "builtin:node:util"(exports, module) {
    module.exports = Object.create(__require("node:util"));
  }
});

// src/shared/escape.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
var JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function hex(code, width) {
  return code.toString(16).padStart(width, "0");
}
function escapeUnsafe(ch) {
  const named = NAMED[ch];
  if (named) return named;
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
function displayPath(name) {
  if (typeof name !== "string") {
    const text = name.toString("utf8");
    if (Buffer.byteLength(text) === name.length && Buffer.from(text, "utf8").equals(name)) return displayPath(text);
    return neutralise(decodeBytesLossless(name));
  }
  return neutralise(name.replace(/\\/g, "\\\\").replace(UNSAFE, escapeUnsafe));
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

export {
  require_node_fs,
  require_node_crypto,
  printable,
  displayPath,
  jsonSafe,
  excerpt,
  require_node_util
};
