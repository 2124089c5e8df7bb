/* prescreen-gen — invented people: names (kanji, kana, Latin) and addresses.
 * Every combination is random; any resemblance to a real person is chance. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *kanji, *kana, *latin;
} name3;

static const name3 FAMILY[] = {
    {"山田", "ヤマダ", "YAMADA"},   {"佐藤", "サトウ", "SATO"},
    {"鈴木", "スズキ", "SUZUKI"},   {"高橋", "タカハシ", "TAKAHASHI"},
    {"田中", "タナカ", "TANAKA"},   {"伊藤", "イトウ", "ITO"},
    {"渡辺", "ワタナベ", "WATANABE"}, {"中村", "ナカムラ", "NAKAMURA"},
    {"小林", "コバヤシ", "KOBAYASHI"}, {"加藤", "カトウ", "KATO"},
    {"吉田", "ヨシダ", "YOSHIDA"},   {"松本", "マツモト", "MATSUMOTO"},
    {"井上", "イノウエ", "INOUE"},   {"木村", "キムラ", "KIMURA"},
    {"林", "ハヤシ", "HAYASHI"},     {"清水", "シミズ", "SHIMIZU"},
    {"森", "モリ", "MORI"},          {"池田", "イケダ", "IKEDA"},
    {"橋本", "ハシモト", "HASHIMOTO"}, {"石川", "イシカワ", "ISHIKAWA"},
    {"前田", "マエダ", "MAEDA"},     {"藤田", "フジタ", "FUJITA"},
    {"岡本", "オカモト", "OKAMOTO"}, {"長谷川", "ハセガワ", "HASEGAWA"},
    {"村上", "ムラカミ", "MURAKAMI"}, {"近藤", "コンドウ", "KONDO"},
    {"坂本", "サカモト", "SAKAMOTO"}, {"遠藤", "エンドウ", "ENDO"},
    {"青木", "アオキ", "AOKI"},      {"西村", "ニシムラ", "NISHIMURA"},
};

static const name3 GIVEN_M[] = {
    {"太郎", "タロウ", "TARO"},     {"健太", "ケンタ", "KENTA"},
    {"翔太", "ショウタ", "SHOTA"},  {"大輔", "ダイスケ", "DAISUKE"},
    {"拓也", "タクヤ", "TAKUYA"},   {"直樹", "ナオキ", "NAOKI"},
    {"誠", "マコト", "MAKOTO"},     {"浩二", "コウジ", "KOJI"},
    {"隆", "タカシ", "TAKASHI"},    {"悠斗", "ユウト", "YUTO"},
    {"蓮", "レン", "REN"},          {"一郎", "イチロウ", "ICHIRO"},
    {"和也", "カズヤ", "KAZUYA"},   {"修", "オサム", "OSAMU"},
    {"亮", "リョウ", "RYO"},        {"陽介", "ヨウスケ", "YOSUKE"},
};

static const name3 GIVEN_F[] = {
    {"花子", "ハナコ", "HANAKO"},   {"陽子", "ヨウコ", "YOKO"},
    {"美咲", "ミサキ", "MISAKI"},   {"さくら", "サクラ", "SAKURA"},
    {"恵", "メグミ", "MEGUMI"},     {"由美", "ユミ", "YUMI"},
    {"真由美", "マユミ", "MAYUMI"}, {"結衣", "ユイ", "YUI"},
    {"彩", "アヤ", "AYA"},          {"直子", "ナオコ", "NAOKO"},
    {"葵", "アオイ", "AOI"},        {"久美子", "クミコ", "KUMIKO"},
    {"愛", "アイ", "AI"},           {"千尋", "チヒロ", "CHIHIRO"},
    {"舞", "マイ", "MAI"},          {"智子", "トモコ", "TOMOKO"},
};

/* Residence-card holders: Latin names and nationalities. */
static const struct {
    const char *family, *given, *nat;
} FOREIGN[] = {
    {"NGUYEN", "VAN AN", "VIETNAM"},     {"TRAN", "THI LAN", "VIETNAM"},
    {"WANG", "XIAOMING", "CHINA"},       {"LI", "MEI", "CHINA"},
    {"KIM", "MINJUN", "KOREA"},          {"PARK", "SEOYEON", "KOREA"},
    {"SANTOS", "MARIA", "PHILIPPINES"},  {"REYES", "JOSE", "PHILIPPINES"},
    {"SHARMA", "RAHUL", "INDIA"},        {"SILVA", "LUCAS", "BRAZIL"},
    {"SMITH", "JOHN", "U.S.A."},         {"GURUNG", "BIKASH", "NEPAL"},
};

/* Invented towns: prefecture+city, town, postal prefix. */
static const struct {
    const char *city, *town, *postal3;
} PLACES[] = {
    {"東京都千代田区", "神田錦町", "101"}, {"東京都世田谷区", "桜新町", "154"},
    {"東京都杉並区", "阿佐谷南", "166"},   {"東京都練馬区", "石神井町", "177"},
    {"神奈川県横浜市港北区", "日吉本町", "223"}, {"神奈川県川崎市中原区", "小杉町", "211"},
    {"埼玉県さいたま市浦和区", "高砂", "330"}, {"千葉県船橋市", "本町", "273"},
    {"大阪府大阪市北区", "中崎西", "530"}, {"大阪府豊中市", "岡町北", "560"},
    {"京都府京都市左京区", "北白川", "606"}, {"兵庫県神戸市灘区", "六甲町", "657"},
    {"愛知県名古屋市昭和区", "御器所", "466"}, {"福岡県福岡市中央区", "大手門", "810"},
    {"北海道札幌市中央区", "北三条西", "060"}, {"宮城県仙台市青葉区", "国分町", "980"},
    {"広島県広島市中区", "大手町", "730"}, {"静岡県静岡市葵区", "駿府町", "420"},
};

static const char *BUILDINGS[] = {
    "ハイツ若葉", "メゾン青山", "コーポ中島", "サンライズ21", "グリーンヒル",
    "パークサイド", "レジデンス桜",
};

static void pick_name(gen_rng *r, const name3 *v, size_t n, char *k, size_t kn,
                      char *kana, size_t kanan, char *lat, size_t latn)
{
    const name3 *e = &v[gen_rng_int(r, 0, (int)n - 1)];
    snprintf(k, kn, "%s", e->kanji);
    snprintf(kana, kanan, "%s", e->kana);
    snprintf(lat, latn, "%s", e->latin);
}

static void pick_given(gen_rng *r, gen_person *p)
{
    if (p->female)
        pick_name(r, GIVEN_F, sizeof GIVEN_F / sizeof GIVEN_F[0], p->given_kanji,
                  sizeof p->given_kanji, p->given_kana, sizeof p->given_kana,
                  p->given_latin, sizeof p->given_latin);
    else
        pick_name(r, GIVEN_M, sizeof GIVEN_M / sizeof GIVEN_M[0], p->given_kanji,
                  sizeof p->given_kanji, p->given_kana, sizeof p->given_kana,
                  p->given_latin, sizeof p->given_latin);
}

static void pick_address(gen_rng *r, gen_person *p)
{
    size_t np = sizeof PLACES / sizeof PLACES[0];
    int i = gen_rng_int(r, 0, (int)np - 1);
    int c = gen_rng_int(r, 1, 5), b = gen_rng_int(r, 1, 30), g = gen_rng_int(r, 1, 25);
    snprintf(p->postal, sizeof p->postal, "%s-%04d", PLACES[i].postal3,
             gen_rng_int(r, 1, 9999));
    if (gen_rng_chance(r, 0.4)) {
        const char *bl = BUILDINGS[gen_rng_int(r, 0, (int)(sizeof BUILDINGS / sizeof BUILDINGS[0]) - 1)];
        int room = gen_rng_int(r, 1, 6) * 100 + gen_rng_int(r, 1, 9);
        snprintf(p->address, sizeof p->address, "%s%s%d丁目%d番%d号 %s%d号", PLACES[i].city,
                 PLACES[i].town, c, b, g, bl, room);
        snprintf(p->address_short, sizeof p->address_short, "%s%s%d-%d-%d %s%d",
                 PLACES[i].city, PLACES[i].town, c, b, g, bl, room);
    } else {
        snprintf(p->address, sizeof p->address, "%s%s%d丁目%d番%d号", PLACES[i].city,
                 PLACES[i].town, c, b, g);
        snprintf(p->address_short, sizeof p->address_short, "%s%s%d-%d-%d", PLACES[i].city,
                 PLACES[i].town, c, b, g);
    }
}

void gen_person_random(gen_rng *r, gen_person *p, int foreign)
{
    memset(p, 0, sizeof *p);
    p->female = gen_rng_chance(r, 0.5);
    p->foreign = foreign;
    if (foreign) {
        int i = gen_rng_int(r, 0, (int)(sizeof FOREIGN / sizeof FOREIGN[0]) - 1);
        snprintf(p->family_latin, sizeof p->family_latin, "%s", FOREIGN[i].family);
        snprintf(p->given_latin, sizeof p->given_latin, "%s", FOREIGN[i].given);
        snprintf(p->family_kanji, sizeof p->family_kanji, "%s", FOREIGN[i].family);
        snprintf(p->given_kanji, sizeof p->given_kanji, "%s", FOREIGN[i].given);
        snprintf(p->nationality, sizeof p->nationality, "%s", FOREIGN[i].nat);
    } else {
        pick_name(r, FAMILY, sizeof FAMILY / sizeof FAMILY[0], p->family_kanji,
                  sizeof p->family_kanji, p->family_kana, sizeof p->family_kana,
                  p->family_latin, sizeof p->family_latin);
        pick_given(r, p);
        snprintf(p->nationality, sizeof p->nationality, "JAPAN");
    }
    /* adults aged about 19 to 80 in 2026 */
    p->birth = gen_date_from_days(gen_date_days((gen_date){1946, 1, 1}) +
                                  gen_rng_int(r, 0, 60 * 365));
    pick_address(r, p);
}

void gen_person_relative(gen_rng *r, const gen_person *p, gen_person *out)
{
    *out = *p;
    out->female = !p->female;
    if (p->foreign) {
        snprintf(out->given_latin, sizeof out->given_latin, "%s",
                 p->female ? "MINH" : "ANNA");
        snprintf(out->given_kanji, sizeof out->given_kanji, "%s", out->given_latin);
    } else {
        pick_given(r, out);
    }
    out->birth = gen_date_add(p->birth, gen_rng_int(r, -9000, 9000));
}

void gen_person_name(const gen_person *p, char *buf, size_t n)
{
    if (p->foreign)
        snprintf(buf, n, "%s %s", p->family_latin, p->given_latin);
    else
        snprintf(buf, n, "%s %s", p->family_kanji, p->given_kanji);
}

void gen_person_kana(const gen_person *p, char *buf, size_t n)
{
    if (p->foreign)
        snprintf(buf, n, "%s %s", p->family_latin, p->given_latin);
    else
        snprintf(buf, n, "%s %s", p->family_kana, p->given_kana);
}

void gen_person_latin(const gen_person *p, char *buf, size_t n)
{
    snprintf(buf, n, "%s %s", p->given_latin, p->family_latin);
}
