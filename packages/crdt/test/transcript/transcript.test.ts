import { fileURLToPath } from "node:url";
import { describeTranscripts, rewriteTranscriptWith } from "../../../../test/support/transcript.js";
import { CrdtTranscriptRunner } from "./runner.js";

describeTranscripts("CRDT transcripts (packages/crdt/testdata)", fileURLToPath(new URL("../../testdata", import.meta.url)), (text) => {
  const runner = new CrdtTranscriptRunner();
  return rewriteTranscriptWith(text, (command) => runner.run(command));
});
