import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  printable
} from "./chunk-4WL4QE57.js";

// src/cli/io.ts
var EXIT = { ok: 0, findings: 1, usage: 2 };
var UsageError = class extends Error {
  name = "UsageError";
};
function processIO() {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Node builds process.stdin on first access (a stream, ~5 ms): only commands that read it pay.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY)
  };
}
function writeLine(stream, line) {
  stream.write(`${printable(line)}
`);
}

export {
  EXIT,
  UsageError,
  processIO,
  writeLine
};
