//! `tamga browser install`.

use crate::cli::{BrowserInstallArgs, GlobalArgs};
use crate::error::Result;

pub fn install(args: &BrowserInstallArgs, g: &GlobalArgs) -> Result<()> {
    crate::browser::install::install(args, g)
}
