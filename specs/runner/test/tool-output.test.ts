import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseToolOutput, TLC_CODE } from "../tool-output.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("parseToolOutput", () => {
  it("splits tagged messages and keeps untagged SANY lines", () => {
    const messages = parseToolOutput(fixture("tlc-pass.txt"));
    expect(messages[0]).toEqual({ code: TLC_CODE.version, severity: 0, text: "TLC2 Version 2.18 of 20 March 2023 (rev: 3ea3222)" });
    const loose = messages.find((m) => m.code === -1);
    expect(loose?.text).toContain("Parsing file");
    expect(messages.filter((m) => m.code === TLC_CODE.stateCounts).map((m) => m.text)).toEqual([
      "19083 states generated, 1365 distinct states found, 0 states left on queue.",
    ]);
  });

  it("reads a message's severity and a multi-line body", () => {
    const messages = parseToolOutput(fixture("tlc-invariant-violation.txt"));
    const states = messages.filter((m) => m.code === TLC_CODE.traceState);
    expect(states).toHaveLength(4);
    expect(states[0]?.severity).toBe(4);
    expect(states[1]?.text.split("\n")[0]).toBe("2: <Request line 98, col 5 to line 104, col 28 of module Broadcast>");
    expect(messages.find((m) => m.code === TLC_CODE.invariantViolated)).toEqual({
      code: 2110, severity: 1, text: "Invariant NoDuplication is violated.",
    });
  });

  it("keeps an unterminated message (TLC killed mid-write)", () => {
    const messages = parseToolOutput("@!@!@STARTMSG 2200:0 @!@!@\nProgress(3) at …");
    expect(messages).toEqual([{ code: 2200, severity: 0, text: "Progress(3) at …" }]);
  });

  it("returns nothing for empty output", () => {
    expect(parseToolOutput("")).toEqual([]);
  });
});
