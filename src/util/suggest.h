/* src/util/suggest.h - "did you mean" suggestions (util layer): the closest candidate
 * to a misspelt name by edit distance, for diagnostics' hints. */
#ifndef GL_SUGGEST_H
#define GL_SUGGEST_H
#include <stddef.h>

typedef struct gl_suggest {
    const char *word;       /* what was written */
    size_t word_len;
    const char *best;       /* closest candidate so far, NULL if none is close */
    size_t best_len;
    size_t best_dist;
} gl_suggest;

void gl_suggest_init(gl_suggest *s, const char *word, size_t len);
/* Offer one candidate; it is kept when closer than any before and close enough
 * (at most a third of the word's length, minimum 1, edits away). */
void gl_suggest_offer(gl_suggest *s, const char *cand, size_t len);
#endif
