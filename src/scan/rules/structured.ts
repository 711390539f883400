// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` placeholders are false-positive fixtures, not templates
// Structured secrets: JWTs, database and service URLs with passwords, JDBC/ADO.NET connection strings, basic-auth
// URLs, Docker registry `auths`, npm/yarn registry credentials, kubeconfig user credentials, .netrc entries,
// passwords on command lines, and web frameworks' application keys (Laravel, Django). Validators check the payload (JSON, base64 `user:pass`, parseable key) and drop
// placeholder passwords.
// Example values are assembled at run time from fixture helpers, so no credential-shaped literal lives here.
import type { Rule, RuleExamples } from '../types.ts';
import { lazyExamples } from './examples.ts';
import { TOKEN_END as E, TOKEN_START as B } from './syntax.ts';
import {
  FIXTURE_ALPHABETS as A,
  fakeJwt,
  fx,
  isPlaceholderPassword,
  keyFixture,
  validateBase64Password,
  validateBase64PemKey,
  validateBasicAuthBase64,
  DJANGO_KEY_ALPHABET,
  validateDbUrl,
  validateDjangoSecretKey,
  validateJwt,
  validateLaravelAppKey,
  validateNetrcPassword,
  validatePgpassPassword,
  isHashedOrEncrypted,
  validatePassword,
} from '../validate/structure.ts';
import type { Validity } from '../types.ts';

/** `user:password@host` of a URL; group 1 is the password. */
// A URL's user:password@host. `?` ends the authority (RFC 3986): an `@` after it is in the query
// (`http://host:port?email=name@example.com`), not after a password. `#` would too, but people write it unencoded in
// passwords (`postgresql://app:8rESQ#dUStPKR0@db/app`), and a fragment seldom holds an `@`.
const USERINFO = String.raw`[^:@/\s"'<>?]*:([^@/\s"'<>?]+)@[^\s"'<>/@]+`;

// Keywords of a URL's `user:password@`: the last character of the password and the `@` (every printable ASCII
// character the password class allows, letters lowercase since keywords match case-insensitively). Every credentialed
// URL holds one, while ordinary URLs hold none (`http` or `://` alone flag every URL in docs and code: on the bench
// corpus `http` was ~60% of all keyword hits, these 62 keywords hit ~20x less often), and `@param`, `"@scope/pkg"` and
// `<a@b>` do not hit either. A password ending in a non-ASCII character is the one case they miss.
const USERINFO_END = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => !`"'/<>@`.includes(c) && !(c >= 'A' && c <= 'Z'))
  .map((c) => `${c}@`);

/** A database connection's call, up to its user's argument: the password is the string after it. */
const DB_CONNECT = String.raw`(?:\bnew[ \t]+PDO|DriverManager\.getConnection|DBI->connect|\bmysqli_connect|\bnew[ \t]+mysqli|\bmysql_connect)\([^,()\n]*,[ \t]*`;
const pw = (seed: string) => `${fx(seed, 10)}-${fx(`${seed}b`, 6, A.lowerAlnum)}`;
const jwtPayload = { sub: 'svc-deploy', iss: 'https://auth.internal.invalid', iat: 1767225600, exp: 1767229200 };
const jwt = fakeJwt(jwtPayload, 'jwt1');
const jwtRs = fakeJwt({ sub: 'user-42', scope: 'admin', iat: 1767225600 }, 'jwt2', 'RS256');
const jwtIo = fakeJwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'jwt3');
const jwtNone = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(jwtPayload)).toString('base64url')}.`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const dockerAuth = b64(`deploy-bot:${pw('dk1')}`);
const npmLegacyToken = `${fx('np1', 8, A.hex)}-${fx('np2', 4, A.hex)}-4${fx('np3', 3, A.hex)}-a${fx('np4', 3, A.hex)}-${fx('np5', 12, A.hex)}`;
const kubeToken = `${fx('kb1', 6, A.lowerAlnum)}.${fx('kb2', 16, A.lowerAlnum)}`;

/** Database URL rule: `scheme://user:password@host`, the password validated as not a placeholder. */
function dbRule(
  id: string,
  title: string,
  scheme: string,
  keywords: string[],
  help: string,
  examples: RuleExamples,
): Rule {
  return {
    id,
    title,
    severity: 'high',
    keywords,
    pattern: `${B}(?i:${scheme})://${USERINFO}`,
    validate: validateDbUrl,
    help: `${help} Reported only when the password is not a placeholder (\`\${DB_PASSWORD}\`, \`<password>\`, \`changeme\`…).`,
    examples,
  };
}

/** Kubeconfig user tokens: not JWTs (the JWT rule reports those), not placeholders. */
function validateKubeToken(secret: string): Validity {
  if (secret.startsWith('eyJ')) return 'invalid';
  return isPlaceholderPassword(secret) ? 'invalid' : 'unknown';
}

/** `.npmrc` `_authToken`: not an `npm_` token (the npm rule checks those), not a placeholder. */
function validateNpmrcToken(secret: string): Validity {
  if (/^npm_/.test(secret)) return 'invalid';
  return isPlaceholderPassword(secret) ? 'invalid' : 'unknown';
}

/** An account a SQL statement names (`USER 'app'@…`, `ROLE app`, `LOGIN svc`): its name. */
const SQL_ACCOUNT = /(?:USER|ROLE|LOGIN)[ \t]+[`'"[]?([^\s`'"\]@;]+)/i;
const SQL_ACCOUNTS = new RegExp(SQL_ACCOUNT.source, 'gi');

/**
 * A SQL statement's password: not a stored hash (`md5…`, `SCRAM-SHA-256$…`, MySQL's `*…`), not the account's own name
 * (`CREATE USER 'app-test' … BY 'app-test'`: a CI database's), not a placeholder.
 */
function validateSqlPassword(secret: string, match = '', before = ''): Validity {
  if (isHashedOrEncrypted(secret) || /^(?:md5[0-9a-f]{32}|SCRAM-SHA-256\$.*|\*[0-9A-F]{40})$/i.test(secret))
    return 'invalid';
  // The statement's own account: named in the match, else the last one named before it.
  const user = (SQL_ACCOUNT.exec(match) ?? [...before.slice(-200).matchAll(SQL_ACCOUNTS)].at(-1))?.[1];
  if (user && user.toLowerCase() === secret.toLowerCase()) return 'invalid';
  return validatePassword(secret);
}

export const structuredRules: Rule[] = [
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'medium',
    keywords: ['eyj'],
    pattern: `${B}(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,})${E}`,
    validate: validateJwt,
    requireValid: true,
    help:
      'A signed JSON Web Token: a bearer credential until it expires (check `exp`). Reported only when its header ' +
      'and payload decode to JSON with an `alg` other than `none`. Revoke the session or rotate the signing key if ' +
      'it is long-lived; never commit real tokens as test fixtures.',
    examples: lazyExamples(() => ({
      tp: [
        `AUTH_TOKEN=${jwt}`,
        `Authorization: Bearer ${jwtRs}`,
        `{"access_token": "${jwt}"}`,
        `token: ${jwtRs}`,
        `https://app.internal.invalid/callback#id_token=${jwt}&state=x`,
      ],
      fp: [
        `AUTH_TOKEN=${jwtIo}`,
        `token: "${jwtNone}"`,
        `const t = "${jwt.split('.').slice(0, 2).join('.')}";`,
        `token = jwt.encode({"some": "payload"}, key) # ${fakeJwt({ some: 'payload' }, 'jwf3')}`,
        // The jwt.io sample with its name edited; a NATS operator's JWT (a public claim document).
        `('${fakeJwt({ sub: '1234567890', name: 'Ś\u00e1ő', iat: 1516239022 }, 'jwt-io2')}', True),`,
        `operator = "${fakeJwt({ jti: 'OPJTI', iat: 1700000000, iss: 'ODSKR7MYFQZ5MMAJPHUUSXQSPYKQ5JSCRIEPP5DXF5CBWFGVYRRVVAL', name: 'op', sub: 'ODSKR7MYFQZ5MMAJPHUUSXQSPYKQ5JSCRIEPP5DXF5CBWFGVYRRVVAL', nats: { type: 'operator', version: 2 } }, 'jwt-nats', 'ed25519-nkey')}"`,
        // The jwt.io sample's signature under an edited payload: a hand-made fixture.
        `const session = '${jwt.split('.').slice(0, 2).join('.')}.${'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'}';`,
        // A Supabase project's anon key: client code ships it.
        `const supabase = createClient('https://abcdefghijklmnop.supabase.co', '${fakeJwt({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'anon', iat: 1700000000, exp: 2015000000 }, 'jwt-sb')}');`,
        `"${Buffer.from('{"x":1}').toString('base64url')}.eyJub3Rqc29u${fx('jwf', 10, A.base64url)}.${fx('jwf2', 43, A.base64url)}"`,
      ],
    })),
  },
  dbRule(
    'postgres-url',
    'PostgreSQL URL with password',
    'postgres(?:ql)?(?:\\+[a-z0-9]+)?',
    ['postgres'],
    'A PostgreSQL connection URL with an embedded password. Change the role’s password (`ALTER ROLE … PASSWORD`) and load the URL from a secret store.',
    lazyExamples(() => ({
      tp: [
        `DATABASE_URL=postgres://app:${pw('pg1')}@db.internal:5432/app`,
        `database_url: "postgresql+psycopg2://app:${pw('pg2')}@10.0.0.5/app"`,
        `{"dsn": "postgresql://reporting:${pw('pg3')}@pg.internal/reports?sslmode=require"}`,
        `engine = create_engine('postgresql://app:${pw('pg4')}@localhost/app')`,
      ],
      fp: [
        'DATABASE_URL=postgres://user:password@localhost:5432/app',
        'DATABASE_URL=postgres://admin:master_password@db.internal:5432/app',
        'URI: "postgres://doadmin:foobaz@db-1.db.cloud.invalid:25060/defaultdb?sslmode=require"',
        'postgresql://doadmin:shhhh@db-postgresql-test.db.cloud.invalid:25060/defaultdb',
        'DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}/app',
        'url: "postgresql://postgres:postgres@localhost/test"',
        // A placeholder spelled with symbols, percent-encoded (documentation of URL encoding).
        'DATABASE_URL="postgresql://documenso:p%40ss%23word@localhost:5432/documenso"',
        // A word of the user's name for a password.
        '# default="postgres://saleor_read_only:saleor@localhost:5432/saleor"',
        'dsn = "postgresql://localhost:5432/app"',
        'DATABASE_URL="postgres://app:{{ .Values.db.password }}@db/app"',
        // A stand-in with a typed digit apart.
        'url: r2dbc:postgresql://user-1:password-1@db.internal:5432/app',
      ],
    })),
  ),
  dbRule(
    'mysql-url',
    'MySQL/MariaDB URL with password',
    'mysql(?:x)?(?:\\+[a-z0-9]+)?|mariadb',
    ['mysql', 'mariadb'],
    'A MySQL or MariaDB connection URL with an embedded password. Change the account’s password (`ALTER USER`) and load the URL from a secret store.',
    lazyExamples(() => ({
      tp: [
        `DATABASE_URL=mysql://app:${pw('my1')}@mysql.internal:3306/shop`,
        `url: "mysql+pymysql://app:${pw('my2')}@127.0.0.1/shop"`,
        `$dsn = 'mariadb://root:${pw('my3')}@db/wp';`,
      ],
      fp: [
        'DATABASE_URL=mysql://root:<password>@localhost/shop',
        'DATABASE_URL=mysql://root:root@localhost/shop',
        "url = 'mysql://app:' + getPassword() + '@db/shop'",
        // One lowercase word for a password: a tutorial's stack.
        '      DATABASE_URL: mysql://root:whalehello@db:3306/mysql',
      ],
    })),
  ),
  dbRule(
    'mongodb-url',
    'MongoDB URL with password',
    'mongodb(?:\\+srv)?',
    ['mongodb'],
    'A MongoDB connection string with an embedded password (Atlas `mongodb+srv://` included). Rotate the database user’s password (Atlas: Database Access → Edit) and load the URI from a secret store.',
    lazyExamples(() => ({
      tp: [
        `MONGO_URI=mongodb+srv://api:${pw('mg1')}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true`,
        `mongo:\n  uri: "mongodb://admin:${pw('mg2')}@mongo-0.internal:27017/admin"`,
        `{"MONGODB_URI": "mongodb://svc:${pw('mg3')}@10.1.2.3/app"}`,
        // A `#` in the password, unencoded.
        `const PG_URI = "mongodb://realuser:${fx('mg6', 5)}#${fx('mg7', 10)}@db1.acme.invalid:27017/production";`,
        // A random password on a documentation domain: a real credential whose host was scrubbed.
        `MONGO_URL=mongodb://backup:${pw('mg5')}@backup.example.com/app`,
        // A real cluster whose name starts with a placeholder's word.
        `MONGO = "mongodb+srv://servicelogin:${pw('mg4')}@example-prince.ab1cd.mongodb.net/db"`,
      ],
      fp: [
        'MONGO_URI=mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/',
        'MONGO_URI=mongodb://localhost:27017/app',
        'uri: "mongodb://admin:%PASSWORD%@mongo/admin"',
        // MongoDB's documentation's password.
        '    "mongodb://myDatabaseUser:D1fficultP%40ssw0rd@mongodb0.example.com:27017/?authSource=admin",',
      ],
    })),
  ),
  dbRule(
    'redis-url',
    'Redis URL with password',
    'rediss?',
    ['redis'],
    'A Redis connection URL with a password (`redis://:password@host`, ACL users included). Change the password (`CONFIG SET requirepass` / `ACL SETUSER`) or rotate it in your provider’s console.',
    lazyExamples(() => ({
      tp: [
        `REDIS_URL=redis://:${pw('rd1')}@redis.internal:6379/0`,
        `cache_url: "rediss://default:${pw('rd2')}@eu1.upstash.io:6379"`,
        `const redis = new Redis("redis://worker:${pw('rd3')}@10.0.0.9:6379");`,
      ],
      fp: [
        'REDIS_URL=redis://:changeme@localhost:6379',
        // A keyboard walk for a password.
        "'url' => 'redis://h:asdfqwer1234asdf@ec2-111-1-1-1.compute-1.amazonaws.invalid:111',",
        'REDIS_URL=redis://localhost:6379/0',
        'REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379',
      ],
    })),
  ),
  dbRule(
    'amqp-url',
    'AMQP (RabbitMQ) URL with password',
    'amqps?',
    ['amqp'],
    'An AMQP broker URL (RabbitMQ and others) with an embedded password. Change the user’s password (`rabbitmqctl change_password`) and load the URL from a secret store.',
    lazyExamples(() => ({
      tp: [
        `AMQP_URL=amqp://orders:${pw('aq1')}@rabbit.internal:5672/prod`,
        `broker_url: "amqps://svc:${pw('aq2')}@b-1.mq.eu-west-1.amazonaws.com:5671"`,
      ],
      fp: ['AMQP_URL=amqp://guest:guest@localhost:5672/', 'broker_url: "amqp://user:pass@localhost//"'],
    })),
  ),
  dbRule(
    'mssql-url',
    'SQL Server URL with password',
    'mssql|sqlserver',
    ['mssql', 'sqlserver'],
    'A SQL Server connection URL with an embedded password. Change the login’s password (`ALTER LOGIN`) and load the URL from a secret store.',
    lazyExamples(() => ({
      tp: [
        `DATABASE_URL=mssql://sa:${pw('ms1')}@sql.internal:1433/app`,
        `url: "sqlserver://app:${pw('ms2')}@10.0.0.7/app"`,
      ],
      fp: [
        'DATABASE_URL=mssql://sa:<YourStrong@Passw0rd>@localhost/app',
        'url: "sqlserver://sa:Password123@localhost"',
      ],
    })),
  ),
  dbRule(
    'database-url',
    'Database URL with password (other engines)',
    'oracle|cockroachdb|clickhouse|neo4j(?:\\+s)?|bolt|cassandra|couchbases?|influxdb|snowflake|db2|memcached|nats',
    [
      'oracle',
      'cockroachdb',
      'clickhouse',
      'neo4j',
      'bolt',
      'cassandra',
      'couchbase',
      'influxdb',
      'snowflake',
      'db2',
      'memcached',
      'nats',
    ],
    'A database or message-broker URL (Oracle, CockroachDB, ClickHouse, Neo4j, Cassandra, Couchbase, InfluxDB, Snowflake, NATS…) with an embedded password. Change the account’s password and load the URL from a secret store.',
    lazyExamples(() => ({
      tp: [
        `NEO4J_URI=neo4j+s://neo4j:${pw('db1')}@abcd1234.databases.neo4j.io`,
        `clickhouse: "clickhouse://default:${pw('db2')}@ch.internal:9000/analytics"`,
      ],
      fp: [
        'NEO4J_URI=neo4j://neo4j:neo4j@localhost:7687',
        'url: "clickhouse://default:@localhost:9000"',
        // The user's name as password, a stand-in in leetspeak: a test's broker.
        'nc := natsConnect(t, fmt.Sprintf("nats://user1:user1@%s:%d", o1.Host, o1.Port))',
        'sysNc := natsConnect(t, fmt.Sprintf("nats://admin:s3cr3t!@127.0.0.1:%d", s.opts.Port))',
      ],
    })),
  ),
  {
    id: 'jdbc-password',
    title: 'JDBC URL with password',
    severity: 'high',
    keywords: ['jdbc:'],
    pattern: String.raw`jdbc:[a-z0-9]+:[^\s"'<>]*?[;?&](?i:password)=([^;&\s"'<>]+)`,
    validate: validatePassword,
    help:
      'A JDBC URL with a `password=` parameter. Change the database account’s password and pass it separately ' +
      '(a secret store or the driver’s properties), not inside the URL. Placeholder passwords are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `spring.datasource.url=jdbc:mysql://db.internal:3306/shop?user=app&password=${pw('jd1')}`,
        `url: "jdbc:sqlserver://sql.internal:1433;databaseName=app;user=app;password=${pw('jd2')};encrypt=true"`,
      ],
      fp: [
        'spring.datasource.url=jdbc:mysql://localhost/shop?user=app&password=${DB_PASSWORD}',
        'url: "jdbc:postgresql://localhost/app?password=password"',
        'jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1',
      ],
    })),
  },
  {
    id: 'connection-string-password',
    title: 'Connection string with password (ADO.NET/ODBC style)',
    severity: 'high',
    keywords: ['password=', 'pwd='],
    pattern: String.raw`(?i:(?:server|data source|host|hostname|address)\s*=\s*[^;"'\n]+;[^"'\n]*?(?:password|pwd)\s*=\s*)([^;"'\n]+)`,
    validate: validatePassword,
    help:
      'A `Server=…;User Id=…;Password=…` connection string (SQL Server, ODBC, Npgsql, MySQL Connector). Change ' +
      'the account’s password and load the string from a secret store or use managed identity. Placeholder ' +
      'passwords are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `ConnectionStrings__Default=Server=sql.internal;Database=app;User Id=app;Password=${pw('ado1')};`,
        `"Default": "Host=pg.internal;Port=5432;Username=app;Password=${pw('ado2')};SSL Mode=Require"`,
        `DSN = "Driver={ODBC Driver 18};Server=tcp:10.0.0.4,1433;Uid=sa;Pwd=${pw('ado3')};"`,
      ],
      fp: [
        '"Default": "Server=localhost;Database=app;User Id=sa;Password=<YourStrong!Passw0rd>;"',
        'ConnectionStrings__Default=Server=sql;Database=app;Password=$(SQL_PASSWORD);',
        '"Default": "Server=(localdb)\\\\mssqllocaldb;Database=app;Trusted_Connection=True;"',
        '    conn = "Server=db;User Id=sa;Password=hunter2\\nserver=other"',
      ],
    })),
  },
  {
    id: 'basic-auth-url',
    title: 'Credentials in an HTTP(S) URL',
    severity: 'high',
    keywords: USERINFO_END,
    pattern: `(?i:https?)://${USERINFO}`,
    validate: validateDbUrl,
    help:
      'An http(s) URL carrying `user:password@` (registries, git remotes, webhooks, proxies). Rotate the password ' +
      'or token and pass credentials through a credential helper or header instead. Placeholder passwords are not ' +
      'reported.',
    examples: lazyExamples(() => ({
      tp: [
        `PIP_INDEX_URL=https://ci:${pw('ba1')}@pypi.internal.invalid/simple`,
        `url = "https://deploy:${pw('ba2')}@git.internal.invalid/team/app.git"`,
        `proxy: "http://proxyuser:${pw('ba3')}@proxy.corp.invalid:3128"`,
        `{"registry": "https://bot:${pw('ba4')}@nexus.corp.invalid/repository/npm/"}`,
      ],
      fp: [
        'PIP_INDEX_URL=https://user:password@pypi.example.com/simple',
        'url = "https://${GIT_USER}:${GIT_TOKEN}@github.com/org/repo.git"',
        'see https://example.com/docs:faq@v2',
        'proxy: "http://user:pass@localhost:3128"',
        'https://<user>:<token>@gitlab.com/group/project.git',
        "const myURL = new URL('https://a:b@host.invalid?abc#foo');",
        // An `@` in the query string: no credentials (curl's test macros for the host).
        'http://%HOSTIP:%HTTPPORT?email=name@example.com/%TESTNUMBER',
        // Ruby's interpolation for the password.
        'conn = Faraday.new(url: "https://api:#{options[:apikey]}@api.mailgun.invalid")',
        // Metasyntactic words with the URL's colons about them; camelCase words that name a password.
        'String url = "http://:foobar:@localhost:9999";',
        'String url = "https://userInfoName:userInfoPW@localhost:8888/";',
        // A documentation host (RFC 2606's .example), and a test harness's macros for the host and the password.
        'http://alberto:Einst3in7@somewhere.example/path',
        'http://no-scheme-url.com.%TESTNUMBER:%HTTPPORT#@127.127.127.127/again.html',
        'GET http://user:Kq7pWz93@%HOSTIP:%HTTPPORT/%TESTNUMBER HTTP/1.1',
      ],
    })),
  },
  {
    id: 'service-credentials-url',
    title: 'Credentials in an SMTP/FTP/LDAP/SSH URL',
    severity: 'high',
    keywords: ['smtp', 'ftp', 'ldap', 'imap', 'pop3', 'ssh://'],
    pattern: `(?i:smtps?|s?ftps?|ldaps?|imaps?|pop3s?|ssh)://${USERINFO}`,
    validate: validateDbUrl,
    help:
      'A mail, file-transfer, directory or SSH URL carrying `user:password@`. Change that account’s password and ' +
      'keep the URL in a secret store. Placeholder passwords are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `EMAIL_URL=smtp://mailer:${pw('sv1')}@smtp.mailgun.org:587`,
        `ldap_url: "ldaps://cn=svc,dc=corp:${pw('sv2')}@ldap.corp.invalid"`,
        `FTP_TARGET=ftp://upload:${pw('sv3')}@files.corp.invalid/incoming`,
      ],
      fp: ['EMAIL_URL=smtp://user:password@localhost:25', 'FTP_TARGET=ftp://anonymous:@ftp.gnu.org/gnu'],
    })),
  },
  {
    id: 'docker-config-auth',
    title: 'Docker registry credentials (config.json auths)',
    severity: 'high',
    keywords: ['"auth"'],
    pattern: String.raw`"auth"\s*:\s*"([A-Za-z0-9+/]{6,}={0,2})"`,
    validate: validateBasicAuthBase64,
    help:
      'A Docker/Podman `config.json` `auths` entry: `auth` is base64 of `user:password` (or token) for the ' +
      'registry. Reported only when it decodes to `user:password` with a real password. Revoke the password or ' +
      'access token at the registry and use a credential helper (`credsStore`).',
    examples: lazyExamples(() => ({
      tp: [
        `{"auths": {"registry.internal.invalid": {"auth": "${dockerAuth}"}}}`,
        `{\n  "auths": {\n    "ghcr.io": {\n      "auth": "${b64(`bot:${pw('dk2')}`)}"\n    }\n  }\n}`,
        `.dockerconfigjson: '{"auths":{"quay.io":{"auth":"${b64(`robot+ci:${pw('dk3')}`)}"}}}'`,
      ],
      fp: [
        `{"auths": {"registry.local": {"auth": "${b64('user:password')}"}}}`,
        '{"auths": {"ghcr.io": {"auth": "aGVsbG8gd29ybGQ="}}}',
        '{"auth": "basic", "credsStore": "desktop"}',
        '{"auths": {"docker.io": {"auth": ""}}}',
      ],
    })),
  },
  {
    id: 'npmrc-auth-token',
    title: 'npm/yarn registry auth token (.npmrc, .yarnrc.yml)',
    severity: 'high',
    keywords: ['_authtoken', 'npmauthtoken'],
    // The token ends the line or its quotes: `this._authToken=props.authToken,…` in minified code is no .npmrc.
    pattern: String.raw`(?:_authToken|npmAuthToken)\s*[=:]\s*["']?([^\s"'$,;(){}]{16,})(?:["'\s]|$)`,
    entropy: 3,
    validate: validateNpmrcToken,
    help:
      'A registry auth token in `.npmrc` (`//registry/:_authToken=`) or `.yarnrc.yml` (`npmAuthToken`). ' +
      '`npm_` tokens are not reported here (the npm token rule checks their checksum), nor are placeholders. ' +
      'Revoke the token at its ' +
      'registry (`npm token revoke`, or the registry’s UI) and use `${NPM_TOKEN}` in the file.',
    examples: lazyExamples(() => ({
      tp: [
        `//registry.npmjs.org/:_authToken=${npmLegacyToken}`,
        `//npm.pkg.github.com/:_authToken=${fx('npg', 40)}`,
        `npmRegistries:\n  "https://npm.internal.invalid":\n    npmAuthToken: "${fx('npy', 36)}"`,
      ],
      fp: [
        '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
        `//registry.npmjs.org/:_authToken=npm_${fx('npf', 36)}`,
        '//registry.npmjs.org/:_authToken=YOUR_AUTH_TOKEN_HERE',
        'npmAuthToken: "<your-token>"',
        'this._authToken=props.authToken,this._automaticFailoverEnabled=props.automaticFailoverEnabled,this._x=1',
      ],
    })),
  },
  {
    id: 'npmrc-basic-auth',
    title: 'npm registry basic auth (.npmrc _auth)',
    severity: 'high',
    keywords: ['_auth'],
    pattern: String.raw`_auth\s*=\s*["']?([A-Za-z0-9+/]{8,}={0,2})`,
    validate: validateBasicAuthBase64,
    help:
      'An `.npmrc` `_auth` value: base64 of `user:password` for the registry. Reported only when it decodes to ' +
      '`user:password` with a real password. Change that password and switch to a scoped `_authToken` from an ' +
      'environment variable.',
    examples: lazyExamples(() => ({
      tp: [
        `_auth=${b64(`ci-bot:${pw('na1')}`)}`,
        `//nexus.corp.invalid/repository/npm/:_auth="${b64(`deploy:${pw('na2')}`)}"`,
      ],
      fp: ['_auth=${NPM_AUTH}', `_auth=${b64('user:password')}`, `_auth=${b64('justatoken')}`],
    })),
  },
  {
    id: 'npmrc-password',
    title: 'npm registry password (.npmrc _password)',
    severity: 'high',
    keywords: ['_password'],
    pattern: String.raw`_password\s*=\s*["']?([A-Za-z0-9+/]{4,}={0,2})`,
    validate: validateBase64Password,
    help:
      'An `.npmrc` `_password`: base64 of the registry password. Reported only when it decodes to a real ' +
      'password. Change that password and use a token from an environment variable instead.',
    examples: lazyExamples(() => ({
      tp: [
        `//nexus.corp.invalid/repository/npm/:_password=${b64(pw('np6'))}`,
        `//registry.corp.invalid/:_password="${b64(pw('np7'))}"`,
      ],
      fp: [
        '//registry.corp.invalid/:_password=${NPM_PASSWORD}',
        `//registry.corp.invalid/:_password=${b64('changeme')}`,
      ],
    })),
  },
  {
    id: 'kubeconfig-client-key',
    title: 'Kubernetes client key (kubeconfig client-key-data)',
    severity: 'critical',
    keywords: ['client-key-data'],
    pattern: String.raw`client-key-data["']?\s*:\s*["']?([A-Za-z0-9+/]{100,}={0,2})`,
    validate: validateBase64PemKey,
    requireValid: true,
    help:
      'A kubeconfig user’s `client-key-data`: base64 of a PEM private key that authenticates to the cluster as ' +
      'the certificate’s user (often cluster-admin). Reported only when the key parses. Revoke the client ' +
      'certificate (rotate the cluster CA or remove the user’s bindings) and issue new credentials.',
    examples: lazyExamples(() => {
      const key = b64(keyFixture('ec'));
      return {
        tp: [
          `users:\n- name: admin\n  user:\n    client-certificate-data: ${b64('cert')}\n    client-key-data: ${key}`,
          `{"users": [{"name": "admin", "user": {"client-key-data": "${key}"}}]}`,
        ],
        fp: [
          `    client-certificate-data: ${b64(keyFixture('certificate-like'))}`,
          `    client-key-data: ${b64(keyFixture('public'))}`,
          '    client-key-data: ${CLIENT_KEY_DATA}',
        ],
      };
    }),
  },
  {
    id: 'kubeconfig-token',
    title: 'Kubernetes user token (kubeconfig)',
    severity: 'high',
    keywords: ['user:'],
    pattern: String.raw`(?:^|\s)user:[ \t]*\r?\n(?:[ \t]+[A-Za-z-]+:[^\n]*\r?\n){0,8}?[ \t]+token:[ \t]*["']?([A-Za-z0-9._~+/=:-]{20,})`,
    window: 1024,
    entropy: 3,
    validate: validateKubeToken,
    help:
      'A bearer token under a kubeconfig `user:` (bootstrap tokens, static tokens, cloud tokens; JWT service-account ' +
      'tokens are reported by the JWT rule, placeholders are not reported). Delete the token or its Secret, and the ' +
      'bindings it had.',
    examples: lazyExamples(() => ({
      tp: [
        `users:\n- name: ci\n  user:\n    token: ${kubeToken}`,
        `users:\n- name: ops\n  user:\n    as-user-extra: {}\n    token: "${fx('kb3', 48, A.base64url)}"`,
      ],
      fp: [
        `users:\n- name: ci\n  user:\n    token: ${fakeJwt({ sub: 'system:serviceaccount:ci:deployer' }, 'kbf')}`,
        'users:\n- name: ci\n  user:\n    token: ${KUBE_TOKEN}',
        `github:\n  user:\n    name: octocat\n  token_url: https://github.com/login/oauth/access_token`,
      ],
    })),
  },
  {
    id: 'netrc-password',
    title: '.netrc machine password',
    severity: 'high',
    keywords: ['machine'],
    pattern: String.raw`machine\s+[^\s]+\s+login\s+[^\s]+\s+password\s+([^\s"'\x60]+)`,
    window: 512,
    validate: validateNetrcPassword,
    help:
      'A `.netrc` entry (`machine … login … password …`) used by curl, git and pip. Rotate that password or ' +
      'token and keep `.netrc` out of the repository. Placeholder passwords are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `machine api.heroku.com login ops@corp.invalid password ${pw('nr1')}`,
        `machine git.internal.invalid\n  login ci\n  password ${pw('nr2')}`,
      ],
      fp: [
        'machine github.com login USERNAME password ${GITHUB_TOKEN}',
        'machine example.com login user password changeme',
        // A password hash (a test of a hash's handling).
        `machine host.invalid login u password $y$j9T$${fx('nrh1', 22, './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}$${fx('nrh2', 43, './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
        "return f'machine {hostname}{path} login {self.username} password {self.password}'",
        // An escape sequence is not part of the value; stand-ins are not passwords.
        "    f.write('machine {h} login token password {self.auth_token}\\n')",
        'machine api.corp.invalid login me password 1234',
        'machine api.corp.invalid login me password old-token',
        // A test harness's host macro; a filler run; a word opening with the credential's name.
        'machine %HOSTIP login mary password Dr4nk9Fq',
        `machine api.corp.invalid login me password b${'a'.repeat(40)}r`,
        'machine api.corp.invalid login me password passfellow',
        'machine api.corp.invalid login me password expired-auth-token',
      ],
    })),
  },
  {
    id: 'pgpass-password',
    title: 'PostgreSQL password file (.pgpass) entry',
    severity: 'high',
    // `host:port:database:user:password`, one entry a line: the port between colons is what every entry holds (the
    // default ports, PgBouncer's, or `*` for any).
    keywords: [':5432:', ':5433:', ':5434:', ':5435:', ':6432:', ':*:'],
    // A field is characters other than `:` and whitespace, or an escaped one (`\:`, `\\`); the entry is the whole line.
    pattern: String.raw`(?m)^(?:[^:\s\\#]|\\.)(?:[^:\s\\]|\\.)*:(?:[0-9]{2,5}|\*):(?:[^:\s\\]|\\.)+:(?:[^:\s\\]|\\.)+:((?:[^\s\\]|\\.)+)\r?$`,
    validate: validatePgpassPassword,
    help:
      'An entry of `~/.pgpass` (or a file `PGPASSFILE` names), which psql and libpq read for the password of a ' +
      'host, port, database and user. Rotate that database password and keep the file out of the repository; a ' +
      'CI job can write it from a secret at run time. Default credentials (`postgres:postgres`) and placeholders ' +
      'are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `db.prod.internal:5432:app:app_rw:${pw('pg1')}`,
        `*:6432:*:billing:${pw('pg2')}\r`,
        `10.0.4.12:5432:orders:svc\\:orders:${pw('pg3')}`,
      ],
      fp: [
        'localhost:5432:*:postgres:postgres',
        'hostname:port:database:username:password',
        'db.internal:5432:app:app:${PGPASSWORD}',
        '*:*:*:*:changeme',
        // Not a line of its own: a log's timestamp, a URL.
        `at 10:5432:11:22:${pw('pg4')} later`,
        `postgres://app:${pw('pg5')}@db:5432/app`,
      ],
    })),
  },
  {
    id: 'cli-password-argument',
    title: 'Password on a command line (docker login, mysql, sshpass, psexec, PowerShell)',
    severity: 'high',
    keywords: ['docker login', 'mysql', 'sshpass', 'mysqldump', 'psexec', '-password'],
    // Also PsExec's `-p` and a PowerShell cmdlet's `-Password` (`Connect-VIServer`, `New-PSDrive`): a literal, not a
    // variable or an expression (`-Password $pw`, `-Password (Get-Secret …)`).
    pattern: String.raw`(?:docker\s+login\b[^\n|;&]*?\s(?:-p|--password)(?:\s+|=)|\bmysql(?:dump|admin)?\b[^\n|;&]*?\s(?:-p|--password=)|\bsshpass\s+-p\s*|\bpsexec(?:64)?(?:\.exe)?\b[^\n|;&]*?\s-p\s+|\s-(?i:Password)\s+|\s--(?i:password)(?:\s+|=))["']?([^\s"'\x60|;&,($][^\s"'\x60|;&,]{3,})`,
    // A sentence's word after the option (`--user and --password respectively.`) is prose: the check sees it without
    // its full stop.
    validate: (secret) => validatePassword(secret.replace(/[.:]+$/, '')),
    help:
      'A password passed as a command-line argument (`docker login -p`, `mysql -p<password>`, `sshpass -p`): it also ' +
      'leaks into shell history and process lists. Rotate it and read it from stdin (`--password-stdin`) or an ' +
      'option file. Placeholder passwords and variables are not reported.',
    examples: lazyExamples(() => ({
      tp: [
        `docker login -u deploy -p ${pw('cl1')} registry.internal.invalid`,
        `run: mysql -h db.internal -u root -p${pw('cl2')} shop < dump.sql`,
        `sshpass -p '${pw('cl3')}' ssh ops@10.0.0.5`,
        `psexec \\\\build01 -u Administrator -p ${pw('cl4')} cmd /c whoami`,
        `Connect-VIServer -Server vc01.corp.invalid -User admin -Password '${pw('cl5')}'`,
        `mongosh "mongodb://db.internal/app" --username app --password ${pw('cl6')}`,
      ],
      fp: [
        'docker login -u "$DOCKER_USER" -p "$DOCKER_PASSWORD" ghcr.io',
        'echo "$TOKEN" | docker login ghcr.io -u bot --password-stdin',
        'mysql -u root -p${MYSQL_ROOT_PASSWORD} shop',
        'sshpass -p password ssh user@host',
        'Pass it as `mysql -pSECRET`, not in the URL.',
        // A command substitution reads it at run time (`$$` is Compose's escaped `$`).
        `test: ['CMD-SHELL', 'mysqladmin ping -h 127.0.0.1 --password="$$(cat /run/secrets/db-password)" --silent']`,
        'mysql -u root -p"$(cat /run/secrets/root)" shop',
        '\t--user and --password respectively.  Renamed ftp_acc and ftp_pass',
        'Connect-VIServer -Server $server -User $user -Password $password',
        'New-LocalUser -Name svc -Password (Read-Host -AsSecureString)',
      ],
    })),
  },
  {
    id: 'credential-constructor-password',
    title: 'Password passed with a user name to a credential constructor',
    severity: 'high',
    keywords: [
      'networkcredential',
      'passwordauthentication',
      'pdo(',
      'getconnection(',
      'dbi->connect(',
      'mysqli',
      'mysql_connect(',
      '.login(',
      'usernamepassword',
      'basicauth',
      'digestauth',
      'passwordcredential',
      'auth=(',
      'auth = (',
    ],
    // .NET's `new NetworkCredential("user", "…")`, Java's `new PasswordAuthentication("user", "…".toCharArray())`,
    // Apache HttpClient's and Spring Security's `UsernamePassword…("user", "…")`, Python requests' `HTTPBasicAuth(…)`
    // and `auth=("user", "…")`, ftplib's, smtplib's and imaplib's `ftp.login("user", "…")` (not any object's
    // `login`: a test's mocked service): the second string literal is the password. A database
    // connection's (`new PDO($dsn, "user", "…")`, JDBC's `DriverManager.getConnection(url, "user", "…")`, Perl's
    // `DBI->connect`, `mysqli_connect("host", "user", "…")`): the string after the user's.
    pattern: String.raw`(?:(?:(?i:NetworkCredential|PasswordAuthentication|UsernamePasswordCredentials|UsernamePasswordAuthenticationToken|HTTPBasicAuth|HTTPDigestAuth|BasicAuth|PasswordCredential)\(|\bauth[ \t]*=[ \t]*\(|\b(?i:ftps?|smtp\w*|server|mail\w*|imap\w*|pop3?\w*)\.login\()[ \t]*|${DB_CONNECT})[bru]{0,2}["'][^"'\n]{1,64}["'][ \t]*,[ \t]*[bru]{0,2}["']([^"'\n]{4,128})["']`,
    validate: validatePassword,
    help:
      'A password written into the call that builds a credential from a user name and a password (.NET ' +
      '`NetworkCredential`, Java `PasswordAuthentication`, HttpClient `UsernamePasswordCredentials`, Python requests ' +
      '`HTTPBasicAuth` or `auth=(user, password)`). Placeholder and stand-in passwords are not reported. Rotate it ' +
      'and read it from the environment or a secret store.',
    examples: lazyExamples(() => ({
      tp: [
        `var cred = new NetworkCredential("ops@corp.invalid", "${pw('cc1')}");`,
        `return new PasswordAuthentication("mailer", "${pw('cc2')}".toCharArray());`,
        `r = requests.get(url, auth=('api', '${pw('cc3')}'))`,
        `session.auth = HTTPBasicAuth("svc-report", "${pw('cc4')}")`,
        `$pdo = new PDO($dsn, 'shop', '${pw('cc5')}');`,
        `Connection c = DriverManager.getConnection(url, "report", "${pw('cc6')}");`,
        `$link = mysqli_connect('db.internal', 'wp', '${pw('cc7')}', 'wordpress');`,
        `ftp.login("deploy", "${pw('cc8')}")`,
        `    server.login("reports@corp.invalid", "${pw('cc9')}")`,
      ],
      fp: [
        'var cred = new NetworkCredential(user, password);',
        "    const result = await authService.login('john@doe.invalid', 'curry-wurst-sausage')",
        'new UsernamePasswordAuthenticationToken("rod", "koala")',
        "r = requests.get(url, auth=('user', 'pass'))",
        'session.auth = HTTPBasicAuth("admin", os.environ["ADMIN_PASSWORD"])',
        '$pdo = new PDO($dsn, $user, $password);',
        'Connection c = DriverManager.getConnection(url, "sa", "");',
      ],
    })),
  },
  {
    id: 'sql-password',
    title: 'Password in a SQL statement (CREATE/ALTER USER or ROLE, IDENTIFIED BY)',
    severity: 'high',
    keywords: ['identified', 'password'],
    // MySQL's and Oracle's `IDENTIFIED BY '…'` in a CREATE, ALTER or GRANT statement (not prose's "a copy identified
    // by 'x-ms-copy-id'"; also `WITH mysql_native_password BY`), PostgreSQL's `CREATE ROLE …
    // [WITH] [LOGIN] PASSWORD '…'`, SQL Server's `CREATE LOGIN … WITH PASSWORD = '…'`, MySQL's `= PASSWORD('…')`
    // (upper-case, assigned: not JavaScript's `new Password('…')`). Double-quoted values: sql-password-double-quoted.
    pattern: String.raw`(?:(?i:\b(?:CREATE|ALTER|GRANT)\b[^\n;]*?\bIDENTIFIED[ \t]+(?:WITH[ \t]+\w+[ \t]+)?BY[ \t]+(?:PASSWORD[ \t]+)?|\b(?:USER|ROLE|LOGIN)[ \t]+[^\s;]+[ \t]+(?:WITH[ \t]+)?(?:(?:NO)?LOGIN[ \t]+|SUPERUSER[ \t]+)*(?:ENCRYPTED[ \t]+)?PASSWORD[ \t]*=?[ \t]*|\bWITH[ \t]+PASSWORD[ \t]*=[ \t]*)|=[ \t]*PASSWORD[ \t]*\([ \t]*)N?'([^'\n]{4,128})'`,
    validate: validateSqlPassword,
    help:
      'A password in a SQL statement (a migration, an init script, a seed): `CREATE USER … IDENTIFIED BY \u2019…\u2019`, ' +
      '`CREATE ROLE … PASSWORD \u2019…\u2019`, `CREATE LOGIN … WITH PASSWORD = \u2019…\u2019`. Stored hashes (`md5…`, ' +
      '`SCRAM-SHA-256$…`, MySQL\u2019s `*…`) and placeholders are not reported. Change the account\u2019s password and ' +
      'set it from a secret at deploy time.',
    examples: lazyExamples(() => ({
      tp: [
        `CREATE USER 'reporting'@'%' IDENTIFIED BY '${pw('sq1')}';`,
        `CREATE ROLE app WITH LOGIN PASSWORD '${pw('sq2')}';`,
        `ALTER USER app WITH PASSWORD '${pw('sq3')}';`,
        `CREATE LOGIN svc_etl WITH PASSWORD = N'${pw('sq4')}';`,
        `GRANT ALL ON shop.* TO 'shop'@'localhost' IDENTIFIED WITH mysql_native_password BY '${pw('sq5')}';`,
        `CREATE LOGIN GreatLakesUser\n    WITH PASSWORD = N'${pw('sq6')}',`,
        `SET PASSWORD FOR 'app'@'%' = PASSWORD('${pw('sq7')}');`,
      ],
      fp: [
        "CREATE USER 'app'@'%' IDENTIFIED BY 'password';",
        "CREATE ROLE app WITH LOGIN PASSWORD 'md5f2d2ca1c6a1e1ee3b0c9e1c8b8d1a3f4';",
        "ALTER USER app PASSWORD :'app_password';",
        "CREATE USER app IDENTIFIED BY '${DB_PASSWORD}';",
        ` * example, to authenticate user "Aladdin" with password "${pw('sqp')}" the following`,
        // The account named by its own statement, not by one before it.
        "ALTER USER reporting ACCOUNT LOCK;\nCREATE USER 'ci-db'@'localhost' IDENTIFIED BY 'ci-db';",
        `mysql -e "CREATE USER 'bookstack-test'@'localhost' IDENTIFIED WITH mysql_native_password BY 'bookstack-test';"`,
        "     * identified by 'x-ms-copy-id'. Possible values include: 'pending',",
        "const password = new Password('r0sebud');",
      ],
    })),
  },
  {
    id: 'sql-password-double-quoted',
    title: 'Password in a SQL IDENTIFIED BY clause, double-quoted (Oracle, MySQL)',
    severity: 'high',
    keywords: ['identified'],
    // Oracle writes a password with symbols in double quotes (`IDENTIFIED BY "…"`), and MySQL takes any string so. A
    // rule of its own: one pattern for both quotes would cut a single-quoted password at a double quote it holds (RE2
    // has no back-references to close a value with the quote that opened it).
    pattern: String.raw`(?i:\b(?:CREATE|ALTER|GRANT)\b[^\n;]*?\bIDENTIFIED[ \t]+(?:WITH[ \t]+\w+[ \t]+)?BY[ \t]+(?:PASSWORD[ \t]+)?)"([^"\n]{4,128})"`,
    validate: validateSqlPassword,
    help:
      'A password in a SQL statement, double-quoted: `CREATE USER … IDENTIFIED BY "…"` (Oracle, MySQL). Stored ' +
      'hashes, the account\u2019s own name and placeholders are not reported. Change the account\u2019s password and ' +
      'set it from a secret at deploy time.',
    examples: lazyExamples(() => ({
      tp: [
        `CREATE USER app_owner IDENTIFIED BY "${pw('sqd1')}";`,
        `ALTER USER scott IDENTIFIED BY "${pw('sqd2')}" ACCOUNT UNLOCK;`,
      ],
      fp: [
        'ALTER USER system IDENTIFIED BY "changeme" ACCOUNT UNLOCK;',
        'CREATE USER "etl" IDENTIFIED BY "etl";',
        'CREATE USER app IDENTIFIED BY "${DB_PASSWORD}";',
      ],
    })),
  },
  {
    id: 'redis-requirepass',
    title: 'Redis password in a server config (requirepass, masterauth)',
    severity: 'high',
    keywords: ['requirepass', 'masterauth'],
    pattern: String.raw`(?m:^)[ \t]*(?:requirepass|masterauth)[ \t]+"?([^\s"]{4,128})`,
    validate: validatePassword,
    help:
      'A Redis password in `redis.conf` (`requirepass`, `masterauth`): it opens every key of the instance (and of its ' +
      'replicas). Placeholders are not reported. Change it with `CONFIG SET requirepass` (or an ACL user\u2019s) and ' +
      'template the config from a secret.',
    examples: lazyExamples(() => ({
      tp: [`requirepass ${pw('rq1')}`, `masterauth "${pw('rq2')}"`],
      fp: ['# requirepass foobared', 'requirepass ${REDIS_PASSWORD}'],
    })),
  },
  {
    id: 'powershell-plaintext-securestring',
    title: 'Password in plain text turned into a SecureString (PowerShell)',
    severity: 'high',
    keywords: ['convertto-securestring'],
    pattern: String.raw`(?i:ConvertTo-SecureString)[ \t]+(?:-String[ \t]+)?["']([^"'\n]{4,128})["'][ \t]+-(?i:AsPlainText)`,
    validate: validatePassword,
    help:
      'A password written in a PowerShell script as `ConvertTo-SecureString "…" -AsPlainText -Force`: the ' +
      'SecureString protects nothing when its plain text is in the file. Placeholder passwords are not reported. ' +
      'Rotate it and read it with `Get-Secret` (SecretManagement) or from the CI\u2019s secret store.',
    examples: lazyExamples(() => ({
      tp: [
        `$pw = ConvertTo-SecureString "${pw('ps1')}" -AsPlainText -Force`,
        `$secure = ConvertTo-SecureString -String '${pw('ps2')}' -AsPlainText -Force`,
      ],
      fp: [
        '$pw = ConvertTo-SecureString $env:ADMIN_PASSWORD -AsPlainText -Force',
        '$pw = ConvertTo-SecureString "P@ssw0rd" -AsPlainText -Force',
        '$pw = ConvertTo-SecureString "<password>" -AsPlainText -Force',
      ],
    })),
  },
  {
    id: 'laravel-app-key',
    title: 'Laravel application key (APP_KEY)',
    severity: 'high',
    keywords: ['app_key', 'app.key'],
    // `APP_KEY=…` (.env), `'app.key' => '…'` (config arrays), `WithConfig('app.key', '…')` (tests): `base64:` and 16 or
    // 32 bytes as `key:generate` writes it, or 32 characters (Laravel 4 and 5.0). Not `PUSHER_APP_KEY` and the like.
    pattern: String.raw`(?:^|[^A-Za-z0-9_.-])(?i:app[_.]key)["'\]]?[ \t]*(?:=>|=|:|,)[ \t]*["']?(base64:[A-Za-z0-9+/]{22}==|base64:[A-Za-z0-9+/]{43}=|[A-Za-z0-9]{32})(?:["'\s,;)\\]|$)`,
    validate: validateLaravelAppKey,
    help:
      'A Laravel application key: it encrypts cookies, sessions and `Crypt` payloads and signs URLs, so whoever holds ' +
      'it can forge sessions and read what it encrypted. Reported only when it is `base64:` of 16 or 32 bytes that ' +
      'are not typed text, or 32 random-looking characters (older Laravel). Generate a new one ' +
      '(`php artisan key:generate`), keep the old one in `APP_PREVIOUS_KEYS` while data encrypted under it is ' +
      're-encrypted, and keep `.env` out of the repository.',
    examples: lazyExamples(() => {
      const key = Buffer.from(fx('lk1', 32, A.base64), 'base64').toString('base64');
      return {
        tp: [
          `APP_KEY=base64:${fixtureBase64(32, 'lk2')}`,
          `#[WithConfig('app.key', 'base64:${fixtureBase64(32, 'lk3')}')]`,
          `        $app['config']->set('app.key', 'base64:${fixtureBase64(16, 'lk4')}');`,
          `"APP_KEY=base64:${fixtureBase64(32, 'lk5')}\nAPP_ENV=local\n"`,
          `        $this->app['config']->set(['app.key' => '${fx('lk6', 32)}']);`,
        ],
        fp: [
          'APP_KEY=',
          "'key' => env('APP_KEY'),",
          `APP_KEY=base64:${Buffer.alloc(32).toString('base64')}`,
          `APP_KEY=base64:${Buffer.from('my-secret-key-which-should-be-ch').toString('base64')}`,
          `PUSHER_APP_KEY=${fx('lk7', 32, A.lowerAlnum)}`,
          `APP_KEY=base64:${key.slice(0, 20)}`,
          "'app.key' => 'SomeRandomStringSomeRandomString',",
          'APP_KEY=SomeRandomStringOf32CharsExactly',
        ],
      };
    }),
  },
  {
    id: 'django-secret-key',
    title: 'Django secret key (django-insecure-)',
    severity: 'medium',
    keywords: ['django-insecure-'],
    pattern: '(django-insecure-[a-z0-9!@#$%^&*(_=+)-]{50})(?:[^a-z0-9!@#$%^&*(_=+)-]|$)',
    validate: validateDjangoSecretKey,
    help:
      'The `SECRET_KEY` that `django-admin startproject` writes into settings.py (`django-insecure-` and 50 random ' +
      'characters). It signs sessions, password-reset links and CSRF tokens: a site that runs with it can be ' +
      'impersonated by whoever read the repository. Reported only when the 50 characters look random. Generate a ' +
      'new key, load it from the environment, and keep the old one in `SECRET_KEY_FALLBACKS` only while sessions ' +
      'signed with it expire.',
    examples: lazyExamples(() => {
      // Django's alphabet holds `(`, `)`, `+` and `*`: a key may read like a regular expression's `)+`.
      const key = `${fx('dj1', 20, DJANGO_KEY_ALPHABET)})+${fx('dj2', 28, DJANGO_KEY_ALPHABET)}`;
      return {
        tp: [
          `SECRET_KEY = 'django-insecure-${key}'`,
          `SECRET_KEY=(str, "django-insecure-${fx('dj3', 50, DJANGO_KEY_ALPHABET)}")`,
          `DJANGO_SECRET_KEY: "django-insecure-${fx('dj4', 50, DJANGO_KEY_ALPHABET)}"`,
        ],
        fp: [
          "SECRET_KEY = 'django-insecure-'",
          `SECRET_KEY = 'django-insecure-${'x'.repeat(50)}'`,
          "SECRET_KEY = 'django-insecure-abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'",
          `SECRET_KEY = 'django-insecure-${fx('dj5', 40, DJANGO_KEY_ALPHABET)}'`,
        ],
      };
    }),
  },
];

/** Base64 of `n` fixture bytes that are not text (what `key:generate` writes after `base64:`). */
function fixtureBase64(n: number, seed: string): string {
  return Buffer.from(fx(seed, n * 2, A.hex), 'hex').toString('base64');
}
