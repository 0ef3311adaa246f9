---------------------------- MODULE MCPBFT5 ----------------------------
\* A model with n > 3f+1: 5 replicas, f = 1, so quorums are 4 (not 2F+1 = 3), r1 Byzantine (the
\* primary of view 0). With the paper's 2F prepares an equivocating primary prepares two values at
\* one sequence number with disjoint backups ({r2, r3} and {r4, r5}), and a new view may re-propose
\* the one that did not commit (expected-failures.json, prepared-on-2f-prepares). r3, r4 and r5 are
\* never primary in views 0..1: they are interchangeable. Figures in verification_summary.md.
EXTENDS PBFT, TLC
CONSTANTS r1, r2, r3, r4, r5, v1
MCReplicas == <<r1, r2, r3, r4, r5>>
MCRequests == {v1}
MCSymmetry == Permutations({r3, r4, r5})
=============================================================================
