/** CRC-24 of OpenPGP ASCII armor (RFC 4880 §6.1): the signer writes it, the scanner checks it in key blocks. */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i]! << 16;
    for (let j = 0; j < 8; j++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}
