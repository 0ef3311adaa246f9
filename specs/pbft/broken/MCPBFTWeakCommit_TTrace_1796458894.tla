---- MODULE MCPBFTWeakCommit_TTrace_1796458894 ----
EXTENDS Sequences, MCPBFTWeakCommit, TLCExt, Toolbox, Naturals, TLC

_expression ==
    LET MCPBFTWeakCommit_TEExpression == INSTANCE MCPBFTWeakCommit_TEExpression
    IN MCPBFTWeakCommit_TEExpression!expression
----

_trace ==
    LET MCPBFTWeakCommit_TETrace == INSTANCE MCPBFTWeakCommit_TETrace
    IN MCPBFTWeakCommit_TETrace!trace
----

_inv ==
    ~(
        TLCGet("level") = Len(_TETrace)
        /\
        msgs = ({[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> Null, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>]}]})
        /\
        view = ((r2 :> 1 @@ r3 :> 1 @@ r4 :> 1))
        /\
        committed = ((r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> v1]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>))
        /\
        active = ((r2 :> TRUE @@ r3 :> TRUE @@ r4 :> FALSE))
    )
----

_init ==
    /\ active = _TETrace[1].active
    /\ view = _TETrace[1].view
    /\ msgs = _TETrace[1].msgs
    /\ committed = _TETrace[1].committed
----

_next ==
    /\ \E i,j \in DOMAIN _TETrace:
        /\ \/ /\ j = i + 1
              /\ i = TLCGet("level")
        /\ active  = _TETrace[i].active
        /\ active' = _TETrace[j].active
        /\ view  = _TETrace[i].view
        /\ view' = _TETrace[j].view
        /\ msgs  = _TETrace[i].msgs
        /\ msgs' = _TETrace[j].msgs
        /\ committed  = _TETrace[i].committed
        /\ committed' = _TETrace[j].committed

\* Uncomment the ASSUME below to write the states of the error trace
\* to the given file in Json format. Note that you can pass any tuple
\* to `JsonSerialize`. For example, a sub-sequence of _TETrace.
    \* ASSUME
    \*     LET J == INSTANCE Json
    \*         IN J!JsonSerialize("MCPBFTWeakCommit_TTrace_1796458894.json", _TETrace)

=============================================================================

 Note that you can extract this module `MCPBFTWeakCommit_TEExpression`
  to a dedicated file to reuse `expression` (the module in the 
  dedicated `MCPBFTWeakCommit_TEExpression.tla` file takes precedence 
  over the module `MCPBFTWeakCommit_TEExpression` below).

---- MODULE MCPBFTWeakCommit_TEExpression ----
EXTENDS Sequences, MCPBFTWeakCommit, TLCExt, Toolbox, Naturals, TLC

expression == 
    [
        \* To hide variables of the `MCPBFTWeakCommit` spec from the error trace,
        \* remove the variables below.  The trace will be written in the order
        \* of the fields of this record.
        active |-> active
        ,view |-> view
        ,msgs |-> msgs
        ,committed |-> committed
        
        \* Put additional constant-, state-, and action-level expressions here:
        \* ,_stateNumber |-> _TEPosition
        \* ,_activeUnchanged |-> active = active'
        
        \* Format the `active` variable as Json value.
        \* ,_activeJson |->
        \*     LET J == INSTANCE Json
        \*     IN J!ToJson(active)
        
        \* Lastly, you may build expressions over arbitrary sets of states by
        \* leveraging the _TETrace operator.  For example, this is how to
        \* count the number of times a spec variable changed up to the current
        \* state in the trace.
        \* ,_activeModCount |->
        \*     LET F[s \in DOMAIN _TETrace] ==
        \*         IF s = 1 THEN 0
        \*         ELSE IF _TETrace[s].active # _TETrace[s-1].active
        \*             THEN 1 + F[s-1] ELSE F[s-1]
        \*     IN F[_TEPosition - 1]
    ]

=============================================================================



Parsing and semantic processing can take forever if the trace below is long.
 In this case, it is advised to uncomment the module below to deserialize the
 trace from a generated binary file.

\*
\*---- MODULE MCPBFTWeakCommit_TETrace ----
\*EXTENDS IOUtils, MCPBFTWeakCommit, TLC
\*
\*trace == IODeserialize("MCPBFTWeakCommit_TTrace_1796458894.bin", TRUE)
\*
\*=============================================================================
\*

---- MODULE MCPBFTWeakCommit_TETrace ----
EXTENDS MCPBFTWeakCommit, TLC

trace == 
    <<
    ([msgs |-> {},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2]},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2]},view |-> (r2 :> 1 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> FALSE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3]},view |-> (r2 :> 1 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> FALSE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3]},view |-> (r2 :> 1 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> FALSE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3]},view |-> (r2 :> 1 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> v1]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> FALSE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3]},view |-> (r2 :> 1 @@ r3 :> 0 @@ r4 :> 1),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> v1]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> FALSE @@ r3 :> TRUE @@ r4 :> FALSE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>]}]},view |-> (r2 :> 1 @@ r3 :> 0 @@ r4 :> 1),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> v1]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> FALSE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>]}]},view |-> (r2 :> 1 @@ r3 :> 1 @@ r4 :> 1),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> v1]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> FALSE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> Null, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> Forged]>>], [view |-> 1, type |-> "vc", from |-> r4, prep |-> <<[view |-> 0, val |-> Forged]>>]}]},view |-> (r2 :> 1 @@ r3 :> 1 @@ r4 :> 1),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> v1]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> FALSE)])
    >>
----


=============================================================================

---- CONFIG MCPBFTWeakCommit_TTrace_1796458894 ----
CONSTANTS
    r1 = r1
    r2 = r2
    r3 = r3
    r4 = r4
    v1 = v1
    Null = Null
    Forged = Forged
    Replicas <- MCReplicas
    Requests <- MCRequests
    Byz = { r1 }
    F = 1
    Seqs = { 1 }
    MaxView = 1
    Forged = Forged
    v1 = v1
    r2 = r2
    r3 = r3
    r1 = r1
    r4 = r4
    Null = Null

INVARIANT
    _inv

CHECK_DEADLOCK
    \* CHECK_DEADLOCK off because of PROPERTY or INVARIANT above.
    FALSE

INIT
    _init

NEXT
    _next

CONSTANT
    _TETrace <- _trace

ALIAS
    _expression
=============================================================================
\* Generated on Sat Dec 05 08:22:02 UTC 2026