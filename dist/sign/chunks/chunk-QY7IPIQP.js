import {
  __commonJS,
  __require
} from "./chunk-36WTAEXO.js";

// builtin:node:net
var require_node_net = __commonJS({
  "builtin:node:net"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:net");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

export {
  require_node_net
};
