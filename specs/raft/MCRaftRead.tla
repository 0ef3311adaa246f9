----------------------------- MODULE MCRaftRead -----------------------------
(***************************************************************************)
(* Bounded model of RaftRead.tla (ReadIndex reads) for TLC: MCRaft's       *)
(* bounds plus at most MaxReads reads begun.                               *)
(***************************************************************************)
EXTENDS MCRaft, RaftRead

CONSTANT MaxReads  \* no more than this many reads are begun

\* A state with an answer is checked but not explored further. Sound for
\* ReadIndexLinearizable: once a read is answered its result and mustSee
\* never change and `committed` only grows, so the invariant holds in every
\* later state iff it holds here; and the read variables never disable a
\* step of Raft.tla (RaftStep is enabled whenever Next is), so every state
\* of Raft.tla's variables is still reached, on the paths without reads,
\* for its own invariants.
MCReadConstraint ==
    /\ MCConstraint
    /\ readsBegun <= MaxReads
    /\ answered = {}

\* The random-simulation bound (MCRaftReadLarge.simcfg): several reads, and
\* the behaviour goes on after an answer.
MCReadSimConstraint ==
    /\ MCConstraint
    /\ readsBegun <= MaxReads

-----------------------------------------------------------------------------
(* Reachability: TLC must find each violated (expected-failures.json).     *)

\* No read is ever answered.
NeverReadAnswered == answered = {}

\* No read ever begins with an index below the highest committed one: a
\* leader of a higher term has committed past the reading leader's commit
\* index. In that situation a read answered without confirming leadership
\* misses a committed write (the read-index-no-confirm broken copy).
NeverStaleReadIndex ==
    ~\E r \in pending : r.mustSee > r.index
=============================================================================
