-------------------------- MODULE MCRaftMembership --------------------------
(***************************************************************************)
(* Bounded model of RaftMembership.tla for TLC: the bounds are a state     *)
(* constraint, the server ids a symmetry set (the initial voters are every *)
(* server and MCTargets is closed under permutations, so it is sound).    *)
(***************************************************************************)
EXTENDS RaftMembership

CONSTANTS
    MaxTerm,       \* no server's term goes beyond this
    MaxLogLen,     \* no log grows beyond this index
    MaxInFlight    \* at most this many messages (copies counted) in flight

\* The changes a leader may propose, closed under permutations of Server (so
\* that the symmetry is sound): one voter is kept and the two others are
\* demoted to learners (3 -> 1 voters). An incoming majority ({s}) is then no
\* majority of the outgoing half, which is what a joint quorum must not
\* ignore; the leader is demoted (it leaves, then steps down) whenever it is
\* not the one kept; learners get the log. (Larger sets of targets, e.g. a
\* voter removed or demoted alone, 3 -> 2, multiplied the states by three or
\* more and did not finish within this host's budget.)
MCTargets == {[voters |-> {s}, learners |-> Server \ {s}] : s \in Server}

MCConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm
    /\ \A i \in Server : Len(log[i]) <= MaxLogLen
    /\ BagCardinality(messages) <= MaxInFlight

MCSymmetry == Permutations(Server)

-----------------------------------------------------------------------------
(* Reachability ("Never...") properties: TLC must find each one violated   *)
(* (expected-failures.json), which shows that the model enters and leaves  *)
(* joint configurations and removes leaders. No committed cfg checks them. *)

\* No server ever applies a joint configuration.
NeverJoint == \A i \in Server : ~IsJoint(Conf(i))

\* No server ever leaves a joint configuration (applies a simple one other
\* than the initial one).
NeverLeaveJoint == \A i \in Server : IsJoint(Conf(i)) \/ Conf(i) = InitConf

\* No leader ever steps down because its configuration removed it.
NeverLeaderRemoved == [][\A i \in Server : ~StepDownRemoved(i)]_vars

\* No leader that its joint configuration is leaving ever gets the joint
\* configuration left (commits the leave-joint entry).
NeverLeavingLeaderCommitsLeave ==
    \A i \in Server : ~(state[i] = Leader /\ ~IsVoter(Conf(i), i))

\* No log ever holds two unapplied configuration changes at once (reachable
\* only with ValidateProposals = FALSE).
NeverOverlappingChanges ==
    \A i \in Server :
      Cardinality({k \in (commitIndex[i] + 1)..Len(log[i]) : IsConfEntry(log[i][k])}) <= 1
=============================================================================
