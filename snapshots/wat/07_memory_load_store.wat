(module
  (memory 1)
  (func (export "swap") (param $a i32) (param $b i32)
    (local $t i32)
    (local.set $t (i32.load offset=4 (local.get $a)))
    (i32.store offset=4 (local.get $a) (i32.load (local.get $b)))
    (i32.store (local.get $b) (local.get $t)))
  (func (export "bytes") (param $p i32) (result i32)
    (i32.add (i32.load8_u (local.get $p)) (i32.load16_s offset=2 (local.get $p)))))
