/**
 * Upper bounds of msgpack sizes as @synod/core's codec writes them, so that a message can be filled
 * up to MAX_GOSSIP_MESSAGE_BYTES without encoding it (checked against the codec by test).
 */

/** @returns the number of UTF-8 bytes of `text` */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one code point of 4 bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** UTF-8 lengths of the ids of one member list, shared by every member over it. */
export interface MemberIdBytes {
  /** UTF-8 bytes of each member's id, by position. */
  readonly byPosition: readonly number[];
  /** The longest of them. */
  readonly max: number;
}

const idBytesByList = new WeakMap<readonly string[], MemberIdBytes>();

/**
 * @returns the UTF-8 lengths of `members`' ids, computed once per member list: each of 10,000
 * members used to hold two arrays of 10,000 of them (push-pull and Scuttlebutt), 1.6 GB in all and a
 * quarter of a 10,000-member simulation's CPU in garbage collection
 */
export function memberIdBytes(members: readonly string[]): MemberIdBytes {
  let found = idBytesByList.get(members);
  if (found === undefined) {
    const byPosition = members.map(utf8Length);
    found = { byPosition, max: byPosition.reduce((a, b) => Math.max(a, b), 0) };
    idBytesByList.set(members, found);
  }
  return found;
}

/** @returns msgpack bytes of a string of `bytes` UTF-8 bytes: its header and its data */
export function stringBytes(bytes: number): number {
  return bytes + (bytes < 32 ? 1 : bytes < 256 ? 2 : bytes < 65_536 ? 3 : 5);
}

/** @returns msgpack bytes of a non-negative safe integer */
export function uintBytes(value: number): number {
  return value < 128 ? 1 : value < 256 ? 2 : value < 65_536 ? 3 : value < 2 ** 32 ? 5 : 9;
}
