import { fileURLToPath } from "node:url";
import { transcriptSuite } from "../../../../test/support/transcript.js";
import { CrdtTranscriptRunner } from "./runner.js";

transcriptSuite("CRDT transcripts (packages/crdt/testdata)", fileURLToPath(new URL("../../testdata", import.meta.url)), () => {
  const runner = new CrdtTranscriptRunner();
  return (command) => runner.run(command);
});
