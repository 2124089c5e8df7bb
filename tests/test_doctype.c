/* Document type from keyword sets and layout hints. */
#include "testutil.h"

#include <string.h>

#include "prescreen/doctype.h"

typedef struct {
    const char *text;
    double aspect;
    int face;
    ps_doctype want;
    ps_side side;
} dt_case;

static const dt_case cases[] = {
    {"氏名 日本 花子 昭和61年5月1日生\n住所 東京都千代田区霞が関2-1-2\n"
     "2024年(令和06年)06月01日まで有効 運転免許証 ○○公安委員会",
     1.586, 1, PS_DOC_DRIVERS_LICENSE, PS_SIDE_FRONT},
    {"運 転 免 許 証", 0, -1, PS_DOC_DRIVERS_LICENSE, PS_SIDE_FRONT},
    {"備考 免許証 裏面", 1.586, 0, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    {"氏名 番号 花子 住所 性別 女 平成元年3月31日生 2025年3月31日まで有効 "
     "電子証明書の有効期限 個人番号カード",
     1.586, 1, PS_DOC_MY_NUMBER_CARD, PS_SIDE_FRONT},
    /* no portrait on a My Number card: its back */
    {"個人番号カード 個人番号 1234 5678 9018", 1.586, 0, PS_DOC_MY_NUMBER_CARD,
     PS_SIDE_BACK},
    {"通知カード 個人番号 氏名 住所", 1.586, 0, PS_DOC_MY_NUMBER_NOTIFICATION, PS_SIDE_FRONT},
    {"ＲＥＳＩＤＥＮＣＥ　ＣＡＲＤ 在留カード 在留資格 永住者", 1.586, 1, PS_DOC_RESIDENCE_CARD,
     PS_SIDE_FRONT},
    {"住居地記載欄 届出年月日 資格外活動許可欄", 1.586, 0, PS_DOC_RESIDENCE_CARD, PS_SIDE_BACK},
    {"特別永住者証明書 SPECIAL PERMANENT RESIDENT CERTIFICATE", 1.586, 1,
     PS_DOC_SPECIAL_PERMANENT_RESIDENT, PS_SIDE_FRONT},
    {"日本国 JAPAN 旅券 PASSPORT\n"
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
     1.42, 1, PS_DOC_PASSPORT, PS_SIDE_FRONT},
    {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
     0, -1, PS_DOC_PASSPORT, PS_SIDE_NONE},
    {"健康保険 被保険者証 本人 記号 番号 保険者番号", 1.586, 0, PS_DOC_HEALTH_INSURANCE_CARD,
     PS_SIDE_FRONT},
    {"住民票の写し 世帯主 続柄 住民となった年月日 この写しは原本と相違ないことを証明する", 0.707,
     0, PS_DOC_CERTIFICATE_OF_RESIDENCE, PS_SIDE_FRONT},
    {"〒100-0013 東京都千代田区霞が関2-1-2 山田 太郎 様 料金後納郵便", 0.68, 0,
     PS_DOC_POSTAL_MAIL, PS_SIDE_FRONT},
    /* an envelope whose 郵便 words did not read: its addressee block (a
     * postcode after 〒, a line ending in a name and 様) makes it mail... */
    {"〒101-8314\n東京都千代田区神田錦町2丁目22番12号\n前田千尋 様\n"
     "株式会社さくら証券お客様サービスセンター",
     1.41, 0, PS_DOC_POSTAL_MAIL, PS_SIDE_FRONT},
    /* ...but not 様 inside a line (お客様), nor a 〒 without a postcode */
    {"〒101-8314\n東京都千代田区神田錦町2丁目22番12号\nお客様サービスセンター", 1.41, 0,
     PS_DOC_UNKNOWN, PS_SIDE_NONE},
    {"〒 東京都千代田区神田錦町\n前田千尋 様", 1.41, 0, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    /* a bill carries an addressee block too: its own words win */
    {"〒101-8314\n前田千尋 様\n電気料金のお知らせ ご使用量 320kWh", 0.707, 0,
     PS_DOC_UTILITY_BILL, PS_SIDE_NONE},
    {"電気ご使用量のお知らせ ご使用量 320kWh 検針日 4月5日", 0.707, 0, PS_DOC_UTILITY_BILL,
     PS_SIDE_NONE},
    {"ガス料金 領収証", 0.5, 0, PS_DOC_UTILITY_BILL, PS_SIDE_NONE},
    {"水道料金 お客さま番号", 0.707, 0, PS_DOC_UTILITY_BILL, PS_SIDE_NONE},
    {"令和6年度 住民税 納付書 領収証書", 0.707, 0, PS_DOC_TAX_RECEIPT, PS_SIDE_NONE},
    {"入出金明細 普通預金 口座番号 残高", 0.707, 0, PS_DOC_BANK_STATEMENT, PS_SIDE_NONE},
    {"VISA 4111 1111 1111 1111 VALID THRU 12/28 TARO YAMADA", 1.586, 0, PS_DOC_CREDIT_CARD,
     PS_SIDE_FRONT},
    {"5555 5555 5555 4444", 1.586, 0, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT},
    /* specimen cards often fail Luhn: 4-4-4-4 groups plus a brand suffice */
    {"VISA 4000 1234 5678 9010", 1.586, 0, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT},
    {"AUTHORIZED SIGNATURE  NOT VALID UNLESS SIGNED 123", 1.586, 0, PS_DOC_CREDIT_CARD,
     PS_SIDE_BACK},
    {"4000 1234 5678 9011", 1.586, 0, PS_DOC_UNKNOWN, PS_SIDE_NONE}, /* Luhn fails, no brand */
    {"The quick brown dog jumped over the lazy fox.", 1.3, -1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    {"", 0, -1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    /* a My Number (fake, check digit valid) alone names a card's back; one
     * with a wrong check digit names nothing */
    {"1234 5678 9018", 1.586, -1, PS_DOC_MY_NUMBER_CARD, PS_SIDE_BACK},
    {"個人番号 1234 5678 9018\n氏名 山田 花子", 1.586, 0, PS_DOC_MY_NUMBER_CARD, PS_SIDE_BACK},
    {"1234 5678 9019", 1.586, -1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    /* a licence number, 第 + 12 digits + 号, names a licence; 11 digits not */
    {"番号 第 57 2101 4639 69 号", 1.586, -1, PS_DOC_DRIVERS_LICENSE, PS_SIDE_FRONT},
    {"番号 第 57 2101 4639 6 号", 1.586, -1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    /* a licence number that happens to pass the My Number check is still
     * a licence's (fake digits) */
    {"番号 第 1234 5678 9018 号", 1.586, -1, PS_DOC_DRIVERS_LICENSE, PS_SIDE_FRONT},
    /* a TD3 zone whose second line OCR garbled: line 1's shape suffices */
    {"P<JPNTANAKA<<MAI<<<<<<<<\nTM1694B53?JPN81120", 1.42, -1, PS_DOC_PASSPORT, PS_SIDE_NONE},
    {"PASSAGE<<NOTE", 1.42, -1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    /* a data page whose outline lost its title and zone: its English
     * labels, not the NATIONALITY a residence card prints too */
    {"姓/Surname ISHIKAWA\n名/Given name CHIHIRO\n国籍/Nationality JAPAN\n"
     "本籍/Registered Domicile TOKYO\n発行官庁/Authority MINISTRY OF FOREIGN AFFAIRS",
     1.42, 1, PS_DOC_PASSPORT, PS_SIDE_FRONT},
    {"国籍/Nationality JAPAN\n生年月日/Date of birth 26 MAY 1999", 1.42, 1,
     PS_DOC_RESIDENCE_CARD, PS_SIDE_FRONT},
    /* a foreign ID card's Surname / Given name name no passport */
    {"mbiemri/surname Agani\nemri/given name Adnan\ndata e skadimit/date of expiry",
     1.586, 1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    /* 種類 inside a residence card's 許可の種類 is no licence word */
    {"許可の種類 2025年07月22日交付", 1.586, -1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    {"許可の種類 在留期間更新許可\n2025年07月22日交付\n住居地 大阪府", 1.586, 1,
     PS_DOC_RESIDENCE_CARD, PS_SIDE_FRONT},
    /* a title read with one slip still names its document ... */
    {"佳民票の写し", 0.707, 0, PS_DOC_CERTIFICATE_OF_RESIDENCE, PS_SIDE_FRONT},
    {"運転免許詐 氏名", 1.586, 1, PS_DOC_DRIVERS_LICENSE, PS_SIDE_FRONT},
    {"通知カ一ド", 2.4, 0, PS_DOC_MY_NUMBER_NOTIFICATION, PS_SIDE_FRONT},
    /* ... a label a table cell cut short too (住民となった年月日 less 日),
     * with the certificate's other labels */
    {"住所\n世帯主\n氏名\n住民となった年月\n本籍\n備考", 1.5, -1,
     PS_DOC_CERTIFICATE_OF_RESIDENCE, PS_SIDE_FRONT},
    /* ... but two slips in a five-character title do not, nor one slip in a
     * short key (住民票, VISA) or in a Latin key under eight letters */
    {"運転兎許詐", 1.586, -1, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    {"住民要", 0.707, 0, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    {"VISTA 4000 1234 5678 9011", 1.586, 0, PS_DOC_UNKNOWN, PS_SIDE_NONE},
    /* a 住民票 printing the holder's My Number (fake, check digit valid)
     * is still the certificate, not a My Number card's back */
    {"住民票コード 01234567890\n個人番号 123456789018\n世帯主", 1.2, -1,
     PS_DOC_CERTIFICATE_OF_RESIDENCE, PS_SIDE_FRONT},
};

START_TEST(keyword_sets)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const dt_case *c = &cases[i];
        ps_doctype_hints h = {c->aspect, c->face};
        ps_doctype_result r;
        ck_assert_int_eq(ps_doctype_classify(c->text, &h, &r), PS_OK);
        ck_assert_msg(r.type == c->want, "row %zu: got %s want %s (score %.1f)", i,
                      ps_doctype_name(r.type), ps_doctype_name(c->want), r.score);
        ck_assert_msg(r.side == c->side, "row %zu: side %d want %d", i, r.side, c->side);
    }
}
END_TEST

START_TEST(names_round_trip)
{
    for (int t = 0; t < PS_DOC_COUNT_; t++)
        ck_assert_int_eq(ps_doctype_from_name(ps_doctype_name((ps_doctype)t)), t);
    ck_assert_str_eq(ps_doctype_name(PS_DOC_MY_NUMBER_NOTIFICATION), "my_number_notification_card");
    ck_assert_str_eq(ps_doctype_name((ps_doctype)99), "unknown");
    ck_assert_int_eq(ps_doctype_from_name("nope"), PS_DOC_UNKNOWN);
    ck_assert_int_eq(ps_doctype_is_photo_id(PS_DOC_MY_NUMBER_NOTIFICATION), 0);
    ck_assert_int_eq(ps_doctype_is_photo_id(PS_DOC_DRIVERS_LICENSE), 1);
    ck_assert_int_eq(ps_luhn_valid("4111-1111-1111-1111"), 1);
    ck_assert_int_eq(ps_luhn_valid("4111111111111112"), 0);
    ck_assert_int_eq(ps_luhn_valid("0"), 0);
    ck_assert_int_eq(ps_doctype_classify(NULL, NULL, NULL), PS_E_ARG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("doctype");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, keyword_sets);
    tcase_add_test(tc, names_round_trip);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
