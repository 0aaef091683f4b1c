/*
 * defaults.c — the built-in configuration every key falls back to, the
 * template `init` writes (the same values, as JSON), and freeing a config.
 *
 * The crawl values follow RELIABILITY.md (one request in flight per host,
 * a delay, timeouts and size caps on every transfer); the weights are the
 * README's.  A test loads the template and compares it with these, so the
 * two cannot drift apart.
 */
#include "config/internal.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

void
ms_config_set_defaults(struct ms_config *c)
{
	struct ms_crawl_conf *cr = &c->crawl;
	struct ms_weights *w = &c->weights;

	cr->jobs = 32;
	cr->per_host = 1;
	cr->host_delay = 1.0;
	cr->connect_timeout = 10;
	cr->total_timeout = 60;
	cr->low_speed_limit = 100;
	cr->low_speed_time = 30;
	cr->max_body = 8u << 20;
	cr->max_robots = 500u << 10;	/* what Google reads of robots.txt */
	cr->user_agent = ms_xstrdup(MS_CONFIG_DEFAULT_UA);
	cr->allow_private = false;
	cr->host_budget = 200;
	cr->max_failures = 10;
	cr->depth = 1;
	cr->max_discovered = 500;
	cr->comment_pages = 20;
	cr->max_redirects = 5;
	cr->max_crawl_delay = 30.0;

	w->focus = 0.25;
	w->authority = 0.20;
	w->responsiveness = 0.20;
	w->audience = 0.10;
	w->activity = 0.15;
	w->reachability = 0.10;
	w->half_life_days = 90.0;
	w->recent_days = 365;

	c->meta_async = false;
}

int
ms_config_defaults(struct ms_config **out, struct ms_err *err)
{
	struct ms_config *c = ms_xcalloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	ms_config_set_defaults(c);
	rc = ms_taxonomy_build(&c->taxonomy, NULL, 0, false, err);
	if (rc) {
		ms_config_free(c);
		return rc;
	}
	*out = c;
	return MS_OK;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
ms_config_free(struct ms_config *c)
{
	if (!c)
		return;
	free(c->path);
	for (size_t i = 0; i < c->nfeeds; i++) {
		free(c->feeds[i].url);
		free_strv(c->feeds[i].topics, c->feeds[i].ntopics);
	}
	free(c->feeds);
	ms_taxonomy_release(&c->taxonomy);
	free(c->crawl.user_agent);
	free(c->me.name);
	free(c->me.blog);
	free_strv(c->me.profiles, c->me.nprofiles);
	free(c);
}

/*
 * JSON has no comments, so the template teaches by example: every main key
 * with its built-in value.  "topics" is empty because the built-in topics
 * apply anyway (`mentorscout topics` lists them); one added here would be
 * merged into them.
 */
static const char template_json[] =
	"{\n"
	"  \"feeds\": [],\n"
	"  \"topics\": [],\n"
	"  \"replace_default_topics\": false,\n"
	"  \"crawl\": {\n"
	"    \"jobs\": 32,\n"
	"    \"per_host\": 1,\n"
	"    \"host_delay\": 1.0,\n"
	"    \"connect_timeout\": 10,\n"
	"    \"total_timeout\": 60,\n"
	"    \"low_speed_limit\": 100,\n"
	"    \"low_speed_time\": 30,\n"
	"    \"max_body\": 8388608,\n"
	"    \"max_robots\": 512000,\n"
	"    \"user_agent\": \"" MS_CONFIG_DEFAULT_UA "\",\n"
	"    \"allow_private\": false,\n"
	"    \"host_budget\": 200,\n"
	"    \"max_failures\": 10,\n"
	"    \"depth\": 1,\n"
	"    \"max_discovered\": 500,\n"
	"    \"comment_pages\": 20,\n"
	"    \"max_redirects\": 5,\n"
	"    \"max_crawl_delay\": 30.0\n"
	"  },\n"
	"  \"weights\": {\n"
	"    \"focus\": 0.25,\n"
	"    \"authority\": 0.20,\n"
	"    \"responsiveness\": 0.20,\n"
	"    \"audience\": 0.10,\n"
	"    \"activity\": 0.15,\n"
	"    \"reachability\": 0.10,\n"
	"    \"half_life_days\": 90,\n"
	"    \"recent_days\": 365\n"
	"  },\n"
	"  \"me\": {\n"
	"    \"name\": \"\",\n"
	"    \"blog\": \"\",\n"
	"    \"profiles\": []\n"
	"  },\n"
	"  \"store\": {\n"
	"    \"sync\": \"full\"\n"
	"  }\n"
	"}\n";

const char *
ms_config_template(void)
{
	return template_json;
}
