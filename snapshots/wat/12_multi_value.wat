(module
  (func $divmod (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_u (local.get $a) (local.get $b))
    (i32.rem_u (local.get $a) (local.get $b)))
  (func (export "sum_divmod") (param i32 i32) (result i32)
    (call $divmod (local.get 0) (local.get 1))
    (block (param i32 i32) (result i32) i32.add)))
