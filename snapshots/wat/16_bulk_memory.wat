(module
  (memory 1)
  (data $d "hello")
  (func (export "init") (param $dst i32) (memory.init $d (local.get $dst) (i32.const 0) (i32.const 5)) (data.drop $d))
  (func (export "copy") (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n)))
  (func (export "fill") (param $dst i32) (param $n i32) (memory.fill (local.get $dst) (i32.const 0) (local.get $n))))
