// What the post step may believe of the state main saved. The `run:` command runs as the same user and could
// rewrite the state file, so every entry is checked against what main itself would have written: a keyring is a
// directory main created directly under RUNNER_TEMP (our prefix, a real directory, ours, mode 0700), a pid is still
// that keyring's agent or a process of its command, a socket directory is the keyring or gpg's own per-user one.
// Anything else is dropped with a warning, never acted on.
import { lstatSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { isAgentFor, KEYRING_PREFIX, type KeyringInfo, processAlive, processesUsingHome } from './keyring.ts';

export interface CheckedKeyring {
  info?: KeyringInfo;
  warnings: string[];
}

const isPid = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 1;

/** The keyring entry, checked; `runnerTemp` is where main creates keyrings. */
export function checkKeyringState(text: string, runnerTemp: string): CheckedKeyring {
  const warnings: string[] = [];
  if (!text.trim()) return { warnings };
  let v: Partial<Record<keyof KeyringInfo, unknown>> | null;
  try {
    v = JSON.parse(text) as typeof v;
  } catch {
    return { warnings: ['ignored the keyring state entry: it is not the JSON main writes'] };
  }
  if (!v || typeof v !== 'object' || typeof v.dir !== 'string' || !v.dir) {
    return { warnings: ['ignored the keyring state entry: it names no directory'] };
  }
  const dir = v.dir;
  if (
    !isAbsolute(dir) ||
    !runnerTemp ||
    resolve(dirname(dir)) !== resolve(runnerTemp) ||
    !basename(dir).startsWith(KEYRING_PREFIX)
  ) {
    return { warnings: ['ignored the keyring state entry: it does not name a keyring directory under RUNNER_TEMP'] };
  }
  try {
    const st = lstatSync(dir);
    const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
    if (!st.isDirectory() || !mine || (process.platform !== 'win32' && (st.mode & 0o777) !== 0o700)) {
      return {
        warnings: ['ignored the keyring state entry: the path is not a private directory of this user (0700)'],
      };
    }
  } catch {
    // already gone: nothing on disk to remove, but its agent or command may still run
  }
  const info: KeyringInfo = { dir };
  if (typeof v.socketDir === 'string' && v.socketDir) {
    const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
    // gpg puts the sockets of a non-default home under /run/user/UID/gnupg/d.HASH (or /var/run/…) when it exists
    const gpgRunDirs = [`/run/user/${uid}/gnupg`, `/var/run/user/${uid}/gnupg`];
    if (
      v.socketDir === dir ||
      (gpgRunDirs.includes(dirname(v.socketDir)) && /^d\.[a-z0-9]+$/.test(basename(v.socketDir)))
    ) {
      info.socketDir = v.socketDir;
    } else {
      warnings.push(
        'ignored the saved socket directory: it is neither the keyring nor gpg’s per-user socket directory',
      );
    }
  }
  if (v.agentPid !== undefined) {
    if (isPid(v.agentPid) && isAgentFor(v.agentPid, dir)) info.agentPid = v.agentPid;
    else if (isPid(v.agentPid) && !processAlive(v.agentPid)) {
      // the agent is gone already: nothing to do
    } else warnings.push(`ignored the saved agent pid: it is not this keyring's gpg-agent`);
  }
  if (v.commandPid !== undefined) {
    if (isPid(v.commandPid) && processesUsingHome(dir).includes(v.commandPid)) info.commandPid = v.commandPid;
    else if (isPid(v.commandPid) && !processAlive(v.commandPid)) {
      // the command ended
    } else warnings.push(`ignored the saved command pid: it is not a process of this keyring's command`);
  }
  return { info, warnings };
}

/**
 * The git shim entry (a remote signer's `run:`): a directory with our prefix directly under RUNNER_TEMP, a real
 * directory (not a symlink) of this user. Returns the directory to remove, or a warning.
 */
export function checkShimState(text: string, runnerTemp: string, prefix: string): { dir?: string; warning?: string } {
  const dir = text.trim();
  if (!dir) return {};
  if (
    !isAbsolute(dir) ||
    !runnerTemp ||
    resolve(dirname(dir)) !== resolve(runnerTemp) ||
    !basename(dir).startsWith(prefix)
  ) {
    return { warning: 'ignored the git shim state entry: it does not name a shim directory under RUNNER_TEMP' };
  }
  try {
    const st = lstatSync(dir);
    const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
    if (!st.isDirectory() || !mine) {
      return { warning: 'ignored the git shim state entry: the path is not a directory of this user' };
    }
  } catch {
    return {}; // already gone
  }
  return { dir };
}
