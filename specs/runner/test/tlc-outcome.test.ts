import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nameTemporalViolation, readTlcOutcome } from "../tlc-outcome.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("readTlcOutcome", () => {
  it("reads the counts and depth of a passing full check", () => {
    const outcome = readTlcOutcome(fixture("tlc-pass.txt"), 0);
    expect(outcome).toMatchObject({ status: "ok", statesGenerated: 19083, distinctStates: 1365, depth: 14 });
    expect(outcome.version).toContain("2.18");
    expect(outcome.violation).toBeUndefined();
  });

  it("reads an invariant violation, its name and its trace", () => {
    const outcome = readTlcOutcome(fixture("tlc-invariant-violation.txt"), 12);
    expect(outcome.status).toBe("violation");
    expect(outcome.violation?.kind).toBe("invariant");
    expect(outcome.violation?.property).toBe("NoDuplication");
    expect(outcome.violation?.trace.map((s) => s.action)).toEqual(["Initial predicate", "Request", "CrashRecover", "Request"]);
    expect(outcome.distinctStates).toBe(37);
  });

  it("reads a violation found by simulation, with multi-line values", () => {
    const outcome = readTlcOutcome(fixture("tlc-simulate-violation.txt"), 12);
    expect(outcome.violation?.property).toBe("NoDuplication");
    const last = outcome.violation?.trace.at(-1);
    expect(last?.action).toBe("Request");
    expect(last?.variables.get("network")).toBe(
      '{ [type |-> "msg", from |-> n2, to |-> n1, id |-> <<n2, 1>>, value |-> v1], ' +
        '[type |-> "msg", from |-> n2, to |-> n1, id |-> <<n2, 1>>, value |-> v2], ' +
        '[type |-> "msg", from |-> n2, to |-> n1, id |-> <<n2, 2>>, value |-> v1] }',
    );
  });

  it("reads a simulation that found nothing: generated states only", () => {
    const outcome = readTlcOutcome(fixture("tlc-simulate-pass.txt"), 0);
    expect(outcome).toMatchObject({ status: "ok", statesGenerated: 18102 });
    expect(outcome.distinctStates).toBeUndefined();
  });

  it("reports a parse failure as an error, never as ok", () => {
    const outcome = readTlcOutcome(fixture("tlc-parse-error.txt"), 150);
    expect(outcome.status).toBe("error");
    expect(outcome.errors.join("\n")).toContain("TLC exited with code 150");
    expect(outcome.errors.join("\n")).toContain("Parsing or semantic analysis failed.");
  });

  it("does not call a passing-looking output ok when TLC exited non-zero or was killed", () => {
    expect(readTlcOutcome(fixture("tlc-pass.txt"), 1).status).toBe("error");
    expect(readTlcOutcome(fixture("tlc-pass.txt"), null).errors[0]).toContain("stopped");
  });

  it("infers the violation kind from the exit code when the message is missing", () => {
    const outcome = readTlcOutcome("", 11);
    expect(outcome.status).toBe("violation");
    expect(outcome.violation?.kind).toBe("deadlock");
  });
});

describe("readTlcOutcome on a liveness counterexample", () => {
  it("reads TLC 2.20's lasso, '3: Back to state: <Reset …>', as a last step that returns to state 1", () => {
    const outcome = readTlcOutcome(fixture("tlc-liveness-lasso.txt"), 13);
    expect(outcome.violation?.kind).toBe("temporal");
    const trace = outcome.violation?.trace ?? [];
    expect(trace.map((s) => s.action)).toEqual(["Initial predicate", "Inc", "Inc", "Reset back to state 1 (the behaviour loops forever)"]);
    expect(trace[3]?.location).toBe("line 6, col 10 to line 6, col 24 of module L");
    expect(trace[3]?.variables.get("x")).toBe("0");
    expect(outcome.version).toContain("TLC2 Version 2.20");
  });

  it("names the temporal property when the cfg checks exactly one, and lists the candidates otherwise", () => {
    const violation = readTlcOutcome(fixture("tlc-liveness-lasso.txt"), 13).violation;
    if (!violation) throw new Error("no violation read");
    expect(nameTemporalViolation(violation, ["ReachesThree"]).property).toBe("ReachesThree");
    const two = nameTemporalViolation(violation, ["A", "B"]);
    expect(two.property).toBeUndefined();
    expect(two.message).toContain("one of A, B");
  });
});

describe("readTlcOutcome on a false constant-level invariant", () => {
  it("is a violation of that invariant (TLC reports it as message 2230 and exit 151, not as an error)", () => {
    const outcome = readTlcOutcome(fixture("tlc-constant-invariant.txt"), 151);
    expect(outcome.status).toBe("violation");
    expect(outcome.violation).toMatchObject({ kind: "invariant", property: "ConstInv" });
  });
});

describe("readTlcOutcome on the captured liveness violation", () => {
  it("reads the temporal violation and ends the trace with the stuttering step", () => {
    const outcome = readTlcOutcome(fixture("tlc-liveness-violation.txt"), 13);
    expect(outcome.status).toBe("violation");
    expect(outcome.violation?.kind).toBe("temporal");
    expect(outcome.violation?.message).toBe("Temporal properties were violated.");
    expect(outcome.violation?.trace.map((s) => s.action)).toEqual(["Initial predicate", "Request", "DropSome", "CrashRecover", "Stuttering"]);
  });
});
