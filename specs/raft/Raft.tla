-------------------------------- MODULE Raft --------------------------------
(***************************************************************************)
(* Raft consensus (leader election, log replication, commitment) as        *)
(* @synod/raft implements it, written for the synod project.               *)
(*                                                                         *)
(* What is modelled                                                        *)
(*  - Elections: Timeout, RequestVote, votes granted to candidates whose   *)
(*    log is at least as up to date, a candidate wins on a majority.       *)
(*  - Pre-Vote (when the constant PreVote is TRUE): a timed-out server     *)
(*    first asks for pre-votes for term currentTerm+1 without changing its *)
(*    own term or anybody's term or vote; only a majority of pre-votes     *)
(*    makes it a real candidate.                                           *)
(*  - Log replication: AppendEntries with the log-matching check           *)
(*    (prevLogIndex, prevLogTerm); a conflicting suffix is truncated; a    *)
(*    stale or duplicated request never truncates matching entries.        *)
(*    Heartbeats carry min(matchIndex, commitIndex); a request below the   *)
(*    follower's commit index is acknowledged at that index without the    *)
(*    log check (etcd's shortcut); a vote may be refused while a leader is *)
(*    known (etcd's canVote). These three are the implementation's steps   *)
(*    that trace validation found (properties.md, "Trace validation").     *)
(*  - Commitment: a leader advances commitIndex only to an index that a    *)
(*    majority stores AND whose entry has the leader's current term (the   *)
(*    Figure 8 rule); followers learn commitIndex from AppendEntries.      *)
(*  - Crashes: Restart(i) keeps the persistent state (currentTerm,         *)
(*    votedFor, log) and loses the volatile state (role -> Follower,       *)
(*    votes, matchIndex). Every step that changes persistent state sends   *)
(*    its messages in the same atomic step, which models "persist before   *)
(*    send": no message ever leaves before the state it depends on is      *)
(*    durable. commitIndex after a restart is any value between 0 and the  *)
(*    value before the crash, so the spec covers an implementation that   *)
(*    resets it to 0 (the paper), one that persists it (etcd), and         *)
(*    @synod/raft, whose persisted hardState.commit may lag behind.        *)
(*    Crashes are switched on by the constant Crashes.                     *)
(*  - The network: messages form a bag; any message may be delivered in    *)
(*    any order (reordering), dropped (Drop) or duplicated (Duplicate).    *)
(*                                                                         *)
(* What is abstracted (see properties.md for the full list)                *)
(*  - nextIndex and the conflict hint: a leader may probe any prevLogIndex *)
(*    between what the follower is known to match and the end of its own  *)
(*    log. Every nextIndex/hint strategy, including the implementation's   *)
(*    fast backtracking, picks one of these, so the safety result covers   *)
(*    it; an AppendEntries rejection therefore carries nothing the spec    *)
(*    needs and is modelled as a consumed request.                         *)
(*  - CheckQuorum's step-down is, in effect on state, a Restart that keeps *)
(*    commitIndex; leadership transfer (TimeoutNow) is a Timeout at an     *)
(*    arbitrary moment, which the spec already allows.                     *)
(*  - Snapshots and log compaction (when the constant Snapshots is TRUE;  *)
(*    @synod/raft's rules/snapshots.ts and raft-log.ts): any server may    *)
(*    compact its log into a snapshot up to any index at or below its      *)
(*    commit index (the code snapshots at its applied index, which is at   *)
(*    or below it). A leader whose follower may need an entry it has       *)
(*    compacted (matchIndex below the snapshot index) sends InstallSnapshot *)
(*    (the chunks of the code are one message here). The follower answers *)
(*    a snapshot at or below its commit index with that index; if its log  *)
(*    holds the snapshot's last entry (same index and term) it keeps its   *)
(*    whole log and only learns the commit index; otherwise it discards    *)
(*    its whole log and takes the snapshot, committed up to its index. A   *)
(*    snapshot's data (the state machine) is modelled as the sequence of   *)
(*    entries it covers; log holds only the entries after it, so every    *)
(*    access below goes through LastIndex, TermAt and EntryAt, and the     *)
(*    invariants are stated over FullLog (snapshot data, then log).        *)
(*  - Not modelled: ReadIndex reads, membership change, flow control,      *)
(*    batching (at most one entry per message).                            *)
(*                                                                         *)
(* The spec has no bounds of its own; MCRaft.tla adds them.                *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, Bags, TLC

CONSTANTS
    Server,     \* the set of server ids
    Value,      \* the values clients may propose
    Nil,        \* "no server" (votedFor before voting)
    PreVote,    \* TRUE: a timeout starts a pre-vote round first
    Crashes,    \* TRUE: servers may crash and restart (Restart is enabled)
    Snapshots   \* TRUE: servers compact their logs; leaders send InstallSnapshot

ASSUME PreVote \in BOOLEAN
ASSUME Crashes \in BOOLEAN
ASSUME Snapshots \in BOOLEAN
ASSUME Nil \notin Server

\* Roles.
Follower     == "Follower"
PreCandidate == "PreCandidate"
Candidate    == "Candidate"
Leader       == "Leader"

\* Message types.
RequestVoteRequest    == "RequestVoteRequest"
RequestVoteResponse   == "RequestVoteResponse"
PreVoteRequest        == "PreVoteRequest"
PreVoteResponse       == "PreVoteResponse"
AppendEntriesRequest  == "AppendEntriesRequest"
AppendEntriesResponse == "AppendEntriesResponse"
InstallSnapshotRequest == "InstallSnapshotRequest"

-----------------------------------------------------------------------------
VARIABLES
    messages,     \* bag of messages in flight: [message -> number of copies]
    currentTerm,  \* persistent: latest term the server has seen
    votedFor,     \* persistent: candidate voted for in currentTerm, or Nil
    log,          \* persistent: the entries after the snapshot, [term, value]
    snapshotIndex,\* persistent: index of the last entry the snapshot covers (0: none)
    snapshotTerm, \* persistent: term of that entry (0: none)
    snapshotData, \* persistent: the snapshot's state, as the entries 1..snapshotIndex
    state,        \* volatile: Follower, PreCandidate, Candidate or Leader
    commitIndex,  \* volatile: highest index known committed
    votesGranted, \* volatile, (pre-)candidates: who granted a (pre-)vote
    matchIndex,   \* volatile, leaders: highest index known replicated on j
    elections,    \* history: set of [term, leader], one per election won
    committed     \* history: set of [index, entry, term] entries committed
                  \*          by a leader (term = the committing leader's term)

snapshotVars   == <<snapshotIndex, snapshotTerm, snapshotData>>
persistentVars == <<currentTerm, votedFor, log, snapshotVars>>
volatileVars   == <<state, commitIndex, votesGranted, matchIndex>>
historyVars    == <<elections, committed>>
vars == <<messages, persistentVars, volatileVars, historyVars>>

-----------------------------------------------------------------------------
\* Helpers.

Max2(a, b) == IF a >= b THEN a ELSE b
Min2(a, b) == IF a <= b THEN a ELSE b

IsQuorum(S) == 2 * Cardinality(S) > Cardinality(Server)
Quorums == {Q \in SUBSET Server : IsQuorum(Q)}

LastTerm(xlog) == IF xlog = <<>> THEN 0 ELSE xlog[Len(xlog)].term

\* Server i's log as raft-log.ts sees it: a snapshot up to snapshotIndex[i],
\* then the entries of log[i] (log[i][1] has index snapshotIndex[i] + 1).
LastIndex(i)  == snapshotIndex[i] + Len(log[i])
LastLogTerm(i) == IF log[i] = <<>> THEN snapshotTerm[i] ELSE log[i][Len(log[i])].term
\* The term of entry k, for snapshotIndex[i] <= k <= LastIndex(i) (raft-log.ts's
\* term(k): the snapshot's term at its index, nothing below it).
TermAt(i, k)  == IF k = snapshotIndex[i] THEN snapshotTerm[i]
                 ELSE log[i][k - snapshotIndex[i]].term
\* Entry k, for snapshotIndex[i] < k <= LastIndex(i).
EntryAt(i, k) == log[i][k - snapshotIndex[i]]
\* Everything server i's state stands for: the snapshot's entries, then the log.
\* The invariants use it; the actions never read below snapshotIndex[i]
\* (except a heartbeat's term, see Heartbeat).
FullLog(i)    == snapshotData[i] \o log[i]

\* A candidate's log (lastTerm, lastIndex) is at least as up to date as i's.
LogUpToDate(i, lastTerm, lastIndex) ==
    \/ lastTerm > LastLogTerm(i)
    \/ /\ lastTerm = LastLogTerm(i)
       /\ lastIndex >= LastIndex(i)

NoMatch == [j \in Server |-> 0]

\* Network operations on the bag.
Send(m)          == messages' = messages (+) SetToBag({m})
Discard(m)       == messages' = messages (-) SetToBag({m})
Reply(resp, req) == messages' = (messages (-) SetToBag({req})) (+) SetToBag({resp})

\* Server i becomes a follower of term t having voted for v. Volatile
\* candidate/leader state is cleared, so it never lingers in a follower.
BecomeFollower(i, t, v) ==
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = t]
    /\ votedFor'     = [votedFor EXCEPT ![i] = v]
    /\ state'        = [state EXCEPT ![i] = Follower]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = NoMatch]

\* Server i starts a real election for term currentTerm[i] + 1.
BecomeCandidate(i) ==
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = @ + 1]
    /\ votedFor'     = [votedFor EXCEPT ![i] = i]
    /\ state'        = [state EXCEPT ![i] = Candidate]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED matchIndex

-----------------------------------------------------------------------------
Init ==
    /\ messages     = EmptyBag
    /\ currentTerm  = [i \in Server |-> 0]
    /\ votedFor     = [i \in Server |-> Nil]
    /\ log          = [i \in Server |-> <<>>]
    /\ snapshotIndex = [i \in Server |-> 0]
    /\ snapshotTerm  = [i \in Server |-> 0]
    /\ snapshotData  = [i \in Server |-> <<>>]
    /\ state        = [i \in Server |-> Follower]
    /\ commitIndex  = [i \in Server |-> 0]
    /\ votesGranted = [i \in Server |-> {}]
    /\ matchIndex   = [i \in Server |-> NoMatch]
    /\ elections    = {}
    /\ committed    = {}

-----------------------------------------------------------------------------
\* Local steps.

\* Server i's election timeout fires (randomized in the implementation; any
\* moment here). With PreVote it becomes a pre-candidate and keeps its term.
Timeout(i) ==
    /\ state[i] \in {Follower, PreCandidate, Candidate}
    /\ IF PreVote
       THEN /\ state'        = [state EXCEPT ![i] = PreCandidate]
            /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
            /\ UNCHANGED <<currentTerm, votedFor, matchIndex>>
       ELSE BecomeCandidate(i)
    /\ UNCHANGED <<messages, log, snapshotVars, commitIndex, historyVars>>

\* Server i crashes and restarts from its persistent state. Volatile state is
\* lost; commitIndex restarts anywhere in 0..commitIndex[i] (see the header),
\* but never below the snapshot (raft-log.ts starts committed at its index).
Restart(i) ==
    /\ Crashes
    /\ state'        = [state EXCEPT ![i] = Follower]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = NoMatch]
    /\ \E c \in snapshotIndex[i]..commitIndex[i] : commitIndex' = [commitIndex EXCEPT ![i] = c]
    /\ UNCHANGED <<messages, persistentVars, historyVars>>

\* Pre-candidate i asks j for a pre-vote for term currentTerm[i] + 1.
RequestPreVote(i, j) ==
    /\ state[i] = PreCandidate
    /\ j /= i
    /\ j \notin votesGranted[i]
    /\ Send([mtype         |-> PreVoteRequest,
             mterm         |-> currentTerm[i] + 1,
             mlastLogTerm  |-> LastLogTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* Candidate i asks j for its vote.
RequestVote(i, j) ==
    /\ state[i] = Candidate
    /\ j /= i
    /\ j \notin votesGranted[i]
    /\ Send([mtype         |-> RequestVoteRequest,
             mterm         |-> currentTerm[i],
             mlastLogTerm  |-> LastLogTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* Leader i appends a client value to its own log.
ClientRequest(i, v) ==
    /\ state[i] = Leader
    /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], value |-> v])]
    /\ UNCHANGED <<messages, currentTerm, votedFor, snapshotVars, volatileVars, historyVars>>

\* Leader i sends j an AppendEntries probing prevLogIndex (at least what j is
\* known to match), with the next entry if there is one, and its commitIndex
\* capped at the last index the message covers. prevLogIndex is never below
\* i's snapshot (replication.ts sends the snapshot instead: InstallSnapshot).
AppendEntries(i, j) ==
    /\ state[i] = Leader
    /\ j /= i
    /\ \E prev \in Max2(matchIndex[i][j], snapshotIndex[i])..LastIndex(i) :
         LET entries == IF prev < LastIndex(i) THEN <<EntryAt(i, prev + 1)>> ELSE <<>>
         IN Send([mtype         |-> AppendEntriesRequest,
                  mterm         |-> currentTerm[i],
                  mprevLogIndex |-> prev,
                  mprevLogTerm  |-> TermAt(i, prev),
                  mentries      |-> entries,
                  mcommitIndex  |-> Min2(commitIndex[i], prev + Len(entries)),
                  msource       |-> i,
                  mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* Leader i's heartbeat to j (@synod/raft's rules/heartbeat.ts): an
\* AppendEntries without entries whose prevLogIndex and commit index are both
\* min(matchIndex, commitIndex), the prefix j is known to share with i that is
\* also committed. AppendEntries above sends an empty message only at the end
\* of the leader's log, and only from matchIndex up; the follower handles a
\* heartbeat with the same handler (log check included). The implementation's
\* heartbeat carries no term at all (only the commit index); the spec's
\* prevLogTerm is that of i's committed entry c, read from the snapshot's
\* entries when c was compacted (it is the same on every server that holds c).
Heartbeat(i, j) ==
    /\ state[i] = Leader
    /\ j /= i
    /\ LET c == Min2(matchIndex[i][j], commitIndex[i])
       IN Send([mtype         |-> AppendEntriesRequest,
                mterm         |-> currentTerm[i],
                mprevLogIndex |-> c,
                mprevLogTerm  |-> IF c = 0 THEN 0
                                  ELSE IF c >= snapshotIndex[i] THEN TermAt(i, c)
                                  ELSE snapshotData[i][c].term,
                mentries      |-> <<>>,
                mcommitIndex  |-> c,
                msource       |-> i,
                mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

-----------------------------------------------------------------------------
\* Message handlers: server i receives message m from server j.

\* A vote is granted to a candidate of a term >= ours whose log is at least as
\* up to date, if we have not voted for someone else in that term.
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
    /\ UNCHANGED <<log, snapshotVars, commitIndex, historyVars>>

\* A candidate counts votes of its own term and becomes leader on a majority.
HandleRequestVoteResponse(i, j, m) ==
    /\ m.mtype = RequestVoteResponse
    /\ IF m.mterm > currentTerm[i]
       THEN /\ BecomeFollower(i, m.mterm, Nil)
            /\ UNCHANGED elections
       ELSE IF m.mterm = currentTerm[i] /\ state[i] = Candidate /\ m.mvoteGranted
       THEN LET votes == votesGranted[i] \cup {j}
            IN IF IsQuorum(votes)
               THEN \* becomeLeader
                    /\ state'        = [state EXCEPT ![i] = Leader]
                    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
                    /\ matchIndex'   = [matchIndex EXCEPT ![i] = NoMatch]
                    /\ elections'    = elections \cup {[term |-> currentTerm[i], leader |-> i]}
                    /\ UNCHANGED <<currentTerm, votedFor>>
               ELSE /\ votesGranted' = [votesGranted EXCEPT ![i] = votes]
                    /\ UNCHANGED <<currentTerm, votedFor, state, matchIndex, elections>>
       ELSE UNCHANGED <<currentTerm, votedFor, state, votesGranted, matchIndex, elections>>
    /\ Discard(m)
    /\ UNCHANGED <<log, snapshotVars, commitIndex, committed>>

\* A pre-vote request never changes the receiver's term or vote. It is granted
\* when the log is up to date and the proposed term is ahead of ours (or equal
\* and we are free to vote for the sender); a rejection carries our term.
HandlePreVoteRequest(i, j, m) ==
    /\ m.mtype = PreVoteRequest
    /\ LET grant == /\ LogUpToDate(i, m.mlastLogTerm, m.mlastLogIndex)
                    /\ \/ m.mterm > currentTerm[i]
                       \/ m.mterm = currentTerm[i] /\ votedFor[i] \in {Nil, j}
       IN Reply([mtype        |-> PreVoteResponse,
                 mterm        |-> IF grant THEN m.mterm ELSE currentTerm[i],
                 mvoteGranted |-> grant,
                 msource      |-> i,
                 mdest        |-> j], m)
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* A pre-candidate counts pre-votes for currentTerm + 1; on a majority it
\* starts the real election. A rejection from a higher term is a real term.
HandlePreVoteResponse(i, j, m) ==
    /\ m.mtype = PreVoteResponse
    /\ IF ~m.mvoteGranted /\ m.mterm > currentTerm[i]
       THEN BecomeFollower(i, m.mterm, Nil)
       ELSE IF m.mvoteGranted /\ state[i] = PreCandidate /\ m.mterm = currentTerm[i] + 1
       THEN LET votes == votesGranted[i] \cup {j}
            IN IF IsQuorum(votes)
               THEN BecomeCandidate(i)
               ELSE /\ votesGranted' = [votesGranted EXCEPT ![i] = votes]
                    /\ UNCHANGED <<currentTerm, votedFor, state, matchIndex>>
       ELSE UNCHANGED <<currentTerm, votedFor, state, votesGranted, matchIndex>>
    /\ Discard(m)
    /\ UNCHANGED <<log, snapshotVars, commitIndex, historyVars>>

\* Follower side of replication. A request from an older term is answered
\* with our term so that the stale leader steps down. Otherwise i follows the
\* sender; if the log-matching check passes it makes its log agree (truncating
\* only a conflicting suffix), learns the commit index and acknowledges.
HandleAppendEntriesRequest(i, j, m) ==
    /\ m.mtype = AppendEntriesRequest
    /\ IF m.mterm < currentTerm[i]
       THEN /\ Reply([mtype       |-> AppendEntriesResponse,
                      mterm       |-> currentTerm[i],
                      msuccess    |-> FALSE,
                      mmatchIndex |-> 0,
                      msource     |-> i,
                      mdest       |-> j], m)
            /\ UNCHANGED <<persistentVars, volatileVars>>
       ELSE LET prev    == m.mprevLogIndex
                \* Below the snapshot there is no term to check: the code
                \* answers such a request by HandleAppendEntriesBelowCommit.
                logOk   == /\ snapshotIndex[i] <= prev
                           /\ prev <= LastIndex(i)
                           /\ TermAt(i, prev) = m.mprevLogTerm
                lastNew == prev + Len(m.mentries)
                present == \/ m.mentries = <<>>
                           \/ /\ LastIndex(i) >= prev + 1
                              /\ TermAt(i, prev + 1) = m.mentries[1].term
                newLog  == IF present THEN log[i]
                           ELSE SubSeq(log[i], 1, prev - snapshotIndex[i]) \o m.mentries
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
                  ELSE /\ Discard(m)   \* rejection: see "What is abstracted"
                       /\ UNCHANGED <<log, commitIndex>>
    /\ UNCHANGED <<snapshotVars, historyVars>>

\* etcd's shortcut (@synod/raft's rules/log-matching.ts): an AppendEntries of
\* a current or newer term whose prevLogIndex is below i's commit index is
\* answered with success at that commit index, without the log-matching check
\* and without touching the log. The prefix up to a server's commit index is
\* committed, so every leader of its term or later holds it
\* (LeaderCompleteness): the answer only tells the leader what is true.
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
    /\ UNCHANGED <<log, snapshotVars, commitIndex, historyVars>>

\* A (pre-)vote request of a term not above i's refused although
\* HandleRequestVoteRequest / HandlePreVoteRequest might grant it (etcd's
\* canVote, rules/vote-granting.ts: the voter knows a leader of its term). The
\* spec has no "known leader" and lets any such request be refused: a refusal
\* changes no state, so this only removes votes.
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
\* Snapshots and log compaction (enabled only when Snapshots is TRUE).

\* Server i snapshots its state up to index k, at or below its commit index,
\* and drops the entries up to k (rules/snapshots.ts takeSnapshot: k is the
\* applied index, which may lag anywhere behind the commit index; raft-log.ts
\* compact). Persisted in the same step (persistCompacted).
CompactLog(i) ==
    /\ Snapshots
    /\ \E k \in (snapshotIndex[i] + 1)..commitIndex[i] :
         /\ snapshotIndex' = [snapshotIndex EXCEPT ![i] = k]
         /\ snapshotTerm'  = [snapshotTerm EXCEPT ![i] = TermAt(i, k)]
         /\ snapshotData'  = [snapshotData EXCEPT ![i] =
                                 @ \o SubSeq(log[i], 1, k - snapshotIndex[i])]
         /\ log' = [log EXCEPT ![i] = SubSeq(@, k - snapshotIndex[i] + 1, Len(@))]
    /\ UNCHANGED <<messages, currentTerm, votedFor, volatileVars, historyVars>>

\* Leader i sends j its snapshot: j may need an entry that i has compacted away
\* (replication.ts: the entry before nextIndex has no term any more; nextIndex
\* is above matchIndex, which is below the snapshot). The code's chunks, which
\* the follower installs only once all have arrived, are one message here.
InstallSnapshot(i, j) ==
    /\ Snapshots
    /\ state[i] = Leader
    /\ j /= i
    /\ matchIndex[i][j] < snapshotIndex[i]
    /\ Send([mtype         |-> InstallSnapshotRequest,
             mterm         |-> currentTerm[i],
             mlastIndex    |-> snapshotIndex[i],
             mlastTerm     |-> snapshotTerm[i],
             mdata         |-> snapshotData[i],
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

\* Follower side (rules/snapshots.ts handleInstallSnapshot; step.ts for the
\* term). A snapshot of an older term is answered with our term. Otherwise i
\* follows the sender and
\*  - a snapshot at or below its commit index is answered with that index;
\*  - if i's log holds the snapshot's last entry (index and term), i keeps
\*    its whole log and learns that the entry is committed;
\*  - otherwise i's log has diverged from or is behind the snapshot: i
\*    discards its whole log and takes the snapshot (raft-log.ts restore),
\*    committed up to its index.
\* The answer is an AppendEntries success at the index i now matches.
HandleInstallSnapshotRequest(i, j, m) ==
    /\ m.mtype = InstallSnapshotRequest
    /\ IF m.mterm < currentTerm[i]
       THEN /\ Reply([mtype       |-> AppendEntriesResponse,
                      mterm       |-> currentTerm[i],
                      msuccess    |-> FALSE,
                      mmatchIndex |-> 0,
                      msource     |-> i,
                      mdest       |-> j], m)
            /\ UNCHANGED <<persistentVars, volatileVars>>
       ELSE LET idx     == m.mlastIndex
                holds   == /\ snapshotIndex[i] <= idx
                           /\ idx <= LastIndex(i)
                           /\ TermAt(i, idx) = m.mlastTerm
                matched == IF idx <= commitIndex[i] THEN commitIndex[i] ELSE idx
            IN /\ BecomeFollower(i, m.mterm,
                                 IF m.mterm > currentTerm[i] THEN Nil ELSE votedFor[i])
               /\ IF idx <= commitIndex[i] \/ holds
                  THEN /\ commitIndex' = [commitIndex EXCEPT ![i] = matched]
                       /\ UNCHANGED <<log, snapshotVars>>
                  ELSE /\ log'           = [log EXCEPT ![i] = <<>>]
                       /\ snapshotIndex' = [snapshotIndex EXCEPT ![i] = idx]
                       /\ snapshotTerm'  = [snapshotTerm EXCEPT ![i] = m.mlastTerm]
                       /\ snapshotData'  = [snapshotData EXCEPT ![i] = m.mdata]
                       /\ commitIndex'   = [commitIndex EXCEPT ![i] = idx]
               /\ Reply([mtype       |-> AppendEntriesResponse,
                         mterm       |-> m.mterm,
                         msuccess    |-> TRUE,
                         mmatchIndex |-> matched,
                         msource     |-> i,
                         mdest       |-> j], m)
    /\ UNCHANGED historyVars

-----------------------------------------------------------------------------
\* The new commit index of leader i given match indexes `match`: the highest
\* index stored on a majority whose entry is of the leader's current term.
CommitCandidates(i, match) ==
    {k \in (commitIndex[i] + 1)..LastIndex(i) :
        /\ IsQuorum({i} \cup {s \in Server : match[s] >= k})
        /\ TermAt(i, k) = currentTerm[i]}

NewCommitIndex(i, match) ==
    LET c == CommitCandidates(i, match)
    IN IF c = {} THEN commitIndex[i]
       ELSE CHOOSE k \in c : \A l \in c : k >= l

\* Leader side of replication: record j's match index and maybe commit.
HandleAppendEntriesResponse(i, j, m) ==
    /\ m.mtype = AppendEntriesResponse
    /\ IF m.mterm > currentTerm[i]
       THEN /\ BecomeFollower(i, m.mterm, Nil)
            /\ UNCHANGED <<commitIndex, committed>>
       ELSE IF m.mterm = currentTerm[i] /\ state[i] = Leader /\ m.msuccess
       THEN LET match  == [matchIndex[i] EXCEPT ![j] = Max2(@, m.mmatchIndex)]
                commit == NewCommitIndex(i, match)
            IN /\ matchIndex'  = [matchIndex EXCEPT ![i] = match]
               /\ commitIndex' = [commitIndex EXCEPT ![i] = commit]
               /\ committed' = committed \cup
                      {[index |-> k, entry |-> FullLog(i)[k], term |-> currentTerm[i]] :
                          k \in {l \in 1..commit :
                                   ~\E c \in committed : c.index = l /\ c.entry = FullLog(i)[l]}}
               /\ UNCHANGED <<currentTerm, votedFor, state, votesGranted>>
       ELSE UNCHANGED <<currentTerm, votedFor, state, votesGranted, matchIndex,
                        commitIndex, committed>>
    /\ Discard(m)
    /\ UNCHANGED <<log, snapshotVars, elections>>

-----------------------------------------------------------------------------
\* The network's faults.

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

DuplicateMessage(m) ==
    /\ Send(m)
    /\ UNCHANGED <<persistentVars, volatileVars, historyVars>>

-----------------------------------------------------------------------------
\* Delivery: server i takes one message of a type from j out of the network
\* (any one, in any order). One operator per type so that TLC names each step
\* after it in a counterexample (a quantifier over the messages in flight
\* cannot be split into named actions by TLC itself).
InFlight(i, j, type) == {m \in DOMAIN messages : /\ m.mtype = type
                                                /\ m.msource = j
                                                /\ m.mdest = i}

ReceiveRequestVoteRequest(i, j) ==
    \E m \in InFlight(i, j, RequestVoteRequest) : HandleRequestVoteRequest(i, j, m)
ReceiveRequestVoteResponse(i, j) ==
    \E m \in InFlight(i, j, RequestVoteResponse) : HandleRequestVoteResponse(i, j, m)
ReceivePreVoteRequest(i, j) ==
    \E m \in InFlight(i, j, PreVoteRequest) : HandlePreVoteRequest(i, j, m)
ReceivePreVoteResponse(i, j) ==
    \E m \in InFlight(i, j, PreVoteResponse) : HandlePreVoteResponse(i, j, m)
ReceiveAppendEntriesRequest(i, j) ==
    \E m \in InFlight(i, j, AppendEntriesRequest) : HandleAppendEntriesRequest(i, j, m)
ReceiveAppendEntriesResponse(i, j) ==
    \E m \in InFlight(i, j, AppendEntriesResponse) : HandleAppendEntriesResponse(i, j, m)
ReceiveAppendEntriesBelowCommit(i, j) ==
    \E m \in InFlight(i, j, AppendEntriesRequest) : HandleAppendEntriesBelowCommit(i, j, m)
ReceiveInstallSnapshot(i, j) ==
    \E m \in InFlight(i, j, InstallSnapshotRequest) : HandleInstallSnapshotRequest(i, j, m)
ReceiveRefusedVote(i, j) ==
    \E m \in InFlight(i, j, RequestVoteRequest) \cup InFlight(i, j, PreVoteRequest) :
      RefuseVote(i, j, m)

\* The network loses or duplicates one copy of a message.
Drop      == \E m \in DOMAIN messages : DropMessage(m)
Duplicate == \E m \in DOMAIN messages : DuplicateMessage(m)

Next ==
    \/ \E i \in Server : Timeout(i)
    \/ \E i \in Server : Restart(i)
    \/ \E i, j \in Server : RequestPreVote(i, j)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i, j \in Server : Heartbeat(i, j)
    \/ \E i, j \in Server : ReceiveRequestVoteRequest(i, j)
    \/ \E i, j \in Server : ReceiveRequestVoteResponse(i, j)
    \/ \E i, j \in Server : ReceivePreVoteRequest(i, j)
    \/ \E i, j \in Server : ReceivePreVoteResponse(i, j)
    \/ \E i, j \in Server : ReceiveAppendEntriesRequest(i, j)
    \/ \E i, j \in Server : ReceiveAppendEntriesResponse(i, j)
    \/ \E i, j \in Server : ReceiveAppendEntriesBelowCommit(i, j)
    \/ \E i, j \in Server : ReceiveRefusedVote(i, j)
    \/ \E i \in Server : CompactLog(i)
    \/ \E i, j \in Server : InstallSnapshot(i, j)
    \/ \E i, j \in Server : ReceiveInstallSnapshot(i, j)
    \/ Drop
    \/ Duplicate

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* Invariants.

Entry == [term : Nat, value : Value]

Message ==
         [mtype : {RequestVoteRequest, PreVoteRequest}, mterm : Nat,
          mlastLogTerm : Nat, mlastLogIndex : Nat, msource : Server, mdest : Server]
    \cup [mtype : {RequestVoteResponse, PreVoteResponse}, mterm : Nat,
          mvoteGranted : BOOLEAN, msource : Server, mdest : Server]
    \cup [mtype : {AppendEntriesRequest}, mterm : Nat, mprevLogIndex : Nat,
          mprevLogTerm : Nat, mentries : Seq(Entry), mcommitIndex : Nat,
          msource : Server, mdest : Server]
    \cup [mtype : {AppendEntriesResponse}, mterm : Nat, msuccess : BOOLEAN,
          mmatchIndex : Nat, msource : Server, mdest : Server]
    \cup [mtype : {InstallSnapshotRequest}, mterm : Nat, mlastIndex : Nat,
          mlastTerm : Nat, mdata : Seq(Entry), msource : Server, mdest : Server]

TypeOK ==
    /\ IsABag(messages)
    /\ DOMAIN messages \subseteq Message
    /\ currentTerm \in [Server -> Nat]
    /\ votedFor \in [Server -> Server \cup {Nil}]
    /\ \A i \in Server : log[i] \in Seq(Entry)
    /\ snapshotIndex \in [Server -> Nat]
    /\ snapshotTerm \in [Server -> Nat]
    /\ \A i \in Server : snapshotData[i] \in Seq(Entry)
    /\ state \in [Server -> {Follower, PreCandidate, Candidate, Leader}]
    /\ commitIndex \in [Server -> Nat]
    /\ votesGranted \in [Server -> SUBSET Server]
    /\ matchIndex \in [Server -> [Server -> Nat]]
    /\ elections \subseteq [term : Nat, leader : Server]
    /\ committed \subseteq [index : Nat \ {0}, entry : Entry, term : Nat]
    \* Role-specific state is cleared outside its role.
    /\ \A i \in Server :
         /\ state[i] \notin {PreCandidate, Candidate} => votesGranted[i] = {}
         /\ state[i] /= Leader => matchIndex[i] = NoMatch
         /\ state[i] = Candidate => votedFor[i] = i

\* At most one leader is ever elected in a term.
ElectionSafety ==
    \A e1, e2 \in elections : e1.term = e2.term => e1.leader = e2.leader

\* Two logs with an entry of the same term at the same index are identical up
\* to that index.
\* Stated over FullLog: a snapshot counts as the entries it covers.
LogMatching ==
    \A i, j \in Server :
      LET li == FullLog(i)
          lj == FullLog(j)
      IN \A k \in 1..Min2(Len(li), Len(lj)) :
           li[k].term = lj[k].term => SubSeq(li, 1, k) = SubSeq(lj, 1, k)

\* An entry committed in term t is in the log of every leader of a term >= t.
LeaderCompleteness ==
    \A c \in committed :
      \A i \in Server :
        (state[i] = Leader /\ currentTerm[i] >= c.term) =>
          /\ LastIndex(i) >= c.index
          /\ FullLog(i)[c.index] = c.entry

\* Committed entries never differ: no two commitments of one index disagree,
\* and every server's committed prefix (what it may apply) agrees with every
\* other server's and with the history of commitments.
StateMachineSafety ==
    /\ \A c1, c2 \in committed : c1.index = c2.index => c1.entry = c2.entry
    /\ \A i \in Server : commitIndex[i] <= LastIndex(i)
    /\ \A i, j \in Server :
         \A k \in 1..Min2(commitIndex[i], commitIndex[j]) : FullLog(i)[k] = FullLog(j)[k]
    /\ \A i \in Server, c \in committed :
         c.index <= commitIndex[i] => FullLog(i)[c.index] = c.entry

\* Crash recovery / persist-before-send: every committed entry is stored in
\* the persistent logs (or snapshots) of a majority at all times, whatever crashed.
CommittedEntriesDurable ==
    \A c \in committed :
      \E Q \in Quorums :
        \A s \in Q : LastIndex(s) >= c.index /\ FullLog(s)[c.index] = c.entry

\* Snapshots: a server's snapshot covers only committed entries (it is at or
\* below its commit index, and each entry it covers was committed by a
\* leader), its index and term are those of the entries it replaced, and a
\* snapshot in flight covers only committed entries too.
SnapshotSafety ==
    /\ \A i \in Server :
         /\ snapshotIndex[i] <= commitIndex[i]
         /\ Len(snapshotData[i]) = snapshotIndex[i]
         /\ snapshotTerm[i] = LastTerm(snapshotData[i])
         /\ \A k \in 1..snapshotIndex[i] :
              \E c \in committed : c.index = k /\ c.entry = snapshotData[i][k]
    /\ \A m \in DOMAIN messages :
         m.mtype = InstallSnapshotRequest =>
           /\ Len(m.mdata) = m.mlastIndex
           /\ m.mlastTerm = LastTerm(m.mdata)
           /\ \A k \in 1..m.mlastIndex :
                \E c \in committed : c.index = k /\ c.entry = m.mdata[k]

\* A leader never overwrites or deletes entries of its own log.
LeaderAppendOnly ==
    [][\A i \in Server :
         (state[i] = Leader /\ state'[i] = Leader) =>
           LET before == FullLog(i)
               after  == snapshotData'[i] \o log'[i]
           IN /\ Len(after) >= Len(before)
              /\ SubSeq(after, 1, Len(before)) = before]_vars

\* A server's term never decreases, across crashes too (currentTerm is
\* persistent): a step that lowered it would let a stale leader come back.
TermsMonotonic ==
    [][\A i \in Server : currentTerm'[i] >= currentTerm[i]]_vars

\* A server's commitIndex never falls, but at a restart (which may recover an
\* older one, see Restart): a falling commitIndex would let a server accept the
\* truncation of entries it counted committed, or lead a later term with an
\* older commit. The simulator's twin is commitIndexMonotonic().
CommitIndexMonotonic ==
    [][\A i \in Server : commitIndex'[i] < commitIndex[i] => Restart(i)]_vars

\* A server votes at most once per term: once votedFor names a server in a
\* term, no step of that term (a crash and restart included) changes it.
VoteOncePerTerm ==
    [][\A i \in Server :
         (currentTerm'[i] = currentTerm[i] /\ votedFor[i] /= Nil) =>
           votedFor'[i] = votedFor[i]]_vars

\* Pre-Vote never disturbs: a server's term rises only when it becomes a
\* candidate (by exactly one) or when it receives a real message of that term
\* (not a pre-vote request, not a granted pre-vote); its vote changes within a
\* term only when it grants a RequestVote or votes for itself.
PreVoteSafety ==
    [][\A i \in Server :
         LET real(m) == /\ m.mdest = i
                        /\ m.mterm = currentTerm'[i]
                        /\ m.mtype /= PreVoteRequest
                        /\ ~(m.mtype = PreVoteResponse /\ m.mvoteGranted)
         IN /\ currentTerm'[i] /= currentTerm[i] =>
                 \/ state'[i] = Candidate /\ currentTerm'[i] = currentTerm[i] + 1
                 \/ \E m \in DOMAIN messages : real(m)
            /\ (currentTerm'[i] = currentTerm[i] /\ votedFor'[i] /= votedFor[i]) =>
                 \E m \in DOMAIN messages :
                   /\ m.mtype = RequestVoteRequest
                   /\ m.mdest = i
                   /\ m.msource = votedFor'[i]
                   /\ m.mterm = currentTerm[i]]_vars
=============================================================================
