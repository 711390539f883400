// git signing through a key that never leaves its key service. For the `run:` command only, git's gpg.program is a
// small shim that speaks what git expects from gpg when it signs (`--status-fd=N -bsau KEY`, the armored signature
// on stdout, `[GNUPG:] SIG_CREATED` on the status fd) and asks this process for each signature over a Unix socket
// in a private (0700) directory under RUNNER_TEMP. The shim and the socket exist only while the command runs; the
// child never sees a token or credential, only the socket path. No @actions imports.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SigningKey } from './key.ts';
import { armor, HASH_IDS, PUBKEY_IDS } from './packet.ts';
import { resolveHash, signData } from './signer.ts';

import { SHIM_PREFIX } from './state.ts';

export { SHIM_PREFIX };
/** What one git object to sign may weigh (commits and tags are small; a huge one is refused). */
export const MAX_SIGN_REQUEST_BYTES = 16 * 1024 * 1024;
export const SOCKET_ENV = 'JIT_GPG_SIGN_SOCKET';

/**
 * The shim itself: plain ESM for node, no dependencies. Usage as git calls gpg; anything but signing exits 2.
 * Protocol: one JSON line {user} then the bytes to sign, half-close; answer one JSON line {ok, signature, status}
 * or {ok: false, error}.
 */
export const SHIM_SOURCE = `import { connect } from 'node:net';
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

/** Whether `user` (gpg's -u: fingerprint or key id, optionally with "!", or a user ID / e-mail) names `key`. */
export function namesKey(user: string, key: Pick<SigningKey, 'fingerprint' | 'keyId' | 'userIds'>): boolean {
  const u = user.trim().replace(/!$/, '');
  if (u === '') return true; // no -u: gpg's default key, which is the only one here
  const hex = u.replace(/^0x/i, '').replace(/\s/g, '').toUpperCase();
  if (/^[0-9A-F]{16}$/.test(hex)) return hex === key.keyId;
  if (/^[0-9A-F]{40}$/.test(hex)) return hex === key.fingerprint;
  const lower = u.toLowerCase().replace(/^<|>$/g, '');
  return key.userIds.some((id) => id.toLowerCase().includes(lower));
}

export interface SigningShim {
  /** The private directory holding the socket and the shim. */
  dir: string;
  /** The executable git runs as gpg.program. */
  program: string;
  socketPath: string;
  /** Signatures made so far. */
  readonly signatures: number;
  /** Stops serving and removes the directory (socket and shim). Idempotent. */
  close(): Promise<void>;
}

export async function startSigningShim(options: {
  key: SigningKey;
  tempRoot: string;
  log: (message: string) => void;
  /** node to run the shim with (default this one). */
  nodePath?: string;
}): Promise<SigningShim> {
  const dir = await mkdtemp(join(options.tempRoot, SHIM_PREFIX));
  await chmod(dir, 0o700);
  const socketPath = join(dir, 's');
  const script = join(dir, 'gpg-shim.mjs');
  const program = join(dir, 'gpg');
  await writeFile(script, SHIM_SOURCE, { mode: 0o600 });
  const node = (options.nodePath ?? process.execPath).replace(/'/g, `'\\''`);
  await writeFile(program, `#!/bin/sh\nexec '${node}' '${script.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o700 });
  const key = options.key;
  let count = 0;

  const handle = (conn: Socket) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const reply = (body: Record<string, unknown>) => conn.end(`${JSON.stringify(body)}\n`);
    conn.setTimeout(30_000, () => conn.destroy());
    conn.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_SIGN_REQUEST_BYTES + 4096) {
        if (!refused) reply({ ok: false, error: `more than ${MAX_SIGN_REQUEST_BYTES} bytes to sign` });
        refused = true;
        return;
      }
      chunks.push(c);
    });
    conn.on('error', () => conn.destroy());
    conn.on('end', () => {
      if (refused) return;
      void (async () => {
        const all = Buffer.concat(chunks);
        const nl = all.indexOf(0x0a);
        let user = '';
        try {
          user = String((JSON.parse(all.subarray(0, nl).toString('utf8')) as { user?: unknown }).user ?? '');
        } catch {
          reply({ ok: false, error: 'malformed request' });
          return;
        }
        if (!namesKey(user, key)) {
          reply({
            ok: false,
            error: `no secret key for "${user.slice(0, 100)}": this step signs only with ${key.fingerprint}`,
          });
          return;
        }
        try {
          const date = new Date();
          const signed = await signData(key, all.subarray(nl + 1), { date });
          count++;
          const hash = HASH_IDS[resolveHash(key, undefined)];
          options.log(`git shim: signed ${all.length - nl - 1} bytes for git with ${key.fingerprint}`);
          reply({
            ok: true,
            signature: armor(signed.packet),
            fingerprint: key.fingerprint,
            hash,
            status: `SIG_CREATED D ${PUBKEY_IDS[key.algorithm]} ${hash} 00 ${Math.floor(date.getTime() / 1000)} ${key.fingerprint}`,
          });
        } catch (e) {
          reply({ ok: false, error: (e as Error).message.slice(0, 300) });
        }
      })();
    });
  };

  // the shim half-closes after its request; the answer goes back on the still-open half
  const server: Server = createServer({ allowHalfOpen: true }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o600);
  let closed: Promise<void> | undefined;
  return {
    dir,
    program,
    socketPath,
    get signatures() {
      return count;
    },
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
