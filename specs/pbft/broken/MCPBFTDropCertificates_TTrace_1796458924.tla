---- MODULE MCPBFTDropCertificates_TTrace_1796458924 ----
EXTENDS Sequences, TLCExt, Toolbox, MCPBFTDropCertificates, Naturals, TLC

_expression ==
    LET MCPBFTDropCertificates_TEExpression == INSTANCE MCPBFTDropCertificates_TEExpression
    IN MCPBFTDropCertificates_TEExpression!expression
----

_trace ==
    LET MCPBFTDropCertificates_TETrace == INSTANCE MCPBFTDropCertificates_TETrace
    IN MCPBFTDropCertificates_TETrace!trace
----

_inv ==
    ~(
        TLCGet("level") = Len(_TETrace)
        /\
        msgs = ({[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> Null, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>]}]})
        /\
        view = ((r2 :> 1 @@ r3 :> 1 @@ r4 :> 0))
        /\
        committed = ((r2 :> <<[view |-> 0, val |-> v1]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>))
        /\
        active = ((r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE))
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
    \*         IN J!JsonSerialize("MCPBFTDropCertificates_TTrace_1796458924.json", _TETrace)

=============================================================================

 Note that you can extract this module `MCPBFTDropCertificates_TEExpression`
  to a dedicated file to reuse `expression` (the module in the 
  dedicated `MCPBFTDropCertificates_TEExpression.tla` file takes precedence 
  over the module `MCPBFTDropCertificates_TEExpression` below).

---- MODULE MCPBFTDropCertificates_TEExpression ----
EXTENDS Sequences, TLCExt, Toolbox, MCPBFTDropCertificates, Naturals, TLC

expression == 
    [
        \* To hide variables of the `MCPBFTDropCertificates` spec from the error trace,
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
\*---- MODULE MCPBFTDropCertificates_TETrace ----
\*EXTENDS IOUtils, MCPBFTDropCertificates, TLC
\*
\*trace == IODeserialize("MCPBFTDropCertificates_TTrace_1796458924.bin", TRUE)
\*
\*=============================================================================
\*

---- MODULE MCPBFTDropCertificates_TETrace ----
EXTENDS MCPBFTDropCertificates, TLC

trace == 
    <<
    ([msgs |-> {},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2]},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3]},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2]},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3]},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> Forged]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3]},view |-> (r2 :> 0 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> v1]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3]},view |-> (r2 :> 1 @@ r3 :> 0 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> v1]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> FALSE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3]},view |-> (r2 :> 1 @@ r3 :> 1 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> v1]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> FALSE @@ r3 :> FALSE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>]}]},view |-> (r2 :> 1 @@ r3 :> 1 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> v1]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> FALSE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>]}]},view |-> (r2 :> 1 @@ r3 :> 1 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> v1]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)]),
    ([msgs |-> {[view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r2], [view |-> 0, val |-> v1, type |-> "commit", seq |-> 1, from |-> r3], [view |-> 1, val |-> Null, type |-> "prepare", seq |-> 1, from |-> r3], [view |-> 1, val |-> <<Null>>, type |-> "nv", from |-> r2, vcs |-> {[view |-> 1, type |-> "vc", from |-> r1, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r2, prep |-> <<[view |-> 0, val |-> v1]>>], [view |-> 1, type |-> "vc", from |-> r3, prep |-> <<[view |-> 0, val |-> v1]>>]}]},view |-> (r2 :> 1 @@ r3 :> 1 @@ r4 :> 0),committed |-> (r2 :> <<[view |-> 0, val |-> v1]>> @@ r3 :> <<[view |-> 0, val |-> Forged]>> @@ r4 :> <<[view |-> 0, val |-> Forged]>>),active |-> (r2 :> TRUE @@ r3 :> TRUE @@ r4 :> TRUE)])
    >>
----


=============================================================================

---- CONFIG MCPBFTDropCertificates_TTrace_1796458924 ----
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
    r2 = r2
    v1 = v1
    r4 = r4
    r3 = r3
    Null = Null
    r1 = r1
    Forged = Forged

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
\* Generated on Sat Dec 05 08:22:38 UTC 2026