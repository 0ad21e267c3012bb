/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a command and prints its peak resident set size in KiB. A parent this small adds nothing to
 * the child's figure, which a fork of a big interpreter would (its pages count until the exec).
 *
 *   bench-rss COMMAND [ARG...] */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        if (argc < 2)
                return 2;
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
        fprintf(stderr, "maxrss_kib=%ld\n", ru.ru_maxrss);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
