------------------------------- MODULE MCRaft -------------------------------
(***************************************************************************)
(* Bounded model of Raft.tla for TLC: the bounds are a state constraint,   *)
(* the server ids a symmetry set. Every MCRaft*.cfg uses it; they differ  *)
(* only in the constants.                                                  *)
(***************************************************************************)
EXTENDS Raft

CONSTANTS
    MaxTerm,       \* no server's term goes beyond this
    MaxLogLen,     \* no log grows beyond this index (snapshot included)
    MaxInFlight    \* at most this many messages (copies counted) in flight

\* States beyond the bounds are still checked against the invariants but not
\* explored further.
MCConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm
    /\ \A i \in Server : LastIndex(i) <= MaxLogLen
    /\ BagCardinality(messages) <= MaxInFlight

MCSymmetry == Permutations(Server)

-----------------------------------------------------------------------------
(* Reachability ("Never...") properties. Each states that something never  *)
(* happens; TLC must find each one VIOLATED (expected-failures.json), which *)
(* proves that the model reaches that situation and that the invariants    *)
(* are not true merely because nothing interesting happens. No committed   *)
(* cfg checks them.                                                        *)

\* No server ever becomes leader.
NeverLeader == \A i \in Server : state[i] /= Leader

\* No entry is ever committed.
NeverCommit == committed = {}

\* No leader ever crashes and restarts (a restart that changes nothing is a
\* stuttering step and does not count).
NeverLeaderRestart ==
    [][\A i \in Server : ~(state[i] = Leader /\ Restart(i))]_vars

\* No follower ever acknowledges its commit index for an AppendEntries below it
\* (HandleAppendEntriesBelowCommit, the implementation's shortcut, never fires).
NeverAckBelowCommit ==
    [][\A i, j \in Server : ~ReceiveAppendEntriesBelowCommit(i, j)]_vars

\* No message is ever in flight twice (duplication never happens).
NeverDuplicateInFlight == \A m \in DOMAIN messages : messages[m] <= 1

\* The Figure-8 situation of the Raft paper never arises: a leader holds an
\* uncommitted entry of an older term that a majority stores, while another
\* server holds a conflicting entry of a newer term at that index (if that
\* server were elected, it would overwrite the entry; committing it by
\* counting replicas would lose a committed entry).
NeverFigure8 ==
    ~\E i, j \in Server :
       \E k \in 1..Len(log[i]) :
         /\ state[i] = Leader
         /\ k > commitIndex[i]
         /\ log[i][k].term < currentTerm[i]
         /\ IsQuorum({s \in Server : Len(log[s]) >= k /\ log[s][k] = log[i][k]})
         /\ Len(log[j]) >= k
         /\ log[j][k].term > log[i][k].term

\* No server ever takes a snapshot from its leader (ReceiveInstallSnapshot
\* never replaces a log by a snapshot).
NeverInstallSnapshot ==
    [][\A i, j \in Server :
         ~(ReceiveInstallSnapshot(i, j) /\ snapshotIndex'[i] /= snapshotIndex[i])]_vars

\* No follower with a diverged log (an entry at or below the snapshot's index
\* that the snapshot does not hold) ever discards it for a snapshot.
NeverSnapshotDiscardsDivergedLog ==
    [][\A i \in Server :
         ~(/\ log[i] /= <<>>
           /\ log'[i] = <<>>
           /\ snapshotIndex'[i] > snapshotIndex[i]
           /\ \E k \in (snapshotIndex[i] + 1)..Min2(LastIndex(i), snapshotIndex'[i]) :
                EntryAt(i, k) /= snapshotData'[i][k])]_vars
=============================================================================
