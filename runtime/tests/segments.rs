//! Instantiation-time initialisation: global initialisers (constant
//! expressions), element and data segments in order, and the Wasm 2.0 rule
//! that a trapping segment leaves the earlier writes visible.

use zerowasm_runtime::{
    CompiledModule, Global, GlobalType, InstantiationError, Limits, Linker, Memory, MemoryType, RefType,
    Store, Table, TableType, TrapCode, Val, ValType,
};

fn module(store: &Store, wat: &str) -> CompiledModule {
    let bytes = wat::parse_str(wat).expect("wat");
    CompiledModule::new(store, &bytes).expect("valid module")
}

fn bytes(store: &Store, memory: Memory, at: u64, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    memory.read(store, at, &mut buf).expect("in bounds");
    buf
}

#[test]
fn data_segments_apply_in_order() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (memory (export "m") 1)
             (data (i32.const 0) "aaaa")
             (data (i32.const 2) "bb")
             (data (i32.const 3) "c"))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let mem = inst.get_memory("m").expect("memory");
    assert_eq!(bytes(&store, mem, 0, 5), b"aabc\0");
}

#[test]
fn a_trapping_data_segment_leaves_earlier_writes_in_an_imported_memory() {
    let mut store = Store::new();
    let mem = Memory::new(&mut store, MemoryType { limits: Limits { min: 1, max: None } }).expect("memory");
    let mut linker = Linker::new();
    linker.define("host", "mem", mem);
    let m = module(
        &store,
        r#"(module (import "host" "mem" (memory 1))
             (data (i32.const 0) "first")
             (data (i32.const 65534) "past the end")
             (data (i32.const 10) "never"))"#,
    );
    match store.instantiate(&m, &linker) {
        Err(InstantiationError::Trap(t)) => {
            assert_eq!(t.code(), Some(TrapCode::MemoryOutOfBounds));
            assert_eq!(t.to_string(), "out of bounds memory access");
        }
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_eq!(bytes(&store, mem, 0, 5), b"first", "the first segment stays written");
    assert_eq!(bytes(&store, mem, 65534, 2), [0, 0], "the failing segment writes nothing");
    assert_eq!(bytes(&store, mem, 10, 5), [0; 5], "later segments are not applied");
}

#[test]
fn element_segments_come_before_data_segments() {
    let mut store = Store::new();
    let mem = Memory::new(&mut store, MemoryType { limits: Limits { min: 1, max: None } }).expect("memory");
    let mut linker = Linker::new();
    linker.define("host", "mem", mem);
    // All element segments are applied before any data segment, so the
    // trapping element segment stops the (valid) data segment from applying.
    let m = module(
        &store,
        r#"(module (import "host" "mem" (memory 1))
             (table 1 funcref) (func $f)
             (elem (i32.const 1) $f)
             (data (i32.const 0) "data"))"#,
    );
    match store.instantiate(&m, &linker) {
        Err(InstantiationError::Trap(t)) => assert_eq!(t.to_string(), "out of bounds table access"),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_eq!(bytes(&store, mem, 0, 4), [0; 4]);
}

#[test]
fn a_trapping_element_segment_leaves_earlier_writes_in_an_imported_table() {
    let mut store = Store::new();
    let ty = TableType { element: RefType::FuncRef, limits: Limits { min: 10, max: None } };
    let table = Table::new(&mut store, ty, Val::FuncRef(None)).expect("table");
    let mut linker = Linker::new();
    linker.define("host", "tab", table);
    let m = module(
        &store,
        r#"(module (import "host" "tab" (table 10 funcref))
             (func $f (result i32) (i32.const 0))
             (elem (i32.const 7) $f)
             (elem (i32.const 8) $f $f $f $f $f))"#,
    );
    assert!(matches!(store.instantiate(&m, &linker), Err(InstantiationError::Trap(_))));
    let Some(Val::FuncRef(Some(f))) = table.get(&store, 7) else { panic!("element 7 is set") };
    // The failed instance's function stays alive and typed in the store.
    assert_eq!(f.ty(&store).results.as_ref(), [ValType::I32]);
    assert_eq!(table.get(&store, 8), Some(Val::FuncRef(None)));
}

#[test]
fn zero_length_segments_at_the_end_are_in_bounds() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (memory 1) (table 2 funcref)
             (elem (i32.const 2)) (data (i32.const 65536) ""))"#,
    );
    store.instantiate(&m, &Linker::new()).expect("in bounds");
    let past = module(&store, r#"(module (memory 1) (data (i32.const 65537) ""))"#);
    assert!(matches!(store.instantiate(&past, &Linker::new()), Err(InstantiationError::Trap(_))));
}

#[test]
fn constant_expressions_initialise_globals() {
    let mut store = Store::new();
    let imported =
        Global::new(&mut store, GlobalType { content: ValType::I32, mutable: false }, Val::I32(41))
            .expect("g");
    let mut linker = Linker::new();
    linker.define("host", "g", imported);
    let m = module(
        &store,
        r#"(module (import "host" "g" (global $g i32))
             (func $f)
             (global (export "i32") i32 (i32.const -7))
             (global (export "i64") i64 (i64.const 0x1234567890))
             (global (export "f32") f32 (f32.const nan:0x200000))
             (global (export "f64") f64 (f64.const -0.0))
             (global (export "v128") v128 (v128.const i32x4 1 2 3 4))
             (global (export "copy") i32 (global.get $g))
             (global (export "null") funcref (ref.null func))
             (global (export "func") funcref (ref.func $f))
             (global (export "ext") externref (ref.null extern)))"#,
    );
    let inst = store.instantiate(&m, &linker).expect("instantiates");
    let get = |name: &str| inst.get_global(name).expect(name).get(&store);
    assert_eq!(get("i32"), Val::I32(-7));
    assert_eq!(get("i64"), Val::I64(0x1234567890));
    assert_eq!(get("f32"), Val::F32(0x7fa0_0000));
    assert_eq!(get("f64"), Val::F64(0x8000_0000_0000_0000));
    assert_eq!(get("v128"), Val::V128(0x0000_0004_0000_0003_0000_0002_0000_0001));
    assert_eq!(get("copy"), Val::I32(41));
    assert_eq!(get("null"), Val::FuncRef(None));
    assert_eq!(get("ext"), Val::ExternRef(None));
    let Val::FuncRef(Some(f)) = get("func") else { panic!("ref.func is not null") };
    assert_eq!(f.ty(&store).params.len(), 0);
}

#[test]
fn segment_offsets_may_read_imported_globals() {
    let mut store = Store::new();
    let off = Global::new(&mut store, GlobalType { content: ValType::I32, mutable: false }, Val::I32(3))
        .expect("g");
    let mut linker = Linker::new();
    linker.define("host", "off", off);
    let m = module(
        &store,
        r#"(module (import "host" "off" (global $o i32))
             (memory (export "m") 1) (data (global.get $o) "x")
             (table (export "t") 5 funcref) (func $f) (elem (global.get $o) func $f))"#,
    );
    let inst = store.instantiate(&m, &linker).expect("instantiates");
    assert_eq!(bytes(&store, inst.get_memory("m").expect("m"), 3, 1), b"x");
    let t = inst.get_table("t").expect("t");
    assert!(matches!(t.get(&store, 3), Some(Val::FuncRef(Some(_)))));
    assert_eq!(t.get(&store, 2), Some(Val::FuncRef(None)));
}

#[test]
fn ref_func_yields_the_same_function_everywhere() {
    let mut store = Store::new();
    let m = module(
        &store,
        r#"(module (func $f (export "f"))
             (table (export "t") 1 funcref) (elem (i32.const 0) $f)
             (global (export "g") funcref (ref.func $f)))"#,
    );
    let inst = store.instantiate(&m, &Linker::new()).expect("instantiates");
    let f = inst.get_func("f").expect("f");
    assert_eq!(inst.get_table("t").expect("t").get(&store, 0), Some(Val::FuncRef(Some(f))));
    assert_eq!(inst.get_global("g").expect("g").get(&store), Val::FuncRef(Some(f)));
}
