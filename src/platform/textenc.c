/* textenc.c -- strict UTF-8 validation and GB18030 -> UTF-8 conversion.
 * See textenc.h for why these two encodings and no others. */
#include "platform/textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * UTF-8 validation
 * ---------------------------------------------------------------------- */

/* Returns true if the 16 bytes at p are all ASCII. memcpy keeps the loads
 * legal for any alignment; compilers turn it into two plain 8-byte loads. */
static inline bool ascii16(const unsigned char *p) {
    uint64_t a, b;
    memcpy(&a, p, 8);
    memcpy(&b, p + 8, 8);
    return ((a | b) & UINT64_C(0x8080808080808080)) == 0;
}

/* Returns true if the n bytes at s are well-formed UTF-8 as defined by the
 * Unicode standard, Table 3-7. Runs of ASCII are skipped 16 bytes at a time;
 * multi-byte sequences are checked lead byte by lead byte, with the second
 * byte's range depending on the lead so that overlongs (C0, C1, E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
 * (F4 90.., F5..FF) are all refused. A NULL s is valid only when n is 0. */
bool utf8_valid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    if (n == 0) return true;
    if (p == NULL) return false;
    while (i < n) {
        if (n - i >= 16 && ascii16(p + i)) {
            i += 16;
            continue;
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        size_t len;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return false; /* 80..C1 and F5..FF never start a sequence */
        }
        if (n - i < len) return false;
        if (p[i + 1] < lo || p[i + 1] > hi) return false;
        for (size_t k = 2; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

/* ------------------------------------------------------------------------
 * Conversion
 * ---------------------------------------------------------------------- */

/* Copies n bytes into a fresh NUL-terminated heap buffer. Returns it, or NULL
 * when out of memory. */
static char *dup_bytes(const char *s, size_t n) {
    char *d = malloc(n + 1);
    if (d == NULL) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Converts n bytes of GB18030 to UTF-8 with iconv into a fresh
 * NUL-terminated buffer stored in *out (length in *outn). Returns TEXTENC_OK,
 * TEXTENC_EENCODING when the bytes are not GB18030 (including a sequence
 * truncated at the end), TEXTENC_EICONV when the converter is missing, or
 * TEXTENC_ENOMEM. */
static int gb18030_to_utf8(const char *in, size_t n, char **out, size_t *outn) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return TEXTENC_EICONV;

    /* One GB18030 byte never becomes more than 2 UTF-8 bytes (2 -> 3, 4 -> 4),
     * so this size is enough; the E2BIG branch only guards that reasoning. */
    size_t cap = n * 2 + 16;
    char *buf = malloc(cap);
    int rc = TEXTENC_OK;
    char *src = (char *)in, *dst = buf;
    size_t srcleft = n, dstleft = cap - 1; /* one byte kept for the NUL */

    while (buf != NULL && srcleft > 0) {
        if (iconv(cd, &src, &srcleft, &dst, &dstleft) != (size_t)-1) continue;
        if (errno != E2BIG) {
            rc = TEXTENC_EENCODING; /* EILSEQ or EINVAL (truncated) */
            break;
        }
        size_t used = (size_t)(dst - buf);
        char *nb = realloc(buf, cap * 2);
        if (nb == NULL) break;
        buf = nb;
        cap *= 2;
        dst = buf + used;
        dstleft = cap - used - 1;
    }
    iconv_close(cd);
    if (buf == NULL || (rc == TEXTENC_OK && srcleft > 0)) {
        free(buf);
        return TEXTENC_ENOMEM;
    }
    if (rc != TEXTENC_OK) {
        free(buf);
        return rc;
    }
    size_t len = (size_t)(dst - buf);
    /* GB18030 has its own BOM (84 31 95 33), which iconv turns into U+FEFF. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        memmove(buf, buf + 3, len - 3);
        len -= 3;
    }
    buf[len] = '\0';
    *out = buf;
    *outn = len;
    return TEXTENC_OK;
}

/* Converts an uploaded text file to UTF-8. A leading UTF-8 BOM is dropped;
 * bytes that are valid UTF-8 are copied as they are, anything else is
 * decoded as GB18030. On success *out holds a NUL-terminated buffer the
 * caller frees with free(), *outn its length without the NUL, and *detected
 * (if not NULL) TEXTENC_NAME_UTF8 or TEXTENC_NAME_GB18030. Returns TEXTENC_OK
 * or a negative TEXTENC_E* code, in which case *out is left untouched. */
int textenc_to_utf8(const char *in, size_t n, char **out, size_t *outn, const char **detected) {
    if (n >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
        in += 3;
        n -= 3;
    }
    if (utf8_valid(in, n)) {
        char *d = dup_bytes(n ? in : "", n);
        if (d == NULL) return TEXTENC_ENOMEM;
        *out = d;
        *outn = n;
        if (detected) *detected = TEXTENC_NAME_UTF8;
        return TEXTENC_OK;
    }
    int rc = gb18030_to_utf8(in, n, out, outn);
    if (rc == TEXTENC_OK && detected) *detected = TEXTENC_NAME_GB18030;
    return rc;
}

/* Returns the Chinese message shown to a user for a TEXTENC_* code. */
const char *textenc_error_zh(int code) {
    switch (code) {
    case TEXTENC_OK: return "成功";
    case TEXTENC_ENOMEM: return "内存不足，无法转换文件编码";
    case TEXTENC_EENCODING: return "无法识别文件编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新上传";
    case TEXTENC_EICONV: return "系统缺少 GB18030 编码转换支持，请联系管理员";
    default: return "未知的编码错误";
    }
}
