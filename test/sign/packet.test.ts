import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  armor,
  crc24,
  decodeLength,
  decodeMpi,
  dearmor,
  encodeHashedPart,
  encodeLength,
  encodeMpi,
  encodeNotation,
  encodePacket,
  encodeSignaturePacket,
  encodeSubpacket,
  encodeTrailer,
  parseSignatures,
  parseSubpackets,
  splitPackets,
} from '../../src/sign/packet.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('lengths (RFC 9580 §4.2.1)', () => {
  it('one, two and five octet encodings at their boundaries', () => {
    assert.equal(hex(encodeLength(0)), '00');
    assert.equal(hex(encodeLength(191)), 'bf');
    assert.equal(hex(encodeLength(192)), 'c000');
    assert.equal(hex(encodeLength(1723)), 'c5fb'); // RFC 4880 §4.2.3 example
    assert.equal(hex(encodeLength(8383)), 'dfff');
    assert.equal(hex(encodeLength(8384)), 'ff000020c0');
    assert.equal(hex(encodeLength(100000)), 'ff000186a0'); // RFC example
    assert.throws(() => encodeLength(-1));
  });
  it('round-trips through decodeLength', () => {
    for (const n of [0, 1, 191, 192, 193, 1723, 8383, 8384, 65535, 100000, 2 ** 31]) {
      const enc = encodeLength(n);
      assert.deepEqual(decodeLength(enc, 0), { length: n, size: enc.length });
    }
    assert.throws(() => decodeLength(Buffer.from([0xe1]), 0), /partial/);
  });
  it('packets use the new format header', () => {
    assert.equal(hex(encodePacket(2, Buffer.from('abc'))), 'c203616263');
  });
  it('splits old- and new-format packets', () => {
    const old = Buffer.from([0x88, 3, 1, 2, 3]); // old format, tag 2, one-octet length
    const neu = encodePacket(2, Buffer.from([9]));
    const parts = splitPackets(Buffer.concat([old, neu]));
    assert.deepEqual(
      parts.map((p) => [p.tag, hex(p.body)]),
      [
        [2, '010203'],
        [2, '09'],
      ],
    );
    assert.throws(() => splitPackets(Buffer.from([0x08])), /bad tag/);
    assert.throws(() => splitPackets(Buffer.from([0xc2, 5, 1])), /truncated/);
  });
});

describe('MPIs (RFC 9580 §3.2)', () => {
  it('counts bits from the most significant set bit and strips leading zeros', () => {
    assert.equal(hex(encodeMpi(Buffer.from([0x01]))), '000101');
    assert.equal(hex(encodeMpi(Buffer.from([0x01, 0xff]))), '000901ff'); // RFC example: 511
    assert.equal(hex(encodeMpi(Buffer.from([0x00, 0x00, 0x80, 0x00]))), '00108000');
    assert.equal(hex(encodeMpi(Buffer.from([0x00]))), '0000');
    assert.equal(hex(encodeMpi(Buffer.alloc(0))), '0000');
  });
  it('decodes what it encodes', () => {
    const v = Buffer.from('7fee01', 'hex');
    const enc = encodeMpi(v);
    assert.deepEqual(decodeMpi(enc, 0), { value: v, next: enc.length });
    assert.throws(() => decodeMpi(Buffer.from([0, 16, 1]), 0), /truncated/);
  });
});

describe('subpackets', () => {
  it('length covers type and body; critical bit', () => {
    assert.equal(hex(encodeSubpacket(2, Buffer.from('01020304', 'hex'))), '050201020304');
    assert.equal(hex(encodeSubpacket(2, Buffer.from('01020304', 'hex'), true)), '058201020304');
  });
  it('notation data: human-readable flag, name and value lengths', () => {
    const n = encodeNotation('commit@jit-gpg', 'abc');
    // len(1 + 8 + 14 + 3 = 26) type 20, flags 80000000, name len 000e, value len 0003
    assert.equal(hex(n.subarray(0, 10)), '1a1480000000000e0003');
    assert.equal(n.subarray(10).toString(), 'commit@jit-gpgabc');
    const [sp] = parseSubpackets(n);
    assert.equal(sp!.type, 20);
    assert.equal(sp!.critical, false);
  });
  it('refuses names outside the user namespace form name@domain', () => {
    assert.throws(() => encodeNotation('commit', 'x'), /name@domain/);
    assert.throws(() => encodeNotation('has space@x', 'x'), /name@domain/);
    assert.throws(() => encodeNotation('a@b', 'x'.repeat(70000)), /65535/);
  });
  it('long values use two-octet subpacket lengths', () => {
    const n = encodeNotation('run-url@jit-gpg', 'u'.repeat(300));
    assert.ok(n[0]! >= 192 && n[0]! < 224);
    assert.equal(parseSubpackets(n)[0]!.body.length, 8 + 15 + 300);
  });
});

describe('signature packet layout', () => {
  const fpr = Buffer.from('00112233445566778899aabbccddeeff00112233', 'hex');
  const created = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  const hashed = encodeHashedPart({
    pubkeyAlgorithm: 'eddsaLegacy',
    hash: 'sha512',
    created,
    issuerFingerprint: fpr,
    notations: { 'repository@jit-gpg': 'org/repo', 'run-attempt@jit-gpg': '2' },
  });

  it('hashed part: version 4, type 0, algorithms, area length, creation time first, then issuer fingerprint', () => {
    assert.equal(hex(hashed.subarray(0, 4)), '0400160a');
    assert.equal(hashed.readUInt16BE(4), hashed.length - 6);
    const subs = parseSubpackets(hashed.subarray(6));
    assert.deepEqual(
      subs.map((s) => s.type),
      [2, 33, 20, 20],
    );
    assert.equal(subs[0]!.body.readUInt32BE(0), created.getTime() / 1000);
    assert.equal(hex(subs[1]!.body), '04' + hex(fpr));
  });
  it('trailer: 0x04 0xff and the 4-octet hashed length', () => {
    assert.equal(hex(encodeTrailer(0x1234)), '04ff00001234');
  });
  it('whole packet parses back: unhashed issuer key id, left 16 bits, MPIs, notations', () => {
    const digest = Buffer.from('abcd' + '00'.repeat(62), 'hex');
    const mpis = Buffer.concat([encodeMpi(Buffer.from([1, 2])), encodeMpi(Buffer.from([3]))]);
    const pkt = encodeSignaturePacket(hashed, fpr.subarray(12), digest, mpis);
    assert.equal(pkt[0], 0xc2);
    const [sig] = parseSignatures(pkt);
    assert.equal(sig!.version, 4);
    assert.equal(sig!.signatureType, 0);
    assert.equal(sig!.pubkeyAlgorithm, 22);
    assert.equal(sig!.hashAlgorithm, 10);
    assert.deepEqual(sig!.hashedPart, hashed);
    assert.equal(hex(sig!.left16), 'abcd');
    assert.deepEqual(
      sig!.mpis.map((m) => hex(m)),
      ['0102', '03'],
    );
    assert.equal(sig!.issuerKeyId, hex(fpr.subarray(12)).toUpperCase());
    assert.equal(sig!.issuerFingerprint, hex(fpr).toUpperCase());
    assert.equal(sig!.created?.getTime(), created.getTime());
    assert.deepEqual(
      sig!.notations.map((n) => [n.name, n.value, n.humanReadable]),
      [
        ['repository@jit-gpg', 'org/repo', true],
        ['run-attempt@jit-gpg', '2', true],
      ],
    );
    // The same through armor.
    assert.equal(parseSignatures(armor(pkt))[0]!.hashedPart.length, hashed.length);
  });
  it('rejects bad inputs', () => {
    assert.throws(() =>
      encodeHashedPart({ pubkeyAlgorithm: 'rsa', hash: 'sha256', created, issuerFingerprint: Buffer.alloc(19) }),
    );
    assert.throws(() => encodeSignaturePacket(hashed, Buffer.alloc(7), Buffer.alloc(32), Buffer.alloc(0)));
    const many: Record<string, string> = {};
    for (let i = 0; i < 40; i++) many[`n${i}@x`] = 'v'.repeat(2000);
    assert.throws(
      () =>
        encodeHashedPart({ pubkeyAlgorithm: 'rsa', hash: 'sha256', created, issuerFingerprint: fpr, notations: many }),
      /65535/,
    );
  });
});

describe('armor (RFC 4880 §6) and CRC-24', () => {
  it('CRC-24 check values', () => {
    assert.equal(crc24(Buffer.alloc(0)), 0xb704ce);
    assert.equal(crc24(Buffer.from('123456789')), 0x21cf02);
  });
  it('armors with 64-column lines, the CRC line and LF endings', () => {
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    const text = armor(data);
    const lines = text.split('\n');
    assert.equal(lines[0], '-----BEGIN PGP SIGNATURE-----');
    assert.equal(lines[1], '');
    assert.equal(lines[2]!.length, 64);
    assert.match(lines.at(-3)!, /^=[A-Za-z0-9+/]{4}$/);
    assert.equal(lines.at(-2), '-----END PGP SIGNATURE-----');
    assert.ok(text.endsWith('\n') && !text.includes('\r'));
    assert.deepEqual(dearmor(text), { type: 'SIGNATURE', data });
    assert.deepEqual(dearmor(text.replace(/\n/g, '\r\n')).data, data);
  });
  it('detects corruption via the CRC and malformed framing', () => {
    const text = armor(Buffer.from('hello world, this is a signature packet'));
    const lines = text.split('\n');
    lines[2] = (lines[2]![0] === 'A' ? 'B' : 'A') + lines[2]!.slice(1);
    assert.throws(() => dearmor(lines.join('\n')), /CRC-24/);
    assert.throws(() => dearmor('nothing here'), /no armor header/);
    assert.throws(() => dearmor(text.replace('-----END PGP SIGNATURE-----', '')), /footer/);
    assert.throws(() => dearmor(text.replace(/\n=.{4}\n/, '\n!!!!\n')), /base64/);
    assert.throws(() => parseSignatures(armor(Buffer.from([0xc2, 1, 4]), 'MESSAGE')), /PGP MESSAGE/);
  });
});
