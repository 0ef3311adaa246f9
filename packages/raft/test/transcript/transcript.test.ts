import { fileURLToPath } from "node:url";
import { describeTranscripts } from "../../../../test/support/transcript.js";
import { rewriteTranscript } from "./runner.js";

describeTranscripts("transcripts (packages/raft/testdata)", fileURLToPath(new URL("../../testdata", import.meta.url)), rewriteTranscript);
