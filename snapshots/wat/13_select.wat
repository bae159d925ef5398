(module
  (func (export "max") (param $a f64) (param $b f64) (result f64)
    (select (local.get $a) (local.get $b) (f64.gt (local.get $a) (local.get $b)))))
