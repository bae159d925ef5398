/* lua: the Lua 5.4 interpreter (from the lua-src crate, not committed here;
 * see build.sh) running a benchmark script embedded below.
 *
 * The script exercises what Lua programs spend their time on: recursive
 * calls, array tables and table.sort with a Lua comparator, string-keyed
 * hash tables, string formatting / pattern matching / concatenation,
 * metatables and method calls, closures, float math and integer bit ops,
 * all under Lua's incremental garbage collector. It is a real-world
 * interpreter loop (lvm.c) plus a C heap under heavy churn.
 *
 * usage: lua.wasm [ROUNDS]   (default 5) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static const char script[] =
    "local N = ROUNDS\n"
    "local function fbits(x) return (string.unpack('<i8', string.pack('<d', x))) end\n"
    "local function mixin(h, v)\n"
    "  h = (h ~ v) * 0x100000001b3\n"
    "  return h ~ (h >> 29)\n"
    "end\n"
    "\n"
    "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\n"
    "\n"
    "local function arrays(n, r)\n"
    "  local t = {}\n"
    "  for i = 1, n do t[i] = (i * 7919 + r) % 10007 end\n"
    "  local s = 0\n"
    "  for i = 1, n do s = s + t[i] * i end\n"
    "  table.sort(t)\n"
    "  for i = 1, n, 97 do s = s ~ (t[i] << (i % 13)) end\n"
    "  table.sort(t, function(a, b) return a > b end)\n"
    "  table.insert(t, 1, s & 0xff)\n"
    "  table.remove(t, #t // 2)\n"
    "  return s + t[1] + t[#t] + #t\n"
    "end\n"
    "\n"
    "local function dict(n, r)\n"
    "  local d = {}\n"
    "  for i = 1, n do d['k' .. ((i * 31 + r) % n)] = i end\n"
    "  local s = 0\n"
    "  for i = 1, n, 3 do local v = d['k' .. i]; if v then s = s + v end end\n"
    "  for i = 1, n, 5 do d['k' .. i] = nil end\n"
    "  local cnt = 0\n"
    "  for k, v in pairs(d) do cnt = cnt + #k * v end\n"
    "  return s * 1000003 + cnt\n"
    "end\n"
    "\n"
    "local function strings(n, r)\n"
    "  local parts = {}\n"
    "  for i = 1, n do\n"
    "    parts[#parts + 1] = string.format('%d:%x:%s;', i + r, i * i, string.rep('ab', i % 5))\n"
    "  end\n"
    "  local s = table.concat(parts)\n"
    "  local count = 0\n"
    "  for a, b in s:gmatch('(%d+):(%x+)') do count = count + tonumber(a) + tonumber(b, 16) % 1000 end\n"
    "  local z, subs = s:gsub('ab', 'Z')\n"
    "  local first = s:find('99:', 1, true) or 0\n"
    "  local up = s:sub(1, 4000):upper():reverse()\n"
    "  local bytes = 0\n"
    "  for i = 1, #up, 7 do bytes = bytes + up:byte(i) end\n"
    "  local u = utf8.char(955, 8364, 66000 + r) .. z:sub(1, 100)\n"
    "  return count + #z * 3 + subs + first + bytes + utf8.len(u) + utf8.codepoint(u, 3)\n"
    "end\n"
    "\n"
    "local Vec = {}\n"
    "Vec.__index = Vec\n"
    "Vec.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, Vec) end\n"
    "function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end\n"
    "function Vec:dot(o) return self.x * o.x + self.y * o.y end\n"
    "function Vec:scaled(k) return Vec.new(self.x * k, self.y * k) end\n"
    "\n"
    "local function objects(n, r)\n"
    "  local acc = Vec.new(r, 0)\n"
    "  local d = 0.0\n"
    "  for i = 1, n do\n"
    "    local v = Vec.new(i * 0.5, -i * 0.25):scaled(0.99)\n"
    "    acc = acc + v\n"
    "    d = d + acc:dot(v) * 1e-9\n"
    "  end\n"
    "  return fbits(d) ~ fbits(acc.x)\n"
    "end\n"
    "\n"
    "local function closures(n, r)\n"
    "  local fs = {}\n"
    "  for i = 1, 64 do local c = i + r; fs[i] = function(d) c = c + d; return c end end\n"
    "  local s = 0\n"
    "  for i = 1, n do s = s + fs[(i % 64) + 1](i & 7) end\n"
    "  return s\n"
    "end\n"
    "\n"
    "local function numeric(n, r)\n"
    "  local s, x = 0.0, 0\n"
    "  for i = 1, n do\n"
    "    local f = i / n\n"
    "    s = s + math.sin(f * 3.0 + r) * math.sqrt(f) + f ^ 1.5 - math.floor(f * 10) / 7\n"
    "    x = x + ((i * 0x9e3779b9) ~ (x >> 7)) & 0xffffffffff\n"
    "  end\n"
    "  return fbits(s) ~ x\n"
    "end\n"
    "\n"
    "local names = {'fib', 'arrays', 'dict', 'strings', 'objects', 'closures', 'numeric'}\n"
    "local h = {0, 0, 0, 0, 0, 0, 0}\n"
    "for r = 1, N do\n"
    "  h[1] = mixin(h[1], fib(22 + r % 3))\n"
    "  h[2] = mixin(h[2], arrays(20000, r))\n"
    "  h[3] = mixin(h[3], dict(20000, r))\n"
    "  h[4] = mixin(h[4], strings(8000, r))\n"
    "  h[5] = mixin(h[5], objects(60000, r))\n"
    "  h[6] = mixin(h[6], closures(150000, r))\n"
    "  h[7] = mixin(h[7], numeric(100000, r))\n"
    "end\n"
    "local all = 0\n"
    "for i = 1, #names do\n"
    "  print(string.format('%-9s %016x', names[i], h[i]))\n"
    "  all = mixin(all, h[i])\n"
    "end\n"
    "print(string.format('rounds %d checksum %016x', N, all))\n";

_Noreturn void lua_wasi_throw(lua_State *L, int status) {
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object is not a string)";
  fprintf(stderr, "lua: uncaught error (status %d): %s\n", status, msg);
  fflush(stdout);
  exit(70);
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 5;
  lua_State *L = luaL_newstate();
  if (!L) {
    fprintf(stderr, "lua: cannot create state\n");
    return 2;
  }
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string}, {LUA_TABLIBNAME, luaopen_table},
      {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},
  };
  for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
    luaL_requiref(L, libs[i].name, libs[i].func, 1);
    lua_pop(L, 1);
  }
  lua_pushinteger(L, (lua_Integer)rounds);
  lua_setglobal(L, "ROUNDS");
  if (luaL_loadbuffer(L, script, sizeof script - 1, "=bench") != LUA_OK) {
    fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
    return 1;
  }
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) return 1; /* unreachable: errors exit in lua_wasi_throw */
  lua_close(L);
  return 0;
}
