//! The table of variable definitions per block that SSA construction reads
//! and writes on every variable access.
//!
//! Most functions have few blocks times few variables (a whole large module
//! totals fewer block-variable pairs than definitions looked up), so the
//! table is a dense array indexed by `block * stride + var`: a lookup is an
//! index, where hashing a key cost about a hundred instructions per insert.
//! Functions whose table would be large (many locals and many blocks), and
//! variables declared after the table took its shape, use a hash map instead.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use cranelift_entity::EntityRef;
use cranelift_entity::packed_option::PackedOption;

use super::Variable;
use crate::entities::{Block, Value};

/// The most entries the dense table takes (4 MiB); a function that needs
/// more moves its definitions to the hash map.
const MAX_DENSE: usize = 1 << 20;

/// The capacity the hash map is never shrunk below.
const MIN_MAP: usize = 256;

/// The value of each variable at the end of each block (so far).
#[derive(Default)]
pub(super) struct Defs {
    /// `dense[block * stride + var]` for variables below `stride`.
    dense: Vec<PackedOption<Value>>,
    /// Variables per row: every variable declared while only the first
    /// block (the entry) has definitions; fixed from then on.
    stride: usize,
    /// One more than the highest block with a dense definition.
    rows_used: usize,
    /// False once the dense table would have outgrown [`MAX_DENSE`].
    use_dense: bool,
    /// Definitions the dense table does not hold, keyed by [`map_key`].
    map: HashMap<u64, Value, BuildHasherDefault<KeyHasher>>,
}

/// The key of `var`'s definition in `block` in [`Defs::map`].
#[inline]
fn map_key(block: Block, var: Variable) -> u64 {
    (block.index() as u64) << 32 | var.index() as u64
}

/// Hashes one `u64` key by a multiply that folds the high half of the product
/// into the low bits (the table indexes by the low bits, and both the block in
/// the key's high half and the variable in its low half must reach them).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0 << 8 | u64::from(b));
        }
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        let h = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 32);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Defs {
    /// Forgets every definition, for the next function.
    pub(super) fn clear(&mut self) {
        self.dense.clear();
        self.stride = 0;
        self.rows_used = 0;
        self.use_dense = true;
        // `HashMap::clear` rewrites every control byte of the table, so after
        // one huge function each small one would pay that function's size
        // again. Start a table of the last function's size instead when the
        // one kept is much larger (its len is the last function's count).
        let len = self.map.len();
        if self.map.capacity() > 4 * len.max(MIN_MAP) {
            self.map = HashMap::with_capacity_and_hasher(len.max(MIN_MAP), Default::default());
        } else {
            self.map.clear();
        }
    }

    /// Widens the rows to `num_vars` variables while only the entry block's
    /// row is in use, where a row's indices do not depend on the width (the
    /// lowering declares every local and defines it in the entry block
    /// before any other block). Later variables live in the map.
    pub(super) fn declare(&mut self, num_vars: usize) {
        if self.rows_used <= 1 {
            self.stride = self.stride.max(num_vars);
        }
    }

    /// The dense index of (`block`, `var`), if the dense table covers it.
    #[inline]
    fn index(&self, block: Block, var: Variable) -> Option<usize> {
        (self.use_dense && var.index() < self.stride).then(|| block.index() * self.stride + var.index())
    }

    /// The value of `var` at the end of `block`, if recorded.
    #[inline]
    pub(super) fn get(&self, block: Block, var: Variable) -> Option<Value> {
        match self.index(block, var) {
            Some(i) => self.dense.get(i).and_then(|v| v.expand()),
            None => self.map.get(&map_key(block, var)).copied(),
        }
    }

    /// Records `value` as the value of `var` at the end of `block`.
    #[inline]
    pub(super) fn set(&mut self, block: Block, var: Variable, value: Value) {
        if let Some(i) = self.index(block, var)
            && (i < self.dense.len() || self.grow(block))
        {
            self.dense[i] = value.into();
            self.rows_used = self.rows_used.max(block.index() + 1);
            return;
        }
        self.map.insert(map_key(block, var), value);
    }

    /// Makes the dense table hold `block`'s row (growing by doubling), or
    /// moves every dense definition to the map when it would be too large.
    #[cold]
    fn grow(&mut self, block: Block) -> bool {
        let need = (block.index() + 1) * self.stride;
        if need <= MAX_DENSE {
            let len = need.max(2 * self.dense.len()).min(MAX_DENSE.max(need));
            self.dense.resize(len, None.into());
            return true;
        }
        for (i, v) in self.dense.iter().enumerate() {
            if let Some(v) = v.expand() {
                let (b, var) = (Block::new(i / self.stride), Variable::new(i % self.stride));
                self.map.insert(map_key(b, var), v);
            }
        }
        self.dense.clear();
        self.rows_used = 0;
        self.use_dense = false;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(i: usize) -> Variable {
        Variable::new(i)
    }

    #[test]
    fn rows_widen_while_only_the_entry_block_is_defined() {
        let mut d = Defs::default();
        d.clear();
        let (b0, b1) = (Block::new(0), Block::new(1));
        for i in 0..3 {
            d.declare(i + 1);
            d.set(b0, var(i), Value::new(10 + i));
        }
        d.set(b1, var(1), Value::new(20));
        // Declared after a second block has a row: kept in the map.
        d.declare(4);
        d.set(b1, var(3), Value::new(21));
        assert_eq!(d.get(b0, var(0)), Some(Value::new(10)));
        assert_eq!(d.get(b0, var(2)), Some(Value::new(12)));
        assert_eq!(d.get(b1, var(1)), Some(Value::new(20)));
        assert_eq!(d.get(b1, var(3)), Some(Value::new(21)));
        assert_eq!(d.get(b1, var(0)), None);
        assert_eq!(d.get(Block::new(7), var(0)), None);
        d.clear();
        assert_eq!(d.get(b0, var(0)), None);
    }

    #[test]
    fn a_table_too_large_moves_to_the_map() {
        let mut d = Defs::default();
        d.clear();
        d.declare(2000);
        d.set(Block::new(0), var(1999), Value::new(1));
        d.set(Block::new(3), var(5), Value::new(2));
        // Row 600 of 2000 variables is past the dense limit.
        d.set(Block::new(600), var(7), Value::new(3));
        assert!(!d.use_dense);
        assert_eq!(d.get(Block::new(0), var(1999)), Some(Value::new(1)));
        assert_eq!(d.get(Block::new(3), var(5)), Some(Value::new(2)));
        assert_eq!(d.get(Block::new(600), var(7)), Some(Value::new(3)));
        d.set(Block::new(3), var(5), Value::new(4));
        assert_eq!(d.get(Block::new(3), var(5)), Some(Value::new(4)));
    }
}
