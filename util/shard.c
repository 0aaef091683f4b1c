/*
 * shard.c — the host → virtual shard function and the choice of this
 * run's worker index from the flag or the job engine's environment (see
 * shard.h for the definitions and the precedence).
 */
#include "util/shard.h"
#include "util/err.h"
#include "util/hash.h"
#include "util/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

unsigned
ms_shard_virtual(const char *host)
{
	char buf[256];
	size_t n = strlen(host);
	struct ms_hash h;

	if (n && host[n - 1] == '.')
		n--;
	if (n >= sizeof(buf)) {
		/* No DNS name is this long; hash it as it is, lower-cased
		 * in pieces would change nothing for such a host. */
		ms_hash128(host, n, 0, &h);
		return (unsigned)(ms_hash_u64(&h) % MS_SHARD_VIRTUAL);
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)host[i]);
	ms_hash128(buf, n, 0, &h);
	return (unsigned)(ms_hash_u64(&h) % MS_SHARD_VIRTUAL);
}

int
ms_shard_virtual_url(const char *url)
{
	char host[256];

	if (ms_url_host(url, host, sizeof(host)) || !*host)
		return -1;
	return (int)ms_shard_virtual(host);
}

bool
ms_shard_owns(const struct ms_shard *s, unsigned v)
{
	return !s || s->n <= 1 || v % s->n == s->k;
}

bool
ms_shard_owns_url(const struct ms_shard *s, const char *url)
{
	int v;

	if (!s || s->n <= 1)
		return true;
	v = ms_shard_virtual_url(url);
	return v >= 0 && ms_shard_owns(s, (unsigned)v);
}

/* A decimal number 0..max in text, nothing else. */
static int
number(const char *text, size_t len, unsigned max, unsigned *out)
{
	unsigned long v = 0;

	if (!len || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)text[i]))
			return -1;
		v = v * 10 + (unsigned long)(text[i] - '0');
	}
	if (v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
count_from(const char *var, const char *what, unsigned *n,
	   struct ms_err *err)
{
	const char *v = getenv(var);

	if (!v || !*v)
		return ms_err_set(err, MS_EUSAGE, "%s is set but %s is not: "
				  "the number of shards is unknown", what,
				  var);
	if (number(v, strlen(v), 1000000, n) || *n == 0)
		return ms_err_set(err, MS_EUSAGE, "%s='%s': not a number of "
				  "shards", var, v);
	if (*n > MS_SHARD_VIRTUAL)
		return ms_err_set(err, MS_EUSAGE, "%s=%u: at most %d shards",
				  var, *n, MS_SHARD_VIRTUAL);
	return MS_OK;
}

static int
check(struct ms_shard *s, const char *what, const char *text,
      struct ms_err *err)
{
	if (s->n == 0 || s->n > MS_SHARD_VIRTUAL)
		return ms_err_set(err, MS_EUSAGE, "%s='%s': the number of "
				  "shards must be 1..%d", what, text,
				  MS_SHARD_VIRTUAL);
	if (s->k >= s->n)
		return ms_err_set(err, MS_EUSAGE, "%s='%s': index %u out of "
				  "range for %u shards (0..%u)", what, text,
				  s->k, s->n, s->n - 1);
	s->source = what;
	return MS_OK;
}

int
ms_shard_parse(const char *text, const char *what, struct ms_shard *s,
	       struct ms_err *err)
{
	const char *slash = strchr(text, '/');
	size_t klen = slash ? (size_t)(slash - text) : strlen(text);
	int rc;

	memset(s, 0, sizeof(*s));
	if (number(text, klen, 1000000, &s->k))
		return ms_err_set(err, MS_EUSAGE, "%s='%s': not a shard "
				  "index (K/N, e.g. 3/8)", what, text);
	if (slash) {
		if (number(slash + 1, strlen(slash + 1), 1000000, &s->n))
			return ms_err_set(err, MS_EUSAGE, "%s='%s': not a "
					  "number of shards (K/N, e.g. 3/8)",
					  what, text);
	} else if ((rc = count_from("MENTORSCOUT_SHARDS", what, &s->n, err))) {
		return rc;
	}
	return check(s, what, text, err);
}

/* An engine's index variable with the count from another. */
static int
from_index(const char *var, const char *count_var, struct ms_shard *s,
	   struct ms_err *err)
{
	const char *v = getenv(var), *own = getenv("MENTORSCOUT_SHARDS"), *cv;
	int rc;

	if (number(v, strlen(v), 1000000, &s->k))
		return ms_err_set(err, MS_EUSAGE, "%s='%s': not a shard "
				  "index", var, v);
	/* An empty variable counts as unset, as for the index variables. */
	if (count_var && (!own || !*own) && (cv = getenv(count_var)) && *cv)
		rc = count_from(count_var, var, &s->n, err);
	else
		rc = count_from("MENTORSCOUT_SHARDS", var, &s->n, err);
	if (rc)
		return rc;
	return check(s, var, v, err);
}

int
ms_shard_select(const char *flag, struct ms_shard *s, struct ms_err *err)
{
	const char *v;

	memset(s, 0, sizeof(*s));
	if (flag)
		return ms_shard_parse(flag, "--shard", s, err);
	if ((v = getenv("MENTORSCOUT_SHARD")) && *v)
		return ms_shard_parse(v, "MENTORSCOUT_SHARD", s, err);
	if ((v = getenv("JOB_COMPLETION_INDEX")) && *v)
		return from_index("JOB_COMPLETION_INDEX", NULL, s, err);
	if ((v = getenv("SLURM_ARRAY_TASK_ID")) && *v)
		return from_index("SLURM_ARRAY_TASK_ID",
				  "SLURM_ARRAY_TASK_COUNT", s, err);
	return MS_OK;
}
