import {
  __commonJS,
  __require
} from "./chunk-UB53VF2P.js";

// builtin:node:fs/promises
var require_promises = __commonJS({
  "builtin:node:fs/promises"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:fs/promises");
    var lazy = {};
    for (const name of ["access", "appendFile", "chmod", "chown", "constants", "copyFile", "cp", "glob", "lchmod", "lchown", "link", "lstat", "lutimes", "mkdir", "mkdtemp", "mkdtempDisposable", "open", "opendir", "readFile", "readdir", "readlink", "realpath", "rename", "rm", "rmdir", "stat", "statfs", "symlink", "truncate", "unlink", "utimes", "watch", "writeFile"]) {
      Object.defineProperty(lazy, name, { enumerable: true, get: () => load()[name] });
    }
    module.exports = Object.create(lazy);
  }
});

export {
  require_promises
};
