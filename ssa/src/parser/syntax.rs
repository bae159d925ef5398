//! Opcode words of the text form and how their operands are written.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex};

use crate::instructions::{LaneShape, LoadKind, Opcode, StoreKind};
use crate::vecop::VecOp;

/// How an opcode word's operands are written.
#[derive(Clone, Copy, Debug)]
pub(super) enum Syntax {
    Iconst,
    F32const,
    F64const,
    Vconst,
    Unary(Opcode),
    Binary(Opcode),
    Select,
    Icmp,
    Fcmp,
    Load(LoadKind),
    Store(StoreKind),
    HeapLoad(LoadKind),
    HeapStore(StoreKind),
    LoadLane,
    StoreLane,
    Vector(VecOp),
    Shuffle,
    ExtractLane,
    InsertLane,
    Jump,
    Brif,
    BrTable,
    Return,
    Call,
    CallIndirect,
    CallBuiltin,
    Trap,
    CondTrap(Opcode),
}

const LOAD_KINDS: [LoadKind; 19] = [
    LoadKind::Plain,
    LoadKind::S8,
    LoadKind::U8,
    LoadKind::S16,
    LoadKind::U16,
    LoadKind::S32,
    LoadKind::U32,
    LoadKind::V8x8S,
    LoadKind::V8x8U,
    LoadKind::V16x4S,
    LoadKind::V16x4U,
    LoadKind::V32x2S,
    LoadKind::V32x2U,
    LoadKind::Splat8,
    LoadKind::Splat16,
    LoadKind::Splat32,
    LoadKind::Splat64,
    LoadKind::Zero32,
    LoadKind::Zero64,
];

const STORE_KINDS: [StoreKind; 4] =
    [StoreKind::Plain, StoreKind::Narrow8, StoreKind::Narrow16, StoreKind::Narrow32];

pub(super) const LANE_SHAPES: [LaneShape; 8] = [
    LaneShape::I8x16S,
    LaneShape::I8x16U,
    LaneShape::I16x8S,
    LaneShape::I16x8U,
    LaneShape::I32x4,
    LaneShape::I64x2,
    LaneShape::F32x4,
    LaneShape::F64x2,
];

fn opcode_syntax(op: Opcode) -> Syntax {
    use Opcode::*;
    match op {
        Iconst => Syntax::Iconst,
        F32const => Syntax::F32const,
        F64const => Syntax::F64const,
        Vconst => Syntax::Vconst,
        Clz | Ctz | Popcnt | Sextend8 | Sextend16 | Sextend32 | Uextend | Sextend | Ireduce | Fabs | Fneg
        | Fsqrt | Fceil | Ffloor | Ftrunc | Fnearest | Fpromote | Fdemote | FcvtToSint | FcvtToUint
        | FcvtToSintSat | FcvtToUintSat | FcvtFromSint | FcvtFromUint | Bitcast => Syntax::Unary(op),
        Iadd | Isub | Imul | Sdiv | Udiv | Srem | Urem | Band | Bor | Bxor | Ishl | Sshr | Ushr | Rotl
        | Rotr | Fadd | Fsub | Fmul | Fdiv | Fmin | Fmax | Fcopysign => Syntax::Binary(op),
        Select => Syntax::Select,
        Icmp => Syntax::Icmp,
        Fcmp => Syntax::Fcmp,
        Load => Syntax::Load(LoadKind::Plain),
        Store => Syntax::Store(StoreKind::Plain),
        HeapLoad => Syntax::HeapLoad(LoadKind::Plain),
        HeapStore => Syntax::HeapStore(StoreKind::Plain),
        LoadLane => Syntax::LoadLane,
        StoreLane => Syntax::StoreLane,
        // Never looked up: vector ops are written by their own names (`i32x4.add`).
        Vector => Syntax::Vector(VecOp::V128Not),
        Shuffle => Syntax::Shuffle,
        ExtractLane => Syntax::ExtractLane,
        InsertLane => Syntax::InsertLane,
        Jump => Syntax::Jump,
        Brif => Syntax::Brif,
        BrTable => Syntax::BrTable,
        Return => Syntax::Return,
        Call => Syntax::Call,
        CallIndirect => Syntax::CallIndirect,
        CallBuiltin => Syntax::CallBuiltin,
        Trap => Syntax::Trap,
        Trapz | Trapnz => Syntax::CondTrap(op),
    }
}

/// Opcode words without their `.suffix`, and vector op names (which contain a dot).
pub(super) static SYNTAX: LazyLock<HashMap<&'static str, Syntax>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for &op in Opcode::ALL {
        if op != Opcode::Vector {
            m.insert(op.name(), opcode_syntax(op));
        }
    }
    for kind in LOAD_KINDS {
        m.insert(kind.name(), Syntax::Load(kind));
        m.insert(intern(&format!("heap_{}", kind.name())), Syntax::HeapLoad(kind));
    }
    for kind in STORE_KINDS {
        m.insert(kind.name(), Syntax::Store(kind));
        m.insert(intern(&format!("heap_{}", kind.name())), Syntax::HeapStore(kind));
    }
    for &op in VecOp::ALL {
        m.insert(op.name(), Syntax::Vector(op));
    }
    m
});

/// Builtin names live as long as the process; each distinct one is leaked once.
pub(super) fn intern(name: &str) -> &'static str {
    static NAMES: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Default::default);
    let mut names = NAMES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(&s) = names.get(name) {
        return s;
    }
    let s: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(s);
    s
}

pub(super) fn by_name<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, word: &str) -> Option<T> {
    all.iter().copied().find(|&x| name(x) == word)
}
