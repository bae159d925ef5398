//! Parallel moves: the copies of block arguments into block parameters happen
//! "at once" on an edge; this orders them into sequential cell copies.
//!
//! Moves work on single cells (a v128 is two cell moves), so every destination
//! is distinct and the move graph is a set of paths and cycles. Ready moves
//! (whose destination no pending move still reads) go first; when only cycles
//! remain, one destination is saved to the temporary cell and its readers are
//! redirected there, which makes that move ready.
//!
//! The encoder's side is here too: an edge's moves ([`EdgeMoves`]: the cell
//! copies, then the edge constants), built only for edges that pass
//! arguments, and their ops.

use smallvec::SmallVec;
use zerowasm_ssa::dfg::ValueDef;
use zerowasm_ssa::instructions::BlockCall;
use zerowasm_ssa::{Inst, Value};

use super::encode::Encoder;
use super::select::Plan;
use super::slots::width;
use crate::code::{Op, Slot};
use crate::error::TranslateError;

/// Cell copies `(dst, src)`; an edge rarely has more than a few, so they
/// stay inline (edges are encoded by the thousand).
pub(crate) type Moves = SmallVec<[(u16, u16); 8]>;

/// Orders the parallel copies `(dst, src)` (distinct destinations) into
/// sequential ones in `out`; `temp` gives the scratch cell when a cycle needs it.
pub(crate) fn sequentialize(moves: &[(u16, u16)], mut temp: impl FnMut() -> u16, out: &mut Moves) {
    let mut pending: Moves = moves.iter().copied().filter(|&(d, s)| d != s).collect();
    while !pending.is_empty() {
        if let Some(i) = pending.iter().position(|&(d, _)| !pending.iter().any(|&(_, s)| s == d)) {
            out.push(pending.remove(i));
            continue;
        }
        let saved = pending[0].0;
        let t = temp();
        out.push((t, saved));
        for m in &mut pending {
            if m.1 == saved {
                m.1 = t;
            }
        }
    }
}

/// The moves of one edge.
pub(super) struct EdgeMoves {
    /// Cell copies `(dst, src)`, in order.
    copies: Moves,
    /// Parameter cells and the [`Plan::EdgeConst`] constants written there, after the copies.
    consts: SmallVec<[(u16, Inst); 2]>,
}

impl EdgeMoves {
    pub(super) fn is_empty(&self) -> bool {
        self.copies.is_empty() && self.consts.is_empty()
    }
}

/// The edge moves of the encoder: block arguments into their parameters' cells.
impl<'a> Encoder<'a> {
    /// The instruction of `v` if it is a [`Plan::EdgeConst`] constant.
    pub(super) fn edge_const(&self, v: Value) -> Option<Inst> {
        match self.func.dfg.value_def(v) {
            ValueDef::Result(inst, _) if matches!(self.sel.plans[inst], Plan::EdgeConst) => Some(inst),
            _ => None,
        }
    }

    /// True if `dest` passes no arguments to a block without parameters:
    /// its moves are empty, and building them could not fail.
    #[inline]
    pub(super) fn passes_nothing(&self, dest: &BlockCall) -> bool {
        dest.args.is_empty() && self.func.dfg.block_params(dest.block).is_empty()
    }

    /// The arguments `dest` passes and the parameters they go to, which must
    /// be as many.
    fn edge_values(&self, dest: &BlockCall) -> Result<(&'a [Value], &'a [Value]), TranslateError> {
        let dfg = &self.func.dfg;
        let (args, params) = (dfg.block_call_args(dest), dfg.block_params(dest.block));
        if args.len() != params.len() {
            return Err(TranslateError::invalid(format!(
                "branch to {} passes the wrong number of arguments",
                dest.block
            )));
        }
        Ok((args, params))
    }

    /// True if taking `dest` needs no moves: [`Encoder::edge_moves`] would
    /// be empty (and it fails where that would), without building them.
    pub(super) fn edge_is_empty(&self, dest: &BlockCall) -> Result<bool, TranslateError> {
        if self.passes_nothing(dest) {
            return Ok(true);
        }
        let (args, params) = self.edge_values(dest)?;
        let mut empty = true;
        for (&a, &p) in args.iter().zip(params) {
            if self.slots.dead[p] {
                continue;
            }
            if self.edge_const(a).is_some() {
                self.cell(p)?;
                empty = false;
                continue;
            }
            // A v128's second cells follow its first, so equal first cells mean no copy.
            if self.cell(a)? != self.cell(p)? {
                empty = false;
            }
        }
        Ok(empty)
    }

    /// The moves for taking `dest`: sequential cell copies, then the edge
    /// constants written into their parameters' cells (after the copies,
    /// which may still read those cells).
    #[inline]
    pub(super) fn edge_moves(&mut self, dest: &BlockCall) -> Result<EdgeMoves, TranslateError> {
        // Most edges pass nothing (the slow path builds the same, empty, moves).
        if self.passes_nothing(dest) {
            return Ok(EdgeMoves { copies: Moves::new(), consts: SmallVec::new() });
        }
        self.edge_moves_slow(dest)
    }

    /// [`Encoder::edge_moves`] of an edge that passes arguments.
    #[inline(never)]
    fn edge_moves_slow(&mut self, dest: &BlockCall) -> Result<EdgeMoves, TranslateError> {
        let dfg = &self.func.dfg;
        let (args, params) = self.edge_values(dest)?;
        if let (&[a], &[p]) = (args, params)
            && width(dfg.value_type(p)) == 1
        {
            // One scalar: at most one copy, nothing to order.
            let mut moves = EdgeMoves { copies: Moves::new(), consts: SmallVec::new() };
            if !self.slots.dead[p] {
                if let Some(inst) = self.edge_const(a) {
                    moves.consts.push((self.cell(p)?, inst));
                } else {
                    let (ca, cp) = (self.cell(a)?, self.cell(p)?);
                    if ca != cp {
                        moves.copies.push((cp, ca));
                    }
                }
            }
            return Ok(moves);
        }
        let mut parallel = Moves::new();
        let mut consts = SmallVec::new();
        for (&a, &p) in args.iter().zip(params) {
            if self.slots.dead[p] {
                continue;
            }
            if let Some(inst) = self.edge_const(a) {
                consts.push((self.cell(p)?, inst));
                continue;
            }
            let (ca, cp) = (self.cell(a)?, self.cell(p)?);
            if ca == cp {
                // Already in place (both cells of a v128 too).
                continue;
            }
            for k in 0..width(dfg.value_type(p)) as u16 {
                parallel.push((cp + k, ca + k));
            }
        }
        if parallel.len() <= 1 {
            // Nothing to order (sequentialize would return it as it is).
            return Ok(EdgeMoves { copies: parallel, consts });
        }
        // `u16::MAX` is never an assigned cell (frames have at most 65535 cells).
        let mut out = Moves::new();
        let mut used_temp = false;
        sequentialize(
            &parallel,
            || {
                used_temp = true;
                u16::MAX
            },
            &mut out,
        );
        if used_temp {
            let t = self.temp();
            for m in &mut out {
                if m.0 == u16::MAX {
                    m.0 = t;
                }
                if m.1 == u16::MAX {
                    m.1 = t;
                }
            }
        }
        Ok(EdgeMoves { copies: out, consts })
    }

    /// Pushes the ops of `moves`: copies two at a time, then the constants.
    pub(super) fn emit_moves(&mut self, moves: &EdgeMoves) -> Result<(), TranslateError> {
        for pair in moves.copies.chunks(2) {
            match *pair {
                [(d, s), (d2, s2)] => {
                    self.push(Op::Copy2 { dst: Slot(d), dst2: Slot(d2), src: Slot(s), src2: Slot(s2) })
                }
                [(d, s)] => self.push(Op::Copy { dst: Slot(d), src: Slot(s) }),
                _ => {}
            }
        }
        for &(cell, inst) in &moves.consts {
            let op = self.const_op(Slot(cell), inst)?;
            self.push(op);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the sequential moves on cells initialised to their own index.
    fn run(moves: &[(u16, u16)]) -> Vec<u16> {
        let mut out = Moves::new();
        sequentialize(moves, || 99, &mut out);
        let mut cells: Vec<u16> = (0..100).collect();
        for (d, s) in out {
            cells[d as usize] = cells[s as usize];
        }
        cells
    }

    #[test]
    fn swaps_and_rotations_keep_every_value() {
        let c = run(&[(0, 1), (1, 0)]);
        assert_eq!((c[0], c[1]), (1, 0));
        let c = run(&[(0, 1), (1, 2), (2, 0), (5, 0)]);
        assert_eq!((c[0], c[1], c[2], c[5]), (1, 2, 0, 0));
        let c = run(&[(3, 3), (4, 3), (6, 7), (7, 6), (8, 9), (9, 8)]);
        assert_eq!((c[3], c[4], c[6], c[7], c[8], c[9]), (3, 3, 7, 6, 9, 8));
    }

    #[test]
    fn chains_need_no_temporary() {
        let mut out = Moves::new();
        sequentialize(&[(0, 1), (1, 2), (2, 3)], || panic!("no cycle"), &mut out);
        assert_eq!(out.as_slice(), &[(0, 1), (1, 2), (2, 3)]);
    }
}
