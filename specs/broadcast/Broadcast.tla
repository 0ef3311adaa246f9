------------------------------ MODULE Broadcast ------------------------------
(***************************************************************************)
(* The simulator's reference protocol: eager reliable broadcast with acks  *)
(* over lossy links (simulator/src/reference/ implements the same text).    *)
(*                                                                         *)
(*  request(value): the node assigns the id <<origin, seq>>, delivers it   *)
(*    locally (output), persists {delivered id, value} and sends           *)
(*    Msg(id, value) to every other member.                                *)
(*  receive Msg(id, value): if id is not yet delivered, deliver it         *)
(*    (output), persist it and relay Msg to every other member; always     *)
(*    reply Ack(id) to the sender.                                         *)
(*  receive Ack(id) from p: p no longer needs Msg(id).                     *)
(*  tick: every retransmitTicks, re-send each un-acked Msg to the peers    *)
(*    that have not acked it.                                              *)
(*  crash + recovery: volatile state (delivered set, next seq, un-acked    *)
(*    table) is lost; the delivered set is rebuilt from the persisted      *)
(*    records, the next seq from the node's own persisted ids, and every   *)
(*    recovered message is un-acked again for every peer.                  *)
(*                                                                         *)
(* The network is the set of every message ever sent, and receiving does  *)
(* not remove a message: a message may be received never (loss), once, or *)
(* many times (duplication), in any order (reordering), by any schedule.   *)
(* This is the standard abstraction of a lossy, duplicating, reordering    *)
(* network for safety: every run of the real protocol maps to a run of     *)
(* this model with the same node states, so the invariants carry over. It  *)
(* cannot express "eventually delivered": Agreement (liveness) is checked  *)
(* under LossySpec below, where the network really drops messages.         *)
(*                                                                         *)
(* A step is atomic: the Step contract makes `persist` durable before any  *)
(* send or output takes effect. A crash between persist and send equals    *)
(* the loss of those messages; a crash before the output reaches the      *)
(* application only removes a delivery, which no safety property forbids.  *)
(* Retransmission timing is abstracted: Retransmit may fire at any time    *)
(* (every retransmitTicks is one such schedule).                           *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

CONSTANTS
    Node,          \* the members
    Value,         \* values clients may broadcast
    MaxRequests,   \* bound on requests in the whole run (model size)
    MaxCrashes     \* bound on crash+recovery events (model size)

ASSUME MaxRequests \in Nat /\ MaxCrashes \in Nat /\ Node # {} /\ Value # {}

Seq1 == 1..MaxRequests
Id == Node \X Seq1                          \* <<origin, seq>>

MsgT == [type : {"msg"}, from : Node, to : Node, id : Id, value : Value]
AckT == [type : {"ack"}, from : Node, to : Node, id : Id]

VARIABLES
    delivered,     \* delivered[n]: ids n has delivered (volatile, rebuilt on recovery)
    persisted,     \* persisted[n]: durable records <<id, value>>
    nextSeq,       \* nextSeq[n]: the seq n gives its next request (volatile)
    unacked,       \* unacked[n]: <<id, value, peer>> n still re-sends (volatile)
    network,       \* every message ever sent (see above)
    crashes,       \* crash+recovery events so far
    \* ghost variables, for the invariants only
    requests,      \* every <<id, value>> a node broadcast by request
    deliveryLog    \* deliveryLog[n]: every <<id, value>> n delivered (output), over its whole lifetime, in order

vars == <<delivered, persisted, nextSeq, unacked, network, crashes, requests, deliveryLog>>

Others(n) == Node \ {n}

\* The largest element of a set of naturals, 0 for the empty set.
MaxOf(S) == IF S = {} THEN 0 ELSE CHOOSE x \in S : \A y \in S : y <= x

MsgTo(n, id, v, p) == [type |-> "msg", from |-> n, to |-> p, id |-> id, value |-> v]

\* Deliver <<id, v>> at n: output it, persist it, send Msg to every other member and
\* remember each of those peers as un-acked.
Deliver(n, id, v) ==
    /\ delivered' = [delivered EXCEPT ![n] = @ \cup {id}]
    /\ persisted' = [persisted EXCEPT ![n] = @ \cup {<<id, v>>}]
    /\ deliveryLog' = [deliveryLog EXCEPT ![n] = Append(@, <<id, v>>)]
    /\ unacked' = [unacked EXCEPT ![n] = @ \cup {<<id, v, p>> : p \in Others(n)}]

TypeOK ==
    /\ delivered \in [Node -> SUBSET Id]
    /\ persisted \in [Node -> SUBSET (Id \X Value)]
    /\ nextSeq \in [Node -> 1..(MaxRequests + 1)]
    /\ unacked \in [Node -> SUBSET (Id \X Value \X Node)]
    /\ network \subseteq (MsgT \cup AckT)
    /\ crashes \in 0..MaxCrashes
    /\ requests \subseteq (Id \X Value)
    /\ deliveryLog \in [Node -> Seq(Id \X Value)]

Init ==
    /\ delivered = [n \in Node |-> {}]
    /\ persisted = [n \in Node |-> {}]
    /\ nextSeq = [n \in Node |-> 1]
    /\ unacked = [n \in Node |-> {}]
    /\ network = {}
    /\ crashes = 0
    /\ requests = {}
    /\ deliveryLog = [n \in Node |-> <<>>]

\* request(value) at node n.
Request(n, v) ==
    /\ Cardinality(requests) < MaxRequests
    /\ LET id == <<n, nextSeq[n]>> IN
        /\ Deliver(n, id, v)
        /\ network' = network \cup {MsgTo(n, id, v, p) : p \in Others(n)}
        /\ nextSeq' = [nextSeq EXCEPT ![n] = @ + 1]
        /\ requests' = requests \cup {<<id, v>>}
    /\ UNCHANGED <<crashes>>

\* receive Msg(id, value) at m.to. The message stays in the network: it may arrive again.
ReceiveMsg(m) ==
    /\ m \in network
    /\ m.type = "msg"
    /\ LET n == m.to
           ack == [type |-> "ack", from |-> n, to |-> m.from, id |-> m.id] IN
        IF m.id \notin delivered[n]
        THEN /\ Deliver(n, m.id, m.value)
             /\ network' = network \cup {ack} \cup {MsgTo(n, m.id, m.value, p) : p \in Others(n)}
        ELSE /\ network' = network \cup {ack}
             /\ UNCHANGED <<delivered, persisted, unacked, deliveryLog>>
    /\ UNCHANGED <<nextSeq, crashes, requests>>

\* receive Ack(id) from m.from at m.to.
ReceiveAck(m) ==
    /\ m \in network
    /\ m.type = "ack"
    /\ unacked' = [unacked EXCEPT ![m.to] = {e \in @ : ~(e[1] = m.id /\ e[3] = m.from)}]
    /\ UNCHANGED <<delivered, persisted, nextSeq, network, crashes, requests, deliveryLog>>

\* tick at n, when its retransmission timer fires: re-send every un-acked Msg.
Retransmit(n) ==
    /\ unacked[n] # {}
    /\ network' = network \cup {MsgTo(n, e[1], e[2], e[3]) : e \in unacked[n]}
    /\ UNCHANGED <<delivered, persisted, nextSeq, unacked, crashes, requests, deliveryLog>>

\* Node n crashes and recovers from its persisted records: the delivered set and the next seq are
\* rebuilt from them, and every recovered message is un-acked again for every peer, so a message
\* whose sends were lost in the crash still spreads. (Being down for a while is the same as taking
\* no step: messages addressed to it meanwhile are lost or arrive later.)
CrashRecover(n) ==
    /\ crashes < MaxCrashes
    /\ crashes' = crashes + 1
    /\ delivered' = [delivered EXCEPT ![n] = {r[1] : r \in persisted[n]}]
    /\ nextSeq' = [nextSeq EXCEPT ![n] = 1 + MaxOf({r[1][2] : r \in {q \in persisted[n] : q[1][1] = n}})]
    /\ unacked' = [unacked EXCEPT ![n] = {<<r[1], r[2], p>> : r \in persisted[n], p \in Others(n)}]
    /\ UNCHANGED <<persisted, network, requests, deliveryLog>>

Next ==
    \/ \E n \in Node, v \in Value : Request(n, v)
    \/ \E m \in network : ReceiveMsg(m) \/ ReceiveAck(m)
    \/ \E n \in Node : Retransmit(n) \/ CrashRecover(n)

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* Liveness model: the same protocol over a network that really loses      *)
(* messages (Drop removes a message from the network), with fair-lossy     *)
(* links: a Msg re-sent infinitely often is eventually received (strong    *)
(* fairness of ReceiveMsg), and a node with un-acked messages keeps        *)
(* re-sending (weak fairness of Retransmit). Requests and crashes are not  *)
(* forced.                                                                 *)
(***************************************************************************)

\* The network loses a message.
Drop(m) ==
    /\ m \in network
    /\ network' = network \ {m}
    /\ UNCHANGED <<delivered, persisted, nextSeq, unacked, crashes, requests, deliveryLog>>

DropSome == \E m \in network : Drop(m)

LossyNext == Next \/ DropSome

Fairness ==
    /\ \A n \in Node : WF_vars(Retransmit(n))
    /\ \A m \in MsgT : SF_vars(ReceiveMsg(m))

LossySpec == Init /\ [][LossyNext]_vars /\ Fairness

\* Once some node has delivered an id, every node eventually delivers it.
Agreement ==
    \A id \in Id : (\E n \in Node : id \in delivered[n]) ~> (\A n \in Node : id \in delivered[n])

(***************************************************************************)
(* Safety                                                                  *)
(***************************************************************************)

\* No node delivers an id twice in its lifetime, across crashes and recoveries.
NoDuplication ==
    \A n \in Node : \A i, j \in DOMAIN deliveryLog[n] :
        i # j => deliveryLog[n][i][1] # deliveryLog[n][j][1]

\* Persist before output: every id a node has delivered (in this lifetime) is in its persisted records.
DeliveredIsPersisted ==
    \A n \in Node : \A id \in delivered[n] : \E v \in Value : <<id, v>> \in persisted[n]

\* Nothing output is forgotten: every delivery of a node's whole lifetime is still persisted, so a
\* recovery rebuilds every id it ever delivered.
DeliveryLogDurable ==
    \A n \in Node : \A i \in DOMAIN deliveryLog[n] : deliveryLog[n][i] \in persisted[n]

\* A node never re-uses one of its own ids: its next sequence number is above every id it originated
\* and persisted (the condition recovery must re-establish).
FreshIds ==
    \A n \in Node : \A r \in persisted[n] : r[1][1] = n => r[1][2] < nextSeq[n]

\* A node only re-sends what it persisted, and never to itself.
UnackedIsPersisted ==
    \A n \in Node : \A e \in unacked[n] : <<e[1], e[2]>> \in persisted[n] /\ e[3] # n

\* An acknowledgement is truthful: the acknowledging node has the id persisted.
AcksAreDurable ==
    \A m \in network : m.type = "ack" => \E v \in Value : <<m.id, v>> \in persisted[m.from]

\* Every delivered (id, value) was broadcast by its origin, with that value. (Request is the only
\* action that adds to `requests`, and it adds ids whose origin is the requesting node.)
NoCreation ==
    \A n \in Node : \A i \in DOMAIN deliveryLog[n] : deliveryLog[n][i] \in requests

=============================================================================
