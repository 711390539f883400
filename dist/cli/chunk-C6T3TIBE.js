import {
  printable,
  require_node_fs,
  require_node_util
} from "./chunk-XP3VH5XU.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-UB53VF2P.js";

// builtin:node:tty
var require_node_tty = __commonJS({
  "builtin:node:tty"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:tty");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// src/cli/io.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_node_tty = __toESM(require_node_tty(), 1);
var EXIT = { ok: 0, findings: 1, usage: 2 };
var UsageError = class extends Error {
  name = "UsageError";
};
function writeLine(stream, line) {
  stream.write(`${printable(line)}
`);
}

// src/cli/args.ts
var import_node_util = __toESM(require_node_util(), 1);
function parseFlags(command, argv, options) {
  try {
    return (0, import_node_util.parseArgs)({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const reason = e.message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`${command}: ${reason}. Run \`jit-gpg ${command} --help\` for usage.`);
  }
}
function oneOf(command, flag, value, allowed) {
  if (value === void 0) return void 0;
  if (allowed.includes(value)) return value;
  throw new UsageError(`${command}: --${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}

export {
  EXIT,
  UsageError,
  writeLine,
  parseFlags,
  oneOf
};
