import { EncodeError, type Codec } from "@synod/core";

/**
 * Encode a message for the simulated wire. A value the codec refuses to encode (an adversary's
 * forgery outside the schema) could only reach a peer as bytes its decoder rejects, so it is
 * counted with the decode errors and dropped, as the receiver would.
 * @returns the bytes, or undefined when the codec refuses the value
 */
export function encodeForWire<M>(codec: Codec<M>, message: M): Uint8Array | undefined {
  try {
    return codec.encode(message);
  } catch (error) {
    if (error instanceof EncodeError) return undefined;
    throw error;
  }
}
