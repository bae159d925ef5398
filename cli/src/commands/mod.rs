//! Subcommand dispatch. Each subcommand is one entry in [`COMMANDS`], so adding
//! `run`, `ir`, `asm`, `compile` or `version` is one table row plus a module.
//! Argument parsing is hand-written: the grammar is tiny and a parser crate
//! would be the largest dependency of the binary.

use std::ffi::OsString;
use std::io::{self, Write};

pub mod compile;
pub mod ir;
pub mod run;
pub mod version;
pub mod wast;

/// Exit status for success.
pub const EXIT_OK: i32 = 0;
/// Exit status when the work ran but something failed (e.g. a wast assertion).
pub const EXIT_FAILURE: i32 = 1;
/// Exit status for a command line we could not understand.
pub const EXIT_USAGE: i32 = 2;

/// A command line that does not parse; the message says what was wrong and the
/// caller prints the usage after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// One subcommand of `zerowasm`.
pub struct Command {
    /// The word after `zerowasm`.
    pub name: &'static str,
    /// One line for the top-level usage.
    pub summary: &'static str,
    /// The full usage of this subcommand, printed for `--help` and on usage errors.
    pub usage: &'static str,
    /// Runs the subcommand on the arguments after its name and returns the exit
    /// status; writes results to `out`, diagnostics to `err`.
    pub run: fn(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32>,
}

/// Every subcommand, in the order the usage lists them.
pub const COMMANDS: &[Command] =
    &[run::COMMAND, compile::COMMAND, wast::COMMAND, ir::COMMAND, version::COMMAND];

/// The top-level usage, listing the subcommands from [`COMMANDS`].
pub fn usage() -> String {
    let mut text = String::from("usage: zerowasm <command> [args...]\n\ncommands:\n");
    for command in COMMANDS {
        text.push_str(&format!("  {:<10}{}\n", command.name, command.summary));
    }
    text.push_str("\nRun `zerowasm <command> --help` for the arguments of a command.\n");
    text
}

/// Runs `zerowasm` with the arguments after the program name and returns the
/// process exit status: 0 success, 1 failures, 2 usage error.
pub fn run(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // A closed stdout (e.g. piped into `head`) leaves nothing useful to report.
    dispatch(args, out, err).unwrap_or(EXIT_FAILURE)
}

fn dispatch(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let Some((first, rest)) = args.split_first() else {
        write!(err, "error: missing command\n\n{}", usage())?;
        return Ok(EXIT_USAGE);
    };
    let name = first.to_string_lossy();
    if matches!(&*name, "-h" | "--help" | "help") {
        write!(out, "{}", usage())?;
        return Ok(EXIT_OK);
    }
    match COMMANDS.iter().find(|c| c.name == name) {
        Some(command) => (command.run)(rest, out, err),
        None => {
            let what = if name.starts_with('-') { "flag" } else { "command" };
            write!(err, "error: unknown {what} `{name}`\n\n{}", usage())?;
            Ok(EXIT_USAGE)
        }
    }
}

/// Prints a subcommand's usage error the same way for every subcommand.
pub fn usage_error(err: &mut dyn Write, error: &UsageError, usage: &str) -> io::Result<i32> {
    write!(err, "error: {}\n\n{usage}", error.0)?;
    Ok(EXIT_USAGE)
}

/// The value of `--flag=value` or `--flag value`, for every subcommand's parser.
pub(crate) fn flag_value<'a>(
    flag: &str,
    inline_value: Option<String>,
    iter: &mut impl Iterator<Item = &'a OsString>,
) -> Result<String, UsageError> {
    match inline_value {
        Some(value) => Ok(value),
        None => match iter.next() {
            Some(value) => Ok(value.to_string_lossy().into_owned()),
            None => Err(UsageError(format!("{flag} needs a value"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_strs(args: &[&str]) -> (i32, String, String) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut out, &mut err);
        (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
    }

    #[test]
    fn unknown_command_or_flag_is_a_usage_error() {
        for (args, message) in [
            (&["frobnicate"][..], "error: unknown command `frobnicate`"),
            (&["--frobnicate"][..], "error: unknown flag `--frobnicate`"),
            (&[][..], "error: missing command"),
        ] {
            let (code, out, err) = run_strs(args);
            assert_eq!(code, EXIT_USAGE);
            assert_eq!(out, "");
            assert!(err.starts_with(message), "{err}");
            assert!(err.contains("usage: zerowasm <command>"), "{err}");
        }
    }

    #[test]
    fn help_goes_to_stdout() {
        let (code, out, err) = run_strs(&["--help"]);
        assert_eq!((code, err.as_str()), (EXIT_OK, ""));
        assert!(out.contains("  wast      "), "{out}");
    }
}
