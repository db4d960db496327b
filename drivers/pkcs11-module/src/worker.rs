//! The thread that owns the tokens. PKCS#11 applications call from any thread; a token is one
//! card with one security state, and `Box<dyn Token>` is not `Send`. So the module's state lives
//! on one thread, and every call is a job sent to it and waited for.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;

use cryptoki_sys::*;

use crate::backend::Backend;
use crate::fault::Fault;
use crate::rv::Rv;

type Job = Box<dyn FnOnce(&mut Backend) + Send>;

struct Worker {
    jobs: Sender<Job>,
    thread: JoinHandle<()>,
}

static WORKER: Mutex<Option<Worker>> = Mutex::new(None);

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
            *w = Some(Worker { jobs, thread });
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

/// C_Finalize: stops the thread; its tokens are dropped there.
pub(crate) fn stop() -> Result<(), Rv> {
    let w = worker().take().ok_or(CKR_CRYPTOKI_NOT_INITIALIZED)?;
    drop(w.jobs);
    let _ = w.thread.join();
    Ok(())
}

/// Runs `f` on the module's state and waits for its answer.
pub(crate) fn call<R: Send + 'static>(
    f: impl FnOnce(&mut Backend) -> Result<R, Rv> + Send + 'static,
) -> Result<R, Rv> {
    let jobs = worker()
        .as_ref()
        .map(|w| w.jobs.clone())
        .ok_or(CKR_CRYPTOKI_NOT_INITIALIZED)?;
    let (reply, answer) = mpsc::sync_channel(1);
    let job: Job = Box::new(move |b: &mut Backend| {
        let r = if b.fault == Fault::Errors {
            Err(CKR_DEVICE_ERROR)
        } else {
            f(b)
        };
        let _ = reply.send(r);
    });
    jobs.send(job).map_err(|_| CKR_GENERAL_ERROR)?;
    answer.recv().unwrap_or(Err(CKR_GENERAL_ERROR))
}
