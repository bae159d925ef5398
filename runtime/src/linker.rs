//! Import resolution: a [`Linker`] maps (module, name) to external values, and
//! [`check_import`] applies the spec's import matching rules.
//!
//! Messages follow the spec tests: a missing import is `unknown import`, any
//! mismatch is `incompatible import type`, each followed by the details.

use std::collections::HashMap;
use std::fmt::Write as _;

use zerowasm_frontend::module::{Import, ImportDesc};
use zerowasm_frontend::{FuncType, Limits};

use crate::error::InstantiationError;
use crate::externals::{Extern, Func};
use crate::host::Caller;
use crate::instance::Instance;
use crate::module::CompiledModule;
use crate::store::Store;
use crate::trap::Trap;

/// Named external values to satisfy imports with: host functions and objects
/// defined by the embedder, and the exports of registered instances.
/// Defining a name again replaces the old value (as the wast `register`
/// command shadows earlier registrations).
#[derive(Clone, Debug, Default)]
pub struct Linker {
    items: HashMap<(String, String), Extern>,
}

impl Linker {
    /// An empty linker.
    pub fn new() -> Linker {
        Linker::default()
    }

    /// Makes `item` importable as `module`.`name`.
    pub fn define(&mut self, module: &str, name: &str, item: impl Into<Extern>) -> &mut Linker {
        self.items.insert((module.to_string(), name.to_string()), item.into());
        self
    }

    /// Makes every export of `instance` importable under the module name `module`.
    pub fn instance(&mut self, module: &str, instance: &Instance) -> &mut Linker {
        for (name, item) in instance.exports() {
            self.define(module, name, item);
        }
        self
    }

    /// Defines a raw host function (see [`Func::new_raw`]) as `module`.`name`.
    pub fn func_raw(
        &mut self,
        store: &mut Store,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> &mut Linker {
        let func = Func::new_raw(store, ty, f);
        self.define(module, name, func)
    }

    /// The value defined as `module`.`name`.
    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.items.get(&(module.to_string(), name.to_string())).copied()
    }

    /// The values for `module`'s imports, in order. Only names are resolved
    /// here; types are checked by instantiation.
    pub fn resolve(&self, module: &CompiledModule) -> Result<Vec<Extern>, InstantiationError> {
        module
            .imports()
            .iter()
            .map(|import| {
                self.get(&import.module, &import.name).ok_or_else(|| {
                    InstantiationError::Link(format!(
                        "unknown import: {:?} {:?} ({}) is not defined",
                        import.module,
                        import.name,
                        import.desc.kind()
                    ))
                })
            })
            .collect()
    }
}

/// The spec's limits matching: the provided minimum covers the required one,
/// and a required maximum needs a provided maximum at most as large.
fn limits_match(provided: Limits, required: Limits) -> bool {
    provided.min >= required.min
        && match (provided.max, required.max) {
            (_, None) => true,
            (Some(p), Some(r)) => p <= r,
            (None, Some(_)) => false,
        }
}

fn show_limits(l: Limits) -> String {
    let mut s = format!("{{min {}", l.min);
    let _ = match l.max {
        Some(max) => write!(s, ", max {max}}}"),
        None => write!(s, ", no max}}"),
    };
    s
}

/// Checks that `item` may satisfy `import` of a module whose types are
/// `types`. A memory or table matches with its *current* size as minimum, as
/// the spec types a runtime memory or table.
pub(crate) fn check_import(
    store: &Store,
    types: &[FuncType],
    import: &Import,
    item: &Extern,
) -> Result<(), InstantiationError> {
    let mismatch = |detail: String| {
        InstantiationError::Link(format!(
            "incompatible import type: {:?} {:?}: {detail}",
            import.module, import.name
        ))
    };
    if item.store() != store.id {
        return Err(mismatch("the value belongs to another store".to_string()));
    }
    match (&import.desc, item) {
        (ImportDesc::Func(typeidx), Extern::Func(f)) => {
            let Some(expected) = types.get(*typeidx as usize) else {
                return Err(InstantiationError::Internal(format!("unknown type {typeidx}")));
            };
            let found = &store.func_entry(*f).ty;
            if **found != *expected {
                return Err(mismatch(format!("expected func {expected}, found func {found}")));
            }
        }
        (ImportDesc::Memory(expected), Extern::Memory(m)) => {
            let memory = &store.memories[m.index as usize];
            let found = Limits { min: memory.pages(), max: memory.ty().limits.max };
            if !limits_match(found, expected.limits) {
                return Err(mismatch(format!(
                    "expected memory with limits {}, found {}",
                    show_limits(expected.limits),
                    show_limits(found)
                )));
            }
        }
        (ImportDesc::Table(expected), Extern::Table(t)) => {
            let table = &store.tables[t.index as usize];
            let found = Limits { min: table.size(), max: table.ty().limits.max };
            if table.ty().element != expected.element || !limits_match(found, expected.limits) {
                return Err(mismatch(format!(
                    "expected table of {} with limits {}, found table of {} with limits {}",
                    expected.element,
                    show_limits(expected.limits),
                    table.ty().element,
                    show_limits(found)
                )));
            }
        }
        (ImportDesc::Global(expected), Extern::Global(g)) => {
            let found = store.globals[g.index as usize].ty();
            if found != *expected {
                let show = |t: zerowasm_frontend::GlobalType| {
                    format!("{}{}", if t.mutable { "mut " } else { "" }, t.content)
                };
                return Err(mismatch(format!(
                    "expected global {}, found global {}",
                    show(*expected),
                    show(found)
                )));
            }
        }
        (desc, item) => {
            return Err(mismatch(format!("expected a {}, found a {}", desc.kind(), item.kind())));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_import_subtyping() {
        let l = |min, max| Limits { min, max };
        assert!(limits_match(l(1, None), l(1, None)));
        assert!(limits_match(l(2, Some(3)), l(1, None)));
        assert!(limits_match(l(2, Some(3)), l(1, Some(3))));
        assert!(!limits_match(l(1, Some(3)), l(2, Some(3))), "min too small");
        assert!(!limits_match(l(1, None), l(1, Some(3))), "max required");
        assert!(!limits_match(l(1, Some(4)), l(1, Some(3))), "max too large");
        assert_eq!(show_limits(l(1, None)), "{min 1, no max}");
        assert_eq!(show_limits(l(1, Some(2))), "{min 1, max 2}");
    }
}
