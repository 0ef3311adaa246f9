--------------------------- MODULE MCPBFTMac ---------------------------
\* The model TLC checks for `macs` mode: 4 replicas (f = 1), r1 Byzantine (the primary of view 0,
\* and a view-change liar), one client request (with the null request the equivocating primary can
\* choose, and the forged batch a lying claim can carry), one sequence number, views 0..1. r3 and r4
\* are never primary there: they are interchangeable. Figures in verification_summary.md.
EXTENDS PBFTMac, TLC
CONSTANTS r1, r2, r3, r4, v1
MCReplicas == <<r1, r2, r3, r4>>
MCRequests == {v1}
MCSymmetry == Permutations({r3, r4})
=============================================================================
