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
(* Checkpoints (Castro & Liskov OSDI'99 §4.3, TOCS §4.4), guarded by K:   *)
(* in the step that executes a multiple of K a replica sends a checkpoint  *)
(* with its state (the requests it executed up to there); a quorum of      *)
(* matching ones makes it stable (Stabilize): the low water mark h, below  *)
(* which the replica accepts nothing (the window is h+1..h+L) and keeps no *)
(* certificate (garbage collection: its view-change carries h and only the *)
(* certificates above it). A new view starts from the highest stable      *)
(* checkpoint its view-changes prove (min-s), which its readers adopt.     *)
(* A replica stable beyond what it executed installs the proven state      *)
(* (FetchState: state transfer; its requests count as executed for the     *)
(* skip, as the code's client table comes with the state).                 *)
(* With K above every sequence number nothing of this happens, and the     *)
(* models without checkpoints keep their states.                           *)
(*                                                                         *)
(* Not modelled: the client protocol, batching (a value is one batch),     *)
(* crash recovery.                                                         *)
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
    MaxView,        \* views are 0..MaxView
    K,              \* the checkpoint interval (above every sequence number: no checkpoints)
    L               \* the log size: a replica accepts sequence numbers h+1..h+L (h its stable checkpoint)

R == {Replicas[i] : i \in 1..Len(Replicas)}
Honest == R \ Byz
Views == 0..MaxView
Vals == Requests \cup {Null, Forged}
None == [view |-> 0, val |-> Forged]   \* "no prepared certificate" (never a valid one: see CertValid)

ASSUME K \in Nat \ {0} /\ L \in Nat \ {0}
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
\* The sequence numbers a checkpoint is taken at, and the states a checkpoint can carry: the requests
\* executed up to it, with their sequence numbers (the code's digest of the service and client table).
CkptSeqs == {s \in Seqs : s % K = 0}
States == SUBSET [seq : Seqs, val : Requests]
CheckpointMsgs == [type : {"ckpt"}, seq : CkptSeqs, state : States, from : R]
NoCheckpoint == [seq |-> 0, state |-> {}]
\* A view-change carries its sender's stable checkpoint (stable: its sequence number, 0 for none) and,
\* per sequence number above it, the highest prepared certificate its sender holds (as [view, val];
\* None when it holds none).
ViewChangeMsgs == [type : {"vc"}, view : Views, from : R, stable : {0} \cup CkptSeqs, prep : [Seqs -> [view : Views, val : Vals]]]
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
    ran,        \* ran[r]: r's executions of requests, as [seq, val] (the code's `execute` outputs)
    stable      \* stable[r]: r's stable checkpoint [seq, state] (seq: the low water mark h; NoCheckpoint)

vars == <<msgs, view, active, committed, executed, ran, stable>>

\* Everything a Byzantine replica can sign (view-changes and new-views of a bounded shape: one
\* view-change set per quorum of senders, chosen by the new-view's readers below).
\* Sent(m): m was sent, by an honest replica (in msgs) or by a Byzantine one (any message it can sign).
Sent(m) == m \in msgs \/ (m.from \in Byz /\ (m.type \in {"pp", "prepare", "commit", "ckpt"} \/ (m.type = "vc" /\ m.view > 0)))
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

\* A checkpoint with state d at s is proven: a quorum of replicas sent it (at least one honest).
Proven(s, d) == Quorum({q \in R : Sent([type |-> "ckpt", seq |-> s, state |-> d, from |-> q])})
\* The stable checkpoint s a view-change names is proven (the code's checkpointProof).
StableProven(s) == s = 0 \/ \E m \in msgs : m.type = "ckpt" /\ m.seq = s /\ Proven(s, m.state)
\* The state proven at s (a quorum has an honest member: its checkpoint is in msgs).
ProvenState(s) == (CHOOSE m \in {m \in msgs : m.type = "ckpt" /\ m.seq = s /\ Proven(s, m.state)} : TRUE).state

\* A view-change is valid when its stable checkpoint is proven and each certificate it carries is (a
\* reader recomputes them), above that checkpoint and within the log.
VcValid(m) ==
    /\ StableProven(m.stable)
    /\ \A s \in Seqs : m.prep[s] = None \/ (m.stable < s /\ s <= m.stable + L /\ m.prep[s].view < m.view /\ CertValid(m.prep[s].view, s, m.prep[s].val))

\* The value a new view assigns to s, from its view-changes: the highest-view certificate, else Null.
Chosen(vcs, s) ==
    LET certs == {m.prep[s] : m \in {x \in vcs : x.prep[s] # None}}
    IN IF certs = {} THEN Null
       ELSE (CHOOSE c \in certs : \A d \in certs : d.view <= c.view).val
\* min-s: the highest stable checkpoint among vcs (the code's highestCheckpoint; 0: none).
MinS(vcs) == LET hs == {m.stable : m \in vcs} IN CHOOSE h \in hs : \A g \in hs : g <= h
\* max-s: the highest sequence number a certificate in vcs is for above min-s (min-s: none).
MaxPrepSeq(vcs) ==
    LET ss == {s \in Seqs : s > MinS(vcs) /\ \E m \in vcs : m.prep[s] # None}
    IN IF ss = {} THEN MinS(vcs) ELSE CHOOSE s \in ss : \A t \in ss : t <= s
\* What a new view built from vcs assigns: every sequence number above min-s up to max-s.
NewViewVal(vcs) == [s \in {t \in Seqs : MinS(vcs) < t /\ t <= MaxPrepSeq(vcs)} |-> Chosen(vcs, s)]

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

\* s is in r's log window: above its stable checkpoint h, at most h + L.
InWindow(r, s) == stable[r].seq < s /\ s <= stable[r].seq + L
\* r adopts the proven stable checkpoint h when it is above its own.
Adopt(r, h) == stable' = IF h > stable[r].seq THEN [stable EXCEPT ![r] = [seq |-> h, state |-> ProvenState(h)]] ELSE stable

----------------------------------------------------------------------------
Init ==
    /\ msgs = {}
    /\ view = [r \in Honest |-> 0]
    /\ active = [r \in Honest |-> TRUE]
    /\ committed = [r \in Honest |-> [s \in Seqs |-> None]]
    /\ executed = [r \in Honest |-> 0]
    /\ ran = [r \in Honest |-> {}]
    /\ stable = [r \in Honest |-> NoCheckpoint]

\* The primary of an active view assigns a client request to s (in a later view: to an s above the
\* new-view's max-s).
SendPrePrepare(r, s, val) ==
    LET v == view[r] IN
    /\ r = Primary(v) /\ active[r] /\ Signed(val) /\ val # Null /\ InWindow(r, s)
    /\ v > 0 => \E m \in NewViewSent(v) : s \notin DOMAIN m.val /\ s > MinS(m.vcs)
    /\ ~\E x \in Vals : [type |-> "pp", view |-> v, seq |-> s, val |-> x, from |-> r] \in msgs
    /\ Send([type |-> "pp", view |-> v, seq |-> s, val |-> val, from |-> r])
    /\ UNCHANGED <<view, active, committed, executed, ran, stable>>

\* A backup accepts the first pre-prepare it sees for (view, s) from the view's primary (in a
\* later view: what a valid new-view assigns) and sends its prepare.
SendPrepare(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ r # Primary(v) /\ Signed(val) /\ InWindow(r, s)
    /\ PrePrepared(v, s, val)
    /\ ~Accepted(r, v, s)
    /\ Send([type |-> "prepare", view |-> v, seq |-> s, val |-> val, from |-> r])
    /\ UNCHANGED <<view, active, committed, executed, ran, stable>>

\* Prepared: send the commit.
SendCommit(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ InWindow(r, s) /\ PreparedAt(r, v, s, val)
    /\ [type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> r] \notin msgs
    /\ Send([type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> r])
    /\ UNCHANGED <<view, active, committed, executed, ran, stable>>

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
\* At each multiple of K it executes, r sends its checkpoint: its state there (executeBatch, takeCheckpoint).
SendAll(S) == msgs' = msgs \cup S
ExecuteFrom(r, c, s0, rec0) ==
    LET out == Run(c, s0, rec0)
        ckpts == {[type |-> "ckpt", seq |-> t, state |-> {e \in out.rec : e.seq <= t}, from |-> r] :
                    t \in {t \in CkptSeqs : s0 <= t /\ t <= out.last}}
    IN /\ executed' = [executed EXCEPT ![r] = out.last]
       /\ ran' = [ran EXCEPT ![r] = out.rec]
       /\ IF ckpts = {} THEN UNCHANGED msgs ELSE SendAll(ckpts)
ExecuteReady(r, c) == ExecuteFrom(r, c, executed[r] + 1, ran[r])

\* Committed-local: own commit and a quorum (2F+1 when n = 3F+1) of matching commits.
Commit(r, s, val) ==
    LET v == view[r] IN
    /\ active[r] /\ committed[r][s] = None /\ InWindow(r, s)
    /\ [type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> r] \in msgs
    /\ Quorum({q \in R : Sent([type |-> "commit", view |-> v, seq |-> s, val |-> val, from |-> q])})
    /\ committed' = [committed EXCEPT ![r][s] = [view |-> v, val |-> val]]
    /\ ExecuteReady(r, committed'[r])
    /\ UNCHANGED <<view, active, stable>>

\* r's highest prepared certificate for s below view v, or None. r holds the certificates it sent a
\* commit for (SendCommit requires PreparedAt; prepares r has not received are not its to carry), and
\* none at or below its stable checkpoint (garbage collected).
HighestCert(r, s, v) ==
    LET held == {[view |-> m.view, val |-> m.val] :
                    m \in {x \in msgs : x.type = "commit" /\ x.from = r /\ x.seq = s /\ x.view < v}}
    IN IF held = {} \/ s <= stable[r].seq THEN None ELSE CHOOSE c \in held : \A d \in held : d.view <= c.view

\* A quorum of checkpoints with state d at s came: s becomes r's stable checkpoint, the low water mark
\* (stabilize: the log at or below s is collected). r need not have executed s (then it fetches the
\* state: FetchState).
Stabilize(r, s, d) ==
    /\ s \in CkptSeqs /\ s > stable[r].seq
    /\ Proven(s, d)
    /\ stable' = [stable EXCEPT ![r] = [seq |-> s, state |-> d]]
    /\ UNCHANGED <<msgs, view, active, committed, executed, ran>>

\* State transfer (onState): r, stable beyond what it executed, installs its stable checkpoint's
\* proven state, executed up to there, and executes what it committed above it (none: r commits in
\* order). The requests of the state count as executed (ran) for the skip: the code's client table
\* comes with the state. r's committed stays as it was at and below the checkpoint.
FetchState(r) ==
    /\ executed[r] < stable[r].seq
    /\ ExecuteFrom(r, committed[r], stable[r].seq + 1, ran[r] \cup stable[r].state)
    /\ UNCHANGED <<view, active, committed, stable>>

\* The view-change timer fires (v: the next view), or f+1 view-changes for later views came (v: the
\* smallest of them): move to v and send the view-change.
StartViewChange(r, v) ==
    /\ view[r] < v /\ v <= MaxView
    /\ Send([type |-> "vc", view |-> v, from |-> r, stable |-> stable[r].seq, prep |-> [s \in Seqs |-> HighestCert(r, s, v)]])
    /\ view' = [view EXCEPT ![r] = v]
    /\ active' = [active EXCEPT ![r] = FALSE]
    /\ UNCHANGED <<committed, executed, ran, stable>>

\* The new primary, with a quorum of valid view-changes for its view, sends the new-view.
SendNewView(r, Q) ==
    LET v == view[r] IN
    /\ ~active[r] /\ r = Primary(v)
    /\ Quorum({x.from : x \in Q}) /\ Cardinality(Q) = QuorumSize
    /\ \A x \in Q : x \in ViewChangesFor(v) /\ VcValid(x)
    /\ Send([type |-> "nv", view |-> v, from |-> r, vcs |-> Q, val |-> NewViewVal(Q)])
    /\ active' = [active EXCEPT ![r] = TRUE]
    /\ Adopt(r, MinS(Q))
    /\ UNCHANGED <<view, committed, executed, ran>>

\* A replica accepts a valid new-view for its view or a later one, starts that view, and adopts the
\* new view's stable checkpoint (min-s) when it is above its own.
EnterNewView(r, v) ==
    /\ v > 0 /\ (v > view[r] \/ (v = view[r] /\ ~active[r]))
    /\ \E m \in NewViewSent(v) : Adopt(r, MinS(m.vcs))
    /\ view' = [view EXCEPT ![r] = v]
    /\ active' = [active EXCEPT ![r] = TRUE]
    /\ UNCHANGED <<msgs, committed, executed, ran>>

Next ==
    \/ \E r \in Honest, s \in Seqs, val \in Vals : SendPrePrepare(r, s, val) \/ SendPrepare(r, s, val) \/ SendCommit(r, s, val) \/ Commit(r, s, val)
    \/ \E r \in Honest, v \in Views : StartViewChange(r, v)
    \/ \E r \in Honest : \E Q \in SUBSET {x \in ViewChangesFor(view[r]) : VcValid(x)} : SendNewView(r, Q)
    \/ \E r \in Honest, v \in Views : EnterNewView(r, v)
    \/ \E r \in Honest, s \in CkptSeqs, d \in States : Stabilize(r, s, d)
    \/ \E r \in Honest : FetchState(r)

Spec == Init /\ [][Next]_vars

----------------------------------------------------------------------------
TypeOK ==
    /\ \A m \in msgs :
        CASE m.type = "pp"      -> m \in PrePrepareMsgs
          [] m.type = "prepare" -> m \in PrepareMsgs
          [] m.type = "commit"  -> m \in CommitMsgs
          [] m.type = "vc"      -> m \in ViewChangeMsgs
          [] m.type = "nv"      -> NewViewShape(m)
          [] m.type = "ckpt"    -> m \in CheckpointMsgs
          [] OTHER              -> FALSE
    /\ view \in [Honest -> Views]
    /\ active \in [Honest -> BOOLEAN]
    /\ committed \in [Honest -> [Seqs -> [view : Views, val : Vals]]]
    /\ executed \in [Honest -> 0..Cardinality(Seqs)]
    /\ ran \in [Honest -> SUBSET [seq : Seqs, val : Requests]]
    /\ stable \in [Honest -> [seq : {0} \cup CkptSeqs, state : States]]

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

----------------------------------------------------------------------------
\* Checkpoints (vacuous without them: K above every sequence number).

\* A replica's stable checkpoint holds the state every honest replica's checkpoint there carries.
CheckpointAgreement ==
    \A r \in Honest : stable[r].seq > 0 =>
        \A m \in msgs : (m.type = "ckpt" /\ m.seq = stable[r].seq) => m.state = stable[r].state

\* What was committed at or below a replica's stable checkpoint is in its state there (garbage
\* collection loses no committed request).
StableKeepsCommitted ==
    \A r1, r2 \in Honest, s \in Seqs :
        (committed[r1][s] # None /\ s <= stable[r2].seq /\ committed[r1][s].val \in Requests)
            => committed[r1][s].val \in {e.val : e \in stable[r2].state}

\* Nothing committed is lost across a view change, below a stable checkpoint too: an honest primary
\* of a later view pre-prepares at s only the value committed there (it orders above min-s, and the
\* certificates above it; ViewChangeSafety says the same of prepares).
CheckpointViewChangeSafety ==
    \A r \in Honest, s \in Seqs :
        committed[r][s] # None =>
            \A m \in msgs : (m.type = "pp" /\ m.seq = s /\ m.view > committed[r][s].view) => m.val = committed[r][s].val

\* Reachability (expected failures: TLC must violate them). A checkpoint becomes stable; a view-change
\* leaves out, garbage collected, a certificate its sender held; a new view starts from a checkpoint.
NeverStable == \A r \in Honest : stable[r].seq = 0
NeverCollected ==
    ~\E m \in msgs : m.type = "vc" /\ m.stable > 0 /\
        \E c \in msgs : c.type = "commit" /\ c.from = m.from /\ c.seq <= m.stable /\ c.view < m.view
NeverNewViewFromCheckpoint == ~\E m \in msgs : m.type = "nv" /\ MinS(m.vcs) > 0
=============================================================================
