// SPDX-License-Identifier: GPL-2.0-only
/*
 * newlib's system layer: the calls libc.a leaves to the platform.
 * Console for stdout/stderr, the heap for sbrk, Xen system time for the
 * clocks, shutdown for _exit. There are no files: every other descriptor
 * is EBADF.
 *
 * _exit(0) powers the domain off; any other status is a crash, so that a
 * manifest's restart = "on-crash" applies to a failed service. The status
 * is printed first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include <atoll/layout.h>
#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <xen/sched.h>

extern char _end[];
static uintptr_t heap_start, heap_brk, heap_limit;

void rt_heap_init(uintptr_t stack_top)
{
	heap_start = heap_brk =
	    ((uintptr_t)_end + ATOLL_PAGE_SIZE - 1) & ~(ATOLL_PAGE_SIZE - 1);
	heap_limit = (stack_top & ~(ATOLL_PAGE_SIZE - 1)) - RT_MAIN_STACK_SIZE;
	if (heap_limit < heap_start)
		heap_limit = heap_start;
}

void rt_heap_info(struct rt_heap_info *info)
{
	info->start = heap_start;
	info->brk = heap_brk;
	info->limit = heap_limit;
}

void *sbrk(ptrdiff_t increment)
{
	uintptr_t old = heap_brk;

	if (increment > 0 ? (uintptr_t)increment > heap_limit - heap_brk
			  : (uintptr_t)-increment > heap_brk - heap_start) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_brk += increment;
	return (void *)old;
}

void rt_console_write(const char *s, size_t len)
{
	while (len) {
		long n = hc_console_write(s, len);

		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t count)
{
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
		errno = EBADF;
		return -1;
	}
	rt_console_write(buf, count);
	return count;
}

/* No console input yet (it arrives with the console ring): end of file. */
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t count)
{
	if (fd != STDIN_FILENO) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

int close(int fd)
{
	errno = EBADF;
	return -1;
}

int fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > STDERR_FILENO) {
		errno = EBADF;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR;
	return 0;
}

int isatty(int fd)
{
	return fd >= 0 && fd <= STDERR_FILENO;
}

off_t lseek(int fd, off_t offset, int whence)
{
	errno = ESPIPE;
	return -1;
}

pid_t getpid(void)
{
	return 1;
}

static __attribute__((noreturn)) void shutdown(unsigned reason)
{
	struct sched_shutdown s = {.reason = reason};

	for (;;)
		hc_sched_op(SCHEDOP_shutdown, &s);
}

void _exit(int status)
{
	if (status != 0) {
		char msg[48];
		int n = snprintf(msg, sizeof(msg), "exit status %d\n", status);

		rt_console_write(msg, (size_t)n);
	}
	shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

/* abort() and raise() end here: there is only this one process. */
int kill(pid_t pid, int sig)
{
	if (pid != getpid()) {
		errno = ESRCH;
		return -1;
	}
	_exit(128 + sig);
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	uint64_t ns;

	if (clock == CLOCK_MONOTONIC) {
		ns = rt_now_ns();
	} else if (clock == CLOCK_REALTIME) {
		/* The wall clock at boot (0 until the core reads an RTC),
		 * plus system time. */
		ns = (uint64_t)rt_shared->wc_sec * 1000000000ULL +
		     rt_shared->wc_nsec + rt_now_ns();
	} else {
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

clock_t times(struct tms *buf)
{
	clock_t t = (clock_t)(rt_now_ns() / (1000000000ULL / CLOCKS_PER_SEC));

	if (buf)
		*buf = (struct tms){.tms_utime = t};
	return t;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req->tv_sec < 0 || req->tv_nsec < 0 ||
	    req->tv_nsec >= 1000000000L) {
		errno = EINVAL;
		return -1;
	}
	rt_sleep_ns((uint64_t)req->tv_sec * 1000000000ULL + req->tv_nsec);
	if (rem)
		*rem = (struct timespec){0};
	return 0;
}

unsigned sleep(unsigned seconds)
{
	rt_sleep_ns(seconds * 1000000000ULL);
	return 0;
}

int usleep(useconds_t us)
{
	rt_sleep_ns(us * 1000ULL);
	return 0;
}

/* Constructors run through __libc_init_array; nothing else to do here. */
void _init(void)
{
}

void _fini(void)
{
}
