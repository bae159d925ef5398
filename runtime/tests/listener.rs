//! Function listeners: the events Wasm and host functions report, the logging
//! listener's trace format, traps, and modules compiled without hooks.

use std::io::Write;
use std::sync::{Arc, Mutex};

use zerowasm_frontend::LowerConfig;
use zerowasm_runtime::{
    CompileOptions, CompiledModule, ExternRef, Func, FuncType, FunctionDefinition, FunctionListener,
    Instance, Linker, LoggingListener, Store, StoreConfig, TrapCode, Val, ValType,
};

/// Records each event as one line: `> name [param=value, ...]`, `< name [values]`, `abort`.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
    /// Panic in `before` of the function with this name.
    panic_on: Option<&'static str>,
}

impl Recorder {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.events.lock().expect("lock"))
    }
}

impl FunctionListener for Recorder {
    fn before(&self, def: &FunctionDefinition, params: &[Val]) {
        if self.panic_on.is_some() && self.panic_on == def.name.as_deref() {
            panic!("listener panics in {}", def.debug_name());
        }
        let list: Vec<String> =
            def.param_names.iter().zip(params).map(|(n, v)| format!("{n}={v:?}")).collect();
        self.events.lock().expect("lock").push(format!("> {} [{}]", def.debug_name(), list.join(", ")));
    }

    fn after(&self, def: &FunctionDefinition, results: &[Val]) {
        self.events.lock().expect("lock").push(format!("< {} {results:?}", def.debug_name()));
    }

    fn abort(&self) {
        self.events.lock().expect("lock").push("abort".to_string());
    }
}

/// A `Write` into a buffer the test keeps.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().expect("lock"))).expect("utf-8")
    }
}

const PROGRAM: &str = r#"(module $m
  (import "env" "log" (func $log (param i32)))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32) (local $s i32)
    (local.set $s (i32.add (local.get $a) (local.get $b)))
    (call $log (local.get $s))
    (local.get $s))
  (func $main (export "main") (result i32)
    (call $add (i32.const 1) (i32.const 2)))
  (func $boom (param i32) (result i32) (unreachable))
  (func $fails (export "fails") (result i32)
    (drop (call $add (i32.const 4) (i32.const 5)))
    (call $boom (i32.const 1))))"#;

/// A store with `listener`; `hooks` chooses whether modules get the listener hooks.
fn store_with(listener: Arc<dyn FunctionListener>, hooks: bool) -> Store {
    let lower = LowerConfig { listener: hooks, ..LowerConfig::default() };
    Store::with_config(StoreConfig {
        listener: Some(listener),
        compile: CompileOptions { lower, ..CompileOptions::default() },
        ..StoreConfig::default()
    })
}

/// Instantiates `wat` with `env.log(i32)` defined as a host function that does nothing.
fn instantiate(store: &mut Store, wat: &str) -> Instance {
    let bytes = wat::parse_str(wat).expect("wat");
    let module = CompiledModule::new(store, &bytes).expect("valid module");
    let mut linker = Linker::new();
    linker.func_raw(store, "env", "log", FuncType::new([ValType::I32], []), |_, _| Ok(()));
    store.instantiate(&module, &linker).expect("instantiates")
}

fn call(store: &mut Store, inst: &Instance, name: &str, args: &[Val]) -> Vec<Val> {
    let f = inst.get_func(name).expect("export");
    store.call(f, args).expect("runs")
}

#[test]
fn wasm_and_host_calls_are_reported_with_names_and_values() {
    let recorder = Arc::new(Recorder::default());
    let mut store = store_with(recorder.clone(), true);
    let inst = instantiate(&mut store, PROGRAM);
    assert_eq!(call(&mut store, &inst, "main", &[]), [Val::I32(3)]);
    assert_eq!(
        recorder.take(),
        [
            "> m.main []",
            "> m.add [a=I32(1), b=I32(2)]",
            "> env.log [=I32(3)]",
            "< env.log []",
            "< m.add [I32(3)]",
            "< m.main [I32(3)]",
        ]
    );
}

#[test]
fn host_functions_are_named_by_the_import_that_links_them() {
    let recorder = Arc::new(Recorder::default());
    let mut store = store_with(recorder.clone(), true);
    let log = Func::new_raw(&mut store, FuncType::new([ValType::I32], []), |_, _| Ok(()));
    store.call(log, &[Val::I32(5)]).expect("runs");
    let events = recorder.take();
    assert!(events[0].starts_with("> host.$") && events[0].ends_with(" [=I32(5)]"), "{events:?}");
    assert_eq!(events.len(), 2, "{events:?}");

    let bytes = wat::parse_str(PROGRAM).expect("wat");
    let module = CompiledModule::new(&store, &bytes).expect("valid module");
    let mut linker = Linker::new();
    linker.define("env", "log", log);
    store.instantiate(&module, &linker).expect("instantiates");
    store.call(log, &[Val::I32(6)]).expect("runs");
    assert_eq!(recorder.take(), ["> env.log [=I32(6)]", "< env.log []"]);
}

const TRACE: &str = "--> m.main()
\t--> m.add(a=1,b=2)
\t\t--> env.log(3)
\t\t<-- ()
\t<-- 3
<-- 3
";

#[test]
fn the_logging_listener_prints_a_nested_trace() {
    let out = Shared::default();
    let mut store = store_with(Arc::new(LoggingListener::new(out.clone())), true);
    let inst = instantiate(&mut store, PROGRAM);
    call(&mut store, &inst, "main", &[]);
    assert_eq!(out.take(), TRACE);
}

#[test]
fn after_a_trap_the_next_trace_starts_at_depth_zero() {
    let out = Shared::default();
    let recorder = Arc::new(Recorder::default());
    let mut store = store_with(Arc::new(LoggingListener::new(out.clone())), true);
    let inst = instantiate(&mut store, PROGRAM);
    let fails = inst.get_func("fails").expect("fails");
    let trap = store.call(fails, &[]).expect_err("traps");
    assert_eq!(trap.code(), Some(TrapCode::Unreachable));
    assert_eq!(
        out.take(),
        "--> m.fails()
\t--> m.add(a=4,b=5)
\t\t--> env.log(9)
\t\t<-- ()
\t<-- 9
\t--> m.boom(1)
"
    );
    call(&mut store, &inst, "main", &[]);
    assert_eq!(out.take(), TRACE);

    // The recorder is told the trapped call is over.
    let mut store = store_with(recorder.clone(), true);
    let inst = instantiate(&mut store, PROGRAM);
    let fails = inst.get_func("fails").expect("fails");
    store.call(fails, &[]).expect_err("traps");
    assert_eq!(recorder.take().last().map(String::as_str), Some("abort"));
}

#[test]
fn numbers_vectors_references_and_multiple_results_print() {
    let wat = r#"(module $t
      (func $mix (export "mix") (param $x i64) (param $y f32) (param $z f64) (param $v v128)
        (result i32 i64 f64)
        (i32.const 7) (i64.const -8) (f64.const 2.5))
      (func $refs (export "refs") (param $f funcref) (param $e externref) (result funcref externref)
        (local.get $f) (local.get $e))
      (func $nothing (export "nothing") (param i32 i32)))"#;
    let out = Shared::default();
    let mut store = store_with(Arc::new(LoggingListener::new(out.clone())), true);
    let inst = instantiate(&mut store, wat);
    let v = 0x0000_0004_0000_0003_0000_0002_0000_0001u128;
    let results = call(
        &mut store,
        &inst,
        "mix",
        &[Val::I64(-5), Val::from_f32(1.5), Val::from_f64(-0.25), Val::V128(v)],
    );
    assert_eq!(results, [Val::I32(7), Val::I64(-8), Val::from_f64(2.5)]);
    call(&mut store, &inst, "refs", &[Val::FuncRef(None), Val::ExternRef(None)]);
    call(&mut store, &inst, "nothing", &[Val::I32(-1), Val::I32(i32::MIN)]);
    assert_eq!(
        out.take(),
        "--> t.mix(x=-5,y=1.5,z=-0.25,v=0x00000004000000030000000200000001)
<-- (7,-8,2.5)
--> t.refs(f=funcref(null),e=externref(null))
<-- (funcref(null),externref(null))
--> t.nothing(-1,-2147483648)
<-- ()
"
    );

    // Non-null references arrive as the same handles the embedder passed.
    let recorder = Arc::new(Recorder::default());
    let mut store = store_with(recorder.clone(), true);
    let inst = instantiate(&mut store, wat);
    let mix = inst.get_func("mix").expect("mix");
    let data = ExternRef::new(&mut store, 42u32);
    let args = [Val::FuncRef(Some(mix)), Val::ExternRef(Some(data))];
    assert_eq!(call(&mut store, &inst, "refs", &args), args);
    assert_eq!(
        recorder.take(),
        [
            format!("> t.refs [f={:?}, e={:?}]", args[0], args[1]),
            format!("< t.refs [{:?}, {:?}]", args[0], args[1]),
        ]
    );
}

#[test]
fn code_without_hooks_reports_only_host_functions() {
    let out = Shared::default();
    let mut store = store_with(Arc::new(LoggingListener::new(out.clone())), false);
    let inst = instantiate(&mut store, PROGRAM);
    assert_eq!(call(&mut store, &inst, "main", &[]), [Val::I32(3)]);
    assert_eq!(out.take(), "--> env.log(3)\n<-- ()\n");
}

#[test]
fn a_listener_panic_surfaces_from_the_call() {
    let recorder = Arc::new(Recorder { panic_on: Some("add"), ..Recorder::default() });
    let mut store = store_with(recorder.clone(), true);
    let inst = instantiate(&mut store, PROGRAM);
    let main = inst.get_func("main").expect("main");
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.call(main, &[])));
    let payload = panicked.expect_err("the listener's panic resumes");
    assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("listener panics in m.add"));
    assert_eq!(recorder.take(), ["> m.main []", "abort"]);
    // The store is usable afterwards, and a panicking host function unwinds the same way.
    let log = Func::new_raw(&mut store, FuncType::new([], []), |_, _| panic!("host panics"));
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.call(log, &[])));
    assert!(panicked.is_err());
    assert_eq!(recorder.take().last().map(String::as_str), Some("abort"));
}
