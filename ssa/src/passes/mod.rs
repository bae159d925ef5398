//! Transformations of a [`Function`], each a `fn(&mut Function, &mut PassCtx)`.
//!
//! | pass | what it does |
//! |------|--------------|
//! | [`unreachable_blocks`] | removes blocks the entry cannot reach |
//! | [`block_params`] | removes parameters that always receive one value (or themselves), to a fixed point |
//! | [`const_fold`] | folds constant operations, branches, selects and traps; simplifies algebraic identities |
//! | [`copy_prop`] | resolves aliases; one sweep over "same argument everywhere" parameters |
//! | [`gvn`] | merges pure instructions equal to a dominating one |
//! | [`dce`] | removes unused instructions without side effects |
//!
//! Every pass takes verified IR and leaves verified IR: no operand is an
//! alias when it returns, and the verifier's rules hold. [`run_pipeline`] runs
//! a list of passes and, when [`PassCtx::verify`] is set, verifies the input
//! and the result of every pass.
//!
//! Cost: every pass is linear in the size of the function (plus a hash map
//! for GVN, and the CFG and dominator tree where a pass needs them). The
//! control-flow graph is kept in [`PassCtx`] within a pipeline: `const_fold`
//! computes it, `unreachable_blocks` reuses it unless a branch was folded,
//! and the later passes never change it, so a backend can take it from
//! [`PassCtx::pipeline_cfg`] instead of computing it again. The other
//! analyses are recomputed by the passes that need them; the scratch buffers
//! in [`PassCtx`] are reused, across passes and across functions.

use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use crate::analysis::cfg::ControlFlowGraph;
use crate::dfg::DataFlowGraph;
use crate::entities::Inst;
use crate::function::Function;
use crate::instructions::{BlockCall, InstData};
use crate::verifier::{VerifierError, verify_function};

pub mod block_params;
pub mod const_fold;
pub mod copy_prop;
pub mod dce;
pub mod gvn;
pub mod unreachable_blocks;

pub use block_params::block_params;
pub use const_fold::const_fold;
pub use copy_prop::copy_prop;
pub use dce::dce;
pub use gvn::gvn;
pub use unreachable_blocks::unreachable_blocks;

/// What the passes changed, summed over every pass run with one [`PassCtx`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassStats {
    /// `unreachable_blocks`: blocks removed.
    pub blocks_removed: u64,
    /// `unreachable_blocks`: instructions removed with those blocks.
    pub unreachable_insts_removed: u64,
    /// `block_params` and `copy_prop`: block parameters removed (with their arguments).
    pub params_removed: u64,
    /// `dce`: instructions removed.
    pub dead_insts_removed: u64,
    /// `const_fold`: instructions replaced by a constant.
    pub consts_folded: u64,
    /// `const_fold`: identities (`x + 0`, `select` on a constant) replaced by an operand.
    pub identities_simplified: u64,
    /// `const_fold`: `brif`/`br_table` turned into `jump`.
    pub branches_folded: u64,
    /// `const_fold`: `trapz`/`trapnz` that can never trap, removed.
    pub traps_removed: u64,
    /// `gvn`: instructions replaced by an equal dominating one.
    pub gvn_merged: u64,
}

impl PassStats {
    /// Every counter with its name, for listings.
    pub fn counters(&self) -> [(&'static str, u64); 9] {
        [
            ("blocks_removed", self.blocks_removed),
            ("unreachable_insts_removed", self.unreachable_insts_removed),
            ("params_removed", self.params_removed),
            ("dead_insts_removed", self.dead_insts_removed),
            ("consts_folded", self.consts_folded),
            ("identities_simplified", self.identities_simplified),
            ("branches_folded", self.branches_folded),
            ("traps_removed", self.traps_removed),
            ("gvn_merged", self.gvn_merged),
        ]
    }
}

impl fmt::Display for PassStats {
    /// `name=value` pairs of the non-zero counters, space-separated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (name, n) in self.counters() {
            if n != 0 {
                write!(f, "{}{name}={n}", if first { "" } else { " " })?;
                first = false;
            }
        }
        Ok(())
    }
}

/// State shared by the passes: options, statistics, and reusable buffers.
/// Keep one per thread and pass it to every function, so the buffers are
/// allocated once.
pub struct PassCtx {
    /// Verify the input and the result of every pass in [`run_pipeline`].
    /// Defaults to on in builds with debug assertions (test builds), off otherwise.
    pub verify: bool,
    /// Counters, summed over all runs; reset them with `stats = Default::default()`.
    pub stats: PassStats,
    pub(crate) params: block_params::Scratch,
    pub(crate) dce: dce::Scratch,
    pub(crate) gvn: gvn::Scratch,
    /// The control-flow graph the passes compute, kept between them: while
    /// [`Self::cfg_fresh`], it is the graph of the function the running (or
    /// last) [`run_pipeline`] works on, and a pass that needs it skips
    /// recomputing it.
    pub(crate) cfg: ControlFlowGraph,
    /// `cfg` describes the function as it is now. Only set within
    /// [`run_pipeline`] (see [`Self::set_cfg_fresh`]), where every pass works
    /// on one function. `const_fold` and `unreachable_blocks`, the passes
    /// that change branches or blocks, keep it right; the others change only
    /// instructions, parameters and branch arguments, never the graph.
    cfg_fresh: bool,
    /// True while [`run_pipeline`] runs.
    in_pipeline: bool,
}

impl Default for PassCtx {
    fn default() -> Self {
        PassCtx {
            verify: cfg!(debug_assertions),
            stats: PassStats::default(),
            params: block_params::Scratch::default(),
            dce: dce::Scratch::default(),
            gvn: gvn::Scratch::default(),
            cfg: ControlFlowGraph::default(),
            cfg_fresh: false,
            in_pipeline: false,
        }
    }
}

impl PassCtx {
    /// A context with the default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// The control-flow graph of the function the last [`run_pipeline`] call
    /// transformed, if its passes left it up to date (none of them changed
    /// the control flow after computing it), so a backend can skip computing
    /// it again. Valid only while that function's branches stay unchanged.
    pub fn pipeline_cfg(&self) -> Option<&ControlFlowGraph> {
        (self.cfg_fresh && !self.in_pipeline).then_some(&self.cfg)
    }

    /// Records whether `cfg` describes the function as it is now. Outside a
    /// pipeline nothing ties the next pass to the same function, so the graph
    /// is never trusted there.
    pub(crate) fn set_cfg_fresh(&mut self, fresh: bool) {
        self.cfg_fresh = fresh && self.in_pipeline;
    }

    /// Makes `cfg` the graph of `func`, computing it unless it is up to date.
    pub(crate) fn ensure_cfg(&mut self, func: &Function) {
        if !(self.cfg_fresh && self.in_pipeline) {
            self.cfg.recompute(func);
            self.set_cfg_fresh(true);
        }
    }
}

/// A pass, by name (for the CLI's `--passes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pass {
    /// [`unreachable_blocks`].
    UnreachableBlocks,
    /// [`block_params`].
    BlockParams,
    /// [`const_fold`].
    ConstFold,
    /// [`copy_prop`].
    CopyProp,
    /// [`gvn`].
    Gvn,
    /// [`dce`].
    Dce,
}

impl Pass {
    /// Every pass.
    pub const ALL: [Pass; 6] =
        [Pass::UnreachableBlocks, Pass::BlockParams, Pass::ConstFold, Pass::CopyProp, Pass::Gvn, Pass::Dce];

    /// The pass's name: `unreachable_blocks`, `block_params`, `const_fold`, `copy_prop`, `gvn`, `dce`.
    pub fn name(self) -> &'static str {
        match self {
            Pass::UnreachableBlocks => "unreachable_blocks",
            Pass::BlockParams => "block_params",
            Pass::ConstFold => "const_fold",
            Pass::CopyProp => "copy_prop",
            Pass::Gvn => "gvn",
            Pass::Dce => "dce",
        }
    }

    /// Looks a pass up by [`Pass::name`] (`-` is accepted for `_`).
    pub fn from_name(name: &str) -> Option<Pass> {
        let name = name.replace('-', "_");
        Pass::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Parses a comma-separated list (`"const_fold,dce"`); the error names the unknown pass.
    pub fn parse_list(list: &str) -> Result<Vec<Pass>, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                Pass::from_name(s).ok_or_else(|| {
                    let known: Vec<&str> = Pass::ALL.iter().map(|p| p.name()).collect();
                    format!("unknown pass `{s}` (known: {})", known.join(", "))
                })
            })
            .collect()
    }

    /// Runs the pass (without verification).
    pub fn run(self, func: &mut Function, cx: &mut PassCtx) {
        match self {
            Pass::UnreachableBlocks => unreachable_blocks(func, cx),
            Pass::BlockParams => block_params(func, cx),
            Pass::ConstFold => const_fold(func, cx),
            Pass::CopyProp => copy_prop(func, cx),
            Pass::Gvn => gvn(func, cx),
            Pass::Dce => dce(func, cx),
        }
    }
}

impl fmt::Display for Pass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the interpreter runs at load time: only passes that pay for
/// themselves in one interpretation. No `const_fold`: the builder folds
/// constant operations and identities as it builds, which leaves the slot
/// code of the benchmark guests as it was (clang's output has little else to
/// fold) for about 3% less translation time; and so no `unreachable_blocks`, which
/// cleaned up after the edges `const_fold` removed (translation skips the
/// blocks it finds unreachable itself). No `dce` either: the interpreter's
/// instruction selection skips unused pure instructions itself (its sweep),
/// so the slot code of every benchmark guest is the same without it.
pub const INTERPRETER_PIPELINE: &[Pass] = &[Pass::BlockParams];

/// What the optimizing compiler runs. The second `const_fold` folds what
/// `block_params` (parameters replaced by constants) and `gvn` exposed;
/// `copy_prop` then cleans up after the edges it removed, cheaply.
pub const OPTIMIZING_PIPELINE: &[Pass] = &[
    Pass::ConstFold,
    Pass::UnreachableBlocks,
    Pass::BlockParams,
    Pass::Gvn,
    Pass::ConstFold,
    Pass::UnreachableBlocks,
    Pass::CopyProp,
    Pass::Dce,
];

/// Runs `pipeline` on `func`. With [`PassCtx::verify`], the input and the
/// result of every pass are verified; an error's message then starts with
/// `before passes:` or `after <pass>:`.
pub fn run_pipeline(func: &mut Function, cx: &mut PassCtx, pipeline: &[Pass]) -> Result<(), VerifierError> {
    let locate = |when: String, e: VerifierError| VerifierError {
        location: e.location,
        message: format!("{when}: {}", e.message),
    };
    cx.cfg_fresh = false;
    if cx.verify {
        verify_function(func).map_err(|e| locate("before passes".into(), e))?;
    }
    cx.in_pipeline = true;
    let result = (|| {
        for &pass in pipeline {
            pass.run(func, cx);
            if cx.verify {
                verify_function(func).map_err(|e| locate(format!("after {pass}"), e))?;
            }
        }
        Ok(())
    })();
    cx.in_pipeline = false;
    if result.is_err() {
        cx.cfg_fresh = false;
    }
    result
}

// ------------------------------------------------------------- helpers ----

/// Calls `f` on every branch destination of `inst` (none for non-branches).
pub fn for_each_dest(dfg: &DataFlowGraph, inst: Inst, mut f: impl FnMut(&BlockCall)) {
    match dfg.inst(inst) {
        InstData::Jump { dest } => f(dest),
        InstData::Brif { then_dest, else_dest, .. } => {
            f(then_dest);
            f(else_dest);
        }
        InstData::BrTable { table, .. } => {
            let jt = &dfg.jump_tables[*table];
            f(&jt.default);
            jt.targets.iter().for_each(f);
        }
        _ => {}
    }
}

/// Rewrites every aliased operand in the function's placed instructions
/// (nothing to do if no alias was made since the last time). Public for
/// the backends' own rewrites after the pipeline (the interpreter merges
/// equal hoisted constants into aliases).
pub fn resolve_all_aliases(func: &mut Function) {
    let layout = &func.layout;
    func.dfg.resolve_new_aliases(layout.blocks().flat_map(|b| layout.block_insts(b)));
}

/// A fast hasher for small keys of entity numbers (multiply-rotate, not
/// DoS-resistant; the keys come from the compiler, not from an adversary
/// who could choose collisions cheaply). Public for the backends' own
/// tables keyed by IR, e.g. the interpreter's hoisted constants.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn mix(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.mix(u64::from(x));
    }
    fn write_u16(&mut self, x: u16) {
        self.mix(u64::from(x));
    }
    fn write_u32(&mut self, x: u32) {
        self.mix(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.mix(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.mix(x as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `BuildHasher` for [`FastHasher`].
pub type FastBuild = BuildHasherDefault<FastHasher>;

#[cfg(test)]
mod tests;
