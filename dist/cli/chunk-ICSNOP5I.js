import {
  require_node_fs
} from "./chunk-XP3VH5XU.js";
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

// src/scan/worker-thread.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var import_node_worker_threads = __toESM(require_node_worker_threads(), 1);
import * as nodeModule from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
var WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 };
function workerEnv(env = process.env) {
  const dir = nodeModule.getCompileCacheDir?.();
  return dir && !env.NODE_COMPILE_CACHE ? { ...env, NODE_COMPILE_CACHE: dirname(dir) } : env;
}
var POOL_MIN_FILES = 4e3;
var POOL_AFTER_MS = 500;
var COUNT_MAX_DIRS = 512;
function hasFiles(root, n) {
  const dirs = [root.endsWith("/") ? root.slice(0, -1) || "/" : root];
  let files = 0;
  for (let i = 0; i < dirs.length; i++) {
    if (i === COUNT_MAX_DIRS) return true;
    let entries;
    try {
      entries = (0, import_node_fs.readdirSync)(dirs[i], { withFileTypes: true });
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
    return (0, import_node_fs.existsSync)(fileURLToPath(url)) ? url : void 0;
  }
  for (const candidate of [
    "./worker.ts",
    "./worker.js",
    "./scan/worker.js",
    "../scan/worker.js",
    "../../scan/worker.js"
  ]) {
    const url = new URL(candidate, base);
    if (url.protocol === "file:" && (0, import_node_fs.existsSync)(fileURLToPath(url))) return url;
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
  POOL_MIN_FILES,
  POOL_AFTER_MS,
  isLargeTree,
  defaultThreads,
  resolveWorkerScript,
  startScanWorker,
  prewarmWorker,
  hasPrewarmedWorker,
  adoptPrewarmedWorker,
  dropPrewarmedWorker
};
