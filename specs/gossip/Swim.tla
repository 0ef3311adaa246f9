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
(* held or announced to another at any time: a message carries a claim    *)
(* made when it was sent, so claims arrive late, stale (their maker holds   *)
(* a newer one by then, or crashed), repeated or never (loss). `claims`     *)
(* is the history of every claim made about each member (specs/gossip/     *)
(* properties.md, "Stale claims"). A death heard from another member only starts a suspicion  *)
(* unless that suspicion is already held (packages/gossip's rule: a death is *)
(* never taken on one member's word).                                       *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS Members, MaxInc

States == {"alive", "suspect", "dead"}
Entry == [st : States, inc : 0..MaxInc]
AliveAt(i) == [st |-> "alive", inc |-> i]

(* claims[m]: every entry about m that a member held or m announced of     *)
(* itself (alive at its incarnation) so far: what a message may carry.      *)
VARIABLES view, inc, up, claims
vars == <<view, inc, up, claims>>

TypeOK ==
  /\ view \in [Members -> [Members -> Entry]]
  /\ inc \in [Members -> 0..MaxInc]
  /\ up \in [Members -> BOOLEAN]
  /\ claims \in [Members -> SUBSET Entry]

Init ==
  /\ view = [o \in Members |-> [m \in Members |-> AliveAt(0)]]
  /\ inc = [m \in Members |-> 0]
  /\ up = [m \in Members |-> TRUE]
  /\ claims = [m \in Members |-> {AliveAt(0)}]

(* The override rule, packages/gossip/src/supersedes.ts. *)
Supersedes(e, cur) ==
  CASE e.st = "alive" -> e.inc > cur.inc
    [] e.st = "suspect" -> \/ cur.st = "alive" /\ e.inc >= cur.inc
                           \/ cur.st = "suspect" /\ e.inc > cur.inc
    [] e.st = "dead" -> cur.st \in {"alive", "suspect"} /\ e.inc >= cur.inc

(* o now holds e of m, a claim it may gossip from now on. *)
SetEntry(o, m, e) ==
  /\ view' = [view EXCEPT ![o][m] = e]
  /\ claims' = [claims EXCEPT ![m] = @ \cup {e}]

(* m announces its incarnation i (a refutation, a restart). *)
Announce(m, i) ==
  /\ inc' = [inc EXCEPT ![m] = i]
  /\ claims' = [claims EXCEPT ![m] = @ \cup {AliveAt(i)}]

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

(* p hears the claim e about m, made earlier by some member (piggybacked, relayed, m's own     *)
(* message, a push-pull entry), however long ago: its maker may hold a newer one by now.      *)
Hear(p, m, e) ==
  /\ up[p] /\ e \in claims[m]
  /\ IF m = p THEN
       (* A claim about p itself: refute an accusation at or above its incarnation. *)
       /\ e.st # "alive" /\ e.inc >= inc[p] /\ e.inc < MaxInc
       /\ Announce(p, e.inc + 1)
       /\ UNCHANGED <<view, up>>
     ELSE
       LET cur == view[p][m] IN
       /\ \/ e.st = "alive" /\ Supersedes(e, cur) /\ SetEntry(p, m, e)
          \/ e.st = "suspect" /\ Supersedes(e, cur) /\ SetEntry(p, m, e)
          \/ e.st = "dead" /\ cur.st = "suspect" /\ cur.inc = e.inc /\ SetEntry(p, m, e)
          \/ e.st = "dead" /\ Supersedes([st |-> "suspect", inc |-> e.inc], cur)
             /\ SetEntry(p, m, [st |-> "suspect", inc |-> e.inc])
       /\ UNCHANGED <<inc, up>>

(* p hears o's current claim about m: the spec's gossip before stale claims (a special case). *)
Gossip(o, p, m) == up[o] /\ o # p /\ Hear(p, m, Claim(o, m))

Crash(m) ==
  /\ up[m]
  /\ up' = [up EXCEPT ![m] = FALSE]
  /\ UNCHANGED <<view, inc, claims>>

(* A restart announces a higher incarnation than any it had, with a fresh view. *)
Restart(m) ==
  /\ ~up[m] /\ inc[m] < MaxInc
  /\ up' = [up EXCEPT ![m] = TRUE]
  /\ Announce(m, inc[m] + 1)
  /\ view' = [view EXCEPT ![m] = [x \in Members |-> AliveAt(0)]]

Next ==
  \/ \E o, m \in Members : Suspect(o, m) \/ Timeout(o, m)
  \/ \E p, m \in Members : \E e \in claims[m] : Hear(p, m, e)
  \/ \E m \in Members : Crash(m) \/ Restart(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties; the simulator's invariants of the same names check them on  *)
(* every view change a member reports (packages/gossip/src/simulation).     *)

(* No member holds an incarnation of m that m never had. *)
NoForgedIncarnation == \A o, m \in Members : view[o][m].inc <= inc[m]

(* Every claim made is at an incarnation its member had; what each member holds now is among     *)
(* the claims (so Gossip(o, p, m), hearing a current claim, is a Hear step: stale claims only add). *)
ClaimsRecorded ==
  \A m \in Members :
    /\ \A e \in claims[m] : e.inc <= inc[m]
    /\ \A o \in Members : Claim(o, m) \in claims[m]

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

(* A running member's incarnation changes only by refuting a claim of it that was made (in      *)
(* claims), not alive, at or above its incarnation, and goes above that claim: an alive at the  *)
(* claim's incarnation would override neither the suspicion nor the death held there.          *)
RefutationSupersedes ==
  [][\A m \in Members :
       (up[m] /\ up'[m] /\ inc'[m] # inc[m]) =>
         \E e \in claims[m] : e.st # "alive" /\ inc[m] <= e.inc /\ e.inc < inc'[m]]_vars

(* A member declares a death only of a member it suspected at that incarnation. *)
DeathFollowsSuspicion ==
  [][\A o, m \in Members :
       (up[o] /\ up'[o] /\ o # m /\ view'[o][m].st = "dead" /\ view[o][m].st # "dead") =>
         view[o][m] = [st |-> "suspect", inc |-> view'[o][m].inc]]_vars
=============================================================================
