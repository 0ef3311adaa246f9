import type { TextCrdt } from "../text-replica.js";
import { automerge } from "./automerge.js";
import { jsonJoy } from "./json-joy.js";
import { loro } from "./loro.js";
import { synod } from "./synod.js";
import { yjs } from "./yjs.js";

/**
 * The sequence CRDTs compared, synod first (the ratios are against it). Versions are pinned in
 * bench/package.json: json-joy 17.67.0 (18.x needs a package missing from the registry), Loro
 * (loro-crdt) 1.17.1, Yjs 13.6.33, Automerge (@automerge/automerge) 3.5.0.
 */
export const TEXT_CRDTS: readonly TextCrdt[] = [synod, jsonJoy, loro, yjs, automerge];

export { automerge, jsonJoy, loro, synod, yjs };
