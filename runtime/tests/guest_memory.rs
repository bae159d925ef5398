//! The typed guest-memory layer for host modules: parameter handles, result
//! mapping, derived signatures and the traps for bad guest pointers.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use zerowasm_runtime::{
    Bytes, ErrorCode, ExternRef, Func, GuestError, GuestValue, HostModuleBuilder, MemoryView, ModuleConfig,
    Ptr, Runtime, Slice, Str, Trap, TrapCode, Val,
};

/// A guest that imports `t.<name>` for each `(name, params, results)` and
/// exports a wrapper of the same name forwarding its parameters: host
/// functions see the caller's memory only when Wasm code calls them.
fn guest(memory: bool, data: &str, imports: &[(&str, &str, &str)]) -> Vec<u8> {
    let clause =
        |kw: &str, types: &str| if types.is_empty() { String::new() } else { format!("({kw} {types})") };
    let mut text = String::from("(module\n");
    for (name, params, results) in imports {
        let (p, r) = (clause("param", params), clause("result", results));
        text += &format!("(import \"t\" \"{name}\" (func ${name} {p} {r}))\n");
    }
    if memory {
        text += "(memory (export \"memory\") 1)\n";
    }
    text += data;
    for (name, params, results) in imports {
        let (p, r) = (clause("param", params), clause("result", results));
        let gets: Vec<String> =
            (0..params.split_whitespace().count()).map(|i| format!("(local.get {i})")).collect();
        text += &format!("(func (export \"{name}\") {p} {r} (call ${name} {}))\n", gets.join(" "));
    }
    text += ")";
    wat::parse_str(&text).expect("valid wat")
}

/// One page of memory: the first address past the end.
const END: i32 = 65536;

#[derive(Debug, PartialEq)]
enum E {
    Bad,
    Worse,
}

impl ErrorCode for E {
    fn code(&self) -> i32 {
        match self {
            E::Bad => 7,
            E::Worse => 8,
        }
    }
}

type Log = Arc<Mutex<Vec<String>>>;

fn assert_oob(result: Result<Vec<Val>, Trap>) {
    let trap = result.expect_err("an out-of-bounds access traps");
    assert_eq!(trap.code(), Some(TrapCode::MemoryOutOfBounds), "{trap:?}");
}

fn i32s(args: &[i32]) -> Vec<Val> {
    args.iter().map(|&a| Val::I32(a)).collect()
}

#[test]
fn every_param_type_reads() {
    let rt = Runtime::new();
    let log: Log = Arc::default();
    let (l1, l2, l3) = (log.clone(), log.clone(), log.clone());
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        .method("nums", move |_: &mut (), a: i32, b: u32, c: i64, d: u64, e: f32, f: f64| {
            l1.lock().unwrap().push(format!("{a} {b} {c} {d} {e} {f}"));
        })
        .method("refs", move |_: &mut (), v: u128, x: Option<ExternRef>, f: Option<Func>| {
            l2.lock().unwrap().push(format!("{v:#x} {} {}", x.is_none(), f.is_none()));
        })
        .method(
            "mem",
            move |_: &mut (),
                  mem: &mut MemoryView<'_>,
                  p: Ptr<u16>,
                  s: Slice<u32>,
                  b: Bytes,
                  t: Str|
                  -> Result<(), Trap> {
                let line =
                    format!("{} {:?} {:?} {}", p.read(mem)?, s.read(mem)?, b.as_slice(mem)?, t.as_str(mem)?);
                l3.lock().unwrap().push(line);
                Ok(())
            },
        )
        .instantiate(&rt)
        .unwrap();
    let data = r#"(data (i32.const 8) "\34\12")
        (data (i32.const 16) "\01\00\00\00\02\00\00\00\03\00\00\00")
        (data (i32.const 32) "abc")
        (data (i32.const 48) "h\c3\a9llo")"#;
    let wasm = guest(
        true,
        data,
        &[
            ("nums", "i32 i32 i64 i64 f32 f64", ""),
            ("refs", "v128 externref funcref", ""),
            ("mem", "i32 i32 i32 i32 i32 i32 i32", ""),
        ],
    );
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    let nums =
        [Val::I32(-5), Val::I32(-1), Val::I64(-7), Val::I64(-1), Val::from_f32(1.5), Val::from_f64(-2.25)];
    m.call("nums", &nums).unwrap();
    m.call(
        "refs",
        &[Val::V128(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10), Val::ExternRef(None), Val::FuncRef(None)],
    )
    .unwrap();
    m.call("mem", &i32s(&[8, 16, 3, 32, 3, 48, 6])).unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            "-5 4294967295 -7 18446744073709551615 1.5 -2.25",
            "0x102030405060708090a0b0c0d0e0f10 true true",
            "4660 [1, 2, 3] [97, 98, 99] héllo",
        ]
    );
}

#[test]
fn guest_values_are_little_endian() {
    assert_eq!(<[i16; 2]>::read_le(&[1, 0, 0xff, 0xff]), [1, -1]);
    assert_eq!(u32::read_le(&[0x78, 0x56, 0x34, 0x12]), 0x1234_5678);
    assert_eq!(u32::read_le(&[0x78]), 0x78, "missing bytes read as zero, no panic");
    assert_eq!(f64::read_le(&(-0.5f64).to_le_bytes()), -0.5);
    assert_eq!(i8::read_le(&[0x80]), i8::MIN);
    let mut buf = [0u8; 12];
    [[1u16, 2], [3, 4], [5, 0xabcd]].write_le(&mut buf);
    assert_eq!(buf, [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 0xcd, 0xab]);
    assert_eq!(<[[u16; 2]; 3]>::SIZE, 12);
    let mut short = [0u8; 2];
    0x1122_3344u32.write_le(&mut short);
    assert_eq!(short, [0x44, 0x33], "a short buffer gets a prefix, no panic");
    let mut p = [0u8; 4];
    Ptr::<u64>::new(0xdead_beef).write_le(&mut p);
    assert_eq!(Ptr::<u64>::read_le(&p), Ptr::new(0xdead_beef));
}

#[test]
fn ptr_write_add_and_cast() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        // Multiplies n u32s at p by 10, then stores their sum as a u64 after them.
        .method("scale", |_: &mut (), mem: &mut MemoryView<'_>, p: Ptr<u32>, n: u32| -> Result<(), Trap> {
            let mut sum = 0u64;
            for i in 0..n {
                let q = p.add(i)?;
                let v = q.read(mem)? * 10;
                q.write(mem, v)?;
                sum += u64::from(v);
            }
            p.add(n)?.cast::<u64>().write(mem, sum)
        })
        .instantiate(&rt)
        .unwrap();
    let wasm = guest(
        true,
        r#"(data (i32.const 100) "\01\00\00\00\02\00\00\00\03\00\00\00")"#,
        &[("scale", "i32 i32", "")],
    );
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    m.call("scale", &i32s(&[100, 3])).unwrap();
    let mem = m.memory().unwrap();
    assert_eq!(Slice::<u32>::new(100, 3).read(&mem).unwrap(), [10, 20, 30]);
    assert_eq!(Ptr::<u64>::new(112).read(&mem).unwrap(), 60);
    assert_eq!(Ptr::<u32>::new(100).byte_add(4).unwrap().read(&mem).unwrap(), 20);
    assert_eq!(Ptr::<u32>::new(100).slice(2).ptr(1).unwrap(), Ptr::new(104));

    // Pointer arithmetic past 4 GiB is out of bounds, not wrapped.
    let trap = Ptr::<u32>::new(u32::MAX - 3).add(1).unwrap_err();
    assert_eq!(trap.code(), Some(TrapCode::MemoryOutOfBounds));
    assert!(Ptr::<u32>::new(u32::MAX - 3).byte_add(3).is_ok());
    assert!(Ptr::<u64>::new(8).add(u32::MAX).is_err());
}

#[test]
fn slice_u32_reads_gets_and_sets() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        // Stores the sum of the elements in the last one; returns element `i`.
        .method("sum", |_: &mut (), mem: &mut MemoryView<'_>, s: Slice<u32>, i: u32| -> Result<u32, Trap> {
            let sum = s.iter(mem)?.fold(0u32, u32::wrapping_add);
            let last = s.len().checked_sub(1).ok_or_else(|| Trap::msg("empty"))?;
            s.set(mem, last, sum)?;
            s.get(mem, i)
        })
        .instantiate(&rt)
        .unwrap();
    let data = r#"(data (i32.const 0) "\05\00\00\00\06\00\00\00\07\00\00\00\00\00\00\00\63\00\00\00")"#;
    let wasm = guest(true, data, &[("sum", "i32 i32 i32", "i32")]);
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    assert_eq!(m.call("sum", &i32s(&[0, 4, 0])).unwrap(), [Val::I32(5)]);
    assert_eq!(m.call("sum", &i32s(&[0, 4, 3])).unwrap(), [Val::I32(36)], "5 + 6 + 7 + 18");
    assert_eq!(Slice::<u32>::new(0, 5).read(&m.memory().unwrap()).unwrap(), [5, 6, 7, 36, 99]);
    // An index past the slice's own length traps even inside memory.
    assert_oob(m.call("sum", &i32s(&[0, 2, 2])));
    assert_eq!(
        Ptr::<u32>::new(4).read(&m.memory().unwrap()).unwrap(),
        11,
        "5 + 6: the set before the trap stays"
    );
    assert!(Slice::<u32>::new(0, 3).ptr(3).is_err());
}

#[test]
fn str_with_invalid_utf8_traps_with_a_message() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        .method("len", |_: &mut (), mem: &mut MemoryView<'_>, s: Str| -> Result<u32, Trap> {
            Ok(s.as_str(mem)?.chars().count() as u32)
        })
        .instantiate(&rt)
        .unwrap();
    let wasm = guest(true, r#"(data (i32.const 16) "ok\ff\fe")"#, &[("len", "i32 i32", "i32")]);
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    assert_eq!(m.call("len", &i32s(&[16, 2])).unwrap(), [Val::I32(2)]);
    let trap = m.call("len", &i32s(&[16, 4])).unwrap_err();
    assert_eq!(trap.code(), None, "a host error, not a Wasm trap code");
    let msg = trap.to_string();
    assert!(msg.starts_with("the guest string at 0x10 (4 bytes) is not valid UTF-8"), "{msg}");
    assert_eq!(Str::new(16, 4).as_bytes(&m.memory().unwrap()).unwrap(), b"ok\xff\xfe");
}

#[test]
fn out_of_bounds_guest_pointers_trap() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        .method("ptr32", |_: &mut (), mem: &mut MemoryView<'_>, p: Ptr<u32>| p.read(mem))
        .method("ptr64", |_: &mut (), mem: &mut MemoryView<'_>, p: Ptr<u64>| p.read(mem))
        .method("write64", |_: &mut (), mem: &mut MemoryView<'_>, p: Ptr<u64>| p.write(mem, u64::MAX))
        .method("bytes", |_: &mut (), mem: &mut MemoryView<'_>, b: Bytes| -> Result<u32, Trap> {
            Ok(b.as_slice(mem)?.len() as u32)
        })
        .method("fill", |_: &mut (), mem: &mut MemoryView<'_>, b: Bytes| -> Result<(), Trap> {
            b.as_mut_slice(mem)?.fill(0xaa);
            Ok(())
        })
        .method("str", |_: &mut (), mem: &mut MemoryView<'_>, s: Str| -> Result<u32, Trap> {
            Ok(s.as_str(mem)?.len() as u32)
        })
        .method("slice64", |_: &mut (), mem: &mut MemoryView<'_>, s: Slice<u64>| -> Result<u32, Trap> {
            Ok(s.read(mem)?.len() as u32)
        })
        .instantiate(&rt)
        .unwrap();
    let wasm = guest(
        true,
        "",
        &[
            ("ptr32", "i32", "i32"),
            ("ptr64", "i32", "i64"),
            ("write64", "i32", ""),
            ("bytes", "i32 i32", "i32"),
            ("fill", "i32 i32", ""),
            ("str", "i32 i32", "i32"),
            ("slice64", "i32 i32", "i32"),
        ],
    );
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();

    // In bounds up to the last byte.
    assert_eq!(m.call("ptr32", &i32s(&[END - 4])).unwrap(), [Val::I32(0)]);
    assert_eq!(m.call("ptr64", &i32s(&[END - 8])).unwrap(), [Val::I64(0)]);
    assert_eq!(m.call("bytes", &i32s(&[END - 16, 16])).unwrap(), [Val::I32(16)]);
    assert_eq!(m.call("bytes", &i32s(&[END, 0])).unwrap(), [Val::I32(0)], "empty at the end is fine");
    assert_eq!(m.call("slice64", &i32s(&[END - 16, 2])).unwrap(), [Val::I32(2)]);

    // Wholly outside.
    assert_oob(m.call("ptr32", &i32s(&[END])));
    assert_oob(m.call("ptr32", &i32s(&[-1])));
    assert_oob(m.call("bytes", &i32s(&[END + 1, 0])));
    // Straddling the end: a Ptr<u64> whose last 2 bytes are outside.
    assert_oob(m.call("ptr64", &i32s(&[END - 6])));
    assert_oob(m.call("write64", &i32s(&[END - 4])));
    assert_eq!(Ptr::<u32>::new(END as u32 - 4).read(&m.memory().unwrap()).unwrap(), 0, "nothing written");
    assert_oob(m.call("fill", &i32s(&[END - 4, 5])));
    assert_eq!(Ptr::<u32>::new(END as u32 - 4).read(&m.memory().unwrap()).unwrap(), 0, "nothing filled");
    // Address + length overflows 32 bits.
    assert_oob(m.call("bytes", &i32s(&[0xffff_fff0_u32 as i32, 0x20])));
    assert_oob(m.call("str", &i32s(&[0xffff_fff0_u32 as i32, 0x20])));
    assert_oob(m.call("slice64", &i32s(&[0xffff_fff0_u32 as i32, 0x20])));
    // An element count whose byte length overflows 32 bits.
    assert_oob(m.call("slice64", &i32s(&[0, 0x2000_0000])));
    assert_oob(m.call("slice64", &i32s(&[8, -1])));
    // The instance is still usable.
    assert_eq!(m.call("ptr32", &i32s(&[0])).unwrap(), [Val::I32(0)]);
}

#[test]
fn result_unit_maps_to_an_error_code() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        .method("check", |_: &mut (), x: i32| match x {
            0 => Ok(()),
            1 => Err(E::Bad),
            _ => Err(E::Worse),
        })
        .method("raw", |_: &mut (), code: i32| if code == 0 { Ok(()) } else { Err(code) })
        .method("zero", |_: &mut ()| -> Result<(), i32> { Err(0) })
        .instantiate(&rt)
        .unwrap();
    let wasm = guest(false, "", &[("check", "i32", "i32"), ("raw", "i32", "i32"), ("zero", "", "i32")]);
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    assert_eq!(m.call("check", &[Val::I32(0)]).unwrap(), [Val::I32(0)]);
    assert_eq!(m.call("check", &[Val::I32(1)]).unwrap(), [Val::I32(7)]);
    assert_eq!(m.call("check", &[Val::I32(2)]).unwrap(), [Val::I32(8)]);
    assert_eq!(m.call("raw", &[Val::I32(-28)]).unwrap(), [Val::I32(-28)]);
    let trap = m.call("zero", &[]).unwrap_err();
    assert!(trap.to_string().contains("ErrorCode is 0"), "{trap}");
}

#[test]
fn result_value_goes_through_result_ptr() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        .method("div", |_: &mut (), a: u32, b: u32| a.checked_div(b).ok_or(E::Bad))
        .method("pair", |_: &mut (), a: u32| -> Result<[u16; 2], E> {
            let a = a as u16;
            Ok([a, a.wrapping_add(1)])
        })
        .instantiate(&rt)
        .unwrap();
    let wasm = guest(
        true,
        r#"(data (i32.const 100) "\ef\be\ad\de")"#,
        &[("div", "i32 i32 i32", "i32"), ("pair", "i32 i32", "i32")],
    );
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    let read =
        |m: &mut zerowasm_runtime::Module, at: u32| Ptr::<u32>::new(at).read(&m.memory().unwrap()).unwrap();

    // Success: 0, and the value at result_ptr.
    assert_eq!(m.call("div", &i32s(&[10, 3, 200])).unwrap(), [Val::I32(0)]);
    assert_eq!(read(&mut m, 200), 3);
    // Error: the code, and nothing written.
    assert_eq!(m.call("div", &i32s(&[10, 0, 100])).unwrap(), [Val::I32(7)]);
    assert_eq!(read(&mut m, 100), 0xdead_beef);
    // An error never touches result_ptr, so a bad one is no trap.
    assert_eq!(m.call("div", &i32s(&[10, 0, -1])).unwrap(), [Val::I32(7)]);
    // A success with result_ptr out of bounds traps, straddling included.
    assert_oob(m.call("div", &i32s(&[10, 3, END - 2])));
    assert_oob(m.call("div", &i32s(&[10, 3, -4])));
    // Arrays are stored element by element.
    assert_eq!(m.call("pair", &i32s(&[0xffff, 300])).unwrap(), [Val::I32(0)]);
    assert_eq!(read(&mut m, 300), 0x0000_ffff);
}

#[test]
fn guest_error_carries_codes_and_traps() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        // The first byte of a string; Worse if it is empty.
        .method("first", |_: &mut (), mem: &mut MemoryView<'_>, s: Str| -> Result<u8, GuestError<E>> {
            Ok(s.as_str(mem)?.bytes().next().ok_or(E::Worse)?)
        })
        // The same with Result<Result<_, E>, Trap>.
        .method("first2", |_: &mut (), mem: &mut MemoryView<'_>, s: Str| -> Result<Result<u8, E>, Trap> {
            Ok(s.as_str(mem)?.bytes().next().ok_or(E::Worse))
        })
        .instantiate(&rt)
        .unwrap();
    let wasm = guest(
        true,
        r#"(data (i32.const 0) "hi")"#,
        &[("first", "i32 i32 i32", "i32"), ("first2", "i32 i32 i32", "i32")],
    );
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    for name in ["first", "first2"] {
        assert_eq!(m.call(name, &i32s(&[0, 2, 10])).unwrap(), [Val::I32(0)], "{name}");
        assert_eq!(Ptr::<u8>::new(10).read(&m.memory().unwrap()).unwrap(), b'h');
        assert_eq!(m.call(name, &i32s(&[1, 0, 10])).unwrap(), [Val::I32(8)], "{name}");
        assert_oob(m.call(name, &i32s(&[END, 1, 10])));
    }
}

#[test]
fn state_is_per_instance() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|config: &ModuleConfig| Ok(config.args().len() as u32 * 100))
        .method("incr", |n: &mut u32, by: u32| {
            *n += by;
            *n
        })
        .method("save", |n: &mut u32, mem: &mut MemoryView<'_>, p: Ptr<u32>| p.write(mem, *n))
        .instantiate(&rt)
        .unwrap();
    let wasm = guest(true, "", &[("incr", "i32", "i32"), ("save", "i32", "")]);
    let compiled = rt.compile(&wasm).unwrap();
    let mut a = rt.instantiate(&compiled, ModuleConfig::new()).unwrap();
    let mut b = rt.instantiate(&compiled, ModuleConfig::new().with_args(["x", "y"])).unwrap();
    assert_eq!(a.call("incr", &[Val::I32(1)]).unwrap(), [Val::I32(1)]);
    assert_eq!(b.call("incr", &[Val::I32(5)]).unwrap(), [Val::I32(205)]);
    assert_eq!(a.call("incr", &[Val::I32(1)]).unwrap(), [Val::I32(2)]);
    a.call("save", &[Val::I32(0)]).unwrap();
    b.call("save", &[Val::I32(0)]).unwrap();
    assert_eq!(Ptr::<u32>::new(0).read(&a.memory().unwrap()).unwrap(), 2);
    assert_eq!(Ptr::<u32>::new(0).read(&b.memory().unwrap()).unwrap(), 205);
}

#[test]
fn wasm_signatures_are_derived() {
    let rt = Runtime::new();
    HostModuleBuilder::new("kv")
        .with_state(|_: &ModuleConfig| Ok(()))
        .method("put", |_: &mut (), _: &mut MemoryView<'_>, _: Str, _: Bytes| -> Result<(), E> { Ok(()) })
        .method("get", |_: &mut (), _: &mut MemoryView<'_>, _: Str, _: Bytes| -> Result<u32, E> { Ok(0) })
        .method("mix", |_: &mut (), _: u128, _: i64, _: Ptr<f64>, _: Slice<u8>| (1.0f32, 2i64))
        .method("trapping", |_: &mut (), _: f64| -> Result<u64, Trap> { Ok(0) })
        .method("wide", |_: &mut ()| -> Result<Result<[u32; 4], GuestError<E>>, Trap> { Ok(Ok([0; 4])) })
        .method("unit", |_: &mut ()| {})
        .method(
            "ten",
            |_: &mut (), a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32, h: i32, i: i32, j: i32| {
                a + b + c + d + e + f + g + h + i + j
            },
        )
        .instantiate(&rt)
        .unwrap();
    let kv = rt.host_module("kv").unwrap();
    let sigs: Vec<(String, String)> =
        kv.functions().map(|f| (f.name.as_deref().unwrap_or("").to_string(), f.ty.to_string())).collect();
    let expect = [
        ("put", "[i32 i32 i32 i32] -> [i32]"),
        ("get", "[i32 i32 i32 i32 i32] -> [i32]"),
        ("mix", "[v128 i64 i32 i32 i32] -> [f32 i64]"),
        ("trapping", "[f64] -> [i64]"),
        ("wide", "[i32] -> [i32]"),
        ("unit", "[] -> []"),
        ("ten", "[i32 i32 i32 i32 i32 i32 i32 i32 i32 i32] -> [i32]"),
    ];
    assert_eq!(sigs, expect.map(|(n, t)| (n.to_string(), t.to_string())));
}

#[test]
fn module_without_memory_traps_with_a_message() {
    let rt = Runtime::new();
    HostModuleBuilder::new("t")
        .with_state(|_: &ModuleConfig| Ok(()))
        .method("peek", |_: &mut (), mem: &mut MemoryView<'_>, p: Ptr<u8>| p.read(mem).map(u32::from))
        .method("add", |_: &mut (), a: i32, b: i32| a + b)
        .method("boxed", |_: &mut (), a: i32| -> Result<i32, E> { Ok(a) })
        .instantiate(&rt)
        .unwrap();
    let wasm =
        guest(false, "", &[("peek", "i32", "i32"), ("add", "i32 i32", "i32"), ("boxed", "i32 i32", "i32")]);
    let mut m = rt.instantiate_bytes(&wasm, ModuleConfig::new()).unwrap();
    let trap = m.call("peek", &[Val::I32(0)]).unwrap_err();
    assert_eq!(trap.to_string(), "host function `peek` needs the caller's memory 0, and the module has none");
    assert_eq!(trap.code(), None);
    // A method that does not take the memory works without one ...
    assert_eq!(m.call("add", &i32s(&[2, 3])).unwrap(), [Val::I32(5)]);
    // ... unless it stores its result through a pointer.
    let trap = m.call("boxed", &i32s(&[1, 0])).unwrap_err();
    assert_eq!(
        trap.to_string(),
        "host function `boxed` needs the caller's memory 0, and the module has none"
    );
}
