---------------------------- MODULE MCBroadcast ----------------------------
(* Model 1: relaying through a third node. 3 nodes, 2 values, 1 request, 2 crash+recoveries;
   nodes and values are symmetric (safety only). *)
EXTENDS Broadcast, TLC

CONSTANTS n1, n2, n3, v1, v2

MCNode == {n1, n2, n3}
MCValue == {v1, v2}
MCSymmetry == Permutations(MCNode) \cup Permutations(MCValue)

(* Reachability ("Never...") properties: TLC must find each VIOLATED          *)
(* (expected-failures.json), which proves the model reaches the situation.  *)

\* No node other than the origin ever delivers a broadcast.
NeverRelayedDelivery == \A n \in MCNode : \A d \in delivered[n] : d[1] = n

\* No node ever crashes and recovers.
NeverCrash == crashes = 0

\* No node ever delivers after a crash: no id delivered by every node once a crash happened.
NeverDeliveredEverywhereAfterCrash ==
    ~(crashes > 0 /\ \E id \in UNION {delivered[n] : n \in MCNode} : \A n \in MCNode : id \in delivered[n])
=============================================================================
