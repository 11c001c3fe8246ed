// time-checked: Embassy's Duration/Instant constants and the checked (null instead of panic) variants of time arithmetic
import { Duration, Instant, Irq, Spawner, Timer, bindInterrupt, enableInterrupt, entry, println } from "../../assembly/index";

/** Swi0: the checked variants say null instead of panicking; the constants are Embassy's. */
function checked(line: i32): void {
  const d = Duration.MAX.checkedAdd(Duration.fromTicks(1));
  const m = Duration.fromTicks(1 << 33).checkedMul(1 << 31);
  const i = Instant.MAX.checkedAdd(Duration.fromTicks(1));
  const t = Timer.tryAfter(Duration.MAX);
  const s = Duration.fromTicks(5).checkedSub(Duration.fromTicks(6));
  const ok = Instant.fromTicks(5).checkedAdd(Duration.fromTicks(6));
  println(
    "checked " + (d === null ? "null" : "some") + " " + (m === null ? "null" : "some") + " " + (i === null ? "null" : "some") + " " +
      (t === null ? "null" : "some") + " " + (s === null ? "null" : "some") + " " + (ok === null ? "null" : ok.ticks.toString()) +
      " max " + Duration.MAX.ticks.toString() + " " + Instant.MAX.ticks.toString() + " min " + Duration.MIN.ticks.toString() +
      " " + Instant.MIN.ticks.toString() + " exact " + Duration.MAX.sub(Duration.fromTicks(1)).add(Duration.fromTicks(1)).ticks.toString(),
  );
}
/** Swi1: a Duration minus a longer one. */
function durationSub(line: i32): void {
  println("difference " + Duration.fromTicks(5).sub(Duration.fromTicks(6)).ticks.toString());
}

function main(spawner: Spawner): void {
  bindInterrupt(Irq.Swi0, checked);
  bindInterrupt(Irq.Swi1, durationSub);
  enableInterrupt(Irq.Swi0);
  enableInterrupt(Irq.Swi1);
}

entry(main);
export * from "../../assembly/boot";
