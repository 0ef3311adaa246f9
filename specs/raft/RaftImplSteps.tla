--------------------------- MODULE RaftImplSteps ---------------------------
(***************************************************************************)
(* Three steps @synod/raft takes that Raft.tla has no action for, found by *)
(* trace validation (RaftTrace.tla, properties.md "Trace validation"), and *)
(* ImplSpec: Raft.tla's Next with them added, so that the bounded models   *)
(* can check the safety properties with them (MCRaftImplSteps.simcfg).     *)
(* Raft.tla itself is unchanged.                                           *)
(***************************************************************************)
EXTENDS Raft

\* A leader's heartbeat: an AppendEntries without entries whose prevLogIndex
\* (and commit index) is min(matchIndex, commitIndex). Raft.tla's
\* AppendEntries sends an empty message only at the leader's last index.
Heartbeat(i, j) ==
    /\ state[i] = Leader
    /\ j /= i
    /\ LET c == Min2(matchIndex[i][j], commitIndex[i])
       IN Send([mtype         |-> AppendEntriesRequest,
                mterm         |-> currentTerm[i],
                mprevLogIndex |-> c,
                mprevLogTerm  |-> IF c = 0 THEN 0 ELSE log[i][c].term,
                mentries      |-> <<>>,
                mcommitIndex  |-> c,
                msource       |-> i,
                mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* A follower answers an AppendEntries whose prevLogIndex is below its commit
\* index with success at its commit index, without the log-matching check
\* (etcd's shortcut). Raft.tla checks the log and acknowledges lastNew.
HandleAppendEntriesBelowCommit(i, j, m) ==
    /\ m.mtype = AppendEntriesRequest
    /\ m.mterm >= currentTerm[i]
    /\ m.mprevLogIndex < commitIndex[i]
    /\ BecomeFollower(i, m.mterm, IF m.mterm > currentTerm[i] THEN Nil ELSE votedFor[i])
    /\ Reply([mtype       |-> AppendEntriesResponse,
              mterm       |-> m.mterm,
              msuccess    |-> TRUE,
              mmatchIndex |-> commitIndex[i],
              msource     |-> i,
              mdest       |-> j], m)
    /\ UNCHANGED <<log, commitIndex, historyVars>>

\* A (pre-)vote of the current term refused although Raft.tla would grant it
\* (the voter knows a leader of this term: etcd's canVote). Changes nothing.
RefuseVote(i, j, m) ==
    /\ m.mtype \in {RequestVoteRequest, PreVoteRequest}
    /\ m.mterm <= currentTerm[i]
    /\ Reply([mtype        |-> IF m.mtype = RequestVoteRequest THEN RequestVoteResponse
                               ELSE PreVoteResponse,
              mterm        |-> currentTerm[i],
              mvoteGranted |-> FALSE,
              msource      |-> i,
              mdest        |-> j], m)
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

-----------------------------------------------------------------------------
\* Raft.tla's Next and the three steps.
ImplNext ==
    \/ Next
    \/ \E i, j \in Server : Heartbeat(i, j)
    \/ \E i, j \in Server : \E m \in InFlight(i, j, AppendEntriesRequest) :
                               HandleAppendEntriesBelowCommit(i, j, m)
    \/ \E i, j \in Server : \E m \in InFlight(i, j, RequestVoteRequest) \cup InFlight(i, j, PreVoteRequest) :
                               RefuseVote(i, j, m)

ImplSpec == Init /\ [][ImplNext]_vars
=============================================================================
