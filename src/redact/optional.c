/* Fields a business may choose not to keep, masked only when the policy
 * says so (ps_redact_opts.optional): the registered domicile (本籍, with
 * the head of the family register, 筆頭者, printed beside it on a 住民票
 * and on older driving licences) and the organ-donation declaration (臓器
 * 提供意思表示欄: a driving licence's back, a health insurance card's back,
 * the My Number card). Both are found by their printed labels in a whole
 * reading of the document; without the label nothing is masked (these are
 * optional: no fail-closed zone, and the plan stays as sure as it was).
 *
 * Shapes: a 本籍 value follows its label on the same row (a table cell or
 * the rest of the line), or, when the label stands alone, on the row
 * below; the mask is the row from the label to the document's right edge,
 * and the next row too for a lone label. The organ-donation field is a
 * block under its title (check boxes, the organs, a signature and date):
 * the title's row and PS__ORGAN_ROWS of its heights below, across the
 * document. Without the label read (small print, a faint scan) nothing is
 * found: a limit written in docs/redaction.md. */
#include <string.h>

#include "redact/redact_int.h"

/* A 本籍 label line holding at most this many more bytes is the label
 * alone (its value is on the next row): "本籍" plus a colon or a bracket. */
#define PS__LONE_LABEL_EXTRA 6
/* Rows of the label's height under the organ-donation title that the field
 * spans (three check-box lines, the organs' line, signature and date). */
#define PS__ORGAN_ROWS 7.0
/* A row's mask reaches this share of its height above and below it. */
#define PS__ROW_PAD 0.3

/* A band across the document: filled as the band itself, not its upright
 * box (on a tilted card a full-width band's upright box would take in the
 * lines above and below it: the expiry a reviewer needs, on a My Number
 * card). Its top and bottom sides are marked spared for that (see mask.c);
 * there are no digits to verify. */
static void add(ps_redact_plan *plan, ps_redact_type t, ps_box b, int w, int h)
{
    b = ps__box_clip(b, w, h);
    if (b.w <= 0 || b.h <= 0)
        return;
    ps_redact_item *it = ps__plan_add(plan, t, b, NULL);
    if (it != NULL)
        it->spare = PS_REDACT_SPARE_TOP | PS_REDACT_SPARE_BOTTOM;
}

/* The row of line l from its left end to the document's right edge. */
static ps_box row_right(const ps_ocr_line *l, int doc_w)
{
    int pad = (int)(PS__ROW_PAD * l->box.h + 0.5);
    return (ps_box){l->box.x, l->box.y - pad, doc_w - l->box.x, l->box.h + 2 * pad};
}

void ps__find_optional(const ps_ocr_line *lines, size_t n_lines, unsigned optional, int doc_w,
                       int doc_h, ps_redact_plan *plan)
{
    if (lines == NULL || plan == NULL || doc_w <= 0 || doc_h <= 0)
        return;
    for (size_t i = 0; i < n_lines; i++) {
        const ps_ocr_line *l = &lines[i];
        if (l->text == NULL || l->box.h <= 0)
            continue;
        if ((optional & PS_REDACT_OPT_DOMICILE) &&
            (ps__has_label(l->text, "本籍") || ps__has_label(l->text, "筆頭者"))) {
            add(plan, PS_REDACT_DOMICILE, row_right(l, doc_w), doc_w, doc_h);
            if (strlen(l->text) <= strlen("本籍") + PS__LONE_LABEL_EXTRA) {
                /* the label alone: its value is the row below */
                ps_box next = row_right(l, doc_w);
                next.y += l->box.h + next.h / 2;
                next.x = 0;
                next.w = doc_w;
                add(plan, PS_REDACT_DOMICILE, next, doc_w, doc_h);
            }
        }
        if ((optional & PS_REDACT_OPT_ORGAN_DONATION) && ps__has_label(l->text, "臓器")) {
            int pad = (int)(PS__ROW_PAD * l->box.h + 0.5);
            ps_box block = {0, l->box.y - pad, doc_w, (int)(PS__ORGAN_ROWS * l->box.h + 2 * pad)};
            add(plan, PS_REDACT_ORGAN_DONATION, block, doc_w, doc_h);
        }
    }
}
