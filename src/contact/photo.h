/* photo.h — checking a visit photo and removing its metadata before it is stored.
 *
 * Phones write the place a photo was taken (GPS) and the device into EXIF. A visit photo shows a
 * villager's home, so the location must not be kept: JPEG APP1 segments (EXIF, XMP) and the
 * other application segments except JFIF (APP0) and Adobe (APP14) are dropped, as is a PNG's eXIf
 * chunk and its text chunks. The image data itself is kept byte for byte. Pure: no I/O. */
#ifndef ZW_CONTACT_PHOTO_H
#define ZW_CONTACT_PHOTO_H
#include "platform/buf.h"
#include <stddef.h>

enum {
    PHOTO_OK = 0,
    PHOTO_EMPTY = -1,        /* no bytes */
    PHOTO_TOO_BIG = -2,      /* over the cap */
    PHOTO_NOT_IMAGE = -3,    /* neither JPEG nor PNG */
    PHOTO_CORRUPT = -4,      /* a segment or chunk runs past the end */
};

/* Copies the image at data[0..n) into out without its metadata; sets *mime to "image/jpeg" or
 * "image/png". Returns PHOTO_OK or a PHOTO_* error (out is then left empty). */
int photo_clean(const unsigned char *data, size_t n, size_t cap, Buf *out, const char **mime);
/* The Chinese message of a PHOTO_* error. */
const char *photo_error_zh(int code);

#endif
