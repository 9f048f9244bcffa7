/** The core's scheduler and logger ports as tests need them: they keep what they are given. */
import type { Logger, ScheduledJob, Scheduler } from '../../core/ports.js';

/** The core's scheduler port, recording each job it is asked to schedule (the real pg-boss queue is tested elsewhere). */
export class RecordingScheduler implements Scheduler {
  readonly jobs: ScheduledJob[] = [];
  failing = false;
  private readonly ran = new Set<string>();

  async schedule(job: ScheduledJob): Promise<void> {
    if (this.failing) throw new Error('test: job queue unavailable');
    this.jobs.push(job);
  }

  /** Jobs due at `now` that have not run yet, each handed out once (as the queue runs a key once). */
  takeDue(now: Date): ScheduledJob[] {
    const due = this.jobs.filter((job) => job.runAt.getTime() <= now.getTime() && !this.ran.has(job.key));
    for (const job of due) this.ran.add(job.key);
    return due;
  }
}

/** A logger that keeps warnings and errors so tests can see what went wrong. */
export class RecordingLogger implements Logger {
  readonly entries: { level: 'warn' | 'error'; msg?: string; obj: object }[] = [];
  debug(): void {}
  info(): void {}
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', msg, obj });
  }
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', msg, obj });
  }
}
