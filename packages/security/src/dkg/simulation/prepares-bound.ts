import type { NodeId } from "@synod/core";
import { toHex } from "../../bytes.js";
import type { PreparedCertificate } from "../dkg-messages.js";
import type { DkgInvariant } from "./invariants.js";

/**
 * PreparesBound: a correct participant prepares a leader's proposal of view v > 0 only when it
 * carries the value its justification binds — when any of the Q view-changes holds a prepared
 * certificate, the digest of the highest one. That is what keeps a lock: a value Q members
 * prepared (and perhaps some decided) in an earlier view is the only one a later view may decide,
 * whatever the leader prefers. Watched on the wire: a proposal delivered to a correct member, and
 * the prepare it sends in answer (a proposal whose view-changes are not Q valid signatures is
 * refused, so a prepare answering it vouches for them and the highest certificate in it is the one
 * the member saw). A member that checks the signatures but not the value
 * (`dkg/justification-unchecked`) prepares a lying leader's own value over a lock (the `lie-locks`
 * strategy proposes one). Deliveries to a member the run made faulty (`view.faulty`) are left out.
 * @returns the invariant (no bookkeeping: each delivery is judged alone)
 */
export function preparesBound(): DkgInvariant {
  return {
    name: "PreparesBound",
    afterStep(id: NodeId, step, view, _given, _member, delivered, from) {
      if (delivered?.type !== "propose" || delivered.view === 0 || view.faulty?.has(id) === true) return undefined;
      let highest: PreparedCertificate | undefined;
      for (const { prepared } of delivered.justification) {
        if (prepared !== undefined && (highest === undefined || prepared.view > highest.view)) highest = prepared;
      }
      if (highest === undefined) return undefined;
      const bound = toHex(highest.digest);
      for (const { message } of step.send) {
        if (message.type !== "prepare" || message.view !== delivered.view || toHex(message.digest) === bound) continue;
        const what = `${toHex(message.digest).slice(0, 12)} on ${from ?? "?"}'s proposal of view ${delivered.view}`;
        return `${id} prepared ${what}, whose justification binds ${bound.slice(0, 12)} (prepared in view ${highest.view})`;
      }
      return undefined;
    },
  };
}
