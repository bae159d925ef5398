// poll() with a timeout: on a clock alone, on stdin with a clock (which of
// the two fires depends on whether stdin has data yet), on stdin until end
// of input, and on a descriptor that is not open.
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(void) {
    long long t0 = now_ms();
    int r = poll(NULL, 0, 30);
    printf("clock alone: %d ready, waited 30ms: %s\n", r, now_ms() - t0 >= 30 ? "yes" : "no");

    struct pollfd p = {.fd = 0, .events = POLLIN};
    r = poll(&p, 1, 100);
    printf("stdin or 100ms: %s\n", r == 0 ? "timeout" : (p.revents & POLLIN) ? "stdin" : "other");
    fflush(stdout);

    char buf[256];
    size_t len = 0;
    for (;;) {
        p.revents = 0;
        r = poll(&p, 1, 10000);
        if (r != 1) {
            printf("stdin did not become ready (%d)\n", r);
            return 1;
        }
        ssize_t n = read(0, buf + len, sizeof buf - 1 - len);
        if (n < 0) {
            printf("read failed: %d\n", errno);
            return 1;
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    buf[len] = 0;
    for (size_t i = 0; i < len; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
    printf("stdin until eof: %zu bytes: %s", len, buf);

    struct pollfd bad = {.fd = 42, .events = POLLIN};
    r = poll(&bad, 1, 0);
    printf("fd 42: %d, %s\n", r, (bad.revents & POLLNVAL) ? "POLLNVAL" : "no POLLNVAL");
    return 0;
}
