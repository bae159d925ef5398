/*
 * interp.c - a tiny imperative language, end to end.
 *
 * Source text is tokenised, parsed by recursive descent into an AST of
 * heap-allocated nodes, compiled into a compact stack bytecode (with a couple
 * of peephole superinstructions), and executed by a switch-dispatch loop.
 *
 * Language:
 *   stmt  := 'let'? IDENT '=' expr ';' | IDENT '[' expr ']' '=' expr ';'
 *          | 'while' '(' expr ')' block | 'if' '(' expr ')' block ('else' (block | if))?
 *          | 'print' expr ';' | block
 *   block := '{' stmt* '}'
 *   expr  := precedence climbing over || && | ^ & == != < <= > >= << >> + - * / %
 *            with unary - ! ~, calls hash(x) min(a,b) max(a,b) abs(x), and a[i]
 * All values are 64-bit integers; the array `a` has 4096 cells (index masked).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* ---- lexer ---------------------------------------------------------------- */

enum tok {
    T_EOF, T_NUM, T_IDENT, T_LET, T_WHILE, T_IF, T_ELSE, T_PRINT,
    T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK, T_SEMI, T_COMMA,
    T_ASSIGN, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
    T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE, T_ANDAND, T_OROR,
    T_NOT, T_TILDE, T_AMP, T_PIPE, T_CARET, T_SHL, T_SHR, T_ERROR
};

#define MAX_IDENT 24

struct lexer {
    const char *src;
    size_t pos;
    enum tok kind;
    int64_t num;
    char ident[MAX_IDENT];
    int line;
};

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static void lex_next(struct lexer *lx)
{
    const char *s = lx->src;
    for (;;) {
        char c = s[lx->pos];
        if (c == '\n') {
            lx->line++;
            lx->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->pos++;
        } else if (c == '#') {
            while (s[lx->pos] && s[lx->pos] != '\n')
                lx->pos++;
        } else {
            break;
        }
    }
    char c = s[lx->pos];
    if (!c) {
        lx->kind = T_EOF;
        return;
    }
    if (is_digit(c)) {
        int64_t v = 0;
        while (is_digit(s[lx->pos])) {
            v = v * 10 + (s[lx->pos] - '0');
            lx->pos++;
        }
        lx->num = v;
        lx->kind = T_NUM;
        return;
    }
    if (is_alpha(c)) {
        size_t n = 0;
        while (is_alpha(s[lx->pos]) || is_digit(s[lx->pos])) {
            if (n + 1 < MAX_IDENT)
                lx->ident[n++] = s[lx->pos];
            lx->pos++;
        }
        lx->ident[n] = 0;
        if (!strcmp(lx->ident, "let"))
            lx->kind = T_LET;
        else if (!strcmp(lx->ident, "while"))
            lx->kind = T_WHILE;
        else if (!strcmp(lx->ident, "if"))
            lx->kind = T_IF;
        else if (!strcmp(lx->ident, "else"))
            lx->kind = T_ELSE;
        else if (!strcmp(lx->ident, "print"))
            lx->kind = T_PRINT;
        else
            lx->kind = T_IDENT;
        return;
    }
    char d = s[lx->pos + 1];
    lx->pos++;
    switch (c) {
    case '(': lx->kind = T_LPAREN; return;
    case ')': lx->kind = T_RPAREN; return;
    case '{': lx->kind = T_LBRACE; return;
    case '}': lx->kind = T_RBRACE; return;
    case '[': lx->kind = T_LBRACK; return;
    case ']': lx->kind = T_RBRACK; return;
    case ';': lx->kind = T_SEMI; return;
    case ',': lx->kind = T_COMMA; return;
    case '+': lx->kind = T_PLUS; return;
    case '-': lx->kind = T_MINUS; return;
    case '*': lx->kind = T_STAR; return;
    case '/': lx->kind = T_SLASH; return;
    case '%': lx->kind = T_PERCENT; return;
    case '~': lx->kind = T_TILDE; return;
    case '^': lx->kind = T_CARET; return;
    case '=':
        if (d == '=') { lx->pos++; lx->kind = T_EQ; } else lx->kind = T_ASSIGN;
        return;
    case '!':
        if (d == '=') { lx->pos++; lx->kind = T_NE; } else lx->kind = T_NOT;
        return;
    case '<':
        if (d == '=') { lx->pos++; lx->kind = T_LE; }
        else if (d == '<') { lx->pos++; lx->kind = T_SHL; }
        else lx->kind = T_LT;
        return;
    case '>':
        if (d == '=') { lx->pos++; lx->kind = T_GE; }
        else if (d == '>') { lx->pos++; lx->kind = T_SHR; }
        else lx->kind = T_GT;
        return;
    case '&':
        if (d == '&') { lx->pos++; lx->kind = T_ANDAND; } else lx->kind = T_AMP;
        return;
    case '|':
        if (d == '|') { lx->pos++; lx->kind = T_OROR; } else lx->kind = T_PIPE;
        return;
    default:
        lx->kind = T_ERROR;
        return;
    }
}

/* ---- AST ------------------------------------------------------------------ */

enum node_kind {
    N_NUM, N_VAR, N_INDEX, N_BINOP, N_UNOP, N_CALL, N_AND, N_OR,
    N_ASSIGN, N_ASTORE, N_WHILE, N_IF, N_PRINT, N_BLOCK
};

struct node {
    enum node_kind kind;
    int op;         /* token of the operator, or builtin id for calls */
    int64_t num;    /* literal value, or variable slot */
    struct node *a, *b, *c;
    struct node **list;
    int nlist, caplist;
};

#define MAX_VARS 64

struct parser {
    struct lexer lx;
    char names[MAX_VARS][MAX_IDENT];
    int nvars;
    int errors;
    int nodes;
};

static struct node *new_node(struct parser *p, enum node_kind kind)
{
    struct node *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    p->nodes++;
    return n;
}

static void free_node(struct node *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    free_node(n->c);
    for (int i = 0; i < n->nlist; i++)
        free_node(n->list[i]);
    free(n->list);
    free(n);
}

static void list_push(struct node *n, struct node *child)
{
    if (n->nlist == n->caplist) {
        n->caplist = n->caplist ? n->caplist * 2 : 4;
        n->list = xrealloc(n->list, (size_t)n->caplist * sizeof *n->list);
    }
    n->list[n->nlist++] = child;
}

static int var_slot(struct parser *p, const char *name)
{
    for (int i = 0; i < p->nvars; i++)
        if (!strcmp(p->names[i], name))
            return i;
    if (p->nvars == MAX_VARS) {
        p->errors++;
        return 0;
    }
    strcpy(p->names[p->nvars], name);
    return p->nvars++;
}

static void expect(struct parser *p, enum tok t)
{
    if (p->lx.kind != t)
        p->errors++;
    else
        lex_next(&p->lx);
}

static struct node *parse_expr(struct parser *p, int min_prec);
static struct node *parse_block(struct parser *p);

enum builtin { B_HASH, B_MIN, B_MAX, B_ABS };

static struct node *parse_primary(struct parser *p)
{
    struct lexer *lx = &p->lx;
    struct node *n;
    switch (lx->kind) {
    case T_NUM:
        n = new_node(p, N_NUM);
        n->num = lx->num;
        lex_next(lx);
        return n;
    case T_LPAREN:
        lex_next(lx);
        n = parse_expr(p, 0);
        expect(p, T_RPAREN);
        return n;
    case T_MINUS:
    case T_NOT:
    case T_TILDE:
        n = new_node(p, N_UNOP);
        n->op = lx->kind;
        lex_next(lx);
        n->a = parse_primary(p);
        return n;
    case T_IDENT: {
        char name[MAX_IDENT];
        strcpy(name, lx->ident);
        lex_next(lx);
        if (lx->kind == T_LPAREN) {
            n = new_node(p, N_CALL);
            if (!strcmp(name, "hash"))
                n->op = B_HASH;
            else if (!strcmp(name, "min"))
                n->op = B_MIN;
            else if (!strcmp(name, "max"))
                n->op = B_MAX;
            else if (!strcmp(name, "abs"))
                n->op = B_ABS;
            else
                p->errors++;
            lex_next(lx);
            if (lx->kind != T_RPAREN) {
                list_push(n, parse_expr(p, 0));
                while (lx->kind == T_COMMA) {
                    lex_next(lx);
                    list_push(n, parse_expr(p, 0));
                }
            }
            expect(p, T_RPAREN);
            return n;
        }
        if (lx->kind == T_LBRACK && !strcmp(name, "a")) {
            lex_next(lx);
            n = new_node(p, N_INDEX);
            n->a = parse_expr(p, 0);
            expect(p, T_RBRACK);
            return n;
        }
        n = new_node(p, N_VAR);
        n->num = var_slot(p, name);
        return n;
    }
    default:
        p->errors++;
        lex_next(lx);
        return new_node(p, N_NUM);
    }
}

static int binop_prec(enum tok t)
{
    switch (t) {
    case T_OROR: return 1;
    case T_ANDAND: return 2;
    case T_PIPE: return 3;
    case T_CARET: return 4;
    case T_AMP: return 5;
    case T_EQ: case T_NE: return 6;
    case T_LT: case T_LE: case T_GT: case T_GE: return 7;
    case T_SHL: case T_SHR: return 8;
    case T_PLUS: case T_MINUS: return 9;
    case T_STAR: case T_SLASH: case T_PERCENT: return 10;
    default: return -1;
    }
}

static struct node *parse_expr(struct parser *p, int min_prec)
{
    struct node *lhs = parse_primary(p);
    for (;;) {
        enum tok t = p->lx.kind;
        int prec = binop_prec(t);
        if (prec < 0 || prec < min_prec)
            return lhs;
        lex_next(&p->lx);
        struct node *rhs = parse_expr(p, prec + 1);
        struct node *n;
        if (t == T_ANDAND)
            n = new_node(p, N_AND);
        else if (t == T_OROR)
            n = new_node(p, N_OR);
        else {
            n = new_node(p, N_BINOP);
            n->op = t;
        }
        n->a = lhs;
        n->b = rhs;
        lhs = n;
    }
}

static struct node *parse_stmt(struct parser *p)
{
    struct lexer *lx = &p->lx;
    struct node *n;
    if (lx->kind == T_LET) {
        /* a let is an assignment that also declares */
        lex_next(lx);
        if (lx->kind != T_IDENT)
            p->errors++;
    }
    switch (lx->kind) {
    case T_IDENT: {
        char name[MAX_IDENT];
        strcpy(name, lx->ident);
        lex_next(lx);
        if (lx->kind == T_LBRACK) {
            lex_next(lx);
            n = new_node(p, N_ASTORE);
            n->a = parse_expr(p, 0);
            expect(p, T_RBRACK);
            expect(p, T_ASSIGN);
            n->b = parse_expr(p, 0);
            expect(p, T_SEMI);
            return n;
        }
        n = new_node(p, N_ASSIGN);
        n->num = var_slot(p, name);
        expect(p, T_ASSIGN);
        n->a = parse_expr(p, 0);
        expect(p, T_SEMI);
        return n;
    }
    case T_WHILE:
        lex_next(lx);
        n = new_node(p, N_WHILE);
        expect(p, T_LPAREN);
        n->a = parse_expr(p, 0);
        expect(p, T_RPAREN);
        n->b = parse_block(p);
        return n;
    case T_IF:
        lex_next(lx);
        n = new_node(p, N_IF);
        expect(p, T_LPAREN);
        n->a = parse_expr(p, 0);
        expect(p, T_RPAREN);
        n->b = parse_block(p);
        if (lx->kind == T_ELSE) {
            lex_next(lx);
            n->c = lx->kind == T_IF ? parse_stmt(p) : parse_block(p);
        }
        return n;
    case T_PRINT:
        lex_next(lx);
        n = new_node(p, N_PRINT);
        n->a = parse_expr(p, 0);
        expect(p, T_SEMI);
        return n;
    case T_LBRACE:
        return parse_block(p);
    default:
        p->errors++;
        lex_next(lx);
        return new_node(p, N_BLOCK);
    }
}

static struct node *parse_block(struct parser *p)
{
    struct node *n = new_node(p, N_BLOCK);
    expect(p, T_LBRACE);
    while (p->lx.kind != T_RBRACE && p->lx.kind != T_EOF && p->errors == 0)
        list_push(n, parse_stmt(p));
    expect(p, T_RBRACE);
    return n;
}

static struct node *parse_program(struct parser *p)
{
    struct node *n = new_node(p, N_BLOCK);
    lex_next(&p->lx);
    while (p->lx.kind != T_EOF && p->errors == 0)
        list_push(n, parse_stmt(p));
    return n;
}

/* ---- bytecode ------------------------------------------------------------- */

enum op {
    OP_CONST, OP_LOAD, OP_STORE, OP_ALOAD, OP_ASTORE,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
    OP_NEG, OP_NOT, OP_BNOT, OP_BOOL,
    OP_JMP, OP_JZ, OP_JNZ,
    OP_PRINT, OP_HASH, OP_MIN, OP_MAX, OP_ABS,
    OP_ADDI,        /* slot, const index: var += const (superinstruction) */
    OP_LOAD2,       /* slot, slot: push two variables */
    OP_HALT
};

struct chunk {
    uint8_t *code;
    size_t len, cap;
    int64_t *consts;
    int nconsts, capconsts;
};

static void emit_u8(struct chunk *c, uint8_t b)
{
    if (c->len == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->code = xrealloc(c->code, c->cap);
    }
    c->code[c->len++] = b;
}

static void emit_u16(struct chunk *c, uint16_t v)
{
    emit_u8(c, (uint8_t)v);
    emit_u8(c, (uint8_t)(v >> 8));
}

static void emit_i32(struct chunk *c, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        emit_u8(c, (uint8_t)(u >> (8 * i)));
}

static void patch_i32(struct chunk *c, size_t at, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        c->code[at + (size_t)i] = (uint8_t)(u >> (8 * i));
}

static int add_const(struct chunk *c, int64_t v)
{
    for (int i = 0; i < c->nconsts; i++)
        if (c->consts[i] == v)
            return i;
    if (c->nconsts == c->capconsts) {
        c->capconsts = c->capconsts ? c->capconsts * 2 : 16;
        c->consts = xrealloc(c->consts, (size_t)c->capconsts * sizeof *c->consts);
    }
    c->consts[c->nconsts] = v;
    return c->nconsts++;
}

/* emits a jump with a placeholder and returns where to patch */
static size_t emit_jump(struct chunk *c, enum op op)
{
    emit_u8(c, (uint8_t)op);
    size_t at = c->len;
    emit_i32(c, 0);
    return at;
}

/* relative to the byte after the operand */
static void patch_jump_here(struct chunk *c, size_t at) { patch_i32(c, at, (int32_t)(c->len - (at + 4))); }

static void emit_jump_back(struct chunk *c, enum op op, size_t target)
{
    emit_u8(c, (uint8_t)op);
    size_t at = c->len;
    emit_i32(c, (int32_t)((long)target - (long)(at + 4)));
}

static enum op binop_code(int tok)
{
    switch (tok) {
    case T_PLUS: return OP_ADD;
    case T_MINUS: return OP_SUB;
    case T_STAR: return OP_MUL;
    case T_SLASH: return OP_DIV;
    case T_PERCENT: return OP_MOD;
    case T_AMP: return OP_AND;
    case T_PIPE: return OP_OR;
    case T_CARET: return OP_XOR;
    case T_SHL: return OP_SHL;
    case T_SHR: return OP_SHR;
    case T_LT: return OP_LT;
    case T_LE: return OP_LE;
    case T_GT: return OP_GT;
    case T_GE: return OP_GE;
    case T_EQ: return OP_EQ;
    default: return OP_NE;
    }
}

static void compile(struct chunk *c, const struct node *n)
{
    switch (n->kind) {
    case N_NUM:
        emit_u8(c, OP_CONST);
        emit_u16(c, (uint16_t)add_const(c, n->num));
        break;
    case N_VAR:
        emit_u8(c, OP_LOAD);
        emit_u8(c, (uint8_t)n->num);
        break;
    case N_INDEX:
        compile(c, n->a);
        emit_u8(c, OP_ALOAD);
        break;
    case N_BINOP:
        if (n->a->kind == N_VAR && n->b->kind == N_VAR) {
            emit_u8(c, OP_LOAD2);
            emit_u8(c, (uint8_t)n->a->num);
            emit_u8(c, (uint8_t)n->b->num);
        } else {
            compile(c, n->a);
            compile(c, n->b);
        }
        emit_u8(c, (uint8_t)binop_code(n->op));
        break;
    case N_UNOP:
        compile(c, n->a);
        emit_u8(c, n->op == T_MINUS ? OP_NEG : n->op == T_NOT ? OP_NOT : OP_BNOT);
        break;
    case N_CALL:
        for (int i = 0; i < n->nlist; i++)
            compile(c, n->list[i]);
        switch (n->op) {
        case B_HASH: emit_u8(c, OP_HASH); break;
        case B_MIN: emit_u8(c, OP_MIN); break;
        case B_MAX: emit_u8(c, OP_MAX); break;
        default: emit_u8(c, OP_ABS); break;
        }
        break;
    case N_AND: {
        compile(c, n->a);
        size_t jf = emit_jump(c, OP_JZ);
        compile(c, n->b);
        emit_u8(c, OP_BOOL);
        size_t je = emit_jump(c, OP_JMP);
        patch_jump_here(c, jf);
        emit_u8(c, OP_CONST);
        emit_u16(c, (uint16_t)add_const(c, 0));
        patch_jump_here(c, je);
        break;
    }
    case N_OR: {
        compile(c, n->a);
        size_t jt = emit_jump(c, OP_JNZ);
        compile(c, n->b);
        emit_u8(c, OP_BOOL);
        size_t je = emit_jump(c, OP_JMP);
        patch_jump_here(c, jt);
        emit_u8(c, OP_CONST);
        emit_u16(c, (uint16_t)add_const(c, 1));
        patch_jump_here(c, je);
        break;
    }
    case N_ASSIGN: {
        const struct node *e = n->a;
        /* x = x + k  ->  ADDI x, k */
        if (e->kind == N_BINOP && (e->op == T_PLUS || e->op == T_MINUS) && e->a->kind == N_VAR &&
            e->a->num == n->num && e->b->kind == N_NUM) {
            emit_u8(c, OP_ADDI);
            emit_u8(c, (uint8_t)n->num);
            int64_t k = e->op == T_PLUS ? e->b->num : -e->b->num;
            emit_u16(c, (uint16_t)add_const(c, k));
            break;
        }
        compile(c, e);
        emit_u8(c, OP_STORE);
        emit_u8(c, (uint8_t)n->num);
        break;
    }
    case N_ASTORE:
        compile(c, n->a);
        compile(c, n->b);
        emit_u8(c, OP_ASTORE);
        break;
    case N_WHILE: {
        /* jump to the test at the bottom: one branch per iteration */
        size_t jt = emit_jump(c, OP_JMP);
        size_t body = c->len;
        compile(c, n->b);
        patch_jump_here(c, jt);
        compile(c, n->a);
        emit_jump_back(c, OP_JNZ, body);
        break;
    }
    case N_IF: {
        compile(c, n->a);
        size_t jf = emit_jump(c, OP_JZ);
        compile(c, n->b);
        if (n->c) {
            size_t je = emit_jump(c, OP_JMP);
            patch_jump_here(c, jf);
            compile(c, n->c);
            patch_jump_here(c, je);
        } else {
            patch_jump_here(c, jf);
        }
        break;
    }
    case N_PRINT:
        compile(c, n->a);
        emit_u8(c, OP_PRINT);
        break;
    case N_BLOCK:
        for (int i = 0; i < n->nlist; i++)
            compile(c, n->list[i]);
        break;
    }
}

/* ---- virtual machine ------------------------------------------------------ */

#define STACK_MAX 256
#define ARRAY_CELLS 4096

struct vm_result {
    uint64_t printed;   /* digest of printed values */
    int64_t steps;
    int64_t last;
    int ok;
};

static int32_t read_i32(const uint8_t *p)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (int32_t)u;
}

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static int64_t safe_div(int64_t a, int64_t b)
{
    if (b == 0)
        return 0;
    if (b == -1)
        return wrap_sub(0, a);
    return a / b;
}

static int64_t safe_mod(int64_t a, int64_t b)
{
    if (b == 0 || b == -1)
        return 0;
    return a % b;
}

static struct vm_result vm_run(const struct chunk *c, int64_t *vars, int64_t *arr, int64_t step_limit)
{
    int64_t stack[STACK_MAX];
    int sp = 0;
    const uint8_t *code = c->code;
    size_t pc = 0;
    digest_t out;
    struct vm_result r = {0, 0, 0, 0};
    dg_init(&out);

#define PUSH(v) do { if (sp >= STACK_MAX) goto fail; stack[sp++] = (v); } while (0)
#define POP() (stack[--sp])
#define NEED(k) do { if (sp < (k)) goto fail; } while (0)
#define BIN(expr) do { NEED(2); int64_t y = POP(); int64_t x = POP(); stack[sp++] = (expr); } while (0)

    for (;;) {
        if (++r.steps > step_limit || pc >= c->len)
            goto fail;
        uint8_t op = code[pc++];
        switch (op) {
        case OP_CONST:
            PUSH(c->consts[code[pc] | code[pc + 1] << 8]);
            pc += 2;
            break;
        case OP_LOAD:
            PUSH(vars[code[pc++]]);
            break;
        case OP_LOAD2:
            PUSH(vars[code[pc]]);
            PUSH(vars[code[pc + 1]]);
            pc += 2;
            break;
        case OP_STORE:
            NEED(1);
            vars[code[pc++]] = POP();
            break;
        case OP_ADDI:
            vars[code[pc]] = wrap_add(vars[code[pc]], c->consts[code[pc + 1] | code[pc + 2] << 8]);
            pc += 3;
            break;
        case OP_ALOAD:
            NEED(1);
            stack[sp - 1] = arr[(uint64_t)stack[sp - 1] & (ARRAY_CELLS - 1)];
            break;
        case OP_ASTORE: {
            NEED(2);
            int64_t v = POP();
            int64_t i = POP();
            arr[(uint64_t)i & (ARRAY_CELLS - 1)] = v;
            break;
        }
        case OP_ADD: BIN(wrap_add(x, y)); break;
        case OP_SUB: BIN(wrap_sub(x, y)); break;
        case OP_MUL: BIN(wrap_mul(x, y)); break;
        case OP_DIV: BIN(safe_div(x, y)); break;
        case OP_MOD: BIN(safe_mod(x, y)); break;
        case OP_AND: BIN(x & y); break;
        case OP_OR: BIN(x | y); break;
        case OP_XOR: BIN(x ^ y); break;
        case OP_SHL: BIN((int64_t)((uint64_t)x << (y & 63))); break;
        case OP_SHR: BIN(x >> (y & 63)); break;
        case OP_LT: BIN(x < y); break;
        case OP_LE: BIN(x <= y); break;
        case OP_GT: BIN(x > y); break;
        case OP_GE: BIN(x >= y); break;
        case OP_EQ: BIN(x == y); break;
        case OP_NE: BIN(x != y); break;
        case OP_MIN: BIN(x < y ? x : y); break;
        case OP_MAX: BIN(x > y ? x : y); break;
        case OP_NEG: NEED(1); stack[sp - 1] = wrap_sub(0, stack[sp - 1]); break;
        case OP_NOT: NEED(1); stack[sp - 1] = !stack[sp - 1]; break;
        case OP_BNOT: NEED(1); stack[sp - 1] = ~stack[sp - 1]; break;
        case OP_BOOL: NEED(1); stack[sp - 1] = stack[sp - 1] != 0; break;
        case OP_ABS: NEED(1); if (stack[sp - 1] < 0) stack[sp - 1] = wrap_sub(0, stack[sp - 1]); break;
        case OP_HASH: NEED(1); stack[sp - 1] = (int64_t)(mix64((uint64_t)stack[sp - 1]) >> 1); break;
        case OP_JMP:
            pc = (size_t)((long)pc + 4 + read_i32(code + pc));
            break;
        case OP_JZ: {
            NEED(1);
            int32_t off = read_i32(code + pc);
            pc += 4;
            if (POP() == 0)
                pc = (size_t)((long)pc + off);
            break;
        }
        case OP_JNZ: {
            NEED(1);
            int32_t off = read_i32(code + pc);
            pc += 4;
            if (POP() != 0)
                pc = (size_t)((long)pc + off);
            break;
        }
        case OP_PRINT:
            NEED(1);
            r.last = POP();
            dg_i64(&out, r.last);
            break;
        case OP_HALT:
            r.ok = sp == 0;
            r.printed = out.h;
            return r;
        default:
            goto fail;
        }
    }
fail:
    r.ok = 0;
    r.printed = out.h;
    return r;
#undef PUSH
#undef POP
#undef NEED
#undef BIN
}

/* ---- programs ------------------------------------------------------------- */

static const char *const programs[] = {
    /* Collatz step totals */
    "let total = 0; let i = 1; let longest = 0;\n"
    "while (i <= n) {\n"
    "  let x = i; let steps = 0;\n"
    "  while (x != 1) {\n"
    "    if (x % 2 == 0) { x = x / 2; } else { x = 3 * x + 1; }\n"
    "    steps = steps + 1;\n"
    "  }\n"
    "  total = total + steps; longest = max(longest, steps);\n"
    "  i = i + 1;\n"
    "}\n"
    "print total; print longest;\n",

    /* sieve of Eratosthenes in the array */
    "let m = min(n * 4, 4096); let i = 2;\n"
    "while (i < m) { a[i] = 1; i = i + 1; }\n"
    "i = 2;\n"
    "while (i * i < m) {\n"
    "  if (a[i]) { let j = i * i; while (j < m) { a[j] = 0; j = j + i; } }\n"
    "  i = i + 1;\n"
    "}\n"
    "let c = 0; let s = 0; i = 2;\n"
    "while (i < m) { if (a[i]) { c = c + 1; s = s ^ hash(i); } i = i + 1; }\n"
    "print c; print s;\n",

    /* gcd sums and bit mixing */
    "let acc = 0; let i = 1;\n"
    "while (i <= n) {\n"
    "  let j = 1;\n"
    "  while (j <= 24) {\n"
    "    let x = i * 7 + 3; let y = j * 11 + 5;\n"
    "    while (y != 0) { let t = x % y; x = y; y = t; }\n"
    "    acc = (acc << 1 | acc >> 63 & 1) ^ x;\n"
    "    j = j + 1;\n"
    "  }\n"
    "  i = i + 1;\n"
    "}\n"
    "print acc;\n",

    /* insertion sort of pseudo random numbers in the array */
    "let m = min(n / 2 + 16, 1024); let seed = 12345; let i = 0;\n"
    "while (i < m) { seed = (seed * 1103515245 + 12345) % 2147483648; a[i] = seed % 100000; i = i + 1; }\n"
    "i = 1;\n"
    "while (i < m) {\n"
    "  let v = a[i]; let j = i - 1;\n"
    "  while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j = j - 1; }\n"
    "  a[j + 1] = v;\n"
    "  i = i + 1;\n"
    "}\n"
    "let ok = 1; let h = 0; i = 1;\n"
    "while (i < m) { if (a[i - 1] > a[i]) { ok = 0; } h = hash(h + a[i]); i = i + 1; }\n"
    "print ok; print h;\n",

    /* fibonacci modulo a prime, with negative numbers and logic ops */
    "let p = 1000000007; let f0 = 0; let f1 = 1; let i = 0; let neg = 0;\n"
    "while (i < n * 8) {\n"
    "  let f2 = (f0 + f1) % p; f0 = f1; f1 = f2;\n"
    "  if (f1 % 3 == 0 || f1 % 5 == 0 && !(f1 % 7 == 0)) { neg = neg - (f1 & 255); }\n"
    "  else { neg = neg + abs(-(f1 % 1000)); }\n"
    "  i = i + 1;\n"
    "}\n"
    "print f1; print neg; print ~neg;\n",
};

#define NPROGRAMS (sizeof programs / sizeof programs[0])

uint64_t bench_interp(int scale)
{
    digest_t d;
    dg_init(&d);
    int64_t *arr = xcalloc(ARRAY_CELLS, sizeof *arr);
    for (size_t i = 0; i < NPROGRAMS; i++) {
        struct parser p;
        memset(&p, 0, sizeof p);
        p.lx.src = programs[i];
        p.lx.line = 1;
        int nslot = var_slot(&p, "n");
        struct node *ast = parse_program(&p);
        check(&d, p.errors == 0, "interp: program parses");
        dg_u64(&d, (uint64_t)p.nodes);
        if (p.errors == 0) {
            struct chunk c;
            memset(&c, 0, sizeof c);
            compile(&c, ast);
            emit_u8(&c, OP_HALT);
            dg_bytes(&d, c.code, c.len);
            int64_t vars[MAX_VARS];
            memset(vars, 0, sizeof vars);
            vars[nslot] = 600L * scale;
            memset(arr, 0, ARRAY_CELLS * sizeof *arr);
            struct vm_result r = vm_run(&c, vars, arr, 400000000L);
            dg_u64(&d, r.printed);
            dg_i64(&d, r.steps);
            dg_i64(&d, r.last);
            check(&d, r.ok, "interp: program halts cleanly");
            free(c.code);
            free(c.consts);
        }
        free_node(ast);
    }
    free(arr);
    return d.h;
}
