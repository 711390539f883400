// A zip writer for test fixtures (built at run time): stored or deflated entries, and entries that reuse an earlier
// entry's local data (the overlapping-entries bomb).
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipIn {
  name: string;
  data: Buffer;
  store?: boolean;
  /** Reuse the local entry of an earlier file (overlapping-entries bomb). */
  sameAs?: number;
}

export function zip(files: ZipIn[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  const meta: Array<{ comp: number; size: number; crc: number; method: number }> = [];
  let off = 0;
  for (const [i, f] of files.entries()) {
    const name = Buffer.from(f.name);
    let offset: number;
    let m: { comp: number; size: number; crc: number; method: number };
    if (f.sameAs !== undefined) {
      offset = offsets[f.sameAs]!;
      m = meta[f.sameAs]!;
    } else {
      const method = f.store ? 0 : 8;
      const body = f.store ? f.data : deflateRawSync(f.data);
      m = { comp: body.length, size: f.data.length, crc: crc32(f.data), method };
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(method, 8);
      h.writeUInt32LE(m.crc, 14);
      h.writeUInt32LE(m.comp, 18);
      h.writeUInt32LE(m.size, 22);
      h.writeUInt16LE(name.length, 26);
      offset = off;
      locals.push(h, name, body);
      off += 30 + name.length + body.length;
    }
    offsets[i] = offset;
    meta[i] = m;
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(m.method, 10);
    c.writeUInt32LE(m.crc, 16);
    c.writeUInt32LE(m.comp, 20);
    c.writeUInt32LE(m.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
  }
  const cd = Buffer.concat(central);
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(files.length, 8);
  e.writeUInt16LE(files.length, 10);
  e.writeUInt32LE(cd.length, 12);
  e.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, e]);
}
