/*
 * tree.c - allocation-heavy data structures: an AVL tree with insertion,
 * deletion and in-order walks; the classic "binary trees" allocate-and-check
 * workload; and a singly linked list sorted by merging and reversed.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* ---- AVL tree ------------------------------------------------------------- */

struct avl {
    struct avl *left, *right;
    int64_t key;
    uint64_t value;
    int height;
};

static int avl_height(const struct avl *n) { return n ? n->height : 0; }

static void avl_fix(struct avl *n)
{
    int l = avl_height(n->left), r = avl_height(n->right);
    n->height = (l > r ? l : r) + 1;
}

static struct avl *rotate_right(struct avl *y)
{
    struct avl *x = y->left;
    y->left = x->right;
    x->right = y;
    avl_fix(y);
    avl_fix(x);
    return x;
}

static struct avl *rotate_left(struct avl *x)
{
    struct avl *y = x->right;
    x->right = y->left;
    y->left = x;
    avl_fix(x);
    avl_fix(y);
    return y;
}

static struct avl *avl_balance(struct avl *n)
{
    avl_fix(n);
    int bf = avl_height(n->left) - avl_height(n->right);
    if (bf > 1) {
        if (avl_height(n->left->left) < avl_height(n->left->right))
            n->left = rotate_left(n->left);
        return rotate_right(n);
    }
    if (bf < -1) {
        if (avl_height(n->right->right) < avl_height(n->right->left))
            n->right = rotate_right(n->right);
        return rotate_left(n);
    }
    return n;
}

static struct avl *avl_insert(struct avl *n, int64_t key, uint64_t value, int *added)
{
    if (!n) {
        n = xmalloc(sizeof *n);
        n->left = n->right = NULL;
        n->key = key;
        n->value = value;
        n->height = 1;
        *added = 1;
        return n;
    }
    if (key < n->key)
        n->left = avl_insert(n->left, key, value, added);
    else if (key > n->key)
        n->right = avl_insert(n->right, key, value, added);
    else {
        n->value += value;
        return n;
    }
    return avl_balance(n);
}

static struct avl *avl_remove_min(struct avl *n, struct avl **min)
{
    if (!n->left) {
        *min = n;
        return n->right;
    }
    n->left = avl_remove_min(n->left, min);
    return avl_balance(n);
}

static struct avl *avl_delete(struct avl *n, int64_t key, int *removed)
{
    if (!n)
        return NULL;
    if (key < n->key)
        n->left = avl_delete(n->left, key, removed);
    else if (key > n->key)
        n->right = avl_delete(n->right, key, removed);
    else {
        struct avl *l = n->left, *r = n->right;
        free(n);
        *removed = 1;
        if (!r)
            return l;
        struct avl *min;
        r = avl_remove_min(r, &min);
        min->left = l;
        min->right = r;
        return avl_balance(min);
    }
    return avl_balance(n);
}

static const struct avl *avl_find(const struct avl *n, int64_t key)
{
    while (n && n->key != key)
        n = key < n->key ? n->left : n->right;
    return n;
}

/* checks ordering and balance; returns the height or -1 */
static int avl_check(const struct avl *n, int64_t lo, int64_t hi)
{
    if (!n)
        return 0;
    if (n->key < lo || n->key > hi)
        return -1;
    int l = avl_check(n->left, lo, n->key - 1);
    int r = avl_check(n->right, n->key + 1, hi);
    if (l < 0 || r < 0 || l - r > 1 || r - l > 1 || n->height != (l > r ? l : r) + 1)
        return -1;
    return n->height;
}

typedef void (*avl_visit)(const struct avl *n, void *ctx);

static void avl_walk(const struct avl *n, avl_visit fn, void *ctx)
{
    /* iterative in-order walk with an explicit stack */
    const struct avl *stack[96];
    int sp = 0;
    while (n || sp) {
        while (n) {
            stack[sp++] = n;
            n = n->left;
        }
        n = stack[--sp];
        fn(n, ctx);
        n = n->right;
    }
}

static void avl_free(struct avl *n)
{
    if (!n)
        return;
    avl_free(n->left);
    avl_free(n->right);
    free(n);
}

struct walk_state {
    digest_t *d;
    int64_t prev;
    uint32_t out_of_order;
    uint32_t count;
};

static void walk_visit(const struct avl *n, void *ctx)
{
    struct walk_state *w = ctx;
    if (w->count && n->key <= w->prev)
        w->out_of_order++;
    w->prev = n->key;
    if ((w->count++ & 15) == 0)
        dg_u64(w->d, (uint64_t)n->key ^ n->value);
}

/* ---- binary trees ----------------------------------------------------------- */

struct bnode {
    struct bnode *l, *r;
};

static struct bnode *bottom_up(int depth)
{
    struct bnode *n = xmalloc(sizeof *n);
    if (depth > 0) {
        n->l = bottom_up(depth - 1);
        n->r = bottom_up(depth - 1);
    } else {
        n->l = n->r = NULL;
    }
    return n;
}

static long check_tree(const struct bnode *n) { return n->l ? 1 + check_tree(n->l) + check_tree(n->r) : 1; }

static void free_tree(struct bnode *n)
{
    if (n->l) {
        free_tree(n->l);
        free_tree(n->r);
    }
    free(n);
}

/* ---- linked list ------------------------------------------------------------ */

struct lnode {
    struct lnode *next;
    uint32_t v;
    char tag[12];
};

static struct lnode *list_merge(struct lnode *a, struct lnode *b)
{
    struct lnode head, *t = &head;
    while (a && b) {
        if (a->v <= b->v) {
            t->next = a;
            a = a->next;
        } else {
            t->next = b;
            b = b->next;
        }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

static struct lnode *list_sort(struct lnode *h)
{
    if (!h || !h->next)
        return h;
    struct lnode *slow = h, *fast = h->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    struct lnode *second = slow->next;
    slow->next = NULL;
    return list_merge(list_sort(h), list_sort(second));
}

static struct lnode *list_reverse(struct lnode *h)
{
    struct lnode *prev = NULL;
    while (h) {
        struct lnode *next = h->next;
        h->next = prev;
        prev = h;
        h = next;
    }
    return prev;
}

uint64_t bench_tree(int scale)
{
    digest_t d;
    dg_init(&d);
    rng_t r;
    rng_seed(&r, 0x7777ULL);

    struct avl *root = NULL;
    uint32_t size = 0;
    int n = 8000 * scale;
    for (int i = 0; i < n; i++) {
        int added = 0;
        int64_t key = (int64_t)rng_below(&r, (uint32_t)n * 2) - n;
        root = avl_insert(root, key, (uint64_t)i, &added);
        size += (uint32_t)added;
    }
    dg_u64(&d, size);
    check(&d, avl_check(root, INT64_MIN, INT64_MAX) >= 0, "tree: AVL invariants after inserts");
    uint32_t found = 0;
    for (int i = 0; i < n; i++)
        found += avl_find(root, (int64_t)i - n / 2) != NULL;
    dg_u64(&d, found);
    for (int i = 0; i < n / 2; i++) {
        int removed = 0;
        root = avl_delete(root, (int64_t)rng_below(&r, (uint32_t)n * 2) - n, &removed);
        size -= (uint32_t)removed;
    }
    dg_u64(&d, size);
    check(&d, avl_check(root, INT64_MIN, INT64_MAX) >= 0, "tree: AVL invariants after deletes");
    struct walk_state w = {&d, 0, 0, 0};
    avl_walk(root, walk_visit, &w);
    check(&d, w.count == size, "tree: walk visits every node");
    check(&d, w.out_of_order == 0, "tree: walk is in order");
    avl_free(root);

    /* binary trees: lots of small short-lived allocations */
    int maxdepth = 10 + (scale > 4 ? 4 : scale);
    struct bnode *longlived = bottom_up(maxdepth);
    for (int depth = 4; depth <= maxdepth; depth += 2) {
        int iters = 1 << (maxdepth - depth + 4);
        long check = 0;
        for (int i = 0; i < iters; i++) {
            struct bnode *t = bottom_up(depth);
            check += check_tree(t);
            free_tree(t);
        }
        dg_u64(&d, (uint64_t)check);
    }
    dg_u64(&d, (uint64_t)check_tree(longlived));
    free_tree(longlived);

    /* a list of records, sorted, reversed, and filtered */
    struct lnode *head = NULL;
    int ln = 5000 * scale;
    for (int i = 0; i < ln; i++) {
        struct lnode *e = xmalloc(sizeof *e);
        e->v = rng_u32(&r) % 100000;
        memset(e->tag, 'a' + (int)(e->v % 26), sizeof e->tag - 1);
        e->tag[sizeof e->tag - 1] = 0;
        e->next = head;
        head = e;
    }
    head = list_sort(head);
    uint32_t sorted = 1, prev = 0;
    for (const struct lnode *e = head; e; e = e->next) {
        if (e->v < prev)
            sorted = 0;
        prev = e->v;
    }
    check(&d, sorted, "tree: linked list merge sort sorts");
    head = list_reverse(head);
    /* drop every node whose tag starts with a vowel */
    struct lnode **link = &head;
    uint32_t kept = 0;
    while (*link) {
        struct lnode *e = *link;
        char c = e->tag[0];
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            *link = e->next;
            free(e);
        } else {
            kept++;
            link = &e->next;
        }
    }
    dg_u64(&d, kept);
    uint64_t lh = 0;
    while (head) {
        struct lnode *e = head;
        head = e->next;
        lh = lh * 1000003u + e->v;
        free(e);
    }
    dg_u64(&d, lh);
    return d.h;
}
