import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

const METHOD_RULES = [
  "Rules of the method:",
  "- Write the properties first (specs/<protocol>/properties.md): each safety property in words, then as a TLA+ invariant with the SAME name the simulator uses.",
  "- Pipeline: tlaplus_parse → tlaplus_smoke → tlaplus_check. Fix parse errors before simulating; a smoke violation is already a real counterexample.",
  "- A violation is a bug in the protocol (or the spec's model of it) until shown otherwise. NEVER weaken an invariant, shrink a bound or edit the spec just to make a violation go away.",
  "- Record every passing check's figures (distinct states, depth, seconds, the command) in verification_summary.md, with an `expected: MCName.cfg distinct=N depth=D` line.",
  "- Prove the checks can fail: keep a broken copy (one planted bug) that tlaplus_check must catch.",
].join("\n");

function user(text: string) {
  return { messages: [{ role: "user" as const, content: { type: "text" as const, text } }] };
}

/** Register the method's prompts: start a verification, find missing safety mechanisms, analyse a counterexample, scaffold a spec folder. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    "verify_feature",
    {
      title: "Start the verification of a feature",
      description: "Plan and run the TLA+ verification of one protocol feature with synod's tools.",
      argsSchema: { protocol: z.string().describe("e.g. raft"), feature: z.string().describe("e.g. leader leases") },
    },
    ({ protocol, feature }) =>
      user(
        `Verify the feature "${feature}" of synod's ${protocol} protocol.\n` +
          `1. Read the resources synod://packages/${protocol}/README.md and synod://specs/${protocol}/properties.md, and the spec modules under synod://specs/${protocol}/.\n` +
          `2. State which safety properties "${feature}" must preserve or add, in words, then as invariants (names as the simulator's).\n` +
          `3. Extend the spec (or write MC<Name>.tla/.cfg for the feature) and run tlaplus_parse, tlaplus_smoke, tlaplus_check.\n` +
          `4. Run sim_run for ${protocol} with faults "all" to check the implementation against the same invariant names.\n` +
          `5. Report what was checked, the figures, and what is out of the model's reach.\n\n${METHOD_RULES}`,
      ),
  );
  server.registerPrompt(
    "discover_missing_safety",
    {
      title: "Discover missing safety mechanisms",
      description: "Look for failure modes a protocol's spec and code do not guard against.",
      argsSchema: { protocol: z.string() },
    },
    ({ protocol }) =>
      user(
        `Find safety mechanisms synod's ${protocol} may be missing.\n` +
          `1. From the spec (synod://specs/${protocol}/) and the README, list every fault the model includes (crash, loss, duplication, reordering, partition, Byzantine) and every one it leaves out.\n` +
          `2. For each left out, say what could go wrong, then add it to a copy of the model and run tlaplus_smoke and tlaplus_check on that copy.\n` +
          `3. For each counterexample, decide: a real gap in the protocol (describe the mechanism that closes it, e.g. a durability rule, a term check, a quorum intersection), or a modelling mistake (say which).\n` +
          `4. For each real gap, plan a simulator fault or invariant (sim_run) that finds it in the implementation.\n\n${METHOD_RULES}`,
      ),
  );
  server.registerPrompt(
    "analyse_counterexample",
    {
      title: "Analyse a counterexample",
      description: "Explain a TLC counterexample step by step and locate the cause.",
      argsSchema: { spec: z.string().describe("the spec path, e.g. specs/raft/MCRaft.cfg"), property: z.string().describe("the violated property"), trace: z.string().optional().describe("the counterexample (tlaplus_check's states), if already at hand") },
    },
    ({ spec, property, trace }) =>
      user(
        `Analyse the violation of ${property} in ${spec}.\n` +
          (trace ? `The counterexample:\n${trace}\n` : `Run tlaplus_check on ${spec} to get the counterexample (its states list only the changed variables).\n`) +
          `1. Retell the trace as a story: who acted, what each action changed, which state first breaks ${property}.\n` +
          `2. Find the smallest step whose guard or effect is wrong, and quote the spec lines (the states carry locations).\n` +
          `3. Say whether the implementation has the same flaw: find the code of that rule and, if useful, reproduce with sim_run / sim_replay.\n` +
          `4. Propose a fix to the protocol, then re-run tlaplus_check. Do not weaken ${property}.\n\n${METHOD_RULES}`,
      ),
  );
  server.registerPrompt(
    "scaffold_spec",
    {
      title: "Scaffold a new spec folder",
      description: "The method's artifacts for a new protocol: properties.md, the module and model pair, verification_summary.md.",
      argsSchema: { protocol: z.string().regex(/^[a-z0-9-]+$/), module: z.string().regex(/^[A-Z][A-Za-z0-9]*$/).describe("e.g. Gossip") },
    },
    ({ protocol, module }) =>
      user(
        `Create specs/${protocol}/ with these files, then fill them in and run the pipeline.\n\n` +
          `specs/${protocol}/properties.md\n\`\`\`markdown\n# ${module}: properties\n| property | kind | meaning | simulator invariant |\n|---|---|---|---|\n| TypeOK | invariant | every variable has its type | — |\n\`\`\`\n\n` +
          `specs/${protocol}/${module}.tla\n\`\`\`tla\n---- MODULE ${module} ----\nEXTENDS Naturals, FiniteSets, Sequences, TLC\nCONSTANTS Nodes\nVARIABLES state\nvars == <<state>>\nTypeOK == state \\in [Nodes -> Nat]\nInit == state = [n \\in Nodes |-> 0]\nNext == \\E n \\in Nodes : state' = [state EXCEPT ![n] = @ + 1]\nSpec == Init /\\ [][Next]_vars\n====\n\`\`\`\n\n` +
          `specs/${protocol}/MC${module}.tla\n\`\`\`tla\n---- MODULE MC${module} ----\nEXTENDS ${module}\nMCNodes == {"n1", "n2", "n3"}\nMCBound == \\A n \\in Nodes : state[n] <= 3\n====\n\`\`\`\n\n` +
          `specs/${protocol}/MC${module}.cfg\n\`\`\`\nCONSTANTS Nodes <- MCNodes\nSPECIFICATION Spec\nCONSTRAINT MCBound\nINVARIANT TypeOK\n\`\`\`\n\n` +
          `specs/${protocol}/verification_summary.md\n\`\`\`markdown\n# ${module}: verification summary\n| model | distinct states | depth | seconds | command |\n|---|---|---|---|---|\n\nexpected: MC${module}.cfg distinct=<from tlaplus_check> depth=<from tlaplus_check>\n\`\`\`\n\n${METHOD_RULES}`,
      ),
  );
}
