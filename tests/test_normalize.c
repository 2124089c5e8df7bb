/* Normalisation tables: width, old kanji, names (kanji/kana/Latin) and
 * addresses. Each row is one case; a failing row names itself. */
#include "testutil.h"

#include <string.h>

#include "prescreen/normalize.h"
#include "read/utf8.h"

typedef struct {
    const char *in;
    unsigned flags;
    const char *want;
} text_case;

static const text_case text_cases[] = {
    {"ＡＢＣ１２３", PS_NORM_WIDTH, "ABC123"},
    {"ｔａｒｏ　ｙａｍａｄａ", PS_NORM_WIDTH | PS_NORM_UPPER, "TARO YAMADA"},
    {"ﾔﾏﾀﾞ ﾀﾛｳ", PS_NORM_WIDTH, "ヤマダ タロウ"},
    {"ﾊﾟﾋﾟﾌﾟ", PS_NORM_WIDTH, "パピプ"},
    {"ｳﾞｨ", PS_NORM_WIDTH, "ヴィ"},
    {"ｶﾞｷﾞｸﾞｹﾞｺﾞ", PS_NORM_WIDTH, "ガギグゲゴ"},
    {"ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", PS_NORM_WIDTH, "バビブベボ"},
    {"ｱｰﾙ", PS_NORM_WIDTH, "アール"},
    {"山田　太郎", PS_NORM_WIDTH | PS_NORM_NOSPACE, "山田太郎"},
    {"やまだ たろう", PS_NORM_KATAKANA | PS_NORM_NOSPACE, "ヤマダタロウ"},
    {"髙橋", PS_NORM_OLDKANJI, "高橋"},
    {"山﨑", PS_NORM_OLDKANJI, "山崎"},
    {"渡邊", PS_NORM_OLDKANJI, "渡辺"},
    {"渡邉", PS_NORM_OLDKANJI, "渡辺"},
    {"齋藤", PS_NORM_OLDKANJI, "斎藤"},
    {"齊藤", PS_NORM_OLDKANJI, "斎藤"},
    {"澤田", PS_NORM_OLDKANJI, "沢田"},
    {"濱田", PS_NORM_OLDKANJI, "浜田"},
    {"廣瀬", PS_NORM_OLDKANJI, "広瀬"},
    {"櫻井", PS_NORM_OLDKANJI, "桜井"},
    {"𠮷田", PS_NORM_OLDKANJI, "吉田"},
    {"2ー1－2", PS_NORM_DASH, "2-1-2"},
    {"2‐1―2", PS_NORM_DASH, "2-1-2"},
    {"コーポ", PS_NORM_DASH, "コーポ"}, /* a long vowel, not a dash */
    {"", PS_NORM_WIDTH, ""},
};

START_TEST(text_table)
{
    char out[256];
    for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
        const text_case *c = &text_cases[i];
        ck_assert_msg(ps_norm_text(c->in, c->flags, out, sizeof out) == PS_OK, "row %zu", i);
        ck_assert_msg(strcmp(out, c->want) == 0, "row %zu: '%s' gave '%s', want '%s'", i,
                      c->in, out, c->want);
    }
}
END_TEST

typedef struct {
    const char *doc;
    const char *name, *kana, *latin;
    ps_name_match want;
} name_case;

static const name_case name_cases[] = {
    {"山田 太郎", "山田 太郎", "ヤマダ タロウ", "TARO YAMADA", PS_NAME_MATCH_KANJI},
    {"山田太郎", "山田 太郎", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"山田　太郎", "山田 太郎", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"髙橋 一郎", "高橋 一郎", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"高橋 一郎", "髙橋 一郎", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"渡邊 花子", "渡辺 花子", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"齋藤 健", "斉藤 健", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"山﨑 優", "山崎 優", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"太郎 山田", "山田 太郎", NULL, NULL, PS_NAME_MATCH_KANJI},
    {"山田 次郎", "山田 太郎", NULL, NULL, PS_NAME_NO_MATCH},
    {"ヤマダ タロウ", "山田 太郎", "ヤマダ タロウ", NULL, PS_NAME_MATCH_KANA},
    {"やまだ たろう", "山田 太郎", "ヤマダ タロウ", NULL, PS_NAME_MATCH_KANA},
    {"ﾔﾏﾀﾞ ﾀﾛｳ", "山田 太郎", "ヤマダ タロウ", NULL, PS_NAME_MATCH_KANA},
    {"ヤマダ ジロウ", "山田 太郎", "ヤマダ タロウ", NULL, PS_NAME_NO_MATCH},
    {"TARO YAMADA", "山田 太郎", "ヤマダ タロウ", "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"YAMADA TARO", "山田 太郎", NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"Yamada, Taro", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"YAMADA<<TARO", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"TAROU YAMADA", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"Tarō Yamada", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"ICHIRO OHNO", NULL, NULL, "ICHIRO ONO", PS_NAME_MATCH_LATIN},
    {"ＴＡＲＯ　ＹＡＭＡＤＡ", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"TAROYAMADA", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"YAMADATARO", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"TARO YAMA DA", NULL, NULL, "TARO YAMADA", PS_NAME_MATCH_LATIN},
    {"SATOUMI", NULL, NULL, "SATO UMI", PS_NAME_MATCH_LATIN},
    {"JIROYAMADA", NULL, NULL, "TARO YAMADA", PS_NAME_NO_MATCH},
    {"TAROYAMADAX", NULL, NULL, "TARO YAMADA", PS_NAME_NO_MATCH},
    {"JIRO YAMADA", NULL, NULL, "TARO YAMADA", PS_NAME_NO_MATCH},
    {"HANAKO YAMADA", "山田 太郎", "ヤマダ タロウ", "TARO YAMADA", PS_NAME_NO_MATCH},
    {"", "山田 太郎", NULL, NULL, PS_NAME_NO_MATCH},
};

START_TEST(name_table)
{
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        const name_case *c = &name_cases[i];
        ps_name_match got = ps_name_compare(c->doc, c->name, c->kana, c->latin);
        ck_assert_msg(got == c->want, "row %zu '%s': got %d want %d", i, c->doc, got, c->want);
    }
    ck_assert_int_eq(ps_name_compare(NULL, "山田 太郎", NULL, NULL), PS_NAME_NO_MATCH);
}
END_TEST

START_TEST(latin_keys)
{
    char out[64];
    ck_assert_int_eq(ps_norm_latin_name("Yamada Tarou", out, sizeof out), PS_OK);
    ck_assert_str_eq(out, "TARO YAMADA");
    ck_assert_int_eq(ps_norm_latin_name("SHIMBASHI Ken", out, sizeof out), PS_OK);
    ck_assert_str_eq(out, "KEN SHINBASHI");
    ck_assert_int_eq(ps_norm_latin_name("OHASHI AI", out, sizeof out), PS_OK);
    ck_assert_str_eq(out, "AI OHASHI"); /* OH before a vowel stays */
    /* too small a buffer is an error, never a truncated key */
    ck_assert_int_eq(ps_norm_latin_name("TARO YAMADA", out, 5), PS_E_ARG);
    ck_assert_str_eq(out, "");
}
END_TEST

typedef struct {
    const char *in;
    const char *want;
} addr_case;

static const addr_case addr_cases[] = {
    {"東京都千代田区霞が関2-1-2", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関二丁目一番二号", "千代田区霞ケ関2-1-2"},
    {"千代田区霞が関２－１－２", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞ヶ関2丁目1番2号", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関2ー1ー2", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関2‐1‐2", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関2―1―2", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関２丁目１番地２", "千代田区霞ケ関2-1-2"},
    {"東京都 千代田区 霞が関 2-1-2", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関2-1-2 霞ビル301", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関2-1-2霞ビル3階", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関2-1-2-301", "千代田区霞ケ関2-1-2"},
    {"東京都千代田区霞が関2-1-2 301号室", "千代田区霞ケ関2-1-2"},
    {"大阪府大阪市北区梅田三丁目一番三号", "大阪市北区梅田3-1-3"},
    {"大阪市北区梅田3-1-3 ノースゲートビル", "大阪市北区梅田3-1-3"},
    {"神奈川県横浜市中区山下町二十三番地", "横浜市中区山下町23"},
    {"横浜市中区山下町２３", "横浜市中区山下町23"},
    {"北海道札幌市中央区北一条西二丁目", "札幌市中央区北1条西2"},
    {"札幌市中央区北1条西2丁目", "札幌市中央区北1条西2"},
    /* the town's 3 of 北3条 is no block number: the 号 is kept */
    {"北海道札幌市中央区北三条西1-15-25", "札幌市中央区北3条西1-15-25"},
    {"北海道札幌市中央区北3条西1丁目15番25号 レジデンス桜402号", "札幌市中央区北3条西1-15-25"},
    {"東京都千代田区一番町5-3", "千代田区1番町5-3"},
    {"千代田区一番町五番地の三", "千代田区1番町5-3"},
    {"東京都港区六本木六丁目十番一号", "港区六本木6-10-1"},
    {"港区六本木6-10-1 六本木ヒルズ森タワー", "港区六本木6-10-1"},
    {"京都府京都市下京区烏丸通七条下ル東塩小路町七二一番地の一",
     "京都市下京区烏丸通7条下ル東塩小路町721-1"},
    {"埼玉県さいたま市浦和区高砂3丁目15番1号", "さいたま市浦和区高砂3-15-1"},
    {"さいたま市浦和区髙砂3-15-1", "さいたま市浦和区高砂3-15-1"},
    {"東京都三鷹市下連雀3-1-1", "三鷹市下連雀3-1-1"},
    {"東京都八王子市元本郷町三丁目24番1号", "八王子市元本郷町3-24-1"},
    {"福岡県福岡市博多区博多駅前1ー1ー1", "福岡市博多区博多駅前1-1-1"},
    {"東京都千代田区千代田1-1-1", "千代田区千代田1-1-1"},
    {"東京都千代田区千代田１丁目１番１号", "千代田区千代田1-1-1"},
    {"東京都千代田区千代田1一1一1", "千代田区千代田1-1-1"},
    {"茨城県つくば市千現二丁目1番地1", "つくば市千現2-1-1"},
    {"兵庫県神戸市中央区加納町6-5-1", "神戸市中央区加納町6-5-1"},
    {"愛知県名古屋市中区三の丸三丁目1番2号", "名古屋市中区三の丸3-1-2"},
    {"名古屋市中区三ノ丸3-1-2", "名古屋市中区三の丸3-1-2"},
    {"東京都世田谷区自由が丘1-2-3 コーポ自由が丘201", "世田谷区自由ケ丘1-2-3"},
    {"東京都世田谷区自由ヶ丘１－２－３", "世田谷区自由ケ丘1-2-3"},
    {"岩手県紫波郡紫波町大字日詰字西裏1番地", "紫波郡紫波町日詰字西裏1"},
    /* 丁 misread as OCR reads it off photographed paper */
    {"東京都世田谷区桜新町4十目13番8号", "世田谷区桜新町4-13-8"},
    {"愛知県名古屋市昭和区御器所4]目26番3号", "名古屋市昭和区御器所4-26-3"},
    {"東京都練馬区石神井町1」目6番14号", "練馬区石神井町1-6-14"},
    {"", ""},
};

START_TEST(address_table)
{
    char out[256];
    for (size_t i = 0; i < sizeof addr_cases / sizeof addr_cases[0]; i++) {
        const addr_case *c = &addr_cases[i];
        ck_assert_msg(ps_norm_address(c->in, out, sizeof out) == PS_OK, "row %zu", i);
        ck_assert_msg(strcmp(out, c->want) == 0, "row %zu: '%s' gave '%s', want '%s'", i,
                      c->in, out, c->want);
    }
}
END_TEST

START_TEST(address_compare)
{
    ck_assert_int_eq(ps_address_compare("東京都千代田区千代田1-1-1",
                                        "千代田区千代田一丁目一番一号 皇居ビル2F"), 1);
    ck_assert_int_eq(ps_address_compare("東京都千代田区千代田1-1-1", "東京都千代田区千代田1-1-2"), 0);
    ck_assert_int_eq(ps_address_compare("東京都千代田区千代田1-1-1", "東京都中央区千代田1-1-1"), 0);
    ck_assert_int_eq(ps_address_compare("", ""), 0);
    ck_assert_int_eq(ps_address_compare(NULL, "x"), 0);
    ck_assert_str_eq(ps_prefecture_of("神奈川県横浜市"), "神奈川県");
    ck_assert_ptr_null(ps_prefecture_of("横浜市"));
}
END_TEST

/* The addressee's line ends in 様 (two characters of OCR debris allowed),
 * or in a word of one kanji OCR reads for it; お客様 inside a line, or 様
 * with more after it, is no addressee. */
START_TEST(addressee_line)
{
    ck_assert(ps_ends_in_sama("前田千尋様"));
    ck_assert(ps_ends_in_sama("前田千尋様]"));
    ck_assert(ps_ends_in_sama("お客様前田千尋様"));
    ck_assert(!ps_ends_in_sama("お客様サービスセンター"));
    ck_assert(!ps_ends_in_sama("前田千尋様宛のご案内"));
    ck_assert(!ps_ends_in_sama("前田千尋"));
    ck_assert(!ps_ends_in_sama(NULL));
    /* 様 as spaced and widened as printed */
    ck_assert_int_eq(ps_ends_in_sama("前田 千尋 様 "), 1);
    ck_assert_int_eq(ps_ends_in_sama("前田　千尋　様"), 1);
    /* 様 read as 欄 or 棟: only as a word of its own after a name */
    ck_assert_int_eq(ps_ends_in_sama("木村 千尋 欄"), 2);
    ck_assert_int_eq(ps_ends_in_sama("木村　千尋　棟 "), 2);
    ck_assert_int_eq(ps_ends_in_sama("記入欄"), 0);
    ck_assert_int_eq(ps_ends_in_sama("記入 欄"), 0);
    ck_assert_int_eq(ps_ends_in_sama("1 欄"), 0);
    ck_assert_int_eq(ps_ends_in_sama("欄"), 0);
}
END_TEST

START_TEST(bad_arguments)
{
    char out[4];
    ck_assert_int_eq(ps_norm_text(NULL, 0, out, sizeof out), PS_E_ARG);
    ck_assert_int_eq(ps_norm_text("abcdef", 0, out, sizeof out), PS_E_ARG);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(ps_norm_address("x", NULL, 4), PS_E_ARG);
    /* invalid UTF-8 bytes are dropped, not copied */
    ck_assert_int_eq(ps_norm_text("a\xff\xfe" "b", 0, out, sizeof out), PS_OK);
    ck_assert_str_eq(out, "ab");
}
END_TEST

/* The script-class predicates of read/utf8.h, at the boundaries where the
 * callers' ranges differ: judge.c counts ・ and ー as katakana and only BMP
 * kanji, fields.c takes any kana or kanji in any plane, normalize.c shifts
 * only hiragana that have a katakana twin. */
typedef struct {
    uint32_t c;
    int kanji_bmp, kanji, hira, twin, kata_letter, kata_word, kana, jp;
} script_case;

static const script_case script_cases[] = {
    /*  c        kbmp kanji hira twin kl  kw  kana jp */
    {0x5C71,     1,   1,    0,   0,   0,  0,  0,   1}, /* 山 */
    {0x3005,     1,   1,    0,   0,   0,  0,  0,   1}, /* 々 */
    {0x3400,     1,   1,    0,   0,   0,  0,  0,   1}, /* Extension A */
    {0xF9DC,     1,   1,    0,   0,   0,  0,  0,   1}, /* compatibility 隆 */
    {0x20BB7,    0,   1,    0,   0,   0,  0,  0,   1}, /* 𠮷: not BMP */
    {0x3041,     0,   0,    1,   1,   0,  0,  1,   1}, /* ぁ */
    {0x3096,     0,   0,    1,   1,   0,  0,  1,   1}, /* ゖ */
    {0x3099,     0,   0,    1,   0,   0,  0,  1,   1}, /* combining dakuten */
    {0x309D,     0,   0,    1,   1,   0,  0,  1,   1}, /* ゝ */
    {0x309F,     0,   0,    1,   0,   0,  0,  1,   1}, /* ゟ */
    {0x30A0,     0,   0,    0,   0,   0,  0,  1,   1}, /* ゠ */
    {0x30A1,     0,   0,    0,   0,   1,  1,  1,   1}, /* ァ */
    {0x30FA,     0,   0,    0,   0,   1,  1,  1,   1}, /* ヺ */
    {0x30FB,     0,   0,    0,   0,   0,  1,  1,   1}, /* ・ */
    {0x30FC,     0,   0,    0,   0,   0,  1,  1,   1}, /* ー */
    {0x30FD,     0,   0,    0,   0,   0,  0,  1,   1}, /* ヽ */
    {0x3000,     0,   0,    0,   0,   0,  0,  0,   0}, /* ideographic space */
    {0x3007,     0,   0,    0,   0,   0,  0,  0,   0}, /* 〇 */
    {0xFF76,     0,   0,    0,   0,   0,  0,  0,   0}, /* half-width ｶ */
    {'A',        0,   0,    0,   0,   0,  0,  0,   0},
};

START_TEST(script_classes)
{
    const script_case *t = &script_cases[_i];
    ck_assert_msg(ps__cp_is_kanji_bmp(t->c) == t->kanji_bmp, "U+%04X kanji_bmp", t->c);
    ck_assert_msg(ps__cp_is_kanji(t->c) == t->kanji, "U+%04X kanji", t->c);
    ck_assert_msg(ps__cp_is_hiragana(t->c) == t->hira, "U+%04X hiragana", t->c);
    ck_assert_msg(ps__cp_is_hiragana_twin(t->c) == t->twin, "U+%04X twin", t->c);
    ck_assert_msg(ps__cp_is_katakana_letter(t->c) == t->kata_letter, "U+%04X kata letter", t->c);
    ck_assert_msg(ps__cp_is_katakana_word(t->c) == t->kata_word, "U+%04X kata word", t->c);
    ck_assert_msg(ps__cp_is_kana(t->c) == t->kana, "U+%04X kana", t->c);
    ck_assert_msg(ps__cp_is_japanese(t->c) == t->jp, "U+%04X japanese", t->c);
    ck_assert_int_eq(ps__cp_is_latin(t->c), t->c == 'A');
}
END_TEST

int main(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, text_table);
    tcase_add_test(tc, name_table);
    tcase_add_test(tc, latin_keys);
    tcase_add_test(tc, address_table);
    tcase_add_test(tc, address_compare);
    tcase_add_test(tc, addressee_line);
    tcase_add_test(tc, bad_arguments);
    tcase_add_loop_test(tc, script_classes, 0,
                        (int)(sizeof script_cases / sizeof script_cases[0]));
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
