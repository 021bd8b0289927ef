/* test_pinyin.c -- unit tests for src/people/pinyin.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "people/pinyin.h"

/* Assert that `name` gives exactly the initials `want`. */
static void expect(const char *name, const char *want) {
    char out[64];
    int n = pinyin_initials(name, out, sizeof out);
    if (n != (int)strlen(want) || strcmp(out, want) != 0)
        fail_msg("\"%s\" -> \"%s\" (%d), want \"%s\"", name, out, n, want);
}

static void test_basic_names(void **state) {
    expect("张三丰", "ZSF");
    expect("李四", "LS");
    expect("王小明", "WXM");
    expect("欧阳娜娜", "OYNN");
    expect("", "");
}

/* Three common characters per letter, chosen by hand. */
static void test_each_letter(void **state) {
    static const struct { const char *chars; const char *want; } rows[] = {
        {"爱安暗", "AAA"}, {"白北包", "BBB"}, {"成草春", "CCC"}, {"大东德", "DDD"},
        {"恩儿二", "EEE"}, {"发风福", "FFF"}, {"高国光", "GGG"}, {"海红花", "HHH"},
        {"金家江", "JJJ"}, {"开康坤", "KKK"}, {"李林兰", "LLL"}, {"明梅美", "MMM"},
        {"南宁娜", "NNN"}, {"欧鸥偶", "OOO"}, {"平朋萍", "PPP"}, {"清秋强", "QQQ"},
        {"荣瑞仁", "RRR"}, {"山水松", "SSS"}, {"天涛桃", "TTT"}, {"文伟武", "WWW"},
        {"小雪新", "XXX"}, {"云玉英", "YYY"}, {"志中珍", "ZZZ"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        /* put a neutral surname first so no surname reading applies */
        char name[32] = "王";
        char want[8] = "W";
        strcat(name, rows[i].chars);
        strcat(want, rows[i].want);
        expect(name, want);
    }
}

/* Both sides of every letter boundary in the level-1 table. */
static void test_boundaries(void **state) {
    expect("王啊澳", "WAA");   expect("王芭怖", "WBB");   expect("王擦错", "WCC");
    expect("王搭堕", "WDD");   expect("王蛾贰", "WEE");   expect("王发咐", "WFF");
    expect("王噶过", "WGG");   expect("王哈祸", "WHH");   expect("王击骏", "WJJ");
    expect("王喀阔", "WKK");   expect("王垃络", "WLL");   expect("王妈穆", "WMM");
    expect("王拿诺", "WNN");   expect("王哦沤", "WOO");   expect("王啪瀑", "WPP");
    expect("王期群", "WQQ");   expect("王然弱", "WRR");   expect("王撒所", "WSS");
    expect("王塌唾", "WTT");   expect("王挖误", "WWW");   expect("王昔迅", "WXX");
    expect("王压孕", "WYY");   expect("王匝座", "WZZ");
}

static void test_initial_of_gb(void **state) {
    assert_int_equal(pinyin_initial_of_gb(0xB0A1), 'A');
    assert_int_equal(pinyin_initial_of_gb(0xB0C4), 'A');
    assert_int_equal(pinyin_initial_of_gb(0xB0C5), 'B');
    assert_int_equal(pinyin_initial_of_gb(0xD4D0), 'Y');
    assert_int_equal(pinyin_initial_of_gb(0xD4D1), 'Z');
    assert_int_equal(pinyin_initial_of_gb(0xD7F9), 'Z');
    assert_int_equal(pinyin_initial_of_gb(0xD7FA), PINYIN_UNKNOWN);
    assert_int_equal(pinyin_initial_of_gb(0xD8A1), PINYIN_UNKNOWN);   /* level 2 */
    assert_int_equal(pinyin_initial_of_gb(0xB0A0), PINYIN_UNKNOWN);
    assert_int_equal(pinyin_initial_of_gb(0xA3C1), PINYIN_UNKNOWN);   /* full-width A */
    assert_int_equal(pinyin_initial_of_gb(0xB1FF), PINYIN_UNKNOWN);   /* bad trail byte */
    assert_int_equal(pinyin_initial_of_gb(0xB140), PINYIN_UNKNOWN);
    /* over the whole level-1 area the letters never go backwards and never
     * include I, U or V */
    char prev = 'A';
    for (unsigned hi = 0xB0; hi <= 0xD7; hi++) {
        for (unsigned lo = 0xA1; lo <= 0xFE; lo++) {
            if ((hi << 8 | lo) > 0xD7F9) break;
            char c = pinyin_initial_of_gb(hi << 8 | lo);
            assert_true(c >= prev && c <= 'Z');
            assert_true(c != 'I' && c != 'U' && c != 'V');
            prev = c;
        }
    }
}

/* One hundred common surnames, each followed by its initial written by
 * hand. */
static void test_common_surnames(void **state) {
    static const char *pairs =
        "王W李L张Z刘L陈C杨Y黄H赵Z吴W周Z徐X孙S马M朱Z胡H郭G何H高G林L罗L"
        "郑Z梁L谢X宋S唐T许X韩H冯F邓D曹C彭P曾Z肖X田T董D袁Y潘P于Y蒋J蔡C"
        "余Y杜D叶Y程C苏S魏W吕L丁D任R沈S姚Y卢L姜J崔C钟Z谭T陆L汪W范F金J"
        "石S廖L贾J夏X韦W付F方F白B邹Z孟M熊X秦Q邱Q江J尹Y薛X闫Y段D雷L侯H"
        "龙L史S陶T黎L贺H顾G毛M郝H龚G邵S万W钱Q严Y覃Q武W戴D莫M孔K向X汤T";
    int count = 0;
    for (const char *p = pairs; *p != '\0'; p += 4, count++) {
        char one[4] = {p[0], p[1], p[2], '\0'}, out[8];   /* 3 bytes of UTF-8 */
        assert_int_equal(pinyin_initials(one, out, sizeof out), 1);
        if (out[0] != p[3]) fail_msg("%s -> %c, want %c", one, out[0], p[3]);
    }
    assert_int_equal(count, 100);
}

/* Surnames GB2312 sorts by another reading, and level-2 surnames. */
static void test_special_surnames(void **state) {
    expect("曾国藩", "ZGF");
    expect("单田芳", "STF");
    expect("区永", "OY");
    expect("仇英", "QY");
    expect("解缙", "X?");      /* 缙 is level 2 and not in the name table */
    expect("查良镛", "ZLY");
    expect("朴树", "PS");
    expect("覃小红", "QXH");
    expect("翟志刚", "ZZG");
    expect("冼星海", "XXH");
    expect("缪斯", "MS");
    expect("滕飞", "TF");
    expect("岑参", "CC");
    expect("闫妮", "YN");
}

/* Surname readings apply to the first hanzi only. */
static void test_surname_reading_only_first(void **state) {
    expect("王解放", "WJF");
    expect("解放", "XF");
    expect("李单", "LD");
    expect("刘查", "LC");
    expect("Li曾", "LIZ");      /* the first hanzi, even after Latin letters */
}

static void test_given_name_chars(void **state) {
    expect("李琪", "LQ");
    expect("张鑫", "ZX");
    expect("王婷婷", "WTT");
    expect("刘玥", "LY");      /* not in GB2312 at all */
    expect("陈梓涵", "CZH");
    expect("杨睿", "YR");
    expect("吴昊", "WH");
}

static void test_unknown_chars(void **state) {
    expect("王亍", "W?");            /* first level-2 character, not listed */
    expect("王\xF0\xA0\x80\x80", "W?");  /* U+20000, CJK extension B */
    expect("丂", "?");               /* GBK only */
}

static void test_non_hanzi(void **state) {
    expect("Li Ming", "LIMING");
    expect("abc123", "ABC");
    expect("阿依古丽·买买提", "AYGLMMT");
    expect("ＡＢｃ", "ABC");          /* full-width Latin letters */
    expect("张 三", "ZS");
    expect("（张三）", "ZS");
    expect("2号", "H");
}

static void test_invalid_utf8(void **state) {
    char out[16];
    assert_int_equal(pinyin_initials("\xff", out, sizeof out), PINYIN_ERR_UTF8);
    assert_int_equal(pinyin_initials("张\xe5\xbc", out, sizeof out), PINYIN_ERR_UTF8);  /* truncated */
    assert_int_equal(pinyin_initials("\xc0\xaf", out, sizeof out), PINYIN_ERR_UTF8);      /* overlong */
    assert_int_equal(pinyin_initials("\xed\xa0\x80", out, sizeof out), PINYIN_ERR_UTF8);  /* surrogate */
    assert_int_equal(pinyin_initials("\xf4\x90\x80\x80", out, sizeof out), PINYIN_ERR_UTF8);
    assert_int_equal(pinyin_initials("\x80", out, sizeof out), PINYIN_ERR_UTF8);
}

static void test_small_buffer(void **state) {
    char out[3];
    assert_int_equal(pinyin_initials("张三丰", out, sizeof out), PINYIN_ERR_SPACE);
    assert_string_equal(out, "ZS");
    char four[4];
    assert_int_equal(pinyin_initials("张三丰", four, sizeof four), 3);
    assert_string_equal(four, "ZSF");
    assert_int_equal(pinyin_initials("张三丰", four, 0), PINYIN_ERR_SPACE);
    assert_int_equal(pinyin_initials(NULL, four, sizeof four), PINYIN_ERR_SPACE);
}

static void *worker(void *arg) {
    intptr_t bad = 0;
    for (int i = 0; i < 2000; i++) {
        char out[16];
        if (pinyin_initials(i % 2 ? "曾国藩" : "覃小红", out, sizeof out) != 3 ||
            strcmp(out, i % 2 ? "ZGF" : "QXH") != 0)
            bad++;
    }
    return (void *)bad;
}

static void test_threads(void **state) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        assert_int_equal((intptr_t)bad, 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_names),
        cmocka_unit_test(test_each_letter),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_initial_of_gb),
        cmocka_unit_test(test_common_surnames),
        cmocka_unit_test(test_special_surnames),
        cmocka_unit_test(test_surname_reading_only_first),
        cmocka_unit_test(test_given_name_chars),
        cmocka_unit_test(test_unknown_chars),
        cmocka_unit_test(test_non_hanzi),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests_name("pinyin", tests, NULL, NULL);
}
