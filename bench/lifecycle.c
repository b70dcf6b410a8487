/*
 * One container lifecycle, timed. Two modes:
 *
 *   lifecycle split RUNTIME ROOT BUNDLE ID PIDFILE
 *       RUNTIME create, start, wait for the container's process to exit, delete;
 *       prints "create start wait delete total" in milliseconds.
 *   lifecycle run RUNTIME ROOT BUNDLE ID PIDFILE
 *       RUNTIME run (create, start, wait and delete in one command, as runc and
 *       crun do in the foreground); prints the total in milliseconds.
 *
 * The helper makes itself a child subreaper, as conmon and containerd-shim do, so the
 * container's init (orphaned when `create` exits) is reparented to it and the wait
 * is a plain waitpid: no polling of `state`, which would add runtime invocations
 * (and their start-up cost) to the measurement. Every runtime is driven the same way.
 * A failed command makes it `delete --force` the container and exit 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *runtime, *root;
static pid_t init_pid;   /* the container's process, once known */
static int init_reaped; /* it may exit (and be reaped) while `start` still runs */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Runs RUNTIME --root ROOT args..., reaping any orphan that exits meanwhile. */
static int run(char *const args[])
{
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)runtime;
    argv[n++] = "--root";
    argv[n++] = (char *)root;
    for (int i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    pid_t pid = fork();
    if (pid < 0) {
        perror("lifecycle: fork");
        return -1;
    }
    if (pid == 0) {
        execv(runtime, argv);
        perror("lifecycle: exec runtime");
        _exit(127);
    }
    for (;;) {
        int status;
        pid_t got = waitpid(-1, &status, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            perror("lifecycle: waitpid");
            return -1;
        }
        if (got == init_pid && init_pid > 0)
            init_reaped = 1;
        if (got == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}

static void fail(const char *what, const char *id)
{
    fprintf(stderr, "lifecycle: %s `%s` failed\n", what, id);
    char *const del[] = {"delete", "--force", (char *)id, NULL};
    run(del);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 7 || (strcmp(argv[1], "split") != 0 && strcmp(argv[1], "run") != 0)) {
        fprintf(stderr, "usage: lifecycle split|run RUNTIME ROOT BUNDLE ID PIDFILE\n");
        return 2;
    }
    runtime = argv[2];
    root = argv[3];
    char *bundle = argv[4], *id = argv[5], *pidfile = argv[6];
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        perror("lifecycle: PR_SET_CHILD_SUBREAPER");
        return 1;
    }

    double t0 = now_ms();
    if (strcmp(argv[1], "run") == 0) {
        char *const runargs[] = {"run", "--bundle", bundle, id, NULL};
        if (run(runargs) != 0)
            fail("run", id);
        printf("%.3f\n", now_ms() - t0);
        return 0;
    }
    char *const create[] = {"create", "--bundle", bundle, "--pid-file", pidfile, id, NULL};
    if (run(create) != 0)
        fail("create", id);
    double t1 = now_ms();

    FILE *f = fopen(pidfile, "r");
    if (!f || fscanf(f, "%d", &init_pid) != 1 || init_pid <= 0)
        fail("read pid file of", id);
    fclose(f);

    char *const start[] = {"start", id, NULL};
    if (run(start) != 0)
        fail("start", id);
    double t2 = now_ms();

    /* The init is our child now (subreaper); reap until it is gone. */
    while (!init_reaped) {
        int status;
        pid_t got = waitpid(-1, &status, 0);
        if (got == init_pid)
            break;
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            fail("wait for", id); /* ECHILD: not reparented to us */
    }
    double t3 = now_ms();

    char *const del[] = {"delete", id, NULL};
    if (run(del) != 0)
        fail("delete", id);
    double t4 = now_ms();
    unlink(pidfile);

    printf("%.3f %.3f %.3f %.3f %.3f\n", t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0);
    return 0;
}
