/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a command and prints its peak resident set size in KiB and its wall time in microseconds,
 * from the fork to its end. A parent this small adds nothing to the child's figures, which a fork of
 * a big interpreter would (its pages count until the exec, and the time of its own fork and exec
 * varies by more than a small program's start costs).
 *
 *   bench-rss COMMAND [ARG...] */
#include <stdio.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        if (argc < 2)
                return 2;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid < 0)
                return 1;
        if (pid == 0) {
                execv(argv[1], argv + 1);
                _exit(127);
        }
        int status;
        struct rusage ru;
        if (wait4(pid, &status, 0, &ru) < 0)
                return 1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(stderr, "maxrss_kib=%ld\nwall_us=%lld\n", ru.ru_maxrss,
                (long long) (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
