/* photo.c — JPEG and PNG metadata removal for visit photos (see photo.h). */
#include "contact/photo.h"
#include <stdbool.h>
#include <string.h>

/* True for a JPEG marker that stands alone (no length field): TEM, RSTn, SOI, EOI. */
static int standalone(unsigned char m) { return m == 0x01 || (m >= 0xD0 && m <= 0xD9); }

/* Copies a JPEG without APPn segments other than APP0 (JFIF) and APP14 (Adobe colour), and
 * without comments. After SOS the entropy-coded data and everything up to the end is copied as
 * is. Returns PHOTO_OK or PHOTO_CORRUPT. */
static int clean_jpeg(const unsigned char *p, size_t n, Buf *out) {
    buf_append(out, p, 2);   /* SOI */
    size_t i = 2;
    while (i < n) {
        if (p[i] != 0xFF) return PHOTO_CORRUPT;
        while (i < n && p[i] == 0xFF) i++;      /* fill bytes */
        if (i >= n) return PHOTO_CORRUPT;
        unsigned char m = p[i++];
        if (standalone(m)) {
            buf_putc(out, (char)0xFF);
            buf_putc(out, (char)m);
            if (m == 0xD9) return PHOTO_OK;
            continue;
        }
        if (i + 2 > n) return PHOTO_CORRUPT;
        size_t len = (size_t)p[i] << 8 | p[i + 1];
        if (len < 2 || i + len > n) return PHOTO_CORRUPT;
        bool drop = (m >= 0xE1 && m <= 0xEF && m != 0xEE) || m == 0xFE;
        if (!drop) {
            buf_putc(out, (char)0xFF);
            buf_putc(out, (char)m);
            buf_append(out, p + i, len);
        }
        i += len;
        if (m == 0xDA) {                          /* start of scan: the rest is image data */
            buf_append(out, p + i, n - i);
            return PHOTO_OK;
        }
    }
    return PHOTO_CORRUPT;
}

/* Copies a PNG without eXIf, tEXt, zTXt, iTXt and tIME chunks. Returns PHOTO_OK or
 * PHOTO_CORRUPT. */
static int clean_png(const unsigned char *p, size_t n, Buf *out) {
    buf_append(out, p, 8);
    size_t i = 8;
    while (i + 12 <= n) {
        size_t len = (size_t)p[i] << 24 | (size_t)p[i + 1] << 16 | (size_t)p[i + 2] << 8 | p[i + 3];
        if (len > n - i - 12) return PHOTO_CORRUPT;
        const unsigned char *type = p + i + 4;
        bool drop = !memcmp(type, "eXIf", 4) || !memcmp(type, "tEXt", 4) || !memcmp(type, "zTXt", 4) ||
                    !memcmp(type, "iTXt", 4) || !memcmp(type, "tIME", 4);
        if (!drop) buf_append(out, p + i, len + 12);
        i += len + 12;
        if (!memcmp(type, "IEND", 4)) return PHOTO_OK;
    }
    return PHOTO_CORRUPT;
}

int photo_clean(const unsigned char *data, size_t n, size_t cap, Buf *out, const char **mime) {
    buf_reset(out);
    if (!data || n == 0) return PHOTO_EMPTY;
    if (n > cap) return PHOTO_TOO_BIG;
    int rc;
    if (n >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        *mime = "image/jpeg";
        rc = clean_jpeg(data, n, out);
    } else if (n >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8)) {
        *mime = "image/png";
        rc = clean_png(data, n, out);
    } else {
        rc = PHOTO_NOT_IMAGE;
    }
    if (rc) buf_reset(out);
    return rc;
}

const char *photo_error_zh(int code) {
    switch (code) {
    case PHOTO_EMPTY: return "照片是空文件";
    case PHOTO_TOO_BIG: return "照片不能超过 5 MB，请压缩后再传";
    case PHOTO_NOT_IMAGE: return "只能上传 JPEG 或 PNG 格式的照片";
    default: return "照片文件已损坏，请重新拍摄";
    }
}
