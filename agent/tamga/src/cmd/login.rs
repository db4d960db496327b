//! `tamga login`: a session with the Internet-Banking, signed with the AUTH key.

use crate::agent::Agent;
use crate::answers::{Answers, WizardInteraction};
use crate::cli::{GlobalArgs, LoginArgs};
use crate::error::Result;

pub fn run(args: &LoginArgs, g: &GlobalArgs) -> Result<()> {
    let agent = Agent::load(g, &args.output)?;
    let answers = Answers::new(false, args.confirm_last_attempt, args.pin_file.clone());
    let mut interaction = WizardInteraction::new(answers, agent.lang);
    agent.run_with(
        "login",
        "login",
        &args.select,
        &mut interaction,
        &args.output,
    )
}
