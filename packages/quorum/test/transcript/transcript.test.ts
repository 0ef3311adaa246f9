import { fileURLToPath } from "node:url";
import { describeTranscripts } from "../../../../test/support/transcript.js";
import { rewriteQuorumTranscript } from "./runner.js";

describeTranscripts("quorum transcripts (packages/quorum/testdata)", fileURLToPath(new URL("../../testdata", import.meta.url)), rewriteQuorumTranscript);
