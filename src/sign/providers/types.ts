// The seam between the signing job and a key service. Two kinds of provider fit behind it:
//
//   key stores      log in with the job's OIDC token and return the armored secret key (and its passphrase): the
//                   key is unlocked in memory on the runner for one step (Vault KV today; cloud secret stores).
//   remote signers  log in with the OIDC token and return a session holding the service's public key; every
//                   signature is one `sign(digest, hash)` call, and the private key never leaves the service
//                   (Vault transit, cloud KMS).
//
// Providers call `mask` for every secret the moment they learn it (service token, key, passphrase) so the
// action adapter can core.setSecret() it before anything else is logged, and `onSession` right after login
// so the adapter can save what a post step needs to revoke the session if main dies.
import type { KeyObject } from 'node:crypto';
import type { HashName } from '../packet.ts';

/** What every service session has: a way to let go of it, and a description for logs and the audit. */
export interface ServiceSession {
  /**
   * Ends the service session (e.g. revokes the Vault token, drops temporary credentials). Idempotent and
   * concurrency-safe: calls while one is in flight share it, so cleanup runs once. Never throws.
   */
  release(): Promise<void>;
  /** Whether the service session has already been ended. */
  released(): boolean;
  /** Non-secret description of where the key is, for logs and the audit: "vault https://… secret/data/…". */
  source: string;
  /** Non-secret facts about the key or secret (e.g. KV version, created_time, key version). */
  metadata: Record<string, string | number>;
  /** Non-secret identity the service saw (role, assumed-role ARN, service account), for the audit. */
  identity?: string;
}

/** Key material from a key store. */
export interface KeyMaterial extends ServiceSession {
  /** The armored secret key (decoded from base64 when stored that way). */
  armoredKey: string;
  passphrase?: string;
}

/** A key store: exchanges the OIDC JWT for key material. Errors are ProviderError with an actionable message. */
export interface KeyStoreProvider {
  readonly kind: 'key-store';
  /** The provider input's value, e.g. `vault`. */
  readonly name: string;
  /** The service's name for log lines, e.g. `Vault`, `AWS Secrets Manager`. */
  readonly label: string;
  fetchKey(idToken: string): Promise<KeyMaterial>;
}

/** Kept for callers written before remote signers existed: a key store. */
export type KeyProvider = KeyStoreProvider;

/**
 * A session with a key that never leaves the service.
 *
 * `sign` receives the final OpenPGP digest (document ‖ hashed fields ‖ trailer, already hashed with `hash`) and
 * returns the signature in one canonical encoding, whatever the service's own wire form is:
 *   - RSA: PKCS#1 v1.5 over `hash` (DigestInfo added by the service), the signature as a big-endian integer;
 *   - ECDSA: the DER `Ecdsa-Sig-Value` (SEQUENCE { r, s }), the form node:crypto and most services return;
 *   - Ed25519: 64 bytes R ‖ S from the service's *pure* mode over the digest bytes as the message (legacy EdDSA
 *     signs the digest as its message; Ed25519ph would not verify in GnuPG).
 * Where the service fixes the hash for a key (e.g. P-384 → SHA-384), `hashes` says so and the job uses it.
 */
export interface RemoteSigningSession extends ServiceSession {
  /** The service's public key (from its own API); checked against the configured OpenPGP public key. */
  publicKey: KeyObject;
  /** Hashes the service accepts for this key, preferred first; absent = any of sha256/sha384/sha512. */
  hashes?: readonly HashName[];
  sign(digest: Uint8Array, hash: HashName): Promise<Uint8Array>;
}

/** A remote signer: exchanges the OIDC JWT for a signing session. Errors are ProviderError. */
export interface RemoteSignerProvider {
  readonly kind: 'remote-signer';
  /** The provider input's value, e.g. `aws-kms`. */
  readonly name: string;
  /** The service's name for log lines, e.g. `AWS KMS`. */
  readonly label: string;
  connect(idToken: string): Promise<RemoteSigningSession>;
}

export type SignProvider = KeyStoreProvider | RemoteSignerProvider;

export type ProviderErrorCode =
  | 'config' // bad input (URL, path, CA file)
  | 'claims-mismatch' // the role refused the token's claims (audience, bound claims, subject, issuer)
  | 'role-not-found'
  | 'login-failed' // any other login refusal
  | 'permission-denied' // policy does not allow reading the secret
  | 'not-found' // no secret at the path
  | 'field-missing' // the secret lacks the key field
  | 'bad-key' // the key field holds neither armor nor base64 of armor
  | 'key-mismatch' // the service's key is not the configured public key
  | 'tls' // the server's certificate did not verify
  | 'unavailable' // 5xx / connection failures after retries
  | 'bad-response';

/** A key-service failure whose message says what to change; it never contains a secret. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  provider: string;
  code: ProviderErrorCode;
  /** HTTP status, when the service answered. */
  status?: number;
  constructor(provider: string, code: ProviderErrorCode, message: string, status?: number) {
    super(message);
    this.provider = provider;
    this.code = code;
    if (status !== undefined) this.status = status;
  }
}
