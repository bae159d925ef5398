//! The embedder-facing handles: globals, memories, tables, externrefs and raw
//! host functions called through the function registry.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use zerowasm_runtime::{
    CompiledModule, Error, ExternRef, Func, FuncType, Global, GlobalType, Limits, Linker, Memory, MemoryType,
    RefType, Store, Table, TableType, Trap, TrapCode, Val, ValType, WASM_PAGE_SIZE,
};

fn module(store: &Store, wat: &str) -> CompiledModule {
    let bytes = wat::parse_str(wat).expect("wat");
    CompiledModule::new(store, &bytes).expect("valid module")
}

#[test]
fn globals_respect_mutability_and_type() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (global (export "c") i32 (i32.const 1)) (global (export "v") (mut i64) (i64.const 2)))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let c = inst.get_global("c").expect("c");
    let v = inst.get_global("v").expect("v");
    assert!(matches!(c.set(&mut store, Val::I32(5)), Err(Error::ImmutableGlobal)));
    assert_eq!(c.get(&store), Val::I32(1));
    let err = v.set(&mut store, Val::I32(5)).expect_err("wrong type");
    assert!(matches!(err, Error::TypeMismatch { .. }), "{err}");
    assert_eq!(err.to_string(), "type mismatch: global expects i64, found i32");
    v.set(&mut store, Val::I64(-9)).expect("mutable");
    assert_eq!(v.get(&store), Val::I64(-9));
    assert_eq!(v.ty(&store), GlobalType { content: ValType::I64, mutable: true });
    assert!(
        Global::new(&mut store, GlobalType { content: ValType::F32, mutable: false }, Val::I32(0)).is_err()
    );
}

#[test]
fn an_imported_global_is_shared_with_its_exporter() {
    let mut store = Store::new();
    let host =
        Global::new(&mut store, GlobalType { content: ValType::I32, mutable: true }, Val::I32(1)).expect("g");
    let mut linker = Linker::new();
    linker.define("host", "g", host);
    let m = module(
        &store,
        r#"(module (import "host" "g" (global $g (mut i32))) (export "g" (global $g))
             (global (export "init") i32 (i32.const 0)))"#,
    );
    let inst = store.instantiate(&m, &linker).expect("instantiates");
    host.set(&mut store, Val::I32(77)).expect("set");
    assert_eq!(inst.get_global("g").expect("g").get(&store), Val::I32(77));
}

#[test]
fn memories_grow_within_limits_and_check_bounds() {
    let mut store = Store::new();
    let mem =
        Memory::new(&mut store, MemoryType { limits: Limits { min: 1, max: Some(3) } }).expect("memory");
    assert_eq!((mem.size(&store), mem.data_size(&store)), (1, WASM_PAGE_SIZE));
    mem.write(&mut store, WASM_PAGE_SIZE - 3, b"abc").expect("in bounds");
    let err = mem.write(&mut store, WASM_PAGE_SIZE - 2, b"abc").expect_err("out of bounds");
    assert!(matches!(err, Error::OutOfBounds { what: "memory", .. }), "{err}");
    assert_eq!(mem.grow(&mut store, 2).expect("grow"), 1);
    assert!(mem.grow(&mut store, 1).is_err(), "beyond the declared maximum");
    assert_eq!(mem.size(&store), 3);
    assert_eq!(&mem.data(&store)[WASM_PAGE_SIZE as usize - 3..WASM_PAGE_SIZE as usize + 1], b"abc\0");
    mem.data_mut(&mut store)[0] = 42;
    let mut one = [0u8];
    mem.read(&store, 0, &mut one).expect("read");
    assert_eq!(one, [42]);
    assert!(Memory::new(&mut store, MemoryType { limits: Limits { min: 70000, max: None } }).is_err());
}

#[test]
fn tables_grow_fill_and_hold_references() {
    let mut store = Store::new();
    let ty = TableType { element: RefType::ExternRef, limits: Limits { min: 2, max: Some(5) } };
    let table = Table::new(&mut store, ty, Val::ExternRef(None)).expect("table");
    let hello = ExternRef::new(&mut store, "hello");
    assert_eq!(table.grow(&mut store, 2, Val::ExternRef(Some(hello))).expect("grow"), 2);
    assert!(table.grow(&mut store, 2, Val::ExternRef(None)).is_err());
    assert_eq!(table.size(&store), 4);
    assert_eq!(table.get(&store, 3), Some(Val::ExternRef(Some(hello))));
    assert_eq!(table.get(&store, 4), None);
    table.fill(&mut store, 0, Val::ExternRef(Some(hello)), 2).expect("fill");
    assert_eq!(table.get(&store, 0), Some(Val::ExternRef(Some(hello))));
    assert!(table.fill(&mut store, 3, Val::ExternRef(None), 2).is_err());
    assert!(table.set(&mut store, 0, Val::FuncRef(None)).is_err(), "wrong reference type");
    table.set(&mut store, 0, Val::ExternRef(None)).expect("set");
    assert_eq!(table.get(&store, 0), Some(Val::ExternRef(None)));
    assert_eq!(hello.data(&store).downcast_ref::<&str>(), Some(&"hello"));
}

#[test]
fn host_functions_run_through_the_registry() {
    let mut store = Store::new();
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let add = Func::new_raw(
        &mut store,
        FuncType::new([ValType::I32, ValType::I64], [ValType::I64]),
        move |caller, slots| {
            counter.fetch_add(1, Ordering::Relaxed);
            assert!(caller.instance().is_none(), "called by the embedder");
            slots[0] = u64::from(slots[0] as u32).wrapping_add(slots[1]);
            Ok(())
        },
    );
    assert_eq!(store.call(add, &[Val::I32(2), Val::I64(40)]).expect("call"), [Val::I64(42)]);
    assert_eq!(add.call(&mut store, &[Val::I32(-1), Val::I64(1)]).expect("call"), [Val::I64(0x1_0000_0000)]);
    assert_eq!(calls.load(Ordering::Relaxed), 2);
    let err = store.call(add, &[Val::I32(2)]).expect_err("arity");
    assert!(err.to_string().contains("expects 2 arguments"), "{err}");
    let err = store.call(add, &[Val::I64(2), Val::I64(2)]).expect_err("type");
    assert!(err.to_string().contains("argument 0 must be i32"), "{err}");
    assert_eq!(add.ty(&store), FuncType::new([ValType::I32, ValType::I64], [ValType::I64]));
}

#[test]
fn host_functions_take_and_return_every_type() {
    let mut store = Store::new();
    let ty = FuncType::new([ValType::V128, ValType::F32], [ValType::F32, ValType::V128]);
    let swap = Func::new_raw(&mut store, ty, |_, s| {
        let (lo, hi, f) = (s[0], s[1], s[2]);
        s[0] = f;
        s[1] = lo;
        s[2] = hi;
        Ok(())
    });
    let v = 0xffee_ddcc_bbaa_9988_7766_5544_3322_1100u128;
    let out = store.call(swap, &[Val::V128(v), Val::from_f32(-2.5)]).expect("call");
    assert_eq!(out, [Val::from_f32(-2.5), Val::V128(v)]);
}

#[test]
fn host_traps_and_errors_propagate() {
    let mut store = Store::new();
    let oob =
        Func::new_raw(&mut store, FuncType::default(), |_, _| Err(Trap::new(TrapCode::MemoryOutOfBounds)));
    let err = store.call(oob, &[]).expect_err("traps");
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        (Some(TrapCode::MemoryOutOfBounds), "out of bounds memory access")
    );

    #[derive(Debug)]
    struct Exit(i32);
    impl std::fmt::Display for Exit {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "exit {}", self.0)
        }
    }
    impl std::error::Error for Exit {}
    let exit = Func::new_raw(&mut store, FuncType::default(), |_, _| Err(Trap::host(Exit(3))));
    let err = store.call(exit, &[]).expect_err("host error");
    assert_eq!(err.code(), None);
    let exit = err.host_error().and_then(|e| e.downcast_ref::<Exit>()).expect("the embedder's error");
    assert_eq!(exit.0, 3);
}

#[test]
fn host_functions_cannot_forge_references() {
    let mut store = Store::new();
    let forge = Func::new_raw(&mut store, FuncType::new([], [ValType::FuncRef]), |_, s| {
        s[0] = 0xdead_beef;
        Ok(())
    });
    let err = store.call(forge, &[]).expect_err("rejected");
    assert!(err.to_string().contains("invalid funcref"), "{err}");
    let real = Func::new_raw(&mut store, FuncType::default(), |_, _| Ok(()));
    let ret_real =
        Func::new_raw(&mut store, FuncType::new([ValType::FuncRef], [ValType::FuncRef]), |_, _| Ok(()));
    assert_eq!(store.call(ret_real, &[Val::FuncRef(Some(real))]).expect("ok"), [Val::FuncRef(Some(real))]);
    let forge_ext = Func::new_raw(&mut store, FuncType::new([], [ValType::ExternRef]), |_, s| {
        s[0] = 99;
        Ok(())
    });
    assert!(store.call(forge_ext, &[]).is_err());
}

#[test]
fn host_functions_can_call_back_through_the_caller() {
    let mut store = Store::new();
    let double = Func::new_raw(&mut store, FuncType::new([ValType::I32], [ValType::I32]), |_, s| {
        s[0] = u64::from((s[0] as u32).wrapping_mul(2));
        Ok(())
    });
    let quadruple =
        Func::new_raw(&mut store, FuncType::new([ValType::I32], [ValType::I32]), move |caller, s| {
            let once = caller.call(double, &[Val::I32(s[0] as i32)])?;
            let twice = caller.call(double, &once)?;
            s[0] = u64::from(twice[0].i32().unwrap_or(0) as u32);
            Ok(())
        });
    assert_eq!(store.call(quadruple, &[Val::I32(5)]).expect("call"), [Val::I32(20)]);
}

#[test]
fn modules_report_validation_errors() {
    let store = Store::new();
    let err = CompiledModule::new(&store, b"\0asm\x01\0\0\0\x01").expect_err("malformed");
    assert!(matches!(err, Error::Module(_)), "{err}");
    let invalid = wat::parse_str(r#"(module (func (result i32) (i64.const 0)))"#).expect("wat");
    let err = CompiledModule::new(&store, &invalid).expect_err("invalid");
    assert!(err.to_string().contains("type mismatch"), "{err}");
}

#[test]
fn modules_and_handles_can_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<CompiledModule>();
    send_sync::<Val>();
    send_sync::<zerowasm_runtime::Extern>();
    send_sync::<zerowasm_runtime::Instance>();
    send_sync::<Trap>();
}
