-------------------------- MODULE MCPBFTSeqs --------------------------
\* Integrity's model: two sequence numbers, so a request can be ordered twice. 4 replicas (f = 1), r1
\* Byzantine (the primary of view 0, free to pre-prepare one request at both sequence numbers), one
\* client request (+ the null request and a forged one), views 0..0 (no view change: the bounds that
\* fit with two sequence numbers). r2, r3 and r4 are never primary: they are interchangeable.
\* Figures in verification_summary.md.
EXTENDS PBFT, TLC
CONSTANTS r1, r2, r3, r4, v1
MCReplicas == <<r1, r2, r3, r4>>
MCRequests == {v1}
MCSymmetry == Permutations({r2, r3, r4})
=============================================================================
