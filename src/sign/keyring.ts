// The `run:` path: an ephemeral GnuPG home (0700, under RUNNER_TEMP) with its own gpg-agent, the key imported
// over stdin and its passphrase preset over a pipe (never argv, never a file), one command run with GNUPGHOME
// and git's signing key given through GIT_CONFIG_* variables scoped to that command, the command killed when
// `ttl` runs out, then the agent killed and the directory removed. No @actions imports.
//
// The home is created before the key touches it, and `info` (directory, socket directory) is handed to the
// caller first (`onPrepared`) so an action can save it as state: if the process dies after the import, the post
// step calls cleanupKeyring(dir) with what was saved.

import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { childEnv } from './child-env.ts';

/** Every ephemeral home is named like this; cleanupKeyring refuses to remove anything else. */
export const KEYRING_PREFIX = 'jit-gpg-keyring-';

/** Bounds of the `ttl` input, in seconds. */
export const MIN_TTL_SECONDS = 5;
export const MAX_TTL_SECONDS = 3600;

/** Grace between SIGTERM and SIGKILL when the command outlives the ttl. */
export const KILL_GRACE_MS = 2000;

export class KeyringError extends Error {
  override name = 'KeyringError';
  code: 'gpg-missing' | 'import-failed' | 'preset-failed' | 'no-signing-key' | 'command-failed' | 'timeout' | 'setup';
  constructor(code: KeyringError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

// ---- pure helpers (tested on captured output) ----

/** gpg-agent.conf for an ephemeral home: the cache lives `ttl` seconds at most; presets and loopback allowed. */
export function agentConfig(ttlSeconds: number): string {
  const ttl = Math.max(1, Math.floor(ttlSeconds));
  return [
    '# written by jit-gpg for one step; removed when the step ends',
    `default-cache-ttl ${ttl}`,
    `max-cache-ttl ${ttl}`,
    'allow-preset-passphrase',
    'allow-loopback-pinentry',
    'no-allow-external-cache',
    '',
  ].join('\n');
}

/**
 * gpg.conf for an ephemeral home: never prompt (a missing passphrase fails at once instead of waiting for a
 * pinentry on a runner without a terminal), no network, no trust questions for the one key we imported.
 */
export function gpgConfig(): string {
  return [
    '# written by jit-gpg for one step; removed when the step ends',
    'batch',
    'no-tty',
    'pinentry-mode loopback',
    'no-greeting',
    'trust-model always',
    'no-auto-key-retrieve',
    'no-auto-key-locate',
    '',
  ].join('\n');
}

export interface ColonKey {
  /** sec | ssb */
  type: 'sec' | 'ssb';
  keyId: string;
  fingerprint: string;
  keygrip: string;
  /** Capability letters of this (sub)key (lower case: s, c, e, a). */
  capabilities: string;
  /** Whether the secret part is present ('+'), not a stub ('#') or on a card. */
  hasSecret: boolean;
  /** Validity field: r revoked, e expired, … */
  validity: string;
  userIds: string[];
}

/** Parses `gpg --with-colons --with-keygrip --list-secret-keys` into keys and subkeys. */
export function parseColonKeys(text: string): ColonKey[] {
  const out: ColonKey[] = [];
  let current: ColonKey | undefined;
  let primary: ColonKey | undefined;
  for (const line of text.split(/\r?\n/)) {
    const f = line.split(':');
    const rec = f[0];
    if (rec === 'sec' || rec === 'ssb' || rec === 'pub' || rec === 'sub') {
      const type = rec === 'sec' || rec === 'pub' ? 'sec' : 'ssb';
      const caps = (f[11] ?? '').replace(/[A-Z]/g, '');
      const serial = f[14] ?? '';
      current = {
        type,
        keyId: (f[4] ?? '').toUpperCase(),
        fingerprint: '',
        keygrip: '',
        capabilities: caps,
        hasSecret: (rec === 'sec' || rec === 'ssb') && serial !== '#' && serial !== '',
        validity: f[1] ?? '',
        userIds: [],
      };
      if (type === 'sec') primary = current;
      out.push(current);
    } else if (rec === 'fpr' && current && !current.fingerprint) {
      current.fingerprint = (f[9] ?? '').toUpperCase();
    } else if (rec === 'grp' && current && !current.keygrip) {
      current.keygrip = (f[9] ?? '').toUpperCase();
    } else if (rec === 'uid' && primary) {
      const uid = unescapeColon(f[9] ?? '');
      if (uid) primary.userIds.push(uid);
    }
  }
  return out;
}

function unescapeColon(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/**
 * The (sub)key git should sign with: the one matching `fingerprint` (40 hex or 16-hex key id) if given, else the
 * first signing-capable key whose secret is present and that is neither revoked nor expired.
 */
export function selectSigningKey(keys: readonly ColonKey[], fingerprint?: string): ColonKey | undefined {
  const want = fingerprint
    ?.replace(/^0x/i, '')
    .replace(/[\s:!]/g, '')
    .toUpperCase();
  if (want) return keys.find((k) => k.fingerprint === want || k.keyId === want);
  return keys.find((k) => k.hasSecret && k.capabilities.includes('s') && !['r', 'e', 'i', 'd'].includes(k.validity));
}

/**
 * Environment variables that tell git (≥ 2.31) which key to sign with, for one command only: appended after any
 * GIT_CONFIG_COUNT entries already in `base`, so the user's own env-scoped settings survive. Never touches a
 * config file. `user.signingkey` ends with `!` so gpg uses exactly that (sub)key.
 */
export function gitSigningEnv(
  fingerprint: string,
  base: Readonly<Record<string, string | undefined>> = {},
  gpgProgram = 'gpg',
): Record<string, string> {
  const existing = Number.parseInt(base.GIT_CONFIG_COUNT ?? '0', 10);
  let n = Number.isFinite(existing) && existing > 0 ? existing : 0;
  const out: Record<string, string> = {};
  const pairs: [string, string][] = [
    ['user.signingkey', `${fingerprint.toUpperCase()}!`],
    ['gpg.format', 'openpgp'],
    ['gpg.program', gpgProgram],
    ['gpg.openpgp.program', gpgProgram],
  ];
  for (const [k, v] of pairs) {
    out[`GIT_CONFIG_KEY_${n}`] = k;
    out[`GIT_CONFIG_VALUE_${n}`] = v;
    n++;
  }
  out.GIT_CONFIG_COUNT = String(n);
  return out;
}

/** Validates the ttl input (seconds): an integer within MIN_TTL_SECONDS..MAX_TTL_SECONDS. */
export function parseTtl(value: string | number | undefined, fallback = 300): number {
  const raw = value === undefined || value === '' ? String(fallback) : String(value).trim();
  if (!/^\d+$/.test(raw)) {
    throw new KeyringError('setup', `ttl "${raw}" is not a whole number of seconds: use e.g. ttl: 300`);
  }
  const n = Number(raw);
  if (n < MIN_TTL_SECONDS || n > MAX_TTL_SECONDS) {
    throw new KeyringError(
      'setup',
      `ttl ${n} is out of range: the key may live between ${MIN_TTL_SECONDS} and ${MAX_TTL_SECONDS} seconds`,
    );
  }
  return n;
}

// ---- process helpers ----

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runTool(
  file: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {}); // the tool may exit before reading everything
    child.stdin.end(options.input ?? '');
  });
}

/** The environment every gpg tool runs with: this home, C locale, no inherited agent. */
function toolEnv(home: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GNUPGHOME: home, LC_ALL: 'C', LANGUAGE: 'C' };
  delete env.GPG_AGENT_INFO;
  return env;
}

let libexecCache: string | undefined;

/** Directory of gpg's helper programs (gpg-preset-passphrase lives there, not on PATH). */
export async function gpgLibexecDir(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (libexecCache) return libexecCache;
  let r: RunResult;
  try {
    r = await runTool('gpgconf', ['--list-dirs', 'libexecdir'], { env });
  } catch {
    throw new KeyringError(
      'gpg-missing',
      'gpgconf was not found on PATH: the `run` input needs GnuPG 2.1 or later (preinstalled on GitHub-hosted runners)',
    );
  }
  const dir = r.stdout.trim();
  if (r.code !== 0 || !dir) throw new KeyringError('gpg-missing', 'gpgconf --list-dirs libexecdir failed');
  libexecCache = decodeURIComponent(dir.replace(/%3a/gi, ':'));
  return libexecCache;
}

/** `gpgconf --list-dirs socketdir` for a home (where the agent's sockets live; may be under /run/user). */
export async function agentSocketDir(home: string): Promise<string | undefined> {
  try {
    const r = await runTool('gpgconf', ['--homedir', home, '--list-dirs', 'socketdir'], { env: toolEnv(home) });
    const dir = r.stdout.trim();
    return r.code === 0 && dir ? decodeURIComponent(dir.replace(/%3a/gi, ':')) : undefined;
  } catch {
    return undefined;
  }
}

/** The running agent's pid for a home, if one answers. Does not start an agent. */
export async function agentPid(home: string): Promise<number | undefined> {
  try {
    const r = await runTool('gpg-connect-agent', ['--homedir', home, '--no-autostart', 'getinfo pid', '/bye'], {
      env: toolEnv(home),
      timeoutMs: 10_000,
    });
    const m = /^D (\d+)/m.exec(r.stdout);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process runs (a zombie waiting for its reaper counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Processes whose environment has GNUPGHOME=home (Linux /proc; [] elsewhere or when unreadable). The run command
 * and everything it started inherit it, so this finds them even after they left the process group.
 */
export function processesUsingHome(home: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = `\0GNUPGHOME=${home}\0`;
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = `\0${readFileSync(`/proc/${name}/environ`, 'latin1')}`;
      if (env.includes(needle) && processAlive(Number(name))) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Whether pid is a gpg-agent serving `home` (Linux: /proc/PID/cmdline; elsewhere: any live pid counts). */
export function isAgentFor(pid: number, home: string): boolean {
  if (!processAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmd.some((a) => basename(a) === 'gpg-agent') && cmd.some((a) => a === home || a.includes(home));
  } catch {
    return false;
  }
}

// ---- the keyring ----

export interface KeyringInfo {
  /** The ephemeral GNUPGHOME. */
  dir: string;
  /** Where its agent's sockets live (the home itself, or /run/user/UID/gnupg/d.…). */
  socketDir?: string;
  /** The agent's pid once it runs. */
  agentPid?: number;
  /** The `run` command's pid (and process group) while it runs. */
  commandPid?: number;
}

export interface KeyringOptions {
  /** Parent directory (RUNNER_TEMP). */
  tempRoot: string;
  /** Armored secret key; imported over stdin. */
  armoredKey: string;
  /** Preset in the agent over a pipe. */
  passphrase?: string;
  /** Agent cache TTL and the command's time limit (from the moment the keyring is created). */
  ttlSeconds: number;
  /** Fingerprint (or key id) of the (sub)key git must sign with; default: the first usable signing key. */
  fingerprint?: string;
  /** Called with the home's paths BEFORE the key is written anywhere (save them as state). */
  onPrepared?: (info: KeyringInfo) => void | Promise<void>;
  /** Called with the keyring as soon as it exists (a cancel handler can then share its one teardown). */
  onCreated?: (keyring: EphemeralKeyring) => void;
  /** Called after the import, with the agent pid filled in. */
  onImported?: (info: KeyringInfo) => void | Promise<void>;
  /** Base environment of the command (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Non-secret progress lines. */
  log?: (message: string) => void;
}

export interface RunCommandOptions {
  cwd?: string;
  /** Default: inherit (the command's output is the step's output). */
  stdio?: SpawnOptions['stdio'];
  /** Extra environment for the command. */
  env?: Record<string, string>;
  /** Called with the command's pid (= its process group) as soon as it started (save it as state). */
  onStart?: (info: KeyringInfo) => void;
}

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  stdout?: string;
  stderr?: string;
}

export interface CleanupResult {
  dir: string;
  /** The directory existed and was removed. */
  removed: boolean;
  /** An agent was running for it and was stopped. */
  agentKilled: boolean;
  /** Processes of the `run` command that were still running and were killed. */
  processesKilled: number;
  /** What was done, in words, for the log. */
  actions: string[];
}

/**
 * Stops the agent of `dir` and removes the directory. Idempotent: a missing directory or a dead agent is fine.
 * Refuses (throws) for a directory that is not named like one of ours, so a corrupted state value cannot make
 * it delete anything else.
 */
export async function cleanupKeyring(
  dir: string,
  hints: { socketDir?: string; agentPid?: number; commandPid?: number } = {},
): Promise<CleanupResult> {
  const result: CleanupResult = { dir, removed: false, agentKilled: false, processesKilled: 0, actions: [] };
  if (!dir) return result;
  if (!basename(dir).startsWith(KEYRING_PREFIX)) {
    throw new KeyringError('setup', `refusing to remove ${dir}: it is not a jit-gpg keyring directory`);
  }
  const exists = existsSync(dir);
  const pidBefore = hints.agentPid ?? (exists ? await agentPid(dir) : undefined);
  const wasAgent = pidBefore !== undefined && isAgentFor(pidBefore, dir);
  // the `run` command (and anything it started) if it outlived main: every process with this GNUPGHOME
  const stray = new Set(processesUsingHome(dir).filter((p) => p !== pidBefore && p !== process.pid));
  if (hints.commandPid !== undefined && process.platform !== 'linux' && processAlive(hints.commandPid)) {
    stray.add(hints.commandPid);
  }
  if (hints.commandPid !== undefined && process.platform !== 'win32') {
    const group = hints.commandPid;
    if (processAlive(group) && stray.has(group)) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // no such group
      }
    }
  }
  for (const pid of stray) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (stray.size) {
    for (let i = 0; i < 40 && [...stray].some(processAlive); i++) await new Promise((r) => setTimeout(r, 50));
    result.processesKilled = [...stray].filter((p) => !processAlive(p)).length;
    result.actions.push(
      `killed ${stray.size} process(es) still running with this GNUPGHOME (pid ${[...stray].join(', ')})`,
    );
  }
  if (exists) {
    try {
      await runTool('gpgconf', ['--homedir', dir, '--kill', 'all'], { env: toolEnv(dir), timeoutMs: 15_000 });
    } catch {
      // gpgconf missing: fall back to the pid below
    }
  }
  if (pidBefore !== undefined && wasAgent) {
    const gone = async (ms: number) => {
      const until = Date.now() + ms;
      while (processAlive(pidBefore) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      return !processAlive(pidBefore);
    };
    // wait for the agent to go; if it will not (or gpgconf could not reach it), kill it
    if (!(await gone(3000)) && isAgentFor(pidBefore, dir)) {
      try {
        process.kill(pidBefore, 'SIGKILL');
      } catch {
        // already gone
      }
      await gone(2000);
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
      await runTool('gpgconf', ['--homedir', dir, '--remove-socketdir'], { env: toolEnv(dir), timeoutMs: 10_000 });
    } catch {
      // nothing to remove
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    result.removed = !existsSync(dir);
    result.actions.push(result.removed ? `removed ${dir}` : `could not remove ${dir}`);
  }
  // A socket directory outside the home (/run/user/UID/gnupg/d.…) holds only sockets; remove it if left.
  if (hints.socketDir && hints.socketDir !== dir && basename(hints.socketDir).startsWith('d.')) {
    try {
      const entries = await readdir(hints.socketDir);
      if (entries.every((e) => e.startsWith('S.'))) {
        await rm(hints.socketDir, { recursive: true, force: true });
        result.actions.push(`removed ${hints.socketDir}`);
      }
    } catch {
      // gone already
    }
  }
  return result;
}

/** An ephemeral GnuPG home. Use withEphemeralKeyring unless you need the steps separately. */
export class EphemeralKeyring {
  readonly info: KeyringInfo;
  readonly deadline: number;
  #fingerprint: string | undefined;
  #userIds: string[] = [];
  #env: NodeJS.ProcessEnv;
  #log: (message: string) => void;
  #destroyed = false;

  private constructor(info: KeyringInfo, deadline: number, env: NodeJS.ProcessEnv, log: (m: string) => void) {
    this.info = info;
    this.deadline = deadline;
    this.#env = env;
    this.#log = log;
  }

  /** Creates the 0700 home and its config files (no key yet). */
  static async create(options: Pick<KeyringOptions, 'tempRoot' | 'ttlSeconds' | 'env' | 'log'>) {
    if (!options.tempRoot) throw new KeyringError('setup', 'no temporary directory (RUNNER_TEMP) for the keyring');
    const dir = await mkdtemp(join(options.tempRoot, KEYRING_PREFIX));
    await chmod(dir, 0o700);
    await writeFile(join(dir, 'gpg-agent.conf'), agentConfig(options.ttlSeconds), { mode: 0o600 });
    await writeFile(join(dir, 'gpg.conf'), gpgConfig(), { mode: 0o600 });
    const info: KeyringInfo = { dir };
    const socketDir = await agentSocketDir(dir);
    if (socketDir) info.socketDir = socketDir;
    return new EphemeralKeyring(
      info,
      Date.now() + options.ttlSeconds * 1000,
      options.env ?? process.env,
      options.log ?? (() => {}),
    );
  }

  get fingerprint(): string | undefined {
    return this.#fingerprint;
  }
  get userIds(): string[] {
    return [...this.#userIds];
  }

  /** Imports the key over stdin, presets the passphrase over a pipe, selects the signing (sub)key. */
  async importKey(armoredKey: string, passphrase?: string, fingerprint?: string): Promise<ColonKey> {
    const env = toolEnv(this.info.dir, this.#env);
    const gpg = (args: string[], input?: string) =>
      runTool('gpg', ['--homedir', this.info.dir, '--batch', '--no-tty', ...args], {
        env,
        ...(input !== undefined ? { input } : {}),
      });
    let imp: RunResult;
    try {
      imp = await gpg(['--import'], armoredKey);
    } catch {
      throw new KeyringError('gpg-missing', 'gpg was not found on PATH: the `run` input needs GnuPG 2.1 or later');
    }
    if (imp.code !== 0 || !/secret keys (imported|unchanged)/.test(imp.stderr)) {
      throw new KeyringError(
        'import-failed',
        `gpg could not import the key into the ephemeral keyring (exit ${imp.code}): ${lastLines(imp.stderr)}`,
      );
    }
    const list = await gpg(['--with-colons', '--with-keygrip', '--list-secret-keys']);
    const keys = parseColonKeys(list.stdout);
    const selected = selectSigningKey(keys, fingerprint);
    if (!selected?.hasSecret) {
      throw new KeyringError(
        'no-signing-key',
        fingerprint
          ? `the ephemeral keyring holds no secret key ${fingerprint}`
          : 'the ephemeral keyring holds no usable signing key',
      );
    }
    this.#fingerprint = selected.fingerprint;
    this.#userIds = keys.find((k) => k.type === 'sec')?.userIds ?? [];
    if (passphrase !== undefined && passphrase !== '') {
      const preset = join(await gpgLibexecDir(env), 'gpg-preset-passphrase');
      for (const k of keys.filter((x) => x.hasSecret && x.keygrip)) {
        const r = await runTool(preset, ['--homedir', this.info.dir, '--preset', k.keygrip], {
          env,
          input: passphrase,
        }).catch(() => undefined);
        if (r?.code !== 0) {
          throw new KeyringError(
            'preset-failed',
            `gpg-preset-passphrase could not give the passphrase to the agent${r ? `: ${lastLines(r.stderr)}` : ''}`,
          );
        }
      }
    }
    const pid = await agentPid(this.info.dir);
    if (pid !== undefined) this.info.agentPid = pid;
    this.#log(
      `Imported ${selected.type === 'ssb' ? 'subkey' : 'key'} ${selected.fingerprint} into ${this.info.dir}` +
        (pid !== undefined ? ` (gpg-agent pid ${pid})` : ''),
    );
    return selected;
  }

  /**
   * Environment for the command: GNUPGHOME and git's signing key, without the runner's token and step-file
   * variables (child-env.ts); nothing else changed.
   */
  commandEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    if (!this.#fingerprint) throw new KeyringError('setup', 'no key imported yet');
    const env: NodeJS.ProcessEnv = { ...childEnv({ ...this.#env, ...extra }), GNUPGHOME: this.info.dir };
    delete env.GPG_AGENT_INFO;
    Object.assign(env, gitSigningEnv(this.#fingerprint, env));
    return env;
  }

  /**
   * Runs `command` with bash (-e -o pipefail) in its own process group; kills the group when the keyring's
   * ttl runs out (SIGTERM, then SIGKILL after a grace period).
   */
  runCommand(command: string, options: RunCommandOptions = {}): Promise<CommandResult> {
    if (this.#destroyed) throw new KeyringError('setup', 'the keyring was already destroyed');
    return runInProcessGroup(command, {
      env: this.commandEnv(options.env),
      deadline: this.deadline,
      log: this.#log,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.stdio ? { stdio: options.stdio } : {}),
      onStart: (pid) => {
        this.info.commandPid = pid;
        options.onStart?.({ ...this.info });
      },
      onExit: () => {
        delete this.info.commandPid;
      },
    });
  }

  #teardown: Promise<CleanupResult> | undefined;

  /**
   * Kills the agent and removes the home. Runs once: every caller (the normal end, a signal handler) gets the same
   * result, so nothing is torn down twice.
   */
  destroy(): Promise<CleanupResult> {
    this.#destroyed = true;
    this.#teardown ??= cleanupKeyring(this.info.dir, {
      ...(this.info.socketDir ? { socketDir: this.info.socketDir } : {}),
      ...(this.info.agentPid !== undefined ? { agentPid: this.info.agentPid } : {}),
      ...(this.info.commandPid !== undefined ? { commandPid: this.info.commandPid } : {}),
    });
    return this.#teardown;
  }
}

/**
 * Runs `command` with bash (-e -o pipefail) in its own process group; kills the group when `deadline` (epoch ms)
 * passes (SIGTERM, then SIGKILL after a grace period), and whatever is left in the group when it ends. The one
 * runner for `run:`, with an ephemeral keyring or with a remote signer's git shim.
 */
export function runInProcessGroup(
  command: string,
  options: {
    env: NodeJS.ProcessEnv;
    deadline: number;
    log: (message: string) => void;
    cwd?: string;
    stdio?: SpawnOptions['stdio'];
    onStart?: (pid: number) => void;
    onExit?: () => void;
  },
): Promise<CommandResult> {
  const started = Date.now();
  const remaining = Math.max(0, options.deadline - started);
  const isWin = process.platform === 'win32';
  const child: ChildProcess = spawn('bash', ['-e', '-o', 'pipefail', '-c', command], {
    cwd: options.cwd,
    // whatever path calls it, `run:` never gets the runner's tokens or the step's files (child-env.ts)
    env: childEnv(options.env),
    stdio: options.stdio ?? 'inherit',
    detached: !isWin,
  });
  if (child.pid !== undefined) options.onStart?.(child.pid);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  let timedOut = false;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (!isWin && child.pid) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  let killTimer: NodeJS.Timeout | undefined;
  const ttlTimer = setTimeout(() => {
    timedOut = true;
    options.log(`The command outlived the key's ttl; stopping it`);
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
  }, remaining);
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(ttlTimer);
      if (killTimer) clearTimeout(killTimer);
      reject(new KeyringError('command-failed', `the run command could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(ttlTimer);
      if (killTimer) clearTimeout(killTimer);
      options.onExit?.();
      // whatever the command left in its group (background jobs) goes too
      if (!isWin && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // group empty
        }
      }
      const result: CommandResult = { exitCode: code, signal, timedOut, durationMs: Date.now() - started };
      if (child.stdout) result.stdout = Buffer.concat(out).toString('utf8');
      if (child.stderr) result.stderr = Buffer.concat(err).toString('utf8');
      resolve(result);
    });
  });
}

function lastLines(text: string, n = 3): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-n).join(' | ').slice(0, 400) || '(no output)';
}

/**
 * Creates the home, reports it (onPrepared), imports the key, runs `fn`, and always tears everything down.
 * Returns fn's result and what the teardown removed.
 */
export async function withEphemeralKeyring<T>(
  options: KeyringOptions,
  fn: (keyring: EphemeralKeyring) => Promise<T>,
): Promise<{ result: T; cleanup: CleanupResult }> {
  const keyring = await EphemeralKeyring.create(options);
  options.onCreated?.(keyring);
  let cleanup: CleanupResult | undefined;
  try {
    await options.onPrepared?.({ ...keyring.info });
    await keyring.importKey(options.armoredKey, options.passphrase, options.fingerprint);
    await options.onImported?.({ ...keyring.info });
    const result = await fn(keyring);
    cleanup = await keyring.destroy();
    return { result, cleanup };
  } finally {
    if (!cleanup) await keyring.destroy().catch(() => undefined);
  }
}

/** Whether a path exists and is a directory with mode 0700 (for tests and the post step's report). */
export async function isPrivateDir(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return s.isDirectory() && (process.platform === 'win32' || (s.mode & 0o777) === 0o700);
  } catch {
    return false;
  }
}
