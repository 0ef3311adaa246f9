-------------------------------- MODULE MCHyParView --------------------------------
(* HyParView over 3 members with every fault of the spec, members symmetric; bounds in       *)
(* MCHyParView.cfg. Figures: verification_summary.md.                                         *)
EXTENDS HyParView, TLC

CONSTANTS n1, n2, n3

MCMembers == {n1, n2, n3}
Symmetry == Permutations(MCMembers)

(* A bound on exploration, like the budgets: at most MaxInFlight messages in flight at once.    *)
MaxInFlight == 2
InFlightBound == Cardinality(msgs) <= MaxInFlight

(* Reachability ("Never...") properties: TLC must find each VIOLATED (expected-failures.json). *)
(* The active views become full, symmetric and connected (every member with ActiveSize links). *)
NeverFullAndConnected == ~(Symmetric /\ Connected /\ \A n \in Members : Cardinality(active[n]) = ActiveSize)

(* A `disconnect` is on its way to a member that holds the link: an eviction, or a one-sided   *)
(* link answered (the receiver must drop it: DisconnectDropsLink is not vacuous).             *)
NeverEvicted == \A m \in msgs : m.type = "disconnect" => m.from \notin active[m.to]

(* After a crash and restart, the restarted member is back in full, symmetric, connected views. *)
NeverRejoined == ~(crashes = 1 /\ \A n \in Members : up[n]) \/ NeverFullAndConnected
==================================================================================
