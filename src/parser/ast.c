/* src/parser/ast.c - AST node construction and a stable dump for tests (parser stage). */
#include "parser/ast.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_node_names[] = {   /* ORDER: GL_NODES */
#define GL_NODE_TEXT(name) #name,
    GL_NODES(GL_NODE_TEXT)
#undef GL_NODE_TEXT
};

const char *gl_node_name(gl_node_kind kind)
{
    return kind < GL_N_COUNT ? s_node_names[kind] : "?";
}

gl_node *gl_node_new(gl_arena *a, gl_node_kind kind, gl_span span)
{
    gl_node *n = gl_arena_zalloc(a, sizeof *n);
    n->kind = (uint8_t)kind;
    n->span = span;
    return n;
}

void gl_node_push(gl_arena *a, gl_node *list, gl_node *item)
{
    if (list->nitems == list->capitems) {
        uint32_t cap = list->capitems ? list->capitems * 2 : 4;
        list->items = gl_arena_grow(a, list->items, list->nitems * sizeof *list->items,
                                    cap * sizeof *list->items);
        list->capitems = cap;
    }
    list->items[list->nitems++] = item;
}

static void s_dump_value(gl_value v, gl_buf *out)
{
    switch (v.kind) {
    case GL_STR: gl_repr_str(v.u.s, v.len, out); break;
    case GL_INT: gl_buf_printf(out, "%" PRId64, v.u.i); break;
    case GL_FLOAT: gl_format_float(v.u.f, out); break;
    case GL_BOOL: gl_buf_adds(out, v.u.b ? "True" : "False"); break;
    case GL_NONE: gl_buf_adds(out, "None"); break;
    default: break;
    }
}

/* Iterative pre-order walk with an explicit stack: no recursion on deep trees. */
void gl_ast_dump(const gl_node *root, gl_buf *out)
{
    struct frame { const gl_node *n; int depth; const char *label; };
    size_t cap = 64, top = 0;
    struct frame *st = gl_xmalloc(cap * sizeof *st);
    st[top++] = (struct frame){ root, 0, "" };
    while (top) {
        struct frame f = st[--top];
        for (int i = 0; i < f.depth; i++) gl_buf_adds(out, "  ");
        gl_buf_printf(out, "%s%s", f.label, gl_node_name(f.n->kind));
        if (f.n->name) gl_buf_printf(out, " %s", f.n->name->str);
        if (f.n->kind == GL_N_CONST || f.n->kind == GL_N_DATA) {
            gl_buf_addc(out, ' ');
            s_dump_value(f.n->value, out);
        }
        if (f.n->kind == GL_N_BINOP || f.n->kind == GL_N_OPERAND) gl_buf_printf(out, " op=%d", f.n->op);
        if (f.n->flags) gl_buf_printf(out, " flags=%d", f.n->flags);
        gl_buf_printf(out, " @%u-%u\n", f.n->span.start, f.n->span.end);
        const gl_node *kids[5] = { f.n->a, f.n->b, f.n->c, f.n->d, f.n->e };
        static const char *const labels[5] = { "a: ", "b: ", "c: ", "d: ", "e: " };
        size_t need = top + 5 + f.n->nitems;
        if (need > cap) {
            while (need > cap) cap *= 2;
            st = gl_xrealloc(st, cap * sizeof *st);
        }
        for (uint32_t i = f.n->nitems; i-- > 0;) st[top++] = (struct frame){ f.n->items[i], f.depth + 1, "- " };
        for (int i = 4; i >= 0; i--)
            if (kids[i]) st[top++] = (struct frame){ kids[i], f.depth + 1, labels[i] };
    }
    free(st);
}
