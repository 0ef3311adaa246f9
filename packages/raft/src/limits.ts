/**
 * The ceilings of every number that grows in a Raft node, in one place. JavaScript numbers are exact
 * integers only up to 2^53 − 1, so each ceiling sits far below it: arithmetic near a ceiling (a term
 * plus one, an index plus a batch) stays exact, and a peer's claim above a ceiling is refused by the
 * message schema before the node sees it.
 *
 * What happens at each ceiling (see also term-ceiling.ts):
 * - a term: a node at {@link MAX_TERM} never campaigns again and raises one alarm; terms above it are
 *   malformed. A message may raise a node's term by at most {@link MAX_TERM_LEAP}, so reaching the
 *   ceiling takes 2^24 forged messages, not one.
 * - an index: a leader refuses proposals and membership changes ("log-full") once its log reaches
 *   {@link MAX_PROPOSED_INDEX}; the indexes above are left for the no-op entries of later leaders
 *   and the automatic leave-joint entries, so the cluster still elects and serves reads.
 * - counters (heartbeat rounds, ticks, metrics): one per tick or per message; {@link MAX_COUNTER}
 *   is never reached in practice (2^48 ticks of 1 ms are 8,900 years).
 */

/** Largest term a node holds or accepts from a peer: 2^48 (32× below 2^53). */
export const MAX_TERM = 2 ** 48;

/**
 * Largest step by which one message may raise a node's term: 2^24 (16.7 million elections). A real
 * peer is never that far ahead (Pre-Vote keeps a partitioned node's term still); a message claiming
 * more is dropped and counted (`rejected["term-leap"]`). A node lagging that far behind its peers
 * must be wiped and re-added.
 */
export const MAX_TERM_LEAP = 2 ** 24;

/** Largest log index a node holds or accepts from a peer: 2^48 (at a million entries a second, 8.9 years). */
export const MAX_INDEX = 2 ** 48;

/** Indexes kept above {@link MAX_PROPOSED_INDEX} for entries a cluster appends by itself (leader no-ops, leave-joint). */
export const INDEX_RESERVE = 2 ** 20;

/** Last index a proposal may occupy; beyond it a leader refuses proposals with reason "log-full". */
export const MAX_PROPOSED_INDEX = MAX_INDEX - INDEX_RESERVE;

/** Largest value of a counter carried in messages (heartbeat rounds). */
export const MAX_COUNTER = 2 ** 48;
