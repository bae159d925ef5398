//! [`ModuleConfig`]: what differs between two instances of one compiled
//! module: its name, what runs at start, and the world a system interface
//! (WASI) shows it: args, environment, stdio, clocks, randomness, mounts.

use std::any::Any;
use std::fmt;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::sys::{Clock, RandomSource};
use crate::error::Error;

/// A reader shared by the configs cloned from one another.
pub type SharedReader = Arc<Mutex<dyn Read + Send>>;
/// A writer shared by the configs cloned from one another.
pub type SharedWriter = Arc<Mutex<dyn Write + Send>>;
/// A random source shared by the configs cloned from one another.
pub type SharedRandom = Arc<Mutex<dyn RandomSource>>;

/// A host directory a guest sees at a path of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// The host directory.
    pub host: PathBuf,
    /// Where the guest sees it (`/data`, `.`).
    pub guest: String,
    /// Refuse every write through this mount.
    pub read_only: bool,
}

impl Mount {
    /// Parses the CLI form `HOST[:GUEST][:ro]` (GUEST defaults to HOST).
    pub fn parse(spec: &str) -> Result<Mount, Error> {
        let (rest, read_only) = match spec.strip_suffix(":ro") {
            Some(r) => (r, true),
            None => (spec, false),
        };
        let (host, guest) = rest.split_once(':').unwrap_or((rest, rest));
        if host.is_empty() || guest.is_empty() || guest.contains(':') {
            return Err(Error::Config(format!("bad mount `{spec}`: expected HOST[:GUEST][:ro]")));
        }
        Ok(Mount { host: PathBuf::from(host), guest: guest.to_string(), read_only })
    }
}

/// How to instantiate one module: cheap to clone, and one config may serve
/// many instances (streams and sources given to it are then shared).
///
/// ```
/// use zerowasm_runtime::ModuleConfig;
/// let config = ModuleConfig::new()
///     .with_name("guest")
///     .with_args(["guest", "--verbose"])
///     .with_env("HOME", "/home/guest")
///     .with_stdout(Vec::new());
/// assert_eq!(config.args(), ["guest", "--verbose"]);
/// ```
#[derive(Clone)]
pub struct ModuleConfig {
    name: Option<String>,
    start_functions: Vec<String>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<SharedReader>,
    stdout: Option<SharedWriter>,
    stderr: Option<SharedWriter>,
    wall_clock: Option<Arc<dyn Clock>>,
    monotonic_clock: Option<Arc<dyn Clock>>,
    cputime_clock: Option<Arc<dyn Clock>>,
    random: Option<SharedRandom>,
    mounts: Vec<Mount>,
    fuel: Option<u64>,
    timeout: Option<Duration>,
    extensions: Vec<Arc<dyn Any + Send + Sync>>,
}

impl Default for ModuleConfig {
    fn default() -> Self {
        ModuleConfig {
            name: None,
            start_functions: vec!["_start".to_string()],
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            stdout: None,
            stderr: None,
            wall_clock: None,
            monotonic_clock: None,
            cputime_clock: None,
            random: None,
            mounts: Vec::new(),
            fuel: None,
            timeout: None,
            extensions: Vec::new(),
        }
    }
}

impl fmt::Debug for ModuleConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleConfig")
            .field("name", &self.name)
            .field("start_functions", &self.start_functions)
            .field("args", &self.args)
            .field("env", &self.env)
            .field("stdin", &self.stdin.is_some())
            .field("stdout", &self.stdout.is_some())
            .field("stderr", &self.stderr.is_some())
            .field("mounts", &self.mounts)
            .field("fuel", &self.fuel)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ModuleConfig {
    /// The defaults: no name (the name section's, if any, is used), start
    /// function `_start`, no args or env, stdin empty, stdout and stderr
    /// discarded, the host's clocks and CSPRNG, no mounts.
    pub fn new() -> ModuleConfig {
        ModuleConfig::default()
    }

    /// The instance's name, used in traces and backtraces.
    pub fn with_name(mut self, name: impl Into<String>) -> ModuleConfig {
        self.name = Some(name.into());
        self
    }

    /// Exported functions to call, in order, after instantiation (the default
    /// is `_start`; names the module does not export are skipped). Pass an
    /// empty list to run none, e.g. for a reactor whose exports you call.
    pub fn with_start_functions<S: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = S>,
    ) -> ModuleConfig {
        self.start_functions = names.into_iter().map(Into::into).collect();
        self
    }

    /// The guest's `argv`, program name first.
    pub fn with_args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> ModuleConfig {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Adds an environment variable.
    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> ModuleConfig {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The guest's stdin.
    pub fn with_stdin(mut self, r: impl Read + Send + 'static) -> ModuleConfig {
        self.stdin = Some(Arc::new(Mutex::new(r)));
        self
    }

    /// The guest's stdout.
    pub fn with_stdout(mut self, w: impl Write + Send + 'static) -> ModuleConfig {
        self.stdout = Some(Arc::new(Mutex::new(w)));
        self
    }

    /// The guest's stderr.
    pub fn with_stderr(mut self, w: impl Write + Send + 'static) -> ModuleConfig {
        self.stderr = Some(Arc::new(Mutex::new(w)));
        self
    }

    /// The host process's stdin, stdout and stderr.
    pub fn with_inherited_stdio(self) -> ModuleConfig {
        self.with_stdin(std::io::stdin()).with_stdout(std::io::stdout()).with_stderr(std::io::stderr())
    }

    /// The wall clock (ns since the Unix epoch).
    pub fn with_wall_clock(mut self, clock: impl Clock + 'static) -> ModuleConfig {
        self.wall_clock = Some(Arc::new(clock));
        self
    }

    /// The monotonic clock (ns from an arbitrary epoch).
    pub fn with_monotonic_clock(mut self, clock: impl Clock + 'static) -> ModuleConfig {
        self.monotonic_clock = Some(Arc::new(clock));
        self
    }

    /// The process and thread CPU-time clocks (the host's by default).
    pub fn with_cputime_clock(mut self, clock: impl Clock + 'static) -> ModuleConfig {
        self.cputime_clock = Some(Arc::new(clock));
        self
    }

    /// Where random bytes come from.
    pub fn with_random(mut self, random: impl RandomSource + 'static) -> ModuleConfig {
        self.random = Some(Arc::new(Mutex::new(random)));
        self
    }

    /// Mounts host directory `host` at guest path `guest`.
    pub fn with_mount(
        mut self,
        host: impl Into<PathBuf>,
        guest: impl Into<String>,
        read_only: bool,
    ) -> ModuleConfig {
        self.mounts.push(Mount { host: host.into(), guest: guest.into(), read_only });
        self
    }

    /// Fuel the instance starts with (needs [`crate::RuntimeConfig::with_fuel`]).
    pub fn with_fuel(mut self, fuel: u64) -> ModuleConfig {
        self.fuel = Some(fuel);
        self
    }

    /// Bounds instantiation (start functions included) and, until changed
    /// with [`crate::Module::set_timeout`], every call (needs
    /// [`crate::RuntimeConfig::with_close_on_deadline`]).
    pub fn with_timeout(mut self, timeout: Duration) -> ModuleConfig {
        self.timeout = Some(timeout);
        self
    }

    /// Attaches a value for a host module to find with
    /// [`ModuleConfig::extension`]: how WASI gets settings the runtime knows
    /// nothing of (an in-memory file system, pre-opened sockets).
    pub fn with_extension<T: Any + Send + Sync>(mut self, value: T) -> ModuleConfig {
        self.extensions.push(Arc::new(value));
        self
    }

    /// The instance name, if one was set.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The start functions.
    pub fn start_functions(&self) -> &[String] {
        &self.start_functions
    }

    /// The args.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// The environment, in the order added.
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// The stdin given, if any.
    pub fn stdin(&self) -> Option<&SharedReader> {
        self.stdin.as_ref()
    }

    /// The stdout given, if any.
    pub fn stdout(&self) -> Option<&SharedWriter> {
        self.stdout.as_ref()
    }

    /// The stderr given, if any.
    pub fn stderr(&self) -> Option<&SharedWriter> {
        self.stderr.as_ref()
    }

    /// The wall clock given, if any.
    pub fn wall_clock(&self) -> Option<&Arc<dyn Clock>> {
        self.wall_clock.as_ref()
    }

    /// The monotonic clock given, if any.
    pub fn monotonic_clock(&self) -> Option<&Arc<dyn Clock>> {
        self.monotonic_clock.as_ref()
    }

    /// The CPU-time clock given, if any.
    pub fn cputime_clock(&self) -> Option<&Arc<dyn Clock>> {
        self.cputime_clock.as_ref()
    }

    /// The random source given, if any.
    pub fn random(&self) -> Option<&SharedRandom> {
        self.random.as_ref()
    }

    /// The mounts, in the order added.
    pub fn mounts(&self) -> &[Mount] {
        &self.mounts
    }

    /// The starting fuel, if set.
    pub fn fuel(&self) -> Option<u64> {
        self.fuel
    }

    /// The timeout, if set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Every extension of type `T`, in the order attached.
    pub fn extensions<T: Any + Send + Sync>(&self) -> impl Iterator<Item = &T> {
        self.extensions.iter().filter_map(|e| e.downcast_ref::<T>())
    }

    /// The first extension of type `T`.
    pub fn extension<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.extensions().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_specs() {
        let m = Mount::parse("/tmp/x").expect("plain");
        assert_eq!(m, Mount { host: "/tmp/x".into(), guest: "/tmp/x".into(), read_only: false });
        let m = Mount::parse("data:/d:ro").expect("guest and ro");
        assert_eq!(m, Mount { host: "data".into(), guest: "/d".into(), read_only: true });
        let err = Mount::parse(":/d").expect_err("empty host");
        assert_eq!(err.to_string(), "configuration error: bad mount `:/d`: expected HOST[:GUEST][:ro]");
        assert!(Mount::parse("a:b:c").is_err());
    }

    #[test]
    fn extensions_by_type() {
        let c = ModuleConfig::new().with_extension(7u32).with_extension("s").with_extension(9u32);
        assert_eq!(c.extensions::<u32>().copied().collect::<Vec<_>>(), [7, 9]);
        assert_eq!(c.extension::<&str>(), Some(&"s"));
        assert!(c.extension::<i64>().is_none());
    }

    #[test]
    fn defaults_run_start() {
        let c = ModuleConfig::new();
        assert_eq!(c.start_functions(), ["_start"]);
        assert!(ModuleConfig::new().with_start_functions::<&str>([]).start_functions().is_empty());
    }
}
