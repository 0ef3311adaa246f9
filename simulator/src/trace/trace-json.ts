/**
 * JSON for trace lines and reports: like `JSON.stringify`, but byte arrays become `{"$bytes":"hex"}`,
 * bigints become strings, Maps and Sets become arrays, so any plain protocol message prints.
 * @param value - anything
 * @returns one line of JSON
 */
export function traceJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex") };
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Map) return [...v.entries()];
    if (v instanceof Set) return [...v.values()];
    return v;
  });
}
