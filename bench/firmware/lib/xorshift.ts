// xorshift32: deterministic pseudo-random numbers from a fixed seed, so every benchmark run
// schedules the same durations.
export class Xorshift32 {
  constructor(private state: u32) {}

  next(): u32 {
    let x = this.state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.state = x;
    return x;
  }
}
