import {
  __commonJS,
  __require
} from "./chunk-UB53VF2P.js";

// builtin:node:util
var require_node_util = __commonJS({
  "builtin:node:util"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:util");
    var lazy = {};
    for (const name of ["MIMEParams", "MIMEType", "TextDecoder", "TextEncoder", "_errnoException", "_exceptionWithHostPort", "_extend", "aborted", "callbackify", "convertProcessSignalToExitCode", "debug", "debuglog", "deprecate", "diff", "format", "formatWithOptions", "getCallSites", "getSystemErrorMap", "getSystemErrorMessage", "getSystemErrorName", "inherits", "inspect", "isArray", "isDeepStrictEqual", "parseArgs", "parseEnv", "promisify", "setTraceSigInt", "stripVTControlCharacters", "styleText", "toUSVString", "transferableAbortController", "transferableAbortSignal", "types"]) {
      Object.defineProperty(lazy, name, { enumerable: true, get: () => load()[name] });
    }
    module.exports = Object.create(lazy);
  }
});

export {
  require_node_util
};
