#!/usr/bin/env node
import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  VERSION
} from "./cli/chunk-EEVXPQ6T.js";
import {
  EXIT,
  UsageError,
  processIO,
  writeLine
} from "./cli/chunk-INOH6OQL.js";
import {
  node_os_exports
} from "./cli/chunk-7VVDTPKV.js";
import {
  node_fs_exports
} from "./cli/chunk-ZCEGYBFX.js";
import "./cli/chunk-35VKYYE5.js";

// src/cli/compile-cache.ts
import * as nodeModule from "node:module";
import { join } from "node:path";
function enableCliCompileCache(env = process.env) {
  const enable = nodeModule.enableCompileCache;
  if (!enable || env.NODE_DISABLE_COMPILE_CACHE || env.JIT_GPG_NO_COMPILE_CACHE) return void 0;
  try {
    if (env.NODE_COMPILE_CACHE) return enable().directory;
    const base = env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join((0, node_os_exports.homedir)(), ".cache");
    const dir = join(base, "jit-gpg", "v8-compile-cache");
    (0, node_fs_exports.mkdirSync)(dir, { recursive: true, mode: 448 });
    const st = (0, node_fs_exports.lstatSync)(dir);
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
  scan: async () => (await import("./cli/scan-SW5GMVL3.js")).scanCommand,
  sign: async () => (await import("./cli/sign-T3YPA4DZ.js")).signCommand,
  verify: async () => (await import("./cli/verify-BNUCATBU.js")).verifyCommand,
  digest: async () => (await import("./cli/digest-2QAAIZZF.js")).digestCommand,
  key: async () => (await import("./cli/key-QDHLOEW7.js")).keyCommand
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
