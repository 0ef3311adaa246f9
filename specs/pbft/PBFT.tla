------------------------------- MODULE PBFT -------------------------------
(***************************************************************************)
(* PBFT (Castro & Liskov, OSDI 1999): the normal case (pre-prepare,        *)
(* prepare, commit) and the view change (view-change messages carrying     *)
(* prepared certificates, the new primary's new-view), for n >= 3f+1       *)
(* replicas (quorums of ceil((n+f+1)/2)) of which the ones in Byz are      *)
(* Byzantine.                                                              *)
(*                                                                         *)
(* Messages are signed, so they are modelled as records that name their    *)
(* sender; the set `msgs` holds every message an honest replica ever sent  *)
(* (the network may deliver any of them, any number of times, or never).  *)
(* A Byzantine replica may send any message it can sign and none it        *)
(* cannot: every message naming a Byzantine sender is taken as sent       *)
(* (ByzMsgs), which gives the adversary every choice at once instead of    *)
(* one state per subset of its messages. It cannot forge client requests: *)
(* the value Forged stands for a request without a client's signature,     *)
(* which honest replicas refuse.                                           *)
(*                                                                         *)
(* Not modelled: checkpoints, garbage collection and state transfer, the   *)
(* client protocol, batching (a value is one batch), crash recovery.       *)
(*                                                                         *)
(* What a replica knows is what it sent: it holds a prepared certificate   *)
(* once it has sent the commit for it (an honest replica sends the commit  *)
(* when it becomes prepared), and its view-change carries those, not every *)
(* certificate the network could form. A new view assigns the sequence    *)
(* numbers up to the highest one a certificate of its view-changes is for *)
(* (max-s); above it the new primary pre-prepares client requests, as the *)
(* primary of view 0 does. A replica may move to any later view (joining  *)
(* f+1 view-changes for a view beyond the next). These three match the    *)
(* implementation step for step (PBFTTrace.tla, trace validation).        *)
(* Execution: in the step that commits, a replica executes its committed  *)
(* sequence numbers in order and skips a request it executed already      *)
(* (ExecuteReady; executeReady and executeRequest in pbft-node.ts).        *)
(* Properties (same names as the simulator's invariants): Agreement,      *)
(* Validity, Integrity (on execution), ViewChangeSafety; CommittedOnce is  *)
(* not one (an expected failure).                                          *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

CONSTANTS
    Replicas,       \* a sequence of the replica ids, in primary order
    Byz,            \* the Byzantine replicas
    F,              \* faults tolerated
    Requests,       \* client-signed requests
    Null,           \* the null request (a new view fills gaps with it)
    Forged,         \* a request no client signed
    Seqs,           \* sequence numbers
    MaxView         \* views are 0..MaxView

R == {Replicas[i] : i \in 1..Len(Replicas)}
Honest == R \ Byz
Views == 0..MaxView
Vals == Requests \cup {Null, Forged}
None == [view |-> 0, val |-> Forged]   \* "no prepared certificate" (never a valid one: see CertValid)

ASSUME Cardinality(R) >= 3 * F + 1 /\ Cardinality(Byz) <= Cardinality(R) /\ Byz \subseteq R

Primary(v) == Replicas[(v % Len(Replicas)) + 1]
\* A quorum: ceil((n+F+1)/2) replicas, 2F+1 when n = 3F+1 (any two meet in at least F+1, so in an
\* honest replica, for every n >= 3F+1); the client-signed values honest replicas accept.
QuorumSize == (Cardinality(R) + F) \div 2 + 1
Quorum(S) == Cardinality(S) >= QuorumSize
Signed(val) == val \in Requests \cup {Null}

PrePrepareMsgs == [type : {"pp"}, view : Views, seq : Seqs, val : Vals, from : R]
PrepareMsgs == [type : {"prepare"}, view : Views, seq : Seqs, val : Vals, from : R]
CommitMsgs == [type : {"commit"}, view : Views, seq : Seqs, val : Vals, from : R]
\* A view-change carries, per sequence number, the highest prepared certificate its sender holds
\* (as [view, val]; None when it holds none).
ViewChangeMsgs == [type : {"vc"}, view : Views, from : R, prep : [Seqs -> [view : Views, val : Vals]]]
\* A new-view carries the view-changes it is built from and the value it assigns to each sequence number
\* up to the highest certificate among them (max-s): `val` is a function on those sequence numbers.
NewViewShape(m) ==
    /\ DOMAIN m = {"type", "view", "from", "vcs", "val"}
    /\ m \in [type : {"nv"}, view : Views, from : R, vcs : SUBSET ViewChangeMsgs, val : [DOMAIN m.val -> Vals]]
    /\ DOMAIN m.val \subseteq Seqs

VARIABLES
    msgs,       \* messages sent by honest replicas
    view,       \* view[r]: the view honest replica r is in
    active,     \* active[r]: r has started view[r] (FALSE while changing views)
    committed,  \* committed[r][s]: [view, val] committed-local at r for s, or None
    executed,   \* executed[r]: the last sequence number r executed (in order: 1..executed[r])
    ran         \* ran[r]: r's executions of requests, as [seq, val] (the code's `execute` outputs)

vars == <<msgs, view, active, committed, executed, ran>>

\* Everything a Byzantine replica can sign (view-changes and new-views of a bounded shape: one
\* view-change set per quorum of senders, chosen by the new-view's readers below).
\* Sent(m): m was sent, by an honest replica (in msgs) or by a Byzantine one (any message it can sign).
Sent(m) == m \in msgs \/ (m.from \in Byz /\ (m.type \in {"pp", "prepare", "commit"} \/ (m.type = "vc" /\ m.view > 0)))
\* The view-changes for v that were sent.
ViewChangesFor(v) == {m \in msgs : m.type = "vc" /\ m.view = v} \cup {m \in ViewChangeMsgs : m.from \in Byz /\ m.view = v /\ v > 0}

RECURSIVE PrePrepared(_, _, _), CertValid(_, _, _), VcValid(_), NvValid(_), NewViewSent(_), ByzNewViews(_)

\* A prepared certificate for (v, s, val) exists in what was sent: the pre-prepare of v's primary
\* (or, for v > 0, a new-view assigning val) and QuorumSize-1 prepares from distinct backups (2F
\* when n = 3F+1): with the pre-prepare, a quorum.
\* Above a new-view's max-s, the pre-prepare of v's primary assigns s, as in view 0.
PrePrepared(v, s, val) ==
    IF v = 0 THEN Sent([type |-> "pp", view |-> 0, seq |-> s, val |-> val, from |-> Primary(0)])
    ELSE \E m \in NewViewSent(v) :
            IF s \in DOMAIN m.val THEN m.val[s] = val
            ELSE Sent([type |-> "pp", view |-> v, seq |-> s, val |-> val, from |-> Primary(v)])
CertValid(v, s, val) ==
    /\ Signed(val)
    /\ PrePrepared(v, s, val)
    /\ Cardinality({r \in R \ {Primary(v)} : Sent([type |-> "prepare", view |-> v, seq |-> s, val |-> val, from |-> r])}) >= QuorumSize - 1

\* A view-change is valid when each certificate it carries is (a reader recomputes them).
VcValid(m) == \A s \in Seqs : m.prep[s] = None \/ (m.prep[s].view < m.view /\ CertValid(m.prep[s].view, s, m.prep[s].val))

\* The value a new view assigns to s, from its view-changes: the highest-view certificate, else Null.
Chosen(vcs, s) ==
    LET certs == {m.prep[s] : m \in {x \in vcs : x.prep[s] # None}}
    IN IF certs = {} THEN Null
       ELSE (CHOOSE c \in certs : \A d \in certs : d.view <= c.view).val
\* max-s: the highest sequence number a certificate in vcs is for (0: none).
MaxPrepSeq(vcs) ==
    LET ss == {s \in Seqs : \E m \in vcs : m.prep[s] # None}
    IN IF ss = {} THEN 0 ELSE CHOOSE s \in ss : \A t \in ss : t <= s
\* What a new view built from vcs assigns: every sequence number up to max-s.
NewViewVal(vcs) == [s \in {t \in Seqs : t <= MaxPrepSeq(vcs)} |-> Chosen(vcs, s)]

\* A new-view is valid: from the primary, built from a quorum of valid view-changes for its view,
\* assigning exactly what they determine. Byzantine primaries may pick any such quorum.
NvValid(m) ==
    /\ m.from = Primary(m.view)
    /\ Quorum({x.from : x \in m.vcs})
    /\ \A x \in m.vcs : x.type = "vc" /\ Sent(x) /\ x.view = m.view /\ VcValid(x)
    /\ m.val = NewViewVal(m.vcs)
\* The valid new-views for v that were sent.
NewViewSent(v) == {m \in msgs : m.type = "nv" /\ m.view = v /\ NvValid(m)}
    \cup IF Primary(v) \in Byz THEN ByzNewViews(v) ELSE {}
\* Every valid new-view a Byzantine primary could send for v: one per quorum of valid view-changes.
ByzNewViews(v) ==
    {[type |-> "nv", view |-> v, from |-> Primary(v), vcs |-> Q, val |-> NewViewVal(Q)] :
        Q \in {Q \in SUBSET {x \in ViewChangesFor(v) : VcValid(x)} : Quorum({x.from : x \in Q}) /\ Cardinality(Q) = QuorumSize}}

\* Replica r has sent a prepare (or, as primary of v, a pre-prepare) for (v, s).
Accepted(r, v, s) == \E val \in Vals : [type |-> "prepare", view |-> v, seq |-> s, val |-> val, from |-> r] \in msgs
\* r holds a prepared certificate for (v, s, val).
PreparedAt(r, v, s, val) ==
    /\ ([type |-> "prepare", view |-> v, seq |-> s, val |-> val, from |-> r] \in msgs
        \/ (r = Primary(v) /\ PrePrepared(v, s, val)
            /\ ([type |-> "pp", view |-> v, seq |-> s, val |-> val, from |-> r] \in msgs \/ v > 0)))
    /\ CertValid(v, s, val)

\* An honest replica sends m (msgs holds every message ever sent).
Send(m) == msgs' = msgs \cup {m}

----------------------------------------------------------------------------
Init ==
    /\ msgs = {}
    /\ view = [r \in Honest |-> 0]
    /\ active = [r \in Honest |-> TRUE]
    /\ committed = [r \in Honest |-> [s \in Seqs |-> None]]
    /\ executed = [r \in Honest |-> 0]
    /\ ran = [r \in Honest |-> {}]

\* The primary of an active view assigns a client request to s (in a later view: to an s above the
\* new-view's max-s).
SendPrePrepare(r, s, val) ==
    LET v == view[r] IN
    /\ r = Primary(v) /\ active[r] /\ Signed(val) /\ val # Null
    /\ v > 0 => \E m \in NewViewSent(v) : s \notin DOMAIN m.val
    /\ ~\E x \in Vals : [type |-> "pp", view |-> v, seq |-> s, val |-> x, from |-> r] \in msgs
    /\ Send([type |-> "pp", view |-> v, seq |-> s, val |-> val, from |-> r])
    /\ UNCHANGED <<view, active, committed, executed, ran>>

\* A backup accepts the first pre-prepare it sees for (view, s) from the view's primary (in a
\* later view: what a valid new-view assigns) and sends its prepare.
SendPrepare(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ r # Primary(v) /\ Signed(val)
    /\ PrePrepared(v, s, val)
    /\ ~Accepted(r, v, s)
    /\ Send([type |-> "prepare", view |-> v, seq |-> s, val |-> val, from |-> r])
    /\ UNCHANGED <<view, active, committed, executed, ran>>

\* Prepared: send the commit.
SendCommit(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ PreparedAt(r, v, s, val)
    /\ [type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> r] \notin msgs
    /\ Send([type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> r])
    /\ UNCHANGED <<view, active, committed, executed, ran>>

\* Execution (`executeReady`, `executeBatch`, `executeRequest` in packages/pbft/src/pbft-node.ts):
\* in the step that commits, r executes its committed sequence numbers in order from the one after
\* the last it executed, and stops at the first not committed. A request r executed already is
\* skipped (a no-op: the code's client table holds each client's last executed timestamp); the
\* null request executes nothing. Run(c, s, rec): the last sequence number executed and the record
\* after executing from s on, with c r's committed sequence numbers and rec its record so far.
RECURSIVE Run(_, _, _)
Run(c, s, rec) ==
    IF s \in Seqs /\ c[s] # None
    THEN LET val == c[s].val
             again == val \in {e.val : e \in rec}
         IN Run(c, s + 1, IF val \in Requests /\ ~again THEN rec \cup {[seq |-> s, val |-> val]} ELSE rec)
    ELSE [last |-> s - 1, rec |-> rec]
ExecuteReady(r, c) ==
    LET out == Run(c, executed[r] + 1, ran[r])
    IN /\ executed' = [executed EXCEPT ![r] = out.last]
       /\ ran' = [ran EXCEPT ![r] = out.rec]

\* Committed-local: own commit and a quorum (2F+1 when n = 3F+1) of matching commits.
Commit(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ committed[r][s] = None
    /\ [type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> r] \in msgs
    /\ Quorum({q \in R : Sent([type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> q])})
    /\ committed' = [committed EXCEPT ![r][s] = [view |-> v, val |-> val]]
    /\ ExecuteReady(r, committed'[r])
    /\ UNCHANGED <<msgs, view, active>>

\* r's highest prepared certificate for s below view v, or None. r holds the certificates it sent a
\* commit for (SendCommit requires PreparedAt; prepares r has not received are not its to carry).
HighestCert(r, s, v) ==
    LET held == {[view |-> m.view, val |-> m.val] :
                    m \in {x \in msgs : x.type = "commit" /\ x.from = r /\ x.seq = s /\ x.view < v}}
    IN IF held = {} THEN None ELSE CHOOSE c \in held : \A d \in held : d.view <= c.view

\* The view-change timer fires (v: the next view), or f+1 view-changes for later views came (v: the
\* smallest of them): move to v and send the view-change.
StartViewChange(r, v) ==
    /\ view[r] < v /\ v <= MaxView
    /\ Send([type |-> "vc", view |-> v, from |-> r, prep |-> [s \in Seqs |-> HighestCert(r, s, v)]])
    /\ view' = [view EXCEPT ![r] = v]
    /\ active' = [active EXCEPT ![r] = FALSE]
    /\ UNCHANGED <<committed, executed, ran>>

\* The new primary, with a quorum of valid view-changes for its view, sends the new-view.
SendNewView(r, Q) ==
    LET v == view[r] IN
    /\ ~active[r] /\ r = Primary(v)
    /\ Quorum({x.from : x \in Q}) /\ Cardinality(Q) = QuorumSize
    /\ \A x \in Q : x \in ViewChangesFor(v) /\ VcValid(x)
    /\ Send([type |-> "nv", view |-> v, from |-> r, vcs |-> Q, val |-> NewViewVal(Q)])
    /\ active' = [active EXCEPT ![r] = TRUE]
    /\ UNCHANGED <<view, committed, executed, ran>>

\* A replica accepts a valid new-view for its view or a later one and starts that view.
EnterNewView(r, v) ==
    /\ v > 0 /\ (v > view[r] \/ (v = view[r] /\ ~active[r]))
    /\ NewViewSent(v) # {}
    /\ view' = [view EXCEPT ![r] = v]
    /\ active' = [active EXCEPT ![r] = TRUE]
    /\ UNCHANGED <<msgs, committed, executed, ran>>

Next ==
    \/ \E r \in Honest, s \in Seqs, val \in Vals : SendPrePrepare(r, s, val) \/ SendPrepare(r, s, val) \/ SendCommit(r, s, val) \/ Commit(r, s, val)
    \/ \E r \in Honest, v \in Views : StartViewChange(r, v)
    \/ \E r \in Honest : \E Q \in SUBSET {x \in ViewChangesFor(view[r]) : VcValid(x)} : SendNewView(r, Q)
    \/ \E r \in Honest, v \in Views : EnterNewView(r, v)

Spec == Init /\ [][Next]_vars

----------------------------------------------------------------------------
TypeOK ==
    /\ \A m \in msgs :
        CASE m.type = "pp"      -> m \in PrePrepareMsgs
          [] m.type = "prepare" -> m \in PrepareMsgs
          [] m.type = "commit"  -> m \in CommitMsgs
          [] m.type = "vc"      -> m \in ViewChangeMsgs
          [] m.type = "nv"      -> NewViewShape(m)
          [] OTHER              -> FALSE
    /\ view \in [Honest -> Views]
    /\ active \in [Honest -> BOOLEAN]
    /\ committed \in [Honest -> [Seqs -> [view : Views, val : Vals]]]
    /\ executed \in [Honest -> 0..Cardinality(Seqs)]
    /\ ran \in [Honest -> SUBSET [seq : Seqs, val : Requests]]

\* No two honest replicas commit different values at one sequence number.
Agreement ==
    \A r1, r2 \in Honest, s \in Seqs :
        (committed[r1][s] # None /\ committed[r2][s] # None) => committed[r1][s].val = committed[r2][s].val

\* Only client-signed requests (or the null request) are committed.
Validity == \A r \in Honest, s \in Seqs : committed[r][s] # None => Signed(committed[r][s].val)

\* No honest replica executes a request twice (the simulator's `integrity()`: no (client, timestamp)
\* executed twice by one node).
Integrity == \A r \in Honest : \A e1, e2 \in ran[r] : e1.val = e2.val => e1.seq = e2.seq

\* What Integrity said before execution was modelled: no request committed at two sequence numbers by
\* one replica. Not a property of PBFT: a Byzantine primary may assign one request to two sequence
\* numbers, and both commit (expected failure `committed-twice` on a model with two of them); the
\* replica executes it once (Integrity).
CommittedOnce ==
    \A r \in Honest, s1, s2 \in Seqs :
        (s1 # s2 /\ committed[r][s1] # None /\ committed[r][s2] # None /\ committed[r][s1].val \in Requests)
            => committed[r][s1].val # committed[r][s2].val

\* A value committed at s in view v is the one every honest replica prepares at s in any later view.
ViewChangeSafety ==
    \A r \in Honest, s \in Seqs :
        committed[r][s] # None =>
            \A m \in msgs : (m.type = "prepare" /\ m.seq = s /\ m.view > committed[r][s].view) => m.val = committed[r][s].val
=============================================================================
