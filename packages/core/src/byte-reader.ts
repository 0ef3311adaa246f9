import { DecodeError } from "./errors.js";
import { MAX_UINT_BYTES } from "./limits.js";

/**
 * Reads untrusted bytes in the layout {@link ByteWriter} writes, strictly: a truncated, overlong
 * (non-minimal) or oversized integer, a length beyond the input, is a {@link DecodeError} naming
 * `path` and the offset. Anything it accepts is exactly what writing the values read would give.
 */
export class ByteReader {
  private at = 0;

  /**
   * @param bytes - the input (never modified; byte strings read are copies)
   * @param path - names the field being read in errors, e.g. `runs`
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly path = "",
  ) {}

  /** Offset of the next byte to read. */
  get offset(): number {
    return this.at;
  }

  /** Whether every byte was read. */
  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  /** @returns the next byte; @throws {DecodeError} at the end of the input */
  readByte(): number {
    if (this.at >= this.bytes.length) throw this.error("truncated input");
    return this.bytes[this.at++] as number;
  }

  /**
   * @returns the next unsigned LEB128 integer
   * @throws {DecodeError} when it is truncated, overlong (a trailing zero group) or beyond 2^53 − 1
   */
  readUint(): number {
    const bytes = this.bytes;
    const start = this.at;
    let result = 0;
    let scale = 1;
    for (let k = 0; k < MAX_UINT_BYTES; k++) {
      if (this.at >= bytes.length) throw this.error("truncated varint", start);
      const byte = bytes[this.at++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (byte === 0 && k > 0) throw this.error("overlong varint (not minimal)", start);
        if (result > Number.MAX_SAFE_INTEGER) throw this.error("varint beyond 2^53 − 1", start);
        return result;
      }
      scale *= 0x80;
    }
    throw this.error("varint beyond 2^53 − 1", start);
  }

  /** @returns the next zigzag-encoded integer (see {@link readUint} for the errors) */
  readInt(): number {
    const u = this.readUint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** @returns a copy of the next length-prefixed byte string; @throws {DecodeError} when it runs past the end */
  readBytes(): Uint8Array {
    const length = this.readUint();
    return this.readRaw(length);
  }

  /** @returns a copy of the next `length` bytes; @throws {DecodeError} when they run past the end */
  readRaw(length: number): Uint8Array {
    if (length > this.bytes.length - this.at) throw this.error(`${length} bytes needed, ${this.bytes.length - this.at} left`);
    const copy = this.bytes.slice(this.at, this.at + length);
    this.at += length;
    return copy;
  }

  /** @throws {DecodeError} when bytes are left over */
  expectEnd(): void {
    if (this.at < this.bytes.length) throw this.error(`${this.bytes.length - this.at} trailing bytes`);
  }

  private error(message: string, at = this.at): DecodeError {
    return new DecodeError(`${message} at byte ${at}`, this.path, { offset: at });
  }
}
