//! `ModuleInfo`: everything the decoder learned about a module, in index spaces
//! as the spec defines them. Large payloads (code, data, custom sections) are
//! byte ranges into the module bytes, so validating a module copies no code.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::types::{ExternKind, FuncType, GlobalType, MemoryType, RefType, TableType};

/// One instruction of a constant expression (`expr` restricted to constant instructions).
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum ConstOp {
    /// `i32.const`.
    I32Const(i32),
    /// `i64.const`.
    I64Const(i64),
    /// `f32.const`, raw bits.
    F32Const(u32),
    /// `f64.const`, raw bits.
    F64Const(u64),
    /// `v128.const`.
    V128Const(u128),
    /// `ref.null t`.
    RefNull(RefType),
    /// `ref.func funcidx`.
    RefFunc(u32),
    /// `global.get globalidx` (imported globals only under 2.0 rules).
    GlobalGet(u32),
    /// `i32.add` (extended-const).
    I32Add,
    /// `i32.sub` (extended-const).
    I32Sub,
    /// `i32.mul` (extended-const).
    I32Mul,
    /// `i64.add` (extended-const).
    I64Add,
    /// `i64.sub` (extended-const).
    I64Sub,
    /// `i64.mul` (extended-const).
    I64Mul,
}

/// A constant expression: evaluated at instantiation for global initialisers and segment offsets.
#[derive(Clone, PartialEq, Debug)]
pub struct ConstExpr {
    /// The instructions, without the final `end`.
    pub ops: Box<[ConstOp]>,
    /// Module offset of the first instruction, for error messages.
    pub offset: usize,
}

/// What an import brings in.
#[derive(Clone, PartialEq, Debug)]
pub enum ImportDesc {
    /// A function of the given type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

impl ImportDesc {
    /// The kind of external value imported.
    pub fn kind(&self) -> ExternKind {
        match self {
            ImportDesc::Func(_) => ExternKind::Func,
            ImportDesc::Table(_) => ExternKind::Table,
            ImportDesc::Memory(_) => ExternKind::Memory,
            ImportDesc::Global(_) => ExternKind::Global,
        }
    }
}

/// An import: module name, field name, and what is imported.
#[derive(Clone, PartialEq, Debug)]
pub struct Import {
    /// The module name.
    pub module: String,
    /// The field name.
    pub name: String,
    /// The imported entity.
    pub desc: ImportDesc,
}

/// An export: a name bound to an index in one of the index spaces.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Export {
    /// The exported name (unique within the module).
    pub name: String,
    /// Which index space `index` refers to.
    pub kind: ExternKind,
    /// Index in that space (imports first, then definitions).
    pub index: u32,
}

/// A global definition.
#[derive(Clone, PartialEq, Debug)]
pub struct Global {
    /// Its type.
    pub ty: GlobalType,
    /// Its initial value.
    pub init: ConstExpr,
}

/// A table definition, with the optional initialiser of the function-references proposal
/// left out: under 2.0 a table starts as all nulls.
#[derive(Clone, PartialEq, Debug)]
pub struct Table {
    /// Its type.
    pub ty: TableType,
}

/// How an element segment is used.
#[derive(Clone, PartialEq, Debug)]
pub enum ElemMode {
    /// Copied into a table at instantiation, then dropped.
    Active {
        /// Table index.
        table: u32,
        /// Offset expression (i32).
        offset: ConstExpr,
    },
    /// Available to `table.init` until `elem.drop`.
    Passive,
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
}

/// The items of an element segment.
#[derive(Clone, PartialEq, Debug)]
pub enum ElemItems {
    /// Function indices (the compact encoding).
    Functions(Box<[u32]>),
    /// Constant expressions yielding references.
    Exprs(Box<[ConstExpr]>),
}

impl ElemItems {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            ElemItems::Functions(f) => f.len(),
            ElemItems::Exprs(e) => e.len(),
        }
    }

    /// True if the segment has no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An element segment.
#[derive(Clone, PartialEq, Debug)]
pub struct ElemSegment {
    /// How it is used.
    pub mode: ElemMode,
    /// The reference type of its items.
    pub ty: RefType,
    /// Its items.
    pub items: ElemItems,
}

/// How a data segment is used.
#[derive(Clone, PartialEq, Debug)]
pub enum DataMode {
    /// Copied into a memory at instantiation, then dropped.
    Active {
        /// Memory index.
        memory: u32,
        /// Offset expression (i32).
        offset: ConstExpr,
    },
    /// Available to `memory.init` until `data.drop`.
    Passive,
}

/// A data segment; its bytes stay in the module.
#[derive(Clone, PartialEq, Debug)]
pub struct DataSegment {
    /// How it is used.
    pub mode: DataMode,
    /// Where its bytes are in the module.
    pub range: Range<usize>,
}

/// A defined function's body: its local declarations and instructions.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FuncBody {
    /// Range of the body in the module bytes, after the size field (locals, then code).
    pub range: Range<usize>,
}

/// A custom section, kept whole.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CustomSection {
    /// Its name.
    pub name: String,
    /// Where its payload (after the name) is in the module bytes.
    pub range: Range<usize>,
}

/// Names from the `name` custom section, used by listings, traces and trap messages.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Names {
    /// The module's name.
    pub module: Option<String>,
    /// Function names by function index.
    pub functions: BTreeMap<u32, String>,
    /// Local names by function index, then local index.
    pub locals: BTreeMap<u32, BTreeMap<u32, String>>,
}

/// A decoded and validated module.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct ModuleInfo {
    /// The type section.
    pub types: Vec<FuncType>,
    /// All imports, in order.
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first (the function index space).
    pub functions: Vec<u32>,
    /// Number of imported functions (they come first in `functions`).
    pub num_imported_functions: u32,
    /// Every table type, imported first.
    pub tables: Vec<TableType>,
    /// Number of imported tables.
    pub num_imported_tables: u32,
    /// Every memory type, imported first.
    pub memories: Vec<MemoryType>,
    /// Number of imported memories.
    pub num_imported_memories: u32,
    /// Every global type, imported first.
    pub globals: Vec<GlobalType>,
    /// Number of imported globals.
    pub num_imported_globals: u32,
    /// Initialisers of the defined globals (index `i` is global `num_imported_globals + i`).
    pub global_inits: Vec<ConstExpr>,
    /// Exports, in order.
    pub exports: Vec<Export>,
    /// The start function, if any.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: Vec<ElemSegment>,
    /// Data segments.
    pub data: Vec<DataSegment>,
    /// The data count section's value, if present.
    pub data_count: Option<u32>,
    /// Bodies of the defined functions (index `i` is function `num_imported_functions + i`).
    pub bodies: Vec<FuncBody>,
    /// Custom sections, in order of appearance (the `name` section included).
    pub custom_sections: Vec<CustomSection>,
    /// Decoded `name` section; empty when absent or malformed (as the spec allows).
    pub names: Names,
}

impl ModuleInfo {
    /// The type of function `funcidx`.
    pub fn func_type(&self, funcidx: u32) -> Option<&FuncType> {
        let ty = *self.functions.get(funcidx as usize)?;
        self.types.get(ty as usize)
    }

    /// True if `funcidx` is an imported function.
    pub fn is_imported_func(&self, funcidx: u32) -> bool {
        funcidx < self.num_imported_functions
    }

    /// The export with this name.
    pub fn export(&self, name: &str) -> Option<&Export> {
        self.exports.iter().find(|e| e.name == name)
    }

    /// Payloads of the custom sections with this name, in order.
    pub fn custom_sections_named<'b>(
        &'b self,
        bytes: &'b [u8],
        name: &'b str,
    ) -> impl Iterator<Item = &'b [u8]> + 'b {
        self.custom_sections
            .iter()
            .filter(move |c| c.name == name)
            .filter_map(move |c| bytes.get(c.range.clone()))
    }

    /// The most locals (parameters included) a function may declare. The spec
    /// only bounds it by u32; engines bound it so frames stay small. Decoding
    /// and the lowering both check against this one value.
    pub const MAX_LOCALS: u64 = 50_000;
}
