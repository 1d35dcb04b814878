/** Checking a model's training plan before running it: known players, a valid schedule, unique names. */
import type { Player, ScheduleEntry, TrainingPlan } from '../contracts/training.js';
import { ConfigError } from '../errors.js';

export interface ResolvedPlan {
  players: Map<string, Player>;
  schedule: ScheduleEntry[];
  /** Batches one step consumes: each repeat of each schedule entry takes one. */
  batchesPerStep: number;
}

export function resolvePlan(plan: TrainingPlan, modelName: string): ResolvedPlan {
  if (plan.players.length === 0)
    throw new ConfigError(`model "${modelName}": the training plan has no players`);
  const players = new Map<string, Player>();
  for (const player of plan.players) {
    if (players.has(player.name)) {
      throw new ConfigError(`model "${modelName}": two players are named "${player.name}"`);
    }
    players.set(player.name, player);
  }
  const schedule = plan.schedule ?? plan.players.map((p) => ({ player: p.name, repeat: 1 }));
  if (schedule.length === 0) throw new ConfigError(`model "${modelName}": the training schedule is empty`);
  for (const entry of schedule) {
    if (!players.has(entry.player)) {
      throw new ConfigError(
        `model "${modelName}": the schedule names player "${entry.player}"; players are ${[...players.keys()].join(', ')}`,
      );
    }
    if (!Number.isInteger(entry.repeat) || entry.repeat < 1) {
      throw new ConfigError(
        `model "${modelName}": schedule entry for "${entry.player}" has repeat ${entry.repeat}, expected a positive integer`,
      );
    }
  }
  const batchesPerStep = schedule.reduce((sum, e) => sum + e.repeat, 0);
  return { players, schedule: schedule.map((e) => ({ ...e })), batchesPerStep };
}
