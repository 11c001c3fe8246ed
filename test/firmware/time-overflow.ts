// time-overflow: each interrupt line runs one Duration/Instant/Timer computation that overflows u64 (it must panic, never wrap into the past)
import {
  Duration, Instant, Irq, Spawner, Ticker, Timer, bindInterrupt, blockFor, enableInterrupt, entry, nowTicks, println, withTimeout, yieldNow,
} from "../../assembly/index";

const MAX: u64 = u64.MAX_VALUE;
/** Embassy's Duration::MAX (written without the constant, so this firmware builds on an SDK that lacks it). */
const LONGEST = Duration.fromTicks(MAX);

/** Alarm1: Timer.after(LONGEST) (in Embassy: "overflow when adding duration to instant"). */
function timerAfterMax(line: i32): void {
  const t = Timer.after(LONGEST);
  println("deadline " + t.deadline.toString() + " now " + nowTicks().toString());
}
/** Alarm2: an Instant near the end of u64 plus a Duration. */
function instantAdd(line: i32): void {
  const i = Instant.fromTicks(MAX - 5).add(Duration.fromTicks(10));
  println("instant " + i.ticks.toString());
}
/** Alarm3: milliseconds that do not fit in u64 ticks. */
function fromMillis(line: i32): void {
  println("millis " + Duration.fromMillis(MAX / 1_000 + 1).ticks.toString());
}
/** Gpio: seconds that do not fit in u64 ticks. */
function fromSecs(line: i32): void {
  println("secs " + Duration.fromSecs(MAX / 1_000_000 + 1).ticks.toString());
}
/** UartRx: Duration.MAX plus a tick. */
function durationAdd(line: i32): void {
  println("sum " + LONGEST.add(Duration.fromTicks(1)).ticks.toString());
}
/** UartTx: 2^33 ticks times 2^31. */
function durationMul(line: i32): void {
  println("product " + Duration.fromTicks(1 << 33).mul(1 << 31).ticks.toString());
}
/** Adc: a Ticker whose first tick would be past the end of u64. */
function tickerMax(line: i32): void {
  println("ticker " + Ticker.every(LONGEST).nextAt.toString());
}
/** Swi0: withTimeout(…, LONGEST). */
function timeoutMax(line: i32): void {
  const w = withTimeout(yieldNow(), LONGEST);
  println("timeout " + (w.timedOut ? "timed out" : "running"));
}
/** Swi1: Timer.afterSecs with seconds past u64 ticks. */
function afterSecs(line: i32): void {
  println("after " + Timer.afterSecs(MAX / 1_000_000 + 1).deadline.toString());
}
/** Swi2: busy-wait for LONGEST (its cycles would pass u64). */
function blockForMax(line: i32): void {
  blockFor(LONGEST);
  println("blocked");
}
function main(spawner: Spawner): void {
  bindInterrupt(Irq.Alarm1, timerAfterMax);
  bindInterrupt(Irq.Alarm2, instantAdd);
  bindInterrupt(Irq.Alarm3, fromMillis);
  bindInterrupt(Irq.Gpio, fromSecs);
  bindInterrupt(Irq.UartRx, durationAdd);
  bindInterrupt(Irq.UartTx, durationMul);
  bindInterrupt(Irq.Adc, tickerMax);
  bindInterrupt(Irq.Swi0, timeoutMax);
  bindInterrupt(Irq.Swi1, afterSecs);
  bindInterrupt(Irq.Swi2, blockForMax);
  for (let line = 1; line <= <i32>Irq.Swi2; line++) enableInterrupt(line);
}

entry(main);
export * from "../../assembly/boot";
