import { describe, expect, it } from "vitest";
import { createRng } from "@synod/core";
import { Rga, type RgaDelta } from "../src/index.js";

/**
 * Two writers taking turns on one document, each edit delivered to the other at once (no
 * concurrency), so both must always equal a plain string model. The documents grow to thousands
 * of runs in many B-tree leaves, and remote edits change leaves the local writer did not touch:
 * index lookups (and the leaf `locate` remembers) must follow.
 */
describe("RGA with two writers in turn against a string model", () => {
  for (const seed of [1, 2, 3]) {
    it(`stays equal to the model over 6,000 edits (seed ${seed})`, () => {
      const rng = createRng(seed);
      const writers = [new Rga("a"), new Rga("b")] as const;
      let model = "";
      let cursor = [0, 0];
      for (let step = 0; step < 6_000; step++) {
        const w = rng.int(0, 10) < 7 ? step % 2 : 1 - (step % 2);
        const doc = writers[w] as Rga;
        // Each writer mostly edits near its own cursor (typing), sometimes jumps.
        if (rng.int(0, 20) === 0 || (cursor[w] as number) > model.length) cursor[w] = rng.int(0, model.length + 1);
        const at = cursor[w] as number;
        let delta: RgaDelta;
        if (model.length > 0 && at < model.length && rng.int(0, 3) === 0) {
          const count = Math.min(model.length - at, rng.int(1, 4));
          delta = doc.delete(at, count);
          model = model.slice(0, at) + model.slice(at + count);
        } else {
          const text = "xyz".slice(0, rng.int(1, 4));
          delta = doc.insert(at, text);
          model = model.slice(0, at) + text + model.slice(at);
          cursor[w] = at + text.length;
        }
        const applied = (writers[1 - w] as Rga).applyDelta(delta);
        expect(applied.ok).toBe(true);
        if (step % 500 === 0 || step === 5_999) {
          expect(writers[0].toString(), `step ${step}`).toBe(model);
          expect(writers[1].toString(), `step ${step}`).toBe(model);
        }
      }
      expect(writers[0].runCount).toBeGreaterThan(1_000);
    });
  }
});
