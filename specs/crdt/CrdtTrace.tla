------------------------------ MODULE CrdtTrace ------------------------------
(***************************************************************************)
(* Trace validation of simulated runs of @synod/crdt's replica node        *)
(* against DeltaAntiEntropy.tla, in the style of RaftTrace.tla (Cirstea,   *)
(* Kuppe, Merz et al., "Validating Traces of Distributed Programs Against *)
(* TLA+ Specifications").                                                  *)
(*                                                                         *)
(* The implementation's run is recorded as a sequence of spec-level events *)
(* (packages/crdt/src/spec-trace.ts; `pnpm specs validate crdt`).          *)
(* CrdtTraceData.tla, generated from that trace, defines TraceLog (the     *)
(* events), TraceReplica, TraceElem and TraceMaxOps. Each line l must be   *)
(* matched by ONE step of the spec's action the line names (Increment(i),  *)
(* Add(i, e), SendDelta(i, j), ReceiveDelta(m), ...) whose message sent    *)
(* equals the one the implementation sent (delta groups compared in full), *)
(* after which the network holds the delivered message again exactly when *)
(* the line says another copy of it arrives later (`keep`, the spec's own  *)
(* choice), and after which replica i's delivered updates, counter,       *)
(* OR-Set store and context, last dot, buffer length and acknowledgements *)
(* equal the implementation's (field `post`). Every line must be an action *)
(* of DeltaAntiEntropy.tla: the ack that covers the receiver, once the one *)
(* implementation step the spec lacked, is its ReceiveAckCovering now.     *)
(*                                                                         *)
(* The trace is accepted when a behaviour matches every line: the          *)
(* POSTCONDITION TraceAccepted requires the longest behaviour to have      *)
(* Len(TraceLog) + 1 states; when it is false, the depth TLC reports is    *)
(* the first line no step explains. The spec's invariants are checked on   *)
(* every state of the trace too (CrdtTrace.cfg).                           *)
(***************************************************************************)
EXTENDS DeltaAntiEntropy, CrdtTraceData, TLC

VARIABLE l                 \* the next trace line to match (1-based)
traceVars == <<vars, l>>

-----------------------------------------------------------------------------
(* Reading the trace's values (sequences stand for sets; a causal context  *)
(* is a version vector plus a cloud of dots).                              *)

Has(e, f) == f \in DOMAIN e
ToSet(s) == {s[k] : k \in DOMAIN s}
DotsOf(w) == UNION {{<<x[1], k>> : k \in 1..x[2]} : x \in ToSet(w.vv)} \cup ToSet(w.cloud)
CntOf(c) == [r \in Replica |-> c[r]]
GroupOf(g) == Group(DotsOf(g.dots), CntOf(g.cnt), ToSet(g.store), ToSet(g.ctx))

\* Validated runs have no crashes (the recorder refuses them), so every message is of session 0;
\* with Corruption = FALSE (CrdtTrace.cfg) the spec's `full` flag is FALSE on every delta.
DeltaMsg(e, from, to) == [type |-> "delta", from |-> from, to |-> to, sess |-> 0, seq |-> e.m.seq, full |-> FALSE, group |-> GroupOf(e.m.group)]
AckMsg(e, from, to) == [type |-> "ack", from |-> from, to |-> to, sess |-> 0, seq |-> e.m.seq]

\* The delivered message m stays in the network iff the line says it is delivered again.
Kept(e, m) == IF e.keep THEN msgs ELSE msgs \ {m}

StepOf(e) ==
    CASE e.e = "Increment"    -> Increment(e.i)
      [] e.e = "Add"          -> Add(e.i, e.elem)
      [] e.e = "Remove"       -> Remove(e.i, e.elem)
      [] e.e = "SendDelta"    -> SendDelta(e.i, e.j) /\ msgs' = msgs \cup {DeltaMsg(e, e.i, e.j)}
      [] e.e = "SendFull"     -> SendFull(e.i, e.j) /\ msgs' = msgs \cup {DeltaMsg(e, e.i, e.j)}
      [] e.e = "ReceiveDelta" -> LET m == DeltaMsg(e, e.j, e.i)
                                 IN  ReceiveDelta(m)
                                     /\ msgs' = Kept(e, m) \cup {[type |-> "ack", from |-> e.i, to |-> e.j, sess |-> 0, seq |-> m.seq]}
      [] e.e = "ReceiveAck"   -> ReceiveAck(AckMsg(e, e.j, e.i)) /\ msgs' = Kept(e, AckMsg(e, e.j, e.i))
      [] e.e = "ReceiveAckCovering" ->
                                 /\ ReceiveAckCovering(AckMsg(e, e.j, e.i), DotsOf(e.seen))
                                 /\ msgs' = Kept(e, AckMsg(e, e.j, e.i))
      [] e.e = "Noop"         -> UNCHANGED vars
      [] OTHER                -> FALSE

\* After the line, replica e.i is in the state the implementation reported.
PostMatches(e) ==
    Has(e, "post") =>
      LET p == e.post
          i == e.i
      IN /\ seen'[i] = DotsOf(p.seen)
         /\ cnt'[i] = CntOf(p.cnt)
         /\ store'[i] = ToSet(p.store)
         /\ ctx'[i] = ToSet(p.ctx)
         /\ nops'[i] = p.nops
         /\ Len(buf'[i]) = p.buf
         /\ \A j \in Replica \ {i} : ack'[i][j] = p.ack[j]

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
