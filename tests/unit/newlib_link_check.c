// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time check, never run: a domain-style program (ATOLL_DOMAIN_FLAGS)
 * that uses printf with a float, malloc, strlen and sqrt links against
 * newlib's libc.a and libm.a. The system calls newlib expects from the
 * program are stubs here; the real ones belong to the domain runtime. If
 * newlib ever needs another one, this link fails and names it.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void __libc_init_array(void);
void _start(void);
void _init(void);
void _fini(void);
int kill(pid_t pid, int sig);

/* A tiny heap so that the stubs look like what the runtime will do. */
static char heap[64 * 1024];
static size_t heap_used;

void *sbrk(ptrdiff_t increment)
{
	if (increment < 0 || (size_t)increment > sizeof(heap) - heap_used) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_used += increment;
	return heap + heap_used - increment;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t count)
{
	return count;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t count)
{
	return 0;
}

int close(int fd)
{
	errno = EBADF;
	return -1;
}

int fstat(int fd, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR;
	return 0;
}

int isatty(int fd)
{
	return 1;
}

off_t lseek(int fd, off_t offset, int whence)
{
	errno = ESPIPE;
	return -1;
}

int kill(pid_t pid, int sig)
{
	errno = ENOSYS;
	return -1;
}

pid_t getpid(void)
{
	return 1;
}

void _exit(int status)
{
	for (;;)
		;
}

void _init(void)
{
}

void _fini(void)
{
}

int main(void)
{
	const char *name = "newlib";
	char *copy = malloc(strlen(name) + 1);

	if (!copy)
		return 1;
	strcpy(copy, name);
	printf("%s: sqrt(2) = %.6f\n", copy, sqrt(2.0));
	free(copy);
	return 0;
}

void _start(void)
{
	__libc_init_array();
	exit(main());
}
