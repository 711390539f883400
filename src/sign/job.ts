// One signing run, from options to result: (scan hook) → OIDC → key service → unlock or connect → sign →
// manifest → verify → `run:` → destroy → audit. The sign action and `jit-gpg sign` both call `runSignJob`, so they
// cannot drift apart; they pass in logging, masking and state callbacks and turn the result into outputs.
// No @actions imports.
import { existsSync } from 'node:fs';
import type { AuditFile } from './audit.ts';
import { type Audit, newAudit, pickClaims } from './audit.ts';
import { displayPath as escapedPath, printable } from '../shared/escape.ts';
import { assertWritableInside, displayPath } from './files.ts';
import { loadSigningKey, type SigningKey } from './key.ts';
import { startSigningShim, SOCKET_ENV } from './git-shim.ts';
import {
  type CleanupResult,
  type CommandResult,
  cleanupKeyring,
  type EphemeralKeyring,
  gitSigningEnv,
  type KeyringInfo,
  runInProcessGroup,
  withEphemeralKeyring,
} from './keyring.ts';
import { type ManifestEntry, writeSignedManifest } from './manifest.ts';
import type { IdToken, OidcClaims } from './oidc.ts';
import type { HashName } from './packet.ts';
import type { KeyMaterial, RemoteSigningSession, ServiceSession, SignProvider } from './providers/types.ts';
import { type SignedFile, signFiles, writePublicFile } from './signer.ts';
import { STATE_KEYRING, STATE_SHIM } from './state.ts';
import { type VerifyResult, verifyFiles } from './verify.ts';

/** Where the key comes from: armored text the caller already holds (CLI `--key-file`), or a key service. */
export type KeySource =
  | { kind: 'armored'; armoredKey: string | Uint8Array; passphrase?: string; source: string }
  | { kind: 'provider'; provider: SignProvider; idToken: () => Promise<IdToken> };

export interface SignJobOptions {
  /** Paths in logs, outputs and the audit are relative to this directory. */
  workspace: string;
  /** Absolute paths of the files to sign (already resolved and checked by the caller). */
  files: readonly string[];
  key: KeySource;
  /** Overrides the key source's passphrase (CLI `--passphrase-fd/-env`). */
  passphrase?: string;
  /** Refuse any key or subkey but this one. */
  fingerprint?: string;
  armor: boolean;
  hash?: HashName;
  notations: Readonly<Record<string, string>>;
  /** Absolute path of the checksum manifest to write and sign. */
  checksumsPath?: string;
  /** Absolute path where the armored public key is written (or one made from the key, e.g. its key id). */
  publicKeyPath?: string | ((key: SignedKeyInfo) => string);
  /** Remote signers: the armored OpenPGP public key (from `jit-gpg key export`) that fixes the identity. */
  publicKey?: string;
  /** Every output (signature, manifest, public key) must resolve inside this real directory. */
  confineTo?: string;
  /** A command run with the key in an ephemeral GnuPG keyring (`run:`). */
  run?: { command: string; cwd: string; tempRoot: string; env: NodeJS.ProcessEnv };
  /** Seconds the key may live (the keyring's agent TTL and the command's limit). */
  ttl: number;
}

export interface SignJobHooks {
  /** Progress lines (never secrets; untrusted parts are already escaped by the job's callers' printer). */
  log(message: string): void;
  /** Wraps a phase (the action's log groups); default: just runs it. */
  group?<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a secret before anything else can print it (core.setSecret). */
  mask?(secret: string): void;
  /** Saves a post-step state entry (core.saveState); '' clears it. */
  saveState?(name: string, value: string): void;
  /** Receives the job's cleanup (idempotent: a signal handler and the job share one run of it). */
  registerCleanup?(cleanup: () => Promise<void>): void;
  /**
   * Hook (a): runs after the files are known and before any OIDC request, e.g. the secret scan of the artifacts.
   * Throw to stop: no token is requested and no key is fetched.
   */
  beforeToken?(files: readonly string[]): Promise<void>;
  /**
   * Hook (b): the manifest's entries (the signed files) before it is written; return them with the entries of
   * merged checksum fragments (`checksums-merge`). Throw to refuse (e.g. a conflicting digest).
   */
  mergeChecksums?(entries: readonly ManifestEntry[], manifestPath: string): Promise<ManifestEntry[]>;
  /**
   * Remote signers: binds the service session to the configured OpenPGP public key, refusing a service key that
   * does not match it (before any sign call). Required for remote providers.
   */
  remoteKey?(session: RemoteSigningSession, publicKeyArmored: string): Promise<SigningKey>;
}

export type SignJobErrorCode = 'verify-failed' | 'run-failed' | 'ttl' | 'config';

/** A failure of the job itself (not of a library it called); its message says what to change. */
export class SignJobError extends Error {
  override name = 'SignJobError';
  code: SignJobErrorCode;
  constructor(code: SignJobErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface SignedKeyInfo {
  fingerprint: string;
  keyId: string;
  primaryFingerprint: string;
  isSubkey: boolean;
  userIds: string[];
  algorithmLabel: string;
}

export interface SignJobResult {
  /** Set when the run failed; everything else shows how far it got. */
  error?: unknown;
  audit: Audit;
  claims: OidcClaims;
  key?: SignedKeyInfo;
  signed: SignedFile[];
  manifest?: SignedFile;
  manifestPath?: string;
  publicKeyPath?: string;
  publicKeyArmored?: string;
  verification: VerifyResult[];
  run?: CommandResult;
}

/** Runs one signing job. Never throws for a failed run: `result.error` holds the reason. */
export async function runSignJob(options: SignJobOptions, hooks: SignJobHooks): Promise<SignJobResult> {
  const { workspace, files } = options;
  const log = hooks.log;
  const group = hooks.group ?? (<T>(_title: string, fn: () => Promise<T>) => fn());
  const mask = hooks.mask ?? (() => {});
  const saveState = hooks.saveState ?? (() => {});
  // File names and user IDs are untrusted: shown losslessly escaped, so none can start a workflow command.
  const show = (p: string) => escapedPath(displayPath(p, workspace));
  const audit = newAudit(options.ttl);
  const result: SignJobResult = { audit, claims: {}, signed: [], verification: [] };

  let session: ServiceSession | undefined;
  let material: { armoredKey: string; passphrase?: string } | undefined;
  let key: SigningKey | undefined;
  let liveKeyring: KeyringInfo | undefined;
  let ring: EphemeralKeyring | undefined;
  let ringTeardown: Promise<void> | undefined;
  // One teardown of the keyring, logged once, whoever asks first (the command's end or a signal handler).
  const teardownRing = (): Promise<void> => {
    ringTeardown ??= (async () => {
      const info = liveKeyring;
      let r: CleanupResult | undefined;
      try {
        if (ring) r = await ring.destroy();
        else if (info) r = await cleanupKeyring(info.dir, info);
      } catch (e) {
        log(`warning: could not remove the keyring: ${(e as Error).message}`);
      }
      for (const a of r?.actions ?? []) log(`Teardown: ${a}`);
      const dir = r?.dir ?? info?.dir;
      if (dir && !existsSync(dir)) {
        liveKeyring = undefined;
        saveState(STATE_KEYRING, '');
      }
    })();
    return ringTeardown;
  };
  let fetchedAt: Date | undefined;
  let destroyedAt: Date | undefined;

  const destroyKey = () => {
    if (key && !key.destroyed) key.destroy();
    if (material) {
      material.armoredKey = '';
      delete material.passphrase;
    }
    if (fetchedAt && !destroyedAt) destroyedAt = new Date();
  };
  // One cleanup, shared by a signal handler and the job's own failure path: it runs once.
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      destroyKey();
      if (ring || liveKeyring) await teardownRing();
      if (session && !session.released()) await session.release();
    })();
    return cleaning;
  };
  hooks.registerCleanup?.(cleanup);

  try {
    // (a) before any token: the caller's checks of the artifacts (the secret scan)
    if (hooks.beforeToken) await hooks.beforeToken(files);

    // 1. the key: armored text in hand, or OIDC → key service
    let remote: RemoteSigningSession | undefined;
    if (options.key.kind === 'armored') {
      material = {
        armoredKey:
          typeof options.key.armoredKey === 'string'
            ? options.key.armoredKey
            : Buffer.from(options.key.armoredKey).toString('utf8'),
        ...(options.key.passphrase !== undefined ? { passphrase: options.key.passphrase } : {}),
      };
      fetchedAt = new Date();
    } else {
      const provider = options.key.provider;
      const source = options.key;
      const idToken = await group('Request the OIDC token', async () => {
        const t = await source.idToken();
        mask(t.token);
        result.claims = t.claims;
        audit.claims = pickClaims(t.claims);
        return t.token;
      });
      if (provider.kind === 'key-store') {
        const m: KeyMaterial = await group(`Fetch the signing key from ${provider.label}`, async () => {
          const fetched = await provider.fetchKey(idToken);
          session = fetched;
          mask(fetched.armoredKey);
          if (fetched.passphrase) mask(fetched.passphrase);
          return fetched;
        });
        fetchedAt = new Date();
        log(`Key fetched at ${fetchedAt.toISOString()} from ${printable(m.source)}`);
        material = { armoredKey: m.armoredKey, ...(m.passphrase !== undefined ? { passphrase: m.passphrase } : {}) };
        // drop the provider's references too: the job's copy is the one destroyed at the end
        m.armoredKey = '';
        delete m.passphrase;
      } else {
        remote = await group(`Connect to ${provider.label}`, async () => {
          const s = await provider.connect(idToken);
          session = s;
          return s;
        });
        fetchedAt = new Date();
        log(`Connected at ${fetchedAt.toISOString()} to ${printable(remote.source)}`);
      }
    }
    if (options.passphrase !== undefined && material) material.passphrase = options.passphrase;
    const deadline = (fetchedAt ?? new Date()).getTime() + options.ttl * 1000;

    // 2. unlock (key stores) or bind the remote key to its OpenPGP identity
    key = await group(remote ? 'Check the remote key' : 'Unlock the key', async () => {
      let k: SigningKey;
      if (remote) {
        if (!options.publicKey) {
          throw new SignJobError('config', 'a remote signer needs the OpenPGP public key (`public-key`)');
        }
        if (!hooks.remoteKey) throw new SignJobError('config', 'remote signers are not supported by this build');
        k = await hooks.remoteKey(remote, options.publicKey);
      } else {
        k = await loadSigningKey({
          key: material!.armoredKey,
          ...(material!.passphrase !== undefined ? { passphrase: material!.passphrase } : {}),
          ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
        });
      }
      log(
        `Signing with ${k.isSubkey ? 'subkey' : 'key'} ${k.fingerprint} (${k.algorithmLabel}) of ${printable(k.userIds.join(', ')) || k.primaryFingerprint}`,
      );
      return k;
    });
    const signingKey = key;
    result.key = {
      fingerprint: signingKey.fingerprint,
      keyId: signingKey.keyId,
      primaryFingerprint: signingKey.primaryFingerprint,
      isSubkey: signingKey.isSubkey,
      userIds: signingKey.userIds,
      algorithmLabel: signingKey.algorithmLabel,
    };
    audit.key = {
      fingerprint: signingKey.fingerprint,
      keyId: signingKey.keyId,
      primaryFingerprint: signingKey.primaryFingerprint,
      userIds: signingKey.userIds,
      algorithm: signingKey.algorithmLabel,
      source: session?.source ?? (options.key.kind === 'armored' ? options.key.source : ''),
      ...(session?.identity ? { identity: session.identity } : {}),
    };

    // 3. sign; the manifest beside the artifacts
    const confine = (path: string, what: string) => {
      if (options.confineTo) assertWritableInside(options.confineTo, path, what);
    };
    // a fan-in job may sign only the merged manifest
    const fanIn = Boolean(options.checksumsPath && hooks.mergeChecksums);
    if (files.length || fanIn) {
      await group(`Sign ${files.length} file(s)${fanIn ? ' and the merged manifest' : ''}`, async () => {
        for (const [n, v] of Object.entries(options.notations)) log(`Notation ${printable(n)}=${printable(v)}`);
        for (const f of files) confine(`${f}.asc`, `signature of ${show(f)}`);
        const common = {
          key: signingKey,
          armor: options.armor,
          notations: options.notations,
          ...(options.hash ? { hash: options.hash } : {}),
        };
        result.signed = await signFiles({ ...common, files });
        for (const s of result.signed) log(`${show(s.signature)}  sha256 ${s.sha256}`);
        if (options.checksumsPath) {
          const manifestPath = options.checksumsPath;
          confine(manifestPath, 'checksum manifest');
          let entries: ManifestEntry[] = result.signed.map((s) => ({ path: s.path, sha256: s.sha256 }));
          // (b) checksum fragments from matrix jobs
          if (hooks.mergeChecksums) entries = await hooks.mergeChecksums(entries, manifestPath);
          result.manifestPath = manifestPath;
          result.manifest = await writeSignedManifest({ ...common, manifestPath, entries });
          log(`${show(result.manifest.signature)}  (manifest of ${entries.length} file(s))`);
        }
      });
    }
    result.publicKeyArmored = signingKey.publicKeyArmored;
    if (options.publicKeyPath) {
      const path =
        typeof options.publicKeyPath === 'string' ? options.publicKeyPath : options.publicKeyPath(result.key);
      // beside the artifacts it must stay in the workspace; with only `run`, the caller puts it in its temp dir
      if (files.length || fanIn) confine(path, 'public key');
      await writePublicFile(path, signingKey.publicKeyArmored);
      result.publicKeyPath = path;
    }
    // The in-memory signing key is no longer needed: only `run` still needs the armored key (for gpg), or, with a
    // remote signer, the session the git shim signs through.
    if (!(remote && options.run)) signingKey.destroy();

    // 4. verify exactly the signatures written above (a stale `.asc` must not stand in for a new `.sig`), read
    // back from disk, against the digests computed while signing: every file is read once
    const written = [...result.signed, ...(result.manifest ? [result.manifest] : [])];
    if (written.length) {
      await group('Verify every signature against the public key', async () => {
        result.verification = await verifyFiles({
          publicKey: signingKey.publicKeyArmored,
          files: written.map((s) => ({
            file: s.path,
            signature: s.signature,
            signed: { digest: s.digest, hash: s.hash, sha256: s.sha256 },
          })),
          fingerprint: signingKey.fingerprint,
        });
        for (const r of result.verification) {
          log(
            `${r.valid ? 'Good' : 'BAD'} signature: ${show(r.signature)}${r.error ? ` (${printable(r.error)})` : ''}`,
          );
        }
        const bad = result.verification.filter((r) => !r.valid);
        if (bad.length) {
          throw new SignJobError(
            'verify-failed',
            `${bad.length} signature(s) did not verify against the public key (${bad.map((r) => show(r.file)).join(', ')}); nothing was reported as signed`,
          );
        }
      });
    }

    // 5. run: the only path where the key touches disk
    if (options.run && remote) {
      const run = options.run;
      result.run = await group('Run the command with git signing through the remote key', async () => {
        const deadline2 = deadline;
        if (deadline2 - Date.now() < 1000) {
          throw new SignJobError(
            'ttl',
            `the ttl (${options.ttl} s) ran out before the run command could start: raise ttl`,
          );
        }
        const shim = await startSigningShim({ key: signingKey, tempRoot: run.tempRoot, log });
        saveState(STATE_SHIM, shim.dir);
        try {
          log(`git signs with ${signingKey.fingerprint} through ${shim.program} (GIT_CONFIG_* for this command only)`);
          log(`Running: ${run.command}`);
          const env: NodeJS.ProcessEnv = {
            ...run.env,
            ...gitSigningEnv(signingKey.fingerprint, run.env, shim.program),
          };
          env[SOCKET_ENV] = shim.socketPath;
          return await runInProcessGroup(run.command, { env, deadline: deadline2, log, cwd: run.cwd });
        } finally {
          await shim.close();
          saveState(STATE_SHIM, '');
          log(`Teardown: removed the git signing shim and its socket (${shim.signatures} signature(s) made)`);
        }
      });
      signingKey.destroy();
      audit.run = { exitCode: result.run.exitCode, timedOut: result.run.timedOut, durationMs: result.run.durationMs };
      if (result.run.timedOut) {
        throw new SignJobError('ttl', `the run command was stopped when the ttl (${options.ttl} s) ran out: raise ttl`);
      }
      if (result.run.exitCode !== 0) {
        throw new SignJobError(
          'run-failed',
          `the run command failed (${result.run.signal ? `signal ${result.run.signal}` : `exit code ${result.run.exitCode}`}); its output is above`,
        );
      }
    } else if (options.run) {
      const run = options.run;
      if (!material) throw new SignJobError('config', '`run` needs a key');
      const held = material;
      result.run = await group('Run the command with an ephemeral GnuPG keyring', async () => {
        const remaining = Math.floor((deadline - Date.now()) / 1000);
        if (remaining < 1) {
          throw new SignJobError(
            'ttl',
            `the key's ttl (${options.ttl} s) ran out before the run command could start: raise ttl`,
          );
        }
        const track = (info: KeyringInfo) => {
          liveKeyring = info;
          saveState(STATE_KEYRING, JSON.stringify(info));
        };
        const { result: commandResult } = await withEphemeralKeyring(
          {
            tempRoot: run.tempRoot,
            armoredKey: held.armoredKey,
            ...(held.passphrase !== undefined ? { passphrase: held.passphrase } : {}),
            ttlSeconds: remaining,
            fingerprint: signingKey.fingerprint,
            env: run.env,
            log,
            onCreated: (k) => {
              ring = k;
            },
            onPrepared: track,
            onImported: track,
          },
          async (keyring) => {
            log(
              `GNUPGHOME=${keyring.info.dir}; git signs with ${keyring.fingerprint} (GIT_CONFIG_* for this command only)`,
            );
            log(`Running: ${printable(run.command)}`);
            return keyring.runCommand(run.command, { cwd: run.cwd, onStart: track });
          },
        );
        await teardownRing();
        return commandResult;
      });
      audit.run = {
        exitCode: result.run.exitCode,
        timedOut: result.run.timedOut,
        durationMs: result.run.durationMs,
      };
      if (result.run.timedOut) {
        throw new SignJobError(
          'ttl',
          `the run command was stopped when the key's ttl (${options.ttl} s) ran out: raise ttl (at most 3600) or make the command faster`,
        );
      }
      if (result.run.exitCode !== 0) {
        throw new SignJobError(
          'run-failed',
          `the run command failed (${result.run.signal ? `signal ${result.run.signal}` : `exit code ${result.run.exitCode}`}); its output is above`,
        );
      }
    }

    // 6. destroy, report
    destroyKey();
    log(`Key fetched at ${fetchedAt?.toISOString()}, destroyed at ${destroyedAt?.toISOString()}`);
    audit.outcome = 'signed';
    audit.files = result.signed.map(
      (s): AuditFile => ({ path: show(s.path), sha256: s.sha256, size: s.size, signature: show(s.signature) }),
    );
    if (result.manifest && result.manifestPath) {
      audit.checksums = {
        path: show(result.manifestPath),
        sha256: result.manifest.sha256,
        signature: show(result.manifest.signature),
      };
    }
    if (result.publicKeyPath) audit.publicKey = show(result.publicKeyPath);
  } catch (e) {
    result.error = e;
    audit.outcome = 'failed';
  } finally {
    await cleanup();
    if (fetchedAt) audit.lifetime.fetchedAt = fetchedAt.toISOString();
    if (destroyedAt) audit.lifetime.destroyedAt = destroyedAt.toISOString();
    if (fetchedAt && destroyedAt) audit.lifetime.seconds = (destroyedAt.getTime() - fetchedAt.getTime()) / 1000;
  }
  return result;
}
