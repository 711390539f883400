#!/usr/bin/env node
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

// builtin:node:fs
var require_node_fs = __commonJS({
  "builtin:node:fs"(exports, module) {
    module.exports = Object.create(__require("node:fs"));
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

// builtin:node:tty
var require_node_tty = __commonJS({
  "builtin:node:tty"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:tty");
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

// builtin:node:vm
var require_node_vm = __commonJS({
  "builtin:node:vm"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:vm");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// src/cli/compile-cache.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_node_os = __toESM(require_node_os(), 1);
import * as nodeModule from "node:module";
import { join } from "node:path";
function enableCliCompileCache(env = process.env) {
  const enable = nodeModule.enableCompileCache;
  if (!enable || env.NODE_DISABLE_COMPILE_CACHE || env.JIT_GPG_NO_COMPILE_CACHE) return void 0;
  try {
    if (env.NODE_COMPILE_CACHE) return enable().directory;
    const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join((0, import_node_os.homedir)(), ".cache");
    const dir = join(base, "jit-gpg", "v8-compile-cache");
    (0, import_node_fs.mkdirSync)(dir, { recursive: true, mode: 448 });
    const st = (0, import_node_fs.lstatSync)(dir);
    if (!st.isDirectory() || process.getuid && st.uid !== process.getuid() || st.mode & 18) return void 0;
    return enable(dir).directory;
  } catch {
    return void 0;
  }
}

// src/cli/io.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_tty = __toESM(require_node_tty(), 1);

// src/shared/escape.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function hex(code2, width) {
  return code2.toString(16).padStart(width, "0");
}
function escapeUnsafe(ch) {
  const named = NAMED[ch];
  if (named) return named;
  const code2 = ch.charCodeAt(0);
  return code2 <= 127 ? `\\x${hex(code2, 2)}` : `\\u${hex(code2, 4)}`;
}
var LEADING_COLON = /^(\s*):/;
var LEGACY_PREFIX = /##\[/g;
function neutralise(text) {
  return text.replace(LEADING_COLON, "$1\\x3a").replace(LEGACY_PREFIX, "#\\x23[");
}
function printable(text) {
  return neutralise(text.replace(UNSAFE, escapeUnsafe));
}

// src/cli/io.ts
var EXIT = { ok: 0, findings: 1, usage: 2 };
var UsageError = class extends Error {
  name = "UsageError";
};
var DescriptorWriter = class {
  tty;
  fd;
  fallback;
  stream;
  closed = false;
  constructor(fd, fallback) {
    this.fd = fd;
    this.fallback = fallback;
  }
  /**
   * Whether the descriptor is a terminal, asked on first use. Only a character device can be one, and node:tty (which
   * loads the network stack: ~5 ms) is loaded only for a character device that is not /dev/null: pipes, files and
   * the output of a benchmark or a hook that discards it never load it.
   */
  get isTTY() {
    if (this.tty === void 0) {
      try {
        const st = (0, import_node_fs2.fstatSync)(this.fd);
        this.tty = st.isCharacterDevice() && !isDevNull(st.rdev) && (0, import_node_tty.isatty)(this.fd);
      } catch {
        this.tty = false;
      }
    }
    return this.tty;
  }
  /** Whether everything written so far is on the descriptor (none of it went to the stream, which writes later). */
  get settled() {
    return this.stream === void 0;
  }
  write(chunk) {
    if (this.stream) return Boolean(this.stream.write(chunk));
    if (this.closed) return false;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let done = 0;
    try {
      while (done < bytes.length) done += (0, import_node_fs2.writeSync)(this.fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code2 = e.code;
      if (code2 === "EAGAIN") {
        this.stream = this.fallback();
        return Boolean(this.stream.write(bytes.subarray(done)));
      }
      if (code2 === "EPIPE") {
        this.closed = true;
        return false;
      }
      throw e;
    }
    return true;
  }
};
function isDevNull(rdev) {
  try {
    return (0, import_node_fs2.statSync)("/dev/null").rdev === rdev;
  } catch {
    return false;
  }
}
function processIO() {
  const stdout = new DescriptorWriter(1, () => process.stdout);
  const stderr = new DescriptorWriter(2, () => process.stderr);
  return {
    stdout,
    stderr,
    settled: () => stdout.settled && stderr.settled,
    // Node builds process.stdin on first access (a stream, ~5 ms): only commands that read it pay.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    get isTTY() {
      return stderr.isTTY;
    }
  };
}
function writeLine(stream, line) {
  stream.write(`${printable(line)}
`);
}

// src/cli/main.ts
var import_node_fs4 = __toESM(require_node_fs(), 1);
import { fileURLToPath } from "node:url";

// src/cli/script-cache.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);
var import_node_vm = __toESM(require_node_vm(), 1);
import { createRequire } from "node:module";
import { basename, dirname, join as join2 } from "node:path";
var MAX_CACHE_BYTES = 64 * 1024 * 1024;
var MAGIC = Buffer.from("jit-gpg code cache 1\n");
var SCRIPT_WRAPPER = ["(function (exports, require, module, __filename, __dirname) {", "\n})"];
function runCachedScript(file, cacheDir) {
  const fd = (0, import_node_fs3.openSync)(file, "r");
  let text;
  let st;
  let buffer;
  try {
    st = (0, import_node_fs3.fstatSync)(fd, { bigint: true });
    buffer = readWhole(fd, Number(st.size), Buffer.allocUnsafeSlow(Number(st.size)));
    text = buffer.toString("latin1");
  } finally {
    (0, import_node_fs3.closeSync)(fd);
  }
  const [open, close] = SCRIPT_WRAPPER;
  const source = text.startsWith(open) && text.endsWith(close) ? text : `${open}${text}${close}`;
  const name = basename(file).replace(/\.c?js$/, "");
  const prefix = `${name}-${process.version}-${process.arch}-`;
  const cacheFile = join2(
    cacheDir,
    `${prefix}${[st.size, st.mtimeNs, st.ino].map((n) => n.toString(36)).join("-")}.code`
  );
  const cachedData = readCache(cacheFile, buffer);
  const script = new import_node_vm.Script(source, {
    filename: file,
    ...cachedData ? { cachedData } : {}
  });
  const cache = !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "accepted";
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file)
  );
  let saved = cache === "accepted";
  return {
    exports: module.exports,
    cache,
    save() {
      if (saved) return;
      saved = true;
      writeCache(cacheDir, cacheFile, prefix, script.createCachedData());
    }
  };
}
function readCache(path, spare) {
  let fd;
  try {
    fd = (0, import_node_fs3.openSync)(path, import_node_fs3.constants.O_RDONLY | import_node_fs3.constants.O_NOFOLLOW | import_node_fs3.constants.O_NONBLOCK);
  } catch {
    return void 0;
  }
  try {
    const st = (0, import_node_fs3.fstatSync)(fd);
    if (!st.isFile() || process.getuid && st.uid !== process.getuid() || st.mode & 18) return void 0;
    if (st.size > MAX_CACHE_BYTES) return void 0;
    const data = readWhole(fd, st.size, st.size <= spare.length ? spare : Buffer.allocUnsafeSlow(st.size));
    const head = MAGIC.length + 4;
    if (data.length < head || !data.subarray(0, MAGIC.length).equals(MAGIC)) return void 0;
    if (data.readUInt32LE(MAGIC.length) !== data.length - head) return void 0;
    return data.subarray(head);
  } catch {
    return void 0;
  } finally {
    (0, import_node_fs3.closeSync)(fd);
  }
}
function readWhole(fd, size, into) {
  let at = 0;
  while (at < size) {
    const n = (0, import_node_fs3.readSync)(fd, into, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return into.subarray(0, at);
}
function writeCache(dir, path, prefix, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(data.length);
    (0, import_node_fs3.writeFileSync)(tmp, Buffer.concat([MAGIC, length, data]), { mode: 384, flag: "wx" });
    (0, import_node_fs3.renameSync)(tmp, path);
    for (const f of (0, import_node_fs3.readdirSync)(dir)) {
      if (f.startsWith(prefix) && f.endsWith(".code") && join2(dir, f) !== path) (0, import_node_fs3.rmSync)(join2(dir, f), { force: true });
    }
  } catch {
    (0, import_node_fs3.rmSync)(tmp, { force: true });
  }
}

// src/shared/version.ts
var VERSION = "0.1.0";

// src/cli/main.ts
var USAGE = `jit-gpg ${VERSION}: just-in-time GPG signing and secret scanning

Usage:
  jit-gpg scan [PATH|-] [options]     scan a directory, a git range or stdin for hardcoded secrets
  jit-gpg sign [options] FILES...     write detached signatures with a key from a file, stdin or Vault
  jit-gpg verify [options] FILES...   verify detached signatures against a public key
  jit-gpg key export [options]        the OpenPGP public key of a key that stays in its key service
  jit-gpg digest FILES... [-o FILE]   a sha256sum fragment for matrix jobs (merged and signed by one fan-in job)
  jit-gpg help [COMMAND]              show help for a command
  jit-gpg --version

Exit codes: 0 clean/ok, 1 findings or failed verification, 2 usage or configuration error.
Run \`jit-gpg COMMAND --help\` for a command's options.
`;
var SCAN_SCRIPT = new URL("./cli/scan.cjs", import.meta.url);
function cachedScanCommand(options) {
  if (!options.codeCache || SCAN_SCRIPT.protocol !== "file:") return void 0;
  const file = fileURLToPath(SCAN_SCRIPT);
  if (!(0, import_node_fs4.existsSync)(file)) return void 0;
  const script = runCachedScript(file, options.codeCache);
  process.once("exit", () => {
    if (script.exports.startupBound?.()) script.save();
  });
  return script.exports.scanCommand;
}
var commands = {
  scan: async (options) => cachedScanCommand(options) ?? (await import("./cli/scan-command.js")).scanCommand,
  sign: async () => (await import("./cli/sign-command.js")).signCommand,
  verify: async () => (await import("./cli/verify-command.js")).verifyCommand,
  digest: async () => (await import("./cli/digest-command.js")).digestCommand,
  key: async () => (await import("./cli/key-command.js")).keyCommand
};
async function runCli(argv2, io2, options = {}) {
  const [first, ...rest] = argv2;
  try {
    if (first === void 0 || first === "--help" || first === "-h") {
      io2.stdout.write(USAGE);
      return first === void 0 ? EXIT.usage : EXIT.ok;
    }
    if (first === "--version" || first === "-V") {
      io2.stdout.write(`${VERSION}
`);
      return EXIT.ok;
    }
    if (first === "help") {
      const topic = rest[0];
      if (topic && commands[topic]) return await (await commands[topic](options, ["--help"]))(["--help"], io2);
      io2.stdout.write(USAGE);
      return EXIT.ok;
    }
    const load = commands[first];
    if (!load) {
      throw new UsageError(
        first.startsWith("-") ? `unknown option '${first}' (a command comes first: ${Object.keys(commands).join(", ")}). Run \`jit-gpg --help\`.` : `unknown command '${first}' (expected ${Object.keys(commands).join(", ")}). Run \`jit-gpg --help\`.`
      );
    }
    return await (await load(options, rest))(rest, io2);
  } catch (e) {
    if (e instanceof UsageError || e?.name === "UsageError") {
      writeLine(io2.stderr, `jit-gpg: ${e.message}`);
      return EXIT.usage;
    }
    writeLine(io2.stderr, `jit-gpg: ${e.message}`);
    if (io2.env.JIT_GPG_DEBUG) for (const line of String(e.stack).split("\n")) writeLine(io2.stderr, line);
    return EXIT.usage;
  }
}

// src/entries/cli.ts
var codeCache = enableCliCompileCache();
var argv = process.argv.slice(2);
var io = processIO();
var code = await runCli(argv, io, { codeCache });
if (argv[0] === "scan" && io.settled()) process.exit(code);
process.exitCode = code;
