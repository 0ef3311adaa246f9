----------------------------- MODULE SwimTrace -----------------------------
(***************************************************************************)
(* Trace validation of simulated runs of @synod/gossip (SWIM) against      *)
(* Swim.tla, in the style of RaftTrace.tla and PBFTTrace.tla (Cirstea,     *)
(* Kuppe, Merz et al., "Validating Traces of Distributed Programs Against  *)
(* TLA+ Specifications").                                                  *)
(*                                                                         *)
(* The implementation's run is recorded as a sequence of spec-level events *)
(* (packages/gossip/src/simulation/spec-trace.ts; `pnpm specs validate     *)
(* gossip`). SwimTraceData.tla, generated from that trace, defines         *)
(* TraceLog (the events), TraceMembers and TraceMaxInc (the highest        *)
(* incarnation the trace reaches). Each line l must be matched by ONE step *)
(* of the Swim.tla action it names: Suspect(i, m), Timeout(i, m),          *)
(* Hear(i, m, c) for SOME claim c about m made before (the line gives the  *)
(* entry i holds after it, not the claim), a refutation Hear(i, i, c)     *)
(* reaching incarnation e.inc, Crash(i), Restart(i). After every line, the *)
(* entry it names is the one i holds; after a line that carries `post`, i's *)
(* whole view of the others and its incarnation equal the implementation's. *)
(*                                                                         *)
(* The trace is accepted when a behaviour matches every line: the          *)
(* POSTCONDITION TraceAccepted requires the longest behaviour to have      *)
(* Len(TraceLog) + 1 states; when it is false, the depth TLC reports is    *)
(* the first line no step explains. The spec's invariants and action       *)
(* properties are checked on every step of the trace too (SwimTrace.cfg).  *)
(***************************************************************************)
EXTENDS Swim, SwimTraceData, TLC, Sequences

VARIABLE l                 \* the next trace line to match (1-based)
traceVars == <<vars, l>>

Has(e, f) == f \in DOMAIN e
EntryOf(e) == [st |-> e.st, inc |-> e.inc]

StepOf(e) ==
    CASE e.e = "Suspect" -> Suspect(e.i, e.m) /\ view'[e.i][e.m] = EntryOf(e)
      [] e.e = "Timeout" -> Timeout(e.i, e.m) /\ view'[e.i][e.m] = EntryOf(e)
      [] e.e = "Hear"    -> /\ e.m # e.i
                            /\ \E c \in claims[e.m] : Hear(e.i, e.m, c)
                            /\ view'[e.i][e.m] = EntryOf(e)
      [] e.e = "Refute"  -> /\ \E c \in claims[e.i] : Hear(e.i, e.i, c)
                            /\ inc'[e.i] = e.inc
      [] e.e = "Crash"   -> Crash(e.i)
      [] e.e = "Restart" -> Restart(e.i) /\ inc'[e.i] = e.inc
      [] e.e = "Noop"    -> UNCHANGED vars
      [] OTHER           -> FALSE

\* After the line, member e.i is in the state the implementation reported.
PostMatches(e) ==
    Has(e, "post") =>
      /\ inc'[e.i] = e.post.inc
      /\ \A m \in Members \ {e.i} : view'[e.i][m] = e.post.view[m]

TraceInit == Init /\ l = 1

TraceNext ==
    /\ l <= Len(TraceLog)
    /\ StepOf(TraceLog[l])
    /\ PostMatches(TraceLog[l])
    /\ l' = l + 1

TraceSpec == TraceInit /\ [][TraceNext]_traceVars

\* Every line was matched: the longest behaviour has Len(TraceLog) + 1 states.
TraceAccepted == TLCGet("stats").diameter = Len(TraceLog) + 1
=============================================================================
