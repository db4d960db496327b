/* pcsc-bench N: the latency of N APDUs through pcsc-lite (pcscd + libccid) on the first reader,
 * for comparison with tamga's direct path on the same QEMU reader in the same boot. The APDU is
 * tamga-guest's (GET DATA, serial number). Built with gcc against Debian's libpcsclite-dev; runs
 * in the guest with the libraries ldd lists copied into the initramfs. */
#include <PCSC/winscard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 300;
    SCARDCONTEXT ctx;
    SCARDHANDLE card;
    DWORD proto = 0, len = 0;
    char readers[1024];
    LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
    if (rv != SCARD_S_SUCCESS || n < 1) {
        fprintf(stderr, "pcsc-bench: SCardEstablishContext: %s\n", pcsc_stringify_error(rv));
        return 1;
    }
    /* pcscd finds the reader and powers the card asynchronously: wait up to 15 s. */
    for (int i = 0; i < 150; i++) {
        len = sizeof readers;
        rv = SCardListReaders(ctx, NULL, readers, &len);
        if (rv == SCARD_S_SUCCESS) {
            rv = SCardConnect(ctx, readers, SCARD_SHARE_SHARED,
                              SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &proto);
            if (rv == SCARD_S_SUCCESS)
                break;
        }
        usleep(100000);
    }
    if (rv != SCARD_S_SUCCESS) {
        fprintf(stderr, "pcsc-bench: no card: %s\n", pcsc_stringify_error(rv));
        return 1;
    }
    const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    unsigned char apdu[] = {0x00, 0xCA, 0x01, 0x81, 0x04}, resp[258];
    double *t = calloc((size_t)n, sizeof *t);
    if (!t)
        return 1;
    for (int i = 0; i < n; i++) {
        DWORD rl = sizeof resp;
        double t0 = now_ms();
        rv = SCardTransmit(card, pci, apdu, sizeof apdu, NULL, resp, &rl);
        t[i] = now_ms() - t0;
        if (rv != SCARD_S_SUCCESS || rl != 6 || resp[4] != 0x90) {
            fprintf(stderr, "pcsc-bench: APDU %d: %s, %lu bytes\n", i, pcsc_stringify_error(rv),
                    (unsigned long)rl);
            return 1;
        }
    }
    double total = 0;
    for (int i = 0; i < n; i++)
        total += t[i];
    qsort(t, (size_t)n, sizeof *t, cmp);
    printf("BENCH pcsc-lite + libccid (pcscd): median %.3f ms/APDU, mean %.3f, over %d APDUs (reader \"%s\", T=%d)\n",
           t[n / 2], total / n, n, readers, proto == SCARD_PROTOCOL_T1);
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(ctx);
    return 0;
}
