import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sanyError } from "../check-model.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const result = (output: string, exitCode: number | null, timedOut = false) => ({ output, exitCode, timedOut, seconds: 1 });

describe("sanyError", () => {
  it("accepts a clean parse", () => {
    expect(sanyError(result(fixture("sany-pass.txt"), 0))).toBeUndefined();
  });

  it("reports a parse error with its location", () => {
    const error = sanyError(result(fixture("sany-parse-error.txt"), 255));
    expect(error).toContain("***Parse Error***");
    expect(error).toContain("line 11, column 1");
  });

  it("reports semantic errors even though SANY exits 0", () => {
    const error = sanyError(result(fixture("sany-semantic-error.txt"), 0));
    expect(error).toContain("Semantic errors");
    expect(error).toContain("Unknown operator: `Undefined'.");
  });

  it("reports a non-zero exit and a timeout", () => {
    expect(sanyError(result("", 1))).toBe("SANY exited with code 1");
    expect(sanyError(result("", null, true))).toBe("SANY did not finish in time");
  });
});
