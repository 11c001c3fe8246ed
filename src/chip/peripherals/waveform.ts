// A signal's history: (time, level) changes, bounded so a year-long run stays flat in
// memory. Edge counts are kept exactly even when old changes are dropped.

export type Level = 0 | 1;
export type Change = readonly [time: number, level: Level];

export class Waveform {
  private changes: Change[] = [];
  /** Changes dropped from the front to stay within `limit`. */
  dropped = 0;
  rising = 0;
  falling = 0;

  constructor(
    initial: Level,
    private readonly limit = 100_000,
  ) {
    this.changes.push([0, initial]);
  }

  get level(): Level {
    return this.changes[this.changes.length - 1][1];
  }

  record(time: number, level: Level): void {
    if (level === this.level) return;
    if (level === 1) this.rising++;
    else this.falling++;
    this.changes.push([time, level]);
    if (this.changes.length > this.limit) {
      const cut = this.changes.length - Math.floor(this.limit / 2);
      this.changes = this.changes.slice(cut);
      this.dropped += cut;
    }
  }

  /** The kept changes, oldest first (the first is the level at reset, or the oldest kept). */
  toArray(): Change[] {
    return this.changes.slice();
  }
}
