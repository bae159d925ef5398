//! `zerowasm version`: the version, engine and host, for bug reports.

use std::ffi::OsString;
use std::io::{self, Write};

use super::{Command, EXIT_OK};

/// The table entry for `zerowasm version`.
pub const COMMAND: Command = Command {
    name: "version",
    summary: "print the zerowasm version",
    usage: "usage: zerowasm version\n\nPrints the version, the default engine and the host.\n",
    run: version_command,
};

/// What `zerowasm version` prints.
pub fn version_text() -> String {
    let engine = zerowasm_runtime::Runtime::new().engine_name();
    format!(
        "zerowasm {}\nengine: {engine}\nhost: {}-{}\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH,
        std::env::consts::OS
    )
}

fn version_command(_args: &[OsString], out: &mut dyn Write, _err: &mut dyn Write) -> io::Result<i32> {
    write!(out, "{}", version_text())?;
    Ok(EXIT_OK)
}
