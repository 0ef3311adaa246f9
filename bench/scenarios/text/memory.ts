import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A forced garbage collection, so that memory figures measure live data (V8's documented flag). */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * @returns megabytes held after two forced collections: the V8 heap plus external memory, which
 *   holds the WebAssembly memory of Loro and Automerge (it grows and is never returned, so their
 *   figure is an upper bound)
 */
export function liveMemoryMb(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external) / (1 << 20);
}
