/* pinyin.h -- pinyin initials of Chinese names, for search and sorting
 * ("张三丰" -> "ZSF").
 *
 * The 3,755 level-1 hanzi of GB2312 (codes 0xB0A1-0xD7F9) are ordered by
 * pinyin, so the initial of such a character is found from the code at
 * which each letter starts. Level-2 hanzi (ordered by radical) and
 * characters outside GB2312 have no such order: a short hand-made table
 * covers the ones common in names, anything else gives '?'. A second table
 * gives the reading of polyphonic characters when they stand first, as a
 * surname (曾 Zēng, 单 Shàn, 区 Ōu, 解 Xiè...). ASCII letters (and full-width
 * Latin letters) are kept, uppercased; other characters such as spaces,
 * digits and the middle dot of minority names are skipped. Thread-safe: each
 * thread keeps its own iconv descriptor and its own cache of the initials of
 * the characters it has seen. */
#ifndef ZUWEI_PEOPLE_PINYIN_H
#define ZUWEI_PEOPLE_PINYIN_H

#include <stddef.h>

#define PINYIN_UNKNOWN '?'

typedef enum {
    PINYIN_ERR_UTF8 = -1,   /* the input is not valid UTF-8 */
    PINYIN_ERR_SPACE = -2,  /* the output buffer is too small */
    PINYIN_ERR_ICONV = -3,  /* the GB18030 converter is not available */
} PinyinError;

int pinyin_initials(const char *utf8, char *out, size_t outsz);
char pinyin_initial_of_gb(unsigned int gb_code);

#endif
