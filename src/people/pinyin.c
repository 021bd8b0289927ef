/* pinyin.c -- pinyin initials of names via the pinyin order of GB2312
 * level-1 hanzi, plus small hand-made tables for names.
 *
 * The boundaries below were established on this system with iconv: each is
 * the GB2312 code of the first level-1 character of that letter (啊 芭 擦 搭
 * 蛾 发 噶 哈 击 喀 垃 妈 拿 哦 啪 期 然 撒 塌 挖 昔 压 匝), and the character just
 * before each one (澳 怖 错 堕 贰 咐 过 祸 骏 阔 络 穆 诺 沤 瀑 群 弱 所 唾 误 迅
 * 孕) reads with the previous letter. No syllable starts with I, U or V. */
#include "people/pinyin.h"

#include <iconv.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define GB_LEVEL1_FIRST 0xB0A1u
#define GB_LEVEL1_LAST  0xD7F9u

static const struct {
    unsigned int first;   /* GB2312 code of the first character with this initial */
    char letter;
} level1_starts[] = {
    {0xB0A1, 'A'}, {0xB0C5, 'B'}, {0xB2C1, 'C'}, {0xB4EE, 'D'}, {0xB6EA, 'E'},
    {0xB7A2, 'F'}, {0xB8C1, 'G'}, {0xB9FE, 'H'}, {0xBBF7, 'J'}, {0xBFA6, 'K'},
    {0xC0AC, 'L'}, {0xC2E8, 'M'}, {0xC4C3, 'N'}, {0xC5B6, 'O'}, {0xC5BE, 'P'},
    {0xC6DA, 'Q'}, {0xC8BB, 'R'}, {0xC8F6, 'S'}, {0xCBFA, 'T'}, {0xCDDA, 'W'},
    {0xCEF4, 'X'}, {0xD1B9, 'Y'}, {0xD4D1, 'Z'},
};

typedef struct {
    const char *hanzi;    /* one character, UTF-8 */
    char letter;
} NameInitial;

/* Surnames whose reading as a surname differs from the reading GB2312
 * sorted them by; used only for the first character of a name. 曾 (céng /
 * Zēng) and 朴 (pǔ / Piáo) happen to keep their letter either way and are
 * listed so the surname does not depend on that. */
static const NameInitial surname_readings[] = {
    {"曾", 'Z'}, /* Zēng */              {"单", 'S'}, /* Shàn, not dān */
    {"区", 'O'}, /* Ōu, not qū */        {"仇", 'Q'}, /* Qiú, not chóu */
    {"解", 'X'}, /* Xiè, not jiě */      {"查", 'Z'}, /* Zhā, not chá */
    {"朴", 'P'}, /* Piáo */              {"翟", 'Z'}, /* Zhái, not dí */
    {"召", 'S'}, /* Shào, not zhào */    {"繁", 'P'}, /* Pó, not fán */
    {"句", 'G'}, /* Gōu, not jù */       {"秘", 'B'}, /* Bì, not mì */
    {"种", 'C'}, /* Chóng, not zhǒng */  {"重", 'C'}, /* Chóng, not zhòng */
    {"折", 'S'}, /* Shé, not zhé */      {"祭", 'Z'}, /* Zhài, not jì */
};

/* Level-2 and non-GB2312 characters common in names (surnames and given
 * names), with their usual reading in names. */
static const NameInitial name_chars[] = {
    /* surnames */
    {"覃", 'Q'}, {"冼", 'X'}, {"缪", 'M'}, {"邝", 'K'}, {"邬", 'W'}, {"芮", 'R'},
    {"蔺", 'L'}, {"邰", 'T'}, {"荀", 'X'}, {"蒯", 'K'}, {"岑", 'C'}, {"邸", 'D'},
    {"鄢", 'Y'}, {"庹", 'T'}, {"瞿", 'Q'}, {"晁", 'C'}, {"昝", 'Z'}, {"阚", 'K'},
    {"隗", 'W'}, {"郦", 'L'}, {"郗", 'X'}, {"阙", 'Q'}, {"闫", 'Y'}, {"郄", 'Q'},
    {"仝", 'T'}, {"亓", 'Q'}, {"笪", 'D'}, {"禤", 'X'}, {"鄞", 'Y'}, {"缑", 'G'},
    {"璩", 'Q'}, {"眭", 'S'}, {"谯", 'Q'}, {"栾", 'L'}, {"逯", 'L'}, {"滕", 'T'},
    {"雒", 'L'}, {"侬", 'N'}, {"濮", 'P'}, {"佟", 'T'}, {"於", 'Y'}, {"佘", 'S'},
    {"贲", 'B'},
    /* given-name characters */
    {"琪", 'Q'}, {"琦", 'Q'}, {"璐", 'L'}, {"瑾", 'J'}, {"玥", 'Y'}, {"昊", 'H'},
    {"炜", 'W'}, {"晔", 'Y'}, {"睿", 'R'}, {"煜", 'Y'}, {"钰", 'Y'}, {"璇", 'X'},
    {"婧", 'J'}, {"妍", 'Y'}, {"皓", 'H'}, {"琛", 'C'}, {"珂", 'K'}, {"玮", 'W'},
    {"祺", 'Q'}, {"骞", 'Q'}, {"桢", 'Z'}, {"鑫", 'X'}, {"淼", 'M'}, {"旻", 'M'},
    {"芸", 'Y'}, {"萱", 'X'}, {"烨", 'Y'}, {"熠", 'Y'}, {"梓", 'Z'}, {"翊", 'Y'},
    {"晟", 'S'}, {"瀚", 'H'}, {"宸", 'C'}, {"泓", 'H'}, {"沐", 'M'}, {"曦", 'X'},
    {"奕", 'Y'}, {"赟", 'Y'}, {"喆", 'Z'}, {"垚", 'Y'}, {"昇", 'S'}, {"堃", 'K'},
    {"琰", 'Y'}, {"珺", 'J'}, {"璟", 'J'}, {"瑜", 'Y'}, {"琨", 'K'}, {"瑛", 'Y'},
    {"珏", 'J'}, {"钊", 'Z'}, {"铠", 'K'}, {"锟", 'K'}, {"骁", 'X'}, {"昕", 'X'},
    {"晗", 'H'}, {"暄", 'X'}, {"煊", 'X'}, {"炫", 'X'}, {"焱", 'Y'}, {"焘", 'T'},
    {"灏", 'H'}, {"澍", 'S'}, {"濠", 'H'}, {"潇", 'X'}, {"滢", 'Y'}, {"漪", 'Y'},
    {"淇", 'Q'}, {"菁", 'J'}, {"茜", 'Q'}, {"蓓", 'B'}, {"薇", 'W'}, {"芃", 'P'},
    {"苒", 'R'}, {"婕", 'J'}, {"婵", 'C'}, {"娅", 'Y'}, {"嫣", 'Y'}, {"姝", 'S'},
    {"妤", 'Y'}, {"娴", 'X'}, {"嫦", 'C'}, {"俪", 'L'}, {"侃", 'K'}, {"彧", 'Y'},
    {"翀", 'C'}, {"羿", 'Y'}, {"韫", 'Y'}, {"颢", 'H'}, {"馥", 'F'}, {"骥", 'J'},
    {"麒", 'Q'}, {"麟", 'L'}, {"黛", 'D'}, {"媛", 'Y'}, {"倩", 'Q'}, {"婷", 'T'},
    {"璋", 'Z'}, {"瑗", 'Y'}, {"岚", 'L'}, {"峥", 'Z'}, {"嵘", 'R'}, {"昱", 'Y'},
    {"晖", 'H'}, {"曜", 'Y'}, {"瀛", 'Y'}, {"燊", 'S'}, {"骐", 'Q'}, {"鲲", 'K'},
    {"鹭", 'L'}, {"稷", 'J'}, {"笙", 'S'}, {"箫", 'X'}, {"筠", 'Y'}, {"翎", 'L'},
    {"颀", 'Q'}, {"铮", 'Z'}, {"镛", 'Y'}, {"玺", 'X'}, {"璞", 'P'}, {"珩", 'H'},
    {"瑄", 'X'}, {"琬", 'W'}, {"琮", 'C'}, {"珞", 'L'},
};

/* Return the initial of the GB2312 character with 2-byte code `gb_code`
 * (lead byte * 256 + trail byte) when it is a level-1 hanzi, or
 * PINYIN_UNKNOWN for any other code. */
char pinyin_initial_of_gb(unsigned int gb_code) {
    if (gb_code < GB_LEVEL1_FIRST || gb_code > GB_LEVEL1_LAST) return PINYIN_UNKNOWN;
    unsigned int trail = gb_code & 0xFF;
    if (trail < 0xA1 || trail > 0xFE) return PINYIN_UNKNOWN;
    char letter = PINYIN_UNKNOWN;
    for (size_t i = 0; i < sizeof level1_starts / sizeof level1_starts[0]; i++) {
        if (gb_code < level1_starts[i].first) break;
        letter = level1_starts[i].letter;
    }
    return letter;
}

/* Return the letter for the `len`-byte UTF-8 character at `s` from `table`
 * (of `n` entries), or 0 when it is not listed. The first byte is compared
 * before anything else: most entries differ there. */
static char table_lookup(const NameInitial *table, size_t n, const char *s, size_t len) {
    for (size_t i = 0; i < n; i++)
        if (table[i].hanzi[0] == s[0] && strlen(table[i].hanzi) == len && memcmp(table[i].hanzi, s, len) == 0)
            return table[i].letter;
    return 0;
}

/* Each thread keeps one UTF-8 → GB18030 descriptor: opening one costs more
 * than converting a whole name, and a roster import converts 240,000 names.
 * The descriptor is closed when the thread ends. */
static pthread_key_t cd_key;
static pthread_once_t cd_once = PTHREAD_ONCE_INIT;

static void cd_close(void *cd) { iconv_close((iconv_t)cd); }

static void cd_key_make(void) { pthread_key_create(&cd_key, cd_close); }

/* Return this thread's descriptor, opening it on first use, or (iconv_t)-1
 * when the converter is not available. */
static iconv_t thread_cd(void) {
    pthread_once(&cd_once, cd_key_make);
    iconv_t cd = (iconv_t)pthread_getspecific(cd_key);
    if (cd) return cd;
    cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1) return cd;
    if (pthread_setspecific(cd_key, cd) != 0) {
        iconv_close(cd);
        return (iconv_t)-1;
    }
    return cd;
}

/* Decode the UTF-8 character at `s` into *cp and return its length in bytes,
 * or 0 when the bytes are not well-formed UTF-8 (overlong forms, surrogates
 * and values above U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp) {
    size_t len;
    uint32_t v, min;
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0) { len = 2; v = s[0] & 0x1F; min = 0x80; }
    else if ((s[0] & 0xF0) == 0xE0) { len = 3; v = s[0] & 0x0F; min = 0x800; }
    else if ((s[0] & 0xF8) == 0xF0) { len = 4; v = s[0] & 0x07; min = 0x10000; }
    else return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* Return true when code point `cp` is a CJK unified or compatibility
 * ideograph (a hanzi). */
static bool is_hanzi(uint32_t cp) {
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Return the initial of the hanzi whose UTF-8 bytes are s[0..len) by its
 * GB2312 code, converting with `cd`; PINYIN_UNKNOWN when it is not a
 * level-1 character. */
static char initial_by_gb(iconv_t cd, const char *s, size_t len) {
    char in[4], gb[4];
    char *inp = in, *outp = gb;
    size_t inleft = len, outleft = sizeof gb;
    memcpy(in, s, len);
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &inp, &inleft, &outp, &outleft) == (size_t)-1) return PINYIN_UNKNOWN;
    if (sizeof gb - outleft != 2) return PINYIN_UNKNOWN;
    return pinyin_initial_of_gb((unsigned int)(unsigned char)gb[0] << 8 | (unsigned char)gb[1]);
}

/* Initials of the hanzi U+3400-U+9FFF already worked out on this thread
 * (by the name table or iconv; 0: not yet). Names use a few thousand
 * characters, and a roster import of 240,000 names spent most of its
 * pinyin time converting the same ones again. 27 KiB per thread. */
enum { CACHE_FIRST = 0x3400, CACHE_LAST = 0x9FFF };
static _Thread_local char hanzi_cache[CACHE_LAST - CACHE_FIRST + 1];

/* Return the initial of hanzi `cp` (UTF-8 bytes s[0..len)) by the name
 * table or its GB2312 code, from this thread's cache when it has it. */
static char hanzi_initial(iconv_t cd, const char *s, size_t len, uint32_t cp) {
    char *cached = cp >= CACHE_FIRST && cp <= CACHE_LAST ? &hanzi_cache[cp - CACHE_FIRST] : NULL;
    if (cached && *cached) return *cached;
    char letter = table_lookup(name_chars, sizeof name_chars / sizeof name_chars[0], s, len);
    if (letter == 0) letter = initial_by_gb(cd, s, len);
    if (cached) *cached = letter;
    return letter;
}

/* Return the letter a character contributes to the initials: an uppercased
 * ASCII or full-width Latin letter, a hanzi's initial (or PINYIN_UNKNOWN),
 * or 0 for a character that is skipped. `first_hanzi` selects the surname
 * readings. */
static char initial_of(iconv_t cd, const char *s, size_t len, uint32_t cp, bool first_hanzi) {
    if (cp >= 'a' && cp <= 'z') return (char)(cp - 'a' + 'A');
    if (cp >= 'A' && cp <= 'Z') return (char)cp;
    if (cp >= 0xFF21 && cp <= 0xFF3A) return (char)(cp - 0xFF21 + 'A');
    if (cp >= 0xFF41 && cp <= 0xFF5A) return (char)(cp - 0xFF41 + 'A');
    if (!is_hanzi(cp)) return 0;
    char letter = 0;
    if (first_hanzi)
        letter = table_lookup(surname_readings, sizeof surname_readings / sizeof surname_readings[0], s, len);
    return letter != 0 ? letter : hanzi_initial(cd, s, len, cp);
}

/* Write the uppercase pinyin initials of the UTF-8 name `utf8` into `out`
 * (NUL-terminated): "张三丰" -> "ZSF", "曾 Li" -> "ZL". A hanzi whose initial
 * is unknown gives '?'. Returns the number of letters written, or a negative
 * PinyinError: invalid UTF-8, an `out` too small (it then holds as many
 * letters as fit, when outsz > 0), or no GB18030 converter. */
int pinyin_initials(const char *utf8, char *out, size_t outsz) {
    if (utf8 == NULL || out == NULL || outsz == 0) return PINYIN_ERR_SPACE;
    out[0] = '\0';
    iconv_t cd = thread_cd();
    if (cd == (iconv_t)-1) return PINYIN_ERR_ICONV;

    const unsigned char *p = (const unsigned char *)utf8;
    size_t n = 0;
    bool seen_hanzi = false;
    int rc = 0;
    while (*p != '\0') {
        uint32_t cp;
        size_t len = utf8_decode(p, &cp);
        if (len == 0) { rc = PINYIN_ERR_UTF8; break; }
        char letter = initial_of(cd, (const char *)p, len, cp, !seen_hanzi);
        if (is_hanzi(cp)) seen_hanzi = true;
        p += len;
        if (letter == 0) continue;
        if (n + 1 >= outsz) { rc = PINYIN_ERR_SPACE; break; }
        out[n++] = letter;
        out[n] = '\0';
    }
    return rc != 0 ? rc : (int)n;
}
