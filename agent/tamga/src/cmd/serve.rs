//! `tamga serve`.

use crate::cli::{GlobalArgs, ServeArgs};
use crate::error::Result;

pub fn run(args: &ServeArgs, g: &GlobalArgs) -> Result<()> {
    crate::service::serve(args, g)
}
