// Future and Poll: what the Rust compiler makes of `async fn`, written by hand.
//
// An `async fn` becomes a struct holding one state per await point and a `poll` method
// that advances it as far as it can. Here every future is such a class: `poll(cx)` either
// finishes (Poll.Ready, with the value stored in `output`) or returns Poll.Pending after
// arranging for `cx.waker` to be woken when it can make progress.
import { Context } from "./waker";
import { OutputKind } from "../abi/trace-events";

/** The two outcomes of a poll (Rust's `Poll::Ready` / `Poll::Pending`). */
export enum Poll {
  Pending = 0,
  Ready = 1,
}

/** A future of any output type: what the executor and combinators hold. */
export abstract class AnyFuture {
  /** Advance the state machine. Pending obliges the future to arrange a wake of `cx.waker`. */
  abstract poll(cx: Context): Poll;

  /**
   * Give up on this future before it finished (what Rust does by dropping it): undo what it
   * set up, such as an unmasked interrupt. Combinators call it on the futures they abandon
   * (`select`'s losers, `withTimeout`'s inner future). Default: nothing to undo.
   */
  cancel(): void {}

  /** The name of the state the future is in, for the trace (override in your futures). */
  get stateName(): string {
    return "";
  }

  /** How the output reads on the host (set by Future<T> from T). */
  outputKind(): OutputKind {
    return OutputKind.None;
  }
  /** The output as a number, for the host (Int, Float, Bool). */
  outputNumber(): f64 {
    return 0;
  }
  /** The output's string, for the host (String). */
  outputString(): string | null {
    return null;
  }
}

/**
 * A future whose value is kept in `output` once `poll` returned Ready
 * (AssemblyScript has no `Poll<T>` enum with data; the value lives beside the state).
 */
export abstract class Future<T> extends AnyFuture {
  output!: T;

  constructor() {
    super();
    // A Unit future never sets its output, but a JoinHandle of its task reads it.
    if (isManaged<T>() && idof<T>() == idof<Unit>()) this.output = changetype<T>(UNIT);
  }

  outputKind(): OutputKind {
    if (isManaged<T>() && idof<T>() == idof<Unit>()) return OutputKind.None;
    if (isString<T>()) return OutputKind.String;
    if (isBoolean<T>()) return OutputKind.Bool;
    if (isInteger<T>()) return OutputKind.Int;
    if (isFloat<T>()) return OutputKind.Float;
    return OutputKind.Other;
  }

  outputNumber(): f64 {
    if (isBoolean<T>()) return this.output ? 1 : 0;
    if (isInteger<T>() || isFloat<T>()) return <f64>this.output;
    return 0;
  }

  outputString(): string | null {
    if (isString<T>()) return changetype<string | null>(this.output);
    return null;
  }
}

/**
 * The output type `()` of futures that produce no value (`Future<void>` cannot be written
 * in AssemblyScript): `class Sleep extends Future<Unit>`. Such a future never sets `output`.
 */
@final export class Unit {}

/** The one value of type Unit. */
const UNIT = new Unit();
