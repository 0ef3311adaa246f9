/**
 * One benchmark suite in a process of its own: `pnpm bench` forks this file per suite, so that a
 * suite's figures do not depend on the heap, the garbage and the compiled code other suites left in
 * a shared process. Arguments: the suites folder, the suite's file name, and `--quick` or nothing.
 * Sends the suite's outcome to the parent over the IPC channel.
 */
import { loadSuites, runSuite } from "./main.js";

const [dir, file, mode] = process.argv.slice(2);
if (dir === undefined || file === undefined || process.send === undefined) {
  process.stderr.write("bench: suite-process.ts is started by `pnpm bench`, with a suites folder and a suite name\n");
  process.exit(2);
}
const [discovered] = await loadSuites([file], dir);
if (discovered === undefined) throw new Error(`bench: no suite ${file} in ${dir}`);
const outcome = await runSuite(discovered, mode === "--quick");
process.send(outcome, () => process.exit(0));
