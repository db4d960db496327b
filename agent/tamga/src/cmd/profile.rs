//! `tamga profile check FILE` and `tamga profile which`.

use serde_json::json;
use tamga_core::profile::{Lookup, Profile, ProfileSource};

use crate::agent::{fail, lang, print};
use crate::cli::{CheckArgs, GlobalArgs, ListArgs};
use crate::error::Result;
use crate::registry::REGISTRY;

pub fn check(args: &CheckArgs, g: &GlobalArgs) -> Result<()> {
    let lang = lang(g);
    let profile = Profile::read(&args.file).map_err(|e| fail(&args.output, &e.into(), lang))?;
    let drivers: Vec<_> = profile
        .drivers
        .iter()
        .map(|d| json!({ "name": d.name(), "in_build": REGISTRY.driver(d.name()).is_ok() }))
        .collect();
    let w = &profile.workflows;
    let mut workflows = vec!["pin"];
    for (name, present) in [
        ("enroll", w.enroll.is_some()),
        ("login", w.login.is_some()),
        ("sign", w.sign.is_some()),
    ] {
        if present {
            workflows.push(name);
        }
    }
    let names: Vec<_> = profile.drivers.iter().map(|d| d.name()).collect();
    let summary = lang.pick(
        format!(
            "{}: профиль «{}» в порядке; драйверы: {}; сценарии: {}",
            args.file.display(),
            profile.name,
            names.join(", "),
            workflows.join(", ")
        ),
        format!(
            "{}: profile `{}` is valid; drivers: {}; workflows: {}",
            args.file.display(),
            profile.name,
            names.join(", "),
            workflows.join(", ")
        ),
        None,
    );
    for d in names.iter().filter(|d| REGISTRY.driver(d).is_err()) {
        log::warn!("driver `{d}` is not part of this build");
    }
    print(
        &args.output,
        &summary,
        json!({
            "file": args.file.display().to_string(),
            "name": profile.name,
            "drivers": drivers,
            "workflows": workflows,
        }),
    );
    Ok(())
}

pub fn which(args: &ListArgs, g: &GlobalArgs) -> Result<()> {
    let lang = lang(g);
    let loaded = Lookup::from_env(g.profile.clone())
        .load()
        .map_err(|e| fail(&args.output, &e.into(), lang))?;
    let source = match &loaded.source {
        ProfileSource::Option(_) => "option",
        ProfileSource::Environment(_) => "environment",
        ProfileSource::User(_) => "user",
        ProfileSource::System(_) => "system",
        ProfileSource::Builtin => "builtin",
    };
    print(
        &args.output,
        &format!("{} ({})", loaded.source, loaded.profile.name),
        json!({
            "source": source,
            "file": loaded.source.path().map(|p| p.display().to_string()),
            "name": loaded.profile.name,
        }),
    );
    Ok(())
}
