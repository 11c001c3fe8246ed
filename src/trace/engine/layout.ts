// Where the trace engine keeps what the host reads back: slot numbers of f64 values in its
// header and in each task's record. Plain numeric enums only: this file is compiled by both
// AssemblyScript (the engine, engine.ts) and TypeScript (its host side: host.ts, and the
// readers in ../log.ts and ../stats.ts).
//
// "None" values (a TaskStats field that is null, a timestamp not yet reached) are NaN.

// The staging area: what waits for the next `ingest`, in the order it happened (the host
// ingests when it is full and before anything reads the results). Entries are 32 bytes, like
// records:
//   a call marker   kind StagedKind.CallMarker: a call into the firmware began at tick
//                   `time` (+ `c` of a tick, scaled by the CPU clock); the `task` records it
//                   wrote follow, cycle-stamped; `a` more, older, were lost (its ring lapped);
//                   `b` = 1 if they continue records of the same call staged before (the
//                   firmware asked for a drain in the middle of it: a poll may be open)
//   a host record   kind | StagedKind.HostRecord: one of the host's own (WFI, faults), its
//                   time in ticks

/** Kinds of staged entries that are not plain firmware records (TraceEvent kinds are below 256). */
export enum StagedKind {
  /** A call marker (-1: 0xffffffff as a u32). */
  CallMarker = -1,
  /** Or'ed into the kind of the host's own records. */
  HostRecord = 0x40000000,
}

/** Staging entries beyond one call's worth (its marker and a full firmware ring): room for the host's records. */
export const STAGING_SPARE = 64;

/** f64 slots of the engine's header (at `header()`; pointers are byte addresses). */
export enum HeaderSlot {
  /** Records ever appended to the log (kept + dropped). */
  Count = 0,
  /** Records the firmware wrote that the host never saw (its ring lapped). */
  LostInFirmware = 1,
  /** The log's records, and how many of them are allocated (it grows once to its capacity). */
  LogBase = 2,
  LogAllocated = 3,
  /** The staging area (see above) and how many entries it holds. */
  Staging = 4,
  StagingCapacity = 21,
  /** The table of task records (indexed by task id). */
  Tasks = 5,
  /** Ids of the tasks whose records changed since the host last read them (u32s), and how many. */
  Dirty = 6,
  DirtyCount = 7,
  /** The hash's four lanes (u32 values). */
  Lane0 = 8,
  Lane1 = 9,
  Lane2 = 10,
  Lane3 = 11,
  // Chip-wide statistics (TraceStats' fields of the same names).
  Polls = 12,
  Wakes = 13,
  SpawnErrors = 14,
  LastPolled = 15,
  AsleepTicks = 16,
  Sleeps = 17,
  SleepingSince = 18,
  LostRecords = 19,
  Faults = 20,
  /** Interrupts taken, per line (NvicReg.Lines slots). */
  Interrupts = 32,
  /** Virtual ticks spent in each line's handler (NvicReg.Lines slots). */
  InterruptTicks = 64,
  /** When each line's handler last started (NvicReg.Lines slots; the engine's own). */
  IrqEnterAt = 96,
  Size = 128,
}

/** f64 slots of a task's record (TaskStats' fields of the same names, strings as string-table ids). */
export enum TaskSlot {
  /** A TaskOrigin: how the record was made (0: it was not). */
  Exists = 0,
  Executor = 1,
  /** A TaskStateCode. */
  State = 2,
  FutureState = 3,
  Name = 4,
  SpawnedAt = 5,
  EndedAt = 6,
  Polls = 7,
  PendingPolls = 8,
  Wakes = 9,
  SelfWakes = 10,
  CollapsedWakes = 11,
  BusyTicks = 12,
  ScheduledTicks = 13,
  IdleTicks = 14,
  FirstPollAt = 15,
  LastPollAt = 16,
  LastPollEndAt = 17,
  LastWakeAt = 18,
  WakerClones = 19,
  WakerDrops = 20,
  WakerRegistrations = 21,
  LastWakerCloneAt = 22,
  TimerDeadline = 23,
  /** The output's OutputKind (NaN: none yet) and its value (a number, or the string's id). */
  ResultKind = 24,
  ResultValue = 25,
  HistogramCount = 26,
  HistogramTotal = 27,
  HistogramMin = 28,
  HistogramMax = 29,
  /** The highest bucket used (-1: none). */
  HistogramTop = 30,
  LongestPollCycles = 31,
  LongestPollTicks = 32,
  LongestPollAt = 33,
  LongestPollState = 34,
  PendingWithoutWaker = 35,
  FirstPendingWithoutWakerAt = 36,
  FirstPendingWithoutWakerState = 37,
  UnreachableSince = 38,
  /** The stale-wake evidence (StaleAt NaN: none). */
  StaleAt = 39,
  StaleWokenTask = 40,
  StaleSource = 41,
  StaleSourceId = 42,
  // Kept for the engine's own bookkeeping (the host reads them for open intervals).
  /** When the task was last made ready (-1 once polled). */
  ReadyAt = 43,
  /** When its current poll began. */
  PollStartAt = 44,
  /** When it went idle (-1 while not idle). */
  IdleSince = 45,
  /** Record index at which it became unreachable / its waker was last taken (-1: none). */
  UnreachableSeq = 46,
  CloneSeq = 47,
  /** 1 while its id is in the dirty list. */
  Dirty = 48,
  /** Byte offset of the histogram's buckets (Buckets u32 counts) in the record. */
  BucketsOffset = 392,
  Buckets = 64,
  /** Bytes per record. */
  Size = 648,
}

/** TaskSlot.Exists values. */
export enum TaskOrigin {
  None = 0,
  /** Its TaskNew record made it. */
  Spawned = 1,
  /**
   * Its TaskNew record was lost (the firmware ring lapped): a later record of the task made
   * it, so the task is still listed; its name, spawn time and earlier counts are unknown.
   */
  SpawnLost = 2,
}

/** TaskSlot.State values. */
export enum TaskStateCode {
  Scheduled = 0,
  Running = 1,
  Idle = 2,
  Done = 3,
}
