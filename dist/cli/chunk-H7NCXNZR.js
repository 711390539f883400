import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-INOH6OQL.js";
import {
  node_util_exports
} from "./chunk-O5WKHYZ2.js";

// src/cli/args.ts
function parseFlags(command, argv, options) {
  try {
    return (0, node_util_exports.parseArgs)({ args: argv, options, allowPositionals: true, strict: true });
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
