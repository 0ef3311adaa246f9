------------------------------ MODULE PBFTMac ------------------------------
(***************************************************************************)
(* PBFT in `macs` mode, as packages/pbft runs it (config.authentication = *)
(* "macs", the default): the normal case is authenticated by MACs, so a   *)
(* prepare proves nothing to a third replica and a view-change cannot     *)
(* carry prepared certificates. Each replica states, under its signature  *)
(* of the view-change, what it prepared (P: per sequence number the value *)
(* and view of the highest-view batch it prepared) and pre-prepared (Q:   *)
(* per sequence number each value it accepted a pre-prepare for, with the *)
(* latest view it did). Claims are not proofs: the new primary decides    *)
(* each sequence number by Castro & Liskov's rules for view changes with  *)
(* MACs (TOCS 2002, section 4.5; `decideFromClaims` in                    *)
(* packages/pbft/src/certificates.ts):                                    *)
(*   A1  a quorum of S claims, at s, nothing prepared, or a lower view,   *)
(*       or exactly <s, d, v>;                                             *)
(*   A2  F+1 of S claim they pre-prepared d at s in view v or later;       *)
(*   then d (the claim of the highest view first); else                   *)
(*   B   a quorum of S claims nothing prepared at s: the null request;    *)
(*   else s is undecided and the new primary waits for more view-changes. *)
(*                                                                         *)
(* The code departs from the paper in one respect, kept here: its         *)
(* view-changes stay signed, so the new primary forwards them in the      *)
(* new-view (S may be any set of at least a quorum of them, all the       *)
(* primary holds) and every backup recomputes the decision, instead of    *)
(* the paper's view-change-acks (which exist only because the paper's    *)
(* view-changes carry MACs). There are no acks in this module.             *)
(*                                                                         *)
(* Byzantine replicas (Byz) may send any normal-case message in their own *)
(* name (ByzMsgs, as in PBFT.tla: a MAC valid for some receivers only is  *)
(* a message some receivers never get), and any well-formed view-change   *)
(* claims (`claimsAreWellFormed`): any P, any Q, each claim of an earlier *)
(* view, at most one Q entry per value, at most 4 per sequence number,    *)
(* and a P claim also claimed in Q at its view or later. They cannot sign *)
(* in another replica's name, nor forge a client's request: Forged        *)
(* stands for a batch without client authentication. Honest backups       *)
(* refuse it in an ordinary pre-prepare, but not in a new-view's          *)
(* pre-prepares (in `macs` mode no third replica can check a client's     *)
(* MAC for another: the batch was chosen on F+1 claims of having          *)
(* pre-prepared it, one of them honest), so Forged can reach a claim, and *)
(* Validity checks that A2 keeps it out.                                  *)
(*                                                                         *)
(* Normal case, view-change triggers, entering a new view, and what a     *)
(* replica holds prepared (the batches it sent a commit for) are those of *)
(* PBFT.tla. A new-view is recorded by its O set alone (the values it      *)
(* assigns up to max-s, the highest sequence number a P claim of S is     *)
(* for): backups accept exactly the O set some valid S determines, so the *)
(* set S itself adds nothing but states. Where several claims of the top  *)
(* view satisfy A1 and A2 the code takes the first in S's order, which a  *)
(* Byzantine primary chooses; here every primary may take any of them.    *)
(*                                                                         *)
(* Not modelled: checkpoints, garbage collection, state transfer, the     *)
(* client protocol, batching, crash recovery (the Q set is durable in the *)
(* code: simulator check ClaimsKept).                                     *)
(* Execution as in PBFT.tla (ExecuteReady: in order, skipping a request   *)
(* executed already).                                                      *)
(* Properties (the simulator's names): Agreement, Validity, Integrity (on *)
(* execution), ViewChangeSafety; CommittedOnce is not one (an expected    *)
(* failure).                                                               *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

CONSTANTS
    Replicas,       \* a sequence of the replica ids, in primary order
    Byz,            \* the Byzantine replicas
    F,              \* faults tolerated
    Requests,       \* client-authenticated requests
    Null,           \* the null request (an empty batch)
    Forged,         \* a batch without its client's authentication
    Seqs,           \* sequence numbers
    MaxView         \* views are 0..MaxView

R == {Replicas[i] : i \in 1..Len(Replicas)}
Honest == R \ Byz
Views == 0..MaxView
Vals == Requests \cup {Null, Forged}
\* "nothing": no prepared claim, nothing committed (a value no batch is, so a forged batch can be
\* committed and seen).
None == [view |-> 0, val |-> "none"]
\* Most values a view-change claims pre-prepared at one sequence number (MAX_PRE_PREPARED_PER_SEQ).
MaxPrePreparedPerSeq == 4

ASSUME Cardinality(R) >= 3 * F + 1 /\ Cardinality(Byz) <= Cardinality(R) /\ Byz \subseteq R

Primary(v) == Replicas[(v % Len(Replicas)) + 1]
\* A quorum: ceil((n+F+1)/2) replicas (2F+1 when n = 3F+1), as the code's quorumSize.
QuorumSize == (Cardinality(R) + F) \div 2 + 1
\* The batches an honest replica accepts in an ordinary pre-prepare (`batchIsValid`).
Signed(val) == val \in Requests \cup {Null}

\* A claim of a view-change: a value at a view below the view-change's.
ClaimsBelow(v) == [view : 0..(v - 1), val : Vals]

PrePrepareMsgs == [type : {"pp"}, view : Views, seq : Seqs, val : Vals, from : R]
PrepareMsgs == [type : {"prepare"}, view : Views, seq : Seqs, val : Vals, from : R]
CommitMsgs == [type : {"commit"}, view : Views, seq : Seqs, val : Vals, from : R]
\* A view-change for `view`: per sequence number the sender's P claim (or None) and its Q claims.
ViewChangeShape(m) ==
    /\ m.type = "vc" /\ m.view \in Views /\ m.from \in R
    /\ m.prepared \in [Seqs -> ClaimsBelow(m.view) \cup {None}]
    /\ m.prePrepared \in [Seqs -> SUBSET ClaimsBelow(m.view)]
\* A new-view by its O set: `val` assigns a value to each sequence number up to max-s.
NewViewShape(m) ==
    /\ DOMAIN m = {"type", "view", "from", "val"}
    /\ m.type = "nv" /\ m.view \in Views /\ m.from \in R
    /\ DOMAIN m.val \subseteq Seqs /\ \A s \in DOMAIN m.val : m.val[s] \in Vals

VARIABLES
    msgs,       \* messages sent by honest replicas
    view,       \* view[r]: the view honest replica r is in
    active,     \* active[r]: r has started view[r] (FALSE while changing views)
    committed,  \* committed[r][s]: [view, val] committed-local at r for s, or None
    executed,   \* executed[r]: the last sequence number r executed (in order: 1..executed[r])
    ran         \* ran[r]: r's executions of requests, as [seq, val] (the code's `execute` outputs)

vars == <<msgs, view, active, committed, executed, ran>>

\* Sent(m) for a normal-case message: sent by an honest replica, or named by a Byzantine one
\* (which may send any such message in its own name).
Sent(m) == m \in msgs \/ m.from \in Byz

----------------------------------------------------------------------------
(* View-changes and the decision rule (certificates.ts).                   *)

\* What one view-change claims at s: its P claim (or None) and its Q claims.
Row(m, s) == [from |-> m.from, prepared |-> m.prepared[s], prePrepared |-> m.prePrepared[s]]
\* `claimsAreWellFormed` at one sequence number: at most MaxPrePreparedPerSeq Q claims, one per value,
\* and a P claim is also claimed pre-prepared, at its view or a later one.
RowWellFormed(e) ==
    /\ Cardinality(e.prePrepared) <= MaxPrePreparedPerSeq
    /\ \A a, b \in e.prePrepared : a.val = b.val => a = b
    /\ e.prepared # None => \E q \in e.prePrepared : q.val = e.prepared.val /\ q.view >= e.prepared.view
WellFormed(m) == \A s \in Seqs : RowWellFormed(Row(m, s))
\* ByzClaims[v]: every well-formed claim at one sequence number a Byzantine replica can sign in a
\* view-change for v (a constant: TLC computes it once).
ByzClaims == [v \in Views |->
    {e \in [prepared : ClaimsBelow(v) \cup {None}, prePrepared : SUBSET ClaimsBelow(v)] : RowWellFormed(e)}]

\* The decision at one sequence number from the rows of the view-changes S (one per sender).
\* The P claims of the rows.
PClaims(rows) == {x.prepared : x \in rows} \ {None}
\* A1: a quorum claims nothing prepared, or a view below c's, or c itself.
A1(rows, c) ==
    Cardinality({x \in rows : x.prepared = None \/ x.prepared.view < c.view \/ x.prepared = c}) >= QuorumSize
\* A2: F+1 claim they pre-prepared c's value in c's view or a later one.
A2(rows, c) == Cardinality({x \in rows : \E q \in x.prePrepared : q.view >= c.view /\ q.val = c.val}) >= F + 1
\* B: a quorum claims nothing prepared.
B(rows) == Cardinality({x \in rows : x.prepared = None}) >= QuorumSize
\* The claims that A1 and A2 let the new view choose.
Good(rows) == {c \in PClaims(rows) : A1(rows, c) /\ A2(rows, c)}
Decided(rows) == Good(rows) # {} \/ B(rows)
\* What may be decided: a good claim of the highest view (the code's first in S's order among them),
\* else the null request.
Choices(rows) ==
    IF Good(rows) = {} THEN {Null}
    ELSE {c.val : c \in {c \in Good(rows) : \A d \in Good(rows) : d.view <= c.view}}

\* The honest view-changes for v that were sent.
HonestViewChanges(v) == {m \in msgs : m.type = "vc" /\ m.view = v}
\* The rows of the Byzantine replicas in D at one sequence number, one each: any well-formed claims.
ByzRows(v, D) ==
    {{[from |-> b, prepared |-> pick[b].prepared, prePrepared |-> pick[b].prePrepared] : b \in D} : pick \in [D -> ByzClaims[v]]}
\* What a new-view for v built from the honest view-changes H and one view-change of each Byzantine
\* replica in D can make of s: whether some P claim is for s, whether s is decided, and the values.
Outcomes(v, H, D, s) ==
    {[claimed |-> PClaims(rows) # {}, decided |-> Decided(rows), choices |-> Choices(rows)] :
        rows \in {{Row(m, s) : m \in H} \cup Bz : Bz \in ByzRows(v, D)}}
\* The O sets such a new-view can carry: every sequence number up to max-s (the highest one a P claim
\* is for) decided, each assigned one of its choices. A Byzantine view-change's claims at one sequence
\* number are independent of its claims at another (well-formedness is per sequence number), so its
\* choice is taken per sequence number: the same O sets as one view-change at a time, far fewer steps.
OSets(v, H, D) ==
    LET outs == [s \in Seqs |-> Outcomes(v, H, D, s)]
    IN UNION {LET claimed == {s \in Seqs : out[s].claimed}
                  maxs == IF claimed = {} THEN 0 ELSE CHOOSE s \in claimed : \A t \in claimed : t <= s
                  dom == {s \in Seqs : s <= maxs}
              IN IF \A s \in dom : out[s].decided THEN {o \in [dom -> Vals] : \A s \in dom : o[s] \in out[s].choices} ELSE {} :
              out \in {out \in [Seqs -> UNION {outs[s] : s \in Seqs}] : \A s \in Seqs : out[s] \in outs[s]}}
\* The O sets of the new-views for v that can be built with the view-change of `own` among them
\* (none: any): at least a quorum of distinct senders (a backup refuses fewer; the code's new primary
\* puts in every view-change it holds, so any subset of those sent may be the one).
NewViewVals(v, own) ==
    UNION {UNION {OSets(v, H, D) : D \in {D \in SUBSET Byz : Cardinality(H) + Cardinality(D) >= QuorumSize}} :
              H \in {H \in SUBSET HonestViewChanges(v) : own \subseteq {m.from : m \in H}}}

\* The new-views for v that were sent: an honest primary's (in msgs), or any a Byzantine primary can
\* justify.
NewViewSent(v) ==
    {m \in msgs : m.type = "nv" /\ m.view = v}
    \cup IF Primary(v) \in Byz
         THEN {[type |-> "nv", view |-> v, from |-> Primary(v), val |-> o] : o \in NewViewVals(v, {})}
         ELSE {}

----------------------------------------------------------------------------
(* The normal case (as PBFT.tla, without certificates).                    *)

\* v's primary assigned val to s: its pre-prepare in view 0 (or above a new-view's max-s), else the
\* new-view's O set.
PrePrepared(v, s, val) ==
    IF v = 0 THEN Sent([type |-> "pp", view |-> 0, seq |-> s, val |-> val, from |-> Primary(0)])
    ELSE \E m \in NewViewSent(v) :
            IF s \in DOMAIN m.val THEN m.val[s] = val
            ELSE Sent([type |-> "pp", view |-> v, seq |-> s, val |-> val, from |-> Primary(v)])
\* The value is the new-view's for s (its pre-prepare is signed; no client MAC is checked).
FromNewView(v, s, val) == v > 0 /\ \E m \in NewViewSent(v) : s \in DOMAIN m.val /\ m.val[s] = val
\* prepared(v, s, val): the pre-prepare and QuorumSize-1 matching prepares from distinct backups.
Prepared(v, s, val) ==
    /\ PrePrepared(v, s, val)
    /\ Cardinality({r \in R \ {Primary(v)} : Sent([type |-> "prepare", view |-> v, seq |-> s, val |-> val, from |-> r])}) >= QuorumSize - 1

\* Replica r has sent a prepare for (v, s).
Accepted(r, v, s) == \E val \in Vals : [type |-> "prepare", view |-> v, seq |-> s, val |-> val, from |-> r] \in msgs
\* r accepted a pre-prepare of val at s in view w: as backup, it sent the prepare; as w's primary, it
\* sent the pre-prepare or a new-view assigning val (`notePrePrepared`).
PrePreparedBy(r, w, s, val) ==
    \/ [type |-> "prepare", view |-> w, seq |-> s, val |-> val, from |-> r] \in msgs
    \/ /\ r = Primary(w)
       /\ \/ [type |-> "pp", view |-> w, seq |-> s, val |-> val, from |-> r] \in msgs
          \/ \E m \in msgs : m.type = "nv" /\ m.view = w /\ m.from = r /\ s \in DOMAIN m.val /\ m.val[s] = val
\* r is prepared for (v, s, val): it accepted that pre-prepare and the prepares are there.
PreparedAt(r, v, s, val) == PrePreparedBy(r, v, s, val) /\ Prepared(v, s, val)

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

\* The primary of an active view assigns a client request to s (in a later view: above max-s).
SendPrePrepare(r, s, val) ==
    LET v == view[r] IN
    /\ r = Primary(v) /\ active[r] /\ Signed(val) /\ val # Null
    /\ v > 0 => \E m \in NewViewSent(v) : s \notin DOMAIN m.val
    /\ ~\E x \in Vals : [type |-> "pp", view |-> v, seq |-> s, val |-> x, from |-> r] \in msgs
    /\ Send([type |-> "pp", view |-> v, seq |-> s, val |-> val, from |-> r])
    /\ UNCHANGED <<view, active, committed, executed, ran>>

\* A backup accepts the first pre-prepare it sees for (view, s) and sends its prepare: an ordinary
\* one only with client-authenticated requests (`batchIsValid`), a new-view's whatever it holds
\* (`batchDigestMatches`).
SendPrepare(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ r # Primary(v)
    /\ PrePrepared(v, s, val)
    /\ Signed(val) \/ FromNewView(v, s, val)
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

\* Committed-local: own commit and a quorum of matching commits.
Commit(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ committed[r][s] = None
    /\ [type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> r] \in msgs
    /\ Cardinality({q \in R : Sent([type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> q])}) >= QuorumSize
    /\ committed' = [committed EXCEPT ![r][s] = [view |-> v, val |-> val]]
    /\ ExecuteReady(r, committed'[r])
    /\ UNCHANGED <<msgs, view, active>>

\* r's P claim at s for a view-change to v: the highest-view batch below v it sent a commit for.
PClaim(r, s, v) ==
    LET held == {[view |-> m.view, val |-> m.val] :
                    m \in {x \in msgs : x.type = "commit" /\ x.from = r /\ x.seq = s /\ x.view < v}}
    IN IF held = {} THEN None ELSE CHOOSE c \in held : \A d \in held : d.view <= c.view
\* r's Q claims at s for a view-change to v: each value it pre-prepared there below v, with the latest
\* view it did (`prePreparedClaims`; the code keeps the latest 4 values, never more than views here).
QClaims(r, s, v) ==
    LET views(val) == {w \in 0..(v - 1) : PrePreparedBy(r, w, s, val)}
    IN {[view |-> CHOOSE w \in views(val) : \A u \in views(val) : u <= w, val |-> val] : val \in {x \in Vals : views(x) # {}}}

\* The view-change timer fires, or F+1 view-changes for later views came: move to v and send the
\* signed view-change with the claims.
StartViewChange(r, v) ==
    /\ view[r] < v /\ v <= MaxView
    /\ Send([type |-> "vc", view |-> v, from |-> r,
             prepared |-> [s \in Seqs |-> PClaim(r, s, v)], prePrepared |-> [s \in Seqs |-> QClaims(r, s, v)]])
    /\ view' = [view EXCEPT ![r] = v]
    /\ active' = [active EXCEPT ![r] = FALSE]
    /\ UNCHANGED <<committed, executed, ran>>

\* The new primary, with view-changes (its own among them) that decide every sequence number up to
\* max-s, sends the new-view with an O set they determine and starts the view (`tryNewView`).
SendNewView(r) ==
    LET v == view[r] IN
    /\ ~active[r] /\ r = Primary(v)
    /\ \E o \in NewViewVals(v, {r}) : Send([type |-> "nv", view |-> v, from |-> r, val |-> o])
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
    \/ \E r \in Honest : SendNewView(r)
    \/ \E r \in Honest, v \in Views : EnterNewView(r, v)

Spec == Init /\ [][Next]_vars

----------------------------------------------------------------------------
TypeOK ==
    /\ \A m \in msgs :
        CASE m.type = "pp"      -> m \in PrePrepareMsgs
          [] m.type = "prepare" -> m \in PrepareMsgs
          [] m.type = "commit"  -> m \in CommitMsgs
          [] m.type = "vc"      -> ViewChangeShape(m) /\ WellFormed(m)
          [] m.type = "nv"      -> NewViewShape(m)
          [] OTHER              -> FALSE
    /\ view \in [Honest -> Views]
    /\ active \in [Honest -> BOOLEAN]
    /\ committed \in [Honest -> [Seqs -> [view : Views, val : Vals] \cup {None}]]
    /\ executed \in [Honest -> 0..Cardinality(Seqs)]
    /\ ran \in [Honest -> SUBSET [seq : Seqs, val : Requests]]

\* No two honest replicas commit different values at one sequence number.
Agreement ==
    \A r1, r2 \in Honest, s \in Seqs :
        (committed[r1][s] # None /\ committed[r2][s] # None) => committed[r1][s].val = committed[r2][s].val

\* Only client-authenticated requests (or the null request) are committed.
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

----------------------------------------------------------------------------
(* Reachability (`pnpm specs` checks that TLC violates each: the model      *)
(* gets there, so the invariants are not vacuous).                          *)

\* No new-view assigns a batch chosen from claims (rule A: only null requests, or nothing).
NeverChosenFromClaims == \A m \in msgs : m.type = "nv" => \A s \in DOMAIN m.val : m.val[s] = Null
\* No honest replica commits in a view after a view change.
NeverCommitAfterViewChange == \A r \in Honest, s \in Seqs : committed[r][s] = None \/ committed[r][s].view = 0
=============================================================================
