//! Lowered Wasm (frontend lowering + interpreter pipeline) run on a VM context
//! laid out by `VmOffsets`, built by hand here.

use std::sync::Arc;

use zerowasm_frontend::vmoffsets::{VmFuncRef, VmGlobal, VmMemory, VmOffsets, VmTable};
use zerowasm_frontend::{CoreFeatures, ModuleInfo};
use zerowasm_interp::{Dispatch, InterpConfig, InterpModule, Translator};
use zerowasm_ssa::TrapCode;

use crate::common::*;

pub(crate) const WAT: &str = r#"
(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (table 4 funcref)
  (type $bin (func (param i32 i32) (result i32)))
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0
    i32.const 2
    i32.lt_s
    if (result i32)
      local.get 0
    else
      local.get 0
      i32.const 1
      i32.sub
      call $fib
      local.get 0
      i32.const 2
      i32.sub
      call $fib
      i32.add
    end)
  (func (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    block $done
      loop $fill
        local.get $i
        local.get $n
        i32.ge_u
        br_if $done
        local.get $i
        i32.const 2
        i32.shl
        local.get $i
        i32.store offset=16
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $fill
      end
    end
    i32.const 0
    local.set $i
    block $done2
      loop $add
        local.get $i
        local.get $n
        i32.ge_u
        br_if $done2
        local.get $acc
        local.get $i
        i32.const 2
        i32.shl
        i64.load32_u offset=16
        i64.add
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $add
      end
    end
    local.get $acc)
  (func (export "div") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.div_s)
  (func (export "peek") (param i32) (result i32)
    local.get 0
    i32.load offset=4)
  (func $add (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func $mul (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.mul)
  (func (export "dispatch") (param i32 i32 i32) (result i32)
    local.get 1
    local.get 2
    local.get 0
    call_indirect (type $bin))
  (func (export "count") (result i32)
    global.get $g
    i32.const 1
    i32.add
    global.set $g
    global.get $g)
  (func (export "switch") (param i32) (result i32)
    block $c
      block $b
        block $a
          local.get 0
          br_table $a $b $c
        end
        i32.const 10
        return
      end
      i32.const 20
      return
    end
    i32.const 30)
  (func (export "simd") (param i32) (result i32)
    local.get 0
    i32x4.splat
    local.get 0
    i32x4.splat
    i32x4.mul
    i32x4.extract_lane 2)
  (func (export "fac") (param i64) (result i64)
    (local $r i64)
    i64.const 1
    local.set $r
    loop $l
      local.get 0
      i64.eqz
      if
        local.get $r
        return
      end
      local.get $r
      local.get 0
      i64.mul
      local.set $r
      local.get 0
      i64.const 1
      i64.sub
      local.set 0
      br $l
    end
    unreachable)
)"#;

/// A VM context for `info` with one memory, its globals, table 0 and func refs.
struct Vm {
    ctx: Vec<u64>,
    _memory: Vec<u8>,
    _record: Box<VmMemory>,
    _globals: Vec<VmGlobal>,
    _table: Vec<u64>,
    _table_record: Box<VmTable>,
    _func_refs: Vec<VmFuncRef>,
}

/// Function handles in the test `Env` are `HANDLE + funcidx`.
const HANDLE: u64 = 100;

impl Vm {
    fn new(info: &ModuleInfo, table: &[u32]) -> Vm {
        let o = VmOffsets::new(info);
        let mut ctx = vec![0u64; o.size() as usize / 8];
        let vmctx = ctx.as_mut_ptr() as u64;
        let mut memory = vec![0u8; 65536];
        let record = Box::new(VmMemory { base: memory.as_mut_ptr() as u64, length: memory.len() as u64 });
        if !info.memories.is_empty() {
            ctx[o.memory(0) as usize / 8] = &*record as *const VmMemory as u64;
        }
        let globals = vec![VmGlobal::default(); info.globals.len()];
        for i in 0..globals.len() {
            ctx[o.global(i as u32) as usize / 8] = &globals[i] as *const VmGlobal as u64;
        }
        let func_refs: Vec<VmFuncRef> = (0..info.functions.len())
            .map(|i| VmFuncRef { func: HANDLE + i as u64, vmctx, type_id: u64::from(info.functions[i]) })
            .collect();
        for (i, f) in func_refs.iter().enumerate() {
            ctx[o.func_ref(i as u32) as usize / 8] = f as *const VmFuncRef as u64;
        }
        for t in 0..info.types.len() as u32 {
            ctx[o.type_id(t) as usize / 8] = u64::from(t);
        }
        let mut elems = vec![0u64; 4];
        for (slot, &f) in elems.iter_mut().zip(table) {
            if let Some(r) = func_refs.get(f as usize) {
                *slot = r as *const VmFuncRef as u64;
            }
        }
        let table_record = Box::new(VmTable { base: elems.as_mut_ptr() as u64, length: elems.len() as u64 });
        if !info.tables.is_empty() {
            ctx[o.table(0) as usize / 8] = &*table_record as *const VmTable as u64;
        }
        Vm {
            ctx,
            _memory: memory,
            _record: record,
            _globals: globals,
            _table: elems,
            _table_record: table_record,
            _func_refs: func_refs,
        }
    }
}

pub(crate) struct Loaded {
    info: Arc<ModuleInfo>,
    pub(crate) module: Arc<InterpModule>,
    vm: Vm,
    env: TestEnv,
}

impl Loaded {
    /// The module on the optimizing translator, the SSA pipeline these
    /// tests were written for (the default is the baseline; `baseline.rs`
    /// compares the two).
    pub(crate) fn new(wat: &str) -> Loaded {
        Loaded::with_config(
            wat,
            InterpConfig { translator: Translator::Optimizing, ..InterpConfig::default() },
        )
    }

    pub(crate) fn with_config(wat: &str, config: InterpConfig) -> Loaded {
        let bytes = wat::parse_str(wat).expect("wat");
        let info = Arc::new(zerowasm_frontend::validate(&bytes, CoreFeatures::default()).expect("valid"));
        let module = Arc::new(InterpModule::new(info.clone(), bytes.into()).with_config(config));
        let idx = |name: &str| info.export(name).map(|e| e.index);
        let _ = idx;
        let mut env = TestEnv::default();
        for i in 0..info.functions.len() as u32 {
            env.wasm.insert(HANDLE + u64::from(i), (module.clone(), i));
        }
        // Table: [$add, $mul] are functions 4 and 5.
        let vm = Vm::new(&info, &[4, 5]);
        Loaded { info, module, vm, env }
    }

    pub(crate) fn func(&self, name: &str) -> u32 {
        self.info.export(name).unwrap_or_else(|| panic!("no export {name}")).index
    }

    pub(crate) fn call(
        &mut self,
        name: &str,
        args: &[u64],
        nres: usize,
    ) -> Result<Vec<u64>, zerowasm_interp::Trap> {
        let f = self.func(name);
        let vmctx = self.vm.ctx.as_mut_ptr() as u64;
        call_env(&mut self.env, &self.module, f, vmctx, args, nres)
    }

    pub(crate) fn call1(&mut self, name: &str, args: &[u64]) -> u64 {
        match self.call(name, args, 1) {
            Ok(r) => r[0],
            Err(t) => panic!("{name}{args:?} trapped: {t:?}"),
        }
    }
}

#[test]
fn recursion_and_loops() {
    let mut l = Loaded::new(WAT);
    assert_eq!(l.call1("fib", &[20]), 6765);
    assert_eq!(l.call1("fac", &[20]), 2_432_902_008_176_640_000);
    assert_eq!(l.call1("sum", &[1000]), (0..1000u64).sum());
    assert!(!l.module.is_translated(l.func("div")), "functions are translated lazily");
}

#[test]
fn both_dispatch_modes_agree() {
    // The same handlers run threaded (the default in optimized builds, and in
    // this crate's test builds) and from the dispatch loop: calls and returns
    // within the module, indirect calls, traps with their offsets.
    let mut threaded = Loaded::new(WAT);
    let mut looped = Loaded::with_config(
        WAT,
        InterpConfig { dispatch: Dispatch::Loop, ..threaded.module.config().clone() },
    );
    for l in [&mut threaded, &mut looped] {
        assert_eq!(l.call1("fib", &[20]), 6765);
        assert_eq!(l.call1("sum", &[1000]), (0..1000u64).sum());
        assert_eq!(l.call1("dispatch", &[1, 6, 7]), 42);
    }
    let traps: [(&str, &[u64]); 3] = [("div", &[1, 0]), ("dispatch", &[2, 6, 7]), ("peek", &[65533 - 4])];
    for (name, args) in traps {
        let a = threaded.call(name, args, 1).expect_err("traps");
        let b = looped.call(name, args, 1).expect_err("traps");
        assert_eq!(a.trap_code(), b.trap_code(), "{name}");
        assert_eq!(a.frames, b.frames, "{name}");
    }
}

#[test]
fn memory_accesses_are_fused_and_checked() {
    let mut l = Loaded::new(WAT);
    let sum = l.func("sum");
    let text = l.module.slot_code_text(sum).expect("translates");
    // `a[i]` at `(i << 2) + 16`: the shift is folded into the access too.
    assert!(text.contains("mem.store32 s") && text.contains("*4, s"), "{text}");
    assert!(text.contains("= mem.load32 s") && text.contains("*4, 16"), "{text}");
    assert!(!text.contains("i32.shl"), "{text}");
    assert!(!text.contains("heap_oob"), "every check absorbed into its access:\n{text}");
    assert_eq!(l.call1("peek", &[65532 - 4]), 0);
    let t = l.call("peek", &[65533 - 4], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    let body = &l.info.bodies[(l.func("peek") - l.info.num_imported_functions) as usize].range;
    let at = t.frames[0].offset as usize;
    assert!(body.contains(&at), "trap offset {at:#x} inside the body {body:x?}");
}

#[test]
fn traps_with_wasm_offsets() {
    let mut l = Loaded::new(WAT);
    assert_eq!(l.call1("div", &[(-9i32) as u32 as u64, 2]), (-4i32) as u32 as u64);
    let t = l.call("div", &[1, 0], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::IntegerDivideByZero));
    let t = l.call("div", &[i32::MIN as u32 as u64, u64::from(u32::MAX)], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::IntegerOverflow));
    let body = &l.info.bodies[(l.func("div") - l.info.num_imported_functions) as usize].range;
    assert!(body.contains(&(t.frames[0].offset as usize)));
}

#[test]
fn call_indirect_through_the_table() {
    let mut l = Loaded::new(WAT);
    assert_eq!(l.call1("dispatch", &[0, 6, 7]), 13);
    assert_eq!(l.call1("dispatch", &[1, 6, 7]), 42);
    let t = l.call("dispatch", &[2, 6, 7], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::UninitializedElement));
    let t = l.call("dispatch", &[4, 6, 7], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::UndefinedElement));
}

/// A table of [$add, $neg] (functions 4 and 5, of different types; the
/// test VM puts functions 4 and 5 in slots 0 and 1 of four) and a
/// `call_indirect` whose table lookup becomes one `funcref` op.
pub(crate) const TABLE_WAT: &str = r#"
(module
  (table 4 funcref)
  (type $bin (func (param i32 i32) (result i32)))
  (func $p0) (func $p1) (func $p2)
  (func (export "dispatch") (param i32 i32 i32) (result i32)
    local.get 1
    local.get 2
    local.get 0
    call_indirect (type $bin))
  (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func $neg (param i32) (result i32) i32.const 0 local.get 0 i32.sub)
  ;; `n` calls through the table in one invocation: the first makes the
  ;; outer loop resolve the callee, the others find it in the callee cache.
  (func (export "repeat") (param $n i32) (param $index i32) (result i32)
    (local $acc i32)
    (loop $l
      local.get $acc
      i32.const 1
      local.get $index
      call_indirect (type $bin)
      local.set $acc
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      br_if $l)
    local.get $acc))"#;

#[test]
fn call_indirect_checks_index_null_and_type_in_one_op() {
    let mut l = Loaded::new(TABLE_WAT);
    let text = l.module.slot_code_text(l.func("dispatch")).expect("translates");
    // The lookup and the call are one op.
    assert!(text.contains("= call_table vm+"), "{text}");
    assert!(!text.contains("funcref") && !text.contains("call_indirect"), "{text}");
    assert!(!text.contains("trap"), "the three checks are the op's:\n{text}");
    assert_eq!(l.call1("dispatch", &[0, 6, 7]), 13);
    let t = l.call("dispatch", &[1, 6, 7], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::IndirectCallTypeMismatch));
    // At the `call_indirect` (0x11).
    let bytes = wat::parse_str(TABLE_WAT).expect("valid text");
    assert_eq!(bytes[t.frames[0].offset as usize], 0x11, "{:?}", t.frames);
    assert_eq!(l.call1("repeat", &[5, 0]), 5);
    let t = l.call("repeat", &[5, 1], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::IndirectCallTypeMismatch));
    let t = l.call("dispatch", &[2, 6, 7], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::UninitializedElement));
    for index in [4, u32::MAX] {
        let t = l.call("dispatch", &[u64::from(index), 6, 7], 1).expect_err("expected a trap");
        assert_eq!(t.trap_code(), Some(TrapCode::UndefinedElement), "index {index}");
    }
}

#[test]
fn globals_branch_tables_and_simd() {
    let mut l = Loaded::new(WAT);
    assert_eq!(l.call1("count", &[]), 1);
    assert_eq!(l.call1("count", &[]), 2);
    assert_eq!(l.call1("switch", &[0]), 10);
    assert_eq!(l.call1("switch", &[1]), 20);
    assert_eq!(l.call1("switch", &[2]), 30);
    assert_eq!(l.call1("switch", &[77]), 30);
    assert_eq!(l.call1("simd", &[12]), 144);
    l.module.translate_all().expect("translates");
}

const FAC_SSA: &str = r#"(module
  (func $pick0 (param i64) (result i64 i64)
    (local.get 0) (local.get 0))
  (func $pick1 (param i64 i64) (result i64 i64 i64)
    (local.get 0) (local.get 1) (local.get 0))
  (func (export "fac-ssa") (param i64) (result i64)
    (i64.const 1) (local.get 0)
    (loop $l (param i64 i64) (result i64)
      (call $pick1) (call $pick1) (i64.mul)
      (call $pick1) (i64.const 1) (i64.sub)
      (call $pick0) (i64.const 0) (i64.gt_u)
      (br_if $l)
      (drop) (return))))"#;

const FAC_SPEC: &str = r#"(module
  ;; Recursive factorial
  (func (export "fac-rec") (param i64) (result i64)
    (if (result i64) (i64.eq (local.get 0) (i64.const 0))
      (then (i64.const 1))
      (else
        (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1))))
      )
    )
  )

  ;; Recursive factorial named
  (func $fac-rec-named (export "fac-rec-named") (param $n i64) (result i64)
    (if (result i64) (i64.eq (local.get $n) (i64.const 0))
      (then (i64.const 1))
      (else
        (i64.mul
          (local.get $n)
          (call $fac-rec-named (i64.sub (local.get $n) (i64.const 1)))
        )
      )
    )
  )

  ;; Iterative factorial
  (func (export "fac-iter") (param i64) (result i64)
    (local i64 i64)
    (local.set 1 (local.get 0))
    (local.set 2 (i64.const 1))
    (block
      (loop
        (if
          (i64.eq (local.get 1) (i64.const 0))
          (then (br 2))
          (else
            (local.set 2 (i64.mul (local.get 1) (local.get 2)))
            (local.set 1 (i64.sub (local.get 1) (i64.const 1)))
          )
        )
        (br 0)
      )
    )
    (local.get 2)
  )

  ;; Iterative factorial named
  (func (export "fac-iter-named") (param $n i64) (result i64)
    (local $i i64)
    (local $res i64)
    (local.set $i (local.get $n))
    (local.set $res (i64.const 1))
    (block $done
      (loop $loop
        (if
          (i64.eq (local.get $i) (i64.const 0))
          (then (br $done))
          (else
            (local.set $res (i64.mul (local.get $i) (local.get $res)))
            (local.set $i (i64.sub (local.get $i) (i64.const 1)))
          )
        )
        (br $loop)
      )
    )
    (local.get $res)
  )

  ;; Optimized factorial.
  (func (export "fac-opt") (param i64) (result i64)
    (local i64)
    (local.set 1 (i64.const 1))
    (block
      (br_if 0 (i64.lt_s (local.get 0) (i64.const 2)))
      (loop
        (local.set 1 (i64.mul (local.get 1) (local.get 0)))
        (local.set 0 (i64.add (local.get 0) (i64.const -1)))
        (br_if 0 (i64.gt_s (local.get 0) (i64.const 1)))
      )
    )
    (local.get 1)
  )

  ;; Iterative factorial without locals.
  (func $pick0 (param i64) (result i64 i64)
    (local.get 0) (local.get 0)
  )
  (func $pick1 (param i64 i64) (result i64 i64 i64)
    (local.get 0) (local.get 1) (local.get 0)
  )
  (func (export "fac-ssa") (param i64) (result i64)
    (i64.const 1) (local.get 0)
    (loop $l (param i64 i64) (result i64)
      (call $pick1) (call $pick1) (i64.mul)
      (call $pick1) (i64.const 1) (i64.sub)
      (call $pick0) (i64.const 0) (i64.gt_u)
      (br_if $l)
      (drop) (return)
    )
  )
)"#;

#[test]
fn spec_fac_module() {
    let mut l = Loaded::new(FAC_SPEC);
    for name in ["fac-rec", "fac-iter", "fac-rec-named", "fac-iter-named", "fac-opt", "fac-ssa"] {
        assert_eq!(l.call1(name, &[25]), 7_034_535_277_573_963_776, "{name}");
    }
}

#[test]
fn multi_value_calls_in_a_loop() {
    let mut l = Loaded::new(FAC_SSA);
    let text = l.module.slot_code_text(l.func("fac-ssa")).expect("translates");
    assert!(text.contains("call fn1("), "{text}");
    assert_eq!(l.call1("fac-ssa", &[25]), 7_034_535_277_573_963_776);
}

const LOOPS: &str = r#"
(module
  (memory 1)
  (func (export "fill_sum") (param $base i32) (param $n i32) (result i32)
    (local $i i32) (local $j i64) (local $s i32)
    local.get $n
    i32.eqz
    if
      i32.const 0
      return
    end
    loop $fill
      local.get $base
      local.get $i
      i32.add
      i32.const 1024
      i32.add
      i32.const 3
      i32.store8
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if $fill
    end
    loop $sum
      local.get $s
      local.get $j
      local.get $base
      i64.extend_i32_u
      i64.add
      i32.wrap_i64
      i32.const 1024
      i32.add
      i32.load8_u
      i32.add
      local.set $s
      local.get $j
      i64.const 1
      i64.add
      local.tee $j
      local.get $n
      i64.extend_i32_u
      i64.ne
      br_if $sum
    end
    local.get $s)
  (func (export "wrapped") (param i32) (result i32)
    local.get 0
    i32.const 32
    i32.add
    i32.load)
  (func (export "poke") (param i32 i32)
    local.get 0
    local.get 1
    i32.store)
)"#;

#[test]
fn loop_latches_constants_and_address_addends() {
    let mut l = Loaded::new(LOOPS);
    assert_eq!(l.call1("fill_sum", &[100, 50]), 150);
    assert_eq!(l.call1("fill_sum", &[7, 1]), 3);
    let text = listing(&l.module, l.func("fill_sum"));
    assert!(text.contains("i32.add_br_ne") && text.contains("i64.add_br_ne"), "{text}");
    assert!(text.contains("+1024, 0"), "the address constant is folded into the access:\n{text}");
    assert!(!text.contains("i32.wrap_i64"), "the access reads the low half itself:\n{text}");
    // The folded `i32.add` still wraps in 32 bits: 0xffff_fff0 + 32 is address 16.
    l.call("poke", &[16, 0x1234_5678], 0).expect("in bounds");
    assert_eq!(l.call1("wrapped", &[0xffff_fff0]), 0x1234_5678);
    assert_eq!(l.call1("wrapped", &[0]), 0);
    let t = l.call("wrapped", &[65536 - 34], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}

/// `switch (code[i])` over an array (at `base + i * 4 + 8`), over a static
/// table mapping opcodes to cases (`switch (cases[i] - 2)`, Lua's dispatch),
/// and after a store that must not be passed.
const SWITCH_ON_LOADS: &str = r#"(module
  (memory 1)
  (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "array") (param $base i32) (param $i i32) (result i32)
    (block $c2 (block $c1 (block $c0 (block $d
      (br_table $c0 $c1 $c2 $d
        (i32.load offset=8 (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))))))
      (return (i32.const 99)))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (i32.const 30))
  (func (export "table") (param $i i32) (result i32)
    (block $c1 (block $c0 (block $d
      (br_table $c0 $c1 $d
        (i32.sub (i32.load (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.const 1024))) (i32.const 2))))
      (return (i32.const 99)))
      (return (i32.const 10)))
    (i32.const 20))
  (func (export "stored") (param $p i32) (result i32)
    (local $x i32)
    (local.set $x (i32.load (i32.add (local.get $p) (i32.shl (local.get $p) (i32.const 2)))))
    (i32.store (i32.add (local.get $p) (i32.shl (local.get $p) (i32.const 2))) (i32.const 1))
    (block $c1 (block $c0 (block $d
      (br_table $c0 $c1 $d (local.get $x)))
      (return (i32.const 99)))
      (return (i32.const 10)))
    (i32.const 20)))"#;

#[test]
fn a_switch_on_a_loaded_value_loads_it_in_the_branch() {
    let mut l = Loaded::new(SWITCH_ON_LOADS);
    let text = listing(&l.module, l.func("array"));
    assert!(text.contains("br_table mem.load32 s1+s2*4, 8, ["), "{text}");
    let text = listing(&l.module, l.func("table"));
    assert!(text.contains("br_table mem.load32 s1*4+1024-2, ["), "{text}");
    let text = listing(&l.module, l.func("stored"));
    assert!(
        !text.contains("br_table mem") && text.contains("br_table s"),
        "a store between stays between:\n{text}"
    );

    for (case, want) in [(0, 10), (1, 20), (2, 30), (3, 99), (u32::MAX, 99)] {
        l.call("poke", &[100 + 8 + 4 * 5, u64::from(case)], 0).expect("in bounds");
        assert_eq!(l.call1("array", &[100, 5]), want, "case {case}");
    }
    for (case, want) in [(2, 10), (3, 20), (1, 99), (4, 99)] {
        l.call("poke", &[1024 + 4 * 7, case], 0).expect("in bounds");
        assert_eq!(l.call1("table", &[7]), want, "case {case}");
    }
    l.call("poke", &[40, 0], 0).expect("in bounds");
    assert_eq!(l.call1("stored", &[8]), 10, "the branch takes the value loaded before the store");
    assert_eq!(l.call1("stored", &[8]), 20, "which the second call loads");

    // The trap is the load's: its frame points at the `i32.load` (0x28), not the `br_table`.
    let bytes = wat::parse_str(SWITCH_ON_LOADS).expect("valid text");
    let t = l.call("array", &[65536 - 8, 0], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(bytes[t.frames[0].offset as usize], 0x28, "{:?}", t.frames);
    let t = l.call("table", &[(65536 - 1024) / 4], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(bytes[t.frames[0].offset as usize], 0x28, "{:?}", t.frames);
}

/// `n -= 1; br_if n` closes a count-down loop with one op.
#[test]
fn a_count_down_latch_is_one_op() {
    let mut l = Loaded::new(
        r#"(module
  (func (export "down") (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $n) (local.get $n))))
      (local.set $n (i32.add (local.get $n) (i32.const -1)))
      (br_if $l (local.get $n)))
    (local.get $s)))"#,
    );
    assert_eq!(l.call1("down", &[4]), 16 + 9 + 4 + 1);
    assert_eq!(l.call1("down", &[1]), 1);
    let text = listing(&l.module, l.func("down"));
    assert!(text.contains(" = i32.add_br_ne -1, 0, @"), "{text}");
    assert!(!text.contains("br_if"), "{text}");
}

/// A loop whose body is a `switch`: every case rotates the same constant (a
/// left operand, which no `rotr` immediate form takes) and sets a flag
/// constant that only feeds the merge block's parameter.
const SWITCH_LOOP: &str = r#"(module
  (func (export "run") (param $n i32) (result i32)
    (local $acc i32) (local $flag i32)
    (loop $top
      (block $merge
        (block $c2
          (block $c1
            (block $c0
              (br_table $c0 $c1 $c2 (i32.rem_u (local.get $n) (i32.const 3))))
            (local.set $acc (i32.rotr (i32.const 1000) (local.get $acc)))
            (local.set $flag (i32.const 7))
            (br $merge))
          (local.set $acc (i32.rotr (i32.const 1000) (i32.add (local.get $acc) (local.get $n))))
          (local.set $flag (i32.const 7))
          (br $merge))
        (local.set $acc (i32.rotr (i32.const 1000) (i32.mul (local.get $acc) (i32.const 3))))
        (local.set $flag (i32.const 9)))
      (local.set $acc (i32.add (local.get $acc) (local.get $flag)))
      (br_if $top (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
)"#;

#[test]
fn loop_constants_are_hoisted_once_per_value() {
    let mut l = Loaded::new(SWITCH_LOOP);
    // The same loop in Rust.
    let expected = |mut n: u32| {
        let mut acc = 0u32;
        loop {
            let flag;
            (acc, flag) = match n % 3 {
                0 => (1000u32.rotate_right(acc), 7),
                1 => (1000u32.rotate_right(acc.wrapping_add(n)), 7),
                _ => (1000u32.rotate_right(acc.wrapping_mul(3)), 9),
            };
            acc = acc.wrapping_add(flag);
            n = n.wrapping_sub(1);
            if n == 0 {
                return acc;
            }
        }
    };
    for n in [1, 2, 3, 10, 1001] {
        assert_eq!(l.call1("run", &[n]), u64::from(expected(n as u32)), "n = {n}");
    }
    let text = listing(&l.module, l.func("run"));
    let entry = text.split("block1").next().unwrap_or_default();
    // The three `1000`s are one constant, hoisted to the entry block ...
    assert_eq!(text.matches("const32 1000").count(), 1, "{text}");
    assert!(entry.contains("const32 1000"), "{text}");
    // ... and the flags, which only feed the merge block's parameter, stay in the cases.
    assert!(!entry.contains("const32 7") && !entry.contains("const32 9"), "{text}");
    // A case that jumps to the merge writes its flag and jumps in one op.
    assert_eq!(text.matches("= const32_jump 7, ").count(), 2, "{text}");
    assert!(text.contains("= const32 9"), "{text}");
}

/// C's stack-pointer prologue (`sp -= 64`) and epilogue (`sp = fp + 64`) on a
/// global are one op each.
#[test]
fn stack_pointer_updates_are_one_op() {
    let mut l = Loaded::new(
        r#"(module
  (global $sp (mut i32) (i32.const 0))
  (func (export "set_sp") (param i32) (global.set $sp (local.get 0)))
  (func (export "sp") (result i32) (global.get $sp))
  (func (export "frame") (param i32) (result i32)
    (local $fp i32)
    (local.set $fp (i32.sub (global.get $sp) (i32.const 64)))
    (global.set $sp (local.get $fp))
    (local.set 0 (i32.add (local.get $fp) (local.get 0)))
    (global.set $sp (i32.add (local.get $fp) (i32.const 64)))
    (local.get 0)))"#,
    );
    let text = l.module.slot_code_text(l.func("frame")).expect("translates");
    assert!(text.contains(" = vm.add32 vm+") && text.contains(", -64, 0"), "{text}");
    assert!(text.contains(" = vm.store_add32 vm+") && text.contains(", 64, 0"), "{text}");
    assert!(!text.contains("vm.load32") && !text.contains("vm.store32"), "{text}");
    l.call("set_sp", &[1000], 0).expect("set_sp");
    assert_eq!(l.call1("frame", &[5]), 936 + 5);
    assert_eq!(l.call1("sp", &[]), 1000);
    l.call("set_sp", &[16], 0).expect("set_sp");
    assert_eq!(l.call1("frame", &[0]), (16u32.wrapping_sub(64)) as u64, "wraps in 32 bits");
    assert_eq!(l.call1("sp", &[]), 16);
}
