#!/usr/bin/env node
import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  VERSION
} from "./cli/chunk-EEVXPQ6T.js";
import {
  EXIT,
  UsageError,
  processIO,
  writeLine
} from "./cli/chunk-SDMQP42L.js";
import {
  require_node_os
} from "./cli/chunk-KKVBZEI5.js";
import {
  require_node_fs
} from "./cli/chunk-3H6YUQYG.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./cli/chunk-UB53VF2P.js";

// builtin:node:vm
var require_node_vm = __commonJS({
  "builtin:node:vm"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:vm");
    var lazy = {};
    for (const name of ["Script", "compileFunction", "constants", "createContext", "createScript", "isContext", "measureMemory", "runInContext", "runInNewContext", "runInThisContext"]) {
      Object.defineProperty(lazy, name, { enumerable: true, get: () => load()[name] });
    }
    module.exports = Object.create(lazy);
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

// src/cli/main.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);
import { fileURLToPath } from "node:url";

// src/cli/script-cache.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_vm = __toESM(require_node_vm(), 1);
import { createRequire } from "node:module";
import { basename, dirname, join as join2 } from "node:path";
var MAGIC = Buffer.from("jit-gpg code cache 1\n");
function runCachedScript(file, cacheDir) {
  const fd = (0, import_node_fs2.openSync)(file, "r");
  let source;
  let st;
  try {
    st = (0, import_node_fs2.fstatSync)(fd, { bigint: true });
    source = (0, import_node_fs2.readFileSync)(fd, "latin1");
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
  const name = basename(file).replace(/\.c?js$/, "");
  const prefix = `${name}-${process.version}-${process.arch}-`;
  const cacheFile = join2(
    cacheDir,
    `${prefix}${[st.size, st.mtimeNs, st.ino].map((n) => n.toString(36)).join("-")}.code`
  );
  const cachedData = readCache(cacheFile);
  const script = new import_node_vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}
})`, {
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
function readCache(path) {
  let fd;
  try {
    fd = (0, import_node_fs2.openSync)(path, import_node_fs2.constants.O_RDONLY | import_node_fs2.constants.O_NOFOLLOW | import_node_fs2.constants.O_NONBLOCK);
  } catch {
    return void 0;
  }
  try {
    const st = (0, import_node_fs2.fstatSync)(fd);
    if (!st.isFile() || process.getuid && st.uid !== process.getuid() || st.mode & 18) return void 0;
    const data = (0, import_node_fs2.readFileSync)(fd);
    const head = MAGIC.length + 4;
    if (data.length < head || !data.subarray(0, MAGIC.length).equals(MAGIC)) return void 0;
    if (data.readUInt32LE(MAGIC.length) !== data.length - head) return void 0;
    return data.subarray(head);
  } catch {
    return void 0;
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
}
function writeCache(dir, path, prefix, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(data.length);
    (0, import_node_fs2.writeFileSync)(tmp, Buffer.concat([MAGIC, length, data]), { mode: 384, flag: "wx" });
    (0, import_node_fs2.renameSync)(tmp, path);
    for (const f of (0, import_node_fs2.readdirSync)(dir)) {
      if (f.startsWith(prefix) && f.endsWith(".code") && join2(dir, f) !== path) (0, import_node_fs2.rmSync)(join2(dir, f), { force: true });
    }
  } catch {
    (0, import_node_fs2.rmSync)(tmp, { force: true });
  }
}

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
function cachedScanCommand(options, argv) {
  if (!options.codeCache || SCAN_SCRIPT.protocol !== "file:") return void 0;
  const file = fileURLToPath(SCAN_SCRIPT);
  if (!(0, import_node_fs3.existsSync)(file)) return void 0;
  const script = runCachedScript(file, options.codeCache);
  if (!argv.includes("--help") && !argv.includes("-h")) process.once("exit", () => script.save());
  return script.exports.scanCommand;
}
var commands = {
  scan: async (options, argv) => cachedScanCommand(options, argv) ?? (await import("./cli/scan-HFN2IZIE.js")).scanCommand,
  sign: async () => (await import("./cli/sign-DJDRVR43.js")).signCommand,
  verify: async () => (await import("./cli/verify-7VROVSDK.js")).verifyCommand,
  digest: async () => (await import("./cli/digest-TPK4R74A.js")).digestCommand,
  key: async () => (await import("./cli/key-YG4V676H.js")).keyCommand
};
async function runCli(argv, io, options = {}) {
  const [first, ...rest] = argv;
  try {
    if (first === void 0 || first === "--help" || first === "-h") {
      io.stdout.write(USAGE);
      return first === void 0 ? EXIT.usage : EXIT.ok;
    }
    if (first === "--version" || first === "-V") {
      io.stdout.write(`${VERSION}
`);
      return EXIT.ok;
    }
    if (first === "help") {
      const topic = rest[0];
      if (topic && commands[topic]) return await (await commands[topic](options, ["--help"]))(["--help"], io);
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const load = commands[first];
    if (!load) {
      throw new UsageError(
        first.startsWith("-") ? `unknown option '${first}' (a command comes first: ${Object.keys(commands).join(", ")}). Run \`jit-gpg --help\`.` : `unknown command '${first}' (expected ${Object.keys(commands).join(", ")}). Run \`jit-gpg --help\`.`
      );
    }
    return await (await load(options, rest))(rest, io);
  } catch (e) {
    if (e instanceof UsageError || e?.name === "UsageError") {
      writeLine(io.stderr, `jit-gpg: ${e.message}`);
      return EXIT.usage;
    }
    writeLine(io.stderr, `jit-gpg: ${e.message}`);
    if (io.env.JIT_GPG_DEBUG) for (const line of String(e.stack).split("\n")) writeLine(io.stderr, line);
    return EXIT.usage;
  }
}

// src/entries/cli.ts
var codeCache = enableCliCompileCache();
process.exitCode = await runCli(process.argv.slice(2), processIO(), { codeCache });
