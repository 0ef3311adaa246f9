--------------------------- MODULE MCRaftSnapshot ---------------------------
(* The bounded model of MCRaft.tla under another name, so that the spec   *)
(* runner pairs MCRaftSnapshot.cfg with a module of the same name.        *)
EXTENDS MCRaft
=============================================================================
