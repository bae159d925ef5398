(module
  (global $counter (mut i64) (i64.const 0))
  (global $step i64 (i64.const 3))
  (func (export "tick") (result i64)
    (global.set $counter (i64.add (global.get $counter) (global.get $step)))
    (global.get $counter)))
