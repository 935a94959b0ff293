/*
 * tap.h - a tiny TAP producer for the C unit tests.  Each t_*.c is one test
 * program; tests/run counts its "ok" / "not ok" lines with the bats ones.
 */
#ifndef OVERDUE_TAP_H
#define OVERDUE_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((int64_t)(got), (int64_t)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5), unused)) static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return pass;
}

#define TAP_VFMT(buf, fmt) do { va_list ap_; va_start(ap_, fmt); vsnprintf(buf, sizeof buf, fmt, ap_); va_end(ap_); } while (0)

__attribute__((format(printf, 5, 6), unused)) static int
tap_is_int(int64_t got, int64_t want, const char *file, int line, const char *fmt, ...)
{
	char name[512];

	TAP_VFMT(name, fmt);
	if (!tap_ok(got == want, file, line, "%s", name)) {
		printf("#   got:  %" PRId64 "\n#   want: %" PRId64 "\n", got, want);
		return 0;
	}
	return 1;
}

__attribute__((format(printf, 5, 6), unused)) static int
tap_is_str(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
{
	char name[512];
	int pass = got != NULL && want != NULL && strcmp(got, want) == 0;

	TAP_VFMT(name, fmt);
	if (!tap_ok(pass, file, line, "%s", name)) {
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)", want ? want : "(null)");
		return 0;
	}
	return 1;
}

/*
 * Run f(arg) in a child (for code that dies by design: a refused file);
 * its stderr into err (NUL-terminated), its exit status returned (-1 when
 * it did not exit).
 */
__attribute__((unused)) static int
tap_child(void (*f)(const char *), const char *arg, char *err, size_t errsz)
{
	int fd[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		printf("Bail out! pipe or fork failed\n");
		exit(1);
	}
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		f(arg);
		_exit(0);
	}
	close(fd[1]);
	while ((size_t)got < errsz - 1 && (n = read(fd[0], err + got, errsz - 1 - (size_t)got)) > 0)
		got += n;
	err[got] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

__attribute__((unused)) static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	if (fflush(stdout) != 0)
		return 1;
	return tap_failed != 0 || tap_n == 0;
}

#endif
