// @ts-check
// Per-client fairness: each client (by address) may have a bounded number of requests at the PACS at once and a
// bounded queue behind them; past the queue it is told to come back (429), so one client opening thousands of
// requests waits on itself instead of starving the others. A viewer fetching frames keeps ~6–16 in flight.

/**
 * @typedef {{ active: number, queue: Array<() => void> }} Slot
 */

export class ClientLimiter {
  /**
   * @param {{ concurrent: number, queued: number }} opts concurrent: requests at the PACS per client;
   *   queued: requests waiting per client before 429
   */
  constructor(opts) {
    this.concurrent = opts.concurrent;
    this.queued = opts.queued;
    /** @type {Map<string, Slot>} */
    this.clients = new Map();
  }

  /**
   * Waits for a turn for `client`; resolves with a release function, or null when the client's queue is full.
   * Release exactly once (when the answer has been relayed or failed).
   * @param {string} client
   * @returns {Promise<(() => void) | null>}
   */
  acquire(client) {
    let slot = this.clients.get(client);
    if (!slot) {
      slot = { active: 0, queue: [] };
      this.clients.set(client, slot);
    }
    const s = slot;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = s.queue.shift();
      if (next) next();
      else if (--s.active === 0) this.clients.delete(client);
    };
    if (s.active < this.concurrent) {
      s.active++;
      return Promise.resolve(release);
    }
    if (s.queue.length >= this.queued) return Promise.resolve(null);
    return new Promise((resolve) => s.queue.push(() => resolve(release)));
  }

  /** Clients with requests in flight or waiting (empty clients are forgotten). */
  get size() {
    return this.clients.size;
  }
}
