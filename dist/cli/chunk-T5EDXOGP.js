import {
  displayPath,
  require_node_fs
} from "./chunk-XP3VH5XU.js";
import {
  __toESM
} from "./chunk-UB53VF2P.js";

// src/shared/read-file.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var FileReadError = class extends Error {
  name = "FileReadError";
  code;
  constructor(message, code) {
    super(message);
    this.code = code;
  }
};
var OPEN_FLAGS = import_node_fs.constants.O_RDONLY | import_node_fs.constants.O_NONBLOCK | import_node_fs.constants.O_NOCTTY;
function kind(st) {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "not a regular file";
}
function openError(e, label) {
  const why = {
    ENOENT: "not found",
    EACCES: "permission denied",
    EPERM: "permission denied",
    ELOOP: "too many levels of symbolic links",
    ENOTDIR: "a path component is not a directory",
    ENAMETOOLONG: "name too long"
  };
  return new FileReadError(`${label}: ${why[e.code ?? ""] ?? `cannot open (${e.code ?? "error"})`}`, e.code ?? "EIO");
}
function readRegularFile(path, limits) {
  const label = `${limits.what} ${displayPath(path)}`;
  let fd;
  try {
    fd = (0, import_node_fs.openSync)(path, OPEN_FLAGS);
  } catch (e) {
    throw openError(e, label);
  }
  try {
    const st = (0, import_node_fs.fstatSync)(fd);
    if (!st.isFile()) throw new FileReadError(`${label} is ${kind(st)}, not a regular file`, "ENOTREG");
    if (st.size > limits.maxBytes) throw tooLarge(label, limits.maxBytes);
    let buf = Buffer.allocUnsafe(Math.min(st.size, limits.maxBytes) + 1);
    let length = 0;
    for (; ; ) {
      if (length === buf.length) {
        const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, limits.maxBytes + 1));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      }
      const n = (0, import_node_fs.readSync)(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limits.maxBytes) throw tooLarge(label, limits.maxBytes);
    }
    return buf.subarray(0, length);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    const err = e;
    throw new FileReadError(`${label}: cannot read (${err.code ?? "error"})`, err.code ?? "EIO");
  } finally {
    (0, import_node_fs.closeSync)(fd);
  }
}
function tooLarge(label, maxBytes) {
  return new FileReadError(`${label} is larger than the ${formatBytes(maxBytes)} limit`, "EFBIG");
}
function formatBytes(n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
function readRegularTextFile(path, limits) {
  const text = readRegularFile(path, limits).toString("utf8");
  return text.charCodeAt(0) === 65279 ? text.slice(1) : text;
}

// src/shared/crc24.ts
function crc24(data) {
  let crc = 11994318;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i] << 16;
    for (let j = 0; j < 8; j++) {
      crc <<= 1;
      if (crc & 16777216) crc ^= 25578747;
    }
  }
  return crc & 16777215;
}

export {
  FileReadError,
  readRegularFile,
  readRegularTextFile,
  crc24
};
