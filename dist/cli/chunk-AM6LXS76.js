import {
  __commonJS,
  __require
} from "./chunk-UB53VF2P.js";

// builtin:node:fs/promises
var require_promises = __commonJS({
  "builtin:node:fs/promises"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:fs/promises");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

export {
  require_promises
};
