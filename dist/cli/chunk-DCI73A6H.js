import {
  require_node_fs
} from "./chunk-XP3VH5XU.js";
import {
  resumeAt
} from "./chunk-DYRF73IP.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-UB53VF2P.js";

// builtin:node:os
var require_node_os = __commonJS({
  "builtin:node:os"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:os");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:worker_threads
var require_node_worker_threads = __commonJS({
  "builtin:node:worker_threads"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:worker_threads");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

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
      const name = Buffer.alloc(size);
      (0, import_node_fs.readSync)(fd, name, 0, size, offset);
      return name.toString("latin1").replace(/\0.*$/s, "");
    }
    return void 0;
  } catch {
    return void 0;
  } finally {
    if (fd !== void 0) (0, import_node_fs.closeSync)(fd);
  }
}
function addonCandidates(fromDir, name) {
  const out = [];
  let dir = fromDir;
  for (let i = 0; i < 4; i++) {
    out.push(join(dir, "native", name), join(dir, "dist", "native", name));
    dir = dirname(dir);
  }
  return out;
}
function shippedAddonPresent() {
  if (process.env.JIT_GPG_REGEX_ENGINE === "re2js") return false;
  if (process.env.JIT_GPG_RE2_ADDON) return false;
  const here = dirname(fileURLToPath(import.meta.url));
  return addonCandidates(here, nativeAddonName()).some((p) => (0, import_node_fs.existsSync)(p));
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

// src/scan/worker-thread.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
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
      entries = (0, import_node_fs2.readdirSync)(dirs[i], { withFileTypes: true });
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
    return (0, import_node_fs2.existsSync)(fileURLToPath2(url)) ? url : void 0;
  }
  for (const candidate of [
    "./worker.ts",
    "./worker.js",
    "./scan/worker.js",
    "../scan/worker.js",
    "../../scan/worker.js"
  ]) {
    const url = new URL(candidate, base);
    if (url.protocol === "file:" && (0, import_node_fs2.existsSync)(fileURLToPath2(url))) return url;
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
function prewarmWorker(script, count = 1) {
  while (prewarmed.length < count) {
    const worker = startScanWorker(script);
    const entry = { worker, script: script.href, failed: false, onEnd: () => {
    } };
    entry.onEnd = () => {
      entry.failed = true;
    };
    worker.unref();
    worker.on("error", entry.onEnd);
    worker.on("exit", entry.onEnd);
    prewarmed.push(entry);
  }
}
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
function dropPrewarmedWorker() {
  const live = prewarmed.filter((e) => !e.failed);
  prewarmed = [];
  if (live.length === 0) return void 0;
  return Promise.all(live.map((e) => e.worker.terminate())).then(() => live.length);
}

export {
  shippedAddonPresent,
  loadNativeRE2,
  nativeEngine,
  POOL_MIN_FILES,
  POOL_AFTER_MS,
  COLLECT_AFTER_ITEMS,
  COLLECT_AFTER_MS,
  isLargeTree,
  defaultThreads,
  resolveWorkerScript,
  startScanWorker,
  prewarmWorker,
  hasPrewarmedWorker,
  adoptPrewarmedWorker,
  dropPrewarmedWorker
};
