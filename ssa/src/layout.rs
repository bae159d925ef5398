//! `Layout`: the order of blocks in a function and of instructions in a block,
//! as doubly linked lists in secondary maps. Moving or deleting code touches
//! only links, never the DFG.

use cranelift_entity::SecondaryMap;
use cranelift_entity::packed_option::PackedOption;

use crate::entities::{Block, Inst};

#[derive(Clone, Copy, Default, Debug)]
struct BlockNode {
    prev: PackedOption<Block>,
    next: PackedOption<Block>,
    first_inst: PackedOption<Inst>,
    last_inst: PackedOption<Inst>,
    inserted: bool,
}

#[derive(Clone, Copy, Default, Debug)]
struct InstNode {
    block: PackedOption<Block>,
    prev: PackedOption<Inst>,
    next: PackedOption<Inst>,
}

/// Block and instruction order.
#[derive(Clone, Default)]
pub struct Layout {
    blocks: SecondaryMap<Block, BlockNode>,
    insts: SecondaryMap<Inst, InstNode>,
    first_block: PackedOption<Block>,
    last_block: PackedOption<Block>,
}

impl Layout {
    /// Makes room for about `insts` instructions in an empty layout.
    pub fn reserve(&mut self, insts: usize) {
        if self.insts.is_empty() && self.insts.capacity() < insts {
            self.insts = SecondaryMap::with_capacity(insts);
        }
    }

    /// Empties the layout but keeps its allocations (for reuse by the next function).
    pub fn clear(&mut self) {
        self.blocks.clear();
        self.insts.clear();
        self.first_block = None.into();
        self.last_block = None.into();
    }

    /// The entry block (the first in layout order).
    pub fn entry_block(&self) -> Option<Block> {
        self.first_block.expand()
    }

    /// True if `block` is in the layout.
    pub fn is_block_inserted(&self, block: Block) -> bool {
        self.blocks[block].inserted
    }

    /// Appends `block` at the end of the function.
    pub fn append_block(&mut self, block: Block) {
        debug_assert!(!self.is_block_inserted(block));
        let node = &mut self.blocks[block];
        node.inserted = true;
        node.prev = self.last_block;
        node.next = None.into();
        match self.last_block.expand() {
            Some(last) => self.blocks[last].next = block.into(),
            None => self.first_block = block.into(),
        }
        self.last_block = block.into();
    }

    /// Removes an empty or emptied `block` from the layout (its instructions stay listed under it).
    pub fn remove_block(&mut self, block: Block) {
        let node = self.blocks[block];
        debug_assert!(node.inserted);
        match node.prev.expand() {
            Some(p) => self.blocks[p].next = node.next,
            None => self.first_block = node.next,
        }
        match node.next.expand() {
            Some(n) => self.blocks[n].prev = node.prev,
            None => self.last_block = node.prev,
        }
        self.blocks[block] = BlockNode::default();
    }

    /// Blocks in layout order.
    pub fn blocks(&self) -> impl Iterator<Item = Block> + '_ {
        let mut next = self.first_block.expand();
        std::iter::from_fn(move || {
            let b = next?;
            next = self.blocks[b].next.expand();
            Some(b)
        })
    }

    /// The block after `block`.
    pub fn next_block(&self, block: Block) -> Option<Block> {
        self.blocks[block].next.expand()
    }

    /// Appends `inst` at the end of `block`.
    #[inline]
    pub fn append_inst(&mut self, inst: Inst, block: Block) {
        debug_assert!(self.insts[inst].block.is_none(), "instruction already placed");
        crate::dfg::grow_to_hold(&mut self.insts, inst);
        // One look at the block node for both of its links.
        let node = &mut self.blocks[block];
        let last = node.last_inst;
        node.last_inst = inst.into();
        if last.is_none() {
            node.first_inst = inst.into();
        }
        self.insts[inst] = InstNode { block: block.into(), prev: last, next: None.into() };
        if let Some(l) = last.expand() {
            self.insts[l].next = inst.into();
        }
    }

    /// Inserts `inst` right before `before`.
    pub fn insert_inst_before(&mut self, inst: Inst, before: Inst) {
        let node = self.insts[before];
        let block = node.block.expand().expect("`before` is placed");
        self.insts[inst] = InstNode { block: block.into(), prev: node.prev, next: before.into() };
        match node.prev.expand() {
            Some(p) => self.insts[p].next = inst.into(),
            None => self.blocks[block].first_inst = inst.into(),
        }
        self.insts[before].prev = inst.into();
    }

    /// Removes `inst` from its block.
    pub fn remove_inst(&mut self, inst: Inst) {
        let node = self.insts[inst];
        let Some(block) = node.block.expand() else { return };
        match node.prev.expand() {
            Some(p) => self.insts[p].next = node.next,
            None => self.blocks[block].first_inst = node.next,
        }
        match node.next.expand() {
            Some(n) => self.insts[n].prev = node.prev,
            None => self.blocks[block].last_inst = node.prev,
        }
        self.insts[inst] = InstNode::default();
    }

    /// The block containing `inst`, if placed.
    pub fn inst_block(&self, inst: Inst) -> Option<Block> {
        self.insts[inst].block.expand()
    }

    /// Instructions of `block` in order.
    pub fn block_insts(&self, block: Block) -> impl Iterator<Item = Inst> + '_ {
        let mut next = self.blocks[block].first_inst.expand();
        std::iter::from_fn(move || {
            let i = next?;
            next = self.insts[i].next.expand();
            Some(i)
        })
    }

    /// The first instruction of `block`.
    pub fn first_inst(&self, block: Block) -> Option<Inst> {
        self.blocks[block].first_inst.expand()
    }

    /// The last instruction of `block` (its terminator once the block is complete).
    pub fn last_inst(&self, block: Block) -> Option<Inst> {
        self.blocks[block].last_inst.expand()
    }

    /// The instruction after `inst` in its block.
    pub fn next_inst(&self, inst: Inst) -> Option<Inst> {
        self.insts[inst].next.expand()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_entity::EntityRef;

    #[test]
    fn insert_and_remove_keep_links_consistent() {
        let mut l = Layout::default();
        let (b0, b1, b2) = (Block::new(0), Block::new(1), Block::new(2));
        l.append_block(b0);
        l.append_block(b1);
        l.append_block(b2);
        l.remove_block(b1);
        assert_eq!(l.blocks().collect::<Vec<_>>(), vec![b0, b2]);
        let (i0, i1, i2) = (Inst::new(0), Inst::new(1), Inst::new(2));
        l.append_inst(i0, b0);
        l.append_inst(i2, b0);
        l.insert_inst_before(i1, i2);
        assert_eq!(l.block_insts(b0).collect::<Vec<_>>(), vec![i0, i1, i2]);
        l.remove_inst(i0);
        assert_eq!(l.first_inst(b0), Some(i1));
        l.remove_inst(i2);
        assert_eq!(l.last_inst(b0), Some(i1));
        assert_eq!(l.inst_block(i1), Some(b0));
        assert_eq!(l.inst_block(i2), None);
    }
}
