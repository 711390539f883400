// `uses: org/jit-gpg@v1` post step (post-if: always()): removes whatever main could not, using only the state main
// saved: the ephemeral keyring directory and its gpg-agent, and a Vault token that may still be alive. Idempotent;
// warns instead of failing; copes with a main that never started (no state) or died half-way (SIGKILL, timeout).
// Every state entry is checked before it is acted on (src/sign/post-state.ts), and every message says only what
// post itself found and did.
import * as core from '@actions/core';
import { printable } from '../shared/escape.ts';
import { proxySecrets } from '../shared/http.ts';
import { cleanupKeyring } from '../sign/keyring.ts';
import { checkKeyringState, checkShimState } from '../sign/post-state.ts';
import { checkServiceUrl } from '../sign/service-url.ts';
import { revokeVaultToken, sessionFromState } from '../sign/providers/vault.ts';
import { rm } from 'node:fs/promises';
import { SHIM_PREFIX, STATE_DONE, STATE_KEYRING, STATE_SHIM, STATE_VAULT } from '../sign/state.ts';

/** A plain log line; parts of it come from the state file, which is not ours alone to write. */
const info = (text: string) => core.info(printable(text));

export interface PostReport {
  removed: string[];
  warnings: string[];
}

/** The post step. Never fails the job: problems become warnings. */
export async function post(): Promise<PostReport> {
  const report: PostReport = { removed: [], warnings: [] };
  for (const s of proxySecrets()) core.setSecret(s);
  const warn = (m: string) => {
    report.warnings.push(m);
    core.warning(`jit-gpg post: ${m}`);
  };
  try {
    const vaultState = core.getState(STATE_VAULT);
    const keyringState = core.getState(STATE_KEYRING);
    const mainFinished = core.getState(STATE_DONE) === 'true';
    let session = sessionFromState(vaultState);
    if (session) core.setSecret(session.token); // before anything else is printed
    if (vaultState.trim() && !session) warn('ignored the Vault session state entry: it is not the JSON main writes');
    if (session) {
      try {
        checkServiceUrl(session.url, { name: 'the saved Vault address', allowInsecureHttp: true });
      } catch (e) {
        warn(`ignored the Vault session state entry: ${(e as Error).message}`);
        session = undefined;
      }
    }
    const checked = checkKeyringState(keyringState, process.env.RUNNER_TEMP ?? '');
    for (const w of checked.warnings) warn(w);
    const keyring = checked.info;

    const shim = checkShimState(core.getState(STATE_SHIM), process.env.RUNNER_TEMP ?? '', SHIM_PREFIX);
    if (shim.warning) warn(shim.warning);
    const shimDir = shim.dir;

    await core.group('jit-gpg: remove every trace', async () => {
      // a remote signer's git shim (socket + script) left by a main killed while `run:` ran; only our own, checked
      if (shimDir) {
        try {
          await rm(shimDir, { recursive: true, force: true });
          info(`git shim: removed ${shimDir}`);
          report.removed.push(`git shim ${shimDir}`);
        } catch (e) {
          warn(`could not remove the git shim ${shimDir}: ${(e as Error).message}`);
        }
      }
      if (!session && !keyring && report.removed.length === 0) {
        info(
          mainFinished
            ? 'Nothing to clean up: no keyring and no live service token are recorded in the state.'
            : 'Nothing to clean up: main saved no state (it did not start, or stopped before logging in to Vault).',
        );
        return;
      }
      if (!mainFinished) info('main did not finish (killed, timed out or crashed); cleaning up after it.');

      if (keyring) {
        try {
          const r = await cleanupKeyring(keyring.dir, {
            ...(keyring.socketDir ? { socketDir: keyring.socketDir } : {}),
            ...(keyring.agentPid !== undefined ? { agentPid: keyring.agentPid } : {}),
            ...(keyring.commandPid !== undefined ? { commandPid: keyring.commandPid } : {}),
          });
          if (r.actions.length === 0) info(`Keyring ${keyring.dir}: already gone`);
          for (const a of r.actions) {
            info(`Keyring: ${a}`);
            report.removed.push(a);
          }
          if (!r.removed && r.actions.some((a) => a.startsWith('could not'))) warn(`could not remove ${keyring.dir}`);
        } catch (e) {
          warn(`could not clean up the keyring ${keyring.dir}: ${(e as Error).message}`);
        }
      }

      if (session) {
        try {
          const outcome = await revokeVaultToken(session, { log: (m) => info(m), retry: { attempts: 3 } });
          const who = session.accessor ? ` (accessor ${session.accessor})` : '';
          if (outcome === 'revoked') {
            info(`Vault: revoked the token${who}`);
            report.removed.push(`revoked Vault token${who}`);
          } else {
            info(`Vault: the token${who} was already revoked or expired; nothing to do`);
          }
        } catch (e) {
          warn(
            `could not revoke the Vault token at ${session.url} (it expires with the role's token_ttl): ${(e as Error).message}`,
          );
        }
      }
      info(report.removed.length ? `Removed: ${report.removed.join('; ')}` : 'Post removed nothing.');
    });
  } catch (e) {
    warn(`cleanup did not complete: ${(e as Error).message}`);
  }
  return report;
}
