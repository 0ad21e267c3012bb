/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The facts of the machine the generator runs on: accounts, subordinate IDs, lingering, files,
 * the version of the engine. */
#include <assert.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

static int system_user(const char *name, unsigned *ret_uid, char **ret_home) {
        assert(name && ret_uid && ret_home);
        struct passwd *pw = getpwnam(name);
        if (!pw)
                return -ENOENT;
        *ret_uid = (unsigned) pw->pw_uid;
        *ret_home = NULL;
        if (pw->pw_dir && !(*ret_home = strdup(pw->pw_dir)))
                return -ENOMEM;
        return 0;
}

static int system_group(const char *name, unsigned *ret_gid) {
        assert(name && ret_gid);
        struct group *gr = getgrnam(name);
        if (!gr)
                return -ENOENT;
        *ret_gid = (unsigned) gr->gr_gid;
        return 0;
}

static bool system_has_subuid(const char *user, unsigned uid) {
        FILE *f = fopen("/etc/subuid", "re");
        if (!f)
                return false;
        char line[512], uidstr[16];
        snprintf(uidstr, sizeof(uidstr), "%u", uid);
        bool found = false;
        while (!found && fgets(line, sizeof(line), f)) {
                size_t n = strcspn(line, ":");
                found = (n == strlen(user) && strncmp(line, user, n) == 0) || (n == strlen(uidstr) && strncmp(line, uidstr, n) == 0);
        }
        fclose(f);
        return found;
}

static bool system_lingers(const char *user) {
        char path[512];
        snprintf(path, sizeof(path), "/var/lib/systemd/linger/%s", user);
        return access(path, F_OK) == 0;
}

static int system_stat(const char *path, unsigned *ret_mode) {
        struct stat st;
        if (stat(path, &st) < 0)
                return -errno;
        *ret_mode = (unsigned) st.st_mode;
        return 0;
}

unsigned oci_podman_version_parse(const char *s) {
        assert(s);
        unsigned v[2] = { 0, 0 };
        for (size_t k = 0; k < 2; k++) {
                if (k == 1 && *s++ != '.')
                        return 0;
                if (*s < '0' || *s > '9')
                        return 0;
                for (; *s >= '0' && *s <= '9'; s++)
                        if ((v[k] = v[k] * 10 + (unsigned) (*s - '0')) > 9999)
                                return 0;
        }
        return v[1] < 100 ? OCI_PODMAN_VERSION(v[0], v[1]) : 0;
}

/* Long enough for a cold start from a slow disk at boot; a podman that hangs costs no more. */
#define VERSION_TIMEOUT_MS 5000

static long ms_left(const struct timespec *deadline) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        return (deadline->tv_sec - now.tv_sec) * 1000L + (deadline->tv_nsec - now.tv_nsec) / 1000000L;
}

/* What "PATH --version" prints on its standard output, within the time allowed, into buf; true
 * when it printed that and exited with status 0. Nothing reaches a shell: PATH is run directly,
 * with no input, its errors dropped. */
static bool run_version(const char *path, char *buf, size_t size) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) < 0)
                return false;
        posix_spawn_file_actions_t fa;
        if (posix_spawn_file_actions_init(&fa) != 0) {
                close(fds[0]);
                close(fds[1]);
                return false;
        }
        pid_t pid;
        char *const argv[] = { (char *) path, (char *) "--version", NULL };
        int e = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (e == 0)
                e = posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
        if (e == 0)
                e = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        if (e == 0)
                e = posix_spawn(&pid, path, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        close(fds[1]);
        if (e != 0) {
                close(fds[0]);
                return false;
        }
        struct timespec deadline;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += VERSION_TIMEOUT_MS / 1000;
        size_t n = 0;
        bool in_time = true;
        for (;;) {
                long left = ms_left(&deadline);
                struct pollfd p = { .fd = fds[0], .events = POLLIN };
                int r = left > 0 ? poll(&p, 1, (int) left) : 0;
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0) {
                        in_time = r == 0 ? false : in_time;
                        break;
                }
                ssize_t k = read(fds[0], buf + n, size - 1 - n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0 || (n += (size_t) k) == size - 1)
                        break;
        }
        close(fds[0]);
        buf[n] = 0;
        /* it may linger after closing its output: it gets the rest of the time, then is killed */
        int status = 0;
        pid_t w;
        while ((w = waitpid(pid, &status, WNOHANG)) == 0 && in_time) {
                if (ms_left(&deadline) <= 0) {
                        in_time = false;
                        break;
                }
                nanosleep(&(struct timespec) { .tv_nsec = 10 * 1000 * 1000 }, NULL);
        }
        if (w == 0) {
                kill(pid, SIGKILL);
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                        ;
        }
        return in_time && w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* "podman version 4.3.1"; asked once a run for the binary the definitions name */
static unsigned system_podman_version(const char *path) {
        assert(path);
        static char cached_path[4096];
        static unsigned cached;
        if (cached_path[0] && streq(cached_path, path))
                return cached;
        char out[256];
        const char *v = run_version(path, out, sizeof(out)) ? strstr(out, "version ") : NULL;
        unsigned version = v ? oci_podman_version_parse(v + strlen("version ")) : 0;
        if (strlen(path) < sizeof(cached_path)) {
                strcpy(cached_path, path);
                cached = version;
        }
        return version;
}

const OciHost oci_host_system = {
        .user = system_user,
        .group = system_group,
        .has_subuid = system_has_subuid,
        .lingers = system_lingers,
        .stat = system_stat,
        .podman_version = system_podman_version,
};
