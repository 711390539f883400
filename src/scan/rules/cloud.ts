// Cloud providers and hosting platforms: AWS, Google Cloud, Azure, DigitalOcean, Heroku, Alibaba, Tencent, IBM,
// Cloudflare, Fly.io, Vercel, Netlify, Supabase, PlanetScale, Scaleway, Render. Written from each vendor's published
// key formats; example values are fake and built at run time.
import type { Rule, Validity } from '../types.ts';
import { ASSIGN, TOKEN_END } from './syntax.ts';
import {
  ALPHABETS,
  fake,
  fakeAwsKeyId,
  fakeBytes,
  fakeUuid,
  syntax,
  validateAwsKeyId,
  validateAzureSasSignature,
  validateBedrockApiKey,
  validateBedrockShortTermKey,
  validateBase64JsonPayload,
  validateGcpServiceAccountKey,
} from '../validate/checksum.ts';
import { lazyExamples } from './examples.ts';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const { env, yaml, json, code } = syntax;
const hex = (seed: string, n: number) => fake(seed, n, ALPHABETS.hex);
const b64 = (seed: string, n: number) => fake(seed, n, ALPHABETS.base64);
const b64url = (seed: string, n: number) => fake(seed, n, ALPHABETS.base64url);
const upper = (seed: string, n: number) => fake(seed, n, ALPHABETS.upperAlnum);
const mapbox = (seed: string) =>
  `sk.${Buffer.from(JSON.stringify({ u: `acme-${fake(`${seed}-u`, 5, ALPHABETS.lowerAlnum)}`, a: fake(`${seed}-a`, 25, ALPHABETS.lowerAlnum) })).toString('base64url')}.${b64url(`${seed}-s`, 22)}`;

// --- AWS -------------------------------------------------------------------------------------------------------

const akia = fakeAwsKeyId('AKIA', '123456789012', 'akia-a');
const asia = fakeAwsKeyId('ASIA', '210987654321', 'asia-a');
const awsSecretA = b64('aws-sk-a', 40);
const awsSecretB = b64('aws-sk-b', 40);
const sessionA = `IQoJb3JpZ2luX2VjE${b64('sts-a', 300)}`;
const sessionB = `FwoGZXIvYXdzE${b64('sts-b', 280)}`;

const bedrockLong = (seed: string) =>
  `ABSK${Buffer.from(`BedrockAPIKey-${fake(seed, 4, ALPHABETS.lowerAlnum)}-at-123456789012:${b64(`${seed}-s`, 44)}`).toString('base64')}`;
const bedrockShort = (seed: string) =>
  `bedrock-api-key-${Buffer.from(
    'bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      `&X-Amz-Credential=${fake(`${seed}-c`, 20, ALPHABETS.upperAlnum)}%2F20260101%2Fus-east-1%2Fbedrock%2Faws4_request` +
      `&X-Amz-Date=20260101T000000Z&X-Amz-Expires=43200&X-Amz-Signature=${hex(`${seed}-sig`, 64)}&Version=1`,
  ).toString('base64')}`;

// --- Google ----------------------------------------------------------------------------------------------------

// A throwaway 512-bit RSA key, generated for this fixture only: parseable, useless.
const SA_KEY_BODY = [
  'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq6rVEdKbHT73PwA9HgS6z4MAMZLZpcmsjuJsvMBpvk9OLb++x2AxhrungfM0',
  'GLA4e9P85joE529xlYpZNCn43QIDAQABAkEApoSAR9iFtBnG1WrS3hJybyXAg1XSH1oAM115YqI2MG2/3I4VRr732SMloq4DomwFS18cxGaL',
  'T8WFisVNPSehAQIhANvVIdWN3AF5k+QZBpzXJGiEod/PHTFt34cCYUYE3vNBAiEAx+kV4DeL0gt54O+8vJ/xvJkkyKJVIv2Xg5RL8+OeSp0C',
  'IQCA7iay3kmLX+faHsdfE1taJXffENT5WYyA3Wd5rn+oQQIgMwhDd1t2rAYV9N/+VECYW0bU5wrZpPcLqKFAyl++1tkCICeY72p5SKMzOejz',
  'lWU1CtenDe3XZ80jRV9awnK/6ckR',
].join('');
const PK = ['PRIVATE', 'KEY'].join(' ');
/** The key as a JSON string body: PEM lines joined by the two characters `\n`. */
const jsonPem = (body: string) =>
  `-----BEGIN ${PK}-----\\n${(body.match(/.{1,64}/g) ?? []).join('\\n')}\\n-----END ${PK}-----\\n`;
const serviceAccount = (privateKey: string, type = 'service_account') =>
  [
    '{',
    `  "type": "${type}",`,
    '  "project_id": "acme-prod",',
    `  "private_key_id": "${hex('sa-kid', 40)}",`,
    `  "private_key": "${privateKey}",`,
    '  "client_email": "deployer@acme-prod.iam.gserviceaccount.com",',
    '  "client_id": "104857600000000000000",',
    '  "token_uri": "https://oauth2.googleapis.com/token"',
    '}',
  ].join('\n');

// --- Azure -----------------------------------------------------------------------------------------------------

/** The Azurite / storage-emulator and Cosmos DB emulator keys are published, well-known development keys. */
const EMULATOR_KEYS = [
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq',
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEH',
];
const notEmulatorKey = (secret: string, match: string): Validity =>
  EMULATOR_KEYS.some((k) => secret.startsWith(k)) || /devstoreaccount1|localhost|127\.0\.0\.1/i.test(match)
    ? 'invalid'
    : 'unknown';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const storageKey = (seed: string) => fakeBytes(seed, 64).toString('base64'); // 88 characters ending in ==
const sasSig = (seed: string) => encodeURIComponent(fakeBytes(seed, 32).toString('base64'));
const ENTRA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-';
const entraA = `${fake('entra-a', 3, ENTRA)}8Q~${fake('entra-a2', 34, ENTRA)}`;
const entraB = `${fake('entra-b', 3, ENTRA)}7Q~${fake('entra-b2', 34, ENTRA)}`;

export const cloudRules: Rule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    severity: 'high',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: String.raw`\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b`,
    entropy: 3,
    validate: validateAwsKeyId,
    help: 'An AWS access key ID names an IAM access key (AKIA long-term, ASIA temporary); its secret is usually nearby. Deactivate and delete the key in IAM (or revoke the role session), then check CloudTrail for its use. Validated when the embedded account id decodes; the documented …EXAMPLE ids are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('AWS_ACCESS_KEY_ID', akia),
        `[default]\naws_access_key_id = ${akia}`,
        json('AccessKeyId', asia),
        code('accessKeyId', akia),
      ],
      fp: [
        env('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'), // AWS documentation example
        yaml('aws_access_key_id', 'AKIAI44QH8DHBEXAMPLE'), // off the base32 alphabet
        json('AccessKeyId', `AKIA${fake('akia-s', 12, ALPHABETS.base32)}`),
        code('id', `XAKIA${fake('akia-e', 16, ALPHABETS.base32)}`),
        env('AWS_ACCESS_KEY_ID', akia.toLowerCase()),
      ],
    })),
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    keywords: ['secret_access_key', 'secretaccesskey', 'aws_secret', 'awssecret'],
    // Also `aws configure set aws_secret_access_key …` (a space, no operator).
    pattern: `(?i:secret_access_key|secretaccesskey|aws_?secret(?:_?key)?)(?:${ASSIGN}|[ \t]+)([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`,
    entropy: 4,
    validate: (s) => (s.includes('EXAMPLE') ? 'invalid' : 'unknown'),
    help: 'An AWS secret access key signs API requests as its IAM user or role (the documented …EXAMPLEKEY value is not reported). Deactivate and delete the access key in IAM, create a replacement if needed, and review CloudTrail for its use.',
    examples: lazyExamples(() => ({
      tp: [
        env('AWS_SECRET_ACCESS_KEY', awsSecretA),
        `[default]\naws_secret_access_key = ${awsSecretB}`,
        json('SecretAccessKey', awsSecretA),
        code('awsSecretKey', awsSecretB),
        yaml('aws_secret', awsSecretA),
      ],
      fp: [
        env('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), // AWS documentation example
        yaml('aws_secret_access_key', syntax.ref('AWS_SECRET_ACCESS_KEY')),
        json('SecretAccessKey', b64('aws-sk-s', 32)),
        env('AWS_SECRET_ACCESS_KEY', 'a'.repeat(40)),
        code('secretKey', awsSecretA), // no AWS context
      ],
    })),
  },
  {
    id: 'aws-secret-access-key-pair',
    title: 'AWS secret access key next to its key ID',
    severity: 'critical',
    keywords: ['akia', 'asia'],
    pattern: String.raw`\b((?:AKIA|ASIA)[A-Z2-7]{16})["']?\s*[,;:|\t ]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`,
    secretGroup: 2,
    entropy: 4,
    validate: (secret, match) => {
      if (secret.includes('EXAMPLE')) return 'invalid';
      return validateAwsKeyId(match.replace(/^\W*/, '').slice(0, 20));
    },
    help: 'An AWS key pair side by side (the credentials.csv the console offers, a CLI argument list, a log line): the secret signs requests as the IAM user. Deactivate and delete the access key in IAM and review CloudTrail. Pairs with the documented …EXAMPLE values are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `User name,Password,Access key ID,Secret access key\nci-deployer,,${akia},${awsSecretA}`,
        `${akia} ${awsSecretB}`,
        `creds = ("${asia}", "${awsSecretA}")`,
      ],
      fp: [
        'AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        `${akia},${b64('pair-s', 30)}`,
        `${akia} ${'A'.repeat(40)}`,
      ],
    })),
  },
  {
    id: 'aws-session-token',
    title: 'AWS session token',
    severity: 'high',
    keywords: ['iqojb3jpz2lux2vj', 'fwogzxivyxdz'],
    pattern: String.raw`\b((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz)[A-Za-z0-9/+]{100,}={0,2})`,
    entropy: 4,
    help: 'An AWS session token, with its temporary key pair, acts as the assumed role until it expires (up to 12 hours, 36 for root sessions). Revoke active sessions of the role (IAM → Roles → Revoke active sessions) and find where it leaked from.',
    examples: lazyExamples(() => ({
      tp: [env('AWS_SESSION_TOKEN', sessionA), `aws_session_token = ${sessionB}`, json('SessionToken', sessionA)],
      fp: [
        env('AWS_SESSION_TOKEN', `IQoJb3JpZ2luX2Vj${b64('sts-s', 40)}`),
        yaml('aws_session_token', syntax.ref('AWS_SESSION_TOKEN')),
        json('SessionToken', `IQoJb3JpZ2luX2Vj${'A'.repeat(200)}`),
      ],
    })),
  },
  {
    id: 'aws-bedrock-api-key',
    title: 'Amazon Bedrock long-term API key',
    severity: 'high',
    keywords: ['absk'],
    pattern: String.raw`\b(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{40,}={0,2})`,
    entropy: 4,
    validate: validateBedrockApiKey,
    requireValid: true,
    help: 'A long-term Amazon Bedrock API key calls Bedrock as its IAM user. Delete it under IAM → the user → Service-specific credentials. It decodes to BedrockAPIKey-<id>-at-<account>:<secret>; a value that does not is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('AWS_BEARER_TOKEN_BEDROCK', bedrockLong('br-a')),
        yaml('api_key', bedrockLong('br-b')),
        `curl -H "Authorization: Bearer ${bedrockLong('br-c')}" https://bedrock-runtime.us-east-1.amazonaws.com/`,
      ],
      fp: [
        env('AWS_BEARER_TOKEN_BEDROCK', `ABSKQmVkcm9ja0FQSUtleS${b64('br-x', 80)}`),
        yaml('api_key', `ABSKQmVkcm9ja0FQSUtleS${b64('br-s', 20)}`),
      ],
    })),
  },
  {
    id: 'aws-bedrock-short-term-api-key',
    title: 'Amazon Bedrock short-term API key',
    severity: 'medium',
    keywords: ['bedrock-api-key-'],
    pattern: String.raw`\b(bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,}={0,2})`,
    entropy: 4,
    validate: validateBedrockShortTermKey,
    requireValid: true,
    help: "A short-term Bedrock API key is a presigned request valid for up to 12 hours with the permissions of the identity that made it. Revoke that identity's sessions if it is still live. It decodes to a presigned bedrock.amazonaws.com URL; a value that does not is not reported.",
    examples: lazyExamples(() => ({
      tp: [env('AWS_BEARER_TOKEN_BEDROCK', bedrockShort('brs-a')), json('token', bedrockShort('brs-b'))],
      fp: [
        env('AWS_BEARER_TOKEN_BEDROCK', `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t${b64('brs-x', 200)}`),
        yaml('token', 'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t'),
      ],
    })),
  },
  {
    id: 'amazon-mws-auth-token',
    title: 'Amazon Marketplace Web Service auth token',
    severity: 'high',
    keywords: ['amzn.mws.'],
    pattern: String.raw`\b(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`,
    entropy: 3,
    help: 'An MWS auth token lets a developer act on a seller account through Marketplace Web Service. The seller revokes it in Seller Central → User permissions → third-party developer access.',
    examples: lazyExamples(() => ({
      tp: [
        env('MWS_AUTH_TOKEN', `amzn.mws.${fakeUuid('mws-a')}`),
        yaml('mws_auth_token', `amzn.mws.${fakeUuid('mws-b')}`),
      ],
      fp: [
        env('MWS_AUTH_TOKEN', 'amzn.mws.00000000-0000-0000-0000-000000000000'),
        yaml('mws_auth_token', `amzn.mws.${hex('mws-s', 32)}`),
      ],
    })),
  },
  {
    id: 'gcp-api-key',
    title: 'Google Cloud API key',
    severity: 'medium',
    keywords: ['aiza'],
    pattern: String.raw`\b(AIza[A-Za-z0-9_-]{35})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    help: 'A Google API key bills and authorises calls to the APIs enabled for its project (Maps, Gemini, Firebase…). Restrict it by API and referrer or delete it under APIs & Services → Credentials; keys shipped in web/Firebase configs must at least be restricted.',
    examples: lazyExamples(() => ({
      tp: [
        ...syntax.all('google_api_key', `AIza${b64url('gk-a', 35)}`, `AIza${b64url('gk-b', 35)}`),
        `https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIza${b64url('gk-c', 35)}`,
      ],
      fp: [
        env('GOOGLE_API_KEY', `AIza${'x'.repeat(35)}`),
        yaml('google_api_key', `AIza${b64url('gk-s', 30)}`),
        json('google_api_key', `AIza${b64url('gk-l', 40)}`),
        code('id', `xAIza${b64url('gk-e', 35)}`),
      ],
    })),
  },
  {
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account key (JSON)',
    severity: 'critical',
    keywords: ['service_account'],
    pattern: String.raw`"type"\s*:\s*"service_account"[\s\S]{0,600}?"private_key"\s*:\s*"(-----BEGIN (?:RSA )?PRIVATE KEY-----\\n[A-Za-z0-9+/=\\]{64,}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"`,
    window: 12288,
    entropy: 4,
    validate: validateGcpServiceAccountKey,
    requireValid: true,
    help: 'A service account key file authenticates as the service account until the key is deleted. Delete the key under IAM & Admin → Service accounts → Keys (find it by private_key_id) and prefer workload identity federation. Validated when the private key parses; a key that does not parse is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        serviceAccount(jsonPem(SA_KEY_BODY)),
        `{"type":"service_account","project_id":"acme","private_key":"${jsonPem(SA_KEY_BODY)}","client_email":"ci@acme.iam.gserviceaccount.com"}`,
      ],
      fp: [
        serviceAccount(jsonPem(`${SA_KEY_BODY.slice(0, 120)}${SA_KEY_BODY.slice(160)}`)), // corrupted key body
        serviceAccount(`-----BEGIN ${PK}-----\\nMIIE...\\n-----END ${PK}-----\\n`),
        serviceAccount(jsonPem(SA_KEY_BODY), 'external_account'),
      ],
    })),
  },
  {
    id: 'gcp-oauth-client-secret',
    title: 'Google OAuth client secret',
    severity: 'high',
    keywords: ['gocspx-'],
    pattern: String.raw`\b(GOCSPX-[A-Za-z0-9_-]{28})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 3.5,
    help: 'A Google OAuth client secret lets anyone complete OAuth flows as the client. Add a new secret and disable/delete the leaked one under APIs & Services → Credentials → the OAuth client.',
    examples: lazyExamples(() => ({
      tp: syntax.all('google_client_secret', `GOCSPX-${b64url('gcs-a', 28)}`, `GOCSPX-${b64url('gcs-b', 28)}`),
      fp: [
        env('GOOGLE_CLIENT_SECRET', `GOCSPX-${'x'.repeat(28)}`),
        yaml('google_client_secret', `GOCSPX-${b64url('gcs-s', 20)}`),
        json('google_client_secret', `GOCSPX-${b64url('gcs-l', 36)}`),
      ],
    })),
  },
  {
    id: 'google-oauth-refresh-token',
    title: 'Google OAuth refresh token',
    severity: 'high',
    keywords: ['1//0'],
    pattern: `(?:^|[^A-Za-z0-9_/-])(1//0[A-Za-z0-9_-]{40,})`,
    entropy: 4,
    help: "A Google refresh token mints access tokens for the user and scopes that consented, until revoked. Revoke it at https://oauth2.googleapis.com/revoke or in the Google account's third-party access page.",
    examples: lazyExamples(() => ({
      tp: [
        env('GOOGLE_REFRESH_TOKEN', `1//0${b64url('grt-a', 99)}`),
        json('refresh_token', `1//0${b64url('grt-b', 99)}`),
      ],
      fp: [
        env('GOOGLE_REFRESH_TOKEN', `1//0${b64url('grt-s', 20)}`),
        yaml('path', `file:///1//0${b64url('grt-u', 60)}`),
      ],
    })),
  },
  {
    id: 'google-oauth-access-token',
    title: 'Google OAuth access token',
    severity: 'medium',
    keywords: ['ya29.'],
    pattern: String.raw`\b(ya29\.[A-Za-z0-9_-]{50,})`,
    entropy: 4,
    help: 'A Google OAuth access token acts for its user or service account for about an hour. Revoke it at https://oauth2.googleapis.com/revoke and remove it from where it was logged.',
    examples: lazyExamples(() => ({
      tp: [
        `curl -H "Authorization: Bearer ya29.${b64url('ya-a', 150)}" https://www.googleapis.com/drive/v3/files`,
        json('access_token', `ya29.${b64url('ya-b', 150)}`),
      ],
      fp: [json('access_token', `ya29.${b64url('ya-s', 20)}`), env('TOKEN', `ya29.${'x'.repeat(60)}`)],
    })),
  },
  {
    id: 'azure-storage-connection-string',
    title: 'Azure Storage connection string with account key',
    severity: 'critical',
    keywords: ['accountkey='],
    // The key, with the rest of the string after it: its parts come in any order (`EndpointSuffix=…;AccountKey=…;
    // AccountName=…`), so the validator looks for the account or the endpoint before or after the key.
    pattern: `(?i:AccountKey)=([A-Za-z0-9+/]{86}==)(?:;[A-Za-z0-9=;:/._-]*)?`,
    entropy: 4,
    validate: (secret, match, before = '') =>
      /(?:AccountName|EndpointSuffix|DefaultEndpointsProtocol|BlobEndpoint)=/i.test(`${before.slice(-160)}${match}`)
        ? notEmulatorKey(secret, `${before.slice(-160)}${match}`)
        : 'invalid',
    help: 'A storage account key grants full access to every blob, queue, table and file share in the account (the published emulator key is not reported). Rotate it under the storage account → Access keys (regenerate the leaked key) and prefer Entra ID or SAS with short expiry.',
    examples: lazyExamples(() => ({
      tp: [
        `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${storageKey('st-a')};EndpointSuffix=core.windows.net`,
        json(
          'StorageConnection',
          `DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=${storageKey('st-b')}`,
        ),
        // The parts in another order.
        `STORAGE=EndpointSuffix=core.windows.net;AccountKey=${storageKey('st-c')};AccountName=acmeprod;DefaultEndpointsProtocol=https`,
        `"BlobEndpoint=https://acme.blob.core.windows.net/;AccountKey=${storageKey('st-d')}"`,
      ],
      fp: [
        // The storage emulator's published development key
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`,
        `DefaultEndpointsProtocol=https;AccountName=acmetest;AccountKey=${AZURITE_KEY}`,
        `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${syntax.ref('STORAGE_KEY')}`,
        `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${storageKey('st-s').slice(0, 40)}`,
        `AccountKey=${AZURITE_KEY};AccountName=devstoreaccount1;DefaultEndpointsProtocol=http`,
      ],
    })),
  },
  {
    id: 'azure-storage-account-key',
    title: 'Azure Storage account key',
    severity: 'critical',
    keywords: [
      'storage_key',
      'storagekey',
      'storage_account',
      'storageaccount',
      'storage_access',
      'storageaccess',
      '--account-key',
      'account_key',
      'accountkey',
    ],
    // Also a bare account key under its own name (`account_key: "…"`, Go's `AccountKey: "…"`, C#'s
    // `{ "AccountKey", "…" }`, `-storagekey …`): 64 bytes of base64 are the storage key's size. In a connection
    // string (`…;AccountKey=…`) the connection-string rules report it.
    pattern: String.raw`(?:(?i:azure_?storage_?(?:account_?|access_?)?key|storage_?account_?(?:access_?)?key|(?:default_?)?account_?key|storage_?key)(?:${ASSIGN}|["']\s*,\s*["']|\s+["']?)|--account-key[\s=]+["']?)([A-Za-z0-9+/]{86}==)`,
    entropy: 4,
    validate: (secret, match, before = '') => (/;\s*$/.test(before) ? 'invalid' : notEmulatorKey(secret, match)),
    help: 'A storage account key grants full access to every blob, queue, table and file share in the account. Regenerate the leaked key under the storage account → Access keys. The published emulator key is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        env('AZURE_STORAGE_KEY', storageKey('sk-a')),
        yaml('storageAccountKey', storageKey('sk-b')),
        `az storage blob list --account-name acme --account-key ${storageKey('sk-c')} -c logs`,
        `account_key: "${storageKey('sk-d')}"`,
        `\t\tAccountKey:  "${storageKey('sk-e')}",`,
        `    { "AccountKey", "${storageKey('sk-f')}" },`,
        `New-AzStorageContext -StorageAccountName acme -storagekey ${storageKey('sk-g')}`,
        `DEFAULT_ACCOUNT_KEY = "${storageKey('sk-h')}"`,
      ],
      fp: [
        env('AZURE_STORAGE_KEY', syntax.ref('AZURE_STORAGE_KEY')),
        yaml('storageAccountKey', `${'A'.repeat(86)}==`),
        env('AZURE_STORAGE_KEY', AZURITE_KEY),
        json('storageAccountName', storageKey('sk-n').slice(0, 24)),
      ],
    })),
  },
  {
    id: 'azure-cosmosdb-connection-string',
    title: 'Azure Cosmos DB connection string with account key',
    severity: 'critical',
    keywords: ['documents.azure.com'],
    pattern: String.raw`AccountEndpoint=https://[a-z0-9-]+\.documents\.azure\.com(?::443)?/?;\s*AccountKey=([A-Za-z0-9+/]{86}==)`,
    entropy: 4,
    validate: notEmulatorKey,
    help: 'A Cosmos DB primary or secondary key has full control of every database in the account. Regenerate it under the Cosmos DB account → Keys and prefer Entra ID with data-plane RBAC. The emulator key (and localhost endpoints) are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `COSMOS_CONNECTION=AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=${storageKey('cos-a')};`,
        json('CosmosDb', `AccountEndpoint=https://acme-eu.documents.azure.com:443/;AccountKey=${storageKey('cos-b')}`),
      ],
      fp: [
        `AccountEndpoint=https://localhost:8081/;AccountKey=${storageKey('cos-l')}`, // the emulator
        `AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=${'A'.repeat(86)}==`,
      ],
    })),
  },
  {
    id: 'azure-service-bus-connection-string',
    title: 'Azure Service Bus / Event Hubs connection string',
    severity: 'high',
    keywords: ['sharedaccesskey='],
    pattern: String.raw`Endpoint=sb://[A-Za-z0-9.-]+/?;\s*SharedAccessKeyName=[^;\s"']+;\s*SharedAccessKey=([A-Za-z0-9+/]{43}=)`,
    entropy: 4,
    help: 'A Service Bus / Event Hubs / Relay shared access key sends, listens or manages per its policy (RootManageSharedAccessKey manages the namespace). Regenerate the key under the namespace or entity → Shared access policies.',
    examples: lazyExamples(() => ({
      tp: [
        `SERVICEBUS=Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${fakeBytes('sb-a', 32).toString('base64')}`,
        json(
          'EventHub',
          `Endpoint=sb://acme-eh.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${fakeBytes('sb-b', 32).toString('base64')};EntityPath=events`,
        ),
      ],
      fp: [
        `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${syntax.ref('SB_KEY')}`,
        `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${'A'.repeat(43)}=`,
      ],
    })),
  },
  {
    id: 'azure-sas-token',
    title: 'Azure shared access signature (SAS)',
    severity: 'high',
    keywords: ['sig='],
    pattern: String.raw`\bsv=[0-9]{4}-[0-9]{2}-[0-9]{2}&(?:[A-Za-z]{2,5}=[^&\s"'<>]*&){0,12}sig=([A-Za-z0-9%+/]{43,}(?:%3[Dd]|=))`,
    entropy: 4,
    validate: validateAzureSasSignature,
    help: 'A SAS token grants the permissions it lists (sp=) on a storage resource until it expires (se=). Revoke it by rotating the account key that signed it, or the stored access policy / user delegation key behind it. Its sig must decode to a 32-byte HMAC; one that does not is not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `https://acme.blob.core.windows.net/logs?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sig=${sasSig('sas-a')}`,
        `AZURE_SAS="sp=r&st=2026-01-01T00:00:00Z&se=2026-02-01T00:00:00Z&spr=https&sv=2022-11-02&sr=c&sig=${sasSig('sas-b')}"`,
        json('sasUrl', `https://acme.blob.core.windows.net/c/f.txt?sv=2021-08-06&sr=b&sp=r&sig=${sasSig('sas-c')}`),
      ],
      fp: [
        `https://acme.blob.core.windows.net/logs?sv=2022-11-02&ss=b&sp=rl&sig=${syntax.ref('SAS_SIG')}`,
        `https://acme.blob.core.windows.net/logs?sv=2022-11-02&sp=rl&sig=${encodeURIComponent(fakeBytes('sas-s', 20).toString('base64'))}`,
        `https://example.net/api?sv=2022-11-02&sig=${b64('sas-n', 60)}%3D`,
      ],
    })),
  },
  {
    id: 'azure-entra-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    severity: 'high',
    keywords: ['8q~', '7q~'],
    pattern: `(?:^|[^A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)`,
    entropy: 3.5,
    help: 'An Entra ID client secret authenticates as its app registration (service principal) with every permission granted to it. Delete it under App registrations → the app → Certificates & secrets, and prefer certificates or federated credentials.',
    examples: lazyExamples(() => ({
      tp: [
        env('AZURE_CLIENT_SECRET', entraA),
        yaml('client_secret', entraB),
        json('ClientSecret', entraA),
        code('clientSecret', entraB),
      ],
      fp: [
        env('AZURE_CLIENT_SECRET', `abc8Q~${'x'.repeat(34)}`),
        yaml('client_secret', `${fake('entra-l', 5, ENTRA)}8Q~${fake('entra-l2', 34, ENTRA)}`), // 5 characters before 8Q~
        json('ClientSecret', `${fake('entra-s', 3, ENTRA)}8Q~${fake('entra-s2', 20, ENTRA)}`),
      ],
    })),
  },
  {
    id: 'azure-app-configuration-connection-string',
    title: 'Azure App Configuration connection string',
    severity: 'high',
    keywords: ['azconfig.io'],
    pattern: String.raw`Endpoint=https://[a-z0-9-]+\.azconfig\.io;\s*Id=[^;\s"']+;\s*Secret=([A-Za-z0-9+/]{43,}=)`,
    entropy: 4,
    help: 'An App Configuration access key reads (or writes) every key-value and feature flag in the store. Regenerate it under the store → Access settings.',
    examples: lazyExamples(() => ({
      tp: [
        `APPCONFIG=Endpoint=https://acme.azconfig.io;Id=${b64('ac-id', 16)};Secret=${fakeBytes('ac-a', 32).toString('base64')}`,
        json(
          'AppConfig',
          `Endpoint=https://acme-eu.azconfig.io;Id=x1-l0-s0:abc;Secret=${fakeBytes('ac-b', 32).toString('base64')}`,
        ),
      ],
      fp: [
        `Endpoint=https://acme.azconfig.io;Id=abc;Secret=${syntax.ref('APPCONFIG_SECRET')}`,
        `Endpoint=https://acme.azconfig.io;Id=abc;Secret=${'A'.repeat(43)}=`,
      ],
    })),
  },
  ...(
    [
      ['dop', 'digitalocean-pat', 'DigitalOcean personal access token', 'critical'],
      ['doo', 'digitalocean-oauth-token', 'DigitalOcean OAuth access token', 'high'],
      ['dor', 'digitalocean-refresh-token', 'DigitalOcean OAuth refresh token', 'high'],
    ] as const
  ).map(
    ([prefix, id, title, severity]): Rule => ({
      id,
      title,
      severity,
      keywords: [`${prefix}_v1_`],
      pattern: String.raw`\b(${prefix}_v1_[a-f0-9]{64})\b`,
      entropy: 3,
      help: `A ${title} acts on the DigitalOcean team with its scopes (droplets, databases, Spaces keys, DNS). Delete it under API → Tokens (or revoke the OAuth app's authorisation) and review the team's security history.`,
      examples: lazyExamples(() => ({
        tp: syntax.all(
          'digitalocean_token',
          `${prefix}_v1_${hex(`${id}-a`, 64)}`,
          `${prefix}_v1_${hex(`${id}-b`, 64)}`,
        ),
        fp: [
          env('DIGITALOCEAN_TOKEN', `${prefix}_v1_${'0'.repeat(64)}`),
          yaml('digitalocean_token', `${prefix}_v1_${hex(`${id}-s`, 40)}`),
          json('digitalocean_token', `${prefix}_v1_${hex(`${id}-u`, 64).toUpperCase()}`),
        ],
      })),
    }),
  ),
  {
    id: 'heroku-api-key',
    title: 'Heroku API key',
    severity: 'high',
    keywords: ['hrku-'],
    pattern: String.raw`\b(HRKU-[A-Za-z0-9_-]{40,80})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A Heroku API key or authorisation acts as its user on every app and team they can reach. Revoke it with `heroku authorizations:revoke` or regenerate the API key under Account settings.',
    examples: lazyExamples(() => ({
      tp: syntax.all('heroku_api_key', `HRKU-AA${b64url('hk-a', 58)}`, `HRKU-AA${b64url('hk-b', 58)}`),
      fp: [
        env('HEROKU_API_KEY', `HRKU-${'x'.repeat(60)}`),
        yaml('heroku_api_key', `HRKU-${b64url('hk-s', 20)}`),
        json('heroku_api_key', `SHRKU-AA${b64url('hk-e', 58)}`),
      ],
    })),
  },
  {
    id: 'heroku-api-key-legacy',
    title: 'Heroku API key (UUID form)',
    severity: 'high',
    keywords: ['heroku'],
    pattern: String.raw`(?i:heroku)[A-Za-z0-9_.-]{0,20}(?i:api_?key|token|key|secret|password)${ASSIGN}(${UUID})\b`,
    entropy: 3,
    help: 'A legacy Heroku API key (a UUID) acts as its user on every app they can reach. Regenerate it under Account settings → API Key, or revoke the authorisation with `heroku authorizations:revoke`.',
    examples: lazyExamples(() => ({
      tp: [
        env('HEROKU_API_KEY', fakeUuid('hkl-a')),
        yaml('heroku_api_key', fakeUuid('hkl-b')),
        json('herokuToken', fakeUuid('hkl-a')),
        code('herokuApiKey', fakeUuid('hkl-b')),
      ],
      fp: [
        env('HEROKU_APP_ID', fakeUuid('hkl-id')),
        yaml('heroku_api_key', '00000000-0000-0000-0000-000000000000'),
        json('herokuToken', syntax.ref('HEROKU_API_KEY')),
      ],
    })),
  },
  {
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud AccessKey ID',
    severity: 'high',
    keywords: ['ltai'],
    pattern: String.raw`\b(LTAI[A-Za-z0-9]{12,20})\b`,
    entropy: 3.5,
    help: "An Alibaba Cloud AccessKey ID names a RAM user's key pair; its secret is usually nearby. Disable and delete the AccessKey in the RAM console and review ActionTrail.",
    examples: lazyExamples(() => ({
      tp: [
        env('ALIBABA_CLOUD_ACCESS_KEY_ID', `LTAI${fake('ali-a', 20)}`),
        yaml('access_key_id', `LTAI${fake('ali-b', 16)}`),
        json('accessKeyId', `LTAI${fake('ali-c', 20)}`),
      ],
      fp: [
        env('ALIBABA_CLOUD_ACCESS_KEY_ID', `LTAI${'x'.repeat(20)}`),
        yaml('access_key_id', `LTAI${fake('ali-s', 8)}`),
        code('word', `ALTAI${fake('ali-e', 20)}`),
      ],
    })),
  },
  {
    id: 'alibaba-access-key-secret',
    title: 'Alibaba Cloud AccessKey secret',
    severity: 'critical',
    keywords: ['alibaba', 'aliyun', 'alicloud'],
    pattern: String.raw`(?i:alibaba|aliyun|alicloud)[A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,10}${ASSIGN}([A-Za-z0-9]{30})${TOKEN_END}`,
    entropy: 4,
    help: 'An Alibaba Cloud AccessKey secret signs API requests as its RAM user. Disable and delete the AccessKey in the RAM console, create a replacement, and review ActionTrail.',
    examples: lazyExamples(() => ({
      tp: [
        env('ALIBABA_CLOUD_ACCESS_KEY_SECRET', fake('alis-a', 30)),
        yaml('aliyun_access_key_secret', fake('alis-b', 30)),
        json('alicloudSecretKey', fake('alis-a', 30)),
      ],
      fp: [
        env('ALIBABA_CLOUD_ACCESS_KEY_SECRET', syntax.ref('ALIBABA_SECRET')),
        yaml('aliyun_access_key_secret', fake('alis-s', 24)),
        env('ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'a'.repeat(30)),
        // The first N characters of a longer token that goes on with - or _ are not this value.
        env('ALIBABA_CLOUD_ACCESS_KEY_SECRET', `${fake('alis-d', 30)}-${fake('alis-e', 12)}`),
      ],
    })),
  },
  {
    id: 'tencent-cloud-secret-id',
    title: 'Tencent Cloud SecretId',
    severity: 'high',
    keywords: ['akid'],
    pattern: String.raw`\b(AKID[A-Za-z0-9]{32})\b`,
    entropy: 3.5,
    help: 'A Tencent Cloud SecretId names an API key pair whose SecretKey is usually nearby. Disable and delete the key in CAM → API Key Management.',
    examples: lazyExamples(() => ({
      tp: [
        env('TENCENTCLOUD_SECRET_ID', `AKID${fake('tc-a', 32)}`),
        yaml('secret_id', `AKID${fake('tc-b', 32)}`),
        json('SecretId', `AKID${fake('tc-c', 32)}`),
      ],
      fp: [
        env('TENCENTCLOUD_SECRET_ID', `AKID${'x'.repeat(32)}`),
        yaml('secret_id', `AKID${fake('tc-s', 20)}`),
        code('id', `XAKID${fake('tc-e', 32)}`),
      ],
    })),
  },
  {
    id: 'ibm-cloud-api-key',
    title: 'IBM Cloud API key',
    severity: 'high',
    keywords: ['ibm', 'ic_api_key'],
    pattern: `(?i:ibm[A-Za-z0-9_.-]{0,20}api_?key|ic_api_key)${ASSIGN}([A-Za-z0-9_-]{44})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'An IBM Cloud API key logs in as its user or service ID. Delete it under Manage → Access (IAM) → API keys and review Activity Tracker.',
    examples: lazyExamples(() => ({
      tp: [
        env('IBMCLOUD_API_KEY', b64url('ibm-a', 44)),
        yaml('ibm_api_key', b64url('ibm-b', 44)),
        env('IC_API_KEY', b64url('ibm-c', 44)),
        json('ibmApiKey', b64url('ibm-a', 44)),
      ],
      fp: [
        env('IBMCLOUD_API_KEY', syntax.ref('IBMCLOUD_API_KEY')),
        yaml('ibm_api_key', b64url('ibm-s', 32)),
        env('IBMCLOUD_API_KEY', 'x'.repeat(44)),
      ],
    })),
  },
  {
    id: 'cloudflare-api-token',
    title: 'Cloudflare API token',
    severity: 'high',
    keywords: ['cloudflare', 'cf_api_token'],
    pattern: `(?i:cloudflare[A-Za-z0-9_.-]{0,20}token|cf_api_token)${ASSIGN}([A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A Cloudflare API token acts on the accounts and zones its permissions list (DNS, Workers, WAF…). Roll or delete it under My Profile → API Tokens and review the audit log.',
    examples: lazyExamples(() => ({
      tp: [
        env('CLOUDFLARE_API_TOKEN', b64url('cf-a', 40)),
        yaml('cloudflare_token', b64url('cf-b', 40)),
        env('CF_API_TOKEN', b64url('cf-c', 40)),
        json('cloudflareApiToken', b64url('cf-a', 40)),
      ],
      fp: [
        env('CLOUDFLARE_API_TOKEN', syntax.secretRef('CLOUDFLARE_API_TOKEN')),
        yaml('cloudflare_token', b64url('cf-s', 32)),
        env('CLOUDFLARE_ACCOUNT_ID', hex('cf-id', 32)),
      ],
    })),
  },
  {
    id: 'cloudflare-global-api-key',
    title: 'Cloudflare global API key',
    severity: 'critical',
    keywords: ['cloudflare', 'cf_api_key', 'x-auth-key'],
    pattern: String.raw`(?i:cloudflare[A-Za-z0-9_.-]{0,20}key|cf_api_key|x-auth-key)${ASSIGN}([a-f0-9]{37})\b`,
    entropy: 3,
    help: 'The Cloudflare global API key has every permission of its user on every account. Change it under My Profile → API Tokens → Global API Key → Change, and move automation to scoped API tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('CLOUDFLARE_API_KEY', hex('cfg-a', 37)),
        yaml('cloudflare_global_api_key', hex('cfg-b', 37)),
        `curl -H "X-Auth-Email: ops@acme.test" -H "X-Auth-Key: ${hex('cfg-c', 37)}" https://api.cloudflare.com/client/v4/zones`,
      ],
      fp: [
        env('CLOUDFLARE_API_KEY', '0'.repeat(37)),
        yaml('cloudflare_zone_id', hex('cfg-z', 32)),
        env('CF_API_KEY', syntax.ref('CF_API_KEY')),
      ],
    })),
  },
  {
    id: 'cloudflare-origin-ca-key',
    title: 'Cloudflare Origin CA key',
    severity: 'medium',
    keywords: ['v1.0-'],
    pattern: String.raw`\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b`,
    entropy: 3,
    help: "An Origin CA key issues and revokes origin certificates for the user's zones. Change it under My Profile → API Tokens → Origin CA Key.",
    examples: lazyExamples(() => ({
      tp: [
        env('CF_ORIGIN_CA_KEY', `v1.0-${hex('oca-a', 24)}-${hex('oca-b', 146)}`),
        yaml('origin_ca_key', `v1.0-${hex('oca-c', 24)}-${hex('oca-d', 146)}`),
      ],
      fp: [env('CF_ORIGIN_CA_KEY', `v1.0-${hex('oca-s', 24)}-${hex('oca-t', 100)}`), yaml('version', 'v1.0-beta')],
    })),
  },
  {
    id: 'fly-io-token',
    title: 'Fly.io API token (macaroon)',
    severity: 'high',
    keywords: ['fm1a_', 'fm1r_', 'fm2_'],
    pattern: String.raw`\b(fm(?:1[ar]|2)_[A-Za-z0-9+/]{60,}={0,2})`,
    entropy: 4,
    help: 'A Fly.io macaroon token (deploy, org, read-only…) acts within its caveats on apps and machines. Revoke it with `fly tokens revoke` or in the dashboard under Tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('FLY_API_TOKEN', `FlyV1 fm2_lJPE${b64('fly-a', 220)}`),
        yaml('fly_token', `fm2_lJPE${b64('fly-b', 220)}`),
        json('token', `fm1r_${b64('fly-c', 120)}`),
      ],
      fp: [env('FLY_API_TOKEN', `FlyV1 fm2_${'A'.repeat(80)}`), yaml('fly_token', `fm2_lJPE${b64('fly-s', 30)}`)],
    })),
  },
  {
    id: 'fly-io-access-token',
    title: 'Fly.io personal access token',
    severity: 'high',
    keywords: ['fo1_'],
    pattern: String.raw`\b(fo1_[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A Fly.io personal access token (fo1_) acts as its user on every organisation. Revoke it with `fly auth logout` on the machine it came from or in the dashboard under Access Tokens.',
    examples: lazyExamples(() => ({
      tp: syntax.all('fly_access_token', `fo1_${b64url('fo-a', 43)}`, `fo1_${b64url('fo-b', 43)}`),
      fp: [
        env('FLY_ACCESS_TOKEN', `fo1_${'x'.repeat(43)}`),
        yaml('fly_access_token', `fo1_${b64url('fo-s', 30)}`),
        json('fly_access_token', 'fo1_your_token_here'),
      ],
    })),
  },
  {
    id: 'vercel-token',
    title: 'Vercel access token',
    severity: 'high',
    keywords: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
    pattern: String.raw`\b(vc[pikar]_[A-Za-z0-9]{24,})\b`,
    entropy: 4.2,
    // Random base62 bodies mix cases and digits; identifiers such as vcr_cassettelibrarydirectory... do not.
    validate: (s) => (/[A-Z]/.test(s) && /[a-z]/.test(s.slice(4)) && /[0-9]/.test(s) ? 'unknown' : 'invalid'),
    help: 'A Vercel token deploys and manages projects, domains and environment variables of its scope. Delete it under Account Settings → Tokens (or the integration/app that issued it). A body without mixed case and digits is not reported.',
    examples: lazyExamples(() => ({
      tp: syntax.all('vercel_token', `vcp_${fake('vc-a', 56)}`, `vca_${fake('vc-b', 56)}`),
      fp: [
        env('VERCEL_TOKEN', `vcp_${'x'.repeat(56)}`),
        yaml('vercel_token', `vcp_${fake('vc-s', 16)}`),
        json('id', `my_vcp_${fake('vc-e', 56)}`),
        code('fixture', 'vcr_cassettelibrarydirectoryforintegrationtests'),
      ],
    })),
  },
  {
    id: 'vercel-token-legacy',
    title: 'Vercel access token (unprefixed)',
    severity: 'high',
    keywords: ['vercel'],
    pattern: String.raw`(?i:vercel[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([A-Za-z0-9]{24})${TOKEN_END}`,
    entropy: 4,
    help: 'An unprefixed (pre-2025) Vercel token deploys and manages projects of its scope. Delete it under Account Settings → Tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('VERCEL_TOKEN', fake('vcl-a', 24)),
        yaml('vercel_token', fake('vcl-b', 24)),
        json('vercelApiKey', fake('vcl-a', 24)),
      ],
      fp: [
        env('VERCEL_TOKEN', syntax.secretRef('VERCEL_TOKEN')),
        env('VERCEL_ORG_ID', `team_${fake('vcl-id', 24)}`),
        yaml('vercel_token', 'a'.repeat(24)),
        // The first N characters of a longer token that goes on with - or _ are not this value.
        env('VERCEL_TOKEN', `${fake('vcl-d', 24)}-${fake('vcl-e', 12)}`),
      ],
    })),
  },
  {
    id: 'netlify-pat',
    title: 'Netlify personal access token',
    severity: 'high',
    keywords: ['nfp_'],
    pattern: String.raw`\b(nfp_[A-Za-z0-9]{36,40})\b`,
    entropy: 4,
    help: 'A Netlify personal access token acts as its user on every team and site. Revoke it under User settings → Applications → Personal access tokens.',
    examples: lazyExamples(() => ({
      tp: syntax.all('netlify_auth_token', `nfp_${fake('nf-a', 36)}`, `nfp_${fake('nf-b', 40)}`),
      fp: [
        env('NETLIFY_AUTH_TOKEN', `nfp_${'x'.repeat(36)}`),
        yaml('netlify_auth_token', `nfp_${fake('nf-s', 20)}`),
        json('id', `xnfp_${fake('nf-e', 36)}`),
      ],
    })),
  },
  {
    id: 'netlify-token-legacy',
    title: 'Netlify access token (unprefixed)',
    severity: 'high',
    keywords: ['netlify'],
    pattern: `(?i:netlify[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'An unprefixed Netlify access token acts as its user on every team and site. Revoke it under User settings → Applications.',
    examples: lazyExamples(() => ({
      tp: [env('NETLIFY_AUTH_TOKEN', b64url('nfl-a', 43)), yaml('netlify_token', b64url('nfl-b', 43))],
      fp: [
        env('NETLIFY_AUTH_TOKEN', syntax.secretRef('NETLIFY_AUTH_TOKEN')),
        env('NETLIFY_SITE_ID', fakeUuid('nfl-id')),
      ],
    })),
  },
  {
    id: 'supabase-pat',
    title: 'Supabase personal access token',
    severity: 'high',
    keywords: ['sbp_'],
    pattern: String.raw`\b(sbp_[a-f0-9]{40})\b`,
    entropy: 3,
    help: 'A Supabase personal access token manages every project of its user through the Management API (databases, keys, functions). Revoke it under Account → Access Tokens.',
    examples: lazyExamples(() => ({
      tp: syntax.all('supabase_access_token', `sbp_${hex('sbp-a', 40)}`, `sbp_${hex('sbp-b', 40)}`),
      fp: [
        env('SUPABASE_ACCESS_TOKEN', `sbp_${'0'.repeat(40)}`),
        yaml('supabase_access_token', `sbp_${hex('sbp-s', 32)}`),
        json('supabase_access_token', `sbp_${fake('sbp-x', 40)}`),
      ],
    })),
  },
  {
    id: 'supabase-secret-key',
    title: 'Supabase secret API key',
    severity: 'high',
    keywords: ['sb_secret_'],
    pattern: String.raw`\b(sb_secret_[A-Za-z0-9_-]{31,})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A Supabase secret key bypasses row-level security on its project. Delete it under Project Settings → API Keys and create a new one.',
    examples: lazyExamples(() => ({
      tp: syntax.all('supabase_secret_key', `sb_secret_${b64url('sbs-a', 36)}`, `sb_secret_${b64url('sbs-b', 36)}`),
      fp: [
        env('SUPABASE_SECRET_KEY', `sb_secret_${'x'.repeat(36)}`),
        yaml('supabase_publishable_key', `sb_publishable_${b64url('sbs-p', 36)}`),
        json('supabase_secret_key', `sb_secret_${b64url('sbs-s', 16)}`),
      ],
    })),
  },
  {
    id: 'firebase-cloud-messaging-server-key',
    title: 'Firebase Cloud Messaging legacy server key',
    severity: 'medium',
    keywords: [':apa91b'],
    pattern: String.raw`\b(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A legacy FCM server key sends push notifications to every device of the Firebase project. Delete it in the Firebase console → Project settings → Cloud Messaging and use the HTTP v1 API.',
    examples: lazyExamples(() => ({
      tp: [
        env('FCM_SERVER_KEY', `AAAA${b64url('fcm-a', 7)}:APA91b${b64url('fcm-b', 134)}`),
        `curl -H "Authorization: key=AAAA${b64url('fcm-c', 7)}:APA91b${b64url('fcm-d', 134)}" https://fcm.googleapis.com/fcm/send`,
      ],
      fp: [
        env('FCM_SERVER_KEY', `AAAA${b64url('fcm-s', 7)}:APA91b${b64url('fcm-t', 60)}`),
        yaml('fcm_server_key', `AAAA${'x'.repeat(7)}:APA91b${'x'.repeat(134)}`),
      ],
    })),
  },
  {
    id: 'planetscale-token',
    title: 'PlanetScale service token or OAuth token',
    severity: 'high',
    keywords: ['pscale_tkn_', 'pscale_oauth_'],
    pattern: String.raw`\b(pscale_(?:tkn|oauth)_[A-Za-z0-9_-]{32,64})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A PlanetScale service or OAuth token manages databases, branches and passwords within its access. Delete it under Organization settings → Service tokens (or revoke the OAuth app).',
    examples: lazyExamples(() => ({
      tp: syntax.all(
        'planetscale_service_token',
        `pscale_tkn_${b64url('ps-a', 43)}`,
        `pscale_oauth_${b64url('ps-b', 43)}`,
      ),
      fp: [
        env('PLANETSCALE_SERVICE_TOKEN', `pscale_tkn_${'x'.repeat(43)}`),
        yaml('planetscale_service_token', `pscale_tkn_${b64url('ps-s', 16)}`),
      ],
    })),
  },
  {
    id: 'planetscale-password',
    title: 'PlanetScale database password',
    severity: 'high',
    keywords: ['pscale_pw_'],
    pattern: String.raw`\b(pscale_pw_[A-Za-z0-9_-]{32,64})(?:[^A-Za-z0-9_-]|$)`,
    entropy: 4,
    help: 'A PlanetScale password connects to one database branch with its role. Delete it under the database → Settings → Passwords.',
    examples: lazyExamples(() => ({
      tp: [
        env('DATABASE_PASSWORD', `pscale_pw_${b64url('pw-a', 43)}`),
        `mysql://acme:pscale_pw_${b64url('pw-b', 43)}@aws.connect.psdb.cloud/app?sslaccept=strict`,
      ],
      fp: [
        env('DATABASE_PASSWORD', `pscale_pw_${'x'.repeat(43)}`),
        yaml('password', `pscale_pw_${b64url('pw-s', 20)}`),
      ],
    })),
  },
  {
    id: 'scaleway-secret-key',
    title: 'Scaleway API secret key',
    severity: 'high',
    keywords: ['scw_secret_key', 'scaleway'],
    pattern: String.raw`(?i:scw_secret_key|scaleway[A-Za-z0-9_.-]{0,20}secret_?key)${ASSIGN}(${UUID})\b`,
    entropy: 3,
    help: "A Scaleway API secret key acts with its IAM application or user policies on the organisation's projects. Delete the API key in the console under IAM → API keys.",
    examples: lazyExamples(() => ({
      tp: [
        env('SCW_SECRET_KEY', fakeUuid('scw-a')),
        yaml('scaleway_secret_key', fakeUuid('scw-b')),
        json('scalewaySecretKey', fakeUuid('scw-c')),
      ],
      fp: [env('SCW_SECRET_KEY', syntax.ref('SCW_SECRET_KEY')), env('SCW_DEFAULT_PROJECT_ID', fakeUuid('scw-id'))],
    })),
  },
  {
    id: 'render-api-key',
    title: 'Render API key',
    severity: 'high',
    keywords: ['rnd_'],
    pattern: String.raw`\b(rnd_[A-Za-z0-9]{28,40})\b`,
    entropy: 4,
    help: 'A Render API key acts as its user on every workspace they belong to (services, env vars, deploys). Revoke it under Account Settings → API Keys.',
    examples: lazyExamples(() => ({
      tp: syntax.all('render_api_key', `rnd_${fake('rnd-a', 32)}`, `rnd_${fake('rnd-b', 32)}`),
      fp: [
        env('RENDER_API_KEY', `rnd_${'x'.repeat(32)}`),
        yaml('render_api_key', `rnd_${fake('rnd-s', 12)}`),
        code('fn', `build_rnd_${fake('rnd-e', 32)}`),
      ],
    })),
  },
  {
    id: 'hetzner-cloud-token',
    title: 'Hetzner Cloud API token',
    severity: 'high',
    keywords: ['hcloud', 'hetzner'],
    pattern: String.raw`(?i:hcloud[_-]?token|hetzner[A-Za-z0-9_.-]{0,20}token)${ASSIGN}([A-Za-z0-9]{64})${TOKEN_END}`,
    entropy: 4.5,
    help: 'A Hetzner Cloud API token reads or manages every server, volume and network of one project. Delete it under the project → Security → API tokens.',
    examples: lazyExamples(() => ({
      tp: [
        env('HCLOUD_TOKEN', fake('hz-a', 64)),
        yaml('hcloud_token', fake('hz-b', 64)),
        json('hetznerApiToken', fake('hz-c', 64)),
      ],
      fp: [
        env('HCLOUD_TOKEN', syntax.ref('HCLOUD_TOKEN')),
        yaml('hcloud_token', fake('hz-s', 40)),
        env('HCLOUD_TOKEN', 'a'.repeat(64)),
        // The first N characters of a longer token that goes on with - or _ are not this value.
        env('HCLOUD_TOKEN', `${fake('hz-d', 64)}-${fake('hz-e', 8)}`),
      ],
    })),
  },
  {
    id: 'linode-token',
    title: 'Linode (Akamai Cloud) personal access token',
    severity: 'high',
    keywords: ['linode'],
    pattern: String.raw`(?i:linode[A-Za-z0-9_.-]{0,20}(?:token|api_?key))${ASSIGN}([a-f0-9]{64})\b`,
    entropy: 3,
    help: "A Linode personal access token manages the account's Linodes, volumes, domains and more within its scopes. Revoke it in Cloud Manager under API Tokens.",
    examples: lazyExamples(() => ({
      tp: [
        env('LINODE_TOKEN', hex('ln-a', 64)),
        yaml('linode_api_key', hex('ln-b', 64)),
        json('linodeToken', hex('ln-c', 64)),
      ],
      fp: [
        env('LINODE_TOKEN', syntax.ref('LINODE_TOKEN')),
        yaml('linode_token', '0'.repeat(64)),
        env('LINODE_TOKEN', hex('ln-s', 40)),
      ],
    })),
  },
  {
    id: 'vultr-api-key',
    title: 'Vultr API key',
    severity: 'high',
    keywords: ['vultr'],
    pattern: String.raw`(?i:vultr[A-Za-z0-9_.-]{0,20}(?:api_?key|token))${ASSIGN}([A-Z0-9]{36})\b`,
    entropy: 4,
    help: 'A Vultr API key manages every instance, storage and network of the account (or sub-account). Regenerate it under Account → API.',
    examples: lazyExamples(() => ({
      tp: [env('VULTR_API_KEY', upper('vu-a', 36)), yaml('vultr_api_key', upper('vu-b', 36))],
      fp: [
        env('VULTR_API_KEY', syntax.ref('VULTR_API_KEY')),
        yaml('vultr_api_key', upper('vu-s', 24)),
        env('VULTR_API_KEY', fakeUuid('vu-u')),
      ],
    })),
  },
  {
    id: 'backblaze-b2-application-key',
    title: 'Backblaze B2 application key',
    severity: 'high',
    keywords: ['b2_application_key', 'b2_key', 'b2applicationkey', 'backblaze'],
    pattern: `(?i:b2_application_key|b2_key|b2applicationkey|backblaze[A-Za-z0-9_.-]{0,20}key)${ASSIGN}(K[0-9]{3}[A-Za-z0-9+/]{27})(?:[^A-Za-z0-9+/=]|$)`,
    entropy: 4,
    help: 'A Backblaze B2 application key reads or writes the buckets it was created for (all of them for the master key). Delete it under App Keys in the Backblaze console.',
    examples: lazyExamples(() => ({
      tp: [
        env('B2_APPLICATION_KEY', `K005${b64('b2-a', 27)}`),
        yaml('b2_application_key', `K004${b64('b2-b', 27)}`),
        json('backblazeAppKey', `K003${b64('b2-c', 27)}`),
      ],
      fp: [
        env('B2_APPLICATION_KEY_ID', `005${hex('b2-id', 22)}`),
        env('B2_APPLICATION_KEY', syntax.ref('B2_APPLICATION_KEY')),
        yaml('b2_application_key', `K005${'x'.repeat(27)}`),
      ],
    })),
  },
  {
    id: 'cloudinary-url',
    title: 'Cloudinary URL with API secret',
    severity: 'high',
    keywords: ['cloudinary://'],
    pattern: `cloudinary://[0-9]{15}:([A-Za-z0-9_-]{27})@[A-Za-z0-9_-]+`,
    entropy: 4,
    help: 'A CLOUDINARY_URL carries the API key and secret of a product environment: upload, transform and delete every asset. Rotate the API secret under Settings → API Keys.',
    examples: lazyExamples(() => ({
      tp: [
        env('CLOUDINARY_URL', `cloudinary://${fake('cl-k', 15, '0123456789')}:${b64url('cl-a', 27)}@acme`),
        yaml('cloudinary_url', `cloudinary://${fake('cl-k2', 15, '0123456789')}:${b64url('cl-b', 27)}@acme-prod`),
      ],
      fp: [
        env('CLOUDINARY_URL', 'cloudinary://<api_key>:<api_secret>@<cloud_name>'),
        yaml('cloudinary_url', `cloudinary://${fake('cl-k3', 15, '0123456789')}:${'x'.repeat(27)}@acme`),
      ],
    })),
  },
  {
    id: 'mapbox-secret-token',
    title: 'Mapbox secret access token',
    severity: 'high',
    keywords: ['sk.eyj'],
    pattern: String.raw`\b(sk\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_.-]|$)`,
    entropy: 4,
    validate: (s) => validateBase64JsonPayload(s.split('.')[1] ?? ''),
    requireValid: true,
    help: "A Mapbox secret token (sk.) manages the account's styles, tilesets, datasets and tokens. Delete it under Account → Access tokens. Its middle part must decode to JSON; one that does not is not reported.",
    examples: lazyExamples(() => ({
      tp: [env('MAPBOX_SECRET_TOKEN', mapbox('mb-a')), yaml('mapbox_token', mapbox('mb-b'))],
      fp: [
        env('MAPBOX_SECRET_TOKEN', `sk.eyJ${b64url('mb-x', 40)}.${b64url('mb-y', 22)}`),
        yaml('mapbox_token', mapbox('mb-c').replace('sk.', 'pk.')),
      ],
    })),
  },
];
