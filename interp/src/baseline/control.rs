//! Blocks, branches and returns of the baseline translator.

use zerowasm_frontend::operator::BrTable;
use zerowasm_frontend::{BlockType, ValType};
use zerowasm_ssa::FloatCC;

use super::{Assigned, Bail, Frame, Kind, Res, Src, Translator, width};
use crate::code::{Addend, Index, Op, Scaled, Slot, Target};

/// Where a `br_table` finds its index (see [`Translator::dispatch`]).
enum Dispatch {
    Plain(Slot),
    /// `index + add`.
    Add(Slot, i32),
    /// The i32 at `base + index * 4 + offset`.
    Load(Slot, Slot, u32),
    /// `bradd` plus the i32 at `index * 4 + add`.
    AddLoad(Slot, Addend, i32),
}

impl Translator<'_> {
    /// Opens a `block` or `loop`.
    pub(super) fn block(&mut self, kind: Kind, bt: BlockType) -> Res {
        let (params, _) = self.block_types(bt)?;
        let frame = self.open(kind, bt, params.len())?;
        if kind == Kind::Loop {
            self.bind(frame.label);
            self.loop_depth += 1;
        }
        self.s.frames.push(frame);
        Ok(())
    }

    /// Opens an `if`: a branch past the `then` arm when the condition is zero.
    pub(super) fn if_(&mut self, bt: BlockType) -> Res {
        let cond = self.pop()?;
        let (params, _) = self.block_types(bt)?;
        let mut frame = self.open(Kind::If, bt, params.len())?;
        frame.else_label = self.new_label();
        frame.at_if = self.assigned;
        self.branch_if(cond, false, frame.else_label);
        self.s.frames.push(frame);
        Ok(())
    }

    /// A new frame for a block with `n_params` parameters on top of the stack.
    /// Lazy reads of locals still on the current frame's part of the stack are
    /// written to their homes now (the new block may assign those locals on
    /// one path only), and so are a loop's or an `if`'s parameters, which
    /// branches to its start or its `else` arm find there.
    fn open(&mut self, kind: Kind, bt: BlockType, n_params: usize) -> Res<Frame> {
        let len = self.s.stack.len();
        let height = len.checked_sub(n_params).ok_or(Bail("block parameters missing"))?;
        let outer = self.s.frames.last().map_or(0, |f| f.height as usize).min(height);
        if len - outer > super::MAX_SCAN {
            return Err(Bail("operand stack too deep to scan"));
        }
        for i in outer..height {
            if matches!(self.s.stack[i].src, Src::Cell(_)) {
                self.materialize(i);
            }
        }
        for i in height..len {
            match self.s.stack[i].src {
                Src::Cell(_) => self.materialize(i),
                Src::Const(_) if kind != Kind::Block => self.materialize(i),
                _ => {}
            }
        }
        let base = match self.s.stack.get(height) {
            Some(e) => e.home,
            None => self.top_cell() as u16,
        };
        Ok(Frame {
            kind,
            ty: bt,
            height: height as u32,
            base,
            label: self.new_label(),
            else_label: 0,
            dead: false,
            branched: false,
            at_end: Assigned::ALL,
            at_if: Assigned::ALL,
        })
    }

    /// `else`: ends the `then` arm with a jump to the end, and starts the
    /// `else` arm from the `if`'s parameters.
    pub(super) fn else_(&mut self) -> Res {
        let f = *self.s.frames.last().ok_or(Bail("else outside a block"))?;
        if f.kind != Kind::If {
            return Err(Bail("else without if"));
        }
        if !f.dead {
            let (_, results) = self.block_types(f.ty)?;
            self.fallthrough(results.len())?;
            self.emit_branch(Op::Jump { target: Target(f.label) });
        }
        self.bind(f.else_label);
        // The `then` arm's end joins the frame's end; the `else` arm starts
        // from the state at the condition.
        let then_end = self.assigned;
        self.assigned = f.at_if;
        let (params, _) = self.block_types(f.ty)?;
        self.s.stack.truncate(f.height as usize);
        for &p in params {
            self.push_temp(p)?;
        }
        let top = self.s.frames.last_mut().ok_or(Bail("else outside a block"))?;
        top.at_end = top.at_end.meet(then_end);
        top.kind = Kind::Else;
        top.dead = false;
        top.branched |= !f.dead;
        Ok(())
    }

    /// `end`: closes the innermost frame.
    pub(super) fn end(&mut self) -> Res {
        let f = self.s.frames.pop().ok_or(Bail("end outside a block"))?;
        let (_, results) = self.block_types(f.ty)?;
        if f.kind == Kind::Func {
            if !f.dead {
                self.return_values(results.len())?;
            }
            return Ok(());
        }
        // The locals assigned after the frame: on its fallthrough (all, if
        // there is none) and on every branch to its end; without an `else`,
        // also where the condition was false.
        self.assigned = match f.kind {
            Kind::Loop => self.assigned,
            Kind::If => self.assigned.meet(f.at_end).meet(f.at_if),
            _ => self.assigned.meet(f.at_end),
        };
        let reachable = match f.kind {
            Kind::Loop => {
                self.loop_depth -= 1;
                // Only the loop's fallthrough reaches its end: none, and the
                // code after it is unreachable too; else its results stay as
                // they are.
                if f.dead {
                    self.set_dead();
                }
                return Ok(());
            }
            Kind::If => {
                if !f.dead {
                    self.fallthrough(results.len())?;
                }
                // Without an `else` arm, a false condition brings the
                // parameters, which are the results, in their homes.
                self.bind(f.else_label);
                true
            }
            _ => {
                if !f.dead {
                    self.fallthrough(results.len())?;
                }
                !f.dead || f.branched
            }
        };
        if f.branched {
            self.bind(f.label);
        }
        self.s.stack.truncate(f.height as usize);
        if reachable {
            for &r in results {
                self.push_temp(r)?;
            }
        } else {
            self.set_dead();
        }
        Ok(())
    }

    /// Writes the top `n` entries (a block's results on its fallthrough) to their homes.
    fn fallthrough(&mut self, n: usize) -> Res {
        let len = self.s.stack.len();
        let start = len.checked_sub(n).ok_or(Bail("block results missing"))?;
        for i in start..len {
            self.materialize(i);
        }
        Ok(())
    }

    /// The frame `depth` levels out, and how many values a branch to it passes.
    fn target(&self, depth: u32) -> Res<(usize, Frame, usize)> {
        let n = self.s.frames.len();
        let i = n.checked_sub(1 + depth as usize).ok_or(Bail("branch depth out of range"))?;
        let f = self.s.frames[i];
        let (params, results) = self.block_types(f.ty)?;
        let arity = if f.kind == Kind::Loop { params.len() } else { results.len() };
        Ok((i, f, arity))
    }

    /// Records a branch to frame `i`: its end (a loop's start is entered
    /// with no fewer locals assigned than on entry) is reached with the
    /// locals assigned here.
    fn branched(&mut self, i: usize) {
        let f = &mut self.s.frames[i];
        f.branched = true;
        if f.kind != Kind::Loop {
            f.at_end = f.at_end.meet(self.assigned);
        }
    }

    /// True if the top `n` entries are temporaries in the cells from `base`
    /// already, so that a branch passing them needs no moves.
    fn in_place(&self, base: u16, n: usize) -> bool {
        let len = self.s.stack.len();
        n == 0
            || (n <= len
                && self.s.stack[len - n].home == base
                && self.s.stack[len - n..].iter().all(|e| e.src == Src::Temp))
    }

    /// Writes the top `n` entries to the cells from `base`. In order: a
    /// temporary's home is never below its destination, so no move
    /// overwrites a value a later one reads.
    fn moves(&mut self, base: u16, n: usize) -> Res {
        let len = self.s.stack.len();
        let start = len.checked_sub(n).ok_or(Bail("branch values missing"))?;
        let mut cell = u32::from(base);
        for i in start..len {
            let e = self.s.stack[i];
            self.move_to(cell as u16, e);
            cell += width(e.ty);
        }
        Ok(())
    }

    /// An unconditional branch `depth` levels out (a return to the function's frame).
    pub(super) fn branch(&mut self, depth: u32) -> Res {
        let (i, f, arity) = self.target(depth)?;
        if f.kind == Kind::Func {
            return self.return_values(arity);
        }
        self.moves(f.base, arity)?;
        self.emit_branch(Op::Jump { target: Target(f.label) });
        self.branched(i);
        Ok(())
    }

    /// `br_if`: branches straight to the target when its values are in
    /// place, else around a block of moves and a jump.
    pub(super) fn br_if(&mut self, depth: u32) -> Res {
        let cond = self.pop()?;
        let (i, f, arity) = self.target(depth)?;
        if f.kind != Kind::Func && self.in_place(f.base, arity) {
            self.branch_if(cond, true, f.label);
            self.branched(i);
            return Ok(());
        }
        let skip = self.new_label();
        self.branch_if(cond, false, skip);
        self.branch(depth)?;
        self.bind(skip);
        Ok(())
    }

    /// `br_table`: one table of targets; targets whose values are not in
    /// place get a stub of moves and a jump after the table.
    pub(super) fn br_table(&mut self, table: &BrTable<'_>) -> Res {
        let index = self.pop()?;
        let dispatch = self.dispatch(index);
        let mut labels: Vec<u32> = Vec::with_capacity(table.len() + 1);
        let mut stubs: Vec<(u32, u32)> = Vec::new();
        for depth in table.targets().chain(std::iter::once(table.default())) {
            let (i, f, arity) = self.target(depth)?;
            let label = if f.kind != Kind::Func && self.in_place(f.base, arity) {
                self.branched(i);
                f.label
            } else if let Some(&(_, stub)) = stubs.iter().find(|&&(d, _)| d == depth) {
                stub
            } else {
                let stub = self.new_label();
                stubs.push((depth, stub));
                stub
            };
            labels.push(label);
        }
        let table = self.br_tables.len() as u32;
        self.br_tables.push(labels.into_boxed_slice());
        self.emit(match dispatch {
            Dispatch::Plain(index) => Op::BrTable { index, table },
            Dispatch::Add(index, add) => Op::BrTableAdd { index, add, table },
            Dispatch::Load(base, index, offset) => {
                Op::BrTableLoad32X { base, index: Scaled(index), offset, table }
            }
            Dispatch::AddLoad(index, add, bradd) => {
                Op::BrTableAddLoad32Scaled { index: Index(index), add, bradd, table }
            }
        });
        for (depth, stub) in stubs {
            self.bind(stub);
            self.branch(depth)?;
        }
        self.set_dead();
        Ok(())
    }

    /// The index of a `br_table`, with the ops that made it folded in when
    /// they are the last ones: a C `switch` subtracts its first case, and a
    /// bytecode VM's dispatch loads the case from a table indexed by opcode.
    fn dispatch(&mut self, index: super::Entry) -> Dispatch {
        if index.src != Src::Temp {
            return Dispatch::Plain(self.operand(index));
        }
        let home = Slot(index.home);
        let last = self.last_fusable().copied();
        let add = match last {
            Some(Op::I32AddImm { dst, a, imm }) if dst == home => Some((a, imm)),
            Some(Op::I32SubImm { dst, a, imm }) if dst == home => Some((a, imm.wrapping_neg())),
            _ => None,
        };
        if let Some((a, imm)) = add {
            self.unemit();
            return match self.last_fusable().copied() {
                Some(Op::MemLoad32Scaled { dst, index, add, offset: 0 }) if a == home && dst == home => {
                    self.unemit();
                    Dispatch::AddLoad(index.0, add, imm)
                }
                _ => Dispatch::Add(a, imm),
            };
        }
        match last {
            Some(Op::MemLoad32Scaled { dst, index, add, offset: 0 }) if dst == home => {
                self.unemit();
                Dispatch::AddLoad(index.0, add, 0)
            }
            Some(Op::MemLoad32X { dst, base, index, add: Addend(0), offset }) if dst == home => {
                self.unemit();
                Dispatch::Load(base, index.0, offset)
            }
            _ => Dispatch::Plain(self.operand(index)),
        }
    }

    /// `return`.
    pub(super) fn return_(&mut self) -> Res {
        self.return_values(self.results.len())
    }

    /// Returns the top `n` entries (the function's results).
    fn return_values(&mut self, n: usize) -> Res {
        let len = self.s.stack.len();
        let start = len.checked_sub(n).ok_or(Bail("results missing"))?;
        match n {
            0 => self.emit(Op::Return0 {}),
            1 if self.s.stack[start].ty != ValType::V128 => {
                let src = self.operand(self.s.stack[start]);
                self.emit(Op::Return1 { src });
            }
            _ => {
                let mut list = Vec::with_capacity(n + 1);
                self.operand_cells(start, &mut list);
                self.returns.push(list.into_boxed_slice());
                self.emit(Op::ReturnN { list: self.returns.len() as u32 - 1 });
            }
        }
        Ok(())
    }

    /// A branch to `label` if `cond` is nonzero (`when` true) or zero: fused
    /// with the compare that made `cond` when that is the last op.
    pub(super) fn branch_if(&mut self, cond: super::Entry, when: bool, label: u32) {
        let target = Target(label);
        if let Src::Const(k) = cond.src {
            if (k != 0) == when {
                self.emit_branch(Op::Jump { target });
            }
            return;
        }
        if cond.src == Src::Temp {
            // `i32.eqz` of a compare (C's `if (!(x < y))`): the compare's
            // branch, negated.
            if let Some(&mut Op::I32EqImm { dst, a, imm: 0 }) = self.last_fusable()
                && dst.0 == cond.home
                && a == dst
                && let Some(fused) =
                    self.fusable_before_last().and_then(|c| fuse_compare(c, cond.home, !when, target))
            {
                self.unemit();
                self.unemit();
                self.emit_branch(fused);
                return;
            }
            if let Some(last) = self.last_fusable()
                && let Some(fused) = fuse_compare(*last, cond.home, when, target)
            {
                self.unemit();
                self.emit_branch(fused);
                return;
            }
        }
        let c = self.operand(cond);
        self.emit_branch(if when { Op::BrIf { c, target } } else { Op::BrIfNot { c, target } });
    }
}

/// `op` (a compare writing cell `dst`) and a branch on its result (taken if
/// it is nonzero when `when`, else if zero) as one compare-and-branch op.
fn fuse_compare(op: Op, dst: u16, when: bool, target: Target) -> Option<Op> {
    macro_rules! int {
        ($($cmp:ident, $imm:ident => $br:ident / $not:ident, $bri:ident / $noti:ident;)*) => {
            match op {
                $(
                    Op::$cmp { dst: Slot(d), a, b } if d == dst => Some(if when {
                        Op::$br { a, b, target }
                    } else {
                        Op::$not { a, b, target }
                    }),
                    Op::$imm { dst: Slot(d), a, imm } if d == dst => Some(if when {
                        Op::$bri { a, imm, target }
                    } else {
                        Op::$noti { a, imm, target }
                    }),
                )*
                Op::I32AndImm { dst: Slot(d), a, imm } if d == dst => Some(if when {
                    Op::BrI32AndNz { a, mask: imm, target }
                } else {
                    Op::BrI32AndZ { a, mask: imm, target }
                }),
                _ => float(op, dst, when, target),
            }
        };
    }
    int! {
        I32Eq, I32EqImm => BrI32Eq / BrI32Ne, BrI32EqImm / BrI32NeImm;
        I32Ne, I32NeImm => BrI32Ne / BrI32Eq, BrI32NeImm / BrI32EqImm;
        I32LtS, I32LtSImm => BrI32LtS / BrI32GeS, BrI32LtSImm / BrI32GeSImm;
        I32LtU, I32LtUImm => BrI32LtU / BrI32GeU, BrI32LtUImm / BrI32GeUImm;
        I32GtS, I32GtSImm => BrI32GtS / BrI32LeS, BrI32GtSImm / BrI32LeSImm;
        I32GtU, I32GtUImm => BrI32GtU / BrI32LeU, BrI32GtUImm / BrI32LeUImm;
        I32LeS, I32LeSImm => BrI32LeS / BrI32GtS, BrI32LeSImm / BrI32GtSImm;
        I32LeU, I32LeUImm => BrI32LeU / BrI32GtU, BrI32LeUImm / BrI32GtUImm;
        I32GeS, I32GeSImm => BrI32GeS / BrI32LtS, BrI32GeSImm / BrI32LtSImm;
        I32GeU, I32GeUImm => BrI32GeU / BrI32LtU, BrI32GeUImm / BrI32LtUImm;
        I64Eq, I64EqImm => BrI64Eq / BrI64Ne, BrI64EqImm / BrI64NeImm;
        I64Ne, I64NeImm => BrI64Ne / BrI64Eq, BrI64NeImm / BrI64EqImm;
        I64LtS, I64LtSImm => BrI64LtS / BrI64GeS, BrI64LtSImm / BrI64GeSImm;
        I64LtU, I64LtUImm => BrI64LtU / BrI64GeU, BrI64LtUImm / BrI64GeUImm;
        I64GtS, I64GtSImm => BrI64GtS / BrI64LeS, BrI64GtSImm / BrI64LeSImm;
        I64GtU, I64GtUImm => BrI64GtU / BrI64LeU, BrI64GtUImm / BrI64LeUImm;
        I64LeS, I64LeSImm => BrI64LeS / BrI64GtS, BrI64LeSImm / BrI64GtSImm;
        I64LeU, I64LeUImm => BrI64LeU / BrI64GtU, BrI64LeUImm / BrI64GtUImm;
        I64GeS, I64GeSImm => BrI64GeS / BrI64LtS, BrI64GeSImm / BrI64LtSImm;
        I64GeU, I64GeUImm => BrI64GeU / BrI64LtU, BrI64GeUImm / BrI64LtUImm;
    }
}

/// [`fuse_compare`] for float compares, which branch on a [`FloatCC`] (the
/// negated branch is `br_not`, which NaN operands take).
fn float(op: Op, dst: u16, when: bool, target: Target) -> Option<Op> {
    let (cond, a, b, f64) = match op {
        Op::F32Eq { dst: Slot(d), a, b } if d == dst => (FloatCC::Eq, a, b, false),
        Op::F32Ne { dst: Slot(d), a, b } if d == dst => (FloatCC::Ne, a, b, false),
        Op::F32Lt { dst: Slot(d), a, b } if d == dst => (FloatCC::Lt, a, b, false),
        Op::F32Gt { dst: Slot(d), a, b } if d == dst => (FloatCC::Gt, a, b, false),
        Op::F32Le { dst: Slot(d), a, b } if d == dst => (FloatCC::Le, a, b, false),
        Op::F32Ge { dst: Slot(d), a, b } if d == dst => (FloatCC::Ge, a, b, false),
        Op::F64Eq { dst: Slot(d), a, b } if d == dst => (FloatCC::Eq, a, b, true),
        Op::F64Ne { dst: Slot(d), a, b } if d == dst => (FloatCC::Ne, a, b, true),
        Op::F64Lt { dst: Slot(d), a, b } if d == dst => (FloatCC::Lt, a, b, true),
        Op::F64Gt { dst: Slot(d), a, b } if d == dst => (FloatCC::Gt, a, b, true),
        Op::F64Le { dst: Slot(d), a, b } if d == dst => (FloatCC::Le, a, b, true),
        Op::F64Ge { dst: Slot(d), a, b } if d == dst => (FloatCC::Ge, a, b, true),
        _ => return None,
    };
    Some(match (f64, when) {
        (false, true) => Op::BrF32 { cond, a, b, target },
        (false, false) => Op::BrF32Not { cond, a, b, target },
        (true, true) => Op::BrF64 { cond, a, b, target },
        (true, false) => Op::BrF64Not { cond, a, b, target },
    })
}
