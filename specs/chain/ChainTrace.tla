----------------------------- MODULE ChainTrace -----------------------------
(***************************************************************************)
(* Trace validation of simulated runs of @synod/chain (CRAQ) against       *)
(* Chain.tla, in the style of RaftTrace.tla and PBFTTrace.tla.             *)
(*                                                                         *)
(* The implementation's run is recorded as a sequence of spec-level events *)
(* (packages/chain/src/simulation/spec-trace.ts; `pnpm specs validate      *)
(* chain`). ChainTraceData.tla, generated from that trace, defines TraceLog *)
(* (the events), TraceNodes (the chain once every node adopted it, head    *)
(* first: the spec's initial chain), TraceKeys (the keys its lines name),  *)
(* TraceMaxWrites (the writes the heads                                    *)
(* ordered), TraceMaxRemovals and TraceMaxJoins. Each line l must be      *)
(* matched by ONE step                                                     *)
(* of the Chain.tla action it names, with the parameters it gives:         *)
(*   Write(e.k) at the head e.i (a write of key e.k);                      *)
(*   Send(e.i), the write it puts on the channel being e.w;                *)
(*   Receive(e.p, e.i), the channel's first message being write e.w, and   *)
(*     appended (e.ok) or fenced;                                          *)
(*   AckTo(e.q, e.commit): e.i (q's predecessor) learns commit point       *)
(*     e.commit from q;                                                    *)
(*   Read(e.i, e.k) answering version e.version of key e.k;                *)
(*   Reconfigure(e.i): the master removed member e.i (the line goes where  *)
(*     the last remaining member adopted it);                              *)
(*   Join(e.i): the master appended node e.i (where the last member,       *)
(*     e.i included, adopted it; its steps until its copy of the committed *)
(*     state arrived are not lines: see Chain.tla's Join);                 *)
(*   Noop: a step of the node that is no action (its post must then equal  *)
(*     its state before: the spec did not move).                           *)
(* After a line that carries `post`, node e.i holds post.log writes and    *)
(* has committed post.commit of them, as the implementation reports.       *)
(*                                                                         *)
(* Steps the spec abstracts are not lines (specs/chain/properties.md,      *)
(* "Trace validation"): the Raft group, heartbeats, read confirmations,    *)
(* the client protocol, writes sent again and acks that teach nothing.     *)
(*                                                                         *)
(* The trace is accepted when a behaviour matches every line: the          *)
(* POSTCONDITION TraceAccepted requires the longest behaviour to have      *)
(* Len(TraceLog) + 1 states; when it is false, the depth TLC reports is    *)
(* the first line no step explains. The spec's invariants are checked on   *)
(* every state of the trace too (ChainTrace.cfg).                          *)
(***************************************************************************)
EXTENDS Chain, ChainTraceData, TLC

VARIABLE l                 \* the next trace line to match (1-based)
traceVars == <<vars, l>>

Has(e, f) == f \in DOMAIN e

StepOf(e) ==
    CASE e.e = "Write"       -> Write(e.i, e.k)
      [] e.e = "Send"        -> /\ Send(e.i)
                                /\ chan'[e.i][Succ(e.i)][Len(chan'[e.i][Succ(e.i)])].w = e.w
      [] e.e = "Receive"     -> /\ chan[e.p][e.i] # <<>>
                                /\ Head(chan[e.p][e.i]).w = e.w
                                /\ Receive(e.p, e.i)
                                /\ (log'[e.i] # log[e.i]) = e.ok
      [] e.e = "Ack"         -> /\ InChain(e.q) /\ Pos(chain, e.q) > 1 /\ chain[Pos(chain, e.q) - 1] = e.i
                                /\ AckTo(e.q, e.commit)
      [] e.e = "Read"        -> Read(e.i, e.k) /\ lastRead'.version = e.version
      [] e.e = "Reconfigure" -> Reconfigure(e.i)
      [] e.e = "Join"        -> Join(e.i)
      [] e.e = "Noop"        -> UNCHANGED vars
      [] OTHER               -> FALSE

\* After the line, node e.i holds and has committed what the implementation reported.
PostMatches(e) ==
    Has(e, "post") =>
      /\ Len(log'[e.i]) = e.post.log
      /\ commit'[e.i] = e.post.commit

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
