(module
  (func (export "lanes") (param $v v128) (param $x f32) (result f32)
    (f32x4.extract_lane 3 (f32x4.replace_lane 1 (local.get $v) (local.get $x))))
  (func (export "sext") (param $v v128) (result i32) (i8x16.extract_lane_s 15 (local.get $v))))
