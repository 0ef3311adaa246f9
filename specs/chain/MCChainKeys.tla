------------------------------ MODULE MCChainKeys ------------------------------
(* Chain.tla with two keys: writes name k1 or k2, so a member holds one key dirty and the other  *)
(* clean, and a read of a clean key answers an older version than the tail's newest write        *)
(* (ReadsLatestCommitted checks it is still the key's latest committed one).                      *)
EXTENDS Chain, TLC
CONSTANTS n1, n2, n3, k1, k2
MCNodes == <<n1, n2, n3>>
=============================================================================
