/*
 * cmd_explain.c — `mentorscout explain PERSON`: why a person ranks where
 * they do.  The score breakdown of every topic they have a score in (the
 * report module's detailed text: signals, evidence counts, steps, notes),
 * then the evidence itself, listed here: their posts, the comments they
 * left on other blogs, their replies on their own, and who links to and
 * from them.  --json gives all of it as one object.
 */
#include "cli/cli.h"
#include "config/config.h"
#include "ranker/ranker.h"
#include "report/report.h"
#include "store/store.h"
#include "util/err.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_LIMIT 1000
#define TITLE_COLS 60

static int
term_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static void
fmt_time(int64_t t, int full, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == MS_TIME_NONE || !gmtime_r(&tt, &tm))
		snprintf(out, n, full ? "" : "----------");
	else
		strftime(out, n, full ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d",
			 &tm);
}

/* Length of the UTF-8 sequence at s, 0 when it is not valid UTF-8. */
static size_t
utf8_len(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * A feed-derived string made safe for a terminal: control characters
 * (C0, DEL, C1), bidirectional overrides and invalid UTF-8 become '?', so
 * no title can carry an escape sequence; at most max characters (0: all).
 */
static void
put_clean(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	while (p && *p) {
		uint32_t c;
		size_t n = utf8_len(p, &c);

		if (max && chars == max) {
			fputs("...", f);
			return;
		}
		if (!n || c < 0x20 || (c >= 0x7f && c < 0xa0) ||
		    (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069)) {
			fputc('?', f);
			p += n ? n : 1;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
		chars++;
	}
}

static void
section(const char *title, size_t shown, size_t total)
{
	printf("\n%s: %zu", title, total);
	if (shown < total)
		printf(" (newest %zu shown)", shown);
	putchar('\n');
}

static void
print_evidence(const struct ms_person_evidence *e)
{
	char when[32];

	printf("\nevidence for ");
	put_clean(stdout, e->name ? e->name : e->ident, 0);
	printf(" (");
	put_clean(stdout, e->ident, 0);
	printf("), id %s\n", e->person);
	if (e->naliases) {
		printf("also known as:");
		for (size_t i = 0; i < e->naliases; i++) {
			printf("%s ", i ? "," : "");
			put_clean(stdout, e->aliases[i], 0);
		}
		putchar('\n');
	}
	section("posts", e->nposts, e->total_posts);
	for (size_t i = 0; i < e->nposts; i++) {
		const struct ms_evidence_item *it = &e->posts[i];

		fmt_time(it->when, 0, when, sizeof(when));
		printf("  %s  ", when);
		put_clean(stdout, it->title ? it->title : "(untitled)",
			  TITLE_COLS);
		printf("  ");
		put_clean(stdout, it->url, 0);
		if (it->count >= 0 || it->open >= 0) {
			printf("  [");
			if (it->count >= 0)
				printf("%lld comment%s%s", (long long)it->count,
				       it->count == 1 ? "" : "s",
				       it->open >= 0 ? ", " : "");
			if (it->open >= 0)
				printf("%s", it->open ? "open" : "closed");
			putchar(']');
		}
		putchar('\n');
	}
	section("comments on other blogs", e->ncomments, e->total_comments);
	for (size_t i = 0; i < e->ncomments; i++) {
		const struct ms_evidence_item *it = &e->comments[i];

		fmt_time(it->when, 0, when, sizeof(when));
		printf("  %s  on \"", when);
		put_clean(stdout, it->title ? it->title : "a post",
			  TITLE_COLS);
		printf("\"");
		if (it->who) {
			printf(" by ");
			put_clean(stdout, it->who, 0);
		}
		printf("  ");
		put_clean(stdout, it->url, 0);
		putchar('\n');
	}
	section("replies on their own posts", e->nreplies, e->total_replies);
	for (size_t i = 0; i < e->nreplies; i++) {
		const struct ms_evidence_item *it = &e->replies[i];

		fmt_time(it->when, 0, when, sizeof(when));
		printf("  %s  ", when);
		if (it->who) {
			printf("to ");
			put_clean(stdout, it->who, 0);
			printf("  ");
		}
		put_clean(stdout, it->url, 0);
		putchar('\n');
	}
	section("people who link to, comment on or answer them", e->nlinks_in,
		e->total_links_in);
	for (size_t i = 0; i < e->nlinks_in; i++) {
		const struct ms_evidence_item *it = &e->links_in[i];

		fmt_time(it->when, 0, when, sizeof(when));
		printf("  ");
		put_clean(stdout, it->who ? it->who : "(unknown)", 0);
		printf(": %s (%lld, last %s)\n", it->kind,
		       (long long)it->count, when);
	}
	section("people they link to, comment on or answer", e->nlinks_out,
		e->total_links_out);
	for (size_t i = 0; i < e->nlinks_out; i++) {
		const struct ms_evidence_item *it = &e->links_out[i];

		fmt_time(it->when, 0, when, sizeof(when));
		printf("  ");
		put_clean(stdout, it->who ? it->who : "(unknown)", 0);
		printf(": %s (%lld, last %s)\n", it->kind,
		       (long long)it->count, when);
	}
}

/* A JSON string, or NULL for NULL; invalid UTF-8 has its bad bytes
 * replaced, since jansson refuses it. */
static json_t *
jstr(const char *s)
{
	json_t *j;
	char *copy;

	if (!s)
		return NULL;
	if ((j = json_string(s)))
		return j;
	copy = ms_xstrdup(s);
	for (unsigned char *p = (unsigned char *)copy; *p;) {
		uint32_t c;
		size_t n = utf8_len(p, &c);

		if (!n)
			*p++ = '?';
		else
			p += n;
	}
	j = json_string(copy);
	free(copy);
	return j;
}

static void
set(json_t *o, const char *k, json_t *v)
{
	if (v)
		json_object_set_new(o, k, v);
}

static json_t *
jtime(int64_t t)
{
	char buf[32];

	if (t == MS_TIME_NONE)
		return NULL;
	fmt_time(t, 1, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
items(const struct ms_evidence_item *v, size_t n, size_t total, int posts)
{
	json_t *o = json_object(), *arr = json_array();

	json_object_set_new(o, "total", json_integer((json_int_t)total));
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_object();

		set(it, "url", jstr(v[i].url));
		set(it, "title", jstr(v[i].title));
		set(it, "who", jstr(v[i].who));
		set(it, "kind", jstr(v[i].kind));
		set(it, posts ? "published" : "when", jtime(v[i].when));
		if (v[i].count >= 0)
			set(it, posts ? "comments" : "count",
			    json_integer(v[i].count));
		if (posts && v[i].open >= 0)
			set(it, "comments_open", json_boolean(v[i].open));
		if (posts && v[i].topics) {
			json_t *t = json_array();
			const char *cur = v[i].topics, *x;
			size_t len;

			while ((x = ms_strlist_next(&cur, &len))) {
				char *one = ms_xstrndup(x, len);

				json_array_append_new(t, jstr(one));
				free(one);
			}
			set(it, "topics", t);
		}
		json_array_append_new(arr, it);
	}
	json_object_set_new(o, "items", arr);
	return o;
}

static json_t *
score_obj(const struct ms_candidate *c, const char *label)
{
	json_t *o = json_object(), *sig = json_object(), *ev = json_object();
	json_t *steps = json_array(), *notes = json_array();

	set(o, "topic", jstr(c->topic));
	set(o, "label", jstr(label));
	json_object_set_new(o, "rank", json_integer(c->rank));
	json_object_set_new(o, "score", json_real(c->score));
	for (int i = 0; i < MS_SIGNALS; i++)
		json_object_set_new(sig, ms_signal_names[i],
				    json_real(c->signals[i]));
	for (int i = 0; i < MS_EVIDENCE; i++)
		if (c->evidence[i] >= 0)
			json_object_set_new(ev, ms_evidence_names[i],
					    json_integer(c->evidence[i]));
	json_object_set_new(o, "signals", sig);
	json_object_set_new(o, "evidence", ev);
	if (c->stage != MS_STAGE_NONE)
		set(o, "stage", json_string(ms_stage_names[c->stage]));
	if (c->role != MS_ROLE_NONE) {
		set(o, "role", json_string(ms_role_names[c->role]));
		set(o, "role_why", jstr(c->role_why));
	}
	set(o, "lang", jstr(c->lang));
	for (size_t i = 0; i < c->nsteps; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "action", json_string(
				    ms_step_names[c->steps[i].action]));
		set(s, "url", jstr(c->steps[i].url));
		set(s, "title", jstr(c->steps[i].title));
		set(s, "why", jstr(c->steps[i].why));
		json_array_append_new(steps, s);
	}
	for (size_t i = 0; i < c->nnotes; i++)
		json_array_append_new(notes, jstr(c->notes[i]));
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "notes", notes);
	return o;
}

static const char *
topic_label(const struct ms_config *cfg, const char *id)
{
	const struct ms_topic *t;

	if (!id || !strcmp(id, MS_RANK_OVERALL))
		return "overall (every post)";
	t = ms_taxonomy_find(&cfg->taxonomy, id);
	return t && t->label ? t->label : id;
}

static int
write_json(const struct ms_config *cfg, const struct ms_view *v,
	   const struct ms_person_evidence *e)
{
	json_t *root = json_object(), *aliases = json_array();
	json_t *scores = json_array(), *ev = json_object();
	int rc;

	json_object_set_new(root, "person", json_string(e->person));
	set(root, "ident", jstr(e->ident));
	set(root, "name", jstr(e->name));
	set(root, "site", jstr(e->site));
	set(root, "feed", jstr(e->feed));
	for (size_t i = 0; i < e->naliases; i++)
		json_array_append_new(aliases, jstr(e->aliases[i]));
	json_object_set_new(root, "aliases", aliases);
	set(root, "generated", jtime(v->generated));
	for (size_t i = 0; i < v->ncands; i++)
		json_array_append_new(scores, score_obj(&v->cands[i],
					topic_label(cfg, v->cands[i].topic)));
	json_object_set_new(root, "scores", scores);
	json_object_set_new(ev, "posts", items(e->posts, e->nposts,
					       e->total_posts, 1));
	json_object_set_new(ev, "comments", items(e->comments, e->ncomments,
						  e->total_comments, 0));
	json_object_set_new(ev, "replies", items(e->replies, e->nreplies,
						 e->total_replies, 0));
	json_object_set_new(ev, "links_in", items(e->links_in, e->nlinks_in,
						  e->total_links_in, 0));
	json_object_set_new(ev, "links_out", items(e->links_out,
						   e->nlinks_out,
						   e->total_links_out, 0));
	json_object_set_new(root, "evidence", ev);
	rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	json_decref(root);
	if (rc || putchar('\n') == EOF)
		return ms_cli_error("cannot write to standard output: %s",
				    strerror(errno ? errno : EIO));
	return EXIT_OK;
}

/* The breakdown per topic: one single-candidate view each, so the
 * report's text prints every topic under its own heading. */
static int
write_text(const struct ms_config *cfg, struct ms_view *v,
	   const struct ms_person_evidence *e)
{
	struct ms_view *views = ms_xcalloc(v->ncands ? v->ncands : 1,
					   sizeof(*views));
	struct ms_view **ptrs = ms_xcalloc(v->ncands ? v->ncands : 1,
					   sizeof(*ptrs));
	struct ms_report_opts ro = { 0 };
	int status = EXIT_OK;

	for (size_t i = 0; i < v->ncands; i++) {
		views[i].topic = v->cands[i].topic;
		views[i].topic_label = topic_label(cfg, v->cands[i].topic);
		views[i].generated = v->generated;
		views[i].cands = &v->cands[i];
		views[i].ncands = 1;
		ptrs[i] = &views[i];
	}
	ro.width = term_width();
	ro.detail = 1;
	errno = 0;
	if (!v->ncands) {
		printf("no score for ");
		put_clean(stdout, v->topic_label, 0);
		printf(": they have no posts in the store%s\n",
		       v->generated == MS_TIME_NONE ?
			       ", or no ranking was computed yet" : "");
	} else if (ms_report_write(stdout, MS_FMT_TEXT, ptrs, v->ncands,
				   &ro)) {
		status = ms_cli_error("cannot write to standard output: %s",
				      strerror(errno ? errno : EIO));
	}
	if (status == EXIT_OK)
		print_evidence(e);
	free(views);
	free(ptrs);
	return status;
}

static int
cmd_explain(int argc, char **argv, struct ms_ctx *ctx)
{
	static const struct option opts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_view_opts vo = { 0 };
	struct ms_view *v = NULL;
	struct ms_person_evidence *e = NULL;
	struct ms_err err = { 0 };
	size_t limit = 10;
	int c, json = 0, rc, status;
	unsigned long ul;
	char *end;

	opterr = 0;
	/* options may follow PERSON (GNU getopt permutes) */
	while ((c = getopt_long(argc, argv, ":t:jn:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			vo.topic = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'n':
			errno = 0;
			ul = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-' ||
			    ul < 1 || ul > MAX_LIMIT)
				return ms_cli_usage("explain", "explain: "
						    "--limit '%s': expected a "
						    "number from 1 to %d",
						    optarg, MAX_LIMIT);
			limit = ul;
			break;
		case ':':
			return ms_cli_usage("explain", "explain: option '%s' "
					    "needs an argument",
					    argv[optind - 1]);
		default:
			return ms_cli_usage("explain", "explain: unknown "
					    "option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return ms_cli_usage("explain", "explain: which person? give an "
				    "id, a name or a site");
	if (optind + 1 < argc)
		return ms_cli_usage("explain", "explain: unexpected argument "
				    "'%s' (quote a name with spaces)",
				    argv[optind + 1]);
	if (ctx->parse_only)
		return EXIT_OK;
	vo.person = argv[optind];
	rc = ms_rank_view(ctx->st, ctx->cfg, &vo, &v, &err);
	if (rc == MS_OK)
		rc = ms_rank_evidence(ctx->st, ctx->cfg, vo.person, limit, &e,
				      &err);
	if (rc == MS_ENOTFOUND || rc == MS_EUSAGE)
		status = ms_cli_usage("explain", "explain: %s", err.msg);
	else if (rc)
		status = ms_cli_error("explain: %s", err.msg);
	else if (json)
		status = write_json(ctx->cfg, v, e);
	else
		status = write_text(ctx->cfg, v, e);
	ms_view_free(v);
	ms_person_evidence_free(e);
	return status;
}

const struct ms_cmd cmd_explain_entry = {
	"explain", cmd_explain, NEED_CONFIG | STORE_RDONLY,
	"score breakdown and evidence for one person",
	"usage: mentorscout explain PERSON [--topic T] [--json] [--limit N]\n"
	"\n"
	"Print why PERSON ranks where they do: for every topic they have a "
	"score in\n"
	"(and overall), the rank, every signal, the evidence counts, the "
	"steps and\n"
	"the notes of the spam guards; then the evidence itself: their posts, "
	"the\n"
	"comments they left on other blogs, their replies on their own posts, "
	"and\n"
	"who links to and from them.\n"
	"\n"
	"PERSON is the id 'discover' prints, a site or profile URL (or a site "
	"without\n"
	"scheme, such as example.com/blog), or a name (quote it; a name "
	"several\n"
	"people share is an error that lists them).  An unknown person is an "
	"error\n"
	"(exit 2).\n"
	"\n"
	"  --topic T    only the score for topic T\n"
	"  --json       one JSON object: person, aliases, scores, evidence\n"
	"  --limit N    list at most N items of each kind of evidence, 1 to "
	"1000\n"
	"               (default 10; the totals are always shown)\n",
};
