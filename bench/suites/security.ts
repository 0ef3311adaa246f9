import {
  aggregateBlsSignatures,
  blsProvePossession,
  blsSign,
  createAuthenticator,
  createIdealProvider,
  createIdentity,
  generateBlsKeyPair,
  nobleProvider,
  PairwiseKeyTable,
  seededRandomBytes,
  verifyAuthenticator,
  verifyBlsAggregate,
  verifyBlsPossession,
  type CryptoProvider,
  type VerifiedBlsPublicKey,
} from "@synod/security";
// The node:crypto provider is the package's separate `./node` entry; until package.json exports it,
// import it by path (it must stay out of the pure index).
import { nodeProvider } from "@synod/security/node";
import type { BenchContext, BenchReport, BenchRow, BenchSuite } from "../harness.js";

/** Run `operation` repeatedly for about `budgetMs` (at least `minOps` times); @returns operations per second. */
export function measureOpsPerSec(operation: () => void, budgetMs: number, minOps: number): { opsPerSec: number; meanUs: number; ops: number } {
  for (let i = 0; i < Math.min(minOps, 3); i++) operation(); // warm-up
  const start = process.hrtime.bigint();
  const budgetNs = BigInt(Math.round(budgetMs * 1e6));
  let ops = 0;
  let elapsed = 0n;
  while (ops < minOps || elapsed < budgetNs) {
    operation();
    ops += 1;
    elapsed = process.hrtime.bigint() - start;
  }
  const seconds = Number(elapsed) / 1e9;
  return { opsPerSec: ops / seconds, meanUs: (seconds * 1e6) / ops, ops };
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

function ed25519Rows(context: BenchContext): { rows: BenchRow[]; notes: string[] } {
  const budgetMs = context.quick ? 20 : 600;
  const message = new Uint8Array(256).map((_, i) => i);
  const providers: [string, CryptoProvider][] = [
    ["noble", nobleProvider],
    ["node:crypto", nodeProvider],
    ["ideal (simulator)", createIdealProvider(seededRandomBytes(1))],
  ];
  const rows: BenchRow[] = [];
  const figures = new Map<string, { sign: number; verify: number }>();
  for (const [name, provider] of providers) {
    const keys = provider.generateKeyPair(seededRandomBytes(2));
    const signature = provider.sign(keys.secretKey, message);
    const sign = measureOpsPerSec(() => provider.sign(keys.secretKey, message), budgetMs, 5);
    const verify = measureOpsPerSec(() => provider.verify(keys.publicKey, message, signature), budgetMs, 5);
    figures.set(name, { sign: sign.opsPerSec, verify: verify.opsPerSec });
    rows.push({ name: `sign 256 B: ${name}`, opsPerSec: round(sign.opsPerSec, 0), meanUs: round(sign.meanUs, 2) });
    rows.push({ name: `verify 256 B: ${name}`, opsPerSec: round(verify.opsPerSec, 0), meanUs: round(verify.meanUs, 2) });
  }
  const noble = figures.get("noble")!;
  const node = figures.get("node:crypto")!;
  rows.push({ name: "Ed25519 ratio node:crypto / noble", signRatio: round(node.sign / noble.sign, 2), verifyRatio: round(node.verify / noble.verify, 2) });
  return {
    rows,
    notes: [`Ed25519 via node:crypto is ${round(node.sign / noble.sign)}x noble to sign and ${round(node.verify / noble.verify)}x to verify (256-byte messages, keys cached).`],
  };
}

function authenticatorRows(context: BenchContext): BenchRow[] {
  const budgetMs = context.quick ? 20 : 400;
  const message = new Uint8Array(256).map((_, i) => 255 - i);
  const rows: BenchRow[] = [];
  for (const [providerName, provider] of [["noble", nobleProvider], ["node:crypto", nodeProvider]] as const) {
    for (const n of [4, 7, 16]) {
      const random = seededRandomBytes(n);
      const identities = Array.from({ length: n }, (_, i) => createIdentity(provider, `n${i + 1}`, random));
      const tables = identities.map((self) => {
        const table = new PairwiseKeyTable(provider, self);
        for (const peer of identities) if (peer !== self) table.addPeer(peer.nodeId, peer.publicKey);
        return table;
      });
      const receivers = identities.slice(1).map((i) => i.nodeId);
      const create = measureOpsPerSec(() => createAuthenticator(provider, tables[0]!, receivers, message), budgetMs, 5);
      const authenticator = createAuthenticator(provider, tables[0]!, receivers, message);
      const verify = measureOpsPerSec(() => verifyAuthenticator(provider, tables[1]!, authenticator, message), budgetMs, 5);
      rows.push({
        name: `HMAC authenticator n=${n}: ${providerName}`,
        createPerSec: round(create.opsPerSec, 0),
        createUs: round(create.meanUs, 2),
        verifyEntryPerSec: round(verify.opsPerSec, 0),
        verifyEntryUs: round(verify.meanUs, 2),
        macs: n - 1,
      });
    }
  }
  return rows;
}

function blsRows(context: BenchContext): BenchRow[] {
  const budgetMs = context.quick ? 1 : 1500;
  const minOps = context.quick ? 1 : 3;
  const message = new Uint8Array(32).fill(7);
  const rows: BenchRow[] = [];
  const sizes = context.quick ? [4] : [4, 16];
  for (const count of sizes) {
    const random = seededRandomBytes(100 + count);
    const pairs = Array.from({ length: count }, () => generateBlsKeyPair(random));
    const keys: VerifiedBlsPublicKey[] = pairs.map((pair) => {
      const verified = verifyBlsPossession(pair.publicKey, blsProvePossession(pair.secretKey));
      if (!verified.ok) throw verified.error;
      return verified.value;
    });
    const aggregate = aggregateBlsSignatures(pairs.map((pair) => blsSign(pair.secretKey, message)));
    if (!aggregate.ok) throw aggregate.error;
    if (!verifyBlsAggregate(keys, message, aggregate.value)) throw new Error("BLS aggregate does not verify");
    const verify = measureOpsPerSec(() => verifyBlsAggregate(keys, message, aggregate.value), budgetMs, minOps);
    rows.push({ name: `BLS aggregate verify, ${count} signatures (same message)`, opsPerSec: round(verify.opsPerSec, 1), meanMs: round(verify.meanUs / 1000, 1) });
  }
  const single = generateBlsKeyPair(seededRandomBytes(9));
  const sign = measureOpsPerSec(() => blsSign(single.secretKey, message), budgetMs, minOps);
  rows.push({ name: "BLS sign (for reference)", opsPerSec: round(sign.opsPerSec, 1), meanMs: round(sign.meanUs / 1000, 1) });
  return rows;
}

/** Signatures vs MACs vs BLS: the figures the PBFT issue uses to choose between them. */
export const suite: BenchSuite = {
  name: "security",
  description: "Ed25519 (noble vs node:crypto vs ideal), HMAC authenticator vectors for n = 4, 7, 16, BLS aggregate verification of 4 and 16 signatures",
  async run(context: BenchContext): Promise<BenchReport> {
    const ed = ed25519Rows(context);
    const rows = [...ed.rows, ...authenticatorRows(context), ...blsRows(context)];
    return {
      rows,
      notes: [
        ...ed.notes,
        "Authenticator: createUs hashes the message once and computes n-1 HMACs; verifyEntryUs is one receiver checking its own entry.",
        "BLS (pure JS @noble/curves): one aggregate verification = key aggregation + 2 pairings, nearly independent of the signer count.",
      ],
    };
  },
};
