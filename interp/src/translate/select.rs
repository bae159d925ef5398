//! Instruction selection: decides, before liveness and slot assignment, which IR
//! instructions become which kind of op, so that fused producers need no slot.
//!
//! Each instruction gets a [`Plan`]. Fusions change the consumer's *effective*
//! operands ([`Selection::for_each_use`]): `brif (icmp a, b)` uses `a` and `b`, not the
//! compare's result. A final dead-code sweep then skips every side-effect-free
//! instruction whose results have no effective use left, which removes folded
//! constants, fused compares and the absorbed parts of bounds checks.
//!
//! The fusions:
//! - constant right operands (left, for commutative ops) of integer binary ops and
//!   compares become immediates;
//! - `iadd.i32 a, (ishl.i32 b, K)` with the shift used only there, in the same
//!   block, becomes one `i32.shl_add` (array indexing);
//! - `band.i32 (ushr.i32 a, K), M` with the shift used only there, in the same
//!   block, becomes one `i32.shr_u_and` (a bit field);
//! - `fadd`, `fsub` or `fmul` of another of them used only there, in the
//!   same block, becomes one op (`f64.mul_add`: `a * b + c`);
//! - `band (bxor|iadd a, b), M` (i32), `imul (bxor a, b), K` (i64) and
//!   `bxor (ishl|ushr a, K), b` with the inner op used only there, in the
//!   same block, become one op (`i32.xor_and`, `i64.xor_mul`, `i32.shr_u_xor`);
//! - `brif` on a single-use compare in the same block becomes compare-and-branch;
//! - `br_table` on an i32 array element loaded in its block, with nothing
//!   but pure instructions in between, loads it itself (`mem::br_table_load`);
//! - `trapz`/`trapnz` on a single-use integer compare becomes compare-and-trap;
//! - `uextend` and same-width `bitcast` become copies that share their operand's
//!   cell (cells hold i32/f32 zero-extended, so the bits are equal);
//! - a `heap_load`/`heap_store` (memory 0) becomes one checked access
//!   (`vm+M`, `M` memory 0's field), with the same foldings of its index as
//!   an access after an explicit check, below;
//! - a linear-memory access whose address is `iadd(load mp+0, a)` and which follows
//!   the lowering's bounds check of exactly its bytes —
//!   `len = load mp+8; end = iadd a, K; c = icmp ugt end, len; trapnz c, heap_oob`
//!   with `K = offset + size`, separated from it only by pure non-memory
//!   instructions, where `mp = load vmctx+M` reads the function's own VM
//!   context, and where the index is an i32 (or its `uextend`) — becomes one
//!   checked access (`vm+M`), and the check is absorbed; a scalar access whose
//!   index is `iadd.i32 x, K` reads `x` and adds `K` itself, and one whose
//!   index (or `x`) is an `i32.shl_add` or `i32.shl` by the access's size used
//!   only there (for bytes, an `iadd.i32`) computes that too
//!   (`mem.load32 s1+s2*4`, `mem.load32 s2*4+1024`);
//!   When the index is a constant `c` (the check is `icmp ugt K, len`, and
//!   the address the base itself or `iadd base, c`), a scalar access becomes
//!   one checked access at the constant address `c + offset`;
//! - `call_indirect`'s table lookup (bounds, null and type checks, then the
//!   element's handle and VM context) becomes one `funcref` op
//!   (`select/funcref.rs`);
//! - any other scalar load/store through a pointer loaded from the function's
//!   VM context (`p = load vmctx+F; load p+o`: globals, table records) reads the
//!   pointer itself (`vm.load64 vm+F, o`), so `p` needs no op or cell.

use cranelift_entity::SecondaryMap;
use zerowasm_ssa::analysis::cfg::ControlFlowGraph;
use zerowasm_ssa::dfg::ValueDef;
use zerowasm_ssa::instructions::InstData;
use zerowasm_ssa::passes::for_each_dest;
use zerowasm_ssa::{FloatCC, Function, Inst, IntCC, LoadKind, Opcode, StoreKind, TrapCode, Type, Value};

mod arith;
mod funcref;
mod mem;
mod sweep;
use arith::{float_pair, int_pair};
use funcref::funcref_lookup;
use mem::{absorb_bounds_check, br_table_load, heap_access_plan, heap_memory, strip_uextend};

/// The right operand of a fused compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operand {
    /// A value in a cell.
    Value(Value),
    /// A folded constant (sign-extended to 64 bits).
    Imm(i64),
}

/// A compare folded into its consumer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    /// Integer compare of `ty`.
    Int { cond: IntCC, a: Value, b: Operand, ty: Type },
    /// Flag test of an i32: `a & mask != 0`, or with `zero` `a & mask == 0`.
    Test { a: Value, mask: i32, zero: bool },
    /// Float compare of `ty`; with `not`, its negation (which for floats is
    /// not another condition: both are false on NaN for most).
    Float { cond: FloatCC, a: Value, b: Value, ty: Type, not: bool },
}

/// How one instruction is translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Plan {
    /// The plain op for the instruction.
    #[default]
    Emit,
    /// Nothing: fused into a consumer, folded, dead, or unreachable.
    Skip,
    /// The single result shares the cell of the value.
    Copy(Value),
    /// Integer binary op or compare with a constant operand.
    Imm { a: Value, imm: i64, cond: Option<IntCC> },
    /// `i32.shl`, `i32.rotl` or `i32.sub` with a constant left operand (and
    /// a right one that is not): one op, no constant in a cell.
    ImmLhs { imm: i32, b: Value },
    /// `iadd.i32 a, (ishl.i32 b, k)` with a constant `k` and the shift used
    /// only here, in the same block: one `i32.shl_add` op.
    ShlAdd { a: Value, b: Value, k: u8 },
    /// `band (ushr a, k), mask` (i32 or i64) with constants `k` and `mask`
    /// and the shift used only here, in the same block: one `shr_u_and` op.
    ShrUAnd { a: Value, k: u8, mask: i64 },
    /// `band.i32 (inner a, b), mask` (`inner` an `bxor` or `iadd`) with a
    /// constant `mask` and `inner` used only here, in the same block.
    BinMask { inner: Opcode, a: Value, b: Value, mask: i32 },
    /// `imul.i64 (bxor a, b), imm` with the `bxor` used only here, in the same block.
    XorMul { a: Value, b: Value, imm: i64 },
    /// `bxor (shift a, k), b` (i32 or i64; `shift` an `ishl` or `ushr` by a
    /// constant) with the shift used only here, in the same block.
    ShiftXor { shift: Opcode, a: Value, k: u8, b: Value },
    /// `iadd.i32 base, v` with `v` a [`Plan::ShrUAnd`] used only here, in
    /// the same block: one `i32.add_shr_u_and` op.
    AddShrUAnd { base: Value, a: Value, k: u8, mask: i32 },
    /// `fadd`/`fsub`/`fmul` of which one operand is another such op of the
    /// same type used only here, in the same block: `(a inner b) outer c`,
    /// or with `rev` `c outer (a inner b)`. One op, so the inner result
    /// needs no cell on the expression's dependency chain.
    FloatPair { inner: Opcode, outer: Opcode, rev: bool, a: Value, b: Value, c: Value },
    /// `brif` on a fused compare.
    BrCmp(Cmp),
    /// `br_table` on `index + add` (an `iadd.i32` with a constant, or an
    /// `isub.i32` of one, used only here, in the same block).
    BrTableAdd { index: Value, add: i32 },
    /// `br_table` on `bradd` plus the i32 that a [`Plan::MemX`] load (now
    /// [`Plan::Skip`]) read at `base + (index << 2) + add + offset`: the
    /// branch loads its index itself (see `mem::br_table_load`).
    BrTableLoad { base: Option<Value>, index: Value, add: i32, offset: u32, bradd: i32, load: Inst },
    /// Scalar `select` on a fused integer compare: `cond(a, b) ? x : y`,
    /// with `x` and `y` the select's own operands.
    SelectCmp { cond: IntCC, a: Value, b: Operand, ty: Type },
    /// `trapz`/`trapnz` on a fused integer compare; traps when `cond(a, b)` holds.
    TrapCmp { cond: IntCC, a: Value, b: Operand, ty: Type },
    /// Bounds-checked linear-memory access; the memory's `VmMemory` pointer is
    /// at byte `memory` of the function's own VM context. The accessed index is
    /// `index + add` in 32 bits (`add` is nonzero only for scalar and plain v128 accesses).
    Mem { memory: u16, index: Value, add: i32 },
    /// A bounds-checked scalar access like [`Plan::Mem`] whose index is a
    /// constant (C's static data): `addr` is that index plus the offset.
    MemAt { memory: u16, addr: u32 },
    /// A bounds-checked scalar access like [`Plan::Mem`] whose index is
    /// `base + (index << log2 size)` (an `i32.shl_add`, or for byte accesses
    /// an `i32.add`, used only there), or without a base `index << log2 size`
    /// (an `i32.shl`: a static array, its address in `add`): the op computes
    /// it itself.
    MemX { memory: u16, base: Option<Value>, index: Value, add: i32 },
    /// A scalar load or store at `p + offset` where `p = load vmctx+field` (a
    /// global's cell, a table record): the op reads the pointer itself.
    Vm { field: u16 },
    /// Nothing here: a later instruction's op does this one's work (its
    /// result, if any, gets its cell here and the op writes it).
    Absorbed,
    /// A scalar constant whose only uses are branch arguments of its own
    /// block's `jump` or `brif`: not materialized here, but written straight
    /// into the parameter's cell on each edge that passes it, so a path that
    /// does not pass it does not pay for it (and `const; jump` is one op).
    EdgeConst,
    /// The load of a table element's VM context (`load f+8`) that ends
    /// `call_indirect`'s table lookup: one `funcref` op does the whole lookup,
    /// with its three checks, and writes `handle` (the element's function
    /// handle, loaded just before) and this result. See [`funcref_lookup`].
    FuncRef { table: u16, index: Value, sig: u16, handle: Value },
}

/// The plans of one function.
pub(crate) struct Selection {
    pub plans: SecondaryMap<Inst, Plan>,
    /// The memory (VM-context field of its `VmMemory` pointer) of every
    /// [`Plan::Mem`], [`Plan::MemAt`] and [`Plan::MemX`], if there is one:
    /// memory 0's. The execution loop keeps that memory's base in a register
    /// (`InterpFunc::heap`); accesses to other memories keep their explicit checks.
    pub heap: Option<u16>,
}

/// The immediate of the `iconst` defining `v` (as `DataFlowGraph::int_constant`,
/// which is not inlined across crates; this is asked for most operands).
#[inline]
fn iconst_of(func: &Function, v: Value) -> Option<i64> {
    match func.dfg.value_def(v) {
        ValueDef::Result(i, 0) => match *func.dfg.inst(i) {
            InstData::Iconst { imm } => Some(imm),
            _ => None,
        },
        _ => None,
    }
}

fn def_inst(func: &Function, v: Value) -> Option<Inst> {
    match func.dfg.value_def(v) {
        ValueDef::Result(i, _) => Some(i),
        _ => None,
    }
}

/// `cond(a, b) == swapped(cond)(b, a)`.
pub(crate) fn swap_cond(cond: IntCC) -> IntCC {
    match cond {
        IntCC::Eq | IntCC::Ne => cond,
        IntCC::SignedLt => IntCC::SignedGt,
        IntCC::SignedGe => IntCC::SignedLe,
        IntCC::SignedGt => IntCC::SignedLt,
        IntCC::SignedLe => IntCC::SignedGe,
        IntCC::UnsignedLt => IntCC::UnsignedGt,
        IntCC::UnsignedGe => IntCC::UnsignedLe,
        IntCC::UnsignedGt => IntCC::UnsignedLt,
        IntCC::UnsignedLe => IntCC::UnsignedGe,
    }
}

fn foldable_binary(op: Opcode) -> Option<bool> {
    // Some(commutative)
    match op {
        Opcode::Iadd | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor => Some(true),
        Opcode::Isub
        | Opcode::Ishl
        | Opcode::Sshr
        | Opcode::Ushr
        | Opcode::Rotl
        | Opcode::Rotr
        | Opcode::Sdiv
        | Opcode::Udiv
        | Opcode::Srem
        | Opcode::Urem => Some(false),
        _ => None,
    }
}

/// The (int) compare `cond a, b` with a constant folded, if either side is one.
fn int_compare(func: &Function, cond: IntCC, a: Value, b: Value) -> (IntCC, Value, Operand) {
    if let Some(k) = iconst_of(func, b) {
        (cond, a, Operand::Imm(k))
    } else if let Some(k) = iconst_of(func, a) {
        (swap_cond(cond), b, Operand::Imm(k))
    } else {
        (cond, a, Operand::Value(b))
    }
}

/// `(x, K)` if `v = band.i32 x, K` (constant `K`), used only by `user`, in its block.
fn flag_test(
    func: &Function,
    v: Value,
    user: Inst,
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<(Value, i32)> {
    match *func.dfg.inst(same_block_single_use(v, user)?) {
        InstData::Binary { opcode: Opcode::Band, args: [x, k] } if func.dfg.value_type(x) == Type::I32 => {
            Some((x, iconst_of(func, k)? as i32))
        }
        _ => None,
    }
}

/// `inst` as a float compare.
fn float_compare(func: &Function, inst: Inst) -> Option<Cmp> {
    match *func.dfg.inst(inst) {
        InstData::FloatCompare { cond, args } => {
            let ty = func.dfg.value_type(args[0]);
            Some(Cmp::Float { cond, a: args[0], b: args[1], ty, not: false })
        }
        _ => None,
    }
}

/// The tables of [`Selection::compute`], kept between functions (one per
/// thread) so each function fills them instead of allocating new ones.
#[derive(Default)]
pub(crate) struct SelectBuffers {
    plans: SecondaryMap<Inst, Plan>,
    raw_uses: SecondaryMap<Value, u32>,
    /// Uses of each value as the index of a `heap_load`/`heap_store`.
    index_uses: SecondaryMap<Value, u32>,
    uses: SecondaryMap<Value, u32>,
    /// Uses of each value as a branch argument of a `jump` or `brif` in its
    /// own block.
    edge_uses: SecondaryMap<Value, u32>,
    /// The scalar constants, candidates for [`Plan::EdgeConst`].
    consts: Vec<Inst>,
    sweep: sweep::SweepBuffers,
}

impl SelectBuffers {
    /// Takes back the plans of a selection the caller is done with.
    pub(crate) fn recycle(&mut self, sel: Selection) {
        self.plans = sel.plans;
    }
}

impl Selection {
    /// Plans every instruction of `func` (instructions of unreachable blocks are skipped).
    pub(crate) fn compute(func: &Function, cfg: &ControlFlowGraph, buffers: &mut SelectBuffers) -> Selection {
        let dfg = &func.dfg;
        let mut plans = std::mem::take(&mut buffers.plans);
        plans.clear();
        plans.resize(dfg.num_insts());
        let raw_uses = &mut buffers.raw_uses;
        raw_uses.clear();
        raw_uses.resize(dfg.num_values());
        let index_uses = &mut buffers.index_uses;
        index_uses.clear();
        index_uses.resize(dfg.num_values());
        for block in func.layout.blocks() {
            let reachable = cfg.is_reachable(block);
            for inst in func.layout.block_insts(block) {
                if !reachable {
                    plans[inst] = Plan::Skip;
                    continue;
                }
                dfg.for_each_inst_value(inst, |v| raw_uses[v] += 1);
                if let InstData::HeapLoad { arg: index, .. } | InstData::HeapStore { args: [index, _], .. } =
                    *dfg.inst(inst)
                {
                    index_uses[index] += 1;
                }
            }
        }
        let index_uses = &*index_uses;

        // One walk in reverse postorder. An instruction's plan is final once it
        // is visited (a bounds check or a table lookup changes only its own plan
        // and those of instructions after it in its block, which keep them), so
        // its effective uses are counted then: they start as the raw ones, and
        // an instruction whose plan is not the plain op trades its raw operands
        // for the ones its plan reads.
        let uses = &mut buffers.uses;
        uses.clear();
        uses.resize(dfg.num_values());
        for (u, &r) in uses.values_mut().zip(raw_uses.values()) {
            *u = r;
        }
        let edge_uses = &mut buffers.edge_uses;
        edge_uses.clear();
        edge_uses.resize(dfg.num_values());
        let consts = &mut buffers.consts;
        consts.clear();
        let mut sel = Selection { plans, heap: None };
        for block in cfg.rpo() {
            // The instruction defining `v` if `v` is used only once, by `user`,
            // and in the same block. Every `user` the matchers pass is in
            // `block` (the instruction being planned or one of its single-use
            // operands'), so that block is compared with `v`'s; the use count,
            // the cheapest test and the one that fails most, goes first.
            let same_block_single_use = |v: Value, user: Inst| -> Option<Inst> {
                debug_assert_eq!(func.layout.inst_block(user), Some(*block));
                if raw_uses[v] != 1 {
                    return None;
                }
                let d = def_inst(func, v)?;
                (func.layout.inst_block(d) == Some(*block)).then_some(d)
            };
            for inst in func.layout.block_insts(*block) {
                let data = dfg.inst(inst);
                // An instruction that a fusion before it planned keeps that
                // plan; any other is still planned `Emit` (the default), and
                // only the kinds `first_plan` handles may change that.
                // The kind, read from `data` already at hand, is tested first.
                if matches!(
                    data,
                    InstData::Binary { .. }
                        | InstData::IntCompare { .. }
                        | InstData::Unary { .. }
                        | InstData::Brif { .. }
                        | InstData::BrTable { .. }
                        | InstData::Ternary { .. }
                        | InstData::CondTrap { .. }
                ) && !matches!(
                    sel.plans[inst],
                    Plan::Mem { .. }
                        | Plan::MemAt { .. }
                        | Plan::MemX { .. }
                        | Plan::Absorbed
                        | Plan::FuncRef { .. }
                ) {
                    sel.plans[inst] = first_plan(func, inst, data, &same_block_single_use);
                }
                // Only the instructions each matcher starts from (checked first
                // by each) can change anything.
                match *data {
                    InstData::CondTrap {
                        opcode: Opcode::Trapnz, code: TrapCode::MemoryOutOfBounds, ..
                    } => {
                        absorb_bounds_check(func, inst, raw_uses, &mut sel.plans, &mut sel.heap);
                    }
                    InstData::CondTrap {
                        opcode: Opcode::Trapnz, code: TrapCode::UndefinedElement, ..
                    } => {
                        funcref_lookup(func, inst, raw_uses, &mut sel.plans);
                    }
                    InstData::HeapLoad { .. } | InstData::HeapStore { .. } => {
                        if let Some(plan) =
                            heap_access_plan(func, inst, data, raw_uses, index_uses, &sel.plans)
                        {
                            sel.plans[inst] = plan;
                            sel.heap = Some(heap_memory());
                        }
                    }
                    InstData::Load { .. } | InstData::Store { .. } => {
                        if matches!(sel.plans[inst], Plan::Emit)
                            && let Some(field) = vm_access(func, inst)
                        {
                            sel.plans[inst] = Plan::Vm { field };
                        }
                    }
                    InstData::Iconst { .. } | InstData::F32const { .. } | InstData::F64const { .. } => {
                        consts.push(inst);
                    }
                    InstData::BrTable { .. } => {
                        if let Some((load, plan)) =
                            br_table_load(func, inst, sel.plans[inst], raw_uses, &sel.plans)
                        {
                            sel.plans[load] = Plan::Skip;
                            sel.plans[inst] = plan;
                        }
                    }
                    InstData::Jump { .. } | InstData::Brif { .. } => {
                        for_each_dest(dfg, inst, |dest| {
                            for &v in dfg.block_call_args(dest) {
                                if def_inst(func, v)
                                    .is_some_and(|d| func.layout.inst_block(d) == Some(*block))
                                {
                                    edge_uses[v] += 1;
                                }
                            }
                        });
                    }
                    _ => {}
                }
                // The sweep finds dead instructions through their unused
                // results; one without results is dead at once.
                if dfg.inst_results(inst).is_empty() && !data.opcode().has_side_effects() {
                    sel.plans[inst] = Plan::Skip;
                }
                let plan = &sel.plans[inst];
                if !matches!(plan, Plan::Emit) {
                    dfg.for_each_inst_value(inst, |v| uses[v] -= 1);
                    plan_uses(plan, func, inst, |v| uses[v] += 1);
                }
            }
        }
        buffers.sweep.run(func, &mut sel.plans, uses);
        for &inst in consts.iter() {
            if let (Plan::Emit, &[v]) = (sel.plans[inst], dfg.inst_results(inst))
                && uses[v] > 0
                && uses[v] == edge_uses[v]
            {
                sel.plans[inst] = Plan::EdgeConst;
            }
        }
        sel
    }
}

/// The plan of `inst` on its own: immediates, compare-and-branch or -trap, copies.
/// Not inlined: the walk calls it for the few kinds it handles, and stores
/// its result in place.
#[inline(never)]
fn first_plan(
    func: &Function,
    inst: Inst,
    data: &InstData,
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Plan {
    let dfg = &func.dfg;
    match *data {
        InstData::Binary { opcode, args } if dfg.value_type(args[0]).is_int() => {
            match foldable_binary(opcode) {
                Some(commutative) => {
                    if let Some(plan) = int_pair(func, inst, opcode, args, same_block_single_use) {
                        plan
                    } else if let Some(k) = iconst_of(func, args[1]) {
                        Plan::Imm { a: args[0], imm: k, cond: None }
                    } else if let (true, Some(k)) = (commutative, iconst_of(func, args[0])) {
                        Plan::Imm { a: args[1], imm: k, cond: None }
                    } else if matches!(opcode, Opcode::Ishl | Opcode::Rotl | Opcode::Isub)
                        && dfg.value_type(args[0]) == Type::I32
                        && let Some(k) = iconst_of(func, args[0])
                    {
                        Plan::ImmLhs { imm: k as i32, b: args[1] }
                    } else {
                        Plan::Emit
                    }
                }
                None => Plan::Emit,
            }
        }
        InstData::Binary { opcode: outer @ (Opcode::Fadd | Opcode::Fsub | Opcode::Fmul), args }
            if dfg.value_type(args[0]).is_float() =>
        {
            float_pair(func, inst, outer, args, same_block_single_use).unwrap_or(Plan::Emit)
        }
        InstData::IntCompare { cond, args } => match int_compare(func, cond, args[0], args[1]) {
            (cond, a, Operand::Imm(imm)) => Plan::Imm { a, imm, cond: Some(cond) },
            _ => Plan::Emit,
        },
        InstData::Unary { opcode: Opcode::Uextend, arg } => Plan::Copy(arg),
        InstData::Unary { opcode: Opcode::Bitcast, arg } => {
            let from = dfg.value_type(arg);
            let to = dfg.first_result(inst);
            if from.bytes() == dfg.value_type(to).bytes() && from != Type::V128 {
                Plan::Copy(arg)
            } else {
                Plan::Emit
            }
        }
        InstData::Brif { arg, .. } => match same_block_single_use(arg, inst) {
            Some(c) => match *dfg.inst(c) {
                InstData::IntCompare { cond, args } => {
                    let ty = dfg.value_type(args[0]);
                    match int_compare(func, cond, args[0], args[1]) {
                        // `br_if (i32.eqz (f64.gt a b))`: C's `if (!(a > b))`.
                        (cond @ (IntCC::Eq | IntCC::Ne), x, Operand::Imm(0))
                            if let Some(Cmp::Float { cond: fc, a, b, ty, .. }) =
                                same_block_single_use(x, c).and_then(|x| float_compare(func, x)) =>
                        {
                            Plan::BrCmp(Cmp::Float { cond: fc, a, b, ty, not: cond == IntCC::Eq })
                        }
                        // `br_if (i32.eqz (i32.and x K))`: C's `if (!(x & FLAG))`.
                        (cond @ (IntCC::Eq | IntCC::Ne), x, Operand::Imm(0))
                            if let Some((a, mask)) = flag_test(func, x, c, same_block_single_use) =>
                        {
                            Plan::BrCmp(Cmp::Test { a, mask, zero: cond == IntCC::Eq })
                        }
                        (cond, a, b) => Plan::BrCmp(Cmp::Int { cond, a, b, ty }),
                    }
                }
                // `br_if (i32.and x K)`.
                InstData::Binary { opcode: Opcode::Band, .. }
                    if let Some((a, mask)) = flag_test(func, arg, inst, same_block_single_use) =>
                {
                    Plan::BrCmp(Cmp::Test { a, mask, zero: false })
                }
                _ => match float_compare(func, c) {
                    Some(cmp) => Plan::BrCmp(cmp),
                    None => Plan::Emit,
                },
            },
            None => Plan::Emit,
        },
        InstData::BrTable { arg, .. } => match same_block_single_use(arg, inst).map(|a| *dfg.inst(a)) {
            Some(InstData::Binary { opcode: Opcode::Iadd, args: [index, k] })
                if dfg.value_type(index) == Type::I32
                    && let Some(k) = iconst_of(func, k) =>
            {
                Plan::BrTableAdd { index, add: k as i32 }
            }
            Some(InstData::Binary { opcode: Opcode::Isub, args: [index, k] })
                if dfg.value_type(index) == Type::I32
                    && let Some(k) = iconst_of(func, k) =>
            {
                Plan::BrTableAdd { index, add: (k as i32).wrapping_neg() }
            }
            _ => Plan::Emit,
        },
        InstData::Ternary { opcode: Opcode::Select, args: [c, x, _] } if dfg.value_type(x) != Type::V128 => {
            match same_block_single_use(c, inst).map(|c| *dfg.inst(c)) {
                Some(InstData::IntCompare { cond, args }) => {
                    let ty = dfg.value_type(args[0]);
                    match int_compare(func, cond, args[0], args[1]) {
                        (cond, a, b @ Operand::Value(_)) => Plan::SelectCmp { cond, a, b, ty },
                        (cond, a, Operand::Imm(k)) if i32::try_from(k).is_ok() || ty == Type::I32 => {
                            Plan::SelectCmp { cond, a, b: Operand::Imm(k), ty }
                        }
                        _ => Plan::Emit,
                    }
                }
                _ => Plan::Emit,
            }
        }
        InstData::CondTrap { opcode, arg, .. } => match same_block_single_use(arg, inst) {
            Some(c) => match *dfg.inst(c) {
                InstData::IntCompare { cond, args } => {
                    let ty = dfg.value_type(args[0]);
                    let (cond, a, b) = int_compare(func, cond, args[0], args[1]);
                    let cond = if opcode == Opcode::Trapz { cond.inverse() } else { cond };
                    Plan::TrapCmp { cond, a, b, ty }
                }
                _ => Plan::Emit,
            },
            None => Plan::Emit,
        },
        _ => Plan::Emit,
    }
}

/// `F` if `inst` is a scalar load or store through `p = load vmctx+F` (see [`Plan::Vm`]).
fn vm_access(func: &Function, inst: Inst) -> Option<u16> {
    let dfg = &func.dfg;
    let ptr = match *dfg.inst(inst) {
        InstData::Load { kind: LoadKind::Plain, arg, .. }
            if dfg.inst_results(inst).iter().all(|&r| dfg.value_type(r) != Type::V128) =>
        {
            arg
        }
        InstData::Store { kind: StoreKind::Plain, args, .. } if dfg.value_type(args[1]) != Type::V128 => {
            args[0]
        }
        _ => return None,
    };
    vmctx_field(func, ptr)
}

impl Selection {
    /// Calls `f` on each value `inst` reads under its plan, branch arguments
    /// included, in a fixed order.
    #[inline]
    pub(crate) fn for_each_use(&self, func: &Function, inst: Inst, f: impl FnMut(Value)) {
        plan_uses(&self.plans[inst], func, inst, f);
    }
}

/// Calls `f` on each value `inst` reads under `plan` (see [`Selection::for_each_use`]).
#[inline]
pub(crate) fn plan_uses(plan: &Plan, func: &Function, inst: Inst, mut f: impl FnMut(Value)) {
    let dfg = &func.dfg;
    let operand = |f: &mut dyn FnMut(Value), b: Operand| {
        if let Operand::Value(v) = b {
            f(v);
        }
    };
    match *plan {
        Plan::Emit => dfg.for_each_inst_value(inst, f),
        Plan::Skip => {}
        Plan::Copy(v) | Plan::Imm { a: v, .. } | Plan::ImmLhs { b: v, .. } | Plan::ShrUAnd { a: v, .. } => {
            f(v)
        }
        Plan::ShlAdd { a, b, .. }
        | Plan::AddShrUAnd { base: a, a: b, .. }
        | Plan::BinMask { a, b, .. }
        | Plan::XorMul { a, b, .. }
        | Plan::ShiftXor { a, b, .. } => {
            f(a);
            f(b);
        }
        Plan::FloatPair { a, b, c, .. } => {
            f(a);
            f(b);
            f(c);
        }
        Plan::BrCmp(_) | Plan::BrTableAdd { .. } | Plan::BrTableLoad { .. } => {
            match *plan {
                Plan::BrCmp(Cmp::Int { a, b, .. }) => {
                    f(a);
                    operand(&mut f, b);
                }
                Plan::BrCmp(Cmp::Float { a, b, .. }) => {
                    f(a);
                    f(b);
                }
                Plan::BrCmp(Cmp::Test { a, .. }) => f(a),
                Plan::BrTableAdd { index, .. } => f(index),
                Plan::BrTableLoad { base, index, .. } => {
                    if let Some(base) = base {
                        f(base);
                    }
                    f(index);
                }
                _ => {}
            }
            // The branch arguments: every operand but the condition or index.
            let mut first = true;
            dfg.for_each_inst_value(inst, |v| {
                if !std::mem::take(&mut first) {
                    f(v);
                }
            });
        }
        Plan::TrapCmp { a, b, .. } => {
            f(a);
            operand(&mut f, b);
        }
        Plan::SelectCmp { a, b, .. } => {
            f(a);
            operand(&mut f, b);
            if let InstData::Ternary { args: [_, x, y], .. } = *dfg.inst(inst) {
                f(x);
                f(y);
            }
        }
        Plan::Vm { .. } | Plan::MemAt { .. } => {
            if let InstData::Store { args, .. } | InstData::HeapStore { args, .. } = *dfg.inst(inst) {
                f(args[1]);
            }
        }
        Plan::Absorbed | Plan::EdgeConst => {}
        Plan::FuncRef { index, .. } => f(index),
        Plan::MemX { base, index, .. } => {
            if let Some(base) = base {
                f(base);
            }
            f(index);
            if let InstData::Store { args, .. } | InstData::HeapStore { args, .. } = *dfg.inst(inst) {
                f(args[1]);
            }
        }
        Plan::Mem { index, .. } => {
            f(index);
            match *dfg.inst(inst) {
                InstData::Store { args, .. }
                | InstData::HeapStore { args, .. }
                | InstData::LoadLane { args, .. }
                | InstData::StoreLane { args, .. } => f(args[1]),
                _ => {}
            }
        }
    }
}

/// `M` if `mp = load.i64 vmctx+M` with `vmctx` the function's first parameter and `M` below 64 KiB.
fn vmctx_field(func: &Function, mp: Value) -> Option<u16> {
    let vmctx = *func.dfg.block_params(func.entry_block()?).first()?;
    let i = def_inst(func, mp)?;
    match *func.dfg.inst(i) {
        InstData::Load { kind: LoadKind::Plain, arg, offset } if arg == vmctx => u16::try_from(offset).ok(),
        _ => None,
    }
}
