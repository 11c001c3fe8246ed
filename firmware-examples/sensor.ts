// sensor: a sensor read completes when its interrupt fires; the interrupt wakes the task, which reads the value
//
// Every 100 ms the sampler starts an ADC conversion and sleeps; 50 µs later the
// conversion-complete interrupt wakes it (interrupt → wake → poll → value). It hands each
// reading to a reporter task through a Signal (last value wins), which prints it in
// millivolts and flags readings above a threshold.
import {
  Adc, AdcRead, Context, Duration, Future, Poll, Signal, SignalWait, Spawner, TaskPool, Ticker, TickerNext, Unit,
  entry, println,
} from "../assembly/index";

const READINGS = new Signal<i32>();
const ALARM_MV: i32 = 2500;

/**
 *   Start ──make the ticker──▶ Waiting ──tick: start a conversion──▶ Converting
 *   Converting ──ADC interrupt woke us: value──▶ signal it, Waiting
 */
enum SamplerState {
  Start,
  Waiting,
  Converting,
}

class Sampler extends Future<Unit> {
  state: SamplerState = SamplerState.Start;
  adc: Adc = new Adc();
  ticker: Ticker | null = null;
  tick: TickerNext | null = null;
  conversion: AdcRead | null = null;

  get stateName(): string {
    if (this.state == SamplerState.Start) return "Start";
    return this.state == SamplerState.Waiting ? "Waiting" : "Converting";
  }

  poll(cx: Context): Poll {
    while (true) {
      if (this.state == SamplerState.Start) {
        this.ticker = Ticker.every(Duration.fromMillis(100));
        this.tick = this.ticker!.next();
        this.state = SamplerState.Waiting;
      }
      if (this.state == SamplerState.Waiting) {
        if (this.tick!.poll(cx) == Poll.Pending) return Poll.Pending;
        this.conversion = this.adc.read(0);
        this.state = SamplerState.Converting;
      }
      if (this.conversion!.poll(cx) == Poll.Pending) return Poll.Pending;
      READINGS.signal(this.conversion!.output);
      this.tick = this.ticker!.next();
      this.state = SamplerState.Waiting;
    }
  }
}

/**   Waiting ──a reading is signaled: print it──▶ Waiting ... */
class Reporter extends Future<Unit> {
  wait: SignalWait<i32> = READINGS.wait();

  get stateName(): string {
    return "Waiting";
  }

  poll(cx: Context): Poll {
    while (this.wait.poll(cx) == Poll.Ready) {
      const raw = this.wait.output;
      const mv = Adc.toMillivolts(raw);
      println("sensor: " + raw.toString() + " = " + mv.toString() + " mV" + (mv > ALARM_MV ? "  (above " + ALARM_MV.toString() + " mV!)" : ""));
      this.wait = READINGS.wait();
    }
    return Poll.Pending;
  }
}

const SAMPLER = new TaskPool("sampler", 1);
const REPORTER = new TaskPool("reporter", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(REPORTER, new Reporter());
  spawner.mustSpawn<Unit>(SAMPLER, new Sampler());
}

entry(main);
export * from "../assembly/boot";
