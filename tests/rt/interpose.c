/* SPDX-License-Identifier: ISC */
/* A preloaded interposer (LD_PRELOAD) that counts, per thread, the calls a
 * plugin's run() makes to the allocator, to mutexes and to read/write: what
 * lv2lint traps, which Debian does not ship. Outside a watched section every
 * call goes straight through. The allocator forwards to glibc's own
 * __libc_* entry points, because dlsym itself allocates; the others are looked
 * up once with dlsym(RTLD_NEXT), which may then allocate harmlessly.
 * Exported: qk_rt_watch(on) and qk_rt_count(), found by the test through
 * dlsym(RTLD_DEFAULT) so a missing preload is an error, not a silent pass. */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Thread_local int watching;
static _Thread_local unsigned long calls;

void qk_rt_watch(int on);
unsigned long qk_rt_count(void);

void
qk_rt_watch(int on)
{
	watching = on;
	if (on) {
		calls = 0;
	}
}

unsigned long
qk_rt_count(void)
{
	return calls;
}

#define SEEN() (calls += (unsigned long)watching)

void *
malloc(size_t size)
{
	SEEN();
	return __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
	SEEN();
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
	SEEN();
	return __libc_realloc(p, size);
}

void
free(void *p)
{
	SEEN();
	__libc_free(p);
}

int
posix_memalign(void **p, size_t alignment, size_t size)
{
	SEEN();
	*p = __libc_memalign(alignment, size);
	return *p ? 0 : ENOMEM;
}

/* The next definition of a symbol; a benign race if two threads ask first. */
#define NEXT(type, name, ...)                                                   \
	static type (*real)(__VA_ARGS__);                                       \
	if (!real) {                                                            \
		real = (type(*)(__VA_ARGS__))(uintptr_t)dlsym(RTLD_NEXT, name); \
	}

int
pthread_mutex_lock(pthread_mutex_t *m)
{
	SEEN();
	NEXT(int, "pthread_mutex_lock", pthread_mutex_t *)
	return real(m);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	SEEN();
	NEXT(ssize_t, "read", int, void *, size_t)
	return real(fd, buf, n);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	SEEN();
	NEXT(ssize_t, "write", int, const void *, size_t)
	return real(fd, buf, n);
}
