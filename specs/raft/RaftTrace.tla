----------------------------- MODULE RaftTrace -----------------------------
(***************************************************************************)
(* Trace validation of simulated runs of @synod/raft against Raft.tla, in  *)
(* the style of Cirstea, Kuppe, Merz et al. ("Validating Traces of         *)
(* Distributed Programs Against TLA+ Specifications") and etcd-raft's      *)
(* Traceetcdraft.tla.                                                      *)
(*                                                                         *)
(* The implementation's run is recorded as a sequence of spec-level events *)
(* (packages/raft/src/simulation/spec-trace/; `pnpm specs validate raft`). *)
(* RaftTraceData.tla, generated from that trace, defines TraceLog (the     *)
(* events), TraceServer, TraceValue and TracePreVote. Each line l of the   *)
(* trace must be matched by ONE step of Raft.tla's own actions, named by   *)
(* the line (Timeout(i), HandleAppendEntriesRequest(i, j, m), ...), whose  *)
(* message sent or answer given equals the one the implementation sent,    *)
(* and after which node i's term, vote, role, commit index and log equal   *)
(* the implementation's (field `post`). Every line must be an action of    *)
(* Raft.tla: the heartbeat, the acknowledgement below the commit index and *)
(* the refusal while a leader is known, once steps the spec lacked, are    *)
(* its Heartbeat, HandleAppendEntriesBelowCommit and RefuseVote now        *)
(* (properties.md, "Trace validation").                                    *)
(*                                                                         *)
(* The trace is accepted when a behaviour matches every line: the         *)
(* POSTCONDITION TraceAccepted (checked once TLC has explored everything)  *)
(* requires the longest behaviour to have Len(TraceLog) + 1 states. When   *)
(* it is false, no behaviour of the spec explains the trace, and the depth *)
(* TLC reports is the first line that could not be matched. The spec's     *)
(* invariants and action properties are checked on every state too.        *)
(***************************************************************************)
EXTENDS Raft, RaftTraceData

VARIABLE l                 \* the next trace line to match (1-based)
traceVars == <<vars, l>>

-----------------------------------------------------------------------------
(* Matching one trace line.                                                *)

Has(e, f) == f \in DOMAIN e
VoteOf(v) == IF v = "" THEN Nil ELSE v

\* The handler of Raft.tla for the type of message m.
Handle(i, j, m) ==
    CASE m.mtype = RequestVoteRequest    -> HandleRequestVoteRequest(i, j, m)
      [] m.mtype = RequestVoteResponse   -> HandleRequestVoteResponse(i, j, m)
      [] m.mtype = PreVoteRequest        -> HandlePreVoteRequest(i, j, m)
      [] m.mtype = PreVoteResponse       -> HandlePreVoteResponse(i, j, m)
      [] m.mtype = AppendEntriesRequest  -> HandleAppendEntriesRequest(i, j, m)
      [] m.mtype = AppendEntriesResponse -> HandleAppendEntriesResponse(i, j, m)
      [] OTHER                           -> FALSE

\* The message the line says was sent is exactly the one added to the bag.
SentExactly(m) == messages' = messages (+) SetToBag({m})

\* The line's message was in flight; when the implementation answered, the
\* spec's step consumed it and sent exactly that answer.
Consumed(e) ==
    /\ e.m \in DOMAIN messages
    /\ Has(e, "reply") => messages' = (messages (-) SetToBag({e.m})) (+) SetToBag({e.reply})

StepOf(e) ==
    CASE e.e = "Timeout"            -> Timeout(e.i)
      [] e.e = "Restart"            -> Restart(e.i)
      \* CheckQuorum's step-down, a lost (pre-)election: Restart keeping commitIndex.
      [] e.e = "StepDown"           -> Restart(e.i) /\ commitIndex'[e.i] = commitIndex[e.i]
      [] e.e = "RequestVote"        -> RequestVote(e.i, e.j) /\ SentExactly(e.m)
      [] e.e = "RequestPreVote"     -> RequestPreVote(e.i, e.j) /\ SentExactly(e.m)
      [] e.e = "AppendEntries"      -> AppendEntries(e.i, e.j) /\ SentExactly(e.m)
      [] e.e = "ClientRequest"      -> ClientRequest(e.i, e.value)
      [] e.e = "Receive"            -> Consumed(e) /\ Handle(e.i, e.j, e.m)
      [] e.e = "Drop"               -> e.m \in DOMAIN messages /\ DropMessage(e.m)
      [] e.e = "Duplicate"          -> e.m \in DOMAIN messages /\ DuplicateMessage(e.m)
      [] e.e = "Noop"               -> UNCHANGED vars
      [] e.e = "Heartbeat"          -> Heartbeat(e.i, e.j) /\ SentExactly(e.m)
      [] e.e = "ReceiveBelowCommit" -> Consumed(e) /\ HandleAppendEntriesBelowCommit(e.i, e.j, e.m)
      [] e.e = "RefuseVote"         -> Consumed(e) /\ RefuseVote(e.i, e.j, e.m)
      [] OTHER                      -> FALSE

\* After the line, node e.i is in the state the implementation reported.
PostMatches(e) ==
    Has(e, "post") =>
      LET p == e.post
          i == e.i
      IN /\ currentTerm'[i] = p.term
         /\ votedFor'[i] = VoteOf(p.vote)
         /\ state'[i] = p.role
         /\ commitIndex'[i] = p.commit
         \* The recorder writes the whole log from index 1 (validated runs take
         \* no snapshot, so FullLog is log there).
         \* (Written out, not LastIndex(i)': priming i would prime l.)
         /\ Has(p, "loglen") => snapshotIndex'[i] + Len(log'[i]) = p.loglen
         /\ Has(p, "log") => snapshotData'[i] \o log'[i] = p.log

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
