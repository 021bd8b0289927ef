// Reads back the first worksheet of an .xlsx the server sent, with Debian's unzip: rows of cells,
// text as strings and numeric cells as numbers, so tests can tell a number Excel can sum from
// text. Handles what libxlsxwriter writes: inline strings, shared strings and plain numbers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const unescapeXml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
  .replace(/&amp;/g, '&');

/** The cells of sheet 1 of the workbook in `body` (a Buffer), as an array of rows of equal length. */
export function xlsxRows(body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'zuwei-sheet-'));
  try {
    const file = path.join(dir, 'book.xlsx');
    writeFileSync(file, body);
    const part = (name) => {
      try { return execFileSync('unzip', ['-p', file, name], { encoding: 'utf8', maxBuffer: 1 << 28 }); } catch { return ''; }
    };
    const shared = [...part('xl/sharedStrings.xml').matchAll(/<si>(.*?)<\/si>/gs)]
      .map((m) => unescapeXml([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')));
    const rows = [];
    for (const row of part('xl/worksheets/sheet1.xml').matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/gs)) {
      const cells = [];
      for (const c of row[2].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
        const col = [...c[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
        const type = /t="(\w+)"/.exec(c[2])?.[1];
        const inner = c[3] ?? '';
        const v = /<v>(.*?)<\/v>/s.exec(inner)?.[1];
        if (type === 'inlineStr') cells[col] = unescapeXml([...inner.matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join(''));
        else if (type === 's') cells[col] = shared[Number(v)];
        else if (type === 'str') cells[col] = unescapeXml(v ?? '');
        else if (v !== undefined) cells[col] = Number(v);
      }
      rows[Number(row[1]) - 1] = Array.from(cells, (x) => x ?? '');
    }
    // Empty cells are not written: every row is padded to the widest one, as a CSV row would be.
    const width = Math.max(0, ...rows.filter(Boolean).map((r) => r.length));
    return Array.from(rows, (r) => [...(r ?? []), ...Array(width - (r?.length ?? 0)).fill('')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows of a CSV the server sent (UTF-8 with BOM, RFC 4180), as arrays of strings. */
export function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\r' && s[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
