//! Variable lookup of the SSA construction: the task-stack walk over
//! predecessors, and the completion or removal of the parameters it makes.

use super::{FunctionBuilder, Task, Variable, append_branch_args};
use crate::dfg::ValueDef;
use crate::entities::{Block, Value};
use crate::instructions::InstData;
use crate::types::Type;

impl FunctionBuilder<'_> {
    /// Runs the lookup tasks on the stack for `var` until none is left, and
    /// returns the value the bottom one produced.
    pub(super) fn run(&mut self, var: Variable) -> Value {
        let ty = self.var_type(var);
        while let Some(task) = self.ctx.tasks.pop() {
            match task {
                Task::Use(block) => {
                    // Walk back through single-predecessor blocks (most steps of
                    // most lookups) in a tight loop, remembering them in `chain`.
                    let chain_start = self.ctx.chain.len();
                    let block = match self.walk_chain(block, var) {
                        Ok(v) => {
                            self.memoize_chain(chain_start, var, v);
                            self.ctx.results.push(v);
                            continue;
                        }
                        Err(stop) => stop,
                    };
                    if self.ctx.chain.len() > chain_start {
                        self.ctx.tasks.push(Task::Memoize(chain_start as u32));
                    }
                    let state = &self.ctx.blocks[block];
                    if !state.sealed {
                        let param = self.func.dfg.append_block_param(block, ty);
                        self.ctx.state_mut(block).incomplete.push((var, param));
                        self.ctx.defs.set(block, var, param);
                        self.ctx.results.push(param);
                    } else if !state.preds.is_empty() && !state.back_edge {
                        // A merge no cycle passes through: look at the predecessors
                        // first, so agreeing ones (most merges, for most variables)
                        // cost no parameter to create, alias and remove again.
                        self.ctx.tasks.push(Task::Join(block));
                        for p in state.preds.iter().rev() {
                            self.ctx.tasks.push(Task::Use(p.block));
                        }
                    } else {
                        // Zero predecessors (unreachable) or a loop header: a parameter,
                        // defined before looking at predecessors to break cycles.
                        let param = self.func.dfg.append_block_param(block, ty);
                        self.ctx.defs.set(block, var, param);
                        self.ctx.tasks.push(Task::Finish(block, param));
                        for p in self.ctx.blocks[block].preds.iter().rev() {
                            self.ctx.tasks.push(Task::Use(p.block));
                        }
                    }
                }
                Task::Memoize(start) => {
                    let v = *self.ctx.results.last().expect("a value for the predecessor");
                    self.memoize_chain(start as usize, var, v);
                }
                Task::Finish(block, param) => {
                    let v = self.finish_param(block, param, var);
                    self.ctx.results.push(v);
                }
                Task::Join(block) => {
                    let v = self.join(block, var, ty);
                    self.ctx.results.push(v);
                }
            }
        }
        self.ctx.results.pop().expect("the lookup produced a value")
    }

    /// Walks back from `block` through single-predecessor blocks until one
    /// has a definition of `var`, pushing every block passed on `chain`:
    /// that definition, or the block where the walk stopped (a merge, a
    /// loop header or an unsealed block), whose lookup is the general one.
    #[inline]
    pub(super) fn walk_chain(&mut self, mut block: Block, var: Variable) -> Result<Value, Block> {
        loop {
            if let Some(v) = self.ctx.defs.get(block, var) {
                return Ok(v);
            }
            match self.ctx.blocks[block].single_pred.expand() {
                Some(pred) => {
                    self.ctx.chain.push(block);
                    block = pred;
                }
                None => return Err(block),
            }
        }
    }

    /// Records `v` as `var`'s value at the end of every block in
    /// `chain[start..]`, nearest to the definition first, and drops them.
    #[inline]
    pub(super) fn memoize_chain(&mut self, start: usize, var: Variable, v: Value) {
        for i in (start..self.ctx.chain.len()).rev() {
            let block = self.ctx.chain[i];
            self.ctx.defs.set(block, var, v);
        }
        self.ctx.chain.truncate(start);
    }

    /// Completes `param` of `block` with one value per predecessor (on
    /// `results`), or removes it when every predecessor passes the same value.
    fn finish_param(&mut self, block: Block, param: Value, var: Variable) -> Value {
        let preds = &self.ctx.blocks[block].preds;
        let start = self.ctx.results.len() - preds.len();
        let incoming = &self.ctx.results[start..];
        let dfg = &self.func.dfg;
        let mut same = None;
        let mut trivial = true;
        for &v in incoming {
            let v = dfg.resolve_aliases(v);
            if v == param || Some(v) == same {
                continue;
            }
            if same.is_some() {
                trivial = false;
                break;
            }
            same = Some(v);
        }
        if trivial && let Some(same) = same {
            self.ctx.results.truncate(start);
            self.remove_copy_param(block, param, var, same);
            return same;
        }
        append_branch_args(&mut self.func.dfg, block, preds, incoming);
        self.ctx.results.truncate(start);
        param
    }

    /// Removes `param` of `block`, a copy of `same` on every incoming edge,
    /// making it an alias of `same`. Parameters are completed in creation
    /// order, so the ones before it already have their branch arguments and
    /// the ones after it have none yet: removing it keeps arguments and
    /// parameters aligned.
    fn remove_copy_param(&mut self, block: Block, param: Value, var: Variable, same: Value) {
        if let Some(index) = self.func.dfg.block_params(block).iter().position(|&p| p == param) {
            self.func.dfg.remove_block_param(block, index);
        }
        self.func.dfg.change_to_alias(param, same);
        // Only if the block did not assign the variable after reading it.
        if self.ctx.defs.get(block, var) == Some(param) {
            self.ctx.defs.set(block, var, same);
        }
    }

    /// Seals `param` of loop header `block` for `var`, which the loop does
    /// not assign (see [`Self::switch_to_loop_header`]): every back edge
    /// passes the parameter itself, so it is a copy of the value on the
    /// entry edge. Looks that value up (as the general path would first) and
    /// removes the parameter, unless the value is a constant: a later
    /// lookup through the body could then find the constant where the
    /// general path, having memoized the parameter along the back edges,
    /// finds the parameter, and folding would differ. Returns false to have
    /// the general path seal it.
    pub(super) fn settle_from_entry(&mut self, block: Block, param: Value, var: Variable) -> bool {
        let entry = self.ctx.blocks[block].preds[0].block;
        self.ctx.tasks.push(Task::Use(entry));
        let v = self.run(var);
        let same = self.func.dfg.resolve_aliases(v);
        if same == param || self.is_constant(same) {
            return false;
        }
        self.remove_copy_param(block, param, var, same);
        true
    }

    /// Whether `v` is the result of a constant instruction (what folding
    /// looks at).
    fn is_constant(&self, v: Value) -> bool {
        let dfg = &self.func.dfg;
        match dfg.value_def(v) {
            ValueDef::Result(inst, _) => matches!(
                dfg.inst(inst),
                InstData::Iconst { .. }
                    | InstData::F32const { .. }
                    | InstData::F64const { .. }
                    | InstData::Vconst { .. }
            ),
            _ => false,
        }
    }

    /// Completes a [`Task::Join`]: `block`'s value of `var` from one value per
    /// predecessor (on `results`).
    fn join(&mut self, block: Block, var: Variable, ty: Type) -> Value {
        let preds = &self.ctx.blocks[block].preds;
        let start = self.ctx.results.len() - preds.len();
        // A cycle through a loop header can look `block` up again while its
        // predecessors are looked up; the value found then stands.
        if let Some(v) = self.ctx.defs.get(block, var) {
            self.ctx.results.truncate(start);
            return v;
        }
        let dfg = &self.func.dfg;
        let first = dfg.resolve_aliases(self.ctx.results[start]);
        if self.ctx.results[start + 1..].iter().all(|&v| dfg.resolve_aliases(v) == first) {
            self.ctx.results.truncate(start);
            self.ctx.defs.set(block, var, first);
            return first;
        }
        // The block is sealed and its parameters so far are complete, so the new
        // one's arguments go last on every incoming edge, in line with it.
        let param = self.func.dfg.append_block_param(block, ty);
        append_branch_args(
            &mut self.func.dfg,
            block,
            &self.ctx.blocks[block].preds,
            &self.ctx.results[start..],
        );
        self.ctx.results.truncate(start);
        self.ctx.defs.set(block, var, param);
        param
    }
}
