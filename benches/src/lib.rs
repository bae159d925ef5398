//! Benchmark suites live in `benches/`; guest programs in `guests/`.
//!
//! Guests are real programs compiled to WebAssembly and committed as `.wasm`
//! next to their sources (`guests/build.sh` rebuilds them), so neither the
//! benches nor the tests need a C toolchain. This library only tells the
//! suites where those files are.

pub mod api_modules;

use std::path::PathBuf;

/// The directory holding the guest programs (`benches/guests`).
pub fn guests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("guests")
}

/// Path of a guest's module: `guests/<name>/<name>.wasm`.
pub fn guest_wasm_path(name: &str) -> PathBuf {
    guests_dir().join(name).join(format!("{name}.wasm"))
}

/// Reads a guest's module, with an error that names the file and says how to
/// rebuild it.
pub fn read_guest(name: &str) -> Result<Vec<u8>, String> {
    let path = guest_wasm_path(name);
    std::fs::read(&path).map_err(|e| {
        format!("cannot read guest module {}: {e} (rebuild with benches/guests/build.sh)", path.display())
    })
}

/// Criterion's output directory, as criterion itself chooses it:
/// `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("criterion"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion"),
    }
}

/// The median point estimate (ns) in a criterion `estimates.json`, found by
/// a plain text scan (no JSON dependency for one number).
fn median_ns(estimates: &str) -> Option<f64> {
    let median = &estimates[estimates.find("\"median\"")?..];
    let at = median.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let rest = &median[at..];
    let end = rest.find([',', '}'])?;
    rest[..end].trim().parse().ok()
}

/// Every `<id>/new/estimates.json` under `dir`, as `(id, median ns)`.
fn collect(dir: &std::path::Path, prefix: &str, out: &mut Vec<(String, f64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name == "new" {
            if let Some(ns) =
                std::fs::read_to_string(path.join("estimates.json")).ok().and_then(|s| median_ns(&s))
            {
                out.push((prefix.trim_end_matches('/').to_string(), ns));
            }
        } else if name != "base" && name != "change" && name != "report" {
            collect(&path, &format!("{prefix}{name}/"), out);
        }
    }
}

/// Formats nanoseconds with a unit that keeps three significant figures.
pub fn format_ns(ns: f64) -> String {
    match ns {
        n if n >= 1e9 => format!("{:.3} s", n / 1e9),
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.2} µs", n / 1e3),
        n => format!("{n:.1} ns"),
    }
}

/// Prints one compact table of the medians criterion just recorded for the
/// benchmark groups `groups` (directory names under [`criterion_dir`]), so
/// `cargo bench` ends with a readable summary. `bytes(id)` gives the input
/// size for a throughput column, where one makes sense.
pub fn print_summary(title: &str, groups: &[&str], bytes: impl Fn(&str) -> Option<u64>) {
    let mut rows = Vec::new();
    for group in groups {
        collect(&criterion_dir().join(group), &format!("{group}/"), &mut rows);
    }
    if rows.is_empty() {
        return;
    }
    println!();
    println!("{title} (criterion medians)");
    println!("{:<52} {:>12} {:>12}", "benchmark", "median", "throughput");
    for (id, ns) in rows {
        let thrpt = bytes(&id).map_or(String::new(), |b| format!("{:.1} MB/s", b as f64 / ns * 1e3));
        println!("{id:<52} {:>12} {thrpt:>12}", format_ns(ns));
    }
    println!();
}

/// True when the bench binary measures (`cargo bench`), not when it runs as
/// a test (`cargo test --benches`) or lists benchmarks.
pub fn benchmarking() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    has("--bench") && !has("--test") && !has("--list")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_are_read_from_criterion_estimates() {
        let json = r#"{"mean":{"confidence_interval":{"lower_bound":1.0},"point_estimate":2.5},"median":{"confidence_interval":{"confidence_level":0.95},"point_estimate":1804236.78,"standard_error":3.0}}"#;
        assert_eq!(median_ns(json), Some(1804236.78));
        assert_eq!(median_ns("{}"), None);
        assert_eq!(format_ns(1804236.78), "1.80 ms");
        assert_eq!(format_ns(44.04), "44.0 ns");
        assert_eq!(format_ns(2.5e9), "2.500 s");
    }
}

/// One run recorded in a guest's `EXPECTED.txt` (on V8 and wasmtime): the
/// arguments after the module name, the exit code and the exact stdout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRun {
    /// Arguments after argv[0].
    pub args: Vec<String>,
    /// The WASI exit code.
    pub exit: i32,
    /// Stdout, verbatim.
    pub stdout: String,
}

/// The runs of an `EXPECTED.txt` (format in `guests/record-expected.sh`).
pub fn recorded_runs(text: &str) -> Result<Vec<RecordedRun>, String> {
    let mut runs = Vec::new();
    for block in text.split("\nargs:").skip(1) {
        let mut lines = block.lines();
        let args = lines.next().unwrap_or_default().split_whitespace().map(String::from).collect();
        let exit = lines.next().and_then(|l| l.strip_prefix("exit: ")).and_then(|c| c.parse().ok());
        let exit = exit.ok_or_else(|| format!("malformed EXPECTED block (exit line): {block}"))?;
        if lines.next() != Some("stdout:") {
            return Err(format!("malformed EXPECTED block (stdout line): {block}"));
        }
        let stdout: Vec<&str> = lines.take_while(|l| *l != "end").collect();
        runs.push(RecordedRun { args, exit, stdout: format!("{}\n", stdout.join("\n")) });
    }
    Ok(runs)
}

/// The WASI guests with an `EXPECTED.txt`, by name, sorted.
pub fn wasi_guests() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(guests_dir()) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join("EXPECTED.txt").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A guest's small recorded run: the one with argument `1`, else the first.
pub fn small_run(name: &str) -> Result<RecordedRun, String> {
    let path = guests_dir().join(name).join("EXPECTED.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let runs = recorded_runs(&text)?;
    runs.iter()
        .find(|r| r.args == ["1"])
        .or_else(|| runs.first())
        .cloned()
        .ok_or_else(|| format!("{name}: no run"))
}
