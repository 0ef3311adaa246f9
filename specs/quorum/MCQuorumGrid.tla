-------------------- MODULE MCQuorumGrid --------------------
(* Grid 2 x 3: a quorum is a full row plus a full column. Members are <<row, column>>. *)
EXTENDS Quorum

Rows == 1..2
Columns == 1..3
MCNodes == Rows \X Columns
Row(r) == {<<r, c>> : c \in Columns}
Column(c) == {<<r, c>> : r \in Rows}
MCFaulty == {}
MCMaxFaulty == 0
MCMaxCrashed == 1
MCQ1 == {S \in SUBSET MCNodes : (\E r \in Rows : Row(r) \subseteq S) /\ (\E c \in Columns : Column(c) \subseteq S)}
MCQ2 == MCQ1
MCTransitions == <<MCQ1>>
=============================================================================
