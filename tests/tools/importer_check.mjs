// CTest `importer`: runs bench/shared/import.mjs on the shared corpus and
// checks what it wrote. Exits 77 (skipped) when PS_CORPUS_DIR is unset or
// missing. Never prints card numbers: failures name the file and the key.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const corpus = process.env.PS_CORPUS_DIR;
const src = process.env.PS_SOURCE_DIR;
if (!corpus || !fs.existsSync(path.join(corpus, 'SOURCES.md'))) {
    console.log('importer: PS_CORPUS_DIR not set or not the shared corpus; skipped');
    process.exit(77);
}
const importer = path.join(src, 'bench/shared/import.mjs');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-import-'));
let failures = 0;
function check(ok, what) {
    if (!ok) { failures++; console.log(`FAIL ${what}`); }
}
const truth = (folder, stem) =>
    JSON.parse(fs.readFileSync(path.join(out, folder, `${stem}.truth.json`), 'utf8'));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

try {
    // bad usage fails with a message, not a stack trace
    const bad = spawnSync('node', [importer, path.join(out, 'nowhere'), out], { encoding: 'utf8' });
    check(bad.status === 2 && /no SOURCES\.md/.test(bad.stderr), 'missing corpus exits 2');

    let stdout = '';
    for (let run = 0; run < 2; run++) // a second run over the same OUT_DIR must work
        stdout = execFileSync('node', [importer, corpus, out], { encoding: 'utf8' });
    check(!/\d{6}/.test(stdout), 'stdout holds no digit runs');

    const expected = { 'dlib-faces': 72, 'docxpand-passport-photos': 6, 'kwentar-blur': 9,
                       'seczetta-id-capture-guidance': 5, 'creditcard-specimens': 9,
                       'jp-id-specimens': 9, 'sidtd-midv2020-templates': 3 };
    const printed = Object.fromEntries(stdout.trim().split('\n').map(l => l.split('\t'))
                                       .map(([k, v]) => [k, +v]));
    check(same(printed, expected), `printed counts ${JSON.stringify(printed)}`);
    for (const [folder, n] of Object.entries(expected)) {
        const files = fs.readdirSync(path.join(out, folder));
        const links = files.filter(f => !f.endsWith('.truth.json'));
        const labels = files.filter(f => f.endsWith('.truth.json'));
        check(links.length === n && labels.length === n, `${folder}: ${links.length} images, ${labels.length} labels`);
        check(links.every(f => fs.lstatSync(path.join(out, folder, f)).isSymbolicLink() &&
                               fs.existsSync(path.join(out, folder, f))), `${folder}: live symlinks`);
    }

    // dlib imglab top/left/width/height -> [x, y, w, h]
    const d = truth('dlib-faces', '2008_001322');
    check(d.kind === 'selfie' && same(d.faces[0], [104, 162, 76, 76]) && d.faces.length === 3 &&
          same(d.forbid_flags, ['no_face']), 'dlib 2008_001322 boxes');
    const neg = truth('dlib-faces', 'negatives__horses');
    check(same(neg.faces, []) && same(neg.expect_flags, ['no_face']), 'dlib negative expects no_face');
    const tom = truth('dlib-faces', 'Tom_Cruise_avp_2014_4');
    check(!('faces' in tom) && same(tom.forbid_flags, ['no_face']), 'boxless face count leaves faces out');

    // seczetta: a 1 expects, a 0 forbids, an empty cell says nothing
    const s1 = truth('seczetta-id-capture-guidance', 'iddw-license-1');
    check(s1.kind === 'photo_id' && !s1.expect_flags &&
          same([...s1.forbid_flags].sort(), ['blurry', 'document_cut_off', 'finger_over_document',
                                             'glare_on_document']), 'seczetta 1 forbids all four');
    const s2 = truth('seczetta-id-capture-guidance', 'iddw-license-2');
    check(same(s2.expect_flags, ['document_cut_off']) && !s2.forbid_flags, 'seczetta 2 cut off');
    check(same(truth('seczetta-id-capture-guidance', 'iddw-license-3').expect_flags,
               ['finger_over_document']), 'seczetta 3 fingers');

    check(same(truth('kwentar-blur', '176_HONOR-7X_M'), { kind: 'other', expect_flags: ['blurry'] }),
          'kwentar motion expects blurry');
    check(same(truth('kwentar-blur', '106_NIKON-D3400-35MM_S'), { kind: 'other', forbid_flags: ['blurry'] }),
          'kwentar sharp forbids blurry');

    const jp = truth('jp-id-specimens', 'scene_mynumber');
    check(jp.doc_type === 'my_number_card' && same(jp.fields, {
        name: '番号花子', birth_date: '1989-03-31', address: '東京都千代田区霞が関2-1-2',
        expiry: '2025-03-31' }), 'jp scene_mynumber fields');
    check(same(truth('jp-id-specimens', 'blank_driver_license_template').fields, undefined),
          'blank template has no fields');

    // card numbers: the first 12 digits of labels.csv, no box (compared, never printed)
    const csv = fs.readFileSync(path.join(corpus, 'creditcard-specimens/labels.csv'), 'utf8')
        .trim().split('\n').slice(1).map(l => l.split(','));
    for (const [file, number, , , holder] of csv) {
        const t = truth('creditcard-specimens', file.replace(/\.png$/, ''));
        check(t.kind === 'credit_card' && t.sensitive.length === 1 && t.sensitive[0].type === 'pan' &&
              t.sensitive[0].text === number.slice(0, 12) && !('box' in t.sensitive[0]),
              `${file}: sensitive pan`);
        check(holder ? t.fields?.name === holder : !t.fields, `${file}: holder name`);
    }

    const aze = truth('sidtd-midv2020-templates', 'aze00');
    check(same(aze.fields, { birth_date: '1994-08-14', expiry: '2028-08-15' }) &&
          same(aze.faces, [[213, 425, 288, 422]]), 'sidtd aze00 dates and face');
} finally {
    fs.rmSync(out, { recursive: true, force: true });
}
console.log(failures ? `importer: ${failures} failures` : 'importer: all checks passed');
process.exit(failures ? 1 : 0);
