//! The compilation cache end to end: memory and directory hits, damaged and
//! foreign entries, distinct keys, concurrent writers, compile errors.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use super::sha256::{hex, sha256};
use super::*;
use crate::{Interpreter, Linker, Store, Val};

/// `f(x) = x + memory[0]`, with memory[0] = 42 from a data segment, so a
/// module rebuilt from a cache entry must get its ranges right to answer 62.
const WAT: &str = r#"(module (memory 1) (data (i32.const 0) "\2a")
    (func (export "f") (param i32) (result i32)
      (i32.add (local.get 0) (i32.load8_u (i32.const 0)))))"#;

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("zerowasm-cache-{name}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        TempDir(dir)
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .expect("list cache dir")
            .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn wasm() -> Vec<u8> {
    wat::parse_str(WAT).expect("wat")
}

fn compile(cache: &CompilationCache, bytes: &[u8]) -> Result<CompiledModule, Error> {
    cache.get_or_compile(&Interpreter, CoreFeatures::default(), &CompileOptions::default(), bytes)
}

fn run(module: &CompiledModule) -> i32 {
    let mut store = Store::new();
    let instance = store.instantiate(module, &Linker::new()).expect("instantiates");
    let f = instance.get_func("f").expect("export f");
    let results = store.call(f, &[Val::I32(20)]).expect("call");
    assert_eq!(results.len(), 1);
    match results[0] {
        Val::I32(v) => v,
        ref other => panic!("unexpected result {other:?}"),
    }
}

fn stats(memory_hits: u64, dir_hits: u64, misses: u64, rejected: u64) -> CacheStats {
    CacheStats { memory_hits, dir_hits, misses, rejected, write_errors: 0 }
}

#[test]
fn a_memory_hit_shares_the_compiled_module() {
    let cache = CompilationCache::in_memory();
    assert_eq!(cache.dir(), None);
    let bytes = wasm();
    let a = compile(&cache, &bytes).expect("compiles");
    let b = compile(&cache, &bytes).expect("hit");
    assert!(Arc::ptr_eq(a.info(), b.info()));
    assert_eq!(cache.stats(), stats(1, 0, 1, 0));
    assert_eq!((run(&a), run(&b)), (62, 62));
    cache.clear_memory();
    let c = compile(&cache, &bytes).expect("recompiles");
    assert!(!Arc::ptr_eq(a.info(), c.info()));
    assert_eq!(cache.stats(), stats(1, 0, 2, 0));
}

#[test]
fn a_fast_hash_collision_cannot_return_another_module() {
    let cache = CompilationCache::in_memory();
    let (a_bytes, b_bytes) = (wasm(), wat::parse_str("(module (func (export \"g\")))").expect("wat"));
    let a = compile(&cache, &a_bytes).expect("a");
    // Pretend `b` hashes like `a`: file `a` under `b`'s in-memory key.
    let config = config_key(&Interpreter, CoreFeatures::default(), &CompileOptions::default());
    cache.remember((config, fast_hash(&b_bytes)), a.clone());
    let b = compile(&cache, &b_bytes).expect("b");
    assert_eq!(b.bytes(), &b_bytes[..]);
    assert_eq!(cache.stats(), stats(0, 0, 2, 0));
    assert!(Arc::ptr_eq(compile(&cache, &b_bytes).expect("b hit").info(), b.info()));
    assert!(Arc::ptr_eq(compile(&cache, &a_bytes).expect("a hit").info(), a.info()));
}

#[test]
fn clones_share_entries_across_threads() {
    let cache = CompilationCache::in_memory();
    let bytes = wasm();
    let first = compile(&cache, &bytes).expect("compiles");
    let clone = cache.clone();
    let bytes2 = bytes.clone();
    let info = std::thread::spawn(move || compile(&clone, &bytes2).expect("hit").info().clone())
        .join()
        .expect("thread");
    assert!(Arc::ptr_eq(first.info(), &info));
    assert_eq!(cache.stats(), stats(1, 0, 1, 0));
}

#[test]
fn a_new_cache_on_the_same_dir_hits_the_directory() {
    let tmp = TempDir::new("dir-hit");
    let bytes = wasm();
    let cache = CompilationCache::with_dir(&tmp.0).expect("creates the dir");
    assert_eq!(cache.dir(), Some(tmp.0.as_path()));
    let cold = compile(&cache, &bytes).expect("compiles");
    assert_eq!(cache.stats(), stats(0, 0, 1, 0));
    let path = cache
        .entry_path(&Interpreter, CoreFeatures::default(), &CompileOptions::default(), &bytes)
        .expect("dir");
    assert_eq!(tmp.files(), [path.file_name().expect("name").to_string_lossy()]);

    let other = CompilationCache::with_dir(&tmp.0).expect("reopens");
    let warm = compile(&other, &bytes).expect("dir hit");
    assert_eq!(other.stats(), stats(0, 1, 0, 0));
    assert_eq!(warm.info(), cold.info());
    assert_eq!(run(&warm), 62);
    // The directory hit filled memory.
    let again = compile(&other, &bytes).expect("memory hit");
    assert!(Arc::ptr_eq(warm.info(), again.info()));
    assert_eq!(other.stats(), stats(1, 1, 0, 0));
}

/// Damages the entry with `damage`, then checks that a fresh cache rejects
/// it, still compiles a working module and leaves a valid entry behind.
fn rejected_then_rewritten(name: &str, damage: impl Fn(&Path, &TempDir)) {
    let tmp = TempDir::new(name);
    let bytes = wasm();
    let cache = CompilationCache::with_dir(&tmp.0).expect("dir");
    compile(&cache, &bytes).expect("compiles");
    let path = cache
        .entry_path(&Interpreter, CoreFeatures::default(), &CompileOptions::default(), &bytes)
        .expect("dir");
    damage(&path, &tmp);

    let fresh = CompilationCache::with_dir(&tmp.0).expect("dir");
    let module = compile(&fresh, &bytes).expect("still compiles");
    assert_eq!(fresh.stats(), stats(0, 0, 1, 1), "{name}");
    assert_eq!(run(&module), 62, "{name}");
    let file = fs::read(&path).expect("entry rewritten");
    let key = cache_key(&Interpreter, CoreFeatures::default(), &CompileOptions::default(), &bytes);
    assert_eq!(dir::parse_entry(&key, &file), Ok(()), "{name}");

    let third = CompilationCache::with_dir(&tmp.0).expect("dir");
    assert_eq!(run(&compile(&third, &bytes).expect("dir hit")), 62);
    assert_eq!(third.stats(), stats(0, 1, 0, 0), "{name}");
}

#[test]
fn a_truncated_entry_is_rejected_and_rewritten() {
    rejected_then_rewritten("truncated", |path, _| {
        let file = fs::read(path).expect("entry");
        fs::write(path, &file[..file.len() - 3]).expect("truncate");
    });
    rejected_then_rewritten("empty", |path, _| fs::write(path, b"").expect("truncate"));
}

#[test]
fn a_flipped_payload_byte_is_rejected_and_rewritten() {
    rejected_then_rewritten("payload-flip", |path, _| {
        let mut file = fs::read(path).expect("entry");
        let last = file.len() - 1;
        file[last] ^= 0x40;
        fs::write(path, file).expect("flip");
    });
}

#[test]
fn a_flipped_header_byte_is_rejected_and_rewritten() {
    for at in [0, 9, 14, 20] {
        rejected_then_rewritten(&format!("header-flip-{at}"), |path, _| {
            let mut file = fs::read(path).expect("entry");
            file[at] ^= 0x01;
            fs::write(path, file).expect("flip");
        });
    }
}

#[test]
fn another_keys_entry_under_this_name_is_rejected_and_rewritten() {
    rejected_then_rewritten("foreign", |path, tmp| {
        // The same module with other options: a valid entry, but not ours.
        let options = CompileOptions { max_call_depth: 7, ..CompileOptions::default() };
        let cache = CompilationCache::with_dir(&tmp.0).expect("dir");
        let bytes = wasm();
        cache.get_or_compile(&Interpreter, CoreFeatures::default(), &options, &bytes).expect("compiles");
        let theirs = cache.entry_path(&Interpreter, CoreFeatures::default(), &options, &bytes).expect("dir");
        assert_ne!(theirs, path);
        fs::copy(&theirs, path).expect("copy over");
    });
}

#[test]
fn a_payload_that_does_not_fit_the_module_is_rejected() {
    let bytes = wasm();
    let info = zerowasm_frontend::validate(&bytes, CoreFeatures::default()).expect("valid");
    let payload = serialize::encode(&info);
    assert!(decode_payload(&payload, bytes.len()).is_ok());
    let err = decode_payload(&payload, bytes.len() - 5).expect_err("ranges beyond the module");
    assert!(err.contains("beyond"), "{err}");
    assert!(decode_payload(&payload[1..], bytes.len()).is_err());
}

#[test]
fn options_and_features_make_different_entries() {
    let tmp = TempDir::new("keys");
    let bytes = wasm();
    let cache = CompilationCache::with_dir(&tmp.0).expect("dir");
    let deep = CompileOptions { max_call_depth: 99, ..CompileOptions::default() };
    let v2 = CoreFeatures::default();
    let v1 = CoreFeatures::V1;
    let a = cache.get_or_compile(&Interpreter, v2, &CompileOptions::default(), &bytes).expect("a");
    let b = cache.get_or_compile(&Interpreter, v2, &deep, &bytes).expect("b");
    let c = cache.get_or_compile(&Interpreter, v1, &CompileOptions::default(), &bytes).expect("c");
    assert_eq!(cache.stats(), stats(0, 0, 3, 0));
    assert_eq!(tmp.files().len(), 3);
    assert!(!Arc::ptr_eq(a.info(), b.info()) && !Arc::ptr_eq(a.info(), c.info()));
    assert_eq!(b.compile_options().max_call_depth, 99);
    // Each one is then found under its own key.
    let d = cache.get_or_compile(&Interpreter, v2, &deep, &bytes).expect("d");
    assert!(Arc::ptr_eq(b.info(), d.info()));
    assert_eq!(cache.stats(), stats(1, 0, 3, 0));
    let fresh = CompilationCache::with_dir(&tmp.0).expect("dir");
    let e = fresh.get_or_compile(&Interpreter, v1, &CompileOptions::default(), &bytes).expect("e");
    assert_eq!(fresh.stats(), stats(0, 1, 0, 0));
    assert_eq!(run(&e), 62);
}

#[test]
fn the_key_names_everything_the_result_depends_on() {
    let bytes = wasm();
    let key = cache_key(&Interpreter, CoreFeatures::V1, &CompileOptions::default(), &bytes);
    assert!(key.contains(&hex(&sha256(&bytes))), "{key}");
    assert!(key.contains("engine=\"interpreter\""), "{key}");
    assert!(key.contains(env!("CARGO_PKG_VERSION")), "{key}");
    assert!(key.contains(std::env::consts::ARCH), "{key}");
    assert!(key.contains(&format!("{:?}", CompileOptions::default().fingerprint())), "{key}");
    assert!(key.contains("features=\"\""), "{key}");
    let v2 = cache_key(&Interpreter, CoreFeatures::V2, &CompileOptions::default(), &bytes);
    assert!(v2.contains("simd"), "{v2}");
    assert!(!key.contains('\n') && !v2.contains('\n'));
}

#[test]
fn the_translator_changes_the_key_and_both_entries_run() {
    let bytes = wasm();
    let optimizing =
        CompileOptions { translator: crate::Translator::Optimizing, ..CompileOptions::default() };
    let k1 = cache_key(&Interpreter, CoreFeatures::V2, &CompileOptions::default(), &bytes);
    let k2 = cache_key(&Interpreter, CoreFeatures::V2, &optimizing, &bytes);
    assert_ne!(k1, k2);
    assert!(k2.contains("translator=optimizing"), "{k2}");
    assert!(!k1.contains("translator="), "{k1}");

    let cache = CompilationCache::in_memory();
    let a = cache.get_or_compile(&Interpreter, CoreFeatures::V2, &CompileOptions::default(), &bytes);
    let b = cache.get_or_compile(&Interpreter, CoreFeatures::V2, &optimizing, &bytes);
    assert_eq!(cache.stats(), stats(0, 0, 2, 0));
    assert_eq!(run(&a.expect("baseline")), 62);
    assert_eq!(run(&b.expect("optimizing")), 62);
}

#[test]
fn concurrent_writers_leave_one_valid_entry() {
    let tmp = TempDir::new("concurrent");
    let bytes = Arc::new(wasm());
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (dir, bytes, barrier) = (tmp.0.clone(), bytes.clone(), barrier.clone());
            std::thread::spawn(move || {
                let cache = CompilationCache::with_dir(dir).expect("dir");
                barrier.wait();
                for _ in 0..5 {
                    let module = compile(&cache, &bytes).expect("compiles");
                    assert_eq!(run(&module), 62);
                    cache.clear_memory();
                }
                cache.stats()
            })
        })
        .collect();
    for t in threads {
        let s = t.join().expect("thread");
        assert_eq!(s.rejected + s.write_errors, 0, "{s:?}");
        assert_eq!(s.dir_hits + s.misses, 5, "{s:?}");
    }
    // One entry and no leftover temporary files.
    assert_eq!(tmp.files().len(), 1, "{:?}", tmp.files());
    let fresh = CompilationCache::with_dir(&tmp.0).expect("dir");
    assert_eq!(run(&compile(&fresh, &bytes).expect("dir hit")), 62);
    assert_eq!(fresh.stats(), stats(0, 1, 0, 0));
}

#[test]
fn an_invalid_module_is_an_error_and_nothing_is_cached() {
    let tmp = TempDir::new("invalid");
    let cache = CompilationCache::with_dir(&tmp.0).expect("dir");
    let bad = wat::parse_str("(module (func (result i32) (i64.const 1)))").expect("wat");
    for _ in 0..2 {
        let err = compile(&cache, &bad).expect_err("invalid");
        assert!(matches!(err, Error::Module(_)), "{err}");
    }
    assert!(compile(&cache, b"\0asm\x02\0\0\0").is_err());
    assert_eq!(cache.stats(), stats(0, 0, 3, 0));
    assert!(tmp.files().is_empty());
    assert_eq!(cache.memory().len(), 0);
}

#[test]
fn an_unwritable_dir_is_not_a_compile_error() {
    let tmp = TempDir::new("unwritable");
    let cache = CompilationCache::with_dir(&tmp.0).expect("dir");
    fs::remove_dir_all(&tmp.0).expect("remove the dir under the cache");
    let module = compile(&cache, &wasm()).expect("compiles anyway");
    assert_eq!(run(&module), 62);
    assert_eq!(cache.stats().write_errors, 1);
}

fn bigc() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/guests/bigc/bigc.wasm");
    fs::read(path).expect("bigc.wasm")
}

#[test]
fn bigc_hashes_to_its_recorded_sha256() {
    // The digest recorded in benches/guests/bigc/EXPECTED.txt.
    let want = "5e846bfd5bd3bb65ba7ba37f3595e583470a952371cdd6ba69b38cd61bd99131";
    assert_eq!(hex(&sha256(&bigc())), want);
}

/// Compile time of the large C guest: cold, from a directory hit, from a
/// memory hit. Run with
/// `cargo test --release -p zerowasm-runtime bigc_compile_timings -- --ignored --nocapture`.
#[test]
#[ignore = "timing, not a check"]
fn bigc_compile_timings() {
    const N: u32 = 100;
    let bytes = bigc();
    let (features, options) = (CoreFeatures::default(), CompileOptions::default());
    let start = Instant::now();
    for _ in 0..N {
        sha256(&bytes);
    }
    let hash = start.elapsed() / N;
    let start = Instant::now();
    for _ in 0..N {
        CompiledModule::compile(&Interpreter, features, &options, &bytes).expect("compiles");
    }
    let cold = start.elapsed() / N;
    let tmp = TempDir::new("timing");
    let cache = CompilationCache::with_dir(&tmp.0).expect("dir");
    let entry = cache.entry_path(&Interpreter, features, &options, &bytes).expect("dir");
    let start = Instant::now();
    for _ in 0..N {
        cache.clear_memory();
        fs::remove_file(&entry).ok();
        compile(&cache, &bytes).expect("miss");
    }
    let miss = start.elapsed() / N;
    let start = Instant::now();
    for _ in 0..N {
        cache.clear_memory();
        compile(&cache, &bytes).expect("dir hit");
    }
    let dir_hit = start.elapsed() / N;
    let start = Instant::now();
    for _ in 0..N {
        compile(&cache, &bytes).expect("memory hit");
    }
    let memory_hit = start.elapsed() / N;
    assert_eq!(cache.stats(), stats(N as u64, N as u64, N as u64, 0));
    println!(
        "bigc.wasm ({} bytes), mean of {N}: sha256 {hash:?}, cold compile {cold:?}, \
         miss with dir write {miss:?}, dir hit {dir_hit:?}, memory hit {memory_hit:?}",
        bytes.len()
    );
}
