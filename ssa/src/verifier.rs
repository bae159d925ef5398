//! The verifier: checks that a function is well-formed IR. Tests run it after
//! lowering and after every pass; an error names the instruction and the rule.
//!
//! Rules: an entry block whose parameters match the signature; every block
//! ends in exactly one terminator; operands are live values (no aliases) whose
//! definitions dominate their uses; operand and result types fit the opcode;
//! branch arguments match the destination's parameters; calls and returns
//! match their signatures.

use cranelift_entity::{EntityRef, SecondaryMap};
use std::fmt;

use crate::analysis::cfg::ControlFlowGraph;
use crate::analysis::domtree::DominatorTree;
use crate::dfg::ValueDef;
use crate::entities::{Block, Inst, Value};
use crate::function::Function;
use crate::instructions::{BlockCall, InstData, LoadKind, Opcode};
use crate::printer::write_inst;
use crate::types::Type;

/// A broken rule, located at an instruction or block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierError {
    /// Where: `inst7 (v3 = iadd.i32 v1, v2)` or `block2`.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for VerifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for VerifierError {}

struct Verifier<'a> {
    func: &'a Function,
    cfg: ControlFlowGraph,
    domtree: DominatorTree,
    /// Position of each instruction within its block.
    seq: SecondaryMap<Inst, u32>,
}

/// Verifies `func`.
pub fn verify_function(func: &Function) -> Result<(), VerifierError> {
    let cfg = ControlFlowGraph::compute(func);
    let domtree = DominatorTree::compute(func, &cfg);
    let mut seq = SecondaryMap::new();
    for block in func.layout.blocks() {
        for (i, inst) in func.layout.block_insts(block).enumerate() {
            seq[inst] = i as u32;
        }
    }
    Verifier { func, cfg, domtree, seq }.run()
}

impl Verifier<'_> {
    fn inst_err(&self, inst: Inst, message: impl Into<String>) -> VerifierError {
        let mut text = String::new();
        let _ = write_inst(&mut text, &self.func.dfg, inst);
        VerifierError { location: format!("{inst} ({text})"), message: message.into() }
    }

    fn block_err(&self, block: Block, message: impl Into<String>) -> VerifierError {
        VerifierError { location: block.to_string(), message: message.into() }
    }

    fn run(&self) -> Result<(), VerifierError> {
        let func = self.func;
        let entry = func
            .entry_block()
            .ok_or_else(|| VerifierError { location: "function".into(), message: "no entry block".into() })?;
        let entry_types: Vec<Type> =
            func.dfg.block_params(entry).iter().map(|&v| func.dfg.value_type(v)).collect();
        if entry_types != func.signature.params {
            return Err(self.block_err(entry, "entry block parameters do not match the signature"));
        }
        for block in func.layout.blocks() {
            self.check_block(block)?;
        }
        Ok(())
    }

    fn check_block(&self, block: Block) -> Result<(), VerifierError> {
        let layout = &self.func.layout;
        let Some(last) = layout.last_inst(block) else {
            return Err(self.block_err(block, "block is empty (no terminator)"));
        };
        for inst in layout.block_insts(block) {
            let op = self.func.dfg.inst(inst).opcode();
            if op.is_terminator() != (inst == last) {
                return Err(if inst == last {
                    self.inst_err(inst, "block does not end with a terminator")
                } else {
                    self.inst_err(inst, "terminator in the middle of a block")
                });
            }
            self.check_operands(block, inst)?;
            self.check_types(inst)?;
        }
        Ok(())
    }

    /// Operands are live, unaliased values whose definitions dominate `inst`.
    fn check_operands(&self, block: Block, inst: Inst) -> Result<(), VerifierError> {
        let dfg = &self.func.dfg;
        let reachable = self.cfg.is_reachable(block);
        for v in dfg.inst_values(inst) {
            if v.index() >= dfg.num_values() {
                return Err(self.inst_err(inst, format!("{v} does not exist")));
            }
            match dfg.value_def(v) {
                ValueDef::Alias(to) => {
                    return Err(
                        self.inst_err(inst, format!("{v} is an alias of {to}; aliases must be resolved"))
                    );
                }
                ValueDef::Result(def, _) => {
                    let Some(def_block) = self.func.layout.inst_block(def) else {
                        return Err(self.inst_err(inst, format!("{v} is defined by a removed instruction")));
                    };
                    let dominates = if def_block == block {
                        self.seq[def] < self.seq[inst]
                    } else {
                        !reachable || self.domtree.block_dominates(def_block, block)
                    };
                    if !dominates {
                        return Err(self
                            .inst_err(inst, format!("{v} is used where its definition does not dominate")));
                    }
                }
                ValueDef::Param(def_block, _) => {
                    if !self.func.layout.is_block_inserted(def_block)
                        || !dfg.block_params(def_block).contains(&v)
                    {
                        return Err(self.inst_err(inst, format!("{v} is a parameter of a removed block")));
                    }
                    if reachable && !self.domtree.block_dominates(def_block, block) {
                        return Err(
                            self.inst_err(inst, format!("{v} is used where its block does not dominate"))
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn ty(&self, v: Value) -> Type {
        self.func.dfg.value_type(v)
    }

    fn expect(&self, inst: Inst, what: &str, found: Type, expected: Type) -> Result<(), VerifierError> {
        if found != expected {
            return Err(self.inst_err(inst, format!("{what} has type {found}, expected {expected}")));
        }
        Ok(())
    }

    fn check_dest(&self, inst: Inst, dest: &BlockCall) -> Result<(), VerifierError> {
        let dfg = &self.func.dfg;
        if !self.func.layout.is_block_inserted(dest.block) {
            return Err(self.inst_err(inst, format!("branch to {} which is not in the layout", dest.block)));
        }
        let args = dfg.block_call_args(dest);
        let params = dfg.block_params(dest.block);
        if args.len() != params.len() {
            return Err(self.inst_err(
                inst,
                format!("{} takes {} arguments, {} given", dest.block, params.len(), args.len()),
            ));
        }
        for (&a, &p) in args.iter().zip(params) {
            self.expect(inst, &format!("argument {a} for {p}"), self.ty(a), self.ty(p))?;
        }
        Ok(())
    }

    fn check_types(&self, inst: Inst) -> Result<(), VerifierError> {
        let dfg = &self.func.dfg;
        let results = dfg.inst_results(inst);
        let result = results.first().map(|&r| dfg.value_type(r));
        let want_results = |n: usize| -> Result<(), VerifierError> {
            if results.len() != n {
                return Err(self.inst_err(inst, format!("expected {n} results, found {}", results.len())));
            }
            Ok(())
        };
        let rt = result.unwrap_or(Type::I32);
        let data = dfg.inst(inst);
        match data {
            InstData::Iconst { .. } => {
                want_results(1)?;
                if !rt.is_int() {
                    return Err(self.inst_err(inst, "iconst must produce an integer"));
                }
            }
            InstData::F32const { .. } => self.expect(inst, "result", rt, Type::F32)?,
            InstData::F64const { .. } => self.expect(inst, "result", rt, Type::F64)?,
            InstData::Vconst { .. } | InstData::Shuffle { .. } => {
                want_results(1)?;
                self.expect(inst, "result", rt, Type::V128)?;
            }
            InstData::Unary { opcode, arg } => {
                want_results(1)?;
                let at = self.ty(*arg);
                let ok = match opcode {
                    Opcode::Clz | Opcode::Ctz | Opcode::Popcnt | Opcode::Sextend8 | Opcode::Sextend16 => {
                        at == rt && at.is_int()
                    }
                    Opcode::Sextend32 => at == Type::I64 && rt == Type::I64,
                    Opcode::Uextend | Opcode::Sextend => at == Type::I32 && rt == Type::I64,
                    Opcode::Ireduce => at == Type::I64 && rt == Type::I32,
                    Opcode::Fabs
                    | Opcode::Fneg
                    | Opcode::Fsqrt
                    | Opcode::Fceil
                    | Opcode::Ffloor
                    | Opcode::Ftrunc
                    | Opcode::Fnearest => at == rt && at.is_float(),
                    Opcode::Fpromote => at == Type::F32 && rt == Type::F64,
                    Opcode::Fdemote => at == Type::F64 && rt == Type::F32,
                    Opcode::FcvtToSint
                    | Opcode::FcvtToUint
                    | Opcode::FcvtToSintSat
                    | Opcode::FcvtToUintSat => at.is_float() && rt.is_int(),
                    Opcode::FcvtFromSint | Opcode::FcvtFromUint => at.is_int() && rt.is_float(),
                    Opcode::Bitcast => at.bytes() == rt.bytes() && at.is_int() != rt.is_int(),
                    _ => return Err(self.inst_err(inst, "not a unary opcode")),
                };
                if !ok {
                    return Err(self.inst_err(inst, format!("{} cannot take {at} to {rt}", opcode.name())));
                }
            }
            InstData::Binary { opcode, args } => {
                want_results(1)?;
                let (a, b) = (self.ty(args[0]), self.ty(args[1]));
                let float = matches!(
                    opcode,
                    Opcode::Fadd
                        | Opcode::Fsub
                        | Opcode::Fmul
                        | Opcode::Fdiv
                        | Opcode::Fmin
                        | Opcode::Fmax
                        | Opcode::Fcopysign
                );
                let int = matches!(
                    opcode,
                    Opcode::Iadd
                        | Opcode::Isub
                        | Opcode::Imul
                        | Opcode::Sdiv
                        | Opcode::Udiv
                        | Opcode::Srem
                        | Opcode::Urem
                        | Opcode::Band
                        | Opcode::Bor
                        | Opcode::Bxor
                        | Opcode::Ishl
                        | Opcode::Sshr
                        | Opcode::Ushr
                        | Opcode::Rotl
                        | Opcode::Rotr
                );
                if !(int && rt.is_int() || float && rt.is_float()) || a != rt || b != rt {
                    return Err(self
                        .inst_err(inst, format!("{} cannot combine {a} and {b} into {rt}", opcode.name())));
                }
            }
            InstData::Ternary { opcode, args } => {
                want_results(1)?;
                if *opcode != Opcode::Select {
                    return Err(self.inst_err(inst, "not a ternary opcode"));
                }
                self.expect(inst, "select condition", self.ty(args[0]), Type::I32)?;
                self.expect(inst, "first select operand", self.ty(args[1]), rt)?;
                self.expect(inst, "second select operand", self.ty(args[2]), rt)?;
            }
            InstData::IntCompare { args, .. } => {
                want_results(1)?;
                self.expect(inst, "result", rt, Type::I32)?;
                let a = self.ty(args[0]);
                if !a.is_int() || self.ty(args[1]) != a {
                    return Err(self.inst_err(inst, "icmp needs two integers of one type"));
                }
            }
            InstData::FloatCompare { args, .. } => {
                want_results(1)?;
                self.expect(inst, "result", rt, Type::I32)?;
                let a = self.ty(args[0]);
                if !a.is_float() || self.ty(args[1]) != a {
                    return Err(self.inst_err(inst, "fcmp needs two floats of one type"));
                }
            }
            InstData::Load { kind, arg, .. } | InstData::HeapLoad { kind, arg, .. } => {
                want_results(1)?;
                let (what, ty, prefix) = memory_operand(matches!(data, InstData::HeapLoad { .. }));
                self.expect(inst, what, self.ty(*arg), ty)?;
                let ok = match kind {
                    LoadKind::Plain => true,
                    LoadKind::S8 | LoadKind::U8 | LoadKind::S16 | LoadKind::U16 => rt.is_int(),
                    LoadKind::S32 | LoadKind::U32 => rt == Type::I64,
                    _ => rt == Type::V128,
                };
                if !ok {
                    return Err(self.inst_err(inst, format!("{prefix}{} cannot produce {rt}", kind.name())));
                }
            }
            InstData::Store { kind, args, .. } | InstData::HeapStore { kind, args, .. } => {
                want_results(0)?;
                let (what, ty, prefix) = memory_operand(matches!(data, InstData::HeapStore { .. }));
                self.expect(inst, what, self.ty(args[0]), ty)?;
                let vt = self.ty(args[1]);
                if kind.access_bytes(vt) > vt.bytes()
                    || (*kind != crate::instructions::StoreKind::Plain && !vt.is_int())
                {
                    return Err(self.inst_err(inst, format!("{prefix}{} cannot store {vt}", kind.name())));
                }
            }
            InstData::LoadLane { shape, lane, args, .. } | InstData::StoreLane { shape, lane, args, .. } => {
                self.expect(inst, "address", self.ty(args[0]), Type::I64)?;
                self.expect(inst, "vector", self.ty(args[1]), Type::V128)?;
                if *lane >= shape.lanes() {
                    return Err(self.inst_err(inst, "lane index out of range"));
                }
            }
            InstData::Vector { op, args } => {
                want_results(1)?;
                let sig = op.sig();
                self.expect(inst, "result", rt, sig.result)?;
                for (i, (&a, &t)) in args.iter().zip(sig.params).enumerate() {
                    self.expect(inst, &format!("operand {i}"), self.ty(a), t)?;
                }
            }
            InstData::ExtractLane { shape, lane, arg } => {
                want_results(1)?;
                self.expect(inst, "vector", self.ty(*arg), Type::V128)?;
                self.expect(inst, "result", rt, shape.scalar())?;
                if *lane >= shape.lanes() {
                    return Err(self.inst_err(inst, "lane index out of range"));
                }
            }
            InstData::InsertLane { shape, lane, args } => {
                want_results(1)?;
                self.expect(inst, "vector", self.ty(args[0]), Type::V128)?;
                self.expect(inst, "scalar", self.ty(args[1]), shape.scalar())?;
                if *lane >= shape.lanes() {
                    return Err(self.inst_err(inst, "lane index out of range"));
                }
            }
            InstData::Jump { dest } => self.check_dest(inst, dest)?,
            InstData::Brif { arg, then_dest, else_dest } => {
                self.expect(inst, "condition", self.ty(*arg), Type::I32)?;
                self.check_dest(inst, then_dest)?;
                self.check_dest(inst, else_dest)?;
            }
            InstData::BrTable { arg, table } => {
                self.expect(inst, "index", self.ty(*arg), Type::I32)?;
                let jt = &dfg.jump_tables[*table];
                self.check_dest(inst, &jt.default)?;
                for t in &jt.targets {
                    self.check_dest(inst, t)?;
                }
            }
            InstData::Return { args } => {
                let types: Vec<Type> = args.as_slice(&dfg.value_lists).iter().map(|&v| self.ty(v)).collect();
                if types != self.func.signature.results {
                    return Err(self.inst_err(inst, "return values do not match the signature"));
                }
            }
            InstData::Call { func, args } => {
                let sig = &dfg.signatures[dfg.ext_funcs[*func].sig];
                self.check_call(inst, sig, args.as_slice(&dfg.value_lists))?;
            }
            InstData::CallIndirect { sig, args } => {
                let args = args.as_slice(&dfg.value_lists);
                let Some((&callee, rest)) = args.split_first() else {
                    return Err(self.inst_err(inst, "call_indirect needs a callee"));
                };
                self.expect(inst, "callee", self.ty(callee), Type::I64)?;
                self.check_call(inst, &dfg.signatures[*sig], rest)?;
            }
            InstData::CallBuiltin { builtin, args } => {
                let sig = &dfg.signatures[dfg.builtins[*builtin].sig];
                self.check_call(inst, sig, args.as_slice(&dfg.value_lists))?;
            }
            InstData::Trap { .. } => want_results(0)?,
            InstData::CondTrap { arg, .. } => {
                if !self.ty(*arg).is_int() {
                    return Err(self.inst_err(inst, "trap condition must be an integer"));
                }
            }
        }
        Ok(())
    }

    fn check_call(
        &self,
        inst: Inst,
        sig: &crate::instructions::Signature,
        args: &[Value],
    ) -> Result<(), VerifierError> {
        let dfg = &self.func.dfg;
        let arg_types: Vec<Type> = args.iter().map(|&v| self.ty(v)).collect();
        if arg_types != sig.params {
            return Err(self.inst_err(inst, "call arguments do not match the signature"));
        }
        let res: Vec<Type> = dfg.inst_results(inst).iter().map(|&v| self.ty(v)).collect();
        if res != sig.results {
            return Err(self.inst_err(inst, "call results do not match the signature"));
        }
        Ok(())
    }
}

/// A memory instruction's first operand (its name and type) and its opcode
/// prefix: a heap access's i32 index into linear memory 0, or a raw
/// access's host address.
fn memory_operand(heap: bool) -> (&'static str, Type, &'static str) {
    if heap { ("index", Type::I32, "heap_") } else { ("address", Type::I64, "") }
}
