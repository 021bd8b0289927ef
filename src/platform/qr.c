/* qr.c — QR code as inline SVG (see qr.h). */
#include "platform/qr.h"
#include "platform/html.h"
#include <qrencode.h>
#include <stdlib.h>

void qr_svg(Buf *b, const char *text) {
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return;
    int w = q->width, size = w + 8;
    html(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qrcode\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" role=\"img\">"
            "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
         size, size, size, size);
    /* One horizontal run of dark modules becomes one rectangle: M x y h len v 1 h -len z. */
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(q->data[y * w + x] & 1)) { x++; continue; }
            int run = 1;
            while (x + run < w && (q->data[y * w + x + run] & 1)) run++;
            html(b, "M%d %dh%dv1h-%dz", x + 4, y + 4, run, run);
            x += run;
        }
    }
    html_raw(b, "\"/></svg>");
    QRcode_free(q);
}
