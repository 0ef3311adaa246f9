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
(* equal the implementation's (field `post`: with its incarnation,          *)
(* read-only flag, the peers whose full state it waits for, the peers that *)
(* nacked it and its pending alarm). Every line must be an action of       *)
(* DeltaAntiEntropy.tla: the ack that covers the receiver, once the one    *)
(* implementation step the spec lacked, is its ReceiveAckCovering now.     *)
(*                                                                         *)
(* Crashes, torn writes and corrupted storage are validated too (the spec  *)
(* with Crashes and Corruption, CrdtTrace.cfg). A restart line names       *)
(* whether the replica found corrupted records; the spec's durable log is  *)
(* not read from the implementation, so TLC picks the readable prefix      *)
(* (RestartCorrupted's k) and the post-state must match its join. A        *)
(* compaction line is Compact(i) while corrupted records are kept, else a  *)
(* step that changes no variable (the spec compacts only a corrupted log:  *)
(* its log keeps the records a clean checkpoint replaced, which recover    *)
(* the same states). Nacks are SendNack, ReceiveNack and                   *)
(* ReceiveDeltaRefused.                                                    *)
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

\* A message's session is the sender's incarnation (the recorder numbers the implementation's
\* random session ids 0, 1, 2, ... per replica); with Corruption = TRUE a full state says so.
DeltaMsg(e, from, to) == [type |-> "delta", from |-> from, to |-> to, sess |-> e.m.sess, seq |-> e.m.seq, full |-> e.m.full, group |-> GroupOf(e.m.group)]
AckMsg(e, from, to) == [type |-> "ack", from |-> from, to |-> to, sess |-> e.m.sess, seq |-> e.m.seq]
NackMsg(from, to) == [type |-> "nack", from |-> from, to |-> to]

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
                                     /\ msgs' = Kept(e, m) \cup {[type |-> "ack", from |-> e.i, to |-> e.j, sess |-> m.sess, seq |-> m.seq]}
      [] e.e = "ReceiveDeltaRefused" -> LET m == DeltaMsg(e, e.j, e.i)
                                 IN  ReceiveDeltaRefused(m) /\ msgs' = Kept(e, m) \cup {NackMsg(e.i, e.j)}
      [] e.e = "ReceiveAck"   -> ReceiveAck(AckMsg(e, e.j, e.i)) /\ msgs' = Kept(e, AckMsg(e, e.j, e.i))
      [] e.e = "ReceiveAckCovering" ->
                                 /\ ReceiveAckCovering(AckMsg(e, e.j, e.i), DotsOf(e.seen))
                                 /\ msgs' = Kept(e, AckMsg(e, e.j, e.i))
      [] e.e = "SendNack"     -> SendNack(e.i, e.j)
      [] e.e = "ReceiveNack"  -> ReceiveNack(NackMsg(e.j, e.i)) /\ msgs' = Kept(e, NackMsg(e.j, e.i))
      \* The implementation found corrupted records (a corrupted frame stays on disk until a
      \* checkpoint replaces the log, so later restarts find it again) or none (then the spec's
      \* log has none either).
      [] e.e = "Restart"      -> IF e.corrupted
                                 THEN \/ bad[e.i] /\ Restart(e.i)
                                      \/ \E k \in 0..Len(log[e.i]) : RestartCorrupted(e.i, k)
                                 ELSE ~bad[e.i] /\ Restart(e.i)
      [] e.e = "Compact"      -> \/ Compact(e.i)
                                 \/ ~bad[e.i] /\ UNCHANGED vars
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
         \* The implementation's last dot is the highest own dot its document holds (`nextDot`): a
         \* replica that lost records learns its lost dots again from peers' states. The spec's nops
         \* is read from the recovered records only (Recover) and is never read again once the
         \* replica is read-only (no local update), so there the implementation's may be higher.
         /\ IF p.ro THEN nops'[i] <= p.nops ELSE nops'[i] = p.nops
         /\ Len(buf'[i]) = p.buf
         /\ \A j \in Replica \ {i} : ack'[i][j] = p.ack[j]
         /\ sess'[i] = p.sess
         /\ ro'[i] = p.ro
         /\ needsFull'[i] = ToSet(p.needsFull)
         /\ fullReq'[i] = ToSet(p.fullReq)
         /\ alarm'[i] = IF p.alarm THEN Replica \ {i} ELSE {}

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
