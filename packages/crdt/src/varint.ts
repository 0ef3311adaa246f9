import { DecodeError } from "@synod/core";

/** A growable byte buffer with unsigned LEB128 varints (for compact columnar encodings). */
export class VarintWriter {
  private bytes = new Uint8Array(1024);
  private length = 0;

  /** Append a non-negative safe integer as an unsigned LEB128 varint. */
  writeUint(value: number): void {
    if (this.length + 10 > this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  /** Append a safe integer, zigzag encoded (small magnitudes of either sign stay short). */
  writeInt(value: number): void {
    this.writeUint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /** @returns the bytes written so far (a copy) */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Reads what a {@link VarintWriter} wrote, rejecting truncated or oversized varints. */
export class VarintReader {
  private offset = 0;

  /** @param bytes - the input */
  constructor(private readonly bytes: Uint8Array) {}

  /** @returns whether every byte was read */
  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** @returns the next unsigned varint; @throws {DecodeError} when truncated or beyond 2^53 */
  readUint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.offset >= this.bytes.length) throw new DecodeError("truncated varint", "runs");
      const byte = this.bytes[this.offset++] as number;
      result += (byte & 0x7f) * scale;
      if (result > Number.MAX_SAFE_INTEGER) throw new DecodeError("varint beyond 2^53", "runs");
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
  }

  /** @returns the next zigzag varint */
  readInt(): number {
    const u = this.readUint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
}
