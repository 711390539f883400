import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  __commonJS,
  __export,
  __reExport,
  __require,
  __toESM
} from "./chunk-35VKYYE5.js";

// builtin:node:net
var require_node_net = __commonJS({
  "builtin:node:net"(exports) {
    var loaded;
    var load = () => loaded ??= __require("node:net");
    for (const name of ["BlockList", "BoundSocket", "Server", "Socket", "SocketAddress", "Stream", "_createServerHandle", "_normalizeArgs", "connect", "createConnection", "createServer", "getDefaultAutoSelectFamily", "getDefaultAutoSelectFamilyAttemptTimeout", "isIP", "isIPv4", "isIPv6", "setDefaultAutoSelectFamily", "setDefaultAutoSelectFamilyAttemptTimeout"]) {
      Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
    }
  }
});

// builtin-esm:node:net
var node_net_exports = {};
__export(node_net_exports, {
  default: () => import_node_net.default
});
__reExport(node_net_exports, __toESM(require_node_net()));
var import_node_net = __toESM(require_node_net());

export {
  node_net_exports
};
