import type { NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";
import { checkMembers, checkObject, checkSize } from "./members.js";
import type { QuorumSystem, VoteResult } from "./quorum-system.js";

/** Options of {@link grid}. */
export interface GridOptions {
  /** Number of rows, >= 1. */
  readonly rows: number;
  /** Number of columns, >= 1; rows × columns must equal the number of voters. */
  readonly columns: number;
}

/**
 * Grid quorums (Cheung, Ammar, Ahamad 1990): voters laid out row-major on a rows × columns grid; a
 * quorum is one complete row plus one complete column (rows + columns − 1 voters). Any two quorums
 * meet where one's row crosses the other's column. Quorums grow like 2√n instead of n/2, which spreads
 * load, at the price of tolerating only min(rows, columns) − 1 crashes.
 */
export interface GridQuorumSystem extends QuorumSystem {
  readonly kind: "grid";
  readonly rows: number;
  readonly columns: number;
  /** @returns the voter at (row, column), 0-based */
  cell(row: number, column: number): NodeId;
}

const GRANTED = 1;
const REJECTED = 2;

class GridQuorum implements GridQuorumSystem {
  readonly kind = "grid";
  readonly voters: readonly NodeId[];
  readonly rows: number;
  readonly columns: number;
  private readonly values: Float64Array;
  private readonly states: Uint8Array;

  constructor(voters: readonly NodeId[], rows: number, columns: number) {
    this.voters = voters;
    this.rows = rows;
    this.columns = columns;
    this.values = new Float64Array(voters.length);
    this.states = new Uint8Array(voters.length);
  }

  cell(row: number, column: number): NodeId {
    if (!(row >= 0 && row < this.rows && column >= 0 && column < this.columns && Number.isInteger(row) && Number.isInteger(column))) {
      throw new QuorumConfigError("cell", "invalid-size", `(${row}, ${column}) is outside the ${this.rows}×${this.columns} grid`);
    }
    return this.voters[row * this.columns + column]!;
  }

  isQuorum(members: ReadonlySet<NodeId>): boolean {
    const states = this.states;
    for (let i = 0; i < this.voters.length; i++) states[i] = members.has(this.voters[i]!) ? GRANTED : 0;
    return this.hasFullRow(GRANTED, true) && this.hasFullColumn(GRANTED, true);
  }

  committedIndex(acked: (id: NodeId) => number | undefined): number {
    // {acked >= v} holds a full row iff v <= max over rows of the row's minimum; same for columns.
    const values = this.values;
    for (let i = 0; i < this.voters.length; i++) values[i] = acked(this.voters[i]!) ?? 0;
    let bestRow = 0;
    for (let r = 0; r < this.rows; r++) {
      let least = Infinity;
      for (let c = 0; c < this.columns; c++) least = Math.min(least, values[r * this.columns + c]!);
      bestRow = Math.max(bestRow, least);
    }
    let bestColumn = 0;
    for (let c = 0; c < this.columns; c++) {
      let least = Infinity;
      for (let r = 0; r < this.rows; r++) least = Math.min(least, values[r * this.columns + c]!);
      bestColumn = Math.max(bestColumn, least);
    }
    return Math.min(bestRow, bestColumn);
  }

  voteResult(votes: (id: NodeId) => boolean | undefined): VoteResult {
    const states = this.states;
    for (let i = 0; i < this.voters.length; i++) {
      const vote = votes(this.voters[i]!);
      states[i] = vote === true ? GRANTED : vote === false ? REJECTED : 0;
    }
    if (this.hasFullRow(GRANTED, true) && this.hasFullColumn(GRANTED, true)) return "won";
    if (!this.hasFullRow(REJECTED, false) || !this.hasFullColumn(REJECTED, false)) return "lost";
    return "pending";
  }

  /**
   * Whether some row is full, reading `states`: with `equal`, every cell must hold `state`;
   * without, no cell may hold it. No closures: this runs on the vote-counting path.
   */
  private hasFullRow(state: number, equal: boolean): boolean {
    const states = this.states;
    for (let r = 0; r < this.rows; r++) {
      let full = true;
      for (let c = 0; c < this.columns && full; c++) full = (states[r * this.columns + c] === state) === equal;
      if (full) return true;
    }
    return false;
  }

  /** Column twin of {@link hasFullRow}. */
  private hasFullColumn(state: number, equal: boolean): boolean {
    const states = this.states;
    for (let c = 0; c < this.columns; c++) {
      let full = true;
      for (let r = 0; r < this.rows && full; r++) full = (states[r * this.columns + c] === state) === equal;
      if (full) return true;
    }
    return false;
  }
}

/**
 * Builds a grid quorum system.
 * @param voters - exactly rows × columns ids, laid out row-major
 * @param options - the grid's shape
 * @returns the system (kind "grid")
 * @throws {QuorumConfigError} on bad voters; `invalid-size` when rows or columns is not a positive
 *   integer or rows × columns differs from the number of voters
 * @example
 * const q = grid(["a", "b", "c", "d", "e", "f"], { rows: 2, columns: 3 });
 * q.isQuorum(new Set(["a", "b", "c", "d"])); // true: row 0 plus column 0
 */
export function grid(voters: readonly NodeId[], options: GridOptions): GridQuorumSystem {
  const members = checkMembers("voters", voters);
  const rows = checkSize("rows", checkObject("options", options).rows, 1, members.length, "rows");
  const columns = checkSize("columns", options.columns, 1, members.length, "columns");
  if (rows * columns !== members.length) {
    throw new QuorumConfigError(
      "voters",
      "invalid-size",
      `a ${rows}×${columns} grid needs exactly ${rows * columns} voters, got ${members.length}`,
      { rows, columns, voterCount: members.length },
    );
  }
  return new GridQuorum(members, rows, columns);
}
