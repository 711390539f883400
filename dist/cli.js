#!/usr/bin/env node
import {
  VERSION
} from "./cli/chunk-EEVXPQ6T.js";
import {
  EXIT,
  UsageError,
  processIO,
  writeLine
} from "./cli/chunk-SDMQP42L.js";
import {
  require_node_os
} from "./cli/chunk-KKVBZEI5.js";
import {
  require_node_fs
} from "./cli/chunk-3H6YUQYG.js";
import {
  __toESM
} from "./cli/chunk-UB53VF2P.js";

// src/cli/compile-cache.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_node_os = __toESM(require_node_os(), 1);
import * as nodeModule from "node:module";
import { join } from "node:path";
function enableCliCompileCache(env = process.env) {
  const enable = nodeModule.enableCompileCache;
  if (!enable || env.NODE_DISABLE_COMPILE_CACHE || env.JIT_GPG_NO_COMPILE_CACHE) return void 0;
  try {
    if (env.NODE_COMPILE_CACHE) return enable().directory;
    const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join((0, import_node_os.homedir)(), ".cache");
    const dir = join(base, "jit-gpg", "v8-compile-cache");
    (0, import_node_fs.mkdirSync)(dir, { recursive: true, mode: 448 });
    const st = (0, import_node_fs.lstatSync)(dir);
    if (!st.isDirectory() || process.getuid && st.uid !== process.getuid() || st.mode & 18) return void 0;
    return enable(dir).directory;
  } catch {
    return void 0;
  }
}

// src/cli/main.ts
var USAGE = `jit-gpg ${VERSION}: just-in-time GPG signing and secret scanning

Usage:
  jit-gpg scan [PATH|-] [options]     scan a directory, a git range or stdin for hardcoded secrets
  jit-gpg sign [options] FILES...     write detached signatures with a key from a file, stdin or Vault
  jit-gpg verify [options] FILES...   verify detached signatures against a public key
  jit-gpg key export [options]        the OpenPGP public key of a key that stays in its key service
  jit-gpg digest FILES... [-o FILE]   a sha256sum fragment for matrix jobs (merged and signed by one fan-in job)
  jit-gpg help [COMMAND]              show help for a command
  jit-gpg --version

Exit codes: 0 clean/ok, 1 findings or failed verification, 2 usage or configuration error.
Run \`jit-gpg COMMAND --help\` for a command's options.
`;
var commands = {
  scan: async () => (await import("./cli/scan-GP5Q6OES.js")).scanCommand,
  sign: async () => (await import("./cli/sign-U4RBSW7L.js")).signCommand,
  verify: async () => (await import("./cli/verify-FZCPZE27.js")).verifyCommand,
  digest: async () => (await import("./cli/digest-MZ2GDJ53.js")).digestCommand,
  key: async () => (await import("./cli/key-2T2MFJBN.js")).keyCommand
};
async function runCli(argv, io) {
  const [first, ...rest] = argv;
  try {
    if (first === void 0 || first === "--help" || first === "-h") {
      io.stdout.write(USAGE);
      return first === void 0 ? EXIT.usage : EXIT.ok;
    }
    if (first === "--version" || first === "-V") {
      io.stdout.write(`${VERSION}
`);
      return EXIT.ok;
    }
    if (first === "help") {
      const topic = rest[0];
      if (topic && commands[topic]) return await (await commands[topic]())(["--help"], io);
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const load = commands[first];
    if (!load) {
      throw new UsageError(
        first.startsWith("-") ? `unknown option '${first}' (a command comes first: ${Object.keys(commands).join(", ")}). Run \`jit-gpg --help\`.` : `unknown command '${first}' (expected ${Object.keys(commands).join(", ")}). Run \`jit-gpg --help\`.`
      );
    }
    return await (await load())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      writeLine(io.stderr, `jit-gpg: ${e.message}`);
      return EXIT.usage;
    }
    writeLine(io.stderr, `jit-gpg: ${e.message}`);
    if (io.env.JIT_GPG_DEBUG) for (const line of String(e.stack).split("\n")) writeLine(io.stderr, line);
    return EXIT.usage;
  }
}

// src/entries/cli.ts
enableCliCompileCache();
process.exitCode = await runCli(process.argv.slice(2), processIO());
