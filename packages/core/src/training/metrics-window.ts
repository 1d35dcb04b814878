/** What a window holds between two log lines, as JSON (checkpoints store it, so a resumed log matches). */
export interface MetricsWindowState {
  sums: Record<string, number>;
  counts: Record<string, number>;
}

/** Running means of named metrics, e.g. over a player's repeats or the steps between two log lines. */
export class MetricsWindow {
  private sums = new Map<string, number>();
  private counts = new Map<string, number>();

  static restore(state: MetricsWindowState): MetricsWindow {
    const window = new MetricsWindow();
    window.sums = new Map(Object.entries(state.sums));
    window.counts = new Map(Object.entries(state.counts));
    return window;
  }

  /** The sums and counts so far (JSON numbers round-trip float64 exactly). */
  state(): MetricsWindowState {
    return { sums: Object.fromEntries(this.sums), counts: Object.fromEntries(this.counts) };
  }

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
