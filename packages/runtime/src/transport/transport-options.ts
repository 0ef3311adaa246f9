import type { NodeId } from "@synod/core";
import type { PeerKeyLookup } from "./peer-keys.js";

/** Host and port of a listening node. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** PEM material of one node: its key, its certificate (with its node id as a URI SAN) and the cluster CA. */
export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly ca: string | Buffer;
}

/**
 * How peers authenticate. `tls`: mutual TLS 1.3, each side's certificate must chain to the cluster
 * CA and name the expected node id (`urn:synod:node:<id>`); with `peerKeys` (see
 * `keyringPeerKeys`), it must also carry the Ed25519 key that id holds in the keyring, so a CA
 * certificate for a superseded or revoked key is refused. `plaintext`: no authentication or
 * encryption — only when asked for by name (tests, benchmarks on loopback).
 */
export type TransportSecurity =
  | { readonly mode: "tls"; readonly tls: TlsMaterial; readonly peerKeys?: PeerKeyLookup }
  | { readonly mode: "plaintext" };

/** Everything a {@link Transport} is built from. */
export interface TransportOptions {
  /** This node's id (sent in the hello; must match its certificate under TLS). */
  readonly id: NodeId;
  /** Where to listen (port 0: any free port; see `Transport.address`). */
  readonly listen: Address;
  /** Where to reach every peer (this node excluded). */
  readonly peers: ReadonlyMap<NodeId, Address>;
  readonly security: TransportSecurity;
  /** Called with each message frame's body from an authenticated peer. */
  readonly onMessage: (from: NodeId, body: Buffer) => void;
  /** Called for connection events worth a log line. */
  readonly onEvent?: (event: TransportEvent) => void;
  /** Overrides of the limits (tests). */
  readonly maxFrameBytes?: number;
  readonly maxQueuedFrames?: number;
  readonly keepaliveIntervalMs?: number;
}

/** A connection event, for logs. */
export type TransportEvent =
  | { readonly type: "connected"; readonly peer: NodeId }
  | { readonly type: "disconnected"; readonly peer: NodeId; readonly reason: string }
  | { readonly type: "rejected"; readonly reason: string; readonly remote: string };
