import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  node_fs_exports,
  printable
} from "./chunk-ZCEGYBFX.js";
import {
  __commonJS,
  __export,
  __reExport,
  __require,
  __toESM
} from "./chunk-35VKYYE5.js";

// builtin:node:tty
var require_node_tty = __commonJS({
  "builtin:node:tty"(exports) {
    var loaded;
    var load = () => loaded ??= __require("node:tty");
    for (const name of ["ReadStream", "WriteStream", "isatty"]) {
      Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
    }
  }
});

// builtin-esm:node:tty
var node_tty_exports = {};
__export(node_tty_exports, {
  default: () => import_node_tty.default
});
__reExport(node_tty_exports, __toESM(require_node_tty()));
var import_node_tty = __toESM(require_node_tty());

// src/cli/io.ts
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
        this.tty = (0, node_fs_exports.fstatSync)(this.fd).isCharacterDevice() && (0, node_tty_exports.isatty)(this.fd);
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
      while (done < bytes.length) done += (0, node_fs_exports.writeSync)(this.fd, bytes, done, bytes.length - done);
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
