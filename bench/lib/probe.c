/* bench/tail --probe: how fast a core is right now, apart from any server. Sets up once, then for
 * each line "CPU" on stdin runs pinned to CPU and prints one line: ns per step of a dependent
 * integer loop (the core's own speed), and ns per load of a pointer chase through 4 MiB (cache),
 * through 256 MiB in 2 MiB pages (memory) and through 256 MiB in 4 KiB pages (memory and TLB
 * misses), in the thread's own CPU time. On a virtual machine these move with what the host runs
 * beside it. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);   /* its own CPU time: a core shared meanwhile does not count */
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* A random cycle through one word of every 64-byte line of n words (Sattolo's shuffle). */
static uint32_t *cycle(size_t n, int advice) {
    uint32_t *a = mmap(NULL, n * 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    madvise(a, n * 4, advice);
    size_t lines = n / 16;
    uint32_t *perm = malloc(lines * 4);
    for (size_t i = 0; i < lines; i++) perm[i] = i;
    uint64_t r = 88172645463325252ULL;
    for (size_t i = lines - 1; i > 0; i--) {
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        size_t j = r % i;
        uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    for (size_t i = 0; i < lines; i++) a[perm[i] * 16] = perm[(i + 1) % lines] * 16;
    free(perm);
    return a;
}

static volatile uint64_t sink;

static double chase(uint32_t *a, long steps) {
    uint32_t p = 0;
    for (long i = 0; i < 2000; i++) p = a[p];
    double t0 = now();
    for (long i = 0; i < steps; i++) p = a[p];
    double t1 = now();
    sink = p;
    return (t1 - t0) / steps;
}

static double compute(long steps) {
    uint64_t x = 88172645463325252ULL;
    double t0 = now();
    for (long i = 0; i < steps; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; }
    double t1 = now();
    sink = x;
    return (t1 - t0) / steps;
}

int main(void) {
    uint32_t *small = cycle((4 << 20) / 4, MADV_NOHUGEPAGE);
    uint32_t *huge = cycle((256 << 20) / 4, MADV_HUGEPAGE);
    uint32_t *paged = cycle((256 << 20) / 4, MADV_NOHUGEPAGE);
    int cpu;
    while (scanf("%d", &cpu) == 1) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof set, &set);
        sched_yield();
        printf("%.3f %.2f %.2f %.2f\n", compute(10000000), chase(small, 200000), chase(huge, 200000), chase(paged, 200000));
        fflush(stdout);
    }
    return 0;
}
