--------------------------- MODULE DeltaAntiEntropy ---------------------------
(***************************************************************************)
(* Delta-state anti-entropy (Almeida, Shoker, Baquero 2018, Algorithm 2)   *)
(* for a document made of a G-Counter and an add-wins OR-Set, over an      *)
(* unreliable network that loses, duplicates and reorders messages.        *)
(*                                                                         *)
(* Each local operation is an update named by a dot <<replica, n>>. A      *)
(* replica keeps a delta buffer (the delta groups it produced or merged    *)
(* fresh) and, per peer, the buffer index that peer acknowledged. It sends *)
(* a peer the join of the unacknowledged suffix (a delta-interval), or its *)
(* whole state (the full-state fallback, allowed at any time). The         *)
(* receiver joins the group into its state, buffers it if it brought a new *)
(* update, and acknowledges; an ack that covers everything the receiver    *)
(* has delivered acknowledges its whole buffer (ReceiveAckCovering, the    *)
(* implementation's version-vector shortcut). A delivered message may stay *)
(* in the network to be delivered again (duplication); a Lose step drops   *)
(* any message; the network is a set, so messages arrive in any order      *)
(* (reordering). With Crashes, a replica may crash and recover (Restart):  *)
(* its document survives, its buffer and acknowledgements start again in a *)
(* new session.                                                             *)
(*                                                                         *)
(* With Corruption (issue 18), a replica keeps a durable log of records    *)
(* (every local or fresh merged group, or one checkpoint of its whole      *)
(* state, Compact), and a restart may find records corrupted: it recovers  *)
(* the readable prefix, turns read-only for good (no local update, so it   *)
(* never reissues a dot it lost), and asks every peer with a nack for its  *)
(* full state, refusing that peer's intervals until the full state comes;  *)
(* the nack is resent every round (nacks are lost like any message). A     *)
(* checkpoint of a read-only replica carries the read-only mark.           *)
(*                                                                         *)
(* Mirrors packages/crdt/src/replica-node.ts (CrdtReplicaNode) and         *)
(* replica-document.ts; invariant names match the simulator's.             *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS Replica,   \* replica ids
          Elem,      \* OR-Set elements
          MaxOps,    \* local operations per replica
          MaxMsgs,   \* most messages in flight (state constraint)
          MaxTotalOps, \* most local operations over all replicas (state constraint)
          Crashes,   \* TRUE: replicas may crash and recover (Restart is enabled)
          Corruption \* TRUE: durable records may be corrupted (with Crashes), compacted, and nacked

ASSUME Crashes \in BOOLEAN /\ Corruption \in BOOLEAN

VARIABLES cnt,    \* cnt[i][r]: G-Counter entry of r at replica i
          store,  \* store[i]: OR-Set dot store, a set of <<elem, dot>>
          ctx,    \* ctx[i]: OR-Set causal context, a set of dots
          seen,   \* seen[i]: updates (dots) delivered at i
          nops,   \* nops[i]: local operations issued by i (its last dot)
          buf,    \* buf[i]: delta buffer, a sequence of delta groups
          ack,    \* ack[i][j]: length of buf[i] that j acknowledged
          msgs,   \* the network: a set of messages
          hist,   \* history: every update issued, for the sequential specs
          sess,   \* sess[i]: i's incarnation (session), raised by each restart
          \* With Corruption only (they keep their initial values otherwise):
          log,    \* log[i]: i's durable readable records, a sequence of groups (a checkpoint first, if any)
          bad,    \* bad[i]: i's durable records include corrupted ones (until a checkpoint replaces them)
          mark,   \* mark[i]: i's last checkpoint carries the read-only mark (CrdtRecord's `readOnly`)
          ro,     \* ro[i]: i is read-only (refuses local updates)
          needsFull, \* needsFull[i]: peers whose full state i waits for (their intervals refused)
          fullReq,   \* fullReq[i]: peers that nacked i: its next send to them is its full state
          alarm      \* alarm[i]: peers the alarm of i's corrupted restart has not nacked yet

corrVars == <<log, bad, mark, ro, needsFull, fullReq, alarm>>
vars == <<cnt, store, ctx, seen, nops, buf, ack, msgs, hist, sess, log, bad, mark, ro, needsFull, fullReq, alarm>>

Dot == Replica \X (1..MaxOps)
ZeroCnt == [r \in Replica |-> 0]

(* A delta group: the update dots it covers and the join of their deltas.  *)
Group(d, c, s, x) == [dots |-> d, cnt |-> c, store |-> s, ctx |-> x]
EmptyGroup == Group({}, ZeroCnt, {}, {})

Max(a, b) == IF a >= b THEN a ELSE b

(* The OR-Set join: a dot survives if both sides have it or the other      *)
(* side has never seen it.                                                 *)
JoinStore(s1, c1, s2, c2) ==
  (s1 \cap s2) \cup {x \in s1 : x[2] \notin c2} \cup {x \in s2 : x[2] \notin c1}

JoinGroup(g, h) ==
  Group(g.dots \cup h.dots,
        [r \in Replica |-> Max(g.cnt[r], h.cnt[r])],
        JoinStore(g.store, g.ctx, h.store, h.ctx),
        g.ctx \cup h.ctx)

RECURSIVE JoinSeq(_)
JoinSeq(s) == IF s = <<>> THEN EmptyGroup ELSE JoinGroup(Head(s), JoinSeq(Tail(s)))

StateOf(i) == Group(seen[i], cnt[i], store[i], ctx[i])

Suffix(s, from) == SubSeq(s, from + 1, Len(s))

Init ==
  /\ cnt = [i \in Replica |-> ZeroCnt]
  /\ store = [i \in Replica |-> {}]
  /\ ctx = [i \in Replica |-> {}]
  /\ seen = [i \in Replica |-> {}]
  /\ nops = [i \in Replica |-> 0]
  /\ buf = [i \in Replica |-> <<>>]
  /\ ack = [i \in Replica |-> [j \in Replica |-> 0]]
  /\ msgs = {}
  /\ hist = {}
  /\ sess = [i \in Replica |-> 0]
  /\ log = [i \in Replica |-> <<>>]
  /\ bad = [i \in Replica |-> FALSE]
  /\ mark = [i \in Replica |-> FALSE]
  /\ ro = [i \in Replica |-> FALSE]
  /\ needsFull = [i \in Replica |-> {}]
  /\ fullReq = [i \in Replica |-> {}]
  /\ alarm = [i \in Replica |-> {}]

(* Persist group g at i (a durable record). Only the corruption model      *)
(* keeps the log: without it a restart recovers the whole state anyway.    *)
Persist(i, g) == IF Corruption THEN [log EXCEPT ![i] = Append(@, g)] ELSE log

(* Apply a local delta group at i (mutator already computed the delta).   *)
LocalUpdate(i, g, record) ==
  /\ ~ro[i]   \* a read-only replica refuses local updates
  /\ cnt' = [cnt EXCEPT ![i] = [r \in Replica |-> Max(@[r], g.cnt[r])]]
  /\ store' = [store EXCEPT ![i] = JoinStore(@, ctx[i], g.store, g.ctx)]
  /\ ctx' = [ctx EXCEPT ![i] = @ \cup g.ctx]
  /\ seen' = [seen EXCEPT ![i] = @ \cup g.dots]
  /\ nops' = [nops EXCEPT ![i] = @ + 1]
  /\ buf' = [buf EXCEPT ![i] = Append(@, g)]
  /\ hist' = hist \cup {record}
  /\ log' = Persist(i, g)
  /\ UNCHANGED <<ack, msgs, sess, bad, mark, ro, needsFull, fullReq, alarm>>

Increment(i) ==
  /\ nops[i] < MaxOps
  /\ LET d == <<i, nops[i] + 1>>
         c == [r \in Replica |-> IF r = i THEN cnt[i][i] + 1 ELSE 0]
     IN LocalUpdate(i, Group({d}, c, {}, {}),
                    [dot |-> d, kind |-> "inc", elem |-> "none", past |-> seen[i] \cup {d}])

Add(i, e) ==
  /\ nops[i] < MaxOps
  /\ LET d == <<i, nops[i] + 1>>
         old == {x[2] : x \in {y \in store[i] : y[1] = e}}
     IN LocalUpdate(i, Group({d}, ZeroCnt, {<<e, d>>}, {d} \cup old),
                    [dot |-> d, kind |-> "add", elem |-> e, past |-> seen[i] \cup {d}])

Remove(i, e) ==
  /\ nops[i] < MaxOps
  /\ \E x \in store[i] : x[1] = e
  /\ LET d == <<i, nops[i] + 1>>
         old == {x[2] : x \in {y \in store[i] : y[1] = e}}
     IN LocalUpdate(i, Group({d}, ZeroCnt, {}, old),
                    [dot |-> d, kind |-> "rmv", elem |-> e, past |-> seen[i] \cup {d}])

(* Send j the delta-interval it has not acknowledged. A delta's `full`     *)
(* says whether it is a full state; only the corruption model reads it (a  *)
(* replica waiting for a peer's full state refuses its intervals), so it   *)
(* is FALSE on every message without Corruption: the other models keep    *)
(* their state spaces.                                                      *)
SendDelta(i, j) ==
  /\ i # j
  /\ ack[i][j] < Len(buf[i])
  /\ msgs' = msgs \cup {[type |-> "delta", from |-> i, to |-> j, sess |-> sess[i], seq |-> Len(buf[i]),
                         full |-> FALSE, group |-> JoinSeq(Suffix(buf[i], ack[i][j]))]}
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, ack, hist, sess>>
  /\ UNCHANGED corrVars

(* Full-state fallback (after a long partition or a dropped buffer), and   *)
(* the answer to j's nack (j \in fullReq[i], even when j acknowledged      *)
(* everything: `syncPeer`'s `requested`).                                   *)
SendFull(i, j) ==
  /\ i # j
  /\ ack[i][j] < Len(buf[i]) \/ j \in fullReq[i]
  /\ msgs' = msgs \cup {[type |-> "delta", from |-> i, to |-> j, sess |-> sess[i], seq |-> Len(buf[i]),
                         full |-> Corruption, group |-> StateOf(i)]}
  /\ fullReq' = [fullReq EXCEPT ![i] = @ \ {j}]
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, ack, hist, sess>>
  /\ UNCHANGED <<log, bad, mark, ro, needsFull, alarm>>

(* Merge a delta. A replica waiting for m.from's full state merges only    *)
(* that (ReceiveDeltaRefused); the full state ends the wait. A fresh group *)
(* is persisted (Persist) before the ack leaves.                           *)
ReceiveDelta(m) ==
  /\ m \in msgs
  /\ m.type = "delta"
  /\ m.full \/ m.from \notin needsFull[m.to]
  /\ LET j == m.to
         g == m.group
     IN /\ cnt' = [cnt EXCEPT ![j] = [r \in Replica |-> Max(@[r], g.cnt[r])]]
        /\ store' = [store EXCEPT ![j] = JoinStore(@, ctx[j], g.store, g.ctx)]
        /\ ctx' = [ctx EXCEPT ![j] = @ \cup g.ctx]
        /\ seen' = [seen EXCEPT ![j] = @ \cup g.dots]
        /\ buf' = IF g.dots \subseteq seen[j] THEN buf ELSE [buf EXCEPT ![j] = Append(@, g)]
        /\ \E keep \in BOOLEAN :  \* keep: the message will be delivered again (duplication)
             msgs' = (IF keep THEN msgs ELSE msgs \ {m}) \cup {[type |-> "ack", from |-> j, to |-> m.from, sess |-> m.sess, seq |-> m.seq]}
        /\ log' = IF g.dots \subseteq seen[j] THEN log ELSE Persist(j, g)
        /\ needsFull' = IF m.full THEN [needsFull EXCEPT ![j] = @ \ {m.from}] ELSE needsFull
        /\ UNCHANGED <<nops, ack, hist, sess, bad, mark, ro, fullReq, alarm>>

(* An interval from a peer whose full state j waits for: dropped, nacked   *)
(* (`onDelta`): that peer's acknowledgements may cover records j lost.     *)
ReceiveDeltaRefused(m) ==
  /\ m \in msgs
  /\ m.type = "delta"
  /\ ~m.full
  /\ m.from \in needsFull[m.to]
  /\ \E keep \in BOOLEAN :
       msgs' = (IF keep THEN msgs ELSE msgs \ {m}) \cup {[type |-> "nack", from |-> m.to, to |-> m.from]}
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, ack, hist, sess>>
  /\ UNCHANGED corrVars

(* i may ask j for its full state: the alarm of a corrupted restart asks   *)
(* every peer once; then, every round, each peer whose full state has not  *)
(* arrived yet is asked again (`tick`: a nack may be lost).                *)
CanNack(i, j) == j \in alarm[i] \/ j \in needsFull[i]

SendNack(i, j) ==
  /\ i # j
  /\ CanNack(i, j)
  /\ msgs' = msgs \cup {[type |-> "nack", from |-> i, to |-> j]}
  /\ alarm' = [alarm EXCEPT ![i] = @ \ {j}]
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, ack, hist, sess>>
  /\ UNCHANGED <<log, bad, mark, ro, needsFull, fullReq>>

(* A nack: forget what m.from acknowledged, send it the full state next.   *)
ReceiveNack(m) ==
  /\ m \in msgs
  /\ m.type = "nack"
  /\ ack' = [ack EXCEPT ![m.to][m.from] = 0]
  /\ fullReq' = [fullReq EXCEPT ![m.to] = @ \cup {m.from}]
  /\ \E keep \in BOOLEAN : msgs' = IF keep THEN msgs ELSE msgs \ {m}
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, hist, sess>>
  /\ UNCHANGED <<log, bad, mark, ro, needsFull, alarm>>

ReceiveAck(m) ==
  /\ m \in msgs
  /\ m.type = "ack"
  \* An ack of an earlier session of the receiver is ignored (its seq counts another buffer).
  /\ ack' = IF m.sess = sess[m.to] THEN [ack EXCEPT ![m.to][m.from] = Max(@, m.seq)] ELSE ack
  /\ \E keep \in BOOLEAN : msgs' = IF keep THEN msgs ELSE msgs \ {m}
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, hist, sess>>
  /\ UNCHANGED corrVars

(* An ack that covers the receiver (packages/crdt/src/replica-node.ts,      *)
(* `onSeen`): the implementation's ack also carries the acknowledger's      *)
(* version vector of delivered updates. When it covers every update the     *)
(* receiver m.to has delivered, the receiver treats its whole buffer as     *)
(* acknowledged by m.from: ack[m.to][m.from] jumps to Len(buf[m.to]), past  *)
(* the ack's own seq, so the next interval starts there. `covered` is the   *)
(* set of dots the vector names: a subset of what the acknowledger has      *)
(* delivered (seen only grows, so a vector sent earlier is one too), and a  *)
(* superset of what the receiver has. Safe: every group of the skipped part *)
(* of buf[m.to] names only updates of seen[m.to], which m.from has          *)
(* delivered, so it would be absorbed there (DeltaAbsorbed); acks change    *)
(* only what is sent later, never a replica's state.                        *)
ReceiveAckCovering(m, covered) ==
  /\ m \in msgs
  /\ m.type = "ack"
  /\ covered \subseteq seen[m.from]
  /\ seen[m.to] \subseteq covered
  /\ ack' = [ack EXCEPT ![m.to][m.from] = Max(@, Len(buf[m.to]))]
  /\ \E keep \in BOOLEAN : msgs' = IF keep THEN msgs ELSE msgs \ {m}
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, hist, sess>>
  /\ UNCHANGED corrVars

(* Replica i crashes and recovers from its durable records. Every local or *)
(* merged group is persisted before any message that depends on it leaves  *)
(* (one atomic step here), so the document (cnt, store, ctx, seen) and the *)
(* last dot survive. The buffer and the acknowledgements do not: a new     *)
(* session starts, whose buffer holds the recovered state as one group     *)
(* (the implementation's seq = baseSeq = 1: every peer gets the full state  *)
(* first), with nothing acknowledged; acks of the old session are ignored. *)
(*                                                                         *)
(* With Corruption the recovered state is the join of the readable records *)
(* (DurableState: the whole state when none is corrupted), and the last    *)
(* dot is read from it, as the implementation's `nextDot` does. Records    *)
(* found corrupted (`corrupted`), or a checkpoint with the read-only mark, *)
(* make i read-only, and a read-only replica waits for every peer's full   *)
(* state again (needsFull) and nacks every peer (its alarm): the wait of   *)
(* its previous incarnation was in memory, and a checkpoint may have       *)
(* replaced the corrupted records before every full state arrived, so the *)
(* peers' acknowledgements may still cover records it lost (found by this *)
(* model, issue 18: with the wait kept only when `corrupted`, a peer's     *)
(* later interval was merged onto the hole, AckedDeliveredUnlessWaiting).  *)
(* In-memory requests (fullReq) are lost.                                  *)
OwnTop(i, D) == LET own == {d[2] : d \in {x \in D : x[1] = i}}
                IN IF own = {} THEN 0 ELSE CHOOSE n \in own : \A k \in own : k <= n

Recover(i, recs, corrupted) ==
  LET g == JoinSeq(recs)
      readOnly == corrupted \/ mark[i]
  IN /\ cnt' = [cnt EXCEPT ![i] = g.cnt]
     /\ store' = [store EXCEPT ![i] = g.store]
     /\ ctx' = [ctx EXCEPT ![i] = g.ctx]
     /\ seen' = [seen EXCEPT ![i] = g.dots]
     /\ nops' = [nops EXCEPT ![i] = OwnTop(i, g.dots)]
     /\ sess' = [sess EXCEPT ![i] = @ + 1]
     /\ buf' = [buf EXCEPT ![i] = IF g.dots = {} THEN <<>> ELSE <<g>>]
     /\ ack' = [ack EXCEPT ![i] = [j \in Replica |-> 0]]
     /\ log' = IF Corruption THEN [log EXCEPT ![i] = recs] ELSE log
     /\ bad' = [bad EXCEPT ![i] = corrupted]
     /\ ro' = [ro EXCEPT ![i] = readOnly]
     /\ needsFull' = [needsFull EXCEPT ![i] = IF readOnly THEN Replica \ {i} ELSE {}]
     /\ alarm' = [alarm EXCEPT ![i] = IF readOnly THEN Replica \ {i} ELSE {}]
     /\ fullReq' = [fullReq EXCEPT ![i] = {}]
     /\ UNCHANGED <<msgs, hist, mark>>

(* A restart that reads every record (some may be corrupted from an        *)
(* earlier failure not yet compacted away: bad[i]).                        *)
Restart(i) ==
  /\ Crashes
  /\ Recover(i, IF Corruption THEN log[i] ELSE <<StateOf(i)>>, bad[i])

(* A restart that finds records corrupted: only the prefix of the first k  *)
(* records can be read (a bad frame makes every later one unreadable).     *)
RestartCorrupted(i, k) ==
  /\ Crashes /\ Corruption
  /\ k < Len(log[i])
  /\ Recover(i, SubSeq(log[i], 1, k), TRUE)

(* Compaction: the records are replaced by one checkpoint of the whole     *)
(* state (`maybeCheckpoint`; here at any time), which drops the corrupted  *)
(* ones; a read-only replica's checkpoint carries the mark. Only while     *)
(* corrupted records are kept (bad[i]): compacting a clean log changes     *)
(* nothing a restart can recover (a checkpoint's prefixes, nothing or the  *)
(* whole state, are prefixes of the records it replaced too) nor the mark  *)
(* (a read-only replica without corrupted records already has it).        *)
Compact(i) ==
  /\ Corruption
  /\ bad[i]
  /\ log' = [log EXCEPT ![i] = <<StateOf(i)>>]
  /\ bad' = [bad EXCEPT ![i] = FALSE]
  /\ mark' = [mark EXCEPT ![i] = ro[i]]
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, ack, msgs, hist, sess>>
  /\ UNCHANGED <<ro, needsFull, fullReq, alarm>>

Lose(m) ==
  /\ m \in msgs
  /\ msgs' = msgs \ {m}
  /\ UNCHANGED <<cnt, store, ctx, seen, nops, buf, ack, hist, sess>>
  /\ UNCHANGED corrVars

Next ==
  \/ \E i \in Replica : Increment(i)
  \/ \E i \in Replica, e \in Elem : Add(i, e) \/ Remove(i, e)
  \/ \E i, j \in Replica : SendDelta(i, j) \/ SendFull(i, j)
  \/ \E m \in msgs : ReceiveDelta(m) \/ ReceiveAck(m) \/ Lose(m)
  \* covered = everything the acknowledger has delivered is the weakest choice:
  \* any vector that covers the receiver enables the same step with the same effect.
  \/ \E m \in msgs : ReceiveAckCovering(m, seen[m.from])
  \/ \E i \in Replica : Restart(i)
  \* With Corruption only (each is disabled otherwise: needsFull, alarm and the log stay empty).
  \/ \E i \in Replica : \E k \in 0..Len(log[i]) : RestartCorrupted(i, k)
  \/ \E i \in Replica : Compact(i)
  \/ \E i, j \in Replica : SendNack(i, j)
  \/ \E m \in msgs : ReceiveNack(m) \/ ReceiveDeltaRefused(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants (names shared with the simulator: packages/crdt/src/crdt-simulation.ts). *)

TypeOK ==
  /\ \A i \in Replica : nops[i] \in 0..MaxOps /\ seen[i] \subseteq Dot /\ ctx[i] \subseteq Dot

(* Replicas that delivered the same updates have equal states.             *)
StrongConvergence ==
  \A i, j \in Replica :
    seen[i] = seen[j] => /\ cnt[i] = cnt[j] /\ store[i] = store[j] /\ ctx[i] = ctx[j]

(* The OR-Set's store never holds a dot outside its own causal context.    *)
DotsInContext == \A i \in Replica : \A x \in store[i] : x[2] \in ctx[i]

(* Add-wins: e is present iff some delivered add of e was observed by no   *)
(* delivered remove of e.                                                  *)
AddWins ==
  \A i \in Replica, e \in Elem :
    (\E x \in store[i] : x[1] = e) <=>
      \E a \in hist : /\ a.kind = "add" /\ a.elem = e /\ a.dot \in seen[i]
                      /\ ~\E r \in hist : /\ r.kind = "rmv" /\ r.elem = e
                                          /\ r.dot \in seen[i] /\ a.dot \in r.past

(* The counter equals the number of increments delivered.                 *)
RECURSIVE SumOver(_, _)
SumOver(f, S) == IF S = {} THEN 0 ELSE LET r == CHOOSE x \in S : TRUE IN f[r] + SumOver(f, S \ {r})

CounterSum ==
  \A i \in Replica :
    SumOver(cnt[i], Replica) = Cardinality({h \in hist : h.kind = "inc" /\ h.dot \in seen[i]})

(* The join laws, over every pair and triple of reachable replica states   *)
(* and in-flight delta groups.                                             *)
Groups == {StateOf(i) : i \in Replica} \cup {m.group : m \in {x \in msgs : x.type = "delta"}}

JoinCommutative == \A g, h \in Groups : JoinGroup(g, h) = JoinGroup(h, g)
JoinIdempotent == \A g \in Groups : JoinGroup(g, g) = g
JoinAssociative ==
  \A g, h, k \in Groups : JoinGroup(JoinGroup(g, h), k) = JoinGroup(g, JoinGroup(h, k))

(* A delivered delta group is absorbed: joining it again changes nothing.  *)
DeltaAbsorbed ==
  \A m \in msgs : m.type = "delta" /\ m.group.dots \subseteq seen[m.to] =>
     JoinGroup(StateOf(m.to), m.group) = StateOf(m.to)

(* What an acknowledgement means: the point j acknowledged lies within      *)
(* buf[i], and every group of buf[i] up to it names only updates j has      *)
(* delivered. This is what makes skipping that part of the buffer safe     *)
(* (ReceiveAck, ReceiveAckCovering): an ack that moved past a group j      *)
(* lacks would lose it for j for good; an ack of an older session (before  *)
(* a Restart) counts positions of a buffer that no longer exists.          *)
AckedDelivered ==
  \A i, j \in Replica : i # j =>
    /\ ack[i][j] <= Len(buf[i])
    /\ \A k \in 1..ack[i][j] : buf[i][k].dots \subseteq seen[j]

-----------------------------------------------------------------------------
(* Invariants of the corruption model (issue 18; MCDeltaAntiEntropyCorrupt.cfg). *)

(* A dot names one update: no replica ever issues the same dot for two      *)
(* different updates (hist records every update issued, with its kind,     *)
(* element and observed past). Two restarts could break it: a replica that *)
(* lost records it had issued would issue their dots again.                *)
DotsUnique == \A a, b \in hist : a.dot = b.dot => a = b

(* Every dot a replica or an in-flight group holds names an issued update. *)
DotsIssued ==
  LET issued == {h.dot : h \in hist}
  IN /\ \A i \in Replica : seen[i] \subseteq issued
     /\ \A m \in msgs : m.type = "delta" => m.group.dots \subseteq issued

(* A read-only replica issues no new dot (action property).               *)
ReadOnlyIssuesNoDot ==
  [][\A i \in Replica : ro[i] => \A h \in hist' \ hist : h.dot[1] # i]_vars

(* Read-only is for good: what makes i read-only survives the next        *)
(* restart, the corrupted records or, once a checkpoint replaced them, the *)
(* checkpoint's mark.                                                      *)
ReadOnlyDurable == \A i \in Replica : ro[i] => bad[i] \/ mark[i]

(* Every state change is persisted: the records join to the whole state.  *)
DurableState == \A i \in Replica : JoinSeq(log[i]) = StateOf(i)

(* AckedDelivered, except towards a replica that lost records and waits    *)
(* for the acknowledger's full state: its lost records made the            *)
(* acknowledgement overstate what it holds, and the wait (its nack resets  *)
(* the acknowledgement; the full state restores what it covers) is how the *)
(* implementation repairs that. AckedDelivered itself cannot hold with     *)
(* corruption.                                                             *)
AckedDeliveredUnlessWaiting ==
  \A i, j \in Replica : i # j =>
    /\ ack[i][j] <= Len(buf[i])
    /\ i \notin needsFull[j] => \A k \in 1..ack[i][j] : buf[i][k].dots \subseteq seen[j]

(* A replica waiting for j's full state is never stuck: a nack to j or     *)
(* j's full state is in flight, j owes it a full state, or it can nack j   *)
(* again. (Liveness proper is not model checked; this is the safety part:  *)
(* with a nack lost and never resent, no step could end the wait.)         *)
FullStateRequestOutstanding ==
  \A i, j \in Replica : j \in needsFull[i] =>
    \/ CanNack(i, j)
    \/ i \in fullReq[j]
    \/ \E m \in msgs : \/ (m.type = "nack" /\ m.from = i /\ m.to = j)
                      \/ (m.type = "delta" /\ m.full /\ m.from = j /\ m.to = i)

StateConstraint == Cardinality(msgs) <= MaxMsgs /\ SumOver(nops, Replica) <= MaxTotalOps
=============================================================================
