/* Judging readings against the registered profile (prescreen/judge.h):
 * what raises a mismatch flag and what leaves the match unknown. The
 * readings are real OCR outputs from generated uploads (bench/RESULTS.md,
 * "Flags through the pipeline"). Each row names itself when it fails. */
#include "testutil.h"

#include "prescreen/judge.h"

typedef struct {
    const char *doc;
    double conf;
    const char *name, *kana, *latin;
    ps_judgement want;
} name_case;

static const name_case name_cases[] = {
    /* the same */
    {"山田 太郎", 0.95, "山田 太郎", NULL, NULL, PS_JUDGE_SAME},
    {"TARO YAMADA", 0.8, "山田 太郎", NULL, "TARO YAMADA", PS_JUDGE_SAME},
    /* an embossed card name read without its gap */
    {"TAROHAYASHI", 0.964, "林 太郎", NULL, "TARO HAYASHI", PS_JUDGE_SAME},
    /* one letter off in one word at high confidence, and one word alone */
    {"MAL ENDO", 0.936, "遠藤 舞", NULL, "MAI ENDO", PS_JUDGE_UNSURE},
    {"SUZUICE", 0.724, "鈴木 舞", NULL, "MAI SUZUKI", PS_JUDGE_UNSURE},
    {"MAL ENDQ", 0.936, "遠藤 舞", NULL, "MAI ENDO", PS_JUDGE_DIFFERENT},
    /* a family member's card: the given name is another */
    {"HANAKO HAYASHI", 0.95, "林 太郎", NULL, "TARO HAYASHI", PS_JUDGE_DIFFERENT},
    /* another person, read surely or not */
    {"木村彩", 0.89, "前田 健太", NULL, NULL, PS_JUDGE_DIFFERENT},
    {"小林 誠", 0.60, "森 智子", NULL, NULL, PS_JUDGE_DIFFERENT},
    {"時 山田隆", 0.19, "村上 陽介", NULL, NULL, PS_JUDGE_DIFFERENT},
    /* a reading tesseract gave up on (confidence near 0) is noise */
    {"基則御", 0.0, "井上 智子", "イノウエ トモコ", NULL, PS_JUDGE_UNSURE},
    {"基則御", 0.10, "井上 智子", NULL, NULL, PS_JUDGE_UNSURE},
    {"KATO HANAKO", 0.95, "佐藤 太郎", NULL, "TARO SATO", PS_JUDGE_DIFFERENT},
    /* a confident reading one kanji off is another name (太郎 / 次郎) */
    {"藤田次郎", 0.95, "藤田 太郎", NULL, NULL, PS_JUDGE_DIFFERENT},
    /* one kanji misread by an unsure reading */
    {"藤田太朗", 0.88, "藤田 太郎", NULL, NULL, PS_JUDGE_UNSURE},
    {"遠藤夢", 0.764, "遠藤 蓮", NULL, NULL, PS_JUDGE_UNSURE},
    {"衣水 彩", 0.536, "清水 彩", NULL, NULL, PS_JUDGE_UNSURE},
    /* two of four misread at low confidence */
    {"攻腰直子", 0.435, "佐藤 直子", NULL, NULL, PS_JUDGE_UNSURE},
    /* ... but not at middling confidence */
    {"攻腰直子", 0.80, "佐藤 直子", NULL, NULL, PS_JUDGE_DIFFERENT},
    /* a two-kanji name keeps both kanji: one off is a different name */
    {"林愛", 0.80, "林 舞", NULL, NULL, PS_JUDGE_DIFFERENT},
    /* a stray label glyph before the name */
    {"時 加藤和世", 0.484, "加藤 和也", NULL, NULL, PS_JUDGE_UNSURE},
    /* swapped parts, one kanji off */
    {"太朗 藤田", 0.8, "藤田 太郎", NULL, NULL, PS_JUDGE_UNSURE},
    /* not a name at all: noise under glare, a label, a single glyph */
    {"Cm", 0.614, "渡辺 隆", NULL, "TAKASHI WATANABE", PS_JUDGE_UNSURE},
    {"US", 0.939, NULL, NULL, "TRAN THI LAN", PS_JUDGE_UNSURE},
    {"年", 0.897, "坂本 彩", NULL, NULL, PS_JUDGE_UNSURE},
    {"にロートー", 0.644, "岡本 美咲", NULL, NULL, PS_JUDGE_UNSURE},
    {"ズン ン到山", 0.662, "近藤 真由美", NULL, NULL, PS_JUDGE_UNSURE},
    {"12月3日", 0.9, "山田 太郎", NULL, NULL, PS_JUDGE_UNSURE},
    /* Latin: an MRZ slip (INQUE) at the MRZ's confidence, and a surname */
    {"INQUE HANAKO", 0.8, "井上 花子", NULL, "HANAKO INOUE", PS_JUDGE_UNSURE},
    {"INQUE HANAKO", 0.95, "井上 花子", NULL, "HANAKO INOUE", PS_JUDGE_DIFFERENT},
    {"SATO HANAKO", 0.8, "井上 花子", NULL, "HANAKO INOUE", PS_JUDGE_DIFFERENT},
    /* the surname alone (a passport's name zone cut short): no verdict;
     * another surname alone: another person */
    {"INOUE", 0.918, "井上 太郎", NULL, "TARO INOUE", PS_JUDGE_UNSURE},
    {"SATO", 0.918, "井上 太郎", NULL, "TARO INOUE", PS_JUDGE_DIFFERENT},
    /* a kana reading against a kanji name only: no verdict; against kana */
    {"イケダ タロウ", 0.93, "池田 拓也", NULL, NULL, PS_JUDGE_UNSURE},
    {"イケダ タロウ", 0.93, "池田 拓也", "イケダ タクヤ", NULL, PS_JUDGE_DIFFERENT},
    {"イケダ タクヤ", 0.93, "池田 拓也", "イケダ タクヤ", NULL, PS_JUDGE_SAME},
    /* a name cut by its zone: only the surname, or the given name with a
     * stray glyph before it; but a whole different given name still counts */
    {"清水", 0.781, "清水 智子", "シミズ トモコ", NULL, PS_JUDGE_UNSURE},
    {"ま和也", 0.702, "坂本 和也", "サカモト カズヤ", NULL, PS_JUDGE_UNSURE},
    {"池田 太郎", 0.80, "池田 拓也", "イケダ タクヤ", NULL, PS_JUDGE_DIFFERENT},
    /* a part of the name with one slip, read unsurely: the family name
     * cut off (直美 for 由美), a stray glyph and one misread (居子 for 智子) */
    {"直美", 0.636, "近藤 由美", "コンドウ ユミ", NULL, PS_JUDGE_UNSURE},
    {"き 居子", 0.239, "木村 智子", "キムラ トモコ", NULL, PS_JUDGE_UNSURE},
    /* ... but read surely, a part one kanji off is another name */
    {"直美", 0.92, "近藤 由美", "コンドウ ユミ", NULL, PS_JUDGE_DIFFERENT},
    /* a family member's document (the family name as registered, a given
     * name with none of its kanji) even from an unsure reading ... */
    {"池田 太郎", 0.68, "池田 拓也", "イケダ タクヤ", NULL, PS_JUDGE_DIFFERENT},
    {"髙橋　美咲", 0.55, "高橋 健太", NULL, NULL, PS_JUDGE_DIFFERENT},
    /* ... but not when one kanji of the given name stands, nor from noise,
     * nor when the reading is not split in two words */
    {"池田 拓地", 0.68, "池田 拓也", NULL, NULL, PS_JUDGE_UNSURE},
    {"池田 太郎", 0.45, "池田 拓也", NULL, NULL, PS_JUDGE_UNSURE},
    {"池田太郎", 0.68, "池田 拓也", NULL, NULL, PS_JUDGE_UNSURE},
    /* one kana read over and over: noise, not a name */
    {"すすすすすおに", 0.541, "鈴木 久美子", "スズキ クミコ", NULL, PS_JUDGE_UNSURE},
    /* nothing registered to judge with */
    {"山田 太郎", 0.95, NULL, "", NULL, PS_JUDGE_UNSURE},
    {"TARO YAMADA", 0.95, "山田 太郎", NULL, NULL, PS_JUDGE_UNSURE},
};

START_TEST(names)
{
    const name_case *c = &name_cases[_i];
    ps_judgement got = ps_name_judge(c->doc, c->conf, c->name, c->kana, c->latin);
    ck_assert_msg(got == c->want, "row %d: %s (%.2f) vs %s/%s: got %d want %d", _i, c->doc,
                  c->conf, c->name ? c->name : "-", c->latin ? c->latin : "-", got, c->want);
}
END_TEST

typedef struct {
    const char *doc;
    double conf;
    const char *reg;
    ps_judgement want;
} addr_case;

static const addr_case addr_cases[] = {
    {"東京都千代田区千代田1丁目1番1号", 0.95, "東京都千代田区千代田1-1-1", PS_JUDGE_SAME},
    /* another address */
    {"京都府京都市左京区北白川5丁目5番3号", 0.944, "福岡県福岡市中央区大手門1-26-22 グリーンヒル603",
     PS_JUDGE_DIFFERENT},
    {"東京都千代田区千代田1丁目1番2号", 0.95, "東京都千代田区千代田1-1-1", PS_JUDGE_DIFFERENT},
    /* the prefecture's first character cut or misread */
    {"阪府豊中市岡町北4丁目8番8号", 0.937, "大阪府豊中市岡町北4-8-8", PS_JUDGE_SAME},
    {"海道札幌市中央区北三条西3丁目7番23号レジデンス桜402号", 0.922,
     "北海道札幌市中央区北三条西3-7-23 レジデンス桜402", PS_JUDGE_SAME},
    {"中天県仙台市青葉区国分町3丁目12番14号", 0.767, "宮城県仙台市青葉区国分町3-12-14",
     PS_JUDGE_SAME},
    /* one kanji of the town misread, unsure */
    {"神奈川県横浜市洪北区日吉本町3丁目17番12号", 0.827, "神奈川県横浜市港北区日吉本町3-17-12",
     PS_JUDGE_UNSURE},
    /* ... even read surely, when every block number is the registered one:
     * one kanji off in a line whose mean confidence is high is a misreading
     * (a bill's 葵区 read as 鞭区 at 0.91) */
    {"神奈川県横浜市洪北区日吉本町3丁目17番12号", 0.95, "神奈川県横浜市港北区日吉本町3-17-12",
     PS_JUDGE_UNSURE},
    {"宮城県仙台市言葉区国分町5丁目22番25号", 0.917, "宮城県仙台市青葉区国分町5-22-25",
     PS_JUDGE_UNSURE},
    /* ... but not two kanji, nor one with another block number */
    {"神奈川県横浜市洪南区日吉本町3丁目17番12号", 0.95, "神奈川県横浜市港北区日吉本町3-17-12",
     PS_JUDGE_DIFFERENT},
    {"神奈川県横浜市洪北区日吉本町3丁目17番13号", 0.95, "神奈川県横浜市港北区日吉本町3-17-12",
     PS_JUDGE_DIFFERENT},
    /* cut short */
    {"千葉県船橋市本", 0.953, "千葉県船橋市本町2-18-5 グリーンヒル402", PS_JUDGE_UNSURE},
    {"宮城県仙台市青葉区国分町5丁目3番号", 0.907, "宮城県仙台市青葉区国分町5-3-2", PS_JUDGE_UNSURE},
    /* too little to judge */
    {"区中", 0.5, "東京都千代田区千代田1-1-1", PS_JUDGE_UNSURE},
};

START_TEST(addresses)
{
    const addr_case *c = &addr_cases[_i];
    ps_judgement got = ps_address_judge(c->doc, c->conf, c->reg);
    ck_assert_msg(got == c->want, "row %d: %s (%.2f) vs %s: got %d want %d", _i, c->doc, c->conf,
                  c->reg, got, c->want);
}
END_TEST

typedef struct {
    const char *text, *iso;
    double conf;
    const char *reg;
    ps_judgement want;
} date_case;

static const date_case date_cases[] = {
    {"昭和50年12月24日", "1975-12-24", 0.95, "1975-12-24", PS_JUDGE_SAME},
    /* another birth date */
    {"昭和62年5月9日", "1987-05-09", 0.949, "1990-05-08", PS_JUDGE_DIFFERENT},
    {"平成4年10月12日", "1992-10-12", 0.813, "2000-10-10", PS_JUDGE_DIFFERENT},
    {"16FEB1960", "1960-02-16", 0.80, "1960-05-18", PS_JUDGE_DIFFERENT},
    /* a digit dropped or misread by an unsure reading */
    {"昭和50年12月2日", "1975-12-02", 0.852, "1975-12-24", PS_JUDGE_UNSURE},
    {"昭和29年1月28", "1954-01-28", 0.854, "1954-11-28", PS_JUDGE_UNSURE},
    {"11NOV1986", "1986-11-11", 0.859, "1986-11-01", PS_JUDGE_UNSURE},
    {"1980年06月2日", "1980-06-02", 0.8, "1980-06-21", PS_JUDGE_UNSURE},
    /* the same slip read surely is another date */
    {"昭和50年12月2日", "1975-12-02", 0.95, "1975-12-24", PS_JUDGE_DIFFERENT},
    /* no date parsed */
    {"Bx", "", 0.5, "1994-06-15", PS_JUDGE_UNSURE},
};

START_TEST(dates)
{
    const date_case *c = &date_cases[_i];
    ps_judgement got = ps_date_judge(c->text, c->iso, c->conf, c->reg);
    ck_assert_msg(got == c->want, "row %d: %s (%.2f) vs %s: got %d want %d", _i, c->text, c->conf,
                  c->reg, got, c->want);
}
END_TEST

START_TEST(helpers)
{
    ck_assert_int_eq(ps_text_distance("藤田太郎", "藤田太朗", 0), 1);
    ck_assert_int_eq(ps_text_distance("船橋市本", "船橋市本町2-18-5", 0), 7);
    ck_assert_int_eq(ps_text_distance("船橋市本", "船橋市本町2-18-5", 1), 0);
    ck_assert_int_eq(ps_text_distance(NULL, "x", 0), -1);
    ck_assert_int_eq(ps_misread_allowance(4, 0.95), 0);
    ck_assert_int_eq(ps_misread_allowance(4, -1), 0);
    ck_assert_int_eq(ps_misread_allowance(4, 0.8), 1);
    ck_assert_int_eq(ps_misread_allowance(4, 0.5), 2);
    ck_assert_int_eq(ps_misread_allowance(2, 0.5), 0);
    ck_assert_int_eq(ps_name_judge(NULL, 0.9, "山田 太郎", NULL, NULL), PS_JUDGE_UNSURE);
    ck_assert_int_eq(ps_address_judge(NULL, 0.9, "x"), PS_JUDGE_UNSURE);
    ck_assert_int_eq(ps_date_judge("x", "2020-01-01", 0.9, "not a date"), PS_JUDGE_UNSURE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("judge");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, names, 0, (int)(sizeof name_cases / sizeof name_cases[0]));
    tcase_add_loop_test(tc, addresses, 0, (int)(sizeof addr_cases / sizeof addr_cases[0]));
    tcase_add_loop_test(tc, dates, 0, (int)(sizeof date_cases / sizeof date_cases[0]));
    tcase_add_test(tc, helpers);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
