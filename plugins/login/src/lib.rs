//! tamga-plugin-login: logging in to the Internet-Banking with the token (guide §3.21, after
//! "Готово"): IB gives a nonce, tamga signs it with the AUTH key on the token (an attached CMS)
//! and IB answers with a session. Nothing secret is written to disk: the session is printed
//! (or given to the caller, e.g. the sign workflow).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod session;
mod workflow;

pub use session::{open_session, token_login};
pub use workflow::LoginWorkflow;
