import {
  __commonJS,
  __require
} from "./chunk-EYG3MVME.js";

// builtin:node:http
var require_node_http = __commonJS({
  "builtin:node:http"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:http");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:https
var require_node_https = __commonJS({
  "builtin:node:https"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:https");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

export {
  require_node_http,
  require_node_https
};
