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

// builtin:node:os
var require_node_os = __commonJS({
  "builtin:node:os"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:os");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
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

// builtin:node:fs
var require_node_fs = __commonJS({
  "builtin:node:fs"(exports, module) {
    module.exports = Object.create(__require("node:fs"));
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

// builtin:node:http
var require_node_http = __commonJS({
  "builtin:node:http"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:http");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:https
var require_node_https = __commonJS({
  "builtin:node:https"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:https");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:net
var require_node_net = __commonJS({
  "builtin:node:net"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:net");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:tls
var require_node_tls = __commonJS({
  "builtin:node:tls"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:tls");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
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

// node_modules/@actions/core/lib/command.js
var os = __toESM(require_node_os(), 1);

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
var crypto = __toESM(require_node_crypto(), 1);
var fs = __toESM(require_node_fs(), 1);
var os2 = __toESM(require_node_os(), 1);

// node_modules/@actions/core/lib/core.js
var os5 = __toESM(require_node_os(), 1);
import * as path5 from "path";

// node_modules/@actions/core/lib/summary.js
var import_os = __toESM(require_node_os(), 1);
var import_fs = __toESM(require_node_fs(), 1);
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve3) {
      resolve3(value);
    });
  }
  return new (P || (P = Promise))(function(resolve3, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve3(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = import_fs.promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, import_fs.constants.R_OK | import_fs.constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(import_os.EOL);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();

// node_modules/@actions/core/lib/path-utils.js
import * as path from "path";

// node_modules/@actions/core/lib/platform.js
var import_os2 = __toESM(require_node_os(), 1);

// node_modules/@actions/exec/lib/exec.js
import { StringDecoder } from "string_decoder";

// node_modules/@actions/exec/lib/toolrunner.js
var os3 = __toESM(require_node_os(), 1);
var child = __toESM(require_node_child_process(), 1);
import * as events from "events";
import * as path4 from "path";

// node_modules/@actions/io/lib/io.js
import { ok } from "assert";
import * as path3 from "path";

// node_modules/@actions/io/lib/io-util.js
var fs2 = __toESM(require_node_fs(), 1);
import * as path2 from "path";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
import { setTimeout as setTimeout2 } from "timers";
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = import_os2.default.platform();
var arch = import_os2.default.arch();

// node_modules/@actions/core/lib/core.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve3) {
      resolve3(value);
    });
  }
  return new (P || (P = Promise))(function(resolve3, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve3(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os5.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter2(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}
function getState(name) {
  return process.env[`STATE_${name}`] || "";
}

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

// src/shared/http.ts
var import_node_http = __toESM(require_node_http(), 1);
var import_node_https = __toESM(require_node_https(), 1);
var import_node_net = __toESM(require_node_net(), 1);
var import_node_tls = __toESM(require_node_tls(), 1);
var DEFAULT_TIMEOUT_MS = 1e4;
var DEFAULT_MAX_BYTES = 1024 * 1024;
var TRANSIENT_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "TIMEOUT"
]);
var TLS_CODES = /* @__PURE__ */ new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO"
]);
var HttpError = class extends Error {
  name = "HttpError";
  /** Node's error code (ECONNRESET, ...), or TIMEOUT, TOO_LARGE, TLS. */
  code;
  retryable;
  /** The TLS verification code when code is TLS. */
  tlsCode;
  constructor(message, code, retryable, tlsCode) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    if (tlsCode) this.tlsCode = tlsCode;
  }
};
function safeUrl(url) {
  try {
    const u = new URL(String(url));
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
function isTransientStatus(status) {
  return status >= 500 || status === 429 || status === 408;
}
function retryAfterMs(headers, now = Date.now()) {
  const raw = headers["retry-after"];
  if (typeof raw !== "string" || raw.trim() === "") return void 0;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1e3;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - now);
}
function describeNetworkError(err, where) {
  const code = err.code ?? "UNKNOWN";
  if (TLS_CODES.has(code) || /certificate|self[- ]signed|SSL|TLS/i.test(err.message)) {
    return new HttpError(`TLS verification failed for ${where} (${code}): ${err.message}`, "TLS", false, code);
  }
  const what = {
    ECONNRESET: "connection reset",
    ECONNREFUSED: "connection refused",
    ETIMEDOUT: "connection timed out",
    EPIPE: "connection closed while sending",
    EAI_AGAIN: "DNS lookup failed temporarily",
    ENOTFOUND: "host not found"
  };
  const text = what[code] ?? err.message;
  return new HttpError(`${text} (${code}) at ${where}`, code, TRANSIENT_CODES.has(code));
}
function envValue(env, lower) {
  return (env[lower] || env[lower.toUpperCase()] || "").trim();
}
var bareHost = (host) => host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
function isLoopbackHost(hostname) {
  const h = bareHost(hostname);
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if ((0, import_node_net.isIP)(h) === 4) return h.startsWith("127.");
  if ((0, import_node_net.isIP)(h) === 6) return h === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(h) || h === "0:0:0:0:0:0:0:1";
  return false;
}
function defaultPort(u) {
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}
function splitEntry(entry) {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (v6) return v6[2] ? { host: v6[1], port: Number(v6[2]) } : { host: v6[1] };
  if ((0, import_node_net.isIP)(entry.split("/")[0]) === 6) return { host: entry };
  const m = /^(.*):(\d+)$/.exec(entry);
  return m ? { host: m[1], port: Number(m[2]) } : { host: entry };
}
function bypassedBy(entry, host, port) {
  if (entry === "*") return true;
  const { host: raw, port: entryPort } = splitEntry(entry);
  if (entryPort !== void 0 && entryPort !== port) return false;
  const e = bareHost(raw).replace(/^\*?\./, "");
  if (!e) return false;
  const family = (0, import_node_net.isIP)(host);
  const cidr = /^(.+)\/(\d{1,3})$/.exec(e);
  if (cidr && (0, import_node_net.isIP)(cidr[1])) {
    if (!family) return false;
    const entryFamily = (0, import_node_net.isIP)(cidr[1]) === 4 ? "ipv4" : "ipv6";
    const bits = Number(cidr[2]);
    if (bits > (entryFamily === "ipv4" ? 32 : 128)) return false;
    const list = new import_node_net.BlockList();
    list.addSubnet(cidr[1], bits, entryFamily);
    return list.check(host, family === 4 ? "ipv4" : "ipv6");
  }
  if ((0, import_node_net.isIP)(e)) {
    if (!family) return false;
    const list = new import_node_net.BlockList();
    list.addAddress(e, (0, import_node_net.isIP)(e) === 4 ? "ipv4" : "ipv6");
    return list.check(host, family === 4 ? "ipv4" : "ipv6");
  }
  if (family) return false;
  return host === e || host.endsWith(`.${e}`);
}
function proxyFor(url, env = process.env) {
  let u;
  try {
    u = new URL(String(url));
  } catch {
    return void 0;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return void 0;
  const value = envValue(env, u.protocol === "https:" ? "https_proxy" : "http_proxy");
  if (!value) return void 0;
  const host = bareHost(u.hostname);
  if (!host || isLoopbackHost(host)) return void 0;
  const port = defaultPort(u);
  const noProxy = envValue(env, "no_proxy");
  for (const entry of noProxy.split(/[\s,]+/)) {
    if (entry && bypassedBy(entry.toLowerCase(), host, port)) return void 0;
  }
  const proxy = parseProxyUrl(value, u.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY");
  return proxy;
}
function parseProxyUrl(value, variable) {
  let proxy;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new HttpError(`${variable} is not a valid proxy URL (expected http://host:port)`, "EINVAL", false);
  }
  if (proxy.protocol !== "http:" && proxy.protocol !== "https:") {
    throw new HttpError(
      `${variable}: proxy scheme ${proxy.protocol} is not supported (use an http:// or https:// proxy)`,
      "EINVAL",
      false
    );
  }
  return proxy;
}
function proxySecrets(env = process.env) {
  const out = /* @__PURE__ */ new Set();
  for (const name of ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]) {
    const value = (env[name] ?? "").trim();
    if (!value) continue;
    let u;
    try {
      u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    } catch {
      continue;
    }
    if (!u.password) continue;
    out.add(u.password);
    try {
      out.add(decodeURIComponent(u.password));
    } catch {
    }
  }
  return [...out];
}
function safeProxy(proxy) {
  return proxy.origin;
}
function proxyAuthorization(proxy) {
  if (!proxy.username && !proxy.password) return void 0;
  const decode = (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`).toString("base64")}`;
}
function proxyStatusError(status, proxy, where) {
  const fix = status === 407 ? proxy.username ? ": the proxy refused the credentials in the proxy URL; check the user and password in HTTPS_PROXY/HTTP_PROXY" : ": the proxy wants credentials; put them in the proxy URL (http://user:password@proxy:port)" : status === 403 ? ": the proxy does not allow this destination; ask for it to be allowed or add the host to NO_PROXY" : "";
  return new HttpError(
    `proxy ${safeProxy(proxy)} answered HTTP ${status} for ${where}${fix}`,
    status === 407 ? "PROXY_AUTH" : `PROXY_${status}`,
    isTransientStatus(status)
  );
}
var httpRequest = (request) => send(request, process.env);
function send(request, env) {
  let url;
  try {
    url = new URL(String(request.url));
  } catch {
    return Promise.reject(new HttpError("invalid URL (expected https://host[:port]/path)", "EINVAL", false));
  }
  const where = safeUrl(url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers = { ...request.headers };
  if (request.body !== void 0) headers["content-length"] = String(Buffer.byteLength(request.body));
  const isHttps = url.protocol === "https:";
  if (!isHttps && url.protocol !== "http:") {
    return Promise.reject(
      new HttpError(`unsupported URL scheme ${url.protocol} (use https:// or http://)`, "EINVAL", false)
    );
  }
  let proxy;
  try {
    proxy = proxyFor(url, env);
  } catch (e) {
    return Promise.reject(e);
  }
  const method = request.method ?? "GET";
  return new Promise((resolve3, reject) => {
    let settled = false;
    const live = [];
    const fail = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const r of live) r.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(
        new HttpError(
          `no answer from ${where}${proxy ? ` through proxy ${safeProxy(proxy)}` : ""} within ${timeoutMs / 1e3} s`,
          "TIMEOUT",
          true
        )
      ),
      timeoutMs
    );
    const onResponse = (res) => {
      live.push(res);
      if (proxy && !isHttps && res.statusCode === 407) {
        fail(proxyStatusError(407, proxy, where));
        return;
      }
      const declared = Number(res.headers["content-length"] ?? "0");
      if (declared > maxBytes) {
        fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, "TOO_LARGE", false));
        return;
      }
      const chunks = [];
      let size = 0;
      res.on("data", (chunk) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, "TOO_LARGE", false));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (err) => fail(describeNetworkError(err, where)));
      res.on("aborted", () => fail(new HttpError(`connection reset (ECONNRESET) at ${where}`, "ECONNRESET", true)));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const data = Buffer.concat(chunks, size);
        resolve3(
          request.binary ? { status: res.statusCode ?? 0, headers: res.headers, body: "", data } : { status: res.statusCode ?? 0, headers: res.headers, body: data.toString("utf8") }
        );
      });
    };
    const start = (req, at) => {
      live.push(req);
      req.on("error", (err) => fail(describeNetworkError(err, at)));
      if (request.body !== void 0) req.write(request.body);
      req.end();
    };
    if (!proxy) {
      const options = { method, headers, agent: false };
      if (isHttps && request.ca) options.ca = request.ca;
      start((isHttps ? import_node_https.default : import_node_http.default).request(url, options, onResponse), where);
      return;
    }
    const viaProxy = `proxy ${safeProxy(proxy)} (for ${where})`;
    const proxyModule = proxy.protocol === "https:" ? import_node_https.default : import_node_http.default;
    const proxyTarget = { host: bareHost(proxy.hostname), port: defaultPort(proxy), agent: false };
    const auth = proxyAuthorization(proxy);
    if (!isHttps) {
      const proxied = { ...headers, host: url.host };
      if (auth) proxied["proxy-authorization"] = auth;
      start(proxyModule.request({ ...proxyTarget, method, path: url.href, headers: proxied }, onResponse), viaProxy);
      return;
    }
    const authority = `${url.hostname}:${defaultPort(url)}`;
    const connectHeaders = { host: authority };
    if (auth) connectHeaders["proxy-authorization"] = auth;
    const connect = proxyModule.request({
      ...proxyTarget,
      method: "CONNECT",
      path: authority,
      headers: connectHeaders
    });
    connect.on("connect", (res, socket, head) => {
      live.push(socket);
      if (res.statusCode !== 200) {
        fail(proxyStatusError(res.statusCode ?? 0, proxy, where));
        return;
      }
      if (settled) return;
      if (head.length) socket.unshift(head);
      const host = bareHost(url.hostname);
      const tlsOptions = { socket, host };
      if (!(0, import_node_net.isIP)(host)) tlsOptions.servername = host;
      if (request.ca) tlsOptions.ca = request.ca;
      const createConnection = () => {
        const t = import_node_tls.default.connect(tlsOptions);
        live.push(t);
        return t;
      };
      start(import_node_https.default.request(url, { method, headers, createConnection }, onResponse), where);
    });
    live.push(connect);
    connect.on("error", (err) => fail(describeNetworkError(err, viaProxy)));
    connect.end();
  });
}

// src/sign/keyring.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
import { basename as basename3, join as join3 } from "node:path";
var KEYRING_PREFIX = "jit-gpg-keyring-";
var KeyringError = class extends Error {
  name = "KeyringError";
  code;
  constructor(code, message) {
    super(message);
    this.code = code;
  }
};
function runTool(file, args, options) {
  return new Promise((resolve3, reject) => {
    const child2 = (0, import_node_child_process.spawn)(file, args, { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child2.stdout.on("data", (c) => out.push(c));
    child2.stderr.on("data", (c) => err.push(c));
    const timer = setTimeout(() => child2.kill("SIGKILL"), options.timeoutMs ?? 3e4);
    child2.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child2.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve3({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      });
    });
    child2.stdin.on("error", () => {
    });
    child2.stdin.end(options.input ?? "");
  });
}
function toolEnv(home, base = process.env) {
  const env = { ...base, GNUPGHOME: home, LC_ALL: "C", LANGUAGE: "C" };
  delete env.GPG_AGENT_INFO;
  return env;
}
async function agentPid(home) {
  try {
    const r = await runTool("gpg-connect-agent", ["--homedir", home, "--no-autostart", "getinfo pid", "/bye"], {
      env: toolEnv(home),
      timeoutMs: 1e4
    });
    const m = /^D (\d+)/m.exec(r.stdout);
    return m ? Number(m[1]) : void 0;
  } catch {
    return void 0;
  }
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === "EPERM";
  }
  if (process.platform === "linux") {
    try {
      const stat3 = (0, import_node_fs.readFileSync)(`/proc/${pid}/stat`, "utf8");
      const state = stat3.slice(stat3.lastIndexOf(")") + 2, stat3.lastIndexOf(")") + 3);
      if (state === "Z" || state === "X") return false;
    } catch {
      return false;
    }
  }
  return true;
}
function processesUsingHome(home) {
  if (process.platform !== "linux") return [];
  const needle = `\0GNUPGHOME=${home}\0`;
  const out = [];
  let entries;
  try {
    entries = (0, import_node_fs.readdirSync)("/proc");
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = `\0${(0, import_node_fs.readFileSync)(`/proc/${name}/environ`, "latin1")}`;
      if (env.includes(needle) && processAlive(Number(name))) out.push(Number(name));
    } catch {
    }
  }
  return out;
}
function isAgentFor(pid, home) {
  if (!processAlive(pid)) return false;
  if (process.platform !== "linux") return true;
  try {
    const cmd = (0, import_node_fs.readFileSync)(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmd.some((a) => basename3(a) === "gpg-agent") && cmd.some((a) => a === home || a.includes(home));
  } catch {
    return false;
  }
}
async function cleanupKeyring(dir, hints = {}) {
  const result = { dir, removed: false, agentKilled: false, processesKilled: 0, actions: [] };
  if (!dir) return result;
  if (!basename3(dir).startsWith(KEYRING_PREFIX)) {
    throw new KeyringError("setup", `refusing to remove ${dir}: it is not a jit-gpg keyring directory`);
  }
  const exists2 = (0, import_node_fs.existsSync)(dir);
  const pidBefore = hints.agentPid ?? (exists2 ? await agentPid(dir) : void 0);
  const wasAgent = pidBefore !== void 0 && isAgentFor(pidBefore, dir);
  const stray = new Set(processesUsingHome(dir).filter((p) => p !== pidBefore && p !== process.pid));
  if (hints.commandPid !== void 0 && process.platform !== "linux" && processAlive(hints.commandPid)) {
    stray.add(hints.commandPid);
  }
  if (hints.commandPid !== void 0 && process.platform !== "win32") {
    const group2 = hints.commandPid;
    if (processAlive(group2) && stray.has(group2)) {
      try {
        process.kill(-group2, "SIGKILL");
      } catch {
      }
    }
  }
  for (const pid of stray) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
    }
  }
  if (stray.size) {
    for (let i = 0; i < 40 && [...stray].some(processAlive); i++) await new Promise((r) => setTimeout(r, 50));
    result.processesKilled = [...stray].filter((p) => !processAlive(p)).length;
    result.actions.push(
      `killed ${stray.size} process(es) still running with this GNUPGHOME (pid ${[...stray].join(", ")})`
    );
  }
  if (exists2) {
    try {
      await runTool("gpgconf", ["--homedir", dir, "--kill", "all"], { env: toolEnv(dir), timeoutMs: 15e3 });
    } catch {
    }
  }
  if (pidBefore !== void 0 && wasAgent) {
    const gone = async (ms) => {
      const until = Date.now() + ms;
      while (processAlive(pidBefore) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      return !processAlive(pidBefore);
    };
    if (!await gone(3e3) && isAgentFor(pidBefore, dir)) {
      try {
        process.kill(pidBefore, "SIGKILL");
      } catch {
      }
      await gone(2e3);
    }
    if (!processAlive(pidBefore)) {
      result.agentKilled = true;
      result.actions.push(`stopped gpg-agent (pid ${pidBefore})`);
    } else {
      result.actions.push(`gpg-agent (pid ${pidBefore}) is still running`);
    }
  }
  if (exists2) {
    try {
      await runTool("gpgconf", ["--homedir", dir, "--remove-socketdir"], { env: toolEnv(dir), timeoutMs: 1e4 });
    } catch {
    }
    await (0, import_promises.rm)(dir, { recursive: true, force: true, maxRetries: 3 });
    result.removed = !(0, import_node_fs.existsSync)(dir);
    result.actions.push(result.removed ? `removed ${dir}` : `could not remove ${dir}`);
  }
  if (hints.socketDir && hints.socketDir !== dir && basename3(hints.socketDir).startsWith("d.")) {
    try {
      const entries = await (0, import_promises.readdir)(hints.socketDir);
      if (entries.every((e) => e.startsWith("S."))) {
        await (0, import_promises.rm)(hints.socketDir, { recursive: true, force: true });
        result.actions.push(`removed ${hints.socketDir}`);
      }
    } catch {
    }
  }
  return result;
}

// src/sign/post-state.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
import { basename as basename4, dirname as dirname3, isAbsolute, resolve as resolve2 } from "node:path";
var isPid = (v) => typeof v === "number" && Number.isSafeInteger(v) && v > 1;
function checkKeyringState(text, runnerTemp) {
  const warnings = [];
  if (!text.trim()) return { warnings };
  let v;
  try {
    v = JSON.parse(text);
  } catch {
    return { warnings: ["ignored the keyring state entry: it is not the JSON main writes"] };
  }
  if (!v || typeof v !== "object" || typeof v.dir !== "string" || !v.dir) {
    return { warnings: ["ignored the keyring state entry: it names no directory"] };
  }
  const dir = v.dir;
  if (!isAbsolute(dir) || !runnerTemp || resolve2(dirname3(dir)) !== resolve2(runnerTemp) || !basename4(dir).startsWith(KEYRING_PREFIX)) {
    return { warnings: ["ignored the keyring state entry: it does not name a keyring directory under RUNNER_TEMP"] };
  }
  try {
    const st = (0, import_node_fs2.lstatSync)(dir);
    const mine = typeof process.getuid !== "function" || st.uid === process.getuid();
    if (!st.isDirectory() || !mine || process.platform !== "win32" && (st.mode & 511) !== 448) {
      return {
        warnings: ["ignored the keyring state entry: the path is not a private directory of this user (0700)"]
      };
    }
  } catch {
  }
  const info3 = { dir };
  if (typeof v.socketDir === "string" && v.socketDir) {
    const uid = typeof process.getuid === "function" ? process.getuid() : -1;
    const gpgRunDirs = [`/run/user/${uid}/gnupg`, `/var/run/user/${uid}/gnupg`];
    if (v.socketDir === dir || gpgRunDirs.includes(dirname3(v.socketDir)) && /^d\.[a-z0-9]+$/.test(basename4(v.socketDir))) {
      info3.socketDir = v.socketDir;
    } else {
      warnings.push(
        "ignored the saved socket directory: it is neither the keyring nor gpg\u2019s per-user socket directory"
      );
    }
  }
  if (v.agentPid !== void 0) {
    if (isPid(v.agentPid) && isAgentFor(v.agentPid, dir)) info3.agentPid = v.agentPid;
    else if (isPid(v.agentPid) && !processAlive(v.agentPid)) {
    } else warnings.push(`ignored the saved agent pid: it is not this keyring's gpg-agent`);
  }
  if (v.commandPid !== void 0) {
    if (isPid(v.commandPid) && processesUsingHome(dir).includes(v.commandPid)) info3.commandPid = v.commandPid;
    else if (isPid(v.commandPid) && !processAlive(v.commandPid)) {
    } else warnings.push(`ignored the saved command pid: it is not a process of this keyring's command`);
  }
  return { info: info3, warnings };
}
function checkShimState(text, runnerTemp, prefix) {
  const dir = text.trim();
  if (!dir) return {};
  if (!isAbsolute(dir) || !runnerTemp || resolve2(dirname3(dir)) !== resolve2(runnerTemp) || !basename4(dir).startsWith(prefix)) {
    return { warning: "ignored the git shim state entry: it does not name a shim directory under RUNNER_TEMP" };
  }
  try {
    const st = (0, import_node_fs2.lstatSync)(dir);
    const mine = typeof process.getuid !== "function" || st.uid === process.getuid();
    if (!st.isDirectory() || !mine) {
      return { warning: "ignored the git shim state entry: the path is not a directory of this user" };
    }
  } catch {
    return {};
  }
  return { dir };
}

// src/sign/service-url.ts
var ServiceUrlError = class extends Error {
  name = "ServiceUrlError";
};
function checkServiceUrl(value, options) {
  const { name } = options;
  let u;
  try {
    u = new URL(value.trim());
  } catch {
    throw new ServiceUrlError(`${name} is not an absolute URL (expected e.g. https://vault.example.com:8200)`);
  }
  if (u.username || u.password) {
    throw new ServiceUrlError(
      `${name} must not contain a user name or password (the value is not shown); remove the part before "@"`
    );
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    throw new ServiceUrlError(`${name} must be an https:// URL (got a ${u.protocol.replace(/:$/, "")}: URL)`);
  }
  if (u.protocol === "http:" && !isLoopbackHost(u.hostname) && !options.allowInsecureHttp) {
    throw new ServiceUrlError(
      `${name} uses plain http:// to ${u.host}: the OIDC token, the service token and the key would cross the network unencrypted. Use https:// (with a CA certificate for a private CA), or set ${options.allowHint ?? "allow-insecure-http: true"} for a lab setup`
    );
  }
  return u;
}

// src/shared/read-file.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);
var FileReadError = class extends Error {
  name = "FileReadError";
  code;
  constructor(message, code) {
    super(message);
    this.code = code;
  }
};
var OPEN_FLAGS = import_node_fs3.constants.O_RDONLY | import_node_fs3.constants.O_NONBLOCK | import_node_fs3.constants.O_NOCTTY;
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
function readRegularFile(path6, limits) {
  const label = `${limits.what} ${displayPath(path6)}`;
  let fd;
  try {
    fd = (0, import_node_fs3.openSync)(path6, OPEN_FLAGS);
  } catch (e) {
    throw openError(e, label);
  }
  try {
    const st = (0, import_node_fs3.fstatSync)(fd);
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
      const n = (0, import_node_fs3.readSync)(fd, buf, length, buf.length - length, null);
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
    (0, import_node_fs3.closeSync)(fd);
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
function readRegularTextFile(path6, limits) {
  const text = readRegularFile(path6, limits).toString("utf8");
  return text.charCodeAt(0) === 65279 ? text.slice(1) : text;
}

// src/shared/retry.ts
var defaultSleep = (ms) => new Promise((resolve3) => setTimeout(resolve3, ms));
function backoffDelay(attempt, baseMs, maxMs, random = Math.random) {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
function formatSeconds(ms) {
  return `${(ms / 1e3).toFixed(1)} s`;
}
function errorMessage(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}
function retryAfterOf(error) {
  if (error && typeof error === "object" && "retryAfterMs" in error) {
    const v = error.retryAfterMs;
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v;
  }
  return void 0;
}
async function retry(fn, options = {}) {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 1e4;
  const isRetryable = options.isRetryable ?? (() => true);
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const prefix = options.label ? `${options.label}: ` : "";
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      let delayMs = backoffDelay(attempt, baseMs, maxMs, random);
      const hinted = retryAfterOf(error);
      if (hinted !== void 0) delayMs = Math.min(maxMs, Math.max(delayMs, hinted));
      const message = `${prefix}attempt ${attempt} of ${attempts} failed: ${errorMessage(error)}; retrying in ${formatSeconds(delayMs)}`;
      options.onRetry?.({ attempt, attempts, error, delayMs, message });
      await sleep(delayMs);
    }
  }
}

// src/sign/oidc.ts
var OIDC_URL_VAR = "ACTIONS_ID_TOKEN_REQUEST_URL";
var OIDC_TOKEN_VAR = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
var MISSING_PERMISSION_MESSAGE = `the job cannot request an OIDC token: ${OIDC_URL_VAR} and ${OIDC_TOKEN_VAR} are not set. Add \`permissions: id-token: write\` to the job (or the workflow). GitHub withholds the token even then for pull requests from forks and for Dependabot runs, and a reusable workflow gets it only when the calling job grants \`id-token: write\` too.`;

// src/sign/packet.ts
var DIGEST_INFO_PREFIX = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex")
};

// src/sign/providers/types.ts
var ProviderError = class extends Error {
  name = "ProviderError";
  provider;
  code;
  /** HTTP status, when the service answered. */
  status;
  constructor(provider, code, message, status) {
    super(message);
    this.provider = provider;
    this.code = code;
    if (status !== void 0) this.status = status;
  }
};

// src/sign/providers/vault.ts
var PROVIDER = "vault";
var MAX_CA_BYTES = 1024 * 1024;
function sessionFromState(text) {
  if (!text || text.trim() === "") return void 0;
  try {
    const v = JSON.parse(text);
    if (!v || typeof v.url !== "string" || typeof v.token !== "string" || v.token === "") return void 0;
    const out = { url: v.url, token: v.token };
    if (typeof v.namespace === "string" && v.namespace) out.namespace = v.namespace;
    if (typeof v.caCertPath === "string" && v.caCertPath) out.caCertPath = v.caCertPath;
    if (typeof v.accessor === "string" && v.accessor) out.accessor = v.accessor;
    return out;
  } catch {
    return void 0;
  }
}
function normalizeVaultUrl(url, options = {}) {
  let u;
  try {
    u = checkServiceUrl(url, { name: "vault-url", allowInsecureHttp: options.allowInsecureHttp ?? false });
  } catch (e) {
    throw new ProviderError(PROVIDER, "config", e.message);
  }
  let path6 = u.pathname.replace(/\/+$/, "");
  if (path6.endsWith("/v1")) path6 = path6.slice(0, -3);
  return `${u.origin}${path6}`;
}
function vaultErrors(body) {
  try {
    const parsed = JSON.parse(body);
    if (Array.isArray(parsed?.errors)) return parsed.errors.filter((e) => typeof e === "string");
  } catch {
  }
  return [];
}
function flattenVaultError(message) {
  const bullets = [...message.matchAll(/^\s*\*\s+(.+)$/gm)].map((m) => m[1].trim());
  const text = bullets.length > 0 ? bullets.join("; ") : message.trim();
  return text.length > 300 ? `${text.slice(0, 300)}\u2026` : text;
}
function scrub(text, secrets) {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("***");
  }
  return out;
}
function loadCa(options) {
  if (options.caCert) return options.caCert;
  if (!options.caCertPath) return void 0;
  let pem;
  try {
    pem = readRegularTextFile(options.caCertPath, {
      what: "vault-ca-cert: the CA certificate",
      maxBytes: MAX_CA_BYTES
    });
  } catch (e) {
    throw new ProviderError(PROVIDER, "config", e.message);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new ProviderError(
      PROVIDER,
      "config",
      `vault-ca-cert: ${displayPath(options.caCertPath)} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`
    );
  }
  return pem;
}
var TransientStatus = class extends Error {
  status;
  retryAfterMs;
  constructor(message, status, retryAfter) {
    super(message);
    this.status = status;
    if (retryAfter !== void 0) this.retryAfterMs = retryAfter;
  }
};
async function vaultCall(conn, call) {
  const headers = { accept: "application/json", "x-vault-request": "true" };
  if (conn.namespace) headers["x-vault-namespace"] = conn.namespace;
  if (call.token) headers["x-vault-token"] = call.token;
  if (call.body !== void 0) headers["content-type"] = "application/json";
  const body = call.body === void 0 ? void 0 : JSON.stringify(call.body);
  const attempts = conn.retry?.attempts ?? 5;
  let tried = 0;
  try {
    return await retry(
      async () => {
        tried++;
        const res = await conn.http({
          url: `${conn.url}/v1/${call.path}`,
          method: call.method,
          headers,
          body,
          ca: conn.ca,
          timeoutMs: conn.timeoutMs
        });
        if (isTransientStatus(res.status)) {
          const errs = vaultErrors(res.body).map(flattenVaultError).join("; ");
          throw new TransientStatus(
            `HTTP ${res.status}${errs ? `: ${scrub(errs, conn.secrets)}` : ""}`,
            res.status,
            retryAfterMs(res.headers)
          );
        }
        return res;
      },
      {
        attempts,
        ...conn.retry,
        label: call.label,
        isRetryable: (e) => e instanceof TransientStatus || e instanceof HttpError && e.retryable,
        onRetry: (info3) => {
          conn.log?.(info3.message);
          conn.retry?.onRetry?.(info3);
        }
      }
    );
  } catch (e) {
    const gaveUp = tried > 1 ? ` (gave up after ${tried} attempts)` : "";
    if (e instanceof TransientStatus) {
      throw new ProviderError(
        PROVIDER,
        "unavailable",
        `${call.label}: Vault at ${conn.url} answered ${e.message}${gaveUp}`,
        e.status
      );
    }
    if (e instanceof HttpError) {
      if (e.code === "TLS") {
        const fix = conn.ca ? `the CA in vault-ca-cert${conn.caCertPath ? ` (${conn.caCertPath})` : ""} did not verify it; pass the CA that signed Vault's certificate` : "set vault-ca-cert to a PEM file with the CA that signed Vault's certificate";
        throw new ProviderError(
          PROVIDER,
          "tls",
          `${call.label}: the TLS certificate of ${conn.url} did not verify (${e.tlsCode ?? "TLS"}): ${fix}`
        );
      }
      throw new ProviderError(PROVIDER, "unavailable", `${call.label}: cannot reach Vault: ${e.message}${gaveUp}`);
    }
    throw e;
  }
}
async function revokeVaultToken(session, options = {}) {
  let ca = options.caCert;
  if (!ca && session.caCertPath) ca = loadCa({ caCertPath: session.caCertPath });
  const conn = {
    // main checked this address before it logged in (and allow-insecure-http decided about plain http)
    url: normalizeVaultUrl(session.url, { allowInsecureHttp: true }),
    namespace: session.namespace || void 0,
    ca,
    caCertPath: session.caCertPath,
    http: options.http ?? httpRequest,
    retry: options.retry,
    log: options.log,
    timeoutMs: options.timeoutMs,
    secrets: [session.token]
  };
  const res = await vaultCall(conn, {
    method: "POST",
    path: "auth/token/revoke-self",
    token: session.token,
    label: "Vault token revoke"
  });
  if (res.status === 204 || res.status === 200) return "revoked";
  if (res.status === 403 || res.status === 401) return "already-invalid";
  const said = vaultErrors(res.body).map(flattenVaultError).join("; ");
  throw new ProviderError(
    PROVIDER,
    "bad-response",
    `Vault token revoke: HTTP ${res.status}${said ? `: ${scrub(said, conn.secrets)}` : ""}`,
    res.status
  );
}

// src/action/sign-post.ts
var import_promises2 = __toESM(require_promises(), 1);

// src/sign/state.ts
var STATE_VAULT = "vault-session";
var STATE_KEYRING = "keyring";
var STATE_SHIM = "git-shim";
var SHIM_PREFIX = "jit-gpg-shim-";
var STATE_DONE = "main-finished";

// src/action/sign-post.ts
var info2 = (text) => info(printable(text));
async function post() {
  const report = { removed: [], warnings: [] };
  for (const s of proxySecrets()) setSecret(s);
  const warn = (m) => {
    report.warnings.push(m);
    warning(`jit-gpg post: ${m}`);
  };
  try {
    const vaultState = getState(STATE_VAULT);
    const keyringState = getState(STATE_KEYRING);
    const mainFinished = getState(STATE_DONE) === "true";
    let session = sessionFromState(vaultState);
    if (session) setSecret(session.token);
    if (vaultState.trim() && !session) warn("ignored the Vault session state entry: it is not the JSON main writes");
    if (session) {
      try {
        checkServiceUrl(session.url, { name: "the saved Vault address", allowInsecureHttp: true });
      } catch (e) {
        warn(`ignored the Vault session state entry: ${e.message}`);
        session = void 0;
      }
    }
    const checked = checkKeyringState(keyringState, process.env.RUNNER_TEMP ?? "");
    for (const w of checked.warnings) warn(w);
    const keyring = checked.info;
    const shim = checkShimState(getState(STATE_SHIM), process.env.RUNNER_TEMP ?? "", SHIM_PREFIX);
    if (shim.warning) warn(shim.warning);
    const shimDir = shim.dir;
    await group("jit-gpg: remove every trace", async () => {
      if (shimDir) {
        try {
          await (0, import_promises2.rm)(shimDir, { recursive: true, force: true });
          info2(`git shim: removed ${shimDir}`);
          report.removed.push(`git shim ${shimDir}`);
        } catch (e) {
          warn(`could not remove the git shim ${shimDir}: ${e.message}`);
        }
      }
      if (!session && !keyring && report.removed.length === 0) {
        info2(
          mainFinished ? "Nothing to clean up: no keyring and no live service token are recorded in the state." : "Nothing to clean up: main saved no state (it did not start, or stopped before logging in to Vault)."
        );
        return;
      }
      if (!mainFinished) info2("main did not finish (killed, timed out or crashed); cleaning up after it.");
      if (keyring) {
        try {
          const r = await cleanupKeyring(keyring.dir, {
            ...keyring.socketDir ? { socketDir: keyring.socketDir } : {},
            ...keyring.agentPid !== void 0 ? { agentPid: keyring.agentPid } : {},
            ...keyring.commandPid !== void 0 ? { commandPid: keyring.commandPid } : {}
          });
          if (r.actions.length === 0) info2(`Keyring ${keyring.dir}: already gone`);
          for (const a of r.actions) {
            info2(`Keyring: ${a}`);
            report.removed.push(a);
          }
          if (!r.removed && r.actions.some((a) => a.startsWith("could not"))) warn(`could not remove ${keyring.dir}`);
        } catch (e) {
          warn(`could not clean up the keyring ${keyring.dir}: ${e.message}`);
        }
      }
      if (session) {
        try {
          const outcome = await revokeVaultToken(session, { log: (m) => info2(m), retry: { attempts: 3 } });
          const who = session.accessor ? ` (accessor ${session.accessor})` : "";
          if (outcome === "revoked") {
            info2(`Vault: revoked the token${who}`);
            report.removed.push(`revoked Vault token${who}`);
          } else {
            info2(`Vault: the token${who} was already revoked or expired; nothing to do`);
          }
        } catch (e) {
          warn(
            `could not revoke the Vault token at ${session.url} (it expires with the role's token_ttl): ${e.message}`
          );
        }
      }
      info2(report.removed.length ? `Removed: ${report.removed.join("; ")}` : "Post removed nothing.");
    });
  } catch (e) {
    warn(`cleanup did not complete: ${e.message}`);
  }
  return report;
}

// src/entries/sign-post.ts
await post();
