/*
 * alternate: whole-process wall time of several commands, run in turn (A B C A B C ...) so that every
 * command sees the same machine load; prints each command's median and minimum and its ratio to the
 * last command (the reference); long program paths are shown by their last component. posix_spawnp + waitpid, standard output to /dev/null; a command that
 * fails stops the measurement.
 * Usage: alternate RUNS -- CMD [ARGS...] -- CMD [ARGS...] [-- ...]
 * Build: Benchmarks/c/build.sh
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: %s RUNS -- CMD [ARGS...] -- CMD [ARGS...] [-- ...]\n", argv[0]);
        return 2;
    }
    int runs = atoi(argv[1]);
    if (runs < 1) { fprintf(stderr, "RUNS must be a positive number\n"); return 2; }
    char **commands[16];
    int count = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            argv[i] = NULL;
            if (i + 1 >= argc || strcmp(argv[i + 1], "--") == 0) { fprintf(stderr, "empty command\n"); return 2; }
            if (count == 16) { fprintf(stderr, "at most 16 commands\n"); return 2; }
            commands[count++] = &argv[i + 1];
        }
    }
    double *times = calloc((size_t)count * runs, sizeof *times);
    if (!times) { perror("calloc"); return 1; }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    for (int r = 0; r < runs; r++) {
        for (int c = 0; c < count; c++) {
            pid_t pid;
            double start = now_ms();
            int e = posix_spawnp(&pid, commands[c][0], &actions, NULL, commands[c], environ);
            if (e != 0) { fprintf(stderr, "cannot start %s: %s\n", commands[c][0], strerror(e)); return 1; }
            int status;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
            times[c * runs + r] = now_ms() - start;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "%s failed (status 0x%x)\n", commands[c][0], status);
                return 1;
            }
        }
    }
    double refMedian = 0, refMin = 0;
    for (int c = count - 1; c >= 0; c--) {
        double *t = &times[c * runs];
        qsort(t, runs, sizeof *t, compare);
        if (c == count - 1) { refMedian = t[runs / 2]; refMin = t[0]; }
    }
    printf("%-60s %10s %10s %8s %8s\n", "command", "median ms", "min ms", "x median", "x min");
    for (int c = 0; c < count; c++) {
        char line[61] = "";
        for (char **a = commands[c]; *a && strlen(line) < 59; a++) {
            const char *word = *a;
            if (a == commands[c] && strlen(word) > 24 && strrchr(word, '/')) word = strrchr(word, '/') + 1;
            strncat(line, word, sizeof line - strlen(line) - 1);
            strncat(line, " ", sizeof line - strlen(line) - 1);
        }
        double *t = &times[c * runs];
        printf("%-60s %10.3f %10.3f %8.2f %8.2f\n", line, t[runs / 2], t[0], t[runs / 2] / refMedian, t[0] / refMin);
    }
    return 0;
}
