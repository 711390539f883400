import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  __commonJS,
  __export,
  __reExport,
  __require,
  __toESM
} from "./chunk-35VKYYE5.js";

// builtin:node:os
var require_node_os = __commonJS({
  "builtin:node:os"(exports) {
    var loaded;
    var load = () => loaded ??= __require("node:os");
    for (const name of ["EOL", "arch", "availableParallelism", "constants", "cpus", "devNull", "endianness", "freemem", "getPriority", "homedir", "hostname", "loadavg", "machine", "networkInterfaces", "platform", "release", "setPriority", "tmpdir", "totalmem", "type", "uptime", "userInfo", "version"]) {
      Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
    }
  }
});

// builtin-esm:node:os
var node_os_exports = {};
__export(node_os_exports, {
  default: () => import_node_os.default
});
__reExport(node_os_exports, __toESM(require_node_os()));
var import_node_os = __toESM(require_node_os());

export {
  node_os_exports
};
