import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-36WTAEXO.js";

// builtin:node:crypto
var require_node_crypto = __commonJS({
  "builtin:node:crypto"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:crypto");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:fs
var require_node_fs = __commonJS({
  "builtin:node:fs"(exports, module) {
    module.exports = Object.create(__require("node:fs"));
  }
});

// builtin:node:fs/promises
var require_promises = __commonJS({
  "builtin:node:fs/promises"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:fs/promises");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:os
var require_node_os = __commonJS({
  "builtin:node:os"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:os");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:child_process
var require_node_child_process = __commonJS({
  "builtin:node:child_process"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:child_process");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// src/shared/escape.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
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
function readRegularTextFile(path, limits) {
  const text = readRegularFile(path, limits).toString("utf8");
  return text.charCodeAt(0) === 65279 ? text.slice(1) : text;
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

export {
  require_node_os,
  require_node_crypto,
  require_node_fs,
  require_node_child_process,
  printable,
  displayPath,
  excerpt,
  require_promises,
  crc24,
  FileReadError,
  readRegularFile,
  readRegularTextFile
};
