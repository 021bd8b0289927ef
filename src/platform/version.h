/* version.h — the program's version, shown by `zuwei version` and in the page footer. */
#ifndef ZW_VERSION_H
#define ZW_VERSION_H
#define ZUWEI_VERSION "0.1.0"
#endif
