//! Import resolution and the spec's import matching, with the exact wording
//! the spec tests expect.

use zerowasm_runtime::{
    CompiledModule, Extern, Func, FuncType, Global, GlobalType, InstantiationError, Limits, Linker, Memory,
    MemoryType, RefType, Store, Table, TableType, Val, ValType,
};

fn module(store: &Store, wat: &str) -> CompiledModule {
    let bytes = wat::parse_str(wat).expect("wat");
    CompiledModule::new(store, &bytes).expect("valid module")
}

fn link_error(store: &mut Store, linker: &Linker, wat: &str) -> String {
    let m = module(store, wat);
    match store.instantiate(&m, linker) {
        Err(InstantiationError::Link(msg)) => msg,
        Err(other) => panic!("expected a link error, got {other:?}"),
        Ok(_) => panic!("expected a link error, instantiation succeeded"),
    }
}

/// A linker with the spectest-like host module used by the tests.
fn spectest(store: &mut Store) -> Linker {
    let mut linker = Linker::new();
    let print = Func::new_raw(store, FuncType::new([ValType::I32], []), |_, _| Ok(()));
    let memory = Memory::new(store, MemoryType { limits: Limits { min: 1, max: Some(2) } }).expect("memory");
    let table = Table::new(
        store,
        TableType { element: RefType::FuncRef, limits: Limits { min: 10, max: Some(20) } },
        Val::FuncRef(None),
    )
    .expect("table");
    let global =
        Global::new(store, GlobalType { content: ValType::I32, mutable: false }, Val::I32(666)).expect("g");
    let mut_global =
        Global::new(store, GlobalType { content: ValType::I64, mutable: true }, Val::I64(1)).expect("global");
    linker
        .define("spectest", "print_i32", print)
        .define("spectest", "memory", memory)
        .define("spectest", "table", table)
        .define("spectest", "global_i32", global)
        .define("spectest", "global_mut_i64", mut_global);
    linker
}

#[test]
fn missing_imports_are_unknown() {
    let mut store = Store::new();
    let linker = spectest(&mut store);
    let msg = link_error(&mut store, &linker, r#"(module (import "spectest" "unknown" (func)))"#);
    assert!(msg.starts_with("unknown import"), "{msg}");
    assert!(msg.contains("\"spectest\" \"unknown\""), "{msg}");
    let msg = link_error(&mut store, &linker, r#"(module (import "nowhere" "memory" (memory 1)))"#);
    assert!(msg.starts_with("unknown import"), "{msg}");
}

#[test]
fn unknown_is_reported_before_incompatible() {
    let mut store = Store::new();
    let linker = spectest(&mut store);
    let msg = link_error(
        &mut store,
        &linker,
        r#"(module (import "spectest" "memory" (func)) (import "spectest" "nope" (func)))"#,
    );
    assert!(msg.starts_with("unknown import"), "{msg}");
}

#[test]
fn kind_mismatches_are_incompatible() {
    let mut store = Store::new();
    let linker = spectest(&mut store);
    for wat in [
        r#"(module (import "spectest" "table" (func)))"#,
        r#"(module (import "spectest" "print_i32" (memory 1)))"#,
        r#"(module (import "spectest" "memory" (table 1 funcref)))"#,
        r#"(module (import "spectest" "global_i32" (func)))"#,
        r#"(module (import "spectest" "print_i32" (global i32)))"#,
    ] {
        let msg = link_error(&mut store, &linker, wat);
        assert!(msg.starts_with("incompatible import type"), "{wat}: {msg}");
    }
}

#[test]
fn functions_need_the_exact_type() {
    let mut store = Store::new();
    let linker = spectest(&mut store);
    let ok = module(&store, r#"(module (import "spectest" "print_i32" (func (param i32))))"#);
    store.instantiate(&ok, &linker).expect("exact type links");
    for wat in [
        r#"(module (import "spectest" "print_i32" (func)))"#,
        r#"(module (import "spectest" "print_i32" (func (param i64))))"#,
        r#"(module (import "spectest" "print_i32" (func (param i32) (result i32))))"#,
    ] {
        let msg = link_error(&mut store, &linker, wat);
        assert!(msg.starts_with("incompatible import type"), "{wat}: {msg}");
        assert!(msg.contains("expected func"), "{msg}");
    }
}

#[test]
fn globals_need_the_same_type_and_mutability() {
    let mut store = Store::new();
    let linker = spectest(&mut store);
    store
        .instantiate(&module(&store, r#"(module (import "spectest" "global_i32" (global i32)))"#), &linker)
        .expect("same type");
    store
        .instantiate(
            &module(&store, r#"(module (import "spectest" "global_mut_i64" (global (mut i64))))"#),
            &linker,
        )
        .expect("same mutable type");
    for wat in [
        r#"(module (import "spectest" "global_i32" (global i64)))"#,
        r#"(module (import "spectest" "global_i32" (global (mut i32))))"#,
        r#"(module (import "spectest" "global_mut_i64" (global i64)))"#,
    ] {
        let msg = link_error(&mut store, &linker, wat);
        assert!(msg.starts_with("incompatible import type"), "{wat}: {msg}");
    }
}

#[test]
fn memory_limits_follow_subtyping() {
    let mut store = Store::new();
    let linker = spectest(&mut store);
    // spectest memory is {min 1, max 2}.
    for wat in [
        r#"(module (import "spectest" "memory" (memory 1)))"#,
        r#"(module (import "spectest" "memory" (memory 0 2)))"#,
        r#"(module (import "spectest" "memory" (memory 1 3)))"#,
    ] {
        store.instantiate(&module(&store, wat), &linker).unwrap_or_else(|e| panic!("{wat}: {e}"));
    }
    for wat in [
        r#"(module (import "spectest" "memory" (memory 2)))"#,
        r#"(module (import "spectest" "memory" (memory 1 1)))"#,
        r#"(module (import "spectest" "memory" (memory 0 1)))"#,
    ] {
        let msg = link_error(&mut store, &linker, wat);
        assert!(msg.starts_with("incompatible import type"), "{wat}: {msg}");
    }
    // A memory without a maximum cannot satisfy an import that requires one.
    let mut linker = Linker::new();
    let unbounded =
        Memory::new(&mut store, MemoryType { limits: Limits { min: 1, max: None } }).expect("memory");
    linker.define("host", "mem", unbounded);
    let msg = link_error(&mut store, &linker, r#"(module (import "host" "mem" (memory 1 10)))"#);
    assert!(msg.starts_with("incompatible import type"), "{msg}");
}

#[test]
fn the_current_size_counts_as_the_minimum() {
    let mut store = Store::new();
    let mut linker = Linker::new();
    let memory =
        Memory::new(&mut store, MemoryType { limits: Limits { min: 1, max: Some(5) } }).expect("memory");
    linker.define("host", "mem", memory);
    let needs_two = module(&store, r#"(module (import "host" "mem" (memory 2 5)))"#);
    assert!(matches!(store.instantiate(&needs_two, &linker), Err(InstantiationError::Link(_))));
    memory.grow(&mut store, 1).expect("grow");
    store.instantiate(&needs_two, &linker).expect("after growing, the import matches");
}

#[test]
fn table_limits_and_element_types() {
    let mut store = Store::new();
    let linker = spectest(&mut store);
    // spectest table is funcref {min 10, max 20}.
    store
        .instantiate(&module(&store, r#"(module (import "spectest" "table" (table 10 funcref)))"#), &linker)
        .expect("links");
    store
        .instantiate(&module(&store, r#"(module (import "spectest" "table" (table 5 25 funcref)))"#), &linker)
        .expect("links");
    for wat in [
        r#"(module (import "spectest" "table" (table 11 funcref)))"#,
        r#"(module (import "spectest" "table" (table 10 15 funcref)))"#,
        r#"(module (import "spectest" "table" (table 10 externref)))"#,
    ] {
        let msg = link_error(&mut store, &linker, wat);
        assert!(msg.starts_with("incompatible import type"), "{wat}: {msg}");
    }
}

#[test]
fn registered_instances_provide_their_exports() {
    let mut store = Store::new();
    let exporter = module(
        &store,
        r#"(module
             (func (export "f") (param i32) (result i32) local.get 0)
             (memory (export "mem") 1)
             (table (export "tab") 2 funcref)
             (global (export "g") (mut f32) (f32.const 1.5)))"#,
    );
    let a = store.instantiate(&exporter, &Linker::new()).expect("exporter");
    let mut linker = Linker::new();
    linker.instance("M", &a);
    let importer = module(
        &store,
        r#"(module
             (import "M" "f" (func (param i32) (result i32)))
             (import "M" "mem" (memory 1))
             (import "M" "tab" (table 2 funcref))
             (import "M" "g" (global (mut f32)))
             (export "g2" (global 0))
             (export "mem2" (memory 0))
             (export "f2" (func 0)))"#,
    );
    let b = store.instantiate(&importer, &linker).expect("importer");
    // Re-exported imports are the very same objects.
    assert_eq!(b.export("g2"), a.export("g"));
    assert_eq!(b.export("mem2"), a.export("mem"));
    assert_eq!(b.export("f2"), a.export("f"));
    assert!(matches!(a.export("tab"), Some(Extern::Table(_))));
    assert_eq!(a.exports().map(|(n, _)| n).collect::<Vec<_>>(), ["f", "mem", "tab", "g"]);
    assert_eq!(linker.get("M", "nope"), None);
}

#[test]
fn positional_imports_are_type_checked_too() {
    let mut store = Store::new();
    let m = module(&store, r#"(module (import "a" "b" (global i32)))"#);
    let wrong = Global::new(&mut store, GlobalType { content: ValType::F32, mutable: false }, Val::F32(0))
        .expect("g");
    let err = store.instantiate_with(&m, &[Extern::Global(wrong)]).expect_err("mismatch");
    assert!(err.to_string().starts_with("incompatible import type"), "{err}");
    let err = store.instantiate_with(&m, &[]).expect_err("missing");
    assert!(matches!(err, InstantiationError::Link(_)));
}

#[test]
fn values_from_another_store_do_not_link() {
    let mut store = Store::new();
    let mut other = Store::new();
    let foreign = Global::new(&mut other, GlobalType { content: ValType::I32, mutable: false }, Val::I32(1))
        .expect("g");
    let mut linker = Linker::new();
    linker.define("a", "b", foreign);
    let msg = link_error(&mut store, &linker, r#"(module (import "a" "b" (global i32)))"#);
    assert!(msg.starts_with("incompatible import type"), "{msg}");
}
