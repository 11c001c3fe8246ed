// The executor benchmarks in native Rust: the yardstick for the firmware SDK.
//
// The same algorithm as assembly/executor (and bench/baselines/ts-executor.ts): tasks live
// in a fixed pool; a task's waker is a pointer to its header (std's RawWaker with one static
// vtable, as in Embassy); a wake sets RUN_QUEUED and appends the task to a FIFO run queue
// only if the bit was clear; `run` takes the whole queue as a batch and polls it, so tasks
// woken meanwhile wait for the next batch. Futures are hand-written state machines behind
// `Pin<Box<dyn Future>>`, polled through their vtable like the SDK's virtual `poll`.
//
// No dependencies: build with `rustc -O executor.rs`. Usage:
//   executor <tasks> <yields> <hops>
// prints one JSON line: {"yieldNsPerPoll": ..., "pingPongNsPerHop": ...}.
use std::cell::{Cell, RefCell, UnsafeCell};
use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use std::time::Instant;

const SPAWNED: u32 = 1;
const RUN_QUEUED: u32 = 2;

struct TaskHeader {
    state: Cell<u32>,
    next: Cell<*const TaskHeader>,
    executor: *const Executor,
    future: UnsafeCell<Option<Pin<Box<dyn Future<Output = ()>>>>>,
}

struct Executor {
    head: Cell<*const TaskHeader>,
    tail: Cell<*const TaskHeader>,
}

impl Executor {
    fn enqueue(&self, task: *const TaskHeader) {
        let tail = self.tail.get();
        if tail.is_null() {
            self.head.set(task);
        } else {
            unsafe { (*tail).next.set(task) };
        }
        self.tail.set(task);
    }

    /// Poll batches until nothing is queued. Returns the number of polls.
    fn run(&self) -> u64 {
        let mut polls = 0u64;
        loop {
            let mut task = self.head.replace(ptr::null());
            self.tail.set(ptr::null());
            if task.is_null() {
                return polls;
            }
            while !task.is_null() {
                let t = unsafe { &*task };
                task = t.next.replace(ptr::null());
                t.state.set(t.state.get() & !RUN_QUEUED);
                let waker = unsafe { Waker::from_raw(RawWaker::new(t as *const TaskHeader as *const (), &VTABLE)) };
                let mut cx = Context::from_waker(&waker);
                // Only the executor touches a task's future, and never re-entrantly.
                let slot = unsafe { &mut *t.future.get() };
                let ready = match slot.as_mut() {
                    Some(f) => f.as_mut().poll(&mut cx).is_ready(),
                    None => false,
                };
                if ready {
                    *slot = None;
                    t.state.set(0);
                }
                std::mem::forget(waker);
                polls += 1;
            }
        }
    }
}

fn wake_task(task: *const TaskHeader) {
    let t = unsafe { &*task };
    let s = t.state.get();
    if s & SPAWNED == 0 || s & RUN_QUEUED != 0 {
        return;
    }
    t.state.set(s | RUN_QUEUED);
    unsafe { (*t.executor).enqueue(task) };
}

unsafe fn waker_clone(p: *const ()) -> RawWaker {
    RawWaker::new(p, &VTABLE)
}
unsafe fn waker_wake(p: *const ()) {
    wake_task(p as *const TaskHeader)
}
unsafe fn waker_wake_by_ref(p: *const ()) {
    wake_task(p as *const TaskHeader)
}
unsafe fn waker_drop(_: *const ()) {}
static VTABLE: RawWakerVTable = RawWakerVTable::new(waker_clone, waker_wake, waker_wake_by_ref, waker_drop);

/// A fixed pool of task slots (allocated once, like Embassy's `pool_size`).
struct Pool {
    slots: Vec<TaskHeader>,
}

impl Pool {
    fn new(capacity: usize, executor: &Executor) -> Pool {
        let slots = (0..capacity)
            .map(|_| TaskHeader {
                state: Cell::new(0),
                next: Cell::new(ptr::null()),
                executor: executor as *const Executor,
                future: UnsafeCell::new(None),
            })
            .collect();
        Pool { slots }
    }

    fn spawn(&self, index: usize, future: Pin<Box<dyn Future<Output = ()>>>) {
        let t = &self.slots[index];
        assert!(t.state.get() == 0, "slot {} is busy", index);
        unsafe { *t.future.get() = Some(future) };
        t.state.set(SPAWNED);
        wake_task(t as *const TaskHeader);
    }
}

/// Wakes itself `left` times, then is Ready.
struct Yielder {
    left: u32,
}

impl Future for Yielder {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Two players hand a baton back and forth; each hop is one wake and one poll.
struct Table {
    baton: Cell<usize>,
    hops_left: Cell<u64>,
    players: RefCell<[Option<Waker>; 2]>,
}

struct Player {
    me: usize,
    table: &'static Table,
}

impl Future for Player {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let table = self.table;
        let other = 1 - self.me;
        {
            let mut players = table.players.borrow_mut();
            if players[self.me].is_none() {
                players[self.me] = Some(cx.waker().clone());
            }
        }
        if table.hops_left.get() == 0 {
            if let Some(w) = &table.players.borrow()[other] {
                w.wake_by_ref();
            }
            return Poll::Ready(());
        }
        if table.baton.get() != self.me {
            return Poll::Pending;
        }
        table.hops_left.set(table.hops_left.get() - 1);
        table.baton.set(other);
        if let Some(w) = &table.players.borrow()[other] {
            w.wake_by_ref();
        }
        Poll::Pending
    }
}

fn arg(i: usize, default: u64) -> u64 {
    std::env::args().nth(i).and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn main() {
    let tasks = arg(1, 1000) as usize;
    let yields = arg(2, 2000) as u32;
    let hops = arg(3, 2_000_000);

    let executor: &'static Executor = Box::leak(Box::new(Executor { head: Cell::new(ptr::null()), tail: Cell::new(ptr::null()) }));
    let yielders = Pool::new(tasks, executor);
    let players = Pool::new(2, executor);
    let table: &'static Table = Box::leak(Box::new(Table { baton: Cell::new(0), hops_left: Cell::new(0), players: RefCell::new([None, None]) }));

    let run_yields = |tasks: usize, yields: u32| -> f64 {
        for i in 0..tasks {
            yielders.spawn(i, Box::pin(Yielder { left: yields }));
        }
        let start = Instant::now();
        let polls = executor.run();
        start.elapsed().as_nanos() as f64 / polls as f64
    };
    let run_ping_pong = |hops: u64| -> f64 {
        table.baton.set(0);
        table.hops_left.set(hops);
        *table.players.borrow_mut() = [None, None];
        players.spawn(0, Box::pin(Player { me: 0, table }));
        players.spawn(1, Box::pin(Player { me: 1, table }));
        let start = Instant::now();
        executor.run();
        start.elapsed().as_nanos() as f64 / hops as f64
    };

    // One warm-up pass each (page faults, caches), then the measured pass.
    run_yields(tasks, yields / 10 + 1);
    run_ping_pong(hops / 10 + 1);
    let yield_ns = run_yields(tasks, yields);
    let hop_ns = run_ping_pong(hops);
    println!("{{\"yieldNsPerPoll\": {:.3}, \"pingPongNsPerHop\": {:.3}}}", yield_ns, hop_ns);
}
