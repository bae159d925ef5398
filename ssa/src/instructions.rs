//! Instructions: `Opcode` names the operation, `InstData` holds its operands in
//! one of a few formats. Results live in the DFG, typed when the instruction is
//! built, so an opcode like `iadd` serves both `i32` and `i64`.

use cranelift_entity::EntityList;

use crate::codes::{FloatCC, IntCC, TrapCode};
use crate::entities::{Block, BuiltinRef, Constant, FuncRef, JumpTable, SigRef, Value};
use crate::types::Type;
use crate::vecop::VecOp;

/// A list of values stored in the DFG's value-list pool.
pub type ValueList = EntityList<Value>;

macro_rules! opcodes {
    ($($(#[$doc:meta])* $name:ident = $text:literal,)*) => {
        /// Every operation of the IR.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Opcode { $($(#[$doc])* $name,)* }

        impl Opcode {
            /// Every opcode.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name,)*];

            /// The printer's spelling.
            pub fn name(self) -> &'static str {
                match self { $(Opcode::$name => $text,)* }
            }
        }
    };
}

opcodes! {
    /// Integer constant (`imm` sign-extended to the result type).
    Iconst = "iconst",
    /// f32 constant by bits.
    F32const = "f32const",
    /// f64 constant by bits.
    F64const = "f64const",
    /// v128 constant from the pool.
    Vconst = "vconst",
    /// Wrapping add.
    Iadd = "iadd",
    /// Wrapping subtract.
    Isub = "isub",
    /// Wrapping multiply.
    Imul = "imul",
    /// Signed divide; traps on zero and on MIN / -1.
    Sdiv = "sdiv",
    /// Unsigned divide; traps on zero.
    Udiv = "udiv",
    /// Signed remainder; traps on zero (MIN % -1 is 0).
    Srem = "srem",
    /// Unsigned remainder; traps on zero.
    Urem = "urem",
    /// Bitwise and.
    Band = "band",
    /// Bitwise or.
    Bor = "bor",
    /// Bitwise xor.
    Bxor = "bxor",
    /// Shift left (amount modulo the width).
    Ishl = "ishl",
    /// Arithmetic shift right.
    Sshr = "sshr",
    /// Logical shift right.
    Ushr = "ushr",
    /// Rotate left.
    Rotl = "rotl",
    /// Rotate right.
    Rotr = "rotr",
    /// Count leading zeros.
    Clz = "clz",
    /// Count trailing zeros.
    Ctz = "ctz",
    /// Count set bits.
    Popcnt = "popcnt",
    /// Sign-extend the low 8 bits within the type.
    Sextend8 = "sextend8",
    /// Sign-extend the low 16 bits within the type.
    Sextend16 = "sextend16",
    /// Sign-extend the low 32 bits of an i64.
    Sextend32 = "sextend32",
    /// Zero-extend i32 to i64.
    Uextend = "uextend",
    /// Sign-extend i32 to i64.
    Sextend = "sextend",
    /// Truncate i64 to i32.
    Ireduce = "ireduce",
    /// Integer compare, i32 result 0 or 1.
    Icmp = "icmp",
    /// Float add.
    Fadd = "fadd",
    /// Float subtract.
    Fsub = "fsub",
    /// Float multiply.
    Fmul = "fmul",
    /// Float divide.
    Fdiv = "fdiv",
    /// Wasm `min`: NaN if either is NaN, -0 below +0.
    Fmin = "fmin",
    /// Wasm `max`.
    Fmax = "fmax",
    /// Copy the sign of the second operand.
    Fcopysign = "fcopysign",
    /// Clear the sign bit.
    Fabs = "fabs",
    /// Flip the sign bit.
    Fneg = "fneg",
    /// Square root.
    Fsqrt = "fsqrt",
    /// Round up.
    Fceil = "fceil",
    /// Round down.
    Ffloor = "ffloor",
    /// Round toward zero.
    Ftrunc = "ftrunc",
    /// Round to nearest, ties to even.
    Fnearest = "fnearest",
    /// f32 to f64.
    Fpromote = "fpromote",
    /// f64 to f32.
    Fdemote = "fdemote",
    /// Float compare, i32 result 0 or 1.
    Fcmp = "fcmp",
    /// Float to signed int; traps on NaN and out of range.
    FcvtToSint = "fcvt_to_sint",
    /// Float to unsigned int; traps on NaN and out of range.
    FcvtToUint = "fcvt_to_uint",
    /// Float to signed int, saturating (NaN is 0).
    FcvtToSintSat = "fcvt_to_sint_sat",
    /// Float to unsigned int, saturating.
    FcvtToUintSat = "fcvt_to_uint_sat",
    /// Signed int to float.
    FcvtFromSint = "fcvt_from_sint",
    /// Unsigned int to float.
    FcvtFromUint = "fcvt_from_uint",
    /// Reinterpret bits between same-sized int and float.
    Bitcast = "bitcast",
    /// `select c, a, b`: `a` if `c != 0`, else `b`.
    Select = "select",
    /// Memory load at `addr + offset` (the address is already bounds-checked).
    Load = "load",
    /// Memory store at `addr + offset`.
    Store = "store",
    /// Load one lane into a vector.
    LoadLane = "load_lane",
    /// Store one lane of a vector.
    StoreLane = "store_lane",
    /// Bounds-checked load from linear memory 0 at `index + offset`, `index`
    /// an i32 zero-extended: traps `heap_oob` if the accessed bytes are not
    /// all inside the memory. One instruction instead of the check's nine, so
    /// every pass and the interpreter see a tenth of the instructions per
    /// access; a compiler expands it as its bounds strategy needs.
    HeapLoad = "heap_load",
    /// Bounds-checked store to linear memory 0 (see [`Opcode::HeapLoad`]).
    HeapStore = "heap_store",
    /// A lane-wise SIMD operation ([`VecOp`]).
    Vector = "vector",
    /// `i8x16.shuffle` with a constant lane mask.
    Shuffle = "shuffle",
    /// Extract a lane to a scalar.
    ExtractLane = "extractlane",
    /// Replace a lane.
    InsertLane = "insertlane",
    /// Unconditional branch.
    Jump = "jump",
    /// Branch on an i32 being non-zero.
    Brif = "brif",
    /// Indexed branch with a default.
    BrTable = "br_table",
    /// Return from the function.
    Return = "return",
    /// Direct call.
    Call = "call",
    /// Call through a function handle (first argument).
    CallIndirect = "call_indirect",
    /// Call a runtime service.
    CallBuiltin = "call_builtin",
    /// Unconditional trap.
    Trap = "trap",
    /// Trap if the operand is zero.
    Trapz = "trapz",
    /// Trap if the operand is non-zero.
    Trapnz = "trapnz",
}

impl Opcode {
    /// True for instructions that end a block.
    pub fn is_terminator(self) -> bool {
        matches!(self, Opcode::Jump | Opcode::Brif | Opcode::BrTable | Opcode::Return | Opcode::Trap)
    }

    /// True if removing or reordering the instruction could change behaviour
    /// (memory writes, calls, traps): DCE and GVN leave these alone.
    pub fn has_side_effects(self) -> bool {
        matches!(
            self,
            Opcode::Store
                | Opcode::StoreLane
                | Opcode::HeapLoad
                | Opcode::HeapStore
                | Opcode::Call
                | Opcode::CallIndirect
                | Opcode::CallBuiltin
                | Opcode::Trap
                | Opcode::Trapz
                | Opcode::Trapnz
                | Opcode::Sdiv
                | Opcode::Udiv
                | Opcode::Srem
                | Opcode::Urem
                | Opcode::FcvtToSint
                | Opcode::FcvtToUint
        ) || self.is_terminator()
    }

    /// True for loads: their value depends on memory, so GVN must not merge
    /// them across stores or calls. (A `heap_load` also traps, so it has side
    /// effects too.)
    pub fn reads_memory(self) -> bool {
        matches!(self, Opcode::Load | Opcode::LoadLane | Opcode::HeapLoad)
    }
}

/// How a load reads memory and widens to its result type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum LoadKind {
    /// Full-width load of the result type.
    Plain,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    /// v128 from 8 bytes, each i8 sign-extended to i16 (and so on).
    V8x8S,
    V8x8U,
    V16x4S,
    V16x4U,
    V32x2S,
    V32x2U,
    /// v128 with one loaded lane splatted.
    Splat8,
    Splat16,
    Splat32,
    Splat64,
    /// v128 with the low lane loaded, the rest zero.
    Zero32,
    Zero64,
}

impl LoadKind {
    /// Bytes read.
    pub fn access_bytes(self, ty: Type) -> u32 {
        match self {
            LoadKind::Plain => ty.bytes(),
            LoadKind::S8 | LoadKind::U8 | LoadKind::Splat8 => 1,
            LoadKind::S16 | LoadKind::U16 | LoadKind::Splat16 => 2,
            LoadKind::S32 | LoadKind::U32 | LoadKind::Splat32 | LoadKind::Zero32 => 4,
            _ => 8,
        }
    }

    /// The printer's opcode spelling.
    pub fn name(self) -> &'static str {
        match self {
            LoadKind::Plain => "load",
            LoadKind::S8 => "sload8",
            LoadKind::U8 => "uload8",
            LoadKind::S16 => "sload16",
            LoadKind::U16 => "uload16",
            LoadKind::S32 => "sload32",
            LoadKind::U32 => "uload32",
            LoadKind::V8x8S => "load8x8_s",
            LoadKind::V8x8U => "load8x8_u",
            LoadKind::V16x4S => "load16x4_s",
            LoadKind::V16x4U => "load16x4_u",
            LoadKind::V32x2S => "load32x2_s",
            LoadKind::V32x2U => "load32x2_u",
            LoadKind::Splat8 => "load8_splat",
            LoadKind::Splat16 => "load16_splat",
            LoadKind::Splat32 => "load32_splat",
            LoadKind::Splat64 => "load64_splat",
            LoadKind::Zero32 => "load32_zero",
            LoadKind::Zero64 => "load64_zero",
        }
    }
}

/// How many low bytes of the value a store writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// The whole value.
    Plain,
    /// The low byte.
    Narrow8,
    /// The low 2 bytes.
    Narrow16,
    /// The low 4 bytes of an i64.
    Narrow32,
}

impl StoreKind {
    /// Bytes written for a value of type `ty`.
    pub fn access_bytes(self, ty: Type) -> u32 {
        match self {
            StoreKind::Plain => ty.bytes(),
            StoreKind::Narrow8 => 1,
            StoreKind::Narrow16 => 2,
            StoreKind::Narrow32 => 4,
        }
    }

    /// The printer's opcode spelling.
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Plain => "store",
            StoreKind::Narrow8 => "istore8",
            StoreKind::Narrow16 => "istore16",
            StoreKind::Narrow32 => "istore32",
        }
    }
}

/// Lane shape of `extractlane`/`insertlane`/`load_lane`/`store_lane`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum LaneShape {
    I8x16S,
    I8x16U,
    I16x8S,
    I16x8U,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}

impl LaneShape {
    /// Number of lanes.
    pub fn lanes(self) -> u8 {
        match self {
            LaneShape::I8x16S | LaneShape::I8x16U => 16,
            LaneShape::I16x8S | LaneShape::I16x8U => 8,
            LaneShape::I32x4 | LaneShape::F32x4 => 4,
            LaneShape::I64x2 | LaneShape::F64x2 => 2,
        }
    }

    /// The scalar type of one lane as an SSA value.
    pub fn scalar(self) -> Type {
        match self {
            LaneShape::I64x2 => Type::I64,
            LaneShape::F32x4 => Type::F32,
            LaneShape::F64x2 => Type::F64,
            _ => Type::I32,
        }
    }

    /// The printer's spelling.
    pub fn name(self) -> &'static str {
        match self {
            LaneShape::I8x16S => "i8x16_s",
            LaneShape::I8x16U => "i8x16_u",
            LaneShape::I16x8S => "i16x8_s",
            LaneShape::I16x8U => "i16x8_u",
            LaneShape::I32x4 => "i32x4",
            LaneShape::I64x2 => "i64x2",
            LaneShape::F32x4 => "f32x4",
            LaneShape::F64x2 => "f64x2",
        }
    }
}

/// A branch destination with the arguments passed to its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockCall {
    /// The destination.
    pub block: Block,
    /// Arguments for the destination's parameters.
    pub args: ValueList,
}

/// Operands of an instruction, by format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum InstData {
    /// `iconst`.
    Iconst {
        imm: i64,
    },
    /// `f32const`.
    F32const {
        bits: u32,
    },
    /// `f64const`.
    F64const {
        bits: u64,
    },
    /// `vconst`.
    Vconst {
        constant: Constant,
    },
    Unary {
        opcode: Opcode,
        arg: Value,
    },
    Binary {
        opcode: Opcode,
        args: [Value; 2],
    },
    /// `select`.
    Ternary {
        opcode: Opcode,
        args: [Value; 3],
    },
    IntCompare {
        cond: IntCC,
        args: [Value; 2],
    },
    FloatCompare {
        cond: FloatCC,
        args: [Value; 2],
    },
    Load {
        kind: LoadKind,
        arg: Value,
        offset: u32,
    },
    /// `args` are the address and the value.
    Store {
        kind: StoreKind,
        args: [Value; 2],
        offset: u32,
    },
    /// `heap_load`: `arg` is the i32 index into linear memory 0.
    HeapLoad {
        kind: LoadKind,
        arg: Value,
        offset: u32,
    },
    /// `heap_store`: `args` are the i32 index into linear memory 0 and the value.
    HeapStore {
        kind: StoreKind,
        args: [Value; 2],
        offset: u32,
    },
    /// `args` are the address and the vector; the result is the updated vector.
    LoadLane {
        shape: LaneShape,
        lane: u8,
        args: [Value; 2],
        offset: u32,
    },
    /// `args` are the address and the vector.
    StoreLane {
        shape: LaneShape,
        lane: u8,
        args: [Value; 2],
        offset: u32,
    },
    /// Operands beyond `op.arity()` are unused (and equal to the first).
    Vector {
        op: VecOp,
        args: [Value; 3],
    },
    Shuffle {
        args: [Value; 2],
        mask: Constant,
    },
    ExtractLane {
        shape: LaneShape,
        lane: u8,
        arg: Value,
    },
    InsertLane {
        shape: LaneShape,
        lane: u8,
        args: [Value; 2],
    },
    Jump {
        dest: BlockCall,
    },
    Brif {
        arg: Value,
        then_dest: BlockCall,
        else_dest: BlockCall,
    },
    BrTable {
        arg: Value,
        table: JumpTable,
    },
    Return {
        args: ValueList,
    },
    Call {
        func: FuncRef,
        args: ValueList,
    },
    /// `args[0]` is the callee handle.
    CallIndirect {
        sig: SigRef,
        args: ValueList,
    },
    CallBuiltin {
        builtin: BuiltinRef,
        args: ValueList,
    },
    Trap {
        code: TrapCode,
    },
    /// `trapz`/`trapnz`.
    CondTrap {
        opcode: Opcode,
        arg: Value,
        code: TrapCode,
    },
}

impl InstData {
    /// The operation.
    pub fn opcode(&self) -> Opcode {
        match *self {
            InstData::Iconst { .. } => Opcode::Iconst,
            InstData::F32const { .. } => Opcode::F32const,
            InstData::F64const { .. } => Opcode::F64const,
            InstData::Vconst { .. } => Opcode::Vconst,
            InstData::Unary { opcode, .. }
            | InstData::Binary { opcode, .. }
            | InstData::Ternary { opcode, .. }
            | InstData::CondTrap { opcode, .. } => opcode,
            InstData::IntCompare { .. } => Opcode::Icmp,
            InstData::FloatCompare { .. } => Opcode::Fcmp,
            InstData::Load { .. } => Opcode::Load,
            InstData::Store { .. } => Opcode::Store,
            InstData::HeapLoad { .. } => Opcode::HeapLoad,
            InstData::HeapStore { .. } => Opcode::HeapStore,
            InstData::LoadLane { .. } => Opcode::LoadLane,
            InstData::StoreLane { .. } => Opcode::StoreLane,
            InstData::Vector { .. } => Opcode::Vector,
            InstData::Shuffle { .. } => Opcode::Shuffle,
            InstData::ExtractLane { .. } => Opcode::ExtractLane,
            InstData::InsertLane { .. } => Opcode::InsertLane,
            InstData::Jump { .. } => Opcode::Jump,
            InstData::Brif { .. } => Opcode::Brif,
            InstData::BrTable { .. } => Opcode::BrTable,
            InstData::Return { .. } => Opcode::Return,
            InstData::Call { .. } => Opcode::Call,
            InstData::CallIndirect { .. } => Opcode::CallIndirect,
            InstData::CallBuiltin { .. } => Opcode::CallBuiltin,
            InstData::Trap { .. } => Opcode::Trap,
        }
    }
}

/// A signature of a called function: parameter and result types.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Signature {
    /// Parameter types (for Wasm functions, `vmctx: i64` first).
    pub params: Vec<Type>,
    /// Result types.
    pub results: Vec<Type>,
}

/// A directly called function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtFuncData {
    /// The engine's index of the callee (for Wasm, the `funcidx`).
    pub index: u32,
    /// Its signature.
    pub sig: SigRef,
    /// A name for listings.
    pub name: String,
}

/// A runtime service called through the builtin table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltinData {
    /// Index in the VM context's builtin table.
    pub index: u32,
    /// Its signature.
    pub sig: SigRef,
    /// A name for listings (`memory_grow`).
    pub name: &'static str,
}

/// The targets of a `br_table`: `targets[i]` for index `i`, else `default`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JumpTableData {
    /// Taken when the index is out of range.
    pub default: BlockCall,
    /// Indexed targets.
    pub targets: Vec<BlockCall>,
}
