/** Running means of named metrics, e.g. over a player's repeats or the steps between two log lines. */
export class MetricsWindow {
  private sums = new Map<string, number>();
  private counts = new Map<string, number>();

  add(metrics: Record<string, number>): void {
    for (const [name, value] of Object.entries(metrics)) {
      this.sums.set(name, (this.sums.get(name) ?? 0) + value);
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
  }

  /** The mean of each metric since the last call, and a fresh start. */
  takeMeans(): Record<string, number> {
    const means: Record<string, number> = {};
    for (const [name, sum] of this.sums) means[name] = sum / this.counts.get(name)!;
    this.sums = new Map();
    this.counts = new Map();
    return means;
  }
}
