import type { NodeId } from "@synod/core";
import { derivePairwiseKeys, equalBytes, MAC_BYTES, SIGNATURE_BYTES, type CryptoProvider, type NodeIdentity, type PairwiseKeys } from "@synod/security";
import type { PbftAuthentication } from "./config.js";
import type { PbftKeys } from "./keys.js";
import type { ClientMessage, PbftMessage, Request } from "./messages.js";
import { requestStatement, sign, statementOf, verifySigned, type Unsigned } from "./signing.js";

/** A replica message (every message but a client's request). */
export type ReplicaMessage = Exclude<PbftMessage, ClientMessage>;

/** The message types a MAC authenticator may authenticate in `macs` mode (the normal case); every other type is always signed. */
export const MAC_AUTHENTICATED_TYPES: ReadonlySet<PbftMessage["type"]> = new Set(["prePrepare", "prepare", "commit", "reply", "readReply"]);

/** Most clients whose pairwise keys a replica keeps (the least recently derived is forgotten first). */
export const MAX_CLIENT_MAC_KEYS = 1 << 16;

/** The id a client has in pairwise key derivation (replica ids are node ids; clients are numbers). */
export function clientMacId(client: number): NodeId {
  return `synod/pbft/client/${client}`;
}

function identityOf(provider: CryptoProvider, nodeId: NodeId, secretKey: Uint8Array): NodeIdentity {
  return { nodeId, epoch: 0, publicKey: provider.getPublicKey(secretKey), secretKey };
}

/**
 * @returns the MAC vector of `data` for `members` in member order, each entry under the key `keyFor`
 * gives (an all-zero entry where it gives none, e.g. for the sender itself)
 */
function macVector(provider: CryptoProvider, members: readonly NodeId[], data: Uint8Array, keyFor: (member: NodeId) => Uint8Array | undefined): Uint8Array {
  const vector = new Uint8Array(members.length * MAC_BYTES);
  for (let i = 0; i < members.length; i++) {
    const key = keyFor(members[i] as NodeId);
    if (key !== undefined) vector.set(provider.hmacSha256(key, data), i * MAC_BYTES);
  }
  return vector;
}

/** @returns `message` with its tag: the same object, completed in place (a sealed message is built for the call that seals it) */
function withTag<T extends ReplicaMessage>(message: Unsigned<T>, sig: Uint8Array): T {
  (message as { sig?: Uint8Array }).sig = sig;
  return message as T;
}

/** @returns whether the MAC entry of `tag` at byte `at` equals `mac` (no view of the entry is made) */
function entryMatches(tag: Uint8Array, at: number, mac: Uint8Array): boolean {
  if (mac.length !== MAC_BYTES) return false;
  let diff = 0;
  for (let i = 0; i < MAC_BYTES; i++) diff |= (tag[at + i] as number) ^ (mac[i] as number);
  return diff === 0;
}

/**
 * A client's side of MAC authentication: the authenticator of its requests, one HMAC-SHA256 per
 * replica (in member order) under the key it shares with that replica, over the request's digest.
 * Pairwise keys are derived once per replica.
 */
export class ClientAuthenticator {
  private readonly self: NodeIdentity;
  private readonly keys = new Map<NodeId, PairwiseKeys | undefined>();

  /**
   * @param provider - the crypto provider
   * @param client - the client's number
   * @param secretKey - the client's secret key (its public key is what replicas know it by)
   * @param replicaKey - the public key of a replica (undefined: unknown, its entry stays zero)
   */
  constructor(
    private readonly provider: CryptoProvider,
    client: number,
    secretKey: Uint8Array,
    private readonly replicaKey: (id: NodeId) => Uint8Array | undefined,
  ) {
    this.self = identityOf(provider, clientMacId(client), secretKey);
  }

  /** @returns `request`'s authenticator for `members` (what goes in its `sig` field in `macs` mode) */
  authenticate(request: Pick<Request, "client" | "timestamp" | "command">, members: readonly NodeId[]): Uint8Array {
    const digest = this.provider.sha256(requestStatement(request));
    return macVector(this.provider, members, digest, (member) => this.keysFor(member)?.sendKey);
  }

  private keysFor(replica: NodeId): PairwiseKeys | undefined {
    if (!this.keys.has(replica)) {
      const publicKey = this.replicaKey(replica);
      let keys: PairwiseKeys | undefined;
      try {
        keys = publicKey === undefined ? undefined : derivePairwiseKeys(this.provider, this.self, replica, publicKey);
      } catch {
        keys = undefined;
      }
      this.keys.set(replica, keys);
    }
    return this.keys.get(replica);
  }
}

/**
 * A replica's authentication of what it sends and receives, in the configured mode (see
 * `PbftConfig.authentication`). In `signatures` mode every replica message is signed. In `macs`
 * mode the normal-case messages ({@link MAC_AUTHENTICATED_TYPES}) carry, in their `sig` field, an
 * authenticator: for a broadcast, one HMAC-SHA256 per member in member order (the sender's own
 * entry zero), for a reply one HMAC for the proxy it goes to; each over the message's statement
 * (a hundred bytes or so: a batch enters it by its digest, so hashing it first would cost a
 * SHA-256 more per message and per receiver for nothing), under the pairwise key of that direction. A receiver checks only its own entry, so
 * such a message proves nothing to a third replica: it is never forwarded as proof. A signature is
 * accepted in place of an authenticator (the new view's pre-prepares are signed), never the other
 * way round. Pairwise keys are derived on first use (X25519 of the identity keys, then HKDF).
 */
export class ReplicaAuthentication {
  private readonly self: NodeIdentity;
  private readonly position: number;
  private readonly replicaKeys = new Map<NodeId, PairwiseKeys | undefined>();
  private readonly clientKeys = new Map<number, { readonly publicKey: Uint8Array; readonly keys: PairwiseKeys | undefined }>();

  constructor(
    private readonly keys: PbftKeys,
    readonly id: NodeId,
    private readonly members: readonly NodeId[],
    readonly mode: PbftAuthentication,
  ) {
    this.self = identityOf(keys.provider, id, keys.secretKey);
    this.position = members.indexOf(id);
  }

  /** @returns whether a message of this type is authenticated by MACs (not signed) in this mode */
  usesMacs(type: PbftMessage["type"]): boolean {
    return this.mode === "macs" && MAC_AUTHENTICATED_TYPES.has(type);
  }

  /** The key this replica sends to `member` under (none to itself): made once, not a closure per message. */
  private readonly sendKeyFor = (member: NodeId): Uint8Array | undefined => (member === this.id ? undefined : this.keysForReplica(member)?.sendKey);

  /**
   * @param message - built for this call: in `macs` mode it is completed in place (its tag added),
   *   not copied, so the caller must not keep it (every caller passes a new object literal)
   * @returns `message` authenticated for every other member: a MAC vector for a normal-case type in `macs` mode, else a signature
   */
  seal<T extends ReplicaMessage>(message: Unsigned<T>): T {
    if (!this.usesMacs(message.type)) return sign<T>(this.keys.provider, this.keys.secretKey, message);
    return withTag<T>(message, macVector(this.keys.provider, this.members, statementOf(message), this.sendKeyFor));
  }

  /**
   * @param message - built for this call, completed in place in `macs` mode (see {@link seal})
   * @returns `message` authenticated for `to` alone: one MAC for a normal-case type in `macs` mode, else a signature
   */
  sealFor<T extends ReplicaMessage>(to: NodeId, message: Unsigned<T>): T {
    const key = this.usesMacs(message.type) ? this.keysForReplica(to)?.sendKey : undefined;
    if (key === undefined) return sign<T>(this.keys.provider, this.keys.secretKey, message);
    return withTag<T>(message, this.keys.provider.hmacSha256(key, statementOf(message)));
  }

  /**
   * @returns whether `message` is authentic from `from` for this replica: its signature under
   * `from`'s key, or (in `macs` mode, normal-case types) this replica's entry of its authenticator;
   * never throws
   */
  check(from: NodeId, message: ReplicaMessage): boolean {
    const tag = message.sig;
    if (!(tag instanceof Uint8Array)) return false;
    if (tag.length === SIGNATURE_BYTES) return verifySigned(this.keys.provider, this.keys.replicaKey(from), message);
    if (!this.usesMacs(message.type)) return false;
    const key = this.keysForReplica(from)?.receiveKey;
    if (key === undefined) return false;
    const single = message.type === "reply" || message.type === "readReply";
    const at = single ? 0 : this.position * MAC_BYTES;
    if (tag.length < at + MAC_BYTES || (single && tag.length !== MAC_BYTES)) return false; // no entry for this replica: nothing authenticates it
    return entryMatches(tag, at, this.keys.provider.hmacSha256(key, statementOf(message)));
  }

  /**
   * @returns whether `request` is authentic from its client for this replica: the client's
   * signature, or (in `macs` mode) this replica's entry of the client's authenticator over
   * `digest` (the request's digest); never throws
   */
  checkRequest(request: Request, clientKey: Uint8Array, digest: () => Uint8Array): boolean {
    const tag = request.sig;
    if (!(tag instanceof Uint8Array)) return false;
    if (tag.length === SIGNATURE_BYTES) {
      try {
        return this.keys.provider.verify(clientKey, requestStatement(request), tag);
      } catch {
        return false;
      }
    }
    if (this.mode !== "macs") return false;
    const key = this.keysForClient(request.client, clientKey);
    if (key === undefined) return false;
    const at = this.position * MAC_BYTES;
    if (tag.length < at + MAC_BYTES) return false; // a vector too short to hold this replica's entry
    return entryMatches(tag, at, this.keys.provider.hmacSha256(key.receiveKey, digest()));
  }

  private keysForReplica(peer: NodeId): PairwiseKeys | undefined {
    if (!this.replicaKeys.has(peer)) {
      const publicKey = this.keys.replicaKey(peer);
      this.replicaKeys.set(peer, publicKey === undefined ? undefined : this.derive(this.members.includes(peer) ? peer : "", publicKey));
    }
    return this.replicaKeys.get(peer);
  }

  private keysForClient(client: number, publicKey: Uint8Array): PairwiseKeys | undefined {
    const held = this.clientKeys.get(client);
    if (held !== undefined && (held.publicKey === publicKey || equalBytes(held.publicKey, publicKey))) return held.keys;
    const keys = this.derive(clientMacId(client), publicKey);
    this.clientKeys.delete(client);
    this.clientKeys.set(client, { publicKey, keys });
    if (this.clientKeys.size > MAX_CLIENT_MAC_KEYS) this.clientKeys.delete(this.clientKeys.keys().next().value as number);
    return keys;
  }

  private derive(peerId: NodeId, publicKey: Uint8Array): PairwiseKeys | undefined {
    if (peerId === "") return undefined;
    try {
      return derivePairwiseKeys(this.keys.provider, this.self, peerId, publicKey);
    } catch {
      return undefined; // a malformed or small-order key: nothing from that peer authenticates
    }
  }
}
