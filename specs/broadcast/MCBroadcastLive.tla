--------------------------- MODULE MCBroadcastLive ---------------------------
(* Model 3: Agreement (liveness) over fair-lossy links. 2 nodes, 1 value, 1 request,
   1 crash+recovery; the network really drops messages (LossySpec). No symmetry: TLC's liveness
   checking does not support it. Larger models did not finish in 90 s (verification_summary.md). *)
EXTENDS Broadcast, TLC

CONSTANTS n1, n2, v1

MCNode == {n1, n2}
MCValue == {v1}
=============================================================================
