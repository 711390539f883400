// What a remote signer gives the signing job: the service's public key and a way to sign one digest with it, for
// as long as the service session lives. The key itself never leaves the service.
//
// Providers call `mask` for every credential the moment they learn it and `onSession` right after login (what a
// post step needs to end the session if main dies), as key stores do (types.ts).

import type { HashName } from '../packet.ts';
import type { DigestSigner, ServicePublicKey } from '../remote-key.ts';

export interface RemoteSignerSession {
  publicKey: ServicePublicKey;
  /** A hash the service fixes for this key (GCP's algorithms); undefined = the key type's default. */
  hash?: HashName;
  /** One remote sign call per digest. */
  sign: DigestSigner;
  /** Ends the service session (revokes the token, or drops temporary credentials); idempotent, never throws. */
  release(): Promise<void>;
  released(): boolean;
  /** Non-secret description of the key, for logs and the audit: "vault-transit https://… transit/keys/release". */
  source: string;
  /** Non-secret facts (key version, key spec, the identity the service saw). */
  metadata: Record<string, string | number>;
}

export interface RemoteSignerProvider {
  readonly name: string;
  readonly kind: 'remote-signer';
  /** Exchanges the OIDC JWT for a signing session. Errors are ProviderError with an actionable message. */
  connect(idToken: string): Promise<RemoteSignerSession>;
}
