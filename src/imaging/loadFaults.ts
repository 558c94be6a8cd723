import { describeLoadError } from './errors';

/**
 * Failures inside Cornerstone's load of one image that never reach that load's promise, turned into a rejection
 * of it, so the image's viewport shows them (and no page error escapes).
 *
 * Two kinds reach here:
 * - A metadata provider throws. The app's guard around the loader's provider (init.ts) catches it, answers "no
 *   such module" so Cornerstone's caller carries on, and fails the image's loads here with the reason.
 * - The loader's post-decode step (createImage) throws inside a `.then` callback whose rejection nothing
 *   observes: the load then never settles ("Loading" forever) and the error surfaces only as an unhandled
 *   rejection, which says nothing of its image. Such a step runs in the microtasks right after a frame's decode
 *   resolves, and a healthy one settles its load in those same microtasks; so an unclaimed rejection is laid on
 *   the loads whose frame has been decoded but which have not settled.
 */
export class LoadFaults {
  /** In-flight loads by image id: the functions that fail them. */
  private readonly loads = new Map<string, Set<(error: Error) => void>>();
  /** Loads whose frame has been decoded and which have not settled yet. */
  private readonly decoded = new Set<string>();
  /** The latest provider failure of each image id (bounded), for failures outside a load (e.g. setStack). */
  private readonly providerFaults = new Map<string, string>();

  /** `load`, which also rejects as soon as a fault is laid on `imageId` while it runs. */
  watch<T>(imageId: string, load: Promise<T>): Promise<T> {
    let fails = this.loads.get(imageId);
    if (!fails) this.loads.set(imageId, (fails = new Set()));
    const set = fails;
    let fail!: (error: Error) => void;
    const done = () => {
      set.delete(fail);
      if (set.size === 0) {
        this.loads.delete(imageId);
        this.decoded.delete(imageId);
      }
    };
    return new Promise<T>((resolve, reject) => {
      fail = reject;
      set.add(fail);
      load.then(resolve, reject);
    }).finally(done);
  }

  /** A frame of `imageId` has been decoded; its load now only has the loader's synchronous post-processing left. */
  frameDecoded(imageId: string): void {
    if (this.loads.has(imageId)) this.decoded.add(imageId);
  }

  /** A metadata provider threw while answering for `imageId`. */
  providerThrew(imageId: string, type: string, error: unknown): void {
    const reason = `the image's DICOM attributes could not be read (${type}: ${describeLoadError(error)})`;
    this.providerFaults.delete(imageId);
    this.providerFaults.set(imageId, reason);
    if (this.providerFaults.size > 500) this.providerFaults.delete(this.providerFaults.keys().next().value!);
    this.fail(imageId, new Error(reason));
  }

  /** Why a provider last failed for `imageId`, if it did. */
  providerFault(imageId: string): string | undefined {
    return this.providerFaults.get(imageId);
  }

  /**
   * An unhandled rejection no one claimed: fails the loads it must come from (decoded, not settled). True when
   * there were any, i.e. the rejection is now reported in their viewports.
   */
  unexplainedRejection(reason: unknown): boolean {
    if (this.decoded.size === 0) return false;
    const ids = [...this.decoded];
    this.decoded.clear();
    for (const id of ids) this.fail(id, new Error(`the image could not be prepared for display (${describeLoadError(reason)})`));
    return true;
  }

  private fail(imageId: string, error: Error): void {
    for (const fail of [...(this.loads.get(imageId) ?? [])]) fail(error);
  }
}

/** The app's one instance (init.ts feeds it; StackController asks it why a stack failed to set). */
export const loadFaults = new LoadFaults();
