//! IR to slot code: instruction selection ([`select`]), liveness
//! ([`liveness`]), cell assignment ([`slots`]) and encoding ([`encode`],
//! [`emit`], with edge moves ordered by [`moves`]).

mod emit;
mod encode;
pub(crate) use encode::fuse_latch_pair;
pub(crate) mod liveness;
pub(crate) mod moves;
mod optable;
pub(crate) mod select;
pub(crate) mod slots;

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use cranelift_entity::packed_option::PackedOption;
use cranelift_entity::{EntityRef, SecondaryMap};

use zerowasm_ssa::analysis::cfg::ControlFlowGraph;
use zerowasm_ssa::analysis::domtree::DominatorTree;
use zerowasm_ssa::analysis::loops::LoopAnalysis;
use zerowasm_ssa::dfg::ValueDef;
use zerowasm_ssa::instructions::{BlockCall, InstData};
use zerowasm_ssa::passes::FastBuild;
use zerowasm_ssa::{Block, Function, Inst, Type, Value};

use crate::error::TranslateError;
use crate::func::InterpFunc;

/// Buffers and analyses kept between translations (one per thread), so
/// translating a function allocates little beyond its own code.
#[derive(Default)]
pub(crate) struct Scratch {
    cfg: ControlFlowGraph,
    domtree: DominatorTree,
    emitted: Emitted,
    select: select::SelectBuffers,
    live: liveness::Liveness,
    slots: slots::SlotMap,
    encode: encode::EncodeScratch,
}

/// Translates IR the caller trusts to be well-formed (lowered and passed);
/// malformed IR still gives an error, never a panic, where it is detected.
/// Borrowed IR is copied only if constants have to be hoisted out of loops.
pub(crate) fn translate(func: &mut Cow<'_, Function>) -> Result<InterpFunc, TranslateError> {
    translate_with(func, None, &mut Scratch::default())
}

/// [`translate`] with this thread's `scratch`, and `cfg` if the caller has
/// the function's control-flow graph already (the pass pipeline's).
pub(crate) fn translate_with(
    func: &mut Cow<'_, Function>,
    cfg: Option<&ControlFlowGraph>,
    scratch: &mut Scratch,
) -> Result<InterpFunc, TranslateError> {
    let entry = func.entry_block().ok_or_else(|| TranslateError::invalid("function has no entry block"))?;
    let params: Vec<_> = func.dfg.block_params(entry).iter().map(|&v| func.dfg.value_type(v)).collect();
    if params != func.signature.params {
        return Err(TranslateError::invalid("entry block parameters do not match the signature"));
    }
    if func.signature.params.first() != Some(&zerowasm_ssa::Type::I64) {
        return Err(TranslateError::invalid("the first parameter must be vmctx: i64"));
    }
    let Scratch { cfg: own_cfg, domtree, emitted, select, live, slots, encode } = scratch;
    let split = split_constant_table_edges(func);
    let cfg = match cfg {
        Some(cfg) if !split => cfg,
        _ => {
            own_cfg.recompute(func);
            own_cfg
        }
    };
    domtree.recompute(func, cfg);
    let hoist = loop_constants(func, cfg, domtree, entry);
    if !hoist.is_empty() {
        hoist_constants(func.to_mut(), entry, hoist, domtree)?;
    }
    let func = &**func;
    let sel = select::Selection::compute(func, cfg, select);
    emitted.compute(func, cfg, &sel);
    let out = (|| {
        live.compute(func, cfg, emitted)?;
        slots.compute(func, cfg, domtree, &sel, live, emitted)?;
        encode::encode(func, cfg, &sel, slots, emitted, encode)
    })();
    select.recycle(sel);
    out
}

/// The instructions that become ops where they are (every plan but
/// [`select::Plan::Skip`] and [`select::Plan::EdgeConst`])
/// of each reachable block, in order, with the values each reads under its
/// plan and the block defining every value: gathered once for liveness, slot
/// assignment and encoding, which would each walk and filter the layout and
/// decode every plan's operands again.
#[derive(Default)]
pub(crate) struct Emitted {
    /// `insts[range[b].0..range[b].1]` are block `b`'s.
    range: Vec<(u32, u32)>,
    insts: Vec<Inst>,
    /// `uses[use_start[i] as usize..use_start[i + 1] as usize]` are the
    /// values `insts[i]` reads (see [`select::Selection::for_each_use`]), in
    /// that order.
    use_start: Vec<u32>,
    uses: Vec<Value>,
    /// The block defining each value of a reachable block (parameters, and
    /// the results of every instruction there, emitted or not), else `None`.
    def_block: SecondaryMap<Value, PackedOption<Block>>,
}

impl Emitted {
    /// Lists the emitted instructions of `func`'s reachable blocks under `sel`.
    fn compute(&mut self, func: &Function, cfg: &ControlFlowGraph, sel: &select::Selection) {
        let dfg = &func.dfg;
        self.range.clear();
        self.range.resize(dfg.num_blocks(), (0, 0));
        self.insts.clear();
        self.use_start.clear();
        self.uses.clear();
        self.def_block.clear();
        self.def_block.resize(dfg.num_values());
        for block in func.layout.blocks() {
            if !cfg.is_reachable(block) {
                continue;
            }
            for &p in dfg.block_params(block) {
                self.def_block[p] = block.into();
            }
            let start = self.insts.len() as u32;
            for inst in func.layout.block_insts(block) {
                for &r in dfg.inst_results(inst) {
                    self.def_block[r] = block.into();
                }
                if matches!(sel.plans[inst], select::Plan::Skip | select::Plan::EdgeConst) {
                    continue;
                }
                self.insts.push(inst);
                self.use_start.push(self.uses.len() as u32);
                let uses = &mut self.uses;
                sel.for_each_use(func, inst, |v| uses.push(v));
            }
            if let Some(r) = self.range.get_mut(block.index()) {
                *r = (start, self.insts.len() as u32);
            }
        }
        self.use_start.push(self.uses.len() as u32);
    }

    /// The emitted instructions of `block` (none if it is unreachable).
    pub(crate) fn block(&self, block: Block) -> &[Inst] {
        match self.range.get(block.index()) {
            Some(&(a, b)) => &self.insts[a as usize..b as usize],
            None => &[],
        }
    }

    /// The values all of `block`'s emitted instructions read, in order, one
    /// instruction after the other (see [`Self::block_use_starts`]).
    pub(crate) fn block_uses(&self, block: Block) -> &[Value] {
        let Some(&(a, b)) = self.range.get(block.index()) else { return &[] };
        match (self.use_start.get(a as usize), self.use_start.get(b as usize)) {
            (Some(&x), Some(&y)) => self.uses.get(x as usize..y as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Where each of `block`'s instructions' uses start among all the
    /// emitted uses, then where the block's uses end: instruction `i` of the
    /// block reads `block_uses` from `starts[i] - starts[0]` to
    /// `starts[i + 1] - starts[0]` (empty if the block is unreachable).
    pub(crate) fn block_use_starts(&self, block: Block) -> &[u32] {
        let Some(&(a, b)) = self.range.get(block.index()) else { return &[] };
        self.use_start.get(a as usize..=b as usize).unwrap_or(&[])
    }

    /// The block defining `v`, which must belong to a reachable block.
    #[inline]
    pub(crate) fn def_block(&self, v: Value) -> Result<Block, TranslateError> {
        self.def_block[v]
            .expand()
            .ok_or_else(|| TranslateError::invalid(format!("{v} is not defined in a reachable block")))
    }
}

/// Gives every `br_table` target that passes a constant to a block parameter
/// a block of its own that materializes the constant and jumps on, and
/// returns true if it changed anything (the control-flow graph with it).
///
/// A constant that feeds a block parameter is materialized where it is
/// defined, in its parameter's cell; before a `br_table` that is once per
/// dispatch, for whichever target is taken. A C `switch` passes constants to
/// its default or exit block (a dispatch loop's `halt`), so without this each
/// dispatch of the switch guest ran such a constant: a tenth of its ops. The
/// target taken instead runs one more op, its jump, so a table whose every
/// entry passes a constant stays as it is. Entries with the same destination
/// and arguments share one block.
fn split_constant_table_edges(func: &mut Cow<'_, Function>) -> bool {
    let is_const = |f: &Function, v: Value| match f.dfg.value_def(v) {
        ValueDef::Result(inst, _) => {
            matches!(
                f.dfg.inst(inst),
                InstData::Iconst { .. } | InstData::F32const { .. } | InstData::F64const { .. }
            )
        }
        _ => false,
    };
    let mut tables = Vec::new();
    for block in func.layout.blocks() {
        if let Some(term) = func.layout.last_inst(block)
            && let InstData::BrTable { table, .. } = *func.dfg.inst(term)
        {
            let jt = &func.dfg.jump_tables[table];
            let passes_const =
                |call: &BlockCall| func.dfg.block_call_args(call).iter().any(|&a| is_const(func, a));
            let (some, all) = jt.targets.iter().chain([&jt.default]).fold((false, true), |(s, a), c| {
                let p = passes_const(c);
                (s || p, a && p)
            });
            if some && !all && !tables.contains(&table) {
                tables.push(table);
            }
        }
    }
    if tables.is_empty() {
        return false;
    }
    let f = func.to_mut();
    let mut args: Vec<Value> = Vec::new();
    for table in tables {
        // (destination, its arguments, the block that now does the passing).
        let mut stubs: Vec<(Block, Vec<Value>, Block)> = Vec::new();
        let n = f.dfg.jump_tables[table].targets.len();
        for i in 0..=n {
            let jt = &f.dfg.jump_tables[table];
            let call = if i < n { jt.targets[i] } else { jt.default };
            args.clear();
            args.extend_from_slice(f.dfg.block_call_args(&call));
            if !args.iter().any(|&a| is_const(f, a)) {
                continue;
            }
            let stub = match stubs.iter().find(|(b, a, _)| *b == call.block && *a == args) {
                Some(&(_, _, stub)) => stub,
                None => {
                    let stub = f.dfg.make_block();
                    f.layout.append_block(stub);
                    let mut passed = Vec::with_capacity(args.len());
                    for &a in &args {
                        passed.push(match f.dfg.value_def(a) {
                            ValueDef::Result(def, _) if is_const(f, a) => {
                                let data = *f.dfg.inst(def);
                                let (inst, v) = f.dfg.make_inst_with_result(data, f.dfg.value_type(a));
                                f.layout.append_inst(inst, stub);
                                v
                            }
                            _ => a,
                        });
                    }
                    let dest = f.dfg.block_call(call.block, &passed);
                    let jump = f.dfg.make_inst(InstData::Jump { dest });
                    f.layout.append_inst(jump, stub);
                    stubs.push((call.block, args.clone(), stub));
                    stub
                }
            };
            let entry = f.dfg.block_call(stub, &[]);
            let jt = &mut f.dfg.jump_tables[table];
            if i < n {
                jt.targets[i] = entry;
            } else {
                jt.default = entry;
            }
        }
    }
    true
}

/// The constants inside loops that some instruction reads as an operand
/// (v128 ones too: a `vconst` copies 16 bytes from the constant pool, and
/// SIMD loops re-materialize their splatted constants every iteration),
/// which [`hoist_constants`] moves to the entry block: each is then
/// materialized once per call, in a cell of its own, instead of once per
/// iteration (wasm3's constant slots). Constants that selection folds into an
/// immediate operand cost nothing either way. A constant that only feeds
/// block parameters stays where it is: there it can share its parameter's
/// cell and costs one op per pass along its edge, which is what the edge's
/// copy from a hoisted cell would cost too — plus a cell live across the
/// whole function and an op at every call. Nothing moves if the entry block
/// is itself in a loop. Moving a constant leaves the CFG, and so `cfg` and
/// `domtree`, unchanged.
fn loop_constants(
    func: &Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    entry: Block,
) -> Vec<Inst> {
    let mut out = Vec::new();
    // Only functions with a back edge have loops; skip the analysis for the rest.
    let has_loop = cfg
        .rpo()
        .iter()
        .any(|&b| cfg.preds(b).iter().any(|&(p, _)| cfg.is_reachable(p) && domtree.block_dominates(b, p)));
    if !has_loop {
        return out;
    }
    let loops = LoopAnalysis::compute(cfg, domtree);
    if loops.depth(entry) > 0 {
        return out;
    }
    // The values some instruction reads as an operand (branch arguments,
    // which only feed block parameters, do not count).
    let mut operand = vec![false; func.dfg.num_values()];
    let mut mark = |v: Value| {
        if let Some(m) = operand.get_mut(v.index()) {
            *m = true;
        }
    };
    for &block in cfg.rpo() {
        for inst in func.layout.block_insts(block) {
            match func.dfg.inst(inst) {
                InstData::Jump { .. } => {}
                InstData::Brif { arg, .. } | InstData::BrTable { arg, .. } => mark(*arg),
                _ => func.dfg.for_each_inst_value(inst, &mut mark),
            }
        }
    }
    for &block in cfg.rpo() {
        if loops.depth(block) == 0 {
            continue;
        }
        for inst in func.layout.block_insts(block) {
            let constant = matches!(
                func.dfg.inst(inst),
                InstData::Iconst { .. }
                    | InstData::F32const { .. }
                    | InstData::F64const { .. }
                    | InstData::Vconst { .. }
            );
            if constant && func.dfg.inst_results(inst).iter().any(|v| operand.get(v.index()) == Some(&true)) {
                out.push(inst);
            }
        }
    }
    out
}

/// Moves the constants `hoist` to the end of the entry block (before its
/// terminator), one per distinct value: a constant equal to one already moved
/// becomes an alias of it, since in the entry block each dominates every use
/// of the others. Without that, a function whose loop is a big `switch` (an
/// interpreter's) would materialize the same `0` once per case at every call.
/// Only the blocks `domtree` puts under an aliased constant's old block can
/// use it, so only those are rewritten.
fn hoist_constants(
    f: &mut Function,
    entry: Block,
    hoist: Vec<Inst>,
    domtree: &DominatorTree,
) -> Result<(), TranslateError> {
    let Some(term) = f.layout.last_inst(entry).filter(|&t| f.dfg.inst(t).opcode().is_terminator()) else {
        return Err(TranslateError::invalid("the entry block has no terminator"));
    };
    // Keyed by the compiler's own IR, so the fast non-DoS-resistant hash will
    // do (SipHash cost about 1% of all translation of lua.wasm).
    let mut first: HashMap<(InstData, Type), Value, FastBuild> =
        HashMap::with_capacity_and_hasher(hoist.len(), FastBuild::default());
    let mut stack: Vec<Block> = Vec::new();
    for inst in hoist {
        let from = f.layout.inst_block(inst);
        f.layout.remove_inst(inst);
        let &[v] = f.dfg.inst_results(inst) else {
            return Err(TranslateError::invalid("a constant without exactly one result"));
        };
        match first.entry((*f.dfg.inst(inst), f.dfg.value_type(v))) {
            Entry::Occupied(e) => {
                f.dfg.change_to_alias(v, *e.get());
                stack.extend(from);
            }
            Entry::Vacant(e) => {
                e.insert(v);
                f.layout.insert_inst_before(inst, term);
            }
        }
    }
    // The uses of an aliased constant are in the dominator subtree of the
    // block it came from (the graph, so the tree, is unchanged by the moves).
    let mut seen = vec![false; f.dfg.num_blocks()];
    let mut blocks: Vec<Block> = Vec::new();
    while let Some(b) = stack.pop() {
        if let Some(s) = seen.get_mut(b.index())
            && !*s
        {
            *s = true;
            blocks.push(b);
            stack.extend_from_slice(domtree.children(b));
        }
    }
    let layout = &f.layout;
    f.dfg.resolve_new_aliases(blocks.iter().flat_map(|&b| layout.block_insts(b)));
    Ok(())
}
