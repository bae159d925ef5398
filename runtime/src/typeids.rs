//! Canonical function type ids: structurally equal `FuncType`s get the same id
//! store-wide, so `call_indirect` compares one word (`VmFuncRef::type_id`
//! against the caller's `type_ids[typeidx]`) even across modules.

use std::collections::HashMap;
use std::sync::Arc;

use zerowasm_frontend::FuncType;

/// The store's interned function types. Ids start at 1; 0 never names a type,
/// so a zeroed `VmFuncRef` can never pass a signature check.
#[derive(Default)]
pub(crate) struct TypeRegistry {
    ids: HashMap<Arc<FuncType>, u64>,
    types: Vec<Arc<FuncType>>,
}

impl TypeRegistry {
    /// The id of `ty`, interning it on first sight.
    pub(crate) fn intern(&mut self, ty: &FuncType) -> u64 {
        if let Some(&id) = self.ids.get(ty) {
            return id;
        }
        let ty = Arc::new(ty.clone());
        self.types.push(ty.clone());
        let id = self.types.len() as u64;
        self.ids.insert(ty, id);
        id
    }

    /// The type with this id.
    pub(crate) fn get(&self, id: u64) -> Option<&Arc<FuncType>> {
        let index = usize::try_from(id).ok()?.checked_sub(1)?;
        self.types.get(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerowasm_frontend::ValType::{F64, I32};

    #[test]
    fn equal_types_share_an_id() {
        let mut r = TypeRegistry::default();
        let a = r.intern(&FuncType::new([I32], [F64]));
        let b = r.intern(&FuncType::new([I32], []));
        assert_ne!(a, b);
        assert_eq!(r.intern(&FuncType::new([I32], [F64])), a);
        assert_ne!(a, 0);
        assert_eq!(r.get(b).map(|t| t.params.len()), Some(1));
        assert!(r.get(0).is_none());
    }
}
