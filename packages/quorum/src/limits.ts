import { assert } from "@synod/core";

/**
 * Every fixed limit of @synod/quorum in one place, each with why it has its value, and the
 * relationships between them asserted when this module loads (TigerBeetle's `constants.zig` is the
 * model).
 */

/** Largest number of members (voters, or voters plus learners) a quorum system or configuration accepts. */
export const MAX_QUORUM_MEMBERS = 1024;
/** Largest weight a single voter may carry (keeps totals exact and small). */
export const MAX_VOTER_WEIGHT = 1_000_000;
/** Default largest member count the exhaustive analysis enumerates (2^20 subsets, about a second at worst). */
export const MAX_ANALYSIS_MEMBERS = 20;
/** Hard ceiling for the analysis' `maxMembers` (2^24 subsets: memory and minutes). */
export const MAX_ANALYSIS_MEMBERS_CEILING = 24;

// Weighted totals are sums of at most MAX_QUORUM_MEMBERS weights: they must stay exact integers.
assert(MAX_QUORUM_MEMBERS * MAX_VOTER_WEIGHT <= Number.MAX_SAFE_INTEGER, "weight totals must be exact");
// The analysis enumerates subsets as bit masks `1 << bit` of 32-bit integers, in a table of 2^n bytes.
assert(MAX_ANALYSIS_MEMBERS <= MAX_ANALYSIS_MEMBERS_CEILING && MAX_ANALYSIS_MEMBERS_CEILING <= 30, "analysis masks must fit 31 bits");
// Anything the analysis may enumerate is a valid system.
assert(MAX_ANALYSIS_MEMBERS_CEILING <= MAX_QUORUM_MEMBERS, "analysable systems must be constructible");
