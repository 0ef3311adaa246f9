import type { RuntimeMetrics } from "@synod/runtime";

/** What a backend needs of its runtime node (any protocol's `RuntimeNode`). */
interface RuntimeHandle {
  readonly metrics: RuntimeMetrics;
  inspect(): Readonly<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * The part every {@link KvBackend} shares: the runtime node it drives, set once started, and the
 * metrics, health and stop that pass straight through to it.
 */
export abstract class RuntimeKvBackend<R extends RuntimeHandle> {
  protected runtime: R | undefined;

  get metrics(): RuntimeMetrics {
    return (this.runtime as R).metrics;
  }

  inspect(): Readonly<Record<string, unknown>> {
    return (this.runtime as R).inspect();
  }

  async stop(): Promise<void> {
    await this.runtime?.stop();
  }
}
