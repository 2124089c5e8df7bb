/* Stage "verify": the document against the applicant's registered profile
 * and the acceptance policy (SPEC §1, §7). */
#include <stdio.h>
#include <string.h>

#include "pipeline/job.h"
#include "prescreen/date.h"
#include "prescreen/doctype.h"
#include "prescreen/judge.h"
#include "prescreen/normalize.h"

static int today(const ps_upload *up, ps_date *now)
{
    if (up->now[0])
        return ps_date_from_iso(up->now, now) == PS_OK;
    *now = ps_date_today();
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

static int match_of(ps_judgement j)
{
    return j == PS_JUDGE_SAME ? 1 : j == PS_JUDGE_DIFFERENT ? 0 : PS_MATCH_UNKNOWN;
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

    if (r->doc_type[0] == '\0')
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

    /* the profile: a mismatch is flagged only where the reading shows
     * another value (prescreen/judge.h); a reading that is noise, cut
     * short or one misread character off leaves the match unknown */
    if (a != NULL) {
        if (name->present && (a->name[0] || a->name_kana[0] || a->name_latin[0])) {
            /* a card's embossed name misreads like any other: only another
             * name read is a card in someone else's name */
            name->match = match_of(ps_name_judge(name->text, name->confidence, a->name,
                                                 a->name_kana, a->name_latin));
            if (name->match == 0)
                ps_report_flag(r, kind == PS_KIND_CREDIT_CARD ? PS_FLAG_CARD_NOT_IN_HOLDER_NAME
                                                              : PS_FLAG_NAME_MISMATCH);
        }
        if (birth->present && birth->iso[0] && a->birth_date[0]) {
            /* a "birth date" after the upload is another date read in its place */
            birth->match = age_days(birth->iso, &now) < 0
                               ? PS_MATCH_UNKNOWN
                               : match_of(ps_date_judge(birth->text, birth->iso,
                                                        birth->confidence, a->birth_date));
            if (birth->match == 0)
                ps_report_flag(r, PS_FLAG_BIRTH_DATE_MISMATCH);
        }
        if (addr->present && a->address[0]) {
            addr->match = match_of(ps_address_judge(addr->text, addr->confidence, a->address));
            if (addr->match == 0)
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
