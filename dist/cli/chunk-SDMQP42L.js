import {
  printable,
  require_node_fs
} from "./chunk-3H6YUQYG.js";
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
    var lazy = {};
    for (const name of ["ReadStream", "WriteStream", "isatty"]) {
      Object.defineProperty(lazy, name, { enumerable: true, get: () => load()[name] });
    }
    module.exports = Object.create(lazy);
  }
});

// src/cli/io.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_node_tty = __toESM(require_node_tty(), 1);
var EXIT = { ok: 0, findings: 1, usage: 2 };
var UsageError = class extends Error {
  name = "UsageError";
};
var DescriptorWriter = class {
  tty;
  fd;
  fallback;
  stream;
  closed = false;
  constructor(fd, fallback) {
    this.fd = fd;
    this.fallback = fallback;
  }
  /**
   * Whether the descriptor is a terminal, asked on first use. Only a character device can be one, and node:tty (which
   * loads the network stack: ~5 ms) is loaded only to tell a terminal from /dev/null: pipes and files never load it.
   */
  get isTTY() {
    if (this.tty === void 0) {
      try {
        this.tty = (0, import_node_fs.fstatSync)(this.fd).isCharacterDevice() && (0, import_node_tty.isatty)(this.fd);
      } catch {
        this.tty = false;
      }
    }
    return this.tty;
  }
  write(chunk) {
    if (this.stream) return Boolean(this.stream.write(chunk));
    if (this.closed) return false;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let done = 0;
    try {
      while (done < bytes.length) done += (0, import_node_fs.writeSync)(this.fd, bytes, done, bytes.length - done);
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
    get isTTY() {
      return stderr.isTTY;
    }
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
