(module
  (memory 1)
  (func (export "splat") (param $p i32) (result v128) (v128.load32_splat offset=8 (local.get $p)))
  (func (export "store_lane") (param $p i32) (param $v v128) (v128.store16_lane 7 (local.get $p) (local.get $v)))
  (func (export "widen") (param $p i32) (result v128) (v128.load8x8_u (local.get $p))))
