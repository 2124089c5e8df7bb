/* Plain words for the review pages: what each SPEC §4 flag means (for the
 * reviewer), what to tell the customer when rejecting for it, and the
 * review statuses in the customer's terms. Japanese first, then English. */
#include <string.h>

#include "http/internal.h"

typedef struct flag_words {
    const char *flag;
    const char *ja, *en;         /* what the pipeline saw */
    const char *ask_ja, *ask_en; /* what the customer is asked to do */
} flag_words;

static const flag_words words[] = {
    {"unreadable_image", "画像を読み取れません。", "The image could not be read.",
     "画像を読み取れませんでした。もう一度撮影してアップロードしてください。",
     "We could not read the image. Please take the photo again and upload it."},
    {"low_resolution", "解像度が低すぎます。", "The resolution is too low.",
     "画像の解像度が不足しています。もっと近づいて撮影してください。",
     "The image resolution is too low. Please take the photo closer."},
    {"blurry", "ピントが合っていません（ぼやけています）。", "The image is out of focus (blurry).",
     "画像がぼやけています。ピントを合わせて撮影し直してください。",
     "The image is blurry. Please retake it in focus."},
    {"too_dark", "暗すぎます。", "The image is too dark.",
     "画像が暗すぎます。明るい場所で撮影してください。",
     "The image is too dark. Please take it in a brighter place."},
    {"overexposed", "明るすぎます（白飛び）。", "The image is overexposed.",
     "画像が明るすぎます。直射日光や強い照明を避けて撮影してください。",
     "The image is too bright. Please avoid direct sunlight or strong light."},
    {"glare_on_document", "書類に光の反射があります。", "There is glare on the document.",
     "書類に光が反射して文字が読めません。反射しない角度で撮影してください。",
     "Light reflects on the document. Please take it at an angle without glare."},
    {"no_face", "顔が写っていません。", "No face was found.",
     "お顔が確認できません。お顔がはっきり写るように撮影してください。",
     "We cannot see your face. Please take a photo that shows your face clearly."},
    {"face_cut_off", "顔が画像の端で切れています。", "The face is cut off by the image edge.",
     "お顔の一部が画像からはみ出しています。お顔全体が写るように撮影してください。",
     "Part of your face is outside the image. Please show your whole face."},
    {"multiple_people", "複数の人物が写っています。", "More than one person is in the image.",
     "ご本人以外の方が写っています。ご本人だけで撮影してください。",
     "Someone else is in the photo. Please take it alone."},
    {"no_document", "書類が写っていません。", "No document was found.",
     "本人確認書類が確認できません。書類を手に持って撮影してください。",
     "We cannot see the identity document. Please hold it in the photo."},
    {"document_cut_off", "書類が画像の端で切れています。", "The document is cut off by the image edge.",
     "書類の一部が画像からはみ出しています。書類全体が写るように撮影してください。",
     "Part of the document is outside the image. Please show the whole document."},
    {"document_too_small", "書類が小さすぎます。", "The document is too small in the image.",
     "書類が小さく写っています。書類を大きく写してください。",
     "The document is too small. Please bring it closer to the camera."},
    {"finger_over_document", "指が書類に重なっています。", "Fingers cover part of the document.",
     "指が書類に重なっています。書類の端を持って撮影してください。",
     "Your fingers cover the document. Please hold it by the edges."},
    {"face_document_apart", "顔と書類が離れています。", "The face and the document are far apart.",
     "お顔と書類をできるだけ近づけて撮影してください。",
     "Please hold the document close to your face."},
    {"document_type_not_accepted", "受け付けていない種類の書類です。",
     "This type of document is not accepted.",
     "この書類はご利用いただけません。有効な本人確認書類をアップロードしてください。",
     "This document is not accepted. Please upload an accepted identity document."},
    {"expired_document", "有効期限が切れています。", "The document has expired.",
     "書類の有効期限が切れています。有効期限内の書類をアップロードしてください。",
     "The document has expired. Please upload a valid one."},
    {"name_mismatch", "氏名が登録内容と一致しません。", "The name differs from the registered name.",
     "書類の氏名がご登録の氏名と一致しません。",
     "The name on the document differs from your registered name."},
    {"birth_date_mismatch", "生年月日が登録内容と一致しません。",
     "The birth date differs from the registered one.",
     "書類の生年月日がご登録内容と一致しません。",
     "The birth date on the document differs from your registration."},
    {"address_mismatch", "住所が登録内容と一致しません。", "The address differs from the registered one.",
     "書類の住所がご登録の住所と一致しません。",
     "The address on the document differs from your registered address."},
    {"name_not_found", "氏名を読み取れません。", "No name could be read.",
     "書類の氏名が確認できません。氏名が写るように撮影してください。",
     "We cannot read a name. Please make sure the name is visible."},
    {"address_not_found", "住所を読み取れません。", "No address could be read.",
     "書類の住所が確認できません。住所が写るように撮影してください。",
     "We cannot read an address. Please make sure the address is visible."},
    {"date_not_found", "日付を読み取れません。", "No date could be read.",
     "書類の日付（発行日・消印など）が確認できません。",
     "We cannot read the date (issue date or postmark)."},
    {"document_too_old", "発行日・消印が古すぎます。", "The issue or postmark date is too old.",
     "発行から期間が経ちすぎています。発行6か月以内（郵便物は消印3か月以内）のものをアップロードしてください。",
     "The document is too old. Please upload one issued within 6 months (mail: postmarked within 3 months)."},
    {"digital_document", "紙の書類ではなく電子データ（PDF・スクリーンショット）です。",
     "A digital document (PDF or screenshot), not a photo of paper.",
     "PDFや画面のスクリーンショットはご利用いただけません。紙の書類を撮影してください。",
     "PDFs and screenshots are not accepted. Please take a photo of the paper document."},
    {"card_not_in_holder_name", "カードの名義がご本人ではありません。",
     "The card is not in the applicant's name.",
     "ご本人名義のカードのみご利用いただけます（ご家族名義は不可）。",
     "Only cards in your own name are accepted (not family members' cards)."},
    {"redaction_uncertain", "番号のマスクを確認できないため、画像を保存していません。",
     "Card or My Number digits could not be masked with confidence; the image was not kept.",
     "画像を安全に処理できませんでした。もう一度撮影してアップロードしてください。",
     "We could not process the image safely. Please take the photo again."},
    {"duplicate_upload", "以前のアップロードとほぼ同じ画像です。",
     "Nearly the same image as an earlier upload.",
     "以前と同じ画像です。新しく撮影した画像をアップロードしてください。",
     "This is the same image as before. Please upload a newly taken photo."},
};

const char *ps__flag_words(const char *flag, int customer, int ja)
{
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i].flag, flag) == 0)
            return customer ? (ja ? words[i].ask_ja : words[i].ask_en)
                            : (ja ? words[i].ja : words[i].en);
    return NULL;
}

const char *ps__flag_at(size_t i)
{
    return i < sizeof words / sizeof words[0] ? words[i].flag : NULL;
}

const char *ps__status_words(const char *status, int ja)
{
    static const char *const t[][3] = {
        {"in_process", "処理中", "in process"},
        {"not_submitted", "未提出", "not submitted"},
        {"checking", "確認中", "checking"},
        {"rejected", "再提出が必要", "rejected"},
        {"approved", "承認済み", "approved"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i][0], status) == 0)
            return t[i][ja ? 1 : 2];
    return status;
}

const char *ps__kind_words(const char *kind, int ja)
{
    static const char *const t[][3] = {
        {"photo_id", "本人確認書類", "photo ID"},
        {"selfie", "セルフィー（書類を持った写真）", "selfie with ID"},
        {"address_proof", "住所確認書類", "proof of address"},
        {"credit_card", "クレジットカード", "credit card"},
        {"other", "その他", "other"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i][0], kind) == 0)
            return t[i][ja ? 1 : 2];
    return kind;
}
