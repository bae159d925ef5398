//! Liveness over the CFG, from the effective uses of the selected instructions.
//!
//! SSA liveness by path exploration: for each use of `v` in a block other than
//! the one defining it, walk predecessors upward, marking `v` live-in, until
//! reaching the defining block. A branch argument is a use in the branching
//! block; a block's parameters are defined at its entry, so they are never
//! live-in to it. The work is proportional to the size of the result, and the
//! sets are sparse lists, so large functions stay cheap.
//!
//! Values defined in the entry block (the VM context, memory pointers, the
//! constants hoisted out of loops) are the exception: they are live across
//! most of a large function, and were nine in ten of the live-in entries of a
//! large module. They get a bit each in a per-block bitset instead, filled by
//! a backward dataflow fixpoint (nothing kills them outside the entry block, so
//! a block's set is its own uses joined with its successors' sets), unless the
//! bitsets would be too large.

use cranelift_entity::EntityRef;
use zerowasm_ssa::analysis::cfg::ControlFlowGraph;
use zerowasm_ssa::{Block, Function, Value};

use super::Emitted;
use crate::error::TranslateError;

/// Live-in values of every reachable block: the values defined in the entry
/// block as bitsets over their dense numbers, the others as sorted lists.
/// One per thread is reused (with its working buffers) across functions.
#[derive(Default)]
pub(crate) struct Liveness {
    /// `values[start[b]..start[b + 1]]` are the values not defined in the entry
    /// block that are live on entry to block `b`, excluding its parameters, in
    /// increasing value order.
    start: Vec<u32>,
    values: Vec<Value>,
    /// The values with a dense number (defined in the entry block, used in
    /// another), by number.
    dense: Vec<Value>,
    /// The dense number of each value that has one, else `u32::MAX`.
    /// (A plain vector sized to the function's values: slot assignment reads
    /// it at every use.)
    dense_index: Vec<u32>,
    /// Words per block in `bits`.
    words: usize,
    /// Bit `i` of block `b`'s `words` words at `b * words`: `dense[i]` is live on entry to `b`.
    bits: Vec<u64>,
    /// Working buffers of [`Self::compute`], kept for the next function.
    /// (dense number, block using it).
    dense_uses: Vec<(u32, Block)>,
    /// Each value's first entry in `use_blocks`, `u32::MAX` if none.
    first: Vec<u32>,
    /// (block using the value, next entry of the same value).
    use_blocks: Vec<(Block, u32)>,
    /// Bit `v`: value `v` has a list in `first`.
    listed: Vec<u64>,
    found: Vec<(Block, Value)>,
    stamp: Vec<u32>,
    /// The edges of [`dense_fixpoint`].
    edges: Vec<(u32, u32)>,
    work: Vec<Block>,
}

impl Liveness {
    /// The values live on entry to `block` that are not defined in the entry
    /// block (or all of them if nothing is dense), in increasing value order.
    pub(crate) fn sparse_live_in(&self, block: Block) -> &[Value] {
        let i = block.index();
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The dense live-in bitset of `block` (bit `i`: the value of dense number `i`).
    pub(crate) fn dense_live_in(&self, block: Block) -> &[u64] {
        let at = block.index() * self.words;
        self.bits.get(at..at + self.words).unwrap_or(&[])
    }

    /// Words in each dense bitset.
    pub(crate) fn dense_words(&self) -> usize {
        self.words
    }

    /// The dense number of `v`, if it has one.
    #[inline]
    pub(crate) fn dense_index(&self, v: Value) -> Option<usize> {
        let i = self.dense_index.get(v.index()).copied().unwrap_or(u32::MAX);
        (i != u32::MAX).then_some(i as usize)
    }

    /// The values with a dense number, by number.
    pub(crate) fn dense_values(&self) -> &[Value] {
        &self.dense
    }
}

/// The most bitset words [`Liveness::compute`] allocates for the dense part
/// (1 MiB); beyond it every value is tracked in the sparse lists.
const MAX_DENSE_WORDS: usize = 1 << 17;

impl Liveness {
    /// Computes live-in sets for `func`, from the uses `emitted` lists, into `self` (whatever it
    /// held before is replaced; its allocations are reused).
    pub(crate) fn compute(
        &mut self,
        func: &Function,
        cfg: &ControlFlowGraph,
        emitted: &Emitted,
    ) -> Result<(), TranslateError> {
        let nv = func.dfg.num_values();
        let n = func.dfg.num_blocks();
        let entry = func.entry_block();
        // Marks below are value numbers plus one, under `u32::MAX`.
        if nv >= u32::MAX as usize - 1 {
            return Err(TranslateError::invalid("too many values"));
        }

        // One pass over the uses outside their defining block: the values
        // of the entry block get dense numbers (in order of first use) and
        // their uses become (number, block) pairs for the bits; the others go
        // straight into a list of use blocks per value (values are then
        // visited in increasing order; the order within a list does not
        // matter, each block is marked once per value). Few values are used
        // outside their block, so this is one fill of the heads, not offsets
        // summed over every value.
        let dense_index = &mut self.dense_index;
        dense_index.clear();
        dense_index.resize(nv, u32::MAX);
        let dense = &mut self.dense;
        dense.clear();
        let dense_uses = &mut self.dense_uses;
        dense_uses.clear();
        let (first, use_blocks) = (&mut self.first, &mut self.use_blocks);
        first.clear();
        first.resize(nv, u32::MAX);
        use_blocks.clear();
        // A bit per value with a list, to visit only those, in increasing order.
        let listed = &mut self.listed;
        listed.clear();
        listed.resize(nv.div_ceil(64), 0);
        let mut add_use = |v: Value, b: Block| {
            if let Some(head) = first.get_mut(v.index()) {
                use_blocks.push((b, *head));
                *head = use_blocks.len() as u32 - 1;
                listed[v.index() / 64] |= 1u64 << (v.index() % 64);
            }
        };
        for &block in cfg.rpo() {
            for &v in emitted.block_uses(block) {
                let def = emitted.def_block(v)?;
                if def == block {
                    continue;
                }
                match dense_index.get_mut(v.index()) {
                    Some(i) if Some(def) == entry => {
                        if *i == u32::MAX {
                            *i = dense.len() as u32;
                            dense.push(v);
                        }
                        dense_uses.push((*i, block));
                    }
                    _ => add_use(v, block),
                }
            }
        }

        let mut words = dense.len().div_ceil(64);
        if words.saturating_mul(n) > MAX_DENSE_WORDS {
            for &(i, b) in dense_uses.iter() {
                if let Some(&v) = dense.get(i as usize) {
                    add_use(v, b);
                }
            }
            dense.iter().for_each(|&v| dense_index[v.index()] = u32::MAX);
            dense.clear();
            words = 0;
        }
        self.words = words;
        let bits = &mut self.bits;
        bits.clear();
        bits.resize(words * n, 0);
        if words > 0 {
            for &(i, b) in dense_uses.iter() {
                if let Some(w) = bits.get_mut(b.index() * words + i as usize / 64) {
                    *w |= 1u64 << (i % 64);
                }
            }
            dense_fixpoint(cfg, entry, words, bits, &mut self.edges);
        }

        // (block, value) live-in pairs, grouped by value in increasing order.
        let found = &mut self.found;
        found.clear();
        // `stamp[b]`: the mark (value number plus one) of the last value
        // marked live-in at `b` (or defined there), `u32::MAX` if `b` is
        // unreachable. Values are visited in increasing order, so `b` is yet
        // to be visited for the current value exactly if its stamp is below
        // the current mark.
        let stamp = &mut self.stamp;
        stamp.clear();
        stamp.resize(n, u32::MAX);
        for &b in cfg.rpo() {
            if let Some(s) = stamp.get_mut(b.index()) {
                *s = 0;
            }
        }
        let work = &mut self.work;
        work.clear();
        let values = listed.iter().enumerate().flat_map(|(w, &word)| {
            let mut m = word;
            std::iter::from_fn(move || {
                let bit = m.trailing_zeros();
                m &= m.wrapping_sub(1);
                (bit < 64).then_some(w * 64 + bit as usize)
            })
        });
        for vi in values {
            let v = Value::new(vi);
            let def = emitted.def_block(v)?;
            let mark = vi as u32 + 1;
            if let Some(s) = stamp.get_mut(def.index()) {
                *s = mark;
            }
            // Marks `b` live-in (and queues its predecessors) unless already
            // marked, defining `v` or unreachable.
            let mut visit = |b: Block, work: &mut Vec<Block>| match stamp.get_mut(b.index()) {
                Some(s) if *s < mark => {
                    if Some(b) == entry {
                        return Err(TranslateError::invalid(format!(
                            "{v} is used where its definition does not dominate"
                        )));
                    }
                    *s = mark;
                    found.push((b, v));
                    work.push(b);
                    Ok(())
                }
                _ => Ok(()),
            };
            let mut at = first[vi];
            while let Some(&(b, next)) = use_blocks.get(at as usize) {
                visit(b, work)?;
                at = next;
            }
            while let Some(b) = work.pop() {
                for &(p, _) in cfg.preds(b) {
                    visit(p, work)?;
                }
            }
        }
        // By block (stable: each block's values stay in value order).
        group_by_key(n, found, Value::new(0), &mut self.start, &mut self.values);
        Ok(())
    }
}

/// Completes the dense bitsets, which hold each block's own uses on entry:
/// a block's set joins its successors' sets until nothing changes (edges in
/// postorder of their source, so most sets are final after the first
/// round). The entry block defines the dense values, so nothing flows into
/// or out of it. The edges that matter are listed once, in `edges` (as word
/// offsets of (block, successor)), so later rounds only scan that list.
fn dense_fixpoint(
    cfg: &ControlFlowGraph,
    entry: Option<Block>,
    words: usize,
    bits: &mut [u64],
    edges: &mut Vec<(u32, u32)>,
) {
    edges.clear();
    for &b in cfg.rpo().iter().rev() {
        if Some(b) == entry {
            continue;
        }
        for &s in cfg.succs(b) {
            if Some(s) != entry && s != b {
                edges.push(((b.index() * words) as u32, (s.index() * words) as u32));
            }
        }
    }
    let mut changed = true;
    while changed {
        changed = false;
        for &(at, from) in edges.iter() {
            let (at, from) = (at as usize, from as usize);
            for w in 0..words {
                let (Some(&x), Some(&y)) = (bits.get(from + w), bits.get(at + w)) else { break };
                if x & !y != 0 {
                    bits[at + w] = x | y;
                    changed = true;
                }
            }
        }
    }
}

/// Groups `items` by their key (an entity below `keys`) with a stable
/// counting sort into `start` (`keys + 1` offsets) and `out` (the payloads),
/// so that key `k`'s payloads are `out[start[k]..start[k + 1]]` in their
/// order in `items`. `fill` only initializes the output.
fn group_by_key<K: EntityRef, T: Copy>(
    keys: usize,
    items: &[(K, T)],
    fill: T,
    start: &mut Vec<u32>,
    out: &mut Vec<T>,
) {
    start.clear();
    start.resize(keys + 2, 0);
    for &(k, _) in items {
        start[k.index() + 2] += 1;
    }
    for i in 2..start.len() {
        start[i] += start[i - 1];
    }
    out.clear();
    out.resize(items.len(), fill);
    for &(k, t) in items {
        let slot = &mut start[k.index() + 1];
        out[*slot as usize] = t;
        *slot += 1;
    }
    start.pop();
}
