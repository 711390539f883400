import {
  UsageError
} from "./chunk-SDMQP42L.js";
import {
  require_node_util
} from "./chunk-FXDX66OE.js";
import {
  __toESM
} from "./chunk-UB53VF2P.js";

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
  parseFlags,
  oneOf
};
