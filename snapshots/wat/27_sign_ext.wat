(module
  (func (export "ext") (param i64) (result i64)
    (i64.add (i64.extend8_s (local.get 0)) (i64.extend32_s (local.get 0)))))
