--------------------------------- MODULE MCPlumtree ---------------------------------
(* Plumtree over 4 members, active graph n1-n2, n2-n3, n3-n4, n4-n1, n1-n3 (every view at most *)
(* 3, the chord making n1 and n3 degree 3), origin n1, one of n2, n3 may crash for good; every *)
(* initial split of the links into eager and lazy. No symmetry (liveness). Figures:            *)
(* verification_summary.md.                                                                     *)
EXTENDS Plumtree, TLC

CONSTANTS n1, n2, n3, n4, b1, b2

MCMembers == {n1, n2, n3, n4}
MCLinks == (n1 :> {n2, n4, n3}) @@ (n2 :> {n1, n3}) @@ (n3 :> {n2, n4, n1}) @@ (n4 :> {n3, n1})

(* Reachability ("Never...") properties: TLC must find each VIOLATED (expected-failures.json). *)
(* A member grafts a missing broadcast: the lazy repair runs. *)
NeverGraft == \A m \in BagToSet(msgs) : m.type # "graft"
(* After a crash, the broadcast reaches every live member of the origin's component. *)
NeverDeliveredAfterCrash == ~(crashes = 1 /\ \A n \in Component : sent \subseteq received[n] /\ sent # {})
==================================================================================
