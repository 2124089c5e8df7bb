#!/usr/bin/env node
// Turns the shared corpus (/work/shared/corpus, see its SOURCES.md) into a
// folder `prescreen bench` can score: OUT_DIR/<folder>/ holds a symlink per
// image and a SPEC §5 sidecar X.truth.json that says only what the source
// labels say (see bench/shared/README.md for the mapping and its reasons).
//
// Usage: node bench/shared/import.mjs SHARED_CORPUS_DIR OUT_DIR
//
// Card numbers from creditcard-specimens/labels.csv go into the sidecars
// (first 12 digits, as SPEC §5 "sensitive" strings) but never to stdout or
// stderr: the summary prints counts only.
import fs from 'node:fs';
import path from 'node:path';

const IMAGE_RE = /\.(jpe?g|png|webp)$/i;

function die(msg) {
    process.stderr.write(`import: ${msg}\n`);
    process.exit(2);
}

// Minimal RFC 4180 CSV reader (quoted fields may hold commas and quotes).
function readCsv(file) {
    const text = fs.readFileSync(file, 'utf8');
    const rows = [];
    let row = [], cell = '', q = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (q) {
            if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
            else if (c === '"') q = false;
            else cell += c;
        } else if (c === '"') q = true;
        else if (c === ',') { row.push(cell); cell = ''; }
        else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n') i++;
            row.push(cell); cell = '';
            if (row.length > 1 || row[0] !== '') rows.push(row);
            row = [];
        } else cell += c;
    }
    if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
    const head = rows.shift() || [];
    return rows.map(r => Object.fromEntries(head.map((h, k) => [h, r[k] ?? ''])));
}

// dlib imglab XML: <image file='F'> <box top= left= width= height= [ignore='1']/> ...
function readImglab(file) {
    const xml = fs.readFileSync(file, 'utf8');
    const out = new Map();
    const imgRe = /<image\s+file=['"]([^'"]+)['"][^>]*>([\s\S]*?)<\/image>/g;
    let m;
    while ((m = imgRe.exec(xml)) !== null) {
        const boxes = [];
        const boxRe = /<box\s+([^>]*?)\/?>/g;
        let b;
        while ((b = boxRe.exec(m[2])) !== null) {
            const a = Object.fromEntries([...b[1].matchAll(/(\w+)=['"]([^'"]*)['"]/g)].map(x => [x[1], x[2]]));
            if (a.ignore === '1') continue; // imglab's "ignore" boxes are not ground truth
            boxes.push([+a.left, +a.top, +a.width, +a.height]);
        }
        out.set(m[1], boxes);
    }
    return out;
}

// "2025年3月31日まで有効" -> "2025-03-31" (Gregorian digits only; no era maths).
function isoFromKanjiDate(s) {
    const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(s || '');
    return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : null;
}

// "20-11-1991" / "14.08.1994" (day, month, year) -> "1991-11-20"
function isoFromDmy(s) {
    const m = /^(\d{2})[-.](\d{2})[-.](\d{4})$/.exec(s || '');
    return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}

// Axis-aligned box [x, y, w, h] around a quad [[x, y] x4].
function quadBox(q) {
    const xs = q.map(p => p[0]), ys = q.map(p => p[1]);
    const x = Math.min(...xs), y = Math.min(...ys);
    return [x, y, Math.max(...xs) - x, Math.max(...ys) - y];
}

class Out {
    constructor(src, dst) {
        this.src = src;
        this.dst = dst;
        this.counts = {};
    }

    // Links SRC/<folder>/<rel> as OUT/<folder>/<rel with '/' -> '__'> and
    // writes its sidecar.
    add(folder, rel, truth) {
        const from = path.join(this.src, folder, rel);
        if (!fs.existsSync(from)) die(`${folder}/${rel}: labelled but missing`);
        const name = rel.split('/').join('__');
        const dir = path.join(this.dst, folder);
        fs.mkdirSync(dir, { recursive: true });
        const link = path.join(dir, name);
        fs.rmSync(link, { force: true });
        fs.symlinkSync(path.resolve(from), link);
        const stem = name.replace(/\.[^.]+$/, '');
        fs.writeFileSync(path.join(dir, `${stem}.truth.json`), JSON.stringify(truth, null, 1) + '\n');
        this.counts[folder] = (this.counts[folder] || 0) + 1;
    }
}

// dlib-faces: face boxes from imglab XML; counts from labels_extra.csv.
// Uploaded as a selfie would be: the only thing these labels support is
// whether a face is there (and where, for the XML images).
function dlibFaces(o) {
    const dir = path.join(o.src, 'dlib-faces');
    const boxes = new Map([...readImglab(path.join(dir, 'training.xml')),
                           ...readImglab(path.join(dir, 'testing.xml'))]);
    for (const [file, b] of boxes)
        o.add('dlib-faces', file, { kind: 'selfie', faces: b,
                                    ...(b.length ? { forbid_flags: ['no_face'] } : {}) });
    for (const r of readCsv(path.join(dir, 'labels_extra.csv'))) {
        const n = r.faces.trim();
        const files = r.file.startsWith('johns/')
            ? fs.readdirSync(path.join(dir, 'johns')).sort().flatMap(p =>
                fs.readdirSync(path.join(dir, 'johns', p)).filter(f => IMAGE_RE.test(f)).sort()
                  .map(f => `johns/${p}/${f}`))
            : [r.file];
        for (const f of files) {
            if (boxes.has(f)) continue;
            // 0 labelled faces: the box list is known (empty) and a selfie
            // with no face must get no_face. Otherwise the count has no
            // boxes, so faces are left out (not scored) and only no_face is.
            const t = n === '0' ? { kind: 'selfie', faces: [], expect_flags: ['no_face'] }
                                : { kind: 'selfie', forbid_flags: ['no_face'] };
            o.add('dlib-faces', f, t);
        }
    }
}

// docxpand: one face per portrait and per template, no boxes.
function docxpand(o) {
    const dir = path.join(o.src, 'docxpand-passport-photos');
    for (const r of readCsv(path.join(dir, 'labels.csv'))) {
        const hasFace = Number(r.faces) > 0;
        const kind = r.file.startsWith('templates/') ? 'photo_id' : 'selfie';
        o.add('docxpand-passport-photos', r.file,
              { kind, ...(hasFace ? { forbid_flags: ['no_face'] } : {}) });
    }
}

// kwentar: sharp / defocus / motion triplets; "other" so that only image
// quality applies.
function kwentar(o) {
    const dir = path.join(o.src, 'kwentar-blur');
    for (const r of readCsv(path.join(dir, 'labels.csv'))) {
        const blurred = r.label === 'defocus_blur' || r.label === 'motion_blur';
        if (!blurred && r.label !== 'sharp') die(`kwentar-blur: unknown label ${r.label}`);
        o.add('kwentar-blur', r.file, { kind: 'other',
                                        [blurred ? 'expect_flags' : 'forbid_flags']: ['blurry'] });
    }
}

// seczetta: one caption per image. A 1 in a column expects the flag, a 0
// forbids it, an empty cell says nothing.
function seczetta(o) {
    const dir = path.join(o.src, 'seczetta-id-capture-guidance');
    const cols = [['occluded_by_fingers', 'finger_over_document', false],
                  ['blurry', 'blurry', false], ['glare', 'glare_on_document', false],
                  ['all_corners_visible', 'document_cut_off', true]];
    for (const r of readCsv(path.join(dir, 'labels.csv'))) {
        const expect = [], forbid = [];
        for (const [col, flag, inverted] of cols) {
            if (r[col] === '') continue;
            const bad = (r[col] === '1') !== inverted;
            (bad ? expect : forbid).push(flag);
        }
        o.add('seczetta-id-capture-guidance', r.file,
              { kind: 'photo_id', side: 'front', ...(expect.length ? { expect_flags: expect } : {}),
                ...(forbid.length ? { forbid_flags: forbid } : {}) });
    }
}

// creditcard: PAN strings without boxes (only string leaks are scored),
// holder name as fields.name.
function creditcards(o) {
    const dir = path.join(o.src, 'creditcard-specimens');
    for (const r of readCsv(path.join(dir, 'labels.csv'))) {
        const digits = r.card_number.replace(/\D/g, '');
        if (digits.length < 13) die(`creditcard-specimens: ${r.file}: card number too short`);
        const t = { kind: 'credit_card', side: 'front', doc_type: 'credit_card',
                    sensitive: [{ type: 'pan', text: digits.slice(0, 12) }] };
        if (r.holder_name.trim()) t.fields = { name: r.holder_name.trim() };
        o.add('creditcard-specimens', r.file, t);
    }
}

// jp-id-specimens: field values and face counts from labels.json.
function jpSpecimens(o) {
    const dir = path.join(o.src, 'jp-id-specimens');
    const labels = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8'));
    for (const [file, l] of Object.entries(labels)) {
        const t = { kind: 'photo_id', side: 'front' };
        if (/drivers_license/.test(l.doc_type)) t.doc_type = 'drivers_license';
        else if (/my_number_card_front/.test(l.doc_type)) t.doc_type = 'my_number_card';
        const f = {};
        if (l.fullName) f.name = l.fullName;
        if (l.birthday_iso) f.birth_date = l.birthday_iso;
        if (l.address) f.address = l.address;
        const exp = l.expiry_iso || isoFromKanjiDate(l.cardExpiryDate);
        if (exp) f.expiry = exp;
        if (Object.keys(f).length) t.fields = f;
        if (l.faces > 0) t.forbid_flags = ['no_face'];
        o.add('jp-id-specimens', file, t);
    }
}

// SIDTD / MIDV-2020 templates: dates (day-month-year) and the portrait's
// face quad. fake_alb00 shares alb00's text fields; its photo differs, so
// its face is not boxed.
function sidtd(o) {
    const dir = path.join(o.src, 'sidtd-midv2020-templates');
    const sets = [['alb00.jpg', 'alb_0_id.json', 'id_card', true],
                  ['fake_alb00.jpg', 'alb_0_id.json', 'id_card', false],
                  ['aze00.jpg', 'aze_0_passport.json', 'passport', true]];
    for (const [img, lab, type, boxFace] of sets) {
        const l = JSON.parse(fs.readFileSync(path.join(dir, lab), 'utf8'));
        const t = { kind: 'photo_id', side: 'front' };
        if (type === 'passport') t.doc_type = 'passport';
        const f = {};
        const bd = isoFromDmy(l.birth_date?.value), ex = isoFromDmy(l.expiry_date?.value);
        if (bd) f.birth_date = bd;
        if (ex) f.expiry = ex;
        if (Object.keys(f).length) t.fields = f;
        if (boxFace && l.face?.quad) t.faces = [quadBox(l.face.quad)];
        t.forbid_flags = ['no_face'];
        o.add('sidtd-midv2020-templates', img, t);
    }
}

function main() {
    const [src, dst] = process.argv.slice(2);
    if (!src || !dst) die('usage: node import.mjs SHARED_CORPUS_DIR OUT_DIR');
    if (!fs.existsSync(path.join(src, 'SOURCES.md'))) die(`${src}: no SOURCES.md (not the shared corpus)`);
    const o = new Out(src, dst);
    dlibFaces(o);
    docxpand(o);
    kwentar(o);
    seczetta(o);
    creditcards(o);
    jpSpecimens(o);
    sidtd(o);
    for (const [k, v] of Object.entries(o.counts)) process.stdout.write(`${k}\t${v}\n`);
}

main();
