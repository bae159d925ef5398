//! Encoding: lays the reachable blocks out in layout order and emits the dense
//! op stream, with labels patched at the end.
//!
//! Control flow: block arguments become parallel moves on their edge
//! ([`super::moves`]); a jump to the next block with no moves disappears; a
//! `brif` becomes one (possibly fused compare-and-) branch, negated when that
//! lets the taken edge fall through, with moves placed on the edge that needs
//! them; `br_table` targets that need moves get a stub (moves + jump) right
//! after the table op. The last op is always `end_of_code`.

use cranelift_entity::EntityRef;
use zerowasm_ssa::analysis::cfg::ControlFlowGraph;
use zerowasm_ssa::instructions::{BlockCall, InstData};
use zerowasm_ssa::{Block, FloatCC, Function, Inst, IntCC, Type, Value};

use super::Emitted;
use super::optable;
use super::select::{Cmp, Operand, Plan, Selection};
use super::slots::{SlotMap, width};
use crate::code::{Addend, CALL_CELLS, Index, Op, Scaled, Slot, Target, VSlot};
use crate::error::TranslateError;
use crate::func::{BuiltinDesc, CallDesc, InterpFunc};

/// A branch condition, before choosing the op.
enum Cond {
    /// `c != 0`.
    Plain(Slot),
    /// An integer compare; `b` is a cell or an immediate.
    Int { cond: IntCC, is64: bool, a: Slot, b: Result<Slot, i64> },
    /// `a & mask != 0`, or with `zero` `== 0` (i32).
    Test { a: Slot, mask: i32, zero: bool },
    /// A float compare, or with `not` its negation.
    Float { cond: FloatCC, is64: bool, a: Slot, b: Slot, not: bool },
}

/// A call's result cells and, per cell, whether it holds an i32/f32
/// (see [`CallDesc::narrow`]).
type ResultCells = (Box<[u16]>, Box<[bool]>);

/// The encoder's state for one function.
pub(crate) struct Encoder<'a> {
    pub func: &'a Function,
    pub sel: &'a Selection,
    pub slots: &'a SlotMap,
    /// The instructions that get ops, per block.
    emitted: &'a Emitted,
    pub ops: Vec<Op>,
    pub srclocs: Vec<u32>,
    /// Source offset attached to the ops being emitted.
    pub srcloc: u32,
    /// Position of each label (`u32::MAX` until bound); labels `0..num_blocks` are blocks.
    labels: Vec<u32>,
    /// Position of the most recently bound label (no fusion across it).
    last_label: Option<u32>,
    pub consts: Vec<u128>,
    pub br_tables: Vec<Box<[u32]>>,
    pub calls: Vec<CallDesc>,
    pub returns: Vec<Box<[u16]>>,
    pub builtins: Vec<BuiltinDesc>,
    cells: u32,
    temp: Option<u16>,
    block_starts: Vec<(u32, u32)>,
    /// For each forwarder block (see [`Encoder::find_forwarders`]), the
    /// branch it finally takes; `None` for every block that is laid out.
    forward: Vec<Option<BlockCall>>,
}

/// The encoder's growing buffers, kept between functions: the finished
/// code is copied out at its exact size, so these keep their capacity.
#[derive(Default)]
pub(crate) struct EncodeScratch {
    ops: Vec<Op>,
    srclocs: Vec<u32>,
    labels: Vec<u32>,
    block_starts: Vec<(u32, u32)>,
    order: Vec<Block>,
    forward: Vec<Option<BlockCall>>,
}

/// Encodes `func` under the selection and cell assignment.
pub(crate) fn encode(
    func: &Function,
    cfg: &ControlFlowGraph,
    sel: &Selection,
    slots: &SlotMap,
    emitted: &Emitted,
    scratch: &mut EncodeScratch,
) -> Result<InterpFunc, TranslateError> {
    let mut ops = std::mem::take(&mut scratch.ops);
    ops.clear();
    let mut srclocs = std::mem::take(&mut scratch.srclocs);
    srclocs.clear();
    let mut labels = std::mem::take(&mut scratch.labels);
    labels.clear();
    labels.resize(func.dfg.num_blocks(), u32::MAX);
    let mut block_starts = std::mem::take(&mut scratch.block_starts);
    block_starts.clear();
    let mut forward = std::mem::take(&mut scratch.forward);
    forward.clear();
    forward.resize(func.dfg.num_blocks(), None);
    let mut e = Encoder {
        func,
        sel,
        slots,
        emitted,
        ops,
        srclocs,
        srcloc: u32::MAX,
        labels,
        last_label: None,
        consts: Vec::new(),
        br_tables: Vec::new(),
        calls: Vec::new(),
        returns: Vec::new(),
        builtins: Vec::new(),
        cells: slots.cells,
        temp: None,
        block_starts,
        forward,
    };
    let order = &mut scratch.order;
    order.clear();
    order.extend(func.layout.blocks().filter(|&b| cfg.is_reachable(b)));
    e.find_forwarders(emitted, order)?;
    let forward = &e.forward;
    order.retain(|&b| forward[b.index()].is_none());
    for (i, &block) in order.iter().enumerate() {
        let next = order.get(i + 1).copied();
        e.labels[block.index()] = e.ops.len() as u32;
        e.last_label = Some(e.ops.len() as u32);
        e.block_starts.push((e.ops.len() as u32, block.index() as u32));
        for &inst in emitted.block(block) {
            e.srcloc = func.srclocs[inst].0;
            let data = func.dfg.inst(inst);
            if data.opcode().is_terminator() {
                e.terminator(inst, next)?;
            } else {
                e.inst(inst, data)?;
            }
        }
    }
    e.srcloc = u32::MAX;
    e.push(Op::EndOfCode {});
    e.finish(scratch)
}

impl Encoder<'_> {
    /// Appends an op at the current source offset. Only the ops that can end
    /// a fused pattern (a jump or branch, a `call_indirect`, a `vm.store32`)
    /// look at the ops before them.
    #[inline]
    pub(crate) fn push(&mut self, op: Op) {
        match op {
            Op::Jump { .. }
            | Op::BrIf { .. }
            | Op::BrI32Ne { .. }
            | Op::BrI32NeImm { .. }
            | Op::BrI64Ne { .. }
            | Op::BrI64NeImm { .. }
            | Op::CallIndirect { .. }
            | Op::VmStore32 { .. } => self.push_fused(op),
            _ => {
                self.ops.push(op);
                self.srclocs.push(self.srcloc);
            }
        }
    }

    /// [`Encoder::push`] of an op that may complete a fused pattern: each
    /// kind is checked against its own pattern only.
    #[inline(never)]
    fn push_fused(&mut self, op: Op) {
        let fused = match op {
            // Replaces the table lookup of the same `call_indirect`, at its source offset.
            Op::CallIndirect { .. } => self.fuse_call_table(&op).map(|f| (f, 1)),
            // Replaces the add (and the load before it), at the first one's source offset.
            Op::VmStore32 { .. } => self.fuse_global_update(&op),
            // Replaces the add or the edge's move, at its source offset.
            _ => self.fuse_latch(&op).map(|f| (f, 1)),
        };
        if let Some((fused, drop)) = fused {
            let at = self.ops.len() - drop;
            self.ops.truncate(at + 1);
            self.srclocs.truncate(at + 1);
            self.ops[at] = fused;
            return;
        }
        self.ops.push(op);
        self.srclocs.push(self.srcloc);
    }

    /// A global's update as one op, when `op` is a `vm.store32` of an
    /// `i32.add` or `i32.sub` with an immediate just before it, with no label
    /// in between: with the global's own load before the add, and the add
    /// overwriting the loaded value's cell (C's `sp -= frame`), `vm.add32`
    /// replaces all three; else `vm.store_add32` replaces the add and the
    /// store. The number is how many ops before `op` the fused op replaces.
    fn fuse_global_update(&self, op: &Op) -> Option<(Op, usize)> {
        let Op::VmStore32 { field, value, offset } = *op else { return None };
        let n = self.ops.len();
        let label_after = |pos: usize| self.last_label.is_some_and(|l| l as usize > pos);
        let (dst, a, imm) = match *self.ops.get(n.checked_sub(1)?)? {
            Op::I32AddImm { dst, a, imm } => (dst, a, imm),
            Op::I32SubImm { dst, a, imm } => (dst, a, imm.wrapping_neg()),
            _ => return None,
        };
        if dst != value || label_after(n - 1) {
            return None;
        }
        if let Some(&Op::VmLoad32 { dst: loaded, field: f, offset: o }) =
            n.checked_sub(2).and_then(|i| self.ops.get(i))
            && loaded == a
            && a == dst
            && f == field
            && o == offset
            && !label_after(n - 2)
        {
            return Some((Op::VmAddImm32 { dst, field, imm, offset }, 2));
        }
        Some((Op::VmStoreAddImm32 { dst, field, a, imm, offset }, 1))
    }

    /// A `call_indirect` whose handle and VM context the table lookup just
    /// before wrote, with no label in between, as one op.
    fn fuse_call_table(&self, op: &Op) -> Option<Op> {
        let Op::CallIndirect { desc } = *op else { return None };
        let n = self.ops.len();
        let Op::FuncRef { handle, vmctx, table, index, sig } = *self.ops.last()? else { return None };
        if self.last_label.is_some_and(|l| l as usize >= n) {
            return None;
        }
        let d = self.calls.get(desc as usize)?;
        (d.args.first() == Some(&handle.0) && d.args.get(1) == Some(&vmctx.0)).then_some(Op::CallTable {
            desc,
            table,
            index,
            sig,
        })
    }

    /// [`fuse_latch_pair`] of the previous op and `op`, when no label separates the two.
    fn fuse_latch(&self, op: &Op) -> Option<Op> {
        let pos = self.ops.len() as u32;
        if self.last_label == Some(pos) {
            return None;
        }
        fuse_latch_pair(*self.ops.last()?, *op)
    }

    /// The first cell of `v`.
    #[inline(always)]
    pub(crate) fn cell(&self, v: Value) -> Result<u16, TranslateError> {
        match self.slots.cell[v] {
            Some(c) if c <= u32::from(u16::MAX) => Ok(c as u16),
            c => Err(Self::cell_error(v, c)),
        }
    }

    /// Why [`Encoder::cell`] found no cell index for `v`, which had `c`.
    #[cold]
    #[inline(never)]
    fn cell_error(v: Value, c: Option<u32>) -> TranslateError {
        match c {
            Some(_) => TranslateError::limit("frame cell index over 65535"),
            None => TranslateError::invalid(format!("{v} is used but has no cell")),
        }
    }

    /// The cell of scalar `v`.
    #[inline(always)]
    pub(crate) fn slot(&self, v: Value) -> Result<Slot, TranslateError> {
        if self.func.dfg.value_type(v) == Type::V128 {
            return Err(Self::vector_error(v, true));
        }
        self.cell(v).map(Slot)
    }

    /// The cell pair of v128 `v`.
    #[inline]
    pub(crate) fn vslot(&self, v: Value) -> Result<VSlot, TranslateError> {
        if self.func.dfg.value_type(v) != Type::V128 {
            return Err(Self::vector_error(v, false));
        }
        self.cell(v).map(VSlot)
    }

    /// A v128 where a scalar is expected (`vector`), or the reverse.
    #[cold]
    #[inline(never)]
    fn vector_error(v: Value, vector: bool) -> TranslateError {
        TranslateError::invalid(if vector {
            format!("{v} is a v128 where a scalar is expected")
        } else {
            format!("{v} is a scalar where a v128 is expected")
        })
    }

    /// Every cell of `values`, flattened (two per v128), in a buffer of one
    /// entry per value: exactly sized unless there is a v128.
    pub(crate) fn cells_of(&self, values: &[Value]) -> Result<Box<[u16]>, TranslateError> {
        if values.is_empty() {
            return Ok(Box::default());
        }
        let mut cells: Vec<u16> = Vec::with_capacity(values.len());
        for &v in values {
            let c = self.cell(v)?;
            cells.push(c);
            if self.func.dfg.value_type(v) == Type::V128 {
                cells.push(
                    c.checked_add(1).ok_or_else(|| TranslateError::limit("frame cell index over 65535"))?,
                );
            }
        }
        Ok(cells.into_boxed_slice())
    }

    /// The cells of `results` and, per cell, whether it holds an i32/f32
    /// (see [`CallDesc::narrow`]).
    pub(crate) fn result_cells(&self, results: &[Value]) -> Result<ResultCells, TranslateError> {
        let cells = self.cells_of(results)?;
        if cells.is_empty() {
            return Ok((cells, Box::default()));
        }
        let mut narrow: Vec<bool> = Vec::with_capacity(cells.len());
        for &v in results {
            match self.func.dfg.value_type(v) {
                Type::I32 | Type::F32 => narrow.push(true),
                Type::V128 => narrow.extend([false, false]),
                _ => narrow.push(false),
            }
        }
        Ok((cells, narrow.into_boxed_slice()))
    }

    fn new_label(&mut self) -> u32 {
        self.labels.push(u32::MAX);
        self.labels.len() as u32 - 1
    }

    fn bind(&mut self, label: u32) {
        self.labels[label as usize] = self.ops.len() as u32;
        self.last_label = Some(self.ops.len() as u32);
    }

    fn block_label(block: Block) -> Target {
        Target(block.index() as u32)
    }

    /// The scratch cell for move cycles (one per function, after every assigned cell).
    pub(super) fn temp(&mut self) -> u16 {
        if let Some(t) = self.temp {
            return t;
        }
        let t = self.cells.min(u32::from(u16::MAX)) as u16;
        self.cells += 1;
        self.temp = Some(t);
        t
    }

    /// Finds the forwarders among `order` (reachable blocks, entry first):
    /// blocks with no parameters whose only op would be a jump with no moves,
    /// such as the empty block between a loop's exit test and its exit. A
    /// forwarder is not laid out: a branch to it goes where it jumps (to the
    /// end of a chain of them), so that the branch before it can fall through
    /// to the block after it and a loop exit runs one op instead of two.
    /// Chains that loop (`loop br 0` of an empty loop) stay laid out.
    fn find_forwarders(&mut self, emitted: &super::Emitted, order: &[Block]) -> Result<(), TranslateError> {
        const MAX_CHAIN: usize = 16;
        let mut any = false;
        for &block in order.iter().skip(1) {
            // Most blocks have more than one op: that test goes first.
            if let &[inst] = emitted.block(block)
                && self.func.dfg.block_params(block).is_empty()
                && let InstData::Jump { dest } = *self.func.dfg.inst(inst)
            {
                if self.edge_is_empty(&dest)? {
                    self.forward[block.index()] = Some(dest);
                    any = true;
                } else {
                    // Built for its one side effect: a move cycle takes the
                    // temporary cell now, even if this jump is threaded later.
                    self.edge_moves(&dest)?;
                }
            }
        }
        if !any {
            return Ok(());
        }
        for &block in order.iter().skip(1) {
            let Some(mut call) = self.forward[block.index()] else { continue };
            let mut hops = 0;
            while let Some(next) = self.forward[call.block.index()] {
                hops += 1;
                if hops > MAX_CHAIN || call.block == block {
                    break;
                }
                call = next;
            }
            if hops > MAX_CHAIN || call.block == block {
                // A cycle of forwarders: it stays, as it is.
                self.forward[block.index()] = None;
            } else {
                self.forward[block.index()] = Some(call);
            }
        }
        Ok(())
    }

    /// `dest`, or where it finally goes if it is a forwarder.
    fn resolve(&self, dest: BlockCall) -> BlockCall {
        self.forward.get(dest.block.index()).copied().flatten().unwrap_or(dest)
    }

    /// Moves for `dest`, then a jump unless `dest` is the next block.
    fn edge(&mut self, dest: &BlockCall, next: Option<Block>) -> Result<(), TranslateError> {
        if next != Some(dest.block) && self.thread(dest, next)? {
            return Ok(());
        }
        if !self.passes_nothing(dest) {
            let moves = self.edge_moves(dest)?;
            self.emit_moves(&moves)?;
        }
        if next != Some(dest.block) {
            self.push(Op::Jump { target: Self::block_label(dest.block) });
        }
        Ok(())
    }

    /// The only instruction left in `block`, if it is a terminator.
    fn only_terminator(&self, block: Block) -> Option<Inst> {
        // The emitted list of a (reachable) block is its instructions
        // whose plans are neither `Skip` nor `EdgeConst`.
        match *self.emitted.block(block) {
            [only] => self.func.dfg.inst(only).opcode().is_terminator().then_some(only),
            _ => None,
        }
    }

    /// Jump threading: a jump to a block that only returns, traps, or branches
    /// (without moves) gets a copy of that terminator instead. This rotates loops
    /// whose header is a lone compare-and-branch, so each iteration dispatches one
    /// branch instead of a jump plus a branch.
    fn thread(&mut self, dest: &BlockCall, next: Option<Block>) -> Result<bool, TranslateError> {
        let Some(term) = self.only_terminator(dest.block) else { return Ok(false) };
        let dfg = &self.func.dfg;
        let saved = self.srcloc;
        self.srcloc = self.func.srclocs[term].0;
        let done = match *dfg.inst(term) {
            InstData::Return { args } => {
                // Return the branch arguments directly: no moves into the parameters.
                let params = dfg.block_params(dest.block);
                let passed = dfg.block_call_args(dest);
                let values: Vec<Value> = args
                    .as_slice(&dfg.value_lists)
                    .iter()
                    .map(|&v| {
                        params.iter().position(|&p| p == v).and_then(|i| passed.get(i).copied()).unwrap_or(v)
                    })
                    .collect();
                // An edge constant has no cell to return from: take the edge.
                if values.iter().any(|&v| self.edge_const(v).is_some()) {
                    false
                } else {
                    self.emit_return(&values)?;
                    true
                }
            }
            InstData::Trap { code } => {
                self.push(Op::Trap { code });
                true
            }
            InstData::Brif { arg, then_dest, else_dest }
                if self.edge_is_empty(&then_dest)? && self.edge_is_empty(&else_dest)? =>
            {
                let (then_dest, else_dest) = (self.resolve(then_dest), self.resolve(else_dest));
                let cond = self.branch_cond(term, arg)?;
                let moves = self.edge_moves(dest)?;
                self.emit_moves(&moves)?;
                self.branch(&cond, then_dest.block, else_dest.block, next);
                true
            }
            _ => false,
        };
        self.srcloc = saved;
        Ok(done)
    }

    /// Branches to `t` if `cond`, else to `f`, falling through to `next` where possible.
    fn branch(&mut self, cond: &Cond, t: Block, f: Block, next: Option<Block>) {
        // Position of an already emitted block (a backward target: a loop, likely taken).
        let back = |b: Block| self.labels.get(b.index()).copied().filter(|&p| p != u32::MAX);
        let prefer_f = match (back(t), back(f)) {
            (None, Some(_)) => true,
            (Some(pt), Some(pf)) => pf > pt,
            _ => false,
        };
        if next == Some(t) || (next != Some(f) && prefer_f) {
            // Fall through to `t`, or branch to `f`: the innermost backward target.
            self.push(Self::cond_op(cond, true, Self::block_label(f)));
            if next != Some(t) {
                self.push(Op::Jump { target: Self::block_label(t) });
            }
        } else {
            self.push(Self::cond_op(cond, false, Self::block_label(t)));
            if next != Some(f) {
                self.push(Op::Jump { target: Self::block_label(f) });
            }
        }
    }

    fn emit_return(&mut self, values: &[Value]) -> Result<(), TranslateError> {
        let dfg = &self.func.dfg;
        match values {
            [] => self.push(Op::Return0 {}),
            [v] if dfg.value_type(*v) != Type::V128 => {
                let src = self.slot(*v)?;
                self.push(Op::Return1 { src });
            }
            _ => {
                let cells = self.cells_of(values)?;
                let list = self.returns.len() as u32;
                self.returns.push(cells);
                self.push(Op::ReturnN { list });
            }
        }
        Ok(())
    }

    fn cond_op(cond: &Cond, negate: bool, target: Target) -> Op {
        match *cond {
            Cond::Plain(c) if negate => Op::BrIfNot { c, target },
            Cond::Plain(c) => Op::BrIf { c, target },
            Cond::Int { cond, is64, a, b } => {
                let cond = if negate { cond.inverse() } else { cond };
                match b {
                    Ok(b) => optable::br_icmp(cond, is64, a, b, target),
                    Err(imm) => optable::br_icmp_imm(cond, is64, a, imm, target),
                }
            }
            Cond::Test { a, mask, zero } => {
                if negate != zero {
                    Op::BrI32AndZ { a, mask, target }
                } else {
                    Op::BrI32AndNz { a, mask, target }
                }
            }
            Cond::Float { cond, is64, a, b, not } => match (is64, negate != not) {
                (false, false) => Op::BrF32 { cond, a, b, target },
                (false, true) => Op::BrF32Not { cond, a, b, target },
                (true, false) => Op::BrF64 { cond, a, b, target },
                (true, true) => Op::BrF64Not { cond, a, b, target },
            },
        }
    }

    fn branch_cond(&self, inst: Inst, arg: Value) -> Result<Cond, TranslateError> {
        Ok(match self.sel.plans[inst] {
            Plan::BrCmp(Cmp::Int { cond, a, b, ty }) => Cond::Int {
                cond,
                is64: ty == Type::I64,
                a: self.slot(a)?,
                b: match b {
                    Operand::Value(b) => Ok(self.slot(b)?),
                    Operand::Imm(k) => Err(k),
                },
            },
            Plan::BrCmp(Cmp::Test { a, mask, zero }) => Cond::Test { a: self.slot(a)?, mask, zero },
            Plan::BrCmp(Cmp::Float { cond, a, b, ty, not }) => {
                Cond::Float { cond, is64: ty == Type::F64, a: self.slot(a)?, b: self.slot(b)?, not }
            }
            _ => Cond::Plain(self.slot(arg)?),
        })
    }

    fn terminator(&mut self, inst: Inst, next: Option<Block>) -> Result<(), TranslateError> {
        let dfg = &self.func.dfg;
        match *dfg.inst(inst) {
            InstData::Jump { dest } => self.edge(&self.resolve(dest), next),
            InstData::Brif { arg, then_dest, else_dest } => {
                let (then_dest, else_dest) = (self.resolve(then_dest), self.resolve(else_dest));
                let cond = self.branch_cond(inst, arg)?;
                if self.passes_nothing(&then_dest) && self.passes_nothing(&else_dest) {
                    // The common case, without building (empty) moves.
                    self.branch(&cond, then_dest.block, else_dest.block, next);
                    return Ok(());
                }
                let then_moves = self.edge_moves(&then_dest)?;
                let else_moves = self.edge_moves(&else_dest)?;
                let (t, f) = (then_dest.block, else_dest.block);
                match (then_moves.is_empty(), else_moves.is_empty()) {
                    (true, true) => self.branch(&cond, t, f, next),
                    (true, _) => {
                        self.push(Self::cond_op(&cond, false, Self::block_label(t)));
                        self.emit_moves(&else_moves)?;
                        if next != Some(f) {
                            self.push(Op::Jump { target: Self::block_label(f) });
                        }
                    }
                    (false, true) => {
                        self.push(Self::cond_op(&cond, true, Self::block_label(f)));
                        self.emit_moves(&then_moves)?;
                        if next != Some(t) {
                            self.push(Op::Jump { target: Self::block_label(t) });
                        }
                    }
                    (false, false) => {
                        let l = self.new_label();
                        self.push(Self::cond_op(&cond, true, Target(l)));
                        self.emit_moves(&then_moves)?;
                        self.push(Op::Jump { target: Self::block_label(t) });
                        self.bind(l);
                        self.emit_moves(&else_moves)?;
                        if next != Some(f) {
                            self.push(Op::Jump { target: Self::block_label(f) });
                        }
                    }
                }
                Ok(())
            }
            InstData::BrTable { arg, table: jt } => {
                let table = self.br_tables.len() as u32;
                let op = match self.sel.plans[inst] {
                    Plan::BrTableAdd { index, add } => {
                        Op::BrTableAdd { index: self.slot(index)?, add, table }
                    }
                    Plan::BrTableLoad { base: Some(base), index, offset, .. } => Op::BrTableLoad32X {
                        base: self.slot(base)?,
                        index: Scaled(self.slot(index)?),
                        offset,
                        table,
                    },
                    Plan::BrTableLoad { base: None, index, add, bradd, .. } => Op::BrTableAddLoad32Scaled {
                        index: Index(self.slot(index)?),
                        add: Addend(add),
                        bradd,
                        table,
                    },
                    _ => Op::BrTable { index: self.slot(arg)?, table },
                };
                let jt = &dfg.jump_tables[jt];
                let dests: Vec<BlockCall> =
                    jt.targets.iter().chain([&jt.default]).map(|&d| self.resolve(d)).collect();
                let mut entries = Vec::with_capacity(dests.len());
                let mut stubs = Vec::new();
                for dest in &dests {
                    if self.passes_nothing(dest) {
                        entries.push(dest.block.index() as u32);
                        continue;
                    }
                    let moves = self.edge_moves(dest)?;
                    if moves.is_empty() {
                        entries.push(dest.block.index() as u32);
                    } else {
                        let l = self.new_label();
                        entries.push(l);
                        stubs.push((l, moves, dest.block));
                    }
                }
                self.br_tables.push(entries.into());
                let saved = self.srcloc;
                if let Plan::BrTableLoad { load, .. } = self.sel.plans[inst] {
                    // A trap here is the load's.
                    self.srcloc = self.func.srclocs[load].0;
                }
                self.push(op);
                self.srcloc = saved;
                for (l, moves, block) in stubs {
                    self.bind(l);
                    self.emit_moves(&moves)?;
                    self.push(Op::Jump { target: Self::block_label(block) });
                }
                Ok(())
            }
            InstData::Return { args } => {
                let args: Vec<Value> = args.as_slice(&dfg.value_lists).to_vec();
                self.emit_return(&args)
            }
            InstData::Trap { code } => {
                self.push(Op::Trap { code });
                Ok(())
            }
            ref other => Err(TranslateError::unsupported(format!("terminator {}", other.opcode().name()))),
        }
    }

    fn finish(mut self, scratch: &mut EncodeScratch) -> Result<InterpFunc, TranslateError> {
        // A forwarder is where it finally goes (every branch was already
        // resolved past it; this keeps a label of one valid regardless).
        for (b, call) in self.forward.iter().enumerate() {
            if let Some(call) = call {
                self.labels[b] = self.labels[call.block.index()];
            }
        }
        let resolve = |labels: &[u32], t: u32| -> Result<u32, TranslateError> {
            match labels.get(t as usize) {
                Some(&pos) if pos != u32::MAX => Ok(pos),
                _ => Err(TranslateError::invalid(format!(
                    "branch to a block that was not emitted (label {t})"
                ))),
            }
        };
        for op in &mut self.ops {
            if let Some(t) = op.target_mut() {
                t.0 = resolve(&self.labels, t.0)?;
            }
        }
        for table in &mut self.br_tables {
            for t in table.iter_mut() {
                *t = resolve(&self.labels, *t)?;
            }
        }
        if self.ops.len() > u32::MAX as usize / 2 {
            return Err(TranslateError::limit("function too large"));
        }
        let f = self.func;
        let func = InterpFunc {
            name: f.name.clone(),
            code: self.ops[..].into(),
            srclocs: self.srclocs[..].into(),
            // Every frame can take a short call's argument cells (see `CallCells`).
            cells: self.cells.max(CALL_CELLS as u32),
            arg_cells: f.signature.params.iter().map(|&t| width(t)).sum(),
            params: f.signature.params.clone().into(),
            results: f.signature.results.clone().into(),
            consts: self.consts.into(),
            br_tables: self.br_tables.into(),
            calls: self.calls.into(),
            returns: self.returns.into(),
            builtins: self.builtins.into(),
            labels: self.block_starts[..].into(),
            heap: self.sel.heap.map_or(crate::func::NO_HEAP, u32::from),
            funcidx: 0,
        };
        scratch.ops = self.ops;
        scratch.srclocs = self.srclocs;
        scratch.labels = self.labels;
        scratch.block_starts = self.block_starts;
        scratch.forward = self.forward;
        func.verify()?;
        Ok(func)
    }
}

/// `x = add x, imm; br_ne x, b` (a loop latch) as one op, and an edge's
/// copies or constant with the jump after them: `prev` then `op` as one op,
/// if they have such a form. Both translators use it.
pub(crate) fn fuse_latch_pair(prev: Op, op: Op) -> Option<Op> {
    let small = |k: i64| i32::try_from(k).ok();
    match (prev, op) {
        (Op::Copy { dst, src }, Op::Jump { target }) => Some(Op::CopyJump { dst, src, target }),
        (Op::Const32 { dst, imm }, Op::Jump { target }) => Some(Op::Const32Jump { dst, imm, target }),
        (Op::Copy2 { dst, dst2, src, src2 }, Op::Jump { target }) => {
            Some(Op::Copy2Jump { dst, dst2, src, src2, target })
        }
        (Op::I32AddImm { dst, a, imm }, Op::BrI32Ne { a: x, b: y, target }) if dst == a => {
            let b = if x == dst {
                y
            } else if y == dst {
                x
            } else {
                return None;
            };
            (b != dst).then_some(Op::AddBrI32Ne { dst, imm, b, target })
        }
        (Op::I32AddImm { dst, a, imm }, Op::BrI32NeImm { a: x, imm: k, target }) if dst == a && x == dst => {
            Some(Op::AddBrI32NeImm { dst, imm, k, target })
        }
        // A count-down loop, `n -= 1; br_if n`.
        (Op::I32AddImm { dst, a, imm }, Op::BrIf { c, target }) if dst == a && c == dst => {
            Some(Op::AddBrI32NeImm { dst, imm, k: 0, target })
        }
        (Op::I64AddImm { dst, a, imm }, Op::BrI64Ne { a: x, b: y, target }) if dst == a => {
            let b = if x == dst {
                y
            } else if y == dst {
                x
            } else {
                return None;
            };
            (b != dst).then_some(Op::AddBrI64Ne { dst, imm: small(imm)?, b, target })
        }
        (Op::I64AddImm { dst, a, imm }, Op::BrI64NeImm { a: x, imm: k, target }) if dst == a && x == dst => {
            Some(Op::AddBrI64NeImm { dst, imm: small(imm)?, k: small(k)?, target })
        }
        _ => None,
    }
}
