/* textenc.h -- text encodings of uploaded files, and strict UTF-8 validation.
 *
 * County offices send rosters as CSV written by Excel. Excel on Chinese Windows
 * saves "CSV" in the ANSI code page, which is GBK (a subset of GB18030); "CSV
 * UTF-8" is saved with a byte order mark. textenc_to_utf8() turns either into
 * plain UTF-8 without a BOM, so the rest of Zuwei only ever sees UTF-8.
 *
 * utf8_valid() is the gate the HTTP layer runs on every input: it accepts
 * exactly the well-formed UTF-8 of the Unicode standard (Table 3-7): no
 * overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no
 * truncated sequences. U+0000 is valid UTF-8; callers that refuse NUL bytes
 * check for them separately. */
#ifndef ZUWEI_PLATFORM_TEXTENC_H
#define ZUWEI_PLATFORM_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>

enum {
    TEXTENC_OK = 0,
    TEXTENC_ENOMEM = -1,    /* out of memory */
    TEXTENC_EENCODING = -2, /* neither UTF-8 nor GB18030 */
    TEXTENC_EICONV = -3,    /* the C library has no GB18030 converter */
};

/* Names reported through *detected. */
#define TEXTENC_NAME_UTF8 "UTF-8"
#define TEXTENC_NAME_GB18030 "GB18030"

bool utf8_valid(const char *s, size_t n);
int textenc_to_utf8(const char *in, size_t n, char **out, size_t *outn, const char **detected);
const char *textenc_error_zh(int code);

#endif
