//! Structured control flow: `block`, `loop`, `if`/`else`, `end`, branches,
//! `return` and `unreachable`.
//!
//! Each open Wasm block is a [`Frame`]. A branch to a `loop` goes to its
//! header, which takes the loop's parameters as explicit block parameters; a
//! branch to any other block goes to its continuation, created on the first
//! branch, which takes the block's results. A block that nothing branches to
//! needs no continuation: its code simply falls through. The function's own
//! label is a `return`; conditional branches to it go through a shared block
//! that returns its parameters.
//!
//! Blocks are sealed as soon as their predecessors are all known: `if` arms
//! and `br_if` fall-throughs at once, continuations at their `end`, loop
//! headers when the loop's `end` is reached.

use zerowasm_ssa::{Block, TrapCode};

use super::{Lowerer, Result, ir_type};
use crate::operator::BrTable;
use crate::types::{BlockType, ValType};

/// What kind of construct opened a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FrameKind {
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// An open Wasm block.
#[derive(Clone, Copy, Debug)]
pub(super) struct Frame {
    kind: FrameKind,
    ty: BlockType,
    /// Operand stack height below the block's parameters.
    pub(super) height: usize,
    /// Where branches to this label go: the loop header, or the continuation
    /// (created on the first branch). Unused for the function.
    target: Option<Block>,
    /// The `else` arm of an `if` whose `else` has not been seen yet.
    else_block: Option<Block>,
    /// Start of this `if`'s parameters in `State::saved`.
    saved: usize,
}

impl Frame {
    /// The function body's frame.
    pub(super) fn function(ty: BlockType) -> Frame {
        Frame { kind: FrameKind::Function, ty, height: 0, target: None, else_block: None, saved: 0 }
    }
}

impl<'m> Lowerer<'m, '_> {
    fn push_frame(&mut self, kind: FrameKind, ty: BlockType, height: usize, target: Option<Block>) {
        let saved = self.st.saved.len();
        self.st.frames.push(Frame { kind, ty, height, target, else_block: None, saved });
    }

    /// Index into the control stack of the frame `depth` labels out.
    fn label(&self, depth: u32) -> Result<usize> {
        self.st
            .frames
            .len()
            .checked_sub(1)
            .and_then(|top| top.checked_sub(depth as usize))
            .ok_or_else(|| self.invalid(format!("unknown label {depth}")))
    }

    /// The types a branch to frame `index` carries.
    fn label_types(&self, index: usize) -> Result<&'m [ValType]> {
        let frame = self.st.frames[index];
        let (params, results) = self.block_types(frame.ty)?;
        Ok(if frame.kind == FrameKind::Loop { params } else { results })
    }

    /// The block a branch to frame `index` jumps to, created on first use.
    fn label_target(&mut self, index: usize) -> Result<Block> {
        let frame = self.st.frames[index];
        if frame.kind == FrameKind::Function {
            return Ok(self.return_block());
        }
        if let Some(block) = frame.target {
            return Ok(block);
        }
        let (_, results) = self.block_types(frame.ty)?;
        let block = self.new_block();
        for &t in results {
            self.b.append_block_param(block, ir_type(t));
        }
        self.st.frames[index].target = Some(block);
        Ok(block)
    }

    /// The out-of-line block that returns its parameters (placed by `finish`).
    fn return_block(&mut self) -> Block {
        if let Some(block) = self.ret_block {
            return block;
        }
        let block = self.new_block();
        for &t in self.results {
            self.b.append_block_param(block, ir_type(t));
        }
        self.ret_block = Some(block);
        block
    }

    /// Continues in a fresh block that only the branch just emitted reaches.
    fn continue_in(&mut self, block: Block) {
        self.switch_to(block, true);
        self.start_region();
    }

    pub(super) fn block(&mut self, bt: BlockType) -> Result<()> {
        let (params, _) = self.block_types(bt)?;
        let height = self.height_below(params.len())?;
        self.push_frame(FrameKind::Block, bt, height, None);
        Ok(())
    }

    pub(super) fn loop_(&mut self, bt: BlockType) -> Result<()> {
        let (params, _) = self.block_types(bt)?;
        let height = self.height_below(params.len())?;
        let header = self.new_block();
        for &t in params {
            self.b.append_block_param(header, ir_type(t));
        }
        self.b.jump(header, &self.st.stack[height..]);
        self.st.stack.truncate(height);
        // The header stays unsealed until the loop's `end`: back edges are
        // still to come. The body is structured (entered only through the
        // header, emitted into fresh blocks), as the builder's loop header
        // sealing needs.
        self.b.func.layout.append_block(header);
        self.b.switch_to_loop_header(header);
        self.reachable = true;
        let n = params.len();
        self.st.stack.extend_from_slice(&self.b.func.dfg.block_params(header)[..n]);
        self.push_frame(FrameKind::Loop, bt, height, Some(header));
        if self.config.interrupt_checks {
            self.interrupt_check();
        }
        self.start_region();
        Ok(())
    }

    pub(super) fn if_(&mut self, bt: BlockType) -> Result<()> {
        let cond = self.pop()?;
        let (params, _) = self.block_types(bt)?;
        let height = self.height_below(params.len())?;
        let then_block = self.new_block();
        let else_block = self.new_block();
        self.b.brif(cond, then_block, &[], else_block, &[]);
        // The arms are dominated by the `if`, so both read its parameters directly.
        let saved = self.st.saved.len();
        self.st.saved.extend_from_slice(&self.st.stack[height..]);
        let else_block = Some(else_block);
        self.st.frames.push(Frame { kind: FrameKind::If, ty: bt, height, target: None, else_block, saved });
        self.continue_in(then_block);
        Ok(())
    }

    pub(super) fn else_(&mut self) -> Result<()> {
        let index = self.label(0)?;
        let frame = self.st.frames[index];
        let Some(else_block) = frame.else_block.filter(|_| frame.kind == FrameKind::If) else {
            return Err(self.invalid("else without a matching if"));
        };
        if self.reachable {
            let (_, results) = self.block_types(frame.ty)?;
            let start = self.height_below(results.len())?;
            let cont = self.label_target(index)?;
            self.b.jump(cont, &self.st.stack[start..]);
        }
        self.st.stack.truncate(frame.height);
        self.st.stack.extend_from_slice(&self.st.saved[frame.saved..]);
        let top = &mut self.st.frames[index];
        top.kind = FrameKind::Else;
        top.else_block = None;
        self.continue_in(else_block);
        Ok(())
    }

    pub(super) fn end(&mut self) -> Result<()> {
        let index = self.label(0)?;
        let frame = self.st.frames[index];
        match frame.kind {
            FrameKind::Function => {
                if self.reachable {
                    let start = self.height_below(self.results.len())?;
                    self.return_from(start);
                }
                self.st.frames.pop();
                return Ok(());
            }
            FrameKind::Loop => {
                // Only falling through reaches the code after a loop: no merge.
                if let Some(header) = frame.target {
                    self.b.seal_block(header);
                }
                self.st.frames.pop();
                return Ok(());
            }
            FrameKind::Block | FrameKind::If | FrameKind::Else => {}
        }
        if frame.target.is_none() && frame.else_block.is_none() {
            // Nothing branches here: the results (if any) are already on the stack.
            self.st.frames.pop();
            return Ok(());
        }
        let cont = self.label_target(index)?;
        if self.reachable {
            let (_, results) = self.block_types(frame.ty)?;
            let start = self.height_below(results.len())?;
            self.b.jump(cont, &self.st.stack[start..]);
        }
        self.st.stack.truncate(frame.height);
        if let Some(else_block) = frame.else_block {
            // `if` without `else`: the implicit else arm passes the parameters on as results.
            self.switch_to(else_block, true);
            self.b.jump(cont, &self.st.saved[frame.saved..]);
        }
        self.st.saved.truncate(frame.saved);
        self.st.frames.pop();
        self.switch_to(cont, true);
        self.start_region();
        let n = self.block_types(frame.ty)?.1.len();
        self.st.stack.extend_from_slice(&self.b.func.dfg.block_params(cont)[..n]);
        Ok(())
    }

    pub(super) fn br(&mut self, depth: u32) -> Result<()> {
        let index = self.label(depth)?;
        let start = self.height_below(self.label_types(index)?.len())?;
        if self.st.frames[index].kind == FrameKind::Function {
            self.return_from(start);
        } else {
            let target = self.label_target(index)?;
            self.b.jump(target, &self.st.stack[start..]);
        }
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn br_if(&mut self, depth: u32) -> Result<()> {
        let cond = self.pop()?;
        let index = self.label(depth)?;
        let start = self.height_below(self.label_types(index)?.len())?;
        let target = self.label_target(index)?;
        let next = self.new_block();
        self.b.brif(cond, target, &self.st.stack[start..], next, &[]);
        self.continue_in(next);
        Ok(())
    }

    pub(super) fn br_table(&mut self, table: &BrTable<'_>) -> Result<()> {
        let index = self.pop()?;
        let default = self.label(table.default())?;
        let start = self.height_below(self.label_types(default)?.len())?;
        let mut targets = std::mem::take(&mut self.st.blocks);
        targets.clear();
        for depth in table.targets() {
            let label = self.label(depth)?;
            targets.push(self.label_target(label)?);
        }
        let default = self.label_target(default)?;
        if targets.is_empty() {
            self.b.jump(default, &self.st.stack[start..]);
        } else {
            self.b.br_table(index, default, &targets, &self.st.stack[start..]);
        }
        self.st.blocks = targets;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn return_(&mut self) -> Result<()> {
        let start = self.height_below(self.results.len())?;
        self.return_from(start);
        self.set_unreachable();
        Ok(())
    }

    /// `unreachable`.
    pub(super) fn unreachable(&mut self) {
        self.b.trap(TrapCode::Unreachable);
        self.set_unreachable();
    }
}
