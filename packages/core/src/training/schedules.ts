/**
 * Learning-rate schedules as a multiplier on the optimizer's base learning rate at (0-based) step t.
 * The multiplier is a pure function of t, so a resumed run follows the same schedule.
 */
import type { LearningRateSchedule } from './config.js';

export function learningRateFactor(schedule: LearningRateSchedule, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'exponential':
      // rate^(t / everySteps), smooth rather than staircase.
      return schedule.rate ** (step / schedule.everySteps);
    case 'step': {
      const passed = schedule.boundaries.filter((b) => step >= b).length;
      return schedule.factor ** passed;
    }
    case 'cosine': {
      // SGDR's cosine annealing without restarts (Loshchilov & Hutter, 2017):
      // m + (1 − m)·½(1 + cos(π·min(t, T)/T)).
      const progress = Math.min(step, schedule.totalSteps) / schedule.totalSteps;
      return schedule.minFactor + (1 - schedule.minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case 'warmup':
      // (t + 1)/W so that the very first step already moves (a factor of 0 would waste it).
      return Math.min(1, (step + 1) / schedule.warmupSteps);
  }
}
