(module
  (func (export "add4") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "dot") (param v128 v128) (result v128) (i32x4.dot_i16x8_s (local.get 0) (local.get 1))))
