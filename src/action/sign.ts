// `uses: org/jit-gpg@v1` main step: a thin adapter over src/sign/job.ts. It reads and validates every input
// (before any output or network call), resolves the `files` globs inside the workspace, builds the provider, and
// passes the job its logging, masking and state callbacks; then sets the outputs, writes the audit and the job
// summary. Errors begin with "jit-gpg:" and say what to change. State entries: see src/sign/state.ts.
//
// On cancel (SIGINT/SIGTERM) the job's own cleanup runs once (kills the command and agent, removes the keyring,
// revokes a live token) and main exits; after SIGKILL the post step does it from the saved state.
import { dirname, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { displayPath as escapedPath, printable } from '../shared/escape.ts';
import { proxyFor, proxySecrets, safeProxy } from '../shared/http.ts';
import { type Audit, newAudit, writeAudit } from '../sign/audit.ts';
import {
  checkPattern,
  displayPath,
  PUBLIC_KEY_NAME,
  realWorkspace,
  resolveFiles,
  WorkspaceError,
} from '../sign/files.ts';
import { runSignJob } from '../sign/job.ts';
import { normalizeFingerprint } from '../sign/key.ts';
import { gpgLibexecDir, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from '../sign/keyring.ts';
import { commonDir } from '../sign/manifest.ts';
import { describeClaims, requestIdToken } from '../sign/oidc.ts';
import { ciNotations } from '../sign/provenance.ts';
import {
  type AvailableProvider,
  checkProviderInputs,
  SERVICE_INPUTS,
  createProvider,
  defaultAudience,
  ProviderInputError,
  type ProviderInputs,
  REMOTE_SIGNERS,
} from '../sign/providers/select.ts';
import { sessionToState } from '../sign/providers/vault.ts';
import { readPublicKeyInput, remoteSigningKey } from '../sign/remote.ts';
import { checkServiceUrl } from '../sign/service-url.ts';
import { STATE_DONE, STATE_VAULT } from '../sign/state.ts';
import { type InputSource, inputs } from './inputs.ts';
import { releaseHooks } from './pre-sign.ts';

export { displayPath, PUBLIC_KEY_NAME, resolveFiles };
export { STATE_DONE, STATE_KEYRING, STATE_VAULT } from '../sign/state.ts';

export type IfNoFilesFound = 'error' | 'warn' | 'ignore';

export interface SignInputs {
  provider: AvailableProvider;
  /** The provider's inputs by name (vault-url, key, public-key, aws-role-arn, …), as the step set them. */
  service: ProviderInputs;
  audience: string;
  vaultUrl: string;
  vaultRole: string;
  vaultSecret: string;
  vaultAuthMount: string;
  vaultNamespace: string;
  vaultKeyField: string;
  vaultPassphraseField: string;
  vaultCaCert: string;
  allowInsecureHttp: boolean;
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
  const allowInsecureHttp = ins.boolean('allow-insecure-http', false);
  const service: ProviderInputs = {};
  for (const name of SERVICE_INPUTS) {
    const v = ins.optional(name);
    if (v !== undefined) service[name] = v;
  }
  let provider: AvailableProvider;
  try {
    provider = checkProviderInputs(ins.string('provider', { fallback: 'vault' }), service);
  } catch (e) {
    if (e instanceof ProviderInputError) throw ins.error(e.input, e.message);
    throw e;
  }
  const vaultUrl = service['vault-url'] ? ins.url('vault-url', { required: true })! : '';
  if (vaultUrl) {
    try {
      checkServiceUrl(vaultUrl, { name: 'the URL', allowInsecureHttp });
    } catch (e) {
      throw ins.error('vault-url', (e as Error).message.replace(/^the URL /, ''));
    }
  }
  const vaultRole = service['vault-role'] ?? '';
  const vaultSecret = service['vault-secret'] ?? '';
  const ttl = ins.integer('ttl', { fallback: 300, min: MIN_TTL_SECONDS, max: MAX_TTL_SECONDS });
  const fingerprint = ins.string('fingerprint');
  if (fingerprint) {
    try {
      normalizeFingerprint(fingerprint);
    } catch (e) {
      throw ins.error('fingerprint', `is not a fingerprint: ${(e as Error).message}`);
    }
  }
  const checksums = ins.string('checksums');
  if (
    checksums &&
    (checksums.endsWith('/') || /(^|[/\\])\.\.([/\\]|$)/.test(checksums) || /^([/\\]|[A-Za-z]:)/.test(checksums))
  ) {
    throw ins.error('checksums', 'must be a file name such as SHA256SUMS, written beside the artifacts');
  }
  const files = ins.list('files');
  for (const p of files) {
    try {
      checkPattern(p);
    } catch (e) {
      throw ins.error('files', (e as Error).message.replace(/^the files pattern /, 'pattern '));
    }
  }
  const run = ins.string('run');
  const checksumsMerge = ins.list('checksums-merge');
  for (const p of checksumsMerge) {
    try {
      checkPattern(p);
    } catch (e) {
      throw ins.error('checksums-merge', (e as Error).message.replace(/^the files pattern /, 'pattern '));
    }
  }
  if (checksumsMerge.length && !checksums) {
    throw ins.error('checksums-merge', 'needs `checksums`, the name of the manifest to merge into (e.g. SHA256SUMS)');
  }
  if (files.length === 0 && !run && checksumsMerge.length === 0) {
    throw new ActionError(
      'jit-gpg: nothing to do: set `files` (globs of artifacts to sign, one per line), `checksums-merge` and/or `run` (a command)',
    );
  }
  for (const name of [
    'vault-auth-mount',
    'vault-transit-mount',
    'vault-key-field',
    'vault-passphrase-field',
  ] as const) {
    const v = ins.optional(name);
    if (v !== undefined) service[name] = v;
  }
  return {
    provider,
    service,
    audience: ins.string('audience', { fallback: defaultAudience(provider, service) }),
    vaultUrl,
    vaultRole,
    vaultSecret,
    vaultAuthMount: ins.string('vault-auth-mount', { fallback: 'jwt' }),
    vaultNamespace: ins.string('vault-namespace'),
    vaultKeyField: ins.string('vault-key-field', { fallback: 'private_key' }),
    vaultPassphraseField: ins.string('vault-passphrase-field', { fallback: 'passphrase' }),
    vaultCaCert: ins.string('vault-ca-cert'),
    allowInsecureHttp,
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

/**
 * A plain log line of text that may hold untrusted parts (file names, user IDs, server messages): each line of it
 * through printable(), so nothing in it can be parsed as a workflow command.
 */
export function info(text: string): void {
  for (const line of text.split(/\r?\n/)) core.info(printable(line));
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

/** Untrusted text in a summary table cell: one line (control characters shown escaped), no HTML, no cell break. */
const esc = (s: string) => printable(s).replace(/[&<>|]/g, (c) => `&#${c.charCodeAt(0)};`);

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
        ...(audit.key.identity ? [['Identity', esc(audit.key.identity)]] : []),
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
      const absent = merged.absent.map((a) => `<code>${esc(a)}</code>`).join(', ');
      s.addRaw(
        `<p>Merged ${merged.fragments.length} fragment(s): ${merged.entries} artifact(s) listed, ${merged.verified} present and matching, ${merged.absent.length} absent${absent ? ` (${absent})` : ''}.</p>`,
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

async function recordAudit(audit: Audit, runnerTemp: string): Promise<void> {
  let path: string | undefined;
  try {
    path = await writeAudit(audit, runnerTemp, process.env);
    core.info(`Audit record: ${path}`);
  } catch (e) {
    core.warning(`jit-gpg: could not write the audit file: ${(e as Error).message}`);
  }
  await writeSummary(audit, path);
}

/**
 * On cancel the runner sends SIGINT, then SIGTERM 7.5 s later, then kills. Use that time: the job's cleanup (run
 * once, whichever signal comes first; later signals wait for it), then exit. The post step checks again.
 */
function onCancel(cleanup: () => Promise<void> | undefined): () => void {
  let busy = false;
  const handler = (signal: NodeJS.Signals) => {
    if (busy) return;
    busy = true;
    core.error(`jit-gpg: cancelled (${signal}); removing the keyring and revoking the service token before exiting`);
    const hard = setTimeout(() => process.exit(1), 6000);
    Promise.resolve(cleanup())
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
  let jobCleanup: (() => Promise<void>) | undefined;
  const removeHandlers = onCancel(() => jobCleanup?.());
  try {
    await runMain((c) => {
      jobCleanup = c;
    });
  } finally {
    removeHandlers();
  }
}

async function runMain(registerCleanup: (cleanup: () => Promise<void>) => void): Promise<void> {
  const workspaceGiven = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const runnerTemp = process.env.RUNNER_TEMP || join(workspaceGiven, '..', '_temp');
  let ttl = 300;
  try {
    // 1. inputs and files, before any output about them and before any network call
    const { cfg, workspace, files } = await core.group('Validate inputs and resolve files', async () => {
      const i = readInputs();
      ttl = i.ttl;
      const ws = await realWorkspace(workspaceGiven);
      // what the step will talk to, named by the inputs that chose it (values are the user's own, not secrets)
      const described = Object.entries(i.service)
        .filter(([name]) => name !== 'public-key')
        .map(([name, value]) => `${name}=${printable(value ?? '')}`)
        .join(' ');
      info(
        i.provider === 'vault'
          ? `Key service: vault ${i.vaultUrl} role "${i.vaultRole}" secret ${i.vaultSecret}`
          : `Key service: ${i.provider} ${described}`,
      );
      if (i.vaultUrl) {
        const proxy = proxyFor(i.vaultUrl);
        if (proxy) core.info(`Vault requests go through the proxy ${safeProxy(proxy)} (see NO_PROXY to bypass it)`);
      }
      core.info(`Key lifetime (ttl): ${i.ttl} s`);
      if (i.run) {
        // `run` with an exported key needs GnuPG on the runner: find out now, before any token is requested (a
        // remote signer's git shim needs only git)
        if (!REMOTE_SIGNERS.includes(i.provider)) await gpgLibexecDir();
        info(`run: ${i.run}`);
      }
      const found = i.files.length
        ? await resolveFiles(i.files, ws, i.checksums ? { checksums: i.checksums } : {})
        : [];
      return { cfg: i, workspace: ws, files: found };
    });
    if (cfg.files.length) {
      if (files.length === 0) {
        const what = `no files matched ${cfg.files.map((p) => JSON.stringify(p)).join(', ')} in the workspace`;
        if (cfg.ifNoFilesFound === 'error') {
          throw new ActionError(
            `${what}: check the files globs (relative to the workspace, one per line) and that the artifacts are built before this step, or set if-no-files-found: warn`,
          );
        }
        if (cfg.ifNoFilesFound === 'warn') core.warning(`jit-gpg: ${what}; nothing to sign`);
        else info(`${what}; nothing to sign`);
        if (!cfg.run && cfg.checksumsMerge.length === 0) {
          core.setOutput('signatures', '[]');
          await recordAudit({ ...newAudit(ttl), outcome: 'nothing-to-sign' }, runnerTemp);
          return;
        }
      } else {
        core.info(`${files.length} file(s) to sign:`);
        for (const f of files) core.info(`  ${escapedPath(displayPath(f, workspace))}`);
      }
    }

    const outDir = commonDir(files, workspace);
    const fanIn = cfg.checksumsMerge.length > 0;
    const checksumsPath = cfg.checksums && (files.length || fanIn) ? join(outDir, cfg.checksums) : undefined;
    const release = releaseHooks({
      workspace,
      scan: cfg.scan,
      mergePatterns: cfg.checksumsMerge,
      ...(checksumsPath ? { manifestPath: checksumsPath } : {}),
      env: process.env,
    });
    // public-key: armored text or a path in (or outside) the workspace; checked before any network call
    let publicKey: string | undefined;
    if (cfg.service['public-key']) {
      try {
        publicKey = readPublicKeyInput(cfg.service['public-key'], workspace);
      } catch (e) {
        throw new ActionError(`jit-gpg: input \`public-key\`: ${(e as Error).message}`);
      }
    }
    const provider = createProvider(cfg.provider, cfg.service, {
      baseDir: workspace,
      allowInsecureHttp: cfg.allowInsecureHttp,
      log: info,
      mask: (s) => maskSecret(s),
      onVaultSession: (session) => {
        core.setSecret(session.token);
        core.saveState(STATE_VAULT, sessionToState(session));
      },
      onVaultSessionEnd: () => core.saveState(STATE_VAULT, ''),
    });
    const result = await runSignJob(
      {
        workspace,
        files,
        key: {
          kind: 'provider',
          provider,
          idToken: async () => {
            const t = await requestIdToken({
              audience: cfg.audience,
              mask: (s) => core.setSecret(s),
              log: info,
            });
            info(`Got an OIDC token for audience "${cfg.audience}":\n${describeClaims(t.claims)}`);
            return t;
          },
        },
        ...(cfg.fingerprint ? { fingerprint: cfg.fingerprint } : {}),
        ...(publicKey ? { publicKey } : {}),
        armor: cfg.armor,
        notations: ciNotations(process.env),
        ...(checksumsPath ? { checksumsPath } : {}),
        // beside the artifacts (a fan-in: beside the manifest); with only `run`, in RUNNER_TEMP so the checkout
        // stays clean (release tools check it)
        publicKeyPath: files.length
          ? join(outDir, PUBLIC_KEY_NAME)
          : fanIn && checksumsPath
            ? join(dirname(checksumsPath), PUBLIC_KEY_NAME)
            : (key) => join(runnerTemp, `jit-gpg-${key.keyId}.pub.asc`),
        confineTo: workspace,
        ...(cfg.run ? { run: { command: cfg.run, cwd: workspace, tempRoot: runnerTemp, env: process.env } } : {}),
        ttl: cfg.ttl,
      },
      {
        log: info,
        group: (title, fn) => core.group(title, fn),
        mask: (s) => maskSecret(s),
        saveState: (name, value) => core.saveState(name, value),
        registerCleanup,
        remoteKey: (session, armored) => remoteSigningKey(session, armored),
        beforeToken: release.beforeToken,
        ...(release.mergeChecksums ? { mergeChecksums: release.mergeChecksums } : {}),
      },
    );
    release.record(result.audit);
    if (result.key) {
      core.setOutput('fingerprint', result.key.fingerprint);
      core.setOutput('key-id', result.key.keyId);
    }
    if (result.error === undefined) {
      const sigPaths = [...result.signed, ...(result.manifest ? [result.manifest] : [])].map((s) =>
        displayPath(s.signature, workspace),
      );
      core.setOutput('signatures', JSON.stringify(sigPaths));
      if (result.manifestPath) core.setOutput('checksums', displayPath(result.manifestPath, workspace));
      if (result.publicKeyPath) core.setOutput('public-key', displayPath(result.publicKeyPath, workspace));
    } else {
      result.audit.error = errorText(result.error);
      core.setFailed(errorText(result.error));
    }
    await recordAudit(result.audit, runnerTemp);
  } catch (e) {
    // a failure before the job started (inputs, files): nothing was fetched
    const message = errorText(e instanceof WorkspaceError ? new ActionError(`input \`files\`: ${e.message}`) : e);
    core.setFailed(message);
    await recordAudit({ ...newAudit(ttl), error: message }, runnerTemp);
  } finally {
    core.saveState(STATE_DONE, 'true');
  }
}
