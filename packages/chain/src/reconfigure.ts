import { CONFIG_KEY, decodeConfiguration, positionOf, type ChainConfiguration } from "./membership.js";
import type { ChainState } from "./chain-state.js";
import { resendAfterReconfiguration } from "./replication.js";
import { failVersionWaits } from "./reads.js";

/** After the Raft group applied entries: adopt the configuration it now holds, if it changed. */
export function adoptIfChanged(c: ChainState): void {
  const text = c.configKv.peek(CONFIG_KEY) ?? null;
  if (text === c.configText) return;
  const decoded = decodeConfiguration(text);
  if (!decoded.ok) {
    c.out.output({ type: "alarm", reason: `the configuration group holds a malformed chain configuration: ${decoded.error.message}` });
    return;
  }
  if (decoded.value.epoch <= c.configuration.epoch && c.configText !== null) return;
  c.configText = text;
  adopt(c, decoded.value);
}

/**
 * Adopt the configuration of a new epoch: find this node's place and neighbours; a node that is
 * not a member (or starts a new membership) forgets its data; then apply the re-send rule.
 */
export function adopt(c: ChainState, config: ChainConfiguration): void {
  c.configuration = config;
  c.metrics.configurations++;
  c.early.clear(); // sequence numbers of an older epoch may name other writes in this one
  c.proposal = undefined;
  const position = positionOf(config, c.id, c.boot);
  c.position = position;
  const me = config.members[position];
  if (me === undefined) {
    if (c.dataSince >= 0) c.store.reset();
    c.dataSince = -1;
    c.predecessor = c.successor = undefined;
    c.synced = false;
    c.syncFloor = -1;
  } else {
    if (me.since !== c.dataSince) {
      c.store.reset();
      c.dataSince = me.since;
      // Only a node that joined an empty chain starts synced: nothing was ever committed.
      c.synced = position === 0 && me.since === config.epoch;
    }
    c.predecessor = config.members[position - 1]?.id;
    c.successor = config.members[position + 1]?.id;
    c.syncFloor = c.synced ? c.store.received : -1;
  }
  failVersionWaits(c, "the configuration changed");
  c.out.output({ type: "configured", epoch: config.epoch, members: config.members.map((m) => m.id), member: me !== undefined });
  if (me !== undefined) resendAfterReconfiguration(c);
}
