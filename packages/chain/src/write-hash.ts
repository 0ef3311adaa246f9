/**
 * The running hash of a chain log: h(seq) = FNV-1a over h(seq - 1) and the command at seq. Two logs
 * with the same hash at a sequence number hold the same writes up to it (up to 32-bit collisions):
 * what the ChainPrefix check compares without keeping whole logs.
 * @returns the hash after `command`, an unsigned 32-bit integer
 */
export function chainHash(previous: number, command: Uint8Array): number {
  let h = (previous ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < command.length; i++) h = Math.imul(h ^ (command[i] as number), 0x01000193) >>> 0;
  return h;
}
