import { nobleProvider, createIdealProvider, seededRandomBytes, type CryptoProvider } from "../src/index.js";
import { nodeProvider } from "../src/node.js";

/** The three providers, each under a name for `describe.each`. */
export const PROVIDERS: readonly [string, CryptoProvider][] = [
  ["noble", nobleProvider],
  ["node", nodeProvider],
  ["ideal", createIdealProvider(seededRandomBytes(20261122))],
];

/** @returns a copy of `bytes` with bit `bit` (mod length·8) flipped */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  if (bytes.length === 0) return Uint8Array.of(1);
  const out = bytes.slice();
  const position = bit % (bytes.length * 8);
  out[position >> 3]! ^= 1 << (position & 7);
  return out;
}
