// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// The generic rules: a secret-looking value assigned to a secret-looking name (env, YAML, JSON, properties, code,
// URL query strings), and the same inside XML elements. Their own false-positive logic (placeholders, references,
// identifiers, paths, UUIDs, git SHAs, prefixes of specific formats) lives in validateGenericSecret, so the rules
// stay quiet even without the engine's global filters.
import type { Rule } from '../types.ts';
import type { Validity } from '../types.ts';
import { FIXTURE_ALPHABETS as A, fx, fxUuid, isCamelPhrase, validateGenericSecret } from '../validate/structure.ts';
import { lazyExamples } from './examples.ts';

// The generic rules are fallbacks (Rule.fallback): the engine reports them only where no other rule reports an
// overlapping secret, so a value a specific rule of the policy owns is that rule's finding (better title, a
// checksum), and a specific rule the user disabled leaves the generic one free to report it.

/**
 * Secret-looking names (case-insensitive; `pass` only after a separator, `DB_PASS`, `smtp.pass`, not `bypass`, and
 * `pw` after `_`, `admin_pw`; a passphrase), with
 * up to two trailing qualifiers (`secret_key_base`, `api_key_prod`,
 * `TEST_ENCRYPTION_KEY_2`, `API_KEY_V2`).
 */
const NAME_WORDS = `(?:password|passwd|passphrase|pwd|[_.-]pass|_pw|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|(?:signing|signer|hmac|encryption|master|cipher|aes|fernet)[_.-]?key|credentials?)(?:[_.-]?(?:key|token|secret|value|string|str|b64|base64|base|hex|encoded|raw|plain|prod|production|live|dev|staging|v?[0-9]{1,2})){0,2}`;
const NAME = `[A-Za-z0-9_.-]*?${NAME_WORDS}`;
/**
 * Characters a generic value may hold: no quotes, whitespace, template/reference/call syntax or separators; a `$`
 * inside it (`Xk9$vR2m…`: a password's symbol; a single-quoted or INI value is literal) but not one that starts a
 * reference or a command (`${`, `$(`, `$$`), nor at its start (`$VAR`); one may end it. The
 * length is open-ended here (the validator wants 8 to 200): a counted repetition makes RE2's capture pass slow, and
 * a longer run ends at the same terminator either way.
 */
const VALUE = String.raw`[^\s"'\x60<>{}$;,()&\\\[\]=](?:[^\s"'\x60<>{}$;,()&\\\[\]]|\$[^\s"'\x60<>{}$;,()&\\\[\]]){7,}\$?`;
/**
 * The assignment after a name: `=`, `:`, `:=`, `=>`, `?=`, PHP's `.=`, Make's `::=` and `:::=`; also after a string
 * type (`const API_KEY: &str =` in Rust, `val apiKey: String =`, `let token: string =`, Go's `var apiKey string =`).
 * A comparison with a literal holds the secret as well (`if password == "…"`, `!==`, Java's `password.equals("…")`).
 */
const OPERATOR = String.raw`(?:[ \t]*:[ \t]*(?:&(?:'static[ \t]+)?str|string|str)\??|[ \t]+(?:string|\[\]byte))?[ \t]*(?::{1,3}=|=>|\?=|\.=|!==?|={1,3}|:|\.equals(?:IgnoreCase)?\()`;

/** An authorization scheme written into the value itself (`token := "Bearer …"`): the credential is after it. */
const SCHEME = String.raw`(?:(?:bearer|basic)[ \t]+)?`;

/**
 * Where a name starts: the start of the window or a character that cannot be part of a name. `:` is excluded too,
 * so scoped and qualified names are not assignments (`AWS::IAM::AccessKey`, `arn:aws:…:secret:name`), except a Ruby
 * symbol's (`:api_key => …`, after a space or a bracket) and PowerShell's `$env:API_KEY`; and so is `/`: a path's last
 * segment is a path (`auth/reset/new_password: <checksum>` in an i18n lock file), except before a query string
 * (`/?token=…`).
 */
const NAME_START = String.raw`(?:^|[^A-Za-z0-9_.:/-]|/[?&]|(?:^|[\s{(,\[]):|\$env:)`;

/** Punctuation an unquoted generic value cannot start with or hold: what the quoted rule is for. */
const QUOTED_ONLY = /^[.\][&{}$;,()=\\<>]|[{}$;,()&[\]=\\<>]/;

/**
 * The quoted rule's validator: the value must need its quotes (else the unquoted rule reports it), must not be a
 * list, must hold letters and digits, and must pass the generic checks (which drop interpolations, encrypted values
 * and password hashes: isHashedOrEncrypted).
 */
function validateQuotedSecret(secret: string, match = '', before = ''): Validity {
  if (!QUOTED_ONLY.test(secret)) return 'invalid';
  if (/^[^,]*(?:,[^,]*){2,}$/.test(secret) && secret.split(',').every((p) => p.length <= 3)) return 'invalid';
  if (!/[A-Za-z]/.test(secret) || !/[0-9]/.test(secret)) return 'invalid';
  return validateGenericSecret(secret, match, before);
}

/**
 * How a value is paired with a secret-looking name other than by an assignment, up to the value's opening quote:
 */
const PAIRED = [
  // a setter's, a getter's (a default) or an environment lookup's two strings: `setProperty("API_TOKEN", "…")`,
  // `os.getenv("API_KEY", "…")`, `env('JIRA_API_TOKEN', '…')`, `Header.Set("X-Api-Key", "…")`, `put("db.password",
  // "…")`; a C# or C++ initializer's pair, `{ "Password", "…" }`. Not any call: `matches("password", "{SSHA}…")`
  // and `Encryptors.stronger("password", salt)` take a password first and something else after it;
  String.raw`(?:\b(?:[sg]et|put|add|append|header|with)\w*|\b(?:env|getenv|setdefault|Setenv|putenv|define|fetch)|\{)[ \t]*\(?[ \t]*["']${NAME}["'][ \t]*,[ \t]*[bru]{0,2}["']`,
  // Rust's and Scala's fallbacks: `env::var("API_KEY").unwrap_or("…")`, `.getOrElse("…")`;
  String.raw`["']${NAME}["'][ \t]*\)[ \t]*\.(?:unwrap_or|or|get_or|getOrElse|orElse)\w*\([ \t]*["']`,
  // a setter or a builder named for the secret, given it alone: `cfg.setPassword("…")`, `setDbPassword("…")`,
  // `.apiKey("…")`, `withToken("…")`, Django's `user.set_password('…')`; not a getter, a factory or a check
  // (`newSecretKey("PBKDF2WithHmacSHA256", …)`, `getRealmEncryptionKey("…")`, `should_exclude_secret('…')`);
  String.raw`(?:\.(?:set|with)?_?|\b(?:set|with)_?[A-Za-z0-9]*?)${NAME_WORDS}[ \t]*\([ \t]*[bru]{0,2}["']`,
  // Android's build-time constants: `buildConfigField("String", "API_KEY", "\"…\"")`, `resValue "string", …`;
  String.raw`\b(?:buildConfigField|resValue)[ \t]*\(?[ \t]*["']\w+["'][ \t]*,[ \t]*["']${NAME}["'][ \t]*,[ \t]*["'](?:\\?["'])?`,
  // an element named by its `name` or `key` attribute: Android's `<string name="maps_api_secret">…</string>`,
  // Spring's `<property name="password" value="…"/>`, .NET appSettings' `<add key="SmtpPassword" value="…"/>`,
  // a properties file in XML, `<entry key="db.password">…</entry>`;
  String.raw`<[\w:.-]+[ \t]+(?:[\w:.-]+[ \t]*=[ \t]*["'][^"'<>]*["'][ \t]+)*(?:name|key)[ \t]*=[ \t]*["']${NAME}["'](?:[ \t]+[\w:.-]+[ \t]*=[ \t]*["'][^"'<>]*["'])*?[ \t]*(?:>[ \t]*|[ \t]value[ \t]*=[ \t]*["'])`,
  // a name/value entry: Kubernetes' `- name: API_KEY` and `value: …` on the next line, ECS's
  // `{"name": "…", "value": "…"}`, CloudFormation's `ParameterKey`/`ParameterValue`;
  String.raw`\b(?:name|parameter_?key)["']?[ \t]*[:=][ \t]*["']?${NAME}["']?[ \t]*,?\s*["']?(?:value|parameter_?value)["']?[ \t]*[:=][ \t]*["']?`,
  // a Terraform variable's default: `variable "db_password" { … default = "…" }`;
  String.raw`\bvariable[ \t]+["']${NAME}["'][ \t]*\{[^}]*?\bdefault[ \t]*=[ \t]*["']`,
  // an environment lookup's fallback: `process.env.API_KEY || '…'`, `?? '…'`, Python's `… or '…'` after a call or a
  // subscript (`os.environ.get("API_KEY") or "…"`: not prose's `a token or "…"`);
  String.raw`${NAME}["']?\]?\)?[ \t]*(?:\|\||\?\?)[ \t]*[bru]{0,2}["']`,
  String.raw`${NAME}["']?[\])][ \t]+or[ \t]+[bru]{0,2}["']`,
  // a reference's default, used when the variable is unset: Spring's `${jwt.secret:…}`, the shell's and Compose's
  // `${DB_PASSWORD:-…}`;
  String.raw`\$\{${NAME}:-?`,
  // a DSL's statement: Gradle's `credentials { password '…' }`, Capistrano's `set :password, '…'`, C's `#define`,
  // a Dockerfile's `ENV API_TOKEN …` (the older form, without `=`);
  String.raw`(?:(?m:^)|[{;])[ \t]*(?:#[ \t]*define[ \t]+)?${NAME}[ \t]+["']`,
  String.raw`(?m:^)[ \t]*ENV[ \t]+${NAME}[ \t]+["']?`,
  String.raw`\bset[ \t]+:${NAME}[ \t]*,[ \t]*["']`,
];
const PAIRED_NAME = new RegExp(NAME, 'i');

/**
 * The paired rule's validator: the generic checks, as if the name were assigned the value (`NAME = "…"`), so what
 * they read from a name (a password's stand-ins, a token that is no credential) reads the same in every pairing.
 */
function validatePairedSecret(secret: string, match = '', before = ''): Validity {
  return validateAsAssigned(PAIRED_NAME.exec(match)?.[0] ?? '', secret, before);
}

/** The generic checks on `name = "secret"`, whatever syntax paired them. */
function validateAsAssigned(name: string, secret: string, before: string): Validity {
  return validateGenericSecret(secret, `${name} = "${secret}"`, before);
}

/**
 * The environment-file key rule's validator: a key a client holds by design is no secret (publishable, public and
 * site keys, a front-end build's exposed variables), nor is a key of a store (cache, sort, partition); the generic
 * checks decide the rest.
 */
function validateEnvKey(secret: string, match = '', before = ''): Validity {
  const name = /[A-Z][A-Z0-9_]*_(?:KEY|AUTH)/.exec(match)?.[0] ?? '';
  // A key is generated: words typed in camelCase stand in for one (`SomeRandomStringOf32CharsExactly`).
  if (CLIENT_HELD_KEY.test(name) || isCamelPhrase(secret)) return 'invalid';
  return validateAsAssigned(name, secret, before);
}
const CLIENT_HELD_KEY =
  /^(?:NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|VITE|REACT_APP|GATSBY|MIX|PUBLIC)_|(?:^|_)(?:PUBLIC|PUBLISHABLE|PUB|SITE|CLIENT|CACHE|SORT|PARTITION|PRIMARY|FOREIGN|ROUTING|IDEMPOTENCY)_/;

/** Upper-case secret words an environment variable's name holds (`DB_PASSWORD`, `GITHUB_TOKEN`, `HMAC_KEY`). */
const ENV_NAME =
  '(?:PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|(?:SIGNING|SIGNER|HMAC|ENCRYPTION|MASTER|CIPHER|AES|FERNET)_?KEY|CREDENTIALS?)';

const KEYWORDS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  '_pass',
  '.pass',
  '-pass',
  '_pw',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'api.key',
  'accesskey',
  'access_key',
  'access-key',
  'access.key',
  'privatekey',
  'private_key',
  'private-key',
  'private.key',
  'authkey',
  'auth_key',
  'auth-key',
  'auth.key',
  'credential',
  // Keys that sign or encrypt (`MAILGUN_SIGNING_KEY`, `passwordSignerKey`, `hmac_key`, `encryption-key`, Parse's
  // `masterKey`, Shiro's `cipherKey`, `AES_KEY`, Airflow's `fernet_key`), in the spellings the name pattern accepts.
  ...['signing', 'signer', 'hmac', 'encryption', 'master', 'cipher', 'aes', 'fernet'].flatMap((w) =>
    ['', '_', '-', '.'].map((s) => `${w}${s}key`),
  ),
];

const pw = `${fx('gp1', 12)}!${fx('gp2', 6, A.digits)}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const sec = fx('gs1', 40, A.base64url);
const key32 = fx('gk1', 32);
const sha512 = `sha512-${Buffer.from(fx('gi1', 64, A.base64))
  .toString('base64')
  .slice(0, 86)}==`;

export const genericRules: Rule[] = [
  {
    id: 'generic-secret-assignment',
    title: 'Secret-looking value assigned to a secret-looking name',
    severity: 'medium',
    keywords: KEYWORDS,
    // Also a C array's size after the name (`char secret[25] =`), Objective-C's `@"…"`, and quotes escaped as code
    // inside a JSON string writes them (a notebook's cell: `"password = \"…\"\n",`).
    pattern: String.raw`(?i)${NAME_START}([?&]?${NAME})\\?["']?\]?(?:\[[0-9]{0,4}\])?${OPERATOR}[ \t]*(?:[bru]{1,2}["']|@?\\?["'\x60])?${SCHEME}(${VALUE})(?:["'\x60\s;,)&\\]|$)`,
    secretGroup: 2,
    entropy: 3,
    validate: validateGenericSecret,
    fallback: true,
    help:
      'A random-looking value assigned to a name such as password, secret, token or api_key (env files, YAML, ' +
      'JSON, properties, code, URL query strings). Placeholders, references (`${VAR}`, `process.env.X`), function ' +
      'calls, identifiers, paths, UUIDs and git SHAs are not reported. Rotate the credential and load it from the ' +
      'environment or a secret store.',
    examples: lazyExamples(() => ({
      tp: [
        `DB_PASSWORD=${pw}`,
        `  password: "${pw}"`,
        `{"client_secret": "${sec}"}`,
        `const apiKey = "${key32}";`,
        `api_key = '${key32}'`,
        `$config['secret'] = '${sec}';`,
        `https://api.service.invalid/v1/data?api_key=${key32}&format=json`,
        `AccessKey := "${fx('gk2', 24)}"`,
        `spring.datasource.password=${pw}`,
        `  secret_key_base: ${fx('gkb', 128, A.hex)}`,
        `$db_password = "${pw}";`,
        // Keys that sign or encrypt.
        `ENV["MAILGUN_INGRESS_SIGNING_KEY"] = "${fx('gsk1', 50)}"`,
        `"hash": "scrypt", 'passwordSignerKey' => '${fx('gsk2', 86, A.base64)}==',`,
        `HMAC_KEY=${key32}`,
        `encryption_key: ${fx('gsk3', 44, A.base64)}`,
        // A counted or versioned name, a Python bytes literal, a random UUID a secret is set to.
        `TEST_ENCRYPTION_KEY_2 = "${fx('gsk4', 43, A.base64)}="`,
        `API_KEY_V2=${key32}`,
        `        signing_key=b"${fx('gsk5', 43, A.base64url)}=",`,
        `      GOTRUE_JWT_SECRET: '${fxUuid('gsk6')}'`,
        // 40 hex digits under a name that says token (an OAuth provider's access token), not a commit.
        `    "access_token": "${fx('gat1', 40, A.hex)}",`,
        // An env file held in a JSON string: the value ends at the `\n` escape.
        `{"config.ini": "ADAFRUIT_TOKEN=${fx('gje1', 32)}\\nBACKUP_ENABLED=true"}`,
        // Typed declarations (Rust, Kotlin, TypeScript, Go), PHP's `.=`, Make's `::=`.
        `const API_KEY: &str = "${fx('gty1', 32)}";`,
        `    val apiToken: String = "${fx('gty2', 40)}"`,
        `  let clientSecret: string = '${fx('gty3', 32)}';`,
        `var fooToken string = "${fx('gty4', 36)}"`,
        `$fooToken .= "${fx('gty5', 32)}";`,
        `DB_PASSWORD ::= ${pw}`,
        // Keys that encrypt: Shiro's rememberMe cipher key (an .ini property, a Java constant), an AES key.
        `securityManager.rememberMeManager.cipherKey = ${fx('gck1', 22, A.base64)}==`,
        `    private static final String CIPHER_KEY = "${fx('gck2', 22, A.base64)}==";`,
        `AES_KEY=${fx('gck3', 43, A.base64)}=`,
        `  airflow-fernet-key: "${fx('gfk1', 43, A.base64url)}="`,
        `SMTP_PASS=${pw}`,
        `  db_pass: "${pw}"`,
        // A comparison with the secret, a scheme written into the value, a letters-only token, a key in hex.
        `    if password == "${pw}":`,
        `        if (apiToken.equals("${fx('geq1', 32)}")) {`,
        `\tbannerBearToken := "Bearer ${fx('gbr1', 28)}"`,
        `var apiToken string = "${fx('glt1', 32, A.letters)}"`,
        `FOO_API_KEY=${fx('gah1', 40, A.hex)}`,
        `XI_API_KEY = '${fx('gah2', 14, A.hex)}0123${fx('gah3', 14, A.hex)}'`,
        `PRIVATE_KEY=0x${fx('geth1', 64, A.hex)}`,
        `static const char api_secret[33] = "${fx('gca1', 32)}";`,
        `    NSString *apiKey = @"${fx('goc1', 32)}";`,
        // A Ruby symbol, PowerShell's environment, a notebook's cell (code in a JSON string).
        `  :api_key => "${key32}",`,
        `$env:API_TOKEN = "${fx('gps1', 32)}"`,
        `    "        neo4j_password = \\"${fx('gnb1', 43, A.base64url)}\\"\\n",`,
        // Random values with `=` inside, starting with `/`, with a dot.
        `DB_PASSWORD="${fx('geq2', 5)}=${fx('geq3', 8)}"`,
        `DB_PASSWORD=v=x${fx('geq4', 4, A.letters)}.${fx('geq5', 5)}`,
        `API_TOKEN='/${fx('gsl1', 31, A.base64)}'`,
        `password=${fx('gdt2', 10)}.${fx('gdt3', 4, A.letters)}`,
        // Random runs on either side of a dot read as no member chain.
        'MYSQL_ROOT_PASSWORD=hFNLsr.f7q*-',
        `password=${fx('gcx4', 1, A.letters)}9${fx('gcx5', 5, A.letters)}1${fx('gcx6', 1, A.letters)}0.${fx('gcx7', 4, A.letters)}`,
        // Few digits, long lower-case stretches: random all the same.
        `DB_PASSWORD="${'DYw7Ac'}QQaitqkexs"`,
        // A `$` inside the value (literal in an INI file, in single quotes), and one ending it.
        `[pypi]\nusername = __token__\npassword = ${fx('gdl1', 1)}$${fx('gdl2', 4)}$${fx('gdl0', 5)}=${fx('gdlz', 4)}`,
        `    'db_password' => '${fx('gdl3', 7, A.letters)}$${fx('gdl4', 6, A.letters)}!${fx('gdl5', 4, A.letters)}',`,
        `    api_secret = "${fx('gdl6', 14, A.letters)}$"`,
        // Passwords a person chose: words with a digit and a symbol are still passwords.
        `const password = "${'Observe'}-Me1!";`,
        `config.masterKey = '${'aMoreSecur3'}Passwor7!';`,
        // Passphrases, `_pw` names.
        `GPG_PASSPHRASE=${pw}`,
        `  bind_pw: ${fx('gbpw1', 16)}`,
      ],
      fp: [
        // Keys made to be public: what client code ships.
        `private POSTHOG_API_KEY = 'phc_${fx('gpub1', 43)}';`,
        `STRIPE_PUBLISHABLE_KEY=pk_live_${fx('gpub2', 99)}`,
        `supabase_key: "sb_publishable_${fx('gpub3', 36, A.base64url)}"`,
        'DB_PASSWORD=${DB_PASSWORD}',
        '  password: "<password>"',
        '  password: {{ .Values.password }}',
        'ADMIN_PASSWORD=changeme',
        // A lock file's key path and checksum (an i18n lock), a yarn.lock entry, a translation, a sed expression.
        `    auth/forgot-password/reset/new_password: ${fx('gil1', 32, A.hex)}`,
        '  "@types/jsonwebtoken": "npm:^8.5.9"',
        '  "OAuth client secret": "OAuth-klientnøkkel",',
        'sed -i "s|# S3_ACCESS_KEY:|S3_ACCESS_KEY: \\"$ext_s3_access_key\\"|" .env',
        // Crowdin's pseudo-translation placeholder, a validation rule.
        "    'password' => 'crwdns6846:0crwdne6846:0',",
        "        'password' => 'required|min:8|confirmed',",
        // A type where a value would be (Kotlin's nullable types).
        '    val masterKey: CryptoCrossSigningKey?,',
        '    val changePassword: BooleanCapability? = null,',
        // A random UUID in a link's query: the link's id (a meeting's passcode), public with the link.
        `[Join](https://meet.example.invalid/j/92843470602?password=${fxUuid('gq1')})`,
        'const apiKey = process.env.API_KEY;',
        'api_key = os.environ["API_KEY"]',
        'password = getPassword()',
        `"integrity": "${sha512}"`,
        `api_token: "${fxUuid('gu1')}"`,
        `deploy_token = "${fx('gsha', 40, A.hex)}"`,
        'password: ********',
        'tokenizer = "bert-base-uncased-v2"',
        'SECRET_KEY_NAME=my-app-secret-key',
        // Code and ids a dot or a `::` joins: names, with digits (`erc1363Mock`) or a private field; a namespaced id.
        'this.token = this.erc1363Mock;',
        '  addressToPrivateKey: this.#addressToPrivateKey,',
        '    jwt_secret: secstr::SecUtf8,',
        '  "SubjectFromWebIdentityToken": "amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A",',
        // A cipher list, base64 that happens to hold `pSk=`, a name as its value.
        `G_SERVER_PRIO="NORMAL:+PSK:+ECDHE-PSK:+SHA256:+SHA384:-VERS-TLS-ALL:$G_PRIO_MODE"`,
        '"$G_NEXT_CLI -d 10 --priority NORMAL:-VERS-ALL:-KX-ALL:+ECDHE-PSK:+DHE-PSK:+PSK:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1 \\',
        `18841+|${fx('gpb1', 22, A.base64)}+|K0E9pSk=+|${fxUuid('gpb2')}+|2024-10-13`,
        '    final String repo2Passphrase = "repo2-passphrase";',
        // A search client's public key beside its app id; a field's name with its `=`.
        `  algolia: {\n    appId: '${fx('gal1', 10, A.upperAlnum)}',\n    apiKey: '${fx('gal2', 32, A.hex)}',\n    indexName: 'docs',`,
        '    private const string SharedAccessKeyToken = "SharedAccessKey=";',
        // A secret's hash (a detect-secrets baseline), a crypto test vector's input (Wycheproof).
        `        "hashed_secret": "${fx('ghs1', 40, A.hex)}",`,
        `    {\n      "tcId" : 3,\n      "comment" : "",\n      "flags" : [],\n      "password" : "${fx('gtc1', 16, A.hex)}",`,
        // A reference or a command inside the value: shell and Compose substitute them.
        'DB_PASSWORD="${DB_USER}$(date +%s)"',
        'API_TOKEN=tok_$(cat /run/secrets/api_token)',
        `ADMIN_PASSWORD=ab$\${${fx('gdl7', 12)}}`,
        'secret: DATABASE_PASSWORD',
        'password = userInputPasswordField',
        `OPENAI_API_KEY=sk-proj-${fx('gop', 40)}`,
        'token: ./secrets/token.txt',
        '"oauth_token_secret=secret%3Dpassword&oauth_token=lock%26key",',
        "const base = { 'vault-secret': 'secret/data/release/app' };",
        'password: "{AES256}ZXhhbXBsZQ==Qm9vdA"',
        'token_ttl=3600000000',
        'password_min_length: 12345678',
        'access_token_url = "https://oauth2.googleapis.com/token"',
        ' * const apiToken = "abc123xyz456";',
        '[![codecov](https://codecov.io/gh/org/repo/branch/main/graph/badge.svg?token=yZL6LtXkOA)](https://codecov.io)',
        ' * @returns {Promise<{secretKey: Uint8Array, sharedSecret: Uint8Array}>}',
        'function f({ privateKey:PrivateKey|Uint8Array|String }) {}',
        'const exclamationToken = !questionToken && !seen;',
        'const { contextToken: contextToken2, previousToken: previousToken2 } = info;',
        'CordzSampleToken::Iterator::pointer CordzSampleToken::Iterator::operator->() const',
        // Shapes seen in third-party packages (the benchmark corpus): code after the assignment, names as values.
        'exports.RateLimitedApiKey=exports.ApiKeySourceType=void 0;',
        'accessToken:props.accessTokenValidity?"minutes":void 0,refreshToken:props.refreshTokenValidity?"minutes":void 0',
        "const clientSecret = this.#clientAuthentication.clientSecret || '';",
        'actionProperties:props.map(ap=>({key:ap.key||!1,secret:ap.secret||!1,...ap}))',
        'const secretName=`${prefix}`+env.SECRET_NAME_SUFFIX;',
        '    withCredentials: defaultToConfig2,',
        'exports.SignatureV4SignWithCredentials = SignatureV4SignWithCredentials;',
        'export const X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";',
        '  "AWS::IAM::AccessKey": "aws-cdk-lib.aws_iam.CfnAccessKey",',
        'exports.LOG_USER_POOL_CLIENT_SECRET_VALUE="@aws-cdk/cognito:logUserPoolClientSecretValue";',
        '"ARN": "arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3",',
        `  "NextContinuationToken": "${fx('gct', 54, A.base64)}==",`,
        `  "ClientToken": "${fx('gcl', 16, A.lowerAlnum)}",`,
        '  "Password": "SomeKindOfPassword#42",',
        ` *   clientSecret: "VERYLONGSECRET${fx('gvl', 40)}",`,
        '         *       //   "recaptchaV3Token": "my_recaptchaV3Token"',
        // A malformed token with a prefix another rule owns is that rule's to judge; numeric literals are code.
        `\ttoken: "${'doo'}_v1_${fx('gdo', 62, A.hex)}sd",`,
        '\tSIOCGLIFTOKEN                 = -0x3f879678',
        // Encoded placeholders: base64 of `1234\n`, `secret\n`, `password`, `foo:bar`.
        `password: ${b64('1234\n')}`,
        `  secret: ${b64('secret\n')}`,
        `token = "${b64('password')}"`,
        `auth_token: ${b64('foo:bar')}`,
        // Code, not values: a pointer dereference, a regular expression's source, a constant and trailing code.
        '\tApiKey: *gcsAPIKey,',
        'var re = regexp.MustCompile(`_authToken=\\s*((npm_.+)|(\\$\\{.+\\}))`)',
        '  password = "REMOVED_TOKEN`),',
        // Sequential stand-ins.
        'api_key = "12345678-2323-1111-2222-123456789012"',
        `api_key = "${'API-'}1234567890ABCDEFGHIJKLMNO1234"`,
        // Non-secret fields named like secrets: request and update tokens, an ACME challenge, a credential scope.
        `"RequestToken": "${fx('grq', 20)}"`,
        `  PolicyUpdateToken: "${fx('gpu', 24)}"`,
        `{"type": "http-01", "url": "https://acme.invalid/chall/1",\n "token": "${fx('gac', 43, A.base64url)}"}`,
        `X-Amz-Credential=${'AKIA'}${fx('gsc', 16, A.upperAlnum)}%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250101T000000Z`,
        // A stored password hash where the code names its scheme (a user-import test), short hex (a public photo's
        // `secret`), an ARN, a Rails form's anti-forgery token, a test's keyboard mash.
        `'userId' => 'md5',\n'password' => '${fx('gh1', 32, A.hex)}',`,
        `"hash": "scrypt", "password": "${fx('gh2', 86, A.base64)}=="`,
        `<photo id="175756086" secret="${fx('gh3', 10, A.hex)}" server="76"/>`,
        'encryption_key: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        `Parameters: {"authenticity_token"=>"${fx('gat', 86, A.base64)}=="}`,
        'password = "kjfhueyt9485osdfasdkljfh4lkjhakldjfhalkdsjf"',
        "$newPassword = 'NewPass123!';",
        // An instruction for the value, a value naming what it is, a signed URL's fields.
        'FLAGS_SECRET=ReplaceThisWith32RandomBytesBase64UrlString',
        "headers: { 'x-api-key': 'api-key-123' },",
        // An identifier passed on, base64 of words.
        '\t\tcorev1.TLSPrivateKeyKey: skBytesPKCS1,',
        `\ttargetSecretValue1 := "${Buffer.from('great-name').toString('base64')}"`,
        // Identifiers with digits in them: code, not values.
        '\tdec.privateKey = ed25519PrivateKey',
        // Names of tokens that are no credentials, hashes under a password's name, an asset's path, a badge's token.
        `    XOR_CSRF_TOKEN_VALUE = "${fx('gxc1', 8)}-${fx('gxc2', 6)}=="`,
        '      initialClusterToken: "etcd-cluster-k8s"',
        `  deviceToken: '${fx('gdt1', 64, A.hex)}',`,
        '<assemblyIdentity name="Newtonsoft.Json" publicKeyToken="30ad4fe6b2a6aeed" culture="neutral" />',
        `    String encodedPassword = "${fx('gep1', 64, A.hex)}";`,
        `    "assetToken": "Purple62/v4/4f/26/50/${fxUuid('gas1')}/pr_source.png",`,
        `[![GuardRails](https://api.guardrails.invalid/v2/badges/21183?token=${fx('gbt1', 64, A.hex)})](https://x.invalid)`,
        "    api_token: 'something123',",
        // Minified code: assignments chained through the value.
        'name:_classThis.name},null,_classExtraInitializers),ApiKey2=_classThis=_classDescriptor.value,_metadata&&f()',
        '    secret: passwordStrength,',
        'AZURE_BLOB_SAS_TOKEN=st=2025-03-04T07:24:52Z&se=2025-04-04T15:24:52Z&spr=https&sv=2022-11-02&sr=c',
        'API_TOKEN_OPTS=ttl=3600&scope=read&audience=api',
        "SECRET = 'st=2022-10-18T13:24:48Z&se=2023-10-18T21:24:48Z&si=Ledger&spr=https&sv=2021-06-08&sr=c'",
        "        if ($_token == '//@codeCoverageIgnoreStart') {",
        'AWS::IAM::AccessKey: AccessKeyResource',
        '    key_file: /etc/ssl/private/server.key',
        '  password: config.database.password',
        "  secret_token: '/run/secrets/app_token'",
        `DATABASE_PASSWORD="encrypted:${fx('gdx1', 60, A.base64)}"`,
        `    bypass = "${fx('gbp1', 20)}"`,
        '  DB_PASS: secret123',
        `    if password == "Password123!":`,
        '\t\tprivateKey: ecTestKey256,',
        `expected = "https://cdn.invalid/edge-cache-token=Expires=1663070400&KeyName=test-key&Signature=${fx('gsu', 43, A.base64url)}"`,
      ],
    })),
  },
  {
    id: 'generic-secret-quoted',
    title: 'Quoted secret-looking value with punctuation assigned to a secret-looking name',
    severity: 'medium',
    keywords: KEYWORDS,
    pattern: String.raw`(?i)${NAME_START}([?&]?${NAME})["']?\]?${OPERATOR}[ \t]*[bru]{0,2}["'\x60]([^\s"'\x60]{8,})["'\x60]`,
    secretGroup: 2,
    entropy: 3,
    validate: validateQuotedSecret,
    fallback: true,
    help:
      'A quoted random-looking value that starts with or holds punctuation an unquoted value cannot (`]`, `&`, ' +
      '`{`, `$`, `;`, `,`, `(`), assigned to a name such as password or secret. Values without such punctuation ' +
      'are the other generic rule’s; placeholders, references, interpolations, encrypted values (`{cipher}…`, ' +
      '`ENC(…)`) and password hashes are not reported. Rotate the credential and load it from a secret store.',
    examples: lazyExamples(() => ({
      tp: [
        `  password: "]${pw}"`,
        `DB_PASSWORD='&${fx('gq1', 6)}{${fx('gq2', 5)}$${fx('gq3', 4, A.digits)}'`,
        `"client_secret": "${fx('gq4', 10)};${fx('gq5', 10)},${fx('gq6', 4, A.digits)}"`,
        `const password = "(${fx('gq7', 9)})!${fx('gq8', 3, A.digits)}";`,
      ],
      fp: [
        '  password: "${DB_PASSWORD}"',
        '  password: "%{db_password}"',
        '  password: "#{ENV[\'DB_PASSWORD\']}"',
        '  password: "{cipher}AQA7c2VjcmV0c2VjcmV0"',
        '  password: "ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)"',
        `  password_hash: "$2b$12$${fx('gqh', 53, './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}"`,
        '  token: "[REDACTED]"',
        `  api_key: "${key32}"`,
        '  password: "getPassword(user,realm)"',
        '  secret: "a,b,c,d,e,f"',
        // Minified code between two string literals, taken for a quoted value.
        'var l={formatToken:function(){return"Token: "+String(y))}if(3!=i.biff&&v>=0&&-1==["x"]}',
        // A translation in `\u` escapes; a password hash in modular crypt format (Shiro's).
        '  "profile_oauth_client_secret": "\\u5bc6\\u94a5",',
        `String storedPassword = '$shiro1$SHA-256$500000$${fx('gsh1', 22, A.base64)}==$${fx('gsh2', 43, A.base64)}=';`,
        // A grammar's regular expression, cut where it holds a quote.
        '    private const val TOKEN = "([a-zA-Z0-9-!#$%&\'*+.^_`{|}~]+)"',
        '      "output_token": "StreamDescription.Shards[-1].ShardId",',
        // A regular expression's source (a scanner's own plugin).
        "    secret = r'([a-z0-9]{64})'",
        "    cl_api_key = r'([a-z]{24})'",
      ],
    })),
  },
  {
    id: 'generic-secret-unquoted-line',
    title: 'Unquoted secret-looking value with punctuation on a line of its own (env file, compose, YAML)',
    severity: 'medium',
    keywords: KEYWORDS,
    // The value runs to the end of the line: an env file, a compose `environment:` list or a YAML plain scalar takes
    // `[`, `{`, `;`, `,`, `(` and `&` as part of it, where in code they end an expression. So the line must read as
    // one of those: an environment variable's upper-case name and `=` with no space about it (`DB_PASSWORD=…`,
    // `- MYSQL_PASSWORD=…`, `export API_TOKEN=…`), or a YAML key and `: `. A last character that continues code
    // (`,` `;` `(` `{` `[`) is not a value's end.
    pattern: String.raw`(?im)^[ \t]*(?:-[ \t]+|export[ \t]+)?((?-i:[A-Z0-9_]*${ENV_NAME}[A-Z0-9_]*)=|${NAME}:[ \t]+)[ \t]*([^\s"'\x60#][^\s"'\x60]{6,}[^\s"'\x60,;({\[])[ \t]*\r?$`,
    secretGroup: 2,
    entropy: 3,
    validate: validateQuotedSecret,
    fallback: true,
    help:
      'A random-looking value with punctuation an unquoted value in code cannot hold (`[`, `{`, `;`, `,`, `(`, ' +
      '`&`), assigned on a line of its own, as env files, compose `environment:` lists and YAML write it, to a name ' +
      'such as password or secret. Values without such punctuation are the first generic rule’s; placeholders, ' +
      'references, interpolations, encrypted values and password hashes are not reported. Rotate the credential ' +
      'and load it from a secret store.',
    examples: lazyExamples(() => ({
      tp: [
        `      - MYSQL_PASSWORD=${fx('gu1', 7)}[${fx('gu2', 5)}[${fx('gu3', 6)};,{*${fx('gu4', 7)}`,
        `export API_TOKEN=${fx('gu5', 12)}&${fx('gu6', 12)}`,
        `DB_PASSWORD=${fx('gu7', 8)}(${fx('gu8', 6, A.digits)})${fx('gu9', 5)}`,
        `  password: ${fx('gua', 9)};${fx('gub', 7)},${fx('guc', 4, A.digits)}`,
        // A SAS token on its own, as an env file holds it: its fields, and the signature that makes it a credential.
        `\tAZURE_BLOB_SAS_TOKEN=sp=rcwl&st=2025-03-10T06:58:25Z&se=2025-03-10T14:58:25Z&sip=168.1.6.50&spr=https&sv=2022-11-02&sr=c&sig=${fx('gsas1', 4)}%2B${fx('gsas2', 12)}%2F${fx('gsas3', 24)}%3D`,
      ],
      fp: [
        'DB_PASSWORD=${DB_PASSWORD}',
        'API_KEY=[REDACTED]',
        '  password: getPassword(user,realm)',
        '  secret: a1,b2,c3,d4',
        'PASSWORD=ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)',
        '  token: {{ .Values.token }}',
        `  password: ${fx('gud', 12)}`,
        '    secretKey: computeSecret(input, 42),',
        '  accessKey: opts.accessKey || defaults[0];',
        // Code on a line of its own: calls and their results.
        '            token = str(random.getrandbits(64))',
        'POSTGRES_PASSWORD = uuid.uuid4().hex[:26]',
        '    token = services[1].decode()',
        '        credentials = boto3.Session().get_credentials()',
        '        secret = list(output)[0]',
        '\t\tcrt.Spec.PrivateKey = &v1.CertificatePrivateKey{}',
        'Secret=Foo[bar];Baz',
        // A lockfile's package whose name ends in a keyword, at a version with its peer dependencies.
        '      gtoken: 7.1.0(encoding@0.1.13)',
      ],
    })),
  },
  {
    id: 'generic-secret-xml',
    title: 'Secret-looking value in an XML element with a secret-looking name',
    severity: 'medium',
    keywords: KEYWORDS,
    // The value may sit on a line of its own between the tags (pretty-printed XML).
    pattern: String.raw`<(?i:(${NAME}))>\s*(${VALUE})\s*</`,
    window: 256,
    secretGroup: 2,
    entropy: 3,
    validate: validateGenericSecret,
    fallback: true,
    help:
      'A random-looking value inside an XML element named like a secret (Maven `settings.xml` `<password>`, ' +
      'app.config, Spring XML). Encrypted Maven values (`{…}`) and placeholders are not reported. Rotate the ' +
      'credential and use encryption or environment references.',
    examples: lazyExamples(() => ({
      tp: [
        `<password>${pw}</password>`,
        `  <server><id>nexus</id><apiKey>${key32}</apiKey></server>`,
        `    <accessToken>\n      ${fx('gx1', 40)}\n    </accessToken>`,
      ],
      fp: [
        '<password>${env.NEXUS_PASSWORD}</password>',
        '<password>{COQLCE6DU6GtcS5P=}</password>',
        '<secretName>my-tls-secret</secretName>',
        '<password>\n  <value>${DB_PASSWORD}</value>\n</password>',
        '<PublicKeyToken>35a561290d20de2f</PublicKeyToken>',
        '<clientToken>ifmxj1365530456668</clientToken>',
      ],
    })),
  },
  {
    id: 'generic-secret-setter',
    title: 'Secret-looking value paired with a secret-looking name (a call, a name/value entry, a default)',
    severity: 'medium',
    keywords: KEYWORDS,
    pattern: String.raw`(?i)(?:${PAIRED.join('|')})${SCHEME}([^\s"'\x60}\\<]{8,})(?:["'\x60\s}\\<]|$)`,
    // A name/value entry and a Terraform variable span lines.
    window: 256,
    entropy: 3,
    validate: validatePairedSecret,
    fallback: true,
    help:
      'A random-looking value paired with a name such as password, secret, token or api_key other than by an ' +
      'assignment: a setter or a builder named for it (`cfg.setPassword("\u2026")`, `.apiKey("\u2026")`), an ' +
      'Android build constant (`buildConfigField`), an XML element named by its `name` or `key` attribute ' +
      '(`<string name="maps_api_secret">`, `<property name="password" value="\u2026"/>`), ' +
      'a call\u2019s two arguments (`System.setProperty("API_TOKEN", "\u2026")`, `os.Setenv`, ' +
      '`os.getenv("API_KEY", "\u2026")`, `req.Header.Set("X-Api-Key", "\u2026")`), an environment lookup\u2019s ' +
      'fallback (`process.env.API_KEY || "\u2026"`), a name/value entry (Kubernetes `env`, ECS task definitions, ' +
      'CloudFormation parameters, .NET `<add key="\u2026" value="\u2026"/>`), a Terraform variable\u2019s or a ' +
      'reference\u2019s default (`${DB_PASSWORD:-\u2026}`), or a DSL statement (Gradle `password \u2019\u2026\u2019`, ' +
      'PHP `define`, C `#define`, Dockerfile `ENV`). Placeholders, references, stand-ins, hashes and identifiers are ' +
      'not reported. Rotate the credential and read it from the ' +
      'environment or a secret store instead.',
    examples: lazyExamples(() => ({
      tp: [
        `        System.setProperty("ADAFRUIT_TOKEN", "${fx('gse1', 32)}");`,
        `\tos.Setenv("GITHUB_TOKEN", "${fx('gse2', 40)}")`,
        `os.environ.setdefault('DJANGO_SECRET_KEY', '${fx('gse3', 50)}')`,
        `Environment.SetEnvironmentVariable("API_KEY", "${key32}");`,
        // Env lookups with a default, a header set by a call, a map's entry.
        `JINA_API_KEY = os.getenv('JINA_API_KEY', '${fx('gse4', 36)}')`,
        `    'token' => env('JIRA_API_TOKEN', '${fx('gse5', 24)}'),`,
        `const apiKey = process.env.API_KEY || '${key32}';`,
        `\treq.Header.Set("X-Api-Key", "${fx('gse6', 32)}")`,
        `props.put("db.password", "${pw}");`,
        // Name/value entries: Kubernetes, ECS, CloudFormation, .NET appSettings; a Terraform variable's default.
        `      - name: API_KEY\n        value: "${fx('gse7', 32)}"`,
        `{"environment": [{"name": "REGISTRY_PASSWORD", "value": "${pw}"}]}`,
        `  {"ParameterKey": "DBPassword", "ParameterValue": "${pw}"},`,
        `    <add key="SmtpPassword" value="${pw}" />`,
        `variable "db_password" {\n  type    = string\n  default = "${pw}"\n}`,
        // DSL statements: Gradle, Capistrano.
        `    credentials {\n        username 'deploy'\n        password '${pw}'\n    }`,
        `set :password, "${pw}"`,
        `define('DB_PASSWORD', '${pw}');`,
        `  Stripe.api_key = ENV.fetch('STRIPE_SECRET_KEY', '${fx('gse8', 32)}')`,
        `let key = env::var("API_KEY").unwrap_or("${key32}".to_string());`,
        `api_key = os.environ.get("API_KEY") or "${key32}"`,
        `#define API_SECRET "${fx('gse9', 32)}"`,
        `ENV API_TOKEN ${fx('gsea', 40)}`,
        // A reference's default: Spring, Compose.
        `  secret: \${JWT_SECRET:${fx('gseb', 43, A.base64url)}}`,
        `      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-${pw}}`,
        // A setter or a builder given the secret alone; Android's build constants and string resources; Spring's
        // bean properties.
        `        cfg.setPassword("${pw}");`,
        `    user.set_password('${pw}')`,
        `    .apiKey("${key32}")`,
        `        buildConfigField("String", "API_KEY", "\\"${fx('gsf1', 40)}\\"")`,
        `    <string name="maps_api_secret" translatable="false">${fx('gsf2', 32, A.hex)}</string>`,
        `    <property name="password" value="${pw}"/>`,
        `    <entry key="db.password">${pw}</entry>`,
      ],
      fp: [
        'System.setProperty("javax.net.ssl.trustStorePassword", System.getenv("TRUSTSTORE_PASSWORD"));',
        'os.Setenv("GITHUB_TOKEN", token)',
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')",
        'putenv("DB_PASSWORD=changeme");',
        "SECRET_KEY = os.getenv('SECRET_KEY', 'dev-secret-key-change-me')",
        "const fields = ['password', 'passwordConfirmation', 'currentPassword'];",
        'headers.set("X-Api-Key", apiKey);',
        "const password = process.env.DB_PASSWORD || 'postgres';",
        '      - name: DB_PASSWORD\n        valueFrom:\n          secretKeyRef:\n            name: db',
        '      - name: API_KEY\n        value: "${API_KEY}"',
        '    <add key="SmtpPassword" value="#{SmtpPassword}#" />',
        'variable "db_password" {\n  type      = string\n  sensitive = true\n}',
        "t('password', 'Mot de passe oubli\u00e9')",
        '    password project.findProperty("repoPassword")',
        'Enter the password "hunter2" to continue.',
        'This kind of token or "[macaroon](https://fly.invalid/blog/macaroons)" can be scoped.',
        '<input type="hidden" name="csrfmiddlewaretoken" value="YRim2izKIk1eLSJ5jAKVo2ZiX9mN3pQ4">',
        "define('DB_PASSWORD', getenv('DB_PASSWORD'));",
        'ENV API_TOKEN=""',
        '        cfg.setPassword(System.getenv("DB_PASSWORD"));',
        '    return CipherUtils.newSecretKey("PBKDF2WithHmacSHA256", password);',
        '    String token = this.token("ExpiresAt4687177990");',
        "    assert not filters.gibberish.should_exclude_secret('2b00042f7481c7b056c4b410d28f33cf')",
        "    user.set_password('password123')",
        '    <string name="password">Password</string>',
        '    <string name="forgot_password">Forgot your password?</string>',
        '        buildConfigField("String", "API_KEY", "\\"${System.getenv(\'API_KEY\')}\\"")',
        '    <property name="password" value="${jdbc.password}"/>',
        '      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}',
        '  password: ${DB_PASSWORD:}',
        '  secret: ${JWT_SECRET:mySecretKey123}',
        // A password first and a hash or a salt after it: not a name and its value.
        'assertThat(encoder.matches("wrongpassword", "{SSHA}25ro4PKC8jhQZ26jVsozhX/xaP0suHgX")).isFalse();',
        'TextEncryptor e = Encryptors.stronger("password", "5c0744940b5c369b");',
        `    setPassword("encodedPassword", "$2a$10$${fx('gsb1', 53, './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}");`,
      ],
    })),
  },
  {
    id: 'generic-secret-yaml-block',
    title: 'Secret-looking value in a YAML block scalar under a secret-looking name',
    severity: 'medium',
    // `signing_secret: >-` or `password: |`, and the value alone on the next line, indented: YAML's folded and
    // literal scalars (a long value folded out of the way). Keyed on the indicator, which every such line holds. A
    // value that goes on over more lines (base64 wrapped, a SOPS blob) is not judged by its first line: the line
    // after the value must start another key, an item, a comment or a blank line, or the text must end.
    keywords: [': |', ': >', ':|', ':>'],
    pattern: String.raw`(?im)^[ \t]*(?:-[ \t]+)?["']?${NAME}["']?[ \t]*:[ \t]*[|>][+-]?[0-9]?[ \t]*\r?\n[ \t]+([^\s"'\x60}\\<]{8,})[ \t]*(?:\r?\n[ \t]*(?:-[ \t]|[\w"'.-]+[ \t]*:|#|\r?\n|\z)|\z)`,
    window: 256,
    entropy: 3,
    validate: validatePairedSecret,
    fallback: true,
    help:
      'A random-looking value in a YAML block scalar (`signing_secret: >-` or `password: |`, the value on the ' +
      'next line) under a name such as password, secret, token or api_key. Placeholders, references and ' +
      'identifiers are not reported. Rotate the credential and load it from the environment or a secret store.',
    examples: lazyExamples(() => ({
      tp: [
        `service:\n  signing_secret: >-\n    ${fx('gyb1', 44)}\n  issuer: acme\n`,
        `  db_password: |\n    ${pw}\n`,
        `- api_key: >\n    ${key32}\n`,
      ],
      fp: [
        '  password: |\n    ${DB_PASSWORD}\n',
        '  token: >-\n    {{ .Values.token }}\n',
        '  description: |\n    The password the service uses\n',
        // Prose on the lines after: several words, not one value.
        '  secret_help: >\n    Rotate the secret every ninety days and keep it out of the repository.\n',
        // A value wrapped over lines: its first line is not the value.
        `  token: |\n    ${fx('gyb2', 70, A.base64)}\n    ${fx('gyb3', 70, A.base64)}\n`,
      ],
    })),
  },
  {
    id: 'dotenv-key',
    title: 'Random value of an upper-case *_KEY or *_AUTH variable (environment files, scripts)',
    severity: 'medium',
    // `MAPBOX_KEY=…`, `export CRM_AUTH="…"`: a variable named for a key or an auth value with no word the generic
    // names know (`API_KEY`, `SECRET`, `TOKEN` are theirs). Upper-case names at a line's start, as environment files,
    // shell scripts and Python constants write them; a random value of 16 characters or more.
    keywords: ['_key=', '_key =', '_auth=', '_auth ='],
    pattern: String.raw`(?m)^[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*_(?:KEY|AUTH)[ \t]*=[ \t]*["']?([A-Za-z0-9+/_.~=-]{16,})["']?[ \t]*\r?$`,
    entropy: 3,
    validate: validateEnvKey,
    fallback: true,
    help:
      'A random value given to an upper-case variable named like a key or an auth value (`MAPBOX_KEY=…`, ' +
      '`CRM_AUTH=…`) in an environment file, a script or a constant. Keys a client is meant to hold are not reported: publishable, ' +
      'public and site keys, and variables a front-end build exposes (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`…). ' +
      'Rotate the credential and keep the file out of the repository (commit a `.env.example` without values).',
    examples: lazyExamples(() => ({
      tp: [
        `MAPBOX_KEY=${fx('gdk1', 40)}`,
        `export CRM_AUTH="${fx('gdk2', 43, A.base64)}="`,
        `SHIPPO_KEY=${fx('gdk3', 32, A.hex)}`,
      ],
      fp: [
        `NEXT_PUBLIC_MAPBOX_KEY=${fx('gdk4', 40)}`,
        `RECAPTCHA_SITE_KEY=${fx('gdk5', 40)}`,
        `STRIPE_PUBLISHABLE_KEY=${fx('gdk6', 40)}`,
        'CACHE_KEY=node-modules-v3-deps',
        'SSH_KEY=/home/deploy/.ssh/id_ed25519',
        'AWS_S3_KEY=uploads/avatars/default.png',
        'MAPBOX_KEY=your-mapbox-key-goes-here',
        'APP_KEY=SomeRandomStringOf32CharsExactly',
        `cacheKey=${fx('gdk7', 40)}`,
      ],
    })),
  },
];
