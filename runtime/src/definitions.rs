//! Descriptions of what a module imports, exports and defines, as embedders
//! inspect them (a [`crate::CompiledModule`]'s lists) and as listeners and
//! traces name functions. Built once per module from its [`ModuleInfo`] and
//! shared behind `Arc`s, so handing them out never allocates.

use std::sync::Arc;

use zerowasm_frontend::module::ImportDesc;
use zerowasm_frontend::{ExternKind, FuncType, GlobalType, MemoryType, ModuleInfo, TableType};

/// A function of a module's function space: what a trace prints and what a
/// listener is told about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionDefinition {
    /// Name of the module that defines it (the name section's module name,
    /// the instance name, or the host module's name).
    pub module_name: Arc<str>,
    /// Index in the module's function space (imports first).
    pub index: u32,
    /// `(module, field)` if the function is imported.
    pub import: Option<(Arc<str>, Arc<str>)>,
    /// Names it is exported under, in module order.
    pub export_names: Vec<Arc<str>>,
    /// Its name from the name section, if any.
    pub name: Option<Arc<str>>,
    /// Its type.
    pub ty: Arc<FuncType>,
    /// Parameter names (from the name section's local names, or given to a
    /// host function); empty strings where unknown.
    pub param_names: Vec<Arc<str>>,
    /// Result names (host functions only: Wasm has no result names); empty
    /// strings where unknown.
    pub result_names: Vec<Arc<str>>,
}

impl FunctionDefinition {
    /// The name traces show: the name section's, else the first export name,
    /// else the import field, else `$index`.
    pub fn debug_name(&self) -> String {
        let base = self
            .name
            .as_deref()
            .or_else(|| self.export_names.first().map(|n| &**n))
            .or_else(|| self.import.as_ref().map(|(_, f)| &**f));
        match base {
            Some(n) => format!("{}.{}", self.module_name, n),
            None => format!("{}.${}", self.module_name, self.index),
        }
    }

    /// Every function of `info`, in function-index order.
    pub fn all_of(module_name: &str, info: &ModuleInfo) -> Vec<FunctionDefinition> {
        let module_name: Arc<str> = Arc::from(module_name);
        let mut imports = info.imports.iter().filter(|i| matches!(i.desc, ImportDesc::Func(_)));
        let mut exports: Vec<Vec<Arc<str>>> = vec![Vec::new(); info.functions.len()];
        for e in &info.exports {
            if e.kind == ExternKind::Func
                && let Some(list) = exports.get_mut(e.index as usize)
            {
                list.push(Arc::from(e.name.as_str()));
            }
        }
        let mut defs = Vec::with_capacity(info.functions.len());
        for (index, export_names) in (0u32..).zip(exports) {
            let ty = Arc::new(info.func_type(index).cloned().unwrap_or_else(|| FuncType::new([], [])));
            let import = if index < info.num_imported_functions {
                imports.next().map(|i| (Arc::from(i.module.as_str()), Arc::from(i.name.as_str())))
            } else {
                None
            };
            let locals = info.names.locals.get(&index);
            let param_names = (0..ty.params.len() as u32)
                .map(|i| Arc::from(locals.and_then(|l| l.get(&i)).map_or("", |s| s.as_str())))
                .collect();
            let result_names = vec![Arc::from(""); ty.results.len()];
            defs.push(FunctionDefinition {
                module_name: module_name.clone(),
                index,
                import,
                export_names,
                name: info.names.functions.get(&index).map(|s| Arc::from(s.as_str())),
                ty,
                param_names,
                result_names,
            });
        }
        defs
    }
}

/// A memory a module imports or defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryDefinition {
    /// Index in the memory space.
    pub index: u32,
    /// `(module, field)` if imported.
    pub import: Option<(String, String)>,
    /// Export names.
    pub export_names: Vec<String>,
    /// Its limits.
    pub ty: MemoryType,
}

/// A table a module imports or defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDefinition {
    /// Index in the table space.
    pub index: u32,
    /// `(module, field)` if imported.
    pub import: Option<(String, String)>,
    /// Export names.
    pub export_names: Vec<String>,
    /// Element type and limits.
    pub ty: TableType,
}

/// A global a module imports or defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalDefinition {
    /// Index in the global space.
    pub index: u32,
    /// `(module, field)` if imported.
    pub import: Option<(String, String)>,
    /// Export names.
    pub export_names: Vec<String>,
    /// Value type and mutability.
    pub ty: GlobalType,
}

/// Imports of `kind`, with their index in that kind's space.
fn imports_of(info: &ModuleInfo, kind: ExternKind) -> impl Iterator<Item = (u32, (String, String))> + '_ {
    (0u32..).zip(
        info.imports
            .iter()
            .filter(move |i| i.desc.kind() == kind)
            .map(|i| (i.module.clone(), i.name.clone())),
    )
}

/// Export names of item `index` of `kind`.
fn export_names(info: &ModuleInfo, kind: ExternKind, index: u32) -> Vec<String> {
    info.exports.iter().filter(|e| e.kind == kind && e.index == index).map(|e| e.name.clone()).collect()
}

/// Every memory of `info`, imported first.
pub(crate) fn memories(info: &ModuleInfo) -> Vec<MemoryDefinition> {
    let mut imports = imports_of(info, ExternKind::Memory);
    (0u32..)
        .zip(&info.memories)
        .map(|(index, ty)| MemoryDefinition {
            index,
            import: imports.next().map(|(_, i)| i),
            export_names: export_names(info, ExternKind::Memory, index),
            ty: *ty,
        })
        .collect()
}

/// Every table of `info`, imported first.
pub(crate) fn tables(info: &ModuleInfo) -> Vec<TableDefinition> {
    let mut imports = imports_of(info, ExternKind::Table);
    (0u32..)
        .zip(&info.tables)
        .map(|(index, ty)| TableDefinition {
            index,
            import: imports.next().map(|(_, i)| i),
            export_names: export_names(info, ExternKind::Table, index),
            ty: *ty,
        })
        .collect()
}

/// Every global of `info`, imported first.
pub(crate) fn globals(info: &ModuleInfo) -> Vec<GlobalDefinition> {
    let mut imports = imports_of(info, ExternKind::Global);
    (0u32..)
        .zip(&info.globals)
        .map(|(index, ty)| GlobalDefinition {
            index,
            import: imports.next().map(|(_, i)| i),
            export_names: export_names(info, ExternKind::Global, index),
            ty: *ty,
        })
        .collect()
}
