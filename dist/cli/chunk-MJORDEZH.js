import {
  HttpError,
  createHttpClient,
  errorMessage,
  httpRequest,
  isLoopbackHost,
  isTransientStatus,
  retry,
  retryAfterMs,
  safeUrl
} from "./chunk-IZ2XJCM3.js";
import {
  commonDir,
  formatNamed,
  nameRelativeTo,
  parseManifestLines,
  resolveHash,
  signData,
  signFiles,
  writePublicFile,
  writeSignedManifest
} from "./chunk-JZO76TXC.js";
import {
  HASH_IDS,
  MAX_KEY_BYTES,
  PUBKEY_IDS,
  SUBPACKET,
  armor,
  armor2,
  dearmor,
  encodeMpi,
  encodePacket,
  encodeSignaturePacket,
  encodeSubpacket,
  encodeTrailer,
  enums,
  hashFileInto,
  isHashName,
  loadSigningKey,
  readKey,
  splitPackets,
  verifyFiles
} from "./chunk-4PPAEHMD.js";
import {
  require_promises
} from "./chunk-AM6LXS76.js";
import {
  EXIT,
  UsageError,
  parseFlags
} from "./chunk-C6T3TIBE.js";
import {
  require_picomatch
} from "./chunk-OCLRRPSL.js";
import {
  require_node_child_process
} from "./chunk-6YLAXRWA.js";
import {
  require_node_net
} from "./chunk-RTIGXEMI.js";
import {
  FileReadError,
  readRegularFile,
  readRegularTextFile
} from "./chunk-T5EDXOGP.js";
import {
  displayPath,
  excerpt,
  printable,
  require_node_crypto,
  require_node_fs
} from "./chunk-XP3VH5XU.js";
import {
  __toESM
} from "./chunk-UB53VF2P.js";

// src/cli/sign.ts
var import_promises6 = __toESM(require_promises(), 1);
import { basename as basename3, join as join6, resolve as resolve5 } from "node:path";

// src/sign/job.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);

// src/sign/audit.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_promises = __toESM(require_promises(), 1);
import { join } from "node:path";
var AUDIT_CLAIMS = [
  "repository",
  "ref",
  "sha",
  "workflow",
  "job_workflow_ref",
  "run_id",
  "run_attempt",
  "actor",
  "environment",
  "event_name",
  "sub",
  "aud"
];
function newAudit(ttl) {
  return { tool: "jit-gpg", version: 1, outcome: "failed", claims: {}, files: [], lifetime: { ttl } };
}
function pickClaims(claims) {
  const out = {};
  for (const n of AUDIT_CLAIMS) if (claims[n] !== void 0) out[n] = claims[n];
  return out;
}

// src/sign/files.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var fsPromises = __toESM(require_promises(), 1);
var import_promises2 = __toESM(require_promises(), 1);
import { basename, dirname, isAbsolute, relative, resolve, sep, win32 } from "node:path";
var WorkspaceError = class extends Error {
  name = "WorkspaceError";
};
var toPosix = (p) => sep === "/" ? p : p.split(sep).join("/");
function isInside(root, path) {
  const rel = relative(root, path);
  return rel === "" || !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}
function displayPath2(path, workspace) {
  const rel = relative(workspace, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? toPosix(rel) : path;
}
function assertWritableInside(root, path, what) {
  let realDir;
  try {
    realDir = (0, import_node_fs.realpathSync)(dirname(resolve(path)));
  } catch (e) {
    throw new WorkspaceError(`cannot write the ${what}: ${e.code ?? "error"}`);
  }
  if (!isInside(root, realDir)) {
    throw new WorkspaceError(`refusing to write the ${what} outside the workspace (its directory resolves outside)`);
  }
}

// src/sign/git-shim.ts
var import_promises3 = __toESM(require_promises(), 1);
var import_node_net = __toESM(require_node_net(), 1);
import { join as join2 } from "node:path";

// src/sign/state.ts
var STATE_KEYRING = "keyring";
var STATE_SHIM = "git-shim";
var SHIM_PREFIX = "jit-gpg-shim-";

// src/sign/git-shim.ts
var MAX_SIGN_REQUEST_BYTES = 16 * 1024 * 1024;
var SOCKET_ENV = "JIT_GPG_SIGN_SOCKET";
var SHIM_SOURCE = `import { connect } from 'node:net';
import { writeSync } from 'node:fs';
const args = process.argv.slice(2);
let statusFd = -1, user = '', sign = false, detach = false, verify = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a.startsWith('--status-fd=')) statusFd = Number(a.slice(12));
  else if (a === '--status-fd') statusFd = Number(args[++i]);
  else if (a === '--local-user' || a === '-u') user = args[++i] ?? '';
  else if (a.startsWith('--local-user=')) user = a.slice(13);
  else if (a === '--detach-sign') { detach = true; sign = true; }
  else if (a === '--sign') sign = true;
  else if (a === '--armor' || a === '-a') {}
  else if (a === '--verify') verify = true;
  else if (/^-[bsau]+$/.test(a)) {
    if (a.includes('b')) detach = true;
    if (a.includes('s')) sign = true;
    if (a.endsWith('u')) user = args[++i] ?? '';
  } else if (a === '--batch' || a === '--no-tty' || a === '--yes') {}
  else { process.stderr.write('jit-gpg gpg shim: unsupported option ' + a + '\\n'); process.exit(2); }
}
if (verify || !sign || !detach) {
  process.stderr.write('jit-gpg gpg shim: only detached signing (-bsau KEY) is available here; verify with gpg\\n');
  process.exit(2);
}
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const sock = connect(process.env.${SOCKET_ENV});
let answer = '';
sock.on('data', (d) => { answer += d; });
sock.on('error', (e) => { process.stderr.write('jit-gpg gpg shim: ' + e.message + '\\n'); process.exit(2); });
sock.on('end', () => {
  let r;
  try { r = JSON.parse(answer); } catch { r = { ok: false, error: 'no answer from the signing process' }; }
  if (!r.ok) { process.stderr.write('gpg: signing failed: ' + r.error + '\\n'); process.exit(2); }
  if (statusFd >= 0) writeSync(statusFd, '[GNUPG:] KEY_CONSIDERED ' + r.fingerprint + ' 2\\n[GNUPG:] BEGIN_SIGNING H' + r.hash + '\\n[GNUPG:] ' + r.status + '\\n');
  process.stdout.write(r.signature);
});
sock.write(JSON.stringify({ user }) + '\\n');
sock.end(Buffer.concat(chunks));
`;
function namesKey(user, key) {
  const u = user.trim().replace(/!$/, "");
  if (u === "") return true;
  const hex = u.replace(/^0x/i, "").replace(/\s/g, "").toUpperCase();
  if (/^[0-9A-F]{16}$/.test(hex)) return hex === key.keyId;
  if (/^[0-9A-F]{40}$/.test(hex)) return hex === key.fingerprint;
  const lower = u.toLowerCase().replace(/^<|>$/g, "");
  return key.userIds.some((id) => id.toLowerCase().includes(lower));
}
async function startSigningShim(options) {
  const dir = await (0, import_promises3.mkdtemp)(join2(options.tempRoot, SHIM_PREFIX));
  await (0, import_promises3.chmod)(dir, 448);
  const socketPath = join2(dir, "s");
  const script = join2(dir, "gpg-shim.mjs");
  const program = join2(dir, "gpg");
  await (0, import_promises3.writeFile)(script, SHIM_SOURCE, { mode: 384 });
  const node = (options.nodePath ?? process.execPath).replace(/'/g, `'\\''`);
  await (0, import_promises3.writeFile)(program, `#!/bin/sh
exec '${node}' '${script.replace(/'/g, `'\\''`)}' "$@"
`, { mode: 448 });
  const key = options.key;
  let count = 0;
  const handle = (conn) => {
    const chunks = [];
    let size = 0;
    let refused = false;
    const reply = (body) => conn.end(`${JSON.stringify(body)}
`);
    conn.setTimeout(3e4, () => conn.destroy());
    conn.on("data", (c) => {
      size += c.length;
      if (size > MAX_SIGN_REQUEST_BYTES + 4096) {
        if (!refused) reply({ ok: false, error: `more than ${MAX_SIGN_REQUEST_BYTES} bytes to sign` });
        refused = true;
        return;
      }
      chunks.push(c);
    });
    conn.on("error", () => conn.destroy());
    conn.on("end", () => {
      if (refused) return;
      void (async () => {
        const all = Buffer.concat(chunks);
        const nl = all.indexOf(10);
        let user = "";
        try {
          user = String(JSON.parse(all.subarray(0, nl).toString("utf8")).user ?? "");
        } catch {
          reply({ ok: false, error: "malformed request" });
          return;
        }
        if (!namesKey(user, key)) {
          reply({
            ok: false,
            error: `no secret key for "${user.slice(0, 100)}": this step signs only with ${key.fingerprint}`
          });
          return;
        }
        try {
          const date = /* @__PURE__ */ new Date();
          const signed = await signData(key, all.subarray(nl + 1), { date });
          count++;
          const hash = HASH_IDS[resolveHash(key, void 0)];
          options.log(`git shim: signed ${all.length - nl - 1} bytes for git with ${key.fingerprint}`);
          reply({
            ok: true,
            signature: armor2(signed.packet),
            fingerprint: key.fingerprint,
            hash,
            status: `SIG_CREATED D ${PUBKEY_IDS[key.algorithm]} ${hash} 00 ${Math.floor(date.getTime() / 1e3)} ${key.fingerprint}`
          });
        } catch (e) {
          reply({ ok: false, error: e.message.slice(0, 300) });
        }
      })();
    });
  };
  const server = (0, import_node_net.createServer)({ allowHalfOpen: true }, handle);
  await new Promise((resolve6, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve6());
  });
  await (0, import_promises3.chmod)(socketPath, 384);
  let closed;
  return {
    dir,
    program,
    socketPath,
    get signatures() {
      return count;
    },
    close() {
      closed ??= (async () => {
        await new Promise((resolve6) => server.close(() => resolve6()));
        await (0, import_promises3.rm)(dir, { recursive: true, force: true });
      })();
      return closed;
    }
  };
}

// src/sign/keyring.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_promises4 = __toESM(require_promises(), 1);
import { basename as basename2, join as join3 } from "node:path";

// src/sign/child-env.ts
var REMOVED_FROM_CHILD_ENV = [
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_URL",
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_RUNTIME_URL",
  "ACTIONS_RESULTS_URL",
  "ACTIONS_CACHE_URL",
  "ACTIONS_CACHE_SERVICE_V2",
  "GITHUB_STATE",
  "GITHUB_OUTPUT",
  "GITHUB_ENV",
  "GITHUB_PATH",
  "GITHUB_STEP_SUMMARY"
];
function childEnv(env) {
  const drop = new Set(REMOVED_FROM_CHILD_ENV);
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    if (!drop.has(name.toUpperCase())) out[name] = value;
  }
  return out;
}

// src/sign/keyring.ts
var KEYRING_PREFIX = "jit-gpg-keyring-";
var KILL_GRACE_MS = 2e3;
var KeyringError = class extends Error {
  name = "KeyringError";
  code;
  constructor(code, message) {
    super(message);
    this.code = code;
  }
};
function agentConfig(ttlSeconds) {
  const ttl = Math.max(1, Math.floor(ttlSeconds));
  return [
    "# written by jit-gpg for one step; removed when the step ends",
    `default-cache-ttl ${ttl}`,
    `max-cache-ttl ${ttl}`,
    "allow-preset-passphrase",
    "allow-loopback-pinentry",
    "no-allow-external-cache",
    ""
  ].join("\n");
}
function gpgConfig() {
  return [
    "# written by jit-gpg for one step; removed when the step ends",
    "batch",
    "no-tty",
    "pinentry-mode loopback",
    "no-greeting",
    "trust-model always",
    "no-auto-key-retrieve",
    "no-auto-key-locate",
    ""
  ].join("\n");
}
function parseColonKeys(text) {
  const out = [];
  let current;
  let primary;
  for (const line of text.split(/\r?\n/)) {
    const f = line.split(":");
    const rec = f[0];
    if (rec === "sec" || rec === "ssb" || rec === "pub" || rec === "sub") {
      const type = rec === "sec" || rec === "pub" ? "sec" : "ssb";
      const caps = (f[11] ?? "").replace(/[A-Z]/g, "");
      const serial = f[14] ?? "";
      current = {
        type,
        keyId: (f[4] ?? "").toUpperCase(),
        fingerprint: "",
        keygrip: "",
        capabilities: caps,
        hasSecret: (rec === "sec" || rec === "ssb") && serial !== "#" && serial !== "",
        validity: f[1] ?? "",
        userIds: []
      };
      if (type === "sec") primary = current;
      out.push(current);
    } else if (rec === "fpr" && current && !current.fingerprint) {
      current.fingerprint = (f[9] ?? "").toUpperCase();
    } else if (rec === "grp" && current && !current.keygrip) {
      current.keygrip = (f[9] ?? "").toUpperCase();
    } else if (rec === "uid" && primary) {
      const uid = unescapeColon(f[9] ?? "");
      if (uid) primary.userIds.push(uid);
    }
  }
  return out;
}
function unescapeColon(s) {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h) => String.fromCharCode(Number.parseInt(h, 16)));
}
function selectSigningKey(keys, fingerprint) {
  const want = fingerprint?.replace(/^0x/i, "").replace(/[\s:!]/g, "").toUpperCase();
  if (want) return keys.find((k) => k.fingerprint === want || k.keyId === want);
  return keys.find((k) => k.hasSecret && k.capabilities.includes("s") && !["r", "e", "i", "d"].includes(k.validity));
}
function gitSigningEnv(fingerprint, base = {}, gpgProgram = "gpg") {
  const existing = Number.parseInt(base.GIT_CONFIG_COUNT ?? "0", 10);
  let n = Number.isFinite(existing) && existing > 0 ? existing : 0;
  const out = {};
  const pairs = [
    ["user.signingkey", `${fingerprint.toUpperCase()}!`],
    ["gpg.format", "openpgp"],
    ["gpg.program", gpgProgram],
    ["gpg.openpgp.program", gpgProgram]
  ];
  for (const [k, v] of pairs) {
    out[`GIT_CONFIG_KEY_${n}`] = k;
    out[`GIT_CONFIG_VALUE_${n}`] = v;
    n++;
  }
  out.GIT_CONFIG_COUNT = String(n);
  return out;
}
function runTool(file, args, options) {
  return new Promise((resolve6, reject) => {
    const child = (0, import_node_child_process.spawn)(file, args, { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 3e4);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve6({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      });
    });
    child.stdin.on("error", () => {
    });
    child.stdin.end(options.input ?? "");
  });
}
function toolEnv(home, base = process.env) {
  const env = { ...base, GNUPGHOME: home, LC_ALL: "C", LANGUAGE: "C" };
  delete env.GPG_AGENT_INFO;
  return env;
}
var libexecCache;
async function gpgLibexecDir(env = process.env) {
  if (libexecCache) return libexecCache;
  let r;
  try {
    r = await runTool("gpgconf", ["--list-dirs", "libexecdir"], { env });
  } catch {
    throw new KeyringError(
      "gpg-missing",
      "gpgconf was not found on PATH: the `run` input needs GnuPG 2.1 or later (preinstalled on GitHub-hosted runners)"
    );
  }
  const dir = r.stdout.trim();
  if (r.code !== 0 || !dir) throw new KeyringError("gpg-missing", "gpgconf --list-dirs libexecdir failed");
  libexecCache = decodeURIComponent(dir.replace(/%3a/gi, ":"));
  return libexecCache;
}
async function agentSocketDir(home) {
  try {
    const r = await runTool("gpgconf", ["--homedir", home, "--list-dirs", "socketdir"], { env: toolEnv(home) });
    const dir = r.stdout.trim();
    return r.code === 0 && dir ? decodeURIComponent(dir.replace(/%3a/gi, ":")) : void 0;
  } catch {
    return void 0;
  }
}
async function agentPid(home) {
  try {
    const r = await runTool("gpg-connect-agent", ["--homedir", home, "--no-autostart", "getinfo pid", "/bye"], {
      env: toolEnv(home),
      timeoutMs: 1e4
    });
    const m = /^D (\d+)/m.exec(r.stdout);
    return m ? Number(m[1]) : void 0;
  } catch {
    return void 0;
  }
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === "EPERM";
  }
  if (process.platform === "linux") {
    try {
      const stat4 = (0, import_node_fs2.readFileSync)(`/proc/${pid}/stat`, "utf8");
      const state = stat4.slice(stat4.lastIndexOf(")") + 2, stat4.lastIndexOf(")") + 3);
      if (state === "Z" || state === "X") return false;
    } catch {
      return false;
    }
  }
  return true;
}
function processesUsingHome(home) {
  if (process.platform !== "linux") return [];
  const needle = `\0GNUPGHOME=${home}\0`;
  const out = [];
  let entries;
  try {
    entries = (0, import_node_fs2.readdirSync)("/proc");
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = `\0${(0, import_node_fs2.readFileSync)(`/proc/${name}/environ`, "latin1")}`;
      if (env.includes(needle) && processAlive(Number(name))) out.push(Number(name));
    } catch {
    }
  }
  return out;
}
function isAgentFor(pid, home) {
  if (!processAlive(pid)) return false;
  if (process.platform !== "linux") return true;
  try {
    const cmd = (0, import_node_fs2.readFileSync)(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmd.some((a) => basename2(a) === "gpg-agent") && cmd.some((a) => a === home || a.includes(home));
  } catch {
    return false;
  }
}
async function cleanupKeyring(dir, hints = {}) {
  const result = { dir, removed: false, agentKilled: false, processesKilled: 0, actions: [] };
  if (!dir) return result;
  if (!basename2(dir).startsWith(KEYRING_PREFIX)) {
    throw new KeyringError("setup", `refusing to remove ${dir}: it is not a jit-gpg keyring directory`);
  }
  const exists = (0, import_node_fs2.existsSync)(dir);
  const pidBefore = hints.agentPid ?? (exists ? await agentPid(dir) : void 0);
  const wasAgent = pidBefore !== void 0 && isAgentFor(pidBefore, dir);
  const stray = new Set(processesUsingHome(dir).filter((p) => p !== pidBefore && p !== process.pid));
  if (hints.commandPid !== void 0 && process.platform !== "linux" && processAlive(hints.commandPid)) {
    stray.add(hints.commandPid);
  }
  if (hints.commandPid !== void 0 && process.platform !== "win32") {
    const group = hints.commandPid;
    if (processAlive(group) && stray.has(group)) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
      }
    }
  }
  for (const pid of stray) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
    }
  }
  if (stray.size) {
    for (let i = 0; i < 40 && [...stray].some(processAlive); i++) await new Promise((r) => setTimeout(r, 50));
    result.processesKilled = [...stray].filter((p) => !processAlive(p)).length;
    result.actions.push(
      `killed ${stray.size} process(es) still running with this GNUPGHOME (pid ${[...stray].join(", ")})`
    );
  }
  if (exists) {
    try {
      await runTool("gpgconf", ["--homedir", dir, "--kill", "all"], { env: toolEnv(dir), timeoutMs: 15e3 });
    } catch {
    }
  }
  if (pidBefore !== void 0 && wasAgent) {
    const gone = async (ms) => {
      const until = Date.now() + ms;
      while (processAlive(pidBefore) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      return !processAlive(pidBefore);
    };
    if (!await gone(3e3) && isAgentFor(pidBefore, dir)) {
      try {
        process.kill(pidBefore, "SIGKILL");
      } catch {
      }
      await gone(2e3);
    }
    if (!processAlive(pidBefore)) {
      result.agentKilled = true;
      result.actions.push(`stopped gpg-agent (pid ${pidBefore})`);
    } else {
      result.actions.push(`gpg-agent (pid ${pidBefore}) is still running`);
    }
  }
  if (exists) {
    try {
      await runTool("gpgconf", ["--homedir", dir, "--remove-socketdir"], { env: toolEnv(dir), timeoutMs: 1e4 });
    } catch {
    }
    await (0, import_promises4.rm)(dir, { recursive: true, force: true, maxRetries: 3 });
    result.removed = !(0, import_node_fs2.existsSync)(dir);
    result.actions.push(result.removed ? `removed ${dir}` : `could not remove ${dir}`);
  }
  if (hints.socketDir && hints.socketDir !== dir && basename2(hints.socketDir).startsWith("d.")) {
    try {
      const entries = await (0, import_promises4.readdir)(hints.socketDir);
      if (entries.every((e) => e.startsWith("S."))) {
        await (0, import_promises4.rm)(hints.socketDir, { recursive: true, force: true });
        result.actions.push(`removed ${hints.socketDir}`);
      }
    } catch {
    }
  }
  return result;
}
var EphemeralKeyring = class _EphemeralKeyring {
  info;
  deadline;
  #fingerprint;
  #userIds = [];
  #env;
  #log;
  #destroyed = false;
  constructor(info, deadline, env, log) {
    this.info = info;
    this.deadline = deadline;
    this.#env = env;
    this.#log = log;
  }
  /** Creates the 0700 home and its config files (no key yet). */
  static async create(options) {
    if (!options.tempRoot) throw new KeyringError("setup", "no temporary directory (RUNNER_TEMP) for the keyring");
    const dir = await (0, import_promises4.mkdtemp)(join3(options.tempRoot, KEYRING_PREFIX));
    await (0, import_promises4.chmod)(dir, 448);
    await (0, import_promises4.writeFile)(join3(dir, "gpg-agent.conf"), agentConfig(options.ttlSeconds), { mode: 384 });
    await (0, import_promises4.writeFile)(join3(dir, "gpg.conf"), gpgConfig(), { mode: 384 });
    const info = { dir };
    const socketDir = await agentSocketDir(dir);
    if (socketDir) info.socketDir = socketDir;
    return new _EphemeralKeyring(
      info,
      Date.now() + options.ttlSeconds * 1e3,
      options.env ?? process.env,
      options.log ?? (() => {
      })
    );
  }
  get fingerprint() {
    return this.#fingerprint;
  }
  get userIds() {
    return [...this.#userIds];
  }
  /** Imports the key over stdin, presets the passphrase over a pipe, selects the signing (sub)key. */
  async importKey(armoredKey, passphrase, fingerprint) {
    const env = toolEnv(this.info.dir, this.#env);
    const gpg = (args, input) => runTool("gpg", ["--homedir", this.info.dir, "--batch", "--no-tty", ...args], {
      env,
      ...input !== void 0 ? { input } : {}
    });
    let imp;
    try {
      imp = await gpg(["--import"], armoredKey);
    } catch {
      throw new KeyringError("gpg-missing", "gpg was not found on PATH: the `run` input needs GnuPG 2.1 or later");
    }
    if (imp.code !== 0 || !/secret keys (imported|unchanged)/.test(imp.stderr)) {
      throw new KeyringError(
        "import-failed",
        `gpg could not import the key into the ephemeral keyring (exit ${imp.code}): ${lastLines(imp.stderr)}`
      );
    }
    const list = await gpg(["--with-colons", "--with-keygrip", "--list-secret-keys"]);
    const keys = parseColonKeys(list.stdout);
    const selected = selectSigningKey(keys, fingerprint);
    if (!selected?.hasSecret) {
      throw new KeyringError(
        "no-signing-key",
        fingerprint ? `the ephemeral keyring holds no secret key ${fingerprint}` : "the ephemeral keyring holds no usable signing key"
      );
    }
    this.#fingerprint = selected.fingerprint;
    this.#userIds = keys.find((k) => k.type === "sec")?.userIds ?? [];
    if (passphrase !== void 0 && passphrase !== "") {
      const preset = join3(await gpgLibexecDir(env), "gpg-preset-passphrase");
      for (const k of keys.filter((x) => x.hasSecret && x.keygrip)) {
        const r = await runTool(preset, ["--homedir", this.info.dir, "--preset", k.keygrip], {
          env,
          input: passphrase
        }).catch(() => void 0);
        if (r?.code !== 0) {
          throw new KeyringError(
            "preset-failed",
            `gpg-preset-passphrase could not give the passphrase to the agent${r ? `: ${lastLines(r.stderr)}` : ""}`
          );
        }
      }
    }
    const pid = await agentPid(this.info.dir);
    if (pid !== void 0) this.info.agentPid = pid;
    this.#log(
      `Imported ${selected.type === "ssb" ? "subkey" : "key"} ${selected.fingerprint} into ${this.info.dir}` + (pid !== void 0 ? ` (gpg-agent pid ${pid})` : "")
    );
    return selected;
  }
  /**
   * Environment for the command: GNUPGHOME and git's signing key, without the runner's token and step-file
   * variables (child-env.ts); nothing else changed.
   */
  commandEnv(extra = {}) {
    if (!this.#fingerprint) throw new KeyringError("setup", "no key imported yet");
    const env = { ...childEnv({ ...this.#env, ...extra }), GNUPGHOME: this.info.dir };
    delete env.GPG_AGENT_INFO;
    Object.assign(env, gitSigningEnv(this.#fingerprint, env));
    return env;
  }
  /**
   * Runs `command` with bash (-e -o pipefail) in its own process group; kills the group when the keyring's
   * ttl runs out (SIGTERM, then SIGKILL after a grace period).
   */
  runCommand(command, options = {}) {
    if (this.#destroyed) throw new KeyringError("setup", "the keyring was already destroyed");
    return runInProcessGroup(command, {
      env: this.commandEnv(options.env),
      deadline: this.deadline,
      log: this.#log,
      ...options.cwd ? { cwd: options.cwd } : {},
      ...options.stdio ? { stdio: options.stdio } : {},
      onStart: (pid) => {
        this.info.commandPid = pid;
        options.onStart?.({ ...this.info });
      },
      onExit: () => {
        delete this.info.commandPid;
      }
    });
  }
  #teardown;
  /**
   * Kills the agent and removes the home. Runs once: every caller (the normal end, a signal handler) gets the same
   * result, so nothing is torn down twice.
   */
  destroy() {
    this.#destroyed = true;
    this.#teardown ??= cleanupKeyring(this.info.dir, {
      ...this.info.socketDir ? { socketDir: this.info.socketDir } : {},
      ...this.info.agentPid !== void 0 ? { agentPid: this.info.agentPid } : {},
      ...this.info.commandPid !== void 0 ? { commandPid: this.info.commandPid } : {}
    });
    return this.#teardown;
  }
};
function runInProcessGroup(command, options) {
  const started = Date.now();
  const remaining = Math.max(0, options.deadline - started);
  const isWin = process.platform === "win32";
  const child = (0, import_node_child_process.spawn)("bash", ["-e", "-o", "pipefail", "-c", command], {
    cwd: options.cwd,
    // whatever path calls it, `run:` never gets the runner's tokens or the step's files (child-env.ts)
    env: childEnv(options.env),
    stdio: options.stdio ?? "inherit",
    detached: !isWin
  });
  if (child.pid !== void 0) options.onStart?.(child.pid);
  const out = [];
  const err = [];
  child.stdout?.on("data", (c) => out.push(c));
  child.stderr?.on("data", (c) => err.push(c));
  let timedOut = false;
  const signalGroup = (signal) => {
    try {
      if (!isWin && child.pid) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
    }
  };
  let killTimer;
  const ttlTimer = setTimeout(() => {
    timedOut = true;
    options.log(`The command outlived the key's ttl; stopping it`);
    signalGroup("SIGTERM");
    killTimer = setTimeout(() => signalGroup("SIGKILL"), KILL_GRACE_MS);
  }, remaining);
  return new Promise((resolve6, reject) => {
    child.on("error", (e) => {
      clearTimeout(ttlTimer);
      if (killTimer) clearTimeout(killTimer);
      reject(new KeyringError("command-failed", `the run command could not start: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(ttlTimer);
      if (killTimer) clearTimeout(killTimer);
      options.onExit?.();
      if (!isWin && child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
        }
      }
      const result = { exitCode: code, signal, timedOut, durationMs: Date.now() - started };
      if (child.stdout) result.stdout = Buffer.concat(out).toString("utf8");
      if (child.stderr) result.stderr = Buffer.concat(err).toString("utf8");
      resolve6(result);
    });
  });
}
function lastLines(text, n = 3) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.slice(-n).join(" | ").slice(0, 400) || "(no output)";
}
async function withEphemeralKeyring(options, fn) {
  const keyring = await EphemeralKeyring.create(options);
  options.onCreated?.(keyring);
  let cleanup;
  try {
    await options.onPrepared?.({ ...keyring.info });
    await keyring.importKey(options.armoredKey, options.passphrase, options.fingerprint);
    await options.onImported?.({ ...keyring.info });
    const result = await fn(keyring);
    cleanup = await keyring.destroy();
    return { result, cleanup };
  } finally {
    if (!cleanup) await keyring.destroy().catch(() => void 0);
  }
}

// src/sign/job.ts
var SignJobError = class extends Error {
  name = "SignJobError";
  code;
  constructor(code, message) {
    super(message);
    this.code = code;
  }
};
async function runSignJob(options, hooks) {
  const { workspace, files } = options;
  const log = hooks.log;
  const group = hooks.group ?? ((_title, fn) => fn());
  const mask = hooks.mask ?? (() => {
  });
  const saveState = hooks.saveState ?? (() => {
  });
  const show = (p) => displayPath(displayPath2(p, workspace));
  const audit = newAudit(options.ttl);
  const result = { audit, claims: {}, signed: [], verification: [] };
  let session;
  let material;
  let key;
  let liveKeyring;
  let ring;
  let ringTeardown;
  const teardownRing = () => {
    ringTeardown ??= (async () => {
      const info = liveKeyring;
      let r;
      try {
        if (ring) r = await ring.destroy();
        else if (info) r = await cleanupKeyring(info.dir, info);
      } catch (e) {
        log(`warning: could not remove the keyring: ${e.message}`);
      }
      for (const a of r?.actions ?? []) log(`Teardown: ${a}`);
      const dir = r?.dir ?? info?.dir;
      if (dir && !(0, import_node_fs3.existsSync)(dir)) {
        liveKeyring = void 0;
        saveState(STATE_KEYRING, "");
      }
    })();
    return ringTeardown;
  };
  let fetchedAt;
  let destroyedAt;
  const destroyKey = () => {
    if (key && !key.destroyed) key.destroy();
    if (material) {
      material.armoredKey = "";
      delete material.passphrase;
    }
    if (fetchedAt && !destroyedAt) destroyedAt = /* @__PURE__ */ new Date();
  };
  let cleaning;
  const cleanup = () => {
    cleaning ??= (async () => {
      destroyKey();
      if (ring || liveKeyring) await teardownRing();
      if (session && !session.released()) await session.release();
    })();
    return cleaning;
  };
  hooks.registerCleanup?.(cleanup);
  try {
    if (hooks.beforeToken) await hooks.beforeToken(files);
    let remote;
    if (options.key.kind === "armored") {
      material = {
        armoredKey: typeof options.key.armoredKey === "string" ? options.key.armoredKey : Buffer.from(options.key.armoredKey).toString("utf8"),
        ...options.key.passphrase !== void 0 ? { passphrase: options.key.passphrase } : {}
      };
      fetchedAt = /* @__PURE__ */ new Date();
    } else {
      const provider = options.key.provider;
      const source = options.key;
      const idToken = await group("Request the OIDC token", async () => {
        const t = await source.idToken();
        mask(t.token);
        result.claims = t.claims;
        audit.claims = pickClaims(t.claims);
        return t.token;
      });
      if (provider.kind === "key-store") {
        const m = await group(`Fetch the signing key from ${provider.label}`, async () => {
          const fetched = await provider.fetchKey(idToken);
          session = fetched;
          mask(fetched.armoredKey);
          if (fetched.passphrase) mask(fetched.passphrase);
          return fetched;
        });
        fetchedAt = /* @__PURE__ */ new Date();
        log(`Key fetched at ${fetchedAt.toISOString()} from ${printable(m.source)}`);
        material = { armoredKey: m.armoredKey, ...m.passphrase !== void 0 ? { passphrase: m.passphrase } : {} };
        m.armoredKey = "";
        delete m.passphrase;
      } else {
        remote = await group(`Connect to ${provider.label}`, async () => {
          const s = await provider.connect(idToken);
          session = s;
          return s;
        });
        fetchedAt = /* @__PURE__ */ new Date();
        log(`Connected at ${fetchedAt.toISOString()} to ${printable(remote.source)}`);
      }
    }
    if (options.passphrase !== void 0 && material) material.passphrase = options.passphrase;
    const deadline = (fetchedAt ?? /* @__PURE__ */ new Date()).getTime() + options.ttl * 1e3;
    key = await group(remote ? "Check the remote key" : "Unlock the key", async () => {
      let k;
      if (remote) {
        if (!options.publicKey) {
          throw new SignJobError("config", "a remote signer needs the OpenPGP public key (`public-key`)");
        }
        if (!hooks.remoteKey) throw new SignJobError("config", "remote signers are not supported by this build");
        k = await hooks.remoteKey(remote, options.publicKey);
      } else {
        k = await loadSigningKey({
          key: material.armoredKey,
          ...material.passphrase !== void 0 ? { passphrase: material.passphrase } : {},
          ...options.fingerprint ? { fingerprint: options.fingerprint } : {}
        });
      }
      log(
        `Signing with ${k.isSubkey ? "subkey" : "key"} ${k.fingerprint} (${k.algorithmLabel}) of ${printable(k.userIds.join(", ")) || k.primaryFingerprint}`
      );
      return k;
    });
    const signingKey2 = key;
    result.key = {
      fingerprint: signingKey2.fingerprint,
      keyId: signingKey2.keyId,
      primaryFingerprint: signingKey2.primaryFingerprint,
      isSubkey: signingKey2.isSubkey,
      userIds: signingKey2.userIds,
      algorithmLabel: signingKey2.algorithmLabel
    };
    audit.key = {
      fingerprint: signingKey2.fingerprint,
      keyId: signingKey2.keyId,
      primaryFingerprint: signingKey2.primaryFingerprint,
      userIds: signingKey2.userIds,
      algorithm: signingKey2.algorithmLabel,
      source: session?.source ?? (options.key.kind === "armored" ? options.key.source : ""),
      ...session?.identity ? { identity: session.identity } : {}
    };
    const confine = (path, what) => {
      if (options.confineTo) assertWritableInside(options.confineTo, path, what);
    };
    const fanIn = Boolean(options.checksumsPath && hooks.mergeChecksums);
    if (files.length || fanIn) {
      await group(`Sign ${files.length} file(s)${fanIn ? " and the merged manifest" : ""}`, async () => {
        for (const [n, v] of Object.entries(options.notations)) log(`Notation ${printable(n)}=${printable(v)}`);
        for (const f of files) confine(`${f}.asc`, `signature of ${show(f)}`);
        const common = {
          key: signingKey2,
          armor: options.armor,
          notations: options.notations,
          ...options.hash ? { hash: options.hash } : {}
        };
        result.signed = await signFiles({ ...common, files });
        for (const s of result.signed) log(`${show(s.signature)}  sha256 ${s.sha256}`);
        if (options.checksumsPath) {
          const manifestPath = options.checksumsPath;
          confine(manifestPath, "checksum manifest");
          let entries = result.signed.map((s) => ({ path: s.path, sha256: s.sha256 }));
          if (hooks.mergeChecksums) entries = await hooks.mergeChecksums(entries, manifestPath);
          result.manifestPath = manifestPath;
          result.manifest = await writeSignedManifest({ ...common, manifestPath, entries });
          log(`${show(result.manifest.signature)}  (manifest of ${entries.length} file(s))`);
        }
      });
    }
    result.publicKeyArmored = signingKey2.publicKeyArmored;
    if (options.publicKeyPath) {
      const path = typeof options.publicKeyPath === "string" ? options.publicKeyPath : options.publicKeyPath(result.key);
      if (files.length || fanIn) confine(path, "public key");
      await writePublicFile(path, signingKey2.publicKeyArmored);
      result.publicKeyPath = path;
    }
    if (!(remote && options.run)) signingKey2.destroy();
    const written = [...result.signed, ...result.manifest ? [result.manifest] : []];
    if (written.length) {
      await group("Verify every signature against the public key", async () => {
        result.verification = await verifyFiles({
          publicKey: signingKey2.publicKeyArmored,
          files: written.map((s) => ({
            file: s.path,
            signature: s.signature,
            signed: { digest: s.digest, hash: s.hash, sha256: s.sha256 }
          })),
          fingerprint: signingKey2.fingerprint
        });
        for (const r of result.verification) {
          log(
            `${r.valid ? "Good" : "BAD"} signature: ${show(r.signature)}${r.error ? ` (${printable(r.error)})` : ""}`
          );
        }
        const bad = result.verification.filter((r) => !r.valid);
        if (bad.length) {
          throw new SignJobError(
            "verify-failed",
            `${bad.length} signature(s) did not verify against the public key (${bad.map((r) => show(r.file)).join(", ")}); nothing was reported as signed`
          );
        }
      });
    }
    if (options.run && remote) {
      const run = options.run;
      result.run = await group("Run the command with git signing through the remote key", async () => {
        const deadline2 = deadline;
        if (deadline2 - Date.now() < 1e3) {
          throw new SignJobError(
            "ttl",
            `the ttl (${options.ttl} s) ran out before the run command could start: raise ttl`
          );
        }
        const shim = await startSigningShim({ key: signingKey2, tempRoot: run.tempRoot, log });
        saveState(STATE_SHIM, shim.dir);
        try {
          log(`git signs with ${signingKey2.fingerprint} through ${shim.program} (GIT_CONFIG_* for this command only)`);
          log(`Running: ${run.command}`);
          const env = {
            ...run.env,
            ...gitSigningEnv(signingKey2.fingerprint, run.env, shim.program)
          };
          env[SOCKET_ENV] = shim.socketPath;
          return await runInProcessGroup(run.command, { env, deadline: deadline2, log, cwd: run.cwd });
        } finally {
          await shim.close();
          saveState(STATE_SHIM, "");
          log(`Teardown: removed the git signing shim and its socket (${shim.signatures} signature(s) made)`);
        }
      });
      signingKey2.destroy();
      audit.run = { exitCode: result.run.exitCode, timedOut: result.run.timedOut, durationMs: result.run.durationMs };
      if (result.run.timedOut) {
        throw new SignJobError("ttl", `the run command was stopped when the ttl (${options.ttl} s) ran out: raise ttl`);
      }
      if (result.run.exitCode !== 0) {
        throw new SignJobError(
          "run-failed",
          `the run command failed (${result.run.signal ? `signal ${result.run.signal}` : `exit code ${result.run.exitCode}`}); its output is above`
        );
      }
    } else if (options.run) {
      const run = options.run;
      if (!material) throw new SignJobError("config", "`run` needs a key");
      const held = material;
      result.run = await group("Run the command with an ephemeral GnuPG keyring", async () => {
        const remaining = Math.floor((deadline - Date.now()) / 1e3);
        if (remaining < 1) {
          throw new SignJobError(
            "ttl",
            `the key's ttl (${options.ttl} s) ran out before the run command could start: raise ttl`
          );
        }
        const track = (info) => {
          liveKeyring = info;
          saveState(STATE_KEYRING, JSON.stringify(info));
        };
        const { result: commandResult } = await withEphemeralKeyring(
          {
            tempRoot: run.tempRoot,
            armoredKey: held.armoredKey,
            ...held.passphrase !== void 0 ? { passphrase: held.passphrase } : {},
            ttlSeconds: remaining,
            fingerprint: signingKey2.fingerprint,
            env: run.env,
            log,
            onCreated: (k) => {
              ring = k;
            },
            onPrepared: track,
            onImported: track
          },
          async (keyring) => {
            log(
              `GNUPGHOME=${keyring.info.dir}; git signs with ${keyring.fingerprint} (GIT_CONFIG_* for this command only)`
            );
            log(`Running: ${printable(run.command)}`);
            return keyring.runCommand(run.command, { cwd: run.cwd, onStart: track });
          }
        );
        await teardownRing();
        return commandResult;
      });
      audit.run = {
        exitCode: result.run.exitCode,
        timedOut: result.run.timedOut,
        durationMs: result.run.durationMs
      };
      if (result.run.timedOut) {
        throw new SignJobError(
          "ttl",
          `the run command was stopped when the key's ttl (${options.ttl} s) ran out: raise ttl (at most 3600) or make the command faster`
        );
      }
      if (result.run.exitCode !== 0) {
        throw new SignJobError(
          "run-failed",
          `the run command failed (${result.run.signal ? `signal ${result.run.signal}` : `exit code ${result.run.exitCode}`}); its output is above`
        );
      }
    }
    destroyKey();
    log(`Key fetched at ${fetchedAt?.toISOString()}, destroyed at ${destroyedAt?.toISOString()}`);
    audit.outcome = "signed";
    audit.files = result.signed.map(
      (s) => ({ path: show(s.path), sha256: s.sha256, size: s.size, signature: show(s.signature) })
    );
    if (result.manifest && result.manifestPath) {
      audit.checksums = {
        path: show(result.manifestPath),
        sha256: result.manifest.sha256,
        signature: show(result.manifest.signature)
      };
    }
    if (result.publicKeyPath) audit.publicKey = show(result.publicKeyPath);
  } catch (e) {
    result.error = e;
    audit.outcome = "failed";
  } finally {
    await cleanup();
    if (fetchedAt) audit.lifetime.fetchedAt = fetchedAt.toISOString();
    if (destroyedAt) audit.lifetime.destroyedAt = destroyedAt.toISOString();
    if (fetchedAt && destroyedAt) audit.lifetime.seconds = (destroyedAt.getTime() - fetchedAt.getTime()) / 1e3;
  }
  return result;
}

// src/sign/oidc.ts
var OIDC_URL_VAR = "ACTIONS_ID_TOKEN_REQUEST_URL";
var OIDC_TOKEN_VAR = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
var DEFAULT_AUDIENCE = "jit-gpg";
var PUBLIC_CLAIMS = [
  "iss",
  "sub",
  "aud",
  "repository",
  "repository_id",
  "repository_owner",
  "repository_owner_id",
  "ref",
  "ref_type",
  "sha",
  "environment",
  "job_workflow_ref",
  "workflow",
  "workflow_ref",
  "run_id",
  "run_number",
  "run_attempt",
  "actor",
  "event_name",
  "runner_environment",
  "iat",
  "nbf",
  "exp"
];
var OidcError = class extends Error {
  name = "OidcError";
  /** missing-env | denied | unavailable | bad-response */
  code;
  constructor(message, code) {
    super(message);
    this.code = code;
  }
};
function oidcAvailable(env = process.env) {
  return Boolean(env[OIDC_URL_VAR]?.trim()) && Boolean(env[OIDC_TOKEN_VAR]?.trim());
}
var MISSING_PERMISSION_MESSAGE = `the job cannot request an OIDC token: ${OIDC_URL_VAR} and ${OIDC_TOKEN_VAR} are not set. Add \`permissions: id-token: write\` to the job (or the workflow). GitHub withholds the token even then for pull requests from forks and for Dependabot runs, and a reusable workflow gets it only when the calling job grants \`id-token: write\` too.`;
function tokenRequestUrl(requestUrl, audience) {
  const url = new URL(requestUrl);
  if (url.searchParams.has("audience")) url.searchParams.delete("audience");
  if (!audience) return url.toString();
  const sep3 = url.search === "" ? "?" : "&";
  return `${url.toString()}${sep3}audience=${encodeURIComponent(audience)}`;
}
function base64UrlDecode(part) {
  return Buffer.from(part.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
}
function decodeJwtPayload(jwt) {
  const parts = jwt.split(".");
  if (parts.length !== 3 || !parts[1])
    throw new OidcError("the OIDC token is not a JWT (expected three parts)", "bad-response");
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1]));
    if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw new Error("not an object");
    return payload;
  } catch {
    throw new OidcError("the OIDC token payload is not valid JSON", "bad-response");
  }
}
function publicClaims(payload) {
  const out = {};
  for (const name of PUBLIC_CLAIMS) {
    const v = payload[name];
    if (typeof v === "string" || typeof v === "number") out[name] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) out[name] = v;
  }
  return out;
}
function describeClaims(claims, names = ["sub", "aud", "repository", "ref", "environment", "job_workflow_ref"]) {
  return names.map((n) => {
    const v = claims[n];
    const shown = v === void 0 ? "(absent)" : Array.isArray(v) ? v.join(", ") : String(v);
    return `  ${n}: ${shown}`;
  }).join("\n");
}
function statusError(status, body) {
  let detail = "";
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed?.message === "string") detail = `: ${parsed.message.slice(0, 200)}`;
  } catch {
  }
  const err = new OidcError(`the OIDC token request returned HTTP ${status}${detail}`, "unavailable");
  return err;
}
async function requestIdToken(options = {}) {
  const env = options.env ?? process.env;
  if (!oidcAvailable(env)) throw new OidcError(MISSING_PERMISSION_MESSAGE, "missing-env");
  const requestUrl = env[OIDC_URL_VAR].trim();
  const requestToken = env[OIDC_TOKEN_VAR].trim();
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  let url;
  try {
    url = tokenRequestUrl(requestUrl, audience);
  } catch {
    throw new OidcError(`${OIDC_URL_VAR} is not a valid URL`, "missing-env");
  }
  const client = options.http ?? httpRequest;
  const where = safeUrl(url);
  let tried = 0;
  const token = await retry(
    async () => {
      tried++;
      const res = await client({
        url,
        method: "GET",
        headers: { authorization: `Bearer ${requestToken}`, accept: "application/json; api-version=2.0" },
        timeoutMs: options.timeoutMs
      });
      if (res.status !== 200) {
        const err = statusError(res.status, res.body);
        if (isTransientStatus(res.status)) {
          Object.assign(err, { transient: true, retryAfterMs: retryAfterMs(res.headers) });
        } else if (res.status === 401 || res.status === 403) {
          err.message += " (the runner refused its own request token; the job may have ended, or `id-token: write` is missing)";
          err.code = "denied";
        }
        throw err;
      }
      let value;
      try {
        value = JSON.parse(res.body).value;
      } catch {
        throw new OidcError(`the OIDC token response from ${where} is not JSON`, "bad-response");
      }
      if (typeof value !== "string" || value === "") {
        throw new OidcError(`the OIDC token response from ${where} has no "value"`, "bad-response");
      }
      return value;
    },
    {
      ...options.retry,
      label: "OIDC token request",
      isRetryable: (e) => e instanceof HttpError && e.retryable || Boolean(e?.transient),
      onRetry: (info) => {
        options.log?.(info.message);
        options.retry?.onRetry?.(info);
      }
    }
  ).catch((e) => {
    const gaveUp = tried > 1 ? ` (gave up after ${tried} attempts)` : "";
    if (e instanceof OidcError) {
      if (e.transient) e.message += gaveUp;
      throw e;
    }
    if (e instanceof HttpError) {
      throw new OidcError(`the OIDC token request failed: ${e.message}${gaveUp}`, "unavailable");
    }
    throw e;
  });
  options.mask?.(token);
  const payload = decodeJwtPayload(token);
  const claims = publicClaims(payload);
  const result = { token, claims };
  if (typeof payload.exp === "number") result.expiresAt = new Date(payload.exp * 1e3);
  return result;
}

// src/sign/provenance.ts
var NOTATION_DOMAIN = "jit-gpg";
function ciNotations(env) {
  const out = {};
  const put = (name, value) => {
    if (value) out[`${name}@${NOTATION_DOMAIN}`] = value;
  };
  if (env.GITHUB_ACTIONS !== "true") return out;
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  put("repository", env.GITHUB_REPOSITORY);
  put("workflow-ref", env.GITHUB_WORKFLOW_REF);
  put("ref", env.GITHUB_REF);
  put("commit", env.GITHUB_SHA);
  if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
    put("run-url", `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`);
  }
  put("run-attempt", env.GITHUB_RUN_ATTEMPT);
  return out;
}

// src/sign/providers/select.ts
import { resolve as resolve2 } from "node:path";

// src/sign/remote-key.ts
var import_node_crypto2 = __toESM(require_node_crypto(), 1);
var RemoteKeyError = class extends Error {
  name = "RemoteKeyError";
};
var OIDS = {
  "ecdsa-p256": Buffer.from("2a8648ce3d030107", "hex"),
  "ecdsa-p384": Buffer.from("2b81040022", "hex"),
  ed25519: Buffer.from("2b06010401da470f01", "hex")
  // 1.3.6.1.4.1.11591.15.1 (legacy EdDSA Ed25519)
};
var CURVE_BYTES = { "ecdsa-p256": 32, "ecdsa-p384": 48 };
var ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
var MIN_RSA_BITS = 2048;
function ed25519FromRaw(raw) {
  if (raw.length !== 32) throw new RemoteKeyError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return (0, import_node_crypto2.createPublicKey)({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
}
function servicePublicKey(input) {
  let key;
  try {
    if (typeof input === "string") key = (0, import_node_crypto2.createPublicKey)(input);
    else if (input instanceof Uint8Array)
      key = (0, import_node_crypto2.createPublicKey)({ key: Buffer.from(input), format: "der", type: "spki" });
    else if (isKeyObject(input)) key = input;
    else {
      const jwk = { ...input };
      if (typeof jwk.kty === "string") jwk.kty = jwk.kty.replace(/-HSM$/, "");
      for (const f of ["kid", "key_ops", "use", "alg", "d", "p", "q", "dp", "dq", "qi", "k", "t"]) delete jwk[f];
      key = (0, import_node_crypto2.createPublicKey)({ key: jwk, format: "jwk" });
    }
  } catch (e) {
    throw new RemoteKeyError(`the key service returned a public key that could not be read (${e.message})`);
  }
  if (key.type !== "public") throw new RemoteKeyError("expected a public key");
  const kind2 = key.asymmetricKeyType;
  if (kind2 === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS)
      throw new RemoteKeyError(`RSA keys need at least ${MIN_RSA_BITS} bits (this one has ${bits})`);
    return { type: "rsa", bits, keyObject: key };
  }
  if (kind2 === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1") return { type: "ecdsa-p256", keyObject: key };
    if (curve === "secp384r1") return { type: "ecdsa-p384", keyObject: key };
    throw new RemoteKeyError(`ECDSA curve ${curve} is not supported: use NIST P-256 or P-384`);
  }
  if (kind2 === "ed25519") return { type: "ed25519", keyObject: key };
  throw new RemoteKeyError(
    `a ${kind2} key cannot make OpenPGP signatures here: use RSA (PKCS#1 v1.5), ECDSA P-256/P-384 or Ed25519`
  );
}
function isKeyObject(v) {
  return typeof v === "object" && v !== null && typeof v.export === "function" && "type" in v;
}
function pubkeyAlgorithmOf(type) {
  return type === "rsa" ? "rsa" : type === "ed25519" ? "eddsaLegacy" : "ecdsa";
}
function defaultRemoteHash(type) {
  return type === "ecdsa-p384" ? "sha384" : "sha256";
}
function b64url(s, what) {
  if (!s) throw new RemoteKeyError(`the public key has no ${what}`);
  return Buffer.from(s, "base64url");
}
function padTo(bytes, length) {
  if (bytes.length > length) throw new RemoteKeyError("coordinate longer than the curve");
  return bytes.length === length ? bytes : Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}
function keyMaterial(pub) {
  const jwk = pub.keyObject.export({ format: "jwk" });
  if (pub.type === "rsa")
    return Buffer.concat([encodeMpi(b64url(jwk.n, "modulus")), encodeMpi(b64url(jwk.e, "exponent"))]);
  const oid = OIDS[pub.type];
  const oidField = Buffer.concat([Buffer.from([oid.length]), oid]);
  if (pub.type === "ed25519") {
    return Buffer.concat([oidField, encodeMpi(Buffer.concat([Buffer.from([64]), padTo(b64url(jwk.x, "x"), 32)]))]);
  }
  const size = CURVE_BYTES[pub.type];
  const point = Buffer.concat([Buffer.from([4]), padTo(b64url(jwk.x, "x"), size), padTo(b64url(jwk.y, "y"), size)]);
  return Buffer.concat([oidField, encodeMpi(point)]);
}
function seconds(d) {
  const s = Math.floor(d.getTime() / 1e3);
  if (!Number.isFinite(s) || s < 0 || s > 4294967295) throw new RemoteKeyError("the key creation time is out of range");
  return s;
}
function publicKeyBody(pub, created) {
  const head = Buffer.alloc(6);
  head[0] = 4;
  head.writeUInt32BE(seconds(created), 1);
  head[5] = PUBKEY_IDS[pubkeyAlgorithmOf(pub.type)];
  return Buffer.concat([head, keyMaterial(pub)]);
}
function keyHashPrefix(body) {
  const len = Buffer.alloc(3);
  len[0] = 153;
  len.writeUInt16BE(body.length, 1);
  return Buffer.concat([len, body]);
}
function v4Fingerprint(body) {
  return (0, import_node_crypto2.createHash)("sha1").update(keyHashPrefix(body)).digest();
}
function signatureMpis(type, sig, rsaBits) {
  const bytes = Buffer.from(sig.bytes);
  if (type === "rsa") {
    if (sig.encoding !== "rsa") throw new RemoteKeyError(`expected an RSA signature, got ${sig.encoding}`);
    if (rsaBits && bytes.length !== Math.ceil(rsaBits / 8)) {
      throw new RemoteKeyError(
        `the RSA signature is ${bytes.length} bytes; the ${rsaBits}-bit key makes ${Math.ceil(rsaBits / 8)}`
      );
    }
    return encodeMpi(bytes);
  }
  if (type === "ed25519") {
    if (sig.encoding !== "ed25519" || bytes.length !== 64) {
      throw new RemoteKeyError(`expected a 64-byte Ed25519 signature, got ${bytes.length} bytes (${sig.encoding})`);
    }
    return Buffer.concat([encodeMpi(bytes.subarray(0, 32)), encodeMpi(bytes.subarray(32))]);
  }
  const size = CURVE_BYTES[type];
  let r;
  let s;
  if (sig.encoding === "der") ({ r, s } = parseDerSignature(bytes));
  else if (sig.encoding === "p1363") {
    if (bytes.length !== 2 * size)
      throw new RemoteKeyError(`expected a ${2 * size}-byte r\u2016s signature, got ${bytes.length}`);
    r = bytes.subarray(0, size);
    s = bytes.subarray(size);
  } else throw new RemoteKeyError(`expected an ECDSA signature, got ${sig.encoding}`);
  if (stripZeros(r).length > size || stripZeros(s).length > size)
    throw new RemoteKeyError("ECDSA r or s longer than the curve");
  return Buffer.concat([encodeMpi(r), encodeMpi(s)]);
}
function stripZeros(b) {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return b.subarray(i);
}
function parseDerSignature(der) {
  let off = 0;
  const byte = () => {
    const b = der[off++];
    if (b === void 0) throw new RemoteKeyError("truncated DER signature");
    return b;
  };
  const length = () => {
    const first = byte();
    if (first < 128) return first;
    const n = first & 127;
    if (n === 0 || n > 2) throw new RemoteKeyError("bad DER length");
    let v = 0;
    for (let i = 0; i < n; i++) v = v << 8 | byte();
    return v;
  };
  if (byte() !== 48) throw new RemoteKeyError("the ECDSA signature is not a DER SEQUENCE");
  const seqLen = length();
  if (off + seqLen !== der.length) throw new RemoteKeyError("DER signature length mismatch");
  const integer = () => {
    if (byte() !== 2) throw new RemoteKeyError("DER signature: expected an INTEGER");
    const len = length();
    if (len === 0 || off + len > der.length) throw new RemoteKeyError("truncated DER INTEGER");
    const v = der.subarray(off, off + len);
    off += len;
    if (v[0] & 128) throw new RemoteKeyError("negative DER INTEGER in a signature");
    return v;
  };
  const r = integer();
  const s = integer();
  if (off !== der.length) throw new RemoteKeyError("trailing bytes after the DER signature");
  return { r, s };
}
var LABELS = {
  rsa: "RSA",
  "ecdsa-p256": "ECDSA nistP256",
  "ecdsa-p384": "ECDSA nistP384",
  ed25519: "EdDSA ed25519"
};
function createRemoteKey(pub, options) {
  const body = publicKeyBody(pub, options.created);
  const fpr = v4Fingerprint(body);
  const hash = options.hash ?? defaultRemoteHash(pub.type);
  if (pub.type === "ecdsa-p384" && hash === "sha256") {
    throw new RemoteKeyError("an ECDSA P-384 key needs SHA-384 or SHA-512 signatures (GnuPG refuses SHA-256 from it)");
  }
  let calls = 0;
  return {
    type: pub.type,
    algorithm: pubkeyAlgorithmOf(pub.type),
    algorithmLabel: pub.type === "rsa" ? `RSA ${pub.bits}` : LABELS[pub.type],
    ...pub.bits ? { bits: pub.bits } : {},
    created: new Date(seconds(options.created) * 1e3),
    hash,
    publicKeyBody: body,
    fingerprint: fpr.toString("hex").toUpperCase(),
    keyId: fpr.subarray(12).toString("hex").toUpperCase(),
    fingerprintBytes: fpr,
    keyIdBytes: Buffer.from(fpr.subarray(12)),
    get signCalls() {
      return calls;
    },
    async signDigest(digest, h) {
      calls++;
      const sig = await options.signer({ digest, hash: h });
      return signatureMpis(pub.type, sig, pub.bits);
    }
  };
}
var KEY_FLAGS_CERTIFY_SIGN = 3;
var SIG_POSITIVE_CERTIFICATION = 19;
var TAG_PUBLIC_KEY = 6;
var TAG_USER_ID = 13;
function checkUserId(uid) {
  if (uid.trim() === "" || uid.length > 1024 || /[\x00-\x1f\x7f]/.test(uid)) {
    throw new RemoteKeyError('the user ID must be one printable line, e.g. "Release Bot <release@example.com>"');
  }
}
async function exportPublicKey(key, uid) {
  checkUserId(uid);
  const uidBytes = Buffer.from(uid, "utf8");
  const time = Buffer.alloc(4);
  time.writeUInt32BE(seconds(key.created));
  const area = Buffer.concat([
    encodeSubpacket(SUBPACKET.creationTime, time),
    encodeSubpacket(27, Buffer.from([KEY_FLAGS_CERTIFY_SIGN])),
    // key flags
    encodeSubpacket(21, Buffer.from([HASH_IDS.sha512, HASH_IDS.sha384, HASH_IDS.sha256])),
    // preferred hashes
    encodeSubpacket(30, Buffer.from([1])),
    // features: SEIPD v1
    encodeSubpacket(SUBPACKET.issuerFingerprint, Buffer.concat([Buffer.from([4]), key.fingerprintBytes]))
  ]);
  const head = Buffer.from([4, SIG_POSITIVE_CERTIFICATION, PUBKEY_IDS[key.algorithm], HASH_IDS[key.hash], 0, 0]);
  head.writeUInt16BE(area.length, 4);
  const hashedPart = Buffer.concat([head, area]);
  const uidLen = Buffer.alloc(5);
  uidLen[0] = 180;
  uidLen.writeUInt32BE(uidBytes.length, 1);
  const digest = (0, import_node_crypto2.createHash)(key.hash).update(keyHashPrefix(key.publicKeyBody)).update(uidLen).update(uidBytes).update(hashedPart).update(encodeTrailer(hashedPart.length)).digest();
  const mpis = await key.signDigest(digest, key.hash);
  const binary = Buffer.concat([
    encodePacket(TAG_PUBLIC_KEY, key.publicKeyBody),
    encodePacket(TAG_USER_ID, uidBytes),
    encodeSignaturePacket(hashedPart, key.keyIdBytes, digest, mpis)
  ]);
  return { binary, armored: armor2(binary, "PUBLIC KEY BLOCK") };
}
function matchPublicKey(exported, pub) {
  const packets = splitPackets(Buffer.from(exported));
  const primary = packets[0];
  if (!primary || primary.tag !== TAG_PUBLIC_KEY) {
    throw new RemoteKeyError("public-key does not start with a public key packet (is it an OpenPGP public key?)");
  }
  if (primary.body.length < 6 || primary.body[0] !== 4) throw new RemoteKeyError("public-key is not a v4 key");
  const created = new Date(primary.body.readUInt32BE(1) * 1e3);
  const expected = publicKeyBody(pub, created);
  if (!expected.equals(primary.body)) {
    const theirs = v4Fingerprint(primary.body).toString("hex").toUpperCase();
    const ours = v4Fingerprint(expected).toString("hex").toUpperCase();
    throw new RemoteKeyError(
      `the key service's key does not match public-key: public-key is ${theirs}, the service's key at that creation time would be ${ours}. Point key at the key public-key was exported from, or export public-key again (jit-gpg key export)`
    );
  }
  return created;
}

// src/shared/sigv4.ts
var import_node_crypto3 = __toESM(require_node_crypto(), 1);
var sha256Hex = (data) => (0, import_node_crypto3.createHash)("sha256").update(data).digest("hex");
var hmac = (key, data) => (0, import_node_crypto3.createHmac)("sha256", key).update(data, "utf8").digest();
function uriEscape(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
function amzDate(d) {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
function canonicalPath(pathname) {
  return pathname.split("/").map((seg) => uriEscape(seg)).join("/") || "/";
}
function canonicalQuery(params) {
  return [...params].map(([k, v]) => [uriEscape(k), uriEscape(v)]).sort(([ak, av], [bk, bv]) => ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0).map(([k, v]) => `${k}=${v}`).join("&");
}
function normalizeHeaders(headers) {
  const out = /* @__PURE__ */ new Map();
  for (const [name, value] of Object.entries(headers)) {
    out.set(name.toLowerCase(), String(value).trim().replace(/\s+/g, " "));
  }
  return out;
}
function canonicalRequest(req, signedHeaders) {
  const url = new URL(String(req.url));
  const headers = normalizeHeaders(req.headers);
  if (!headers.has("host")) headers.set("host", url.host);
  const names = [...new Set(signedHeaders.map((h) => h.toLowerCase()))].sort();
  for (const n of names) if (!headers.has(n)) throw new Error(`SigV4: signed header ${n} is missing`);
  const text = [
    req.method.toUpperCase(),
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    names.map((n) => `${n}:${headers.get(n)}
`).join(""),
    names.join(";"),
    sha256Hex(req.body)
  ].join("\n");
  return { text, signedHeaders: names.join(";") };
}
function signingKey(secret, date, region, service) {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}
function signatureFor(canonical, when, scope, key) {
  const stringToSign = ["AWS4-HMAC-SHA256", when, scope, sha256Hex(canonical)].join("\n");
  return (0, import_node_crypto3.createHmac)("sha256", key).update(stringToSign, "utf8").digest("hex");
}
function signRequest(req, options) {
  const when = amzDate(options.now ?? /* @__PURE__ */ new Date());
  const date = when.slice(0, 8);
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  headers.host ??= new URL(String(req.url)).host;
  headers["x-amz-date"] = when;
  if (options.credentials.sessionToken) headers["x-amz-security-token"] = options.credentials.sessionToken;
  const scope = `${date}/${options.region}/${options.service}/aws4_request`;
  const canonical = canonicalRequest({ ...req, headers }, Object.keys(headers));
  const key = signingKey(options.credentials.secretAccessKey, date, options.region, options.service);
  const signature = signatureFor(canonical.text, when, scope, key);
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`;
  return headers;
}

// src/sign/providers/types.ts
var ProviderError = class extends Error {
  name = "ProviderError";
  provider;
  code;
  /** HTTP status, when the service answered. */
  status;
  constructor(provider, code, message, status) {
    super(message);
    this.provider = provider;
    this.code = code;
    if (status !== void 0) this.status = status;
  }
};

// src/sign/providers/service-call.ts
function scrub(text, secrets) {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("***");
  return out.length > 600 ? `${out.slice(0, 600)}\u2026` : out;
}
var Transient = class extends Error {
  status;
  constructor(message, status) {
    super(message);
    this.status = status;
  }
};
async function callService(ctx, label, attempt, isTransient = (res) => isTransientStatus(res.status)) {
  let tried = 0;
  try {
    return await retry(
      async () => {
        tried++;
        const res = await attempt();
        if (isTransient(res)) throw new Transient(`HTTP ${res.status}`, res.status);
        return res;
      },
      {
        attempts: 4,
        ...ctx.retry,
        label,
        isRetryable: (e) => e instanceof Transient || e instanceof HttpError && e.retryable,
        onRetry: (info) => {
          ctx.log(info.message);
          ctx.retry?.onRetry?.(info);
        }
      }
    );
  } catch (e) {
    const gaveUp = tried > 1 ? ` (gave up after ${tried} attempts)` : "";
    if (e instanceof Transient) {
      throw new ProviderError(
        ctx.provider,
        "unavailable",
        `${label}: ${ctx.service} answered ${e.message}${gaveUp}`,
        e.status
      );
    }
    if (e instanceof HttpError) {
      throw new ProviderError(
        ctx.provider,
        e.code === "TLS" ? "tls" : "unavailable",
        `${label}: ${scrub(e.message, ctx.secrets)}${gaveUp}`
      );
    }
    throw e;
  }
}

// src/sign/providers/aws.ts
var ENDPOINT_VARS = {
  sts: "AWS_ENDPOINT_URL_STS",
  kms: "AWS_ENDPOINT_URL_KMS",
  secretsmanager: "AWS_ENDPOINT_URL_SECRETS_MANAGER"
};
var ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
var REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
var AWS_SESSION_SECONDS = 900;
function checkAwsInputs(options) {
  const p = options.provider;
  if (!options.roleArn.trim())
    throw new ProviderError(p, "config", "aws-role-arn is required (arn:aws:iam::ACCOUNT:role/NAME)");
  if (!ROLE_ARN.test(options.roleArn.trim())) {
    throw new ProviderError(
      p,
      "config",
      `aws-role-arn "${options.roleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`
    );
  }
  if (!options.region.trim()) throw new ProviderError(p, "config", "aws-region is required (e.g. eu-central-1)");
  if (!REGION.test(options.region.trim()))
    throw new ProviderError(p, "config", `aws-region "${options.region}" is not an AWS region (e.g. eu-central-1)`);
  for (const service of ["sts", "kms", "secretsmanager"]) endpointFor(service, options.region.trim(), options);
}
function endpointFor(service, region, options) {
  const env = options.env ?? process.env;
  const name = env[ENDPOINT_VARS[service]] ? ENDPOINT_VARS[service] : env.AWS_ENDPOINT_URL ? "AWS_ENDPOINT_URL" : void 0;
  const raw = name ? String(env[name]).trim() : `https://${service}.${region}.amazonaws.com`;
  let u;
  try {
    u = new URL(raw);
  } catch {
    throw new ProviderError(options.provider, "config", `${name} is not a URL`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new ProviderError(options.provider, "config", `${name} must be an https:// URL`);
  if (u.username || u.password)
    throw new ProviderError(options.provider, "config", `${name} must not contain a user name or password`);
  if (u.protocol === "http:" && !isLoopbackHost(u.hostname) && !options.allowInsecureHttp) {
    throw new ProviderError(
      options.provider,
      "config",
      `${name} uses plain http to ${u.host}: the OIDC token and AWS credentials would cross the network unencrypted. Use https://, or set allow-insecure-http: true`
    );
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}
var XML_ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function xmlText(xml, tag) {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!m) return void 0;
  return m[1].replace(
    /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g,
    (_, e) => e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : XML_ENTITIES[e]
  );
}
function send(s, provider, label, build, transientCode) {
  return callService(
    { provider, service: "AWS", retry: s.retry, log: s.log, secrets: s.secrets },
    label,
    () => {
      const r = build();
      return s.http({ url: r.url, method: "POST", headers: r.headers, body: r.body, timeoutMs: s.timeoutMs });
    },
    (res) => isTransientStatus(res.status) || transientCode(res)
  );
}
function sessionName(claims) {
  const run = typeof claims.run_id === "string" || typeof claims.run_id === "number" ? String(claims.run_id) : "cli";
  const attempt = claims.run_attempt !== void 0 ? `-${String(claims.run_attempt)}` : "";
  return `jit-gpg-${run}${attempt}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}
function stsErrorMessage(code, said, ctx) {
  const iss = typeof ctx.claims.iss === "string" ? ctx.claims.iss : "(absent)";
  const host = iss.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const account = ROLE_ARN.exec(ctx.roleArn)?.[1] ?? "ACCOUNT";
  const head = `AWS STS refused AssumeRoleWithWebIdentity for ${ctx.roleArn} (${code}: ${said}).`;
  const claims = `The token's claims:
${describeClaims(ctx.claims, ["iss", "sub", "aud", "repository", "ref", "environment", "job_workflow_ref"])}`;
  if (code === "AccessDenied") {
    return {
      code: "claims-mismatch",
      message: `${head} Check the role's trust policy: Principal.Federated arn:aws:iam::${account}:oidc-provider/${host}, Action sts:AssumeRoleWithWebIdentity, and its Condition on "${host}:sub" and "${host}:aud" against this token's sub and aud (and that aws-role-arn names the role you set up).
${claims}`
    };
  }
  if (code === "InvalidIdentityToken" && /audience/i.test(said)) {
    return {
      code: "claims-mismatch",
      message: `${head} The IAM OIDC provider for ${host} does not list the token's audience "${String(ctx.claims.aud)}" as a client ID: add it there, or set the audience input to one it lists (sts.amazonaws.com by default).
${claims}`
    };
  }
  if (code === "InvalidIdentityToken" && /provider found/i.test(said)) {
    return {
      code: "login-failed",
      message: `${head} Create an IAM OIDC identity provider for ${iss} (audience sts.amazonaws.com) in account ${account}.
${claims}`
    };
  }
  if (code === "ExpiredTokenException") {
    return {
      code: "login-failed",
      message: `${head} The OIDC token expired before it reached AWS: check the runner's clock.`
    };
  }
  if (code === "ValidationError") return { code: "config", message: `${head} Check aws-role-arn.` };
  return { code: "login-failed", message: `${head}
${claims}` };
}
async function assumeRole(idToken, options) {
  checkAwsInputs(options);
  const provider = options.provider;
  const region = options.region.trim();
  const roleArn = options.roleArn.trim();
  const log = options.log ?? (() => {
  });
  const mask = options.mask ?? (() => {
  });
  let claims = {};
  try {
    claims = publicClaims(decodeJwtPayload(idToken));
  } catch {
  }
  const secrets = [idToken];
  const base = { http: options.http ?? httpRequest, retry: options.retry, log, timeoutMs: options.timeoutMs, secrets };
  const body = new URLSearchParams({
    Action: "AssumeRoleWithWebIdentity",
    Version: "2011-06-15",
    RoleArn: roleArn,
    RoleSessionName: sessionName(claims),
    WebIdentityToken: idToken,
    DurationSeconds: String(AWS_SESSION_SECONDS)
  }).toString();
  const stsUrl = `${endpointFor("sts", region, options)}/`;
  const res = await send(
    base,
    provider,
    "AWS STS AssumeRoleWithWebIdentity",
    () => ({
      url: stsUrl,
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", accept: "text/xml" },
      body
    }),
    (r) => /<Code>(Throttling|IDPCommunicationError)/.test(r.body)
  );
  if (res.status !== 200) {
    const code = xmlText(res.body, "Code") ?? `HTTP ${res.status}`;
    const said = scrub(xmlText(res.body, "Message") ?? "", secrets);
    const { code: kind2, message } = stsErrorMessage(code, said, { roleArn, claims });
    throw new ProviderError(provider, kind2, message, res.status);
  }
  const accessKeyId = xmlText(res.body, "AccessKeyId");
  const secretAccessKey = xmlText(res.body, "SecretAccessKey");
  const sessionToken = xmlText(res.body, "SessionToken");
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw new ProviderError(provider, "bad-response", "AWS STS: the answer carries no Credentials");
  }
  for (const s of [secretAccessKey, sessionToken]) {
    mask(s);
    secrets.push(s);
  }
  const assumedRoleArn = xmlText(res.body, "Arn") ?? roleArn;
  log(`Assumed ${assumedRoleArn} for ${AWS_SESSION_SECONDS / 60} minutes (access key ${accessKeyId})`);
  const session = {
    provider,
    region,
    assumedRoleArn,
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    endpoint: (service) => endpointFor(service, region, options),
    ...base,
    claims,
    release() {
      session.credentials = void 0;
    }
  };
  return session;
}
async function awsJson(session, service, target, input, label) {
  const credentials = session.credentials;
  if (!credentials)
    throw new ProviderError(session.provider, "config", `${label}: the AWS session was already released`);
  const url = `${session.endpoint(service)}/`;
  const body = JSON.stringify(input);
  const res = await send(
    session,
    session.provider,
    label,
    () => ({
      url,
      body,
      headers: signRequest(
        {
          method: "POST",
          url,
          body,
          headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target }
        },
        { credentials, region: session.region, service }
      )
    }),
    (r) => r.status === 400 && /Throttling|TooManyRequests|LimitExceeded/.test(r.body)
  );
  let parsed = {};
  try {
    const v = JSON.parse(res.body || "{}");
    if (v && typeof v === "object" && !Array.isArray(v)) parsed = v;
  } catch {
    throw new ProviderError(
      session.provider,
      "bad-response",
      `${label}: AWS's answer (HTTP ${res.status}) is not JSON`
    );
  }
  if (res.status === 200) return { ok: true, body: parsed };
  const rawType = String(res.headers["x-amzn-errortype"] ?? parsed.__type ?? `HTTP ${res.status}`);
  const type = rawType.split(":")[0].split("#").pop();
  const message = scrub(String(parsed.message ?? parsed.Message ?? ""), session.secrets);
  return { ok: false, error: { status: res.status, type, message } };
}
function awsErrorMessage(session, label, e, action, resource) {
  const p = session.provider;
  if (e.type === "AccessDeniedException") {
    return new ProviderError(
      p,
      "permission-denied",
      `${label}: AWS denied ${action} on ${resource} to ${session.assumedRoleArn} (${e.message}). Add to the role's permissions policy: {"Effect": "Allow", "Action": "${action}", "Resource": "${resource}"} (and, for KMS, allow the role in the key policy).`,
      e.status
    );
  }
  if (e.type === "UnrecognizedClientException" || e.type === "InvalidSignatureException" || e.type === "ExpiredTokenException") {
    return new ProviderError(
      p,
      "login-failed",
      `${label}: AWS refused the temporary credentials (${e.type}: ${e.message}); check the runner's clock and aws-region`,
      e.status
    );
  }
  return new ProviderError(p, "bad-response", `${label}: ${e.type}${e.message ? `: ${e.message}` : ""}`, e.status);
}

// src/sign/providers/aws-kms.ts
var PROVIDER = "aws-kms";
var KEY_ID = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|alias\/[\w/_-]+)|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/_-]+)$/;
function createAwsKmsProvider(options) {
  const key = options.key.trim();
  if (!key)
    throw new ProviderError(PROVIDER, "config", "key is required (a KMS key id, key ARN, alias/NAME or alias ARN)");
  if (!KEY_ID.test(key))
    throw new ProviderError(
      PROVIDER,
      "config",
      `key "${options.key}" is not a KMS key id, key ARN, alias/NAME or alias ARN`
    );
  const arnRegion = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
  if (arnRegion && options.region.trim() && arnRegion !== options.region.trim()) {
    throw new ProviderError(
      PROVIDER,
      "config",
      `key is in ${arnRegion} but aws-region is ${options.region.trim()}: make them agree`
    );
  }
  const aws = { ...options, provider: PROVIDER, region: options.region.trim() || arnRegion || "" };
  checkAwsInputs(aws);
  const log = options.log ?? (() => {
  });
  return {
    kind: "remote-signer",
    name: PROVIDER,
    label: "AWS KMS",
    async connect(idToken) {
      const session = await assumeRole(idToken, aws);
      try {
        const pub = await awsJson(session, "kms", "TrentService.GetPublicKey", { KeyId: key }, "AWS KMS GetPublicKey");
        if (!pub.ok) {
          if (pub.error.type === "NotFoundException") {
            throw new ProviderError(
              PROVIDER,
              "not-found",
              `AWS KMS has no key "${key}" in ${session.region} (${pub.error.message}): check key and aws-region`,
              pub.error.status
            );
          }
          throw awsErrorMessage(session, "AWS KMS GetPublicKey", pub.error, "kms:GetPublicKey", key);
        }
        const arn = typeof pub.body.KeyId === "string" ? pub.body.KeyId : "";
        const spec = String(pub.body.KeySpec ?? pub.body.CustomerMasterKeySpec ?? "");
        if (pub.body.KeyUsage !== "SIGN_VERIFY") {
          throw new ProviderError(
            PROVIDER,
            "bad-key",
            `KMS key ${arn || key} has KeyUsage ${String(pub.body.KeyUsage)}; create a SIGN_VERIFY key`
          );
        }
        if (!arn || typeof pub.body.PublicKey !== "string")
          throw new ProviderError(
            PROVIDER,
            "bad-response",
            "AWS KMS GetPublicKey: no KeyId or PublicKey in the answer"
          );
        let publicKey;
        try {
          publicKey = servicePublicKey(Buffer.from(pub.body.PublicKey, "base64"));
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER, "bad-key", `KMS key ${arn} (${spec}): ${e.message}`);
          throw e;
        }
        const offered = Array.isArray(pub.body.SigningAlgorithms) ? pub.body.SigningAlgorithms.map(String) : [];
        const algorithmFor = (hash) => publicKey.type === "rsa" ? `RSASSA_PKCS1_V1_5_SHA_${hash.slice(3)}` : publicKey.type === "ed25519" ? "ED25519_SHA_512" : `ECDSA_SHA_${hash.slice(3)}`;
        const sign = async (digest, hash) => {
          const algorithm = algorithmFor(hash);
          if (offered.length && !offered.includes(algorithm)) {
            throw new ProviderError(
              PROVIDER,
              "bad-key",
              `KMS key ${arn} (${spec}) does not offer ${algorithm} (it offers ${offered.join(", ")})`
            );
          }
          const out = await awsJson(
            session,
            "kms",
            "TrentService.Sign",
            {
              KeyId: arn,
              Message: Buffer.from(digest).toString("base64"),
              MessageType: publicKey.type === "ed25519" ? "RAW" : "DIGEST",
              SigningAlgorithm: algorithm
            },
            "AWS KMS Sign"
          );
          if (!out.ok) {
            if (out.error.type === "DisabledException" || out.error.type === "KMSInvalidStateException") {
              throw new ProviderError(
                PROVIDER,
                "bad-key",
                `KMS key ${arn} cannot sign now (${out.error.type}: ${out.error.message}): enable it`,
                out.error.status
              );
            }
            throw awsErrorMessage(session, "AWS KMS Sign", out.error, "kms:Sign", arn);
          }
          if (typeof out.body.Signature !== "string" || out.body.KeyId !== arn) {
            throw new ProviderError(
              PROVIDER,
              "bad-response",
              "AWS KMS Sign: the answer carries no signature by the key that was read"
            );
          }
          return Buffer.from(out.body.Signature, "base64");
        };
        log(`Connected to AWS KMS key ${arn} (${spec})`);
        return {
          publicKey: publicKey.keyObject,
          ...publicKey.type === "ecdsa-p384" ? { hashes: ["sha384"] } : {},
          sign,
          async release() {
            session.release();
          },
          released: () => session.credentials === void 0,
          source: `aws-kms ${arn}`,
          metadata: { keySpec: spec },
          identity: session.assumedRoleArn
        };
      } catch (e) {
        session.release();
        throw e;
      }
    }
  };
}

// src/sign/service-url.ts
var ServiceUrlError = class extends Error {
  name = "ServiceUrlError";
};
function checkServiceUrl(value, options) {
  const { name } = options;
  let u;
  try {
    u = new URL(value.trim());
  } catch {
    throw new ServiceUrlError(`${name} is not an absolute URL (expected e.g. https://vault.example.com:8200)`);
  }
  if (u.username || u.password) {
    throw new ServiceUrlError(
      `${name} must not contain a user name or password (the value is not shown); remove the part before "@"`
    );
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    throw new ServiceUrlError(`${name} must be an https:// URL (got a ${u.protocol.replace(/:$/, "")}: URL)`);
  }
  if (u.protocol === "http:" && !isLoopbackHost(u.hostname) && !options.allowInsecureHttp) {
    throw new ServiceUrlError(
      `${name} uses plain http:// to ${u.host}: the OIDC token, the service token and the key would cross the network unencrypted. Use https:// (with a CA certificate for a private CA), or set ${options.allowHint ?? "allow-insecure-http: true"} for a lab setup`
    );
  }
  return u;
}

// src/sign/providers/vault.ts
var PROVIDER2 = "vault";
var MAX_CA_BYTES = 1024 * 1024;
function normalizeVaultUrl(url, options = {}) {
  let u;
  try {
    u = checkServiceUrl(url, { name: "vault-url", allowInsecureHttp: options.allowInsecureHttp ?? false });
  } catch (e) {
    throw new ProviderError(PROVIDER2, "config", e.message);
  }
  let path = u.pathname.replace(/\/+$/, "");
  if (path.endsWith("/v1")) path = path.slice(0, -3);
  return `${u.origin}${path}`;
}
function normalizeSecretPath(secret) {
  const clean = secret.trim().replace(/^\/+/, "").replace(/^v1\//, "").replace(/\/+$/, "");
  const parts = clean.split("/").filter((p) => p !== "");
  if (parts.length < 2) {
    throw new ProviderError(
      PROVIDER2,
      "config",
      `vault-secret "${secret}" is not a KV v2 path: expected <mount>/data/<path>, e.g. secret/data/release/gpg`
    );
  }
  if (parts[1] === "data") return { apiPath: parts.join("/"), inserted: false };
  return { apiPath: [parts[0], "data", ...parts.slice(1)].join("/"), inserted: true };
}
function cleanSegment(s) {
  return s.trim().replace(/^\/+|\/+$/g, "");
}
var ARMOR_RE = /-----BEGIN PGP (PRIVATE|PUBLIC) KEY BLOCK-----/;
function firstPacketTag(bytes) {
  const b = bytes[0];
  if (b === void 0 || (b & 128) === 0) return -1;
  return b & 64 ? b & 63 : b >> 2 & 15;
}
function decodeKeyValue(value, field = "private_key") {
  let trimmed = value.trim();
  if (!trimmed.includes("\n") && trimmed.includes("\\n")) trimmed = trimmed.replace(/(?:\\r)?\\n/g, "\n");
  if (ARMOR_RE.test(trimmed)) return `${trimmed.replace(/\r\n/g, "\n")}
`;
  const compact = trimmed.replace(/\s+/g, "");
  if (compact !== "" && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const bytes = Buffer.from(compact.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    const text = bytes.toString("utf8");
    if (ARMOR_RE.test(text)) return `${text.trim().replace(/\r\n/g, "\n")}
`;
    const tag = firstPacketTag(bytes);
    if (tag === 5) return armor2(bytes, "PRIVATE KEY BLOCK");
  }
  throw new ProviderError(
    PROVIDER2,
    "bad-key",
    `the field "${field}" holds neither an armored OpenPGP secret key nor base64 of one (store the output of \`gpg --armor --export-secret-keys KEYID\`, or that output base64-encoded)`
  );
}
function vaultErrors(body) {
  try {
    const parsed = JSON.parse(body);
    if (Array.isArray(parsed?.errors)) return parsed.errors.filter((e) => typeof e === "string");
  } catch {
  }
  return [];
}
function flattenVaultError(message) {
  const bullets = [...message.matchAll(/^\s*\*\s+(.+)$/gm)].map((m) => m[1].trim());
  const text = bullets.length > 0 ? bullets.join("; ") : message.trim();
  return text.length > 300 ? `${text.slice(0, 300)}\u2026` : text;
}
function scrub2(text, secrets) {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("***");
  }
  return out;
}
function loadCa(options) {
  if (options.caCert) return options.caCert;
  if (!options.caCertPath) return void 0;
  let pem;
  try {
    pem = readRegularTextFile(options.caCertPath, {
      what: "vault-ca-cert: the CA certificate",
      maxBytes: MAX_CA_BYTES
    });
  } catch (e) {
    throw new ProviderError(PROVIDER2, "config", e.message);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new ProviderError(
      PROVIDER2,
      "config",
      `vault-ca-cert: ${displayPath(options.caCertPath)} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`
    );
  }
  return pem;
}
var TransientStatus = class extends Error {
  status;
  retryAfterMs;
  constructor(message, status, retryAfter) {
    super(message);
    this.status = status;
    if (retryAfter !== void 0) this.retryAfterMs = retryAfter;
  }
};
async function vaultCall(conn, call) {
  const headers = { accept: "application/json", "x-vault-request": "true" };
  if (conn.namespace) headers["x-vault-namespace"] = conn.namespace;
  if (call.token) headers["x-vault-token"] = call.token;
  if (call.body !== void 0) headers["content-type"] = "application/json";
  const body = call.body === void 0 ? void 0 : JSON.stringify(call.body);
  const attempts = conn.retry?.attempts ?? 5;
  let tried = 0;
  try {
    return await retry(
      async () => {
        tried++;
        const res = await conn.http({
          url: `${conn.url}/v1/${call.path}`,
          method: call.method,
          headers,
          body,
          ca: conn.ca,
          timeoutMs: conn.timeoutMs
        });
        if (isTransientStatus(res.status)) {
          const errs = vaultErrors(res.body).map(flattenVaultError).join("; ");
          throw new TransientStatus(
            `HTTP ${res.status}${errs ? `: ${scrub2(errs, conn.secrets)}` : ""}`,
            res.status,
            retryAfterMs(res.headers)
          );
        }
        return res;
      },
      {
        attempts,
        ...conn.retry,
        label: call.label,
        isRetryable: (e) => e instanceof TransientStatus || e instanceof HttpError && e.retryable,
        onRetry: (info) => {
          conn.log?.(info.message);
          conn.retry?.onRetry?.(info);
        }
      }
    );
  } catch (e) {
    const gaveUp = tried > 1 ? ` (gave up after ${tried} attempts)` : "";
    if (e instanceof TransientStatus) {
      throw new ProviderError(
        PROVIDER2,
        "unavailable",
        `${call.label}: Vault at ${conn.url} answered ${e.message}${gaveUp}`,
        e.status
      );
    }
    if (e instanceof HttpError) {
      if (e.code === "TLS") {
        const fix = conn.ca ? `the CA in vault-ca-cert${conn.caCertPath ? ` (${conn.caCertPath})` : ""} did not verify it; pass the CA that signed Vault's certificate` : "set vault-ca-cert to a PEM file with the CA that signed Vault's certificate";
        throw new ProviderError(
          PROVIDER2,
          "tls",
          `${call.label}: the TLS certificate of ${conn.url} did not verify (${e.tlsCode ?? "TLS"}): ${fix}`
        );
      }
      throw new ProviderError(PROVIDER2, "unavailable", `${call.label}: cannot reach Vault: ${e.message}${gaveUp}`);
    }
    throw e;
  }
}
function parseJson(res, what) {
  try {
    const parsed = JSON.parse(res.body);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {
  }
  throw new ProviderError(
    PROVIDER2,
    "bad-response",
    `${what}: Vault's answer (HTTP ${res.status}) is not a JSON object`
  );
}
function nsNote(namespace) {
  return namespace ? ` in namespace "${namespace}"` : "";
}
function loginErrorMessage(status, errors, ctx) {
  const said = errors.map(flattenVaultError).join("; ") || `HTTP ${status}`;
  const where = `role "${ctx.role}" on auth/${ctx.mount}${nsNote(ctx.namespace)}`;
  const claims = `The token's claims:
${describeClaims(ctx.claims)}`;
  const head = `Vault refused the login (HTTP ${status}: ${said}).`;
  const show = (v) => v === void 0 ? "(absent)" : Array.isArray(v) ? v.join(", ") : String(v);
  if (/role "?[^"]*"? ?could not be found|role not found|role could not be found/i.test(said)) {
    return {
      code: "role-not-found",
      message: `${head} There is no ${where}. Check vault-role, and vault-auth-mount if the JWT auth method is mounted elsewhere${ctx.namespace ? ", and vault-namespace" : ""}.`
    };
  }
  if (/audience|\baud\b/i.test(said)) {
    return {
      code: "claims-mismatch",
      message: `${head} The token's audience does not match the ${where}: add "${show(ctx.claims.aud)}" to the role's bound_audiences, or set the \`audience\` input to a value the role lists.
` + claims
    };
  }
  const bound = /claim "([^"]+)" does not match any associated bound claim values/i.exec(said);
  if (bound) {
    const name = bound[1];
    return {
      code: "claims-mismatch",
      message: `${head} The token's ${name} (${show(ctx.claims[name])}) is not allowed by bound_claims.${name} of the ${where}: add it (or a glob matching it, with bound_claims_type=glob) to the role, or run this job from a repository/ref/environment the role admits.
` + claims
    };
  }
  const missing = /claim "([^"]+)" is missing/i.exec(said);
  if (missing) {
    const name = missing[1];
    const hint = name === "environment" ? " GitHub sets `environment` only for jobs that declare `environment:`." : " Remove it from bound_claims or make the job produce it.";
    return {
      code: "claims-mismatch",
      message: `${head} The ${where} binds the claim "${name}", which this token does not carry.${hint}
${claims}`
    };
  }
  const userClaim = /claim "([^"]+)" (?:not found in token|could not be converted to string)/i.exec(said);
  if (userClaim) {
    return {
      code: "claims-mismatch",
      message: `${head} The user_claim of the ${where} is "${userClaim[1]}", which this token lacks or holds as a non-string: set user_claim to a claim GitHub always sends as a string (sub, repository, job_workflow_ref).`
    };
  }
  if (/\bsub(ject)?\b/i.test(said)) {
    return {
      code: "claims-mismatch",
      message: `${head} The token's sub (${show(ctx.claims.sub)}) does not match bound_subject of the ${where}: change bound_subject (or prefer bound_claims with globs; repositories created after 2026-07-15 use the immutable form repo:OWNER@ID/REPO@ID:\u2026).
` + claims
    };
  }
  if (/\biss(uer)?\b/i.test(said)) {
    return {
      code: "claims-mismatch",
      message: `${head} The token's issuer is ${show(ctx.claims.iss)}: set bound_issuer (and oidc_discovery_url or jwks_url) of auth/${ctx.mount}/config to it.
${claims}`
    };
  }
  if (/expired|not yet valid|\bexp\b|\bnbf\b|\biat\b|issued at/i.test(said)) {
    return {
      code: "login-failed",
      message: `${head} The OIDC token's validity window was rejected: check the clock of the Vault server (and the role's clock_skew_leeway).`
    };
  }
  if (/signature|jwks|keyset|verif/i.test(said)) {
    return {
      code: "login-failed",
      message: `${head} Vault could not verify the token's signature: auth/${ctx.mount}/config must trust the GitHub issuer (oidc_discovery_url https://token.actions.githubusercontent.com, or your enterprise issuer).`
    };
  }
  if (status === 403 || status === 404) {
    return {
      code: "login-failed",
      message: `${head} Is a JWT auth method mounted at auth/${ctx.mount}${nsNote(ctx.namespace)}? Check vault-auth-mount${ctx.namespace ? " and vault-namespace" : ""} (and token_bound_cidrs of the role).`
    };
  }
  return { code: "login-failed", message: `${head} Check the ${where}.
${claims}` };
}
async function vaultLogin(conn, ctx) {
  const loginRes = await vaultCall(conn, {
    method: "POST",
    path: `auth/${ctx.mount}/login`,
    body: { role: ctx.role, jwt: ctx.idToken },
    label: "Vault login"
  });
  if (loginRes.status !== 200) {
    const { code, message } = loginErrorMessage(loginRes.status, vaultErrors(loginRes.body), {
      role: ctx.role,
      mount: ctx.mount,
      ...ctx.namespace ? { namespace: ctx.namespace } : {},
      claims: ctx.claims
    });
    throw new ProviderError(PROVIDER2, code, scrub2(message, conn.secrets), loginRes.status);
  }
  const login = parseJson(loginRes, "Vault login");
  const auth = login.auth;
  const token = typeof auth?.client_token === "string" ? auth.client_token : "";
  if (!token) throw new ProviderError(PROVIDER2, "bad-response", "Vault login: the answer carries no auth.client_token");
  ctx.mask(token);
  conn.secrets.push(token);
  const policies = Array.isArray(auth?.policies) ? auth.policies.filter((p) => typeof p === "string") : [];
  conn.log?.(`Logged in to Vault with role "${ctx.role}" (policies: ${policies.join(", ") || "none"})`);
  return { token, policies, ...typeof auth?.accessor === "string" ? { accessor: auth.accessor } : {} };
}
async function openVaultSession(conn, login, hooks = {}) {
  let claims = {};
  try {
    claims = publicClaims(decodeJwtPayload(login.idToken));
  } catch {
  }
  const { token, policies, accessor } = await vaultLogin(conn, { ...login, claims });
  const session = { url: conn.url, token };
  if (login.namespace) session.namespace = login.namespace;
  if (hooks.caCertPath) session.caCertPath = hooks.caCertPath;
  if (accessor) session.accessor = accessor;
  const log = conn.log ?? (() => {
  });
  let revoked = false;
  let revoking;
  const release = () => {
    if (revoked) return Promise.resolve();
    revoking ??= (async () => {
      try {
        const outcome = await revokeVaultToken(session, {
          http: conn.http,
          retry: conn.retry,
          log,
          caCert: conn.ca,
          timeoutMs: conn.timeoutMs
        });
        revoked = true;
        hooks.onSessionEnd?.();
        log(outcome === "revoked" ? "Revoked the Vault token" : "The Vault token was already invalid");
      } catch (e) {
        log(`warning: could not revoke the Vault token (the post step will retry): ${errorMessage(e)}`);
      } finally {
        revoking = void 0;
      }
    })();
    return revoking;
  };
  return { token, policies, session, release, released: () => revoked };
}
async function revokeVaultToken(session, options = {}) {
  let ca = options.caCert;
  if (!ca && session.caCertPath) ca = loadCa({ caCertPath: session.caCertPath });
  const conn = {
    // main checked this address before it logged in (and allow-insecure-http decided about plain http)
    url: normalizeVaultUrl(session.url, { allowInsecureHttp: true }),
    namespace: session.namespace || void 0,
    ca,
    caCertPath: session.caCertPath,
    http: options.http ?? httpRequest,
    retry: options.retry,
    log: options.log,
    timeoutMs: options.timeoutMs,
    secrets: [session.token]
  };
  const res = await vaultCall(conn, {
    method: "POST",
    path: "auth/token/revoke-self",
    token: session.token,
    label: "Vault token revoke"
  });
  if (res.status === 204 || res.status === 200) return "revoked";
  if (res.status === 403 || res.status === 401) return "already-invalid";
  const said = vaultErrors(res.body).map(flattenVaultError).join("; ");
  throw new ProviderError(
    PROVIDER2,
    "bad-response",
    `Vault token revoke: HTTP ${res.status}${said ? `: ${scrub2(said, conn.secrets)}` : ""}`,
    res.status
  );
}
function createVaultProvider(options) {
  const url = normalizeVaultUrl(options.url, { allowInsecureHttp: options.allowInsecureHttp ?? false });
  const role = options.role.trim();
  if (!role) throw new ProviderError(PROVIDER2, "config", "vault-role is required");
  const mount = cleanSegment(options.authMount || "jwt");
  const namespace = options.namespace ? cleanSegment(options.namespace) : void 0;
  const { apiPath, inserted } = normalizeSecretPath(options.secret);
  const keyField = options.keyField || "private_key";
  const passphraseField = options.passphraseField || "passphrase";
  const log = options.log ?? (() => {
  });
  const mask = options.mask ?? (() => {
  });
  if (url.startsWith("http:") && !isLoopbackHost(new URL(url).hostname)) {
    log(
      `warning: vault-url uses plain http to ${new URL(url).host} (allowed by allow-insecure-http): the OIDC token, the Vault token and the private key cross the network unencrypted.`
    );
  }
  return {
    kind: "key-store",
    name: PROVIDER2,
    label: "Vault",
    async fetchKey(idToken) {
      const ca = loadCa(options);
      const conn = {
        url,
        namespace,
        ca,
        caCertPath: options.caCertPath,
        http: options.http ?? httpRequest,
        retry: options.retry,
        log,
        timeoutMs: options.timeoutMs,
        secrets: [idToken]
      };
      const {
        token,
        policies,
        session,
        release: revoke,
        released
      } = await openVaultSession(
        conn,
        { role, mount, namespace, idToken, mask },
        { caCertPath: options.caCertPath, onSessionEnd: options.onSessionEnd }
      );
      try {
        await options.onSession?.(session);
      } catch (e) {
        await revoke();
        throw e;
      }
      let fields;
      const metadata = {};
      try {
        const res = await vaultCall(conn, { method: "GET", path: apiPath, token, label: "Vault read" });
        const said = vaultErrors(res.body).map(flattenVaultError).join("; ");
        if (res.status === 403) {
          throw new ProviderError(
            PROVIDER2,
            "permission-denied",
            `Vault denied reading ${apiPath}${nsNote(namespace)} (HTTP 403${said ? `: ${scrub2(said, conn.secrets)}` : ""}). The token from role "${role}" carries the policies [${policies.join(", ")}]; give one of them read on it: path "${apiPath}" { capabilities = ["read"] }.`,
            403
          );
        }
        if (res.status === 404) {
          const why = said && !/^\s*$/.test(said) ? ` (${scrub2(said, conn.secrets)})` : "";
          const insertedNote = inserted ? ` jit-gpg read "${options.secret.trim()}" as ${apiPath}, inserting data/ after the mount "${apiPath.split("/")[0]}"; if the mount name has a "/", write the full path with data/.` : "";
          throw new ProviderError(
            PROVIDER2,
            "not-found",
            `no secret at ${apiPath}${nsNote(namespace)}${why}: check vault-secret. KV v2 paths need data/ after the mount (secret/data/release/gpg for a secret written with \`vault kv put secret/release/gpg\`).${insertedNote}`,
            404
          );
        }
        if (res.status !== 200) {
          throw new ProviderError(
            PROVIDER2,
            "bad-response",
            `Vault read of ${apiPath}: HTTP ${res.status}${said ? `: ${scrub2(said, conn.secrets)}` : ""}`,
            res.status
          );
        }
        const body = parseJson(res, "Vault read");
        const data = body.data;
        if (data && typeof data.data === "object" && data.data !== null) {
          fields = data.data;
          const md = data.metadata;
          if (md && typeof md === "object") {
            for (const k of ["version", "created_time"]) {
              const v = md[k];
              if (typeof v === "string" || typeof v === "number") metadata[k] = v;
            }
          }
        } else if (data && typeof data === "object" && data.data === void 0 && data.metadata === void 0) {
          fields = data;
        } else {
          throw new ProviderError(
            PROVIDER2,
            "not-found",
            `the secret at ${apiPath}${nsNote(namespace)} has no data (was its latest version deleted?)`
          );
        }
        for (const f of [keyField, passphraseField]) {
          const v = fields[f];
          if (typeof v === "string" && v !== "") mask(v);
        }
      } finally {
        await revoke();
      }
      const raw = fields[keyField];
      if (typeof raw !== "string" || raw.trim() === "") {
        const present = Object.keys(fields).sort();
        throw new ProviderError(
          PROVIDER2,
          "field-missing",
          `the secret at ${apiPath} has no ${raw === void 0 ? "" : "usable "}field "${keyField}" (vault-key-field); fields present: ${present.length ? present.join(", ") : "none"}`
        );
      }
      const armoredKey = decodeKeyValue(raw, keyField);
      mask(armoredKey);
      const pass = fields[passphraseField];
      const material = {
        armoredKey,
        release: revoke,
        released,
        source: `vault ${url} ${apiPath}${nsNote(namespace)}`,
        metadata
      };
      if (typeof pass === "string" && pass !== "") {
        mask(pass);
        material.passphrase = pass;
      }
      return material;
    }
  };
}

// src/sign/providers/aws-secrets-manager.ts
var PROVIDER3 = "aws-secrets-manager";
function keyFromSecretText(provider, text, where, fields) {
  const keyField = fields.keyField || "private_key";
  const passphraseField = fields.passphraseField || "passphrase";
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let obj;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new ProviderError(provider, "bad-key", `${where} starts with "{" but is not valid JSON`);
    }
    const raw = obj[keyField];
    if (typeof raw !== "string" || raw.trim() === "") {
      throw new ProviderError(
        provider,
        "field-missing",
        `${where} has no field "${keyField}" (vault-key-field); fields present: ${Object.keys(obj).sort().join(", ") || "none"}`
      );
    }
    const pass = obj[passphraseField];
    return {
      armoredKey: decodeKeyValue(raw, keyField),
      ...typeof pass === "string" && pass !== "" ? { passphrase: pass } : {}
    };
  }
  return { armoredKey: decodeKeyValue(trimmed, "SecretString") };
}
function createAwsSecretsManagerProvider(options) {
  const secret = options.secret.trim();
  if (!secret) throw new ProviderError(PROVIDER3, "config", "secret is required (a Secrets Manager secret name or ARN)");
  if (secret.length > 2048 || /[\s\x00-\x1f]/.test(secret))
    throw new ProviderError(PROVIDER3, "config", "secret must be a secret name or ARN");
  const arnRegion = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(secret)?.[1];
  if (arnRegion && options.region.trim() && arnRegion !== options.region.trim()) {
    throw new ProviderError(
      PROVIDER3,
      "config",
      `secret is in ${arnRegion} but aws-region is ${options.region.trim()}: make them agree`
    );
  }
  const aws = { ...options, provider: PROVIDER3, region: options.region.trim() || arnRegion || "" };
  checkAwsInputs(aws);
  const mask = options.mask ?? (() => {
  });
  return {
    kind: "key-store",
    name: PROVIDER3,
    label: "AWS Secrets Manager",
    async fetchKey(idToken) {
      const session = await assumeRole(idToken, aws);
      let value;
      try {
        const out = await awsJson(
          session,
          "secretsmanager",
          "secretsmanager.GetSecretValue",
          { SecretId: secret },
          "AWS Secrets Manager GetSecretValue"
        );
        if (!out.ok) {
          if (out.error.type === "ResourceNotFoundException") {
            throw new ProviderError(
              PROVIDER3,
              "not-found",
              `AWS Secrets Manager has no secret "${secret}" in ${session.region}: check secret and aws-region`,
              out.error.status
            );
          }
          throw awsErrorMessage(
            session,
            "AWS Secrets Manager GetSecretValue",
            out.error,
            "secretsmanager:GetSecretValue",
            secret
          );
        }
        value = out.body;
      } finally {
        session.release();
      }
      const text = typeof value.SecretString === "string" ? value.SecretString : typeof value.SecretBinary === "string" ? Buffer.from(value.SecretBinary, "base64").toString("latin1") : void 0;
      if (text === void 0 || text.trim() === "")
        throw new ProviderError(PROVIDER3, "field-missing", `the secret "${secret}" has no value`);
      mask(text);
      const where = `the secret "${secret}"`;
      const { armoredKey, passphrase } = typeof value.SecretString === "string" ? keyFromSecretText(PROVIDER3, text, where, options) : {
        armoredKey: decodeKeyValue(
          Buffer.from(String(value.SecretBinary), "base64").toString("base64"),
          "SecretBinary"
        )
      };
      mask(armoredKey);
      if (passphrase) mask(passphrase);
      const metadata = {};
      if (typeof value.VersionId === "string") metadata.version = value.VersionId;
      if (typeof value.CreatedDate === "number")
        metadata.created_time = new Date(value.CreatedDate * 1e3).toISOString();
      return {
        armoredKey,
        ...passphrase ? { passphrase } : {},
        release: async () => {
        },
        released: () => true,
        source: `aws-secrets-manager ${typeof value.ARN === "string" ? value.ARN : secret}`,
        metadata,
        identity: session.assumedRoleArn
      };
    }
  };
}

// src/sign/providers/gcp.ts
var ENDPOINT_VARS2 = {
  sts: "CLOUDSDK_API_ENDPOINT_OVERRIDES_STS",
  iamcredentials: "CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS",
  cloudkms: "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS",
  secretmanager: "CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER"
};
var WORKLOAD_IDENTITY_PROVIDER = /^(?:\/\/iam\.googleapis\.com\/)?(projects\/(\d{1,20})\/locations\/global\/workloadIdentityPools\/([a-z0-9-]{4,32})\/providers\/([a-z0-9-]{4,32}))$/;
var SERVICE_ACCOUNT = /^[a-z0-9][a-z0-9._-]{0,99}@[a-z0-9][a-z0-9.-]{0,200}\.gserviceaccount\.com$/;
var GCP_TOKEN_LIFETIME = "300s";
var CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
function workloadIdentityProviderResource(value) {
  return WORKLOAD_IDENTITY_PROVIDER.exec(value.trim())?.[1];
}
function gcpDefaultAudience(workloadIdentityProvider) {
  const resource = workloadIdentityProviderResource(workloadIdentityProvider) ?? workloadIdentityProvider.trim();
  return `https://iam.googleapis.com/${resource}`;
}
function checkGcpInputs(options) {
  const p = options.provider;
  if (!options.workloadIdentityProvider.trim()) {
    throw new ProviderError(
      p,
      "config",
      "gcp-workload-identity-provider is required (projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER)"
    );
  }
  if (!workloadIdentityProviderResource(options.workloadIdentityProvider)) {
    throw new ProviderError(
      p,
      "config",
      "gcp-workload-identity-provider is not a workload identity provider resource name (projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, with the project NUMBER, not its id)"
    );
  }
  const sa = options.serviceAccount?.trim();
  if (sa && !SERVICE_ACCOUNT.test(sa)) {
    throw new ProviderError(
      p,
      "config",
      "gcp-service-account is not a service account email (NAME@PROJECT.iam.gserviceaccount.com)"
    );
  }
  for (const service of Object.keys(ENDPOINT_VARS2)) endpointFor2(service, options);
}
function endpointFor2(service, options) {
  const env = options.env ?? process.env;
  const name = env[ENDPOINT_VARS2[service]] ? ENDPOINT_VARS2[service] : void 0;
  const raw = name ? String(env[name]).trim() : `https://${service}.googleapis.com`;
  let u;
  try {
    u = new URL(raw);
  } catch {
    throw new ProviderError(options.provider, "config", `${name} is not a URL`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new ProviderError(options.provider, "config", `${name} must be an https:// URL`);
  if (u.username || u.password || u.search || u.hash)
    throw new ProviderError(
      options.provider,
      "config",
      `${name} must be a plain base URL (no user, query or fragment)`
    );
  if (u.protocol === "http:" && !isLoopbackHost(u.hostname) && !options.allowInsecureHttp) {
    throw new ProviderError(
      options.provider,
      "config",
      `${name} uses plain http to ${u.host}: the OIDC token and Google access tokens would cross the network unencrypted. Use https://, or set allow-insecure-http: true`
    );
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, "").replace(/\/v1$/, "")}`;
}
async function gcpCall(s, request, label) {
  const res = await callService(
    { provider: s.provider, service: "Google", retry: s.retry, log: s.log, secrets: s.secrets },
    label,
    () => s.http({ ...request, timeoutMs: s.timeoutMs })
  );
  let parsed = {};
  try {
    const v = JSON.parse(res.body || "{}");
    if (v && typeof v === "object" && !Array.isArray(v)) parsed = v;
  } catch {
    throw new ProviderError(s.provider, "bad-response", `${label}: Google's answer (HTTP ${res.status}) is not JSON`);
  }
  if (res.status === 200) return { ok: true, body: parsed };
  const err = parsed.error;
  if (err && typeof err === "object") {
    const e = err;
    return {
      ok: false,
      error: {
        status: res.status,
        code: typeof e.status === "string" ? e.status : `HTTP ${res.status}`,
        message: scrub(String(e.message ?? ""), s.secrets)
      }
    };
  }
  return {
    ok: false,
    error: {
      status: res.status,
      code: typeof err === "string" ? err : `HTTP ${res.status}`,
      message: scrub(String(parsed.error_description ?? ""), s.secrets)
    }
  };
}
function stsErrorMessage2(e, ctx) {
  const head = `Google STS refused the token exchange for ${ctx.resource} (${e.code}: ${e.message}).`;
  const claims = `The token's claims:
${describeClaims(ctx.claims, ["iss", "sub", "aud", "repository", "ref", "environment", "job_workflow_ref"])}`;
  if (e.code === "invalid_target" || /not found|does not exist|disabled/i.test(e.message)) {
    return {
      code: "config",
      message: `${head} Check gcp-workload-identity-provider: the pool and provider must exist and be enabled (use the project NUMBER).`
    };
  }
  if (/attribute condition/i.test(e.message)) {
    return {
      code: "claims-mismatch",
      message: `${head} The workload identity provider's attribute condition does not allow this token: compare it (e.g. assertion.repository == 'OWNER/REPO' && assertion.ref == 'refs/heads/main') with the claims below.
${claims}`
    };
  }
  if (/audience/i.test(e.message)) {
    return {
      code: "claims-mismatch",
      message: `${head} The provider's allowed audiences do not include the token's aud "${String(ctx.claims.aud)}": set the audience input to ${gcpDefaultAudience(ctx.resource)} (the default) or add it to the provider's allowed audiences.
${claims}`
    };
  }
  if (/issuer|expired|signature|JWK/i.test(e.message)) {
    return {
      code: "login-failed",
      message: `${head} Check the provider's issuer URI (https://token.actions.githubusercontent.com) and the runner's clock.
${claims}`
    };
  }
  return { code: "login-failed", message: `${head}
${claims}` };
}
async function gcpLogin(idToken, options) {
  checkGcpInputs(options);
  const provider = options.provider;
  const resource = workloadIdentityProviderResource(options.workloadIdentityProvider);
  const serviceAccount = options.serviceAccount?.trim() ?? "";
  const log = options.log ?? (() => {
  });
  const mask = options.mask ?? (() => {
  });
  let claims = {};
  try {
    claims = publicClaims(decodeJwtPayload(idToken));
  } catch {
  }
  const secrets = [idToken];
  const base = {
    provider,
    http: options.http ?? httpRequest,
    retry: options.retry,
    log,
    timeoutMs: options.timeoutMs,
    secrets
  };
  const endpoint = (service) => endpointFor2(service, options);
  const sts = await gcpCall(
    base,
    {
      method: "POST",
      url: `${endpoint("sts")}/v1/token`,
      // RFC 8693 form body, as google-auth-library sends it
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        audience: `//iam.googleapis.com/${resource}`,
        scope: CLOUD_PLATFORM,
        requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        subject_token: idToken
      }).toString()
    },
    "Google STS token exchange"
  );
  if (!sts.ok) {
    const { code, message } = stsErrorMessage2(sts.error, { resource, claims });
    throw new ProviderError(provider, code, message, sts.error.status);
  }
  const federated = sts.body.access_token;
  if (typeof federated !== "string" || !federated)
    throw new ProviderError(provider, "bad-response", "Google STS: the answer carries no access_token");
  mask(federated);
  secrets.push(federated);
  const pool = resource.replace(/\/providers\/[^/]+$/, "");
  let identity = `principal://iam.googleapis.com/${pool}/subject/${String(claims.sub ?? "?")}`;
  let accessToken = federated;
  if (serviceAccount) {
    const out = await gcpCall(
      base,
      {
        method: "POST",
        url: `${endpoint("iamcredentials")}/v1/projects/-/serviceAccounts/${encodeURIComponent(serviceAccount)}:generateAccessToken`,
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          authorization: `Bearer ${federated}`
        },
        body: JSON.stringify({ scope: [CLOUD_PLATFORM], lifetime: GCP_TOKEN_LIFETIME })
      },
      "Google IAM generateAccessToken"
    );
    if (!out.ok) {
      const head = `Google IAM refused to impersonate ${serviceAccount} (${out.error.code}: ${out.error.message}).`;
      if (out.error.status === 404 || out.error.code === "NOT_FOUND")
        throw new ProviderError(provider, "not-found", `${head} Check gcp-service-account.`, out.error.status);
      if (out.error.status === 403 || out.error.code === "PERMISSION_DENIED") {
        throw new ProviderError(
          provider,
          "claims-mismatch",
          `${head} Grant roles/iam.workloadIdentityUser on the service account to principalSet://iam.googleapis.com/${pool}/attribute.repository/${String(claims.repository ?? "OWNER/REPO")} (or a narrower principal). The token's claims:
${describeClaims(claims)}`,
          out.error.status
        );
      }
      throw new ProviderError(provider, "login-failed", head, out.error.status);
    }
    if (typeof out.body.accessToken !== "string" || !out.body.accessToken)
      throw new ProviderError(provider, "bad-response", "Google IAM generateAccessToken: no accessToken in the answer");
    accessToken = out.body.accessToken;
    mask(accessToken);
    secrets.push(accessToken);
    identity = serviceAccount;
  }
  log(`Signed in to Google Cloud as ${identity} (token for at most ${serviceAccount ? "5 minutes" : "1 hour"})`);
  const session = {
    ...base,
    identity,
    accessToken,
    endpoint,
    claims,
    release() {
      session.accessToken = void 0;
    }
  };
  return session;
}
async function gcpApi(session, method, url, body, label) {
  const token = session.accessToken;
  if (!token) throw new ProviderError(session.provider, "config", `${label}: the Google session was already released`);
  return gcpCall(
    session,
    {
      method,
      url,
      headers: {
        accept: "application/json",
        authorization: `Bearer ${token}`,
        ...body ? { "content-type": "application/json" } : {}
      },
      ...body ? { body: JSON.stringify(body) } : {}
    },
    label
  );
}
function gcpErrorMessage(session, label, e, permission, resource) {
  const p = session.provider;
  if (e.status === 403 || e.code === "PERMISSION_DENIED") {
    return new ProviderError(
      p,
      "permission-denied",
      `${label}: Google denied ${permission} on ${resource} to ${session.identity} (${e.message}). Grant that identity a role with this permission on exactly this resource.`,
      e.status
    );
  }
  if (e.status === 401 || e.code === "UNAUTHENTICATED") {
    return new ProviderError(p, "login-failed", `${label}: Google refused the access token (${e.message})`, e.status);
  }
  if (e.status === 404 || e.code === "NOT_FOUND") {
    return new ProviderError(p, "not-found", `${label}: ${resource} does not exist (${e.message})`, e.status);
  }
  return new ProviderError(p, "bad-response", `${label}: ${e.code}${e.message ? `: ${e.message}` : ""}`, e.status);
}
var CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? c >>> 1 ^ 2197175160 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();
function crc32c(data) {
  let c = 4294967295;
  for (const b of data) c = CRC32C_TABLE[(c ^ b) & 255] ^ c >>> 8;
  return (c ^ 4294967295) >>> 0;
}
function crc32cMatches(field, data) {
  if (field === void 0) return true;
  return String(field) === String(crc32c(data));
}

// src/sign/providers/gcp-kms.ts
var PROVIDER4 = "gcp-kms";
var SEGMENT = "[A-Za-z0-9_-]{1,63}";
var KEY_VERSION = new RegExp(
  `^projects/[a-z0-9.:-]{1,100}/locations/[a-z0-9-]{1,63}/keyRings/${SEGMENT}/cryptoKeys/${SEGMENT}/cryptoKeyVersions/\\d{1,10}$`
);
var ALGORITHMS = {
  RSA_SIGN_PKCS1_2048_SHA256: "sha256",
  RSA_SIGN_PKCS1_3072_SHA256: "sha256",
  RSA_SIGN_PKCS1_4096_SHA256: "sha256",
  RSA_SIGN_PKCS1_4096_SHA512: "sha512",
  EC_SIGN_P256_SHA256: "sha256",
  EC_SIGN_P384_SHA384: "sha384",
  EC_SIGN_ED25519: "pure"
};
function createGcpKmsProvider(options) {
  const key = options.key.trim().replace(/^\/\/cloudkms\.googleapis\.com\//, "");
  if (!key) {
    throw new ProviderError(
      PROVIDER4,
      "config",
      "key is required (projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V)"
    );
  }
  if (!KEY_VERSION.test(key)) {
    throw new ProviderError(
      PROVIDER4,
      "config",
      "key is not a Cloud KMS crypto key version resource name (projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V; a key without /cryptoKeyVersions/N is not enough)"
    );
  }
  const gcp = { ...options, provider: PROVIDER4 };
  checkGcpInputs(gcp);
  const log = options.log ?? (() => {
  });
  return {
    kind: "remote-signer",
    name: PROVIDER4,
    label: "Google Cloud KMS",
    async connect(idToken) {
      const session = await gcpLogin(idToken, gcp);
      try {
        const base = `${session.endpoint("cloudkms")}/v1/${key}`;
        const pub = await gcpApi(session, "GET", `${base}/publicKey`, void 0, "Google Cloud KMS getPublicKey");
        if (!pub.ok) {
          if (pub.error.code === "FAILED_PRECONDITION") {
            throw new ProviderError(
              PROVIDER4,
              "bad-key",
              `Cloud KMS key version ${key} has no usable public key (${pub.error.message}): it must be an ASYMMETRIC_SIGN key version in state ENABLED`,
              pub.error.status
            );
          }
          throw gcpErrorMessage(
            session,
            "Google Cloud KMS getPublicKey",
            pub.error,
            "cloudkms.cryptoKeyVersions.viewPublicKey",
            key
          );
        }
        const pem = pub.body.pem;
        const algorithm = String(pub.body.algorithm ?? "");
        if (typeof pem !== "string" || pub.body.name !== void 0 && pub.body.name !== key)
          throw new ProviderError(
            PROVIDER4,
            "bad-response",
            "Google Cloud KMS getPublicKey: the answer carries no pem for the key version asked for"
          );
        if (!crc32cMatches(pub.body.pemCrc32c, Buffer.from(pem, "utf8")))
          throw new ProviderError(PROVIDER4, "bad-response", "Google Cloud KMS getPublicKey: pemCrc32c does not match");
        const mode = ALGORITHMS[algorithm];
        if (!mode) {
          throw new ProviderError(
            PROVIDER4,
            "bad-key",
            `Cloud KMS key version ${key} has algorithm ${algorithm || "(none)"}; OpenPGP signing here needs one of ${Object.keys(ALGORITHMS).join(", ")}`
          );
        }
        let publicKey;
        try {
          publicKey = servicePublicKey(pem);
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER4, "bad-key", `Cloud KMS key version ${key} (${algorithm}): ${e.message}`);
          throw e;
        }
        const expectedType = algorithm.startsWith("RSA") ? "rsa" : algorithm === "EC_SIGN_P256_SHA256" ? "ecdsa-p256" : algorithm === "EC_SIGN_P384_SHA384" ? "ecdsa-p384" : "ed25519";
        if (publicKey.type !== expectedType)
          throw new ProviderError(
            PROVIDER4,
            "bad-response",
            `Google Cloud KMS getPublicKey: a ${publicKey.type} key for algorithm ${algorithm}`
          );
        const sign = async (digest, hash) => {
          const bytes = Buffer.from(digest);
          if (mode !== "pure" && hash !== mode) {
            throw new ProviderError(
              PROVIDER4,
              "bad-key",
              `Cloud KMS key version ${key} (${algorithm}) signs ${mode} digests only, not ${hash}`
            );
          }
          const body = mode === "pure" ? { data: bytes.toString("base64"), dataCrc32c: String(crc32c(bytes)) } : { digest: { [mode]: bytes.toString("base64") }, digestCrc32c: String(crc32c(bytes)) };
          const out = await gcpApi(session, "POST", `${base}:asymmetricSign`, body, "Google Cloud KMS asymmetricSign");
          if (!out.ok) {
            if (out.error.code === "FAILED_PRECONDITION") {
              throw new ProviderError(
                PROVIDER4,
                "bad-key",
                `Cloud KMS key version ${key} cannot sign now (${out.error.message}): enable it`,
                out.error.status
              );
            }
            throw gcpErrorMessage(
              session,
              "Google Cloud KMS asymmetricSign",
              out.error,
              "cloudkms.cryptoKeyVersions.useToSign",
              key
            );
          }
          const verified = mode === "pure" ? out.body.verifiedDataCrc32c : out.body.verifiedDigestCrc32c;
          if (typeof out.body.signature !== "string" || out.body.name !== void 0 && out.body.name !== key) {
            throw new ProviderError(
              PROVIDER4,
              "bad-response",
              "Google Cloud KMS asymmetricSign: the answer carries no signature by the key version asked for"
            );
          }
          if (verified !== true) {
            throw new ProviderError(
              PROVIDER4,
              "bad-response",
              "Google Cloud KMS asymmetricSign: KMS did not confirm the request checksum (the request may have been corrupted)"
            );
          }
          const signature = Buffer.from(out.body.signature, "base64");
          if (!crc32cMatches(out.body.signatureCrc32c, signature))
            throw new ProviderError(
              PROVIDER4,
              "bad-response",
              "Google Cloud KMS asymmetricSign: signatureCrc32c does not match"
            );
          return signature;
        };
        log(`Connected to Google Cloud KMS key version ${key} (${algorithm})`);
        return {
          publicKey: publicKey.keyObject,
          ...mode !== "pure" ? { hashes: [mode] } : {},
          sign,
          async release() {
            session.release();
          },
          released: () => session.accessToken === void 0,
          source: `gcp-kms ${key}`,
          metadata: { algorithm },
          identity: session.identity
        };
      } catch (e) {
        session.release();
        throw e;
      }
    }
  };
}

// src/sign/providers/gcp-secret-manager.ts
var PROVIDER5 = "gcp-secret-manager";
var SECRET = /^projects\/[a-z0-9.:-]{1,100}\/secrets\/[A-Za-z0-9_-]{1,255}(\/versions\/(latest|\d{1,10}))?$/;
function createGcpSecretManagerProvider(options) {
  const secret = options.secret.trim();
  if (!secret) throw new ProviderError(PROVIDER5, "config", "secret is required (projects/P/secrets/S[/versions/V])");
  if (!SECRET.test(secret))
    throw new ProviderError(
      PROVIDER5,
      "config",
      "secret is not a Secret Manager secret resource name (projects/P/secrets/S or projects/P/secrets/S/versions/V)"
    );
  const version = secret.includes("/versions/") ? secret : `${secret}/versions/latest`;
  const gcp = { ...options, provider: PROVIDER5 };
  checkGcpInputs(gcp);
  const mask = options.mask ?? (() => {
  });
  return {
    kind: "key-store",
    name: PROVIDER5,
    label: "Google Secret Manager",
    async fetchKey(idToken) {
      const session = await gcpLogin(idToken, gcp);
      let body;
      try {
        const out = await gcpApi(
          session,
          "GET",
          `${session.endpoint("secretmanager")}/v1/${version}:access`,
          void 0,
          "Google Secret Manager access"
        );
        if (!out.ok) {
          if (out.error.code === "NOT_FOUND" || out.error.status === 404) {
            throw new ProviderError(
              PROVIDER5,
              "not-found",
              `Google Secret Manager has no ${version} (${out.error.message}): check secret`,
              out.error.status
            );
          }
          if (out.error.code === "FAILED_PRECONDITION") {
            throw new ProviderError(
              PROVIDER5,
              "not-found",
              `Google Secret Manager: ${version} cannot be read (${out.error.message}): enable the version`,
              out.error.status
            );
          }
          throw gcpErrorMessage(
            session,
            "Google Secret Manager access",
            out.error,
            "secretmanager.versions.access",
            version
          );
        }
        body = out.body;
      } finally {
        session.release();
      }
      const payload = body.payload;
      const data = payload && typeof payload.data === "string" ? Buffer.from(payload.data, "base64") : void 0;
      if (!data || data.length === 0)
        throw new ProviderError(PROVIDER5, "field-missing", `the secret ${version} has no value`);
      if (!crc32cMatches(payload?.dataCrc32c, data))
        throw new ProviderError(PROVIDER5, "bad-response", "Google Secret Manager access: dataCrc32c does not match");
      const text = data.toString("utf8");
      mask(text);
      const { armoredKey, passphrase } = keyFromSecretText(PROVIDER5, text, `the secret ${version}`, options);
      mask(armoredKey);
      if (passphrase) mask(passphrase);
      const name = typeof body.name === "string" ? body.name : version;
      return {
        armoredKey,
        ...passphrase ? { passphrase } : {},
        release: async () => {
        },
        released: () => true,
        source: `gcp-secret-manager ${name}`,
        metadata: { version: name.split("/").pop() ?? "" },
        identity: session.identity
      };
    }
  };
}

// src/sign/providers/azure.ts
var AZURE_AUDIENCE = "api://AzureADTokenExchange";
var API_VERSION = "7.4";
var DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var TENANT_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}(\.[a-z0-9][a-z0-9-]{0,62})+$/i;
var VAULT_DOMAINS = [
  [".vault.azure.net", "https://vault.azure.net"],
  [".vault.azure.cn", "https://vault.azure.cn"],
  [".vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net"],
  [".managedhsm.azure.net", "https://managedhsm.azure.net"]
];
function checkAzureInputs(options) {
  const p = options.provider;
  const clientId = options.clientId.trim();
  const tenant = options.tenantId.trim();
  if (!clientId) throw new ProviderError(p, "config", "azure-client-id is required (the application (client) ID)");
  if (!GUID.test(clientId))
    throw new ProviderError(p, "config", `azure-client-id "${clientId.slice(0, 40)}" is not a GUID`);
  if (!tenant) throw new ProviderError(p, "config", "azure-tenant-id is required (the directory (tenant) ID)");
  if (!GUID.test(tenant) && !TENANT_DOMAIN.test(tenant))
    throw new ProviderError(
      p,
      "config",
      `azure-tenant-id "${tenant.slice(0, 40)}" is not a tenant GUID or domain (contoso.onmicrosoft.com)`
    );
  authority(options);
}
function checkedUrl(provider, raw, what, allowInsecureHttp, secretWhat) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    throw new ProviderError(provider, "config", `${what} is not a URL`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new ProviderError(provider, "config", `${what} must be an https:// URL`);
  if (u.username || u.password)
    throw new ProviderError(provider, "config", `${what} must not contain a user name or password`);
  if (u.search || u.hash) throw new ProviderError(provider, "config", `${what} must not contain a query or fragment`);
  if (u.protocol === "http:" && !isLoopbackHost(u.hostname) && !allowInsecureHttp) {
    throw new ProviderError(
      provider,
      "config",
      `${what} uses plain http to ${u.host}: ${secretWhat} would cross the network unencrypted. Use https://, or set allow-insecure-http: true`
    );
  }
  return u;
}
function authority(options) {
  const env = options.env ?? process.env;
  const raw = env.AZURE_AUTHORITY_HOST?.trim();
  if (!raw) return DEFAULT_AUTHORITY;
  const u = checkedUrl(options.provider, raw, "AZURE_AUTHORITY_HOST", options.allowInsecureHttp, "the OIDC token");
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}
function parseVaultObjectUrl(provider, input, collection, what, options) {
  const example = `https://NAME.vault.azure.net/${collection}/NAME/VERSION`;
  const u = checkedUrl(provider, input.trim(), what, options.allowInsecureHttp, "the Key Vault access token");
  const host = u.hostname.toLowerCase();
  const domain = VAULT_DOMAINS.find(([suffix]) => host.endsWith(suffix) && host.length > suffix.length);
  if (!domain && !isLoopbackHost(u.hostname)) {
    throw new ProviderError(
      provider,
      "config",
      `${what} must be a Key Vault URL (${example}); ${u.host} is not a Key Vault host, and the access token is sent to it`
    );
  }
  const parts = u.pathname.split("/").filter(Boolean);
  if (parts[0] !== collection || parts.length < 2 || parts.length > 3 || !parts.every((p) => /^[0-9a-zA-Z-]{1,127}$/.test(p)))
    throw new ProviderError(provider, "config", `${what} must look like ${example}`);
  return {
    origin: u.origin,
    name: parts[1],
    ...parts[2] ? { version: parts[2] } : {},
    scope: `${domain?.[1] ?? "https://vault.azure.net"}/.default`,
    url: `${u.origin}/${collection}/${parts[1]}${parts[2] ? `/${parts[2]}` : ""}`
  };
}
async function send2(ctx, label, request) {
  return callService(
    { ...ctx, service: "Azure" },
    label,
    () => ctx.http({
      ...request,
      ...ctx.ca ? { ca: ctx.ca } : {},
      timeoutMs: ctx.timeoutMs,
      maxBytes: 256 * 1024
    })
  );
}
function parseObject(provider, label, res) {
  try {
    const v = JSON.parse(res.body || "{}");
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
  }
  throw new ProviderError(
    provider,
    "bad-response",
    `${label}: Azure's answer (HTTP ${res.status}) is not a JSON object`
  );
}
function entraErrorMessage(error, description, codes, ctx) {
  const first = description.split(/\r?\n/)[0] ?? "";
  const head = `Microsoft Entra ID refused the OIDC token for client ${ctx.clientId} in tenant ${ctx.tenantId} (${error}: ${first})`;
  const claims = `The token's claims:
${describeClaims(ctx.claims, ["iss", "sub", "aud", "repository", "ref", "environment", "job_workflow_ref"])}`;
  const has = (n) => codes.includes(n) || description.includes(`AADSTS${n}:`);
  if (has(70021) || has(700213) || has(700212)) {
    return {
      code: "claims-mismatch",
      message: `${head}. No federated identity credential on the app matches this token: add one (Certificates & secrets \u2192 Federated credentials) whose Issuer is "${String(ctx.claims.iss ?? "")}", Subject identifier is "${String(ctx.claims.sub ?? "")}" and Audience is "${String(ctx.claims.aud ?? "")}" (${AZURE_AUDIENCE} by default), or fix azure-client-id / the audience input.
${claims}`
    };
  }
  if (has(700016))
    return {
      code: "config",
      message: `${head}. No application ${ctx.clientId} in that tenant: check azure-client-id and azure-tenant-id.`
    };
  if (has(90002) || has(900023)) return { code: "config", message: `${head}. Check azure-tenant-id.` };
  if (has(700024) || has(700027))
    return {
      code: "login-failed",
      message: `${head}. The OIDC token was expired or not yet valid: check the runner's clock.
${claims}`
    };
  if (has(50027) || has(700211))
    return {
      code: "login-failed",
      message: `${head}. Entra could not validate the token against its issuer "${String(ctx.claims.iss ?? "")}" (keys or issuer URL).
${claims}`
    };
  return { code: "login-failed", message: `${head}.
${claims}` };
}
async function azureLogin(idToken, options, scope) {
  checkAzureInputs(options);
  const provider = options.provider;
  const clientId = options.clientId.trim();
  const tenantId = options.tenantId.trim();
  let claims = {};
  try {
    claims = publicClaims(decodeJwtPayload(idToken));
  } catch {
  }
  const ctx = {
    provider,
    http: options.http ?? httpRequest,
    log: options.log ?? (() => {
    }),
    secrets: [idToken],
    ...options.retry ? { retry: options.retry } : {},
    ...options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
    ...options.ca ? { ca: options.ca } : {}
  };
  const label = "Microsoft Entra ID token request";
  const res = await send2(ctx, label, {
    url: `${authority(options)}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      client_id: clientId,
      scope,
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: idToken
    }).toString()
  });
  const body = parseObject(provider, label, res);
  if (res.status !== 200) {
    const error = typeof body.error === "string" ? body.error : `HTTP ${res.status}`;
    const description = scrub(typeof body.error_description === "string" ? body.error_description : "", ctx.secrets);
    const codes = Array.isArray(body.error_codes) ? body.error_codes.filter((c) => typeof c === "number") : [];
    const { code, message } = entraErrorMessage(error, description, codes, { clientId, tenantId, claims });
    throw new ProviderError(provider, code, message, res.status);
  }
  const token = body.access_token;
  if (typeof token !== "string" || !token || String(body.token_type).toLowerCase() !== "bearer")
    throw new ProviderError(provider, "bad-response", `${label}: the answer carries no bearer access_token`);
  options.mask?.(token);
  ctx.secrets.push(token);
  const expires = typeof body.expires_in === "number" ? ` for ${Math.round(body.expires_in / 60)} minutes` : "";
  ctx.log(`Signed in to Microsoft Entra ID as client ${clientId} in tenant ${tenantId}${expires}`);
  const session = {
    provider,
    identity: `${clientId}@${tenantId}`,
    token,
    claims,
    secrets: ctx.secrets,
    release() {
      session.token = void 0;
    }
  };
  return session;
}
async function vaultRequest(session, options, label, url, body) {
  const token = session.token;
  if (!token) throw new ProviderError(session.provider, "config", `${label}: the Azure session was already released`);
  const ctx = {
    provider: session.provider,
    http: options.http ?? httpRequest,
    log: options.log ?? (() => {
    }),
    secrets: session.secrets,
    ...options.retry ? { retry: options.retry } : {},
    ...options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
    ...options.ca ? { ca: options.ca } : {}
  };
  const res = await send2(ctx, label, {
    url: `${url}?api-version=${API_VERSION}`,
    method: body ? "POST" : "GET",
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      ...body ? { "content-type": "application/json" } : {}
    },
    ...body ? { body: JSON.stringify(body) } : {}
  });
  const parsed = parseObject(session.provider, label, res);
  if (res.status === 200) return { ok: true, body: parsed };
  const err = parsed.error && typeof parsed.error === "object" ? parsed.error : {};
  const inner = err.innererror && typeof err.innererror === "object" ? err.innererror.code : void 0;
  const challenge = res.headers["www-authenticate"];
  return {
    ok: false,
    error: {
      status: res.status,
      code: typeof err.code === "string" ? err.code : `HTTP ${res.status}`,
      ...typeof inner === "string" ? { inner } : {},
      message: scrub(typeof err.message === "string" ? err.message : "", session.secrets),
      ...typeof challenge === "string" ? { challenge: scrub(challenge, session.secrets).slice(0, 300) } : {}
    }
  };
}
function vaultErrorMessage(session, label, e, permissions, role, resource) {
  const p = session.provider;
  if (e.status === 403) {
    return new ProviderError(
      p,
      "permission-denied",
      `${label}: Key Vault denied ${resource} to ${session.identity} (${e.code}${e.inner ? `/${e.inner}` : ""}: ${e.message}). Grant the app the "${role}" role on the vault or key (Azure RBAC), or, for a vault using access policies, an access policy with ${permissions}.`,
      e.status
    );
  }
  if (e.status === 401) {
    return new ProviderError(
      p,
      "login-failed",
      `${label}: Key Vault refused the access token (${e.code}: ${e.message})${e.challenge ? `; it asks for ${e.challenge}` : ""}. Check that azure-tenant-id is the tenant of the vault.`,
      e.status
    );
  }
  return new ProviderError(p, "bad-response", `${label}: ${e.code}${e.message ? `: ${e.message}` : ""}`, e.status);
}

// src/sign/providers/azure-key-vault.ts
var PROVIDER6 = "azure-key-vault";
var ROLE = "Key Vault Crypto User";
var PERMISSIONS = "key permissions Get and Sign";
function p1363ToDer(raw) {
  const half = raw.length / 2;
  const int = (b) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    const body = v[0] & 128 ? Buffer.concat([Buffer.from([0]), v]) : v;
    return Buffer.concat([Buffer.from([2, body.length]), body]);
  };
  const seq = Buffer.concat([int(Buffer.from(raw.subarray(0, half))), int(Buffer.from(raw.subarray(half)))]);
  const len = seq.length < 128 ? Buffer.from([seq.length]) : Buffer.from([129, seq.length]);
  return Buffer.concat([Buffer.from([48]), len, seq]);
}
function createAzureKeyVaultProvider(options) {
  if (!options.key.trim())
    throw new ProviderError(PROVIDER6, "config", "key is required (https://NAME.vault.azure.net/keys/KEY/VERSION)");
  const target = parseVaultObjectUrl(PROVIDER6, options.key, "keys", "key", options);
  const azure = { ...options, provider: PROVIDER6 };
  checkAzureInputs(azure);
  const log = options.log ?? (() => {
  });
  return {
    kind: "remote-signer",
    name: PROVIDER6,
    label: "Azure Key Vault",
    async connect(idToken) {
      const session = await azureLogin(idToken, azure, target.scope);
      try {
        const got = await vaultRequest(session, azure, "Azure Key Vault get key", target.url);
        if (!got.ok) {
          if (got.error.status === 404) {
            throw new ProviderError(
              PROVIDER6,
              "not-found",
              `Azure Key Vault has no key ${target.url} (${got.error.code}: ${got.error.message}): check key`,
              got.error.status
            );
          }
          throw vaultErrorMessage(session, "Azure Key Vault get key", got.error, PERMISSIONS, ROLE, target.url);
        }
        const jwk = got.body.key && typeof got.body.key === "object" ? got.body.key : {};
        const kid = typeof jwk.kid === "string" ? jwk.kid : "";
        let pinned;
        try {
          pinned = parseVaultObjectUrl(PROVIDER6, kid, "keys", "the returned kid", options);
        } catch {
        }
        if (!pinned || pinned.origin !== target.origin || pinned.name !== target.name || !pinned.version || target.version && pinned.version !== target.version) {
          throw new ProviderError(PROVIDER6, "bad-response", `Azure Key Vault get key: the answer is for another key`);
        }
        const attributes = got.body.attributes ?? {};
        if (attributes.enabled === false)
          throw new ProviderError(PROVIDER6, "bad-key", `Key Vault key ${pinned.url} is disabled: enable it`);
        const ops = Array.isArray(jwk.key_ops) ? jwk.key_ops.map(String) : [];
        if (ops.length && !ops.includes("sign"))
          throw new ProviderError(
            PROVIDER6,
            "bad-key",
            `Key Vault key ${pinned.url} does not permit sign (key_ops: ${ops.join(", ")}): allow the sign operation`
          );
        const kty = String(jwk.kty ?? "");
        if (/^OKP/.test(kty) || jwk.crv === "Ed25519")
          throw new ProviderError(
            PROVIDER6,
            "bad-key",
            "Azure Key Vault has no Ed25519 keys: use RSA or EC P-256/P-384"
          );
        let publicKey;
        try {
          publicKey = servicePublicKey(jwk);
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER6, "bad-key", `Key Vault key ${pinned.url} (${kty}): ${e.message}`);
          throw e;
        }
        if (publicKey.type === "ed25519")
          throw new ProviderError(
            PROVIDER6,
            "bad-key",
            "Azure Key Vault has no Ed25519 keys: use RSA or EC P-256/P-384"
          );
        const algorithmFor = (hash) => publicKey.type === "rsa" ? `RS${hash.slice(3)}` : publicKey.type === "ecdsa-p256" ? "ES256" : "ES384";
        const sign = async (digest, hash) => {
          const out = await vaultRequest(session, azure, "Azure Key Vault sign", `${pinned.url}/sign`, {
            alg: algorithmFor(hash),
            value: Buffer.from(digest).toString("base64url")
          });
          if (!out.ok)
            throw vaultErrorMessage(session, "Azure Key Vault sign", out.error, PERMISSIONS, ROLE, pinned.url);
          if (out.body.kid !== pinned.url || typeof out.body.value !== "string")
            throw new ProviderError(
              PROVIDER6,
              "bad-response",
              "Azure Key Vault sign: the answer carries no signature by the key that was read"
            );
          const raw = Buffer.from(out.body.value, "base64url");
          if (publicKey.type === "rsa") return raw;
          const size = publicKey.type === "ecdsa-p256" ? 32 : 48;
          if (raw.length !== 2 * size)
            throw new ProviderError(
              PROVIDER6,
              "bad-response",
              `Azure Key Vault sign: an ES signature of ${raw.length} bytes`
            );
          return p1363ToDer(raw);
        };
        log(`Connected to Azure Key Vault key ${pinned.url} (${kty})`);
        return {
          publicKey: publicKey.keyObject,
          hashes: publicKey.type === "ecdsa-p256" ? ["sha256"] : publicKey.type === "ecdsa-p384" ? ["sha384"] : ["sha256", "sha384", "sha512"],
          sign,
          async release() {
            session.release();
          },
          released: () => session.token === void 0,
          source: `azure-key-vault ${pinned.url}`,
          metadata: { keyType: kty, version: pinned.version },
          identity: session.identity
        };
      } catch (e) {
        session.release();
        throw e;
      }
    }
  };
}

// src/sign/providers/azure-key-vault-secret.ts
var PROVIDER7 = "azure-key-vault-secret";
function createAzureKeyVaultSecretProvider(options) {
  if (!options.secret.trim())
    throw new ProviderError(PROVIDER7, "config", "secret is required (https://NAME.vault.azure.net/secrets/NAME)");
  const target = parseVaultObjectUrl(PROVIDER7, options.secret, "secrets", "secret", options);
  const azure = { ...options, provider: PROVIDER7 };
  checkAzureInputs(azure);
  const mask = options.mask ?? (() => {
  });
  return {
    kind: "key-store",
    name: PROVIDER7,
    label: "Azure Key Vault",
    async fetchKey(idToken) {
      const session = await azureLogin(idToken, azure, target.scope);
      let body;
      try {
        const out = await vaultRequest(session, azure, "Azure Key Vault get secret", target.url);
        if (!out.ok) {
          if (out.error.status === 404) {
            throw new ProviderError(
              PROVIDER7,
              "not-found",
              `Azure Key Vault has no secret ${target.url} (${out.error.code}): check secret`,
              out.error.status
            );
          }
          throw vaultErrorMessage(
            session,
            "Azure Key Vault get secret",
            out.error,
            "secret permission Get",
            "Key Vault Secrets User",
            target.url
          );
        }
        body = out.body;
      } finally {
        session.release();
      }
      if (typeof body.value !== "string" || body.value.trim() === "")
        throw new ProviderError(PROVIDER7, "field-missing", `the secret ${target.url} has no value`);
      mask(body.value);
      const { armoredKey, passphrase } = keyFromSecretText(PROVIDER7, body.value, `the secret ${target.url}`, options);
      mask(armoredKey);
      if (passphrase) mask(passphrase);
      const id = typeof body.id === "string" ? body.id : target.url;
      const metadata = {};
      const version = id.split("/")[5];
      if (version) metadata.version = version;
      const attributes = body.attributes ?? {};
      if (typeof attributes.created === "number")
        metadata.created_time = new Date(attributes.created * 1e3).toISOString();
      return {
        armoredKey,
        ...passphrase ? { passphrase } : {},
        release: async () => {
        },
        released: () => true,
        source: `azure-key-vault-secret ${id.slice(0, 300)}`,
        metadata,
        identity: session.identity
      };
    }
  };
}

// src/sign/providers/vault-transit.ts
var PROVIDER8 = "vault-transit";
var VAULT_HASH = { sha256: "sha2-256", sha384: "sha2-384", sha512: "sha2-512" };
var SEGMENT2 = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
function segment(value, input) {
  const v = value.trim().replace(/^\/+|\/+$/g, "");
  if (!SEGMENT2.test(v) || v.split("/").some((p) => p === "." || p === "..")) {
    throw new ProviderError(PROVIDER8, "config", `${input} "${value}" is not a valid Vault path segment`);
  }
  return v;
}
function createVaultTransitProvider(options) {
  const url = normalizeVaultUrl(options.url, { allowInsecureHttp: options.allowInsecureHttp ?? false });
  const role = options.role.trim();
  if (!role) throw new ProviderError(PROVIDER8, "config", "vault-role is required");
  if (!options.key?.trim()) throw new ProviderError(PROVIDER8, "config", "key (the transit key name) is required");
  const keyName = segment(options.key, "key");
  if (keyName.includes("/"))
    throw new ProviderError(PROVIDER8, "config", `key "${options.key}" must be a transit key name, without "/"`);
  const transit = segment(options.transitMount || "transit", "vault-transit-mount");
  const mount = segment(options.authMount || "jwt", "vault-auth-mount");
  const namespace = options.namespace ? segment(options.namespace, "vault-namespace") : void 0;
  const log = options.log ?? (() => {
  });
  const mask = options.mask ?? (() => {
  });
  const keysPath = `${transit}/keys/${keyName}`;
  const signPath = `${transit}/sign/${keyName}`;
  return {
    kind: "remote-signer",
    name: PROVIDER8,
    label: "Vault transit",
    async connect(idToken) {
      const ca = loadCa(options);
      const conn = {
        url,
        namespace,
        ca,
        caCertPath: options.caCertPath,
        http: options.http ?? httpRequest,
        retry: options.retry,
        log,
        timeoutMs: options.timeoutMs,
        secrets: [idToken]
      };
      const { token, policies, session, release, released } = await openVaultSession(
        conn,
        { role, mount, namespace, idToken, mask },
        { caCertPath: options.caCertPath, onSessionEnd: options.onSessionEnd }
      );
      const policyHint = (capability, path) => `The token from role "${role}" carries the policies [${policies.join(", ")}]; give one of them path "${path}" { capabilities = ["${capability}"] }.`;
      try {
        await options.onSession?.(session);
        const res = await vaultCall(conn, { method: "GET", path: keysPath, token, label: "Vault transit key read" });
        const said = scrub2(vaultErrors(res.body).map(flattenVaultError).join("; "), conn.secrets);
        if (res.status === 403) {
          throw new ProviderError(
            PROVIDER8,
            "permission-denied",
            `Vault denied reading ${keysPath}${nsNote(namespace)} (HTTP 403${said ? `: ${said}` : ""}). ${policyHint("read", keysPath)}`,
            403
          );
        }
        if (res.status === 404) {
          throw new ProviderError(
            PROVIDER8,
            "not-found",
            `no transit key "${keyName}" at ${keysPath}${nsNote(namespace)}: check key and vault-transit-mount`,
            404
          );
        }
        if (res.status !== 200) {
          throw new ProviderError(
            PROVIDER8,
            "bad-response",
            `Vault transit key read: HTTP ${res.status}${said ? `: ${said}` : ""}`,
            res.status
          );
        }
        const data = parseJson(res, "Vault transit key read").data ?? {};
        const type = typeof data.type === "string" ? data.type : "";
        const version = Number(data.latest_version);
        const versions = data.keys ?? {};
        const publicText = versions[String(version)]?.public_key;
        if (data.supports_signing === false) {
          throw new ProviderError(PROVIDER8, "bad-key", `transit key "${keyName}" is a ${type} key, which cannot sign`);
        }
        if (!Number.isInteger(version) || version < 1 || typeof publicText !== "string" || publicText === "") {
          throw new ProviderError(
            PROVIDER8,
            "bad-response",
            `Vault transit key read: no public key for the latest version of "${keyName}"`
          );
        }
        let publicKey;
        try {
          publicKey = servicePublicKey(
            type === "ed25519" ? ed25519FromRaw(Buffer.from(publicText, "base64")) : publicText
          );
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER8, "bad-key", `transit key "${keyName}" (${type}): ${e.message}`);
          throw e;
        }
        const sign = async (digest, hash) => {
          const body = { input: Buffer.from(digest).toString("base64"), key_version: version };
          if (publicKey.type === "rsa") {
            Object.assign(body, { prehashed: true, hash_algorithm: VAULT_HASH[hash], signature_algorithm: "pkcs1v15" });
          } else if (publicKey.type !== "ed25519") {
            Object.assign(body, { prehashed: true, hash_algorithm: VAULT_HASH[hash], marshaling_algorithm: "asn1" });
          }
          const r = await vaultCall(conn, { method: "POST", path: signPath, token, body, label: "Vault transit sign" });
          const why = scrub2(vaultErrors(r.body).map(flattenVaultError).join("; "), conn.secrets);
          if (r.status === 403) {
            throw new ProviderError(
              PROVIDER8,
              "permission-denied",
              `Vault denied signing with ${signPath}${nsNote(namespace)} (HTTP 403${why ? `: ${why}` : ""}). ${policyHint("update", signPath)}`,
              403
            );
          }
          if (r.status !== 200) {
            throw new ProviderError(
              PROVIDER8,
              "bad-response",
              `Vault transit sign: HTTP ${r.status}${why ? `: ${why}` : ""}`,
              r.status
            );
          }
          const out = parseJson(r, "Vault transit sign").data ?? {};
          const m = typeof out.signature === "string" ? /^vault:v(\d+):([A-Za-z0-9+/=_-]+)$/.exec(out.signature) : null;
          if (!m)
            throw new ProviderError(
              PROVIDER8,
              "bad-response",
              "Vault transit sign: the answer carries no vault:v<N>: signature"
            );
          if (Number(m[1]) !== version) {
            throw new ProviderError(
              PROVIDER8,
              "bad-response",
              `Vault transit signed with key version ${m[1]}, not the version ${version} that was read`
            );
          }
          return Buffer.from(m[2], m[2].includes("-") || m[2].includes("_") ? "base64url" : "base64");
        };
        log(`Connected to Vault transit key ${keysPath} (${type}, version ${version})`);
        return {
          publicKey: publicKey.keyObject,
          ...publicKey.type === "ecdsa-p384" ? { hashes: ["sha384", "sha512"] } : {},
          sign,
          release,
          released,
          source: `vault-transit ${url} ${keysPath}${nsNote(namespace)}`,
          metadata: { type, version, role },
          identity: `Vault role "${role}" on auth/${mount}${nsNote(namespace)} (policies: ${policies.join(", ") || "none"})`
        };
      } catch (e) {
        await release();
        throw e;
      }
    }
  };
}

// src/sign/providers/select.ts
var PROVIDER_NAMES = [
  "vault",
  "vault-transit",
  "aws-kms",
  "gcp-kms",
  "azure-key-vault",
  "aws-secrets-manager",
  "gcp-secret-manager",
  "azure-key-vault-secret"
];
var AVAILABLE_PROVIDERS = [
  "vault",
  "vault-transit",
  "aws-kms",
  "aws-secrets-manager",
  "gcp-kms",
  "gcp-secret-manager",
  "azure-key-vault",
  "azure-key-vault-secret"
];
var SERVICE_INPUTS = [
  "vault-url",
  "vault-role",
  "vault-secret",
  "vault-namespace",
  "vault-ca-cert",
  "key",
  "public-key",
  "secret",
  "aws-role-arn",
  "aws-region",
  "gcp-workload-identity-provider",
  "gcp-service-account",
  "azure-client-id",
  "azure-tenant-id"
];
var SPEC = {
  vault: { required: ["vault-url", "vault-role", "vault-secret"], optional: ["vault-namespace", "vault-ca-cert"] },
  "vault-transit": {
    required: ["vault-url", "vault-role", "key", "public-key"],
    optional: ["vault-namespace", "vault-ca-cert"]
  },
  "aws-kms": { required: ["key", "public-key", "aws-role-arn"], optional: ["aws-region"] },
  "aws-secrets-manager": { required: ["secret", "aws-role-arn"], optional: ["aws-region"] },
  "gcp-kms": { required: ["key", "public-key", "gcp-workload-identity-provider"], optional: ["gcp-service-account"] },
  "gcp-secret-manager": { required: ["secret", "gcp-workload-identity-provider"], optional: ["gcp-service-account"] },
  "azure-key-vault": { required: ["key", "public-key", "azure-client-id", "azure-tenant-id"], optional: [] },
  "azure-key-vault-secret": { required: ["secret", "azure-client-id", "azure-tenant-id"], optional: [] }
};
var ProviderInputError = class extends Error {
  name = "ProviderInputError";
  /** The input (action) or flag without dashes (CLI) at fault. */
  input;
  constructor(input, message) {
    super(message);
    this.input = input;
  }
};
function checkProviderInputs(provider, values, options = {}) {
  if (!PROVIDER_NAMES.includes(provider)) {
    throw new ProviderInputError("provider", `must be one of ${PROVIDER_NAMES.join(", ")} (got ${excerpt(provider)})`);
  }
  if (!AVAILABLE_PROVIDERS.includes(provider)) {
    throw new ProviderInputError(
      "provider",
      `${provider} is not available in this version of jit-gpg; use one of ${AVAILABLE_PROVIDERS.join(", ")}`
    );
  }
  const p = provider;
  const spec = SPEC[p];
  const exempt = new Set(options.exempt ?? []);
  for (const name of spec.required) {
    if (!exempt.has(name) && !values[name]?.trim()) {
      throw new ProviderInputError(name, `is required with provider ${p}`);
    }
  }
  for (const name of SERVICE_INPUTS) {
    if (values[name]?.trim() && !spec.required.includes(name) && !spec.optional.includes(name) && !exempt.has(name)) {
      const users = AVAILABLE_PROVIDERS.filter(
        (q2) => SPEC[q2].required.includes(name) || SPEC[q2].optional.includes(name)
      );
      throw new ProviderInputError(
        name,
        `is not used by provider ${p}${users.length ? ` (it belongs to ${users.join(", ")})` : ""}: remove it or change provider`
      );
    }
  }
  return p;
}
function defaultAudience(provider, values = {}) {
  if (provider.startsWith("gcp-")) return gcpDefaultAudience(values["gcp-workload-identity-provider"] ?? "");
  if (provider.startsWith("azure-")) return AZURE_AUDIENCE;
  return provider.startsWith("aws-") ? "sts.amazonaws.com" : DEFAULT_AUDIENCE;
}
function createProvider(provider, values, ctx) {
  const p = checkProviderInputs(provider, values, { exempt: ["public-key"] });
  const v = (name) => values[name]?.trim() ?? "";
  const common = {
    ...ctx.http ? { http: ctx.http } : {},
    ...ctx.retry ? { retry: ctx.retry } : {},
    log: ctx.log,
    ...ctx.mask ? { mask: ctx.mask } : {},
    allowInsecureHttp: ctx.allowInsecureHttp
  };
  const vault = {
    url: v("vault-url"),
    role: v("vault-role"),
    ...v("vault-auth-mount") ? { authMount: v("vault-auth-mount") } : {},
    ...v("vault-namespace") ? { namespace: v("vault-namespace") } : {},
    ...v("vault-ca-cert") ? { caCertPath: resolve2(ctx.baseDir, v("vault-ca-cert")) } : {},
    ...ctx.onVaultSession ? { onSession: ctx.onVaultSession } : {},
    ...ctx.onVaultSessionEnd ? { onSessionEnd: ctx.onVaultSessionEnd } : {}
  };
  const aws = { roleArn: v("aws-role-arn"), region: v("aws-region"), ...ctx.env ? { env: ctx.env } : {} };
  const gcp = {
    workloadIdentityProvider: v("gcp-workload-identity-provider"),
    ...v("gcp-service-account") ? { serviceAccount: v("gcp-service-account") } : {},
    ...ctx.env ? { env: ctx.env } : {}
  };
  const azure = {
    clientId: v("azure-client-id"),
    tenantId: v("azure-tenant-id"),
    ...ctx.env ? { env: ctx.env } : {}
  };
  switch (p) {
    case "vault":
      return createVaultProvider({
        ...common,
        ...vault,
        secret: v("vault-secret"),
        ...v("vault-key-field") ? { keyField: v("vault-key-field") } : {},
        ...v("vault-passphrase-field") ? { passphraseField: v("vault-passphrase-field") } : {}
      });
    case "vault-transit":
      return createVaultTransitProvider({
        ...common,
        ...vault,
        key: v("key"),
        ...v("vault-transit-mount") ? { transitMount: v("vault-transit-mount") } : {}
      });
    case "aws-kms":
      return createAwsKmsProvider({ ...common, ...aws, key: v("key") });
    case "aws-secrets-manager":
      return createAwsSecretsManagerProvider({
        ...common,
        ...aws,
        secret: v("secret"),
        ...v("vault-key-field") ? { keyField: v("vault-key-field") } : {},
        ...v("vault-passphrase-field") ? { passphraseField: v("vault-passphrase-field") } : {}
      });
    case "gcp-kms":
      return createGcpKmsProvider({ ...common, ...gcp, key: v("key") });
    case "gcp-secret-manager":
      return createGcpSecretManagerProvider({
        ...common,
        ...gcp,
        secret: v("secret"),
        ...v("vault-key-field") ? { keyField: v("vault-key-field") } : {},
        ...v("vault-passphrase-field") ? { passphraseField: v("vault-passphrase-field") } : {}
      });
    case "azure-key-vault":
      return createAzureKeyVaultProvider({ ...common, ...azure, key: v("key") });
    case "azure-key-vault-secret":
      return createAzureKeyVaultSecretProvider({
        ...common,
        ...azure,
        secret: v("secret"),
        ...v("vault-key-field") ? { keyField: v("vault-key-field") } : {},
        ...v("vault-passphrase-field") ? { passphraseField: v("vault-passphrase-field") } : {}
      });
  }
}

// src/sign/remote.ts
import { isAbsolute as isAbsolute2, resolve as resolve3 } from "node:path";
var MAX_PUBLIC_KEY_BYTES = 256 * 1024;
function publicKeyPackets(input) {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  if (size === 0) throw new RemoteKeyError("public-key is empty");
  if (size > MAX_PUBLIC_KEY_BYTES) throw new RemoteKeyError(`public-key is ${size} bytes; an exported key is a few KB`);
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input);
  if (bytes[0] & 128) return bytes;
  let block;
  try {
    block = dearmor(bytes.toString("utf8"));
  } catch (e) {
    throw new RemoteKeyError(`public-key is not an armored OpenPGP public key (${e.message})`);
  }
  if (block.type !== "PUBLIC KEY BLOCK") {
    throw new RemoteKeyError(`public-key holds a PGP ${block.type}, not a PGP PUBLIC KEY BLOCK`);
  }
  return block.data;
}
function readPublicKeyInput(value, baseDir) {
  const text = value.trim();
  let bytes;
  if (text.includes("-----BEGIN PGP")) bytes = Buffer.from(text, "utf8");
  else {
    const path = isAbsolute2(text) ? text : resolve3(baseDir, text);
    bytes = readRegularFile(path, { maxBytes: MAX_PUBLIC_KEY_BYTES, what: "public key" });
  }
  const packets = publicKeyPackets(bytes);
  let first;
  try {
    first = splitPackets(packets)[0]?.tag;
  } catch (e) {
    throw new RemoteKeyError(`public-key is not a valid OpenPGP key (${e.message})`);
  }
  if (first !== 6)
    throw new RemoteKeyError("public-key does not start with a public key packet (run `jit-gpg key export`)");
  return bytes[0] & 128 ? armor2(packets, "PUBLIC KEY BLOCK") : bytes.toString("utf8");
}
function sessionSigner(session, pub) {
  const encoding = pub.type === "rsa" ? "rsa" : pub.type === "ed25519" ? "ed25519" : "der";
  return async ({ digest, hash }) => {
    if (session.hashes && !session.hashes.includes(hash)) {
      throw new RemoteKeyError(
        `the key service signs with this key only over ${session.hashes.join(", ")}; use hash ${session.hashes[0]}`
      );
    }
    return { encoding, bytes: await session.sign(digest, hash) };
  };
}
function bindRemoteKey(session, binding) {
  const pub = servicePublicKey(session.publicKey);
  const created = "publicKey" in binding ? matchPublicKey(publicKeyPackets(binding.publicKey), pub) : binding.created;
  return createRemoteKey(pub, {
    created,
    signer: sessionSigner(session, pub),
    ...session.hashes?.[0] ? { hash: session.hashes[0] } : {}
  });
}
var CURVES = { "ecdsa-p256": "nistP256", "ecdsa-p384": "nistP384", ed25519: "ed25519" };
async function remoteSigningKey(session, publicKeyArmored) {
  const remote = bindRemoteKey(session, { publicKey: publicKeyArmored });
  let cert;
  try {
    const text = publicKeyArmored.trimStart().startsWith("-----") ? publicKeyArmored : openpgpArmor(publicKeyPackets(publicKeyArmored));
    cert = await readKey({ armoredKey: text });
    const signing = await cert.getSigningKey();
    if (signing.getFingerprint().toUpperCase() !== remote.fingerprint) throw new Error("its signing key is a subkey");
  } catch (e) {
    throw new RemoteKeyError(
      `public-key ${remote.fingerprint} has no valid self-certification for signing (${e.message}); export it again with \`jit-gpg key export\``
    );
  }
  const expires = await cert.getExpirationTime().catch(() => Infinity);
  let destroyed = false;
  return {
    fingerprint: remote.fingerprint,
    keyId: remote.keyId,
    primaryFingerprint: remote.fingerprint,
    isSubkey: false,
    userIds: cert.getUserIDs(),
    algorithm: remote.algorithm,
    algorithmLabel: `${remote.algorithmLabel} (remote)`,
    ...remote.bits ? { bits: remote.bits } : {},
    ...remote.type !== "rsa" ? { curve: CURVES[remote.type] } : {},
    preferredHash: remote.hash,
    created: remote.created,
    expires: expires instanceof Date ? expires : Infinity,
    publicKeyArmored: cert.armor(),
    fingerprintBytes: remote.fingerprintBytes,
    keyIdBytes: remote.keyIdBytes,
    signDigest(digest, hash) {
      if (destroyed) return Promise.reject(new RemoteKeyError("the remote signing session was already closed"));
      return remote.signDigest(Buffer.from(digest), hash);
    },
    destroy() {
      destroyed = true;
    },
    get destroyed() {
      return destroyed;
    }
  };
}
function openpgpArmor(binary) {
  return armor(enums.armor.publicKey, binary);
}

// src/cli/descriptor.ts
var import_node_fs4 = __toESM(require_node_fs(), 1);
var DescriptorError = class extends Error {
  name = "DescriptorError";
};
function kind(st) {
  if (st.isDirectory()) return "a directory";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device (a terminal or /dev/null)";
  if (st.isBlockDevice()) return "a block device";
  return "not a file or pipe (event machinery of the Node runtime itself)";
}
function accessMode(fd) {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec((0, import_node_fs4.readFileSync)(`/proc/self/fdinfo/${fd}`, "utf8"));
    return flags ? Number.parseInt(flags[1], 8) & 3 : void 0;
  } catch {
    return void 0;
  }
}
function holdsWriteEnd(fd) {
  let target;
  try {
    target = (0, import_node_fs4.readlinkSync)(`/proc/self/fd/${fd}`);
  } catch {
    return false;
  }
  if (!target.startsWith("pipe:")) return false;
  for (const name of (0, import_node_fs4.readdirSync)("/proc/self/fd")) {
    if (Number(name) === fd) continue;
    try {
      if ((0, import_node_fs4.readlinkSync)(`/proc/self/fd/${name}`) !== target) continue;
      const access = accessMode(name);
      if (access === import_node_fs4.constants.O_WRONLY || access === import_node_fs4.constants.O_RDWR) return true;
    } catch {
    }
  }
  return false;
}
function checkCallerDescriptor(fd, flag) {
  if (fd === 1 || fd === 2) {
    throw new DescriptorError(`${flag} ${fd} is the standard ${fd === 1 ? "output" : "error"}, not a secret to read`);
  }
  let st;
  try {
    st = (0, import_node_fs4.fstatSync)(fd);
  } catch {
    throw new DescriptorError(
      `${flag} ${fd}: no such open descriptor; open it in the calling shell (e.g. \`${fd}<pass.txt\`) or use --passphrase-env`
    );
  }
  if (!st.isFile() && !st.isFIFO()) {
    throw new DescriptorError(`${flag} ${fd} is ${kind(st)}: pass a file or a pipe the caller opened`);
  }
  if (accessMode(fd) === import_node_fs4.constants.O_WRONLY) {
    throw new DescriptorError(`${flag} ${fd} is open for writing only (not one the caller opened for reading)`);
  }
  if (st.isFIFO() && holdsWriteEnd(fd)) {
    throw new DescriptorError(
      `${flag} ${fd} is a pipe this process writes to itself (not one the caller opened); reading it would never end`
    );
  }
  return st;
}
var sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function readCallerDescriptor(fd, options) {
  const { flag, maxBytes } = options;
  if (!Number.isSafeInteger(fd) || fd < 0) throw new DescriptorError(`${flag} needs a descriptor number`);
  const st = checkCallerDescriptor(fd, flag);
  let own;
  if ((0, import_node_fs4.existsSync)(`/proc/self/fd/${fd}`)) {
    try {
      own = (0, import_node_fs4.openSync)(`/proc/self/fd/${fd}`, import_node_fs4.constants.O_RDONLY | import_node_fs4.constants.O_NONBLOCK | import_node_fs4.constants.O_NOCTTY);
    } catch (e) {
      throw new DescriptorError(`${flag} ${fd}: cannot read it (${e.code ?? "error"})`);
    }
  } else if (!st.isFile()) {
    throw new DescriptorError(`${flag} ${fd} is a pipe: on this system only a file works; use --passphrase-env`);
  }
  const source = own ?? fd;
  const chunks = [];
  let size = 0;
  let position = 0;
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (; ; ) {
      const buf = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1));
      let n;
      try {
        n = (0, import_node_fs4.readSync)(source, buf, 0, buf.length, st.isFile() ? position : null);
      } catch (e) {
        if (e.code !== "EAGAIN") {
          throw new DescriptorError(`${flag} ${fd}: read failed (${e.code ?? "error"})`);
        }
        if (Date.now() > deadline) {
          throw new DescriptorError(
            `${flag} ${fd}: the writer did not finish within ${Math.round(options.timeoutMs / 1e3)} s (close the pipe after writing the passphrase)`
          );
        }
        await sleep(20);
        continue;
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      size += n;
      position += n;
      if (size > maxBytes) throw new DescriptorError(`${flag} ${fd}: more than ${maxBytes} bytes`);
    }
    return Buffer.concat(chunks);
  } finally {
    if (own !== void 0) (0, import_node_fs4.closeSync)(own);
  }
}

// src/cli/release-checks.ts
import { dirname as dirname2, join as join5 } from "node:path";

// src/sign/merge.ts
var import_node_crypto4 = __toESM(require_node_crypto(), 1);
var import_promises5 = __toESM(require_promises(), 1);
var import_picomatch = __toESM(require_picomatch(), 1);
import { isAbsolute as isAbsolute3, join as join4, relative as relative2, resolve as resolve4, sep as sep2 } from "node:path";
var MAX_FRAGMENT_BYTES = 4 * 1024 * 1024;
var MergeError = class extends Error {
  name = "MergeError";
};
var q = (s) => `"${displayPath(s)}"`;
var toPosix2 = (p) => sep2 === "/" ? p : p.split(sep2).join("/");
function inside(dir, path) {
  const rel = relative2(dir, path);
  return rel === "" || !rel.startsWith(`..${sep2}`) && rel !== ".." && !isAbsolute3(rel);
}
async function findFragments(patterns, workspace) {
  const ws = await (0, import_promises5.realpath)(resolve4(workspace));
  for (const p of patterns) {
    const bare = p.startsWith("!") ? p.slice(1) : p;
    if (isAbsolute3(bare) || bare.split(/[\\/]/).includes("..")) {
      throw new MergeError(`checksums-merge pattern ${q(p)} must be relative and inside the workspace`);
    }
  }
  const found = /* @__PURE__ */ new Map();
  for (const rel of await matchPaths(patterns, ws)) {
    const abs = resolve4(ws, rel);
    const real = await (0, import_promises5.realpath)(abs).catch(() => void 0);
    if (real === void 0) continue;
    if (!inside(ws, real)) {
      throw new MergeError(`fragment ${q(rel)} is a link to a file outside the workspace`);
    }
    if ((await (0, import_promises5.lstat)(real)).isFile()) found.set(abs, { path: abs, display: displayPath(rel) });
  }
  if (found.size === 0) {
    throw new MergeError(
      `checksums-merge: no fragment matched ${patterns.map((p) => q(p)).join(", ")} in the workspace; download the matrix jobs\u2019 fragments (e.g. actions/download-artifact with merge-multiple) before this step`
    );
  }
  return [...found.values()].sort((a, b) => a.display < b.display ? -1 : a.display > b.display ? 1 : 0);
}
async function matchPaths(patterns, ws) {
  const include = patterns.filter((p) => !p.startsWith("!"));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  if (!include.length) return [];
  const included = (0, import_picomatch.default)(include);
  const excluded = exclude.length ? (0, import_picomatch.default)(exclude) : () => false;
  const out = /* @__PURE__ */ new Set();
  for (const base of new Set(include.map((p) => import_picomatch.default.scan(p).base))) {
    const dir = resolve4(ws, base);
    const entries = await (0, import_promises5.readdir)(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) continue;
      const rel = toPosix2(relative2(ws, join4(e.parentPath, e.name)));
      if (included(rel) && !excluded(rel)) out.add(rel);
    }
  }
  return [...out];
}
async function readFragment(fragment, limit = MAX_FRAGMENT_BYTES) {
  let buf;
  try {
    buf = readRegularFile(fragment.path, { maxBytes: limit, what: "fragment" });
  } catch (e) {
    throw new MergeError(e.message);
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    throw new MergeError(`fragment ${fragment.display} is not UTF-8 text`);
  }
  try {
    return parseManifestLines(text);
  } catch (e) {
    throw new MergeError(`fragment ${fragment.display}: ${printable(e.message)}`);
  }
}
function adder(byName) {
  return (e, where) => {
    const prev = byName.get(e.name);
    if (!prev) {
      byName.set(e.name, e);
      return;
    }
    if (prev.sha256 === e.sha256) return;
    throw new MergeError(
      `conflicting digests for ${q(e.name)}: ${printable(prev.source)} says ${prev.sha256}, ${printable(where)} says ${e.sha256}; two matrix jobs built different files under one name (rename one per OS/arch), or a fragment is stale. Nothing was signed`
    );
  };
}
function withLocalEntries(merged, local) {
  const byName = new Map(merged.entries.map((e) => [e.name, e]));
  const add = adder(byName);
  for (const e of local) add(e, e.source);
  const entries = [...byName.values()];
  return { ...merged, entries, text: formatNamed(entries) };
}
async function mergeFragments(options) {
  const byName = /* @__PURE__ */ new Map();
  const add = adder(byName);
  for (const e of options.local ?? []) add(e, e.source);
  for (const f of options.fragments) {
    for (const l of await readFragment(f, options.maxFragmentBytes)) {
      add({ name: l.name, sha256: l.sha256, source: f.display }, `${f.display} (line ${l.line})`);
    }
  }
  if (byName.size === 0) throw new MergeError("checksums-merge: the fragments list no files");
  const dir = await (0, import_promises5.realpath)(resolve4(options.manifestDir)).catch(() => resolve4(options.manifestDir));
  const verified = [];
  const absent = [];
  for (const e of byName.values()) {
    const path = join4(dir, ...e.name.split("/"));
    const st = await (0, import_promises5.lstat)(path).catch((err) => {
      if (err.code === "ENOENT" || err.code === "ENOTDIR") return void 0;
      throw new MergeError(`cannot check ${q(e.name)} (listed by ${e.source}): ${err.code}`);
    });
    if (!st) {
      absent.push(e.name);
      continue;
    }
    const real = await (0, import_promises5.realpath)(path);
    if (!st.isFile() || !inside(dir, real)) {
      throw new MergeError(
        `${q(e.name)} (listed by ${e.source}) is ${st.isSymbolicLink() ? "a symbolic link" : "not a regular file"} beside the manifest; refusing to vouch for it`
      );
    }
    const h = (0, import_node_crypto4.createHash)("sha256");
    await hashFileInto(path, [h]);
    const actual = h.digest("hex");
    if (actual !== e.sha256) {
      throw new MergeError(
        `${q(e.name)} does not match its digest: ${e.source} says ${e.sha256}, the file has ${actual}. Nothing was signed`
      );
    }
    verified.push(e.name);
  }
  const entries = [...byName.values()];
  return {
    text: formatNamed(entries),
    entries,
    fragments: [...options.fragments],
    verified: verified.sort(),
    absent: absent.sort()
  };
}
function manifestEntriesWith(merged, signed, manifestDir, localSource = "the files signed in this step") {
  const local = signed.map((s) => ({
    name: nameRelativeTo(s.path, manifestDir),
    sha256: s.sha256,
    source: localSource
  }));
  const all = withLocalEntries(merged, local);
  return {
    merged: all,
    entries: all.entries.map((e) => ({ path: join4(manifestDir, ...e.name.split("/")), sha256: e.sha256 }))
  };
}

// src/cli/release-checks.ts
var ReleaseCheckError = class extends Error {
  name = "ReleaseCheckError";
};
function cliReleaseHooks(options) {
  const manifestDir = options.manifestPath ? dirname2(options.manifestPath) : options.cwd;
  let merged;
  const merging = options.mergePatterns.length > 0;
  return {
    async beforeToken(files) {
      if (merging) {
        try {
          merged = await mergeFragments({
            fragments: await findFragments(options.mergePatterns, options.cwd),
            manifestDir
          });
        } catch (e) {
          throw e instanceof MergeError ? new ReleaseCheckError(e.message) : e;
        }
        options.log(
          `merged ${merged.fragments.length} fragment(s): ${merged.entries.length} listed, ${merged.verified.length} present and matching, ${merged.absent.length} absent`
        );
      }
      const present = merged ? merged.verified.map((n) => join5(manifestDir, ...n.split("/"))) : [];
      if (!options.scan || files.length + present.length === 0) return;
      const { describeArtifactFindings, scanArtifacts } = await import("./artifacts-B6AYOGHK.js");
      const scan = await scanArtifacts({
        files: [...files, ...present],
        root: options.cwd,
        env: options.env,
        onWarning: (m) => options.log(`warning: ${printable(m)}`)
      });
      for (const f of scan.findings) {
        options.log(
          `${displayPath(f.file)}:${f.line}:${f.column}: ${printable(f.title)}: ${f.preview}${f.validated ? " (validated)" : ""} [${f.ruleId}]`
        );
      }
      if (scan.findings.length) throw new ReleaseCheckError(describeArtifactFindings(scan, "--no-scan"));
      if (scan.incomplete) {
        throw new ReleaseCheckError(
          `the scan before signing is incomplete: ${scan.incomplete} item(s) could not be read or scanned (corrupt, encrypted or bomb-like archive content, or unreadable files: see the warnings); no key was read. Rebuild the artifact, or pass --no-scan`
        );
      }
      options.log(
        `scanned ${files.length + present.length} file(s) for secrets: none (rule set ${scan.ruleSet.version})`
      );
    },
    ...merging ? {
      async mergeChecksums(entries, manifestPath) {
        try {
          const r = manifestEntriesWith(merged, entries, dirname2(manifestPath));
          merged = r.merged;
          return r.entries;
        } catch (e) {
          throw e instanceof MergeError ? new ReleaseCheckError(e.message) : e;
        }
      }
    } : {}
  };
}

// src/cli/sign.ts
var SIGN_USAGE = `Usage: jit-gpg sign [options] FILES...

Writes a detached signature next to each file (FILE.asc, or FILE.sig with --no-armor), verifies them, and
prints the key's fingerprint. The key is used in memory and never written anywhere.

Key source (one of):
  --key-file FILE|-          armored (or base64 of armored) private key; - reads stdin
  --provider P               a key service, with a JWT (GitHub OIDC when available, else --jwt-file/--jwt-env):
    vault (default with --vault-url): --vault-url URL --vault-role ROLE --vault-secret PATH [--vault-auth-mount jwt]
        [--vault-namespace NS] [--vault-key-field private_key] [--vault-passphrase-field passphrase]
        [--vault-ca-cert FILE]
    vault-transit: --vault-url URL --vault-role ROLE --key NAME --public-key FILE [--vault-transit-mount transit]
    aws-kms: --key ID|ARN|alias/NAME --public-key FILE --aws-role-arn ARN --aws-region REGION
    aws-secrets-manager: --secret NAME|ARN --aws-role-arn ARN --aws-region REGION
    gcp-kms: --key projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V --public-key FILE
        --gcp-workload-identity-provider projects/N/locations/global/workloadIdentityPools/P/providers/X
        [--gcp-service-account SA@PROJECT.iam.gserviceaccount.com]
    gcp-secret-manager: --secret projects/P/secrets/S[/versions/V] --gcp-workload-identity-provider RESOURCE
        [--gcp-service-account SA]
    azure-key-vault: --key https://V.vault.azure.net/keys/K[/VERSION] --public-key FILE --azure-client-id ID
        --azure-tenant-id TENANT
    azure-key-vault-secret: --secret https://V.vault.azure.net/secrets/S[/VERSION] --azure-client-id ID
        --azure-tenant-id TENANT
    [--audience AUD] [--jwt-file FILE | --jwt-env NAME]
    [--allow-insecure-http]   allow plain http:// to a key service that is not on this machine (labs only)
  Remote signers (vault-transit, aws-kms, gcp-kms, azure-key-vault) keep the key in the service; --public-key is the output of
  \`jit-gpg key export\` and fixes the fingerprint. AWS endpoints follow AWS_ENDPOINT_URL(_KMS|_STS|\u2026), Google ones
  CLOUDSDK_API_ENDPOINT_OVERRIDES_(STS|IAMCREDENTIALS|CLOUDKMS|SECRETMANAGER); the Entra authority follows
  AZURE_AUTHORITY_HOST.

Options:
  --passphrase-fd N          read the passphrase from file descriptor N (e.g. 3<pass.txt)
  --passphrase-env NAME      read the passphrase from environment variable NAME
  --fingerprint FPR          refuse any key or subkey but this one
  --no-armor                 binary .sig signatures instead of armored .asc
  --hash sha256|sha384|sha512   signature hash (default sha256; P-384 keys default to sha384)
  --checksums NAME           write a sha256sum manifest NAME in the deepest directory holding every file, and sign it
  --checksums-merge GLOB     merge sha256sum fragments (from \`jit-gpg digest\` in matrix jobs) into --checksums and
                             sign it once (repeatable; FILES may then be empty); conflicting digests fail (exit 1)
  --no-scan                  do not scan the files for secrets first (by default a finding fails, exit 1, before
                             any key is read)
  --notation NAME@DOMAIN=VALUE   add a notation (repeatable); GitHub Actions provenance is added automatically
  --public-key-out FILE      write the armored public key here
  -h, --help
`;
async function readBounded(stream, limit, what) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new UsageError(`sign: ${what} is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
async function readPassphrase(fd, envName, keyOnStdin, io) {
  if (fd !== void 0 && envName !== void 0) {
    throw new UsageError("sign: use either --passphrase-fd or --passphrase-env, not both");
  }
  if (fd !== void 0) {
    const n = /^\d{1,9}$/.test(fd) ? Number(fd) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new UsageError("sign: --passphrase-fd needs a descriptor number, e.g. 3");
    let buf;
    if (n === 0) {
      if (keyOnStdin)
        throw new UsageError("sign: the key is read from stdin; pass the passphrase on another descriptor");
      buf = await readBounded(io.stdin, MAX_PASSPHRASE_BYTES, "the passphrase");
    } else {
      try {
        buf = await readCallerDescriptor(n, {
          flag: "--passphrase-fd",
          maxBytes: MAX_PASSPHRASE_BYTES,
          timeoutMs: PASSPHRASE_TIMEOUT_MS
        });
      } catch (e) {
        if (e instanceof DescriptorError) throw new UsageError(`sign: ${e.message}`);
        throw e;
      }
    }
    return buf.toString("utf8").replace(/\r?\n$/, "");
  }
  if (envName !== void 0) {
    const value = io.env[envName];
    if (value === void 0) throw new UsageError(`sign: --passphrase-env ${envName}: the variable is not set`);
    return value;
  }
  return void 0;
}
var MAX_PASSPHRASE_BYTES = 64 * 1024;
var MAX_JWT_BYTES = 64 * 1024;
function readCliFile(path, flag, maxBytes) {
  try {
    return readRegularFile(path, { what: `sign: ${flag}`, maxBytes });
  } catch (e) {
    if (e instanceof FileReadError) throw new UsageError(e.message);
    throw e;
  }
}
var PASSPHRASE_TIMEOUT_MS = 3e4;
function parseNotations(values) {
  const out = {};
  for (const v of values ?? []) {
    const eq = v.indexOf("=");
    const name = eq > 0 ? v.slice(0, eq) : "";
    if (!/^[^@=\s]+@[^@=\s]+$/.test(name)) {
      throw new UsageError(`sign: --notation wants NAME@DOMAIN=VALUE (got "${v}")`);
    }
    out[name] = v.slice(eq + 1);
  }
  return out;
}
async function signCommand(argv, io) {
  const { values: f, positionals } = parseFlags("sign", argv, {
    "key-file": { type: "string" },
    "passphrase-fd": { type: "string" },
    "passphrase-env": { type: "string" },
    fingerprint: { type: "string" },
    "no-armor": { type: "boolean" },
    hash: { type: "string" },
    checksums: { type: "string" },
    "checksums-merge": { type: "string", multiple: true },
    "no-scan": { type: "boolean" },
    notation: { type: "string", multiple: true },
    "public-key-out": { type: "string" },
    "vault-url": { type: "string" },
    "vault-role": { type: "string" },
    "vault-secret": { type: "string" },
    "vault-auth-mount": { type: "string" },
    "vault-namespace": { type: "string" },
    "vault-key-field": { type: "string" },
    "vault-passphrase-field": { type: "string" },
    "vault-ca-cert": { type: "string" },
    ...PROVIDER_FLAGS,
    "allow-insecure-http": { type: "boolean" },
    audience: { type: "string" },
    "jwt-file": { type: "string" },
    "jwt-env": { type: "string" },
    help: { type: "boolean", short: "h" }
  });
  if (f.help) {
    io.stdout.write(SIGN_USAGE);
    return EXIT.ok;
  }
  const mergePatterns = f["checksums-merge"] ?? [];
  if (mergePatterns.length && !f.checksums) {
    throw new UsageError("sign: --checksums-merge needs --checksums NAME, the manifest to merge into");
  }
  if (positionals.length === 0 && mergePatterns.length === 0) {
    throw new UsageError("sign: name at least one file to sign");
  }
  const providerName = f.provider ?? (f["vault-url"] ? "vault" : void 0);
  if (Boolean(f["key-file"]) === Boolean(providerName)) {
    throw new UsageError("sign: give exactly one key source: --key-file FILE|- or --provider P (or --vault-url URL)");
  }
  const log = (m) => {
    for (const line of m.split(/\r?\n/)) io.stderr.write(`${printable(line)}
`);
  };
  const built = providerName ? buildProvider("sign", providerName, f, io, log) : void 0;
  if (f.hash !== void 0 && !isHashName(f.hash)) {
    throw new UsageError(`sign: --hash must be sha256, sha384 or sha512 (got "${f.hash}")`);
  }
  const files = positionals.map((p) => resolve5(io.cwd, p));
  for (const file of files) {
    const s = await (0, import_promises6.stat)(file).catch(() => void 0);
    if (!s?.isFile()) throw new UsageError(`sign: ${file} is not a readable file`);
  }
  const notations = { ...ciNotations(io.env), ...parseNotations(f.notation) };
  const passphrase = await readPassphrase(f["passphrase-fd"], f["passphrase-env"], f["key-file"] === "-", io);
  let key;
  let remotePublicKey;
  if (f["key-file"]) {
    const armoredKey = f["key-file"] === "-" ? await readBounded(io.stdin, MAX_KEY_BYTES, "the key on stdin") : readCliFile(resolve5(io.cwd, f["key-file"]), "--key-file", MAX_KEY_BYTES);
    key = { kind: "armored", armoredKey, source: f["key-file"] === "-" ? "stdin" : "key file" };
  } else {
    if (!built) throw new UsageError("sign: no key source");
    const provider = built.provider;
    if (built.publicKey) remotePublicKey = built.publicKey;
    const audience = f.audience ?? defaultAudience(built.name, built.audienceInputs);
    key = { kind: "provider", provider, idToken: () => cliJwt(f["jwt-file"], f["jwt-env"], audience, io) };
  }
  const checksumsPath = f.checksums ? join6(commonDir(files, io.cwd), basename3(f.checksums)) : void 0;
  const release = cliReleaseHooks({
    cwd: io.cwd,
    scan: !f["no-scan"],
    mergePatterns,
    ...checksumsPath ? { manifestPath: checksumsPath } : {},
    env: io.env,
    log
  });
  const result = await runSignJob(
    {
      workspace: io.cwd,
      files,
      key,
      ...passphrase !== void 0 ? { passphrase } : {},
      ...f.fingerprint ? { fingerprint: f.fingerprint } : {},
      ...remotePublicKey ? { publicKey: remotePublicKey } : {},
      armor: !f["no-armor"],
      ...f.hash ? { hash: f.hash } : {},
      notations,
      ...checksumsPath ? { checksumsPath } : {},
      ...f["public-key-out"] ? { publicKeyPath: resolve5(io.cwd, f["public-key-out"]) } : {},
      ttl: 300
    },
    // progress goes to stderr only for key services (as before); the files' lines are printed below
    {
      log: key.kind === "provider" ? log : () => {
      },
      remoteKey: (session, armored) => remoteSigningKey(session, armored),
      beforeToken: release.beforeToken,
      ...release.mergeChecksums ? { mergeChecksums: release.mergeChecksums } : {}
    }
  );
  if (result.error !== void 0) {
    if (result.error instanceof ReleaseCheckError) {
      io.stderr.write(`jit-gpg: sign: ${printable(result.error.message)}
`);
      return EXIT.findings;
    }
    if (result.error instanceof SignJobError && result.error.code === "verify-failed") {
      for (const r of result.verification.filter((v) => !v.valid)) {
        io.stderr.write(
          `jit-gpg: sign: ${displayPath(r.file)}: self-verification failed: ${printable(r.error ?? "")}
`
        );
      }
      return EXIT.findings;
    }
    throw result.error;
  }
  const signed = [...result.signed, ...result.manifest ? [result.manifest] : []];
  for (const s of signed) {
    io.stdout.write(`signed ${displayPath(s.path)} -> ${displayPath(s.signature)}  sha256:${s.sha256}
`);
  }
  const k = result.key;
  io.stdout.write(`key ${k.fingerprint} (${k.algorithmLabel}) ${printable(k.userIds[0] ?? "")}
`);
  return EXIT.ok;
}
async function cliJwt(file, envName, audience, io, command = "sign") {
  const fromText = (text) => {
    const token = text.trim();
    let claims = {};
    try {
      claims = publicClaims(decodeJwtPayload(token));
    } catch {
    }
    return { token, claims };
  };
  if (file) return fromText(readCliFile(resolve5(io.cwd, file), "--jwt-file", MAX_JWT_BYTES).toString("utf8"));
  if (envName) {
    const v = io.env[envName];
    if (!v) throw new UsageError(`${command}: --jwt-env ${envName}: the variable is not set`);
    return fromText(v);
  }
  if (!oidcAvailable(io.env)) {
    throw new UsageError(
      `${command}: the key service needs a JWT: pass --jwt-file/--jwt-env, or run in GitHub Actions with \`permissions: id-token: write\``
    );
  }
  return requestIdToken({
    env: io.env,
    http: createHttpClient({ env: io.env }),
    ...audience ? { audience } : {}
  });
}
var PROVIDER_FLAGS = {
  provider: { type: "string" },
  key: { type: "string" },
  "public-key": { type: "string" },
  secret: { type: "string" },
  "vault-transit-mount": { type: "string" },
  "aws-role-arn": { type: "string" },
  "aws-region": { type: "string" },
  "gcp-workload-identity-provider": { type: "string" },
  "gcp-service-account": { type: "string" },
  "azure-client-id": { type: "string" },
  "azure-tenant-id": { type: "string" }
};
var SERVICE_FLAGS = [
  "vault-url",
  "vault-role",
  "vault-secret",
  "vault-auth-mount",
  "vault-namespace",
  "vault-key-field",
  "vault-passphrase-field",
  "vault-ca-cert",
  "vault-transit-mount",
  "key",
  "public-key",
  "secret",
  "aws-role-arn",
  "aws-region",
  "gcp-workload-identity-provider",
  "gcp-service-account",
  "azure-client-id",
  "azure-tenant-id"
];
function buildProvider(command, name, f, io, log, options = { publicKey: true }) {
  const values = {};
  for (const flag of SERVICE_FLAGS) {
    const v = f[flag];
    if (typeof v === "string" && v.trim() !== "") values[flag] = v;
  }
  if (options.publicKey === false && values["public-key"]) {
    throw new UsageError(`${command}: --public-key is not used here (key export makes it)`);
  }
  try {
    const provider = createProvider(name, values, {
      baseDir: io.cwd,
      env: io.env,
      allowInsecureHttp: Boolean(f["allow-insecure-http"]),
      http: createHttpClient({ env: io.env }),
      log
    });
    if (provider.kind === "remote-signer" && options.publicKey !== false && !values["public-key"]) {
      throw new ProviderInputError(
        "public-key",
        `is required with provider ${name} (the output of \`jit-gpg key export\`)`
      );
    }
    const publicKey = values["public-key"] ? readPublicKeyInput(values["public-key"], io.cwd) : void 0;
    return {
      provider,
      publicKey,
      name: provider.name,
      audienceInputs: values
    };
  } catch (e) {
    if (e instanceof ProviderInputError) {
      throw new UsageError(`${command}: ${e.input === "provider" ? "--provider" : `--${e.input}`} ${e.message}`);
    }
    throw e;
  }
}

export {
  exportPublicKey,
  defaultAudience,
  bindRemoteKey,
  SIGN_USAGE,
  signCommand,
  cliJwt,
  PROVIDER_FLAGS,
  buildProvider
};
