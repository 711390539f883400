// What a key service gives the signer: a token in, key material out, and a way to let go of the service session.
//
// Providers call `mask` for every secret the moment they learn it (service token, key, passphrase) so the
// action adapter can core.setSecret() it before anything else is logged, and `onSession` right after login
// so the adapter can save what a post step needs to revoke the session if main dies.

export interface KeyMaterial {
  /** The armored secret key (decoded from base64 when stored that way). */
  armoredKey: string;
  passphrase?: string;
  /** Ends the service session (e.g. revokes the Vault token); idempotent, never throws. */
  release(): Promise<void>;
  /** Whether the service session has already been ended. */
  released(): boolean;
  /** Non-secret description of where the key came from, for logs and the audit: "vault https://… secret/data/…". */
  source: string;
  /** Non-secret facts about the secret (e.g. KV version, created_time). */
  metadata: Record<string, string | number>;
}

export interface KeyProvider {
  readonly name: string;
  /** Exchanges the OIDC JWT for key material. Errors are ProviderError with an actionable message. */
  fetchKey(idToken: string): Promise<KeyMaterial>;
}

export type ProviderErrorCode =
  | 'config' // bad input (URL, path, CA file)
  | 'claims-mismatch' // the role refused the token's claims (audience, bound claims, subject, issuer)
  | 'role-not-found'
  | 'login-failed' // any other login refusal
  | 'permission-denied' // policy does not allow reading the secret
  | 'not-found' // no secret at the path
  | 'field-missing' // the secret lacks the key field
  | 'bad-key' // the key field holds neither armor nor base64 of armor
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
