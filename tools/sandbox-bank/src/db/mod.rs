//! The bank's state: one SQLite file, opened once, behind a mutex (the server is small; every
//! request holds the lock for a few milliseconds).

mod migrations;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::BankError;

pub use migrations::{current_version, MIGRATIONS};

/// The database.
pub struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    /// Opens (creating) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, BankError> {
        let mut conn = Connection::open(path)?;
        // WAL keeps a reader (a test's /_test/state) from blocking the server's writes.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn)?;
        Ok(Db {
            conn: Mutex::new(conn),
        })
    }

    /// The connection (a poisoned lock is taken over: SQLite's own transactions keep the data
    /// consistent whatever the panicking thread was doing).
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}
