//! The Wasm → SSA lowering: one forward pass over a validated function body
//! that builds [`zerowasm_ssa::Function`] IR with [`FunctionBuilder`].
//!
//! Both engines run exactly this IR, so it fixes the execution contract:
//!
//! - Every function is `(vmctx: i64, wasm params...) -> wasm results`;
//!   `funcref`/`externref` are `i64` handles (0 is null).
//! - Wasm locals are SSA variables (Braun et al.); the Wasm operand stack is a
//!   `Vec<Value>` here. Values that flow into a merge point (block results,
//!   loop parameters) are passed as explicit block arguments.
//! - Every access to memories, tables, globals and function references is an
//!   explicit load from the VM context at the offsets of [`VmOffsets`], with
//!   explicit bounds checks, except the scalar and whole-vector accesses of
//!   memory 0: each is one `heap_load`/`heap_store` carrying its check (see
//!   `memory.rs`). Runtime services are `call_builtin`s.
//! - Each instruction carries the module offset of the Wasm instruction it
//!   came from, so traps report the same location in both engines.
//!
//! The body is decoded again here (not kept from validation), so a module is
//! only ever held as bytes plus [`ModuleInfo`]. Nothing in this module panics
//! on module bytes: a body the validator would reject gives an [`Error`].

mod calls;
mod control;
mod instrument;
mod memory;
mod numeric;
mod simd;
mod table;
mod variables;

#[cfg(test)]
mod tests;

use zerowasm_ssa::builder::{BuilderContext, FunctionBuilder, Variable};
use zerowasm_ssa::{Block, BuiltinRef, FuncRef, Function, Inst, SigRef, Signature, SourceLoc, TrapCode};
use zerowasm_ssa::{Type, Value};

use crate::builtins::Builtin;
use crate::error::{Error, ValidationError};
use crate::features::CoreFeatures;
use crate::module::ModuleInfo;
use crate::operator::{Operator, read_operator};
use crate::reader::BinaryReader;
use crate::types::{BlockType, FuncType, ValType};
use crate::vmoffsets::VmOffsets;

pub use memory::BoundsCheck;

use control::Frame;

/// Options of the lowering that change the emitted code. Both engines must
/// lower with the same options to behave the same, so this is plain data that
/// callers can store next to a compiled module.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LowerConfig {
    /// Check the interrupt flag at function entry and at every loop header, so
    /// an embedder can stop a runaway guest (`trap interrupt`).
    pub interrupt_checks: bool,
    /// Charge one unit of fuel per Wasm instruction, up front at the start of
    /// each straight-line region, and `trap out_of_fuel` when the counter would
    /// go negative. Regions start at function entry, at loop headers, at the
    /// start of `if`/`else` arms, at merge points after `end`, and after
    /// `br_if`; a region's cost is the number of reachable Wasm instructions
    /// lowered into it (its closing control instruction included).
    pub fuel: bool,
    /// Report every call to a function listener: at entry (after the
    /// interrupt check and the first fuel charge) each parameter is staged with
    /// `call_builtin listener_arg(slot, bits)` and then `listener_enter(funcidx)`
    /// runs; before every return (`return`, a branch to the function's label,
    /// falling off the end) the results are staged the same way and then
    /// `listener_exit(funcidx)` runs. Slots follow the raw slot convention:
    /// i32 and f32 bits zero-extended, i64/f64/references as is, v128 as two
    /// slots (low half first). A trap skips `listener_exit`. Off, the IR has no
    /// trace of it.
    pub listener: bool,
}

/// Allocations reused across [`lower_function`] calls, so lowering a whole
/// module allocates little after the first function.
#[derive(Default)]
pub struct LowerContext {
    builder: BuilderContext,
    state: State,
    /// A function handed back by [`LowerContext::recycle`], whose tables the
    /// next [`lower_function`] fills instead of growing new ones.
    spare: Option<Function>,
    /// Callee name strings of recycled functions, refilled for new callees
    /// so naming one does not allocate.
    names: Vec<String>,
}

impl LowerContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Hands back a function the caller is done with, so the next
    /// [`lower_function`] with this context reuses its allocations.
    pub fn recycle(&mut self, func: Function) {
        self.spare = Some(func);
    }
}

/// Per-function lowering state; lives in [`LowerContext`] so its vectors and
/// maps keep their capacity between functions.
#[derive(Default)]
struct State {
    /// The Wasm operand stack.
    stack: Vec<Value>,
    /// The Wasm control stack.
    frames: Vec<Frame>,
    /// Parameters of open `if`s, restored for their `else` arm.
    saved: Vec<Value>,
    /// Scratch list of call arguments.
    args: Vec<Value>,
    /// Scratch list of `br_table` targets.
    blocks: Vec<Block>,
    /// The SSA variable of each Wasm local (parameters first).
    locals: Vec<Variable>,
    /// Local declarations as read from the body: (count, type).
    local_groups: Vec<(u32, ValType)>,
    /// Zero constants of the entry block, by `Type as usize`.
    zeros: [Option<Value>; 5],
    /// Signature of each module type index used by a call.
    sigs: IndexCache<SigRef>,
    /// Imported callee of each directly called defined function.
    funcs: IndexCache<FuncRef>,
    /// Imported builtins, by `Builtin as usize`.
    builtins: Vec<Option<BuiltinRef>>,
    /// Trap blocks filled at the end of the function: (block, code, location).
    traps: Vec<(Block, TrapCode, SourceLoc)>,
}

impl State {
    fn clear(&mut self) {
        self.stack.clear();
        self.frames.clear();
        self.saved.clear();
        self.args.clear();
        self.blocks.clear();
        self.locals.clear();
        self.local_groups.clear();
        self.zeros = [None; 5];
        self.sigs.clear();
        self.funcs.clear();
        self.builtins.clear();
        self.traps.clear();
    }
}

/// A map from small module indices (type and function indices) to the
/// entity declared for each in the current function: a direct index where a
/// hash map cost a hash per call, cleared by resetting only the entries set.
struct IndexCache<K> {
    slots: Vec<Option<K>>,
    /// The indices set since the last clear.
    used: Vec<u32>,
}

impl<K> Default for IndexCache<K> {
    fn default() -> Self {
        Self { slots: Vec::new(), used: Vec::new() }
    }
}

impl<K: Copy> IndexCache<K> {
    #[inline]
    fn get(&self, index: u32) -> Option<K> {
        self.slots.get(index as usize).copied().flatten()
    }

    fn insert(&mut self, index: u32, value: K) {
        let i = index as usize;
        if self.slots.len() <= i {
            self.slots.resize(i + 1, None);
        }
        self.slots[i] = Some(value);
        self.used.push(index);
    }

    fn clear(&mut self) {
        for &i in &self.used {
            self.slots[i as usize] = None;
        }
        self.used.clear();
    }
}

type Result<T> = std::result::Result<T, Error>;

/// Bodies are decoded with every 2.0 feature plus multi-memory. This is a
/// superset that decodes the same bytes to the same operators for any module
/// the validator accepted under a smaller set: without multi-memory, memarg
/// flags stay below 32 and memory indices are a single zero byte, which the
/// multi-memory encoding reads as index 0.
const DECODE_FEATURES: CoreFeatures = CoreFeatures::V2.with(CoreFeatures::MULTI_MEMORY);

/// The IR type that represents a Wasm value type (references are `i64` handles).
pub fn ir_type(t: ValType) -> Type {
    match t {
        ValType::I32 => Type::I32,
        ValType::I64 | ValType::FuncRef | ValType::ExternRef => Type::I64,
        ValType::F32 => Type::F32,
        ValType::F64 => Type::F64,
        ValType::V128 => Type::V128,
    }
}

/// The IR signature of a Wasm function type: `vmctx: i64` first. Engines
/// that call lowered functions (entry trampolines, host calls) need the same
/// shape the lowering uses.
pub fn ir_signature(ty: &FuncType) -> Signature {
    let mut sig = Signature { params: Vec::with_capacity(ty.params.len() + 1), results: Vec::new() };
    write_ir_signature(ty, &mut sig);
    sig
}

/// [`ir_signature`] written into `sig` (whose lists are replaced), so a
/// recycled function's signature keeps its buffers.
fn write_ir_signature(ty: &FuncType, sig: &mut Signature) {
    sig.params.clear();
    sig.params.push(Type::I64);
    sig.params.extend(ty.params.iter().map(|&t| ir_type(t)));
    sig.results.clear();
    sig.results.extend(ty.results.iter().map(|&t| ir_type(t)));
}

/// The listing name of function `funcidx`: its `name`-section name, else `f{funcidx}`.
pub fn function_name(module: &ModuleInfo, funcidx: u32) -> String {
    let mut name = String::new();
    write_function_name(module, funcidx, &mut name);
    name
}

/// [`function_name`] written into `out` (cleared first), so a recycled
/// string's buffer is reused instead of allocating one per name.
fn write_function_name(module: &ModuleInfo, funcidx: u32, out: &mut String) {
    use std::fmt::Write as _;
    out.clear();
    match module.names.functions.get(&funcidx) {
        Some(name) => out.push_str(name),
        // Writing to a `String` cannot fail.
        None => {
            let _ = write!(out, "f{funcidx}");
        }
    }
}

fn invalid(offset: usize, message: impl Into<String>) -> Error {
    Error::Validation(ValidationError::new(offset, message))
}

/// Lowers defined function `funcidx` of `module` (whose bytes are `bytes`) to
/// IR. The module must have been validated; a body that is not valid gives an
/// error rather than a panic, but may be reported less precisely than the
/// validator would.
pub fn lower_function(
    module: &ModuleInfo,
    bytes: &[u8],
    funcidx: u32,
    config: &LowerConfig,
    cx: &mut LowerContext,
) -> Result<Function> {
    let not_defined = || invalid(0, format!("cannot lower function {funcidx}: not a defined function"));
    let defined = funcidx.checked_sub(module.num_imported_functions).ok_or_else(not_defined)?;
    let body = module.bodies.get(defined as usize).ok_or_else(not_defined)?;
    let type_index = *module.functions.get(funcidx as usize).ok_or_else(not_defined)?;
    let ty = module.types.get(type_index as usize).ok_or_else(not_defined)?;
    let code = bytes
        .get(body.range.clone())
        .ok_or_else(|| invalid(body.range.start, "function body lies outside the module bytes"))?;
    let mut reader = BinaryReader::with_offset(code, body.range.start);

    let mut func = match cx.spare.take() {
        Some(mut f) => {
            // Keep the callee names' buffers for this function's callees.
            cx.names.extend(f.dfg.ext_funcs.values_mut().map(|d| std::mem::take(&mut d.name)));
            f.clear();
            write_function_name(module, funcidx, &mut f.name);
            write_ir_signature(ty, &mut f.signature);
            f
        }
        None => Function::new(function_name(module, funcidx), ir_signature(ty)),
    };
    // About one IR instruction per body byte (memory accesses take several).
    func.reserve(code.len());
    cx.state.clear();
    let mut builder = FunctionBuilder::new(&mut func, &mut cx.builder);
    let entry = builder.create_block();
    builder.switch_to_block(entry);
    builder.seal_block(entry);
    let params = builder.append_function_params(entry);
    let lowerer = Lowerer {
        vmctx: params[0],
        b: builder,
        st: &mut cx.state,
        names: &mut cx.names,
        module,
        offsets: VmOffsets::new(module),
        config: *config,
        bounds_check: BoundsCheck::Explicit,
        results: &ty.results,
        reachable: true,
        dead_depth: 0,
        at: body.range.start,
        loc: SourceLoc::NONE,
        fuel_charge: None,
        fuel_count: 0,
        ret_block: None,
        funcidx,
    };
    lowerer.lower(&mut reader, ty, type_index, &params[1..])?;
    Ok(func)
}

/// The lowering of one function.
struct Lowerer<'m, 'f> {
    b: FunctionBuilder<'f>,
    st: &'f mut State,
    /// Spare strings for callee names (see [`LowerContext::names`]).
    names: &'f mut Vec<String>,
    module: &'m ModuleInfo,
    offsets: VmOffsets,
    config: LowerConfig,
    bounds_check: BoundsCheck,
    /// The entry block's first parameter.
    vmctx: Value,
    /// The function's result types.
    results: &'m [ValType],
    /// False after an instruction that never falls through, until the
    /// `else`/`end` that makes code reachable again.
    reachable: bool,
    /// Number of blocks opened in unreachable code (they emit nothing).
    dead_depth: u32,
    /// Module offset of the instruction being lowered, for errors.
    at: usize,
    /// `at` as a source location.
    loc: SourceLoc,
    /// The `iconst` of the current region's fuel charge, patched when the region ends.
    fuel_charge: Option<Inst>,
    /// Instructions lowered in the current fuel region.
    fuel_count: i64,
    /// Block that returns its parameters, for conditional branches to the function's label.
    ret_block: Option<Block>,
    /// Index of the function being lowered, in the module's function space.
    funcidx: u32,
}

impl<'m> Lowerer<'m, '_> {
    fn lower(
        mut self,
        reader: &mut BinaryReader<'_>,
        ty: &'m FuncType,
        type_index: u32,
        params: &[Value],
    ) -> Result<()> {
        self.read_locals(reader, ty)?;
        // Prologue code (local initialisation, entry checks) is located at the first instruction.
        self.at = reader.offset();
        self.loc = source_loc(self.at);
        self.b.set_srcloc(self.loc);
        self.declare_locals(ty, params)?;
        self.st.frames.push(Frame::function(BlockType::Func(type_index)));
        if self.config.interrupt_checks {
            self.interrupt_check();
        }
        self.start_region();
        if self.config.listener {
            self.listener_hook(Builtin::ListenerEnter, params);
        }

        while !self.st.frames.is_empty() {
            self.at = reader.offset();
            self.loc = source_loc(self.at);
            self.b.set_srcloc(self.loc);
            let op = read_operator(reader, DECODE_FEATURES)?;
            self.operator(op)?;
        }
        if !reader.eof() {
            return Err(invalid(reader.offset(), "operators remaining after end of function"));
        }
        self.finish();
        Ok(())
    }

    /// Ends the function: closes the last fuel region and places the blocks
    /// that were kept out of line (returns and traps) at the end.
    fn finish(mut self) {
        self.flush_fuel();
        if let Some(ret) = self.ret_block {
            self.b.func.layout.append_block(ret);
            self.b.switch_to_block(ret);
            let params = self.b.func.dfg.block_params(ret).to_vec();
            self.ret(&params);
        }
        for &(block, code, loc) in &self.st.traps {
            self.b.func.layout.append_block(block);
            self.b.switch_to_block(block);
            self.b.set_srcloc(loc);
            self.b.trap(code);
        }
        self.b.finalize();
    }

    fn operator(&mut self, op: Operator<'_>) -> Result<()> {
        if !self.reachable {
            return self.dead_operator(op);
        }
        self.fuel_count += 1;
        match op {
            Operator::Unreachable => self.unreachable(),
            Operator::Nop => {}
            Operator::Block(bt) => self.block(bt)?,
            Operator::Loop(bt) => self.loop_(bt)?,
            Operator::If(bt) => self.if_(bt)?,
            Operator::Else => self.else_()?,
            Operator::End => self.end()?,
            Operator::Br(depth) => self.br(depth)?,
            Operator::BrIf(depth) => self.br_if(depth)?,
            Operator::BrTable(table) => self.br_table(&table)?,
            Operator::Return => self.return_()?,
            Operator::Call(f) => self.call(f)?,
            Operator::CallIndirect { type_index, table } => self.call_indirect(type_index, table)?,
            Operator::Drop => {
                self.pop()?;
            }
            Operator::Select | Operator::TypedSelect(_) => {
                let c = self.pop()?;
                let b = self.pop()?;
                let a = self.pop()?;
                let v = self.b.select(c, a, b);
                self.push(v);
            }
            Operator::TypedSelectArity(_) => return Err(self.invalid("invalid result arity")),
            Operator::LocalGet(i) => self.local_get(i)?,
            Operator::LocalSet(i) => self.local_set(i)?,
            Operator::LocalTee(i) => self.local_tee(i)?,
            Operator::GlobalGet(g) => self.global_get(g)?,
            Operator::GlobalSet(g) => self.global_set(g)?,
            Operator::TableGet(t) => self.table_get(t)?,
            Operator::TableSet(t) => self.table_set(t)?,
            Operator::Load(op, memarg) => self.load(op, memarg)?,
            Operator::Store(op, memarg) => self.store(op, memarg)?,
            Operator::MemorySize(m) => self.memory_size(m)?,
            Operator::MemoryGrow(m) => self.memory_grow(m)?,
            Operator::I32Const(v) => {
                let v = self.b.iconst(Type::I32, i64::from(v));
                self.push(v);
            }
            Operator::I64Const(v) => {
                let v = self.b.iconst(Type::I64, v);
                self.push(v);
            }
            Operator::F32Const(bits) => {
                let v = self.b.f32const(bits);
                self.push(v);
            }
            Operator::F64Const(bits) => {
                let v = self.b.f64const(bits);
                self.push(v);
            }
            Operator::V128Const(bytes) => {
                let v = self.b.vconst(u128::from_le_bytes(bytes));
                self.push(v);
            }
            Operator::Simple(op) => self.simple(op)?,
            Operator::RefNull(_) => {
                let v = self.b.iconst(Type::I64, 0);
                self.push(v);
            }
            Operator::RefIsNull => self.ref_is_null()?,
            Operator::RefFunc(f) => self.ref_func(f)?,
            Operator::MemoryInit { data, memory } => self.memory_init(data, memory)?,
            Operator::DataDrop(data) => self.data_drop(data)?,
            Operator::MemoryCopy { dst, src } => self.memory_copy(dst, src)?,
            Operator::MemoryFill(m) => self.memory_fill(m)?,
            Operator::TableInit { elem, table } => self.table_init(elem, table)?,
            Operator::ElemDrop(elem) => self.elem_drop(elem)?,
            Operator::TableCopy { dst, src } => self.table_copy(dst, src)?,
            Operator::TableGrow(t) => self.table_grow(t)?,
            Operator::TableSize(t) => self.table_size(t)?,
            Operator::TableFill(t) => self.table_fill(t)?,
            Operator::I8x16Shuffle(mask) => self.shuffle(mask)?,
            Operator::Lane(op, lane) => self.lane(op, lane)?,
            Operator::MemLane(op, memarg, lane) => self.mem_lane(op, memarg, lane)?,
        }
        Ok(())
    }

    /// Unreachable code emits nothing; only its nesting is tracked so the
    /// `else`/`end` that ends it is found.
    fn dead_operator(&mut self, op: Operator<'_>) -> Result<()> {
        match op {
            Operator::Block(_) | Operator::Loop(_) | Operator::If(_) => self.dead_depth += 1,
            Operator::Else if self.dead_depth == 0 => self.else_()?,
            Operator::End if self.dead_depth == 0 => self.end()?,
            Operator::End => self.dead_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    // ---- operand stack ----

    fn push(&mut self, v: Value) {
        self.st.stack.push(v);
    }

    fn pop(&mut self) -> Result<Value> {
        match self.st.stack.pop() {
            Some(v) => Ok(v),
            None => Err(self.underflow()),
        }
    }

    /// The stack index below the top `n` values.
    fn height_below(&self, n: usize) -> Result<usize> {
        self.st.stack.len().checked_sub(n).ok_or_else(|| self.underflow())
    }

    #[cold]
    fn underflow(&self) -> Error {
        self.invalid("type mismatch: operand stack underflow")
    }

    #[cold]
    fn invalid(&self, message: impl Into<String>) -> Error {
        invalid(self.at, message)
    }

    /// Pushes the results of a call.
    fn push_all(&mut self, values: &[Value]) {
        self.st.stack.extend_from_slice(values);
    }

    // ---- blocks ----

    /// A block outside the layout; it is placed when code is first emitted into it,
    /// so blocks that nothing reaches never appear.
    fn new_block(&mut self) -> Block {
        self.b.func.dfg.make_block()
    }

    /// Places `block` at the end of the layout and continues there.
    fn switch_to(&mut self, block: Block, seal: bool) {
        self.b.func.layout.append_block(block);
        self.b.switch_to_block(block);
        if seal {
            self.b.seal_block(block);
        }
        self.reachable = true;
    }

    /// A block, kept out of line, that traps with `code` at the current location.
    fn trap_block(&mut self, code: TrapCode) -> Block {
        let block = self.new_block();
        self.st.traps.push((block, code, self.loc));
        block
    }

    /// Code after this point is unreachable until the next `else`/`end`.
    fn set_unreachable(&mut self) {
        self.reachable = false;
        let height = self.st.frames.last().map_or(0, |f| f.height);
        self.st.stack.truncate(height);
    }

    /// The parameter and result types of a block type.
    fn block_types(&self, bt: BlockType) -> Result<(&'m [ValType], &'m [ValType])> {
        match bt {
            BlockType::Empty => Ok((&[], &[])),
            BlockType::Value(t) => Ok((&[], t.as_slice())),
            BlockType::Func(idx) => match self.module.types.get(idx as usize) {
                Some(ty) => Ok((&ty.params, &ty.results)),
                None => Err(self.invalid(format!("unknown type {idx}"))),
            },
        }
    }
}

fn source_loc(offset: usize) -> SourceLoc {
    u32::try_from(offset).ok().filter(|&o| o != u32::MAX).map_or(SourceLoc::NONE, SourceLoc)
}
