import type { ScheduledJob, Scheduler } from '../../core/ports.js';
import type { OffsetClock } from './offset-clock.js';

/**
 * The playground's scheduler: jobs go to the durable queue as usual, and are also remembered so that `/skip`
 * can run the ones its moved clock has made due (the queue itself waits for real time). Job handlers are
 * idempotent, so the queue running a job again later changes nothing.
 */
export class TimeTravelScheduler implements Scheduler {
  private readonly pending: ScheduledJob[] = [];
  private readonly ran = new Set<string>();

  constructor(
    private readonly inner: Scheduler,
    private readonly clock: OffsetClock,
  ) {}

  async schedule(job: ScheduledJob): Promise<void> {
    if (!this.ran.has(`${job.name}:${job.key}`)) this.pending.push(job);
    await this.inner.schedule(job);
  }

  async scheduleMany(jobs: readonly ScheduledJob[]): Promise<void> {
    for (const job of jobs) if (!this.ran.has(`${job.name}:${job.key}`)) this.pending.push(job);
    if (this.inner.scheduleMany) await this.inner.scheduleMany(jobs);
    else for (const job of jobs) await this.inner.schedule(job);
  }

  /** Runs every remembered job due by the playground's clock, in time order, including jobs they schedule. */
  async runDue(run: (name: string, data: Record<string, unknown>) => Promise<void>): Promise<number> {
    let count = 0;
    for (;;) {
      const now = this.clock.now().getTime();
      const due = this.pending.filter((job) => job.runAt.getTime() <= now).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
      if (due.length === 0) return count;
      for (const job of due) {
        this.pending.splice(this.pending.indexOf(job), 1);
        const id = `${job.name}:${job.key}`;
        if (this.ran.has(id)) continue;
        this.ran.add(id);
        await run(job.name, job.data);
        count++;
      }
    }
  }
}
