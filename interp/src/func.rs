//! `InterpFunc`: one function translated to slot code, with its side tables.

use std::fmt::Write;
use std::sync::atomic::AtomicPtr;

use zerowasm_ssa::{Function, Type};

use crate::code::{CALL_CELLS, CallCells, Limits, Op};
use crate::error::TranslateError;

/// Operands of a `call` or `call_indirect`, as flattened cell lists (a v128
/// takes two consecutive entries).
#[derive(Debug)]
pub(crate) struct CallDesc {
    /// Callee function index (direct calls).
    pub callee: u32,
    /// The results in one number, which a call keeps in its callee's frame
    /// header so that a return needs no descriptor: the result cell when
    /// there is exactly one, else [`RET_NONE`] or [`RET_MANY`].
    pub ret: u32,
    /// Argument cells: `vmctx` first; for `call_indirect` the handle comes before it.
    pub args: Box<[u16]>,
    /// Result cells.
    pub results: Box<[u16]>,
    /// Per result cell: true for i32/f32, which a host result must be narrowed to.
    pub narrow: Box<[bool]>,
    /// A direct call's callee, once the execution loop's slow path has
    /// translated it and matched its parameter cells with `args`: so that
    /// the fast path finds it with one load, without a lookup in the module
    /// or an arity check. Null until then; only `exec::calls` reads and
    /// writes it (see `calls::resolved_callee`).
    pub resolved: AtomicPtr<InterpFunc>,
}

impl CallDesc {
    /// A descriptor whose callee is not resolved yet.
    pub(crate) fn new(callee: u32, args: Box<[u16]>, results: Box<[u16]>, narrow: Box<[bool]>) -> Self {
        let ret = Self::ret_of(&results);
        CallDesc { callee, ret, args, results, narrow, resolved: AtomicPtr::new(std::ptr::null_mut()) }
    }

    /// The op of a direct call through this descriptor, stored at `index` of
    /// its function's calls: with the argument cells inline when there are
    /// few (see `CallCells`).
    pub(crate) fn direct_call_op(&self, index: u32) -> Op {
        if self.args.len() <= CALL_CELLS {
            let mut cells = [0; CALL_CELLS];
            cells[..self.args.len()].copy_from_slice(&self.args);
            Op::CallShort { desc: index, args: CallCells(cells) }
        } else {
            Op::Call { desc: index }
        }
    }

    /// [`CallDesc::ret`] for result cells `results`.
    pub(crate) fn ret_of(results: &[u16]) -> u32 {
        match *results {
            [] => RET_NONE,
            [cell] => u32::from(cell),
            _ => RET_MANY,
        }
    }
}

/// [`CallDesc::ret`] of a call without results.
pub(crate) const RET_NONE: u32 = 1 << 16;
/// [`CallDesc::ret`] of a call with more than one result cell.
pub(crate) const RET_MANY: u32 = 2 << 16;

/// Operands of a `call_builtin`.
#[derive(Clone, Debug)]
pub(crate) struct BuiltinDesc {
    /// Index in the VM context's builtin table.
    pub index: u32,
    /// Name for listings.
    pub name: &'static str,
    /// Argument cells, `vmctx` first.
    pub args: Box<[u16]>,
    /// Result cells.
    pub results: Box<[u16]>,
    /// Per result cell: true for i32/f32.
    pub narrow: Box<[bool]>,
}

/// A function in the interpreter's slot code: ready to execute.
///
/// Built by [`InterpFunc::compile`] (from IR) or lazily by
/// [`crate::InterpModule`]. The code is verified when built: every frame cell
/// and branch target it names is in range.
#[derive(Debug)]
pub struct InterpFunc {
    pub(crate) name: String,
    pub(crate) code: Box<[Op]>,
    /// Source offset (module byte offset) of each op; `u32::MAX` when unknown.
    pub(crate) srclocs: Box<[u32]>,
    pub(crate) cells: u32,
    /// Cells taken by the parameters (`vmctx` included).
    pub(crate) arg_cells: u32,
    /// Parameter types, `vmctx: i64` first.
    pub(crate) params: Box<[Type]>,
    pub(crate) results: Box<[Type]>,
    pub(crate) consts: Box<[u128]>,
    pub(crate) br_tables: Box<[Box<[u32]>]>,
    pub(crate) calls: Box<[CallDesc]>,
    pub(crate) returns: Box<[Box<[u16]>]>,
    pub(crate) builtins: Box<[BuiltinDesc]>,
    /// `(op position, block number)` of every block start, for listings.
    pub(crate) labels: Box<[(u32, u32)]>,
    /// The VM-context field (byte offset) of the `VmMemory` pointer of the
    /// memory every fused access of this function names, if it has any
    /// (else, in a module, memory 0's: see `InterpModule::default_heap`):
    /// the execution loop keeps that memory's base in a register.
    /// [`NO_HEAP`] if none: a plain number, so that a call or return
    /// compares two functions' memories with one compare.
    pub(crate) heap: u32,
    /// The function's index in its module (set by `InterpModule`; 0 for code
    /// compiled on its own), so that a frame the execution loop entered by
    /// itself can be named in backtraces from its function alone.
    pub(crate) funcidx: u32,
}

/// [`InterpFunc::heap`] of a function without a memory.
pub(crate) const NO_HEAP: u32 = u32::MAX;

impl InterpFunc {
    /// [`InterpFunc::heap`] as an option.
    pub(crate) fn heap(&self) -> Option<u16> {
        u16::try_from(self.heap).ok()
    }

    /// Translates `func` (verified first) to slot code.
    pub fn compile(func: &Function) -> Result<InterpFunc, TranslateError> {
        zerowasm_ssa::verifier::verify_function(func).map_err(|e| TranslateError::invalid(e.to_string()))?;
        crate::translate::translate(&mut std::borrow::Cow::Borrowed(func))
    }

    /// Frame size in 8-byte cells.
    pub fn frame_cells(&self) -> u32 {
        self.cells
    }

    /// Number of encoded ops (the final `end_of_code` included).
    pub fn code_len(&self) -> usize {
        self.code.len()
    }

    /// The function's name (from the IR).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Cells taken by the parameters (`vmctx` included), which callers fill from cell 0.
    pub(crate) fn param_cells(&self) -> u32 {
        self.arg_cells
    }

    /// Cells taken by the results.
    pub(crate) fn result_cells(&self) -> u32 {
        self.results.iter().map(|&t| crate::translate::slots::width(t)).sum()
    }

    /// Checks every invariant the execution loop relies on without re-checking.
    pub(crate) fn verify(&self) -> Result<(), TranslateError> {
        let bad = |what: String| Err(TranslateError::invalid(format!("encoded code: {what}")));
        let limits = Limits { cells: self.cells, code_len: self.code.len() as u32 };
        if self.code.last() != Some(&Op::EndOfCode {}) {
            return bad("code does not end with end_of_code".into());
        }
        if self.srclocs.len() != self.code.len() {
            return bad("source-location table does not match the code".into());
        }
        let arg_cells: u32 = self.params.iter().map(|&t| crate::translate::slots::width(t)).sum();
        if arg_cells != self.arg_cells {
            return bad("parameter cell count does not match the parameters".into());
        }
        if self.param_cells() > self.cells || self.result_cells() > u32::from(u16::MAX) {
            return bad("parameters do not fit the frame".into());
        }
        // A short call writes `CALL_CELLS` cells of its callee's frame.
        if self.cells < CALL_CELLS as u32 {
            return bad("frame smaller than a short call's argument cells".into());
        }
        let cells_ok = |list: &[u16]| list.iter().all(|&c| u32::from(c) < self.cells);
        let heap = self.heap();
        for op in self.code.iter() {
            let side_ok = match *op {
                Op::ConstV { index, .. } | Op::Shuffle { mask: index, .. } => {
                    (index as usize) < self.consts.len()
                }
                Op::BrTable { table, .. }
                | Op::BrTableAdd { table, .. }
                | Op::BrTableLoad32X { table, .. }
                | Op::BrTableAddLoad32Scaled { table, .. } => self
                    .br_tables
                    .get(table as usize)
                    .is_some_and(|t| !t.is_empty() && t.iter().all(|&x| x < limits.code_len)),
                Op::ReturnN { list } => self.returns.get(list as usize).is_some_and(|l| cells_ok(l)),
                Op::Call { desc } | Op::CallIndirect { desc } | Op::CallTable { desc, .. } => {
                    self.calls.get(desc as usize).is_some_and(|d| {
                        cells_ok(&d.args) && cells_ok(&d.results) && d.ret == CallDesc::ret_of(&d.results)
                    })
                }
                Op::CallShort { desc, args } => self.calls.get(desc as usize).is_some_and(|d| {
                    cells_ok(&d.results)
                        && d.ret == CallDesc::ret_of(&d.results)
                        && d.args.len() <= CALL_CELLS
                        && d.args[..] == args.0[..d.args.len()]
                }),
                Op::CallBuiltin { desc } => self
                    .builtins
                    .get(desc as usize)
                    .is_some_and(|d| !d.args.is_empty() && cells_ok(&d.args) && cells_ok(&d.results)),
                _ => true,
            };
            // The loop keeps one memory's base in a register: every fused
            // access must name that memory.
            if !side_ok || !op.heap_ok(heap) || !op.in_range(&limits) {
                // Found again only on failure, so the loop keeps no counter.
                let pos = self.code.iter().position(|o| std::ptr::eq(o, op)).unwrap_or_default();
                let mut text = String::new();
                let _ = op.write(&mut text);
                return bad(format!("op {pos} ({text}) has an operand out of range"));
            }
        }
        Ok(())
    }

    /// The slot-code listing: a header, then one op per line (`  12: s3 = i32.add s1, s2`),
    /// block starts as `blockN:` lines, and source offsets as `; @001a` when known.
    pub fn listing(&self) -> String {
        let mut s = String::new();
        let list = |cells: &[u16]| cells.iter().map(|c| format!("s{c}")).collect::<Vec<_>>().join(", ");
        let _ = writeln!(
            s,
            "function %{}: {} cells, {} param cells, {} ops",
            self.name,
            self.cells,
            self.param_cells(),
            self.code.len()
        );
        let mut labels = self.labels.iter().peekable();
        for (pos, op) in self.code.iter().enumerate() {
            while let Some(&&(at, block)) = labels.peek() {
                if at as usize > pos {
                    break;
                }
                let _ = writeln!(s, "block{block}:");
                labels.next();
            }
            let _ = write!(s, "{pos:>5}: ");
            let table_text = |t: &[u32]| t.iter().map(|x| format!("@{x}")).collect::<Vec<_>>().join(", ");
            let _ = match *op {
                Op::Call { desc }
                | Op::CallShort { desc, .. }
                | Op::CallIndirect { desc }
                | Op::CallTable { desc, .. } => match self.calls.get(desc as usize) {
                    Some(d) => {
                        if !d.results.is_empty() {
                            let _ = write!(s, "{} = ", list(&d.results));
                        }
                        match *op {
                            Op::CallIndirect { .. } => write!(s, "call_indirect {}", list(&d.args)),
                            Op::CallTable { table, index, sig, .. } => write!(
                                s,
                                "call_table vm+{}, s{}, vm+{}, {}",
                                table.0,
                                index.0,
                                sig.0,
                                list(&d.args)
                            ),
                            _ => write!(s, "call fn{}({})", d.callee, list(&d.args)),
                        }
                    }
                    None => op.write(&mut s),
                },
                Op::CallBuiltin { desc } => match self.builtins.get(desc as usize) {
                    Some(d) => {
                        if !d.results.is_empty() {
                            let _ = write!(s, "{} = ", list(&d.results));
                        }
                        write!(s, "call_builtin {}#{}({})", d.name, d.index, list(&d.args))
                    }
                    None => op.write(&mut s),
                },
                Op::ReturnN { list: l } => match self.returns.get(l as usize) {
                    Some(cells) => write!(s, "return {}", list(cells)),
                    None => op.write(&mut s),
                },
                Op::BrTable { table, .. }
                | Op::BrTableAdd { table, .. }
                | Op::BrTableLoad32X { table, .. }
                | Op::BrTableAddLoad32Scaled { table, .. } => {
                    let index = match *op {
                        Op::BrTableAdd { index, add, .. } => format!("s{}{add:+}", index.0),
                        Op::BrTableLoad32X { base, index, offset, .. } => {
                            format!("mem.load32 s{}+s{}*4, {offset}", base.0, index.0.0)
                        }
                        Op::BrTableAddLoad32Scaled { index, add, bradd, .. } => {
                            format!("mem.load32 s{}*4{:+}{bradd:+}", index.0.0, add.0)
                        }
                        Op::BrTable { index, .. } => format!("s{}", index.0),
                        _ => String::new(),
                    };
                    match self.br_tables.get(table as usize) {
                        Some(t) => write!(s, "br_table {index}, [{}]", table_text(t)),
                        None => op.write(&mut s),
                    }
                }
                Op::ConstV { dst, index } => match self.consts.get(index as usize) {
                    Some(v) => write!(s, "s{} = vconst {v:#034x}", dst.0),
                    None => op.write(&mut s),
                },
                Op::VTernary { dst, op: vop, a, b, c } => {
                    write!(s, "s{} = {} s{}, s{}, s{}", dst.0, vop.name(), a.0, b.0, c.0)
                }
                Op::VSplat { dst, op: vop, a } => write!(s, "s{} = {} s{}", dst.0, vop.name(), a.0),
                _ => op.write(&mut s),
            };
            if let Some(&loc) = self.srclocs.get(pos)
                && loc != u32::MAX
            {
                let _ = write!(s, " ; @{loc:04x}");
            }
            s.push('\n');
        }
        s
    }
}
