import { DecodeError, err, ok, s, validate, type NodeId, type Result } from "@synod/core";

/** The key under which the configuration group's KV store holds the chain configuration. */
export const CONFIG_KEY = "chain";

/**
 * A member of the chain: a node in one incarnation (`boot`, drawn at start: a restarted node lost
 * its chain state and is a different member) that joined at epoch `since` (its data is valid for
 * an unbroken membership since then; a node removed and added again starts from a fresh copy).
 */
export interface ChainMember {
  readonly id: NodeId;
  readonly boot: number;
  readonly since: number;
}

/** The chain's configuration: its members from head to tail, numbered by a strictly increasing epoch. */
export interface ChainConfiguration {
  readonly epoch: number;
  readonly members: readonly ChainMember[];
}

/** The configuration before the master has added anyone. */
export const EMPTY_CONFIGURATION: ChainConfiguration = Object.freeze({ epoch: 0, members: Object.freeze([]) as readonly ChainMember[] });

const schema = s.tuple([s.uint(), s.array(s.tuple([s.nodeId(), s.uint(), s.uint()]), { maxLength: 1024 })]);

/** @returns the text stored under {@link CONFIG_KEY} */
export function encodeConfiguration(config: ChainConfiguration): string {
  return JSON.stringify([config.epoch, config.members.map((m) => [m.id, m.boot, m.since])]);
}

/** @returns the configuration in `text`, or why it is not one (absent text: the empty configuration) */
export function decodeConfiguration(text: string | null | undefined): Result<ChainConfiguration, DecodeError> {
  if (text === null || text === undefined) return ok(EMPTY_CONFIGURATION);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err(new DecodeError("chain configuration is not JSON"));
  }
  const checked = validate(schema, parsed);
  if (!checked.ok) return checked;
  const [epoch, members] = checked.value;
  return ok({ epoch, members: members.map(([id, boot, since]) => ({ id, boot, since })) });
}

/** @returns the position of the member (id, boot) in `config`, -1 when it is not one */
export function positionOf(config: ChainConfiguration, id: NodeId, boot: number): number {
  return config.members.findIndex((m) => m.id === id && m.boot === boot);
}

/** @returns the next configuration without member `id` */
export function withoutMember(config: ChainConfiguration, id: NodeId): ChainConfiguration {
  return { epoch: config.epoch + 1, members: config.members.filter((m) => m.id !== id) };
}

/** @returns the next configuration with (id, boot) appended as the new tail (any older incarnation of `id` removed) */
export function withJoiner(config: ChainConfiguration, id: NodeId, boot: number): ChainConfiguration {
  const epoch = config.epoch + 1;
  return { epoch, members: [...config.members.filter((m) => m.id !== id), { id, boot, since: epoch }] };
}
