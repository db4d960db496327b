//! `tamga pin status|change|unblock`: the `pin` workflow.

use crate::agent::Agent;
use crate::cli::{ChangeArgs, GlobalArgs, InfoArgs, PinArgs};
use crate::error::Result;

pub fn status(args: &InfoArgs, g: &GlobalArgs) -> Result<()> {
    Agent::load(g, &args.output)?.run_workflow("pin", "status", &args.select, None, &args.output)
}

pub fn change(args: &ChangeArgs, g: &GlobalArgs) -> Result<()> {
    let action = if args.admin {
        "change-admin"
    } else {
        "change-user"
    };
    run(&args.pin, g, action)
}

pub fn unblock(args: &PinArgs, g: &GlobalArgs) -> Result<()> {
    run(args, g, "unblock")
}

fn run(args: &PinArgs, g: &GlobalArgs, action: &str) -> Result<()> {
    Agent::load(g, &args.output)?.run_workflow(
        "pin",
        action,
        &args.select,
        Some(args),
        &args.output,
    )
}
