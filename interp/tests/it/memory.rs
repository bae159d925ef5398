//! Linear memory through a VM context: `heap_load`/`heap_store`, and the lowering's explicit bounds-check pattern.

use zerowasm_ssa::TrapCode;

use crate::common::*;

/// `store.i32 v2 at v1+4`, then `load.i32 v1+4` — each exactly as the lowering
/// emits a Wasm access: VmMemory pointer from vmctx+40, length check, base + index.
const STORE_LOAD: &str = "function %sl(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
@0010    v3 = load.i64 v0+40
@0010    v4 = load.i64 v3+8
@0010    v5 = uextend.i64 v1
@0010    v6 = iconst.i64 8
@0010    v7 = iadd.i64 v5, v6
@0010    v8 = icmp.i64 ugt v7, v4
@0010    trapnz v8, heap_oob
@0010    v9 = load.i64 v3
@0010    v10 = iadd.i64 v9, v5
@0010    store.i32 v2, v10+4
@0020    v11 = load.i64 v0+40
@0020    v12 = load.i64 v11+8
@0020    v13 = uextend.i64 v1
@0020    v14 = iconst.i64 6
@0020    v15 = iadd.i64 v13, v14
@0020    v16 = icmp.i64 ugt v15, v12
@0020    trapnz v16, heap_oob
@0020    v17 = load.i64 v11
@0020    v18 = iadd.i64 v17, v13
@0020    v19 = uload16.i32 v18+4
    return v19
}";

#[test]
fn checked_store_and_load_are_single_ops() {
    let m = module(&[STORE_LOAD]);
    let mut vm = FakeVm::new(64, 8);
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[10, 0x1234_5678], 1).expect("call succeeds");
    assert_eq!(r, vec![0x5678]);
    assert_eq!(&vm.memory[14..18], &0x1234_5678u32.to_le_bytes());
    // Last in-bounds index: 56 + 4 + 4 = 64.
    assert!(call_env(&mut TestEnv::default(), &m, 0, vmctx, &[56, 1], 1).is_ok());
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[57, 1], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x10);
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[u32::MAX as u64, 1], 1)
        .expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    let text = listing(&m, 0);
    assert!(text.contains("mem.store32 vm+40, s1, s2, 4"), "{text}");
    assert!(text.contains("mem.load16_u vm+40, s1, 4"), "{text}");
    assert!(text.contains("4 ops"), "store, load, return, end:\n{text}");
}

/// Every scalar load kind and store width over one memory word.
const WIDTHS: &str = "function %w(i64, i64) -> i32, i32, i64, i64, i64, i64, i32, i64 {
block0(v0: i64, v1: i64):
    v2 = load.i64 v0+40
    v3 = load.i64 v2
    store.i64 v1, v3
    v4 = sload8.i32 v3
    v5 = uload16.i32 v3+6
    v6 = sload16.i64 v3+6
    v7 = sload32.i64 v3+4
    v8 = uload32.i64 v3+4
    v9 = uload8.i64 v3+7
    v10 = load.f32 v3
    v11 = bitcast.i32 v10
    istore8.i64 v1, v3+8
    istore16.i32 v11, v3+10
    istore32.i64 v1, v3+12
    v12 = load.i64 v3+8
    return v4, v5, v6, v7, v8, v9, v11, v12
}";

#[test]
fn raw_loads_and_stores_of_every_width() {
    let m = module(&[WIDTHS]);
    let mut vm = FakeVm::new(32, 8);
    let vmctx = vm.ptr();
    let x: u64 = 0x8899_aabb_ccdd_eeff;
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[x], 8).expect("call succeeds");
    assert_eq!(r[0], 0xffff_ffff, "sload8 of 0xff is -1 as i32, zero-extended in the cell");
    assert_eq!(r[1], 0x8899);
    assert_eq!(r[2], 0xffff_ffff_ffff_8899);
    assert_eq!(r[3], 0xffff_ffff_8899_aabb);
    assert_eq!(r[4], 0x8899_aabb);
    assert_eq!(r[5], 0x88);
    assert_eq!(r[6], 0xccdd_eeff);
    assert_eq!(r[7], 0xccdd_eeff_eeff_00ff, "store8, store16, store32 combined");
}

#[test]
fn v128_memory_access() {
    let m = module(&["function %v(i64, i32) -> v128, v128, v128, i64 {
block0(v0: i64, v1: i32):
    v2 = load.i64 v0+40
    v3 = load.i64 v2+8
    v4 = uextend.i64 v1
    v5 = iconst.i64 16
    v6 = iadd.i64 v4, v5
    v7 = icmp.i64 ugt v6, v3
    trapnz v7, heap_oob
    v8 = load.i64 v2
    v9 = iadd.i64 v8, v4
    v10 = load.v128 v9
    v11 = load8x8_s.v128 v9
    v12 = load32_splat.v128 v9+4
    v13 = load_lane.i64x2 v9+8, v10, 0
    store_lane.i16x8_u v12, v9, 7
    store.v128 v13, v9+16
    v14 = load.i64 v9+16
    return v10, v11, v13, v14
}"]);
    let mut vm = FakeVm::new(64, 8);
    for (i, b) in vm.memory.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(17);
    }
    let before = vm.memory.clone();
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[0], 7).expect("call succeeds");
    let v = |lo: u64, hi: u64| u128::from(lo) | (u128::from(hi) << 64);
    let plain = u128::from_le_bytes(before[0..16].try_into().expect("8 or 16 bytes"));
    assert_eq!(v(r[0], r[1]), plain);
    let ext: [i16; 8] = std::array::from_fn(|i| i16::from(before[i] as i8));
    assert_eq!(v(r[2], r[3]), zerowasm_interp::semantics::simd::from_lanes(ext));
    let lane0 = u64::from_le_bytes(before[8..16].try_into().expect("8 or 16 bytes"));
    assert_eq!(v(r[4], r[5]), (plain & !u128::from(u64::MAX)) | u128::from(lane0));
    assert_eq!(r[6], lane0, "store.v128 then load of its low half");
    let word = u32::from_le_bytes(before[4..8].try_into().expect("8 or 16 bytes"));
    assert_eq!(&vm.memory[0..2], &(word >> 16).to_le_bytes()[..2], "store_lane of lane 7 of the splat");
    let text = listing(&m, 0);
    assert!(text.contains("mem.load.v128 vm+40, s1, 0"), "the first access is fused:\n{text}");
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[49], 7).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}

/// Accesses at constant addresses, as the lowering emits them for C's static
/// data after constant folding: `store.i32` at index 8 offset 4, `load.i32`
/// at the base itself offset 12 (the same word), and a `load.i32` whose check
/// (`K = 17`) covers more than its bytes, which must keep its explicit check.
const CONSTANT_ADDRESSES: &str = "function %ca(i64, i32) -> i32, i32 {
block0(v0: i64, v1: i32):
@0010    v2 = load.i64 v0+40
@0010    v3 = load.i64 v2+8
@0010    v4 = iconst.i64 16
@0010    v5 = icmp.i64 ugt v4, v3
@0010    trapnz v5, heap_oob
@0010    v6 = load.i64 v2
@0010    v7 = iconst.i64 8
@0010    v8 = iadd.i64 v6, v7
@0010    store.i32 v1, v8+4
@0020    v9 = load.i64 v0+40
@0020    v10 = load.i64 v9+8
@0020    v11 = icmp.i64 ugt v4, v10
@0020    trapnz v11, heap_oob
@0020    v12 = load.i64 v9
@0020    v13 = load.i32 v12+12
@0030    v14 = iconst.i64 17
@0030    v15 = icmp.i64 ugt v14, v10
@0030    trapnz v15, heap_oob
@0030    v16 = load.i32 v12+12
    return v13, v16
}";

#[test]
fn accesses_at_constant_addresses_are_single_checked_ops() {
    let m = module(&[CONSTANT_ADDRESSES]);
    let text = listing(&m, 0);
    assert!(text.contains("mem.store32 vm+40, [12], s1"), "{text}");
    assert!(text.contains("= mem.load32 vm+40, [12]"), "{text}");
    // The check of 17 bytes stays, and so does the raw load after it.
    assert!(text.contains("trap_if.i64 ult, "), "{text}");
    assert!(text.contains("= load32 "), "{text}");

    // 17 bytes: every access in bounds.
    let mut vm = FakeVm::new(17, 8);
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[0xdead_beef], 2).expect("call succeeds");
    assert_eq!(r, vec![0xdead_beef, 0xdead_beef]);
    assert_eq!(&vm.memory[12..16], &0xdead_beefu32.to_le_bytes());

    // 16 bytes: the store and the first load end exactly at the length; the
    // check of 17 traps, at its own offset.
    let mut vm = FakeVm::new(16, 8);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[7], 2).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x30);
    assert_eq!(&vm.memory[12..16], &7u32.to_le_bytes());

    // 15 bytes: the store at [12] traps before writing anything.
    let mut vm = FakeVm::new(15, 8);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[7], 2).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x10);
    assert!(vm.memory.iter().all(|&b| b == 0));
}

/// Array accesses as the lowering emits them: `i64.store` and `i64.load` at
/// `base + (i << 3)`, `i32.load` at `base + (i << 2) + 4` (the addend folded
/// too), `i32.load8_u` at `base + i`, each one op that computes its address
/// itself; and an `i32.load` at `i + (base << 3)`, whose shift is not the
/// access's size, which keeps its `i32.shl_add`.
const ARRAY_ACCESSES: &str = "function %ax(i64, i32, i32, i64) -> i32, i64, i32, i32 {
block0(v0: i64, v1: i32, v2: i32, v3: i64):
    @002e v4 = iconst.i32 3
    @0030 v5 = ishl.i32 v2, v4
    @0031 v6 = iadd.i32 v1, v5
    @0034 v7 = load.i64 v0+40
    @0034 v8 = load.i64 v7+8
    @0034 v9 = uextend.i64 v6
    @0034 v10 = iconst.i64 24
    @0034 v11 = iadd.i64 v9, v10
    @0034 v12 = icmp.i64 ugt v11, v8
    @0034 trapnz v12, heap_oob
    @0034 v13 = load.i64 v7
    @0034 v14 = iadd.i64 v13, v9
    @0034 store.i64 v3, v14+16
    @003b v15 = iconst.i32 2
    @003d v16 = ishl.i32 v2, v15
    @003e v17 = iadd.i32 v1, v16
    @003f v18 = iconst.i32 4
    @0041 v19 = iadd.i32 v17, v18
    @0042 v20 = load.i64 v0+40
    @0042 v21 = load.i64 v20+8
    @0042 v22 = uextend.i64 v19
    @0042 v23 = iconst.i64 12
    @0042 v24 = iadd.i64 v22, v23
    @0042 v25 = icmp.i64 ugt v24, v21
    @0042 trapnz v25, heap_oob
    @0042 v26 = load.i64 v20
    @0042 v27 = iadd.i64 v26, v22
    @0042 v28 = load.i32 v27+8
    @004d v32 = load.i64 v0+40
    @004d v33 = load.i64 v32+8
    @004d v37 = icmp.i64 ugt v11, v33
    @004d trapnz v37, heap_oob
    @004d v38 = load.i64 v32
    @004d v39 = iadd.i64 v38, v9
    @004d v40 = load.i64 v39+16
    @0054 v41 = iadd.i32 v1, v2
    @0055 v42 = load.i64 v0+40
    @0055 v43 = load.i64 v42+8
    @0055 v44 = uextend.i64 v41
    @0055 v45 = iconst.i64 1
    @0055 v46 = iadd.i64 v44, v45
    @0055 v47 = icmp.i64 ugt v46, v43
    @0055 trapnz v47, heap_oob
    @0055 v48 = load.i64 v42
    @0055 v49 = iadd.i64 v48, v44
    @0055 v50 = uload8.i32 v49
    @005e v52 = ishl.i32 v1, v4
    @005f v53 = iadd.i32 v2, v52
    @0060 v54 = load.i64 v0+40
    @0060 v55 = load.i64 v54+8
    @0060 v56 = uextend.i64 v53
    @0060 v57 = iconst.i64 4
    @0060 v58 = iadd.i64 v56, v57
    @0060 v59 = icmp.i64 ugt v58, v55
    @0060 trapnz v59, heap_oob
    @0060 v60 = load.i64 v54
    @0060 v61 = iadd.i64 v60, v56
    @0060 v62 = load.i32 v61
    @0063 return v28, v40, v50, v62
}";

#[test]
fn array_accesses_compute_their_scaled_index_themselves() {
    let m = module(&[ARRAY_ACCESSES]);
    let text = listing(&m, 0);
    assert!(text.contains("mem.store64 s1+s2*8, s3, 16"), "{text}");
    assert!(text.contains("= mem.load32 s1+s2*4+4, 8"), "{text}");
    assert!(text.contains("= mem.load64 s1+s2*8, 16"), "{text}");
    assert!(text.contains("= mem.load8_u s1+s2, 0"), "{text}");
    assert_eq!(text.matches("i32.shl_add").count(), 1, "only the unnatural shift stays:\n{text}");

    let value = 0x1122_3344_5566_7788u64;
    let filled = |bytes: usize| {
        let mut vm = FakeVm::new(bytes, 8);
        for (i, b) in vm.memory.iter_mut().enumerate() {
            *b = i as u8;
        }
        vm
    };
    // base 4, i 1: store at 28..36, loads at 20, 28, 5 and 33 (= 1 + (4 << 3)).
    let mut vm = filled(40);
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[4, 1, value], 4).expect("call succeeds");
    assert_eq!(r, vec![0x1716_1514, value, 5, 0x2411_2233]);
    assert_eq!(&vm.memory[28..36], &value.to_le_bytes());

    // The same with 36 bytes: the last load (33..37) traps, at its own offset.
    let mut vm = filled(36);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[4, 1, value], 4).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x60);

    // base -8, i 2: the scaled sums wrap in 32 bits (store at 24, loads at 12
    // and 24), and the byte load at 0xffff_fffa traps.
    let mut vm = filled(40);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[0xffff_fff8, 2, 7], 4)
        .expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x55);
    assert_eq!(&vm.memory[24..32], &7u64.to_le_bytes());
}

/// Static-array accesses: the array's address is a constant, so the index is
/// `(i << log2 size) + K`, one op with no base (`mem.load32 s1*4+1024, 4`).
const STATIC_ARRAY_ACCESSES: &str = "function %sa(i64, i32, i64) -> i32, i32 {
block0(v0: i64, v1: i32, v2: i64):
    @0029 v3 = iconst.i32 3
    @002b v4 = ishl.i32 v1, v3
    @002c v5 = iconst.i32 16
    @002e v6 = iadd.i32 v4, v5
    @0031 v7 = load.i64 v0+40
    @0031 v8 = load.i64 v7+8
    @0031 v9 = uextend.i64 v6
    @0031 v10 = iconst.i64 16
    @0031 v11 = iadd.i64 v9, v10
    @0031 v12 = icmp.i64 ugt v11, v8
    @0031 trapnz v12, heap_oob
    @0031 v13 = load.i64 v7
    @0031 v14 = iadd.i64 v13, v9
    @0031 store.i64 v2, v14+8
    @0036 v15 = iconst.i32 2
    @0038 v16 = ishl.i32 v1, v15
    @0039 v17 = iconst.i32 1024
    @003c v18 = iadd.i32 v16, v17
    @003d v19 = load.i64 v0+40
    @003d v20 = load.i64 v19+8
    @003d v21 = uextend.i64 v18
    @003d v22 = iconst.i64 8
    @003d v23 = iadd.i64 v21, v22
    @003d v24 = icmp.i64 ugt v23, v20
    @003d trapnz v24, heap_oob
    @003d v25 = load.i64 v19
    @003d v26 = iadd.i64 v25, v21
    @003d v27 = load.i32 v26+4
    @0042 v28 = iconst.i32 1
    @0044 v29 = ishl.i32 v1, v28
    @0045 v30 = iconst.i32 -2
    @0047 v31 = iadd.i32 v29, v30
    @0048 v32 = load.i64 v0+40
    @0048 v33 = load.i64 v32+8
    @0048 v34 = uextend.i64 v31
    @0048 v35 = iconst.i64 2
    @0048 v36 = iadd.i64 v34, v35
    @0048 v37 = icmp.i64 ugt v36, v33
    @0048 trapnz v37, heap_oob
    @0048 v38 = load.i64 v32
    @0048 v39 = iadd.i64 v38, v34
    @0048 v40 = sload16.i32 v39
    @004b return v27, v40
}";

#[test]
fn static_array_accesses_scale_their_index_themselves() {
    let m = module(&[STATIC_ARRAY_ACCESSES]);
    let text = listing(&m, 0);
    assert!(text.contains("mem.store64 s1*8+16, s2, 8"), "{text}");
    assert!(text.contains("= mem.load32 s1*4+1024, 4"), "{text}");
    assert!(text.contains("= mem.load16_s.i32 s1*2-2, 0"), "{text}");
    assert!(!text.contains("i32.shl"), "every shift is folded:\n{text}");

    let filled = |bytes: usize| {
        let mut vm = FakeVm::new(bytes, 8);
        for (i, b) in vm.memory.iter_mut().enumerate() {
            *b = i as u8;
        }
        vm
    };
    let value = 0x0102_0304_0506_0708u64;
    // i = 2: store at 40..48, loads at 1036 and 2.
    let mut vm = filled(1040);
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[2, value], 2).expect("call succeeds");
    assert_eq!(r, vec![0x0f0e_0d0c, 0x0302]);
    assert_eq!(&vm.memory[40..48], &value.to_le_bytes());
    // i = 65: the i16 at 128 is negative, sign-extended in 32 bits.
    let mut vm = filled(2048);
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[65, value], 2).expect("call succeeds");
    assert_eq!(r, vec![0x0b0a_0908, 0xffff_8180]);
    // i = 2 in 1039 bytes: the load32 (1036..1040) traps.
    let mut vm = filled(1039);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[2, value], 2).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x3d);
    // i = 0: the i16's index wraps to 0xffff_fffe and traps.
    let mut vm = filled(1040);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[0, value], 2).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x48);
    assert_eq!(&vm.memory[24..32], &value.to_le_bytes());
}

/// `heap_load`/`heap_store` (memory 0, as the lowering emits nearly every
/// access): a store at `i*4+8` (its index's scaling folded), a load at
/// `i+4`, a load at the constant address 12, and a load at the constant
/// index -4 (0xffff_fffc) plus offset 8, whose address does not fit 32 bits
/// and must trap rather than wrap.
const HEAP_ACCESSES: &str = "function %h(i64, i32, i32) -> i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i32):
@0010    v3 = iconst.i32 2
@0010    v4 = ishl.i32 v1, v3
@0010    heap_store.i32 v2, v4+8
@0020    v5 = heap_uload16.i32 v1+4
@0030    v6 = iconst.i32 12
@0030    v7 = heap_load.i32 v6
@0040    brif v1, block1, block2
block1:
    return v5, v7, v1
block2:
@0050    v8 = iconst.i32 -4
@0050    v9 = heap_sload8.i32 v8+8
    return v5, v7, v9
}";

#[test]
fn heap_accesses_are_single_checked_ops() {
    let m = module(&[HEAP_ACCESSES]);
    let text = listing(&m, 0);
    assert!(text.contains("mem.store32 s1*4, s2, 8"), "{text}");
    assert!(text.contains("= mem.load16_u vm+40, s1, 4"), "{text}");
    assert!(text.contains("= mem.load32 vm+40, [12]"), "{text}");
    assert!(!text.contains("i32.shl"), "the shift is folded:\n{text}");

    // i = 2: the store writes 16..20; the u16 at 6 and the word at 12.
    let mut vm = FakeVm::new(20, 8);
    for (i, b) in vm.memory.iter_mut().enumerate() {
        *b = i as u8;
    }
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[2, 0xdead_beef], 3).expect("call succeeds");
    assert_eq!(r, vec![0x0706, 0x0f0e_0d0c, 2]);
    assert_eq!(&vm.memory[16..20], &0xdead_beefu32.to_le_bytes());

    // i = 3: the store (20..24) is one byte beyond 23 bytes, and writes nothing.
    let mut vm = FakeVm::new(23, 8);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[3, 1], 3).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x10);
    assert!(vm.memory.iter().all(|&b| b == 0));

    // i = 0 in 16 bytes: the loads pass, then 0xffff_fffc + 8 traps.
    let mut vm = FakeVm::new(16, 8);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[0, 1], 3).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x50);

    // i = 0 in 15 bytes: the constant address 12 needs 16.
    let mut vm = FakeVm::new(15, 8);
    let vmctx = vm.ptr();
    let t = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[0, 1], 3).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(t.frames[0].offset, 0x30);
}

/// A pointer bumped in a loop (`p = p + 4; s += *p`): the load reads the
/// bumped pointer itself, so the pointer needs one cell and no copy at the
/// latch. And `q = p + 8` used only as the index of a load and a store is
/// folded into both, and its add goes.
const POINTER_BUMP: &str = "function %pb(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 0
    jump block1(v1, v3)
block1(v4: i32, v5: i32):
    v6 = iconst.i32 4
    v7 = iadd.i32 v4, v6
    v8 = heap_load.i32 v7
    v9 = iadd.i32 v5, v8
    v10 = icmp.i32 ult v7, v2
    brif v10, block1(v7, v9), block2
block2:
    v11 = iconst.i32 8
    v12 = iadd.i32 v1, v11
    v13 = heap_load.i32 v12
    heap_store.i32 v9, v12
    v14 = iadd.i32 v9, v13
    return v14
}";

#[test]
fn a_bumped_pointer_is_read_after_its_bump() {
    let m = module(&[POINTER_BUMP]);
    let text = listing(&m, 0);
    let body = &text[text.find("block1:").expect("loop")..text.find("block2:").expect("exit")];
    assert_eq!(body.lines().count(), 5, "add, load, add, branch:\n{text}");
    assert!(body.contains("= i32.add s0, 4") && body.contains("= mem.load32 vm+40, s0, 0"), "{text}");
    assert!(text.contains("= mem.load32 vm+40, s1+8, 0"), "{text}");
    assert!(text.contains("mem.store32 vm+40, s1+8, "), "{text}");
    assert_eq!(text.matches("i32.add").count(), 3, "p + 4, s + *p, the sum:\n{text}");

    // Words 1, 2, 3 at 4..16 (p = 0 up to 12): s = 6; then [8] (2) += s.
    let mut vm = FakeVm::new(16, 8);
    for (i, w) in vm.memory.chunks_mut(4).enumerate() {
        w.copy_from_slice(&(i as u32).to_le_bytes());
    }
    let vmctx = vm.ptr();
    let r = call_env(&mut TestEnv::default(), &m, 0, vmctx, &[0, 12], 1).expect("call succeeds");
    assert_eq!(r, vec![8]);
    assert_eq!(&vm.memory[8..12], &6u32.to_le_bytes());
}
