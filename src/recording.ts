// Record and replay (Renode's RecordTo/PlayFrom, for futures): a recording is the chip's
// configuration, every stimulus with the point of the run where it was applied, and where
// the run ended with its trace hash. Replaying loads the same firmware onto a fresh chip,
// applies each stimulus at the same point and runs to the same end; the simulator being
// deterministic, the trace hash must come out identical — which the replay checks.
//
// Rewind uses the same machinery: a fresh chip, the stimuli applied up to then, and a run
// to the earlier time. (The firmware's globals live in WebAssembly globals the host cannot
// write, so a true memory snapshot cannot be restored; re-execution is exact and fast.)
import { Mcu, type McuOptions, type RecordedStimulus, type RunPosition } from "./mcu.js";
import { compileFirmware, type FirmwareSource } from "./firmware.js";
import { DespertadorError } from "./errors.js";
import type { AdcSample } from "./chip/peripherals/adc.js";

export interface Recording {
  format: "despertador-recording";
  version: 1;
  /** Where the firmware came from (a path or URL, for `despertador replay`). */
  firmware: string;
  options: McuOptions;
  stimuli: RecordedStimulus[];
  /** Samples of ADC channels that read a function of time (functions cannot be saved; their values can). */
  sensorSamples: AdcSample[];
  /** Where the run ended, and its trace hash there. */
  end: RunPosition & { hash: string };
}

/** The recording cannot be replayed faithfully, or the replay diverged. */
export class ReplayError extends DespertadorError {
  constructor(message: string) {
    super(message, "replay");
  }
}

/** Everything needed to reproduce `mcu`'s run so far. */
export function recordRun(mcu: Mcu, firmware: string = mcu.label): Recording {
  if (mcu.unrecordedCallbacks > 0) {
    throw new ReplayError(
      `this run used ${mcu.unrecordedCallbacks} callback(s) scheduled with at(): code cannot be recorded; use stimuli (mcu.stimulate, mcu.pin(n), mcu.uart, mcu.sensor) for a replayable run`,
    );
  }
  const channels = mcu.sensorFunctionChannels;
  return {
    format: "despertador-recording",
    version: 1,
    firmware,
    options: mcu.options as McuOptions,
    stimuli: mcu.stimuli.map((s) => structuredClone(s)),
    sensorSamples: mcu.sensor.samples.filter((s) => channels.has(s.channel)).map((s) => ({ ...s })),
    end: { ...mcu.position, hash: mcu.trace.hash },
  };
}

export function parseRecording(json: string): Recording {
  let rec: Recording;
  try {
    rec = JSON.parse(json) as Recording;
  } catch (e) {
    throw new ReplayError(`the recording is not JSON: ${(e as Error).message}`);
  }
  if (rec?.format !== "despertador-recording" || rec.version !== 1 || !Array.isArray(rec.stimuli) || !rec.end) {
    throw new ReplayError('not a Despertador recording (expected { "format": "despertador-recording", "version": 1, ... })');
  }
  return rec;
}

/** A fresh chip running `module` with the recording's configuration and sensor samples. */
function freshChip(module: WebAssembly.Module, rec: Recording, label: string): Mcu {
  const mcu = new Mcu(module, rec.options, label);
  const byChannel = new Map<number, Map<number, number>>();
  for (const s of rec.sensorSamples) {
    if (!byChannel.has(s.channel)) byChannel.set(s.channel, new Map());
    byChannel.get(s.channel)!.set(s.time, s.value);
  }
  for (const [channel, samples] of byChannel) {
    mcu.setSensorFunction(channel, (time) => {
      const v = samples.get(time);
      if (v === undefined) throw new ReplayError(`the replay read ADC channel ${channel} at ${time} µs, which the recording never did: it diverged`);
      return v;
    });
  }
  return mcu;
}

/** Apply each recorded stimulus applied no later than `until`, at the point of the run where it was. */
function applyStimuli(mcu: Mcu, rec: Recording, until: number): void {
  for (const s of rec.stimuli) {
    if (s.appliedAt.time > until) break;
    mcu.advanceTo(s.appliedAt);
    mcu.stimulate(s.stimulus);
  }
}

/** Replay `rec` on `module`: the new chip ends where the recorded one did. Throws ReplayError if the trace differs. */
export function replayOn(module: WebAssembly.Module, rec: Recording, label = rec.firmware): Mcu {
  const mcu = freshChip(module, rec, label);
  applyStimuli(mcu, rec, rec.end.time);
  mcu.advanceTo(rec.end);
  if (mcu.trace.hash !== rec.end.hash) {
    throw new ReplayError(
      `the replay diverged: trace hash ${mcu.trace.hash} at ${JSON.stringify(mcu.position)}, recorded ${rec.end.hash} at ${JSON.stringify(rec.end)} (is it the same firmware?)`,
    );
  }
  return mcu;
}

/** Replay a recording, loading its firmware from `firmware` (default: where it was recorded from). */
export async function replay(rec: Recording, firmware: FirmwareSource = rec.firmware): Promise<Mcu> {
  const { module, label } = await compileFirmware(firmware);
  return replayOn(module, rec, label);
}

/**
 * The same chip as it was at virtual time `time` (earlier than now): a fresh chip with the
 * stimuli applied up to then, run to that time. The original chip is left as it is.
 */
export function rewind(mcu: Mcu, time: number): Mcu {
  if (!(time >= 0) || time > mcu.now) throw new ReplayError(`cannot rewind to ${time} µs: choose a time from 0 to now (${mcu.now} µs)`);
  const rec = recordRun(mcu);
  const chip = freshChip(mcu.module, rec, mcu.label);
  applyStimuli(chip, rec, time);
  if (time > chip.now) chip.runFor(time - chip.now);
  return chip;
}
