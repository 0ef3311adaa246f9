--------------------------- MODULE CounterRegister ---------------------------
(***************************************************************************)
(* The values DeltaAntiEntropy.tla abstracts away (issue 18): the          *)
(* PN-Counter's decrements and the last-writer-wins register, as           *)
(* packages/crdt does them, delivered as delta groups over a network that  *)
(* loses, duplicates and reorders (stale deltas arrive after newer ones).  *)
(*                                                                         *)
(* PN-Counter (pn-counter.ts): two G-Counters, increments `p` and          *)
(* decrements `n`; `add(a)` raises p[i] by a when a >= 0, else n[i] by -a, *)
(* and its delta carries the replica's new TOTAL (g-counter.ts,            *)
(* `increment`), so the join is the pointwise maximum and a duplicated or  *)
(* stale delta changes nothing. Value: sum(p) - sum(n).                    *)
(*                                                                         *)
(* LWW-Register (lww-register.ts, hlc.ts): one write [ts, rep, val]; the   *)
(* join keeps the newer by the code's `newer`: the larger HLC timestamp    *)
(* <<wallTicks, counter>> (compareHlc, lexicographic), equal timestamps to *)
(* the larger replica id. Replicas are numbers here, ordered as the code   *)
(* orders its string ids. The timestamp comes from the writer's hybrid    *)
(* logical clock (HybridLogicalClock): `now()` is <<pt, 0>> when the       *)
(* physical tick count pt passed the last timestamp's ticks, else          *)
(* <<l, c + 1>>; `observe(remote)` (ReplicaDocument.applyGroup, before     *)
(* anything else, also for a group already delivered) refuses the whole    *)
(* group when the remote ticks exceed pt + MaxAhead, and otherwise raises  *)
(* the last timestamp to the remote one when that is larger.               *)
(*                                                                         *)
(* Delivery (replica-document.ts, `applyGroup`): a group whose dots were   *)
(* all delivered is not joined (only observed); otherwise counter and      *)
(* register are joined, its dots delivered and the group buffered. A       *)
(* replica sends a peer its full state, or a delta-interval: the join of   *)
(* its buffer from any point the peer has delivered everything before      *)
(* (what an acknowledgement means, DeltaAntiEntropy.tla's AckedDelivered;  *)
(* the acknowledgements themselves, sessions and restarts are modelled     *)
(* there). The buffer is needed: a counter delta carries its replica's     *)
(* total, so the delta of one update, delivered alone where the updates    *)
(* before it are not, would count them (found by this model's first run:  *)
(* CounterSum violated; the code never sends that, an interval always      *)
(* starts at a point the receiver acknowledged).                           *)
(***************************************************************************)
EXTENDS Integers, FiniteSets, Sequences

CONSTANTS Replica,   \* replica ids: numbers (the register's tie-break orders them)
          Value,     \* register values
          Amounts,   \* amounts a local `add` may take (negative: a decrement)
          MaxOps,    \* local updates per replica
          MaxTicks,  \* physical ticks per replica (HybridLogicalClock.tick)
          MaxAhead,  \* HybridLogicalClock's maxAheadTicks
          MaxMsgs    \* most messages in flight (state constraint)

ASSUME Replica \subseteq Nat /\ Amounts \subseteq Int /\ MaxAhead \in Nat

VARIABLES p,     \* p[i][r]: increments of r at replica i (G-Counter entry)
          n,     \* n[i][r]: decrements of r at replica i
          reg,   \* reg[i]: the register's write at i, or NoWrite
          pt,    \* pt[i]: i's physical tick count (the HLC's physical part)
          hl,    \* hl[i]: i's HLC last timestamp <<wallTicks, counter>>
          seen,  \* seen[i]: updates (dots) delivered at i
          nops,  \* nops[i]: local updates issued by i (its last dot)
          buf,   \* buf[i]: i's delta buffer, its local and fresh received groups in order
          msgs,  \* the network: a set of [to, group]
          hist   \* every update issued: dot, kind, amount, write, past

vars == <<p, n, reg, pt, hl, seen, nops, buf, msgs, hist>>

Dot == Replica \X (1..MaxOps)
NoWrite == [ts |-> <<0, 0>>, rep |-> 0, val |-> "none"]
Zero == [r \in Replica |-> 0]

Max(a, b) == IF a >= b THEN a ELSE b

(* The code's `newer(a, b)` (lww-register.ts): compareHlc, then replica.   *)
CompareHlc(a, b) == IF a[1] # b[1] THEN a[1] - b[1] ELSE a[2] - b[2]
Newer(a, b) == IF CompareHlc(a.ts, b.ts) # 0 THEN CompareHlc(a.ts, b.ts) > 0 ELSE a.rep > b.rep

(* LWWRegister.merge: keep the other write when this has none or it is     *)
(* newer.                                                                  *)
JoinReg(mine, other) ==
  IF other # NoWrite /\ (mine = NoWrite \/ Newer(other, mine)) THEN other ELSE mine

Group(d, gp, gn, w) == [dots |-> d, p |-> gp, n |-> gn, reg |-> w]

JoinGroup(g, h) ==
  Group(g.dots \cup h.dots,
        [r \in Replica |-> Max(g.p[r], h.p[r])],
        [r \in Replica |-> Max(g.n[r], h.n[r])],
        JoinReg(g.reg, h.reg))

EmptyGroup == Group({}, Zero, Zero, NoWrite)

RECURSIVE JoinSeq(_)
JoinSeq(s) == IF s = <<>> THEN EmptyGroup ELSE JoinGroup(Head(s), JoinSeq(Tail(s)))

StateOf(i) == Group(seen[i], p[i], n[i], reg[i])

(* HybridLogicalClock.now() and observe() (hlc.ts).                        *)
Now(i) == IF pt[i] > hl[i][1] THEN <<pt[i], 0>> ELSE <<hl[i][1], hl[i][2] + 1>>
Observe(i, ts) == IF CompareHlc(ts, hl[i]) > 0 THEN ts ELSE hl[i]
TooFarAhead(i, w) == w # NoWrite /\ w.ts[1] > pt[i] + MaxAhead

Init ==
  /\ p = [i \in Replica |-> Zero]
  /\ n = [i \in Replica |-> Zero]
  /\ reg = [i \in Replica |-> NoWrite]
  /\ pt = [i \in Replica |-> 0]
  /\ hl = [i \in Replica |-> <<0, 0>>]
  /\ seen = [i \in Replica |-> {}]
  /\ nops = [i \in Replica |-> 0]
  /\ buf = [i \in Replica |-> <<>>]
  /\ msgs = {}
  /\ hist = {}

Tick(i) ==
  /\ pt[i] < MaxTicks
  /\ pt' = [pt EXCEPT ![i] = @ + 1]
  /\ UNCHANGED <<p, n, reg, hl, seen, nops, buf, msgs, hist>>

(* PNCounter.add(a) at i: the delta holds i's new total in p or in n.      *)
Add(i, a) ==
  /\ nops[i] < MaxOps
  /\ LET d == <<i, nops[i] + 1>>
         inc == a >= 0   \* `amount >= 0`: p grows by a; else n grows by -a
         np == IF inc THEN [p[i] EXCEPT ![i] = @ + a] ELSE p[i]
         nn == IF inc THEN n[i] ELSE [n[i] EXCEPT ![i] = @ - a]
         g == Group({d}, [r \in Replica |-> IF r = i /\ inc THEN np[i] ELSE 0],
                         [r \in Replica |-> IF r = i /\ ~inc THEN nn[i] ELSE 0], NoWrite)
     IN /\ p' = [p EXCEPT ![i] = np]
        /\ n' = [n EXCEPT ![i] = nn]
        /\ seen' = [seen EXCEPT ![i] = @ \cup {d}]
        /\ nops' = [nops EXCEPT ![i] = @ + 1]
        /\ buf' = [buf EXCEPT ![i] = Append(@, g)]
        /\ hist' = hist \cup {[dot |-> d, kind |-> "add", amount |-> a, write |-> NoWrite,
                               past |-> seen[i] \cup {d}]}
  /\ UNCHANGED <<reg, pt, hl, msgs>>

(* LWWRegister.assign(clock.now(), v) at i (ReplicaDocument.applyLocal).   *)
Assign(i, v) ==
  /\ nops[i] < MaxOps
  /\ LET d == <<i, nops[i] + 1>>
         w == [ts |-> Now(i), rep |-> i, val |-> v]
         g == Group({d}, Zero, Zero, w)
     IN /\ hl' = [hl EXCEPT ![i] = w.ts]
        /\ reg' = [reg EXCEPT ![i] = JoinReg(@, w)]
        /\ seen' = [seen EXCEPT ![i] = @ \cup {d}]
        /\ nops' = [nops EXCEPT ![i] = @ + 1]
        /\ buf' = [buf EXCEPT ![i] = Append(@, g)]
        /\ hist' = hist \cup {[dot |-> d, kind |-> "assign", amount |-> 0, write |-> w,
                               past |-> seen[i] \cup {d}]}
  /\ UNCHANGED <<p, n, pt, msgs>>

(* i sends j its full state (at any time), or the join of buf[i] after k  *)
(* when j has delivered every update of buf[i] up to k (the weakest guard  *)
(* an acknowledgement of k allows: seen only grows).                       *)
SendFull(i, j) ==
  /\ i # j
  /\ msgs' = msgs \cup {[to |-> j, group |-> StateOf(i)]}
  /\ UNCHANGED <<p, n, reg, pt, hl, seen, nops, buf, hist>>

SendDelta(i, j, k) ==
  /\ i # j
  /\ k < Len(buf[i])
  /\ \A x \in 1..k : buf[i][x].dots \subseteq seen[j]
  /\ msgs' = msgs \cup {[to |-> j, group |-> JoinSeq(SubSeq(buf[i], k + 1, Len(buf[i])))]}
  /\ UNCHANGED <<p, n, reg, pt, hl, seen, nops, buf, hist>>

(* ReplicaDocument.applyGroup: observe the register's timestamp (a group   *)
(* too far ahead is refused whole and changes nothing; the node's nack is  *)
(* DeltaAntiEntropy.tla's ReceiveNack); join only                          *)
(* when the group brings an update not delivered here. The message may     *)
(* stay in the network to be delivered again (duplication).                *)
Receive(m) ==
  /\ m \in msgs
  /\ LET j == m.to
         g == m.group
     IN /\ ~TooFarAhead(j, g.reg)
        /\ hl' = [hl EXCEPT ![j] = IF g.reg = NoWrite THEN @ ELSE Observe(j, g.reg.ts)]
        /\ IF g.dots \subseteq seen[j]
              THEN UNCHANGED <<p, n, reg, seen, buf>>
              ELSE /\ p' = [p EXCEPT ![j] = [r \in Replica |-> Max(@[r], g.p[r])]]
                   /\ n' = [n EXCEPT ![j] = [r \in Replica |-> Max(@[r], g.n[r])]]
                   /\ reg' = [reg EXCEPT ![j] = JoinReg(@, g.reg)]
                   /\ seen' = [seen EXCEPT ![j] = @ \cup g.dots]
                   /\ buf' = [buf EXCEPT ![j] = Append(@, g)]
        /\ \E keep \in BOOLEAN : msgs' = IF keep THEN msgs ELSE msgs \ {m}
  /\ UNCHANGED <<pt, nops, hist>>

Lose(m) ==
  /\ m \in msgs
  /\ msgs' = msgs \ {m}
  /\ UNCHANGED <<p, n, reg, pt, hl, seen, nops, buf, hist>>

Next ==
  \/ \E i \in Replica : Tick(i)
  \/ \E i \in Replica, a \in Amounts : Add(i, a)
  \/ \E i \in Replica, v \in Value : Assign(i, v)
  \/ \E i, j \in Replica : SendFull(i, j)
  \/ \E i, j \in Replica : \E k \in 0..Len(buf[i]) : SendDelta(i, j, k)
  \/ \E m \in msgs : Receive(m) \/ Lose(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties (names shared with the simulator's checks where they exist:  *)
(* packages/crdt/src/crdt-simulation.ts, register-causality.ts).           *)

Write == [ts : Nat \X Nat, rep : Replica, val : Value]

TypeOK ==
  /\ \A i \in Replica : /\ p[i] \in [Replica -> Nat] /\ n[i] \in [Replica -> Nat]
                        /\ reg[i] \in Write \cup {NoWrite}
                        /\ seen[i] \subseteq Dot /\ nops[i] \in 0..MaxOps

(* The order the specification of last-writer-wins names, written apart   *)
(* from the code's `Newer`: lexicographic on <<wallTicks, counter, rep>>.  *)
Later(a, b) ==
  \/ a.ts[1] > b.ts[1]
  \/ a.ts[1] = b.ts[1] /\ a.ts[2] > b.ts[2]
  \/ a.ts[1] = b.ts[1] /\ a.ts[2] = b.ts[2] /\ a.rep > b.rep

DeliveredWrites(i) == {u.write : u \in {h \in hist : h.kind = "assign" /\ h.dot \in seen[i]}}

(* Replicas that delivered the same updates have equal states.             *)
StrongConvergence ==
  \A i, j \in Replica :
    seen[i] = seen[j] => p[i] = p[j] /\ n[i] = n[j] /\ reg[i] = reg[j]

RECURSIVE SumOver(_, _)
SumOver(f, S) == IF S = {} THEN 0 ELSE LET r == CHOOSE x \in S : TRUE IN f[r] + SumOver(f, S \ {r})

RECURSIVE SumAmounts(_)
SumAmounts(U) == IF U = {} THEN 0 ELSE LET u == CHOOSE x \in U : TRUE IN u.amount + SumAmounts(U \ {u})

(* The counter's value is the sum of the amounts of the updates delivered  *)
(* (increments minus decrements).                                          *)
CounterSum ==
  \A i \in Replica :
    SumOver(p[i], Replica) - SumOver(n[i], Replica) =
      SumAmounts({h \in hist : h.kind = "add" /\ h.dot \in seen[i]})

(* The register holds the delivered write with the greatest               *)
(* <<timestamp, replica>>, or nothing when no write was delivered.         *)
LwwNewest ==
  \A i \in Replica :
    IF DeliveredWrites(i) = {} THEN reg[i] = NoWrite
    ELSE /\ reg[i] \in DeliveredWrites(i)
         /\ \A w \in DeliveredWrites(i) : w = reg[i] \/ Later(reg[i], w)

(* The register holds a delivered write that no delivered write causally   *)
(* follows (a write issued where another had been delivered must win).     *)
LwwCausal ==
  \A i \in Replica :
    \A h \in {x \in hist : x.kind = "assign" /\ x.dot \in seen[i]} :
      h.write = reg[i] => ~\E k \in hist : k.kind = "assign" /\ k.dot \in seen[i] /\ k # h /\ h.dot \in k.past

(* No two writes share a timestamp and a replica (the HLC is monotonic per *)
(* replica): LWW's order is total, so "the newest write" names one.        *)
WriteIdsUnique ==
  \A h, k \in {x \in hist : x.kind = "assign"} :
    h.write.ts = k.write.ts /\ h.write.rep = k.write.rep => h = k

(* No write is resurrected: a replica's register only moves to a later     *)
(* write, so a write it has overwritten (by a later one) never comes back, *)
(* whatever stale delta arrives. The counter's entries never go down.      *)
NoResurrection ==
  [][\A i \in Replica :
       /\ reg'[i] # reg[i] => reg[i] = NoWrite \/ Later(reg'[i], reg[i])
       /\ \A r \in Replica : p'[i][r] >= p[i][r] /\ n'[i][r] >= n[i][r]]_vars

(* The join laws over the reachable replica states and in-flight groups,   *)
(* and a delivered group is absorbed (joining it again changes nothing).   *)
Groups == {StateOf(i) : i \in Replica} \cup {m.group : m \in msgs}

JoinCommutative == \A g, h \in Groups : JoinGroup(g, h) = JoinGroup(h, g)
JoinIdempotent == \A g \in Groups : JoinGroup(g, g) = g
JoinAssociative ==
  \A g, h, k \in Groups : JoinGroup(JoinGroup(g, h), k) = JoinGroup(g, JoinGroup(h, k))

DeltaAbsorbed ==
  \A m \in msgs : m.group.dots \subseteq seen[m.to] =>
     JoinGroup(StateOf(m.to), m.group) = StateOf(m.to)

StateConstraint == Cardinality(msgs) <= MaxMsgs
=============================================================================
