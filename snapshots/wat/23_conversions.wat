(module
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_sat") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
  (func (export "wrap_extend") (param i64) (result i64) (i64.extend_i32_s (i32.wrap_i64 (local.get 0))))
  (func (export "bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0))))
