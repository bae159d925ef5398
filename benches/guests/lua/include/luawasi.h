/* Configuration forced into every Lua source file (clang -include).
 *
 * Errors: without setjmp/longjmp, a Lua error cannot unwind to a
 * protected call, so raising one ends the program (lua_wasi_throw prints
 * the error object and exits with status 70). The benchmark script never
 * raises an error nor yields from a coroutine (which also unwinds).
 *
 * Determinism: Lua seeds its string hashes from the clock and addresses;
 * a fixed seed makes table traversal order, and so the output, depend on
 * nothing but the arguments.
 */
#ifndef ZEROWASM_LUAWASI_H
#define ZEROWASM_LUAWASI_H

struct lua_State;
_Noreturn void lua_wasi_throw(struct lua_State *L, int status);

#define LUAI_THROW(L, c) lua_wasi_throw(L, (c)->status)
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
#define luai_makeseed(L) ((unsigned int)0x2545f491u)

/* wasi-libc has no <signal.h>; Lua only wants an atomically written int
 * for its hook mask, and a WASI command is single-threaded. */
#define l_signalT int

#endif
