/* switch: a bytecode interpreter with a switch-dispatch loop.
 *
 * A small stack machine (locals, a data memory, calls and returns, ~30
 * opcodes) runs four programs assembled at start-up: Collatz step counts,
 * a sieve of Eratosthenes in its data memory, recursive Fibonacci through
 * its own call stack, and a string-hash loop. The dispatch loop is one big
 * switch in one function, the shape of most interpreters compiled to Wasm.
 *
 * usage: switch.wasm [ROUNDS]   (default 8) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op {
  PUSH, LOAD, STORE, ADD, SUB, MUL, DIVU, REMU, AND, OR, XOR, SHL, SHRU, LTU, LTS, EQ, NE,
  JMP, JZ, JNZ, DUP, DROP, SWAP, OVER, MLOAD, MSTORE, MLOADB, INC, CALL, RET, ARG, HALT
};

#define MAXCODE 1024
#define MEM 65536
#define STACK 4096
#define FRAMES 1024
#define NLOCALS 8

struct prog { int32_t code[MAXCODE]; int n; };
static struct prog progs[4];
static int32_t mem[MEM];

static void emit(struct prog *p, int32_t v) {
  if (p->n >= MAXCODE) { fprintf(stderr, "program too long\n"); exit(2); }
  p->code[p->n++] = v;
}
static void op0(struct prog *p, enum op o) { emit(p, o); }
static void op1(struct prog *p, enum op o, int32_t a) { emit(p, o); emit(p, a); }
static void op2(struct prog *p, enum op o, int32_t a, int32_t b) { emit(p, o); emit(p, a); emit(p, b); }
/* Forward jump: returns the slot to patch; here() gives the current address. */
static int jfwd(struct prog *p, enum op o) { emit(p, o); emit(p, 0); return p->n - 1; }
static int here(const struct prog *p) { return p->n; }
static void patch(struct prog *p, int slot) { p->code[slot] = p->n; }

struct frame { int32_t ret; int32_t sp; int32_t locals[NLOCALS]; };

__attribute__((noinline)) static int64_t run(const struct prog *p, int32_t arg0) {
  int32_t stack[STACK];
  static struct frame frames[FRAMES];
  int sp = 0, fp = 0, pc = 0;
  const int32_t *code = p->code;
  struct frame *f = &frames[0];
  for (int i = 0; i < NLOCALS; i++) f->locals[i] = 0;
  f->locals[0] = arg0;
  for (;;) {
    int32_t a, b;
    switch ((enum op)code[pc++]) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = f->locals[code[pc++]]; break;
      case STORE: f->locals[code[pc++]] = stack[--sp]; break;
      case ADD: b = stack[--sp]; stack[sp - 1] += b; break;
      case SUB: b = stack[--sp]; stack[sp - 1] -= b; break;
      case MUL: b = stack[--sp]; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] * (uint32_t)b); break;
      case DIVU: b = stack[--sp]; stack[sp - 1] = b ? (int32_t)((uint32_t)stack[sp - 1] / (uint32_t)b) : 0; break;
      case REMU: b = stack[--sp]; stack[sp - 1] = b ? (int32_t)((uint32_t)stack[sp - 1] % (uint32_t)b) : 0; break;
      case AND: b = stack[--sp]; stack[sp - 1] &= b; break;
      case OR: b = stack[--sp]; stack[sp - 1] |= b; break;
      case XOR: b = stack[--sp]; stack[sp - 1] ^= b; break;
      case SHL: b = stack[--sp]; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] << (b & 31)); break;
      case SHRU: b = stack[--sp]; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] >> (b & 31)); break;
      case LTU: b = stack[--sp]; stack[sp - 1] = (uint32_t)stack[sp - 1] < (uint32_t)b; break;
      case LTS: b = stack[--sp]; stack[sp - 1] = stack[sp - 1] < b; break;
      case EQ: b = stack[--sp]; stack[sp - 1] = stack[sp - 1] == b; break;
      case NE: b = stack[--sp]; stack[sp - 1] = stack[sp - 1] != b; break;
      case JMP: pc = code[pc]; break;
      case JZ: a = stack[--sp]; pc = a ? pc + 1 : code[pc]; break;
      case JNZ: a = stack[--sp]; pc = a ? code[pc] : pc + 1; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case DROP: sp--; break;
      case SWAP: a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
      case OVER: stack[sp] = stack[sp - 2]; sp++; break;
      case MLOAD: stack[sp - 1] = mem[(uint32_t)stack[sp - 1] % MEM]; break;
      case MSTORE: b = stack[--sp]; a = stack[--sp]; mem[(uint32_t)a % MEM] = b; break;
      case MLOADB: a = stack[sp - 1]; stack[sp - 1] = (uint8_t)(mem[((uint32_t)a >> 2) % MEM] >> ((a & 3) * 8)); break;
      case INC: f->locals[code[pc]] += code[pc + 1]; pc += 2; break;
      case CALL: /* CALL target nargs: pops nargs into the callee's locals */
        if (fp + 1 >= FRAMES) return -1;
        a = code[pc + 1];
        f = &frames[++fp];
        f->ret = pc + 2;
        for (int i = a - 1; i >= 0; i--) f->locals[i] = stack[--sp];
        f->sp = sp;
        pc = code[pc];
        break;
      case RET: /* the return value stays on the stack */
        a = stack[--sp];
        sp = f->sp;
        stack[sp++] = a;
        pc = f->ret;
        f = &frames[--fp];
        break;
      case ARG: stack[sp++] = f->locals[code[pc++]]; break;
      case HALT: return sp ? stack[sp - 1] : 0;
      default: return -2;
    }
    if (sp >= STACK - 4 || sp < 0) return -3;
  }
}

/* locals[0] = n: sum over i in 1..n of the number of Collatz steps of i. */
static void asm_collatz(struct prog *p) {
  op1(p, PUSH, 0); op1(p, STORE, 1);          /* total = 0 */
  op1(p, PUSH, 1); op1(p, STORE, 2);          /* i = 1 */
  int outer = here(p);
  op1(p, LOAD, 2); op1(p, LOAD, 0); op0(p, LTU); int done = jfwd(p, JZ);
  op1(p, LOAD, 2); op1(p, STORE, 3);          /* x = i */
  int inner = here(p);
  op1(p, LOAD, 3); op1(p, PUSH, 1); op0(p, NE); int inner_done = jfwd(p, JZ);
  op1(p, LOAD, 3); op1(p, PUSH, 1); op0(p, AND); int even = jfwd(p, JZ);
  op1(p, LOAD, 3); op1(p, PUSH, 3); op0(p, MUL); op1(p, PUSH, 1); op0(p, ADD); op1(p, STORE, 3);
  int join = jfwd(p, JMP);
  patch(p, even);
  op1(p, LOAD, 3); op1(p, PUSH, 1); op0(p, SHRU); op1(p, STORE, 3);
  patch(p, join);
  op2(p, INC, 1, 1);
  op1(p, JMP, inner);
  patch(p, inner_done);
  op2(p, INC, 2, 1);
  op1(p, JMP, outer);
  patch(p, done);
  op1(p, LOAD, 1); op0(p, HALT);
}

/* locals[0] = n (< MEM): count primes below n with a sieve in mem[]. */
static void asm_sieve(struct prog *p) {
  op1(p, PUSH, 0); op1(p, STORE, 1);           /* i = 0: clear */
  int clr = here(p);
  op1(p, LOAD, 1); op1(p, LOAD, 0); op0(p, LTU); int clr_done = jfwd(p, JZ);
  op1(p, LOAD, 1); op1(p, PUSH, 1); op0(p, MSTORE); op2(p, INC, 1, 1); op1(p, JMP, clr);
  patch(p, clr_done);
  op1(p, PUSH, 0); op1(p, STORE, 4);           /* count = 0 */
  op1(p, PUSH, 2); op1(p, STORE, 1);           /* i = 2 */
  int outer = here(p);
  op1(p, LOAD, 1); op1(p, LOAD, 0); op0(p, LTU); int done = jfwd(p, JZ);
  op1(p, LOAD, 1); op0(p, MLOAD); int notprime = jfwd(p, JZ);
  op2(p, INC, 4, 1);
  op1(p, LOAD, 1); op1(p, LOAD, 1); op0(p, MUL); op1(p, STORE, 2);  /* j = i*i */
  int inner = here(p);
  op1(p, LOAD, 2); op1(p, LOAD, 0); op0(p, LTU); int inner_done = jfwd(p, JZ);
  op1(p, LOAD, 2); op1(p, PUSH, 0); op0(p, MSTORE);
  op1(p, LOAD, 2); op1(p, LOAD, 1); op0(p, ADD); op1(p, STORE, 2);
  op1(p, JMP, inner);
  patch(p, inner_done);
  patch(p, notprime);
  op2(p, INC, 1, 1);
  op1(p, JMP, outer);
  patch(p, done);
  op1(p, LOAD, 4); op0(p, HALT);
}

/* fib(n) by recursion through CALL/RET. */
static void asm_fib(struct prog *p) {
  op1(p, LOAD, 0); int call = here(p); op2(p, CALL, 0, 1); op0(p, HALT);
  int fn = here(p);
  p->code[call + 1] = fn;
  op1(p, ARG, 0); op1(p, PUSH, 2); op0(p, LTU); int big = jfwd(p, JZ);
  op1(p, ARG, 0); op0(p, RET);
  patch(p, big);
  op1(p, ARG, 0); op1(p, PUSH, 1); op0(p, SUB); op2(p, CALL, fn, 1);
  op1(p, ARG, 0); op1(p, PUSH, 2); op0(p, SUB); op2(p, CALL, fn, 1);
  op0(p, ADD); op0(p, RET);
}

/* Hash the first n bytes of mem[] (viewed as bytes) with a multiply-xor loop, 4 passes. */
static void asm_hash(struct prog *p) {
  op1(p, PUSH, (int32_t)2166136261u); op1(p, STORE, 1);  /* h */
  op1(p, PUSH, 0); op1(p, STORE, 3);                     /* pass */
  int pass = here(p);
  op1(p, LOAD, 3); op1(p, PUSH, 4); op0(p, LTU); int done = jfwd(p, JZ);
  op1(p, PUSH, 0); op1(p, STORE, 2);                     /* i */
  int loop = here(p);
  op1(p, LOAD, 2); op1(p, LOAD, 0); op0(p, LTU); int next = jfwd(p, JZ);
  op1(p, LOAD, 1); op1(p, LOAD, 2); op0(p, MLOADB); op0(p, XOR);
  op1(p, PUSH, 16777619); op0(p, MUL);
  op0(p, DUP); op1(p, PUSH, 15); op0(p, SHRU); op0(p, XOR); op1(p, STORE, 1);
  op2(p, INC, 2, 1);
  op1(p, JMP, loop);
  patch(p, next);
  op2(p, INC, 3, 1);
  op1(p, JMP, pass);
  patch(p, done);
  op1(p, LOAD, 1); op0(p, HALT);
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 8;
  asm_collatz(&progs[0]);
  asm_sieve(&progs[1]);
  asm_fib(&progs[2]);
  asm_hash(&progs[3]);
  uint64_t h[4] = {0};
  for (long r = 0; r < rounds; r++) {
    int32_t v = (int32_t)(r % 3);
    h[0] = mix(h[0], (uint64_t)run(&progs[0], 20000 + v));
    h[1] = mix(h[1], (uint64_t)run(&progs[1], MEM - 1 - v));
    h[2] = mix(h[2], (uint64_t)run(&progs[2], 21 + v));
    h[3] = mix(h[3], (uint64_t)run(&progs[3], 4 * MEM - 4 * v));
  }
  static const char *names[4] = {"collatz", "sieve", "fib", "hash"};
  uint64_t all = 0;
  for (int i = 0; i < 4; i++) {
    printf("%-8s %016llx\n", names[i], (unsigned long long)h[i]);
    all = mix(all, h[i]);
  }
  /* Known answers: checks that the VM and assembler are right. */
  int ok = run(&progs[2], 20) == 6765 && run(&progs[1], 100) == 25 && run(&progs[0], 10) == 0 + 1 + 7 + 2 + 5 + 8 + 16 + 3 + 19;
  printf("known answers %s\n", ok ? "ok" : "WRONG");
  printf("rounds %ld checksum %016llx\n", rounds, (unsigned long long)all);
  return !ok;
}
