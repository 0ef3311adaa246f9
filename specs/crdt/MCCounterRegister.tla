------------------------- MODULE MCCounterRegister --------------------------
EXTENDS CounterRegister, TLC

CONSTANT MaxTotalOps  \* most local updates over all replicas (state constraint)

MCAmounts == {1, -1}  \* an increment and a decrement (a cfg cannot write -1)

MCConstraint == StateConstraint /\ SumOver(nops, Replica) <= MaxTotalOps

(* Reachability ("Never...") properties: TLC must find each VIOLATED       *)
(* (expected-failures.json), which proves the model reaches the situation  *)
(* and the properties above are not vacuous.                               *)

\* No replica ever delivers another replica's decrement.
NeverRemoteDecrement == ~\E i, r \in Replica : i # r /\ n[i][r] > 0

\* No replica ever delivers two writes with equal timestamps (the replica tie-break never decides).
NeverTieBroken ==
  ~\E i \in Replica : \E w1, w2 \in DeliveredWrites(i) : w1 # w2 /\ w1.ts = w2.ts

\* A fresh group never carries a write older than the one the receiver holds (no stale write
\* ever arrives with news: the case where a wrong join would resurrect it).
NeverStaleWriteArrives ==
  [][\A m \in msgs :
       ~(Receive(m) /\ m.group.reg # NoWrite /\ ~(m.group.dots \subseteq seen[m.to])
         /\ reg[m.to] # NoWrite /\ Later(reg[m.to], m.group.reg))]_vars

\* No group in flight is ever too far ahead of its receiver's clock (never refused).
NeverTooFarAhead == ~\E m \in msgs : TooFarAhead(m.to, m.group.reg)
=============================================================================
