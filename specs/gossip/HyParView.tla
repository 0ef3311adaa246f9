---------------------------------- MODULE HyParView ----------------------------------
(***************************************************************************)
(* HyParView (Leitão, Pereira, Rodrigues, DSN 2007) as packages/gossip's    *)
(* overlay/hyparview.ts does it without the eclipse defences (no `basalt`, *)
(* no `activeDefence`, every member admitted, every member a seed).         *)
(*                                                                          *)
(* Each member holds an active view (at most ActiveSize, the links          *)
(* Plumtree uses) and a passive view (at most PassiveSize, never active     *)
(* members, never itself). A member                                         *)
(* - whose views are both empty joins through a seed (`join`): the contact  *)
(*   takes the joiner into its active view (evicting a random neighbour     *)
(*   when full: `disconnect`), answers `connect`, and starts a `forwardJoin` *)
(*   walk from each other neighbour; the walk puts the joiner in a passive  *)
(*   view at ttl PassiveWalk and in an active view where it ends (ttl 0, a  *)
(*   member with one neighbour, or no neighbour to go on to), which answers *)
(*   `connect`;                                                             *)
(* - whose active view is not full asks a passive member (`neighbor`,       *)
(*   `high` with an empty view: accepted even by a full view, by eviction;  *)
(*   `low`: accepted only by a view not full or already holding it); a     *)
(*   refused one stays passive; a request unanswered in time (`Timeout`, at *)
(*   any time here) drops the member asked from the passive view;           *)
(* - with a full view may rewire (`swap`: accepted like `high`; on          *)
(*   acceptance the asker evicts one of its own) — at most MaxRewires times  *)
(*   in the model (the code waits rewireIntervalTicks, far longer than a     *)
(*   round trip; as often as a scheduler likes it would keep links in flux);*)
(* - shuffles: itself, ShuffleActive active and ShufflePassive passive      *)
(*   members walk ActiveWalk hops (or go straight to a seed, ttl 0: the     *)
(*   code's every seedShuffleEvery-th shuffle); the end of the walk answers *)
(*   with as many of its passive members, and both merge, dropping what     *)
(*   they must (the code drops what it sent first, else at random: any      *)
(*   here);                                                                 *)
(* - restores symmetry: a heartbeat from a member it does not hold active   *)
(*   is answered with `disconnect`, which drops the link at its receiver   *)
(*   (moved to the passive view);                                           *)
(* - drops an active neighbour that is silent for failTicks (`Fail`): one   *)
(*   that is down, or, within the fault budget, a live one whose messages   *)
(*   were lost (a false suspicion).                                         *)
(* Time is abstracted: timers fire at any time; the code's delay of a low  *)
(* request after a refusal (`requestAfter`) is left out (more behaviours). *)
(* Members crash (messages to them are lost) and restart with empty views  *)
(* (nothing of HyParView is persisted). Messages travel in a set (lost,     *)
(* reordered; a second copy of a message in flight is the same message:    *)
(* the heartbeats a quiet link sends are not counted).                      *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS Members, ActiveSize, PassiveSize, ActiveWalk, PassiveWalk, ShuffleActive, ShufflePassive,
          MaxCrashes, MaxFaults, MaxRewires, MaxShuffles

ASSUME ActiveSize >= 1 /\ PassiveSize >= 1 /\ PassiveWalk <= ActiveWalk

VARIABLES
  up,       \* up[n]: n runs
  active,   \* active[n]: n's active view
  passive,  \* passive[n]: n's passive view
  pending,  \* pending[n]: a join or a neighbour request in progress ([kind, peer]; kind "none")
  msgs,     \* messages in flight
  crashes, faults, rewires, shuffles  \* budgets used: crashes, lost messages and false suspicions, rewirings, shuffles

vars == <<up, active, passive, pending, msgs, crashes, faults, rewires, shuffles>>

Types == {"join", "forwardJoin", "connect", "neighbor", "neighborReply", "disconnect", "heartbeat",
          "shuffle", "shuffleReply"}
Kinds == {"none", "join", "high", "low", "swap"}
(* One record shape for every message: `who` a joiner or a shuffle's origin, `arg` a priority or *)
(* "yes"/"no" (a neighbour reply), `nodes` a shuffle's sample; unused fields hold "-", 0, {}.     *)
Msg == [from : Members, to : Members, type : Types, who : Members \cup {"-"}, ttl : 0..ActiveWalk,
        arg : {"-", "high", "low", "swap", "yes", "no"}, nodes : SUBSET Members]
Pending == [kind : Kinds, peer : Members \cup {"-"}]
NoPending == [kind |-> "none", peer |-> "-"]

M(from, to, type) == [from |-> from, to |-> to, type |-> type, who |-> "-", ttl |-> 0, arg |-> "-", nodes |-> {}]
FJ(from, to, joiner, ttl) == [M(from, to, "forwardJoin") EXCEPT !.who = joiner, !.ttl = ttl]
Nb(from, to, priority) == [M(from, to, "neighbor") EXCEPT !.arg = priority]
Reply(from, to, accepted) == [M(from, to, "neighborReply") EXCEPT !.arg = IF accepted THEN "yes" ELSE "no"]
Sh(from, to, origin, ttl, nodes) == [M(from, to, "shuffle") EXCEPT !.who = origin, !.ttl = ttl, !.nodes = nodes]
ShReply(from, to, nodes) == [M(from, to, "shuffleReply") EXCEPT !.nodes = nodes]

TypeOK ==
  /\ up \in [Members -> BOOLEAN]
  /\ active \in [Members -> SUBSET Members]
  /\ passive \in [Members -> SUBSET Members]
  /\ pending \in [Members -> Pending]
  /\ msgs \subseteq Msg
  /\ crashes \in 0..MaxCrashes /\ faults \in 0..MaxFaults /\ rewires \in 0..MaxRewires
  /\ shuffles \in 0..MaxShuffles

Init ==
  /\ up = [n \in Members |-> TRUE]
  /\ active = [n \in Members |-> {}]
  /\ passive = [n \in Members |-> {}]
  /\ pending = [n \in Members |-> NoPending]
  /\ msgs = {}
  /\ crashes = 0 /\ faults = 0 /\ rewires = 0 /\ shuffles = 0

Min(a, b) == IF a < b THEN a ELSE b
(* Every subset of S of min(k, |S|) members: the code's `sample(list, k)` at random. *)
Sample(S, k) == {T \in SUBSET S : Cardinality(T) = Min(k, Cardinality(S))}

-----------------------------------------------------------------------------
(* One member's step is computed on its local state, a record [a (active), p (passive), pend,   *)
(* out (messages sent)]; each operator returns the set of local states the code may reach (its *)
(* random picks are choices here).                                                             *)

Local(n) == [a |-> active[n], p |-> passive[n], pend |-> pending[n], out |-> {}]

Send(l, m) == [l EXCEPT !.out = @ \cup {m}]

(* addPassive: not itself, not active, not already there; when full, a random one makes room. *)
AddPassive(n, l, q) ==
  IF q = n \/ q \in l.a \/ q \in l.p THEN {l}
  ELSE IF Cardinality(l.p) >= PassiveSize THEN {[l EXCEPT !.p = (@ \ {d}) \cup {q}] : d \in l.p}
  ELSE {[l EXCEPT !.p = @ \cup {q}]}

(* dropPassive *)
DropPassive(l, q) == [l EXCEPT !.p = @ \ {q}]

(* evict: drop q from the active view, tell it (`disconnect`), keep it as passive. *)
Evict(n, l, q) == AddPassive(n, Send([l EXCEPT !.a = @ \ {q}], M(n, q, "disconnect")), q)

(* addActive: a no-op for itself or a neighbour; when full, a random neighbour is evicted first. *)
AddActive(n, l, q) ==
  IF q = n \/ q \in l.a THEN {l}
  ELSE LET room == IF Cardinality(l.a) >= ActiveSize THEN UNION {Evict(n, l, v) : v \in l.a} ELSE {l}
       IN {[k EXCEPT !.a = @ \cup {q}, !.p = @ \ {q}] : k \in room}

(* addActive, then tell the new neighbour (`connect`), as a join's contact and a walk's end do. *)
Connect(n, l, q) == {Send(k, M(n, q, "connect")) : k \in AddActive(n, l, q)}

(* merge a shuffle's sample: every new id enters the passive view; when full, any makes room. *)
Merge(n, l, nodes) ==
  LET new == nodes \ ({n} \cup l.a \cup l.p)
      all == l.p \cup new
  IN {[l EXCEPT !.p = P] : P \in {P \in SUBSET all : Cardinality(P) = Min(PassiveSize, Cardinality(all))}}

OnJoin(n, l, j) ==
  {[k EXCEPT !.out = @ \cup {FJ(n, q, j, ActiveWalk) : q \in k.a \ {j}}] : k \in Connect(n, l, j)}

OnForwardJoin(n, l, f, j, ttl) ==
  IF j = n THEN {l}
  ELSE IF ttl = 0 \/ Cardinality(l.a) <= 1 THEN Connect(n, l, j)
  ELSE LET walked == IF ttl = PassiveWalk THEN AddPassive(n, l, j) ELSE {l}
           next == l.a \ {f, j}
       IN IF next = {} THEN UNION {Connect(n, k, j) : k \in walked}
          ELSE {Send(k, FJ(n, q, j, ttl - 1)) : k \in walked, q \in next}

OnConnect(n, l, f) ==
  AddActive(n, IF l.pend.kind = "join" THEN [l EXCEPT !.pend = NoPending] ELSE l, f)

OnNeighbor(n, l, f, priority) ==
  IF priority # "low" \/ Cardinality(l.a) < ActiveSize \/ f \in l.a
  THEN {Send(k, Reply(n, f, TRUE)) : k \in AddActive(n, l, f)}
  ELSE {Send(k, Reply(n, f, FALSE)) : k \in AddPassive(n, l, f)}

OnNeighborReply(n, l, f, accepted) ==
  LET asked == l.pend.kind \notin {"none", "join"} /\ l.pend.peer = f
      l1 == IF asked THEN [l EXCEPT !.pend = NoPending] ELSE l
      (* a swap accepted: make room for it by evicting one of its own *)
      room == IF asked /\ l.pend.kind = "swap" /\ f \notin l.a /\ Cardinality(l.a) >= ActiveSize
              THEN UNION {Evict(n, l1, v) : v \in l1.a} ELSE {l1}
  IN IF accepted THEN UNION {AddActive(n, k, f) : k \in room} ELSE {l1}

OnDisconnect(n, l, f) ==
  IF f \in l.a THEN AddPassive(n, [l EXCEPT !.a = @ \ {f}], f) ELSE {l}

OnHeartbeat(n, l, f) ==
  IF f \in l.a THEN {l} ELSE {Send(l, M(n, f, "disconnect"))}

OnShuffle(n, l, f, origin, ttl, nodes) ==
  IF origin = n THEN {l}
  ELSE IF ttl > 0 /\ Cardinality(l.a) > 1 /\ l.a \ {f, origin} # {}
  THEN {Send(l, Sh(n, q, origin, ttl - 1, nodes)) : q \in l.a \ {f, origin}}
  ELSE UNION {Merge(n, Send(l, ShReply(n, origin, r)), nodes) : r \in Sample(l.p, Cardinality(nodes))}

Handle(n, l, m) ==
  CASE m.type = "join" -> OnJoin(n, l, m.from)
    [] m.type = "forwardJoin" -> OnForwardJoin(n, l, m.from, m.who, m.ttl)
    [] m.type = "connect" -> OnConnect(n, l, m.from)
    [] m.type = "neighbor" -> OnNeighbor(n, l, m.from, m.arg)
    [] m.type = "neighborReply" -> OnNeighborReply(n, l, m.from, m.arg = "yes")
    [] m.type = "disconnect" -> OnDisconnect(n, l, m.from)
    [] m.type = "heartbeat" -> OnHeartbeat(n, l, m.from)
    [] m.type = "shuffle" -> OnShuffle(n, l, m.from, m.who, m.ttl, m.nodes)
    [] m.type = "shuffleReply" -> Merge(n, l, m.nodes)

(* n's new local state l, its messages added to `base` (those to a member that is down are lost). *)
Apply(n, l, base) ==
  /\ active' = [active EXCEPT ![n] = l.a]
  /\ passive' = [passive EXCEPT ![n] = l.p]
  /\ pending' = [pending EXCEPT ![n] = l.pend]
  /\ msgs' = base \cup {m \in l.out : up[m.to]}

-----------------------------------------------------------------------------
(* Actions *)

Receive(m) ==
  /\ up[m.to]
  /\ \E l \in Handle(m.to, Local(m.to), m) : Apply(m.to, l, msgs \ {m})
  /\ UNCHANGED <<up, crashes, faults, rewires, shuffles>>

(* n's failure detector: p, active, was silent for failTicks — down, or (a fault) its messages lost. *)
Fail(n, p) ==
  /\ up[n] /\ p \in active[n]
  /\ \/ ~up[p] /\ UNCHANGED faults
     \/ up[p] /\ faults < MaxFaults /\ faults' = faults + 1
  /\ Apply(n, DropPassive([Local(n) EXCEPT !.a = @ \ {p}], p), msgs)
  /\ UNCHANGED <<up, crashes, rewires, shuffles>>

(* A heartbeat on an active link, sent when nothing else was for heartbeatTicks: here, when no *)
(* message from n to p is in flight.                                                           *)
Heartbeat(n, p) ==
  /\ up[n] /\ p \in active[n] /\ up[p]
  /\ \A m \in msgs : ~(m.from = n /\ m.to = p)
  /\ msgs' = msgs \cup {M(n, p, "heartbeat")}
  /\ UNCHANGED <<up, active, passive, pending, crashes, faults, rewires, shuffles>>

(* A join or neighbour request unanswered in time: given up (a neighbour asked leaves the passive view). *)
Timeout(n) ==
  /\ up[n] /\ pending[n].kind # "none"
  /\ LET l == [Local(n) EXCEPT !.pend = NoPending]
     IN Apply(n, IF pending[n].kind = "join" THEN l ELSE DropPassive(l, pending[n].peer), msgs)
  /\ UNCHANGED <<up, crashes, faults, rewires, shuffles>>

(* refill: an active view not full asks a passive member p (high priority when empty). *)
Request(n, p) ==
  /\ up[n] /\ pending[n].kind = "none" /\ Cardinality(active[n]) < ActiveSize
  /\ p \in passive[n]
  /\ LET prio == IF active[n] = {} THEN "high" ELSE "low"
     IN Apply(n, Send([Local(n) EXCEPT !.pend = [kind |-> prio, peer |-> p]], Nb(n, p, prio)), msgs)
  /\ UNCHANGED <<up, crashes, faults, rewires, shuffles>>

(* refill with no passive member: join again through a seed s that is not a neighbour. *)
Join(n, s) ==
  /\ up[n] /\ pending[n].kind = "none" /\ Cardinality(active[n]) < ActiveSize
  /\ passive[n] = {} /\ s \notin active[n] \cup {n}
  /\ Apply(n, Send([Local(n) EXCEPT !.pend = [kind |-> "join", peer |-> s]], M(n, s, "join")), msgs)
  /\ UNCHANGED <<up, crashes, faults, rewires, shuffles>>

(* rewire: a full view asks a passive member p to swap in. *)
Rewire(n, p) ==
  /\ up[n] /\ pending[n].kind = "none" /\ Cardinality(active[n]) >= ActiveSize
  /\ p \in passive[n] /\ rewires < MaxRewires
  /\ rewires' = rewires + 1
  /\ Apply(n, Send([Local(n) EXCEPT !.pend = [kind |-> "swap", peer |-> p]], Nb(n, p, "swap")), msgs)
  /\ UNCHANGED <<up, crashes, faults, shuffles>>

(* A shuffle from n: to an active member t, walking ActiveWalk hops, or straight to a seed t. *)
Shuffle(n, t) ==
  /\ up[n] /\ t # n /\ shuffles < MaxShuffles
  /\ shuffles' = shuffles + 1
  /\ \E ttl \in (IF t \in active[n] THEN {0, ActiveWalk} ELSE {0}) :
     \E A \in Sample(active[n] \ {t}, ShuffleActive), P \in Sample(passive[n], ShufflePassive) :
       msgs' = msgs \cup {m \in {Sh(n, t, n, ttl, {n} \cup A \cup P)} : up[m.to]}
  /\ UNCHANGED <<up, active, passive, pending, crashes, faults, rewires>>

Crash(n) ==
  /\ up[n] /\ crashes < MaxCrashes
  /\ up' = [up EXCEPT ![n] = FALSE]
  /\ crashes' = crashes + 1
  /\ msgs' = {m \in msgs : m.to # n}
  /\ UNCHANGED <<active, passive, pending, faults, rewires, shuffles>>

(* A restart: nothing of HyParView survives; the member joins again. *)
Restart(n) ==
  /\ ~up[n]
  /\ up' = [up EXCEPT ![n] = TRUE]
  /\ active' = [active EXCEPT ![n] = {}]
  /\ passive' = [passive EXCEPT ![n] = {}]
  /\ pending' = [pending EXCEPT ![n] = NoPending]
  /\ UNCHANGED <<msgs, crashes, faults, rewires, shuffles>>

Lose(m) ==
  /\ faults < MaxFaults
  /\ faults' = faults + 1
  /\ msgs' = msgs \ {m}
  /\ UNCHANGED <<up, active, passive, pending, crashes, rewires, shuffles>>

Next ==
  \/ \E m \in msgs : Receive(m) \/ Lose(m)
  \/ \E n, p \in Members : Fail(n, p) \/ Heartbeat(n, p) \/ Request(n, p) \/ Join(n, p) \/ Rewire(n, p) \/ Shuffle(n, p)
  \/ \E n \in Members : Timeout(n) \/ Crash(n) \/ Restart(n)

(* Fairness: a member keeps taking the messages of each type each other member sent it (not only *)
(* some message of the sender's: repeated joins would then keep a `connect` in flight for ever;   *)
(* heartbeats only fill an empty channel); its failure detector drops a neighbour that is down; heartbeats go out; a request in    *)
(* progress ends; a member not full refills. The code picks the seed to join through at random:  *)
(* strongly fair here (one that keeps joining joins through a live seed in the end). No fairness  *)
(* for faults, restarts, shuffles, rewirings (bounded).                                           *)
Fairness ==
  /\ \A n, f \in Members, t \in Types : WF_vars(\E m \in msgs : m.to = n /\ m.from = f /\ m.type = t /\ Receive(m))
  /\ \A n, p \in Members : WF_vars(~up[p] /\ Fail(n, p)) /\ WF_vars(Heartbeat(n, p))
  /\ \A n \in Members : /\ WF_vars(Timeout(n))
                        /\ WF_vars(\E p \in Members : Request(n, p) \/ Join(n, p))
                        /\ SF_vars(\E s \in Members : up[s] /\ Join(n, s))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Properties (the simulator's names, packages/gossip/src/overlay/simulation.ts). *)

(* An active view holds at most ActiveSize members, never the member itself; the passive view at *)
(* most PassiveSize, never itself, none of them active.                                          *)
ViewShape ==
  \A n \in Members :
    /\ Cardinality(active[n]) <= ActiveSize /\ n \notin active[n]
    /\ Cardinality(passive[n]) <= PassiveSize /\ n \notin passive[n]
    /\ active[n] \cap passive[n] = {}

(* A member that takes a `disconnect` from a neighbour no longer holds it active. *)
DisconnectDropsLink ==
  [][\A m \in msgs :
       (m.type = "disconnect" /\ m \notin msgs' /\ up'[m.to] /\ faults' = faults) => m.from \notin active'[m.to]]_vars

Live == {n \in Members : up[n]}

(* No live member holds a member that is down, and every link is held at both ends. *)
Symmetric == \A n \in Live : \A p \in active[n] : up[p] /\ n \in active[p]

RECURSIVE ReachFrom(_, _)
ReachFrom(S, k) ==
  IF k = 0 THEN S ELSE ReachFrom(S \cup {p \in Live : \E n \in S : p \in active[n] /\ n \in active[p]}, k - 1)

(* The graph of (symmetric) active links over the live members is connected. *)
Connected == \A n \in Live : ReachFrom({n}, Cardinality(Members)) = Live

(* Liveness, once crashes, faults and rewirings have stopped (they are bounded): the views keep  *)
(* coming back to symmetric (links held at both ends, none to a member that is down), and to      *)
(* symmetric and connected. Infinitely often, not for good: a member whose view is not full keeps *)
(* asking (`low`), and an accepted request holds the link at one end until its reply arrives.     *)
ActiveViewsSymmetric == []<>Symmetric
OverlayConnected == []<>(Symmetric /\ Connected)
=============================================================================
