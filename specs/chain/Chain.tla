------------------------------- MODULE Chain -------------------------------
(***************************************************************************)
(* Chain replication with reconfiguration (van Renesse & Schneider, OSDI   *)
(* 2004) and CRAQ's clean/dirty reads (Terrace & Freedman, ATC 2009), as   *)
(* packages/chain implements them: the head orders writes, each node sends *)
(* its successor what it has not sent yet over a FIFO channel, the tail    *)
(* commits and acknowledges, the commit point flows upstream. The master   *)
(* (the Raft group; here one atomic step) removes a member and bumps the   *)
(* epoch; every message carries its epoch and is dropped in another one    *)
(* (fencing); the predecessor of a removed member re-sends its new         *)
(* successor everything after what that successor holds (the re-send      *)
(* rule); a removed tail's predecessor becomes the tail and commits what   *)
(* it holds. Keys: each write names a key (keyOf[w]); a version is the    *)
(* position of a key's latest write (the code's sequence number), and a   *)
(* key is dirty at a member while it holds a write of that key it has not *)
(* seen committed (the code's per-key dirty count). Reads: a member       *)
(* answers a clean key from its own committed version of it, a dirty key  *)
(* with its copy of the version the tail names as the key's committed one *)
(* (the code's version query). With one key a version is a log position.  *)
(* Joins: the master appends a node outside the chain as the new tail in a *)
(* new epoch; its data lineage starts there (since[n], the code's          *)
(* ChainMember.since) with a copy of the old tail's committed state (the   *)
(* code's snapshot; see Join for why one step). A restart is a crash (the  *)
(* member takes no more steps), the removal of that incarnation            *)
(* (Reconfigure) and a join of the new one with fresh data (Join).         *)
(* Adoption: with OneByOne the master's Reconfigure and Join only change  *)
(* its configuration (chain, epoch, cfgs); each member adopts it in its   *)
(* own step (Adopt, mepoch[n]) and acts on the configuration it adopted;  *)
(* the re-send rule and a joiner's copy act per link once both ends       *)
(* adopted. Without OneByOne every member adopts in the master's step     *)
(* (the model as it was: same states).                                    *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS Nodes,      \* the nodes, in their initial chain order (a sequence)
          Keys,       \* the keys a write may name
          MaxWrites,  \* writes are 1..MaxWrites, ordered by the head
          MaxRemovals, \* reconfigurations that remove a member
          MaxJoins,    \* reconfigurations that append a member
          OneByOne     \* TRUE: each member adopts a new configuration in its own step (Adopt)

VARIABLES chain,    \* the current configuration: head .. tail
          epoch,    \* its epoch (1 + reconfigurations so far)
          cfgs,     \* cfgs[e]: the configuration of epoch e (history, for EpochFencing)
          log,      \* log[n]: the writes n holds, in order
          commit,   \* commit[n]: how much of log[n] n knows committed
          sent,     \* sent[n]: how much of log[n] n sent its current successor
          chan,     \* chan[p][q]: FIFO channel p -> q of [e |-> epoch, w |-> write]
          nextW,    \* the next write a client submits
          acked,    \* writes acknowledged to clients (committed at a tail)
          keyOf,    \* keyOf[w]: the key write w names (a sequence: writes ordered so far)
          lastRead, \* the latest read answered: [n, k, version, committed |-> writes acknowledged then, latest |-> k's latest acknowledged version then]
          lastAcc,  \* the latest append accepted: [from, to, msgEpoch, rcvEpoch]
          since,    \* since[n]: the epoch n's data lineage began (its membership is unbroken since)
          mepoch,   \* mepoch[n]: the epoch of the configuration n adopted (= epoch when not OneByOne)
          synced    \* synced[n]: n holds its copy of the committed state (a joiner: once it arrived)
\* (Only the latest read and append are kept: the invariants below check each when it happens,
\* and keeping every one would multiply the states without adding behaviours.)

vars == <<chain, epoch, cfgs, log, commit, sent, chan, nextW, acked, keyOf, lastRead, lastAcc, since, mepoch, synced>>
N == {Nodes[i] : i \in 1..Len(Nodes)}
Range(s) == {s[i] : i \in 1..Len(s)}
Pos(c, n) == CHOOSE i \in 1..Len(c) : c[i] = n
InChain(n) == n \in Range(chain)
TailNode == chain[Len(chain)]
Succ(n) == chain[Pos(chain, n) + 1]
IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s
Remove(c, n) == SelectSeq(c, LAMBDA x : x # n)
\* Reconfigurations so far that removed (shrank the chain) or appended a member.
Removals == Cardinality({e \in 2..Len(cfgs) : Len(cfgs[e]) < Len(cfgs[e - 1])})
Joins == Cardinality({e \in 2..Len(cfgs) : Len(cfgs[e]) > Len(cfgs[e - 1])})
\* A member's own view: the configuration it adopted, its place, neighbours and tail there.
View(n) == cfgs[mepoch[n]]
MyIn(n) == n \in Range(View(n))
MyTail(n) == MyIn(n) /\ View(n)[Len(View(n))] = n
MyHead(n) == MyIn(n) /\ View(n)[1] = n
MySucc(n) == View(n)[Pos(View(n), n) + 1]
MyPred(n) == View(n)[Pos(View(n), n) - 1]
\* Per key, as the code's ChainStore keeps it: the version of k in n's log up to position upTo
\* (the position of k's latest write there, 0 if none: the code's versionAt), and whether n holds a
\* write of k it has not seen committed (isDirty).
KeyAt(n, i) == keyOf[log[n][i]]
VersionOf(n, k, upTo) == LET is == {i \in 1..upTo : KeyAt(n, i) = k} IN IF is = {} THEN 0 ELSE CHOOSE i \in is : \A j \in is : j <= i
\* k's latest committed version: the position of k's latest acknowledged write (0 if none), in the
\* log of a member holding its current data (Holds, below; by ChainPrefix and AckedWritesKept every
\* such member holds the acknowledged writes at the same positions).
LatestAcked(k) ==
  LET m == CHOOSE m \in Range(chain) : mepoch[m] >= since[m] /\ synced[m]
      is == {i \in 1..Len(log[m]) : KeyAt(m, i) = k /\ log[m][i] \in acked}
  IN IF is = {} THEN 0 ELSE CHOOSE i \in is : \A j \in is : j <= i
Dirty(n, k) == \E i \in (commit[n] + 1)..Len(log[n]) : KeyAt(n, i) = k

Init ==
  /\ chain = Nodes
  /\ epoch = 1
  /\ cfgs = <<Nodes>>
  /\ log = [n \in N |-> <<>>]
  /\ commit = [n \in N |-> 0]
  /\ sent = [n \in N |-> 0]
  /\ chan = [p \in N |-> [q \in N |-> <<>>]]
  /\ nextW = 1
  /\ acked = {}
  /\ keyOf = <<>>
  /\ lastRead = [n |-> Nodes[1], k |-> CHOOSE k \in Keys : TRUE, version |-> 0, committed |-> 0, latest |-> 0]
  /\ lastAcc = [from |-> Nodes[1], to |-> Nodes[2], msgEpoch |-> 1, rcvEpoch |-> 1]
  /\ since = [n \in N |-> 1]
  /\ mepoch = [n \in N |-> 1]
  /\ synced = [n \in N |-> TRUE]

(* The head orders the next write, of key k (a chain of one commits it at once). *)
Write(h, k) ==
  /\ nextW <= MaxWrites
  /\ MyHead(h) /\ synced[h]
  /\ log' = [log EXCEPT ![h] = Append(@, nextW)]
  /\ IF Len(View(h)) = 1
       THEN commit' = [commit EXCEPT ![h] = Len(log[h]) + 1] /\ acked' = acked \cup {nextW}
       ELSE UNCHANGED <<commit, acked>>
  /\ nextW' = nextW + 1
  /\ keyOf' = Append(keyOf, k)
  /\ UNCHANGED <<chain, epoch, cfgs, sent, chan, lastRead, lastAcc, since, mepoch, synced>>

(* n sends its successor (in the configuration n adopted) the next write it has not sent it, once *)
(* the successor adopted that configuration too (see Adopt: before, what n sends is fenced there, *)
(* and the pair re-sends from what the successor holds when it adopts).                         *)
Send(n) ==
  /\ MyIn(n) /\ ~MyTail(n) /\ mepoch[MySucc(n)] = mepoch[n]
  /\ sent[n] < Len(log[n])
  /\ chan' = [chan EXCEPT ![n][MySucc(n)] = Append(@, [e |-> mepoch[n], w |-> log[n][sent[n] + 1]])]
  /\ sent' = [sent EXCEPT ![n] = @ + 1]
  /\ UNCHANGED <<chain, epoch, cfgs, log, commit, nextW, acked, keyOf, lastRead, lastAcc, since, mepoch, synced>>

(* q takes the next message from p: appended only in its epoch and from its predecessor; the tail commits. *)
Receive(p, q) ==
  /\ chan[p][q] # <<>>
  /\ LET m == Head(chan[p][q])
         ok == m.e = mepoch[q] /\ MyIn(q) /\ ~MyHead(q) /\ MyPred(q) = p
     IN /\ chan' = [chan EXCEPT ![p][q] = Tail(@)]
        /\ IF ok
             THEN /\ log' = [log EXCEPT ![q] = Append(@, m.w)]
                  /\ lastAcc' = [from |-> p, to |-> q, msgEpoch |-> m.e, rcvEpoch |-> mepoch[q]]
                  /\ IF MyTail(q)
                       THEN commit' = [commit EXCEPT ![q] = Len(log[q]) + 1] /\ acked' = acked \cup {m.w}
                       ELSE UNCHANGED <<commit, acked>>
             ELSE UNCHANGED <<log, commit, acked, lastAcc>>
  /\ UNCHANGED <<chain, epoch, cfgs, sent, nextW, keyOf, lastRead, since, mepoch, synced>>

(* The commit point flows upstream: q's predecessor learns a commit point k that q has reached.  *)
(* An ack is a message, so k may be one q has since passed (an ack sent before q's latest        *)
(* commit); commit points only grow, so a late ack changes nothing.                              *)
AckTo(q, k) ==
  /\ MyIn(q) /\ ~MyHead(q)
  /\ LET p == MyPred(q) IN
     /\ mepoch[p] = mepoch[q] /\ commit[p] < k /\ k <= commit[q]
     /\ commit' = [commit EXCEPT ![p] = k]
  /\ UNCHANGED <<chain, epoch, cfgs, log, sent, chan, nextW, acked, keyOf, lastRead, lastAcc, since, mepoch, synced>>

Ack(q) == \E k \in 1..Len(log[q]) : AckTo(q, k)

(* The master removes member n: a new epoch. Messages of the old epoch are now fenced, so every  *)
(* member re-sends its successor everything after what that successor holds (the re-send rule,  *)
(* which the paper states for the removed member's predecessor and fencing needs for every pair; *)
(* packages/chain: resendAfterReconfiguration). A new tail commits what it holds.                 *)
Reconfigure(n) ==
  /\ Removals < MaxRemovals /\ Len(chain) > 1 /\ InChain(n)
  /\ LET c == Remove(chain, n)
         newTail == c[Len(c)]
     IN /\ chain' = c
        /\ epoch' = epoch + 1
        /\ cfgs' = Append(cfgs, c)
        /\ IF OneByOne
             THEN UNCHANGED <<sent, commit, acked, mepoch>>
             ELSE /\ mepoch' = [m \in N |-> epoch + 1]
                  /\ sent' = [m \in N |-> IF m \in Range(c) /\ m # newTail THEN Len(log[c[Pos(c, m) + 1]]) ELSE sent[m]]
                  /\ IF n = TailNode
                       THEN /\ commit' = [commit EXCEPT ![newTail] = Len(log[newTail])]
                            /\ acked' = acked \cup Range(log[newTail])
                       ELSE UNCHANGED <<commit, acked>>
  /\ UNCHANGED <<log, chan, nextW, keyOf, lastRead, lastAcc, since, synced>>

(* The master appends node n, outside the chain, as the new tail: a new epoch, and n's data       *)
(* lineage starts in it (since, the code's ChainMember.since; a node removed before, or a new     *)
(* incarnation of a restarted one, starts from a fresh copy). n's copy is the old tail's committed *)
(* state (the code's snapshot, sent when n's first ack shows it holds less than the commit point). *)
(* In the code the copy arrives some steps after the join; it is one step here because until it  *)
(* arrives the joiner takes no step another member can see: it is not synced, so it orders no    *)
(* write, serves no strong read and answers no version query (packages/chain: reads.ts, sync in  *)
(* replication.ts); writes past the gap wait in `early`, nothing is committed, and its acks carry  *)
(* received 0, which raise no commit point. The old tail's commit point cannot move meanwhile     *)
(* (only the new tail's acks move it), so the copy the joiner installs is the one taken here      *)
(* (specs/chain/properties.md, "Joins"). The re-send rule applies as in Reconfigure: the old tail  *)
(* sends the joiner everything after what it holds.                                              *)
Join(n) ==
  /\ Joins < MaxJoins /\ ~InChain(n)
  /\ LET oldTail == TailNode
         c == Append(chain, n)
         copy == SubSeq(log[oldTail], 1, commit[oldTail])
     IN /\ chain' = c
        /\ epoch' = epoch + 1
        /\ cfgs' = Append(cfgs, c)
        /\ since' = [since EXCEPT ![n] = epoch + 1]
        /\ IF OneByOne
             THEN UNCHANGED <<log, commit, sent, mepoch, synced>>
             ELSE /\ mepoch' = [m \in N |-> epoch + 1]
                  /\ log' = [log EXCEPT ![n] = copy]
                  /\ commit' = [commit EXCEPT ![n] = Len(copy)]
                  /\ sent' = [m \in N |-> IF m = n THEN 0
                                         ELSE IF m \in Range(chain) THEN Len(IF m = oldTail THEN copy ELSE log[Succ(m)])
                                         ELSE sent[m]]
                  /\ UNCHANGED synced
  /\ UNCHANGED <<chan, nextW, acked, keyOf, lastRead, lastAcc>>

(* OneByOne: member n adopts the master's latest configuration (the code's adopt, when its Raft   *)
(* replica applied it; it may skip configurations in between). A node that starts a new lineage *)
(* there (a joiner: since[n] is that epoch) forgets its data and is not synced. A member that is  *)
(* the tail there commits what it holds (resendAfterReconfiguration). The re-send rule and the    *)
(* joiner's copy act per link, once both of its ends adopted (Link): messages of the pair's older *)
(* epochs are fenced, so the predecessor sends from what the successor holds; a successor not     *)
(* synced gets, from a synced predecessor, everything the predecessor holds and is synced: the     *)
(* code's snapshot of the committed state, then the writes re-sent after it, the successor synced  *)
(* only once it reached the predecessor's sync floor (what it held when it adopted). As the tail   *)
(* it commits them (the code commits each as it arrives).                                         *)
Link(p, s, lg, cm, sy, c) ==
  IF sy[s] \/ ~sy[p] THEN [log |-> lg, commit |-> cm, sentP |-> Len(lg[s]), syncS |-> sy[s], acks |-> {}]
  ELSE LET tail == c[Len(c)] = s IN
       [log |-> [lg EXCEPT ![s] = lg[p]], commit |-> [cm EXCEPT ![s] = IF tail THEN Len(lg[p]) ELSE cm[p]],
        sentP |-> Len(lg[p]), syncS |-> TRUE, acks |-> IF tail THEN Range(lg[p]) ELSE {}]

Adopt(n) ==
  /\ OneByOne /\ mepoch[n] < epoch
  /\ LET c == cfgs[epoch]
         fresh == n \in Range(c) /\ mepoch[n] < since[n]
         lg0 == IF fresh THEN [log EXCEPT ![n] = <<>>] ELSE log
         cm0 == IF fresh THEN [commit EXCEPT ![n] = 0] ELSE commit
         sy0 == IF fresh THEN [synced EXCEPT ![n] = FALSE] ELSE synced
         isTail == n \in Range(c) /\ c[Len(c)] = n /\ sy0[n]
         cm1 == IF isTail THEN [cm0 EXCEPT ![n] = Len(lg0[n])] ELSE cm0
         \* the link to n's predecessor, then the link to its successor, where that end adopted epoch too
         hasP == n \in Range(c) /\ Pos(c, n) > 1 /\ mepoch[c[Pos(c, n) - 1]] = epoch
         hasS == n \in Range(c) /\ Pos(c, n) < Len(c) /\ mepoch[c[Pos(c, n) + 1]] = epoch
         p == IF hasP THEN c[Pos(c, n) - 1] ELSE n
         s == IF hasS THEN c[Pos(c, n) + 1] ELSE n
         L1 == IF hasP THEN Link(p, n, lg0, cm1, sy0, c) ELSE [log |-> lg0, commit |-> cm1, sentP |-> 0, syncS |-> sy0[n], acks |-> {}]
         sy1 == [sy0 EXCEPT ![n] = L1.syncS]
         L2 == IF hasS THEN Link(n, s, L1.log, L1.commit, sy1, c) ELSE [log |-> L1.log, commit |-> L1.commit, sentP |-> 0, syncS |-> TRUE, acks |-> {}]
     IN /\ mepoch' = [mepoch EXCEPT ![n] = epoch]
        /\ log' = L2.log
        /\ commit' = L2.commit
        /\ synced' = IF hasS THEN [sy1 EXCEPT ![s] = L2.syncS] ELSE sy1
        /\ sent' = [m \in N |-> IF hasP /\ m = p THEN L1.sentP ELSE IF hasS /\ m = n THEN L2.sentP
                               ELSE IF fresh /\ m = n THEN 0 ELSE sent[m]]
        /\ acked' = acked \cup (IF isTail THEN Range(lg0[n]) ELSE {}) \cup L1.acks \cup L2.acks
  /\ UNCHANGED <<chain, epoch, cfgs, chan, nextW, keyOf, lastRead, lastAcc, since>>

(* CRAQ read of key k at member n: k clean there -> n's committed version of k; k dirty -> n's   *)
(* copy of the version the tail names as k's committed one (the code's version query: the tail    *)
(* answers cleanVersion(k), n answers versionAt(k, it)).                                          *)
Read(n, k) ==
  /\ InChain(n) /\ mepoch[n] = epoch /\ synced[n]
  /\ Dirty(n, k) => mepoch[TailNode] = epoch /\ synced[TailNode]
  /\ LET tailLen == Len(log[TailNode])
         named == VersionOf(TailNode, k, tailLen)
         version == IF Dirty(n, k) THEN VersionOf(n, k, named) ELSE VersionOf(n, k, commit[n])
     IN lastRead' = [n |-> n, k |-> k, version |-> version, committed |-> Cardinality(acked), latest |-> LatestAcked(k)]
  /\ UNCHANGED <<chain, epoch, cfgs, log, commit, sent, chan, nextW, acked, keyOf, lastAcc, since, mepoch, synced>>

Next ==
  \/ \E n \in N, k \in Keys : Write(n, k)
  \/ \E n \in N : Send(n) \/ Ack(n) \/ Reconfigure(n) \/ Join(n) \/ Adopt(n) \/ \E k \in Keys : Read(n, k)
  \/ \E p, q \in N : Receive(p, q)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
TypeOK ==
  /\ epoch \in 1..(MaxRemovals + MaxJoins + 1)
  /\ epoch = Len(cfgs)
  /\ \A n \in N : since[n] \in 1..epoch
  /\ \A n \in N : commit[n] <= Len(log[n]) /\ sent[n] <= Len(log[n])
  /\ acked \subseteq 1..MaxWrites
  /\ keyOf \in Seq(Keys) /\ Len(keyOf) = nextW - 1
  /\ lastRead.k \in Keys
  /\ \A n \in N : mepoch[n] \in 1..epoch /\ synced[n] \in BOOLEAN

(* n holds the data of its current membership: it adopted the configuration its lineage began in *)
(* (before, it holds an older lineage's data, which it forgets when it adopts; OneByOne only) and  *)
(* it is synced (a joiner: its copy arrived). Always true when configurations are adopted at once. *)
Holds(n) == mepoch[n] >= since[n] /\ synced[n]

(* Each member's writes are a prefix of its predecessor's. *)
ChainPrefix == \A i \in 1..(Len(chain) - 1) : Holds(chain[i]) /\ Holds(chain[i + 1]) => IsPrefix(log[chain[i + 1]], log[chain[i]])

(* A strong read answers only from a version the tail has acknowledged. *)
CleanReadsAreCommitted == lastRead.version <= lastRead.committed

(* Per key: a strong read of k answers k's latest committed version (the position of k's latest  *)
(* acknowledged write): not an older one (a read taken clean on another key's state, or served by *)
(* a member in a stale configuration) nor another key's write (a version named by log position). *)
ReadsLatestCommitted == lastRead.version = lastRead.latest

(* Writes are accepted only in the receiver's epoch and from its predecessor in that epoch. *)
EpochFencing ==
  /\ lastAcc.msgEpoch = lastAcc.rcvEpoch
  /\ LET c == cfgs[lastAcc.rcvEpoch] IN lastAcc.to \in Range(c) /\ Pos(c, lastAcc.to) > 1 /\ c[Pos(c, lastAcc.to) - 1] = lastAcc.from

(* Every acknowledged write is held by every member (so no reconfiguration loses it). *)
AckedWritesKept == \A w \in acked : \A n \in Range(chain) : Holds(n) => w \in Range(log[n])

(* Every member's log holds each write at most once, in the head's order. *)
(* The tail has committed every write it holds: a write reaching the tail is committed there, and *)
(* a member that becomes the tail commits what it holds (otherwise those writes wait for a later  *)
(* write to be acknowledged, or forever).                                                         *)
TailCommitsReceived == \A n \in N : MyTail(n) => commit[n] = Len(log[n])

NoDuplicates == \A n \in N : \A i, j \in 1..Len(log[n]) : i < j => log[n][i] < log[n][j]

(* A member's data lineage is unbroken: it has been in every configuration since it joined (its  *)
(* copy is only valid for an unbroken membership; a node removed and added again starts afresh). *)
LineageUnbroken == \A n \in Range(chain) : \A e \in since[n]..epoch : n \in Range(cfgs[e])

(* A joiner is the tail only with every acknowledged write (it caught up from the old tail): the *)
(* tail's log holds every acknowledged write, and nothing else is acknowledged.                  *)
TailHoldsAcked == mepoch[TailNode] = epoch /\ Holds(TailNode) => acked = Range(log[TailNode])

(* Reachability ("Never" properties must be violated: the model gets there). *)
NeverReconfiguredCommit == ~(epoch > 1 /\ acked = 1..MaxWrites)
NeverCommitAfterRejoin == ~(\E n \in N : since[n] > 1 /\ InChain(n) /\ Len(log[n]) > 0 /\ n = TailNode /\ acked = 1..MaxWrites /\ Removals > 0)
NeverOtherKeyPendingRead == ~(\E n \in N : lastRead.n = n /\ 0 < lastRead.version /\ lastRead.version < lastRead.committed /\ commit[n] < Len(log[n]) /\ ~Dirty(n, lastRead.k))
NeverAckedMidAdoption == ~(\E a, b \in Range(chain) : mepoch[a] # mepoch[b] /\ acked = 1..MaxWrites /\ Removals > 0)
NeverJoinerSyncedMidAdoption == ~(\E n, m \in Range(chain) : since[n] > 1 /\ Holds(n) /\ Len(log[n]) > 0 /\ mepoch[m] < epoch)
NeverDirtyReadAfterReconfiguration == ~(\E n \in N : InChain(n) /\ epoch > 1 /\ commit[n] < Len(log[n]) /\ Len(log[n]) > Len(log[TailNode]))
=============================================================================
