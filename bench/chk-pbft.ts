import { nodeProvider } from "@synod/security/node";
import { createIdealProvider, seededRandomBytes } from "@synod/security";
import { measureThroughput } from "./suites/pbft.js";
const ideal = createIdealProvider(seededRandomBytes(1));
for (const [name, p] of [["node", nodeProvider], ["ideal", ideal]] as const)
  for (const mode of ["macs", "signatures"] as const) {
    const t = measureThroughput(p, mode, 4, 64, 2000, false);
    console.log(name, mode, "wall/s", Math.round(t.requestsPerSec), "cpu/s", Math.round(t.requestsPerCpuSec), t.executed);
  }
