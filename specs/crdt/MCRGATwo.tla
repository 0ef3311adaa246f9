------------------------------ MODULE MCRGATwo ------------------------------
(* MCRGA's model (constraint, Never... properties) for MCRGATwo.cfg.      *)
EXTENDS MCRGA
=============================================================================
