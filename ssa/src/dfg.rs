//! The data-flow graph: instructions, their results, blocks and their
//! parameters, and the tables instructions refer to. Order lives in
//! [`crate::layout::Layout`]; this is only data.

use cranelift_entity::{EntityRef, ListPool, PrimaryMap, SecondaryMap};
use smallvec::SmallVec;

use crate::entities::{Block, BuiltinRef, Constant, FuncRef, Inst, JumpTable, SigRef, Value};
use crate::instructions::{
    BlockCall, BuiltinData, ExtFuncData, InstData, JumpTableData, Signature, ValueList,
};
use crate::types::Type;

/// Where a value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueDef {
    /// Result `n` of an instruction.
    Result(Inst, u16),
    /// Parameter `n` of a block.
    Param(Block, u16),
    /// Replaced by another value (copy propagation, trivial phi removal);
    /// uses are rewritten by [`DataFlowGraph::resolve_all_aliases`].
    Alias(Value),
}

#[derive(Clone, Copy, Debug)]
struct ValueData {
    ty: Type,
    def: ValueDef,
}

/// Instructions, values and blocks of one function.
#[derive(Clone, Default)]
pub struct DataFlowGraph {
    insts: PrimaryMap<Inst, InstData>,
    /// Each instruction's results as a range of `result_values` (a flat
    /// array: one push per result, where a pooled list allocated per result).
    /// One entry per instruction, pushed with it.
    results: Vec<ResultRange>,
    result_values: Vec<Value>,
    block_params: PrimaryMap<Block, ValueList>,
    values: PrimaryMap<Value, ValueData>,
    /// Pool for every `ValueList` in this function.
    pub value_lists: ListPool<Value>,
    /// Signatures of indirect calls and builtins.
    pub signatures: PrimaryMap<SigRef, Signature>,
    /// Directly called functions.
    pub ext_funcs: PrimaryMap<FuncRef, ExtFuncData>,
    /// Runtime services.
    pub builtins: PrimaryMap<BuiltinRef, BuiltinData>,
    /// `br_table` targets.
    pub jump_tables: PrimaryMap<JumpTable, JumpTableData>,
    /// 128-bit constants (`vconst`, shuffle masks).
    pub constants: PrimaryMap<Constant, u128>,
    /// True if [`Self::change_to_alias`] ran since the last
    /// [`Self::resolve_new_aliases`], so operands may name aliases.
    new_aliases: bool,
    /// Room [`Self::reserve`] last made in the instruction and value tables
    /// (they may have grown since), kept across [`Self::clear`].
    reserved: usize,
}

/// Where an instruction's results sit in [`DataFlowGraph`]'s flat result array.
#[derive(Clone, Copy, Default)]
struct ResultRange {
    start: u32,
    len: u32,
}

impl DataFlowGraph {
    /// Makes room for about `insts` more instructions and as many values.
    ///
    /// An empty graph (a cleared one being reused) that lacks the room gets
    /// fresh tables: growing an empty table in place would copy its old,
    /// unused contents.
    pub fn reserve(&mut self, insts: usize) {
        if self.insts.is_empty() && self.values.is_empty() && self.reserved < insts {
            let n = insts.max(2 * self.reserved);
            self.insts = PrimaryMap::with_capacity(n);
            self.values = PrimaryMap::with_capacity(n);
            self.result_values = Vec::with_capacity(n);
            self.results = Vec::with_capacity(n);
            self.reserved = n;
            return;
        }
        self.insts.reserve(insts);
        self.values.reserve(insts);
        self.result_values.reserve(insts);
        self.results.reserve(insts);
    }

    /// Empties the graph but keeps its allocations, so building the next
    /// function into it does not grow every table again from nothing.
    pub fn clear(&mut self) {
        self.insts.clear();
        self.results.clear();
        self.result_values.clear();
        self.block_params.clear();
        self.values.clear();
        self.value_lists.clear();
        self.signatures.clear();
        self.ext_funcs.clear();
        self.builtins.clear();
        self.jump_tables.clear();
        self.constants.clear();
        self.new_aliases = false;
    }

    /// Creates an instruction without results; see [`Self::make_inst_results`].
    #[inline]
    pub fn make_inst(&mut self, data: InstData) -> Inst {
        let inst = self.insts.push(data);
        self.results.push(ResultRange::default());
        inst
    }

    /// Creates an instruction with one result of type `ty` (the common case,
    /// without the general path of [`Self::make_inst_results`]).
    #[inline]
    pub fn make_inst_with_result(&mut self, data: InstData, ty: Type) -> (Inst, Value) {
        let inst = self.insts.push(data);
        let v = self.values.push(ValueData { ty, def: ValueDef::Result(inst, 0) });
        self.results.push(ResultRange { start: self.result_values.len() as u32, len: 1 });
        self.result_values.push(v);
        (inst, v)
    }

    /// Adds result values of the given types to `inst`.
    #[inline]
    pub fn make_inst_results(&mut self, inst: Inst, types: &[Type]) {
        if types.is_empty() {
            return;
        }
        self.add_results(inst, types);
    }

    /// Adds the results of signature `sig` to `inst` (a call), without
    /// copying the result types out of the signature first.
    pub fn make_inst_sig_results(&mut self, inst: Inst, sig: SigRef) {
        // Moved out and back (no allocation) so the types can be read while
        // the value tables grow.
        let types = std::mem::take(&mut self.signatures[sig].results);
        self.make_inst_results(inst, &types);
        self.signatures[sig].results = types;
    }

    fn add_results(&mut self, inst: Inst, types: &[Type]) {
        let mut range = self.results[inst.index()];
        let end = (range.start + range.len) as usize;
        if range.len == 0 {
            range.start = self.result_values.len() as u32;
        } else if end != self.result_values.len() {
            // Results added to an older instruction: move its list to the end.
            self.result_values.extend_from_within(range.start as usize..end);
            range.start = (self.result_values.len() - range.len as usize) as u32;
        }
        for &ty in types {
            let v = self.values.push(ValueData { ty, def: ValueDef::Result(inst, range.len as u16) });
            self.result_values.push(v);
            range.len += 1;
        }
        self.results[inst.index()] = range;
    }

    /// The operands of `inst`.
    pub fn inst(&self, inst: Inst) -> &InstData {
        &self.insts[inst]
    }

    /// Mutable operands of `inst` (passes rewrite in place).
    pub fn inst_mut(&mut self, inst: Inst) -> &mut InstData {
        &mut self.insts[inst]
    }

    /// Replaces the operands of `inst`, keeping its results.
    pub fn replace_inst(&mut self, inst: Inst, data: InstData) {
        self.insts[inst] = data;
    }

    /// Number of instructions ever created (including removed ones).
    pub fn num_insts(&self) -> usize {
        self.insts.len()
    }

    /// Number of values ever created.
    pub fn num_values(&self) -> usize {
        self.values.len()
    }

    /// Number of blocks ever created.
    pub fn num_blocks(&self) -> usize {
        self.block_params.len()
    }

    /// The results of `inst`.
    pub fn inst_results(&self, inst: Inst) -> &[Value] {
        let r = self.results[inst.index()];
        &self.result_values[r.start as usize..(r.start + r.len) as usize]
    }

    /// The first result of `inst`; panics if it has none (a builder bug).
    pub fn first_result(&self, inst: Inst) -> Value {
        *self.inst_results(inst).first().expect("instruction has a result")
    }

    /// Creates a block without parameters.
    pub fn make_block(&mut self) -> Block {
        self.block_params.push(ValueList::new())
    }

    /// Appends a parameter to `block`.
    pub fn append_block_param(&mut self, block: Block, ty: Type) -> Value {
        let n = self.block_params[block].len(&self.value_lists) as u16;
        let v = self.values.push(ValueData { ty, def: ValueDef::Param(block, n) });
        self.block_params[block].push(v, &mut self.value_lists);
        v
    }

    /// The parameters of `block`.
    pub fn block_params(&self, block: Block) -> &[Value] {
        self.block_params[block].as_slice(&self.value_lists)
    }

    /// Removes parameter `index` of `block`; callers must drop the matching
    /// argument from every branch to it.
    pub fn remove_block_param(&mut self, block: Block, index: usize) {
        self.block_params[block].remove(index, &mut self.value_lists);
        // Renumber the parameters after it in place (split borrow: the list is
        // read while the value table is written), without copying the list.
        let params = self.block_params[block].as_slice(&self.value_lists);
        for (i, &v) in params.iter().enumerate().skip(index) {
            self.values[v].def = ValueDef::Param(block, i as u16);
        }
    }

    /// The type of `v`.
    pub fn value_type(&self, v: Value) -> Type {
        self.values[v].ty
    }

    /// Where `v` is defined.
    pub fn value_def(&self, v: Value) -> ValueDef {
        self.values[v].def
    }

    /// The immediate of the `iconst` that defines `v`, if one does (as the
    /// instruction stores it: sign-extended from its type's width).
    pub fn int_constant(&self, v: Value) -> Option<i64> {
        match self.values[v].def {
            ValueDef::Result(inst, 0) => match self.insts[inst] {
                InstData::Iconst { imm } => Some(imm),
                _ => None,
            },
            _ => None,
        }
    }

    /// Follows aliases to the value that really defines `v`.
    pub fn resolve_aliases(&self, mut v: Value) -> Value {
        // Alias chains are acyclic by construction; bound the walk anyway.
        for _ in 0..self.values.len() {
            match self.values[v].def {
                ValueDef::Alias(to) => v = to,
                _ => return v,
            }
        }
        v
    }

    /// Makes `from` an alias of `to`: every use of `from` will read `to`.
    pub fn change_to_alias(&mut self, from: Value, to: Value) {
        let to = self.resolve_aliases(to);
        debug_assert_ne!(from, to, "a value cannot alias itself");
        self.values[from].def = ValueDef::Alias(to);
        self.new_aliases = true;
    }

    /// Creates a value list from a slice.
    pub fn value_list(&mut self, values: &[Value]) -> ValueList {
        ValueList::from_slice(values, &mut self.value_lists)
    }

    /// Creates a branch destination.
    pub fn block_call(&mut self, block: Block, args: &[Value]) -> BlockCall {
        BlockCall { block, args: self.value_list(args) }
    }

    /// Arguments of a branch destination.
    pub fn block_call_args(&self, call: &BlockCall) -> &[Value] {
        call.args.as_slice(&self.value_lists)
    }

    /// Every value operand of `inst`, branch arguments included, in a fixed order.
    pub fn inst_values(&self, inst: Inst) -> SmallVec<[Value; 4]> {
        let mut out = SmallVec::new();
        self.for_each_inst_value(inst, |v| out.push(v));
        out
    }

    /// Calls `f` on every value operand of `inst`, branch arguments included, in
    /// the order of [`Self::inst_values`] (without collecting them).
    #[inline]
    pub fn for_each_inst_value(&self, inst: Inst, mut f: impl FnMut(Value)) {
        let pool = &self.value_lists;
        match &self.insts[inst] {
            InstData::Iconst { .. }
            | InstData::F32const { .. }
            | InstData::F64const { .. }
            | InstData::Vconst { .. }
            | InstData::Trap { .. } => {}
            InstData::Unary { arg, .. }
            | InstData::Load { arg, .. }
            | InstData::HeapLoad { arg, .. }
            | InstData::ExtractLane { arg, .. }
            | InstData::CondTrap { arg, .. } => f(*arg),
            InstData::Binary { args, .. }
            | InstData::IntCompare { args, .. }
            | InstData::FloatCompare { args, .. }
            | InstData::Store { args, .. }
            | InstData::HeapStore { args, .. }
            | InstData::LoadLane { args, .. }
            | InstData::StoreLane { args, .. }
            | InstData::Shuffle { args, .. }
            | InstData::InsertLane { args, .. } => {
                f(args[0]);
                f(args[1]);
            }
            InstData::Ternary { args, .. } => args.iter().for_each(|&v| f(v)),
            InstData::Vector { op, args } => args[..op.arity()].iter().for_each(|&v| f(v)),
            InstData::Jump { dest } => dest.args.as_slice(pool).iter().for_each(|&v| f(v)),
            InstData::Brif { arg, then_dest, else_dest } => {
                f(*arg);
                then_dest.args.as_slice(pool).iter().for_each(|&v| f(v));
                else_dest.args.as_slice(pool).iter().for_each(|&v| f(v));
            }
            InstData::BrTable { arg, table } => {
                f(*arg);
                let jt = &self.jump_tables[*table];
                jt.default.args.as_slice(pool).iter().for_each(|&v| f(v));
                for t in &jt.targets {
                    t.args.as_slice(pool).iter().for_each(|&v| f(v));
                }
            }
            InstData::Return { args }
            | InstData::Call { args, .. }
            | InstData::CallIndirect { args, .. }
            | InstData::CallBuiltin { args, .. } => args.as_slice(pool).iter().for_each(|&v| f(v)),
        }
    }

    /// Rewrites every value operand of `inst` (branch arguments included) with `f`.
    pub fn map_inst_values(&mut self, inst: Inst, mut f: impl FnMut(Value) -> Value) {
        map_values_of(&mut self.insts[inst], &mut self.value_lists, &mut self.jump_tables, &mut f);
    }

    /// The branch destinations of `inst` (empty for non-branches).
    pub fn branch_destinations(&self, inst: Inst) -> SmallVec<[BlockCall; 2]> {
        match &self.insts[inst] {
            InstData::Jump { dest } => smallvec::smallvec![*dest],
            InstData::Brif { then_dest, else_dest, .. } => smallvec::smallvec![*then_dest, *else_dest],
            InstData::BrTable { table, .. } => {
                let jt = &self.jump_tables[*table];
                let mut v: SmallVec<[BlockCall; 2]> = SmallVec::with_capacity(jt.targets.len() + 1);
                v.push(jt.default);
                v.extend(jt.targets.iter().copied());
                v
            }
            _ => SmallVec::new(),
        }
    }

    /// Rewrites every branch destination of `inst` with `f`.
    pub fn map_branch_destinations(
        &mut self,
        inst: Inst,
        mut f: impl FnMut(&mut ListPool<Value>, &mut BlockCall),
    ) {
        let pool = &mut self.value_lists;
        match &mut self.insts[inst] {
            InstData::Jump { dest } => f(pool, dest),
            InstData::Brif { then_dest, else_dest, .. } => {
                f(pool, then_dest);
                f(pool, else_dest);
            }
            InstData::BrTable { table, .. } => {
                let jt = &mut self.jump_tables[*table];
                f(pool, &mut jt.default);
                for t in &mut jt.targets {
                    f(pool, t);
                }
            }
            _ => {}
        }
    }

    /// [`Self::resolve_all_aliases`] on `insts`, which must be every placed
    /// instruction, but only if an alias was made since the last call: with
    /// none, no operand can name one and the walk would change nothing.
    pub fn resolve_new_aliases(&mut self, insts: impl IntoIterator<Item = Inst>) {
        if std::mem::take(&mut self.new_aliases) {
            self.resolve_all_aliases(insts);
        }
    }

    /// [`Self::resolve_new_aliases`] on every instruction made (all placed,
    /// as when a builder finishes), in one pass over the instruction table:
    /// each operand is rewritten in place without first checking whether the
    /// instruction names an alias, which cost a second dispatch per instruction.
    pub fn resolve_new_aliases_in_all_insts(&mut self) {
        if !std::mem::take(&mut self.new_aliases) {
            return;
        }
        let values = &self.values;
        let mut resolve = |mut v: Value| {
            while let ValueDef::Alias(to) = values[v].def {
                v = to;
            }
            v
        };
        for data in self.insts.values_mut() {
            map_values_of(data, &mut self.value_lists, &mut self.jump_tables, &mut resolve);
        }
    }

    /// Rewrites every operand that is an alias to the value it stands for.
    pub fn resolve_all_aliases(&mut self, insts: impl IntoIterator<Item = Inst>) {
        for inst in insts {
            // Most instructions read no alias: check before rewriting in place.
            let mut any = false;
            self.for_each_inst_value(inst, |v| any |= matches!(self.values[v].def, ValueDef::Alias(_)));
            if !any {
                continue;
            }
            let values = &self.values;
            let mut resolve = |mut v: Value| {
                while let ValueDef::Alias(to) = values[v].def {
                    v = to;
                }
                v
            };
            // Split borrow: `values` is read while the instruction and the pool are written.
            map_values_of(&mut self.insts[inst], &mut self.value_lists, &mut self.jump_tables, &mut resolve);
        }
    }
}

/// Makes `map` hold `key`, growing it by doubling: a map filled one new key
/// at a time (instructions as they are built) would otherwise take the
/// out-of-line resize path on every key.
#[inline]
pub(crate) fn grow_to_hold<K: cranelift_entity::EntityRef, V: Clone>(map: &mut SecondaryMap<K, V>, key: K) {
    let len = map.as_values_slice().len();
    if key.index() >= len {
        map.resize((key.index() + 1).max(2 * len).max(64));
    }
}

/// Rewrites the value operands of one instruction; takes the DFG's parts
/// separately so callers can read other parts (the value table) meanwhile.
#[inline]
fn map_values_of(
    data: &mut InstData,
    pool: &mut ListPool<Value>,
    jump_tables: &mut PrimaryMap<JumpTable, JumpTableData>,
    f: &mut impl FnMut(Value) -> Value,
) {
    fn fix_list(list: &mut ValueList, pool: &mut ListPool<Value>, f: &mut impl FnMut(Value) -> Value) {
        list.as_mut_slice(pool).iter_mut().for_each(|a| *a = f(*a));
    }
    match data {
        InstData::Iconst { .. }
        | InstData::F32const { .. }
        | InstData::F64const { .. }
        | InstData::Vconst { .. }
        | InstData::Trap { .. } => {}
        InstData::Unary { arg, .. }
        | InstData::Load { arg, .. }
        | InstData::HeapLoad { arg, .. }
        | InstData::ExtractLane { arg, .. }
        | InstData::CondTrap { arg, .. } => *arg = f(*arg),
        InstData::Binary { args, .. }
        | InstData::IntCompare { args, .. }
        | InstData::FloatCompare { args, .. }
        | InstData::Store { args, .. }
        | InstData::HeapStore { args, .. }
        | InstData::LoadLane { args, .. }
        | InstData::StoreLane { args, .. }
        | InstData::Shuffle { args, .. }
        | InstData::InsertLane { args, .. } => args.iter_mut().for_each(|a| *a = f(*a)),
        InstData::Ternary { args, .. } => args.iter_mut().for_each(|a| *a = f(*a)),
        InstData::Vector { args, .. } => args.iter_mut().for_each(|a| *a = f(*a)),
        InstData::Jump { dest } => fix_list(&mut dest.args, pool, f),
        InstData::Brif { arg, then_dest, else_dest } => {
            *arg = f(*arg);
            fix_list(&mut then_dest.args, pool, f);
            fix_list(&mut else_dest.args, pool, f);
        }
        InstData::BrTable { arg, table } => {
            *arg = f(*arg);
            let jt = &mut jump_tables[*table];
            fix_list(&mut jt.default.args, pool, f);
            for t in &mut jt.targets {
                fix_list(&mut t.args, pool, f);
            }
        }
        InstData::Return { args }
        | InstData::Call { args, .. }
        | InstData::CallIndirect { args, .. }
        | InstData::CallBuiltin { args, .. } => fix_list(args, pool, f),
    }
}
