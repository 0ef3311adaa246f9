/**
 * `SYNOD_BENCH_GOSSIP_10K=1 pnpm bench gossip gossip-dissemination`: also run the gossip suites at
 * 10,000 members. Off by default: on this shared 2-core host a 60-second gray-failure run of 10,000
 * members takes minutes of CPU per variant (figures in bench/README.md), far above a suite's minute.
 */
export const GOSSIP_10K = process.env.SYNOD_BENCH_GOSSIP_10K === "1";
