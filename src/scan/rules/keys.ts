// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// Private keys: PEM (PKCS#1 RSA, PKCS#8, encrypted PKCS#8, SEC1 EC, DSA), OpenSSH, SSH.com, PuTTY .ppk, PGP armored
// private key blocks, JWK private keys and age identities. PEM bodies may sit in files as-is, indented in YAML
// block scalars, or in JSON/env strings with `\n` escapes; the patterns accept all three.
//
// Examples are generated on first access (real, freshly generated test-only keys): nothing key-shaped is stored in
// the sources.
import { generateKeyPairSync } from 'node:crypto';
import { isDocumentedExample } from '../filters.ts';
import type { Rule } from '../types.ts';
import { lazyExamples as lazy } from './examples.ts';
import { ASSIGN, TOKEN_START as B } from './syntax.ts';
import {
  fakeAgeKey,
  fixtureBytes,
  fx,
  type KeyFixtureKind,
  keyFixture,
  fakeCephKey,
  validateAgeSecretKey,
  validateCephKey,
  validateDerPrivateKey,
  validateJwkPrivateKey,
  validateJwkSymmetricKey,
  validateOpenSshKey,
  validatePemPrivateKey,
  validatePemPrivateKeyOtherLabel,
  validatePgpPrivateKey,
  validatePuttyKey,
  validateSsh2Key,
} from '../validate/structure.ts';

const WINDOW = 16384;
const A64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/**
 * Characters of a PEM body and its headers, raw or `\n`-escaped, also commented out or quoted line by line (` * ` in
 * a doc comment, `# ` in YAML or shell, `> ` in a transcript: parsePem strips the marker).
 */
const BODY = String.raw`[A-Za-z0-9+/=\s\\:,"'*#>|;-]`;

function pem(label: string): string {
  return `-----BEGIN ${label}-----${BODY}{32,}?-----END ${label}-----`;
}

/** Replaces the base64 body of a PEM block with random base64 of the same size (parses as nothing). */
function corrupt(text: string, seed: string): string {
  return text.replace(
    /\n([A-Za-z0-9+/]{64})\n/g,
    () => `\n${fx(seed, 64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}\n`,
  );
}

function yamlBlock(name: string, text: string): string {
  return `${name}: |\n${text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
}

/** The usual syntaxes a key is pasted in: the file itself, a JSON string, a YAML block scalar, an env value. */
function keySyntaxes(kind: KeyFixtureKind): string[] {
  const k = keyFixture(kind);
  return [
    k,
    `{"private_key": ${JSON.stringify(k)}}`,
    yamlBlock('tls_key', k),
    `SSH_KEY="${k.trimEnd()}"`,
    concatenated('const key =', k),
    // JSON inside a string literal: the newlines escaped twice.
    `const config = ${JSON.stringify(JSON.stringify({ private_key: k }))};`,
    // A string literal continued over lines with `\` (Lua, C, shell).
    `  key = "${k.trimEnd().split('\n').join('\\\n')}",`,
    // A Jupyter notebook's cell: each line its own JSON string in the cell's `source` list.
    `   "source": [\n${k
      .trimEnd()
      .split('\n')
      .map((l) => `    ${JSON.stringify(`${l}\n`)}`)
      .join(',\n')}\n   ]`,
    // Commented out or quoted: a doc comment's example, a YAML fixture's disabled value, a shell transcript's input.
    `  $ cat key.pem\n${k
      .trimEnd()
      .split('\n')
      .map((l) => `  > ${l}`)
      .join('\n')}\n`,
    `/**\n * const key = \`${k.trimEnd().split('\n').join('\n * ')}\`\n */`,
    `#  tls.key: |\n${k
      .trimEnd()
      .split('\n')
      .map((l) => `#    ${l}`)
      .join('\n')}\n`,
  ];
}

/** The key as a source-code string split over lines: `"-----BEGIN …\\n" +` (JS, Java). */
function concatenated(lead: string, text: string): string {
  const lines = text.trimEnd().split('\n');
  return `${lead}\n${lines.map((l) => `  "${l}\\n"`).join(' +\n')};`;
}

function pemFps(label: string, seed: string): string[] {
  return [
    keyFixture('public'),
    keyFixture('certificate-like'),
    `-----BEGIN ${label}-----\n<paste your private key here>\n-----END ${label}-----`,
    `private_key: "-----BEGIN ${label}-----\\n...\\n-----END ${label}-----"`,
    `-----BEGIN ${label}-----\n${fx(seed, 64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}\n${fx(`${seed}2`, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}\n-----END ${label}-----`,
    `const key = process.env.PRIVATE_KEY; // -----BEGIN ${label}----- lives in the vault`,
  ];
}

export const keyRules: Rule[] = [
  {
    id: 'rsa-private-key',
    title: 'RSA private key (PKCS#1 PEM)',
    severity: 'critical',
    keywords: ['begin rsa private key'],
    pattern: `(${pem('RSA PRIVATE KEY')})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    help:
      'A PKCS#1 RSA private key (`-----BEGIN RSA PRIVATE KEY-----`, also the legacy encrypted form with ' +
      '`Proc-Type: 4,ENCRYPTED`). Reported only when node:crypto parses it (or, when encrypted, its headers and body ' +
      'are well-formed); revoke it wherever its public half is trusted (authorized_keys, certificates, JWKS) and ' +
      'issue a new one.',
    examples: lazy(() => ({
      tp: [...keySyntaxes('rsa'), keyFixture('rsa-encrypted')],
      fp: [...pemFps('RSA PRIVATE KEY', 'rsa-fp'), corrupt(keyFixture('rsa'), 'rsa-corrupt')],
    })),
  },
  {
    id: 'pkcs8-private-key',
    title: 'Private key (PKCS#8 PEM)',
    severity: 'critical',
    keywords: ['begin private key'],
    pattern: `(${pem('PRIVATE KEY')})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    help:
      'An unencrypted PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`: RSA, EC, Ed25519…). Reported only when ' +
      'node:crypto parses it; remove it from the repository and history, revoke its certificate or registered ' +
      'public key, and generate a new key in a secret store.',
    examples: lazy(() => ({
      tp: keySyntaxes('pkcs8'),
      fp: pemFps('PRIVATE KEY', 'pk8-fp'),
    })),
  },
  {
    id: 'encrypted-private-key',
    title: 'Encrypted private key (PKCS#8 PEM)',
    severity: 'high',
    keywords: ['begin encrypted private key'],
    pattern: `(${pem('ENCRYPTED PRIVATE KEY')})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    help:
      'A passphrase-encrypted PKCS#8 private key (`-----BEGIN ENCRYPTED PRIVATE KEY-----`). Reported only when its ' +
      'DER structure (algorithm identifier + encrypted data) is well-formed. The passphrase is often nearby: ' +
      'rotate the key, and treat the passphrase as exposed too.',
    examples: lazy(() => ({
      tp: [
        keyFixture('pkcs8-encrypted'),
        `{"key": ${JSON.stringify(keyFixture('pkcs8-encrypted'))}}`,
        yamlBlock('signing_key', keyFixture('pkcs8-encrypted')),
      ],
      fp: pemFps('ENCRYPTED PRIVATE KEY', 'epk8-fp'),
    })),
  },
  {
    id: 'ec-private-key',
    title: 'EC private key (SEC1 PEM)',
    severity: 'critical',
    keywords: ['begin ec private key'],
    pattern: `(${pem('EC PRIVATE KEY')})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    help:
      'An elliptic-curve private key in SEC1 form (`-----BEGIN EC PRIVATE KEY-----`). Reported only when ' +
      'node:crypto parses it (or its legacy encryption headers are well-formed); revoke the certificate or ' +
      'registered public key and issue a new key.',
    examples: lazy(() => ({
      tp: keySyntaxes('ec'),
      fp: pemFps('EC PRIVATE KEY', 'ec-fp'),
    })),
  },
  {
    id: 'dsa-private-key',
    title: 'DSA private key (PEM)',
    severity: 'critical',
    keywords: ['begin dsa private key'],
    pattern: `(${pem('DSA PRIVATE KEY')})`,
    window: WINDOW,
    validate: validatePemPrivateKey,
    requireValid: true,
    help:
      'A DSA private key in the traditional OpenSSL form (`-----BEGIN DSA PRIVATE KEY-----`). Reported only when ' +
      'node:crypto parses it. DSA is deprecated: remove the key from wherever it is trusted and move to Ed25519.',
    examples: lazy(() => ({
      tp: [keyFixture('dsa'), JSON.stringify({ key: keyFixture('dsa') })],
      fp: pemFps('DSA PRIVATE KEY', 'dsa-fp'),
    })),
  },
  {
    id: 'openssh-private-key',
    title: 'OpenSSH private key',
    severity: 'critical',
    keywords: ['begin openssh private key'],
    pattern: `(${pem('OPENSSH PRIVATE KEY')})`,
    window: WINDOW,
    validate: validateOpenSshKey,
    requireValid: true,
    help:
      'An OpenSSH private key (`openssh-key-v1`). Reported only when the container parses (cipher, KDF, public ' +
      'key, and matching check integers when unencrypted). Remove its public key from every authorized_keys, ' +
      'deploy-key and CA list, then generate a new key with ssh-keygen.',
    examples: lazy(() => ({
      tp: keySyntaxes('openssh'),
      fp: [
        ...pemFps('OPENSSH PRIVATE KEY', 'ossh-fp'),
        `ssh-ed25519 ${fx('ossh-pub', 68, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')} dev@laptop`,
      ],
    })),
  },
  {
    id: 'ssh2-encrypted-private-key',
    title: 'SSH.com (SSH2) encrypted private key',
    severity: 'high',
    keywords: ['begin ssh2 encrypted private key'],
    pattern: String.raw`(---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----[A-Za-z0-9+/=\s\\:,."-]{32,}?---- END SSH2 ENCRYPTED PRIVATE KEY ----)`,
    window: WINDOW,
    validate: validateSsh2Key,
    requireValid: true,
    help:
      'A private key in the SSH.com / Tectia format. Reported only when the body carries the format magic and ' +
      'its own length. Remove the public key from every server that trusts it and generate a new key.',
    examples: lazy(() => {
      const body = Buffer.concat([Buffer.alloc(8), fixtureBytes('ssh2', 120)]);
      body.writeUInt32BE(0x3f6ff9eb, 0);
      body.writeUInt32BE(body.length, 4);
      const lines = body
        .toString('base64')
        .match(/.{1,70}/g)!
        .join('\n');
      const block = `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "fixture key"\n${lines}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n`;
      const fakeBody = fixtureBytes('ssh2-fp', 128)
        .toString('base64')
        .match(/.{1,70}/g)!
        .join('\n');
      return {
        tp: [block, `{"key": ${JSON.stringify(block)}}`],
        fp: [
          `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n${fakeBody}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----`,
          `---- BEGIN SSH2 PUBLIC KEY ----\nComment: "fixture"\n${fakeBody}\n---- END SSH2 PUBLIC KEY ----`,
        ],
      };
    }),
  },
  {
    id: 'putty-private-key',
    title: 'PuTTY private key (.ppk)',
    severity: 'critical',
    keywords: ['putty-user-key-file-'],
    pattern: String.raw`(PuTTY-User-Key-File-[23]: [a-z0-9@.-]+(?:\r?\n|(?:\\r)?\\n)[\s\S]*?Private-MAC: ?[0-9a-f]{40,64})`,
    window: WINDOW,
    validate: validatePuttyKey,
    requireValid: true,
    help:
      'A PuTTY private key file (PPK v2/v3). Reported only when its fields and line counts are consistent and, ' +
      'when unencrypted, its Private-MAC verifies. Remove its public key from every server that trusts it and ' +
      'generate a new key with puttygen.',
    examples: lazy(() => {
      const k = keyFixture('putty');
      return {
        tp: [k, `{"ppk": ${JSON.stringify(k)}}`, yamlBlock('ppk', k)],
        fp: [
          k.replace(/Private-MAC: ([0-9a-f]{8})/, (_, h: string) => `Private-MAC: ${[...h].reverse().join('')}`),
          'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: <your key>\nPublic-Lines: 2\n...\nPrivate-MAC: <mac>',
          'Load the PuTTY-User-Key-File-2 header from your .ppk file in Pageant',
        ],
      };
    }),
  },
  {
    id: 'pgp-private-key-block',
    title: 'PGP private key block',
    severity: 'critical',
    keywords: ['begin pgp private key block'],
    pattern: String.raw`(-----BEGIN PGP PRIVATE KEY BLOCK-----[A-Za-z0-9+/=\s\\:,.()<>@'"_-]{32,}?-----END PGP PRIVATE KEY BLOCK-----)`,
    window: 32768,
    validate: validatePgpPrivateKey,
    requireValid: true,
    help:
      'An ASCII-armored OpenPGP secret key. Reported only when the armor is well-formed, its CRC-24 (if present) ' +
      'matches and the first packet is a secret-key packet. Publish a revocation certificate for the key, remove ' +
      'it from keyservers and signing setups, and generate a new one.',
    examples: lazy(() => {
      const k = keyFixture('pgp');
      return {
        tp: [
          k,
          `{"gpg_private_key": ${JSON.stringify(k)}}`,
          yamlBlock('GPG_PRIVATE_KEY', k),
          concatenated('private static final String KEY =', k),
        ],
        fp: [
          k.replace(/\n=([A-Za-z0-9+/]{4})\n/, (_, c: string) => `\n=${c === 'AAAA' ? 'BBBB' : 'AAAA'}\n`),
          k.replace(/PRIVATE KEY BLOCK/g, 'PUBLIC KEY BLOCK'),
          '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n<paste the output of gpg --export-secret-keys --armor>\n-----END PGP PRIVATE KEY BLOCK-----',
          `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${fixtureBytes('pgp-fp', 96).toString('base64')}\n-----END PGP PRIVATE KEY BLOCK-----`,
        ],
      };
    }),
  },
  {
    id: 'jwk-private-key',
    title: 'JWK private key',
    severity: 'critical',
    // Names in single or double quotes (C# doubles them: `""kty""`), in any case (.NET writes `"Kty"`, `"D"`).
    keywords: ['"kty"', '"d"', "'kty'", "'d'"],
    // The object ends at its `}`, or where a nested object starts (.NET's JsonWebKey ends with its crypto factory's).
    pattern: String.raw`(\{?[^{}]*?["'](?i:kty|d)["']{1,2}\s*:[^{}]{20,}[{}])`,
    window: 8192,
    validate: validateJwkPrivateKey,
    structured: true,
    help:
      'A JSON Web Key with its private member `d` (RSA, EC or OKP). Validated when node:crypto imports it as a ' +
      'private key; JWKs without `d` (public keys) are not reported. Remove it from the JWKS or configuration ' +
      'that trusts its public half and rotate the key.',
    examples: lazy(() => {
      const okp = generateJwk();
      const { d: _d, ...pub } = okp;
      const ordered = { kty: okp['kty'], crv: okp['crv'], x: okp['x'], d: okp['d'] };
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
      return {
        tp: [
          JSON.stringify(okp),
          JSON.stringify(okp, null, 2),
          `const jwk = ${JSON.stringify(ordered)};`,
          JSON.stringify(ordered, null, 2),
          // As code writes it: a Python dict (trailing comma, `d` split over two literals), single quotes in a C#
          // string, C#'s doubled quotes, .NET's JsonWebKey (names capitalized, standard base64), and a JWK whose `kid`
          // names an example domain (RFC 7520's keys do): its key is no less a key.
          [
            'alice_key = {',
            ...Object.entries(ordered).map(
              ([n, v]) => `    "${n}": ${n === 'd' && v ? `"${v.slice(0, 20)}"\n        "${v.slice(20)}"` : `"${v}"`},`,
            ),
            '}',
          ].join('\n'),
          `private static string jwk = "${JSON.stringify(ordered).replace(/"/g, "'")}";`,
          `var key = @"{ ${Object.entries(ordered)
            .map(([n, v]) => `""${n}"" : ""${v}""`)
            .join(', ')} }";`,
          JSON.stringify({
            AdditionalData: {},
            Crv: okp['crv'],
            D: base64(okp['d']!),
            K: null,
            Kty: 'OKP',
            X: base64(okp['x']!),
            CryptoProviderFactory: { CryptoProviderCache: {}, CacheSignatureProviders: true },
          }),
          JSON.stringify({
            kty: 'OKP',
            kid: 'bilbo.baggins@hobbiton.example',
            crv: okp['crv'],
            x: okp['x'],
            d: okp['d'],
          }),
        ],
        fp: [
          JSON.stringify(pub),
          JSON.stringify(pub, null, 2),
          `{'kty': 'OKP', 'crv': 'Ed25519', 'x': '${okp['x']}', 'd': '${'X'.repeat(43)}'}`,
          `{"Kty": "OKP", "Crv": "Ed25519", "X": "${okp['x']}", "D": "your-private-key-goes-here-0000000000000000"}`,
          '{"kty": "RSA", "d": "<private exponent>", "n": "<modulus>", "e": "AQAB"}',
          '{"d": "2026-01-01", "kty": "EC"}',
          // A fuzzer's degenerate seeds: a one-byte private value, and one of the curve's size but all zeros.
          JSON.stringify({ ...ec, d: 'AQ' }),
          JSON.stringify({ ...ec, d: Buffer.alloc(32).toString('base64url') }),
        ],
      };
    }),
  },
  {
    id: 'jwk-symmetric-key',
    title: 'JWK symmetric key',
    severity: 'critical',
    keywords: ['"oct"', "'oct'"],
    pattern: String.raw`(\{?[^{}]*["'](?i:kty)["']{1,2}\s*:\s*["']{1,2}oct["'][^{}]*[{}])`,
    window: 8192,
    validate: validateJwkSymmetricKey,
    structured: true,
    requireValid: true,
    help:
      'A JSON Web Key of type `oct`: a symmetric key `k` (an HMAC signing key, an AES key) that signs or decrypts ' +
      'whatever trusts it. Reported only when `k` holds 16 bytes or more, not all one value. Rotate it wherever it is ' +
      'configured and move it to a secret store.',
    examples: lazy(() => {
      const k = fixtureBytes('jwk-oct', 32).toString('base64url');
      return {
        tp: [
          `{"kty":"oct","k":"${k}","alg":"HS256"}`,
          `\t\t\`{"alg":"A128GCM","k":"${fixtureBytes('jwk-oct2', 16).toString('base64url')}","key_ops":["encrypt","decrypt"],"kty":"oct"}\`,`,
          JSON.stringify({ keys: [{ kty: 'oct', kid: 'hmac-1', k }] }, null, 2),
          // Single quotes (C#, JS, Python), C#'s doubled quotes, a trailing comma, an example domain in `kid`.
          `_symmetricJwk = @"{ 'kty': 'oct', 'use': 'sig', 'kid': '1', 'k': '${k}' }";`,
          `var jwk = @"{ ""kty"" : ""oct"", ""k"" : ""${base64(k)}"" }";`,
          `key = {\n    "kty": "oct",\n    "k": "${k}",\n}`,
          `{"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037@hobbiton.example","k":"${k}"}`,
        ],
        fp: [
          '{"kty": "oct", "k": "<your base64url key>"}',
          "{'kty': 'oct', 'k': 'changeme-changeme-changeme-changeme'}",
          `{"kty":"oct","k":"${Buffer.alloc(32).toString('base64url')}"}`,
          `{"kty":"oct","k":"${fixtureBytes('jwk-oct3', 8).toString('base64url')}"}`,
          `{"kty":"EC","crv":"P-256","x":"${k}","y":"${k}"}`,
        ],
      };
    }),
  },
  {
    id: 'age-secret-key',
    title: 'age secret key',
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    pattern: `(?:^|[^A-Za-z0-9_-])(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?:[^A-Za-z0-9]|$)`,
    validate: validateAgeSecretKey,
    requireValid: true,
    help:
      'An age X25519 identity (`AGE-SECRET-KEY-1…`, bech32). Reported only when its bech32 checksum verifies. ' +
      'Anything encrypted to its recipient (`age1…`) is readable by whoever holds it: re-encrypt those files to a ' +
      'new identity (age-keygen) and remove this one.',
    examples: lazy(() => {
      const k = fakeAgeKey('age-tp');
      const bad = `${k.slice(0, -1)}${k.endsWith('Q') ? 'P' : 'Q'}`;
      return {
        tp: [
          `# created: 2026-01-01T00:00:00Z\n# public key: age1${fx('age-pub', 58, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l')}\n${k}`,
          `SOPS_AGE_KEY=${k}`,
          `sops:\n  age_key: "${k}"`,
          `{"identity": "${k}"}`,
        ],
        fp: [
          `SOPS_AGE_KEY=${bad}`,
          'SOPS_AGE_KEY=AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
          `recipient: age1${fx('age-pub', 58, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l')}`,
          'key_file: AGE-SECRET-KEY-1<your key>',
        ],
      };
    }),
  },
  {
    id: 'pem-private-key',
    title: 'Private key (PEM, other label)',
    severity: 'critical',
    keywords: ['private key-----'],
    pattern: `(-----BEGIN (?:[A-Z0-9]+ )+PRIVATE KEY-----${BODY}{32,}?-----END (?:[A-Z0-9]+ )+PRIVATE KEY-----)`,
    window: WINDOW,
    validate: validatePemPrivateKeyOtherLabel,
    help:
      'A PEM private key under a label other than the standard ones (`-----BEGIN ECDSA PRIVATE KEY-----`, ' +
      '`ED25519 PRIVATE KEY`…), as some libraries and tools write them. Validated when the body parses as a ' +
      'PKCS#8, SEC1 or PKCS#1 private key; bodies that are not one DER structure are not reported. Revoke the key ' +
      'wherever its public half is trusted and issue a new one.',
    examples: lazy(() => {
      const relabel = (text: string, label: string) => text.replace(/(BEGIN|END) [A-Z ]*PRIVATE KEY/g, `$1 ${label}`);
      const ec = relabel(keyFixture('ec'), 'ECDSA PRIVATE KEY');
      const ed = relabel(keyFixture('pkcs8'), 'ED25519 PRIVATE KEY');
      return {
        tp: [ec, ed, `{"key": ${JSON.stringify(ec)}}`, `const s = ${JSON.stringify(JSON.stringify({ key: ec }))};`],
        fp: [
          relabel(keyFixture('public'), 'ECDSA PRIVATE KEY').replace(/PUBLIC KEY/g, 'ECDSA PRIVATE KEY'),
          '-----BEGIN ECDSA PRIVATE KEY-----\n<your key here>\n-----END ECDSA PRIVATE KEY-----',
          `-----BEGIN ECDSA PRIVATE KEY-----\n${fx('pem-o', 64, A64)}\n-----END ECDSA PRIVATE KEY-----`,
          keyFixture('ec'),
        ],
      };
    }),
  },
  {
    id: 'der-private-key',
    title: 'Private key (base64 DER, no PEM armour)',
    severity: 'critical',
    keywords: [
      'ibaak',
      'ibadan',
      'byqgsm49',
      'mhccaqeei',
      'migkagebbd',
      'mihcagebbe',
      'mc4caqawbqydk2vw',
      'bgkqhkig9w0bbq0w',
      'gcsqgsib3dqefdt',
    ],
    // The DER starts of PKCS#1 RSA, PKCS#8 RSA, PKCS#8 EC, SEC1 EC (P-256, P-384, P-521), PKCS#8 Ed25519 and
    // encrypted PKCS#8 (PBES2) keys. The body may go on over lines: a string literal continued (`"…" +`, `"…"` on the
    // next line, `\n` escapes), a Kotlin raw string's `|` margin, lines of a text block.
    pattern: `(?:^|[^A-Za-z0-9+/])((?:MII[A-Za-z0-9+/]{3}IBAAK|MII[A-Za-z0-9+/]{3}IBADAN|MI[GH][A-Za-z0-9+/]AgEAMB[AM]GByqGSM49|MHcCAQEEI|MIGkAgEBBD|MIHcAgEBBE|MC4CAQAwBQYDK2Vw|MII[A-Za-z0-9+/]{5}BgkqhkiG9w0BBQ0w|MI[GH][A-Za-z0-9+/]MF[A-Za-z0-9+/]GCSqGSIb3DQEFDT)[A-Za-z0-9+/]{32,}(?:(?:\\\\[nr]|["']\\s*\\+?\\s*["']|\\s+\\|?)+[A-Za-z0-9+/]+)*={0,2})`,
    window: WINDOW,
    validate: validateDerPrivateKey,
    requireValid: true,
    help:
      "A private key as bare base64 DER, without the PEM armour (a Keycloak realm export's `privateKey`, a SAML " +
      '`<PrivateKeyPem>`, a properties or JSON value). Reported only when it parses as a PKCS#8, PKCS#1 or SEC1 ' +
      'private key. Revoke the key wherever its public half is trusted and issue a new one.',
    examples: lazy(() => {
      const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
      const der = (key: ReturnType<typeof generateKeyPairSync>['privateKey'], type: 'pkcs8' | 'pkcs1' | 'sec1') =>
        key.export({ type, format: 'der' }).toString('base64');
      const rsa = body(keyFixture('rsa'));
      const rsa8 = der(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'pkcs8');
      const ec8 = der(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'pkcs8');
      const ec521 = der(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, 'pkcs8');
      const ec384 = der(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, 'sec1');
      const encrypted = generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'fixture' })
        .toString('base64');
      const lines = (b: string) => b.match(/.{1,64}/g)!;
      return {
        tp: [
          `    "privateKey": "${rsa}",`,
          `<PrivateKeyPem>${rsa8}</PrivateKeyPem>`,
          `saml.signing.private.key=${ec8}`,
          `EC_KEY=${body(keyFixture('ec'))}`,
          `sec1: ${ec384}`,
          `{"key": "${ec521}"}`,
          `ed25519: ${body(keyFixture('pkcs8'))}`,
          // Split over lines: Java's concatenation, a Kotlin raw string's margin, a Python text block followed by
          // prose, and an encrypted PKCS#8 key in a Rust constant.
          `public static final String privateKey = ${lines(rsa8)
            .map((l) => `"${l}"`)
            .join(' +\n        ')};`,
          `val johnPrivateKey =\n    """${lines(rsa8).join('\n    |')}""".trimMargin()`,
          `_PRIVATE_KEY_HEADERLESS = """\n${lines(ec8).join('\n')}\nThat is the key the test signs with.\n"""`,
          `const ENCRYPTED_PKCS8_DER_B64: &str = "${encrypted}";`,
        ],
        fp: [
          // A public key, a cut body, an altered body, and a PEM key (its own rule's) read line by line.
          `"publicKey": "${body(keyFixture('public'))}"`,
          `"privateKey": "${rsa.slice(0, 120)}"`,
          `"privateKey": "${rsa.slice(0, 40)}${fx('der-fp', rsa.length - 80, A64)}${rsa.slice(-40)}"`,
          keyFixture('rsa'),
          // Split over lines, with its last lines missing.
          `String privateKey = ${lines(rsa8)
            .slice(0, -3)
            .map((l) => `"${l}"`)
            .join(' +\n    ')};`,
        ],
      };
    }),
  },
  {
    id: 'ceph-secret-key',
    title: 'Ceph (cephx) secret key',
    severity: 'high',
    keywords: ['aqa', 'aqb', 'aqc', 'aqd'],
    pattern: `${B}(AQ[A-D][A-Za-z0-9+/]{35}==)(?:[^A-Za-z0-9+/=]|$)`,
    validate: validateCephKey,
    requireValid: true,
    help:
      'A cephx secret key (a keyring `key = …`, `ceph auth get-key`, a Rook/CSI Kubernetes Secret `key:` or ' +
      '`adminKey:`). Reported only when it decodes to the cephx structure (type, creation time, 16-byte key). ' +
      'Rotate it with `ceph auth get-or-create-key`/`ceph auth caps` for a new entity and remove the old one.',
    examples: lazy(() => {
      const key = fakeCephKey('ceph-tp');
      const badLength = Buffer.from(fakeCephKey('ceph-fp'), 'base64');
      badLength.writeUInt16LE(20, 10);
      return {
        tp: [
          `[client.admin]\n\tkey = ${key}`,
          `apiVersion: v1\nkind: Secret\nstringData:\n  userID: csi-rbd\n  userKey: ${key}`,
          `ceph:\n  key: "${key}"`,
        ],
        fp: [`key = ${badLength.toString('base64')}`, `  key: AQ${fx('ceph-fp3', 36, A64)}==`],
      };
    }),
  },
  {
    id: 'wallet-mnemonic',
    title: 'Wallet recovery phrase (BIP-39 mnemonic)',
    severity: 'critical',
    keywords: ['mnemonic', 'seed', 'phrase'],
    // 12 to 24 lower-case words under a mnemonic's name (`MNEMONIC="…"`, `seedPhrase: '…'`): the wallet's every key
    // derives from them.
    pattern: String.raw`(?i:mnemonic|seed[_ .-]?phrase|secret[_ .-]?phrase|recovery[_ .-]?phrase|wallet[_ .-]?seed|seed[_ .-]?words)[\w.-]{0,20}${ASSIGN}((?:[a-z]{3,8}[ \t]+){11,23}[a-z]{3,8})(?:["'\x60\s,;)]|$)`,
    validate: validateMnemonic,
    help:
      'A wallet\u2019s recovery phrase (12 to 24 BIP-39 words): every key of the wallet derives from it, on every ' +
      'chain. The development mnemonics Hardhat, Anvil and Ganache publish, BIP-39\u2019s test vector and placeholders ' +
      'are not reported. Move the funds to a wallet with a new phrase; read the phrase from the environment or a ' +
      'keystore.',
    examples: lazy(() => {
      const words = ['orbit', 'velvet', 'glide', 'harbor', 'tunnel', 'spice', 'cactus', 'ripple', 'mango', 'fossil'];
      const phrase = Array.from({ length: 12 }, (_, i) => words[(i * 7 + 3) % words.length]).join(' ');
      const phrase24 = Array.from({ length: 24 }, (_, i) => `${words[(i * 3 + 1) % words.length]}`).join(' ');
      return {
        tp: [`MNEMONIC="${phrase}"`, `  seedPhrase: '${phrase24}',`],
        fp: [
          'MNEMONIC="test test test test test test test test test test test junk"',
          'MNEMONIC="your twelve word mnemonic phrase goes here and then some more"',
          `mnemonic: "${'word '.repeat(11)}word"`,
        ],
      };
    }),
  },
  {
    id: 'ethereum-private-key',
    title: 'Ethereum account private key in a Hardhat or Truffle network config',
    severity: 'critical',
    keywords: ['accounts'],
    // Hardhat's `accounts: ["0x…"]` (a network's signing keys), across lines too: the first key is reported, and the
    // others by the generic rules when they sit under a key's name.
    pattern: String.raw`(?i:\baccounts)["']?\s*:\s*\[\s*["'](0x[0-9a-fA-F]{64})["']`,
    window: 256,
    entropy: 3,
    validate: (secret) => (isDocumentedExample(secret) ? 'invalid' : 'unknown'),
    help:
      'A 32-byte secp256k1 private key (`0x` + 64 hex digits) in a Hardhat or Truffle network\u2019s `accounts`: it ' +
      'signs transactions for the account, which holds whatever the key\u2019s address holds on every EVM chain. ' +
      'Hardhat\u2019s and Anvil\u2019s published development keys are not reported. Move the funds to a new account, ' +
      'and read the key from the environment (`accounts: [process.env.PRIVATE_KEY]`) or a keystore.',
    examples: lazy(() => {
      const key = `0x${fx('eth1', 64, '0123456789abcdef')}`;
      return {
        tp: [
          `    sepolia: { url: "https://rpc.sepolia.org", accounts: ["${key}"] },`,
          `      accounts: [\n        '${key}',\n      ],`,
        ],
        fp: [
          '    sepolia: { url: process.env.RPC_URL, accounts: [process.env.PRIVATE_KEY] },',
          // Hardhat's first development account: published, funded only on local chains.
          '    localhost: { accounts: ["0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"] },',
          `    goerli: { accounts: ["0x${'0'.repeat(64)}"] },`,
        ],
      };
    }),
  },
];

/** Base64url as standard base64, padded (what .NET's JsonWebKey writes). */
function base64(b64url: string): string {
  return Buffer.from(b64url, 'base64url').toString('base64');
}

function generateJwk(): Record<string, string> {
  for (;;) {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as Record<string, string>;
    if (!/x{4,}|\*{3}|example|dummy/i.test(JSON.stringify(jwk))) return jwk;
  }
}

/** A mnemonic's words: 12, 15, 18, 21 or 24, most of them different, no placeholder's, no published development phrase. */
function validateMnemonic(secret: string): 'invalid' | 'unknown' {
  const words = secret.split(/[ \t]+/);
  if (![12, 15, 18, 21, 24].includes(words.length)) return 'invalid';
  if (new Set(words).size < Math.min(8, words.length - 2)) return 'invalid';
  if (words.some((w) => /^(?:your|word|words|mnemonic|phrase|seed|here|example|replace|insert|secret)$/.test(w)))
    return 'invalid';
  return isDocumentedExample(secret) ? 'invalid' : 'unknown';
}
