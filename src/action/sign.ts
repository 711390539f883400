// `uses: org/jit-gpg@v1` main step: validate inputs and resolve files, request the OIDC token, log in to Vault,
// read the key, revoke the Vault token, sign in memory, verify, run `run:` in an ephemeral keyring, destroy the
// key, write the audit. Each phase is a log group; errors begin with "jit-gpg:" and say what to change.
//
// State for the post step (sign-post.ts), saved before the thing it cleans up exists:
//   vault-session  JSON {url, token, namespace?, caCertPath?, accessor?} from the moment Vault answered the login
//                  until the token is revoked (then emptied). The Vault token is in the state file on purpose:
//                  main may be SIGKILLed between login and revoke, and only the token itself can revoke a token
//                  (revoke-self). It is masked, lives at most the role's token_ttl, and is revoked right after the
//                  read, so the state file holds a dead token in every run that gets that far.
//   keyring        JSON {dir, socketDir?, agentPid?, commandPid?} saved BEFORE the key is imported for `run`
//                  (then again with the agent's and the command's pids); emptied after the directory is removed.
//   main-finished  "true" when main reached its end (failed or not).
// On cancel (SIGINT/SIGTERM) main itself kills the command and agent, removes the keyring and revokes a live
// token before exiting; after SIGKILL the post step does it from the state above.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { glob, mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import { proxyFor, proxySecrets, safeProxy } from '../shared/http.ts';
import { type InputSource, inputs } from './inputs.ts';
import {
  type MergeAudit,
  mergeAudit,
  mergeBeforeSign,
  presentMergedFiles,
  type ScanAudit,
  scanBeforeSign,
} from './pre-sign.ts';
import { loadSigningKey, normalizeFingerprint, type SigningKey } from '../sign/key.ts';
import {
  type CommandResult,
  cleanupKeyring,
  gpgLibexecDir,
  type KeyringInfo,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  withEphemeralKeyring,
} from '../sign/keyring.ts';
import { commonDir, nameRelativeTo, writeSignedManifest, writeSignedText } from '../sign/manifest.ts';
import { type MergedManifest, withLocalEntries } from '../sign/merge.ts';
import { describeClaims, type OidcClaims, requestIdToken } from '../sign/oidc.ts';
import { ciNotations } from '../sign/provenance.ts';
import { createVaultProvider, sessionToState } from '../sign/providers/vault.ts';
import type { KeyMaterial } from '../sign/providers/types.ts';
import { type SignedFile, signFiles, writePublicFile } from '../sign/signer.ts';
import { verifyFiles } from '../sign/verify.ts';

export const STATE_VAULT = 'vault-session';
export const STATE_KEYRING = 'keyring';
/** Set once main got to its end (the post step then only double-checks). */
export const STATE_DONE = 'main-finished';

export const PUBLIC_KEY_NAME = 'signing-key.pub.asc';

export type IfNoFilesFound = 'error' | 'warn' | 'ignore';

export interface SignInputs {
  provider: 'vault';
  audience: string;
  vaultUrl: string;
  vaultRole: string;
  vaultSecret: string;
  vaultAuthMount: string;
  vaultNamespace: string;
  vaultKeyField: string;
  vaultPassphraseField: string;
  vaultCaCert: string;
  files: string[];
  armor: boolean;
  checksums: string;
  /** Globs of sha256sum fragments merged into `checksums` (fan-in of matrix jobs). */
  checksumsMerge: string[];
  /** Scan the files for secrets before any OIDC request. */
  scan: boolean;
  fingerprint: string;
  run: string;
  ttl: number;
  ifNoFilesFound: IfNoFilesFound;
}

/** An error whose message is shown as is (after the "jit-gpg: " prefix). */
export class ActionError extends Error {
  override name = 'ActionError';
}

/** Reads and validates every input (through the shared typed reader); errors name the input and what to write. */
export function readInputs(source?: InputSource): SignInputs {
  const ins = inputs('jit-gpg', source);
  ins.oneOf('provider', ['vault'] as const, 'vault');
  const vaultUrl = ins.url('vault-url', { required: true })!;
  const vaultRole = ins.string('vault-role', { required: true });
  const vaultSecret = ins.string('vault-secret', { required: true });
  const ttl = ins.integer('ttl', { fallback: 300, min: MIN_TTL_SECONDS, max: MAX_TTL_SECONDS });
  const fingerprint = ins.string('fingerprint');
  if (fingerprint) {
    try {
      normalizeFingerprint(fingerprint);
    } catch (e) {
      throw ins.error('fingerprint', `is not a fingerprint (got "${fingerprint}"): ${(e as Error).message}`);
    }
  }
  const checksums = ins.string('checksums');
  if (checksums && (checksums.endsWith('/') || /(^|[/\\])\.\.([/\\]|$)/.test(checksums))) {
    throw ins.error('checksums', `must be a file name such as SHA256SUMS (got "${checksums}")`);
  }
  const files = ins.list('files');
  const run = ins.string('run');
  const checksumsMerge = ins.list('checksums-merge');
  if (checksumsMerge.length && !checksums) {
    throw ins.error('checksums-merge', 'needs `checksums`, the name of the manifest to merge into (e.g. SHA256SUMS)');
  }
  if (files.length === 0 && !run && checksumsMerge.length === 0) {
    throw new ActionError(
      'jit-gpg: nothing to do: set `files` (globs of artifacts to sign, one per line), `checksums-merge` and/or `run` (a command)',
    );
  }
  return {
    provider: 'vault',
    audience: ins.string('audience', { fallback: 'jit-gpg' }),
    vaultUrl,
    vaultRole,
    vaultSecret,
    vaultAuthMount: ins.string('vault-auth-mount', { fallback: 'jwt' }),
    vaultNamespace: ins.string('vault-namespace'),
    vaultKeyField: ins.string('vault-key-field', { fallback: 'private_key' }),
    vaultPassphraseField: ins.string('vault-passphrase-field', { fallback: 'passphrase' }),
    vaultCaCert: ins.string('vault-ca-cert'),
    files,
    armor: ins.boolean('armor', true),
    checksums,
    checksumsMerge,
    scan: ins.boolean('scan', true),
    fingerprint,
    run,
    ttl,
    ifNoFilesFound: ins.oneOf('if-no-files-found', ['error', 'warn', 'ignore'] as const, 'error'),
  };
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** A path for outputs and logs: relative to the workspace when inside it, else absolute. */
export function displayPath(path: string, workspace: string): string {
  const rel = relative(workspace, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? toPosix(rel) : path;
}

/**
 * Resolves the `files` globs (relative to the workspace; `!pattern` excludes) to existing regular files, sorted,
 * without our own outputs (signatures of matched files, the manifest, the public key).
 */
export async function resolveFiles(
  patterns: readonly string[],
  workspace: string,
  exclude: { checksums?: string } = {},
): Promise<string[]> {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const negated = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const excluded = new Set<string>();
  if (negated.length) {
    for await (const p of glob(negated, { cwd: workspace })) excluded.add(resolve(workspace, p));
  }
  const found = new Set<string>();
  if (include.length) {
    for await (const p of glob(include, { cwd: workspace })) {
      const abs = resolve(workspace, p);
      if (excluded.has(abs)) continue;
      try {
        if ((await stat(abs)).isFile()) found.add(abs);
      } catch {
        // vanished or unreadable: not a file to sign
      }
    }
  }
  const ownOutputs = (f: string) => {
    const name = basename(f);
    if (name === PUBLIC_KEY_NAME) return true;
    if (
      exclude.checksums &&
      (name === basename(exclude.checksums) || name.startsWith(`${basename(exclude.checksums)}.`))
    )
      return true;
    if (/\.(asc|sig)$/.test(f) && found.has(f.slice(0, -4))) return true;
    return false;
  };
  return [...found].filter((f) => !ownOutputs(f)).sort();
}

/** Registers a secret with the runner: the whole value and every trimmed non-empty line of it. */
export function maskSecret(value: string | undefined, setSecret: (s: string) => void = core.setSecret): void {
  if (!value) return;
  setSecret(value);
  if (/[\r\n]/.test(value)) {
    for (const line of value.split(/\r?\n/)) {
      const t = line.trim();
      if (t) setSecret(t);
    }
  }
}

export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.startsWith('jit-gpg:') ? msg : `jit-gpg: ${msg}`;
}

const AUDIT_CLAIMS = [
  'repository',
  'ref',
  'sha',
  'workflow',
  'job_workflow_ref',
  'run_id',
  'run_attempt',
  'actor',
  'environment',
  'event_name',
  'sub',
  'aud',
] as const;

interface AuditFile {
  path: string;
  sha256: string;
  size: number;
  signature: string;
}

export interface Audit {
  tool: 'jit-gpg';
  version: 1;
  outcome: 'signed' | 'failed' | 'nothing-to-sign';
  error?: string;
  key?: {
    fingerprint: string;
    keyId: string;
    primaryFingerprint: string;
    userIds: string[];
    algorithm: string;
    source: string;
  };
  claims: Partial<Record<(typeof AUDIT_CLAIMS)[number], string | number | string[]>>;
  files: AuditFile[];
  checksums?: { path: string; sha256: string; signature: string; merged?: MergeAudit };
  /** The scan before sign: whether it ran, with which rule set. */
  scan?: ScanAudit;
  publicKey?: string;
  run?: { exitCode: number | null; timedOut: boolean; durationMs: number };
  lifetime: { fetchedAt?: string; destroyedAt?: string; seconds?: number; ttl: number };
}

function pickClaims(claims: OidcClaims): Audit['claims'] {
  const out: Audit['claims'] = {};
  for (const n of AUDIT_CLAIMS) if (claims[n] !== undefined) out[n] = claims[n];
  return out;
}

async function writeAudit(audit: Audit, runnerTemp: string): Promise<string | undefined> {
  try {
    await mkdir(runnerTemp, { recursive: true });
    const name = `jit-gpg-audit-${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}-${randomBytes(4).toString('hex')}.json`;
    const path = join(runnerTemp, name);
    await writeFile(path, `${JSON.stringify(audit, null, 2)}\n`, { mode: 0o600 });
    return path;
  } catch (e) {
    core.warning(`jit-gpg: could not write the audit file: ${(e as Error).message}`);
    return undefined;
  }
}

const esc = (s: string) => s.replace(/[&<>|]/g, (c) => `&#${c.charCodeAt(0)};`);

async function writeSummary(audit: Audit, auditPath: string | undefined): Promise<void> {
  try {
    const s = core.summary.addHeading('jit-gpg signing', 2);
    if (audit.outcome === 'failed') s.addRaw(`<p><b>Failed:</b> ${esc(audit.error ?? '')}</p>`, true);
    if (audit.key) {
      s.addTable([
        [
          { data: 'Key', header: true },
          { data: 'Value', header: true },
        ],
        ['Fingerprint', `<code>${audit.key.fingerprint}</code>`],
        ['Primary key', `<code>${audit.key.primaryFingerprint}</code>`],
        ['User ID', esc(audit.key.userIds.join(', '))],
        ['Algorithm', esc(audit.key.algorithm)],
        ['Source', esc(audit.key.source)],
        ['Fetched at', audit.lifetime.fetchedAt ?? ''],
        ['Destroyed at', audit.lifetime.destroyedAt ?? ''],
        [
          'Lifetime',
          audit.lifetime.seconds !== undefined
            ? `${audit.lifetime.seconds.toFixed(1)} s (ttl ${audit.lifetime.ttl} s)`
            : '',
        ],
      ]);
    }
    if (audit.files.length || audit.checksums) {
      const rows = [
        [
          { data: 'File', header: true },
          { data: 'SHA-256', header: true },
          { data: 'Signature', header: true },
        ],
        ...audit.files.map((f) => [esc(f.path), `<code>${f.sha256}</code>`, esc(f.signature)]),
      ];
      if (audit.checksums) {
        rows.push([
          esc(audit.checksums.path),
          `<code>${audit.checksums.sha256}</code>`,
          esc(audit.checksums.signature),
        ]);
      }
      s.addHeading('Artifacts', 3).addTable(rows);
    }
    const merged = audit.checksums?.merged;
    if (merged) {
      s.addRaw(
        `<p>Merged ${merged.fragments.length} fragment(s): ${merged.entries} artifact(s) listed, ${merged.verified} present and matching, ${merged.absent.length} absent${merged.absent.length ? ` (${merged.absent.map((a) => `<code>${esc(a)}</code>`).join(', ')})` : ''}.</p>`,
        true,
      );
    }
    if (audit.scan?.scanned) {
      s.addRaw(
        `<p>Scanned for secrets before signing: ${audit.scan.artifacts} file(s), ${audit.scan.findings} finding(s), rule set <code>${esc(audit.scan.ruleSet?.version ?? '')}</code> (${audit.scan.ruleSet?.rules} rules).</p>`,
        true,
      );
    } else if (audit.scan) {
      s.addRaw(`<p>Not scanned for secrets before signing (${esc(audit.scan.reason ?? '')}).</p>`, true);
    }
    const claimRows = Object.entries(audit.claims).map(([k, v]) => [
      esc(k),
      esc(Array.isArray(v) ? v.join(', ') : String(v)),
    ]);
    if (claimRows.length) {
      s.addHeading('OIDC claims that unlocked the key', 3).addTable([
        [
          { data: 'Claim', header: true },
          { data: 'Value', header: true },
        ],
        ...claimRows,
      ]);
    }
    if (auditPath) s.addRaw(`<p>Audit record: <code>${esc(auditPath)}</code></p>`, true);
    await s.write();
  } catch (e) {
    core.warning(`jit-gpg: could not write the job summary: ${(e as Error).message}`);
  }
}

/**
 * On cancel the runner sends SIGINT, then SIGTERM 7.5 s later, then kills. Use that time: stop the `run` command,
 * the agent and the keyring, revoke a live Vault token, and exit. (The post step checks again afterwards.)
 */
function onCancel(cleanup: () => Promise<void>): () => void {
  let busy = false;
  const handler = (signal: NodeJS.Signals) => {
    if (busy) return;
    busy = true;
    core.error(`jit-gpg: cancelled (${signal}); removing the keyring and revoking the Vault token before exiting`);
    const hard = setTimeout(() => process.exit(1), 6000);
    cleanup()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(hard);
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** The main step. Never throws: failures end in core.setFailed("jit-gpg: …"). */
export async function run(): Promise<void> {
  for (const s of proxySecrets()) core.setSecret(s);
  let liveKeyring: KeyringInfo | undefined;
  let liveMaterial: KeyMaterial | undefined;
  const removeHandlers = onCancel(async () => {
    if (liveKeyring) {
      const r = await cleanupKeyring(liveKeyring.dir, liveKeyring);
      for (const a of r.actions) core.info(`Teardown: ${a}`);
      if (!existsSync(liveKeyring.dir)) core.saveState(STATE_KEYRING, '');
    }
    if (liveMaterial && !liveMaterial.released()) {
      await liveMaterial.release();
      if (liveMaterial.released()) core.saveState(STATE_VAULT, '');
    }
  });
  try {
    await runMain({
      setKeyring: (i) => {
        liveKeyring = i;
      },
      setMaterial: (m) => {
        liveMaterial = m;
      },
    });
  } finally {
    removeHandlers();
  }
}

interface Live {
  setKeyring(info: KeyringInfo | undefined): void;
  setMaterial(m: KeyMaterial): void;
}

async function runMain(live: Live): Promise<void> {
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const runnerTemp = process.env.RUNNER_TEMP || join(workspace, '..', '_temp');
  let material: KeyMaterial | undefined;
  let key: SigningKey | undefined;
  let claims: OidcClaims = {};
  let fetchedAt: Date | undefined;
  let destroyedAt: Date | undefined;
  let ttl = 300;
  const audit: Audit = { tool: 'jit-gpg', version: 1, outcome: 'failed', claims: {}, files: [], lifetime: { ttl } };

  const destroyKey = () => {
    if (key && !key.destroyed) key.destroy();
    if (material) {
      material.armoredKey = '';
      delete material.passphrase;
    }
    if (fetchedAt && !destroyedAt) destroyedAt = new Date();
  };

  try {
    // 1. inputs and files, before any network call
    const cfg = await core.group('Validate inputs and resolve files', async () => {
      const i = readInputs();
      ttl = i.ttl;
      audit.lifetime.ttl = ttl;
      core.info(`Key service: vault ${i.vaultUrl} role "${i.vaultRole}" secret ${i.vaultSecret}`);
      const proxy = proxyFor(i.vaultUrl);
      if (proxy) core.info(`Vault requests go through the proxy ${safeProxy(proxy)} (see NO_PROXY to bypass it)`);
      core.info(`Key lifetime (ttl): ${i.ttl} s`);
      if (i.run) {
        // `run` needs GnuPG on the runner: find out now, before any token is requested
        await gpgLibexecDir();
        core.info(`run: ${i.run}`);
      }
      return i;
    });
    const files = cfg.files.length
      ? await resolveFiles(cfg.files, workspace, cfg.checksums ? { checksums: cfg.checksums } : {})
      : [];
    if (cfg.files.length) {
      if (files.length === 0) {
        const what = `no files matched ${cfg.files.map((p) => JSON.stringify(p)).join(', ')} in ${workspace}`;
        if (cfg.ifNoFilesFound === 'error') {
          throw new ActionError(
            `${what}: check the files globs (relative to the workspace, one per line) and that the artifacts are built before this step, or set if-no-files-found: warn`,
          );
        }
        if (cfg.ifNoFilesFound === 'warn') core.warning(`jit-gpg: ${what}; nothing to sign`);
        else core.info(`${what}; nothing to sign`);
        if (!cfg.run && cfg.checksumsMerge.length === 0) {
          core.setOutput('signatures', '[]');
          audit.outcome = 'nothing-to-sign';
          const p = await writeAudit(audit, runnerTemp);
          await writeSummary(audit, p);
          core.saveState(STATE_DONE, 'true');
          return;
        }
      } else {
        core.info(`${files.length} file(s) to sign:`);
        for (const f of files) core.info(`  ${displayPath(f, workspace)}`);
      }
    }

    // 1b. release checks, still before any token: the fan-in of fragments, then the scan of what will be vouched for
    const outDir = commonDir(files, workspace);
    const manifestPath = cfg.checksums
      ? isAbsolute(cfg.checksums)
        ? cfg.checksums
        : join(outDir, cfg.checksums)
      : undefined;
    const manifestDir = manifestPath ? dirname(manifestPath) : outDir;
    let merged: MergedManifest | undefined;
    if (cfg.checksumsMerge.length) merged = await mergeBeforeSign(cfg.checksumsMerge, workspace, manifestDir);
    if (cfg.scan) {
      const toScan = [...files, ...presentMergedFiles(merged, manifestDir)];
      await scanBeforeSign(toScan, workspace, process.env, (a) => {
        audit.scan = a;
      });
    } else {
      audit.scan = { scanned: false, reason: 'input scan is false' };
      core.info('scan: false: the files are signed without a secret scan');
    }

    // 2. the OIDC token
    const idToken = await core.group('Request the OIDC token', async () => {
      const t = await requestIdToken({
        audience: cfg.audience,
        mask: (s) => core.setSecret(s),
        log: (m) => core.info(m),
      });
      claims = t.claims;
      audit.claims = pickClaims(claims);
      core.info(`Got an OIDC token for audience "${cfg.audience}":\n${describeClaims(claims)}`);
      return t.token;
    });

    // 3. the key from Vault (the provider revokes its token right after the read)
    material = await core.group('Fetch the signing key from Vault', async () => {
      const provider = createVaultProvider({
        url: cfg.vaultUrl,
        role: cfg.vaultRole,
        secret: cfg.vaultSecret,
        authMount: cfg.vaultAuthMount,
        ...(cfg.vaultNamespace ? { namespace: cfg.vaultNamespace } : {}),
        keyField: cfg.vaultKeyField,
        passphraseField: cfg.vaultPassphraseField,
        ...(cfg.vaultCaCert ? { caCertPath: resolve(workspace, cfg.vaultCaCert) } : {}),
        log: (m) => core.info(m),
        mask: (s) => maskSecret(s),
        onSession: (session) => {
          core.setSecret(session.token);
          core.saveState(STATE_VAULT, sessionToState(session));
        },
      });
      const m = await provider.fetchKey(idToken);
      fetchedAt = new Date();
      maskSecret(m.armoredKey);
      maskSecret(m.passphrase);
      live.setMaterial(m);
      if (m.released()) core.saveState(STATE_VAULT, '');
      core.info(`Key fetched at ${fetchedAt.toISOString()} from ${m.source}`);
      return m;
    });
    const deadline = (fetchedAt ?? new Date()).getTime() + ttl * 1000;

    // 4. unlock
    key = await core.group('Unlock the key', async () => {
      const k = await loadSigningKey({
        key: material!.armoredKey,
        ...(material!.passphrase !== undefined ? { passphrase: material!.passphrase } : {}),
        ...(cfg.fingerprint ? { fingerprint: cfg.fingerprint } : {}),
      });
      core.info(
        `Signing with ${k.isSubkey ? 'subkey' : 'key'} ${k.fingerprint} (${k.algorithmLabel}) of ${k.userIds.join(', ') || k.primaryFingerprint}`,
      );
      return k;
    });
    const signingKey = key;
    audit.key = {
      fingerprint: signingKey.fingerprint,
      keyId: signingKey.keyId,
      primaryFingerprint: signingKey.primaryFingerprint,
      userIds: signingKey.userIds,
      algorithm: signingKey.algorithmLabel,
      source: material.source,
    };
    core.setOutput('fingerprint', signingKey.fingerprint);
    core.setOutput('key-id', signingKey.keyId);

    // 5. sign in memory; the public key and manifest beside the artifacts
    const notations = ciNotations(process.env);
    const signed: SignedFile[] = [];
    let manifest: SignedFile | undefined;
    // beside the artifacts; with only `run`, in RUNNER_TEMP so the checkout stays clean (release tools check it)
    const publicKeyPath = files.length
      ? join(outDir, PUBLIC_KEY_NAME)
      : merged
        ? join(manifestDir, PUBLIC_KEY_NAME)
        : join(runnerTemp, `jit-gpg-${signingKey.keyId}.pub.asc`);
    if (files.length || merged) {
      await core.group(`Sign ${files.length} file(s)${merged ? ' and the merged manifest' : ''}`, async () => {
        for (const n of Object.entries(notations)) core.info(`Notation ${n[0]}=${n[1]}`);
        signed.push(...(await signFiles({ key: signingKey, files, armor: cfg.armor, notations })));
        for (const s of signed) core.info(`${displayPath(s.signature, workspace)}  sha256 ${s.sha256}`);
        if (manifestPath && merged) {
          const local = signed.map((s) => ({
            name: nameRelativeTo(s.path, manifestDir),
            sha256: s.sha256,
            source: 'input files (signed in this step)',
          }));
          merged = withLocalEntries(merged, local);
          manifest = await writeSignedText({
            manifestPath,
            text: merged.text,
            key: signingKey,
            armor: cfg.armor,
            notations,
          });
          core.info(
            `${displayPath(manifest.signature, workspace)}  (merged manifest of ${merged.entries.length} file(s))`,
          );
        } else if (manifestPath) {
          manifest = await writeSignedManifest({
            manifestPath,
            entries: signed.map((s) => ({ path: s.path, sha256: s.sha256 })),
            key: signingKey,
            armor: cfg.armor,
            notations,
          });
          core.info(`${displayPath(manifest.signature, workspace)}  (manifest of ${signed.length} file(s))`);
        }
      });
    }
    await writePublicFile(publicKeyPath, signingKey.publicKeyArmored);
    const publicKeyArmored = signingKey.publicKeyArmored;
    // The in-memory signing key is no longer needed: only `run` still needs the armored key (for gpg).
    signingKey.destroy();

    // 6. verify every signature before reporting success
    if (files.length || manifest) {
      await core.group('Verify every signature against the public key', async () => {
        // Exactly the signatures written above: a stale `.asc` beside a new `.sig` must not stand in for it.
        const all = [...signed, ...(manifest ? [manifest] : [])].map((s) => ({ file: s.path, signature: s.signature }));
        const results = await verifyFiles({
          publicKey: publicKeyArmored,
          files: all,
          fingerprint: signingKey.fingerprint,
        });
        const bad = results.filter((r) => !r.valid);
        for (const r of results) {
          core.info(
            `${r.valid ? 'Good' : 'BAD'} signature: ${displayPath(r.signature, workspace)}${r.error ? ` (${r.error})` : ''}`,
          );
        }
        if (bad.length) {
          throw new ActionError(
            `${bad.length} signature(s) did not verify against the public key (${bad.map((r) => displayPath(r.file, workspace)).join(', ')}); nothing was reported as signed`,
          );
        }
      });
    }

    // 7. run: the only path where the key touches disk
    let runResult: CommandResult | undefined;
    if (cfg.run) {
      runResult = await core.group('Run the command with an ephemeral GnuPG keyring', async () => {
        const remaining = Math.floor((deadline - Date.now()) / 1000);
        if (remaining < 1) {
          throw new ActionError(`the key's ttl (${ttl} s) ran out before the run command could start: raise ttl`);
        }
        const { result, cleanup } = await withEphemeralKeyring(
          {
            tempRoot: runnerTemp,
            armoredKey: material!.armoredKey,
            ...(material!.passphrase !== undefined ? { passphrase: material!.passphrase } : {}),
            ttlSeconds: remaining,
            fingerprint: signingKey.fingerprint,
            log: (m) => core.info(m),
            onPrepared: (info) => {
              live.setKeyring(info);
              core.saveState(STATE_KEYRING, JSON.stringify(info));
            },
            onImported: (info) => {
              live.setKeyring(info);
              core.saveState(STATE_KEYRING, JSON.stringify(info));
            },
          },
          async (keyring) => {
            core.info(
              `GNUPGHOME=${keyring.info.dir}; git signs with ${keyring.fingerprint} (GIT_CONFIG_* for this command only)`,
            );
            core.info(`Running: ${cfg.run}`);
            return keyring.runCommand(cfg.run, {
              cwd: workspace,
              onStart: (info) => {
                live.setKeyring(info);
                core.saveState(STATE_KEYRING, JSON.stringify(info));
              },
            });
          },
        );
        live.setKeyring(undefined);
        for (const a of cleanup.actions) core.info(`Teardown: ${a}`);
        if (cleanup.removed) core.saveState(STATE_KEYRING, '');
        return result;
      });
      audit.run = { exitCode: runResult.exitCode, timedOut: runResult.timedOut, durationMs: runResult.durationMs };
      if (runResult.timedOut) {
        throw new ActionError(
          `the run command was stopped when the key's ttl (${ttl} s) ran out: raise ttl (at most 3600) or make the command faster`,
        );
      }
      if (runResult.exitCode !== 0) {
        throw new ActionError(
          `the run command failed (${runResult.signal ? `signal ${runResult.signal}` : `exit code ${runResult.exitCode}`}); its output is above`,
        );
      }
    }

    // 8. destroy, report
    destroyKey();
    core.info(`Key fetched at ${fetchedAt?.toISOString()}, destroyed at ${destroyedAt?.toISOString()}`);
    const sigPaths = [...signed.map((s) => s.signature), ...(manifest ? [manifest.signature] : [])].map((p) =>
      displayPath(p, workspace),
    );
    core.setOutput('signatures', JSON.stringify(sigPaths));
    if (manifest && manifestPath) core.setOutput('checksums', displayPath(manifestPath, workspace));
    core.setOutput('public-key', displayPath(publicKeyPath, workspace));
    audit.outcome = 'signed';
    audit.files = signed.map((s) => ({
      path: displayPath(s.path, workspace),
      sha256: s.sha256,
      size: s.size,
      signature: displayPath(s.signature, workspace),
    }));
    if (manifest && manifestPath) {
      audit.checksums = {
        path: displayPath(manifestPath, workspace),
        sha256: manifest.sha256,
        signature: displayPath(manifest.signature, workspace),
        ...(merged ? { merged: mergeAudit(merged) } : {}),
      };
    }
    audit.publicKey = displayPath(publicKeyPath, workspace);
  } catch (e) {
    audit.outcome = 'failed';
    audit.error = errorText(e);
    if (material && !material.released()) await material.release().catch(() => undefined);
    if (material?.released()) core.saveState(STATE_VAULT, '');
    core.setFailed(errorText(e));
  } finally {
    destroyKey();
    if (material?.released()) core.saveState(STATE_VAULT, '');
    if (fetchedAt) audit.lifetime.fetchedAt = fetchedAt.toISOString();
    if (destroyedAt) audit.lifetime.destroyedAt = destroyedAt.toISOString();
    if (fetchedAt && destroyedAt) audit.lifetime.seconds = (destroyedAt.getTime() - fetchedAt.getTime()) / 1000;
    if (audit.outcome !== 'nothing-to-sign') {
      const auditPath = await writeAudit(audit, runnerTemp);
      if (auditPath) core.info(`Audit record: ${auditPath}`);
      await writeSummary(audit, auditPath);
    }
    core.saveState(STATE_DONE, 'true');
  }
}
