import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");
const IMPURE = /from\s+["']node:|require\(|\bDate\.now\b|\bMath\.random\b|\bsetTimeout\b|\bsetInterval\b|\bperformance\.now\b|\bprocess\.|\bBuffer\b/;

describe("purity: only src/node.ts may touch node: modules, clocks or global randomness", () => {
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && f !== "node.ts");

  it.each(files)("%s is pure", (file) => {
    const code = readFileSync(join(SRC, file), "utf8")
      .split("\n")
      .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)) // ignore comments
      .join("\n");
    expect(code).not.toMatch(IMPURE);
    expect(code).not.toMatch(/from\s+["']\.\/node\.js["']/); // nothing pure imports the node provider
  });

  it("the node provider does use node:crypto (the check above is not vacuous)", () => {
    expect(readFileSync(join(SRC, "node.ts"), "utf8")).toMatch(IMPURE);
  });
});
