import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  __commonJS,
  __export,
  __reExport,
  __require,
  __toESM
} from "./chunk-35VKYYE5.js";

// builtin:node:util
var require_node_util = __commonJS({
  "builtin:node:util"(exports) {
    var loaded;
    var load = () => loaded ??= __require("node:util");
    for (const name of ["MIMEParams", "MIMEType", "TextDecoder", "TextEncoder", "_errnoException", "_exceptionWithHostPort", "_extend", "aborted", "callbackify", "convertProcessSignalToExitCode", "debug", "debuglog", "deprecate", "diff", "format", "formatWithOptions", "getCallSites", "getSystemErrorMap", "getSystemErrorMessage", "getSystemErrorName", "inherits", "inspect", "isArray", "isDeepStrictEqual", "parseArgs", "parseEnv", "promisify", "setTraceSigInt", "stripVTControlCharacters", "styleText", "toUSVString", "transferableAbortController", "transferableAbortSignal", "types"]) {
      Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
    }
  }
});

// builtin-esm:node:util
var node_util_exports = {};
__export(node_util_exports, {
  default: () => import_node_util.default
});
__reExport(node_util_exports, __toESM(require_node_util()));
var import_node_util = __toESM(require_node_util());

export {
  node_util_exports
};
