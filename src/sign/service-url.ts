// The one check every key-service URL passes before anything is printed or any token is requested: an absolute
// http(s) URL without credentials, and plain http only to this machine unless the user explicitly allows it.
// Errors never show the value: a URL with `user:pass@` in it is a credential.
import { isLoopbackHost } from '../shared/http.ts';

export class ServiceUrlError extends Error {
  override name = 'ServiceUrlError';
}

export interface ServiceUrlOptions {
  /** The input or option that held the URL, named in errors (e.g. `vault-url`). */
  name: string;
  /** Plain http:// to a host that is not loopback is refused unless this is true. */
  allowInsecureHttp?: boolean;
  /** How to allow it, named in the error (the action's input or the CLI's flag). */
  allowHint?: string;
}

export function checkServiceUrl(value: string, options: ServiceUrlOptions): URL {
  const { name } = options;
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw new ServiceUrlError(`${name} is not an absolute URL (expected e.g. https://vault.example.com:8200)`);
  }
  if (u.username || u.password) {
    // The service authenticates with the OIDC token; credentials in the address would only end up in logs.
    throw new ServiceUrlError(
      `${name} must not contain a user name or password (the value is not shown); remove the part before "@"`,
    );
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new ServiceUrlError(`${name} must be an https:// URL (got a ${u.protocol.replace(/:$/, '')}: URL)`);
  }
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname) && !options.allowInsecureHttp) {
    throw new ServiceUrlError(
      `${name} uses plain http:// to ${u.host}: the OIDC token, the service token and the key would cross the ` +
        `network unencrypted. Use https:// (with a CA certificate for a private CA), or set ` +
        `${options.allowHint ?? 'allow-insecure-http: true'} for a lab setup`,
    );
  }
  return u;
}
