/**
 * Reading a zip (a CSV zip, or an .xlsx, which is a zip too) without trusting it: the central
 * directory is read first, so the entry count and the declared sizes are checked before
 * anything inflates; each entry then inflates through fflate's streaming `Inflate` in small
 * pieces with a running byte count, and the first byte over a cap stops it (declared sizes can
 * lie — a zip bomb's do). Only the entries a reader asks for are ever inflated.
 */
import { Inflate } from "fflate";
import { FileRefused, sizeLabel, type ImportLimits } from "./limits";

export interface ZipEntry {
  /** Name as stored: UTF-8 when flagged, else one char per byte (see `rawName`). */
  name: string;
  /** The name's bytes are not flagged UTF-8 (old Windows zips: GBK). */
  legacyName: boolean;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
  encrypted: boolean;
  directory: boolean;
}

const corrupt = (what: string) => new FileRefused(`${what}：文件已损坏或不是 zip 格式`);

/** Input is fed to the inflater this many bytes at a time: deflate expands at most ~1,032×, so one push yields at most ~4 MB. */
const PIECE = 4 * 1024;

export class ZipReader {
  readonly entries: ZipEntry[];
  private inflated = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ImportLimits,
    private readonly label = "无法读取 zip 文件",
  ) {
    this.entries = this.readDirectory();
    const declared = this.entries.reduce((sum, e) => sum + e.declaredSize, 0);
    if (declared > limits.totalBytes) throw new FileRefused(`文件解压后超过 ${sizeLabel(limits.totalBytes)}`);
    const big = this.entries.find((e) => e.declaredSize > limits.entryBytes);
    if (big) throw new FileRefused(`压缩包内的「${big.name}」解压后超过 ${sizeLabel(limits.entryBytes)}`);
  }

  private view(offset: number, length: number): DataView {
    if (offset < 0 || offset + length > this.bytes.byteLength) throw corrupt(this.label);
    return new DataView(this.bytes.buffer, this.bytes.byteOffset + offset, length);
  }

  private readDirectory(): ZipEntry[] {
    const b = this.bytes;
    // End of central directory: 22 bytes plus a comment of up to 65,535.
    let eocd = -1;
    for (let i = b.byteLength - 22; i >= Math.max(0, b.byteLength - 22 - 65_535); i -= 1) {
      if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw corrupt(this.label);
    const end = this.view(eocd, 22);
    let count = end.getUint16(10, true);
    let offset = end.getUint32(16, true);
    if (count === 0xffff || offset === 0xffffffff) {
      // Zip64: the locator sits just before the end record.
      const locator = this.view(eocd - 20, 20);
      if (locator.getUint32(0, true) !== 0x07064b50) throw corrupt(this.label);
      const z64 = this.view(Number(locator.getBigUint64(8, true)), 56);
      if (z64.getUint32(0, true) !== 0x06064b50) throw corrupt(this.label);
      const n = z64.getBigUint64(32, true);
      if (n > BigInt(this.limits.entries)) throw new FileRefused(`压缩包内的文件超过 ${String(this.limits.entries)} 个`);
      count = Number(n);
      offset = Number(z64.getBigUint64(48, true));
    }
    if (count > this.limits.entries) throw new FileRefused(`压缩包内的文件超过 ${String(this.limits.entries)} 个`);
    const entries: ZipEntry[] = [];
    for (let i = 0; i < count; i += 1) {
      const h = this.view(offset, 46);
      if (h.getUint32(0, true) !== 0x02014b50) throw corrupt(this.label);
      const flags = h.getUint16(8, true);
      const method = h.getUint16(10, true);
      let compressedSize = h.getUint32(20, true);
      let declaredSize = h.getUint32(24, true);
      const nameLength = h.getUint16(28, true);
      const extraLength = h.getUint16(30, true);
      const commentLength = h.getUint16(32, true);
      let localOffset = h.getUint32(42, true);
      const nameBytes = this.bytes.subarray(offset + 46, offset + 46 + nameLength);
      if (nameBytes.byteLength !== nameLength) throw corrupt(this.label);
      const utf8 = (flags & 0x800) !== 0;
      const name = utf8 ? new TextDecoder("utf-8").decode(nameBytes) : String.fromCharCode(...nameBytes);
      // Zip64 extra field: the 0xFFFFFFFF sizes and offset follow in this order.
      let extra = offset + 46 + nameLength;
      const extraEnd = extra + extraLength;
      while (extra + 4 <= extraEnd) {
        const x = this.view(extra, 4);
        const id = x.getUint16(0, true);
        const size = x.getUint16(2, true);
        if (id === 0x0001) {
          let at = extra + 4;
          const next = () => {
            const v = Number(this.view(at, 8).getBigUint64(0, true));
            at += 8;
            return v;
          };
          if (declaredSize === 0xffffffff) declaredSize = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localOffset === 0xffffffff) localOffset = next();
        }
        extra += 4 + size;
      }
      entries.push({ name, legacyName: !utf8, method, compressedSize, declaredSize, localOffset, encrypted: (flags & 1) !== 0, directory: name.endsWith("/") });
      offset += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  }

  /** Bytes inflated so far, over all entries read. */
  get inflatedBytes(): number {
    return this.inflated;
  }

  /**
   * Inflates one entry piece by piece, handing each piece to `onData`; refuses at the first
   * byte over the per-entry or total cap, whatever the entry declared.
   */
  read(entry: ZipEntry, onData: (chunk: Uint8Array) => void): void {
    if (entry.encrypted) throw new FileRefused(`压缩包内的「${entry.name}」已加密，请解除密码后重新打包`);
    const local = this.view(entry.localOffset, 30);
    if (local.getUint32(0, true) !== 0x04034b50) throw corrupt(this.label);
    const start = entry.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    if (data.byteLength !== entry.compressedSize) throw corrupt(this.label);
    let entryBytes = 0;
    const count = (chunk: Uint8Array) => {
      entryBytes += chunk.byteLength;
      this.inflated += chunk.byteLength;
      if (this.inflated > this.limits.totalBytes) throw new FileRefused(`文件解压后超过 ${sizeLabel(this.limits.totalBytes)}`);
      if (entryBytes > this.limits.entryBytes) throw new FileRefused(`压缩包内的「${entry.name}」解压后超过 ${sizeLabel(this.limits.entryBytes)}`);
      if (chunk.byteLength > 0) onData(chunk);
    };
    if (entry.method === 0) {
      for (let at = 0; at < data.byteLength; at += PIECE) count(data.subarray(at, at + PIECE));
      return;
    }
    if (entry.method !== 8) throw new FileRefused(`压缩包内的「${entry.name}」使用了不支持的压缩方式，请用常规 zip 格式重新打包`);
    const inflate = new Inflate((chunk) => count(chunk));
    try {
      if (data.byteLength === 0) inflate.push(new Uint8Array(0), true);
      for (let at = 0; at < data.byteLength; at += PIECE) inflate.push(data.subarray(at, at + PIECE), at + PIECE >= data.byteLength);
    } catch (e) {
      if (e instanceof FileRefused) throw e;
      throw corrupt(this.label);
    }
  }

  /** One entry in full (bounded by the caps). */
  readAll(entry: ZipEntry): Uint8Array {
    const chunks: Uint8Array[] = [];
    let length = 0;
    this.read(entry, (c) => {
      // fflate may reuse its output buffer between pushes: keep a copy.
      chunks.push(c.slice());
      length += c.byteLength;
    });
    const out = new Uint8Array(length);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }
}
