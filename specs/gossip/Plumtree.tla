---------------------------------- MODULE Plumtree ----------------------------------
(***************************************************************************)
(* Plumtree (Leitão, Pereira, Rodrigues, SRDS 2007) as packages/gossip's    *)
(* overlay/plumtree.ts does it, over an active graph that only loses links  *)
(* (a neighbour crashes for good, its neighbours drop it: `LinkDown`).      *)
(*                                                                          *)
(* A member's neighbours are eager (pushed the payload, `gossip`) or lazy   *)
(* (sent the id, `iHave`). The first copy of a broadcast is delivered and   *)
(* forwarded, its sender becomes eager; a duplicate makes its sender lazy   *)
(* and is answered with `prune`, which makes the link lazy at the other end *)
(* too. A broadcast announced by an IHave and still missing is grafted from *)
(* the first announcer not asked yet (`Graft`: the code's timer, which may  *)
(* fire at any time here), which becomes eager and answers with the payload *)
(* from its cache. A neighbour that leaves the view leaves both sets and its *)
(* announcements are forgotten.                                            *)
(*                                                                          *)
(* The initial tree is any: every link starts eager or lazy at both ends    *)
(* (`InitEager`), so pruned links are there from the start. Payloads are    *)
(* abstracted (a broadcast is its id), rounds too (they only order nothing   *)
(* here), the cache holds every broadcast (cacheSize is larger than the     *)
(* model's), and announcing recent broadcasts on a new link is not modelled *)
(* (the graph gains no links). Messages travel in a bag (lost, reordered;   *)
(* a copy is never made up). Lost messages: only those of type `LossTypes`  *)
(* (the eager payloads; an IHave or a graft answer lost is not repaired:     *)
(* properties.md, "HyParView + Plumtree").                                  *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences, Bags

CONSTANTS Members, Origin, Bcasts, Crashable, MaxCrashes, MaxLoss, LossTypes

ASSUME Origin \in Members /\ Crashable \subseteq Members \ {Origin}

VARIABLES
  up,          \* up[n]: n runs (a crashed member stays down)
  nbrs,        \* nbrs[n]: n's active view
  eager, lazy, \* n's eager and lazy neighbours
  received,    \* received[n]: broadcasts delivered at n (and cached)
  deliveries,  \* deliveries[n][b]: how many times n delivered b (the application's count)
  missing,     \* missing[n][b]: announcers of b not asked yet, in the order their IHaves came
  sent,        \* broadcasts the origin made
  msgs,        \* messages in flight, a bag of [from, to, type, b]
  crashes, lost

vars == <<up, nbrs, eager, lazy, received, deliveries, missing, sent, msgs, crashes, lost>>

Types == {"gossip", "iHave", "graft", "prune"}
Msg == [from : Members, to : Members, type : Types, b : Bcasts]

(* The initial active graph: symmetric, connected, no self-links (a constant of the model). *)
CONSTANT InitLinks
ASSUME \A n \in Members : InitLinks[n] \subseteq Members \ {n}
ASSUME \A n, p \in Members : p \in InitLinks[n] <=> n \in InitLinks[p]

TypeOK ==
  /\ up \in [Members -> BOOLEAN]
  /\ nbrs \in [Members -> SUBSET Members]
  /\ eager \in [Members -> SUBSET Members]
  /\ lazy \in [Members -> SUBSET Members]
  /\ received \in [Members -> SUBSET Bcasts]
  /\ deliveries \in [Members -> [Bcasts -> Nat]]
  /\ missing \in [Members -> [Bcasts -> Seq(Members)]]
  /\ sent \subseteq Bcasts
  /\ IsABag(msgs) /\ BagToSet(msgs) \subseteq Msg
  /\ crashes \in 0..MaxCrashes /\ lost \in 0..MaxLoss

(* Any tree: each link eager or lazy, alike at both ends. *)
Links == UNION {{{n, p} : p \in InitLinks[n]} : n \in Members}

Init ==
  /\ up = [n \in Members |-> TRUE]
  /\ nbrs = InitLinks
  /\ \E E \in SUBSET Links :
       /\ eager = [n \in Members |-> {p \in InitLinks[n] : {n, p} \in E}]
       /\ lazy = [n \in Members |-> {p \in InitLinks[n] : {n, p} \notin E}]
  /\ received = [n \in Members |-> {}]
  /\ deliveries = [n \in Members |-> [b \in Bcasts |-> 0]]
  /\ missing = [n \in Members |-> [b \in Bcasts |-> <<>>]]
  /\ sent = {}
  /\ msgs = EmptyBag
  /\ crashes = 0 /\ lost = 0

M(from, to, type, b) == [from |-> from, to |-> to, type |-> type, b |-> b]

(* The bag of messages `set`, less those to a member that is down (lost: it never restarts). *)
Out(set) == SetToBag({m \in set : up[m.to]})

(* n takes the first copy of b (from `from`, or its own broadcast: from = n): deliver, remember, *)
(* forget the announcements, push to the eager peers and announce to the lazy ones; the sender   *)
(* joins the tree. `base`: the bag of messages before these sends.                              *)
Accept(n, b, from, base) ==
  LET e == IF from \in nbrs[n] THEN eager[n] \cup {from} ELSE eager[n]
      l == IF from \in nbrs[n] THEN lazy[n] \ {from} ELSE lazy[n]
  IN /\ received' = [received EXCEPT ![n] = @ \cup {b}]
     /\ deliveries' = [deliveries EXCEPT ![n][b] = @ + 1]
     /\ missing' = [missing EXCEPT ![n][b] = <<>>]
     /\ eager' = [eager EXCEPT ![n] = e]
     /\ lazy' = [lazy EXCEPT ![n] = l]
     /\ msgs' = base (+) Out({M(n, p, "gossip", b) : p \in e \ {from}} \cup {M(n, p, "iHave", b) : p \in l \ {from}})

Broadcast(b) ==
  /\ b \notin sent /\ up[Origin]
  /\ sent' = sent \cup {b}
  /\ Accept(Origin, b, Origin, msgs)
  /\ UNCHANGED <<up, nbrs, crashes, lost>>

(* A payload of b is a duplicate at n: n delivered b already. *)
Duplicate(n, b) == b \in received[n]

(* The member m.to takes message m. *)
Receive(m) ==
  LET n == m.to
      p == m.from
      rest == msgs (-) SetToBag({m})
  IN
  /\ up[n]
  /\ CASE m.type = "gossip" ->
            IF Duplicate(n, m.b)
            THEN (* its sender becomes lazy, and is told to prune *)
                 /\ eager' = [eager EXCEPT ![n] = IF p \in nbrs[n] THEN @ \ {p} ELSE @]
                 /\ lazy' = [lazy EXCEPT ![n] = IF p \in nbrs[n] THEN @ \cup {p} ELSE @]
                 /\ msgs' = rest (+) Out({M(n, p, "prune", m.b)})
                 /\ UNCHANGED <<received, deliveries, missing>>
            ELSE Accept(n, m.b, p, rest)
       [] m.type = "iHave" ->
            /\ missing' = IF m.b \in received[n] THEN missing
                          ELSE [missing EXCEPT ![n][m.b] = Append(@, p)]
            /\ msgs' = rest
            /\ UNCHANGED <<eager, lazy, received, deliveries>>
       [] m.type = "graft" ->
            /\ eager' = [eager EXCEPT ![n] = IF p \in nbrs[n] THEN @ \cup {p} ELSE @]
            /\ lazy' = [lazy EXCEPT ![n] = IF p \in nbrs[n] THEN @ \ {p} ELSE @]
            /\ msgs' = rest (+) Out(IF m.b \in received[n] THEN {M(n, p, "gossip", m.b)} ELSE {})
            /\ UNCHANGED <<received, deliveries, missing>>
       [] m.type = "prune" ->
            /\ eager' = [eager EXCEPT ![n] = @ \ {p}]
            /\ lazy' = [lazy EXCEPT ![n] = IF p \in eager[n] THEN @ \cup {p} ELSE @]
            /\ msgs' = rest
            /\ UNCHANGED <<received, deliveries, missing>>
  /\ UNCHANGED <<up, nbrs, sent, crashes, lost>>

(* n's graft timer for b fired: ask the first announcer not asked yet (it becomes eager). *)
Graft(n, b) ==
  LET next == Head(missing[n][b]) IN
  /\ up[n] /\ b \notin received[n] /\ missing[n][b] # <<>>
  /\ missing' = [missing EXCEPT ![n][b] = Tail(@)]
  /\ eager' = [eager EXCEPT ![n] = IF next \in nbrs[n] THEN @ \cup {next} ELSE @]
  /\ lazy' = [lazy EXCEPT ![n] = IF next \in nbrs[n] THEN @ \ {next} ELSE @]
  /\ msgs' = msgs (+) Out({M(n, next, "graft", b)})
  /\ UNCHANGED <<up, nbrs, received, deliveries, sent, crashes, lost>>

(* n crashes for good: the messages to it are lost. *)
Crash(n) ==
  /\ n \in Crashable /\ up[n] /\ crashes < MaxCrashes
  /\ up' = [up EXCEPT ![n] = FALSE]
  /\ crashes' = crashes + 1
  /\ msgs' = [m \in {x \in DOMAIN msgs : x.to # n} |-> msgs[m]]
  /\ UNCHANGED <<nbrs, eager, lazy, received, deliveries, missing, sent, lost>>

(* n's failure detector drops a crashed neighbour p (HyParView's neighborDown). *)
LinkDown(n, p) ==
  /\ up[n] /\ ~up[p] /\ p \in nbrs[n]
  /\ nbrs' = [nbrs EXCEPT ![n] = @ \ {p}]
  /\ eager' = [eager EXCEPT ![n] = @ \ {p}]
  /\ lazy' = [lazy EXCEPT ![n] = @ \ {p}]
  /\ missing' = [missing EXCEPT ![n] = [b \in Bcasts |-> SelectSeq(@[b], LAMBDA x : x # p)]]
  /\ UNCHANGED <<up, received, deliveries, sent, msgs, crashes, lost>>

Lose(m) ==
  /\ m.type \in LossTypes /\ lost < MaxLoss
  /\ msgs' = msgs (-) SetToBag({m})
  /\ lost' = lost + 1
  /\ UNCHANGED <<up, nbrs, eager, lazy, received, deliveries, missing, sent, crashes>>

Next ==
  \/ \E b \in Bcasts : Broadcast(b)
  \/ \E m \in BagToSet(msgs) : Receive(m) \/ Lose(m)
  \/ \E n \in Members, b \in Bcasts : Graft(n, b)
  \/ \E n \in Members : Crash(n)
  \/ \E n, p \in Members : LinkDown(n, p)

(* Every member eventually takes the messages sent to it, fires its graft timers and drops its  *)
(* crashed neighbours. Broadcasts, crashes and losses need no fairness.                         *)
Fairness ==
  \A n \in Members :
    /\ WF_vars(\E m \in BagToSet(msgs) : m.to = n /\ Receive(m))
    /\ WF_vars(\E b \in Bcasts : Graft(n, b))
    /\ WF_vars(\E p \in Members : LinkDown(n, p))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Properties (the simulator's names, packages/gossip/src/overlay/simulation.ts). *)

(* A member delivers a broadcast id at most once (per start: members here never restart). *)
NoDuplicateDelivery == \A n \in Members, b \in Bcasts : deliveries[n][b] <= 1

(* Every broadcast delivered, or carried by a message, was broadcast by its origin before. *)
NoCreation ==
  /\ \A n \in Members : received[n] \subseteq sent
  /\ \A m \in BagToSet(msgs) : m.type # "prune" => m.b \in sent

(* The tree's links are neighbours, each eager or lazy, never both. *)
TreeLinksAreNeighbours ==
  \A n \in Members : eager[n] \cup lazy[n] = nbrs[n] /\ eager[n] \cap lazy[n] = {}

(* The live members connected to the origin by links held at both ends between live members. *)
RECURSIVE ReachFrom(_, _)
ReachFrom(S, k) ==
  IF k = 0 THEN S
  ELSE ReachFrom(S \cup {p \in Members : up[p] /\ \E n \in S : p \in nbrs[n] /\ n \in nbrs[p]}, k - 1)
Component == IF up[Origin] THEN ReachFrom({Origin}, Cardinality(Members)) ELSE {}

(* Liveness: every broadcast made reaches every live member in its origin's component (for good: *)
(* deliveries are never undone, and the component only shrinks here).                            *)
BroadcastDelivered == \A b \in Bcasts : (b \in sent) ~> (\A n \in Component : b \in received[n])
=============================================================================
