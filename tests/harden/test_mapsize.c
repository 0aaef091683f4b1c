/*
 * The store's default map (64 GiB of address space) where address space
 * is short: under `ulimit -v` — or valgrind, which cannot reserve 64 GiB —
 * opening with the default falls back to a smaller map, which then grows
 * as any map does.  A forked child limits its own address space with
 * RLIMIT_AS, so the test process keeps its own.  (Not under ASan, whose
 * shadow memory needs terabytes of address space.)
 */
#include <sys/resource.h>

#include "tests/harden/harness.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* In the child: exit codes say what failed. */
static int
child(const char *dir)
{
	struct rlimit rl = { (rlim_t)6 << 30, (rlim_t)6 << 30 };
	struct ms_store *st;
	struct ms_batch *b;
	struct ms_post_rec p = { 0 };
	char url[128];

	if (setrlimit(RLIMIT_AS, &rl))
		return 10;
	if (ms_store_open(dir, MS_STORE_CREATE, 0, &st, NULL))
		return 11;
	if (ms_store_map_size(st) > ((size_t)4 << 30))
		return 12;	/* it did not fall back: the limit is moot */
	/* Writes work, and the map grows when they need more. */
	for (int k = 0; k < 4; k++) {
		b = ms_store_batch_new(st);
		for (int i = 0; i < 20000; i++) {
			snprintf(url, sizeof(url), "https://b.example/%d/%d",
				 k, i);
			p.url = url;
			p.title = "a post of some length to fill pages up";
			p.comment_count = -1;
			p.comments_open = -1;
			ms_batch_put_post(b, &p);
		}
		if (ms_store_batch_commit(b, NULL))
			return 13;
	}
	ms_store_close(st);
	if (ms_store_open(dir, MS_STORE_RDONLY, 0, &st, NULL))
		return 14;
	ms_store_close(st);
	return 0;
}

Test(harden_store, default_map_falls_back_when_address_space_is_short)
{
	char *dir;
	pid_t pid;
	int st;

#ifdef UNDER_ASAN
	cr_skip_test("RLIMIT_AS cannot be set under ASan (its shadow memory "
		     "needs terabytes of address space)");
#endif
	dir = ms_test_tmpdir("mapsize");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(child(dir));
	st = hx_wait(pid);
	cr_expect_eq(st, 0, "child failed at step %d (10 setrlimit, 11 open, "
		     "12 no fallback, 13 commit, 14 reopen)", st);
	ms_test_rmrf(dir);
	free(dir);
}
