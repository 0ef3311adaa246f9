---------------------------- MODULE RaftMembership ----------------------------
(***************************************************************************)
(* Raft with membership change by joint consensus (thesis §4.3), as        *)
(* @synod/raft does it (conf-state.ts, rules/membership.ts,                *)
(* rules/leaving-leader.ts, rules/apply.ts), written for the synod project *)
(* after studying etcd-io/raft's tla/ folder (no text copied).             *)
(*                                                                         *)
(* A module of its own, so that Raft.tla (fixed membership) and its        *)
(* models keep their pinned state counts. Elections, replication, commit,  *)
(* crashes and message loss (reordering included) are those of Raft.tla,  *)
(* without Pre-Vote, snapshots, message duplication (MCRaftNetwork.cfg     *)
(* checks it with a fixed membership; here it would double the model) and *)
(* the implementation's three shortcuts (Heartbeat,                        *)
(* HandleAppendEntriesBelowCommit, RefuseVote: an empty AppendEntries at   *)
(* the end of the log carries the commit index as a heartbeat does).      *)
(*                                                                         *)
(* Membership, as the code does it                                         *)
(*  - A configuration is [voters, outgoing, learners]; it is joint while  *)
(*    outgoing is non-empty, and then an election or a commit needs a      *)
(*    majority of voters AND a majority of outgoing (quorumOf). Learners  *)
(*    receive the log and never vote.                                      *)
(*  - A configuration takes effect when its entry is APPLIED, not when it  *)
(*    is appended (etcd's way; applyConfEntry in rules/apply.ts). The code *)
(*    applies every committed entry in the step that commits it, so a      *)
(*    server's configuration is a function of its log and commit index:  *)
(*    Conf(i) folds ApplyChange over log[i][1..commitIndex[i]] from        *)
(*    InitConf. Each change is validated again when applied (an enter-    *)
(*    joint met by a joint configuration, a leave-joint by a simple one,   *)
(*    is ignored: etcd-io/raft#80).                                        *)
(*  - ProposeChange: a leader that is an incoming voter (a leaving leader *)
(*    appends nothing new, leaving-leader.ts), whose configuration is      *)
(*    simple and whose conf entries are all applied, appends enter-joint   *)
(*    for one of the Targets. With ValidateProposals = FALSE (the code's  *)
(*    disableConfChangeValidation) the last two conditions are dropped,   *)
(*    so changes overlap in the log and the apply-time check decides.     *)
(*  - AutoLeaveJoint: a leader whose applied configuration is joint and    *)
(*    whose conf entries are all applied appends leave-joint (leaving      *)
(*    leaders included: maybeAutoLeaveJoint).                              *)
(*  - A leader that its applied configuration does not count as a voter    *)
(*    steps down (setConf); StepDownRemoved lets it first send the        *)
(*    AppendEntries that tell the others the commit (bcastAppend).        *)
(*  - Only a voter of its configuration campaigns (tickElection, hup),    *)
(*    asks only voters, counts only voters' grants; any server grants.    *)
(*  - A leader sends AppendEntries to the members of its configuration.   *)
(*  - The commit index a restart recovers: hardState.commit is written    *)
(*    with every record a step writes (entries, term, vote), never alone   *)
(*    (persistence.ts finishStep). durableCommit is that value; Restart   *)
(*    recovers anything from it to the commit index before the crash. The *)
(*    configuration recovered is then Conf(i) at that index (the code     *)
(*    recovers the initial configuration and re-applies the committed    *)
(*    entries before it may campaign: hup waits for applied = committed). *)
(*                                                                         *)
(* Over-approximations (the result covers the code): the pending-change   *)
(* check is "no conf entry above the commit index" where the code also    *)
(* waits for everything in the log at election (pendingConfIndex); a      *)
(* leader appends client entries (the election's empty entry included) at *)
(* any time; leave-joint may be appended any time after the joint         *)
(* configuration applies (the code does it in that step); the removed     *)
(* leader's step-down may come later than the code's.                     *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, Bags, TLC

CONSTANTS
    Server,            \* the set of server ids (members or not)
    InitVoters,        \* the voters of the initial configuration
    Targets,           \* the [voters, learners] a leader may propose
    Nil,               \* "no server"
    Crashes,           \* TRUE: servers may crash and restart
    ValidateProposals  \* FALSE: the code's disableConfChangeValidation

ASSUME Crashes \in BOOLEAN
ASSUME ValidateProposals \in BOOLEAN
ASSUME Nil \notin Server
ASSUME InitVoters \subseteq Server /\ InitVoters /= {}
ASSUME \A t \in Targets : t.voters /= {} /\ t.voters \cap t.learners = {}

Follower  == "Follower"
Candidate == "Candidate"
Leader    == "Leader"

RequestVoteRequest    == "RequestVoteRequest"
RequestVoteResponse   == "RequestVoteResponse"
AppendEntriesRequest  == "AppendEntriesRequest"
AppendEntriesResponse == "AppendEntriesResponse"

\* Entry kinds: a client value (or the leader's empty entry), enter-joint,
\* leave-joint. Every entry has the same fields, so that TLC can compare them.
Normal == "normal"
Enter  == "enter-joint"
Leave  == "leave-joint"

-----------------------------------------------------------------------------
VARIABLES
    messages,      \* bag of messages in flight
    currentTerm,   \* persistent
    votedFor,      \* persistent
    log,           \* persistent: [term, kind, voters, learners]
    durableCommit, \* persistent: the commit index last written (hardState.commit)
    state,         \* volatile
    commitIndex,   \* volatile (its configuration is Conf(i))
    votesGranted,  \* volatile, candidates
    matchIndex,    \* volatile, leaders
    elections,     \* history: [term, leader] of every election won
    committed      \* history: [index, entry, term] of every commitment

persistentVars == <<currentTerm, votedFor, log, durableCommit>>
volatileVars   == <<state, commitIndex, votesGranted, matchIndex>>
historyVars    == <<elections, committed>>
vars == <<messages, persistentVars, volatileVars, historyVars>>

-----------------------------------------------------------------------------
\* Configurations.

InitConf == [voters |-> InitVoters, outgoing |-> {}, learners |-> {}]

IsJoint(c)   == c.outgoing /= {}
IsVoter(c, s) == s \in c.voters \cup c.outgoing
Members(c)   == c.voters \cup c.outgoing \cup c.learners

\* A majority of `set`; an empty half (a simple configuration's outgoing)
\* never restricts.
MajorityOf(S, set) == set = {} \/ 2 * Cardinality(S \cap set) > Cardinality(set)

\* quorumOf (conf-state.ts): a majority of the incoming voters and, while
\* joint, of the outgoing ones too.
IsQuorumOf(c, S) == MajorityOf(S, c.voters) /\ MajorityOf(S, c.outgoing)

\* applyConfChange (conf-state.ts): the configuration after entry e, or c
\* unchanged when e is not a change or is invalid against c.
ApplyChange(c, e) ==
    CASE e.kind = Enter /\ ~IsJoint(c) ->
              [voters |-> e.voters, outgoing |-> c.voters, learners |-> e.learners]
      [] e.kind = Leave /\ IsJoint(c) ->
              [voters |-> c.voters, outgoing |-> {}, learners |-> c.learners \ c.voters]
      [] OTHER -> c

\* The configuration after applying xlog[1..k].
RECURSIVE ConfUpTo(_, _)
ConfUpTo(xlog, k) == IF k = 0 THEN InitConf ELSE ApplyChange(ConfUpTo(xlog, k - 1), xlog[k])

\* Server i's configuration: its applied (= committed) prefix.
Conf(i) == ConfUpTo(log[i], commitIndex[i])

IsConfEntry(e) == e.kind \in {Enter, Leave}

\* Every conf entry of i's log is applied (the pending-change check).
NoPendingConf(i) == \A k \in (commitIndex[i] + 1)..Len(log[i]) : ~IsConfEntry(log[i][k])

-----------------------------------------------------------------------------
\* Helpers.

Max2(a, b) == IF a >= b THEN a ELSE b
Min2(a, b) == IF a <= b THEN a ELSE b

LastTerm(xlog) == IF xlog = <<>> THEN 0 ELSE xlog[Len(xlog)].term

LogUpToDate(i, lastTerm, lastIndex) ==
    \/ lastTerm > LastTerm(log[i])
    \/ /\ lastTerm = LastTerm(log[i])
       /\ lastIndex >= Len(log[i])

NoMatch == [j \in Server |-> 0]

Send(m)          == messages' = messages (+) SetToBag({m})
Discard(m)       == messages' = messages (-) SetToBag({m})
Reply(resp, req) == messages' = (messages (-) SetToBag({req})) (+) SetToBag({resp})

BecomeFollower(i, t, v) ==
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = t]
    /\ votedFor'     = [votedFor EXCEPT ![i] = v]
    /\ state'        = [state EXCEPT ![i] = Follower]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = NoMatch]

\* persistence.ts: the commit index is written with every record a step
\* writes (its entries, its term or vote), never alone.
\* Without crashes nothing reads it: it stays 0 (fewer states).
PersistCommit ==
    IF ~Crashes THEN UNCHANGED durableCommit ELSE
    durableCommit' = [i \in Server |->
        IF \/ log'[i] /= log[i]
           \/ currentTerm'[i] /= currentTerm[i]
           \/ votedFor'[i] /= votedFor[i]
        THEN commitIndex'[i] ELSE durableCommit[i]]

-----------------------------------------------------------------------------
Init ==
    /\ messages      = EmptyBag
    /\ currentTerm   = [i \in Server |-> 0]
    /\ votedFor      = [i \in Server |-> Nil]
    /\ log           = [i \in Server |-> <<>>]
    /\ durableCommit = [i \in Server |-> 0]
    /\ state         = [i \in Server |-> Follower]
    /\ commitIndex   = [i \in Server |-> 0]
    /\ votesGranted  = [i \in Server |-> {}]
    /\ matchIndex    = [i \in Server |-> NoMatch]
    /\ elections     = {}
    /\ committed     = {}

-----------------------------------------------------------------------------
\* Local steps.

\* Only a voter of its configuration campaigns (tickElection, hup); a
\* configuration where it alone is a quorum wins at once (campaign).
Timeout(i) ==
    /\ state[i] \in {Follower, Candidate}
    /\ IsVoter(Conf(i), i)
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = @ + 1]
    /\ votedFor'     = [votedFor EXCEPT ![i] = i]
    /\ IF IsQuorumOf(Conf(i), {i})
       THEN /\ state'        = [state EXCEPT ![i] = Leader]
            /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
            /\ elections'    = elections \cup {[term |-> currentTerm[i] + 1, leader |-> i]}
       ELSE /\ state'        = [state EXCEPT ![i] = Candidate]
            /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
            /\ UNCHANGED elections
    /\ UNCHANGED <<messages, log, commitIndex, matchIndex, committed>>

\* A crash and restart: volatile state is lost; the commit index recovered is
\* anywhere from the last one written to the one before the crash.
Restart(i) ==
    /\ Crashes
    /\ state'        = [state EXCEPT ![i] = Follower]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = NoMatch]
    /\ \E c \in durableCommit[i]..commitIndex[i] : commitIndex' = [commitIndex EXCEPT ![i] = c]
    /\ UNCHANGED <<messages, currentTerm, votedFor, log, historyVars>>

\* Candidate i asks voter j of its configuration for its vote.
RequestVote(i, j) ==
    /\ state[i] = Candidate
    /\ j /= i
    /\ IsVoter(Conf(i), j)
    /\ j \notin votesGranted[i]
    /\ Send([mtype         |-> RequestVoteRequest,
             mterm         |-> currentTerm[i],
             mlastLogTerm  |-> LastTerm(log[i]),
             mlastLogIndex |-> Len(log[i]),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<currentTerm, votedFor, log, volatileVars, historyVars>>

\* A leader that is an incoming voter appends a client entry (the
\* election's empty entry is one of these); a leaving leader appends nothing
\* new (leaderIsLeaving), a removed one is about to step down.
ClientRequest(i) ==
    /\ state[i] = Leader
    /\ i \in Conf(i).voters
    /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], kind |-> Normal,
                                            voters |-> {}, learners |-> {}])]
    /\ UNCHANGED <<messages, currentTerm, votedFor, volatileVars, historyVars>>

\* handleChangeMembership: refused to a leaving leader always, and, with
\* validation, while the configuration is joint or a change is unapplied.
ProposeChange(i, t) ==
    /\ state[i] = Leader
    /\ i \in Conf(i).voters
    /\ ValidateProposals => (~IsJoint(Conf(i)) /\ NoPendingConf(i))
    /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], kind |-> Enter,
                                            voters |-> t.voters, learners |-> t.learners])]
    /\ UNCHANGED <<messages, currentTerm, votedFor, volatileVars, historyVars>>

\* maybeAutoLeaveJoint: once the joint configuration is applied, its leader
\* (a leaving one too) proposes leaving it.
AutoLeaveJoint(i) ==
    /\ state[i] = Leader
    /\ IsJoint(Conf(i))
    /\ NoPendingConf(i)
    /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], kind |-> Leave,
                                            voters |-> {}, learners |-> {}])]
    /\ UNCHANGED <<messages, currentTerm, votedFor, volatileVars, historyVars>>

\* setConf: a leader that its configuration no longer counts as a voter
\* steps down (having told the others the commit, which AppendEntries does
\* before this step).
StepDownRemoved(i) ==
    /\ state[i] = Leader
    /\ ~IsVoter(Conf(i), i)
    /\ state'      = [state EXCEPT ![i] = Follower]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = NoMatch]
    /\ UNCHANGED <<messages, persistentVars, commitIndex, votesGranted, historyVars>>

\* Leader i sends member j of its configuration an AppendEntries probing any
\* prevLogIndex from what j is known to match, with the next entry if any.
AppendEntries(i, j) ==
    /\ state[i] = Leader
    /\ j /= i
    /\ j \in Members(Conf(i))
    /\ \E prev \in matchIndex[i][j]..Len(log[i]) :
         LET entries == IF prev < Len(log[i]) THEN <<log[i][prev + 1]>> ELSE <<>>
         IN Send([mtype         |-> AppendEntriesRequest,
                  mterm         |-> currentTerm[i],
                  mprevLogIndex |-> prev,
                  mprevLogTerm  |-> IF prev = 0 THEN 0 ELSE log[i][prev].term,
                  mentries      |-> entries,
                  mcommitIndex  |-> Min2(commitIndex[i], prev + Len(entries)),
                  msource       |-> i,
                  mdest         |-> j])
    /\ UNCHANGED <<currentTerm, votedFor, log, volatileVars, historyVars>>

-----------------------------------------------------------------------------
\* Message handlers: server i receives m from j. Any server grants votes.

HandleRequestVoteRequest(i, j, m) ==
    /\ m.mtype = RequestVoteRequest
    /\ LET higher == m.mterm > currentTerm[i]
           grant  == /\ m.mterm >= currentTerm[i]
                     /\ LogUpToDate(i, m.mlastLogTerm, m.mlastLogIndex)
                     /\ (higher \/ votedFor[i] \in {Nil, j})
       IN /\ IF higher
             THEN BecomeFollower(i, m.mterm, IF grant THEN j ELSE Nil)
             ELSE /\ votedFor' = [votedFor EXCEPT ![i] = IF grant THEN j ELSE @]
                  /\ UNCHANGED <<currentTerm, state, votesGranted, matchIndex>>
          /\ Reply([mtype        |-> RequestVoteResponse,
                    mterm        |-> Max2(currentTerm[i], m.mterm),
                    mvoteGranted |-> grant,
                    msource      |-> i,
                    mdest        |-> j], m)
    /\ UNCHANGED <<log, commitIndex, historyVars>>

\* tallyVote: only a voter's grant counts; a quorum of the candidate's
\* configuration (both halves when joint) elects it.
HandleRequestVoteResponse(i, j, m) ==
    /\ m.mtype = RequestVoteResponse
    /\ IF m.mterm > currentTerm[i]
       THEN /\ BecomeFollower(i, m.mterm, Nil)
            /\ UNCHANGED elections
       ELSE IF /\ m.mterm = currentTerm[i] /\ state[i] = Candidate /\ m.mvoteGranted
               /\ IsVoter(Conf(i), j)
       THEN LET votes == votesGranted[i] \cup {j}
            IN IF IsQuorumOf(Conf(i), votes)
               THEN /\ state'        = [state EXCEPT ![i] = Leader]
                    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
                    /\ matchIndex'   = [matchIndex EXCEPT ![i] = NoMatch]
                    /\ elections'    = elections \cup {[term |-> currentTerm[i], leader |-> i]}
                    /\ UNCHANGED <<currentTerm, votedFor>>
               ELSE /\ votesGranted' = [votesGranted EXCEPT ![i] = votes]
                    /\ UNCHANGED <<currentTerm, votedFor, state, matchIndex, elections>>
       ELSE UNCHANGED <<currentTerm, votedFor, state, votesGranted, matchIndex, elections>>
    /\ Discard(m)
    /\ UNCHANGED <<log, commitIndex, committed>>

\* As in Raft.tla; the commit learnt applies the configurations it covers.
HandleAppendEntriesRequest(i, j, m) ==
    /\ m.mtype = AppendEntriesRequest
    /\ IF m.mterm < currentTerm[i]
       THEN /\ Reply([mtype       |-> AppendEntriesResponse,
                      mterm       |-> currentTerm[i],
                      msuccess    |-> FALSE,
                      mmatchIndex |-> 0,
                      msource     |-> i,
                      mdest       |-> j], m)
            /\ UNCHANGED <<currentTerm, votedFor, log, volatileVars>>
       ELSE LET prev    == m.mprevLogIndex
                logOk   == /\ prev <= Len(log[i])
                           /\ (prev = 0 \/ log[i][prev].term = m.mprevLogTerm)
                lastNew == prev + Len(m.mentries)
                present == \/ m.mentries = <<>>
                           \/ /\ Len(log[i]) >= prev + 1
                              /\ log[i][prev + 1].term = m.mentries[1].term
                newLog  == IF present THEN log[i]
                           ELSE SubSeq(log[i], 1, prev) \o m.mentries
            IN /\ BecomeFollower(i, m.mterm,
                                 IF m.mterm > currentTerm[i] THEN Nil ELSE votedFor[i])
               /\ IF logOk
                  THEN /\ log' = [log EXCEPT ![i] = newLog]
                       /\ commitIndex' = [commitIndex EXCEPT ![i] =
                                            Max2(@, Min2(m.mcommitIndex, lastNew))]
                       /\ Reply([mtype       |-> AppendEntriesResponse,
                                 mterm       |-> m.mterm,
                                 msuccess    |-> TRUE,
                                 mmatchIndex |-> lastNew,
                                 msource     |-> i,
                                 mdest       |-> j], m)
                  ELSE /\ Discard(m)
                       /\ UNCHANGED <<log, commitIndex>>
    /\ UNCHANGED historyVars

\* The highest index above c stored by a quorum of configuration conf whose
\* entry has the leader's term (maybeCommit), or c.
CommitUnder(i, match, conf, c) ==
    LET ok == {k \in (c + 1)..Len(log[i]) :
                 /\ IsQuorumOf(conf, {i} \cup {s \in Server : match[s] >= k})
                 /\ log[i][k].term = currentTerm[i]}
    IN IF ok = {} THEN c ELSE CHOOSE k \in ok : \A l \in ok : k >= l

\* maybeCommit, then, as the entries committed are applied, maybeCommit again
\* under each configuration they put in force (setConf), until nothing moves.
RECURSIVE NewCommitIndex(_, _, _)
NewCommitIndex(i, match, c) ==
    LET next == CommitUnder(i, match, ConfUpTo(log[i], c), c)
    IN IF next = c THEN c ELSE NewCommitIndex(i, match, next)

HandleAppendEntriesResponse(i, j, m) ==
    /\ m.mtype = AppendEntriesResponse
    /\ IF m.mterm > currentTerm[i]
       THEN /\ BecomeFollower(i, m.mterm, Nil)
            /\ UNCHANGED <<commitIndex, committed>>
       ELSE IF m.mterm = currentTerm[i] /\ state[i] = Leader /\ m.msuccess
       THEN LET match  == [matchIndex[i] EXCEPT ![j] = Max2(@, m.mmatchIndex)]
                commit == NewCommitIndex(i, match, commitIndex[i])
            IN /\ matchIndex'  = [matchIndex EXCEPT ![i] = match]
               /\ commitIndex' = [commitIndex EXCEPT ![i] = commit]
               /\ committed' = committed \cup
                      {[index |-> k, entry |-> log[i][k], term |-> currentTerm[i]] :
                          k \in {l \in 1..commit :
                                   ~\E c \in committed : c.index = l /\ c.entry = log[i][l]}}
               /\ UNCHANGED <<currentTerm, votedFor, state, votesGranted>>
       ELSE UNCHANGED <<currentTerm, votedFor, state, votesGranted, matchIndex,
                        commitIndex, committed>>
    /\ Discard(m)
    /\ UNCHANGED <<log, elections>>

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<currentTerm, votedFor, log, volatileVars, historyVars>>

-----------------------------------------------------------------------------
InFlight(i, j, type) == {m \in DOMAIN messages : /\ m.mtype = type
                                                /\ m.msource = j
                                                /\ m.mdest = i}

ReceiveRequestVoteRequest(i, j) ==
    \E m \in InFlight(i, j, RequestVoteRequest) : HandleRequestVoteRequest(i, j, m)
ReceiveRequestVoteResponse(i, j) ==
    \E m \in InFlight(i, j, RequestVoteResponse) : HandleRequestVoteResponse(i, j, m)
ReceiveAppendEntriesRequest(i, j) ==
    \E m \in InFlight(i, j, AppendEntriesRequest) : HandleAppendEntriesRequest(i, j, m)
ReceiveAppendEntriesResponse(i, j) ==
    \E m \in InFlight(i, j, AppendEntriesResponse) : HandleAppendEntriesResponse(i, j, m)

Drop == \E m \in DOMAIN messages : DropMessage(m)

Step ==
    \/ \E i \in Server : Timeout(i)
    \/ \E i \in Server : Restart(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : ClientRequest(i)
    \/ \E i \in Server, t \in Targets : ProposeChange(i, t)
    \/ \E i \in Server : AutoLeaveJoint(i)
    \/ \E i \in Server : StepDownRemoved(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i, j \in Server : ReceiveRequestVoteRequest(i, j)
    \/ \E i, j \in Server : ReceiveRequestVoteResponse(i, j)
    \/ \E i, j \in Server : ReceiveAppendEntriesRequest(i, j)
    \/ \E i, j \in Server : ReceiveAppendEntriesResponse(i, j)
    \/ Drop

Next == Step /\ PersistCommit

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* Invariants (the names of Raft.tla and of the simulator's checks).

Entry == [term : Nat, kind : {Normal, Enter, Leave}, voters : SUBSET Server,
          learners : SUBSET Server]

TypeOK ==
    /\ IsABag(messages)
    /\ currentTerm \in [Server -> Nat]
    /\ votedFor \in [Server -> Server \cup {Nil}]
    /\ \A i \in Server : log[i] \in Seq(Entry)
    /\ durableCommit \in [Server -> Nat]
    /\ state \in [Server -> {Follower, Candidate, Leader}]
    /\ commitIndex \in [Server -> Nat]
    /\ votesGranted \in [Server -> SUBSET Server]
    /\ matchIndex \in [Server -> [Server -> Nat]]
    /\ \A i \in Server :
         /\ durableCommit[i] <= commitIndex[i]
         /\ state[i] /= Candidate => votesGranted[i] = {}
         /\ state[i] /= Leader => matchIndex[i] = NoMatch

ElectionSafety ==
    \A e1, e2 \in elections : e1.term = e2.term => e1.leader = e2.leader

LogMatching ==
    \A i, j \in Server :
      \A k \in 1..Min2(Len(log[i]), Len(log[j])) :
        log[i][k].term = log[j][k].term => SubSeq(log[i], 1, k) = SubSeq(log[j], 1, k)

LeaderCompleteness ==
    \A c \in committed :
      \A i \in Server :
        (state[i] = Leader /\ currentTerm[i] >= c.term) =>
          /\ Len(log[i]) >= c.index
          /\ log[i][c.index] = c.entry

StateMachineSafety ==
    /\ \A c1, c2 \in committed : c1.index = c2.index => c1.entry = c2.entry
    /\ \A i \in Server : commitIndex[i] <= Len(log[i])
    /\ \A i, j \in Server :
         \A k \in 1..Min2(commitIndex[i], commitIndex[j]) : log[i][k] = log[j][k]
    /\ \A i \in Server, c \in committed :
         c.index <= commitIndex[i] => log[i][c.index] = c.entry

\* badConfTransition (simulation/config-transitions.ts), stated on its own:
\* a simple configuration C may only become a joint one whose outgoing half
\* is C's voters, a joint one only its incoming half (same voters, learners).
GoodConfStep(from, to) ==
    IF ~IsJoint(from)
    THEN IsJoint(to) /\ to.outgoing = from.voters
    ELSE ~IsJoint(to) /\ to.voters = from.voters /\ to.learners = from.learners

\* ConfigTransitions: every configuration a server has applied (its
\* committed prefix, entry by entry from the initial one) follows the one
\* before by a step of joint consensus; an entry that changes nothing was
\* rejected when applied. (The applied prefix never changes but at a restart,
\* which goes back to an earlier point of the same sequence.)
ConfigTransitions ==
    \A i \in Server :
      \A k \in 1..commitIndex[i] :
        LET before == ConfUpTo(log[i], k - 1)
            after  == ConfUpTo(log[i], k)
        IN after /= before => GoodConfStep(before, after)
=============================================================================
