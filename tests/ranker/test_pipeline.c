/* Tests for the ranker on what the analyzer really stores: the fixture
 * feeds (a WordPress blog and its comment feed, a Blogger blog and its
 * comment feed) parsed, matched against the taxonomy and ingested into a
 * store, then ranked — identities, threaded and flat answers, steps. */
#include "analyzer/analyzer.h"
#include "tests/ranker/storeworld.h"

#define P_CRAWL 1276100000LL	/* 2010-06-09, when they were fetched */
#define P_NOW 1276200000LL	/* 2010-06-10, when they are ranked */

static void
ingest(struct sworld *w, const char *rel, const char *url)
{
	struct ms_parse_opts o = { 0 };
	struct ms_ingest_stats s;
	struct ms_err err = { 0 };
	struct ms_doc *doc = NULL;
	char *path = ms_test_fixture(rel), *data;
	struct ms_batch *b = ms_store_batch_new(w->st);
	size_t len;

	data = ms_test_read_file(path, &len);
	cr_assert_not_null(data, "cannot read %s", path);
	o.url = url;
	cr_assert_eq(ms_doc_parse(data, len, &o, &doc, &err), MS_OK, "%s: %s",
		     rel, err.msg);
	ms_doc_topics(doc, &w->cfg->taxonomy);
	cr_assert_eq(ms_doc_ingest(doc, url, P_CRAWL, b, &s, &err), MS_OK,
		     "%s: %s", rel, err.msg);
	cr_assert_eq(ms_store_batch_commit(b, &err), MS_OK, "%s", err.msg);
	ms_doc_free(doc);
	free(data);
	free(path);
}

static void
rank(struct sworld *w)
{
	struct ms_err err = { 0 };

	if (w->b) {
		cr_assert_eq(ms_store_batch_commit(w->b, &err), MS_OK, "%s",
			     err.msg);
		w->b = NULL;
	}
	cr_assert_eq(ms_rank_run(w->st, w->cfg, P_NOW, &w->stats, &err),
		     MS_OK, "%s", err.msg);
}

static struct ms_view *
explain(struct sworld *w, const char *who)
{
	struct ms_view_opts o = { 0 };
	struct ms_view *v = NULL;
	struct ms_err err = { 0 };

	o.person = who;
	cr_assert_eq(ms_rank_view(w->st, w->cfg, &o, &v, &err), MS_OK,
		     "%s: %s", who, err.msg);
	return v;
}

static const struct ms_candidate *
overall(const struct ms_view *v)
{
	for (size_t i = 0; i < v->ncands; i++)
		if (!strcmp(v->cands[i].topic, MS_RANK_OVERALL))
			return &v->cands[i];
	cr_assert_fail("no overall record for %s", v->topic_label);
	return NULL;
}

/* Blogger: Maria answers Jan flat ("Gern geschehen, Jan!" names the post,
 * not the comment), 13 h 47 min after his comment. */
Test(ranker_pipeline, blogger_flat_answer_counts)
{
	struct sworld *w = s_new();
	struct ms_view *v;
	const struct ms_candidate *c;

	ingest(w, "feeds/blogger_atom.xml",
	       "https://mariashr.blogspot.com/feeds/posts/default");
	ingest(w, "feeds/blogger_comments.xml",
	       "https://mariashr.blogspot.com/feeds/1111111111111111111/"
	       "comments/default");
	rank(w);
	v = explain(w, "Maria Schneider");
	c = overall(v);
	/* 2 posts: the comment feed's entries are comments only */
	cr_expect_eq(c->evidence[MS_EV_POSTS], 2);
	cr_expect_eq(c->evidence[MS_EV_COMMENTERS], 1, "Jan");
	cr_expect_eq(c->evidence[MS_EV_POSTS_ANSWERED], 1);
	cr_expect_eq(c->evidence[MS_EV_REPLIES], 1);
	cr_expect_eq(c->evidence[MS_EV_MEDIAN_REPLY_S], 13 * 3600 + 47 * 60);
	/* 2010-06-07 16:30 UTC to P_NOW */
	cr_expect_eq(c->evidence[MS_EV_DAYS_SINCE_POST], 3);
	cr_expect_str_eq(c->lang, "de");
	ms_view_free(v);
	s_free(w);
}

/* WordPress: the post feed names Lena by dc:creator only; her comment
 * feed has her threaded answer to Tom ("In reply to" the comment). */
Test(ranker_pipeline, wordpress_threaded_answer_and_steps)
{
	struct sworld *w = s_new();
	struct ms_view *v;
	const struct ms_candidate *c;

	ingest(w, "feeds/wordpress_rss2.xml",
	       "https://lenafischer.example/feed/");
	ingest(w, "feeds/wordpress_comments.xml",
	       "https://lenafischer.example/2010/06/06/one-on-ones/feed/");
	rank(w);
	v = explain(w, "lena fischer");
	cr_expect_str_eq(v->topic_label, "Lena Fischer");
	c = overall(v);
	cr_expect_eq(c->evidence[MS_EV_POSTS], 2);
	cr_expect_eq(c->evidence[MS_EV_COMMENTERS], 1, "Tom, not Lena");
	cr_expect_eq(c->evidence[MS_EV_REPLIES], 1);
	cr_expect_eq(c->evidence[MS_EV_MEDIAN_REPLY_S], 95 * 60);
	cr_expect(s_has_step(c, MS_STEP_FOLLOW,
			     "https://lenafischer.example/feed/"));
	ms_view_free(v);
	s_free(w);
}
