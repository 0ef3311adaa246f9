---------------------------- MODULE MCRaftFigure8 ----------------------------
(* The bounded model of MCRaft.tla under another name, so that the spec   *)
(* runner pairs MCRaftFigure8.cfg with a module of the same name.         *)
EXTENDS MCRaft
=============================================================================
