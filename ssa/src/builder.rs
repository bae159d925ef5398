//! `FunctionBuilder`: builds IR in one forward pass with SSA variables, using
//! Braun et al.'s algorithm ("Simple and Efficient Construction of SSA Form"):
//! variables are read by walking predecessors, blocks get parameters only where
//! values merge, and a block is *sealed* once all its predecessors are known.
//!
//! Only blocks with a back edge (loop headers) get their parameter before
//! their predecessors are looked up, as the paper's cycle breaker; other
//! merges look first and add a parameter only if the predecessors disagree.
//! In lua.wasm 88% of these lookups agree; each parameter created,
//! aliased and removed again cost time in this builder, in alias
//! resolution and in the passes after it.
//!
//! Lookups run on an explicit stack, so a function with thousands of nested
//! merge points never recurses deeply in Rust. Most of their steps go from a
//! sealed block to its single predecessor; those are walked in a tight loop
//! (with each predecessor's block recorded next to its branch) and the blocks
//! passed are given the value found in one go.
//!
//! A structured loop's header ([`FunctionBuilder::switch_to_loop_header`])
//! gets a parameter for every variable read in the body before it is
//! sealed, though most of those variables are not assigned in the loop.
//! The builder notes when each variable was last assigned; at sealing, a
//! parameter of one not assigned since the header was entered is a copy of
//! the entry value and is removed without looking up the back edges.

use cranelift_entity::packed_option::PackedOption;
use cranelift_entity::{EntityRef, SecondaryMap, entity_impl};
use smallvec::SmallVec;

use crate::codes::{FloatCC, IntCC, TrapCode};
use crate::dfg::DataFlowGraph;
use crate::entities::{Block, BuiltinRef, FuncRef, Inst, SigRef, Value};
use crate::function::{Function, SourceLoc};
use crate::instructions::{
    BuiltinData, ExtFuncData, InstData, JumpTableData, LaneShape, LoadKind, Opcode, Signature, StoreKind,
};
use crate::passes::const_fold::{self, Fold};
use crate::types::Type;
use crate::vecop::VecOp;

mod defs;
mod lookup;
use defs::Defs;

/// A variable of the source language (a Wasm local), turned into SSA values.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Variable(u32);
entity_impl!(Variable, "var");

#[derive(Clone, Default)]
struct BlockState {
    sealed: bool,
    /// Code has been emitted here (the builder switched to it): a branch added
    /// from now on comes from later code, so it is a back edge.
    entered: bool,
    /// Some predecessor is a back edge: every cycle of the graph passes
    /// through such a block (the cycle's first-entered block), so only these
    /// need a parameter before their predecessors are looked up.
    back_edge: bool,
    /// Branch instructions that jump here (each listed once), with the block
    /// each sits in (known when the branch is inserted, so lookups need not
    /// ask the layout).
    preds: SmallVec<[Pred; 2]>,
    /// Parameters created before sealing, completed by `seal_block`.
    incomplete: Vec<(Variable, Value)>,
    /// Set while the block is sealed with exactly one predecessor and no
    /// back edge: the block that predecessor branch ends. A lookup here just
    /// continues there, so chains of them are walked in one tight loop.
    single_pred: PackedOption<Block>,
    /// Entered by [`FunctionBuilder::switch_to_loop_header`]: a structured
    /// loop's header, whose sealing may settle unassigned variables from the
    /// entry alone.
    loop_header: bool,
    /// Predecessors added before the block was entered (they come first in
    /// `preds`).
    forward_preds: u32,
    /// [`BuilderContext::epoch`] when the block was entered.
    entered_at: u32,
}

impl BlockState {
    /// Back to the state of a block not seen yet, keeping allocations.
    fn reset(&mut self) {
        self.sealed = false;
        self.entered = false;
        self.back_edge = false;
        self.preds.clear();
        self.incomplete.clear();
        self.single_pred = None.into();
        self.loop_header = false;
        self.forward_preds = 0;
        self.entered_at = 0;
    }
}

/// A branch into a block, and the block it ends.
#[derive(Clone, Copy)]
struct Pred {
    inst: Inst,
    block: Block,
}

enum Task {
    /// Find the value of the variable at the end of `block`; push it on `results`.
    Use(Block),
    /// One value per predecessor of `block`, which no back edge reaches, is
    /// on `results`: `block`'s value is theirs if they agree, else a new
    /// parameter that they complete.
    Join(Block),
    /// The value on top of `results` is also the value at the end of every
    /// block in `chain[start..]` (each one's single predecessor leads to it).
    Memoize(u32),
    /// One value per predecessor is on `results`: complete parameter `param` of `block`.
    Finish(Block, Value),
}

/// State reused across functions so building allocates little.
#[derive(Default)]
pub struct BuilderContext {
    var_types: SecondaryMap<Variable, Option<Type>>,
    num_vars: u32,
    /// The value of each variable at the end of each block (so far).
    defs: Defs,
    /// Per-block state. It only grows (in bulk), and between functions only
    /// the first `blocks_used` entries are reset: growing it one block at a
    /// time cost a clone and a resize call per block.
    blocks: SecondaryMap<Block, BlockState>,
    /// Entries of `blocks` that may differ from the default.
    blocks_used: usize,
    /// Blocks a lookup walked through on single-predecessor steps, to be
    /// given the value once it is found (see [`Task::Memoize`]).
    chain: Vec<Block>,
    /// Counts switches to a block: a clock for "assigned since the loop
    /// header was entered" (see [`BlockState::entered_at`]).
    epoch: u32,
    /// For each variable, `epoch` at its latest [`FunctionBuilder::def_var`].
    def_time: Vec<u32>,
    /// A block was sealed with no predecessor (other than the entry): its
    /// lookups make parameters nothing passes, which can keep a loop
    /// parameter alive, so loop headers are then sealed the general way.
    unreachable_sealed: bool,
    tasks: Vec<Task>,
    results: Vec<Value>,
}

impl BuilderContext {
    /// `block`'s state, for writing.
    #[inline]
    fn state_mut(&mut self, block: Block) -> &mut BlockState {
        if block.index() >= self.blocks_used {
            self.use_blocks(block.index() + 1);
        }
        &mut self.blocks[block]
    }

    /// Marks the first `n` block states as possibly written, making room for
    /// them (and as many again) at once.
    #[cold]
    fn use_blocks(&mut self, n: usize) {
        let len = self.blocks.as_values_slice().len();
        if n > len {
            self.blocks.resize(n.max(2 * len).max(64));
        }
        self.blocks_used = n;
    }

    /// Recomputes [`BlockState::single_pred`] for `block` after it was
    /// sealed or gained a predecessor.
    fn update_single_pred(&mut self, block: Block) {
        let state = self.state_mut(block);
        let single = match state.preds.as_slice() {
            [p] if state.sealed && !state.back_edge => Some(p.block),
            _ => None,
        };
        state.single_pred = single.into();
    }

    /// Records branch `inst`, which ends block `from`, as a predecessor of
    /// `dest` (once, however many of its destinations go there).
    #[inline]
    fn add_pred(&mut self, dest: Block, inst: Inst, from: Block) {
        let state = self.state_mut(dest);
        if !state.preds.iter().any(|p| p.inst == inst) {
            state.preds.push(Pred { inst, block: from });
            state.back_edge |= state.entered;
            state.forward_preds += u32::from(!state.entered);
            if state.sealed {
                self.update_single_pred(dest);
            }
        }
    }

    fn clear(&mut self) {
        self.var_types.clear();
        self.num_vars = 0;
        self.defs.clear();
        for state in self.blocks.values_mut().take(self.blocks_used) {
            state.reset();
        }
        self.blocks_used = 0;
        self.chain.clear();
        self.epoch = 0;
        self.def_time.clear();
        self.unreachable_sealed = false;
        self.tasks.clear();
        self.results.clear();
    }
}

/// Builds one function.
pub struct FunctionBuilder<'a> {
    /// The function under construction.
    pub func: &'a mut Function,
    ctx: &'a mut BuilderContext,
    current: Option<Block>,
    srcloc: SourceLoc,
}

/// Appends `values[i]` to the arguments of every edge from branch `preds[i]`
/// to `block`: the arguments of a parameter just completed, last on each edge.
fn append_branch_args(dfg: &mut DataFlowGraph, block: Block, preds: &[Pred], values: &[Value]) {
    for (pred, &v) in preds.iter().zip(values) {
        dfg.map_branch_destinations(pred.inst, |pool, dest| {
            if dest.block == block {
                dest.args.push(v, pool);
            }
        });
    }
}

impl<'a> FunctionBuilder<'a> {
    /// Starts building into `func` (normally empty), reusing `ctx`.
    pub fn new(func: &'a mut Function, ctx: &'a mut BuilderContext) -> Self {
        ctx.clear();
        FunctionBuilder { func, ctx, current: None, srcloc: SourceLoc::NONE }
    }

    // ---- blocks ----

    /// Creates a block and appends it to the layout.
    pub fn create_block(&mut self) -> Block {
        let b = self.func.dfg.make_block();
        self.func.layout.append_block(b);
        b
    }

    /// Gives `block` one parameter per function parameter (for the entry block).
    pub fn append_function_params(&mut self, block: Block) -> SmallVec<[Value; 8]> {
        let sig = &self.func.signature;
        let dfg = &mut self.func.dfg;
        sig.params.iter().map(|&t| dfg.append_block_param(block, t)).collect()
    }

    /// Appends a parameter to `block` (for values the source language merges explicitly).
    pub fn append_block_param(&mut self, block: Block, ty: Type) -> Value {
        self.func.dfg.append_block_param(block, ty)
    }

    /// Continues emitting at the end of `block`.
    pub fn switch_to_block(&mut self, block: Block) {
        self.ctx.epoch += 1;
        let epoch = self.ctx.epoch;
        let state = self.ctx.state_mut(block);
        state.entered = true;
        state.entered_at = epoch;
        self.current = Some(block);
    }

    /// [`Self::switch_to_block`] for the header of a structured loop, which
    /// lets sealing it skip most of the lookups through the loop body. The
    /// caller promises that until `block` is sealed, code is only emitted
    /// into `block` and into blocks entered after it, that those blocks are
    /// only reached by branches emitted there, and that `block` has exactly
    /// one predecessor from before (the loop's entry). Then a variable not
    /// assigned ([`Self::def_var`]) since `block` was entered has, on every
    /// back edge, the value of the header's own parameter: the parameter
    /// is a copy of the entry value, found without looking through the body.
    pub fn switch_to_loop_header(&mut self, block: Block) {
        self.switch_to_block(block);
        self.ctx.state_mut(block).loop_header = true;
    }

    /// The block being filled, `None` after a terminator until the next switch.
    pub fn current_block(&self) -> Option<Block> {
        self.current
    }

    /// Declares that every predecessor of `block` is known: completes the
    /// parameters created while its predecessors were still unknown.
    #[inline]
    pub fn seal_block(&mut self, block: Block) {
        // Checked here so sealing a sealed block (most of those at
        // `finalize`) costs no call.
        if !self.ctx.blocks[block].sealed {
            self.seal_unsealed(block);
        }
    }

    /// [`Self::seal_block`] for a block not sealed yet.
    fn seal_unsealed(&mut self, block: Block) {
        let state = self.ctx.state_mut(block);
        let incomplete = std::mem::take(&mut state.incomplete);
        state.sealed = true;
        let settle_from_entry = state.loop_header && state.forward_preds == 1;
        let entered_at = state.entered_at;
        if state.preds.is_empty() && self.func.layout.entry_block() != Some(block) {
            self.ctx.unreachable_sealed = true;
        }
        self.ctx.update_single_pred(block);
        for (var, param) in incomplete {
            if settle_from_entry
                && !self.ctx.unreachable_sealed
                && self.ctx.def_time.get(var.index()).is_none_or(|&t| t < entered_at)
                && self.settle_from_entry(block, param, var)
            {
                continue;
            }
            self.ctx.tasks.push(Task::Finish(block, param));
            for p in self.ctx.blocks[block].preds.iter().rev() {
                self.ctx.tasks.push(Task::Use(p.block));
            }
            // The result is the parameter or what replaced it; either way the
            // variable's definition in `block` is already right (it may be a
            // later assignment in the block, which must not be overwritten).
            self.run(var);
        }
    }

    /// Seals every block not yet sealed.
    pub fn seal_all_blocks(&mut self) {
        // Sealing changes no layout links: walk them directly.
        let mut next = self.func.layout.entry_block();
        while let Some(b) = next {
            self.seal_block(b);
            next = self.func.layout.next_block(b);
        }
    }

    // ---- variables ----

    /// Declares a variable of type `ty`.
    pub fn declare_var(&mut self, ty: Type) -> Variable {
        let v = Variable::new(self.ctx.num_vars as usize);
        self.ctx.num_vars += 1;
        self.ctx.defs.declare(self.ctx.num_vars as usize);
        self.ctx.def_time.push(0);
        self.ctx.var_types[v] = Some(ty);
        v
    }

    /// The type a variable was declared with.
    pub fn var_type(&self, var: Variable) -> Type {
        self.ctx.var_types[var].expect("variable is declared")
    }

    /// Assigns `value` to `var` at the current point.
    #[inline]
    pub fn def_var(&mut self, var: Variable, value: Value) {
        let block = self.current.expect("defining a variable needs a current block");
        debug_assert_eq!(self.func.dfg.value_type(value), self.var_type(var));
        self.ctx.defs.set(block, var, value);
        if let Some(t) = self.ctx.def_time.get_mut(var.index()) {
            *t = self.ctx.epoch;
        }
    }

    /// The value of `var` at the current point.
    #[inline]
    pub fn use_var(&mut self, var: Variable) -> Value {
        let block = self.current.expect("reading a variable needs a current block");
        if let Some(v) = self.ctx.defs.get(block, var) {
            return v;
        }
        // Most misses end on a chain of single-predecessor blocks: walk it
        // here, without the task and result stacks of the general lookup.
        debug_assert!(self.ctx.chain.is_empty());
        let b = match self.walk_chain(block, var) {
            Ok(v) => {
                self.memoize_chain(0, var, v);
                return v;
            }
            Err(stop) => stop,
        };
        // Where the walk stopped is where the general lookup's first step
        // would stop: start it there, memoizing the blocks passed at the end.
        if !self.ctx.chain.is_empty() {
            self.ctx.tasks.push(Task::Memoize(0));
        }
        self.ctx.tasks.push(Task::Use(b));
        self.run(var)
    }

    // ---- instruction emission ----

    /// Sets the source offset recorded on the instructions that follow.
    pub fn set_srcloc(&mut self, loc: SourceLoc) {
        self.srcloc = loc;
    }

    /// Inserts `data` at the end of the current block with results of `types`.
    pub fn insert(&mut self, data: InstData, types: &[Type]) -> Inst {
        let block = self.current.expect("emitting needs a current block");
        let inst = self.func.dfg.make_inst(data);
        self.func.dfg.make_inst_results(inst, types);
        self.place(inst, block);
        if data.opcode().is_terminator() {
            self.add_preds(inst, block);
            self.current = None;
        }
        inst
    }

    /// Appends `inst` to `block` at the current source location; always
    /// inlined, as a call here saved and restored registers on every insert.
    #[inline(always)]
    fn place(&mut self, inst: Inst, block: Block) {
        self.func.layout.append_inst(inst, block);
        if self.srcloc.is_some() {
            crate::dfg::grow_to_hold(&mut self.func.srclocs, inst);
            self.func.srclocs[inst] = self.srcloc;
        }
    }

    /// Records terminator `inst` as a predecessor of the blocks it branches to.
    fn add_preds(&mut self, inst: Inst, from: Block) {
        let ctx = &mut *self.ctx;
        match self.func.dfg.inst(inst) {
            InstData::Jump { dest } => ctx.add_pred(dest.block, inst, from),
            InstData::Brif { then_dest, else_dest, .. } => {
                ctx.add_pred(then_dest.block, inst, from);
                ctx.add_pred(else_dest.block, inst, from);
            }
            InstData::BrTable { table, .. } => {
                let jt = &self.func.dfg.jump_tables[*table];
                ctx.add_pred(jt.default.block, inst, from);
                for dest in &jt.targets {
                    ctx.add_pred(dest.block, inst, from);
                }
            }
            _ => {}
        }
    }

    /// [`Self::insert`] for a non-terminator with one result (most
    /// instructions), on the DFG's one-result fast path.
    #[inline]
    fn insert1(&mut self, data: InstData, ty: Type) -> Value {
        debug_assert!(!data.opcode().is_terminator());
        let block = self.current.expect("emitting needs a current block");
        let (inst, v) = self.func.dfg.make_inst_with_result(data, ty);
        self.place(inst, block);
        v
    }

    /// [`Self::insert1`] for a pure instruction, folded as `const_fold` would:
    /// a constant instead if its operands are constants, or the operand an
    /// identity (`x + 0`, `select` on a constant) leaves. The interpreter runs
    /// no `const_fold` pass; this costs a look at the operands' definitions.
    #[inline]
    fn insert_pure(&mut self, data: InstData, ty: Type) -> Value {
        match const_fold::fold_value(&self.func.dfg, &data, ty) {
            Some(Fold::Const(k)) => self.insert1(const_fold::const_inst(k, ty), ty),
            Some(Fold::Alias(v)) => v,
            _ => self.insert1(data, ty),
        }
    }

    /// `iconst.ty imm`.
    #[inline]
    pub fn iconst(&mut self, ty: Type, imm: i64) -> Value {
        let imm = if ty == Type::I32 { i64::from(imm as i32) } else { imm };
        self.insert1(InstData::Iconst { imm }, ty)
    }

    /// `f32const` by bits.
    #[inline]
    pub fn f32const(&mut self, bits: u32) -> Value {
        self.insert1(InstData::F32const { bits }, Type::F32)
    }

    /// `f64const` by bits.
    #[inline]
    pub fn f64const(&mut self, bits: u64) -> Value {
        self.insert1(InstData::F64const { bits }, Type::F64)
    }

    /// `vconst`.
    pub fn vconst(&mut self, value: u128) -> Value {
        let constant = self.func.dfg.constants.push(value);
        self.insert1(InstData::Vconst { constant }, Type::V128)
    }

    /// A unary operation producing `ty`.
    #[inline]
    pub fn unary(&mut self, opcode: Opcode, ty: Type, arg: Value) -> Value {
        self.insert_pure(InstData::Unary { opcode, arg }, ty)
    }

    /// A binary operation producing `ty`.
    #[inline]
    pub fn binary(&mut self, opcode: Opcode, ty: Type, a: Value, b: Value) -> Value {
        self.insert_pure(InstData::Binary { opcode, args: [a, b] }, ty)
    }

    /// `icmp cond a, b` (i32 0 or 1).
    #[inline]
    pub fn icmp(&mut self, cond: IntCC, a: Value, b: Value) -> Value {
        self.insert_pure(InstData::IntCompare { cond, args: [a, b] }, Type::I32)
    }

    /// `fcmp cond a, b` (i32 0 or 1).
    #[inline]
    pub fn fcmp(&mut self, cond: FloatCC, a: Value, b: Value) -> Value {
        self.insert_pure(InstData::FloatCompare { cond, args: [a, b] }, Type::I32)
    }

    /// `select c, a, b`.
    #[inline]
    pub fn select(&mut self, c: Value, a: Value, b: Value) -> Value {
        let ty = self.func.dfg.value_type(a);
        self.insert_pure(InstData::Ternary { opcode: Opcode::Select, args: [c, a, b] }, ty)
    }

    /// A load of `ty` at `addr + offset`.
    #[inline]
    pub fn load(&mut self, kind: LoadKind, ty: Type, addr: Value, offset: u32) -> Value {
        self.insert1(InstData::Load { kind, arg: addr, offset }, ty)
    }

    /// A store of `value` at `addr + offset`.
    #[inline]
    pub fn store(&mut self, kind: StoreKind, addr: Value, value: Value, offset: u32) -> Inst {
        self.insert(InstData::Store { kind, args: [addr, value], offset }, &[])
    }

    /// A bounds-checked load of linear memory 0 at i32 `index` + `offset`.
    #[inline]
    pub fn heap_load(&mut self, kind: LoadKind, ty: Type, index: Value, offset: u32) -> Value {
        self.insert1(InstData::HeapLoad { kind, arg: index, offset }, ty)
    }

    /// A bounds-checked store to linear memory 0 at i32 `index` + `offset`.
    #[inline]
    pub fn heap_store(&mut self, kind: StoreKind, index: Value, value: Value, offset: u32) -> Inst {
        self.insert(InstData::HeapStore { kind, args: [index, value], offset }, &[])
    }

    /// A lane-wise vector operation; `args.len()` must equal `op.arity()`.
    pub fn vector(&mut self, op: VecOp, args: &[Value]) -> Value {
        let a = [args[0], *args.get(1).unwrap_or(&args[0]), *args.get(2).unwrap_or(&args[0])];
        self.insert1(InstData::Vector { op, args: a }, op.sig().result)
    }

    /// `extractlane`.
    pub fn extract_lane(&mut self, shape: LaneShape, lane: u8, arg: Value) -> Value {
        self.insert1(InstData::ExtractLane { shape, lane, arg }, shape.scalar())
    }

    /// `insertlane`.
    pub fn insert_lane(&mut self, shape: LaneShape, lane: u8, vec: Value, scalar: Value) -> Value {
        self.insert1(InstData::InsertLane { shape, lane, args: [vec, scalar] }, Type::V128)
    }

    /// `shuffle` with a constant mask.
    pub fn shuffle(&mut self, a: Value, b: Value, mask: [u8; 16]) -> Value {
        let mask = self.func.dfg.constants.push(u128::from_le_bytes(mask));
        self.insert1(InstData::Shuffle { args: [a, b], mask }, Type::V128)
    }

    /// `jump block(args)`.
    pub fn jump(&mut self, block: Block, args: &[Value]) -> Inst {
        let dest = self.func.dfg.block_call(block, args);
        self.insert(InstData::Jump { dest }, &[])
    }

    /// `brif c, then(args), else(args)`; a `jump` to the side a constant
    /// `c` takes (the other block then lacks this predecessor, as
    /// `const_fold` would have left it).
    pub fn brif(
        &mut self,
        c: Value,
        then_block: Block,
        then_args: &[Value],
        else_block: Block,
        else_args: &[Value],
    ) -> Inst {
        if let Some(x) = self.func.dfg.int_constant(c) {
            return if x != 0 { self.jump(then_block, then_args) } else { self.jump(else_block, else_args) };
        }
        let then_dest = self.func.dfg.block_call(then_block, then_args);
        let else_dest = self.func.dfg.block_call(else_block, else_args);
        self.insert(InstData::Brif { arg: c, then_dest, else_dest }, &[])
    }

    /// `br_table index, default, [targets]`, every destination passing `args`.
    pub fn br_table(&mut self, index: Value, default: Block, targets: &[Block], args: &[Value]) -> Inst {
        let default = self.func.dfg.block_call(default, args);
        let targets = targets.iter().map(|&b| self.func.dfg.block_call(b, args)).collect();
        let table = self.func.dfg.jump_tables.push(JumpTableData { default, targets });
        self.insert(InstData::BrTable { arg: index, table }, &[])
    }

    /// `return args`.
    pub fn ret(&mut self, args: &[Value]) -> Inst {
        let args = self.func.dfg.value_list(args);
        self.insert(InstData::Return { args }, &[])
    }

    /// `trap code`.
    pub fn trap(&mut self, code: TrapCode) -> Inst {
        self.insert(InstData::Trap { code }, &[])
    }

    /// `trapz`/`trapnz` on `arg`.
    #[inline]
    pub fn cond_trap(&mut self, opcode: Opcode, arg: Value, code: TrapCode) -> Inst {
        self.insert(InstData::CondTrap { opcode, arg, code }, &[])
    }

    /// Registers a signature for indirect calls and builtins.
    pub fn import_signature(&mut self, sig: Signature) -> SigRef {
        self.func.dfg.signatures.push(sig)
    }

    /// Registers a directly called function.
    pub fn import_function(&mut self, data: ExtFuncData) -> FuncRef {
        self.func.dfg.ext_funcs.push(data)
    }

    /// Registers a builtin.
    pub fn import_builtin(&mut self, data: BuiltinData) -> BuiltinRef {
        self.func.dfg.builtins.push(data)
    }

    /// Inserts call `data` with the results of `sig`, read in place (calls
    /// are not terminators, so `insert` only makes and places it).
    fn insert_call(&mut self, data: InstData, sig: SigRef) -> SmallVec<[Value; 4]> {
        let inst = self.insert(data, &[]);
        self.func.dfg.make_inst_sig_results(inst, sig);
        SmallVec::from_slice(self.func.dfg.inst_results(inst))
    }

    /// `call f(args)`; returns the results.
    pub fn call(&mut self, func: FuncRef, args: &[Value]) -> SmallVec<[Value; 4]> {
        let sig = self.func.dfg.ext_funcs[func].sig;
        let args = self.func.dfg.value_list(args);
        self.insert_call(InstData::Call { func, args }, sig)
    }

    /// `call_indirect sig, callee(args)`; `args[0]` is the callee handle.
    pub fn call_indirect(&mut self, sig: SigRef, args: &[Value]) -> SmallVec<[Value; 4]> {
        let args = self.func.dfg.value_list(args);
        self.insert_call(InstData::CallIndirect { sig, args }, sig)
    }

    /// `call_builtin b(args)`.
    pub fn call_builtin(&mut self, builtin: BuiltinRef, args: &[Value]) -> SmallVec<[Value; 4]> {
        let sig = self.func.dfg.builtins[builtin].sig;
        let args = self.func.dfg.value_list(args);
        self.insert_call(InstData::CallBuiltin { builtin, args }, sig)
    }

    /// The type of a value.
    pub fn value_type(&self, v: Value) -> Type {
        self.func.dfg.value_type(v)
    }

    /// Seals remaining blocks and rewrites aliased operands; call once at the end.
    pub fn finalize(mut self) {
        self.seal_all_blocks();
        // Every instruction made here is placed, and rewriting one is
        // independent of order: walk the table, not the layout.
        self.func.dfg.resolve_new_aliases_in_all_insts();
    }
}
