// The classic embedded examples, driven from tests in virtual time: waveforms, bytes, timings.
import { describe, expect, it } from "vitest";
import { loadExample } from "../src/examples.js";
import { StimulusError, WaitTimeoutError } from "../src/errors.js";
import { parseStimulusScript, stimulusScript } from "../src/stimulus.js";
import { TraceEvent, WakeSource } from "../abi/trace-events.js";
import { Irq } from "../abi/memory-map.js";
import { loadTestFirmware } from "./helpers.js";

const ms = (t: number) => t / 1000;

describe("the interrupt controller", () => {
  it("takes a level-triggered line again at once while its handler leaves it asserted, before thread mode polls", async () => {
    const mcu = await loadTestFirmware("level-stuck");
    mcu.runUntilIdle();
    expect(mcu.nvic.taken[Irq.Alarm1]).toBe(3);
    const kinds = mcu.trace
      .records()
      .filter((r) => r.time >= 1000)
      .map((r) => r.kind);
    const handler = [TraceEvent.IrqEnter, TraceEvent.TaskReady, TraceEvent.IrqExit];
    // Woken by the first entry, the task is polled only after the third.
    expect(kinds.slice(0, 10)).toEqual([TraceEvent.WfiExit, ...handler, ...handler, ...handler]);
    const poll = kinds.indexOf(TraceEvent.TaskExecBegin);
    expect(poll).toBeGreaterThan(kinds.lastIndexOf(TraceEvent.IrqExit));
    expect(mcu.task("waiter")!.state).toBe("done");
  });
});

describe("blinky", () => {
  it("toggles the LED every 500 ms exactly, asleep in between", async () => {
    const mcu = await loadExample("blinky");
    mcu.runFor("2.1s");
    expect(mcu.pin(13).waveform()).toEqual([
      [0, 0],
      [500_000, 1],
      [1_000_000, 0],
      [1_500_000, 1],
      [2_000_000, 0],
    ]);
    expect(mcu.pin(13).isOutput).toBe(true);
    expect(mcu.totalAsleepTicks / mcu.now).toBeGreaterThan(0.9999);
    expect(mcu.task("blink")!.polls).toBe(5);
  });
});

describe("button", () => {
  it("debounces a bouncing press into one toggle, 20 ms after the first edge, with one interrupt per press", async () => {
    const mcu = await loadExample("button");
    const bounce = { count: 3, every: "200us" };
    mcu.pin(2).press({ at: "12ms", hold: "100ms", bounce });
    mcu.pin(2).press({ at: "300ms", hold: "100ms", bounce });
    mcu.runFor("1s");
    expect(mcu.console.lines.map((l) => [ms(l.time), l.text])).toEqual([
      [32, "press #1: LED on"],
      [320, "press #2: LED off"],
    ]);
    expect(mcu.pin(13).waveform()).toEqual([
      [0, 0],
      [32_000, 1],
      [320_000, 0],
    ]);
    // The input bounced 3 times at each contact change...
    expect(mcu.pin(2).waveform().slice(0, 8)).toEqual([
      [0, 0],
      [12_000, 1],
      [12_200, 0],
      [12_400, 1],
      [12_600, 0],
      [12_800, 1],
      [13_000, 0],
      [13_200, 1],
    ]);
    // 4 rising edges per press (contact, 3 bounces) and 3 per release (bounces): 14.
    expect(mcu.pin(2).risingEdges).toBe(14);
    // ...but the pin is masked after its first edge: one GPIO interrupt per press and per release.
    expect(mcu.stats.interrupts[Irq.Gpio]).toBe(4);
    const wakes = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskReady && r.a === WakeSource.Interrupt);
    expect(wakes.map((w) => [w.b, w.time])).toEqual([
      [Irq.Gpio, 12_000],
      [Irq.Gpio, 112_000],
      [Irq.Gpio, 300_000],
      [Irq.Gpio, 400_000],
    ]);
  });

  it("ignores a glitch shorter than the debounce, and reports 5 s without a press (select's timeout)", async () => {
    const mcu = await loadExample("button");
    mcu.pin(2).pulse({ at: "600ms", width: "1ms" });
    mcu.runFor("6s");
    expect(mcu.console.lines.map((l) => [ms(l.time), l.text])).toEqual([
      [620, "edge without a press: bounce or noise, ignored"],
      [5620, "no press for 5 s"],
    ]);
    expect(mcu.pin(13).waveform()).toEqual([[0, 0]]);
  });

  it("masks the button's pin again when the timeout wins the race (the cancelled wait)", async () => {
    const mcu = await loadExample("button");
    mcu.runFor("5001ms");
    expect(mcu.console.lines.map((l) => l.text)).toEqual(["no press for 5 s"]);
    // After "no press", a new race is armed: mask set; right after the timeout won it was cleared.
    expect((mcu.gpio.mask >>> 2) & 1).toBe(1);
    mcu.pin(2).set(1);
    mcu.runFor("30ms");
    expect(mcu.console.lines.at(-1)!.text).toBe("press #1: LED on");
  });
});

describe("uart-echo", () => {
  it("echoes typed characters, erases on backspace, and answers the line", async () => {
    const mcu = await loadExample("uart-echo");
    mcu.uart.write("hellp\x7fo\r", { at: "10ms" });
    const line = mcu.uart.waitForLine("you said:");
    expect(line.text).toBe("you said: hello");
    expect(mcu.uart.text).toBe("> hellp\b \bo\r\nyou said: hello\r\n");
    // 115 200 baud: a frame is 87 µs; the 8 input bytes take 696 µs, the answer 30 frames more.
    expect(line.time).toBe(13_221);
    expect(mcu.uart.sent[0]).toEqual({ time: 88, byte: 0x3e });
  });

  it("times out in virtual time with the lines it saw instead", async () => {
    const mcu = await loadExample("uart-echo");
    mcu.uart.write("nope\r");
    const err = (() => {
      try {
        mcu.uart.waitForLine("never said", { timeout: "50ms" });
      } catch (e) {
        return e as WaitTimeoutError;
      }
    })();
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err!.message).toMatch(/waited 50\.000 ms of virtual time for a UART line matching "never said".*"you said: nope"/);
    expect(mcu.now).toBe(50_000);
  });

  it("waits for exact bytes", async () => {
    const mcu = await loadExample("uart-echo");
    const prompt = mcu.uart.waitForBytes("> ");
    expect(prompt.map((b) => b.time)).toEqual([88, 175]);
    mcu.uart.write([0x41]);
    expect(mcu.uart.waitForBytes(1)[0].byte).toBe(0x41);
  });
});

describe("UART overrun", () => {
  it("is reported to the firmware as an error and counted, never a host crash", async () => {
    const mcu = await loadTestFirmware("uart-slow-reader");
    mcu.uart.write("x".repeat(200), { at: "1ms" });
    const result = mcu.runFor("100ms");
    expect(result.reason).toBe("time-limit");
    expect(mcu.uart.overruns).toBeGreaterThan(100);
    const first = mcu.console.lines[0];
    expect(first.text).toMatch(/^overrun after \d+ bytes; lost so far: \d+$/);
    expect(mcu.fault).toBeNull();
  });
});

describe("UART line timing", () => {
  // 40 bytes at 115 200 baud are 40 frames of 87 µs: on the wire from 1 ms to 4.48 ms,
  // whatever the CPU is doing meanwhile (the line does not wait for the firmware).
  const text = "the quick brown fox jumps over the lazy\r";
  const rxInterrupts = (mcu: Awaited<ReturnType<typeof loadExample>>) =>
    mcu.trace.records().filter((r) => r.kind === TraceEvent.IrqEnter && r.a === Irq.UartRx).map((r) => r.time);

  it("keeps the baud rate while the CPU is slow: the last byte lands on time, and a FIFO nobody reads overruns", async () => {
    const quick = await loadExample("uart-echo", { cpuHz: 1_000_000 });
    quick.uart.write(text, { at: "1ms" });
    quick.runFor("200ms");
    expect(rxInterrupts(quick).at(-1)).toBe(1_000 + text.length * 87 + 87); // the idle-line interrupt, one frame after the last byte
    expect(quick.uart.overruns).toBe(0);

    // 3 ms per poll: the firmware empties the 16-byte FIFO far too rarely. The bytes still
    // arrive at the line's rate (they used to wait for the busy CPU, and none was lost).
    const slow = await loadExample("uart-echo", { cpuHz: 1_000_000, cyclesPerPoll: 3_000 });
    slow.uart.write(text, { at: "1ms" });
    slow.runFor("200ms");
    expect(slow.uart.overruns).toBeGreaterThan(0);
    expect(rxInterrupts(slow).at(-1)!).toBeLessThan(1_000 + (text.length + 1) * 87 + 3_100);
  });

  it("sends at the baud rate whatever the CPU does: frames back to back, timed from the previous one", async () => {
    const slow = await loadExample("uart-echo", { cpuHz: 1_000_000, cyclesPerPoll: 3_000 });
    slow.runFor("50ms");
    // The prompt ("> ") goes into the TX FIFO at 3 ms (when its 3 ms poll has run): its
    // frames end 87 µs and 174 µs later, though the host only gets to the first frame's
    // event after the next poll, at 6 ms (the old UART timed the frames from there).
    expect(slow.uart.sent.map((b) => b.time)).toEqual([3_087, 3_174]);
  });
});

describe("sensor", () => {
  it("reads scripted values through the ADC interrupt, every 100 ms", async () => {
    const mcu = await loadExample("sensor");
    mcu.sensor.script([1000, 2000, 3500]);
    mcu.runFor("350ms");
    expect(mcu.console.lines.map((l) => [ms(l.time), l.text])).toEqual([
      [100.053, "sensor: 1000 = 805 mV"],
      [200.053, "sensor: 2000 = 1611 mV"],
      [300.053, "sensor: 3500 = 2820 mV  (above 2500 mV!)"],
    ]);
    // Each reading: the ADC interrupt woke the sampler.
    const adcWakes = mcu.trace.records().filter((r) => r.kind === TraceEvent.TaskReady && r.a === WakeSource.Interrupt && r.b === Irq.Adc);
    // The conversion starts in the poll after the tick (~1 µs) and takes 50 µs.
    expect(adcWakes.map((r) => r.time)).toEqual([100_051, 200_051, 300_051]);
    expect(mcu.sensor.samples.map((s) => s.value)).toEqual([1000, 2000, 3500]);
  });

  it("reads a function of virtual time", async () => {
    const mcu = await loadExample("sensor");
    mcu.sensor.source((t) => t / 100);
    mcu.runFor("250ms");
    expect(mcu.console.lines.map((l) => l.text)).toEqual(["sensor: 1000 = 805 mV", "sensor: 2000 = 1611 mV"]);
  });
});

describe("priorities", () => {
  it("keeps the interrupt executor's latency flat while thread mode's grows with the load", async () => {
    const mcu = await loadExample("priorities");
    mcu.runFor("1.01s");
    const latency = (label: string) =>
      mcu.console.lines.filter((l) => l.text.startsWith(label)).map((l) => Number(/max latency (\d+) us/.exec(l.text)![1]));
    const urgent = latency("urgent");
    const normal = latency("normal");
    expect(urgent).toHaveLength(2);
    expect(normal).toHaveLength(2);
    // Urgent: at most one 200 µs worker poll late, under 2 or 8 workers alike.
    for (const l of urgent) expect(l).toBeLessThanOrEqual(210);
    expect(Math.abs(urgent[1] - urgent[0])).toBeLessThanOrEqual(10);
    // Thread mode: behind the whole batch of workers, so four times the workers ≈ three times the latency.
    expect(normal[0]).toBeGreaterThan(2 * urgent[0]);
    expect(normal[1]).toBeGreaterThan(2.5 * normal[0]);
    // The urgent task ran on executor 1 (the interrupt executor), polled from SWI1's handler.
    expect(mcu.task("urgent-probe")!.executor).toBe(1);
    expect(mcu.stats.interrupts[Irq.Swi1]).toBeGreaterThanOrEqual(100);
  });
});

describe("stimuli", () => {
  it("reject bad pins, driving an output, bytes outside 0–255, times in the past and NaN, and schedule nothing", async () => {
    const mcu = await loadExample("button");
    mcu.runFor("10ms");
    const before = mcu.timeline.size;
    expect(() => mcu.pin(32)).toThrow(StimulusError);
    expect(() => mcu.pin(-1)).toThrow(/pin -1 does not exist \(pins 0..31\)/);
    expect(() => mcu.stimulate({ pin: 40, set: 1 })).toThrow(/pin 40 does not exist/);
    expect(() => mcu.pin(13).set(1)).toThrow(/pin 13 is an output: the firmware drives it/);
    expect(() => mcu.uart.write([65, 256])).toThrow(/byte 256 is outside 0–255/);
    expect(() => mcu.uart.write([-1])).toThrow(StimulusError);
    expect(() => mcu.pin(2).press({ at: "5ms" })).toThrow(/is in the past/);
    expect(() => mcu.pin(2).press({ at: Number.NaN })).toThrow(/is NaN/);
    expect(() => mcu.pin(2).pulse({ width: "-1ms" })).toThrow(/is negative/);
    expect(() => mcu.pin(2).set(2 as 1)).toThrow(/level 2 is not 0, 1/);
    expect(() => mcu.sensor.script([5000])).toThrow(/ADC value 5000 is outside 0–4095/);
    expect(() => mcu.sensor.script([1], { channel: 9 })).toThrow(/ADC channel 9 does not exist/);
    expect(() => mcu.stimulate({ at: "1s", irq: 99 })).toThrow(/interrupt line 99 does not exist/);
    expect(() => mcu.pin(2).press({ hold: "1ms", bounce: { count: 10, every: "1ms" } })).toThrow(/not longer than its bounce/);
    expect(mcu.timeline.size).toBe(before);
    expect(mcu.stimuli).toHaveLength(0);
    // Still usable.
    mcu.pin(2).press({ at: "20ms" });
    mcu.runFor("100ms");
    expect(mcu.console.lines.map((l) => l.text)).toEqual(["press #1: LED on"]);
  });

  it("are recorded as a script that can be saved as JSON, loaded and replayed to the same trace", async () => {
    const original = await loadExample("button");
    original.pin(2).press({ at: "12ms", hold: "80ms", bounce: { count: 2, every: "300us" } });
    original.pin(2).pulse({ at: "400ms", width: "2ms" });
    original.runFor("600ms");
    original.pin(2).press({ at: "700ms" });
    original.runFor("1s");

    const json = JSON.stringify(stimulusScript(original.stimuli.map((s) => s.stimulus)));
    const replay = await loadExample("button");
    replay.applyScript(parseStimulusScript(json));
    replay.runFor("1.6s");
    expect(replay.trace.hash).toBe(original.trace.hash);
    expect(replay.pin(13).waveform()).toEqual(original.pin(13).waveform());
    expect(replay.console.lines).toEqual(original.console.lines);
  });

  it("rejects a script that is not one", () => {
    expect(() => parseStimulusScript("{")).toThrow(/not JSON/);
    expect(() => parseStimulusScript('{"stimuli": []}')).toThrow(/"format": "despertador-stimuli"/);
  });

  it("skip, with a warning, an action on a pin the firmware made an output after it was scheduled", async () => {
    const mcu = await loadExample("button");
    mcu.pin(20).set(1, { at: "5ms" });
    mcu.gpio.write(0x00 /* DIR */, mcu.gpio.dir | (1 << 20)); // as the firmware would
    mcu.runFor("10ms");
    expect(mcu.warnings).toEqual(["5.000 ms: pin 20 became an output before a test could drive it; the stimulus was skipped"]);
    expect(mcu.fault).toBeNull();
  });
});

describe("interrupt levels", () => {
  // Every peripheral pushes its lines' levels to the interrupt controller (Nvic.setLevel);
  // the controller re-pends a line still asserted at its exception return. The pushed levels
  // must be what the peripherals' own state says, at every step.
  it("match each peripheral's state after every step of examples that use them all", async () => {
    const uartEcho = await loadExample("uart-echo");
    uartEcho.uart.write("hello\rworld\r", { at: "1ms" });
    const button = await loadExample("button");
    button.pin(2).press({ at: "12ms", hold: "30ms", bounce: { count: 3, every: "200us" } });
    const sensor = await loadExample("sensor");
    sensor.sensor.script([1000, 2000, 3000]);
    for (const mcu of [uartEcho, button, sensor]) {
      const levels = () => {
        const expected =
          mcu.timer.channels.reduce((bits, ch, n) => bits | (ch.fired ? 1 << (Irq.Alarm0 + n) : 0), 0) |
          (mcu.gpio.irqAsserted ? 1 << Irq.Gpio : 0) |
          (mcu.uart.device.rxAsserted ? 1 << Irq.UartRx : 0) |
          (mcu.uart.device.txAsserted ? 1 << Irq.UartTx : 0) |
          (mcu.sensor.device.irqAsserted ? 1 << Irq.Adc : 0);
        return [mcu.nvic.asserted >>> 0, expected >>> 0];
      };
      let steps = 0;
      let changes = 0;
      let last = -1;
      for (; steps < 3000 && mcu.now < 400_000; steps++) {
        mcu.step();
        const [pushed, expected] = levels();
        expect(pushed, `${mcu.label} after step ${steps} at ${mcu.now}`).toBe(expected);
        if (pushed !== last) changes++;
        last = pushed;
      }
      expect(changes).toBeGreaterThan(1); // the levels did move
    }
  });
});
