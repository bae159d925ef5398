//! The embedder API (Runtime, RuntimeConfig, CompiledModule, ModuleConfig,
//! Module, TypedFunction, host modules, control) end to end.

#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zerowasm_runtime::{
    Caller, EXIT_CODE_DEADLINE_EXCEEDED, EngineKind, Error, ExternRef, HostModuleBuilder, ModuleConfig,
    Runtime, RuntimeConfig, Trap, TrapCode, Val, ValType,
};

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("valid wat")
}

const COUNTER: &str = r#"(module $counter
    (memory (export "memory") 1 4)
    (global $n (export "n") (mut i32) (i32.const 0))
    (func (export "bump") (param $by i32) (result i32)
        (global.set $n (i32.add (global.get $n) (local.get $by)))
        (i32.store (i32.const 16) (global.get $n))
        (global.get $n))
    (func (export "load") (param $addr i32) (result i32) (i32.load (local.get $addr))))"#;

#[test]
fn runtime_is_send_and_sync_and_instantiates_from_many_threads() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Runtime>();
    send_sync::<zerowasm_runtime::CompiledModule>();
    send::<zerowasm_runtime::Module>();

    let runtime = Runtime::new();
    let compiled = runtime.compile(&wasm(COUNTER)).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (runtime, compiled) = (runtime.clone(), compiled.clone());
            std::thread::spawn(move || {
                for i in 0..50 {
                    let mut m = runtime.instantiate(&compiled, ModuleConfig::new()).unwrap();
                    let bump = m.typed::<i32, i32>("bump").unwrap();
                    let by = t * 1000 + i;
                    assert_eq!(bump.call(&mut m, by).unwrap(), by);
                    assert_eq!(bump.call(&mut m, 1).unwrap(), by + 1, "state is per instance");
                    assert_eq!(m.memory().unwrap().read_i32_le(16).unwrap(), by + 1);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn instances_move_between_threads() {
    let runtime = Runtime::new();
    let mut m = runtime.instantiate_bytes(&wasm(COUNTER), ModuleConfig::new()).unwrap();
    m.call("bump", &[Val::I32(5)]).unwrap();
    let mut m = std::thread::spawn(move || {
        m.call("bump", &[Val::I32(1)]).unwrap();
        m
    })
    .join()
    .unwrap();
    assert_eq!(m.call("bump", &[Val::I32(0)]).unwrap(), [Val::I32(6)]);
}

#[test]
fn engine_choice() {
    assert_eq!(Runtime::new().engine_name(), "interpreter");
    let err = Runtime::with_config(RuntimeConfig::new().with_engine(EngineKind::Compiler)).unwrap_err();
    assert_eq!(err.to_string(), "unsupported: the compiler engine is not implemented yet");
    assert_eq!(Runtime::with_config(RuntimeConfig::interpreter()).unwrap().engine_name(), "interpreter");
}

#[test]
fn features_are_configurable() {
    let bytes = wasm(r#"(module (func (param i32) (result i32) (i32.extend8_s (local.get 0))))"#);
    assert!(Runtime::new().compile(&bytes).is_ok());
    let mvp = RuntimeConfig::new().with_core_features(zerowasm_runtime::CoreFeatures::V1);
    let err = Runtime::with_config(mvp).unwrap().compile(&bytes).unwrap_err();
    assert!(err.to_string().contains("sign-extension"), "{err}");
}

#[test]
fn memory_limit_in_pages() {
    let rt = Runtime::with_config(RuntimeConfig::new().with_memory_limit_pages(4)).unwrap();
    let err = rt.instantiate_bytes(&wasm("(module (memory 5))"), ModuleConfig::new()).unwrap_err();
    assert!(matches!(err, Error::Instantiation(_)), "{err:?}");
    assert!(err.to_string().contains("exceeds the maximum of 4 pages"), "{err}");
    let grow = wasm(
        r#"(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    let mut m = rt.instantiate_bytes(&grow, ModuleConfig::new()).unwrap();
    assert_eq!(m.call("grow", &[Val::I32(3)]).unwrap(), [Val::I32(1)]);
    assert_eq!(m.call("grow", &[Val::I32(1)]).unwrap(), [Val::I32(-1)], "beyond the limit");
    let rt = Runtime::with_config(RuntimeConfig::new().with_memory_capacity_from_max(true)).unwrap();
    let mut m = rt.instantiate_bytes(&grow, ModuleConfig::new()).unwrap();
    assert_eq!(m.call("grow", &[Val::I32(2)]).unwrap(), [Val::I32(1)]);
    assert_eq!(m.memory().unwrap().pages(), 3);
}

#[test]
fn max_wasm_stack() {
    let rec = wasm(
        r#"(module (func $f (export "f") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                (else (i32.add (i32.const 1) (call $f (i32.sub (local.get 0) (i32.const 1))))))))"#,
    );
    let rt = Runtime::with_config(RuntimeConfig::new().with_max_wasm_stack(100)).unwrap();
    let mut m = rt.instantiate_bytes(&rec, ModuleConfig::new()).unwrap();
    let f = m.typed::<i32, i32>("f").unwrap();
    assert_eq!(f.call(&mut m, 99).unwrap(), 99);
    let trap = f.call(&mut m, 100).unwrap_err();
    assert_eq!(trap.code(), Some(TrapCode::StackOverflow));
    assert_eq!(f.call(&mut m, 5).unwrap(), 5, "usable after exhaustion");
}

#[test]
fn custom_sections_only_when_retained() {
    let mut bytes = wasm("(module)");
    // A custom section: id 0, size, name "hello", payload "world".
    bytes.extend_from_slice(&[0, 11, 5]);
    bytes.extend_from_slice(b"helloworld");
    let rt = Runtime::new();
    assert_eq!(rt.compile(&bytes).unwrap().custom_sections("hello").count(), 0);
    let rt = Runtime::with_config(RuntimeConfig::new().with_custom_sections(true)).unwrap();
    let c = rt.compile(&bytes).unwrap();
    assert_eq!(c.custom_sections("hello").collect::<Vec<_>>(), [b"world".as_slice()]);
    assert_eq!(c.custom_section_names().collect::<Vec<_>>(), ["hello"]);
}

#[test]
fn compiled_module_inspection() {
    let c = Runtime::new()
        .compile(&wasm(
            r#"(module $m
                (import "env" "log" (func $log (param $value i32)))
                (import "env" "mem" (memory 1 2))
                (import "env" "g" (global $g i64))
                (table (export "t") 2 funcref)
                (global (export "counter") (mut i32) (i32.const 0))
                (func $add (export "add") (export "plus") (param $a i32) (param $b i32) (result i32)
                    (i32.add (local.get $a) (local.get $b)))
                (func (export "anon") (param f64)))"#,
        ))
        .unwrap();
    assert_eq!(c.name(), Some("m"));
    let imports: Vec<_> = c.imported_functions().collect();
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].import.as_ref().map(|(m, f)| (&**m, &**f)), Some(("env", "log")));
    assert_eq!(imports[0].name.as_deref(), Some("log"));
    assert_eq!(imports[0].param_names, [Arc::from("value")]);
    let exports: Vec<_> =
        c.exported_functions().map(|(n, f)| (n, f.debug_name(), f.ty.to_string())).collect();
    assert_eq!(
        exports,
        [
            ("add", "m.add".to_string(), "[i32 i32] -> [i32]".to_string()),
            ("plus", "m.add".to_string(), "[i32 i32] -> [i32]".to_string()),
            ("anon", "m.anon".to_string(), "[f64] -> []".to_string()),
        ]
    );
    let add = c.exported_functions().next().unwrap().1;
    assert_eq!(add.param_names, [Arc::from("a"), Arc::from("b")]);
    assert_eq!(add.export_names, [Arc::from("add"), Arc::from("plus")]);
    let mems = c.memories();
    assert_eq!(mems.len(), 1);
    assert_eq!(mems[0].import, Some(("env".into(), "mem".into())));
    assert_eq!((mems[0].ty.limits.min, mems[0].ty.limits.max), (1, Some(2)));
    let globals = c.globals();
    assert_eq!(globals.len(), 2);
    assert_eq!(globals[0].ty.content, ValType::I64);
    assert_eq!(globals[1].export_names, ["counter"]);
    assert!(globals[1].ty.mutable);
    assert_eq!(c.tables()[0].export_names, ["t"]);
    // Cheap to clone: clones share the compiled code.
    assert!(std::ptr::eq(c.clone().info().as_ref(), c.info().as_ref()));
}

#[test]
fn calls_with_vals_and_typed() {
    let rt = Runtime::new();
    let mut m = rt
        .instantiate_bytes(
            &wasm(
                r#"(module
                (func (export "mix") (param i32 i64 f32 f64) (result f64)
                    (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
                             (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
                (func (export "swap") (param i64 i32) (result i32 i64) (local.get 1) (local.get 0))
                (func (export "v") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
                (func (export "id") (param externref) (result externref) (local.get 0)))"#,
            ),
            ModuleConfig::new(),
        )
        .unwrap();
    let r = m.call("mix", &[Val::I32(1), Val::I64(2), Val::from_f32(0.5), Val::from_f64(0.25)]).unwrap();
    assert_eq!(r, [Val::from_f64(3.75)]);
    let mix = m.typed::<(i32, i64, f32, f64), f64>("mix").unwrap();
    assert_eq!(mix.call(&mut m, (-1, 10, 1.5, 2.0)).unwrap(), 12.5);
    let swap = m.typed::<(u64, u32), (u32, u64)>("swap").unwrap();
    assert_eq!(swap.call(&mut m, (u64::MAX, 7)).unwrap(), (7, u64::MAX));
    let v = m.typed::<u128, u128>("v").unwrap();
    assert_eq!(
        v.call(&mut m, 0x0000_0001_0000_0002_0000_0003_0000_0004).unwrap(),
        0x0000_0002_0000_0004_0000_0006_0000_0008
    );
    let id = m.typed::<Option<ExternRef>, Option<ExternRef>>("id").unwrap();
    let r = ExternRef::new(m.store(), "hello".to_string());
    let back = id.call(&mut m, Some(r)).unwrap().unwrap();
    assert_eq!(back.data(m.store()).downcast_ref::<String>().map(|s| s.as_str()), Some("hello"));
    assert_eq!(id.call(&mut m, None).unwrap(), None);

    let err = m.typed::<(i32, i32), i32>("mix").unwrap_err();
    assert_eq!(
        err.to_string(),
        "type mismatch: typed function expects [i32 i32] -> [i32], found [i32 i64 f32 f64] -> [f64]"
    );
    assert_eq!(m.typed::<(), ()>("nope").unwrap_err().to_string(), "no exported function named `nope`");
    let err = m.call("mix", &[Val::I32(1)]).unwrap_err();
    assert!(err.to_string().contains("expects 4 arguments, got 1"), "{err}");
}

#[test]
fn memory_access_and_globals() {
    let rt = Runtime::new();
    let mut m = rt.instantiate_bytes(&wasm(COUNTER), ModuleConfig::new()).unwrap();
    {
        let mut mem = m.memory().unwrap();
        assert_eq!((mem.size(), mem.pages()), (65536, 1));
        mem.write(100, b"abc").unwrap();
        mem.write_u64_le(200, 0x0102_0304_0506_0708).unwrap();
        mem.write_f64_le(300, 1.5).unwrap();
        let mut buf = [0u8; 3];
        mem.read(100, &mut buf).unwrap();
        assert_eq!(&buf, b"abc");
        assert_eq!(mem.read_u32_le(200).unwrap(), 0x0506_0708);
        assert_eq!(mem.read_u8(207).unwrap(), 1);
        assert_eq!(mem.read_f64_le(300).unwrap(), 1.5);
        assert_eq!(mem.slice(100, 3).unwrap(), b"abc");
        let err = mem.read_u32_le(65534).unwrap_err();
        assert_eq!(err.to_string(), "out of bounds memory access: 4 at 65534 exceeds size 65536");
        assert!(mem.write(u64::MAX, b"x").is_err());
        assert!(mem.slice(65536, 1).is_err());
        assert_eq!(mem.grow(2).unwrap(), 1);
        assert_eq!(mem.size(), 3 * 65536);
        let err = mem.grow(2).unwrap_err();
        assert!(err.to_string().contains("cannot grow by 2 pages from 3"), "{err}");
    }
    assert_eq!(m.call("load", &[Val::I32(200)]).unwrap(), [Val::I32(0x0506_0708)]);
    assert_eq!(m.exported_memory("memory").unwrap().read_u8(100).unwrap(), b'a');
    assert_eq!(m.global("n"), Some(Val::I32(0)));
    m.set_global("n", Val::I32(41)).unwrap();
    assert_eq!(m.call("bump", &[Val::I32(1)]).unwrap(), [Val::I32(42)]);
    assert_eq!(m.global("n"), Some(Val::I32(42)));
    assert!(matches!(m.set_global("n", Val::I64(1)), Err(Error::TypeMismatch { .. })));
    assert_eq!(m.set_global("x", Val::I32(1)).unwrap_err().to_string(), "no exported global named `x`");
}

#[test]
fn close_refuses_later_calls() {
    let mut m = Runtime::new().instantiate_bytes(&wasm(COUNTER), ModuleConfig::new()).unwrap();
    let bump = m.typed::<i32, i32>("bump").unwrap();
    m.close(3);
    assert_eq!(m.exit_code(), Some(3));
    let err = bump.call(&mut m, 1).unwrap_err();
    assert_eq!(err.exit_code(), Some(3));
    assert_eq!(err.to_string(), "module closed with exit_code(3)");
    assert_eq!(m.call("bump", &[Val::I32(1)]).unwrap_err().exit_code(), Some(3));
}

#[test]
fn module_config_name_and_start_functions() {
    let bytes = wasm(
        r#"(module $named (global $g (export "g") (mut i32) (i32.const 0))
            (func (export "_start") (global.set $g (i32.add (global.get $g) (i32.const 1))))
            (func (export "init") (global.set $g (i32.add (global.get $g) (i32.const 10))))
            (func (export "boom") unreachable))"#,
    );
    let rt = Runtime::new();
    let c = rt.compile(&bytes).unwrap();
    let m = rt.instantiate(&c, ModuleConfig::new()).unwrap();
    assert_eq!((m.name(), m.global("g")), ("named", Some(Val::I32(1))));
    let m =
        rt.instantiate(&c, ModuleConfig::new().with_name("other").with_start_functions::<&str>([])).unwrap();
    assert_eq!((m.name(), m.global("g")), ("other", Some(Val::I32(0))));
    let m =
        rt.instantiate(&c, ModuleConfig::new().with_start_functions(["init", "_start", "missing"])).unwrap();
    assert_eq!(m.global("g"), Some(Val::I32(11)));
    let err = rt.instantiate(&c, ModuleConfig::new().with_start_functions(["boom"])).unwrap_err();
    assert_eq!(err.to_string(), "instantiation failed: unreachable");
}

#[test]
fn typed_host_functions_of_every_shape() {
    let rt = Runtime::new();
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let log2 = log.clone();
    HostModuleBuilder::new("env")
        .func("log_i32", move |_caller: Caller<'_>, v: u32| log2.lock().unwrap().push(format!("log {v}")))
        .func("add", |a: i32, b: i32| a.wrapping_add(b))
        .func("pair", |a: i64| (a as i32, a * 2))
        .func("floats", |a: f32, b: f64| f64::from(a) * b)
        .func(
            "sum12",
            |a: i32,
             b: i32,
             c: i32,
             d: i32,
             e: i32,
             f: i32,
             g: i64,
             h: i64,
             i: u32,
             j: u64,
             k: f32,
             l: f64| {
                f64::from(a + b + c + d + e + f) + (g + h) as f64 + f64::from(i) + j as f64 + f64::from(k) + l
            },
        )
        .func("fail", |v: i32| -> Result<i32, Trap> {
            if v < 0 { Err(Trap::host(std::io::Error::other(format!("negative: {v}")))) } else { Ok(v) }
        })
        .func("nothing", || {})
        .func_raw("raw_double", &[ValType::I64], &[ValType::I64], |_caller, slots| {
            slots[0] = slots[0].wrapping_mul(2);
            Ok(())
        })
        .with_names(&["x"], &["doubled"])
        .instantiate(&rt)
        .unwrap();
    let err = HostModuleBuilder::new("env").instantiate(&rt).unwrap_err();
    assert_eq!(err.to_string(), "configuration error: a host module named `env` is already registered");
    let host = rt.host_module("env").unwrap();
    let raw = host.functions().find(|f| f.name.as_deref() == Some("raw_double")).unwrap();
    assert_eq!(
        (raw.param_names.clone(), raw.result_names.clone()),
        (vec![Arc::from("x")], vec![Arc::from("doubled")])
    );

    let mut m = rt
        .instantiate_bytes(
            &wasm(
                r#"(module
                (import "env" "log_i32" (func $log (param i32)))
                (import "env" "add" (func $add (param i32 i32) (result i32)))
                (import "env" "pair" (func $pair (param i64) (result i32 i64)))
                (import "env" "floats" (func $floats (param f32 f64) (result f64)))
                (import "env" "sum12" (func $sum12 (param i32 i32 i32 i32 i32 i32 i64 i64 i32 i64 f32 f64) (result f64)))
                (import "env" "fail" (func $fail (param i32) (result i32)))
                (import "env" "nothing" (func $nothing))
                (import "env" "raw_double" (func $raw (param i64) (result i64)))
                (func (export "run") (param i32) (result i32)
                    (call $nothing)
                    (call $log (call $add (local.get 0) (i32.const 1)))
                    (call $fail (local.get 0)))
                (func (export "pair") (param i64) (result i32 i64) (call $pair (local.get 0)))
                (func (export "floats") (result f64) (call $floats (f32.const 1.5) (f64.const 4)))
                (func (export "sum12") (result f64)
                    (call $sum12 (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)
                        (i64.const 7) (i64.const 8) (i32.const 9) (i64.const 10) (f32.const 11) (f64.const 12)))
                (func (export "raw") (param i64) (result i64) (call $raw (local.get 0))))"#,
            ),
            ModuleConfig::new(),
        )
        .unwrap();
    assert_eq!(m.call("run", &[Val::I32(41)]).unwrap(), [Val::I32(41)]);
    assert_eq!(*log.lock().unwrap(), ["log 42"]);
    let trap = m.call("run", &[Val::I32(-5)]).unwrap_err();
    assert_eq!(trap.to_string(), "negative: -5");
    assert!(
        trap.host_error().unwrap().downcast_ref::<std::io::Error>().is_some(),
        "host error kept its type"
    );
    assert_eq!(m.call("pair", &[Val::I64(21)]).unwrap(), [Val::I32(21), Val::I64(42)]);
    assert_eq!(m.call("floats", &[]).unwrap(), [Val::from_f64(6.0)]);
    assert_eq!(m.call("sum12", &[]).unwrap(), [Val::from_f64(78.0)]);
    assert_eq!(m.call("raw", &[Val::I64(-4)]).unwrap(), [Val::I64(-8)]);

    let err = rt
        .instantiate_bytes(&wasm(r#"(module (import "env" "nope" (func)))"#), ModuleConfig::new())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "instantiation failed: unknown import: \"env\" \"nope\" (func) is not defined"
    );
    let err = rt
        .instantiate_bytes(&wasm(r#"(module (import "env" "add" (func (param i64))))"#), ModuleConfig::new())
        .unwrap_err();
    assert!(err.to_string().contains("incompatible import type"), "{err}");
}

#[test]
fn stateful_host_modules_get_state_per_instance() {
    let rt = Runtime::new();
    HostModuleBuilder::new("counter")
        .with_state(|config: &ModuleConfig| Ok(config.args().len() as u32 * 100))
        .method_raw("next", &[], &[ValType::I32], |count: &mut u32, _caller, slots| {
            *count += 1;
            slots[0] = u64::from(*count);
            Ok(())
        })
        .instantiate(&rt)
        .unwrap();
    let c = rt
        .compile(&wasm(r#"(module (import "counter" "next" (func $n (result i32))) (func (export "next") (result i32) (call $n)))"#))
        .unwrap();
    let mut a = rt.instantiate(&c, ModuleConfig::new()).unwrap();
    let mut b = rt.instantiate(&c, ModuleConfig::new().with_args(["x", "y"])).unwrap();
    let next_a = a.typed::<(), i32>("next").unwrap();
    let next_b = b.typed::<(), i32>("next").unwrap();
    assert_eq!(next_a.call(&mut a, ()).unwrap(), 1);
    assert_eq!(next_a.call(&mut a, ()).unwrap(), 2);
    assert_eq!(next_b.call(&mut b, ()).unwrap(), 201);
    assert_eq!(next_a.call(&mut a, ()).unwrap(), 3);
}

const SPIN: &str = r#"(module $spin
    (func $spin (export "spin") (loop $l (br $l)))
    (func (export "count") (param i32) (result i32) (local i32)
        (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 1)))"#;

#[test]
fn interrupt_from_another_thread() {
    let rt = Runtime::with_config(RuntimeConfig::new().with_close_on_deadline(true)).unwrap();
    let mut m = rt.instantiate_bytes(&wasm(SPIN), ModuleConfig::new()).unwrap();
    let handle = m.interrupt_handle().unwrap();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.interrupt();
    });
    let trap = m.call("spin", &[]).unwrap_err();
    t.join().unwrap();
    assert_eq!(trap.code(), Some(TrapCode::Interrupted));
    assert_eq!(trap.to_string(), "interrupted");
    assert_eq!(m.exit_code(), None, "an interrupt does not close the module");
    assert_eq!(m.call("count", &[Val::I32(10)]).unwrap(), [Val::I32(10)]);

    let plain = Runtime::new().instantiate_bytes(&wasm(SPIN), ModuleConfig::new()).unwrap();
    assert!(plain.interrupt_handle().unwrap_err().to_string().contains("with_close_on_deadline"));
}

#[test]
fn deadlines_stop_calls_and_close_the_module() {
    let rt = Runtime::with_config(RuntimeConfig::new().with_close_on_deadline(true)).unwrap();
    let mut m = rt.instantiate_bytes(&wasm(SPIN), ModuleConfig::new()).unwrap();
    m.set_timeout(Some(Duration::from_millis(30))).unwrap();
    assert_eq!(m.call("count", &[Val::I32(1000)]).unwrap(), [Val::I32(1000)], "fast calls finish");
    let start = Instant::now();
    let trap = m.call("spin", &[]).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(trap.code(), Some(TrapCode::Interrupted));
    assert_eq!(m.exit_code(), Some(EXIT_CODE_DEADLINE_EXCEEDED));
    assert_eq!(m.call("count", &[Val::I32(1)]).unwrap_err().exit_code(), Some(EXIT_CODE_DEADLINE_EXCEEDED));

    // A timeout from the ModuleConfig bounds the start function too.
    let start_spin = wasm(r#"(module (func (export "_start") (loop $l (br $l))))"#);
    let err = rt
        .instantiate_bytes(&start_spin, ModuleConfig::new().with_timeout(Duration::from_millis(20)))
        .unwrap_err();
    assert_eq!(err.to_string(), "instantiation failed: interrupted");
    let plain = Runtime::new();
    let err = plain
        .instantiate_bytes(&start_spin, ModuleConfig::new().with_timeout(Duration::from_millis(20)))
        .unwrap_err();
    assert!(err.to_string().contains("with_close_on_deadline"), "{err}");
}

#[test]
fn fuel_is_metered_and_readable() {
    let rt = Runtime::with_config(RuntimeConfig::new().with_fuel(true)).unwrap();
    let mut m = rt.instantiate_bytes(&wasm(SPIN), ModuleConfig::new().with_fuel(1_000)).unwrap();
    assert_eq!(m.fuel(), Some(1_000));
    assert_eq!(m.call("count", &[Val::I32(10)]).unwrap(), [Val::I32(10)]);
    let left = m.fuel().unwrap();
    assert!(left < 1_000 && left > 800, "{left}");
    let trap = m.call("spin", &[]).unwrap_err();
    assert_eq!(trap.code(), Some(TrapCode::OutOfFuel));
    assert_eq!(m.fuel(), Some(0));
    m.set_fuel(100_000).unwrap();
    assert_eq!(m.call("count", &[Val::I32(100)]).unwrap(), [Val::I32(100)]);
    let plain = Runtime::new().instantiate_bytes(&wasm(SPIN), ModuleConfig::new()).unwrap();
    assert_eq!(plain.fuel(), None);
}

#[test]
fn traps_carry_named_backtraces() {
    let mut m = Runtime::new()
        .instantiate_bytes(
            &wasm(
                r#"(module $app
                (func $inner (i32.store (i32.const 70000) (i32.const 1)))
                (func $middle (call $inner))
                (func (export "outer") (call $middle))
                (memory 1))"#,
            ),
            ModuleConfig::new(),
        )
        .unwrap();
    let trap = m.call("outer", &[]).unwrap_err();
    assert_eq!(trap.code(), Some(TrapCode::MemoryOutOfBounds));
    let names: Vec<_> =
        trap.frames().iter().map(|f| f.func_name.as_deref().unwrap_or("?").to_string()).collect();
    assert_eq!(names, ["inner", "middle", "outer"]);
    assert!(trap.frames().iter().all(|f| f.module_name.as_deref() == Some("app")));
    let bt = trap.backtrace();
    let lines: Vec<_> = bt.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("  0: app.inner (wasm offset 0x"), "{bt}");
    assert!(lines[2].starts_with("  2: app.outer (wasm offset 0x"), "{bt}");
}

#[test]
fn host_counts_calls_across_threads() {
    // Host functions are shared by every instance: state that must be shared
    // goes behind atomics, per-instance state goes in with_state.
    let rt = Runtime::new();
    let calls = Arc::new(AtomicU32::new(0));
    let c2 = calls.clone();
    HostModuleBuilder::new("env")
        .func("tick", move || {
            c2.fetch_add(1, Ordering::Relaxed);
        })
        .instantiate(&rt)
        .unwrap();
    let c = rt
        .compile(&wasm(
            r#"(module (import "env" "tick" (func $t)) (func (export "go") (call $t) (call $t)))"#,
        ))
        .unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (rt, c) = (rt.clone(), c.clone());
            std::thread::spawn(move || {
                let mut m = rt.instantiate(&c, ModuleConfig::new()).unwrap();
                let go = m.typed::<(), ()>("go").unwrap();
                for _ in 0..100 {
                    go.call(&mut m, ()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(calls.load(Ordering::Relaxed), 800);
}

#[test]
fn one_compilation_cache_serves_many_runtimes() {
    let cache = zerowasm_runtime::CompilationCache::in_memory();
    let a = Runtime::with_config(RuntimeConfig::new().with_compilation_cache(cache.clone())).unwrap();
    let b = Runtime::with_config(RuntimeConfig::new().with_compilation_cache(cache.clone())).unwrap();
    let bytes = wasm(COUNTER);
    let first = a.compile(&bytes).unwrap();
    let second = b.compile(&bytes).unwrap();
    assert!(Arc::ptr_eq(first.info(), second.info()), "the second runtime reused the first one's module");
    let stats = cache.stats();
    assert_eq!((stats.misses, stats.memory_hits), (1, 1));
    // A runtime with other compile options does not share the entry.
    let fueled =
        Runtime::with_config(RuntimeConfig::new().with_fuel(true).with_compilation_cache(cache.clone()))
            .unwrap();
    let third = fueled.compile(&bytes).unwrap();
    assert!(!Arc::ptr_eq(first.info(), third.info()));
    assert!(third.compile_options().lower.fuel);
    let mut m = b.instantiate(&second, ModuleConfig::new()).unwrap();
    assert_eq!(m.call("bump", &[Val::I32(2)]).unwrap(), [Val::I32(2)]);
}

#[test]
fn traces_use_the_instance_name() {
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let listener = Arc::new(zerowasm_runtime::LoggingListener::new(buf.clone()));
    let rt = Runtime::with_config(RuntimeConfig::new().with_function_listener(listener)).unwrap();
    HostModuleBuilder::new("env").func("log", |_v: i32| {}).with_names(&["v"], &[]).instantiate(&rt).unwrap();
    let c = rt
        .compile(&wasm(
            r#"(module $m (import "env" "log" (func $log (param i32)))
                (func $add (export "add") (param $a i32) (param $b i32) (result i32)
                    (call $log (local.get $a)) (i32.add (local.get $a) (local.get $b))))"#,
        ))
        .unwrap();
    let mut m = rt.instantiate(&c, ModuleConfig::new().with_name("guest")).unwrap();
    assert_eq!(m.call("add", &[Val::I32(1), Val::I32(2)]).unwrap(), [Val::I32(3)]);
    let trace = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert_eq!(trace, "--> guest.add(a=1,b=2)\n\t--> env.log(v=1)\n\t<-- ()\n<-- 3\n");
}
