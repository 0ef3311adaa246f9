------------------------- MODULE MCDeltaAntiEntropy -------------------------
EXTENDS DeltaAntiEntropy, TLC

CONSTANTS r1, r2

MCReplica == {r1, r2}
MCElem == {"a"}
\* Replicas are interchangeable: every behaviour has a mirror image with the ids swapped.
MCSymmetry == Permutations(MCReplica)
=============================================================================
