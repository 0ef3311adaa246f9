---------------------------------- MODULE MCSwim ----------------------------------
EXTENDS Swim, TLC
CONSTANTS m1, m2, m3
MCMembers == {m1, m2, m3}
Symmetry == Permutations(MCMembers)
===================================================================================
