import { HistoryFormatError } from "../errors.js";
import { printable } from "../printable.js";

/** A scalar EDN value as found in Jepsen history maps. `{ keyword }` marks a keyword such as `:ok`. */
export type EdnScalar = string | number | boolean | null | { readonly keyword: string } | readonly EdnScalar[];

/** Deepest vector nesting accepted (Jepsen values are flat). */
const MAX_VECTOR_DEPTH = 8;

/**
 * Parse one line holding a flat EDN map with keyword keys, e.g.
 * `{:process 9, :type :invoke, :f :get, :key "0", :value nil}`. Values may be strings, integers,
 * nil, true/false, keywords, or vectors of those.
 * @param text - the line
 * @param line - its 1-based number, for errors
 * @returns the map, keyed by keyword name without the colon
 * @throws {HistoryFormatError} on any syntax error, naming the line and column
 */
export function parseEdnMapLine(text: string, line: number): Map<string, EdnScalar> {
  let pos = 0;
  const fail = (message: string): never => {
    throw new HistoryFormatError(`${message} at column ${pos + 1}: "${printable(text)}"`, { line });
  };
  const skipSpace = (): void => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "," || text[pos] === "\t")) pos++;
  };
  const readToken = (): string => {
    const start = pos;
    while (pos < text.length && !" ,\t{}[]\"".includes(text[pos] as string)) pos++;
    return text.slice(start, pos);
  };
  const readValue = (depth: number): EdnScalar => {
    skipSpace();
    const c = text[pos];
    if (c === undefined) return fail("unexpected end of line");
    if (c === '"') {
      pos++;
      let out = "";
      for (;;) {
        const ch = text[pos];
        if (ch === undefined) return fail("unterminated string");
        pos++;
        if (ch === '"') return out;
        if (ch === "\\") {
          const esc = text[pos];
          pos++;
          if (esc === "n") out += "\n";
          else if (esc === "t") out += "\t";
          else if (esc === "r") out += "\r";
          else if (esc === '"' || esc === "\\") out += esc;
          else return fail(`unsupported escape \\${esc ?? ""}`);
        } else out += ch;
      }
    }
    if (c === "[") {
      if (depth >= MAX_VECTOR_DEPTH) return fail("vectors nested too deep");
      pos++;
      const items: EdnScalar[] = [];
      for (;;) {
        skipSpace();
        if (text[pos] === "]") {
          pos++;
          return items;
        }
        items.push(readValue(depth + 1));
      }
    }
    if (c === ":") {
      pos++;
      const name = readToken();
      if (name === "") return fail("empty keyword");
      return { keyword: name };
    }
    const token = readToken();
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    if (/^-?\d+$/.test(token)) {
      const value = Number(token);
      if (!Number.isSafeInteger(value)) return fail(`integer ${token} out of range`);
      return value;
    }
    return fail(token === "" ? `unexpected ${JSON.stringify(c)}` : `unsupported value ${JSON.stringify(token)}`);
  };

  skipSpace();
  if (text[pos] !== "{") fail("expected an EDN map starting with {");
  pos++;
  const map = new Map<string, EdnScalar>();
  for (;;) {
    skipSpace();
    if (text[pos] === "}") {
      pos++;
      break;
    }
    if (text[pos] !== ":") fail("expected a keyword key (like :type)");
    pos++;
    const key = readToken();
    if (key === "") fail("empty keyword");
    if (map.has(key)) fail(`duplicate key :${key}`);
    map.set(key, readValue(0));
  }
  skipSpace();
  if (pos !== text.length) fail("unexpected text after the map");
  return map;
}
