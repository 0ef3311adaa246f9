// @synod/security — pure parts only. The node:crypto provider is a separate entry point,
// `@synod/security/node` (src/node.ts), so that importing this module never loads a `node:` module.
export * from "./crypto-error.js";
export * from "./bytes.js";
export * from "./random.js";
export * from "./statement.js";
export * from "./provider.js";
export * from "./ed25519-encoding.js";
export * from "./ed25519-strict-verification.js";
export * from "./schnorr.js";
export * from "./x25519.js";
export * from "./hkdf.js";
export * from "./noble-provider.js";
export * from "./ideal-provider.js";
export * from "./identity.js";
export * from "./rotation.js";
export * from "./keyring.js";
export * from "./replay-window.js";
export * from "./sequence-lease.js";
export * from "./signed-envelope.js";
export * from "./pairwise-keys.js";
export * from "./mac-authenticator.js";
export * from "./bls.js";
export * from "./threshold.js";
export * from "./rate-limiter.js";
export * from "./recently-seen.js";
export * from "./admission.js";
export * from "./dkg/index.js";
