import { CryptoError } from "./crypto-error.js";

/**
 * The durable record of a {@link SequenceLease}: every sequence number up to `reservedThrough` may
 * have been used. Persist it before any envelope numbered above the previous reservation leaves the
 * node (in a protocol: queue it in the same step as the send — a step's records are synced first).
 */
export interface SequenceReservation {
  readonly reservedThrough: number;
}

/** Default block of sequence numbers reserved per durable write. */
export const DEFAULT_SEQUENCE_BLOCK = 1024;

/** How a lease makes a reservation durable (e.g. `(r) => step.persist({ kind: "seq", ...r })`, or an fsync'd file write). */
export type ReserveSequences = (reservation: SequenceReservation) => void;

/**
 * A signer's sequence numbers, leased from durable storage in blocks: before handing out a number
 * above the current reservation, the lease reserves the next block through `reserve`, so the
 * high-water mark is durable before use. After a restart, the lease resumes above the highest
 * reservation recovered: the unused rest of the last block is skipped (receivers accept gaps), and
 * no number is ever used twice. One durable write per `blockSize` envelopes.
 * @example
 * const lease = SequenceLease.recover(recoveredReservations, (r) => step.persist(r));
 * const signer = new EnvelopeSigner(provider, identity, lease);
 */
export class SequenceLease {
  private next: number;
  private reserved: number;

  /**
   * @param highWater - the highest reservation recovered (0 on first start): numbers start above it
   * @param reserve - makes a reservation durable; called before the first number of each block is returned
   * @param blockSize - numbers per reservation (≥ 1)
   */
  constructor(
    highWater: number,
    private readonly reserve: ReserveSequences,
    private readonly blockSize = DEFAULT_SEQUENCE_BLOCK,
  ) {
    if (!Number.isSafeInteger(highWater) || highWater < 0) {
      throw new CryptoError("bad-parameters", `high-water mark must be a non-negative safe integer, got ${highWater}`);
    }
    if (!Number.isSafeInteger(blockSize) || blockSize < 1) {
      throw new CryptoError("bad-parameters", `block size must be a positive safe integer, got ${blockSize}`);
    }
    this.next = highWater + 1;
    this.reserved = highWater;
  }

  /**
   * Resume from the reservations read back after a restart (any order; the highest counts).
   * @param recovered - the reservations persisted so far (none on first start)
   */
  static recover(recovered: readonly SequenceReservation[], reserve: ReserveSequences, blockSize = DEFAULT_SEQUENCE_BLOCK): SequenceLease {
    if (!Array.isArray(recovered) || typeof reserve !== "function") {
      throw new CryptoError("bad-parameters", "SequenceLease.recover takes the array of reservations read back and the function that persists new ones");
    }
    // A reservation without a number makes the high-water mark NaN, which the constructor refuses.
    const highWater = recovered.reduce((high, r: SequenceReservation | null) => Math.max(high, r?.reservedThrough ?? Number.NaN), 0);
    return new SequenceLease(highWater, reserve, blockSize);
  }

  /** The highest number reserved durably so far. */
  get highWater(): number {
    return this.reserved;
  }

  /** The number {@link take} will return next. */
  get peek(): number {
    return this.next;
  }

  /**
   * @returns the next sequence number, after making its block's reservation durable if it is the first of a block
   * @throws {CryptoError} `limit` when numbers are exhausted (rotate the key)
   */
  take(): number {
    const seq = this.next;
    if (seq >= Number.MAX_SAFE_INTEGER) throw new CryptoError("limit", "sequence numbers exhausted; rotate the key");
    if (seq > this.reserved) {
      const reservedThrough = Math.min(Number.MAX_SAFE_INTEGER - 1, seq - 1 + this.blockSize);
      this.reserve({ reservedThrough });
      this.reserved = reservedThrough;
    }
    this.next = seq + 1;
    return seq;
  }
}
