// `uses: org/jit-gpg@v1` post step (post-if: always()): removes whatever main could not, using only the state main
// saved: the ephemeral keyring directory and its gpg-agent, and a Vault token that may still be alive. Idempotent;
// warns instead of failing; copes with a main that never started (no state) or died half-way (SIGKILL, timeout).
import * as core from '@actions/core';
import { proxySecrets } from '../shared/http.ts';
import { cleanupKeyring, type KeyringInfo } from '../sign/keyring.ts';
import { revokeVaultToken, sessionFromState } from '../sign/providers/vault.ts';
import { STATE_DONE, STATE_KEYRING, STATE_VAULT } from '../sign/state.ts';

export interface PostReport {
  removed: string[];
  warnings: string[];
}

function parseKeyringState(text: string): KeyringInfo | undefined {
  if (!text.trim()) return undefined;
  try {
    const v = JSON.parse(text) as Partial<KeyringInfo> | null;
    if (!v || typeof v.dir !== 'string' || !v.dir) return undefined;
    const info: KeyringInfo = { dir: v.dir };
    if (typeof v.socketDir === 'string' && v.socketDir) info.socketDir = v.socketDir;
    if (typeof v.agentPid === 'number' && Number.isInteger(v.agentPid) && v.agentPid > 1) info.agentPid = v.agentPid;
    if (typeof v.commandPid === 'number' && Number.isInteger(v.commandPid) && v.commandPid > 1) {
      info.commandPid = v.commandPid;
    }
    return info;
  } catch {
    return undefined;
  }
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
    const session = sessionFromState(vaultState);
    if (session) core.setSecret(session.token); // before anything else is printed
    const keyring = parseKeyringState(keyringState);

    await core.group('jit-gpg: remove every trace', async () => {
      if (!session && !keyring) {
        core.info(
          mainFinished
            ? 'Nothing to clean up: main revoked the Vault token and removed its keyring.'
            : 'Nothing to clean up: main saved no state (it did not start, or stopped before logging in to Vault).',
        );
        return;
      }
      if (!mainFinished) core.info('main did not finish (killed, timed out or crashed); cleaning up after it.');

      if (keyring) {
        try {
          const r = await cleanupKeyring(keyring.dir, {
            ...(keyring.socketDir ? { socketDir: keyring.socketDir } : {}),
            ...(keyring.agentPid !== undefined ? { agentPid: keyring.agentPid } : {}),
            ...(keyring.commandPid !== undefined ? { commandPid: keyring.commandPid } : {}),
          });
          if (r.actions.length === 0) core.info(`Keyring ${keyring.dir}: already gone`);
          for (const a of r.actions) {
            core.info(`Keyring: ${a}`);
            report.removed.push(a);
          }
          if (!r.removed && r.actions.some((a) => a.startsWith('could not'))) warn(`could not remove ${keyring.dir}`);
        } catch (e) {
          warn(`could not clean up the keyring ${keyring.dir}: ${(e as Error).message}`);
        }
      }

      if (session) {
        try {
          const outcome = await revokeVaultToken(session, { log: (m) => core.info(m), retry: { attempts: 3 } });
          const who = session.accessor ? ` (accessor ${session.accessor})` : '';
          if (outcome === 'revoked') {
            core.info(`Vault: revoked the token${who} that main left alive`);
            report.removed.push(`revoked Vault token${who}`);
          } else {
            core.info(`Vault: the token${who} was already revoked or expired`);
          }
        } catch (e) {
          warn(
            `could not revoke the Vault token at ${session.url} (it expires with the role's token_ttl): ${(e as Error).message}`,
          );
        }
      }
      core.info(report.removed.length ? `Removed: ${report.removed.join('; ')}` : 'Nothing was left behind by main.');
    });
  } catch (e) {
    warn(`cleanup did not complete: ${(e as Error).message}`);
  }
  return report;
}
