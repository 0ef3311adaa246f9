---------------------------- MODULE MCPBFTDropCertificates ----------------------------
\* The model TLC checks: 4 replicas (f = 1), r1 Byzantine (the primary of view 0), one client
\* request (a Byzantine primary can still equivocate between it and the null request), one
\* sequence number, views 0..1. r3 and r4 are never primary there: they are interchangeable.
\* Figures in verification_summary.md.
EXTENDS PBFTDropCertificates, TLC
CONSTANTS r1, r2, r3, r4, v1
MCReplicas == <<r1, r2, r3, r4>>
MCRequests == {v1}
MCSymmetry == Permutations({r3, r4})
=============================================================================
