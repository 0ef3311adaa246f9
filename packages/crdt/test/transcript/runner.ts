import type { NodeId } from "@synod/core";
import { ORSet, Rga, type RgaDelta } from "../../src/index.js";

/** A delta a command produced, kept under its name (`d1`, `d2`…) for `deliver`. */
type NamedDelta = { readonly kind: "set"; readonly delta: ORSet } | { readonly kind: "text"; readonly delta: RgaDelta };

/** One replica: an OR-Set and an RGA text, as in the replica document. */
interface Replica {
  readonly set: ORSet;
  readonly text: Rga;
}

/** A command's handler: its arguments in, its output lines out. */
type Handler = (args: string[]) => string[];

/** `[a, 1]` as `a1`. */
const dot = ([replica, counter]: readonly [NodeId, number]): string => `${replica}${counter}`;

/** The OR-Set of a replica: each element with its dots, then the causal context (version vector + cloud). */
function formatSet(set: ORSet): string {
  const { store, ctx } = set.toWire();
  const elements = store.map(([element, dots]) => `${element}: ${dots.map(dot).join(" ")}`).join(", ");
  const context = [...ctx.vv.map(([r, n]) => (n === 1 ? `${r}1` : `${r}1..${n}`)), ...ctx.cloud.map(dot)].join(" ");
  return `{${elements}} ctx [${context}]`;
}

/** The RGA runs in document order: id, origin (`^` the start), then the text or `×n` for n deleted. */
function formatRuns(delta: RgaDelta): string {
  const inserts = delta.inserts.map(([replica, lamport, origin, content]) => {
    const what = typeof content === "number" ? `×${content}` : JSON.stringify(content);
    return `${replica}${lamport}<${origin === null ? "^" : dot(origin)} ${what}`;
  });
  const deletes = delta.deletes.map(([replica, lamport, length]) => `-${replica}${lamport}${length > 1 ? `+${length}` : ""}`);
  return [...inserts, ...deletes].join(" ");
}

/** A text and its runs: `"hi" = a1<^ "hi"`, or `""` when it has none. */
function formatText(text: Rga): string {
  const runs = formatRuns(text.toDelta());
  return runs === "" ? `""` : `${JSON.stringify(text.toString())} = ${runs}`;
}

/**
 * Runs the CRDT transcripts (`packages/crdt/testdata`): replicas, each holding an OR-Set and an RGA
 * text; local edits return named deltas; deltas and whole states are delivered in the order the
 * transcript says, so concurrent edits, duplicates and reorderings are written out one by one.
 */
export class CrdtTranscriptRunner {
  private readonly replicas = new Map<NodeId, Replica>();
  private readonly deltas = new Map<string, NamedDelta>();

  private readonly handlers: Readonly<Record<string, Handler>> = {
    /**
     * `replicas a b c` — start replicas with empty sets and texts.
     * ```
     * replicas a b
     * ----
     * 2 replicas: a b
     * ```
     */
    replicas: (ids) => {
      for (const id of ids) this.replicas.set(id, { set: ORSet.forReplica(id), text: new Rga(id) });
      return [`${ids.length} replicas: ${ids.join(" ")}`];
    },

    /**
     * `add a milk` — replica a adds an element: a fresh dot, superseding the dots it saw.
     * ```
     * add a milk
     * ----
     * d1 = add milk at a: {milk: a1} ctx [a1]
     * a: {milk: a1} ctx [a1]
     * ```
     */
    add: ([id, element]) => {
      const delta = this.replica(id).set.add(this.arg(element, "element"));
      return [`${this.name({ kind: "set", delta })} = add ${element} at ${id}: ${formatSet(delta)}`, this.describeSet(this.id(id))];
    },

    /**
     * `remove a milk` — replica a removes an element: the delta is only the context of the dots it saw.
     * ```
     * remove a milk
     * ----
     * d2 = remove milk at a: {} ctx [a1]
     * a: {} ctx [a1]
     * ```
     */
    remove: ([id, element]) => {
      const delta = this.replica(id).set.remove(this.arg(element, "element"));
      return [`${this.name({ kind: "set", delta })} = remove ${element} at ${id}: ${formatSet(delta)}`, this.describeSet(this.id(id))];
    },

    /**
     * `insert a 0 hi` — replica a types text before visible position 0 (`_` stands for a space).
     * ```
     * insert a 0 hi
     * ----
     * d3 = insert at a: a1<^ "hi"
     * a: "hi" = a1<^ "hi"
     * ```
     */
    insert: ([id, index, text]) => {
      const delta = this.replica(id).text.insert(this.number(index), this.arg(text, "text").replaceAll("_", " "));
      return [`${this.name({ kind: "text", delta })} = insert at ${id}: ${formatRuns(delta)}`, this.describeText(this.id(id))];
    },

    /**
     * `delete a 1 2` — replica a deletes 2 visible characters from position 1 (default 1 character).
     * ```
     * delete a 1
     * ----
     * d4 = delete at a: -a2
     * a: "h" = a1<^ "h" a2<a1 ×1
     * ```
     */
    delete: ([id, index, count]) => {
      const delta = this.replica(id).text.delete(this.number(index), count === undefined ? 1 : this.number(count));
      return [`${this.name({ kind: "text", delta })} = delete at ${id}: ${formatRuns(delta)}`, this.describeText(this.id(id))];
    },

    /**
     * `deliver b d2 d1` — replica b receives deltas, in that order (again, to see idempotence).
     * An RGA delta that is not causally ready is refused whole, and nothing changes.
     * ```
     * deliver b d1 d3
     * ----
     * b <- d1: {milk: a1} ctx [a1]
     * b <- d3: "hi" = a1<^ "hi"
     * ```
     */
    deliver: ([id, ...names]) =>
      names.map((name) => {
        const named = this.deltas.get(name);
        if (named === undefined) throw new Error(`no delta ${name}`);
        const replica = this.replica(id);
        if (named.kind === "set") {
          replica.set.merge(named.delta);
          return `${id} <- ${name}: ${formatSet(replica.set)}`;
        }
        const applied = replica.text.applyDelta(named.delta);
        if (!applied.ok) return `${id} <- ${name}: refused, unchanged (${applied.error.message})`;
        return `${id} <- ${name}: ${formatText(replica.text)}${applied.value.inserts.length + applied.value.deletes.length === 0 ? " (nothing new)" : ""}`;
      }),

    /**
     * `sync a b` — replica b merges replica a's whole state (set and text): anti-entropy.
     * ```
     * sync a b
     * ----
     * b: {milk: a1} ctx [a1]
     * b: "hi" = a1<^ "hi"
     * ```
     */
    sync: ([from, to]) => {
      const source = this.replica(from);
      const target = this.replica(to);
      target.set.merge(source.set.clone());
      const merged = target.text.merge(source.text);
      if (!merged.ok) throw merged.error;
      return [this.describeSet(this.id(to)), this.describeText(this.id(to))];
    },

    /**
     * `state a` — replica a's set and text.
     * ```
     * state a
     * ----
     * a: {milk: a1} ctx [a1]
     * a: "hi" = a1<^ "hi"
     * ```
     */
    state: ([id]) => [this.describeSet(this.id(id)), this.describeText(this.id(id))],

    /**
     * `converged` — whether every replica holds the same set and text (the first differing pair otherwise).
     * ```
     * converged
     * ----
     * yes: {milk} "hi"
     * ```
     */
    converged: () => {
      const all = [...this.replicas.entries()];
      const [firstId, first] = all[0] ?? [];
      if (first === undefined || firstId === undefined) throw new Error("no replicas");
      for (const [id, replica] of all.slice(1)) {
        if (!replica.set.equals(first.set)) return [`no: sets of ${firstId} and ${id} differ`];
        if (!replica.text.equals(first.text)) return [`no: texts of ${firstId} and ${id} differ`];
      }
      return [`yes: {${first.set.values().join(", ")}} ${JSON.stringify(first.text.toString())}`];
    },
  };

  /** @returns the output of one transcript command */
  run(command: string): string {
    const [verb, ...args] = command.trim().split(/\s+/);
    const handler = verb === undefined ? undefined : this.handlers[verb];
    if (handler === undefined) throw new Error(`unknown command ${verb}; known: ${Object.keys(this.handlers).join(", ")}`);
    return handler(args).join("\n");
  }

  private describeSet(id: string): string {
    return `${id}: ${formatSet(this.replica(id).set)}`;
  }

  private describeText(id: string): string {
    return `${id}: ${formatText(this.replica(id).text)}`;
  }

  private name(delta: NamedDelta): string {
    const name = `d${this.deltas.size + 1}`;
    this.deltas.set(name, delta);
    return name;
  }

  private replica(id: string | undefined): Replica {
    const replica = this.replicas.get(this.id(id));
    if (replica === undefined) throw new Error(`no replica ${id}`);
    return replica;
  }

  private id(id: string | undefined): NodeId {
    return this.arg(id, "replica");
  }

  private arg(value: string | undefined, what: string): string {
    if (value === undefined) throw new Error(`missing ${what}`);
    return value;
  }

  private number(value: string | undefined): number {
    const n = Number(this.arg(value, "number"));
    if (!Number.isSafeInteger(n)) throw new Error(`not a whole number: ${value}`);
    return n;
  }
}
