import type { Model } from "./model.js";
import type { Operation } from "./operation.js";
import { StateCache } from "./state-cache.js";

/** Iterations of the search between two looks at the clock. */
const CLOCK_CHECK_INTERVAL = 1024;

const NOT_LINEARIZED = 0;
const PUSHED = 1;
const DEAD = 2;

/** Limits of one partition's search. */
export interface SearchLimits {
  /** Reads the time in milliseconds. */
  readonly clock: () => number;
  /** Give up ("timeout") once `clock()` passes this. */
  readonly deadlineMs: number;
  /** The most configurations memoised. */
  readonly maxCacheEntries: number;
}

/** How one partition's search ended. */
export type SearchOutcome =
  | {
      readonly kind: "linearizable";
      /** Indexes into the partition's operations, in linearization order (unknown-outcome operations left out are absent). */
      readonly order: readonly number[];
      readonly iterations: number;
      readonly cacheEntries: number;
    }
  | {
      readonly kind: "not-linearizable";
      /** The longest linearizable prefix found, as indexes in order. */
      readonly longestPrefix: readonly number[];
      /** The operation whose return was reached after that prefix without any way to linearize it. */
      readonly blocking: number;
      readonly iterations: number;
      readonly cacheEntries: number;
    }
  | { readonly kind: "timeout"; readonly iterations: number; readonly cacheEntries: number };

/**
 * Wing & Gong's search with Lowe's memoisation over one partition, on a doubly-linked list of
 * call/return entries (the dancing-links trick: lifting an operation out of the list and putting
 * it back are O(1)).
 *
 * Operations with an unknown outcome have no return entry: they sit in a second list, ordered by
 * call, and may be linearized at any point after their call, or left out — the search succeeds as
 * soon as every operation with a known outcome is linearized. In each configuration the candidates
 * are the known-outcome calls before the first pending return (tried first) and then the
 * unknown-outcome calls before that return: the same candidate set as the plain algorithm, in an
 * order that only linearizes an unknown operation when nothing else can proceed, which finds
 * linearizations of correct histories much sooner. Unknown-outcome operations with identical
 * inputs (the model's `inputKey`) are interchangeable, so they are only linearized in call order;
 * and one whose step would leave the state unchanged is never linearized (leaving it out is as good).
 * A known-outcome candidate that leaves every state unchanged (the model's `isReadOnly`: a read, a
 * failed cas) and is legal now dominates every other choice, since it can be moved to the front of
 * any linearization from that configuration: once taken, its siblings are not tried, and if its
 * configuration is known to fail so is the current one.
 *
 * @param model - the sequential specification
 * @param ops - the partition's operations
 * @param limits - time and memory limits
 * @returns the outcome, with a linearization or a witness
 */
export function searchLinearization<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly Operation<Input, Output>[],
  limits: SearchLimits,
): SearchOutcome {
  const n = ops.length;
  // Main list: known-outcome calls and returns in history order (calls first on ties); entry 0 is its head.
  const order: number[] = [];
  // Unknown list: unknown-outcome calls in call order; entry 0 is its head.
  const unknownOrder: number[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i] as Operation<Input, Output>;
    if (op.unknown) {
      unknownOrder.push(i);
    } else {
      order.push(i * 2, i * 2 + 1);
    }
  }
  const positionOf = (code: number): number => {
    const op = ops[code >> 1] as Operation<Input, Output>;
    return (code & 1) === 0 ? op.call : op.ret;
  };
  order.sort((a, b) => positionOf(a) - positionOf(b) || (a & 1) - (b & 1) || a - b);
  unknownOrder.sort((a, b) => (ops[a] as Operation<Input, Output>).call - (ops[b] as Operation<Input, Output>).call || a - b);

  const entryCount = order.length + 1;
  const next = new Int32Array(entryCount);
  const prev = new Int32Array(entryCount);
  const entryOp = new Int32Array(entryCount).fill(-1);
  const entryPosition = new Float64Array(entryCount);
  const match = new Int32Array(entryCount).fill(-1); // call entry -> its return entry; -1 on returns
  const returnEntryOf = new Int32Array(n).fill(-1);
  for (let e = 1; e < entryCount; e++) {
    const code = order[e - 1] as number;
    entryOp[e] = code >> 1;
    entryPosition[e] = positionOf(code);
    if ((code & 1) === 1) returnEntryOf[code >> 1] = e;
  }
  for (let e = 1; e < entryCount; e++) {
    const code = order[e - 1] as number;
    if ((code & 1) === 0) match[e] = returnEntryOf[code >> 1] as number;
  }
  for (let e = 0; e < entryCount; e++) {
    next[e] = e + 1 < entryCount ? e + 1 : -1;
    prev[e] = e - 1;
  }
  const unknownCount = unknownOrder.length + 1;
  const uNext = new Int32Array(unknownCount);
  const uPrev = new Int32Array(unknownCount);
  const uOp = new Int32Array(unknownCount).fill(-1);
  const uCall = new Float64Array(unknownCount);
  // Symmetry: the previous unknown-outcome operation (in call order) with an identical input, or -1.
  const uSameBefore = new Int32Array(unknownCount).fill(-1);
  const lastWithKey = new Map<string, number>();
  for (let u = 0; u < unknownCount; u++) {
    uNext[u] = u + 1 < unknownCount ? u + 1 : -1;
    uPrev[u] = u - 1;
    if (u > 0) {
      uOp[u] = unknownOrder[u - 1] as number;
      const op = ops[uOp[u] as number] as Operation<Input, Output>;
      uCall[u] = op.call;
      const key = model.inputKey?.(op.input);
      if (key !== undefined) {
        uSameBefore[u] = lastWithKey.get(key) ?? -1;
        lastWithKey.set(key, u);
      }
    }
  }

  const inputs: Input[] = new Array<Input>(n);
  const outputs: (Output | undefined)[] = new Array<Output | undefined>(n);
  const readOnly = new Uint8Array(n);
  const zobrist = new Int32Array(n);
  let seed = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    const op = ops[i] as Operation<Input, Output>;
    inputs[i] = op.input;
    outputs[i] = op.output;
    readOnly[i] = !op.unknown && model.isReadOnly?.(op.input, op.output) === true ? 1 : 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let z = Math.imul(seed ^ (seed >>> 15), seed | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    zobrist[i] = z ^ (z >>> 14);
  }
  let definiteRemaining = order.length / 2;

  const words = Math.max(1, Math.ceil(n / 32));
  const linearized = new Uint32Array(words);
  let bitsHash = 0;
  const cache = new StateCache<State>(words, (a, b) => model.equal(a, b), limits.maxCacheEntries);
  // The stack of linearized operations: main-list call entries (>= 0) or unknown-list entries (encoded ~u, < 0).
  const stackEntry = new Int32Array(n);
  const stackBlock = new Int32Array(n); // for unknown frames: the return entry that was blocking
  const stackState: State[] = new Array<State>(n);
  const stackForced = new Uint8Array(n); // 1: a known-outcome stutter, linearized as soon as it could be
  let depth = 0;
  let state = model.init();
  let bestDepth = -1;
  let bestPrefix: number[] = [];
  let bestBlocking = -1;
  let iterations = 0;
  const { clock, deadlineMs } = limits;

  // Try to linearize `op` next. NOT_LINEARIZED: illegal here, or a configuration seen before;
  // PUSHED: done; DEAD: the current configuration cannot lead to a linearization.
  const tryLinearize = (op: number, frame: number, block: number): number => {
    const stepped = model.step(state, inputs[op] as Input, outputs[op]);
    if (!stepped.ok) return NOT_LINEARIZED;
    // An unknown-outcome step that leaves the state unchanged need not be taken: the current
    // configuration, with the operation still available, is at least as good.
    if (frame < 0 && model.equal(stepped.state, state)) return NOT_LINEARIZED;
    // A known-outcome operation that leaves every state unchanged (a read, a failed cas) is a stutter.
    const stutter = frame >= 0 && readOnly[op] === 1;
    const word = op >>> 5;
    const bit = 1 << (op & 31);
    linearized[word] = (linearized[word] as number) | bit;
    const candidateHash = bitsHash ^ (zobrist[op] as number);
    const key = candidateHash ^ Math.imul(model.hash(stepped.state), 0x9e3779b1);
    if (!cache.addIfAbsent(key, linearized, stepped.state)) {
      linearized[word] = (linearized[word] as number) & ~bit;
      // A known-outcome stutter that is a candidate dominates every other choice (it can be moved
      // to the front of any linearization from here), so if its configuration failed, this one does.
      return stutter ? DEAD : NOT_LINEARIZED;
    }
    bitsHash = candidateHash;
    stackEntry[depth] = frame;
    stackBlock[depth] = block;
    stackState[depth] = state;
    stackForced[depth] = stutter ? 1 : 0;
    depth++;
    state = stepped.state;
    return PUSHED;
  };

  // Undo the top frame; @returns it.
  const pop = (): number => {
    depth--;
    const frame = stackEntry[depth] as number;
    state = stackState[depth] as State;
    const op = frame >= 0 ? (entryOp[frame] as number) : (uOp[~frame] as number);
    linearized[op >>> 5] = (linearized[op >>> 5] as number) & ~(1 << (op & 31));
    bitsHash ^= zobrist[op] as number;
    if (frame >= 0) {
      definiteRemaining++;
      unlift(frame);
    } else {
      uUnlift(~frame);
    }
    return frame;
  };

  let entry = next[0] as number; // scanning the main list (when block === -1)
  let block = -1; // the first pending return entry, once the main list's candidates are exhausted
  let u = -1; // scanning the unknown list (when block !== -1)
  let dead = false; // the current configuration is known to fail: backtrack
  while (definiteRemaining > 0) {
    iterations++;
    if (iterations % CLOCK_CHECK_INTERVAL === 0 && clock() > deadlineMs) {
      return { kind: "timeout", iterations, cacheEntries: cache.size };
    }
    if (!dead) {
      if (block === -1) {
        if (match[entry] !== -1) {
          // A known-outcome call before the first pending return: a candidate.
          const tried = tryLinearize(entryOp[entry] as number, entry, -1);
          if (tried === PUSHED) {
            definiteRemaining--;
            lift(entry);
            entry = next[0] as number;
          } else if (tried === DEAD) {
            dead = true;
          } else {
            entry = next[entry] as number;
          }
          continue;
        }
        // The first pending return: now try the unknown-outcome operations invoked before it.
        block = entry;
        u = uNext[0] as number;
        continue;
      }
      if (u !== -1 && (uCall[u] as number) < (entryPosition[block] as number)) {
        const same = uSameBefore[u] as number;
        if (same !== -1 && !isLinearized(uOp[same] as number)) {
          // An identical operation invoked earlier is still available: linearize that one first.
          u = uNext[u] as number;
        } else if (tryLinearize(uOp[u] as number, ~u, block) === PUSHED) {
          uLift(u);
          block = -1;
          entry = next[0] as number;
        } else {
          u = uNext[u] as number;
        }
        continue;
      }
      // Dead end: the operation returning at `block` cannot be linearized after the current
      // prefix. Note the deepest such point as the witness.
      if (depth > bestDepth) {
        bestDepth = depth;
        bestPrefix = Array.from(stackEntry.subarray(0, depth), (frame) => (frame >= 0 ? (entryOp[frame] as number) : (uOp[~frame] as number)));
        bestBlocking = entryOp[block] as number;
      }
    }
    // Backtrack. Popping a forced stutter means the configuration below it failed as well.
    dead = false;
    let frame: number;
    do {
      if (depth === 0) {
        return { kind: "not-linearizable", longestPrefix: bestPrefix, blocking: bestBlocking, iterations, cacheEntries: cache.size };
      }
      frame = pop();
    } while (stackForced[depth] === 1);
    if (frame >= 0) {
      block = -1;
      entry = next[frame] as number;
    } else {
      block = stackBlock[depth] as number;
      u = uNext[~frame] as number;
    }
  }
  const linearization = Array.from(stackEntry.subarray(0, depth), (frame) => (frame >= 0 ? (entryOp[frame] as number) : (uOp[~frame] as number)));
  return { kind: "linearizable", order: linearization, iterations, cacheEntries: cache.size };

  function isLinearized(op: number): boolean {
    return ((linearized[op >>> 5] as number) & (1 << (op & 31))) !== 0;
  }

  // Remove a call entry and its return entry from the main list (O(1); undone by unlift in LIFO order).
  function lift(e: number): void {
    const p = prev[e] as number;
    const q = next[e] as number;
    next[p] = q;
    if (q !== -1) prev[q] = p;
    const m = match[e] as number;
    const mp = prev[m] as number;
    const mq = next[m] as number;
    next[mp] = mq;
    if (mq !== -1) prev[mq] = mp;
  }

  function unlift(e: number): void {
    const m = match[e] as number;
    next[prev[m] as number] = m;
    const mq = next[m] as number;
    if (mq !== -1) prev[mq] = m;
    next[prev[e] as number] = e;
    const q = next[e] as number;
    if (q !== -1) prev[q] = e;
  }

  function uLift(x: number): void {
    const p = uPrev[x] as number;
    const q = uNext[x] as number;
    uNext[p] = q;
    if (q !== -1) uPrev[q] = p;
  }

  function uUnlift(x: number): void {
    uNext[uPrev[x] as number] = x;
    const q = uNext[x] as number;
    if (q !== -1) uPrev[q] = x;
  }
}
