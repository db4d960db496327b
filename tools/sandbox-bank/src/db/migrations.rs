//! Schema migrations: an ordered list, each applied once in its own transaction, with the
//! number reached kept in `schema_version`. A new column or table is a new entry at the end;
//! an entry already shipped is never edited.

use rusqlite::{Connection, OptionalExtension};

use crate::error::BankError;

/// The migrations, version N = `MIGRATIONS[N - 1]`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the CA and the Internet-Banking side.
    "
    CREATE TABLE customers (
        user_id     TEXT PRIMARY KEY,
        otp_pin     TEXT NOT NULL,       -- the PBM shared secret; the bank must know it
        init_curve  TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE certificates (
        serial         INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id        TEXT NOT NULL,
        role           TEXT NOT NULL,    -- ca, init, sign, auth
        der            BLOB NOT NULL,
        sha256         TEXT NOT NULL UNIQUE,
        spki_sha256    TEXT NOT NULL,
        not_before     INTEGER NOT NULL,
        not_after      INTEGER NOT NULL,
        transaction_id BLOB,
        cert_req_id    INTEGER,
        issued_at      INTEGER NOT NULL,
        confirmed      INTEGER NOT NULL DEFAULT 0,
        revoked_at     INTEGER,
        revocation_reason INTEGER
    );
    CREATE INDEX certificates_user ON certificates(user_id);
    CREATE INDEX certificates_tx ON certificates(transaction_id);
    CREATE TABLE transactions (
        transaction_id BLOB PRIMARY KEY,
        user_id        TEXT NOT NULL,
        request_hash   BLOB NOT NULL,    -- SHA-256 over the requested public keys, in order
        state          TEXT NOT NULL,    -- waiting, issued, confirmed
        request_der    BLOB NOT NULL,    -- the ir, to issue from when a poll ends the wait
        response       TEXT,             -- JSON: certReqId -> serial
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
    );
    CREATE TABLE crls (
        number      INTEGER PRIMARY KEY AUTOINCREMENT,
        this_update INTEGER NOT NULL,
        der         BLOB NOT NULL
    );
    CREATE TABLE registrations (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id      TEXT NOT NULL,
        sign_sha256  TEXT NOT NULL,
        auth_sha256  TEXT NOT NULL,
        registered_at INTEGER NOT NULL,
        active       INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE challenges (
        challenge_id TEXT PRIMARY KEY,
        user_id      TEXT NOT NULL,
        nonce        BLOB NOT NULL,
        expires_at   INTEGER NOT NULL,
        used         INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sessions (
        token_sha256 TEXT PRIMARY KEY,   -- the token itself is never stored
        user_id      TEXT NOT NULL,
        expires_at   INTEGER NOT NULL
    );
    CREATE TABLE payments (
        payment_id  TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL,
        order_bytes BLOB NOT NULL,
        cms         BLOB NOT NULL,
        signed_by   TEXT NOT NULL,
        status      TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    );
    ",
];

/// The version the database is at (0 for a new one).
pub fn current_version(conn: &Connection) -> Result<usize, BankError> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let v: Option<i64> = conn
        .query_row("SELECT MAX(version) FROM schema_version", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(v.unwrap_or(0).max(0) as usize)
}

/// Applies every migration the database has not seen.
pub fn migrate(conn: &mut Connection) -> Result<(), BankError> {
    let from = current_version(conn)?;
    if from > MIGRATIONS.len() {
        return Err(BankError::Config(format!(
            "the database is at schema version {from}, newer than this sandbox-bank ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            [i as i64 + 1],
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_refuses_a_newer_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(current_version(&conn).unwrap(), MIGRATIONS.len());
        conn.execute("INSERT INTO schema_version (version) VALUES (999)", [])
            .unwrap();
        assert!(migrate(&mut conn).is_err());
    }
}
