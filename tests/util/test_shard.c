/*
 * Shards (util/shard.h, RELIABILITY.md R-SC-1..3): the host → virtual
 * shard function against golden vectors, the exact partition of hosts
 * among workers, and where a run's index comes from (flag, then
 * MENTORSCOUT_SHARD, JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID) with the
 * errors naming the variable.
 *
 * The golden vectors were computed with an independent Python
 * implementation of MurmurHash3 x64_128 (checked against the reference
 * value of "hello": cbd8a7b341bd9b02 5b1e906a48ae1d19), not with this
 * code: h1 is the first 64 bits, the shard h1 mod 64.  They must never
 * change: a changed value moves hosts between shard stores.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/hash.h"
#include "util/shard.h"

static const struct {
	const char *host;
	unsigned long long h1;
	unsigned shard;
} golden[] = {
	{ "example.com", 0x490c5c28a496c5d1ULL, 17u },
	{ "blog.example.org", 0x55e248e565c950e3ULL, 35u },
	{ "medium.com", 0x76b3fc9ce0520355ULL, 21u },
	{ "feeds.feedburner.com", 0x8585ea9de3ca8769ULL, 41u },
	{ "www.blogger.com", 0x33fdae6323de8a70ULL, 48u },
	{ "xn--bcher-kva.de", 0xa40e3e7de7e53a17ULL, 23u },
	{ "a", 0x85555565f6597889ULL, 9u },
	{ "hr-blog-03.localhost", 0xeb0704d98f7eb8fcULL, 60u },
	{ "localhost", 0x2e2a582cec91ea17ULL, 23u },
	{ "127.0.0.1", 0x4e9559181facb114ULL, 20u },
};

Test(util_shard, golden_vectors_R_SC_1)
{
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		struct ms_hash h;

		ms_hash_str(golden[i].host, &h);
		cr_assert_eq(ms_hash_u64(&h), golden[i].h1,
			     "%s: hash %016llx, golden %016llx",
			     golden[i].host,
			     (unsigned long long)ms_hash_u64(&h),
			     golden[i].h1);
		cr_assert_eq(ms_shard_virtual(golden[i].host),
			     golden[i].shard, "%s: shard %u, golden %u",
			     golden[i].host,
			     ms_shard_virtual(golden[i].host),
			     golden[i].shard);
	}
}

Test(util_shard, host_case_trailing_dot_and_url_form_agree)
{
	unsigned v = ms_shard_virtual("example.com");

	cr_assert_eq(ms_shard_virtual("EXAMPLE.com"), v);
	cr_assert_eq(ms_shard_virtual("example.com."), v);
	/* The port and the path do not matter: one name, one shard. */
	cr_assert_eq(ms_shard_virtual_url("https://Example.com/feed/"),
		     (int)v);
	cr_assert_eq(ms_shard_virtual_url("http://example.com:8080/a?b"),
		     (int)v);
	cr_assert_eq(ms_shard_virtual_url("not a url"), -1);
}

/* R-SC-3: 10,000 synthetic hosts, every N in 1..64: each host is owned by
 * exactly one worker, and every worker of N ≤ 64 owns some hosts. */
Test(util_shard, workers_partition_hosts_exactly_R_SC_3)
{
	enum { HOSTS = 10000 };
	static unsigned vs[HOSTS];
	char host[64];

	for (int i = 0; i < HOSTS; i++) {
		snprintf(host, sizeof(host), "blog-%05d.example%d.net", i,
			 i % 7);
		vs[i] = ms_shard_virtual(host);
		cr_assert_lt(vs[i], MS_SHARD_VIRTUAL);
	}
	for (unsigned n = 1; n <= MS_SHARD_VIRTUAL; n++) {
		unsigned per[MS_SHARD_VIRTUAL] = { 0 };

		for (int i = 0; i < HOSTS; i++) {
			unsigned owners = 0;

			for (unsigned k = 0; k < n; k++) {
				struct ms_shard s = { k, n, NULL };

				if (ms_shard_owns(&s, vs[i])) {
					owners++;
					per[k]++;
				}
			}
			cr_assert_eq(owners, 1, "N=%u: host %d has %u owners",
				     n, i, owners);
		}
		for (unsigned k = 0; k < n; k++)
			cr_assert_gt(per[k], 0, "N=%u: worker %u owns no host",
				     n, k);
	}
}

/* The hash spreads hosts: with 10,000 hosts no virtual shard holds more
 * than twice its fair share (156). */
Test(util_shard, virtual_shards_are_balanced)
{
	unsigned count[MS_SHARD_VIRTUAL] = { 0 };
	char host[64];

	for (int i = 0; i < 10000; i++) {
		snprintf(host, sizeof(host), "host%d.localhost", i);
		count[ms_shard_virtual(host)]++;
	}
	for (unsigned v = 0; v < MS_SHARD_VIRTUAL; v++)
		cr_assert(count[v] > 78 && count[v] < 312,
			  "virtual shard %u holds %u of 10000", v, count[v]);
}

Test(util_shard, unsharded_owns_everything)
{
	struct ms_shard none = { 0, 0, NULL };

	cr_assert(ms_shard_owns(NULL, 5));
	cr_assert(ms_shard_owns(&none, 63));
	cr_assert(ms_shard_owns_url(&none, "http://example.com/"));
	cr_assert(ms_shard_owns_url(NULL, "http://example.com/"));
}

/* ---------------------------------------------------- parse and select */

static void
clear_env(void)
{
	unsetenv("MENTORSCOUT_SHARD");
	unsetenv("MENTORSCOUT_SHARDS");
	unsetenv("JOB_COMPLETION_INDEX");
	unsetenv("SLURM_ARRAY_TASK_ID");
	unsetenv("SLURM_ARRAY_TASK_COUNT");
}

Test(util_shard, parse_k_of_n)
{
	struct ms_shard s;
	struct ms_err err = { 0 };

	clear_env();
	cr_assert_eq(ms_shard_parse("3/8", "--shard", &s, &err), MS_OK, "%s",
		     err.msg);
	cr_assert_eq(s.k, 3);
	cr_assert_eq(s.n, 8);
	cr_assert_str_eq(s.source, "--shard");
	cr_assert_eq(ms_shard_parse("0/1", "--shard", &s, &err), MS_OK);
	cr_assert_eq(ms_shard_parse("63/64", "--shard", &s, &err), MS_OK);
}

Test(util_shard, parse_errors_name_the_input)
{
	static const char *bad[] = { "8/8", "9/8", "-1/8", "a/8", "3/",
				     "/8", "3/0", "3/65", "3/8x", "", "3 /8" };
	struct ms_shard s;

	clear_env();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ms_err err = { 0 };

		cr_assert_eq(ms_shard_parse(bad[i], "--shard", &s, &err),
			     MS_EUSAGE, "'%s' accepted", bad[i]);
		cr_assert(strstr(err.msg, "--shard"), "%s", err.msg);
	}
}

Test(util_shard, index_alone_takes_the_count_from_MENTORSCOUT_SHARDS)
{
	struct ms_shard s;
	struct ms_err err = { 0 };

	clear_env();
	cr_assert_eq(ms_shard_select("2", &s, &err), MS_EUSAGE);
	cr_assert(strstr(err.msg, "MENTORSCOUT_SHARDS"), "%s", err.msg);
	setenv("MENTORSCOUT_SHARDS", "4", 1);
	cr_assert_eq(ms_shard_select("2", &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.k, 2);
	cr_assert_eq(s.n, 4);
}

Test(util_shard, no_flag_no_environment_is_unsharded)
{
	struct ms_shard s;
	struct ms_err err = { 0 };

	clear_env();
	setenv("MENTORSCOUT_SHARDS", "8", 1);	/* a count alone: no index */
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.n, 0);
	cr_assert_null(s.source);
}

/* R-SC-2: JOB_COMPLETION_INDEX=3 with MENTORSCOUT_SHARDS=8 → 3/8. */
Test(util_shard, kubernetes_index_R_SC_2)
{
	struct ms_shard s;
	struct ms_err err = { 0 };

	clear_env();
	setenv("JOB_COMPLETION_INDEX", "3", 1);
	setenv("MENTORSCOUT_SHARDS", "8", 1);
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.k, 3);
	cr_assert_eq(s.n, 8);
	cr_assert_str_eq(s.source, "JOB_COMPLETION_INDEX");
	/* An Indexed Job does not export its count: it must be given. */
	unsetenv("MENTORSCOUT_SHARDS");
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_EUSAGE);
	cr_assert(strstr(err.msg, "JOB_COMPLETION_INDEX") &&
		  strstr(err.msg, "MENTORSCOUT_SHARDS"), "%s", err.msg);
}

/* R-SC-2: SLURM_ARRAY_TASK_ID=9 with a count of 8 is out of range, and
 * the message names SLURM_ARRAY_TASK_ID. */
Test(util_shard, slurm_index_out_of_range_names_the_variable_R_SC_2)
{
	struct ms_shard s;
	struct ms_err err = { 0 };

	clear_env();
	setenv("SLURM_ARRAY_TASK_ID", "9", 1);
	setenv("SLURM_ARRAY_TASK_COUNT", "8", 1);
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_EUSAGE);
	cr_assert(strstr(err.msg, "SLURM_ARRAY_TASK_ID"), "%s", err.msg);
	cr_assert(strstr(err.msg, "out of range"), "%s", err.msg);
	setenv("SLURM_ARRAY_TASK_ID", "7", 1);
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.k, 7);
	cr_assert_eq(s.n, 8);
	cr_assert_str_eq(s.source, "SLURM_ARRAY_TASK_ID");
	/* An empty MENTORSCOUT_SHARDS counts as unset. */
	setenv("MENTORSCOUT_SHARDS", "", 1);
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.n, 8);
	/* MENTORSCOUT_SHARDS, when set, is the count (a sparse array). */
	setenv("MENTORSCOUT_SHARDS", "16", 1);
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.n, 16);
	setenv("SLURM_ARRAY_TASK_ID", "x", 1);
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_EUSAGE);
	cr_assert(strstr(err.msg, "SLURM_ARRAY_TASK_ID='x'"), "%s", err.msg);
}

/* R-SC-2: the flag wins over every variable, and MENTORSCOUT_SHARD over
 * the engines' variables; Kubernetes over Slurm. */
Test(util_shard, precedence_flag_then_env_R_SC_2)
{
	struct ms_shard s;
	struct ms_err err = { 0 };

	clear_env();
	setenv("MENTORSCOUT_SHARD", "1/4", 1);
	setenv("JOB_COMPLETION_INDEX", "3", 1);
	setenv("SLURM_ARRAY_TASK_ID", "9", 1);
	setenv("SLURM_ARRAY_TASK_COUNT", "8", 1);
	setenv("MENTORSCOUT_SHARDS", "8", 1);
	cr_assert_eq(ms_shard_select("5/6", &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.k, 5);
	cr_assert_eq(s.n, 6);
	cr_assert_str_eq(s.source, "--shard");
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.k, 1);
	cr_assert_eq(s.n, 4);
	cr_assert_str_eq(s.source, "MENTORSCOUT_SHARD");
	unsetenv("MENTORSCOUT_SHARD");
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_OK, "%s", err.msg);
	cr_assert_eq(s.k, 3);
	cr_assert_str_eq(s.source, "JOB_COMPLETION_INDEX");
	unsetenv("JOB_COMPLETION_INDEX");
	cr_assert_eq(ms_shard_select(NULL, &s, &err), MS_EUSAGE);
	cr_assert(strstr(err.msg, "SLURM_ARRAY_TASK_ID"), "%s", err.msg);
	/* A bad flag is an error even when the environment is fine. */
	cr_assert_eq(ms_shard_select("8/8", &s, &err), MS_EUSAGE);
	cr_assert(strstr(err.msg, "--shard"), "%s", err.msg);
}
