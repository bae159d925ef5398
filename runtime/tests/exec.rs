//! End-to-end tests that execute Wasm code through the interpreter engine:
//! calls in and out of Wasm, builtins, traps, and the instantiation rules
//! that only show once code runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use zerowasm_runtime::{
    CompiledModule, Func, FuncType, InstantiationError, Limits, Linker, Memory, MemoryType, RefType, Store,
    Table, TableType, TrapCode, Val, ValType,
};

fn module(store: &Store, wat: &str) -> CompiledModule {
    let bytes = wat::parse_str(wat).expect("wat");
    CompiledModule::new(store, &bytes).expect("valid module")
}

#[test]
fn calls_an_exported_function() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let add = inst.get_func("add").expect("add");
    assert_eq!(store.call(add, &[Val::I32(1), Val::I32(2)]).expect("runs"), [Val::I32(3)]);
}

#[test]
fn a_trapping_start_function_fails_instantiation_but_keeps_its_writes() {
    let mut store = Store::new();
    let mem = Memory::new(&mut store, MemoryType { limits: Limits { min: 1, max: None } }).expect("memory");
    let mut linker = Linker::new();
    linker.define("host", "mem", mem);
    let m = module(
        &store,
        r#"(module (import "host" "mem" (memory 1))
             (data (i32.const 0) "seg")
             (func $start (i32.store8 (i32.const 3) (i32.const 33)) unreachable)
             (start $start))"#,
    );
    match store.instantiate(&m, &linker) {
        Err(InstantiationError::Trap(t)) => assert_eq!(t.code(), Some(TrapCode::Unreachable)),
        other => panic!("expected a trap, got {other:?}"),
    }
    let mut buf = [0u8; 4];
    mem.read(&store, 0, &mut buf).expect("read");
    assert_eq!(&buf, b"seg!");
}

#[test]
fn wasm_calls_host_functions_with_a_caller() {
    let mut store = Store::new();
    let seen = Arc::new(AtomicI32::new(0));
    let seen2 = seen.clone();
    let mut linker = Linker::new();
    linker.func_raw(
        &mut store,
        "host",
        "peek",
        FuncType::new([ValType::I32], [ValType::I32]),
        move |caller, s| {
            let mem = caller.memory(0).expect("the caller has a memory");
            let mut byte = [0u8];
            mem.read(caller.store_ref(), u64::from(s[0] as u32), &mut byte)
                .map_err(zerowasm_runtime::Trap::host)?;
            seen2.store(i32::from(byte[0]), Ordering::Relaxed);
            s[0] = u64::from(byte[0]) + 1;
            Ok(())
        },
    );
    let m = module(
        &store,
        r#"(module (import "host" "peek" (func $peek (param i32) (result i32)))
             (memory 1) (data (i32.const 5) "\07")
             (func (export "run") (result i32) (call $peek (i32.const 5))))"#,
    );
    let inst = store.instantiate(&m, &linker).expect("instantiates");
    let run = inst.get_func("run").expect("run");
    assert_eq!(store.call(run, &[]).expect("runs"), [Val::I32(8)]);
    assert_eq!(seen.load(Ordering::Relaxed), 7);
}

#[test]
fn functions_stored_by_a_failed_instance_stay_callable() {
    let mut store = Store::new();
    let mt = module(
        &store,
        r#"(module (table (export "tab") 10 funcref)
             (type $r (func (result i32)))
             (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))"#,
    );
    let mt = store.instantiate(&mt, &Linker::new()).expect("Mt");
    let mut linker = Linker::new();
    linker.instance("Mt", &mt);
    let failing = module(
        &store,
        r#"(module (import "Mt" "tab" (table 10 funcref))
             (func $f (result i32) (i32.const 42))
             (elem (i32.const 7) $f)
             (elem (i32.const 8) $f $f $f $f $f))"#,
    );
    assert!(matches!(store.instantiate(&failing, &linker), Err(InstantiationError::Trap(_))));
    let call = mt.get_func("call").expect("call");
    assert_eq!(store.call(call, &[Val::I32(7)]).expect("runs"), [Val::I32(42)]);
    let err = store.call(call, &[Val::I32(8)]).expect_err("null entry");
    assert_eq!(err.to_string(), "uninitialized element");
}

#[test]
fn builtins_run_from_wasm() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (memory (export "m") 1 2) (data $d "hello")
             (table (export "t") 1 funcref) (elem $e func $g) (func $g)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
             (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
             (func (export "drop") (data.drop $d))
             (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
             (func (export "tinit") (param i32) (table.init $e (local.get 0) (i32.const 0) (i32.const 1))))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let f = |name: &str| inst.get_func(name).expect(name);
    assert_eq!(store.call(f("grow"), &[Val::I32(1)]).expect("grow"), [Val::I32(1)]);
    assert_eq!(store.call(f("grow"), &[Val::I32(1)]).expect("grow"), [Val::I32(-1)]);
    store.call(f("init"), &[Val::I32(65536), Val::I32(1), Val::I32(4)]).expect("init");
    let mut buf = [0u8; 4];
    inst.get_memory("m").expect("m").read(&store, 65536, &mut buf).expect("read");
    assert_eq!(&buf, b"ello");
    store.call(f("drop"), &[]).expect("drop");
    let err = store.call(f("init"), &[Val::I32(0), Val::I32(0), Val::I32(1)]).expect_err("dropped");
    assert_eq!(err.to_string(), "out of bounds memory access");
    assert_eq!(store.call(f("tgrow"), &[Val::I32(2)]).expect("tgrow"), [Val::I32(1)]);
    store.call(f("tinit"), &[Val::I32(2)]).expect("tinit");
    assert!(matches!(inst.get_table("t").expect("t").get(&store, 2), Some(Val::FuncRef(Some(_)))));
    let err = store.call(f("tinit"), &[Val::I32(3)]).expect_err("out of bounds");
    assert_eq!(err.to_string(), "out of bounds table access");
}

#[test]
fn indirect_calls_across_instances_use_canonical_type_ids() {
    let mut store = Store::new();
    let table = Table::new(
        &mut store,
        TableType { element: RefType::FuncRef, limits: Limits { min: 2, max: None } },
        Val::FuncRef(None),
    )
    .expect("table");
    let mut linker = Linker::new();
    linker.define("host", "tab", table);
    let a = module(
        &store,
        r#"(module (import "host" "tab" (table 2 funcref))
             (func $seven (result i32) (i32.const 7)) (func $unit)
             (elem (i32.const 0) $seven $unit))"#,
    );
    store.instantiate(&a, &linker).expect("a");
    let b = module(
        &store,
        r#"(module (import "host" "tab" (table 2 funcref))
             (type $r (func (result i32)))
             (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))"#,
    );
    let b = store.instantiate(&b, &linker).expect("b");
    let call = b.get_func("call").expect("call");
    assert_eq!(store.call(call, &[Val::I32(0)]).expect("same type"), [Val::I32(7)]);
    let err = store.call(call, &[Val::I32(1)]).expect_err("type mismatch");
    assert_eq!(err.to_string(), "indirect call type mismatch");
    let err = store.call(call, &[Val::I32(2)]).expect_err("out of bounds");
    assert_eq!(err.to_string(), "undefined element");
}

#[test]
fn host_functions_in_tables_are_callable_indirectly() {
    let mut store = Store::new();
    let host = Func::new_raw(&mut store, FuncType::new([], [ValType::I32]), |_, s| {
        s[0] = 5;
        Ok(())
    });
    let table = Table::new(
        &mut store,
        TableType { element: RefType::FuncRef, limits: Limits { min: 1, max: None } },
        Val::FuncRef(Some(host)),
    )
    .expect("table");
    let mut linker = Linker::new();
    linker.define("host", "tab", table);
    let m = module(
        &store,
        r#"(module (import "host" "tab" (table 1 funcref)) (type $r (func (result i32)))
             (func (export "call") (result i32) (call_indirect (type $r) (i32.const 0))))"#,
    );
    let inst = store.instantiate(&m, &linker).expect("instantiates");
    assert_eq!(store.call(inst.get_func("call").expect("call"), &[]).expect("runs"), [Val::I32(5)]);
}

#[test]
fn traps_carry_the_spec_wording_and_exhaustion_is_recognised() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (memory 1)
             (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
             (func $rec (export "rec") (call $rec))
             (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let f = |name: &str| inst.get_func(name).expect(name);
    assert_eq!(store.call(f("load"), &[Val::I32(65532)]).expect("in bounds"), [Val::I32(0)]);
    let err = store.call(f("load"), &[Val::I32(65533)]).expect_err("out of bounds");
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        (Some(TrapCode::MemoryOutOfBounds), "out of bounds memory access")
    );
    assert!(!err.frames().is_empty(), "the trap has a backtrace");
    let err = store.call(f("div"), &[Val::I32(0)]).expect_err("divide by zero");
    assert_eq!(err.to_string(), "integer divide by zero");
    let err = store.call(f("rec"), &[]).expect_err("stack overflow");
    assert!(err.is_exhaustion(), "{err}");
    // The store is still usable after a trap.
    assert_eq!(store.call(f("div"), &[Val::I32(1)]).expect("runs"), [Val::I32(1)]);
}

#[test]
fn memory_growth_in_wasm_is_visible_to_the_host_and_importers() {
    let mut store = Store::new();
    let a = module(
        &store,
        r#"(module (memory (export "m") 1)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
             (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))"#,
    );
    let a = store.instantiate(&a, &Linker::new()).expect("a");
    let mut linker = Linker::new();
    linker.instance("a", &a);
    let b = module(
        &store,
        r#"(module (import "a" "m" (memory 1))
             (func (export "size") (result i32) (memory.size))
             (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    let b = store.instantiate(&b, &linker).expect("b");
    let (grow, put) = (a.get_func("grow").expect("grow"), a.get_func("store").expect("store"));
    let (size, load) = (b.get_func("size").expect("size"), b.get_func("load").expect("load"));
    assert_eq!(store.call(grow, &[Val::I32(2)]).expect("grow"), [Val::I32(1)]);
    assert_eq!(store.call(size, &[]).expect("size"), [Val::I32(3)]);
    assert_eq!(a.get_memory("m").expect("m").size(&store), 3);
    store.call(put, &[Val::I32(3 * 65536 - 1), Val::I32(9)]).expect("store");
    assert_eq!(store.call(load, &[Val::I32(3 * 65536 - 1)]).expect("load"), [Val::I32(9)]);
}

#[test]
fn direct_calls_to_imported_wasm_functions_run_in_the_exporter() {
    let mut store = Store::new();
    let a = module(
        &store,
        r#"(module (global $g (export "g") (mut i32) (i32.const 0))
             (func (export "bump") (param i32) (result i32)
               (global.set $g (i32.add (global.get $g) (local.get 0))) (global.get $g)))"#,
    );
    let a = store.instantiate(&a, &Linker::new()).expect("a");
    let mut linker = Linker::new();
    linker.instance("a", &a);
    let b = module(
        &store,
        r#"(module (import "a" "bump" (func $bump (param i32) (result i32)))
             (import "a" "g" (global $g (mut i32)))
             (func (export "twice") (result i32) (drop (call $bump (i32.const 5))) (call $bump (i32.const 5)))
             (func (export "set") (param i32) (global.set $g (local.get 0))))"#,
    );
    let b = store.instantiate(&b, &linker).expect("b");
    assert_eq!(store.call(b.get_func("twice").expect("twice"), &[]).expect("runs"), [Val::I32(10)]);
    store.call(b.get_func("set").expect("set"), &[Val::I32(-3)]).expect("runs");
    assert_eq!(a.get_global("g").expect("g").get(&store), Val::I32(-3), "the imported global is shared");
}

#[test]
fn references_and_vectors_round_trip_through_wasm() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (table $t (export "t") 1 funcref) (func $f (export "f") (result i32) (i32.const 11))
             (elem (i32.const 0) $f)
             (func (export "id") (param externref) (result externref) (local.get 0))
             (func (export "get") (result funcref) (table.get $t (i32.const 0)))
             (func (export "swap") (param v128 i64) (result i64 v128) (local.get 1) (local.get 0)))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let f = |name: &str| inst.get_func(name).expect(name);
    let r = zerowasm_runtime::ExternRef::new(&mut store, 7u32);
    assert_eq!(store.call(f("id"), &[Val::ExternRef(Some(r))]).expect("id"), [Val::ExternRef(Some(r))]);
    assert_eq!(store.call(f("id"), &[Val::ExternRef(None)]).expect("id"), [Val::ExternRef(None)]);
    let got = store.call(f("get"), &[]).expect("get");
    assert_eq!(got, [Val::FuncRef(Some(f("f")))]);
    let Val::FuncRef(Some(g)) = got[0] else { unreachable!() };
    assert_eq!(store.call(g, &[]).expect("call the funcref"), [Val::I32(11)]);
    let v = 0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10u128;
    assert_eq!(
        store.call(f("swap"), &[Val::V128(v), Val::I64(-1)]).expect("swap"),
        [Val::I64(-1), Val::V128(v)]
    );
}

#[test]
fn an_imported_host_function_can_be_the_start_function() {
    let mut store = Store::new();
    let mut linker = Linker::new();
    linker.func_raw(&mut store, "host", "init", FuncType::default(), |caller, _| {
        let instance = caller.instance().expect("the instance being created");
        let mem = instance.get_memory("m").expect("exported memory");
        mem.write(caller.store(), 0, b"hi").map_err(zerowasm_runtime::Trap::host)
    });
    let m = module(
        &store,
        r#"(module (import "host" "init" (func $init)) (memory (export "m") 1) (start $init))"#,
    );
    let inst = store.instantiate(&m, &linker).expect("instantiates");
    assert_eq!(&inst.get_memory("m").expect("m").data(&store)[..2], b"hi");
}

/// The interpreter keeps the running function's memory base in a register and
/// its length in its context: growing inside a call must make the new pages
/// reachable from the same frame, from the caller it returns to, and from a
/// callee, without leaving the call.
#[test]
fn memory_grown_inside_a_call_is_usable_before_it_returns() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (memory 1)
             (func $peek (param i32) (result i32) (i32.load8_u (local.get 0)))
             (func $grow1 (result i32) (memory.grow (i32.const 1)))
             (func (export "run") (param $n i32) (result i32) (local $i i32) (local $sum i32)
               (loop $l
                 ;; grown in this frame: store at the new last byte, read it back here ...
                 (drop (memory.grow (i32.const 1)))
                 (i32.store8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)) (local.get $i))
                 (local.set $sum (i32.add (local.get $sum)
                   (i32.load8_u (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)))))
                 ;; ... grown in a callee: the caller sees the new length after the return ...
                 (drop (call $grow1))
                 (i32.store8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)) (i32.const 7))
                 ;; ... and a callee sees what this frame grew.
                 (local.set $sum (i32.add (local.get $sum)
                   (call $peek (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)))))
                 (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
               (local.get $sum))
             (func (export "past_end") (result i32)
               (drop (memory.grow (i32.const 1)))
               (i32.load8_u (i32.mul (memory.size) (i32.const 65536)))))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let run = inst.get_func("run").expect("run");
    // Each round adds its index, then 7.
    assert_eq!(store.call(run, &[Val::I32(5)]).expect("runs"), [Val::I32(10 + 5 * 7)]);
    // The length is the grown one, not one past it.
    let past_end = inst.get_func("past_end").expect("past_end");
    let err = store.call(past_end, &[]).expect_err("out of bounds");
    assert_eq!(err.code(), Some(TrapCode::MemoryOutOfBounds), "{err}");
}

/// One function reading two memories of different sizes: the interpreter
/// fuses the bounds checks of one memory only (the first it meets) and keeps
/// the other's explicit; both must check against their own length.
#[test]
fn a_function_using_two_memories_checks_each_against_its_own_length() {
    let features = zerowasm_runtime::CoreFeatures::default() | zerowasm_runtime::CoreFeatures::MULTI_MEMORY;
    let mut store = Store::with_config(zerowasm_runtime::StoreConfig { features, ..Default::default() });
    let m = module(
        &store,
        r#"(module (memory $a 1) (memory $b 2)
             (func (export "copy") (param $from i32) (param $to i32) (result i32)
               (i32.store $b (local.get $to) (i32.add (i32.load $a (local.get $from)) (i32.const 1)))
               (i32.load $b (local.get $to)))
             (func (export "put") (param i32 i32) (i32.store $a (local.get 0) (local.get 1))))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let (copy, put) = (inst.get_func("copy").expect("copy"), inst.get_func("put").expect("put"));
    store.call(put, &[Val::I32(100), Val::I32(41)]).expect("put");
    assert_eq!(store.call(copy, &[Val::I32(100), Val::I32(65536 + 8)]).expect("in bounds"), [Val::I32(42)]);
    // The last word of each memory is in bounds, the next byte is not.
    assert!(store.call(copy, &[Val::I32(65532), Val::I32(131072 - 4)]).is_ok());
    for (from, to) in [(65533, 0), (0, 131072 - 3)] {
        let err = store.call(copy, &[Val::I32(from), Val::I32(to)]).expect_err("out of bounds");
        assert_eq!(err.code(), Some(TrapCode::MemoryOutOfBounds), "{from} {to}: {err}");
    }
}
