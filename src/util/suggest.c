/* src/util/suggest.c - closest-name suggestions by Levenshtein distance (util layer). */
#include "util/suggest.h"
#include <string.h>

void gl_suggest_init(gl_suggest *s, const char *word, size_t len)
{
    s->word = word;
    s->word_len = len;
    s->best = NULL;
    s->best_len = 0;
    s->best_dist = (size_t)-1;
}

/* Edit distance (optimal string alignment: a swap of neighbours is one edit), with an
 * early exit once a whole row exceeds limit. */
static size_t s_distance(const char *a, size_t na, const char *b, size_t nb, size_t limit)
{
    if (na > 64 || nb > 64) return (size_t)-1;
    size_t prev2[65], prev[65], row[65];
    for (size_t j = 0; j <= nb; j++) prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        row[0] = i;
        size_t lowest = row[0];
        for (size_t j = 1; j <= nb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            row[j] = best;
            if (best < lowest) lowest = best;
        }
        if (lowest > limit) return (size_t)-1;
        memcpy(prev2, prev, sizeof prev);
        memcpy(prev, row, sizeof row);
    }
    return prev[nb];
}

void gl_suggest_offer(gl_suggest *s, const char *cand, size_t len)
{
    size_t limit = s->word_len / 3 ? s->word_len / 3 : 1;
    if (limit > 3) limit = 3;
    size_t d = s_distance(s->word, s->word_len, cand, len, limit);
    if (d > limit || d == 0) return;
    if (d < s->best_dist || (d == s->best_dist && (len < s->best_len ||
        (len == s->best_len && memcmp(cand, s->best, len) < 0)))) {
        s->best = cand;
        s->best_len = len;
        s->best_dist = d;
    }
}
