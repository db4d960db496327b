//! Workflow progress on standard error: a bar on a terminal; elsewhere nothing here, because
//! every step is also an `info` log line (`--log-level info`) that scripts can keep or drop.

use std::io::{IsTerminal, Write};

use tamga_core::progress::{Event, NoProgress, Progress};

/// The display for this process.
pub fn for_stderr() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar { drawn: false })
    } else {
        Box::new(NoProgress)
    }
}

/// `[######------] 2/3 Проверка нового пароля…`, redrawn in place.
struct Bar {
    drawn: bool,
}

const WIDTH: usize = 20;

impl Progress for Bar {
    fn event(&mut self, event: Event<'_>) {
        let mut err = std::io::stderr().lock();
        let _ = match event {
            Event::Step {
                index,
                total,
                label,
            } => {
                let filled = WIDTH * index.min(total) / total.max(1);
                self.drawn = true;
                write!(
                    err,
                    "\r\x1b[2K[{}{}] {index}/{total} {label}",
                    "#".repeat(filled),
                    "-".repeat(WIDTH - filled)
                )
            }
            // Clear the bar so that the result (or the error) starts on a clean line.
            Event::Finished if self.drawn => write!(err, "\r\x1b[2K"),
            Event::Finished => Ok(()),
        };
        let _ = err.flush();
    }
}
