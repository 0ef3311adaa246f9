---------------------------------- MODULE Swim ----------------------------------
(***************************************************************************)
(* SWIM's suspicion and incarnation rules (Das, Gupta, Motivala 2002; as    *)
(* in hashicorp/memberlist and packages/gossip): each member holds a view   *)
(* of every other member, a state (alive, suspect, dead) at an incarnation. *)
(* Failure detection is unreliable, so any live member may suspect any     *)
(* member it holds alive at any time; a suspicion may time out into a      *)
(* death at any time; a member that hears it is suspected or dead refutes   *)
(* with a higher incarnation. Members crash and restart with a higher      *)
(* incarnation (persisted) and an empty view. Gossip copies what one member *)
(* holds to another at any time, so claims arrive late, stale, repeated or  *)
(* never (loss). A death heard from another member only starts a suspicion  *)
(* unless that suspicion is already held (packages/gossip's rule: a death is *)
(* never taken on one member's word).                                       *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS Members, MaxInc

States == {"alive", "suspect", "dead"}
Entry == [st : States, inc : 0..MaxInc]
AliveAt(i) == [st |-> "alive", inc |-> i]

VARIABLES view, inc, up
vars == <<view, inc, up>>

TypeOK ==
  /\ view \in [Members -> [Members -> Entry]]
  /\ inc \in [Members -> 0..MaxInc]
  /\ up \in [Members -> BOOLEAN]

Init ==
  /\ view = [o \in Members |-> [m \in Members |-> AliveAt(0)]]
  /\ inc = [m \in Members |-> 0]
  /\ up = [m \in Members |-> TRUE]

(* The override rule, packages/gossip/src/supersedes.ts. *)
Supersedes(e, cur) ==
  CASE e.st = "alive" -> e.inc > cur.inc
    [] e.st = "suspect" -> \/ cur.st = "alive" /\ e.inc >= cur.inc
                           \/ cur.st = "suspect" /\ e.inc > cur.inc
    [] e.st = "dead" -> cur.st \in {"alive", "suspect"} /\ e.inc >= cur.inc

SetEntry(o, m, e) == view' = [view EXCEPT ![o][m] = e]

(* o's probe of m failed (or was too slow): o suspects m at the incarnation it holds. *)
Suspect(o, m) ==
  /\ up[o] /\ o # m
  /\ view[o][m].st = "alive"
  /\ SetEntry(o, m, [st |-> "suspect", inc |-> view[o][m].inc])
  /\ UNCHANGED <<inc, up>>

(* o's suspicion of m timed out. *)
Timeout(o, m) ==
  /\ up[o] /\ o # m
  /\ view[o][m].st = "suspect"
  /\ SetEntry(o, m, [st |-> "dead", inc |-> view[o][m].inc])
  /\ UNCHANGED <<inc, up>>

(* What a member holds of m, as it would gossip it (itself: alive at its own incarnation). *)
Claim(o, m) == IF o = m THEN AliveAt(inc[o]) ELSE view[o][m]

(* p hears o's claim about m (piggybacked, relayed, or o's own message). *)
Gossip(o, p, m) ==
  /\ up[o] /\ up[p] /\ o # p
  /\ LET e == Claim(o, m) IN
     IF m = p THEN
       (* A claim about p itself: refute an accusation at or above its incarnation. *)
       /\ e.st # "alive" /\ e.inc >= inc[p] /\ e.inc < MaxInc
       /\ inc' = [inc EXCEPT ![p] = e.inc + 1]
       /\ UNCHANGED <<view, up>>
     ELSE
       LET cur == view[p][m] IN
       /\ \/ e.st = "alive" /\ Supersedes(e, cur) /\ SetEntry(p, m, e)
          \/ e.st = "suspect" /\ Supersedes(e, cur) /\ SetEntry(p, m, e)
          \/ e.st = "dead" /\ cur.st = "suspect" /\ cur.inc = e.inc /\ SetEntry(p, m, e)
          \/ e.st = "dead" /\ Supersedes([st |-> "suspect", inc |-> e.inc], cur)
             /\ SetEntry(p, m, [st |-> "suspect", inc |-> e.inc])
       /\ UNCHANGED <<inc, up>>

Crash(m) ==
  /\ up[m]
  /\ up' = [up EXCEPT ![m] = FALSE]
  /\ UNCHANGED <<view, inc>>

(* A restart announces a higher incarnation than any it had, with a fresh view. *)
Restart(m) ==
  /\ ~up[m] /\ inc[m] < MaxInc
  /\ up' = [up EXCEPT ![m] = TRUE]
  /\ inc' = [inc EXCEPT ![m] = inc[m] + 1]
  /\ view' = [view EXCEPT ![m] = [x \in Members |-> AliveAt(0)]]

Next ==
  \/ \E o, m \in Members : Suspect(o, m) \/ Timeout(o, m)
  \/ \E o, p, m \in Members : Gossip(o, p, m)
  \/ \E m \in Members : Crash(m) \/ Restart(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties; the simulator's invariants of the same names check them on  *)
(* every view change a member reports (packages/gossip/src/simulation).     *)

(* No member holds an incarnation of m that m never had. *)
NoForgedIncarnation == \A o, m \in Members : view[o][m].inc <= inc[m]

(* Kept while o runs: an incarnation held never decreases; a member's own never does. *)
IncarnationMonotonic ==
  [][\A o, m \in Members :
       /\ inc'[m] >= inc[m]
       /\ (up[o] /\ up'[o] /\ o # m) => view'[o][m].inc >= view[o][m].inc]_vars

(* A member alive at a higher incarnation is never overridden by a stale suspicion. *)
NoStaleSuspicion ==
  [][\A o, m \in Members :
       (up[o] /\ up'[o] /\ o # m /\ view'[o][m] # view[o][m] /\ view'[o][m].st = "suspect") =>
         \/ view[o][m].st = "alive" /\ view[o][m].inc <= view'[o][m].inc
         \/ view[o][m].st = "suspect" /\ view[o][m].inc < view'[o][m].inc]_vars

(* A dead declaration is final for its incarnation: only an alive at a higher one replaces it. *)
DeadIsFinal ==
  [][\A o, m \in Members :
       (up[o] /\ up'[o] /\ o # m /\ view[o][m].st = "dead" /\ view'[o][m] # view[o][m]) =>
         view'[o][m].st = "alive" /\ view'[o][m].inc > view[o][m].inc]_vars

(* A member declares a death only of a member it suspected at that incarnation. *)
DeathFollowsSuspicion ==
  [][\A o, m \in Members :
       (up[o] /\ up'[o] /\ o # m /\ view'[o][m].st = "dead" /\ view[o][m].st # "dead") =>
         view[o][m] = [st |-> "suspect", inc |-> view'[o][m].inc]]_vars
=============================================================================
