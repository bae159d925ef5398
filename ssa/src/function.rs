//! `Function`: a DFG, a layout, a signature, and optional source offsets.

use cranelift_entity::SecondaryMap;

use crate::dfg::DataFlowGraph;
use crate::entities::{Block, Inst};
use crate::instructions::Signature;

/// A byte offset in the source module, for trap locations and listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceLoc(pub u32);

impl SourceLoc {
    /// No source location.
    pub const NONE: SourceLoc = SourceLoc(u32::MAX);

    /// True unless this is [`SourceLoc::NONE`].
    pub fn is_some(self) -> bool {
        self != Self::NONE
    }
}

impl Default for SourceLoc {
    fn default() -> Self {
        Self::NONE
    }
}

/// One function of IR.
#[derive(Clone, Default)]
pub struct Function {
    /// Name for listings.
    pub name: String,
    /// Parameter and result types; the entry block's parameters match `params`.
    pub signature: Signature,
    /// Instructions, values, blocks.
    pub dfg: DataFlowGraph,
    /// Order of blocks and instructions.
    pub layout: Layout,
    /// Source offset of each instruction (optional).
    pub srclocs: SecondaryMap<Inst, SourceLoc>,
}

use crate::layout::Layout;

impl Function {
    /// An empty function.
    pub fn new(name: impl Into<String>, signature: Signature) -> Self {
        Function { name: name.into(), signature, ..Default::default() }
    }

    /// Makes room for about `insts` instructions (and as many values) in an
    /// empty function, so building it does not grow its tables step by step.
    pub fn reserve(&mut self, insts: usize) {
        self.dfg.reserve(insts);
        self.layout.reserve(insts);
        if self.srclocs.is_empty() && self.srclocs.capacity() < insts {
            self.srclocs = SecondaryMap::with_capacity(insts);
        }
    }

    /// Empties the function but keeps its allocations: building the next
    /// function into a recycled one skips growing its tables step by step.
    pub fn clear(&mut self) {
        self.name.clear();
        self.signature.params.clear();
        self.signature.results.clear();
        self.dfg.clear();
        self.layout.clear();
        self.srclocs.clear();
    }

    /// The entry block.
    pub fn entry_block(&self) -> Option<Block> {
        self.layout.entry_block()
    }

    /// Instructions in layout order, block by block.
    pub fn insts(&self) -> impl Iterator<Item = Inst> + '_ {
        self.layout.blocks().flat_map(move |b| self.layout.block_insts(b))
    }
}
