// Dealerless distributed key generation for the BLS threshold scheme (see dkg-node.ts).
export * from "./feldman.js";
export * from "./dkg-keys.js";
export * from "./dkg-mode.js";
export * from "./dkg-messages.js";
export * from "./complete-dealing.js";
export * from "./dealing-collector.js";
export * from "./vote-tally.js";
export * from "./qual-agreement.js";
export * from "./dkg-outcome.js";
export * from "./dkg-node.js";
export * from "./simulation/correct-accepted.js";
export * from "./simulation/prepares-bound.js";
export * from "./simulation/correct-participants.js";
export * from "./simulation/dkg-simulation-keys.js";
export * from "./simulation/invariants.js";
export * from "./simulation/dkg-target.js";
