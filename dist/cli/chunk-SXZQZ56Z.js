import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// builtin:node:crypto
var require_node_crypto = __commonJS({
  "builtin:node:crypto"(exports, module) {
    module.exports = __require("node:crypto");
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

// src/cli/io.ts
var EXIT = { ok: 0, findings: 1, usage: 2 };
var UsageError = class extends Error {
  name = "UsageError";
};
function processIO() {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY)
  };
}
function writeLine(stream, line) {
  stream.write(`${printable(line)}
`);
}

export {
  __require,
  __commonJS,
  __toESM,
  require_node_crypto,
  printable,
  displayPath,
  jsonSafe,
  excerpt,
  EXIT,
  UsageError,
  processIO,
  writeLine
};
