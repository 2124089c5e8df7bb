/* Stage "verify": the document against the applicant's registered profile
 * and the acceptance policy (SPEC §1, §7). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pipeline/job.h"
#include "prescreen/date.h"
#include "prescreen/doctype.h"
#include "prescreen/normalize.h"

static int today(const ps_upload *up, ps_date *now)
{
    if (up->now[0])
        return ps_date_from_iso(up->now, now) == PS_OK;
    {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        now->year = tm.tm_year + 1900;
        now->month = tm.tm_mon + 1;
        now->day = tm.tm_mday;
    }
    return 1;
}

/* Days from an ISO date to now, or -1 when the date is missing or invalid. */
static long age_days(const char *iso, const ps_date *now)
{
    ps_date d;
    if (iso[0] == '\0' || ps_date_from_iso(iso, &d) != PS_OK)
        return -1;
    return ps_date_days(*now) - ps_date_days(d);
}

ps_status ps_stage_verify(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    const ps_applicant *a = job->up->applicant;
    ps_doctype type = (ps_doctype)job->doctype;
    ps_field *name = &r->fields[PS_FIELD_NAME], *birth = &r->fields[PS_FIELD_BIRTH_DATE];
    ps_field *addr = &r->fields[PS_FIELD_ADDRESS], *exp = &r->fields[PS_FIELD_EXPIRY];
    ps_date now;
    ps_kind kind = job->up->kind;

    if (job->is_pdf || r->doc_type[0] == '\0')
        return PS_OK;
    if (!today(job->up, &now))
        return PS_OK;

    /* acceptance */
    if (kind == PS_KIND_PHOTO_ID && type != PS_DOC_UNKNOWN && !ps_doctype_is_photo_id(type))
        ps_report_flag(r, PS_FLAG_DOCUMENT_TYPE_NOT_ACCEPTED);
    if (type == PS_DOC_MY_NUMBER_NOTIFICATION)
        ps_report_flag(r, PS_FLAG_DOCUMENT_TYPE_NOT_ACCEPTED);
    if (exp->present && exp->iso[0]) {
        long d = age_days(exp->iso, &now);
        if (d > 0) /* the day of expiry itself is still valid */
            ps_report_flag(r, PS_FLAG_EXPIRED_DOCUMENT);
    }

    /* the profile */
    if (a != NULL) {
        if (name->present && (a->name[0] || a->name_kana[0] || a->name_latin[0])) {
            name->match = ps_name_compare(name->text, a->name, a->name_kana, a->name_latin) !=
                          PS_NAME_NO_MATCH;
            if (!name->match)
                ps_report_flag(r, kind == PS_KIND_CREDIT_CARD ? PS_FLAG_CARD_NOT_IN_HOLDER_NAME
                                                              : PS_FLAG_NAME_MISMATCH);
        }
        if (birth->present && birth->iso[0] && a->birth_date[0]) {
            birth->match = strcmp(birth->iso, a->birth_date) == 0;
            if (!birth->match)
                ps_report_flag(r, PS_FLAG_BIRTH_DATE_MISMATCH);
        }
        if (addr->present && a->address[0]) {
            addr->match = ps_address_compare(addr->text, a->address) != 0;
            if (!addr->match)
                ps_report_flag(r, PS_FLAG_ADDRESS_MISMATCH);
        }
    }

    /* what an address proof must show, and how recent */
    if (kind == PS_KIND_ADDRESS_PROOF) {
        const ps_field *when = r->fields[PS_FIELD_POSTMARK_DATE].present
                                   ? &r->fields[PS_FIELD_POSTMARK_DATE]
                                   : &r->fields[PS_FIELD_ISSUE_DATE];
        int limit = type == PS_DOC_CERTIFICATE_OF_RESIDENCE ? p->residence_cert_max_days
                    : when == &r->fields[PS_FIELD_POSTMARK_DATE] ? p->postmark_max_days
                                                                  : p->other_address_max_days;
        long age = when->present ? age_days(when->iso, &now) : -1;
        if (!name->present)
            ps_report_flag(r, PS_FLAG_NAME_NOT_FOUND);
        if (!addr->present)
            ps_report_flag(r, PS_FLAG_ADDRESS_NOT_FOUND);
        if (age < 0)
            ps_report_flag(r, PS_FLAG_DATE_NOT_FOUND);
        else if (age > limit)
            ps_report_flag(r, PS_FLAG_DOCUMENT_TOO_OLD);
    }
    if (kind == PS_KIND_PHOTO_ID && !name->present)
        ps_report_flag(r, PS_FLAG_NAME_NOT_FOUND);
    return PS_OK;
}
