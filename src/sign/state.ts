// Names of the state entries the signing action's main step saves for its post step (core.saveState /
// core.getState). A module of its own so the post bundle imports only these strings, not the signer.
//
//   vault-session  JSON {url, token, namespace?, caCertPath?, accessor?} from the moment Vault answered the login
//                  until the token is revoked (then emptied at once). The token is in the state file on purpose:
//                  main may be SIGKILLed between login and revoke, and only the token itself can revoke a token.
//   keyring        JSON {dir, socketDir?, agentPid?, commandPid?} saved BEFORE the key is imported for `run`
//                  (then again with the agent's and the command's pids); emptied as soon as the directory is gone.
//   main-finished  "true" when main reached its end (failed or not).

export const STATE_VAULT = 'vault-session';
export const STATE_KEYRING = 'keyring';
/**
 * shim: the private directory of a remote signer's git shim (socket + script) while `run:` runs; emptied when it is
 * removed. The post step removes it if main was killed in between.
 */
export const STATE_SHIM = 'git-shim';
/** The name every git shim directory starts with (the post step removes nothing else). */
export const SHIM_PREFIX = 'jit-gpg-shim-';
/** Set once main got to its end (the post step then only double-checks). */
export const STATE_DONE = 'main-finished';
