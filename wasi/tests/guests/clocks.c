// Clocks, sleeping (poll_oneoff) and random bytes: deterministic under a
// fake clock and a seeded random source.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

int main(void) {
    struct timespec r, m1, m2, res;
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m1);
    clock_getres(CLOCK_MONOTONIC, &res);
    struct timespec d = {0, 5000000};
    nanosleep(&d, NULL);
    clock_gettime(CLOCK_MONOTONIC, &m2);
    long long slept = (m2.tv_sec - m1.tv_sec) * 1000000000LL + (m2.tv_nsec - m1.tv_nsec);
    printf("realtime: %lld.%09ld\n", (long long)r.tv_sec, r.tv_nsec);
    printf("monotonic res: %ld\n", res.tv_nsec);
    printf("slept at least 5ms: %s\n", slept >= 5000000 ? "yes" : "no");
    poll(NULL, 0, 3);
    unsigned char buf[8];
    if (getentropy(buf, sizeof buf) != 0) { printf("getentropy failed\n"); return 1; }
    printf("random:");
    for (int i = 0; i < 8; i++) printf(" %02x", buf[i]);
    printf("\n");
    struct timespec c;
    printf("cputime: %s\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c) == 0 ? "ok" : "failed");
    return 0;
}
