------------------------------- MODULE MCRaft -------------------------------
(***************************************************************************)
(* Bounded model of Raft.tla for TLC: the bounds are a state constraint,   *)
(* the server ids a symmetry set. Every MCRaft*.cfg uses it; they differ  *)
(* only in the constants.                                                  *)
(***************************************************************************)
EXTENDS Raft

CONSTANTS
    MaxTerm,       \* no server's term goes beyond this
    MaxLogLen,     \* no log grows beyond this many entries
    MaxInFlight    \* at most this many messages (copies counted) in flight

\* States beyond the bounds are still checked against the invariants but not
\* explored further.
MCConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm
    /\ \A i \in Server : Len(log[i]) <= MaxLogLen
    /\ BagCardinality(messages) <= MaxInFlight

MCSymmetry == Permutations(Server)
=============================================================================
