//! The compilation cache (DESIGN §6): compiling the same bytes with the same
//! engine, features and options twice gives back the first result.
//!
//! Two levels, both behind one cloneable [`CompilationCache`] handle:
//!
//! * **Memory**: compiled [`crate::CompiledModule`]s by key, shared by every clone of
//!   the handle (so by every runtime given one). A hit is an `Arc` clone; the
//!   interpreter's lazily translated functions are shared too. In memory the
//!   module bytes are identified by a fast hash and then compared byte for
//!   byte with the cached module's own bytes: exact, and much cheaper than a
//!   sha256, which costs as much as validating the module.
//! * **Directory** (optional, [`CompilationCache::with_dir`]): one file per
//!   key holding the module's validated description
//!   ([`zerowasm_frontend::serialize`]), so another process skips decoding
//!   and validation. The interpreter has no other artifact: it translates
//!   functions lazily, on first call.
//!
//! The directory key is the sha256 of the module bytes plus the engine's
//! name, this crate's version, the host CPU's features, the enabled
//! [`CoreFeatures`] and [`CompileOptions::fingerprint`]: anything that could
//! make the compiled result differ. The in-memory key has the same parts.
//!
//! # Trust
//!
//! The cache directory must be trusted like the program itself. Each entry
//! carries its full key and a sha256 of its payload, and the payload is
//! decoded defensively, so truncated, corrupted and foreign entries (another
//! key, another format, another version) are detected, counted in
//! [`CacheStats::rejected`], recompiled and rewritten. A checksum is not a
//! signature: whoever can write the directory can forge an entry that
//! passes, and a forged entry skips validation. Do not point the cache at a
//! directory others can write.
//!
//! Writers never produce a torn file: an entry is written to a temporary
//! file with a unique name in the same directory, then renamed over the old
//! one, so concurrent processes (or caches) sharing a directory are safe.

mod dir;
pub mod sha256;

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use zerowasm_frontend::{CoreFeatures, ModuleInfo, serialize};

use crate::engine::{CompileOptions, Engine};
use crate::error::Error;
use crate::module::CompiledModule;

use dir::{DirStore, Lookup};

/// A cache of compiled modules, in memory and optionally in a directory.
/// Cloning gives another handle on the same entries, so one cache can serve
/// many runtimes, on any thread.
#[derive(Clone)]
pub struct CompilationCache {
    inner: Arc<Inner>,
}

/// The in-memory key: everything but the bytes ([`config_key`]) and a fast
/// hash of the bytes. Modules under one key are told apart by their bytes.
type MemoryKey = (String, u64);

struct Inner {
    memory: Mutex<HashMap<MemoryKey, Vec<CompiledModule>>>,
    dir: Option<DirStore>,
    memory_hits: AtomicU64,
    dir_hits: AtomicU64,
    misses: AtomicU64,
    rejected: AtomicU64,
    write_errors: AtomicU64,
}

/// How often the cache helped, for tuning and for tests. Counts are since the
/// cache was created and cover every handle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from memory.
    pub memory_hits: u64,
    /// Lookups answered from the directory (then kept in memory too).
    pub dir_hits: u64,
    /// Lookups that compiled from the bytes (after a rejection too).
    pub misses: u64,
    /// Directory entries found but not trusted: truncated, corrupted, for
    /// another key or in another format. Each was recompiled and rewritten.
    pub rejected: u64,
    /// Directory entries that could not be written (the module still compiled).
    pub write_errors: u64,
}

impl CompilationCache {
    /// A cache that lives only as long as its handles: nothing touches disk.
    pub fn in_memory() -> CompilationCache {
        CompilationCache::new(None)
    }

    /// A cache in memory backed by `dir`, which is created if missing. The
    /// directory must be as trusted as the program (see the module docs).
    pub fn with_dir(dir: impl Into<PathBuf>) -> std::io::Result<CompilationCache> {
        Ok(CompilationCache::new(Some(DirStore::open(dir.into())?)))
    }

    fn new(dir: Option<DirStore>) -> CompilationCache {
        CompilationCache {
            inner: Arc::new(Inner {
                memory: Mutex::new(HashMap::new()),
                dir,
                memory_hits: AtomicU64::new(0),
                dir_hits: AtomicU64::new(0),
                misses: AtomicU64::new(0),
                rejected: AtomicU64::new(0),
                write_errors: AtomicU64::new(0),
            }),
        }
    }

    /// The backing directory, if any, so embedders can report or clean it.
    pub fn dir(&self) -> Option<&Path> {
        self.inner.dir.as_ref().map(DirStore::path)
    }

    /// The counters, shared by every handle.
    pub fn stats(&self) -> CacheStats {
        let i = &self.inner;
        CacheStats {
            memory_hits: i.memory_hits.load(Ordering::Relaxed),
            dir_hits: i.dir_hits.load(Ordering::Relaxed),
            misses: i.misses.load(Ordering::Relaxed),
            rejected: i.rejected.load(Ordering::Relaxed),
            write_errors: i.write_errors.load(Ordering::Relaxed),
        }
    }

    /// Forgets the modules held in memory (the directory stays), to release
    /// memory or to force the next lookups to the directory.
    pub fn clear_memory(&self) {
        self.memory().clear();
    }

    /// Returns the cached module for these bytes, engine, features and
    /// options, or compiles it and caches the result. Compile errors are
    /// returned and never cached; failing to write the directory is not an
    /// error (it is counted in [`CacheStats::write_errors`]).
    pub(crate) fn get_or_compile(
        &self,
        engine: &dyn Engine,
        features: CoreFeatures,
        options: &CompileOptions,
        bytes: &[u8],
    ) -> Result<CompiledModule, Error> {
        let config = config_key(engine, features, options);
        let memory_key = (config, fast_hash(bytes));
        let hit =
            self.memory().get(&memory_key).and_then(|ms| ms.iter().find(|m| m.bytes() == bytes).cloned());
        if let Some(module) = hit {
            self.inner.memory_hits.fetch_add(1, Ordering::Relaxed);
            return Ok(module);
        }
        // Only the directory needs the sha256, and only after a memory miss.
        let dir = self.inner.dir.as_ref().map(|d| (d, full_key(&memory_key.0, bytes)));
        if let Some((dir, key)) = &dir {
            match dir.load(key) {
                Lookup::Hit(payload) => match decode_payload(&payload, bytes.len()) {
                    Ok(info) => {
                        let module = CompiledModule::from_validated(
                            engine,
                            options,
                            Arc::new(info),
                            Arc::from(bytes),
                        )?;
                        self.inner.dir_hits.fetch_add(1, Ordering::Relaxed);
                        return Ok(self.remember(memory_key, module));
                    }
                    Err(_) => {
                        self.inner.rejected.fetch_add(1, Ordering::Relaxed);
                    }
                },
                Lookup::Rejected(_) => {
                    self.inner.rejected.fetch_add(1, Ordering::Relaxed);
                }
                Lookup::Missing => {}
            }
        }
        self.inner.misses.fetch_add(1, Ordering::Relaxed);
        let module = CompiledModule::compile(engine, features, options, bytes)?;
        if let Some((dir, key)) = &dir
            && dir.store(key, &serialize::encode(module.info())).is_err()
        {
            self.inner.write_errors.fetch_add(1, Ordering::Relaxed);
        }
        Ok(self.remember(memory_key, module))
    }

    /// Keeps `module` in memory unless another thread got there first, and
    /// returns the one kept, so every caller shares one compiled module.
    fn remember(&self, key: MemoryKey, module: CompiledModule) -> CompiledModule {
        let mut memory = self.memory();
        let modules = memory.entry(key).or_default();
        match modules.iter().find(|m| m.bytes() == module.bytes()) {
            Some(kept) => kept.clone(),
            None => {
                modules.push(module.clone());
                module
            }
        }
    }

    fn memory(&self) -> MutexGuard<'_, HashMap<MemoryKey, Vec<CompiledModule>>> {
        // A panic while holding the lock cannot leave the map half-updated
        // (every update is one insert or clear), so a poisoned lock is usable.
        self.inner.memory.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where the directory entry for this compilation lives, for tests that
    /// damage entries on purpose.
    #[cfg(test)]
    fn entry_path(
        &self,
        engine: &dyn Engine,
        features: CoreFeatures,
        options: &CompileOptions,
        bytes: &[u8],
    ) -> Option<PathBuf> {
        let key = cache_key(engine, features, options, bytes);
        self.inner.dir.as_ref().map(|d| d.entry_path(&key))
    }
}

impl fmt::Debug for CompilationCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompilationCache")
            .field("dir", &self.dir())
            .field("in_memory", &self.memory().values().map(Vec::len).sum::<usize>())
            .field("stats", &self.stats())
            .finish()
    }
}

/// Decodes a directory payload and checks that its byte ranges fit the
/// module they describe (a valid entry always does, since the key covers the
/// sha256 of the bytes).
fn decode_payload(payload: &[u8], module_len: usize) -> Result<ModuleInfo, String> {
    let info = serialize::decode(payload).map_err(|e| e.to_string())?;
    let ranges = info
        .bodies
        .iter()
        .map(|b| &b.range)
        .chain(info.data.iter().map(|d| &d.range))
        .chain(info.custom_sections.iter().map(|c| &c.range));
    for r in ranges {
        if r.end > module_len {
            return Err(format!("range {r:?} beyond the module's {module_len} bytes"));
        }
    }
    Ok(info)
}

/// Everything that determines the compiled result, as one unambiguous line
/// (each free-form part is quoted): the directory key.
#[cfg(test)]
fn cache_key(engine: &dyn Engine, features: CoreFeatures, options: &CompileOptions, bytes: &[u8]) -> String {
    full_key(&config_key(engine, features, options), bytes)
}

/// The directory key: the sha256 of the bytes, then everything else.
fn full_key(config: &str, bytes: &[u8]) -> String {
    format!("zerowasm-cache module={} {config}", sha256::hex(&sha256::sha256(bytes)))
}

/// A fast, non-cryptographic hash of the module bytes for the in-memory map;
/// hits are confirmed by comparing the bytes, so collisions are harmless.
fn fast_hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Everything but the module bytes that determines the compiled result.
fn config_key(engine: &dyn Engine, features: CoreFeatures, options: &CompileOptions) -> String {
    let enabled: Vec<&str> =
        CoreFeatures::ALL_NAMED.iter().filter(|(f, _)| features.contains(*f)).map(|(_, n)| *n).collect();
    format!(
        "engine={:?} version={:?} cpu={:?} features={:?} options={:?} info-format={}",
        engine.name(),
        env!("CARGO_PKG_VERSION"),
        cpu_features(),
        enabled.join("+"),
        options.fingerprint(),
        serialize::FORMAT_VERSION,
    )
}

/// The target architecture and the host CPU features code generation may
/// depend on, detected once.
fn cpu_features() -> &'static str {
    static CPU: OnceLock<String> = OnceLock::new();
    CPU.get_or_init(|| {
        #[allow(unused_mut, reason = "only some architectures append features")]
        let mut s = String::from(std::env::consts::ARCH);
        #[cfg(target_arch = "x86_64")]
        {
            let detected = [
                ("sse4.1", std::arch::is_x86_feature_detected!("sse4.1")),
                ("avx", std::arch::is_x86_feature_detected!("avx")),
                ("avx2", std::arch::is_x86_feature_detected!("avx2")),
                ("bmi1", std::arch::is_x86_feature_detected!("bmi1")),
                ("bmi2", std::arch::is_x86_feature_detected!("bmi2")),
                ("lzcnt", std::arch::is_x86_feature_detected!("lzcnt")),
                ("popcnt", std::arch::is_x86_feature_detected!("popcnt")),
            ];
            append_features(&mut s, &detected);
        }
        #[cfg(target_arch = "aarch64")]
        {
            let detected = [
                ("neon", std::arch::is_aarch64_feature_detected!("neon")),
                ("lse", std::arch::is_aarch64_feature_detected!("lse")),
                ("crc", std::arch::is_aarch64_feature_detected!("crc")),
                ("aes", std::arch::is_aarch64_feature_detected!("aes")),
                ("sha2", std::arch::is_aarch64_feature_detected!("sha2")),
            ];
            append_features(&mut s, &detected);
        }
        s
    })
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
fn append_features(s: &mut String, detected: &[(&str, bool)]) {
    for (name, _) in detected.iter().filter(|(_, on)| *on) {
        s.push('+');
        s.push_str(name);
    }
}

#[cfg(test)]
mod tests;
