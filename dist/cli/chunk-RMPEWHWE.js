import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  __commonJS,
  __export,
  __reExport,
  __require,
  __toESM
} from "./chunk-35VKYYE5.js";

// builtin:node:child_process
var require_node_child_process = __commonJS({
  "builtin:node:child_process"(exports) {
    var loaded;
    var load = () => loaded ??= __require("node:child_process");
    for (const name of ["ChildProcess", "_forkChild", "exec", "execFile", "execFileSync", "execSync", "fork", "spawn", "spawnSync"]) {
      Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
    }
  }
});

// builtin-esm:node:child_process
var node_child_process_exports = {};
__export(node_child_process_exports, {
  default: () => import_node_child_process.default
});
__reExport(node_child_process_exports, __toESM(require_node_child_process()));
var import_node_child_process = __toESM(require_node_child_process());

export {
  node_child_process_exports
};
