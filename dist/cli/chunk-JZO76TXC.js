import {
  armor2 as armor,
  encodeHashedPart,
  encodeSignaturePacket,
  encodeTrailer,
  hashFileInto,
  isHashName,
  readKey,
  verifyDigestSignature
} from "./chunk-4PPAEHMD.js";
import {
  require_promises
} from "./chunk-AM6LXS76.js";
import {
  require_node_crypto
} from "./chunk-XP3VH5XU.js";
import {
  __toESM
} from "./chunk-UB53VF2P.js";

// src/sign/signer.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_promises = __toESM(require_promises(), 1);
async function hashFile(path, alg) {
  const main = (0, import_node_crypto.createHash)(alg);
  const side = alg === "sha256" ? void 0 : (0, import_node_crypto.createHash)("sha256");
  const size = await hashFileInto(path, side ? [main, side] : [main]);
  const sha256 = (side ?? main.copy()).digest("hex");
  return { hash: main, sha256, size };
}
async function hashStream(data, alg) {
  const main = (0, import_node_crypto.createHash)(alg);
  const side = alg === "sha256" ? void 0 : (0, import_node_crypto.createHash)("sha256");
  let size = 0;
  const feed = (c) => {
    main.update(c);
    side?.update(c);
    size += c.length;
  };
  if (data instanceof Uint8Array) feed(data);
  else for await (const c of data) feed(c);
  const sha256 = (side ?? main.copy()).digest("hex");
  return { hash: main, sha256, size };
}
async function finish(key, docHash, options) {
  const hash = resolveHash(key, options.hash);
  const created = options.date ?? /* @__PURE__ */ new Date();
  if (Math.floor(created.getTime() / 1e3) < Math.floor(key.created.getTime() / 1e3)) {
    throw new Error(
      `the signature time ${created.toISOString()} is before the signing key was created (${key.created.toISOString()}); check the system clock`
    );
  }
  const hashedPart = encodeHashedPart({
    pubkeyAlgorithm: key.algorithm,
    hash,
    created,
    issuerFingerprint: key.fingerprintBytes,
    notations: options.notations
  });
  docHash.update(hashedPart);
  docHash.update(encodeTrailer(hashedPart.length));
  const digest = docHash.digest();
  const mpis = await key.signDigest(digest, hash);
  return { packet: encodeSignaturePacket(hashedPart, key.keyIdBytes, digest, mpis), digest };
}
async function signData(key, data, options = {}) {
  const hash = resolveHash(key, options.hash);
  const d = await hashStream(data, hash);
  return { ...await finish(key, d.hash, { ...options, hash }), sha256: d.sha256, size: d.size };
}
function defaultHashFor(key) {
  if (key.preferredHash) return key.preferredHash;
  if (key.algorithm === "ecdsa" && key.curve === "nistP384") return "sha384";
  if (key.algorithm === "ecdsa" && key.curve === "nistP521") return "sha512";
  return "sha256";
}
var MIN_HASH_BYTES = { nistP384: 48, nistP521: 64 };
var HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 };
function resolveHash(key, hash) {
  const h = hash ?? defaultHashFor(key);
  if (!isHashName(h)) throw new Error(`unsupported hash ${String(h)}: use sha256, sha384 or sha512`);
  const min = key.algorithm === "ecdsa" && key.curve ? MIN_HASH_BYTES[key.curve] : void 0;
  if (min && HASH_BYTES[h] < min) {
    throw new Error(
      `an ECDSA ${key.curve} key needs a hash of at least ${min * 8} bits (GnuPG rejects ${h} signatures from it); use hash ${min === 48 ? "sha384 or sha512" : "sha512"}`
    );
  }
  return h;
}
function encodeSignature(packet, armored) {
  return armored ? Buffer.from(armor(packet), "utf8") : Buffer.from(packet);
}
async function writePublicFile(path, data) {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await (0, import_promises.writeFile)(tmp, data, { mode: 420, flag: "wx" });
    await (0, import_promises.chmod)(tmp, 420);
    await (0, import_promises.rename)(tmp, path);
  } catch (e) {
    await (0, import_promises.rm)(tmp, { force: true });
    throw e;
  }
}
async function signFiles(options) {
  const armored = options.armor ?? true;
  const hash = resolveHash(options.key, options.hash);
  const date = options.date;
  const out = new Array(options.files.length);
  let publicKey;
  const inFlight = /* @__PURE__ */ new Set();
  let failure;
  for (const [i, path] of options.files.entries()) {
    if (failure) break;
    const d = await hashFile(path, hash);
    const job = (async () => {
      const signed = await finish(options.key, d.hash, {
        hash,
        ...options.notations ? { notations: options.notations } : {},
        ...date ? { date } : {}
      });
      const signature = path + (armored ? ".asc" : ".sig");
      await writePublicFile(signature, encodeSignature(signed.packet, armored));
      if (options.selfCheck ?? true) {
        publicKey ??= await readKey({ armoredKey: options.key.publicKeyArmored });
        try {
          await verifyDigestSignature(publicKey, await (0, import_promises.readFile)(signature), signed.digest);
        } catch (e) {
          await (0, import_promises.rm)(signature, { force: true });
          throw new Error(`self-check of the signature for ${path} failed: ${e.message}`);
        }
      }
      out[i] = { path, signature, sha256: d.sha256, size: d.size, digest: signed.digest, hash };
    })().catch((error) => {
      failure ??= { error };
    });
    inFlight.add(job);
    void job.then(() => inFlight.delete(job));
    if (inFlight.size >= SIGN_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return out;
}
var SIGN_IN_FLIGHT = 4;

// src/sign/manifest.ts
var import_node_crypto2 = __toESM(require_node_crypto(), 1);
var import_promises2 = __toESM(require_promises(), 1);
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
function checkManifestName(name) {
  const why = name === "" ? "is empty" : name === "-" ? 'is "-", which sha256sum -c reads as stdin' : name.includes("\0") ? "contains a NUL byte" : name.startsWith("/") ? "is absolute" : name.split("/").some((s) => s === "..") ? "leaves the manifest's directory (..)" : name.split("/").some((s) => s === "" || s === ".") ? 'has an empty or "." path segment' : void 0;
  if (why) throw new Error(`file name ${JSON.stringify(name)} ${why}`);
  return name;
}
function formatLine(sha256, name) {
  if (!/^[0-9a-f]{64}$/i.test(sha256)) throw new Error(`not a SHA-256 digest for ${JSON.stringify(name)}`);
  checkManifestName(name);
  const hex = sha256.toLowerCase();
  if (!/[\\\n\r]/.test(name)) return `${hex}  ${name}
`;
  const escaped = name.replace(/[\\\n\r]/g, (c) => c === "\\" ? "\\\\" : c === "\n" ? "\\n" : "\\r");
  return `\\${hex}  ${escaped}
`;
}
var byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
function formatNamed(entries) {
  const byName = /* @__PURE__ */ new Map();
  for (const e of entries) {
    const hex = e.sha256.toLowerCase();
    const prev = byName.get(e.name);
    if (prev !== void 0 && prev !== hex) throw new Error(`${e.name} listed twice with different digests`);
    byName.set(e.name, hex);
  }
  return [...byName.keys()].sort(byteOrder).map((n) => formatLine(byName.get(n), n)).join("");
}
function nameRelativeTo(path, baseDir) {
  let name = relative(resolve(baseDir), resolve(path));
  if (name === "" || isAbsolute(name)) throw new Error(`cannot name ${path} relative to ${baseDir}`);
  if (name === ".." || name.startsWith(`..${sep}`)) {
    throw new Error(`${path} is outside the manifest's directory ${baseDir}; put the manifest in a common parent`);
  }
  if (sep !== "/") name = name.split(sep).join("/");
  return name;
}
function formatManifest(entries, baseDir) {
  return formatNamed(
    entries.map((e) => {
      if (!/^[0-9a-f]{64}$/i.test(e.sha256)) throw new Error(`not a SHA-256 digest for ${e.path}`);
      return { name: nameRelativeTo(e.path, baseDir), sha256: e.sha256 };
    })
  );
}
function unescapeName(escaped) {
  let out = "";
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = escaped[++i];
    if (next === "\\") out += "\\";
    else if (next === "n") out += "\n";
    else if (next === "r") out += "\r";
    else return void 0;
  }
  return out;
}
function parseManifestLines(text) {
  const out = [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((raw, i) => {
    const bad = (why) => new Error(`line ${i + 1}: ${why}: ${JSON.stringify(raw.slice(0, 80))}`);
    const escaped = raw.startsWith("\\");
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/s.exec(escaped ? raw.slice(1) : raw);
    if (!m) throw bad('malformed checksum line (expected "<64 hex digits>  <name>")');
    const name = escaped ? unescapeName(m[2]) : m[2];
    if (name === void 0) throw bad("malformed escape in the file name");
    if (!escaped && /[\r]/.test(name)) throw bad("a carriage return in an unescaped name");
    try {
      checkManifestName(name);
    } catch (e) {
      throw bad(e.message);
    }
    out.push({ name, sha256: m[1].toLowerCase(), line: i + 1 });
  });
  return out;
}
async function writeSignedManifest(options) {
  const text = formatManifest(options.entries, dirname(resolve(options.manifestPath)));
  return writeSignedText({ ...options, text });
}
async function writeSignedText(options) {
  await writePublicFile(options.manifestPath, options.text);
  const [signed] = await signFiles({
    key: options.key,
    files: [options.manifestPath],
    ...options.armor !== void 0 ? { armor: options.armor } : {},
    ...options.notations ? { notations: options.notations } : {},
    ...options.hash ? { hash: options.hash } : {},
    ...options.date ? { date: options.date } : {}
  });
  return signed;
}
function commonDir(files, fallback) {
  if (files.length === 0) return fallback;
  let dir = dirname(files[0]);
  for (const f of files.slice(1)) {
    while (!(dirname(f) === dir || dirname(f).startsWith(dir.endsWith(sep) ? dir : dir + sep))) {
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return dir;
}
async function digestFiles(paths, cwd) {
  const out = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const name = nameRelativeTo(abs, cwd);
    checkManifestName(name);
    const st = await (0, import_promises2.stat)(abs).catch((e) => {
      throw new Error(`cannot read ${JSON.stringify(p)}: ${e.code ?? e.message}`);
    });
    if (!st.isFile()) throw new Error(`${JSON.stringify(p)} is not a regular file`);
    const h = (0, import_node_crypto2.createHash)("sha256");
    await hashFileInto(abs, [h]);
    out.push({ name, sha256: h.digest("hex") });
  }
  return out;
}

export {
  signData,
  resolveHash,
  writePublicFile,
  signFiles,
  formatNamed,
  nameRelativeTo,
  parseManifestLines,
  writeSignedManifest,
  commonDir,
  digestFiles
};
