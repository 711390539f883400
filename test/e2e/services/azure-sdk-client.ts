// Run as a child process by azure.test.ts (so NODE_EXTRA_CA_CERTS trusts the stand-in's test CA): Azure's own
// clients (@azure/identity ClientAssertionCredential, @azure/keyvault-keys, @azure/keyvault-secrets) against the
// Azure stand-in. Prints one JSON line: the key's JWK, a signature over a digest, the secret's value, or the error.
import { createHash } from 'node:crypto';
import { ClientAssertionCredential } from '@azure/identity';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';

const env = process.env;
const credential = new ClientAssertionCredential(env.AZ_TENANT!, env.AZ_CLIENT!, async () => env.AZ_JWT!, {
  authorityHost: env.AZ_URL!,
  disableInstanceDiscovery: true,
});
const options = { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } };
try {
  const keys = new KeyClient(env.AZ_URL!, credential, options);
  const key = await keys.getKey(env.AZ_KEY!);
  const digest = createHash('sha256').update('proof').digest();
  const crypto = new CryptographyClient(key.id!, credential, options);
  const signed = await crypto.sign(env.AZ_ALG! as 'ES256', digest);
  const secrets = new SecretClient(env.AZ_URL!, credential, options);
  const secret = await secrets.getSecret(env.AZ_SECRET!);
  process.stdout.write(
    `${JSON.stringify({
      kid: key.id,
      jwk: {
        kty: key.key?.kty,
        crv: key.key?.crv,
        x: b64(key.key?.x),
        y: b64(key.key?.y),
        n: b64(key.key?.n),
        e: b64(key.key?.e),
      },
      signature: Buffer.from(signed.result).toString('base64url'),
      digest: digest.toString('base64url'),
      secret: secret.value,
    })}\n`,
  );
} catch (e) {
  const err = e as { name?: string; statusCode?: number; code?: string; message?: string };
  process.stdout.write(
    `${JSON.stringify({ error: { name: err.name, statusCode: err.statusCode, code: err.code, message: err.message } })}\n`,
  );
}

function b64(v: Uint8Array | undefined): string | undefined {
  return v ? Buffer.from(v).toString('base64url') : undefined;
}
