---------------------------------- MODULE RGA ----------------------------------
(***************************************************************************)
(* The Replicated Growable Array (Roh et al. 2011) of packages/crdt/src/   *)
(* rga.ts, one character per element: insert and delete integration and    *)
(* convergence. The code's runs (a span of k characters is k elements,     *)
(* each inserted after the previous one) and its B-tree are left out:      *)
(* they are a representation of the same sequence of ids.                  *)
(*                                                                         *)
(* An element's id is <<lamport, replica>> (the code's RgaId is [replica,  *)
(* lamport]; ids compare by lamport first, then by replica: `greaterId`).  *)
(* Replicas are the numbers 1..N here; the code compares its NodeId        *)
(* strings with `>`, so replica i here is the i-th id in string order.     *)
(* Because the tie-break uses that order, the model has no symmetry.       *)
(*                                                                         *)
(* A replica's document `doc[r]` is the sequence of every id it knows, in  *)
(* document order, tombstones included; `tomb[r]` the ids deleted there.   *)
(* Every local edit is an op, broadcast in `ops` (a network that loses     *)
(* nothing but delivers in any order); an op is delivered to a replica     *)
(* once, when the code's `Rga.check` accepts it: an insert whose origin is *)
(* known (the causality the code requires, nothing more: `applyDelta`      *)
(* refuses other ops; the replica node sends only intervals that are       *)
(* causally ready, else a nack brings the full state), a delete whose      *)
(* target is known. Redelivery is a no-op in the code (known ids are       *)
(* skipped) and is left out.                                               *)
(*                                                                         *)
(*   LocalInsert(r, o)  Rga.insert(index, ch): o is the visible element    *)
(*                      left of index (Start at index 0); the new id is    *)
(*                      <<clock + 1, r>> and goes right after o.           *)
(*   LocalDelete(r, x)  Rga.delete(index, 1): x visible; a tombstone.      *)
(*   DeliverInsert(r, op), DeliverDelete(r, op)                            *)
(*                      Rga.applyDelta of one op: `integrate` (skip the    *)
(*                      elements after the origin whose id is greater,     *)
(*                      then insert) or `deleteIds` (tombstone).           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS Replica,   \* replica ids: numbers, ordered as the code's NodeIds
          MaxOps     \* local edits (inserts and deletes) per replica

ASSUME Replica \subseteq Nat \ {0}

VARIABLES doc,     \* doc[r]: every id r knows, in document order (tombstones included)
          tomb,    \* tomb[r]: ids deleted at r (tombstones)
          clock,   \* clock[r]: the largest Lamport timestamp r has seen (Rga.lamport)
          applied, \* applied[r]: the ops r has applied (its own and delivered ones)
          ops,     \* every op issued: the network, any op deliverable anywhere
          nops     \* nops[r]: local edits r has made

vars == <<doc, tomb, clock, applied, ops, nops>>

(* The start of the document: the origin of an insert at index 0 (the      *)
(* code's null origin). Smaller than every id.                             *)
Start == <<0, 0>>

MaxClock == MaxOps * Cardinality(Replica)
Id == (1..MaxClock) \X Replica

(* An op, one record shape for both kinds. `by` is the replica that issued *)
(* it; `saw` (inserts only; a history variable, the code has no such       *)
(* field) the ids the inserter knew when it inserted, for                  *)
(* InsertAfterOrigin. A delete names its target in `id`.                   *)
Op == [kind: {"ins", "del"}, id: Id, origin: Id \cup {Start}, by: Replica, saw: SUBSET Id]

Max(a, b) == IF a >= b THEN a ELSE b

(* greaterId in rga.ts: lamport first, then replica.                       *)
Greater(a, b) == a[1] > b[1] \/ (a[1] = b[1] /\ a[2] > b[2])

Ids(s) == {s[k] : k \in 1..Len(s)}
Known(r) == Ids(doc[r])
VisibleSet(r) == Known(r) \ tomb[r]
VisibleSeq(r) == SelectSeq(doc[r], LAMBDA x : x \notin tomb[r])

(* Position of x in s; Start is at 0.                                      *)
Pos(s, x) == IF x = Start THEN 0 ELSE CHOOSE k \in 1..Len(s) : s[k] = x

InsertAt(s, k, x) == SubSeq(s, 1, k) \o <<x>> \o SubSeq(s, k + 1, Len(s))

(* The ordering rule of `integrate`: an insert steps over the element at   *)
(* position k (the next one after where it would go) when that element's   *)
(* id is greater (`while (next !== undefined && greaterId(next, new))`).   *)
Skips(s, k, id) == Greater(s[k], id)

(* The position after which `integrate` puts id: from its origin's         *)
(* position k, step over every next element that Skips.                    *)
RECURSIVE SkipFrom(_, _, _)
SkipFrom(s, k, id) == IF k < Len(s) /\ Skips(s, k + 1, id) THEN SkipFrom(s, k + 1, id) ELSE k

Integrate(s, id, origin) == InsertAt(s, SkipFrom(s, Pos(s, origin), id), id)

(* Rga.check: the code applies an op only when this holds. An insert: its  *)
(* id is new, its origin is known (or Start) and older than it (an insert  *)
(* "not younger than its origin" is refused). A delete: its target is      *)
(* known.                                                                  *)
CanApply(r, op) ==
  IF op.kind = "ins"
  THEN /\ op.id \notin Known(r)
       /\ op.origin = Start \/ op.origin \in Known(r)
       /\ op.origin[1] < op.id[1]
  ELSE op.id \in Known(r)

(* Delete x at r: `deleteRun` marks the run deleted, the id stays in the   *)
(* document as a tombstone.                                                *)
Tombstone(r, x) ==
  /\ tomb' = [tomb EXCEPT ![r] = @ \cup {x}]
  /\ doc' = doc

Init ==
  /\ doc = [r \in Replica |-> <<>>]
  /\ tomb = [r \in Replica |-> {}]
  /\ clock = [r \in Replica |-> 0]
  /\ applied = [r \in Replica |-> {}]
  /\ ops = {}
  /\ nops = [r \in Replica |-> 0]

(* Rga.insert(index, ch) with o the visible element at index - 1 (Start    *)
(* when index = 0: the code's local origin is always visible). The code    *)
(* puts the new run right after o (`tree.insertAfter(run, …)`), without    *)
(* the skip loop.                                                          *)
LocalInsert(r, o) ==
  /\ nops[r] < MaxOps
  /\ o \in VisibleSet(r) \cup {Start}
  /\ LET id == <<clock[r] + 1, r>>
         op == [kind |-> "ins", id |-> id, origin |-> o, by |-> r, saw |-> Known(r)]
     IN /\ doc' = [doc EXCEPT ![r] = InsertAt(@, Pos(@, o), id)]
        /\ clock' = [clock EXCEPT ![r] = @ + 1]
        /\ ops' = ops \cup {op}
        /\ applied' = [applied EXCEPT ![r] = @ \cup {op}]
  /\ nops' = [nops EXCEPT ![r] = @ + 1]
  /\ UNCHANGED tomb

(* Rga.delete(index, 1) of the visible element x. The clock is unchanged.  *)
LocalDelete(r, x) ==
  /\ nops[r] < MaxOps
  /\ x \in VisibleSet(r)
  /\ LET op == [kind |-> "del", id |-> x, origin |-> Start, by |-> r, saw |-> {}]
     IN /\ ops' = ops \cup {op}
        /\ applied' = [applied EXCEPT ![r] = @ \cup {op}]
  /\ Tombstone(r, x)
  /\ nops' = [nops EXCEPT ![r] = @ + 1]
  /\ UNCHANGED clock

(* Rga.applyDelta of a remote insert: `integrate`, and the clock moves to  *)
(* the id's timestamp when that is later.                                  *)
DeliverInsert(r, op) ==
  /\ op \in ops
  /\ op.kind = "ins"
  /\ op \notin applied[r]
  /\ CanApply(r, op)
  /\ doc' = [doc EXCEPT ![r] = Integrate(@, op.id, op.origin)]
  /\ clock' = [clock EXCEPT ![r] = Max(@, op.id[1])]
  /\ applied' = [applied EXCEPT ![r] = @ \cup {op}]
  /\ UNCHANGED <<tomb, ops, nops>>

(* Rga.applyDelta of a remote delete: `deleteIds` tombstones the target    *)
(* (already a tombstone after a concurrent delete: nothing changes).       *)
DeliverDelete(r, op) ==
  /\ op \in ops
  /\ op.kind = "del"
  /\ op \notin applied[r]
  /\ CanApply(r, op)
  /\ Tombstone(r, op.id)
  /\ applied' = [applied EXCEPT ![r] = @ \cup {op}]
  /\ UNCHANGED <<clock, ops, nops>>

Next ==
  \/ \E r \in Replica : \E o \in VisibleSet(r) \cup {Start} : LocalInsert(r, o)
  \/ \E r \in Replica : \E x \in VisibleSet(r) : LocalDelete(r, x)
  \/ \E r \in Replica : \E op \in ops : DeliverInsert(r, op)
  \/ \E r \in Replica : \E op \in ops : DeliverDelete(r, op)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Properties                                                              *)

IsSeqOf(s, S) == s \in [1..Len(s) -> S]

TypeOK ==
  /\ \A r \in Replica :
       /\ IsSeqOf(doc[r], Id)
       /\ Cardinality(Known(r)) = Len(doc[r])   \* no id twice
       /\ tomb[r] \subseteq Known(r)
       /\ clock[r] \in 0..MaxClock
       /\ applied[r] \subseteq ops
       /\ nops[r] \in 0..MaxOps
  /\ ops \subseteq Op

InsertsApplied(r) == {op.id : op \in {o \in applied[r] : o.kind = "ins"}}

(* The document holds exactly the inserts applied there (tombstones kept): *)
(* what lets a later op that names a deleted element still apply.          *)
DocHoldsApplied == \A r \in Replica : Known(r) = InsertsApplied(r)

(* Strong convergence: replicas that applied the same ops show the same    *)
(* visible sequence (the code's `equals` also compares tombstones: see     *)
(* OrderConsistent, which orders every known id alike).                    *)
StrongConvergence ==
  \A r1, r2 \in Replica : applied[r1] = applied[r2] => VisibleSeq(r1) = VisibleSeq(r2)

(* Any two ids two replicas both know are in the same order at both        *)
(* (tombstones included): each document restricted to the ids the other    *)
(* knows is the same sequence. With the same ops, the same document.       *)
OrderConsistent ==
  \A r1, r2 \in Replica : r1 < r2 =>
    SelectSeq(doc[r1], LAMBDA x : x \in Known(r2)) = SelectSeq(doc[r2], LAMBDA x : x \in Known(r1))

(* Intention of an insert: at every replica that applied it, among the ids *)
(* its inserter knew when inserting (tombstones included) and itself, the  *)
(* inserted id comes right after its origin (first, after Start) — where   *)
(* the inserter put it. Concurrent inserts may come between, nothing the   *)
(* inserter saw.                                                           *)
InsertAfterOrigin ==
  \A r \in Replica : \A op \in applied[r] : op.kind = "ins" =>
    LET v == SelectSeq(doc[r], LAMBDA y : y \in op.saw \cup {op.id})
    IN Pos(v, op.id) = Pos(v, op.origin) + 1

(* Intention of a delete: an element whose delete a replica applied is not *)
(* visible there.                                                          *)
DeletedInvisible ==
  \A r \in Replica : \A op \in applied[r] : op.kind = "del" => op.id \notin VisibleSet(r)

(* A deleted element is never visible again (an action property): an id a  *)
(* replica knows but does not show stays hidden there.                     *)
DeletedStaysDeleted ==
  [][\A r \in Replica : (Known(r) \ VisibleSet(r)) \cap VisibleSet(r)' = {}]_vars

(* Causal readiness is enough: every op not yet applied at r whose origin  *)
(* (insert) or target (delete) r has applied is accepted by the code's     *)
(* check, so delivery in causal order never gets stuck.                    *)
ReadyOpsApply ==
  \A r \in Replica : \A op \in ops \ applied[r] :
    (IF op.kind = "ins" THEN op.origin ELSE op.id) \in InsertsApplied(r) \cup {Start}
      => CanApply(r, op)
=============================================================================
