------------------------------ MODULE RaftRead ------------------------------
(***************************************************************************)
(* Linearizable reads by ReadIndex (Raft thesis §6.4), as @synod/raft's    *)
(* rules/reads.ts and read-only.ts serve them, added to Raft.tla without   *)
(* changing it: every step of Raft.tla is a step here (the read variables  *)
(* follow it), and five read actions are added.                            *)
(*                                                                         *)
(*  - BeginRead(i): leader i accepts a read once an entry of its own term  *)
(*    is committed (a new leader's commit index may lag: reads.ts queues   *)
(*    the read in readsBeforeCommit until then, which is the same as       *)
(*    beginning it later), and records its commit index.                   *)
(*  - ConfirmRead(i, j): j acknowledges a heartbeat round of i's term sent *)
(*    after the read began (the round of read-only.ts). j answers such a   *)
(*    heartbeat only if its own term is not above the leader's; the step   *)
(*    requires exactly that and leaves j's state alone. The implementation *)
(*    makes j adopt the term; leaving it lower lets j do more afterwards   *)
(*    (vote in a lower term), so this allows more behaviours, not fewer.   *)
(*    The leader counts itself (it acknowledges its own round).            *)
(*  - ApplyEntry(i): a leader with a read waiting applies its next        *)
(*    committed entry. Only the applied index of a leader at the moment it *)
(*    answers matters, so applying is left until a read waits (a reduction *)
(*    of the model): a leader then answers at any applied index from where *)
(*    it stopped up to its commit index, every value the implementation's  *)
(*    (applying on every commit) can hold, and lower ones too.             *)
(*  - AnswerRead(i): a quorum confirmed the read and the leader applied up *)
(*    to its index: the answer is the state machine, i.e. the applied      *)
(*    prefix of the log (FullLog(i)[1..lastApplied[i]]).                   *)
(*  - A read pending at a server that is no longer leader of the read's    *)
(*    term is refused (reads.ts's failPendingReads): it leaves `pending`.  *)
(*                                                                         *)
(* Lease reads (readMode "lease") are not modelled: they rest on clocks.   *)
(*                                                                         *)
(* ReadIndexLinearizable is the read half of linearizability, the part     *)
(* the simulator's end-of-run `Linearizable` (lincheck over the KV         *)
(* history) checks for reads: a read's answer holds every write committed  *)
(* before the read began, and nothing that was not committed.              *)
(***************************************************************************)
EXTENDS Raft

VARIABLES
    lastApplied,  \* volatile: the highest index applied to the state machine
    pending,      \* volatile, leaders: reads waiting for confirmation or apply
    answered,     \* history: every answer given, [mustSee, result]
    readsBegun    \* history: the number of reads begun (for the model bound)

readVars == <<lastApplied, pending, answered, readsBegun>>
allVars  == <<vars, readVars>>

\* The highest index of an entry committed so far (committed entries form a
\* prefix: a leader that commits index k records every index up to k).
MaxCommitted ==
    IF committed = {} THEN 0
    ELSE CHOOSE k \in {c.index : c \in committed} : \A c \in committed : c.index <= k

\* reads.ts's committedInCurrentTerm: the leader's commit index is at an entry
\* of its own term, so it covers everything committed in an earlier term.
CommittedInCurrentTerm(i) ==
    /\ commitIndex[i] > 0
    /\ FullLog(i)[commitIndex[i]].term = currentTerm[i]

ReadInit ==
    /\ Init
    /\ lastApplied = [i \in Server |-> 0]
    /\ pending     = {}
    /\ answered    = {}
    /\ readsBegun  = 0

\* A step of Raft.tla. Applied state never runs past the commit index (only a
\* restart lowers it: the state machine is rebuilt from the snapshot and the
\* log) and is at least the snapshot a server holds (a snapshot installed from
\* the leader replaces the state machine). A read whose server no longer leads
\* its term is refused.
RaftStep ==
    /\ Next
    /\ lastApplied' = [i \in Server |->
                         Max2(snapshotIndex'[i], Min2(lastApplied[i], commitIndex'[i]))]
    /\ pending' = {r \in pending : /\ state'[r.server] = Leader
                                   /\ currentTerm'[r.server] = r.term}
    /\ UNCHANGED <<answered, readsBegun>>

\* Leader i accepts a read and records its commit index.
BeginRead(i) ==
    /\ state[i] = Leader
    /\ CommittedInCurrentTerm(i)
    /\ pending' = pending \cup {[server  |-> i,
                                 term    |-> currentTerm[i],
                                 index   |-> commitIndex[i],
                                 acks    |-> {i},
                                 mustSee |-> MaxCommitted]}
    /\ readsBegun' = readsBegun + 1
    /\ UNCHANGED <<vars, lastApplied, answered>>

\* j acknowledges the heartbeat round that i sent for read r.
ConfirmRead(i, j) ==
    /\ \E r \in pending :
         /\ r.server = i
         /\ j \notin r.acks
         /\ ~IsQuorum(r.acks)   \* once confirmed, more acks change nothing
         /\ currentTerm[j] <= r.term
         /\ pending' = (pending \ {r}) \cup {[r EXCEPT !.acks = @ \cup {j}]}
    /\ UNCHANGED <<vars, lastApplied, answered, readsBegun>>

\* Leader i applies its next committed entry.
ApplyEntry(i) ==
    /\ state[i] = Leader
    /\ \E r \in pending : r.server = i
    /\ lastApplied[i] < commitIndex[i]
    /\ lastApplied' = [lastApplied EXCEPT ![i] = @ + 1]
    /\ UNCHANGED <<vars, pending, answered, readsBegun>>

\* Leader i answers a confirmed read whose index it has applied.
AnswerRead(i) ==
    /\ \E r \in pending :
         /\ r.server = i
         /\ IsQuorum(r.acks)
         /\ r.index <= lastApplied[i]
         /\ pending' = pending \ {r}
         /\ answered' = answered \cup
              {[mustSee |-> r.mustSee,
                result  |-> SubSeq(FullLog(i), 1, lastApplied[i])]}
    /\ UNCHANGED <<vars, lastApplied, readsBegun>>

ReadNext ==
    \/ RaftStep
    \/ \E i \in Server : BeginRead(i)
    \/ \E i, j \in Server : ConfirmRead(i, j)
    \/ \E i \in Server : ApplyEntry(i)
    \/ \E i \in Server : AnswerRead(i)

ReadSpec == ReadInit /\ [][ReadNext]_allVars

-----------------------------------------------------------------------------
\* Invariants.

ReadTypeOK ==
    /\ lastApplied \in [Server -> Nat]
    /\ \A i \in Server : lastApplied[i] <= commitIndex[i]
    /\ pending \subseteq [server : Server, term : Nat, index : Nat,
                          acks : SUBSET Server, mustSee : Nat]
    /\ \A r \in pending : state[r.server] = Leader /\ currentTerm[r.server] = r.term
    /\ \A r \in answered : r.mustSee \in Nat /\ r.result \in Seq(Entry)
    /\ readsBegun \in Nat

\* Every answer holds every write committed before its read began, at its
\* index, and holds only committed writes (no read sees an entry that was
\* never committed, or a different entry at a committed index).
ReadIndexLinearizable ==
    \A r \in answered :
       /\ r.mustSee <= Len(r.result)
       /\ \A k \in 1..Len(r.result) :
            \E c \in committed : c.index = k /\ c.entry = r.result[k]
=============================================================================
