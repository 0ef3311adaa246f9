/**
 * The README's code is a program that runs: its first ```ts block is a copy of
 * examples/in-memory/src/signed-envelope-basics.ts, and that file runs (every name defined, every
 * Result checked, the envelope through the exported codec).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const exampleUrl = new URL("../../../examples/in-memory/src/signed-envelope-basics.ts", import.meta.url);

afterEach(() => vi.restoreAllMocks());

describe("the security README's snippet", () => {
  it("is a copy of examples/in-memory/src/signed-envelope-basics.ts", () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(exampleUrl, "utf8"));
  });

  it("runs: n1's envelope goes through the codec and is opened", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await import(exampleUrl.href);
    expect(log.mock.calls).toEqual([["n1 says hello"]]);
  });
});
