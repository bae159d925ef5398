(module
  (memory 1 4)
  (func (export "grow") (param $d i32) (result i32) (memory.grow (local.get $d)))
  (func (export "size") (result i32) (memory.size)))
