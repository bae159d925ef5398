(module
  (func (export "f") (param $a f64) (param $b f64) (result f64)
    (f64.nearest (f64.min (f64.sqrt (local.get $a)) (f64.copysign (local.get $b) (local.get $a)))))
  (func (export "cmp") (param f32 f32) (result i32) (f32.ne (local.get 0) (local.get 1))))
