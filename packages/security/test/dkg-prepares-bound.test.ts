import type { ClusterView, NodeId } from "@synod/core";
import { describe, expect, it } from "vitest";
import { preparesBound, type DkgMessage, type DkgNode } from "../src/index.js";

const X = new Uint8Array(32).fill(1);
const Y = new Uint8Array(32).fill(2);
const SIG = new Uint8Array(64);
const view: ClusterView<DkgNode, never, never> = { nowMs: 0, members: ["n1", "n2", "n3", "n4"], nodes: new Map(), history: [], faulty: new Set(["n2"]) };

/** A proposal of view `v` by n2, justified by three view-changes, one of them locked on `locked` (a prepared certificate of view 0) when given. */
function proposal(locked: Uint8Array | undefined, v = 1): DkgMessage {
  const justification = (["n1", "n3", "n4"] as NodeId[]).map((signer, i) => ({
    signer,
    view: v,
    sig: SIG,
    ...(i === 1 && locked !== undefined ? { prepared: { view: 0, digest: locked, votes: [] } } : {}),
  }));
  return { type: "propose", view: v, value: { dealings: [] }, justification };
}

/** The step of a member that answers with a prepare of `digest` in `v`. */
const prepares = (digest: Uint8Array, v = 1) => ({ persist: [], output: [], send: [{ from: "n1", to: "n3", message: { type: "prepare", view: v, digest, sig: SIG } as DkgMessage }] });

describe("PreparesBound", () => {
  it("fails when a correct member prepares another value than the highest prepared certificate of the proposal's justification binds", () => {
    expect(preparesBound().afterStep?.("n1", prepares(Y), view, undefined, 0, proposal(X), "n2")).toMatch(
      /^n1 prepared 020202.* on n2's proposal of view 1, whose justification binds 010101.* \(prepared in view 0\)$/,
    );
  });

  it("holds for the bound value, a free proposal (no certificate, or view 0), no prepare, and a faulty member", () => {
    const check = preparesBound();
    expect(check.afterStep?.("n1", prepares(X), view, undefined, 0, proposal(X), "n2")).toBeUndefined();
    expect(check.afterStep?.("n1", prepares(Y), view, undefined, 0, proposal(undefined), "n2")).toBeUndefined();
    expect(check.afterStep?.("n1", prepares(Y, 0), view, undefined, 0, proposal(X, 0), "n2")).toBeUndefined();
    expect(check.afterStep?.("n1", { persist: [], output: [], send: [] }, view, undefined, 0, proposal(X), "n2")).toBeUndefined();
    expect(check.afterStep?.("n2", prepares(Y), view, undefined, 1, proposal(X), "n1")).toBeUndefined();
  });
});
