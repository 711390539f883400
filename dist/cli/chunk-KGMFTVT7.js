import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  printable
} from "./chunk-4WL4QE57.js";

// src/cli/io.ts
import { writeSync } from "node:fs";
import { isatty } from "node:tty";
var EXIT = { ok: 0, findings: 1, usage: 2 };
var UsageError = class extends Error {
  name = "UsageError";
};
var DescriptorWriter = class {
  isTTY;
  fd;
  fallback;
  stream;
  closed = false;
  constructor(fd, fallback) {
    this.fd = fd;
    this.fallback = fallback;
    this.isTTY = isatty(fd);
  }
  write(chunk) {
    if (this.stream) return Boolean(this.stream.write(chunk));
    if (this.closed) return false;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code = e.code;
      if (code === "EAGAIN") {
        this.stream = this.fallback();
        return Boolean(this.stream.write(bytes.subarray(done)));
      }
      if (code === "EPIPE") {
        this.closed = true;
        return false;
      }
      throw e;
    }
    return true;
  }
};
function processIO() {
  const stderr = new DescriptorWriter(2, () => process.stderr);
  return {
    stdout: new DescriptorWriter(1, () => process.stdout),
    stderr,
    // Node builds process.stdin on first access (a stream, ~5 ms): only commands that read it pay.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: stderr.isTTY
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
