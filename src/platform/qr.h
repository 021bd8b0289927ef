/* qr.h — QR codes as inline SVG (libqrencode), for printable documents that a villager checks
 * online by scanning. */
#ifndef ZW_QR_H
#define ZW_QR_H
#include "platform/buf.h"

/* Appends an <svg> of the QR code of `text` (error correction level M, 4-module quiet zone), one
 * path of dark modules, scalable by CSS. Writes nothing when the text cannot be encoded (too long
 * or out of memory). */
void qr_svg(Buf *b, const char *text);

#endif
