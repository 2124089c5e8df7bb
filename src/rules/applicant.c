/* The applicant profile JSON (SPEC §3). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "prescreen/applicant.h"

static int copy_str(json_t *root, const char *key, char *dst, size_t cap, char *err, size_t errlen)
{
    json_t *v = json_object_get(root, key);
    if (v == NULL || json_is_null(v))
        return 1;
    if (!json_is_string(v)) {
        if (err)
            snprintf(err, errlen, "applicant: \"%s\" must be a string", key);
        return 0;
    }
    if (json_string_length(v) >= cap) {
        if (err)
            snprintf(err, errlen, "applicant: \"%s\" is longer than %zu bytes", key, cap - 1);
        return 0;
    }
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return 1;
}

static int valid_iso(const char *s)
{
    int y, m, d;
    char tail;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    if (y < 1868 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

ps_status ps_applicant_parse(const char *json, size_t len, ps_applicant *out, char *err,
                             size_t errlen)
{
    json_error_t je;
    json_t *root, *cd;
    ps_status st = PS_E_JSON;

    if (out == NULL || json == NULL)
        return PS_E_ARG;
    memset(out, 0, sizeof *out);
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        if (err)
            snprintf(err, errlen, "applicant: %s (line %d)", je.text, je.line);
        return PS_E_JSON;
    }
    if (!json_is_object(root)) {
        if (err)
            snprintf(err, errlen, "applicant: not a JSON object");
        goto out;
    }
    if (!copy_str(root, "id", out->id, sizeof out->id, err, errlen) ||
        !copy_str(root, "name", out->name, sizeof out->name, err, errlen) ||
        !copy_str(root, "name_kana", out->name_kana, sizeof out->name_kana, err, errlen) ||
        !copy_str(root, "name_latin", out->name_latin, sizeof out->name_latin, err, errlen) ||
        !copy_str(root, "birth_date", out->birth_date, sizeof out->birth_date, err, errlen) ||
        !copy_str(root, "address", out->address, sizeof out->address, err, errlen))
        goto out;
    if (out->birth_date[0] && !valid_iso(out->birth_date)) {
        if (err)
            snprintf(err, errlen, "applicant: birth_date must be a YYYY-MM-DD date");
        goto out;
    }
    cd = json_object_get(root, "card_deposit");
    if (cd != NULL && !json_is_null(cd)) {
        if (!json_is_boolean(cd)) {
            if (err)
                snprintf(err, errlen, "applicant: \"card_deposit\" must be true or false");
            goto out;
        }
        out->card_deposit = json_is_true(cd);
    }
    st = PS_OK;
out:
    json_decref(root);
    if (st != PS_OK)
        memset(out, 0, sizeof *out);
    return st;
}

ps_status ps_applicant_to_json(const ps_applicant *a, char **out)
{
    json_t *o;
    if (out == NULL || a == NULL)
        return PS_E_ARG;
    o = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s,s:b}", "id", a->id, "name", a->name, "name_kana",
                  a->name_kana, "name_latin", a->name_latin, "birth_date",
                  a->birth_date[0] ? a->birth_date : NULL, "address", a->address,
                  "card_deposit", a->card_deposit);
    if (o == NULL)
        return PS_E_NOMEM;
    *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return *out ? PS_OK : PS_E_NOMEM;
}
