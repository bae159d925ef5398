(module
  (table 1 funcref)
  (func $f (result i32) (i32.const 42))
  (elem declare func $f)
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "install") (table.set (i32.const 0) (ref.func $f))))
