/**
 * Wakes the inbox workers of this process as soon as a webhook stored events, so an event does
 * not wait for the next poll. Workers in other processes poll (see `startInboxWorker`).
 */
class InboxSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }

  /** Resolves on the next `notify` or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}

export const inboxSignal = new InboxSignal();
