/*
 * fuzz_config.c — config/json.c and config/taxonomy.c on arbitrary JSON:
 * ms_config_load_buffer() must load or refuse with an MS_ECONFIG message
 * naming the file; a loaded config's topics must be found by id and their
 * patterns (user written, compiled with the untrusted-subject limits) must
 * match the input itself as a subject without running away.
 *
 * Input: the config file's bytes.  Passed as they are (not NUL-terminated)
 * so ASan sees a read past the end.
 */
#include "fuzz/fuzz.h"
#include "config/config.h"
#include "util/err.h"

#define NAME "fuzz.json"
/* The subject handed to each topic: enough to exercise the matcher. */
#define SUBJECT_MAX 2048

int
ms_fuzz_config(const uint8_t *data, size_t size)
{
	struct ms_config *c = NULL;
	struct ms_err err = { 0 };
	const struct ms_taxonomy *t;
	const char *near[4];
	int rc;

	rc = ms_config_load_buffer(NAME, data, size, &c, &err);
	if (rc) {
		FUZZ_CHECK(rc == MS_ECONFIG, "code %d: %s", rc, err.msg);
		FUZZ_CHECK(!strncmp(err.msg, NAME ":", sizeof(NAME)),
			   "message does not name the file: '%s'", err.msg);
		FUZZ_CHECK(!c, "a config on failure");
		return 0;
	}
	t = &c->taxonomy;
	FUZZ_CHECK(t->ntopics > 0, "no topics");
	FUZZ_CHECK(c->crawl.user_agent && *c->crawl.user_agent, "no agent");
	for (size_t i = 0; i < t->ntopics; i++) {
		const struct ms_topic *tp = &t->topics[i];
		int n;

		FUZZ_CHECK(ms_taxonomy_find(t, tp->id) == tp,
			   "topic '%s' not found by its id", tp->id);
		n = ms_topic_count(t, tp, i % 2 ? "en" : NULL,
				   (const char *)data,
				   size < SUBJECT_MAX ? size : SUBJECT_MAX);
		FUZZ_CHECK(n >= -1 && n <= 1000, "count %d", n);
	}
	FUZZ_CHECK(ms_taxonomy_nearest(t, "leadershp", near, 4) <= 4, "near");
	for (size_t i = 0; i < c->nfeeds; i++)
		for (size_t j = 0; j < c->feeds[i].ntopics; j++)
			FUZZ_CHECK(ms_taxonomy_find(t, c->feeds[i].topics[j]),
				   "feed topic '%s' unknown",
				   c->feeds[i].topics[j]);
	ms_config_free(c);
	return 0;
}

MS_FUZZ_ENTRY(ms_fuzz_config)
