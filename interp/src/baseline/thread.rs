//! Jump threading over the baseline translator's finished code.
//!
//! One pass cannot know where a forward `jump` lands: a `switch` case's
//! `break` jumps to the loop's latch, a compare-and-branch back to the loop
//! head, and the pass has emitted the jump before it reaches the latch. Once
//! the code is complete (targets are still label numbers), each plain jump
//! is looked at once more:
//! - a jump to a jump goes to that jump's target;
//! - a jump to a move-and-jump (`copy_jump`, `const32_jump`, `copy2_jump`)
//!   becomes that op;
//! - a jump to a conditional branch becomes a copy of the branch and a jump
//!   past it, which saves one dispatch whenever the branch is taken and
//!   costs nothing when it is not.

use super::{Translator, UNBOUND};
use crate::code::{Op, Target};

/// How far a chain of plain jumps is followed (a `loop br 0 end` jumps to itself).
const MAX_CHAIN: usize = 4;

/// True for the ops that branch to their target or fall through.
fn conditional(op: Op) -> bool {
    let mut op = op;
    op.target_mut().is_some()
        && !matches!(
            op,
            Op::Jump { .. } | Op::CopyJump { .. } | Op::Const32Jump { .. } | Op::Copy2Jump { .. }
        )
}

impl Translator<'_> {
    /// Threads the plain jumps (see the module comment). Runs before the
    /// prologue is placed, while branch targets are label numbers.
    pub(super) fn thread_jumps(&mut self) {
        let at_label = |labels: &[u32], t: Target| {
            labels.get(t.0 as usize).copied().filter(|&p| p != UNBOUND).map(|p| p as usize)
        };
        // Decided on the code as emitted, then applied: a copied branch must
        // not be copied again as if it stood alone.
        let mut changes: Vec<(usize, Op, Option<usize>)> = Vec::new();
        for &at in &self.s.fixups {
            let at = at as usize;
            let Some(&Op::Jump { target }) = self.code.get(at) else { continue };
            let mut t = target;
            for _ in 0..MAX_CHAIN {
                match at_label(&self.s.labels, t).and_then(|p| self.code.get(p)) {
                    Some(&Op::Jump { target: next }) => t = next,
                    _ => break,
                }
            }
            let Some(pos) = at_label(&self.s.labels, t) else { continue };
            match self.code.get(pos).copied() {
                Some(op @ (Op::CopyJump { .. } | Op::Const32Jump { .. } | Op::Copy2Jump { .. })) => {
                    changes.push((at, op, None));
                }
                Some(op) if conditional(op) => changes.push((at, op, Some(pos + 1))),
                _ if t != target => changes.push((at, Op::Jump { target: t }, None)),
                _ => {}
            }
        }
        let mut inserts: Vec<(usize, u32)> = Vec::new();
        for (at, op, past) in changes {
            self.code[at] = op;
            if let Some(past) = past {
                let label = self.s.labels.len() as u32;
                self.s.labels.push(past as u32);
                inserts.push((at, label));
            }
        }
        if inserts.is_empty() {
            return;
        }
        // Each copied branch is followed by its jump past the original: the
        // ops after it move down (in place, from the end), and every
        // position with them.
        inserts.sort_unstable();
        let len = self.code.len();
        let n = inserts.len();
        // The new position of old position `i` (`len` for the end).
        let moved = |i: usize| i + inserts.partition_point(|&(at, _)| at < i);
        self.code.resize(len + n, Op::EndOfCode {});
        self.srclocs.resize(len + n, 0);
        // Going down, `next` counts the inserts at `i` or before it.
        let mut next = n;
        for i in (0..len).rev() {
            let here = next > 0 && inserts[next - 1].0 == i;
            if here {
                next -= 1;
            }
            let to = i + next;
            if here {
                self.code[to + 1] = Op::Jump { target: Target(inserts[next].1) };
                self.srclocs[to + 1] = self.srclocs[i];
            }
            self.code[to] = self.code[i];
            self.srclocs[to] = self.srclocs[i];
        }
        for f in self.s.fixups.iter_mut() {
            *f = moved(*f as usize) as u32;
        }
        self.s.fixups.extend(inserts.iter().map(|&(at, _)| moved(at) as u32 + 1));
        for l in &mut self.s.labels {
            if *l != UNBOUND {
                *l = moved(*l as usize) as u32;
            }
        }
        for (pos, _) in &mut self.listing_labels {
            *pos = moved(*pos as usize) as u32;
        }
    }
}
