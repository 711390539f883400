// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// Credentials in HTTP requests as people write them: an `Authorization` header (Basic, Bearer, Token) in curl
// commands, `.http`/`.rest` files, code and YAML, and `curl -u user:password`. These are fallbacks: a token whose
// own rule reports it (a GitHub token, a JWT) is that rule's finding; the header rule names what is left.
// Example values are assembled at run time from fixture helpers, so no credential-shaped literal lives here.
import type { Rule, Validity } from '../types.ts';
import { isPlaceholder, isReference, isRepeated, isStandIn, shannonEntropy } from '../filters.ts';
import {
  FIXTURE_ALPHABETS as A,
  fakeJwt,
  fx,
  isPlaceholderPassword,
  isStandInPassword,
  validateBasicAuthBase64,
  validatePassword,
} from '../validate/structure.ts';
import { lazyExamples } from './examples.ts';

/** `Authorization` as a header line, a dictionary key or a header-setting call, then the value's opening quote. */
const AUTHORIZATION = String.raw`(?i:authorization)["'\x60]?[ \t]*(?::|=>|=|,)[ \t]*["'\x60]?`;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const basic = b64(`deploy-bot:${fx('hb1', 14)}-${fx('hb2', 4, A.digits)}`);
const bearer = fx('hbe', 40, A.base64url);
const token = fx('htk', 40, A.hex);
const pw = `${fx('hcu', 12)}!${fx('hcu2', 4, A.digits)}`;

/**
 * A bearer value: not a JWT (the JWT rule proves those), no placeholder, stand-in or identifier, and mixed enough
 * to be random (hex API tokens such as Django REST framework's count).
 */
function validateBearer(secret: string): Validity {
  if (secret.startsWith('eyJ')) return 'invalid';
  if (isPlaceholder(secret) || isReference(secret) || isRepeated(secret) || isStandIn(secret)) return 'invalid';
  if (isPlaceholderPassword(secret) || /^[A-Za-z_]+$/.test(secret) || /^[A-Z0-9_]+$/.test(secret)) return 'invalid';
  // Words that name what they stand for, a few digits typed after them (`fbk_validBearerKey123`, a test's header).
  if (isStandInPassword(secret)) return 'invalid';
  if (/token|secret|passw|example|sample/i.test(secret)) return 'invalid';
  return shannonEntropy(secret) < 3.2 ? 'invalid' : 'unknown';
}

export const httpRules: Rule[] = [
  {
    id: 'authorization-basic',
    title: 'HTTP Basic credentials in an Authorization header',
    severity: 'high',
    keywords: ['authorization'],
    pattern: String.raw`${AUTHORIZATION}(?i:basic)[ \t]+([A-Za-z0-9+/]{8,}={0,2})(?:[^A-Za-z0-9+/=]|$)`,
    validate: validateBasicAuthBase64,
    fallback: true,
    help:
      'An `Authorization: Basic …` header with base64 of `user:password` (curl commands, `.http` files, code, ' +
      'YAML). Reported only when it decodes to `user:password` with a password that is not a placeholder. Change the ' +
      'password and send it from a secret store or the environment instead.',
    examples: lazyExamples(() => ({
      tp: [
        `curl -H "Authorization: Basic ${basic}" https://api.service.invalid/v1/items`,
        `GET https://api.service.invalid/v1/items\nAuthorization: Basic ${basic}`,
        `headers = {"Authorization": "Basic ${basic}"}`,
        `req.Header.Set("Authorization", "Basic ${basic}")`,
        `        Authorization: Basic ${basic}`,
      ],
      fp: [
        `curl -H "Authorization: Basic ${b64('user:password')}" https://localhost`,
        `curl -H "Authorization: Basic ${b64('foo:bar')}" https://localhost`,
        'curl -H "Authorization: Basic $(echo -n $USER:$PASS | base64)" https://api.service.invalid',
        "headers: { Authorization: 'Basic ' + btoa(`${user}:${pass}`) }",
        'Authorization: Basic {{credentials}}',
      ],
    })),
  },
  {
    id: 'authorization-bearer',
    title: 'Bearer or API token in an Authorization header',
    severity: 'high',
    keywords: ['authorization'],
    pattern: String.raw`${AUTHORIZATION}(?i:bearer|token)[ \t]+([A-Za-z0-9._~+/=-]{16,})(?:[^A-Za-z0-9._~+/=-]|$)`,
    validate: validateBearer,
    fallback: true,
    help:
      'An `Authorization: Bearer …` or `Authorization: Token …` header with a literal token (curl commands, `.http` ' +
      'files, code, YAML). Tokens with a rule of their own (GitHub, GitLab, JWT…) are reported by that rule; ' +
      'placeholders, variables and JWTs the JWT rule rejects are not reported. Revoke the token and load it from a secret store.',
    examples: lazyExamples(() => ({
      tp: [
        `curl -H "Authorization: Bearer ${bearer}" https://api.service.invalid/v1/items`,
        `curl -sS -H 'Authorization: Token ${token}' https://api.service.invalid/`,
        `GET https://api.service.invalid/v1/me\nAuthorization: Bearer ${bearer}`,
        `headers = {'Authorization': 'Bearer ${bearer}'}`,
        `req.Header.Set("Authorization", "Token ${token}")`,
        `  headers:\n    Authorization: Bearer ${bearer}`,
      ],
      fp: [
        'curl -H "Authorization: Bearer $API_TOKEN" https://api.service.invalid',
        'curl -H "Authorization: Bearer ${API_TOKEN}" https://api.service.invalid',
        'Authorization: Bearer <your-access-token>',
        'Authorization: Bearer {{access_token}}',
        'Authorization: Bearer YOUR_ACCESS_TOKEN_HERE',
        'headers: { Authorization: `Bearer ${token}` }',
        `Authorization: Bearer ${fakeJwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'hjw')}`,
        'Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxx',
        '      headers: { authorization: "Bearer fbk_validBearerKey123" },',
      ],
    })),
  },
  {
    id: 'curl-user-password',
    title: 'Password in a curl -u/--user argument',
    severity: 'high',
    keywords: ['curl'],
    pattern: String.raw`\bcurl\b[^\n|;&]*?[ \t](?:-u|--user)(?:[ \t]+|=)["']?[^\s:"'$]{0,64}:([^\s"']{3,})`,
    validate: validatePassword,
    help:
      'A `user:password` passed to curl with `-u` or `--user`: it also leaks into shell history, CI logs and ' +
      'process lists. Placeholders and variables are not reported. Rotate the password and pass it with ' +
      '`--netrc-file` or a config read from a secret.',
    examples: lazyExamples(() => ({
      tp: [
        `curl -u admin:${pw} https://api.service.invalid/v1/items`,
        `curl --user "deploy:${pw}" -X POST https://ci.service.invalid/job/build`,
        `curl -fsS --user=ci:${pw} https://nexus.corp.invalid/repository/raw/`,
      ],
      fp: [
        'curl -u "$USER:$PASSWORD" https://api.service.invalid',
        'curl -u admin:admin http://localhost:8080',
        'curl -u user:password https://api.service.invalid',
        'curl -u ${USERNAME}:${TOKEN} https://api.service.invalid',
        'curl -u elastic:<password> https://localhost:9200',
        // Constants a deployment script substitutes (sed) before it runs.
        "curl -s -XGET -u DOMAIN_ADMIN_UNAME:DOMAIN_ADMIN_PW 'https://DOMAIN_ENDPOINT'",
      ],
    })),
  },
];
