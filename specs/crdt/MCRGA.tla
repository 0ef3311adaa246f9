------------------------------- MODULE MCRGA -------------------------------
EXTENDS RGA, TLC

CONSTANT MaxTotalOps  \* most local edits over all replicas (state constraint)

StateConstraint == Cardinality(ops) <= MaxTotalOps

(* Reachability ("Never...") properties: TLC must find each VIOLATED       *)
(* (expected-failures.json), which proves the model reaches the situation  *)
(* and the properties above are not vacuous.                               *)

Concurrent(o1, o2) == o1.id # o2.id /\ o1.id \notin o2.saw /\ o2.id \notin o1.saw

\* Two replicas never applied the same ops including two concurrent inserts at one origin
\* (StrongConvergence never has to order a conflict).
NeverConvergedConflict ==
  ~\E r1, r2 \in Replica :
     /\ r1 # r2
     /\ applied[r1] = applied[r2]
     /\ \E o1, o2 \in applied[r1] :
          o1.kind = "ins" /\ o2.kind = "ins" /\ o1.origin = o2.origin /\ Concurrent(o1, o2)

\* Integration never steps over an element (the ordering rule never decides anything).
NeverSkips ==
  [][\A r \in Replica : \A op \in ops :
       ~(DeliverInsert(r, op) /\ SkipFrom(doc[r], Pos(doc[r], op.origin), op.id) > Pos(doc[r], op.origin))]_vars

\* An insert never arrives at a replica where its origin is already a tombstone.
NeverInsertAfterTombstone ==
  [][\A r \in Replica : \A op \in ops : ~(DeliverInsert(r, op) /\ op.origin \in tomb[r])]_vars

\* No replica ever applies two deletes of one element (concurrent deletes never meet).
NeverDoubleDelete ==
  ~\E r \in Replica : \E o1, o2 \in applied[r] :
     o1 # o2 /\ o1.kind = "del" /\ o2.kind = "del" /\ o1.id = o2.id
=============================================================================
