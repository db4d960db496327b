//! `tamga enroll`: the registration wizard (guide §3.13–3.21), from a person at the terminal,
//! or from flags and an answers file.

use tamga_plugin_enroll::inputs::keys;

use crate::agent::Agent;
use crate::answers::{Answers, EnrollAnswersFile, WizardInteraction};
use crate::cli::{EnrollArgs, GlobalArgs};
use crate::error::{Failure, Result};

/// Flags first, then the answers file.
fn answers(args: &EnrollArgs) -> std::result::Result<Answers, String> {
    let file = match &args.answers {
        Some(path) => EnrollAnswersFile::read(path)?,
        None => EnrollAnswersFile::default(),
    };
    let mut a = Answers::new(args.yes, args.confirm_last_attempt, None);
    a.text(keys::USER_ID, args.user_id.clone().or(file.user_id));
    a.secret_file(
        keys::OTP_PIN,
        args.otp_pin_file
            .as_deref()
            .or(file.otp_pin_file.as_deref()),
    );
    let key_file = args.key_file.as_ref().or(file.key_file.as_ref());
    a.text(keys::KEY_FILE, key_file.map(|p| p.display().to_string()));
    let key_password = args
        .key_password_file
        .as_deref()
        .or(file.key_password_file.as_deref());
    let matches = if args.password_matches_pin {
        Some(true)
    } else if key_password.is_some() {
        Some(false)
    } else {
        file.password_matches_pin
    };
    a.flag(keys::PASSWORD_MATCHES_PIN, matches);
    a.secret_file(keys::KEY_PASSWORD, key_password);
    a.text(
        keys::TOKEN_NAME,
        args.token_name.clone().or(file.token_name),
    );
    a.secret_file(
        keys::CURRENT_PIN,
        args.pin_file.as_deref().or(file.pin_file.as_deref()),
    );
    let new_pin = args
        .new_pin_file
        .as_deref()
        .or(file.new_pin_file.as_deref());
    a.secret_file(keys::NEW_PIN, new_pin);
    a.secret_file(
        keys::NEW_PIN_REPEAT,
        args.repeat_pin_file
            .as_deref()
            .or(file.repeat_pin_file.as_deref())
            .or(new_pin),
    );
    a.text(keys::TERM, args.term.or(file.term).map(|t| t.to_string()));
    a.flag(keys::CONFIRM, args.yes.then_some(true).or(file.confirm));
    Ok(a)
}

pub fn run(args: &EnrollArgs, g: &GlobalArgs) -> Result<()> {
    let agent = Agent::load(g, &args.output)?;
    let answers = answers(args).map_err(Failure::invalid)?;
    let mut interaction = WizardInteraction::new(answers, agent.lang);
    agent.run_with(
        "enroll",
        "enroll",
        &args.select,
        &mut interaction,
        &args.output,
    )
}
