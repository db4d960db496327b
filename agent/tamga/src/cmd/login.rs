//! `tamga login`: a session with the Internet-Banking, signed with the AUTH key.

use crate::agent::Agent;
use crate::answers::{Answers, WizardInteraction};
use crate::cli::{GlobalArgs, LoginArgs};
use crate::error::Result;

pub fn run(args: &LoginArgs, g: &GlobalArgs) -> Result<()> {
    let s = &args.session;
    let agent = Agent::load(g, &s.output)?;
    let mut interaction = WizardInteraction::new(Answers::of_session(s), agent.lang);
    agent.run_with("login", "login", &s.select, &mut interaction, &s.output)
}
