import type { PbftConfig, PbftInput, PbftKeys, PbftMessage, PbftOutput, PbftRecord, PbftService } from "@synod/pbft";
import { PbftNode, pbftMessageCodec, pbftRecordCodec } from "@synod/pbft";
import type { ProtocolAdapter, ProtocolEvent } from "./protocol-adapter.js";

/** The adapter type of PBFT replicas with results `R`. */
export type PbftProtocol<R> = ProtocolAdapter<PbftNode<R>, PbftMessage, PbftInput, PbftOutput<R>, PbftRecord>;

/**
 * Run `@synod/pbft` under the runtime: each replica signs with its own key and checks every other
 * replica's and client's signature through `keys` (typically the node identities whose keys the
 * cluster's TLS certificates carry — see `keyringPeerKeys`).
 * @param options - the replica's keys, a factory of fresh services (one per node start) and the PBFT configuration
 * @example
 * const protocol = pbftProtocol({ keys, createService: () => new KvService(), config: { viewChangeTimeoutTicks: 100 } });
 */
export function pbftProtocol<R>(options: {
  readonly keys: PbftKeys;
  readonly createService: () => PbftService<R>;
  readonly config?: Partial<PbftConfig>;
}): PbftProtocol<R> {
  const config = options.config === undefined ? {} : { config: options.config };
  return {
    name: "pbft",
    messageCodec: pbftMessageCodec,
    recordCodec: pbftRecordCodec,
    createNode: (ctx) => new PbftNode<R>({ ctx, keys: options.keys, service: options.createService(), ...config }),
    describeOutput: describePbftOutput,
    inspect: (node) => ({
      view: node.view,
      viewActive: node.viewActive ? 1 : 0,
      primary: node.primary,
      lastExecuted: node.lastExecuted,
      stableCheckpoint: node.stableCheckpoint,
      logSize: node.logSize,
      halted: node.halted,
    }),
  };
}

function describePbftOutput<R>(output: PbftOutput<R>): ProtocolEvent | undefined {
  switch (output.type) {
    case "viewChanged":
      return { level: "info", event: "view-changed", fields: { view: output.view } };
    case "slowPrimary":
      return { level: "warn", event: "slow-primary", fields: { view: output.view, primary: output.primary, expectedTicks: output.expectedTicks } };
    case "stateTransferred":
      return { level: "info", event: "state-transferred", fields: { seq: output.seq } };
    case "internalError":
      return { level: "error", event: "internal-error", fields: { reason: output.reason } };
    case "halted":
      return { level: "error", event: "halted", fields: { reason: output.reason } };
    default:
      return undefined;
  }
}
