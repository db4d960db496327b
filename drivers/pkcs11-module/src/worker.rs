//! The thread that owns the tokens. PKCS#11 applications call from any thread; a token is one
//! card with one security state, and `Box<dyn Token>` is not `Send`. So the module's state lives
//! on one thread, and every call is a job sent to it and waited for.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use cryptoki_sys::*;

use crate::backend::Backend;
use crate::fault::Fault;
use crate::rv::Rv;

type Job = Box<dyn FnOnce(&mut Backend) + Send>;

struct Worker {
    jobs: Sender<Job>,
    thread: JoinHandle<()>,
    /// Which C_Initialize this is: a wait begun before C_Finalize must not carry on into the
    /// next C_Initialize.
    generation: u64,
}

static WORKER: Mutex<Option<Worker>> = Mutex::new(None);

/// Signalled by C_Finalize, for the threads blocked in C_WaitForSlotEvent.
static FINALIZED: Condvar = Condvar::new();

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// How often a blocking C_WaitForSlotEvent lists the drivers.
const POLL: Duration = Duration::from_millis(500);

fn worker() -> std::sync::MutexGuard<'static, Option<Worker>> {
    WORKER.lock().unwrap_or_else(|p| p.into_inner())
}

/// C_Initialize: starts the thread, which reads the profile and lists the tokens.
pub(crate) fn start(fault: Fault) -> Result<(), Rv> {
    let mut w = worker();
    if w.is_some() {
        return Err(CKR_CRYPTOKI_ALREADY_INITIALIZED);
    }
    let (jobs, queue) = mpsc::channel::<Job>();
    let (ready, started) = mpsc::channel::<Result<(), String>>();
    let thread = std::thread::Builder::new()
        .name("tamga-pkcs11".into())
        .spawn(move || {
            let backend = catch_unwind(|| Backend::start(fault))
                .unwrap_or_else(|_| Err("the module's start-up failed".into()));
            let mut backend = match backend {
                Ok(b) => {
                    let _ = ready.send(Ok(()));
                    b
                }
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            for job in queue {
                // A panicking job drops its reply channel: the caller answers CKR_GENERAL_ERROR
                // and the thread serves the next call.
                let _ = catch_unwind(AssertUnwindSafe(|| job(&mut backend)));
            }
        })
        .map_err(|_| CKR_HOST_MEMORY)?;
    match started.recv() {
        Ok(Ok(())) => {
            let generation = GENERATION.fetch_add(1, Ordering::Relaxed) + 1;
            *w = Some(Worker {
                jobs,
                thread,
                generation,
            });
            Ok(())
        }
        Ok(Err(reason)) => {
            // PKCS#11 has no room for a reason; the application's stderr is the one place left.
            eprintln!("tamga PKCS#11 module: {reason}");
            let _ = thread.join();
            Err(CKR_GENERAL_ERROR)
        }
        Err(_) => Err(CKR_GENERAL_ERROR),
    }
}

/// C_Finalize: stops the thread; its tokens are dropped there. A blocked C_WaitForSlotEvent
/// wakes up and answers CKR_CRYPTOKI_NOT_INITIALIZED.
pub(crate) fn stop() -> Result<(), Rv> {
    let w = worker().take().ok_or(CKR_CRYPTOKI_NOT_INITIALIZED)?;
    FINALIZED.notify_all();
    drop(w.jobs);
    let _ = w.thread.join();
    Ok(())
}

/// Runs `f` on the module's state and waits for its answer.
pub(crate) fn call<R: Send + 'static>(
    f: impl FnOnce(&mut Backend) -> Result<R, Rv> + Send + 'static,
) -> Result<R, Rv> {
    call_in(None, f)
}

/// Blocking C_WaitForSlotEvent: the drivers are listed every [`POLL`] until a token comes or
/// goes, or C_Finalize ends the wait.
pub(crate) fn wait_for_event() -> Result<CK_SLOT_ID, Rv> {
    let generation = worker()
        .as_ref()
        .map(|w| w.generation)
        .ok_or(CKR_CRYPTOKI_NOT_INITIALIZED)?;
    let same = |w: &mut Option<Worker>| w.as_ref().map(|w| w.generation) == Some(generation);
    loop {
        if let Some(slot) = call_in(Some(generation), |b: &mut Backend| Ok(b.next_event()))? {
            return Ok(slot);
        }
        let (mut w, _) = FINALIZED
            .wait_timeout_while(worker(), POLL, |w| same(w))
            .unwrap_or_else(|p| p.into_inner());
        if !same(&mut w) {
            return Err(CKR_CRYPTOKI_NOT_INITIALIZED);
        }
    }
}

/// [`call`], on the module as initialised at `generation` (if given).
fn call_in<R: Send + 'static>(
    generation: Option<u64>,
    f: impl FnOnce(&mut Backend) -> Result<R, Rv> + Send + 'static,
) -> Result<R, Rv> {
    let jobs = worker()
        .as_ref()
        .filter(|w| generation.is_none_or(|g| g == w.generation))
        .map(|w| w.jobs.clone())
        .ok_or(CKR_CRYPTOKI_NOT_INITIALIZED)?;
    let (reply, answer) = mpsc::sync_channel(1);
    let job: Job = Box::new(move |b: &mut Backend| {
        let r = if b.fault == Fault::Errors {
            Err(CKR_DEVICE_ERROR)
        } else {
            f(b)
        };
        // A token that answered "removed" empties its slot before the next call.
        b.settle();
        let _ = reply.send(r);
    });
    jobs.send(job).map_err(|_| CKR_GENERAL_ERROR)?;
    answer.recv().unwrap_or(Err(CKR_GENERAL_ERROR))
}
