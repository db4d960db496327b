//! `tamga pay ORDER.json` (alias `sign`): the order shown, signed with the SIGN key, submitted.

use tamga_plugin_sign::workflow_keys as keys;

use crate::agent::Agent;
use crate::answers::{Answers, WizardInteraction};
use crate::cli::{GlobalArgs, PayArgs};
use crate::error::Result;

pub fn run(args: &PayArgs, g: &GlobalArgs) -> Result<()> {
    let s = &args.session;
    let agent = Agent::load(g, &s.output)?;
    let mut answers = Answers::of_session(s);
    answers.text(keys::ORDER_FILE, Some(args.order.display().to_string()));
    answers.text(
        keys::CMS_OUT,
        args.out.as_ref().map(|p| p.display().to_string()),
    );
    answers.flag(keys::CONFIRM, args.yes.then_some(true));
    let mut interaction = WizardInteraction::new(answers, agent.lang);
    agent.run_with("sign", "payment", &s.select, &mut interaction, &s.output)
}
