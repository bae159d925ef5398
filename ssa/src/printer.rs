//! The stable text form of a function:
//!
//! ```text
//! function %add(i64, i32, i32) -> i32 {
//! block0(v0: i64, v1: i32, v2: i32):
//!     v3 = iadd.i32 v1, v2
//!     return v3
//! }
//! ```
//!
//! One instruction per line, types as suffixes, branch arguments in
//! parentheses. With [`PrintOptions::srclocs`] each instruction is prefixed by
//! its source offset (`@001a`).

use std::fmt::{self, Write};

use crate::dfg::DataFlowGraph;
use crate::entities::{Inst, Value};
use crate::function::Function;
use crate::instructions::{BlockCall, InstData, Opcode, Signature};

/// What to include in the text.
#[derive(Clone, Copy, Debug, Default)]
pub struct PrintOptions {
    /// Prefix instructions with their source offsets.
    pub srclocs: bool,
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_function(f, self, PrintOptions::default())
    }
}

/// Prints `func` to a string.
pub fn print_function(func: &Function, opts: PrintOptions) -> String {
    let mut s = String::new();
    let _ = write_function(&mut s, func, opts);
    s
}

fn write_sig(w: &mut dyn Write, sig: &Signature) -> fmt::Result {
    let list = |v: &[crate::types::Type]| v.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
    write!(w, "({})", list(&sig.params))?;
    if !sig.results.is_empty() {
        write!(w, " -> {}", list(&sig.results))?;
    }
    Ok(())
}

/// Writes `func` in the text form.
pub fn write_function(w: &mut dyn Write, func: &Function, opts: PrintOptions) -> fmt::Result {
    let dfg = &func.dfg;
    write!(w, "function %{}", func.name)?;
    write_sig(w, &func.signature)?;
    writeln!(w, " {{")?;
    for (sig, data) in dfg.signatures.iter() {
        write!(w, "    {sig} = ")?;
        write_sig(w, data)?;
        writeln!(w)?;
    }
    for (fref, data) in dfg.ext_funcs.iter() {
        writeln!(w, "    {fref} = %{} {}", data.name, data.sig)?;
    }
    for (b, data) in dfg.builtins.iter() {
        writeln!(w, "    {b} = {} {}", data.name, data.sig)?;
    }
    for block in func.layout.blocks() {
        write!(w, "{block}")?;
        let params = dfg.block_params(block);
        if !params.is_empty() {
            let ps: Vec<String> = params.iter().map(|&p| format!("{p}: {}", dfg.value_type(p))).collect();
            write!(w, "({})", ps.join(", "))?;
        }
        writeln!(w, ":")?;
        for inst in func.layout.block_insts(block) {
            w.write_str("    ")?;
            if opts.srclocs {
                let loc = func.srclocs[inst];
                if loc.is_some() {
                    write!(w, "@{:04x} ", loc.0)?;
                } else {
                    w.write_str("      ")?;
                }
            }
            write_inst(w, dfg, inst)?;
            writeln!(w)?;
        }
    }
    writeln!(w, "}}")
}

fn values(vs: &[Value]) -> String {
    vs.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

fn block_call(dfg: &DataFlowGraph, call: &BlockCall) -> String {
    let args = dfg.block_call_args(call);
    if args.is_empty() { call.block.to_string() } else { format!("{}({})", call.block, values(args)) }
}

fn addr(v: Value, offset: u32) -> String {
    if offset == 0 { v.to_string() } else { format!("{v}+{offset}") }
}

/// Writes one instruction (results, opcode, operands) without a newline.
pub fn write_inst(w: &mut dyn Write, dfg: &DataFlowGraph, inst: Inst) -> fmt::Result {
    let results = dfg.inst_results(inst);
    if !results.is_empty() {
        write!(w, "{} = ", values(results))?;
    }
    let ty = results.first().map(|&r| dfg.value_type(r));
    let suffix = |op: &str| match ty {
        Some(t) => format!("{op}.{t}"),
        None => op.to_string(),
    };
    let pool = &dfg.value_lists;
    match dfg.inst(inst) {
        InstData::Iconst { imm } => write!(w, "{} {imm}", suffix("iconst")),
        InstData::F32const { bits } => write!(w, "f32const {bits:#010x} ; {}", f32::from_bits(*bits)),
        InstData::F64const { bits } => write!(w, "f64const {bits:#018x} ; {}", f64::from_bits(*bits)),
        InstData::Vconst { constant } => write!(w, "vconst {:#034x}", dfg.constants[*constant]),
        InstData::Unary { opcode, arg } => write!(w, "{} {arg}", suffix(opcode.name())),
        InstData::Binary { opcode, args } => write!(w, "{} {}, {}", suffix(opcode.name()), args[0], args[1]),
        InstData::Ternary { opcode, args } => {
            write!(w, "{} {}, {}, {}", suffix(opcode.name()), args[0], args[1], args[2])
        }
        InstData::IntCompare { cond, args } => {
            write!(w, "icmp.{} {} {}, {}", dfg.value_type(args[0]), cond.name(), args[0], args[1])
        }
        InstData::FloatCompare { cond, args } => {
            write!(w, "fcmp.{} {} {}, {}", dfg.value_type(args[0]), cond.name(), args[0], args[1])
        }
        InstData::Load { kind, arg, offset } => write!(w, "{} {}", suffix(kind.name()), addr(*arg, *offset)),
        InstData::Store { kind, args, offset } => {
            write!(w, "{}.{} {}, {}", kind.name(), dfg.value_type(args[1]), args[1], addr(args[0], *offset))
        }
        InstData::HeapLoad { kind, arg, offset } => {
            write!(w, "heap_{} {}", suffix(kind.name()), addr(*arg, *offset))
        }
        InstData::HeapStore { kind, args, offset } => {
            write!(
                w,
                "heap_{}.{} {}, {}",
                kind.name(),
                dfg.value_type(args[1]),
                args[1],
                addr(args[0], *offset)
            )
        }
        InstData::LoadLane { shape, lane, args, offset } => {
            write!(w, "load_lane.{} {}, {}, {lane}", shape.name(), addr(args[0], *offset), args[1])
        }
        InstData::StoreLane { shape, lane, args, offset } => {
            write!(w, "store_lane.{} {}, {}, {lane}", shape.name(), args[1], addr(args[0], *offset))
        }
        InstData::Vector { op, args } => write!(w, "{} {}", op.name(), values(&args[..op.arity()])),
        InstData::Shuffle { args, mask } => {
            let m = dfg.constants[*mask].to_le_bytes();
            let lanes: Vec<String> = m.iter().map(|l| l.to_string()).collect();
            write!(w, "shuffle {}, {}, [{}]", args[0], args[1], lanes.join(" "))
        }
        InstData::ExtractLane { shape, lane, arg } => write!(w, "extractlane.{} {arg}, {lane}", shape.name()),
        InstData::InsertLane { shape, lane, args } => {
            write!(w, "insertlane.{} {}, {}, {lane}", shape.name(), args[0], args[1])
        }
        InstData::Jump { dest } => write!(w, "jump {}", block_call(dfg, dest)),
        InstData::Brif { arg, then_dest, else_dest } => {
            write!(w, "brif {arg}, {}, {}", block_call(dfg, then_dest), block_call(dfg, else_dest))
        }
        InstData::BrTable { arg, table } => {
            let jt = &dfg.jump_tables[*table];
            let targets: Vec<String> = jt.targets.iter().map(|t| block_call(dfg, t)).collect();
            write!(w, "br_table {arg}, {}, [{}]", block_call(dfg, &jt.default), targets.join(", "))
        }
        InstData::Return { args } => {
            let args = args.as_slice(pool);
            if args.is_empty() { w.write_str("return") } else { write!(w, "return {}", values(args)) }
        }
        InstData::Call { func, args } => write!(w, "call {func}({})", values(args.as_slice(pool))),
        InstData::CallIndirect { sig, args } => {
            let args = args.as_slice(pool);
            write!(w, "call_indirect {sig}, {}({})", args[0], values(&args[1..]))
        }
        InstData::CallBuiltin { builtin, args } => {
            write!(w, "call_builtin {}({})", dfg.builtins[*builtin].name, values(args.as_slice(pool)))
        }
        InstData::Trap { code } => write!(w, "trap {}", code.ir_name()),
        InstData::CondTrap { opcode, arg, code } => {
            debug_assert!(matches!(opcode, Opcode::Trapz | Opcode::Trapnz));
            write!(w, "{} {arg}, {}", opcode.name(), code.ir_name())
        }
    }
}
