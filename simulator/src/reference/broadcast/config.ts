/** Configuration of the reference broadcast protocol. */
export interface BroadcastConfig {
  /**
   * Ticks between two retransmission rounds (default 5). Lower recovers lost messages sooner at the
   * price of more duplicate traffic.
   */
  readonly retransmitTicks: number;
  /**
   * Un-acked messages re-sent per retransmission round (default 64), longest-waiting first; each
   * round continues where the previous one stopped, so a peer that never acks cannot starve others.
   */
  readonly maxRetransmitPerRound: number;
  /**
   * Un-acked messages a node keeps (default 4096). Beyond it the oldest is evicted (and counted in
   * `pendingEvicted`): bounded memory, at the price of relying on other relays for that message.
   */
  readonly maxPending: number;
  /**
   * A deliberate bug for testing the simulator. `"forget-delivered"`: deliveries are not persisted,
   * so a restarted node forgets what it delivered (and its sequence numbers); the durability checks
   * see it at the first send, before any crash. `"recovery-drops-last"`: recovery skips the last
   * record on disk (an off-by-one), so it takes a crash after a delivery to show.
   */
  readonly plantedBug?: "forget-delivered" | "recovery-drops-last";
}

/** The defaults of {@link BroadcastConfig}. */
export const DEFAULT_BROADCAST_CONFIG: BroadcastConfig = Object.freeze({ retransmitTicks: 5, maxRetransmitPerRound: 64, maxPending: 4096 });
