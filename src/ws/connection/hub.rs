//! One fan-out hub per worker thread. An actix worker is single-threaded: its hub receives each
//! event from the bus once and writes it to every socket of that thread that is caught up, with
//! no task wake-up per socket. A socket whose queue is full gets the event in its backlog
//! instead, which its own connection task writes (waiting at most `ws.slow_consumer_ms` per
//! frame, as before); a backlog of `ws.send_queue_frames` events means too slow (1013).
//!
//! Hand-over: a connection sends its first frames, its replay and whatever its own subscription
//! holds, and joins as soon as that subscription is empty, with no await in between. It tells
//! the hub the id of the last event it has dealt with; the hub only delivers newer ones. The
//! hub's subscription is older than the join (or is the joining connection's own), so nothing
//! is lost or sent twice.
//!
//! A `metrics` snapshot goes to every dashboard every few seconds. Written to all sockets in one
//! go, it would hold up an event published meanwhile behind thousands of writes, so the hub
//! trickles it instead: `TRICKLE_CHUNK` members at a time, yielding between chunks, and an
//! arriving event is written to everyone before the trickle goes on.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::pin::pin;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use actix_ws::Session;
use empire_actors::runtime::Stamped;
use tokio::sync::{Notify, broadcast};

use super::{End, Filter, restarting, too_slow};

type Receiver = broadcast::Receiver<Arc<Stamped>>;

/// Members given a `metrics` snapshot per turn of the hub's task.
const TRICKLE_CHUNK: usize = 256;

thread_local! {
    /// This worker thread's hub for the current event bus.
    static CURRENT: RefCell<Option<Rc<Hub>>> = const { RefCell::new(None) };
}

struct Hub {
    /// Never read: tells which bus this hub follows (after a restart there is a new one).
    bus: Receiver,
    members: RefCell<Vec<Weak<Member>>>,
    /// A `metrics` snapshot on its way.
    trickle: RefCell<Option<Trickle>>,
}

struct Trickle {
    snapshot: Arc<Stamped>,
    /// The members still to be given it, the next one last.
    to_do: Vec<Weak<Member>>,
}

/// A connection as both its task and the hub see it. The connection task holds the only strong
/// reference: when it ends, the hub forgets it.
pub(super) struct Member {
    state: RefCell<MemberState>,
    /// Woken when the backlog gets an event or the hub ends the membership.
    pub(super) wake: Notify,
}

struct MemberState {
    session: Session,
    filter: Filter,
    /// The newest event id this connection has dealt with (sent, queued or filtered out).
    last_id: u64,
    /// `last_id` when it joined: snapshots up to it were dealt with before the hub took over.
    joined_after: u64,
    /// Events admitted while the socket's queue was full, oldest first.
    backlog: VecDeque<Arc<Stamped>>,
    /// A longer backlog means the client is too slow.
    max_backlog: usize,
    end: Option<End>,
}

/// Joins this thread's hub. Call with no await since `live` was last found empty: `last_id` is
/// then the newest event this connection has dealt with, and every newer one is still to be
/// read by the hub. A new hub takes over `live` itself, so that not even an event published
/// meanwhile by another thread is missed.
pub(super) fn join(
    live: Receiver,
    session: Session,
    filter: Filter,
    last_id: u64,
    max_backlog: usize,
) -> Rc<Member> {
    let member = Rc::new(Member {
        state: RefCell::new(MemberState {
            session,
            filter,
            last_id,
            joined_after: last_id,
            backlog: VecDeque::new(),
            max_backlog: max_backlog.max(1),
            end: None,
        }),
        wake: Notify::new(),
    });
    let hub = CURRENT.with_borrow_mut(|current| match current {
        Some(hub) if hub.bus.same_channel(&live) => Rc::clone(hub),
        _ => {
            let hub = Rc::new(Hub {
                bus: live.resubscribe(),
                members: RefCell::default(),
                trickle: RefCell::default(),
            });
            actix_web::rt::spawn(follow(Rc::clone(&hub), live));
            *current = Some(Rc::clone(&hub));
            hub
        }
    });
    hub.members.borrow_mut().push(Rc::downgrade(&member));
    member
}

impl Member {
    /// The next event to write from the backlog, or how the membership ended once the backlog
    /// is written (`Ok(None)`: nothing to do).
    pub(super) fn next(&self) -> Result<Option<Arc<Stamped>>, End> {
        let mut state = self.state.borrow_mut();
        if let Some(event) = state.backlog.front() {
            return Ok(Some(Arc::clone(event)));
        }
        state.end.take().map_or(Ok(None), Err)
    }

    /// `event` (from `next`) is written.
    pub(super) fn written(&self, event: &Stamped) {
        let mut state = self.state.borrow_mut();
        if state
            .backlog
            .front()
            .is_some_and(|first| first.id == event.id)
        {
            state.backlog.pop_front();
        }
    }

    /// Applies a client message to the filter; returns the frame to answer with, if any.
    pub(super) fn command(&self, text: &str) -> Option<String> {
        self.state.borrow_mut().filter.command(text)
    }

    /// Offers an event; false once the hub should forget this member.
    fn offer(&self, event: &Arc<Stamped>) -> bool {
        let mut state = self.state.borrow_mut();
        if state.end.is_some() {
            return false;
        }
        if event.id <= state.last_id {
            return true;
        }
        state.last_id = event.id;
        drop(state);
        self.deliver(event)
    }

    /// Offers a `metrics` snapshot, which may come after newer events (it is trickled): only
    /// one this connection already had before joining is skipped.
    fn offer_snapshot(&self, event: &Arc<Stamped>) {
        let state = self.state.borrow();
        if state.end.is_none() && event.id > state.joined_after {
            drop(state);
            self.deliver(event);
        }
    }

    /// Writes an event that passes the filter, or queues it in the backlog when the socket's
    /// queue is full; false once the hub should forget this member.
    fn deliver(&self, event: &Arc<Stamped>) -> bool {
        let mut state = self.state.borrow_mut();
        if !state.filter.admits(event) {
            return true;
        }
        if state.backlog.is_empty() {
            match poll_once(state.session.text(event.json.clone())) {
                Some(Ok(())) => return true,
                Some(Err(actix_ws::Closed)) => {
                    drop(state);
                    self.end(End::Gone);
                    return false;
                }
                // The socket's queue is full.
                None => {}
            }
        }
        if state.backlog.len() >= state.max_backlog {
            drop(state);
            self.end(End::Close(too_slow()));
            return false;
        }
        state.backlog.push_back(Arc::clone(event));
        self.wake.notify_one();
        true
    }

    /// Ends the membership: after the backlog is written for a restart, at once otherwise.
    fn end(&self, end: End) {
        let mut state = self.state.borrow_mut();
        if !matches!(&end, End::Close(reason) if reason.code == actix_ws::CloseCode::Restart) {
            state.backlog.clear();
        }
        state.end.get_or_insert(end);
        self.wake.notify_one();
    }
}

/// Polls a future once, outside tokio's cooperative budget (else a hub writing to thousands of
/// sockets in one go would see queues as full once the budget is spent).
fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut context = Context::from_waker(Waker::noop());
    match pin!(tokio::task::unconstrained(future)).poll(&mut context) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

async fn follow(hub: Rc<Hub>, mut events: Receiver) {
    loop {
        let received = if hub.trickle.borrow().is_some() {
            tokio::select! {
                biased;
                received = events.recv() => received,
                () = tokio::task::yield_now() => {
                    hub.trickle_step();
                    continue;
                }
            }
        } else {
            events.recv().await
        };
        match received {
            Ok(event) if event.event.type_name() == "metrics" => hub.start_trickle(event),
            Ok(event) => hub
                .members
                .borrow_mut()
                .retain(|member| member.upgrade().is_some_and(|member| member.offer(&event))),
            // The hub fell behind (its thread was stuck): every member missed events.
            Err(broadcast::error::RecvError::Lagged(_)) => hub.end_all(too_slow),
            Err(broadcast::error::RecvError::Closed) => {
                hub.end_all(restarting);
                CURRENT.with_borrow_mut(|current| {
                    if current.as_ref().is_some_and(|now| Rc::ptr_eq(now, &hub)) {
                        *current = None;
                    }
                });
                return;
            }
        }
    }
}

impl Hub {
    /// Starts giving `snapshot` to every member (a newer one replaces one still on its way).
    fn start_trickle(&self, snapshot: Arc<Stamped>) {
        let mut to_do = self.members.borrow().clone();
        to_do.reverse();
        *self.trickle.borrow_mut() = Some(Trickle { snapshot, to_do });
    }

    /// Gives the trickling snapshot to the next `TRICKLE_CHUNK` members.
    fn trickle_step(&self) {
        let mut trickle = self.trickle.borrow_mut();
        let Some(Trickle { snapshot, to_do }) = trickle.as_mut() else {
            return;
        };
        for _ in 0..TRICKLE_CHUNK {
            let Some(member) = to_do.pop() else { break };
            if let Some(member) = member.upgrade() {
                member.offer_snapshot(snapshot);
            }
        }
        if to_do.is_empty() {
            *trickle = None;
        }
    }

    fn end_all(&self, reason: fn() -> actix_ws::CloseReason) {
        for member in self.members.borrow_mut().drain(..) {
            if let Some(member) = member.upgrade() {
                member.end(End::Close(reason()));
            }
        }
    }
}
