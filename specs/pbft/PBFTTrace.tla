----------------------------- MODULE PBFTTrace -----------------------------
(***************************************************************************)
(* Trace validation of simulated runs of @synod/pbft against PBFT.tla, in  *)
(* the style of RaftTrace.tla (Cirstea, Kuppe, Merz et al., "Validating   *)
(* Traces of Distributed Programs Against TLA+ Specifications").           *)
(*                                                                         *)
(* The implementation's run is recorded as a sequence of spec-level events *)
(* (packages/pbft/src/simulation/spec-trace.ts; `pnpm specs validate       *)
(* pbft`). PBFTTraceData.tla, generated from that trace, defines TraceLog  *)
(* (the events), TraceReplicas (in primary order), TraceF, TraceRequests   *)
(* (every client batch's digest in the trace), TraceByz (the Byzantine    *)
(* replicas), TraceMaxSeq and                                              *)
(* TraceMaxView (the highest sequence number and view the trace reaches).  *)
(* Each line l must be matched by ONE step of the PBFT.tla action it names, with the   *)
(* parameters it gives: SendPrePrepare(i, s, val), SendPrepare(i, s, val), *)
(* SendCommit(i, s, val) and Commit(i, s, val) in replica i's view e.v;    *)
(* StartViewChange(i, v) whose view-change carries exactly the             *)
(* certificates the implementation's did (e.prep); SendNewView(i, Q) with  *)
(* Q the view-changes of the senders the implementation's new-view names,  *)
(* assigning exactly its O set (e.o); EnterNewView(i, v). After a line     *)
(* that carries `post`, replica i's view, whether it started it, the      *)
(* sequence numbers it committed (1..executed), the last one it executed,  *)
(* and how many it executed a request at (Cardinality(ran[i]): the        *)
(* sequence numbers of its `execute` outputs) equal the implementation's.  *)
(* Execution is compared per batch: the spec's value is a batch, which it  *)
(* skips when that batch ran before; the code skips per request (client,  *)
(* timestamp). A batch whose requests all ran in other batches would be   *)
(* skipped by the code and run by the spec: the trace would be refused.   *)
(*                                                                         *)
(* Byz = TraceByz: the replicas a run made Byzantine. Their steps are no   *)
(* lines: PBFT.tla takes every message they can sign as sent (Sent). What *)
(* correct replicas accepted from them is in the lines: a SendNewView     *)
(* that names a Byzantine view-change carries it (e.byz), an EnterNewView *)
(* into a Byzantine primary's view the new-view accepted (e.nv), which    *)
(* must be one PBFT.tla's Byzantine primary can send (ByzNewViews).       *)
(* Messages sent again are not lines (msgs is a set), nor is the client   *)
(* protocol. A restart of a correct replica is a Restart line: a stutter, *)
(* since a restart must change none of PBFT.tla's variables (what the     *)
(* replica sent stays sent; its view, started flag and executed prefix    *)
(* are durable), after which the recovered replica's state is compared    *)
(* (post). The recorder refuses checkpoints and state transfer, which the *)
(* spec does not have (specs/pbft/properties.md, "Trace validation").     *)
(* Checkpoints (K, L: the run's interval and window, TraceK and TraceL): a *)
(* checkpoint is sent by the Commit line that executes its sequence        *)
(* number; Stabilize(i, s, d) with d a checkpoint state sent at s; a view- *)
(* change names its sender's stable checkpoint (e.stable), a new-view's O  *)
(* set runs from its min-s (e.min); entering a view adopts min-s; a state *)
(* transfer is FetchState(i), the seqs the state ran a request at counted  *)
(* in post.ran.                                                            *)
(*                                                                         *)
(* The trace is accepted when a behaviour matches every line: the          *)
(* POSTCONDITION TraceAccepted requires the longest behaviour to have      *)
(* Len(TraceLog) + 1 states; when it is false, the depth TLC reports is    *)
(* the first line no step explains. The spec's invariants are checked on   *)
(* every state of the trace too (PBFTTrace.cfg).                           *)
(***************************************************************************)
EXTENDS PBFT, PBFTTraceData, TLC

VARIABLE l                 \* the next trace line to match (1-based)
traceVars == <<vars, l>>

TraceSeqs == 1..TraceMaxSeq
TraceNull == "null"
TraceForged == "forged"

Has(e, f) == f \in DOMAIN e
ToSet(q) == {q[k] : k \in DOMAIN q}

\* The certificate a view-change line carries for s, as PBFT.tla writes it (None: none).
CertIn(prep, s) ==
    IF \E k \in DOMAIN prep : prep[k].s = s
    THEN LET c == prep[CHOOSE k \in DOMAIN prep : prep[k].s = s] IN [view |-> c.v, val |-> c.val]
    ELSE None

\* A view-change for v as a line carries it (c.i its sender, c.stable its stable checkpoint, c.prep its
\* certificates), as PBFT.tla's record.
VcOf(v, c) == [type |-> "vc", view |-> v, from |-> c.i, stable |-> c.stable, prep |-> [s \in Seqs |-> CertIn(c.prep, s)]]
\* An O set as a line carries it: the values of min + 1 .. min + Len(o), as PBFT.tla's function.
OSet(min, o) == [s \in {min + k : k \in 1..Len(o)} |-> o[s - min]]
\* The new-view of a Byzantine primary an EnterNewView line says the replica accepted.
NvOf(e) == [type |-> "nv", view |-> e.v, from |-> e.nv.from, vcs |-> {VcOf(e.v, c) : c \in ToSet(e.nv.vcs)}, val |-> OSet(e.nv.min, e.nv.o)]
\* Every new-view of a Byzantine primary that a correct replica accepted in the trace.
TraceByzNewViews == {NvOf(TraceLog[k]) : k \in {k \in DOMAIN TraceLog : Has(TraceLog[k], "nv")}}

\* NewViewSent(v), substituted for PBFT.tla's (PBFTTrace.cfg), which re-checks every new-view's
\* view-changes and certificates at each use and, for a Byzantine primary, ranges over every quorum
\* of the view-changes Byzantine replicas can sign (ByzNewViews: far too many to enumerate). This one
\* is a subset of PBFT.tla's, so a trace it accepts is a behaviour of PBFT.tla (NewViewSent occurs
\* only positively: in existentials and `# {}`):
\* - the new-views in msgs: each entered msgs by SendNewView(r, Q), which requires everything NvValid
\*   does (r the primary, a quorum Q of valid view-changes for v, val = NewViewVal(Q)), and stays
\*   valid because validity only asks that messages were sent;
\* - the Byzantine primary's new-views a correct replica accepted (TraceByzNewViews), once valid: one
\*   of ByzNewViews(v) (a quorum of exactly QuorumSize sent, valid view-changes for v, each of
\*   ViewChangeMsgs' shape by VcOf, and val = NewViewVal of them).
TraceNewViewSent(v) ==
    {m \in msgs : m.type = "nv" /\ m.view = v}
    \cup {m \in TraceByzNewViews : m.view = v /\ m.from \in Byz /\ Cardinality(m.vcs) = QuorumSize /\ NvValid(m)}

\* Send(m) as PBFT.tla defines it, with the union built at once (substituted for it, PBFTTrace.cfg):
\* TLC keeps msgs \cup {m} as a lazy union, and after a thousand lines a membership test walks a
\* thousand nested unions (slow, then a Java StackOverflowError).
TraceSend(m) == msgs' = {x : x \in msgs \cup {m}}
\* SendAll(S) the same way (a Commit's checkpoints).
TraceSendAll(S) == msgs' = {x : x \in msgs \cup S}

-----------------------------------------------------------------------------
\* The view-changes for view v of the replicas a new-view line names: the correct ones' in msgs, the
\* Byzantine ones' as the line carries them (e.byz; each sender named in e.vcs).
NamedViewChanges(e) ==
    {x \in msgs : x.type = "vc" /\ x.view = e.v /\ x.from \in ToSet(e.vcs)}
    \cup IF Has(e, "byz") THEN {VcOf(e.v, c) : c \in {c \in ToSet(e.byz) : c.i \in ToSet(e.vcs)}} ELSE {}

StepOf(e) ==
    CASE e.e = "SendPrePrepare"  -> view[e.i] = e.v /\ SendPrePrepare(e.i, e.s, e.val)
      [] e.e = "SendPrepare"     -> view[e.i] = e.v /\ SendPrepare(e.i, e.s, e.val)
      [] e.e = "SendCommit"      -> view[e.i] = e.v /\ SendCommit(e.i, e.s, e.val)
      [] e.e = "Commit"          -> view[e.i] = e.v /\ Commit(e.i, e.s, e.val)
      [] e.e = "StartViewChange" -> /\ StartViewChange(e.i, e.v)
                                    /\ stable[e.i].seq = e.stable
                                    /\ \A s \in Seqs : HighestCert(e.i, s, e.v) = CertIn(e.prep, s)
      [] e.e = "SendNewView"     -> LET Q == NamedViewChanges(e) IN
                                    /\ Cardinality(Q) = Len(e.vcs)
                                    /\ view[e.i] = e.v
                                    /\ SendNewView(e.i, Q)
                                    /\ NewViewVal(Q) = OSet(e.min, e.o)
      [] e.e = "EnterNewView"    -> /\ EnterNewView(e.i, e.v)
                                    /\ Has(e, "nv") => NvOf(e) \in NewViewSent(e.v)
      [] e.e = "Stabilize"       -> \E m \in msgs : m.type = "ckpt" /\ m.seq = e.s /\ Stabilize(e.i, e.s, m.state)
      [] e.e = "FetchState"      -> FetchState(e.i)
      [] e.e = "Restart"         -> UNCHANGED vars
      [] e.e = "Noop"            -> UNCHANGED vars
      [] OTHER                   -> FALSE

\* After the line, replica e.i is in the state the implementation reported.
PostMatches(e) ==
    Has(e, "post") =>
      LET p == e.post
          i == e.i
      IN /\ view'[i] = p.view
         /\ active'[i] = p.active
         \* committed 1..executed, but at or below a stable checkpoint whose state it fetched
         /\ {s \in Seqs : committed'[i][s] # None} \subseteq 1..p.executed
         /\ \A s \in 1..p.executed : committed'[i][s] = None => s <= stable'[i].seq
         /\ executed'[i] = p.executed
         /\ Cardinality(ran'[i]) = p.ran
         /\ stable'[i].seq = p.stable

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
