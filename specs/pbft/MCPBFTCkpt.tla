-------------------------- MODULE MCPBFTCkpt --------------------------
\* Checkpoints below a view change: MCPBFT's bounds (4 replicas, f = 1, r1 Byzantine and the primary
\* of view 0, one client request, one sequence number, views 0..1) with a checkpoint at every
\* sequence number (K = 1) and a log of one (L = 1). A checkpoint at 1 can become stable before the
\* view change, its certificates collected, and the new view start from it (min-s = 1).
\* r3 and r4 are never primary: they are interchangeable. Figures in verification_summary.md.
EXTENDS PBFT, TLC
CONSTANTS r1, r2, r3, r4, v1
MCReplicas == <<r1, r2, r3, r4>>
MCRequests == {v1}
MCSymmetry == Permutations({r3, r4})
=============================================================================
