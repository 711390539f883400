import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  __commonJS,
  __require
} from "./chunk-UB53VF2P.js";

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

// src/shared/version.ts
var VERSION = "0.1.0";

export {
  require_node_os,
  VERSION
};
