import {
  __commonJS,
  __require
} from "./chunk-36WTAEXO.js";

// builtin:node:net
var require_node_net = __commonJS({
  "builtin:node:net"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:net");
    var lazy = {};
    for (const name of ["BlockList", "BoundSocket", "Server", "Socket", "SocketAddress", "Stream", "_createServerHandle", "_normalizeArgs", "connect", "createConnection", "createServer", "getDefaultAutoSelectFamily", "getDefaultAutoSelectFamilyAttemptTimeout", "isIP", "isIPv4", "isIPv6", "setDefaultAutoSelectFamily", "setDefaultAutoSelectFamilyAttemptTimeout"]) {
      Object.defineProperty(lazy, name, { enumerable: true, get: () => load()[name] });
    }
    module.exports = Object.create(lazy);
  }
});

export {
  require_node_net
};
