/** Most messages buffered for a paused node; beyond it they are dropped (counted). */
export const MAX_PAUSE_BUFFER = 100_000;
