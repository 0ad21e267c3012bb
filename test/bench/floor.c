/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The I/O floor of the benchmark: what any generator must do at the least. For every file of the
 * input directory, read it whole and write one output file of the same size and one symlink.
 * With --units=N, N files of that size for each (NAME, NAME.2, ... NAME.N) and still one link:
 * the shape of what the generator writes for a definition, to tell what of its time that costs.
 *
 *   bench-floor [--units=N] INPUT_DIR OUTPUT_DIR */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        int units = 1;
        if (argc == 4 && strncmp(argv[1], "--units=", 8) == 0) {
                units = atoi(argv[1] + 8);
                argv++;
                argc--;
        }
        if (argc != 3 || units < 1 || units > 9)
                return 2;
        DIR *in = opendir(argv[1]);
        int outfd = open(argv[2], O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (!in || outfd < 0 || mkdirat(outfd, "multi-user.target.wants", 0755) < 0)
                return 1;
        char buf[65536], path[4096], link[4096];
        struct dirent *de;
        while ((de = readdir(in))) {
                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        return 1;
                ssize_t n = read(fd, buf, sizeof(buf));
                close(fd);
                for (int k = 1; k <= units; k++) {
                        snprintf(path, sizeof(path), k == 1 ? "%s" : "%s.%d", de->d_name, k);
                        int o = openat(outfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                        if (n < 0 || o < 0 || write(o, buf, (size_t) n) != n || close(o) < 0)
                                return 1;
                }
                snprintf(link, sizeof(link), "multi-user.target.wants/%s", de->d_name);
                snprintf(path, sizeof(path), "../%s", de->d_name);
                if (symlinkat(path, outfd, link) < 0)
                        return 1;
        }
        closedir(in);
        return 0;
}
