import { describe, expect, it } from "vitest";
import { createIdentity, deriveNodeId, seededRandomBytes } from "../src/index.js";
import { PROVIDERS } from "./helpers.js";

describe.each(PROVIDERS)("identities: %s", (_name, provider) => {
  it("derives a self-certifying node id bound to the public key", () => {
    const random = seededRandomBytes(5);
    const a = createIdentity(provider, "a", random);
    const b = createIdentity(provider, "b", random);
    const id = deriveNodeId(provider, a.publicKey);
    expect(id).toMatch(/^k[0-9a-f]{40}$/);
    expect(deriveNodeId(provider, a.publicKey)).toBe(id);
    expect(deriveNodeId(provider, b.publicKey)).not.toBe(id);
  });
  it("rejects invalid node ids with a ConfigError", () => {
    expect(() => createIdentity(provider, "", seededRandomBytes(1))).toThrow(expect.objectContaining({ code: "config" }));
    expect(() => createIdentity(provider, "x".repeat(65), seededRandomBytes(1))).toThrow(expect.objectContaining({ code: "config" }));
  });
});
