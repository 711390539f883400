// Offline validators of src/scan/validate/checksum.ts on known-good values and on corrupted ones.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ALPHABETS,
  awsAccountIdFromKeyId,
  base62,
  corrupt,
  crc32,
  fake,
  fakeAtlassianToken,
  fakeAwsKeyId,
  fakeBitbucketAppPassword,
  fakeBytes,
  fakeChecksummed,
  fakeGitlabRoutable,
  fakeGrafanaServiceAccountToken,
  fakePypiToken,
  parseMacaroonV2,
  serializeMacaroonV2,
  tokenChecksum,
  validateAtlassianToken,
  validateAwsKeyId,
  validateAzureSasSignature,
  validateBase64JsonPayload,
  validateBedrockApiKey,
  validateBedrockShortTermKey,
  validateGcpServiceAccountKey,
  validateGithubClassic,
  validateGithubFineGrained,
  validateGithubInstallation,
  validateGitlabToken,
  validateGrafanaServiceAccountToken,
  validateNpmToken,
  validatePypiToken,
  validateTestPypiToken,
  withTokenChecksum,
} from '../../src/scan/validate/checksum.ts';

describe('crc32 and base62', () => {
  it('computes the standard CRC-32 check value', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
    assert.equal(crc32(''), 0);
    assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  });
  it('encodes base62 with digits, upper, lower and pads to the width', () => {
    assert.equal(base62(0, 6), '000000');
    assert.equal(base62(61), 'z');
    assert.equal(base62(62), '10');
    assert.equal(base62(0xffffffff, 6), '4gfFC3');
  });
  it('builds the GitHub/npm checksum from the 30 random characters only', () => {
    const random = fake('crc', 30);
    assert.equal(tokenChecksum(random), base62(crc32(random), 6));
    assert.equal(withTokenChecksum('ghp_', random), `ghp_${random}${tokenChecksum(random)}`);
  });
});

describe('GitHub tokens', () => {
  for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
    it(`accepts a checksummed ${prefix} token and rejects a corrupted one`, () => {
      const t = fakeChecksummed(prefix, `gh-${prefix}`);
      assert.equal(t.length, 40);
      assert.equal(validateGithubClassic(t), 'valid');
      assert.equal(validateGithubClassic(corrupt(t)), 'invalid');
      // A change in the random part breaks the checksum too.
      const swapped = t.slice(0, 4) + (t[4] === 'A' ? 'B' : 'A') + t.slice(5);
      assert.equal(validateGithubClassic(swapped), 'invalid');
    });
  }
  it('rejects wrong prefixes, lengths and placeholders', () => {
    const t = fakeChecksummed('ghp_', 'gh-len');
    assert.equal(validateGithubClassic(t.replace('ghp_', 'ghx_')), 'invalid');
    assert.equal(validateGithubClassic(`${t}0`), 'invalid');
    assert.equal(validateGithubClassic(`ghp_${'x'.repeat(36)}`), 'invalid');
  });
  it('accepts classic and stateless installation tokens', () => {
    assert.equal(validateGithubInstallation(fakeChecksummed('ghs_', 'inst')), 'valid');
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const stateless = `ghs_123456_${part({ alg: 'RS256' })}.${part({ exp: 1 })}.${fake('sig', 40, ALPHABETS.base64url)}`;
    assert.equal(validateGithubInstallation(stateless), 'valid');
    assert.equal(
      validateGithubInstallation(`ghs_123456_${fake('a', 20)}.${fake('b', 20)}.${fake('c', 20)}`),
      'invalid',
    );
    assert.equal(validateGithubInstallation(corrupt(fakeChecksummed('ghs_', 'inst'))), 'invalid');
  });
  it('checks the fine-grained PAT layout (a shape: unknown, never valid)', () => {
    assert.equal(validateGithubFineGrained(`github_pat_${fake('a', 22)}_${fake('b', 59)}`), 'unknown');
    assert.equal(validateGithubFineGrained(`github_pat_${fake('a', 22)}_${fake('b', 58)}`), 'invalid');
    assert.equal(validateGithubFineGrained(`github_pat_${fake('a', 82)}`), 'invalid');
  });
});

describe('npm tokens', () => {
  it('accepts a checksummed npm_ token and rejects a corrupted one', () => {
    const t = fakeChecksummed('npm_', 'npm');
    assert.equal(validateNpmToken(t), 'valid');
    assert.equal(validateNpmToken(corrupt(t)), 'invalid');
    assert.equal(validateNpmToken(t.replace('npm_', 'ghp_')), 'invalid');
    assert.equal(validateNpmToken(`npm_${fake('npm-short', 30)}`), 'invalid');
  });
});

describe('AWS access key ids', () => {
  it('decodes the account id embedded in a key id', () => {
    // A published example of the encoding (Aidan Steele, "AWS Access Key ID formats").
    // Assembled at run time so that scanning this repository does not report it.
    assert.equal(awsAccountIdFromKeyId(['ASIA', 'Y34FZKBOKMUTVV7A'].join('')), '609629065308');
  });
  it('round-trips fixtures built for an account', () => {
    for (const [prefix, account] of [
      ['AKIA', '123456789012'],
      ['ASIA', '000000000001'],
      ['ABIA', '999999999999'],
    ] as const) {
      const id = fakeAwsKeyId(prefix, account, `${prefix}-${account}`);
      assert.match(id, /^[A-Z]{4}[A-Z2-7]{16}$/);
      assert.equal(awsAccountIdFromKeyId(id), account);
      assert.equal(validateAwsKeyId(id), 'unknown'); // any base32 body decodes: a shape, not a proof
    }
  });
  it('rejects documented examples and ids off the alphabet', () => {
    assert.equal(validateAwsKeyId('AKIAIOSFODNN7EXAMPLE'), 'invalid');
    assert.equal(validateAwsKeyId('AKIAI44QH8DHBEXAMPLE'), 'invalid');
    assert.equal(validateAwsKeyId('AKIA0123456789ABCDEF'), 'invalid');
    assert.equal(validateAwsKeyId('AXXA234567ABCDEFGHIJ'), 'invalid');
  });
  it('says unknown when the decoded account is out of range', () => {
    // Top account bits all set: more than 12 digits.
    const id = fakeAwsKeyId('AKIA', '999999999999', 'range');
    const bumped = `AKIA7777777${id.slice(11)}`;
    assert.equal(validateAwsKeyId(bumped), 'unknown');
  });
});

describe('GCP service-account keys', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const escaped = JSON.stringify(pem).slice(1, -1);
  it('accepts a JSON-escaped PKCS#8 key that parses', () => {
    assert.equal(validateGcpServiceAccountKey(escaped, '"type": "service_account"'), 'valid');
    assert.equal(validateGcpServiceAccountKey(escaped), 'valid');
  });
  it('rejects truncated or corrupted keys and placeholders', () => {
    assert.equal(validateGcpServiceAccountKey(escaped.slice(0, 200) + escaped.slice(260)), 'invalid');
    assert.equal(
      validateGcpServiceAccountKey('-----BEGIN PRIVATE KEY-----\\nMIIE...\\n-----END PRIVATE KEY-----\\n'),
      'invalid',
    );
    assert.equal(validateGcpServiceAccountKey('not json \\q'), 'invalid');
  });
  it('rejects a key outside a service-account document', () => {
    assert.equal(validateGcpServiceAccountKey(escaped, '"type": "authorized_user"'), 'invalid');
  });
});

describe('PyPI macaroons', () => {
  it('round-trips a v2 macaroon', () => {
    const mac = {
      location: 'pypi.org',
      identifier: Buffer.from('abc'),
      caveats: [Buffer.from('{"version": 1}')],
      signature: fakeBytes('sig', 32),
    };
    const parsed = parseMacaroonV2(serializeMacaroonV2(mac));
    assert.ok(parsed);
    assert.equal(parsed.location, 'pypi.org');
    assert.deepEqual(parsed.caveats.map(String), ['{"version": 1}']);
  });
  it('accepts pypi.org tokens and tells TestPyPI apart', () => {
    const prod = fakePypiToken('pypi.org', 'p');
    const test = fakePypiToken('test.pypi.org', 't');
    assert.ok(prod.startsWith('pypi-AgEIcHlwaS5vcmc'));
    assert.equal(validatePypiToken(prod), 'valid');
    assert.equal(validateTestPypiToken(prod), 'invalid');
    assert.equal(validateTestPypiToken(test), 'valid');
    assert.equal(validatePypiToken(test), 'invalid');
  });
  it('rejects truncated, padded-out and non-macaroon values', () => {
    const prod = fakePypiToken('pypi.org', 'p');
    assert.equal(validatePypiToken(prod.slice(0, -10)), 'invalid');
    assert.equal(validatePypiToken(`${prod}AAAA`), 'invalid');
    assert.equal(validatePypiToken(`pypi-${fake('r', 160, ALPHABETS.base64url)}`), 'invalid');
    assert.equal(validatePypiToken('pypi-'), 'invalid');
  });
});

describe('payload-structure validators', () => {
  it('base64 JSON payloads', () => {
    assert.equal(validateBase64JsonPayload(Buffer.from('{"k":"v"}').toString('base64')), 'valid');
    assert.equal(validateBase64JsonPayload(Buffer.from('{"k":"v"}').toString('base64url')), 'valid');
    assert.equal(validateBase64JsonPayload(Buffer.from('[1,2]').toString('base64')), 'invalid');
    assert.equal(validateBase64JsonPayload(fake('x', 40, ALPHABETS.base64)), 'invalid');
  });
  it('Azure SAS signatures decode to 32 bytes (a length: unknown, never valid)', () => {
    const sig = fakeBytes('sas', 32).toString('base64');
    assert.equal(validateAzureSasSignature(encodeURIComponent(sig)), 'unknown');
    assert.equal(validateAzureSasSignature(sig), 'unknown');
    assert.equal(validateAzureSasSignature(encodeURIComponent(fakeBytes('sas', 31).toString('base64'))), 'invalid');
    assert.equal(validateAzureSasSignature('%E0%A4%A'), 'invalid');
  });
  it('Bedrock long-term and short-term keys', () => {
    const long = `ABSK${Buffer.from(`BedrockAPIKey-ab12-at-123456789012:${fake('s', 44, ALPHABETS.base64)}`).toString('base64')}`;
    assert.equal(validateBedrockApiKey(long), 'valid');
    assert.equal(validateBedrockApiKey(`ABSK${Buffer.from('BedrockAPIKey-x').toString('base64')}`), 'invalid');
    const short = `bedrock-api-key-${Buffer.from('bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Signature=ab&Version=1').toString('base64')}`;
    assert.equal(validateBedrockShortTermKey(short), 'valid');
    assert.equal(
      validateBedrockShortTermKey(`bedrock-api-key-${Buffer.from('bedrock.amazonaws.com/?x=1').toString('base64')}`),
      'invalid',
    );
  });
});

describe('fixture helpers', () => {
  it('are deterministic and honour the alphabet', () => {
    assert.equal(fake('s', 50), fake('s', 50));
    assert.notEqual(fake('s', 50), fake('t', 50));
    assert.match(fake('h', 64, ALPHABETS.hex), /^[0-9a-f]{64}$/);
    assert.equal(fakeBytes('b', 100).length, 100);
  });
  it('corrupt changes exactly the last character', () => {
    const t = fakeChecksummed('ghp_', 'c');
    const c = corrupt(t);
    assert.notEqual(c, t);
    assert.equal(c.slice(0, -1), t.slice(0, -1));
  });
});

describe('Atlassian and Grafana checksums', () => {
  it('accepts unified Atlassian tokens whose CRC32 suffix holds, and rejects corrupted ones', () => {
    for (const head of ['ATATT3xFfGF0', 'ATCTT3xFfGN0']) {
      const t = fakeAtlassianToken(head, head);
      assert.equal(t.length, 192);
      assert.equal(validateAtlassianToken(t), 'valid');
      assert.equal(validateAtlassianToken(corrupt(t)), 'invalid');
      assert.equal(validateAtlassianToken(t.replace(/=[A-F0-9]{8}$/, '=00000000')), 'invalid');
      assert.equal(validateAtlassianToken(`${t.slice(0, 20)}x${t.slice(21)}`), 'invalid');
    }
  });
  it('accepts Bitbucket app passwords whose CRC32 suffix holds', () => {
    const t = fakeBitbucketAppPassword('bb');
    assert.match(t, /^ATBB[A-Za-z0-9]{24}[A-F0-9]{8}$/);
    assert.equal(validateAtlassianToken(t), 'valid');
    assert.equal(validateAtlassianToken(corrupt(t)), 'invalid');
    assert.equal(validateAtlassianToken(`ATBB${fake('x', 32)}`), 'invalid');
  });
  it('accepts Grafana service account tokens whose little-endian CRC32 suffix holds', () => {
    const t = fakeGrafanaServiceAccountToken('gsa');
    assert.match(t, /^glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}$/);
    assert.equal(validateGrafanaServiceAccountToken(t), 'valid');
    assert.equal(validateGrafanaServiceAccountToken(corrupt(t)), 'invalid');
    // The same CRC in big-endian order is not the format.
    const [body, sum] = [t.slice(0, 37), t.slice(38)];
    const swapped = sum.match(/../g)!.reverse().join('');
    if (swapped !== sum) assert.equal(validateGrafanaServiceAccountToken(`${body}_${swapped}`), 'invalid');
    assert.equal(validateGrafanaServiceAccountToken(`glsa_${fake('g', 32)}`), 'invalid');
  });
});

describe('GitLab routable tokens', () => {
  it('accepts routable tokens whose payload length and CRC32 (base36) hold', () => {
    const plain = fakeGitlabRoutable('glpat-', 'gl', 27);
    assert.match(plain, /^glpat-[A-Za-z0-9_-]{27}\.0r[0-9a-z]{7}$/);
    assert.equal(validateGitlabToken(plain), 'valid');
    assert.equal(validateGitlabToken(fakeGitlabRoutable('glpat-', 'gl', 40, '01')), 'valid');
  });
  it('rejects a plain routable token whose checksum fails', () => {
    const plain = fakeGitlabRoutable('glpat-', 'gl', 27);
    assert.equal(validateGitlabToken(corrupt(plain)), 'invalid');
    assert.equal(validateGitlabToken(plain.replace('.0r', '.0s')), 'invalid');
  });
  it('leaves legacy, runner and versioned forms it cannot prove unknown', () => {
    assert.equal(validateGitlabToken(`glpat-${fake('legacy', 20, ALPHABETS.base64url)}`), 'unknown');
    assert.equal(
      validateGitlabToken(`glpat-${fake('legacy', 20, ALPHABETS.base64url)}.${fake('x', 9, ALPHABETS.lowerAlnum)}`),
      'unknown',
    );
    assert.equal(validateGitlabToken(corrupt(fakeGitlabRoutable('glpat-', 'gl', 40, '01'))), 'unknown');
    assert.equal(validateGitlabToken(corrupt(fakeGitlabRoutable('glrt-t1_', 'gl', 27))), 'unknown');
  });
});
