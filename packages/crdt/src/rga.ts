import { ByteReader, ByteWriter, DecodeError, err, ok, s, SynodError, type Codec, type NodeId, type Result, type Schema } from "@synod/core";
import { Run, RunTree, type Leaf } from "./rga-tree.js";
import { deleteRangeError, insertIndexError } from "./rga-index-error.js";
import { wireCodec } from "./wire-codec.js";
import { MAX_RGA_DELTA_BYTES, MAX_RGA_DELTA_ENTRIES, MAX_RGA_INSERT_LENGTH } from "./limits.js";

/** The id of one character: `[replica, lamport]` (Lamport timestamps, unique per replica). */
export type RgaId = readonly [replica: NodeId, lamport: number];

/**
 * One inserted span: consecutive characters with ids `(replica, lamport + i)`, the first inserted
 * after `origin` (null: at the start), each next one after the previous. `content` is the text, or
 * the length of a span that is already deleted (a tombstone carries no text).
 */
export type RgaInsert = [replica: NodeId, lamport: number, origin: [NodeId, number] | null, content: string | number];

/** A deleted span of ids: `[replica, lamport, length]`. */
export type RgaDeleteSpan = [replica: NodeId, lamport: number, length: number];

/**
 * A delta (and op) of the RGA: inserts in causal order and deleted spans. A local edit returns one;
 * a whole state is one too ({@link Rga.toDelta}); deltas join by concatenation
 * ({@link joinRgaDeltas}) and applying one is idempotent (known ids are skipped).
 */
export interface RgaDelta {
  readonly inserts: RgaInsert[];
  readonly deletes: RgaDeleteSpan[];
}

/** @returns the join of two deltas (concatenation: `a`'s ops come first) */
export function joinRgaDeltas(a: RgaDelta, b: RgaDelta): RgaDelta {
  return { inserts: [...a.inserts, ...b.inserts], deletes: [...a.deletes, ...b.deletes] };
}

/** @returns whether `insert` is run `run` alone, as it is now (ids, origin, content) */
function sameAsRun(insert: RgaInsert, run: Run): boolean {
  const origin = insert[2];
  return (
    insert[0] === run.replica &&
    insert[1] === run.lamport &&
    insert[3] === (run.deleted ? run.length : run.text) &&
    (origin === null ? run.originReplica === undefined : origin[0] === run.originReplica && origin[1] === run.originLamport)
  );
}

/** @returns whether two inserted spans have the same ids, origin and content */
function sameInsert(a: RgaInsert, b: RgaInsert): boolean {
  if (a === b) return true;
  const oa = a[2], ob = b[2];
  return a[0] === b[0] && a[1] === b[1] && a[3] === b[3] && (oa === null ? ob === null : ob !== null && oa[0] === ob[0] && oa[1] === ob[1]);
}

/** Compact wire form of a whole document (columnar: replica table, varint run table, visible text). */
export interface RgaStateWire {
  readonly replicas: NodeId[];
  readonly runs: Uint8Array;
  readonly text: string;
}

type Pending = Map<NodeId, [number, number][]>;

/** @returns the index of the first range of `ranges` (sorted, disjoint) starting after `at` */
function firstRangeAfter(ranges: readonly [number, number][], at: number): number {
  let lo = 0, hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as [number, number])[0] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** @returns the pending range of `replica` holding `at`, if any */
function pendingRange(pending: Pending, replica: NodeId, at: number): [number, number] | undefined {
  const ranges = pending.get(replica);
  if (ranges === undefined) return undefined;
  const candidate = ranges[firstRangeAfter(ranges, at) - 1];
  return candidate !== undefined && candidate[0] <= at && at < candidate[1] ? candidate : undefined;
}

function greaterId(lamportA: number, replicaA: NodeId, lamportB: number, replicaB: NodeId): boolean {
  return lamportA !== lamportB ? lamportA > lamportB : replicaA > replicaB;
}

/**
 * A Replicated Growable Array (Roh et al. 2011) for text: every character has a unique id and is
 * placed after its origin (the character left of it when inserted); concurrent inserts after the
 * same origin are ordered by descending id. Characters are stored as run-length encoded runs in a
 * B-tree indexed by visible length ({@link RunTree}), so index lookups are O(log n) and typing a
 * word creates one run, not one item per character. Deletes leave tombstone flags on runs (their
 * text is dropped at once: deleted content is garbage collected immediately; the ids stay).
 *
 * Op-based and delta-state at once: a local edit returns an {@link RgaDelta}; remote deltas must
 * arrive in causal order (an insert after its origin; the replication node guarantees it), and
 * {@link applyDelta} validates a delta completely before changing anything.
 * @example
 * const a = new Rga("a"), b = new Rga("b");
 * b.applyDelta(a.insert(0, "hello"));
 * b.applyDelta(a.delete(0, 1));
 * b.toString() // "ello"
 */
export class Rga {
  private tree = new RunTree();
  private clock = 0;
  /** Advances on every edit (`insert`, `delete`, `applyDelta`): keys the cached canonical form. */
  private edits = 0;
  private canonical: { readonly edits: number; readonly inserts: readonly RgaInsert[] } | undefined;

  /** @param replica - this replica's id (used for local edits) */
  constructor(readonly replica: NodeId) {}

  /** @returns the number of visible characters */
  get length(): number {
    return this.tree.visible;
  }

  /** @returns the number of runs stored (tombstones included): a measure of metadata */
  get runCount(): number {
    return this.tree.runCount;
  }

  /** @returns the largest Lamport timestamp seen */
  get lamport(): number {
    return this.clock;
  }

  /** @returns the visible text */
  toString(): string {
    const parts: string[] = [];
    this.tree.forEachRun((run) => {
      if (!run.deleted) parts.push(run.text);
    });
    return parts.join("");
  }

  /** Iterate the visible characters. */
  *[Symbol.iterator](): IterableIterator<string> {
    const runs: Run[] = [];
    this.tree.forEachRun((run) => runs.push(run));
    for (const run of runs) if (!run.deleted) yield* run.text;
  }

  /**
   * Local insert of `text` before visible position `index`.
   * @returns the delta to replicate
   * @throws {RgaIndexError} (code `usage`) when `index` is outside [0, length]
   * @throws {SynodError} code `usage` when `text` is empty
   */
  insert(index: number, text: string): RgaDelta {
    this.edits++;
    const outside = insertIndexError(index, this.tree.visible);
    if (outside !== undefined) throw outside;
    if (typeof text !== "string" || text.length === 0) throw new SynodError("usage", `insert takes non-empty text, got ${typeof text === "string" ? "empty text" : typeof text}`);
    const lamport = this.clock + 1;
    this.clock += text.length;
    if (index === 0) {
      const insert: RgaInsert = [this.replica, lamport, null, text];
      this.tree.insertAfter(undefined, this.newRun(insert, this.tree.first));
      return { inserts: [insert], deletes: [] };
    }
    const tree = this.tree;
    const run = tree.locateRun(index - 1);
    const offset = tree.locatedOffset;
    const at = tree.locatedAt;
    const origin: [NodeId, number] = [run.replica, run.lamport + offset];
    if (offset < run.length - 1) tree.splitRun(run, offset + 1, at);
    else if (run.replica === this.replica && run.lamport + run.length === lamport) {
      run.length += text.length;
      run.text += text;
      run.canonical = undefined; // stale now: let it go (typing would keep one dead tuple per run)
      this.tree.addVisible(run.leaf, text.length);
      return { inserts: [[this.replica, lamport, origin, text]], deletes: [] };
    }
    const insert: RgaInsert = [this.replica, lamport, origin, text];
    tree.insertAfter(run, this.newRun(insert, run.leaf), at);
    return { inserts: [insert], deletes: [] };
  }

  /**
   * @returns a new run of the local visible `insert`, which it keeps as its canonical insert (the
   *   replicas it reaches share that tuple, so comparing their documents is an identity check)
   */
  private newRun(insert: RgaInsert, leaf: Leaf): Run {
    const [replica, lamport, origin, text] = insert;
    const run = new Run(replica, lamport, (text as string).length, origin?.[0], origin?.[1] ?? 0, false, text as string, leaf);
    run.canonical = insert;
    return run;
  }

  /**
   * Local delete of `count` visible characters from `index`.
   * @returns the delta to replicate
   * @throws {RgaIndexError} (code `usage`) when the range is outside the document
   */
  delete(index: number, count = 1): RgaDelta {
    this.edits++;
    const outside = deleteRangeError(index, count, this.tree.visible);
    if (outside !== undefined) throw outside;
    const deletes: RgaDeleteSpan[] = [];
    let remaining = count;
    const tree = this.tree;
    while (remaining > 0) {
      const run = tree.locateRun(index);
      const offset = tree.locatedOffset;
      const count = Math.min(remaining, run.length - offset);
      const replica = run.replica;
      const lamport = run.lamport + offset;
      tree.deleteChars(run, offset, count, tree.locatedAt);
      remaining -= count;
      const last = deletes[deletes.length - 1];
      if (last !== undefined && last[0] === replica && last[1] + last[2] === lamport) last[2] += count;
      else deletes.push([replica, lamport, count]);
    }
    return { inserts: [], deletes };
  }

  /**
   * Apply a remote delta (or op). Validates it completely first: on error nothing changed.
   * @returns the effective delta (only the inserts and deletes that were new here: what a
   *   replication node forwards to its peers), or a {@link DecodeError} when an insert's origin or a deleted id is unknown (not
   *   causally ready), an id repeats with different content, or a timestamp is not after its origin's
   */
  applyDelta(delta: RgaDelta): Result<RgaDelta, DecodeError> {
    const problem = this.check(delta);
    if (problem !== undefined) return err(problem);
    const effective: RgaDelta = { inserts: [], deletes: [] };
    for (const insert of delta.inserts) this.integrate(insert, effective.inserts);
    // A tombstone insert also deletes the ids when they were already known here but visible.
    for (const [replica, lamport, , content] of delta.inserts) {
      if (typeof content === "number") this.deleteIds(replica, lamport, content, effective.deletes);
    }
    for (const [replica, lamport, length] of delta.deletes) this.deleteIds(replica, lamport, length, effective.deletes);
    // The canonical form changes exactly when something was new here (runs split by the lookups
    // join again in `toDelta`), so a delivery that changed nothing keeps the cached inserts.
    if (effective.inserts.length > 0 || effective.deletes.length > 0) this.edits++;
    return ok(effective);
  }

  /**
   * Check a remote delta as {@link Rga.applyDelta} does, without applying it.
   * @returns the reason it would be refused, or undefined when it applies
   */
  validate(delta: RgaDelta): DecodeError | undefined {
    return this.check(delta);
  }

  /** State join: merge a whole other document into this one. @returns the effective delta */
  merge(other: Rga): Result<RgaDelta, DecodeError> {
    return this.applyDelta(other.toDelta());
  }

  /**
   * @returns the whole state as a delta: maximal runs in document order, tombstones as lengths (its
   *   inserts are built once per edit and shared by the deltas returned until the next edit: read
   *   them, never change them, as any delta)
   */
  toDelta(): RgaDelta {
    return { inserts: this.canonicalInserts() as RgaInsert[], deletes: [] };
  }

  /**
   * @returns the inserts of the whole state: maximal runs in document order, tombstones as lengths.
   *   The insert of a run alone that has not changed since the last build is that build's (no copy
   *   of the whole document per edit); an insert of several runs is made anew.
   */
  private buildInserts(): RgaInsert[] {
    const inserts: RgaInsert[] = [];
    let prev: Run | undefined;
    let lastIsNew = false;
    this.tree.forEachRun((run) => {
      const last = inserts[inserts.length - 1];
      if (
        last !== undefined &&
        prev !== undefined &&
        prev.replica === run.replica &&
        prev.deleted === run.deleted &&
        prev.lamport + prev.length === run.lamport &&
        run.originReplica === prev.replica &&
        run.originLamport === prev.lamport + prev.length - 1
      ) {
        const content = typeof last[3] === "number" ? last[3] + run.length : last[3] + run.text;
        if (lastIsNew) last[3] = content;
        else inserts[inserts.length - 1] = [last[0], last[1], last[2], content];
        lastIsNew = true;
      } else {
        // (A run's own insert is never extended in place: the next build may reuse it.)
        lastIsNew = false;
        const cached = run.canonical;
        if (cached !== undefined && sameAsRun(cached, run)) inserts.push(cached);
        else {
          const origin: [NodeId, number] | null = run.originReplica === undefined ? null : [run.originReplica, run.originLamport];
          const insert: RgaInsert = [run.replica, run.lamport, origin, run.deleted ? run.length : run.text];
          inserts.push(insert);
          run.canonical = insert;
        }
      }
      prev = run;
    });
    return inserts;
  }

  /** @returns whether both documents hold the same characters, ids, origins and tombstones */
  equals(other: Rga): boolean {
    if (this.length !== other.length) return false;
    const a = this.canonicalInserts(), b = other.canonicalInserts();
    return a.length === b.length && a.every((insert, i) => sameInsert(insert, b[i] as RgaInsert));
  }

  /** @returns the inserts of {@link Rga.toDelta}, computed once per edit (equality checks compare documents after every event; full states share them) */
  private canonicalInserts(): readonly RgaInsert[] {
    if (this.canonical?.edits !== this.edits) this.canonical = { edits: this.edits, inserts: this.buildInserts() };
    return this.canonical.inserts;
  }

  /** @returns a copy with the given replica id (default: the same) */
  clone(replica: NodeId = this.replica): Rga {
    return Rga.fromWire(this.toWire(), replica);
  }

  /** @returns the compact columnar encoding of the whole document */
  toWire(): RgaStateWire {
    const replicas: NodeId[] = [];
    const replicaIndex = new Map<NodeId, number>();
    const indexOf = (replica: NodeId): number => {
      let i = replicaIndex.get(replica);
      if (i === undefined) {
        i = replicas.length;
        replicas.push(replica);
        replicaIndex.set(replica, i);
      }
      return i;
    };
    const out = new ByteWriter();
    const text: string[] = [];
    let prevEnd = 0;
    let prevReplica: NodeId | undefined;
    for (const [replica, lamport, origin, content] of this.toDelta().inserts) {
      const length = typeof content === "number" ? content : content.length;
      const originIsPrev = origin !== null && origin[0] === prevReplica && origin[1] === prevEnd - 1;
      const flags = (typeof content === "number" ? 1 : 0) | (originIsPrev ? 2 : 0) | (origin === null ? 4 : 0);
      out.writeUint(indexOf(replica) * 8 + flags);
      out.writeInt(lamport - prevEnd);
      out.writeUint(length);
      if (origin !== null && !originIsPrev) {
        out.writeUint(indexOf(origin[0]));
        out.writeUint(lamport - origin[1]);
      }
      if (typeof content === "string") text.push(content);
      prevEnd = lamport + length;
      prevReplica = replica;
    }
    return { replicas, runs: out.finish(), text: text.join("") };
  }

  /**
   * Load a document from its columnar encoding (fast: runs are appended in order, no integration).
   * @param wire - shape-checked wire form
   * @param replica - the id local edits will use
   * @throws {DecodeError} on a bad replica index, an empty run, an id used twice, an origin that is
   *   unknown, not earlier in the document or not older than the run, or text of the wrong length
   */
  static fromWire(wire: RgaStateWire, replica: NodeId): Rga {
    const rga = new Rga(replica);
    const reader = new ByteReader(wire.runs, "runs");
    const order = new Map<Run, number>();
    const origins: [Run, NodeId, number][] = [];
    let prevEnd = 0;
    let prevReplica: NodeId | undefined;
    let textAt = 0;
    while (!reader.done) {
      const header = reader.readUint();
      const flags = header % 8;
      const who = wire.replicas[(header - flags) / 8];
      if (who === undefined) throw new DecodeError(`replica index ${(header - flags) / 8} out of range`, "runs");
      const lamport = prevEnd + reader.readInt();
      const length = reader.readUint();
      if (lamport < 1 || length < 1 || lamport + length > Number.MAX_SAFE_INTEGER) {
        throw new DecodeError(`bad run [${who}, ${lamport}] of length ${length}`, "runs");
      }
      let originReplica: NodeId | undefined;
      let originLamport = 0;
      if ((flags & 4) === 0) {
        if ((flags & 2) !== 0) {
          if (prevReplica === undefined) throw new DecodeError("first run cannot continue a previous one", "runs");
          originReplica = prevReplica;
          originLamport = prevEnd - 1;
        } else {
          originReplica = wire.replicas[reader.readUint()];
          if (originReplica === undefined) throw new DecodeError("origin replica index out of range", "runs");
          originLamport = lamport - reader.readUint();
        }
        if (originLamport >= lamport) throw new DecodeError(`run [${who}, ${lamport}] is not younger than its origin`, "runs");
      }
      const deleted = (flags & 1) !== 0;
      let text = "";
      if (!deleted) {
        if (textAt + length > wire.text.length) throw new DecodeError("text shorter than the visible runs", "text");
        text = wire.text.slice(textAt, textAt + length);
        textAt += length;
      }
      const run = new Run(who, lamport, length, originReplica, originLamport, deleted, text, rga.tree.first);
      rga.tree.appendUnindexed(run);
      order.set(run, order.size);
      if (originReplica !== undefined) origins.push([run, originReplica, originLamport]);
      if (lamport + length - 1 > rga.clock) rga.clock = lamport + length - 1;
      prevEnd = lamport + length;
      prevReplica = who;
    }
    if (textAt !== wire.text.length) throw new DecodeError("text longer than the visible runs", "text");
    rga.tree.rebuildIndex();
    for (const runs of rga.tree.byReplica.values()) {
      let a: Run | undefined;
      runs.forEach((b) => {
        if (a !== undefined && a.lamport + a.length > b.lamport) throw new DecodeError(`id [${b.replica}, ${b.lamport}] used twice`, "runs");
        a = b;
      });
    }
    for (const [run, originReplica, originLamport] of origins) {
      const origin = rga.tree.find(originReplica, originLamport);
      if (origin === undefined || (order.get(origin) as number) >= (order.get(run) as number)) {
        throw new DecodeError(`origin [${originReplica}, ${originLamport}] of [${run.replica}, ${run.lamport}] is unknown or not before it`, "runs");
      }
    }
    return rga;
  }

  private deleteIds(replica: NodeId, lamport: number, length: number, effective: RgaDeleteSpan[]): void {
    let at = lamport;
    const end = lamport + length;
    while (at < end) {
      const run = this.tree.find(replica, at) as Run;
      const count = Math.min(end, run.lamport + run.length) - at;
      if (!run.deleted) {
        const last = effective[effective.length - 1];
        if (last !== undefined && last[0] === replica && last[1] + last[2] === at) last[2] += count;
        else effective.push([replica, at, count]);
        this.tree.deleteChars(run, at - run.lamport, count);
      }
      at += count;
    }
  }

  /** @returns how many leading ids of `[lamport, lamport + length)` are already known */
  private knownPrefix(replica: NodeId, lamport: number, length: number, pending?: Pending): number {
    let at = lamport;
    const end = lamport + length;
    while (at < end) {
      const run = this.tree.find(replica, at);
      if (run !== undefined) {
        at = run.lamport + run.length;
        continue;
      }
      const range = pending === undefined ? undefined : pendingRange(pending, replica, at);
      if (range === undefined) break;
      at = range[1];
    }
    return Math.min(at, end) - lamport;
  }

  private check(delta: RgaDelta): DecodeError | undefined {
    const pending: Pending = new Map();
    for (let i = 0; i < delta.inserts.length; i++) {
      const [replica, lamport, origin, content] = delta.inserts[i] as RgaInsert;
      const length = typeof content === "number" ? content : content.length;
      if (length < 1 || lamport < 1 || lamport + length > Number.MAX_SAFE_INTEGER) {
        return new DecodeError(`empty or out-of-range insert [${replica}, ${lamport}]`, `inserts[${i}]`);
      }
      if (origin !== null && origin[1] >= lamport) return new DecodeError(`insert [${replica}, ${lamport}] is not younger than its origin`, `inserts[${i}]`);
      const prefix = this.knownPrefix(replica, lamport, length, pending);
      if (prefix === length) continue;
      if (prefix === 0 && origin !== null && this.knownPrefix(origin[0], origin[1], 1, pending) !== 1) {
        return new DecodeError(`origin [${origin[0]}, ${origin[1]}] of insert [${replica}, ${lamport}] is unknown (not causally ready)`, `inserts[${i}]`);
      }
      const start = lamport + prefix;
      if (this.tree.overlaps(replica, start, lamport + length)) return new DecodeError(`insert [${replica}, ${lamport}] overlaps known ids`, `inserts[${i}]`);
      let ranges = pending.get(replica);
      if (ranges === undefined) pending.set(replica, (ranges = []));
      const following = ranges[firstRangeAfter(ranges, start)];
      if (following !== undefined && following[0] < lamport + length) {
        return new DecodeError(`insert [${replica}, ${lamport}] overlaps ids inserted earlier in the delta`, `inserts[${i}]`);
      }
      ranges.splice(firstRangeAfter(ranges, start), 0, [start, lamport + length]);
    }
    for (let i = 0; i < delta.deletes.length; i++) {
      const [replica, lamport, length] = delta.deletes[i] as RgaDeleteSpan;
      if (length < 1 || lamport < 1) return new DecodeError(`empty or out-of-range delete [${replica}, ${lamport}]`, `deletes[${i}]`);
      if (this.knownPrefix(replica, lamport, length, pending) !== length) {
        return new DecodeError(`delete of unknown ids [${replica}, ${lamport}..+${length}]`, `deletes[${i}]`);
      }
    }
    return undefined;
  }

  private integrate(insert: RgaInsert, effective: RgaInsert[]): void {
    const [replica, lamport0, origin0, content0] = insert;
    const length0 = typeof content0 === "number" ? content0 : content0.length;
    const prefix = this.knownPrefix(replica, lamport0, length0);
    if (prefix === length0) return;
    const lamport = lamport0 + prefix;
    const length = length0 - prefix;
    const origin: RgaId | null = prefix > 0 ? [replica, lamport - 1] : origin0;
    const deleted = typeof content0 === "number";
    const text = deleted ? "" : (content0 as string).slice(prefix);
    effective.push([replica, lamport, origin === null ? null : [origin[0], origin[1]], deleted ? length : text]);
    let after: Run | undefined;
    let next: Run | undefined;
    if (origin === null) {
      next = this.tree.firstRun();
    } else {
      const run = this.tree.find(origin[0], origin[1]) as Run;
      const offset = origin[1] - run.lamport;
      after = run;
      next = offset < run.length - 1 ? this.tree.splitRun(run, offset + 1) : this.tree.nextRun(run);
    }
    while (next !== undefined && greaterId(next.lamport, next.replica, lamport, replica)) {
      after = next;
      next = this.tree.nextRun(next);
    }
    if (lamport + length - 1 > this.clock) this.clock = lamport + length - 1;
    if (
      after !== undefined &&
      origin !== null &&
      after.replica === replica &&
      after.deleted === deleted &&
      after.lamport + after.length === lamport &&
      origin[0] === replica &&
      origin[1] === lamport - 1
    ) {
      after.length += length;
      if (!deleted) {
        after.text += text;
        this.tree.addVisible(after.leaf, length);
      }
      return;
    }
    const run = new Run(replica, lamport, length, origin?.[0], origin?.[1] ?? 0, deleted, text, this.tree.first);
    // A run that is the whole insert starts with it as its canonical insert: documents that
    // received the same insert then share the tuple, and comparing them is an identity check.
    if (prefix === 0) run.canonical = insert;
    this.tree.insertAfter(after, run);
  }
}

/** Schema of one insert of a delta. */
const insertSchema: Schema<RgaInsert> = s.tuple([
  s.nodeId(),
  s.uint(),
  s.nullable(s.tuple([s.nodeId(), s.uint()] as const)),
  {
    description: "text or tombstone length",
    parse(value, path) {
      if (typeof value === "number") return s.int({ min: 1, max: MAX_RGA_INSERT_LENGTH }).parse(value, path);
      return s.string({ minLength: 1, maxLength: MAX_RGA_INSERT_LENGTH }).parse(value, path);
    },
  } satisfies Schema<string | number>,
] as const) as Schema<RgaInsert>;

/** Schema of an RGA delta. */
export const rgaDeltaSchema: Schema<RgaDelta> = s.object({
  inserts: s.array(insertSchema, { maxLength: MAX_RGA_DELTA_ENTRIES }),
  deletes: s.array(s.tuple([s.nodeId(), s.uint(), s.int({ min: 1 })] as const), { maxLength: MAX_RGA_DELTA_ENTRIES }) as Schema<RgaDeleteSpan[]>,
});

/** Codec of RGA deltas (shape only; {@link Rga.applyDelta} checks them against the document). */
export const rgaDeltaCodec: Codec<RgaDelta> = createDeltaCodec();

function createDeltaCodec(): Codec<RgaDelta> {
  return wireCodec(rgaDeltaSchema, (d) => d, (d) => d, { maxBytes: MAX_RGA_DELTA_BYTES });
}
