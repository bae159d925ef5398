//! Slot assignment: gives every value the instructions read or write a frame
//! cell (two consecutive cells for a `v128`), reusing cells of values whose live
//! ranges do not overlap.
//!
//! SSA values interfere exactly when one is live at the other's definition, so
//! one walk in dominator-tree preorder assigns cells optimally for scalars (the
//! interference graph is chordal): at a block's entry the occupied cells are
//! those of its live-in values; parameters are assigned next; then, instruction
//! by instruction, operands at their last use release their cells *before* the
//! results are assigned (every op reads all operands before writing), and
//! results nobody reads are released at once (so a dead result of a call may
//! share a cell with a later result: results are written in order, the live
//! one last).
//!
//! Cells are reference-counted so a `Copy` plan (`uextend`, same-width
//! `bitcast`) can share its operand's cell. Coalescing hints remove most edge
//! moves: a parameter prefers the cell of an already-assigned incoming argument,
//! and a result passed as a branch argument prefers the cell of that parameter
//! (so `i' = iadd i, 1; jump loop(i')` reuses `i`'s cell when `i` dies there);
//! when that parameter is a join's, not assigned yet, the result prefers the
//! cell of the parameter the join passes it on to (a loop header's, through a
//! latch), then the cells of the other values passed to the join;
//! without a usable hint such a result avoids the cells of the parameters it is
//! passed with, so its move cannot close a cycle (`a, b = b, a + b` needs one
//! two-cell copy, not three copies through a temporary).
//! The entry block's parameters take cells `0..` in order, where callers write
//! arguments.

use cranelift_entity::{EntityRef, SecondaryMap};
use smallvec::SmallVec;
use zerowasm_ssa::analysis::cfg::ControlFlowGraph;
use zerowasm_ssa::analysis::domtree::DominatorTree;
use zerowasm_ssa::dfg::ValueDef;
use zerowasm_ssa::passes::for_each_dest;
use zerowasm_ssa::{Block, Function, Type, Value};

use super::Emitted;
use super::liveness::Liveness;
use super::select::{Plan, Selection};
use crate::error::TranslateError;

/// Cells needed by a value of `ty`.
pub(crate) fn width(ty: Type) -> u32 {
    if ty == Type::V128 { 2 } else { 1 }
}

/// The cell of every value that has one. One per thread is reused across
/// functions (with [`SlotScratch`]), so its tables keep their allocations.
#[derive(Default)]
pub(crate) struct SlotMap {
    /// First cell of the value, if it has one.
    pub cell: SecondaryMap<Value, Option<u32>>,
    /// Values written but never read (their writes may be dropped, e.g. edge moves).
    pub dead: SecondaryMap<Value, bool>,
    /// Frame size in cells.
    pub cells: u32,
    /// The working buffers of [`Self::compute`].
    scratch: SlotScratch,
}

/// Reference-counted cells with a free bitmap (bit set = free). Cells past
/// the end of `refs` are free.
#[derive(Default)]
struct Cells {
    refs: Vec<u32>,
    free: Vec<u64>,
    high: u32,
    /// Every cell retained since the last [`Self::reset`] (once each) by
    /// anything but a held dense value: the only ones whose count can differ
    /// from `dense_refs`, so a reset touches these, not the frame.
    touched: Vec<u32>,
    /// Per cell, the `epoch` in which it was last added to `touched`: a cell
    /// released and taken again within a block is listed once.
    touched_at: Vec<u32>,
    /// Counts resets (from 1: [`Self::start_function`] resets first).
    epoch: u32,
    /// The retains of each cell held by dense values (see `Liveness`) across
    /// resets. The dense values live into one block are mostly those live
    /// into the block before it, so each block retains and releases only the
    /// difference; retaining all of them again at every block was a fifth of
    /// slot assignment.
    dense_refs: Vec<u32>,
    /// Every cell [`Self::retain_dense`] retained in this function (with
    /// repeats), to clear `dense_refs` for the next one.
    dense_touched: Vec<u32>,
}

impl Cells {
    /// Frees every cell but those the held dense values retain.
    fn reset(&mut self) {
        for &c in &self.touched {
            let c = c as usize;
            if let (Some(r), Some(&d)) = (self.refs.get_mut(c), self.dense_refs.get(c)) {
                *r = d;
                if d == 0
                    && let Some(f) = self.free.get_mut(c / 64)
                {
                    *f |= 1u64 << (c % 64);
                }
            }
        }
        self.touched.clear();
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.touched_at.fill(0);
            self.epoch = 1;
        }
    }

    /// Frees every cell, dense values' too, and forgets the frame size, for
    /// the next function.
    fn start_function(&mut self) {
        for c in self.dense_touched.drain(..) {
            self.dense_refs[c as usize] = 0;
            self.refs[c as usize] = 0;
            self.free[c as usize / 64] |= 1u64 << (c % 64);
        }
        self.reset();
        self.high = 0;
    }

    #[cold]
    fn grow_to(&mut self, cells: usize) {
        if self.refs.len() < cells {
            let n = cells.next_multiple_of(64).max(64);
            self.refs.resize(n, 0);
            self.dense_refs.resize(n, 0);
            self.touched_at.resize(n, 0);
            self.free.resize(n / 64, u64::MAX);
        }
    }

    fn is_free(&self, cell: u32, w: u32) -> bool {
        (cell..cell + w).all(|c| self.refs.get(c as usize).is_none_or(|&r| r == 0))
    }

    #[inline(always)]
    fn retain(&mut self, cell: u32, w: u32) {
        if self.refs.len() <= (cell + w) as usize {
            self.grow_to((cell + w) as usize + 1);
        }
        for c in cell..cell + w {
            if self.touched_at[c as usize] != self.epoch {
                self.touched_at[c as usize] = self.epoch;
                self.touched.push(c);
            }
            self.refs[c as usize] += 1;
            self.free[c as usize / 64] &= !(1u64 << (c % 64));
        }
        self.high = self.high.max(cell + w);
    }

    /// [`Self::retain`] for a value live into the block: its cells were
    /// retained when it was defined in this function, so `refs` covers them
    /// and `high` is past them already.
    #[inline(always)]
    fn retain_live(&mut self, cell: u32, w: u32) {
        for c in cell..cell + w {
            let (Some(r), Some(t)) = (self.refs.get_mut(c as usize), self.touched_at.get_mut(c as usize))
            else {
                return self.retain(c, cell + w - c);
            };
            if *t != self.epoch {
                *t = self.epoch;
                self.touched.push(c);
            }
            *r += 1;
            self.free[c as usize / 64] &= !(1u64 << (c % 64));
        }
    }

    /// Retains the cells of a dense value that stays held across resets
    /// until [`Self::release_dense`].
    fn retain_dense(&mut self, cell: u32, w: u32) {
        if self.refs.len() <= (cell + w) as usize {
            self.grow_to((cell + w) as usize + 1);
        }
        for c in cell..cell + w {
            if self.dense_refs[c as usize] == 0 {
                self.dense_touched.push(c);
            }
            self.refs[c as usize] += 1;
            self.dense_refs[c as usize] += 1;
            self.free[c as usize / 64] &= !(1u64 << (c % 64));
        }
        self.high = self.high.max(cell + w);
    }

    /// Releases a dense value held by [`Self::retain_dense`].
    fn release_dense(&mut self, cell: u32, w: u32) {
        for c in cell..cell + w {
            if let (Some(r), Some(d)) = (self.refs.get_mut(c as usize), self.dense_refs.get_mut(c as usize))
                && *r > 0
                && *d > 0
            {
                *r -= 1;
                *d -= 1;
                if *r == 0 {
                    self.free[c as usize / 64] |= 1u64 << (c % 64);
                }
            }
        }
    }

    fn release(&mut self, cell: u32, w: u32) {
        for c in cell..cell + w {
            if let Some(r) = self.refs.get_mut(c as usize)
                && *r > 0
            {
                *r -= 1;
                if *r == 0 {
                    self.free[c as usize / 64] |= 1u64 << (c % 64);
                }
            }
        }
    }

    /// The lowest free cell (for `w == 2`, the lowest free even-aligned pair).
    fn lowest_free(&mut self, w: u32) -> u32 {
        for (i, &word) in self.free.iter().enumerate() {
            let m = if w == 2 { word & (word >> 1) & 0x5555_5555_5555_5555 } else { word };
            if m != 0 {
                return i as u32 * 64 + m.trailing_zeros();
            }
        }
        self.free.len() as u32 * 64
    }

    /// [`Self::alloc`] without hints or cells to avoid (most values).
    #[inline]
    fn alloc_lowest(&mut self, w: u32) -> u32 {
        let cell = self.lowest_free(w);
        self.retain(cell, w);
        cell
    }

    /// Takes the first free hint, else the lowest free cell(s) outside `avoid`.
    fn alloc(&mut self, w: u32, hints: &[u32], avoid: &[u32]) -> u32 {
        if let Some(cell) = hints.iter().copied().find(|&h| self.is_free(h, w)) {
            self.retain(cell, w);
            return cell;
        }
        let blocked: SmallVec<[u32; 8]> = avoid.iter().copied().filter(|&c| self.is_free(c, 1)).collect();
        let high = self.high;
        for &c in &blocked {
            self.retain(c, 1);
        }
        let cell = self.lowest_free(w);
        for &c in &blocked {
            self.release(c, 1);
        }
        self.high = high;
        self.retain(cell, w);
        cell
    }
}

/// Values grouped by a value key, each group in insertion order: a list per
/// key threaded through one flat array. Few values have an entry (only block
/// arguments and parameters), so this costs one fill of the heads instead of
/// offsets summed over every value.
#[derive(Default)]
struct Grouped {
    /// The first entry of each key's list, `u32::MAX` if none.
    head: Vec<u32>,
    /// (item, next entry of the same key) per entry.
    entries: Vec<(Value, u32)>,
}

impl Grouped {
    /// Groups the `(key, item)` pairs (keys below `n`) by key, stably,
    /// replacing the previous contents.
    fn fill(&mut self, n: usize, pairs: impl DoubleEndedIterator<Item = (Value, Value)>) {
        self.head.clear();
        self.head.resize(n, u32::MAX);
        self.entries.clear();
        // Prepending in reverse leaves each list in insertion order.
        for (k, v) in pairs.rev() {
            let head = &mut self.head[k.index()];
            self.entries.push((v, *head));
            *head = self.entries.len() as u32 - 1;
        }
    }

    /// True if `key` has items.
    #[inline]
    fn contains(&self, key: Value) -> bool {
        self.head.get(key.index()).is_some_and(|&h| h != u32::MAX)
    }

    /// The items of `key`, in insertion order.
    fn get(&self, key: Value) -> impl Iterator<Item = Value> + '_ {
        let mut at = self.head.get(key.index()).copied().unwrap_or(u32::MAX);
        std::iter::from_fn(move || {
            let &(v, next) = self.entries.get(at as usize)?;
            at = next;
            Some(v)
        })
    }
}

/// Empties `m` and gives it an entry for each of the first `n` keys, all
/// the map's default.
fn reset_sized<K: EntityRef, V: Clone>(m: &mut SecondaryMap<K, V>, n: usize) {
    m.clear();
    m.resize(n);
}

/// The working buffers of [`SlotMap::compute`], kept between functions.
#[derive(Default)]
struct SlotScratch {
    edges: Vec<(Value, Value)>,
    passed_to: Grouped,
    incoming: Grouped,
    cells: Cells,
    /// Per value: the block stamp of the block it is live out of (plain
    /// vectors sized to the function's values: read at every use).
    live_out: Vec<u32>,
    used: Vec<u32>,
    /// The block's last uses: (index among all emitted uses, value), decreasing.
    dying: Vec<(u32, Value)>,
    dense_out: Vec<u64>,
    dense_cells: Vec<(u32, u32)>,
    /// Bit `i`: dense value `i` is held (see [`Cells::retain_dense`]).
    held: Vec<u64>,
    stack: Vec<Block>,
}

impl SlotMap {
    /// Assigns cells to the values of `func` (replacing what `self` held).
    pub(crate) fn compute(
        &mut self,
        func: &Function,
        cfg: &ControlFlowGraph,
        domtree: &DominatorTree,
        sel: &Selection,
        live: &Liveness,
        emitted: &Emitted,
    ) -> Result<(), TranslateError> {
        let dfg = &func.dfg;
        let entry =
            func.entry_block().ok_or_else(|| TranslateError::invalid("function has no entry block"))?;
        let SlotScratch {
            edges,
            passed_to,
            incoming,
            cells,
            live_out,
            used,
            dying,
            dense_out,
            dense_cells,
            held,
            stack,
        } = &mut self.scratch;

        // Coalescing hints: which parameters each value is passed to, and back.
        let nv = dfg.num_values();
        edges.clear();
        for &block in cfg.rpo() {
            // Most branches pass nothing: skip decoding their terminators.
            if cfg.succs(block).iter().all(|&s| dfg.block_params(s).is_empty()) {
                continue;
            }
            let Some(term) = func.layout.last_inst(block) else { continue };
            for_each_dest(dfg, term, |dest| {
                let params = dfg.block_params(dest.block);
                for (&arg, &param) in dfg.block_call_args(dest).iter().zip(params) {
                    edges.push((arg, param));
                }
            });
        }
        passed_to.fill(nv, edges.iter().map(|&(a, p)| (a, p)));
        incoming.fill(nv, edges.iter().map(|&(a, p)| (p, a)));

        let (map_cell, map_dead) = (&mut self.cell, &mut self.dead);
        reset_sized(map_cell, nv);
        reset_sized(map_dead, nv);
        self.cells = 0;
        cells.start_function();
        live_out.clear();
        live_out.resize(nv, 0);
        used.clear();
        used.resize(nv, 0);
        // (cell, width) of each dense value (see `Liveness`), filled after the entry block.
        dense_cells.clear();
        held.clear();
        held.resize(live.dense_words(), 0);
        // Dominator-tree preorder, walked straight off the stack; `stamp`
        // numbers the reachable blocks from 1 (`live_out` and `used` start at 0).
        stack.clear();
        stack.push(entry);
        let mut stamp = 0u32;
        while let Some(block) = stack.pop() {
            for &child in domtree.children(block).iter().rev() {
                stack.push(child);
            }
            if !cfg.is_reachable(block) {
                continue;
            }
            stamp += 1;
            if block != entry && dense_cells.is_empty() {
                // The entry block is done: the cells of the values it defines are final.
                let cell_of = |v: Value| (map_cell[v].unwrap_or(u32::MAX), width(dfg.value_type(v)));
                dense_cells.extend(live.dense_values().iter().map(|&v| cell_of(v)));
            }
            let undefined =
                |v: Value| TranslateError::invalid(format!("{v} is live into {block} before its definition"));
            cells.reset();
            // Hold exactly the dense values live into the block: release those
            // held for the block before that are not, and retain the others.
            for (w, (h, &live_in)) in held.iter_mut().zip(live.dense_live_in(block)).enumerate() {
                let mut gone = *h & !live_in;
                while gone != 0 {
                    let i = w * 64 + gone.trailing_zeros() as usize;
                    gone &= gone - 1;
                    if let Some(&(c, width)) = dense_cells.get(i) {
                        cells.release_dense(c, width);
                    }
                }
                let mut new = live_in & !*h;
                while new != 0 {
                    let i = w * 64 + new.trailing_zeros() as usize;
                    new &= new - 1;
                    match dense_cells.get(i) {
                        Some(&(c, width)) if c != u32::MAX => cells.retain_dense(c, width),
                        _ => return Err(undefined(live.dense_values()[i])),
                    }
                }
                *h = live_in;
            }
            for &v in live.sparse_live_in(block) {
                let c = map_cell[v].ok_or_else(|| undefined(v))?;
                cells.retain_live(c, width(dfg.value_type(v)));
            }
            // Live out: the successors' live-in values (the dense ones as
            // bitsets: those of one or two successors read in place, else
            // their union in `dense_out`).
            let succs = cfg.succs(block);
            for &s in succs {
                for &v in live.sparse_live_in(s) {
                    live_out[v.index()] = stamp;
                }
            }
            let (out_a, out_b): (&[u64], &[u64]) = match *succs {
                [] => (&[], &[]),
                [s] => (live.dense_live_in(s), &[]),
                [s, t] => (live.dense_live_in(s), live.dense_live_in(t)),
                _ => {
                    dense_out.clear();
                    dense_out.resize(live.dense_words(), 0);
                    for &s in succs {
                        for (o, &w) in dense_out.iter_mut().zip(live.dense_live_in(s)) {
                            *o |= w;
                        }
                    }
                    (dense_out, &[])
                }
            };
            let is_live_out = |v: Value| match live.dense_index(v) {
                Some(i) => {
                    let word = |set: &[u64]| set.get(i / 64).copied().unwrap_or(0);
                    (word(out_a) | word(out_b)) & (1u64 << (i % 64)) != 0
                }
                None => live_out[v.index()] == stamp,
            };
            // Last uses, found backwards: (index among all emitted uses, value).
            // The block's uses are contiguous there, instruction `i`'s starting
            // at `starts[i]`; the forward walk below releases each at the
            // instruction whose uses contain that index (the release order
            // among one instruction's operands does not matter: no cell is
            // taken in between).
            dying.clear();
            let insts = emitted.block(block);
            let starts = emitted.block_use_starts(block);
            if let Some(&first) = starts.first() {
                for (u, &v) in emitted.block_uses(block).iter().enumerate().rev() {
                    if used[v.index()] != stamp {
                        if !is_live_out(v) {
                            dying.push((first + u as u32, v));
                        }
                        used[v.index()] = stamp;
                    }
                }
            }
            let is_dead = |v: Value| used[v.index()] != stamp && !is_live_out(v);

            let params = dfg.block_params(block);
            let mut next_param_cell = 0;
            for &p in params {
                let w = width(dfg.value_type(p));
                let cell = if block == entry {
                    let c = next_param_cell;
                    next_param_cell += w;
                    cells.retain(c, w);
                    c
                } else {
                    let hints: SmallVec<[u32; 2]> = incoming.get(p).filter_map(|a| map_cell[a]).collect();
                    cells.alloc(w, &hints, &[])
                };
                map_cell[p] = Some(cell);
            }
            for &p in params {
                if is_dead(p) {
                    map_dead[p] = true;
                    if let Some(c) = map_cell[p] {
                        cells.release(c, width(dfg.value_type(p)));
                    }
                }
            }

            for (pos, &inst) in insts.iter().enumerate() {
                let results = dfg.inst_results(inst);
                if let Plan::Copy(src) = sel.plans[inst] {
                    let (Some(&r), Some(c)) = (results.first(), map_cell[src]) else {
                        return Err(TranslateError::invalid(format!("{inst}: copy without a source cell")));
                    };
                    cells.retain(c, width(dfg.value_type(r)));
                    map_cell[r] = Some(c);
                }
                // `dying` is in decreasing use order: the next last uses are at its end.
                let uses_end = starts.get(pos + 1).copied().unwrap_or(0);
                while let Some(&(u, v)) = dying.last()
                    && u < uses_end
                {
                    dying.pop();
                    if let Some(c) = map_cell[v] {
                        let w = width(dfg.value_type(v));
                        match live.dense_index(v) {
                            Some(i) if held[i / 64] & (1u64 << (i % 64)) != 0 => {
                                held[i / 64] &= !(1u64 << (i % 64));
                                cells.release_dense(c, w);
                            }
                            _ => cells.release(c, w),
                        }
                    }
                }
                for &r in results {
                    if map_cell[r].is_none() && !passed_to.contains(r) {
                        map_cell[r] = Some(cells.alloc_lowest(width(dfg.value_type(r))));
                    } else if map_cell[r].is_none() {
                        // The cells of the parameters `r` is passed to; of a join not
                        // assigned yet, the cells of the parameters that join passes
                        // its own on to (a loop header's, through a latch), then
                        // those of the other values passed to it: the join's
                        // parameter takes an incoming value's cell, and if `r`
                        // shares it (the other value died here, as the operand of a
                        // `select` that picks between them does) no edge needs a move.
                        let mut hints: SmallVec<[u32; 4]> = SmallVec::new();
                        for p in passed_to.get(r) {
                            match map_cell[p] {
                                Some(c) => hints.push(c),
                                None => hints.extend(passed_to.get(p).filter_map(|q| map_cell[q])),
                            }
                        }
                        for p in passed_to.get(r) {
                            if map_cell[p].is_none() {
                                hints.extend(incoming.get(p).filter(|&a| a != r).filter_map(|a| map_cell[a]));
                            }
                        }
                        // Stay out of the cells of the other parameters `r` flows into:
                        // then `r`'s edge move cannot be part of a cycle.
                        let mut avoid: SmallVec<[u32; 8]> = SmallVec::new();
                        for p in passed_to.get(r) {
                            if let ValueDef::Param(b, _) = dfg.value_def(p) {
                                for &q in dfg.block_params(b) {
                                    if let Some(c) = map_cell[q] {
                                        avoid.extend(c..c + width(dfg.value_type(q)));
                                    }
                                }
                            }
                        }
                        map_cell[r] = Some(cells.alloc(width(dfg.value_type(r)), &hints, &avoid));
                    }
                    if is_dead(r) {
                        map_dead[r] = true;
                        if let Some(c) = map_cell[r] {
                            cells.release(c, width(dfg.value_type(r)));
                        }
                    }
                }
            }
        }
        self.cells = cells.high;
        if self.cells > u32::from(u16::MAX) {
            return Err(TranslateError::limit(format!(
                "{} frame cells needed, at most {} are addressable",
                self.cells,
                u16::MAX
            )));
        }
        Ok(())
    }
}
