------------------------------- MODULE Quorum -------------------------------
(***************************************************************************)
(* Quorum systems as explicit sets of quorums, the properties that make    *)
(* them safe, and a single-decree vote/decide model that uses them.        *)
(*                                                                         *)
(* A configuration gives the phase-1 quorums Q1 (election, recovery) and   *)
(* the phase-2 quorums Q2 (decision); single-phase systems have Q1 = Q2.   *)
(* Honest members vote once; Byzantine members (Faulty) vote for anything, *)
(* any number of times. A value is decided once a phase-2 quorum voted for *)
(* it.                                                                     *)
(*                                                                         *)
(* TypeScript twin: packages/quorum (see properties.md for the mapping).   *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

CONSTANTS
    Nodes,       \* every member that may vote (learners are in no quorum)
    Values,      \* values that may be decided
    Faulty,      \* Byzantine members of this model run (empty for crash models)
    MaxFaulty,   \* f: Byzantine members the system claims to tolerate
    MaxCrashed,  \* crash failures the system claims to tolerate (its crash f)
    Q1,          \* phase-1 quorums
    Q2,          \* phase-2 quorums
    Transitions  \* a sequence of quorum sets of consecutive configurations (old, joint, new)

ASSUME /\ Q1 \subseteq SUBSET Nodes /\ Q1 # {}
       /\ Q2 \subseteq SUBSET Nodes /\ Q2 # {}
       /\ Faulty \subseteq Nodes /\ Cardinality(Faulty) <= MaxFaulty
       /\ MaxFaulty \in Nat /\ MaxCrashed \in Nat
       /\ \A i \in 1..Len(Transitions) : Transitions[i] \subseteq SUBSET Nodes

VARIABLES
    votes,    \* votes[n]: the values member n voted for
    decided   \* values decided so far

vars == <<votes, decided>>

\* Every set of at most k members.
SetsUpTo(k) == {F \in SUBSET Nodes : Cardinality(F) <= k}

-----------------------------------------------------------------------------
(* Behaviour *)

Init ==
    /\ votes = [n \in Nodes |-> {}]
    /\ decided = {}

\* An honest member votes once.
Vote(n, v) ==
    /\ n \notin Faulty
    /\ votes[n] = {}
    /\ votes' = [votes EXCEPT ![n] = {v}]
    /\ UNCHANGED decided

\* A Byzantine member votes for another value (equivocation).
Equivocate(n, v) ==
    /\ n \in Faulty
    /\ v \notin votes[n]
    /\ votes' = [votes EXCEPT ![n] = @ \cup {v}]
    /\ UNCHANGED decided

\* A value is decided once every member of some phase-2 quorum voted for it.
Decide(v) ==
    /\ v \notin decided
    /\ \E Q \in Q2 : \A n \in Q : v \in votes[n]
    /\ decided' = decided \cup {v}
    /\ UNCHANGED votes

Next ==
    \/ \E n \in Nodes, v \in Values : Vote(n, v) \/ Equivocate(n, v)
    \/ \E v \in Values : Decide(v)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties *)

TypeOK ==
    /\ votes \in [Nodes -> SUBSET Values]
    /\ decided \subseteq Values

\* Every phase-1 quorum meets every phase-2 quorum (every two quorums, when Q1 = Q2).
QuorumIntersection ==
    \A A \in Q1, B \in Q2 : A \cap B # {}

\* For any f <= MaxFaulty Byzantine members, every two phase-2 quorums share an honest member.
ByzantineHonestIntersection ==
    \A F \in SetsUpTo(MaxFaulty) : \A A, B \in Q2 : (A \cap B) \ F # {}

\* Any MaxFaulty + 1 members include an honest one (the "weak quorum" / f+1 certificate).
WeakQuorumHasHonest ==
    \A S \in SUBSET Nodes :
        Cardinality(S) >= MaxFaulty + 1 => \A F \in SetsUpTo(MaxFaulty) : S \ F # {}

\* Any MaxCrashed crashed members leave a live phase-1 and a live phase-2 quorum.
QuorumAvailability ==
    \A F \in SetsUpTo(MaxCrashed) : \E A \in Q1, B \in Q2 : (A \cup B) \cap F = {}

\* Consecutive configurations of a transition (old -> joint -> new) have intersecting quorums.
TransitionSafety ==
    \A i \in 1..(Len(Transitions) - 1) :
        \A A \in Transitions[i], B \in Transitions[i + 1] : A \cap B # {}

\* At most one value is decided.
Agreement == Cardinality(decided) <= 1

\* Every phase-1 quorum holds an honest voter of each decided value: a new leader finds it.
DecidedIsRecoverable ==
    \A v \in decided : \A A \in Q1 : \E n \in A \ Faulty : v \in votes[n]

=============================================================================
