(module
  (table $t 1 10 externref)
  (func (export "set") (param $i i32) (param $r externref) (table.set $t (local.get $i) (local.get $r)))
  (func (export "get") (param $i i32) (result externref) (table.get $t (local.get $i)))
  (func (export "grow") (param $n i32) (result i32) (table.grow $t (ref.null extern) (local.get $n)))
  (func (export "size") (result i32) (table.size $t)))
