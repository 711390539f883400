import {
  __commonJS,
  __require
} from "./chunk-EYG3MVME.js";

// builtin:node:http
var require_node_http = __commonJS({
  "builtin:node:http"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:http");
    var lazy = {};
    for (const name of ["Agent", "ClientRequest", "CloseEvent", "IncomingMessage", "METHODS", "MessageEvent", "OutgoingMessage", "STATUS_CODES", "Server", "ServerResponse", "WebSocket", "_connectionListener", "createServer", "get", "globalAgent", "maxHeaderSize", "request", "setGlobalProxyFromEnv", "setMaxIdleHTTPParsers", "validateHeaderName", "validateHeaderValue"]) {
      Object.defineProperty(lazy, name, { enumerable: true, get: () => load()[name] });
    }
    module.exports = Object.create(lazy);
  }
});

// builtin:node:https
var require_node_https = __commonJS({
  "builtin:node:https"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:https");
    var lazy = {};
    for (const name of ["Agent", "Server", "createServer", "get", "globalAgent", "request"]) {
      Object.defineProperty(lazy, name, { enumerable: true, get: () => load()[name] });
    }
    module.exports = Object.create(lazy);
  }
});

export {
  require_node_http,
  require_node_https
};
