//! Every subcommand and option says what it is: walked from clap's own
//! description of the command line, and checked in each rendered `--help`.

use clap::CommandFactory;

/// (arguments seen, what lacks help text).
fn walk(cmd: &mut clap::Command, path: &str, seen: &mut usize, problems: &mut Vec<String>) {
    let rendered = cmd.render_long_help().to_string();
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        *seen += 1;
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        let first = help.lines().next().unwrap_or_default().trim();
        if first.is_empty() {
            problems.push(format!("`{path}`: `{id}` has no help text"));
        } else if !rendered.contains(first) {
            problems.push(format!("`{path} --help` does not show `{id}`'s help"));
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    for name in names {
        let sub = cmd.find_subcommand_mut(&name).unwrap();
        if sub
            .get_about()
            .is_none_or(|a| a.to_string().trim().is_empty())
        {
            problems.push(format!("`{path} {name}` has no description"));
        }
        walk(sub, &format!("{path} {name}"), seen, problems);
    }
}

#[test]
fn every_subcommand_and_option_has_help_text() {
    let mut cmd = crate::Cli::command();
    cmd.build();
    cmd.clone().debug_assert();
    let (mut seen, mut problems) = (0, Vec::new());
    walk(&mut cmd, "orgradar", &mut seen, &mut problems);
    assert!(
        seen >= 20,
        "only {seen} options found: the walk missed some"
    );
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn serve_help_lists_the_environment() {
    let mut cmd = crate::Cli::command();
    let serve = cmd.find_subcommand_mut("serve").unwrap();
    let help = serve.render_long_help().to_string();
    for (name, default, _) in orgradar::config::variables::VARIABLES {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing from serve --help:\n{help}"));
        assert!(line.contains(&format!("[default: {default}]")), "{line}");
    }
}
