(module
  (func (export "twice") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.mul (local.get $a) (local.get $b))
             (i32.mul (local.get $a) (local.get $b)))))
