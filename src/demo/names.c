/* names.c — the material the demo county is made of: surnames with rough frequency weights,
 * given-name characters by sex, syllables of village and hamlet names, ethnic groups of the
 * region and the county's townships. Written for Zuwei by hand; the weights are rough impressions
 * of rural Guizhou (杨, 张, 吴, 田 and 龙 are common there), not statistics. */
#include "demo/demo.h"
#include "platform/date.h"
#include <stddef.h>

const Weighted demo_surnames[] = {
    {"杨", 60}, {"张", 45}, {"吴", 40}, {"田", 38}, {"龙", 30}, {"王", 40}, {"李", 40}, {"刘", 28},
    {"陈", 26}, {"周", 18}, {"黄", 16}, {"徐", 10}, {"胡", 12}, {"罗", 18}, {"梁", 6},  {"宋", 8},
    {"郑", 6},  {"谢", 8},  {"韩", 4},  {"唐", 14}, {"冯", 5},  {"于", 3},  {"董", 5},  {"萧", 2},
    {"程", 5},  {"曹", 5},  {"袁", 6},  {"邓", 8},  {"许", 5},  {"傅", 3},  {"沈", 3},  {"曾", 6},
    {"彭", 8},  {"吕", 3},  {"苏", 4},  {"卢", 4},  {"蒋", 6},  {"蔡", 3},  {"贾", 2},  {"丁", 3},
    {"魏", 3},  {"薛", 2},  {"叶", 3},  {"阎", 1},  {"余", 7},  {"潘", 6},  {"杜", 3},  {"戴", 3},
    {"夏", 3},  {"钟", 3},  {"汪", 3},  {"任", 4},  {"姜", 3},  {"范", 3},  {"方", 3},  {"石", 12},
    {"姚", 4},  {"谭", 6},  {"廖", 4},  {"邹", 3},  {"熊", 5},  {"金", 2},  {"陆", 2},  {"郝", 1},
    {"孔", 1},  {"白", 3},  {"崔", 1},  {"康", 2},  {"毛", 3},  {"邱", 3},  {"秦", 3},  {"江", 3},
    {"史", 2},  {"顾", 1},  {"侯", 2},  {"邵", 2},  {"孟", 1},  {"万", 3},  {"段", 3},  {"雷", 4},
    {"钱", 1},  {"汤", 2},  {"尹", 2},  {"黎", 3},  {"易", 4},  {"常", 1},  {"武", 1},  {"乔", 1},
    {"贺", 2},  {"赖", 2},  {"龚", 3},  {"文", 4},  {"向", 6},  {"麻", 4},  {"滕", 3},  {"包", 2},
    {"欧", 2},  {"舒", 3},  {"覃", 2},  {"冉", 4},  {"代", 3},  {"安", 2},  {"付", 3},  {"严", 2},
    {NULL, 0},
};

const char *const demo_given_male[] = {
    "伟", "强", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "斌", "波",
    "林", "峰", "建", "国", "文", "武", "德", "福", "贵", "富", "荣", "发", "财", "海", "山", "江",
    "宏", "志", "忠", "诚", "龙", "虎", "兵", "春", "东", "成", "光", "亮", "宇", "浩", "俊", "磊",
    "昌", "兴", "旺", "生", "祥", "正", "永", "胜", "全", "安", "学", "元", "远", "先", "洪", "清",
    NULL,
};

const char *const demo_given_female[] = {
    "芳", "娟", "敏", "静", "丽", "艳", "霞", "秀", "英", "华", "兰", "玲", "梅", "琴", "燕", "红",
    "萍", "慧", "莉", "琳", "婷", "雪", "月", "凤", "春", "桂", "珍", "翠", "花", "菊", "莲", "云",
    "丹", "娇", "琼", "芬", "美", "淑", "青", "晶", "欣", "怡", "佳", "倩", "妍", "璐", "蓉", "瑶",
    NULL,
};

const char *const demo_given_any[] = {
    "小", "晓", "金", "玉", "新", "永", "春", "秋", "天", "世", "家", "正", "友", "立", "思", "子",
    "应", "朝", "仕", "再", "昌", "开", "中", "启", "绍", "光", "玉", "承", "长", "德", NULL,
};

const char *const demo_place_first[] = {
    "云", "坝", "凯", "梵", "太", "快", "寨", "桃", "官", "德", "民", "怒", "闵", "黑", "白", "石",
    "龙", "凤", "鱼", "马", "牛", "羊", "茶", "竹", "松", "杉", "梨", "桐", "枫", "柳", "青", "红",
    "金", "银", "高", "低", "长", "团", "双", "三", "新", "老", "上", "下", "中", "东", "西", "南",
    "北", "大", "小", "平", "清", "黄", "麻", "岩", "沙", "泉", "河", "溪", "坡", "岭", NULL,
};

const char *const demo_place_second[] = {
    "坪", "溪", "坝", "寨", "沟", "湾", "冲", "坡", "田", "山", "河", "岭", "塘", "洞", "口", "屯",
    "堡", "场", "桥", "庄", "坳", "界", "林", "营", "院", "垅", "岩", "井", "堰", "园", NULL,
};

const char *const demo_hamlet_suffix[] = {"寨", "组", "院子", "湾", "坪", NULL};

const Weighted demo_ethnicities[] = {
    {"汉族", 52}, {"土家族", 30}, {"苗族", 12}, {"侗族", 4}, {"仡佬族", 1}, {"布依族", 1}, {NULL, 0},
};

const char *const demo_numerals[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", NULL,
};

/* The county's 2 streets (codes 001–002), 6 towns (100–105) and 2 townships (200–201). */
const DemoTownship demo_townships[] = {
    {"双江街道", "street", 1}, {"凯德街道", "street", 2}, {"闵孝镇", "town", 100}, {"太平镇", "town", 101},
    {"坝盘镇", "town", 102},   {"民和镇", "town", 103},   {"桃映镇", "town", 104}, {"怒溪镇", "town", 105},
    {"德旺乡", "xiang", 200},  {"官和乡", "xiang", 201},  {NULL, NULL, 0},
};

uint64_t rng_next(Rng *r) {
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint32_t rng_below(Rng *r, uint32_t n) {
    return n ? (uint32_t)((rng_next(r) >> 32) * n >> 32) : 0;
}

int rng_chance(Rng *r, double p) {
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

const char *rng_weighted(Rng *r, const Weighted *t) {
    int total = 0;
    for (const Weighted *w = t; w->text; w++) total += w->weight;
    int x = (int)rng_below(r, (uint32_t)total);
    for (const Weighted *w = t; w->text; w++) {
        if (x < w->weight) return w->text;
        x -= w->weight;
    }
    return t[0].text;
}

const char *rng_pick(Rng *r, const char *const *list) {
    uint32_t n = 0;
    while (list[n]) n++;
    return list[rng_below(r, n)];
}

Rng demo_rng(uint64_t seed, uint64_t part) {
    Rng r = {seed ^ (part * 0xD1B54A32D192ED03ULL)};
    rng_next(&r);
    return r;
}

void demo_date(int32_t day, char out[11]) { date_format(day, out, 11); }
