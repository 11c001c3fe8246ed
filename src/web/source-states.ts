// Where each state of a task's future is in the firmware source, so the page can highlight
// the line the state machine is at. The trace names the root future's state at every poll
// (its `stateName`); the examples write their futures as classes with a state enum:
//
//   const SLEEPER = new TaskPool("sleeper", 1);          pool name → pool constant
//   spawner.mustSpawn<Unit>(SLEEPER, new Sleeper());     pool constant → future class
//   class Sleeper extends Future<Unit> {                 the class's lines
//     state: SleeperState = SleeperState.Start;          the class's state enum
//     ... case SleeperState.Sleeping: / if (this.state == SleeperState.Sleeping)   ← the state's line
//
// A state is found, in order of preference, where the poll handles it (a `case` or an
// `== Enum.X` test), where the poll enters it (`= Enum.X`), or where stateName returns it.
// This reads source text with patterns, not a parser: it is a best effort that fits how the
// examples are written, and a state it cannot place is simply not highlighted.

export interface StateLocation {
  /** 1-based line number. */
  line: number;
  /** The future class whose state it is. */
  className: string;
}

interface ClassInfo {
  name: string;
  base: string | null;
  first: number;
  last: number;
  stateEnum: string | null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export class SourceStates {
  private readonly lines: string[];
  private readonly classes = new Map<string, ClassInfo>();
  /** Task (pool) name → the future class spawned into it. */
  private readonly poolClass = new Map<string, string>();
  /** Task (pool) name → the line that spawns it (or calls blockOn). */
  private readonly spawnLines = new Map<string, number>();
  private readonly cache = new Map<string, StateLocation | null>();

  constructor(readonly source: string) {
    this.lines = source.split("\n");
    this.findClasses();
    this.findSpawns();
  }

  /** The line that spawns a task of pool `taskName` (where a spawned, never polled task stands). */
  spawnLine(taskName: string): number | null {
    return this.spawnLines.get(taskName) ?? null;
  }

  /** The future class a task of pool `taskName` runs ("block_on" for blockOn's pseudo-tasks). */
  classOf(taskName: string): string | null {
    return this.poolClass.get(taskName) ?? null;
  }

  /** The line of `state` of task `taskName`'s future, if it can be found. */
  locate(taskName: string, state: string): StateLocation | null {
    const key = `${taskName}\u0000${state}`;
    if (!this.cache.has(key)) this.cache.set(key, this.find(taskName, state));
    return this.cache.get(key)!;
  }

  private find(taskName: string, state: string): StateLocation | null {
    if (!/^\w+$/.test(state)) return null;
    const candidates: string[] = [];
    const spawned = this.poolClass.get(taskName);
    // The spawned class, then its base classes; then any class (a pool we could not trace).
    for (let name = spawned; name && !candidates.includes(name); name = this.classes.get(name)?.base ?? undefined) candidates.push(name);
    if (!spawned) for (const name of this.classes.keys()) candidates.push(name);
    for (const name of candidates) {
      const info = this.classes.get(name);
      if (!info) continue;
      const line = this.stateLineIn(info, state);
      if (line) return { line, className: spawned ?? name };
    }
    return null;
  }

  private stateLineIn(info: ClassInfo, state: string): number | null {
    const getter = this.getterRange(info);
    const inPoll = (n: number) => !getter || n < getter[0] || n > getter[1];
    const scan = (pattern: RegExp, where: (n: number) => boolean): number | null => {
      for (let n = info.first; n <= info.last; n++) if (where(n) && pattern.test(this.lines[n - 1])) return n;
      return null;
    };
    const named = new RegExp(`"${escape(state)}"`);
    if (info.stateEnum) {
      const member = `${escape(info.stateEnum)}\\.${escape(state)}\\b`;
      const field = new RegExp(`^\\s*state\\s*:\\s*\\w+\\s*=\\s*${member}`);
      const notField = (n: number) => inPoll(n) && !/^\s*state\s*:/.test(this.lines[n - 1]);
      return (
        scan(new RegExp(`case\\s+${member}`), inPoll) ??
        scan(new RegExp(`==\\s*${member}`), inPoll) ??
        scan(new RegExp(`=\\s*${member}\\s*;`), notField) ??
        // The initial state, never tested by name: the poll itself is where it is handled.
        (scan(field, () => true) !== null ? scan(/^\s*poll\s*\(/, () => true) : null) ??
        scan(named, () => true)
      );
    }
    // No state enum: stateName computes the name from the future's fields; that line says how.
    return scan(named, () => true);
  }

  /** Lines of the class's `get stateName()` (its `return "X"` lines are not where the state is handled). */
  private getterRange(info: ClassInfo): [number, number] | null {
    for (let n = info.first; n <= info.last; n++) {
      if (/get\s+stateName\s*\(/.test(this.lines[n - 1])) return [n, this.blockEnd(n)];
    }
    return null;
  }

  /** The line that closes the block opened on line `n` (by brace counting; strings are rare here). */
  private blockEnd(n: number): number {
    let depth = 0;
    let opened = false;
    for (let i = n; i <= this.lines.length; i++) {
      for (const ch of this.lines[i - 1].replace(/\/\/.*$/, "")) {
        if (ch === "{") {
          depth++;
          opened = true;
        } else if (ch === "}") depth--;
      }
      if (opened && depth <= 0) return i;
    }
    return this.lines.length;
  }

  private findClasses(): void {
    this.lines.forEach((text, i) => {
      const m = /^\s*(?:export\s+)?(?:abstract\s+)?class\s+(\w+)(?:<[^>]*>)?\s+extends\s+(\w+)/.exec(text);
      if (!m) return;
      const first = i + 1;
      const last = this.blockEnd(first);
      let stateEnum: string | null = null;
      for (let n = first; n <= last && !stateEnum; n++) {
        const field = /^\s*state\s*:\s*(\w+)\s*=/.exec(this.lines[n - 1]);
        if (field) stateEnum = field[1];
      }
      this.classes.set(m[1], { name: m[1], base: m[2] === "Future" ? null : m[2], first, last, stateEnum });
    });
    // A subclass without its own state field uses its base's enum.
    for (const info of this.classes.values()) {
      for (let base = info.base; !info.stateEnum && base; base = this.classes.get(base)?.base ?? null) {
        info.stateEnum = this.classes.get(base)?.stateEnum ?? null;
      }
    }
  }

  private findSpawns(): void {
    const pools = new Map<string, string>();
    const variables = new Map<string, string>();
    for (const text of this.lines) {
      const pool = /const\s+(\w+)\s*=\s*new\s+TaskPool\(\s*"([^"]+)"/.exec(text);
      if (pool) pools.set(pool[1], pool[2]);
      const variable = /(?:const|let)\s+(\w+)\s*=\s*new\s+(\w+)\s*\(/.exec(text);
      if (variable) variables.set(variable[1], variable[2]);
    }
    this.lines.forEach((text, i) => {
      for (const m of text.matchAll(/[sS]pawn<[^>]*>\(\s*(\w+)\s*,\s*new\s+(\w+)\s*\(/g)) {
        const name = pools.get(m[1]);
        if (name && !this.poolClass.has(name)) {
          this.poolClass.set(name, m[2]);
          this.spawnLines.set(name, i + 1);
        }
      }
      const blockOn = /blockOn<[^>]*>\(\s*(?:new\s+(\w+)\s*\(|(\w+)\s*\))/.exec(text);
      if (blockOn && !this.poolClass.has("block_on")) {
        const cls = blockOn[1] ?? variables.get(blockOn[2]);
        if (cls) {
          this.poolClass.set("block_on", cls);
          this.spawnLines.set("block_on", i + 1);
        }
      }
    });
  }
}
