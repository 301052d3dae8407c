//! The CLI's output layer: the only place that writes to stdout/stderr directly.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

/// Prints a line of command output. A closed stdout (e.g. `rampart devnet | head`) is not an
/// error worth dying for: the line is dropped.
pub(crate) fn line(text: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Prints a value as pretty JSON.
pub(crate) fn json(value: &serde_json::Value) {
    line(serde_json::to_string_pretty(value).expect("JSON values serialize"));
}

/// Reports a failed command as one line, `error: <cause chain>`, and exit code 1.
pub(crate) fn error(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::FAILURE
}

/// Help and version go to stdout as clap renders them; argument errors become one line.
pub(crate) fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        print!("{}", e.render());
        return ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        eprint!("{}", e.render());
        return ExitCode::from(2);
    }
    let rendered = e.render().to_string();
    let first = rendered.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
    eprintln!("{first} (see --help)");
    ExitCode::from(2)
}

/// A panic is a bug, but even then the user sees one line, not a backtrace.
pub(crate) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at =
            info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("error: internal error (please report): {msg}{at}");
    }));
}
