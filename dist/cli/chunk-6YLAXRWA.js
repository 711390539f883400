import {
  __commonJS,
  __require
} from "./chunk-UB53VF2P.js";

// builtin:node:child_process
var require_node_child_process = __commonJS({
  "builtin:node:child_process"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:child_process");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

export {
  require_node_child_process
};
