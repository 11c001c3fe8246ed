// The same two workloads written the way JavaScript does async: async functions and await.
// The engine's microtask queue is the executor; a resolved promise is the wake.

/** `tasks` async tasks, each awaiting `yields` times before it returns; resolves to the awaits made. */
export async function promiseYields(tasks: number, yields: number): Promise<number> {
  const task = async (): Promise<void> => {
    for (let i = 0; i < yields; i++) await null;
  };
  const all: Promise<void>[] = [];
  for (let i = 0; i < tasks; i++) all.push(task());
  await Promise.all(all);
  return tasks * (yields + 1);
}

/** A baton handed back and forth `hops` times between two async tasks: each hop resolves the other's promise. */
export async function promisePingPong(hops: number): Promise<number> {
  const wake: (() => void)[] = [() => {}, () => {}];
  let hopsLeft = hops;
  let baton = 0;
  const waitForBaton = (me: number) =>
    new Promise<void>((resolve) => {
      wake[me] = resolve;
    });
  const player = async (me: number): Promise<void> => {
    const other = 1 - me;
    for (;;) {
      if (baton !== me && hopsLeft > 0) await waitForBaton(me);
      if (hopsLeft <= 0) {
        wake[other]();
        return;
      }
      hopsLeft--;
      baton = other;
      wake[other]();
    }
  };
  await Promise.all([player(0), player(1)]);
  return hops;
}
